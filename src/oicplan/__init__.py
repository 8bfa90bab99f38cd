"""oicplan: decision support for planning overseas innovation centers.

The core is a library; the command line (``oicplan``) is a thin adapter over it.
Names are imported on first use, so ``import oicplan`` (and the command line's
start-up) stays fast.

>>> from oicplan import load_scenario, make_plan
>>> plan = make_plan(load_scenario("zhejiang"))
>>> len(plan.chosen)
12
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

__version__ = "0.1.0"

# Public name -> module that defines it.
_EXPORTS = {
    "CENTER_MODES": "oicplan.domain",
    "STRATEGIES": "oicplan.domain",
    "Dataset": "oicplan.data.dataset",
    "Framework": "oicplan.indicators.framework",
    "InfeasibleError": "oicplan.errors",
    "InputError": "oicplan.errors",
    "OicplanError": "oicplan.errors",
    "Plan": "oicplan.plan",
    "RankedSites": "oicplan.ranking",
    "Scenario": "oicplan.scenario",
    "build_snapshot": "oicplan.data.build",
    "candidate_sites": "oicplan.ranking",
    "load_dataset": "oicplan.data.dataset",
    "load_framework": "oicplan.indicators.framework",
    "load_scenario": "oicplan.scenario",
    "make_plan": "oicplan.plan",
    "rank_sites": "oicplan.ranking",
    "score_sites": "oicplan.indicators.sites",
    "write_plan": "oicplan.report.render",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
