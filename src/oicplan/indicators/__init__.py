"""Indicator frameworks and the pillar scores of candidate sites."""

from oicplan.indicators.framework import (
    Framework,
    IndicatorSpec,
    PillarSpec,
    SiteScores,
    load_framework,
    score_sites,
)

__all__ = ["Framework", "IndicatorSpec", "PillarSpec", "SiteScores", "load_framework", "score_sites"]
