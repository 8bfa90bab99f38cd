"""Published worked examples.

Expected numbers are the ones printed in the cited sources (to the precision
printed there). The transcriptions were checked against the test suites of
scikit-criteria (TOPSIS, VIKOR) and ahpy (AHP), which reproduce the same
examples from the same papers.
"""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.mcda import ahp_weights, rank


def test_topsis_tzeng_huang_2011():
    """TOPSIS example of Tzeng, G. H., & Huang, J. J. (2011). *Multiple Attribute
    Decision Making: Methods and Applications*. CRC Press.

    Four alternatives, three benefit criteria, weights (0.3, 0.4, 0.3), vector
    normalization; relative closeness 0.5037, 0.6581, 0.7482, 0.3340.
    """
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    res = rank(matrix, [0.3, 0.4, 0.3], ["max"] * 3, method="topsis")
    assert res.normalization == "vector"
    np.testing.assert_allclose(res.scores, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    assert res.ranks.tolist() == [3, 2, 1, 4]


def test_vikor_opricovic_tzeng_2004():
    """Two-criteria example of Opricovic, S., & Tzeng, G. H. (2004). Compromise
    solution by MCDM methods: A comparative analysis of VIKOR and TOPSIS.
    *European Journal of Operational Research*, 156(2), 445-455.

    Risk (min) and altitude (max), equal weights, v = 0.5:
    S = (0.5, 0.375, 0.5), R = (0.5, 0.25, 0.5), Q = (1, 0, 1); both
    conditions hold and A2 alone is the compromise solution.
    """
    matrix = [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]
    res = rank(matrix, [0.5, 0.5], ["min", "max"], method="vikor",
               alternatives=["A1", "A2", "A3"], criteria=["risk", "altitude"])
    np.testing.assert_allclose(res.extras["S"], [0.5, 0.375, 0.5], atol=1e-12)
    np.testing.assert_allclose(res.extras["R"], [0.5, 0.25, 0.5], atol=1e-12)
    np.testing.assert_allclose(res.extras["Q"], [1.0, 0.0, 1.0], atol=1e-12)
    assert res.ranks.tolist() == [2, 1, 2]
    assert bool(res.extras["acceptable_advantage"]) is True
    assert bool(res.extras["acceptable_stability"]) is True
    assert res.extras["compromise"] == ["A2"]


# Opricovic & Tzeng (2007), hydropower example: 6 alternatives x 8 criteria.
_OT2007_MATRIX = np.array(
    [
        [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
        [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
        [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
        [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
        [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
        [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
    ]
)
_OT2007_TYPES = ["max", "min", "max", "max", "min", "min", "min", "max"]
_OT2007_CASES = {
    # weights: (S, R, Q, advantage, stability, compromise set)
    (1, 1, 1, 1, 1, 1, 1, 1): (
        [0.692, 0.7, 0.29, 0.423, 0.28, 0.346],
        [0.125, 0.125, 0.121, 0.125, 0.067, 0.125],
        [0.991, 1.0, 0.473, 0.670, 0.0, 0.578],
        True, True, ["A5"],
    ),
    (2, 2, 2, 2, 1, 1, 1, 1): (
        [0.701, 0.6, 0.386, 0.365, 0.317, 0.459],
        [0.167, 0.114, 0.161, 0.167, 0.089, 0.167],
        [1.0, 0.533, 0.552, 0.563, 0.0, 0.686],
        True, True, ["A5"],
    ),
    (1, 1, 1, 1, 2, 2, 2, 2): (
        [0.683, 0.8, 0.193, 0.48, 0.243, 0.232],
        [0.113, 0.167, 0.08, 0.122, 0.044, 0.083],
        [0.684, 1.0, 0.147, 0.554, 0.041, 0.191],
        False, True, ["A3", "A5", "A6"],
    ),
    (1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2): (
        [0.678, 0.857, 0.138, 0.513, 0.222, 0.167],
        [0.129, 0.190, 0.057, 0.139, 0.042, 0.060],
        [0.668, 1.0, 0.051, 0.588, 0.058, 0.078],
        False, True, ["A3", "A5", "A6"],
    ),
}


def test_vikor_opricovic_tzeng_2007_all_weight_sets_at_once():
    """Hydropower example of Opricovic, S., & Tzeng, G. H. (2007). Extended VIKOR
    method in comparison with outranking methods. *European Journal of
    Operational Research*, 178(2), 514-529.

    The paper's four weight sets are evaluated in one vectorized call; S, R
    and Q are printed to three decimals in the paper.
    """
    weights = np.array(list(_OT2007_CASES), dtype=float)
    res = rank(_OT2007_MATRIX, weights, _OT2007_TYPES, method="vikor",
               alternatives=[f"A{i}" for i in range(1, 7)])
    for k, (s, r, q, adv, stab, comp) in enumerate(_OT2007_CASES.values()):
        np.testing.assert_allclose(res.extras["S"][k], s, atol=1e-3)
        np.testing.assert_allclose(res.extras["R"][k], r, atol=1e-3)
        np.testing.assert_allclose(res.extras["Q"][k], q, atol=1e-3)
        assert bool(res.extras["acceptable_advantage"][k]) is adv
        assert bool(res.extras["acceptable_stability"][k]) is stab
        assert res.extras["compromise"][k] == comp


def test_vikor_advantage_without_stability():
    """Case built in scikit-criteria's VIKOR tests: C1 holds but C2 fails, so the
    compromise set is the first two alternatives by Q (A4 and A5)."""
    matrix = [
        [1.0, 101.0, 1.0, 101.0, 1.00],
        [101.0, 1.0, 101.0, 1.0, 101.0],
        [1.0, 1.0, 1.0, 1.0, 101.0],
        [11.0, 11.0, 11.0, 16.0, 61.0],
        [56.0, 56.0, 56.0, 56.0, 56.0],
    ]
    res = rank(matrix, [0.2] * 5, ["min"] * 5, method="vikor",
               alternatives=["A1", "A2", "A3", "A4", "A5"])
    assert bool(res.extras["acceptable_advantage"]) is True
    assert bool(res.extras["acceptable_stability"]) is False
    assert res.extras["compromise"] == ["A4", "A5"]
    np.testing.assert_allclose(res.extras["Q"], [0.75, 1, 0.5, 0.068, 0.4375], atol=1e-3)


def test_ahp_saaty_2008_drinks():
    """Relative drink consumption in the US from Saaty, T. L. (2008). Decision
    making with the analytic hierarchy process. *International Journal of
    Services Sciences*, 1(1), 83-98.

    Derived priorities (3 decimals) coffee .177, wine .019, tea .042, beer .116,
    sodas .190, milk .129, water .327; CR = 0.022 with Saaty's random index.
    """
    names = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
    m = [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
    res = ahp_weights(m, names)
    np.testing.assert_allclose(
        res.weights, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=5e-4
    )
    assert res.cr == pytest.approx(0.022, abs=5e-4)
    assert res.consistent
