"""Industry–technology matching, enterprises and center modes (project issue 5).

* :mod:`~oicplan.match.taxonomy` — Zhejiang's priority industries, WIPO fields, signals;
* :mod:`~oicplan.match.signals` — specialization indices (RCA) and users' field data;
* :mod:`~oicplan.match.matrix` — the industries × sites match matrix with presets;
* :mod:`~oicplan.match.enterprises` — enterprise import and the synthetic sample;
* :mod:`~oicplan.match.assign` — capacitated assignment of enterprises to centers;
* :mod:`~oicplan.match.modes` — center-mode scores and the third-generation park view.

docs/match.md describes the method. Names are imported on first use, so the
command line starts fast.
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it.
_EXPORTS = {
    "Assignment": "oicplan.match.assign",
    "EnterpriseDemands": "oicplan.match.assign",
    "assign_enterprises": "oicplan.match.assign",
    "enterprise_demands": "oicplan.match.assign",
    "utility_matrix": "oicplan.match.assign",
    "SYNTHETIC_NOTE": "oicplan.match.enterprises",
    "enterprises_path": "oicplan.match.enterprises",
    "import_enterprises": "oicplan.match.enterprises",
    "load_enterprises": "oicplan.match.enterprises",
    "load_sample": "oicplan.match.enterprises",
    "load_stored": "oicplan.match.enterprises",
    "read_enterprises": "oicplan.match.enterprises",
    "save_enterprises": "oicplan.match.enterprises",
    "FieldStrengths": "oicplan.match.matrix",
    "MatchResult": "oicplan.match.matrix",
    "PRESETS": "oicplan.match.matrix",
    "field_strengths": "oicplan.match.matrix",
    "match_matrix": "oicplan.match.matrix",
    "mode_scores": "oicplan.match.modes",
    "park_view": "oicplan.match.modes",
    "balassa_rca": "oicplan.match.signals",
    "field_data_index": "oicplan.match.signals",
    "load_field_data": "oicplan.match.signals",
    "signal_table": "oicplan.match.signals",
    "Taxonomy": "oicplan.match.taxonomy",
    "load_taxonomy": "oicplan.match.taxonomy",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
