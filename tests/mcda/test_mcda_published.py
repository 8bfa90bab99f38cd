"""Published worked examples.

Expected numbers are the ones printed in the cited sources (to the precision
printed there). The transcriptions were checked against the test suites of
scikit-criteria (TOPSIS, VIKOR) and ahpy (AHP), which reproduce the same
examples from the same papers; see the note further down for PROMETHEE II,
WSM, WPM, entropy, CRITIC and group AHP.
"""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.mcda import ahp_weights, critic_weights, entropy_weights, group_ahp_weights, rank


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


# ---------------------------------------------------------------------------
# PROMETHEE II, WSM, WPM, entropy and CRITIC weights, group AHP.
#
# Where we could not open the paper itself (Zhao et al. 2013; Chakraborty et
# al. 2015; Elsayed et al. 2017; Tuş & Adalı 2019) its data and printed results
# were read from the transcriptions in the test suites of pymcdm
# (test/test_mcdm.py, test/test_weights.py) and scikit-criteria
# (tests/agg/test_simple.py), which cite these papers; only numbers given there
# at the paper's printed precision are used, never a library's own output. The
# weighted-sum example and the group-judgment example were read in the cited
# public texts themselves.
# ---------------------------------------------------------------------------


def test_promethee2_zhao_peng_li_2013():
    """PROMETHEE II example of Zhao, H., Peng, Y., & Li, W. (2013). Revised
    PROMETHEE II for improving efficiency in emergency response. *Procedia
    Computer Science*, 17, 181-188.

    Three alternatives, three benefit criteria, weights (0.5, 0.3, 0.2), the
    usual criterion (type I) on raw differences; net flows 0.1, -0.3, 0.2.
    """
    matrix = [[4, 3, 2], [3, 2, 4], [5, 1, 3]]
    res = rank(matrix, [0.5, 0.3, 0.2], ["max"] * 3, method="promethee2")
    assert res.normalization == "none"
    np.testing.assert_allclose(res.extras["net_flow"], [0.1, -0.3, 0.2], atol=5e-3)
    np.testing.assert_allclose(res.scores, res.extras["net_flow"], rtol=0, atol=0)
    # net flow = positive - negative, and the flows of the usual criterion
    # with weights summing to 1 average to zero over the alternatives
    np.testing.assert_allclose(
        res.extras["positive_flow"] - res.extras["negative_flow"], res.extras["net_flow"]
    )
    assert abs(float(np.sum(res.extras["net_flow"]))) < 1e-12
    assert res.ranks.tolist() == [2, 3, 1]


def test_promethee2_zhao_2013_cost_criterion_mirrors_benefit():
    """Same example with the first criterion entered as its negative and typed
    ``min``: PROMETHEE II compares differences, so the published flows must not
    change (checks that cost criteria are turned around before the preference
    function, not after)."""
    matrix = [[-4, 3, 2], [-3, 2, 4], [-5, 1, 3]]
    res = rank(matrix, [0.5, 0.3, 0.2], ["min", "max", "max"], method="promethee2")
    np.testing.assert_allclose(res.extras["net_flow"], [0.1, -0.3, 0.2], atol=5e-3)


_WSM_MATRIX = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
_WSM_WEIGHTS = [0.20, 0.15, 0.40, 0.25]


def test_wsm_triantaphyllou_example_raw_units():
    """Weighted sum example of Triantaphyllou, E. (2000). *Multi-Criteria
    Decision Making Methods: A Comparative Study*. Kluwer, as printed in the
    Wikipedia article "Weighted sum model" (Example section).

    Three alternatives, four benefit criteria in the same unit, weights
    (0.20, 0.15, 0.40, 0.25); no normalization (the example sums raw values).
    Printed WSM scores: A1 = 21.50, A2 = 22.00. For A3 older copies of the text
    print 20.00 while the table in the current article prints 22.00; the data
    give 0.20*30 + 0.15*10 + 0.40*30 + 0.25*10 = 22.00, so A3 is checked
    against 22.00 (the 20.00 is an arithmetic slip in the source, not a
    different method). A2 and A3 therefore tie for first place.
    """
    res = rank(_WSM_MATRIX, _WSM_WEIGHTS, ["max"] * 4, method="wsm", normalization="none")
    np.testing.assert_allclose(res.scores, [21.50, 22.00, 22.00], atol=5e-3)
    assert res.ranks.tolist() == [3, 1, 1]


# Chakraborty, Zavadskas & Antucheviciene (2015), Example 2: 10 alternatives,
# criteria PC (min), FS (min), MN (min), P (max).
_CZA_MATRIX = np.array(
    [
        [581818, 54.49, 3, 5500],
        [595454, 49.73, 3, 4500],
        [586060, 51.24, 3, 5000],
        [522727, 45.71, 3, 5800],
        [561818, 52.66, 3, 5200],
        [543030, 74.46, 4, 5600],
        [522727, 75.42, 4, 5800],
        [486970, 62.62, 4, 5600],
        [509394, 65.87, 4, 6400],
        [513333, 70.67, 4, 6000],
    ],
    dtype=float,
)
_CZA_TYPES = ["min", "min", "min", "max"]
_CZA_WEIGHTS = [0.467, 0.160, 0.095, 0.278]
# Printed WASPAS joint criterion Q for lambda = 1 (pure WSM) and lambda = 0
# (pure WPM), four decimals.
_CZA_WSM = [0.8590, 0.8194, 0.8430, 0.9420, 0.8645, 0.8315, 0.8552, 0.8983, 0.9067, 0.8784]
_CZA_WPM = [0.8578, 0.8144, 0.8408, 0.9413, 0.8632, 0.8241, 0.8454, 0.8915, 0.8987, 0.8697]
_CZA_RANKS = [6, 10, 8, 1, 5, 9, 7, 3, 2, 4]


def _cza_linear_normalization() -> np.ndarray:
    """The paper's linear normalization: x / max for benefit, min / x for cost."""
    x = _CZA_MATRIX
    cost = np.array([t == "min" for t in _CZA_TYPES])
    return np.where(cost, x.min(axis=0) / x, x / x.max(axis=0))


def test_wsm_chakraborty_zavadskas_antucheviciene_2015_example2():
    """WASPAS Example 2 of Chakraborty, S., Zavadskas, E. K., & Antucheviciene,
    J. (2015). Applications of WASPAS method as a multi-criteria decision-making
    tool. *Economic Computation and Economic Cybernetics Studies and Research*,
    49(1), 5-22.

    With lambda = 1 WASPAS is the weighted sum of the paper's linearly
    normalized matrix (x / max for benefit, min / x for cost criteria). None of
    our normalizations turns cost columns around as min / x (``max`` uses
    1 - x / max), so the paper's normalized matrix is given with
    ``normalization="none"``. Printed to four decimals; the second alternative
    computes to 0.81945, printed 0.8194, so the tolerance is one unit in the
    last printed digit.
    """
    res = rank(_cza_linear_normalization(), _CZA_WEIGHTS, ["max"] * 4, method="wsm",
               normalization="none")
    np.testing.assert_allclose(res.scores, _CZA_WSM, atol=1e-4)
    assert res.ranks.tolist() == _CZA_RANKS


def test_wpm_chakraborty_zavadskas_antucheviciene_2015_example2():
    """Same source, lambda = 0: the weighted product of the normalized matrix.

    On the paper's normalized matrix the scores match the printed ones. With our
    default ``sum`` normalization on the raw data, each column is rescaled by a
    constant and cost columns use 1/x, so every score is the printed one times
    the same factor: the ratios between alternatives and the ranks are those of
    the paper (checked against the best alternative, A4).
    """
    res = rank(_cza_linear_normalization(), _CZA_WEIGHTS, ["max"] * 4, method="wpm",
               normalization="none")
    np.testing.assert_allclose(res.scores, _CZA_WPM, atol=1e-4)
    raw = rank(_CZA_MATRIX, _CZA_WEIGHTS, _CZA_TYPES, method="wpm")
    assert raw.normalization == "sum"
    printed = np.asarray(_CZA_WPM)
    np.testing.assert_allclose(raw.scores / raw.scores[3], printed / printed[3], atol=2e-4)
    assert raw.ranks.tolist() == _CZA_RANKS


def test_entropy_weights_elsayed_dawood_karthikeyan_2017():
    """Entropy weights of Elsayed, E. A., Dawood, A. S., & Karthikeyan, R.
    (2017). Evaluating alternatives through the application of TOPSIS method
    with entropy weight. *International Journal of Engineering Trends and
    Technology*, 46(2), 60-66.

    Twelve alternatives, five criteria; weights printed to six decimals:
    0.104991, 0.069124, 0.071373, 0.449937, 0.304575.
    """
    matrix = [
        [7, 312, 1891, 6613, 163],
        [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471],
        [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897],
        [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212],
        [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103],
        [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453],
        [1, 72, 530, 4333, 0.104800],
    ]
    w = entropy_weights(matrix)
    np.testing.assert_allclose(
        w, [0.104991, 0.069124, 0.071373, 0.449937, 0.304575], atol=5e-7
    )
    assert w.sum() == pytest.approx(1.0)


_TA2019_MATRIX = [
    [5000, 3, 3, 4, 3, 2],
    [680, 5, 3, 2, 2, 1],
    [2000, 3, 2, 3, 4, 3],
    [600, 4, 3, 1, 2, 2],
    [800, 2, 4, 3, 3, 4],
]


def test_critic_weights_tus_adali_2019():
    """CRITIC weights of Tuş, A., & Adalı, E. A. (2019). The new combination
    with CRITIC and WASPAS methods for the time and attendance software
    selection problem. *OPSEARCH*, 56(2), 528-538.

    Five alternatives, six criteria; weights printed to three decimals:
    0.157, 0.249, 0.168, 0.121, 0.154, 0.151. They are reproduced with every
    column min-max normalized as a benefit criterion (the transcription gives no
    criterion types); entering the first column as a cost criterion gives
    visibly different weights (0.184, 0.213, ...), which the second assertion
    pins down so a change in how directions enter CRITIC cannot go unnoticed.
    """
    w = critic_weights(_TA2019_MATRIX, ["max"] * 6)
    np.testing.assert_allclose(w, [0.157, 0.249, 0.168, 0.121, 0.154, 0.151], atol=5e-4)
    flipped = critic_weights(_TA2019_MATRIX, ["min"] + ["max"] * 5)
    assert np.max(np.abs(flipped - w)) > 0.02


def test_group_ahp_geometric_mean_decision_lens_2007():
    """Group judgment example in "Combining group members' judgments", Decision
    Lens blog (June 2007), after Aczél, J., & Saaty, T. L. (1983). Procedures
    for synthesizing ratio judgements. *Journal of Mathematical Psychology*,
    27(1), 93-102.

    Three people judge an apple 2, 3 and 4 times larger than an orange. The
    group judgment is the geometric mean 24^(1/3), whose reciprocal equals the
    geometric mean of the reciprocal judgments; the arithmetic mean (3) would
    not be reciprocal, since the mean of 1/2, 1/3, 1/4 is 13/36, not 1/3.
    """
    experts = [[[1, k], [1 / k, 1]] for k in (2, 3, 4)]
    res = group_ahp_weights(experts, ["apple", "orange"])
    g = 24 ** (1 / 3)
    np.testing.assert_allclose(res.aggregated, [[1, g], [1 / g, 1]], rtol=1e-12)
    assert res.aggregated[0, 1] * res.aggregated[1, 0] == pytest.approx(1.0, abs=1e-12)
    assert res.aggregated[0, 1] != pytest.approx(3.0, abs=0.1)
    # a 2 x 2 reciprocal matrix has priorities a / (1 + a) and 1 / (1 + a)
    np.testing.assert_allclose(res.weights, [g / (1 + g), 1 / (1 + g)], rtol=1e-12)
    assert res.expert_cr == [0.0, 0.0, 0.0]
