"""Industry–technology matching, enterprises and center modes (project issue 5).

* :mod:`~oicplan.match.taxonomy` — Zhejiang's priority industries, WIPO fields, signals;
* :mod:`~oicplan.match.signals` — specialization indices (RCA) and users' field data;
* :mod:`~oicplan.match.matrix` — the industries × sites match matrix with presets;
* :mod:`~oicplan.match.enterprises` — enterprise import and the synthetic sample;
* :mod:`~oicplan.match.assign` — capacitated assignment of enterprises to centers;
* :mod:`~oicplan.match.modes` — center-mode scores and the third-generation park view.

docs/match.md describes the method.
"""

from oicplan.match.assign import (
    Assignment,
    EnterpriseDemands,
    assign_enterprises,
    enterprise_demands,
    utility_matrix,
)
from oicplan.match.enterprises import (
    SYNTHETIC_NOTE,
    enterprises_path,
    import_enterprises,
    load_enterprises,
    load_sample,
    load_stored,
    read_enterprises,
    save_enterprises,
)
from oicplan.match.matrix import PRESETS, FieldStrengths, MatchResult, field_strengths, match_matrix
from oicplan.match.modes import mode_scores, park_view
from oicplan.match.signals import balassa_rca, field_data_index, load_field_data, signal_table
from oicplan.match.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "PRESETS",
    "SYNTHETIC_NOTE",
    "Assignment",
    "EnterpriseDemands",
    "FieldStrengths",
    "MatchResult",
    "Taxonomy",
    "assign_enterprises",
    "enterprise_demands",
    "balassa_rca",
    "enterprises_path",
    "field_data_index",
    "field_strengths",
    "import_enterprises",
    "load_enterprises",
    "load_field_data",
    "load_sample",
    "load_stored",
    "load_taxonomy",
    "match_matrix",
    "mode_scores",
    "park_view",
    "read_enterprises",
    "save_enterprises",
    "signal_table",
    "utility_matrix",
]
