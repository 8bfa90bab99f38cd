"""oicplan: decision support for planning overseas innovation centers.

The core is a library; the command line (``oicplan``) is a thin adapter over it.

>>> from oicplan import load_scenario, make_plan
>>> plan = make_plan(load_scenario("zhejiang"))
>>> len(plan.chosen)
12
"""

__version__ = "0.1.0"

from oicplan.data import Dataset, build_snapshot, load_dataset  # noqa: E402
from oicplan.errors import InfeasibleError, InputError, OicplanError  # noqa: E402
from oicplan.indicators import Framework, load_framework, score_sites  # noqa: E402
from oicplan.plan import CENTER_MODES, Plan, make_plan  # noqa: E402
from oicplan.ranking import RankedSites, candidate_sites, rank_sites  # noqa: E402
from oicplan.scenario import STRATEGIES, Scenario, load_scenario  # noqa: E402

__all__ = [
    "CENTER_MODES",
    "STRATEGIES",
    "Dataset",
    "Framework",
    "InfeasibleError",
    "InputError",
    "OicplanError",
    "Plan",
    "RankedSites",
    "Scenario",
    "build_snapshot",
    "candidate_sites",
    "load_dataset",
    "load_framework",
    "load_scenario",
    "make_plan",
    "rank_sites",
    "score_sites",
]
