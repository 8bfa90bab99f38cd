"""Bad input is rejected with an InputError that says where the problem is."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from oicplan.errors import InputError
from oicplan.mcda import (
    AHPConsistencyWarning,
    DecisionMatrix,
    ahp_weights,
    entropy_weights,
    group_ahp_weights,
    rank,
    rank_scores,
    validate_pairwise,
    validate_weights,
)

GOOD = [[1.0, 5.0], [3.0, 1.0], [2.0, 2.0]]
NAMES = {"alternatives": ["x", "y", "z"], "criteria": ["gdp", "risk"]}


def _err(func, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        func(*args, **kwargs)
    return info.value


def test_nan_names_row_and_column():
    e = _err(DecisionMatrix, [[1, 2], [3, np.nan], [4, 5]], ["max", "min"], **NAMES,
             file="m.csv")
    assert (e.file, e.row, e.field) == ("m.csv", 3, "risk")


def test_infinite_and_text_cells():
    assert _err(DecisionMatrix, [[1, 2], [np.inf, 1]], [1, 1]).row == 3
    assert _err(DecisionMatrix, [[1, "a"], [2, 1]], [1, 1]).field == "C2"


def test_constant_column_names_the_criterion():
    e = _err(rank, [[1, 7], [2, 7], [3, 7]], [0.5, 0.5], ["max", "max"], **NAMES)
    assert e.field == "risk" and "same value" in e.message


def test_too_few_alternatives_and_empty():
    assert "two alternatives" in _err(DecisionMatrix, [[1, 2]], [1, 1]).message
    _err(DecisionMatrix, [], [])


def test_types_wrong_count_or_label():
    assert _err(rank, GOOD, [1, 1], ["max"]).field == "types"
    assert _err(rank, GOOD, [1, 1], ["max", "big"]).field == "types"
    assert _err(rank, GOOD, [1, 1]).field == "types"  # missing entirely


@pytest.mark.parametrize(
    ("weights", "field"),
    [([1, 1, 1], "weights"), ([0.5, -0.5], "risk"), ([0, 0], "weights"),
     ([np.nan, 1], "gdp"), ("heavy", "weights")],
)
def test_weights_errors(weights, field):
    assert _err(rank, GOOD, weights, ["max", "min"], **NAMES).field == field


def test_weights_are_normalized_and_stack_errors_name_the_vector():
    assert validate_weights([2, 6], ["a", "b"]).tolist() == [0.25, 0.75]
    e = _err(validate_weights, [[1, 1], [1, -1]], ["a", "b"])
    assert e.field == "b" and "weight vector 2" in e.message


def test_unknown_method_normalization_and_parameter():
    assert _err(rank, GOOD, [1, 1], [1, 1], method="electre").field == "method"
    assert _err(rank, GOOD, [1, 1], [1, 1], normalization="log").field == "normalization"
    assert _err(rank, GOOD, [1, 1], [1, 1], method="topsis", v=0.5).field == "v"


def test_sum_and_max_normalization_need_ratio_data():
    data = [[1.0, 5.0], [0.0, 1.0], [2.0, 2.0]]
    e = _err(rank, data, [1, 1], ["max", "min"], method="wsm", normalization="sum", **NAMES)
    assert (e.row, e.field) == (3, "gdp")
    e = _err(rank, [[1.0, -5.0], [2.0, 1.0]], [1, 1], [1, 1], normalization="max")
    assert (e.row, e.field) == (2, "C2")


def test_wpm_needs_positive_normalized_values():
    e = _err(rank, GOOD, [1, 1], ["max", "min"], method="wpm", normalization="minmax", **NAMES)
    assert e.field in ("gdp", "risk") and e.row is not None


def test_vikor_v_range():
    assert _err(rank, GOOD, [1, 1], [1, 1], method="vikor", v=2).field == "v"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"preference": "ushape"}, "q"), ({"preference": "vshape", "p": 0}, "p"),
     ({"preference": "linear", "q": 3, "p": 2}, "p"), ({"preference": "gaussian", "s": -1}, "s"),
     ({"preference": "usual", "q": 1}, "q"), ({"preference": "sigmoid"}, "preference"),
     ({"preference": "ushape", "q": [1, 2, 3]}, "q")],
)
def test_promethee_threshold_errors(params, field):
    assert _err(rank, GOOD, [1, 1], [1, 1], method="promethee2", **params).field == field


def test_pairwise_validation_names_row_and_column():
    e = _err(validate_pairwise, [[1, 2, 3], [0.5, 1, 4], [1 / 3, 0.2, 1]], ["a", "b", "c"],
             file="p.csv")
    assert (e.file, e.row, e.field) == ("p.csv", 3, "c")  # a[b,c] = 4 but a[c,b] = 0.2
    assert _err(validate_pairwise, [[1, 2]]).message.startswith("pairwise matrix must be square")
    assert _err(validate_pairwise, [[1, 0], [0, 1]]).row == 2


def test_pairwise_tolerates_rounded_reciprocals():
    validate_pairwise([[1, 3], [0.33, 1]])
    _err(validate_pairwise, [[1, 3], [0.3, 1]])


def test_ahp_warns_above_threshold():
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.warns(AHPConsistencyWarning):
        res = ahp_weights(bad)
    assert res.cr > 0.1 and not res.consistent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ahp_weights(bad, warn=False)


def test_group_ahp_shape_mismatch_and_empty():
    _err(group_ahp_weights, [])
    e = _err(group_ahp_weights, [np.ones((2, 2)), np.ones((3, 3))], files=["a", "b"])
    assert e.file == "b"


def test_group_ahp_geometric_mean_and_expert_cr():
    a = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    b = np.array([[1, 1, 3], [1, 1, 4], [1 / 3, 1 / 4, 1]])
    res = group_ahp_weights([a, b], ["x", "y", "z"])
    np.testing.assert_allclose(res.aggregated, np.sqrt(a * b))
    assert res.expert_cr == [ahp_weights(a).cr, ahp_weights(b).cr]
    np.testing.assert_allclose(res.weights, ahp_weights(np.sqrt(a * b)).weights)


def test_entropy_rejects_negative_values():
    e = _err(entropy_weights, [[1, 2], [3, -1]], ["max", "max"])
    assert (e.row, e.field) == (3, "C2")


def test_ties_share_the_min_rank():
    assert rank_scores([0.5, 0.7, 0.5, 0.1]).tolist() == [2, 1, 2, 4]
    res = rank([[1, 2], [1, 2], [0, 3]], [1, 0], [1, 1])
    assert res.ranks.tolist() == [1, 1, 3]


def test_to_dict_is_plain_python():
    d = rank(GOOD, [1, 1], ["max", "min"], method="vikor", **NAMES).to_dict()
    assert type(d["scores"][0]) is float and type(d["ranks"][0]) is int
    assert type(d["acceptable_advantage"]) is bool
    assert d["compromise"] and set(d["compromise"]) <= {"x", "y", "z"}


def test_competition_ranks_equal_scipy_rankdata_min():
    """The numpy ranks (kept free of scipy.stats for start-up time) match scipy's."""
    import numpy as np
    from scipy.stats import rankdata

    from oicplan.mcda.core import _min_ranks

    rng = np.random.default_rng(0)
    for _ in range(100):
        keys = np.round(rng.normal(size=(4, 13)), 1)  # rounding forces ties
        np.testing.assert_array_equal(_min_ranks(keys), rankdata(keys, method="min", axis=-1))
        np.testing.assert_array_equal(_min_ranks(keys[0]), rankdata(keys[0], method="min"))
