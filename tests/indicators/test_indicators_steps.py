"""Each operation on small hand-made vectors, with expected values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oicplan.indicators.steps import (
    AGGREGATORS,
    NORMALIZERS,
    carry_forward,
    gii_outlier_treatment,
    impute_by_group,
    log_ct,
    outlier_check,
    reflect,
    skew_kurtosis,
    winsorise,
)

X = np.array([2.0, 4.0, np.nan, 10.0])


@pytest.mark.parametrize(
    ("name", "direction", "params", "expected"),
    [
        # min 2, max 10: (x - 2) / 8
        ("minmax", "max", {}, [0.0, 0.25, np.nan, 1.0]),
        ("minmax", "min", {}, [1.0, 0.75, np.nan, 0.0]),
        # 1 + 99 * share
        ("minmax", "max", {"low": 1, "high": 100}, [1.0, 25.75, np.nan, 100.0]),
        # mean 16/3, population sd sqrt(((10/3)^2 + (4/3)^2 + (14/3)^2) / 3) = sqrt(104/9)
        ("zscore", "max", {}, [-(10 / 3) / math.sqrt(104 / 9), -(4 / 3) / math.sqrt(104 / 9),
                               np.nan, (14 / 3) / math.sqrt(104 / 9)]),
        ("rank", "max", {}, [1.0, 2.0, np.nan, 3.0]),
        ("rank", "min", {}, [3.0, 2.0, np.nan, 1.0]),
        # goalposts 0 and 8: 2/8, 4/8, capped at 1
        ("goalposts", "max", {"goalposts": (0, 8)}, [0.25, 0.5, np.nan, 1.0]),
        ("goalposts", "min", {"goalposts": (0, 8)}, [0.75, 0.5, np.nan, 0.0]),
        # target 6, worst observed 2: (x - 2) / 4 capped
        ("target", "max", {"target": 6.0}, [0.0, 0.5, np.nan, 1.0]),
        # target 4, worst observed 10: (10 - x) / 6 capped
        ("target", "min", {"target": 4.0}, [1.0, 1.0, np.nan, 0.0]),
        # norm sqrt(4 + 16 + 100) = sqrt(120)
        ("vector", "max", {}, [2 / math.sqrt(120), 4 / math.sqrt(120), np.nan,
                               10 / math.sqrt(120)]),
        ("vector", "min", {}, [1 - 2 / math.sqrt(120), 1 - 4 / math.sqrt(120), np.nan,
                               1 - 10 / math.sqrt(120)]),
        ("sum", "max", {}, [2 / 16, 4 / 16, np.nan, 10 / 16]),
        # reciprocals 1/2, 1/4, 1/10 sum to 0.85
        ("sum", "min", {}, [0.5 / 0.85, 0.25 / 0.85, np.nan, 0.1 / 0.85]),
        ("max", "max", {}, [0.2, 0.4, np.nan, 1.0]),
        ("max", "min", {}, [0.8, 0.6, np.nan, 0.0]),
    ],
)
def test_normalizers_by_hand(name, direction, params, expected):
    got = NORMALIZERS[name](X, direction, **params)
    np.testing.assert_allclose(got, expected, equal_nan=True)


def test_constant_indicator_normalizes_to_missing():
    assert np.isnan(NORMALIZERS["minmax"](np.array([3.0, 3.0]), "max")).all()
    assert np.isnan(NORMALIZERS["zscore"](np.array([3.0, 3.0]), "max")).all()


def test_reflect_on_bounds():
    assert reflect([0.25], (0.0, 1.0)).tolist() == [0.75]
    assert reflect([2.0], None).tolist() == [-2.0]


def test_aggregators_by_hand_with_missing_values():
    values = np.array([[1.0, 4.0], [np.nan, 9.0], [np.nan, np.nan]])
    weights = [1.0, 3.0]
    # row 0: (1 + 12) / 4; 1^(1/4) * 4^(3/4); 4 / (1 + 3/4)
    np.testing.assert_allclose(AGGREGATORS["arithmetic"](values, weights),
                               [13 / 4, 9.0, np.nan])
    np.testing.assert_allclose(AGGREGATORS["geometric"](values, weights),
                               [4 ** 0.75, 9.0, np.nan])
    np.testing.assert_allclose(AGGREGATORS["harmonic"](values, weights),
                               [4 / 1.75, 9.0, np.nan])


@pytest.mark.parametrize("name", ["geometric", "harmonic"])
def test_geometric_and_harmonic_need_positive_values(name):
    with pytest.raises(ValueError, match="positive"):
        AGGREGATORS[name](np.array([[0.0, 1.0]]), [1, 1])


def test_impute_by_group_mean_and_median():
    frame = pd.DataFrame(
        {"x": [1.0, 2.0, 9.0, None, 10.0, None, None],
         "y": [5.0, None, 5.0, 5.0, None, None, 1.0]},
        index=list("abcdefg"),
    )
    groups = pd.Series(["A", "A", "A", "A", "B", "B", None], index=list("abcdefg"))
    mean, mask = impute_by_group(frame, groups, "mean")
    # group A mean of x = (1 + 2 + 9) / 3 = 4; group B mean = 10; g has no group
    assert mean["x"].tolist()[:6] == [1.0, 2.0, 9.0, 4.0, 10.0, 10.0]
    assert math.isnan(mean.at["g", "x"])
    # y: group A has 5s only; group B has no y at all -> stays missing
    assert mean.at["b", "y"] == 5.0
    assert math.isnan(mean.at["e", "y"])
    assert mask.sum().to_dict() == {"x": 2, "y": 1}
    median, _ = impute_by_group(frame, groups, "median")
    assert median.at["d", "x"] == 2.0


def test_carry_forward_keeps_the_year():
    series = pd.DataFrame({
        "entity": ["A", "A", "A", "B", "B"],
        "indicator": ["x", "x", "x", "x", "y"],
        "year": [2018, 2020, 2022, 2016, 2021],
        "value": [1.0, 2.0, None, 7.0, 3.0],
    })
    values, years = carry_forward(series)
    assert values.at["A", "x"] == 2.0 and years.at["A", "x"] == 2020
    assert values.at["B", "x"] == 7.0 and years.at["B", "x"] == 2016
    values, years = carry_forward(series, reference_year=2019)
    assert values.at["A", "x"] == 1.0 and years.at["A", "x"] == 2018
    # x's latest year is 2020: B's 2016 value is 4 years old
    values, _ = carry_forward(series, max_age=3)
    assert "B" not in values.index or math.isnan(values.at["B", "x"])
    assert values.at["B", "y"] == 3.0


SKEWED = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])


def test_skewness_and_kurtosis_against_formulas():
    x = SKEWED
    n = x.size
    m = x.mean()
    s = x.std(ddof=1)
    g1 = n / ((n - 1) * (n - 2)) * np.sum(((x - m) / s) ** 3)
    g2 = (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(((x - m) / s) ** 4)
          - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
    skew, kurt = skew_kurtosis(x)
    assert skew == pytest.approx(g1) and kurt == pytest.approx(g2)
    assert skew > 2 and kurt > 3.5


def test_gii_rule_winsorises_a_skewed_series():
    assert outlier_check(SKEWED)
    result = gii_outlier_treatment(SKEWED)
    assert result.action == "winsorised"
    # the largest value (100, position 11) takes the next value in (30)
    assert result.winsorised == (11,)
    assert result.values.tolist() == SKEWED[:11].tolist() + [30.0]
    assert not outlier_check(result.values)
    assert abs(result.skew_after) <= 2 or result.kurtosis_after <= 3.5


def test_gii_rule_falls_back_to_log_when_winsorising_is_not_enough():
    # Four huge values: one winsorised point is not enough.
    x = np.array([1.0] * 20 + [2.0, 3.0, 1000.0, 2000.0, 3000.0, 4000.0])
    capped, changed = winsorise(x, max_points=1)
    assert len(changed) == 1 and outlier_check(capped)
    result = gii_outlier_treatment(x, max_points=1)
    assert result.action == "log"
    np.testing.assert_allclose(result.values, log_ct(x))
    # log_CT: ln(x - min + 0.01 (max - min)); order is kept
    np.testing.assert_allclose(result.values[-1], math.log(3999 + 39.99))
    assert np.all(np.diff(result.values[np.argsort(x, kind="stable")]) >= 0)


def test_gii_rule_leaves_a_tame_series_alone():
    result = gii_outlier_treatment(np.arange(10.0))
    assert result.action == "none"
    assert result.values.tolist() == list(np.arange(10.0))
