"""The column-wise indicator steps (denominated, screened, normalized) against the
straightforward pandas code they replaced, kept here as the oracle: the whole build
of the real candidate sites, under several settings, gives the same tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from oicplan.data.candidates import candidate_sites
from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.indicators import build_index, load_framework, stages
from oicplan.indicators.settings import STEP_NAMES, StepRecord
from oicplan.indicators.sites import site_inputs
from oicplan.indicators.stages import NORMALIZER_BOUNDS, NORMALIZERS, _leaf_weights
from oicplan.match.matrix import match_matrix
from oicplan.scenario import load_scenario

GUANGDONG = Path(__file__).parents[1] / "geo" / "guangdong.yaml"

# --------------------------------------------------------------------------- the oracle
# The steps as they were before they were vectorized (one Series per indicator, .at per unit).


def _reference_denominated(inputs, fw, s, state: dict) -> dict:
    raw = state["raw"]
    table = pd.DataFrame(index=raw.index)
    for spec in fw.indicators():
        for code in (spec.code, spec.denominator):
            if code and code not in raw.columns:
                raise InputError(f"no data column for indicator {code!r}", field=code)
        column = raw[spec.code].astype(float)
        if spec.denominator:
            divisor = raw[spec.denominator].astype(float)
            column = column / divisor.where(divisor > 0)
        column = column * spec.scale
        if spec.transform == "log":
            column = np.log10(column.where(column > 0))
        elif spec.transform == "log1p":
            column = np.log1p(column.clip(lower=0))
        table[spec.code] = column
    params = {spec.code: {"denominator": spec.denominator, "scale": spec.scale,
                          "transform": spec.transform}
              for spec in fw.indicators() if spec.denominator or spec.transform != "none"
              or spec.scale != 1.0}
    return {"denominated": table, "_record": StepRecord("denominated", params)}


def _reference_screened(inputs, fw, s, state: dict) -> dict:
    data = state["denominated"]
    n_units = len(data.index)
    dropped: dict[str, str] = {}
    for code in data.columns:
        present = data[code].dropna()
        share = len(present) / n_units if n_units else 0.0
        if share < s.min_indicator_coverage:
            dropped[code] = (f"data for {share:.0%} of units < "
                             f"{s.min_indicator_coverage:.0%}")
        elif present.nunique() < 2:
            dropped[code] = "no variation across units"
    usable = data.drop(columns=list(dropped)).notna()
    coverage = pd.DataFrame(index=data.index)
    for pillar in fw.pillars:
        shares = _leaf_weights(pillar)
        coverage[pillar.id] = sum(
            (usable[code] * share if code in usable else 0.0) for code, share in shares.items()
        )
    coverage = coverage.astype(float)
    units_out: dict[str, str] = {}
    overall = coverage.mean(axis=1)
    for unit in data.index:
        empty = [p for p in fw.pillar_ids if coverage.at[unit, p] == 0]
        if s.require_every_pillar and empty:
            units_out[unit] = f"no data for pillar(s) {', '.join(empty)}"
        elif overall[unit] < s.min_coverage:
            units_out[unit] = f"indicator coverage {overall[unit]:.0%} < {s.min_coverage:.0%}"
    keep = [unit for unit in data.index if unit not in units_out]
    kept = [code for code in data.columns if code not in dropped]
    notes = [f"indicator {code} dropped: {why}" for code, why in dropped.items()]
    if units_out:
        notes.append(f"{len(units_out)} unit(s) screened out")
    params = {"min_coverage": s.min_coverage, "require_every_pillar": s.require_every_pillar,
              "min_indicator_coverage": s.min_indicator_coverage}
    return {
        "screened": data.loc[keep, kept],
        "coverage": coverage.loc[keep],
        "screened_out": units_out,
        "dropped_indicators": dropped,
        "_record": StepRecord("screened", params, tuple(notes)),
    }



def _reference_normalized(inputs, fw, s, state: dict) -> dict:
    data = state["treated"]
    kept = data.index
    outside = [unit for unit in state["screened_out"]]
    if s.reference_screened_out and outside:
        reference = state["denominated"].loc[outside, list(data.columns)]
        data = pd.concat([data, reference])
    normalize = NORMALIZERS[s.normalization]
    low, high = (float(v) for v in s.normalization_range)
    table = pd.DataFrame(index=data.index)
    for spec in fw.indicators():
        if spec.code not in data.columns:
            continue
        try:
            values = normalize(data[spec.code].to_numpy(), spec.direction, low=low, high=high,
                               goalposts=spec.goalposts, target=spec.target)
        except ValueError as error:
            raise InputError(f"{error} (indicator {spec.code})",
                             field=f"indicators[{spec.code}]") from None
        table[spec.code] = values
    bounds = NORMALIZER_BOUNDS[s.normalization](len(data.index), low, high)
    params = {"normalization": s.normalization, "normalization_range": [low, high],
              "reference_screened_out": s.reference_screened_out}
    return {"normalized": table.loc[kept], "bounds": bounds,
            "_record": StepRecord("normalized", params)}

_REFERENCE = {
    "denominated": _reference_denominated,
    "screened": _reference_screened,
    "normalized": _reference_normalized,
}


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def inputs():
    """Engine inputs of the real candidates of two scenarios, with their match values."""
    dataset, framework = load_dataset(), load_framework()
    out = {}
    for scenario in ("zhejiang", str(GUANGDONG)):
        sites = candidate_sites(dataset, load_scenario(scenario))
        match = match_matrix(scenario, dataset=dataset, sites=sites)
        values = pd.DataFrame({"SITE.MATCH": match.matrix.mean(axis=0)})
        out[scenario] = site_inputs(dataset, sites, framework, values)
    return framework, out


SETTINGS: list[dict[str, Any]] = [
    {"min_coverage": 0.5},
    {"min_coverage": 0.8, "require_every_pillar": False},
    {"min_coverage": 0.3, "min_indicator_coverage": 0.9},
    {"min_coverage": 0.8, "normalization": "rank", "reference_screened_out": True},
    {"min_coverage": 0.5, "normalization": "zscore", "imputation": "group_mean",
     "treatment": "gii"},
    {"min_coverage": 0.6, "normalization": "minmax", "normalization_range": (1, 100),
     "aggregation": "geometric", "max_age": 6},
]


def _assert_same(fast, slow) -> None:
    for name in STEP_NAMES:
        assert fast.step(name) == slow.step(name)
        pd.testing.assert_frame_equal(fast.data(name), slow.data(name), check_exact=True)
    pd.testing.assert_frame_equal(fast.coverage, slow.coverage, check_exact=True)
    assert fast.screened_out == slow.screened_out
    assert fast.dropped_indicators == slow.dropped_indicators
    assert fast.bounds == slow.bounds


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("scenario", ["zhejiang", str(GUANGDONG)])
def test_build_equals_the_oracle(inputs, monkeypatch, scenario, settings):
    framework, tables = inputs
    raw, years, groups, sources = tables[scenario]

    def build():
        return build_index(framework, raw, years=years, groups=groups, sources=sources,
                           **settings)

    fast = build()
    for name, function in _REFERENCE.items():
        monkeypatch.setitem(stages._STEPS, name, function)
    slow = build()
    _assert_same(fast, slow)
    assert fast.units  # the settings keep some sites
    if settings["min_coverage"] >= 0.8:
        assert fast.screened_out
    if settings.get("min_indicator_coverage"):
        assert fast.dropped_indicators


def test_empty_pillar_and_dropped_indicator_equal_the_oracle(inputs, monkeypatch):
    """A pillar whose only indicator is dropped (no variation) has coverage 0 everywhere."""
    framework, tables = inputs
    raw = tables["zhejiang"][0].assign(**{"TEST.CONSTANT": 1.0})
    data = framework.model_dump(exclude_none=True)
    data["pillars"].append({"id": "constant", "indicators": [{"code": "TEST.CONSTANT"}]})
    fw = type(framework).model_validate(data)
    fast = build_index(fw, raw, min_coverage=0.0, require_every_pillar=False)
    for name, function in _REFERENCE.items():
        monkeypatch.setitem(stages._STEPS, name, function)
    slow = build_index(fw, raw, min_coverage=0.0, require_every_pillar=False)
    assert "TEST.CONSTANT" in fast.dropped_indicators
    assert (fast.coverage["constant"] == 0).all()
    _assert_same(fast, slow)


# --------------------------------------------------------------------------- scipy.stats


def _samples(inputs) -> list[np.ndarray]:
    rng = np.random.default_rng(9)
    framework, tables = inputs
    raw = tables["zhejiang"][0]
    real = [raw[code].to_numpy(dtype=float) for code in raw.columns]
    made = [rng.lognormal(0, 2, 50), rng.normal(5, 1, 7), rng.integers(0, 4, 30).astype(float),
            np.r_[np.arange(1.0, 11.0), 30, 100], np.array([1.0, 1.0, 1.0, 2.0]),
            1e6 + rng.normal(0, 1e-3, 20)]
    return real + made


def test_skew_kurtosis_equal_scipy(inputs):
    from scipy.stats import kurtosis, skew

    from oicplan.indicators.steps import skew_kurtosis

    for values in _samples(inputs):
        data = values[np.isfinite(values)]
        s, k = skew_kurtosis(values)
        if data.size < 4 or np.ptp(data) == 0:
            assert (s, k) == (0.0, 0.0)
            continue
        np.testing.assert_allclose(s, skew(data, bias=False), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(k, kurtosis(data, fisher=True, bias=False), rtol=1e-12,
                                   atol=1e-12)


def test_rankdata_equals_scipy(inputs):
    from scipy.stats import rankdata as scipy_rankdata

    from oicplan.indicators.steps import rankdata

    for values in _samples(inputs):
        data = values[np.isfinite(values)]
        for method in ("average", "min"):
            expected = scipy_rankdata(data, method=method)
            assert np.array_equal(rankdata(data, method), expected)
            assert np.array_equal(rankdata(-np.round(data, 12), method),
                                  scipy_rankdata(-np.round(data, 12), method=method))
    with pytest.raises(ValueError):
        rankdata([1.0], "dense")
