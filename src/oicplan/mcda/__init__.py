"""Multi-criteria decision analysis: normalizations, ranking methods and weights.

The public entry point is :func:`rank`, which validates its input and returns
an :class:`MCDAResult`; the pure kernels live in :mod:`oicplan.mcda.methods`.

>>> from oicplan.mcda import rank
>>> rank([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"]).ranks.tolist()
[3, 1, 2]
"""

from .core import DecisionMatrix, MCDAResult, rank, rank_scores, validate_weights
from .methods import (
    DEFAULT_NORMALIZATION,
    METHODS,
    PREFERENCE_FUNCTIONS,
    PrometheeFlows,
    VikorResult,
    preference_degree,
    promethee2,
    promethee2_kernel,
    topsis,
    topsis_kernel,
    vikor,
    vikor_kernel,
    wpm,
    wpm_kernel,
    wsm,
    wsm_kernel,
)
from .normalization import NORMALIZATIONS, benefit_mask, get_normalization
from .weights import (
    CR_THRESHOLD,
    SAATY_RANDOM_INDEX,
    AHPConsistencyWarning,
    AHPResult,
    GroupAHPResult,
    ahp_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    group_ahp_weights,
    std_weights,
    validate_pairwise,
)

__all__ = [
    "CR_THRESHOLD",
    "SAATY_RANDOM_INDEX",
    "AHPConsistencyWarning",
    "AHPResult",
    "GroupAHPResult",
    "ahp_weights",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "group_ahp_weights",
    "std_weights",
    "validate_pairwise",
    "DEFAULT_NORMALIZATION",
    "METHODS",
    "NORMALIZATIONS",
    "PREFERENCE_FUNCTIONS",
    "DecisionMatrix",
    "MCDAResult",
    "PrometheeFlows",
    "VikorResult",
    "benefit_mask",
    "get_normalization",
    "preference_degree",
    "promethee2",
    "promethee2_kernel",
    "rank",
    "rank_scores",
    "topsis",
    "topsis_kernel",
    "validate_weights",
    "vikor",
    "vikor_kernel",
    "wpm",
    "wpm_kernel",
    "wsm",
    "wsm_kernel",
]
