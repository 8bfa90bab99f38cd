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

from .montecarlo import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONCENTRATION,
    MonteCarloResult,
    ScoringSetup,
    monte_carlo,
    prepare,
)
from .ranks import competition_ranks, rank_counts, rank_percentiles
from .sobol import SobolResult, saltelli_indices, sobol_analysis

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONCENTRATION",
    "MonteCarloResult",
    "ScoringSetup",
    "SobolResult",
    "competition_ranks",
    "monte_carlo",
    "prepare",
    "rank_counts",
    "rank_percentiles",
    "saltelli_indices",
    "sobol_analysis",
]
