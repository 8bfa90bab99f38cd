"""Uncertainty and sensitivity of MCDA rankings.

* :func:`monte_carlo` - rank intervals under perturbed weights, normalization
  and data (in process or on a dask.distributed cluster);
* :func:`sobol_analysis` - Sobol first- and total-order indices of every
  alternative's score and rank, estimated for all alternatives at once;
* :mod:`oicplan.uncertainty.plots` - rank-interval, Sobol and correlation charts
  (imported on demand, it loads matplotlib).

>>> from oicplan.uncertainty import monte_carlo
>>> monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
...             samples=100, seed=0).median_rank.tolist()
[3.0, 1.0, 2.0]
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module (imported on first use: Sobol loads scipy.stats, ~0.5 s).
_EXPORTS = {
    "DEFAULT_CHUNK_SIZE": "oicplan.uncertainty.montecarlo",
    "DEFAULT_CONCENTRATION": "oicplan.uncertainty.montecarlo",
    "MonteCarloResult": "oicplan.uncertainty.montecarlo",
    "ScoringSetup": "oicplan.uncertainty.montecarlo",
    "SobolResult": "oicplan.uncertainty.sobol",
    "competition_ranks": "oicplan.uncertainty.ranks",
    "monte_carlo": "oicplan.uncertainty.montecarlo",
    "prepare": "oicplan.uncertainty.montecarlo",
    "rank_counts": "oicplan.uncertainty.ranks",
    "rank_percentiles": "oicplan.uncertainty.ranks",
    "saltelli_indices": "oicplan.uncertainty.sobol",
    "sobol_analysis": "oicplan.uncertainty.sobol",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
