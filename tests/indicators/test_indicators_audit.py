"""The audit: Cronbach's alpha and PCA against direct formulas, correlations, profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oicplan.indicators import (
    Framework,
    audit,
    build_index,
    cronbach_alpha,
    pca,
    strengths_weaknesses,
)
from oicplan.indicators.audit import correlations

RNG = np.random.default_rng(7)
FRAME = pd.DataFrame(RNG.normal(size=(30, 4)), columns=list("abcd"))
FRAME["b"] += FRAME["a"]
FRAME["c"] += 0.5 * FRAME["a"]

FW = Framework.model_validate({"name": "t", "pillars": [
    {"id": "p", "indicators": [{"code": "a"}, {"code": "b"}, {"code": "c"}]},
    {"id": "q", "direction": "min", "indicators": [{"code": "d"}]},
]})


def test_cronbach_alpha_against_the_formula():
    x = FRAME.to_numpy()
    k = x.shape[1]
    expected = k / (k - 1) * (1 - sum(np.var(x[:, j], ddof=1) for j in range(k))
                              / np.var(x.sum(axis=1), ddof=1))
    assert cronbach_alpha(FRAME) == pytest.approx(expected)
    # alpha from the mean inter-item covariance: k c / (v + (k - 1) c) (standard identity)
    cov = np.cov(x, rowvar=False)
    v_bar = np.mean(np.diag(cov))
    c_bar = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert cronbach_alpha(FRAME) == pytest.approx(k * c_bar / (v_bar + (k - 1) * c_bar))
    assert np.isnan(cronbach_alpha(FRAME[["a"]]))


def test_cronbach_alpha_skips_incomplete_rows():
    frame = FRAME.copy()
    frame.iloc[0, 0] = np.nan
    assert cronbach_alpha(frame) == pytest.approx(cronbach_alpha(FRAME.iloc[1:]))


def test_pca_against_eigenvalues_of_the_correlation_matrix():
    result = pca(FRAME)
    eigenvalues = np.sort(np.linalg.eigvalsh(FRAME.corr().to_numpy()))[::-1]
    assert result.eigenvalues == pytest.approx(eigenvalues.tolist())
    assert result.explained_variance_ratio == pytest.approx((eigenvalues / 4).tolist())
    assert sum(result.explained_variance_ratio) == pytest.approx(1.0)
    first = result.loadings["PC1"].to_numpy()
    corr = FRAME.corr().to_numpy()
    np.testing.assert_allclose(corr @ first, eigenvalues[0] * first, atol=1e-10)
    assert result.n_units == 30


def test_audit_of_an_index():
    raw = FRAME.copy()
    raw.index = [f"u{i}" for i in range(30)]
    index = build_index(FW, raw)
    report = audit(index)
    children = index.normalized[["a", "b", "c"]]
    assert report.alpha["p"] == pytest.approx(cronbach_alpha(children))
    assert report.pca["p"].explained_variance_ratio == pytest.approx(
        pca(children).explained_variance_ratio)
    assert np.isnan(report.alpha["q"])
    within = report.within["p"]
    assert within.columns.tolist() == ["a", "b", "c", "p"]
    assert within.at["a", "b"] == pytest.approx(raw["a"].corr(raw["b"]))
    # across: q enters the index reflected, so its column is 1 - q
    across = report.across
    assert across.columns.tolist() == ["p", "q", "index"]
    assert across.at["q", "p"] == pytest.approx(-index.pillars["q"].corr(index.pillars["p"]))
    assert report.indicators.loc["a", "parent"] == "p"
    assert report.indicators.loc["d", "corr_parent"] == pytest.approx(1.0)
    assert set(report.summary().columns) == {"children", "alpha", "pc1_share"}
    assert correlations(index).equals(across)


def test_strengths_and_weaknesses_by_normalized_score():
    raw = pd.DataFrame({"a": [0.0, 10.0, 5.0], "b": [3.0, 2.0, 1.0], "c": [1.0, 2.0, 3.0],
                        "d": [0.0, 4.0, 1.0]}, index=["x", "y", "z"])
    index = build_index(FW, raw)
    profile = strengths_weaknesses(index, "z", n=2)
    # z: a 0.5, b 0.0, c 1.0, d 0.25
    assert profile["strengths"].index.tolist() == ["c", "a"]
    assert profile["weaknesses"].index.tolist() == ["b", "d"]
    assert profile["strengths"].loc["c", "rank"] == 1
    assert profile["weaknesses"].loc["b", "parent"] == "p"
