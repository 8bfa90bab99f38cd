"""Indicator frameworks, the composite-indicator engine, its audit, and site scores."""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it (imported on first use, for a fast start-up).
_EXPORTS = {
    "Audit": "oicplan.indicators.audit",
    "BuildSettings": "oicplan.indicators.engine",
    "CompositeIndex": "oicplan.indicators.engine",
    "Framework": "oicplan.indicators.framework",
    "IndicatorSpec": "oicplan.indicators.framework",
    "Node": "oicplan.indicators.framework",
    "PillarSpec": "oicplan.indicators.framework",
    "SiteScores": "oicplan.indicators.sites",
    "audit": "oicplan.indicators.audit",
    "build_index": "oicplan.indicators.engine",
    "compare": "oicplan.indicators.engine",
    "cronbach_alpha": "oicplan.indicators.audit",
    "load_framework": "oicplan.indicators.framework",
    "pca": "oicplan.indicators.audit",
    "score_sites": "oicplan.indicators.sites",
    "strengths_weaknesses": "oicplan.indicators.audit",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
