"""Indicator frameworks, the composite-indicator engine, its audit, and site scores."""

from oicplan.indicators.audit import (
    Audit,
    audit,
    cronbach_alpha,
    pca,
    strengths_weaknesses,
)
from oicplan.indicators.engine import BuildSettings, CompositeIndex, build_index, compare
from oicplan.indicators.framework import (
    Framework,
    IndicatorSpec,
    Node,
    PillarSpec,
    load_framework,
)
from oicplan.indicators.sites import SiteScores, score_sites

__all__ = [
    "Audit",
    "BuildSettings",
    "CompositeIndex",
    "Framework",
    "IndicatorSpec",
    "Node",
    "PillarSpec",
    "SiteScores",
    "audit",
    "build_index",
    "compare",
    "cronbach_alpha",
    "load_framework",
    "pca",
    "score_sites",
    "strengths_weaknesses",
]
