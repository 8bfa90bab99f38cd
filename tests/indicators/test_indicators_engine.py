"""The engine: steps and their records, depth-3 trees, weights, rebuild, compare, sites."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.indicators import (
    BuildSettings,
    Framework,
    build_index,
    compare,
    load_framework,
    score_sites,
)
from oicplan.indicators.engine import STEP_NAMES
from oicplan.mcda.weights import AHPConsistencyWarning, ahp_weights, entropy_weights

FLAT = Framework.model_validate({"name": "flat", "pillars": [
    {"id": "p", "indicators": [{"code": "x"}, {"code": "y", "direction": "min", "weight": 3}]},
    {"id": "q", "direction": "min", "indicators": [
        {"code": "z", "denominator": "pop", "scale": 10}]},
]})

RAW = pd.DataFrame(
    {"x": [0.0, 5.0, 10.0, None], "y": [4.0, 0.0, 2.0, 1.0], "z": [1.0, 4.0, 2.0, 3.0],
     "pop": [1.0, 2.0, 1.0, 1.0]},
    index=["a", "b", "c", "d"],
)

DEEP = Framework.model_validate({"name": "deep", "aggregation": "geometric", "pillars": [
    {"id": "A", "children": [
        {"id": "A1", "aggregation": "harmonic",
         "indicators": [{"code": "a"}, {"code": "b"}]},
        {"id": "A2", "indicators": [{"code": "c"}]},
    ]},
    {"id": "B", "direction": "min", "indicators": [{"code": "d"}]},
]})

DEEP_RAW = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [2.0, 1.0, 0.0], "c": [0.0, 2.0, 1.0],
                         "d": [0.0, 1.0, 2.0]}, index=["u1", "u2", "u3"])


def test_every_step_keeps_its_table_and_parameters():
    index = build_index(FLAT, RAW)
    assert [step.name for step in index.steps] == list(STEP_NAMES)
    for name in STEP_NAMES:
        assert isinstance(index.data(name), pd.DataFrame)
    assert index.step("normalized").params["normalization"] == "minmax"
    assert index.step("denominated").params["z"] == {"denominator": "pop", "scale": 10.0,
                                                     "transform": "none"}
    # z / pop * 10
    assert index.denominated["z"].tolist() == [10.0, 20.0, 20.0, 30.0]


def test_flat_index_by_hand():
    index = build_index(FLAT, RAW, min_coverage=0.0)
    n = index.normalized
    # x: min 0, max 10 (d missing); y is a cost: (4 - y) / 4; z': 10, 20, 20, 30
    assert n["x"].tolist()[:3] == [0.0, 0.5, 1.0] and math.isnan(n.at["d", "x"])
    assert n["y"].tolist() == [0.0, 1.0, 0.5, 0.75]
    assert n["z"].tolist() == [0.0, 0.5, 0.5, 1.0]
    p = index.aggregated["p"]
    # weights 1 and 3; d has y only (available case)
    assert p.tolist() == pytest.approx([0.0, (0.5 + 3) / 4, (1 + 1.5) / 4, 0.75])
    # q is "min": reflected (1 - q) into the index, equal pillar weights
    expected = [(p[u] + 1 - n.at[u, "z"]) / 2 for u in "abcd"]
    assert index.scores.tolist() == pytest.approx(expected)
    assert index.ranks.to_dict() == {"a": 3, "b": 1, "c": 2, "d": 4}
    # pillar q keeps its own orientation (larger = more of q)
    assert index.pillars["q"].tolist() == n["z"].tolist()
    assert index.coverage.loc["d"].tolist() == [0.75, 1.0]


def test_depth_three_with_mixed_aggregation():
    index = build_index(DEEP, DEEP_RAW, normalization_range=(1, 100))
    n = index.normalized
    assert n["a"].tolist() == [1.0, 50.5, 100.0]
    assert n["b"].tolist() == [100.0, 50.5, 1.0]
    harmonic_1_100 = 2 / (1 / 1 + 1 / 100)
    a1 = [harmonic_1_100, 50.5, harmonic_1_100]
    assert index.aggregated["A1"].tolist() == pytest.approx(a1)
    a = [(a1[0] + 1) / 2, (a1[1] + 100) / 2, (a1[2] + 50.5) / 2]
    assert index.aggregated["A"].tolist() == pytest.approx(a)
    b_reflected = [101 - 1, 101 - 50.5, 101 - 100]
    expected = [math.sqrt(a[i] * b_reflected[i]) for i in range(3)]
    assert index.scores.tolist() == pytest.approx(expected)
    assert index.level(2).columns.tolist() == ["A1", "A2"]
    assert index.step("aggregated").params["aggregation"]["A1"] == "harmonic"
    assert index.step("aggregated").params["aggregation"]["index"] == "geometric"


def test_geometric_on_zero_scores_says_how_to_fix_it():
    with pytest.raises(InputError, match="normalization_range") as caught:
        build_index(DEEP, DEEP_RAW)
    assert caught.value.field == "aggregation.A1"


def test_aggregation_override_by_depth_and_node():
    index = build_index(DEEP, DEEP_RAW, aggregation={0: "arithmetic", "A1": "arithmetic"})
    assert index.aggregated["A1"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert index.step("aggregated").params["aggregation"]["index"] == "arithmetic"


def test_screening_keeps_reasons():
    raw = RAW.copy()
    raw.loc["e"] = [None, None, 1.0, 1.0]
    raw["w"] = [1.0, None, None, None, None]
    fw = Framework.model_validate({"name": "s", "pillars": [
        {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}, {"code": "w"}]},
        {"id": "q", "indicators": [{"code": "z"}]}]})
    index = build_index(fw, raw, min_indicator_coverage=0.5, min_coverage=0.8)
    assert index.dropped_indicators == {"w": "data for 20% of units < 50%"}
    assert index.screened_out["e"] == "no data for pillar(s) p"
    # d: p has y only of x, y, w -> 1/3; q 1 -> mean 2/3 < 0.8
    assert index.screened_out["d"] == "indicator coverage 67% < 80%"
    assert index.units == ["a", "b", "c"]
    assert "w" not in index.normalized.columns
    assert any("dropped" in note for note in index.notes)


def test_constant_indicator_is_dropped_with_a_reason():
    raw = RAW.assign(y=1.0)
    index = build_index(FLAT, raw, min_coverage=0.0)
    assert index.dropped_indicators == {"y": "no variation across units"}


def test_imputation_by_group_in_the_pipeline():
    groups = pd.DataFrame({"wb_region": ["R1", "R2", "R2", "R1"]}, index=RAW.index)
    index = build_index(FLAT, RAW, groups=groups, imputation="group_mean", min_coverage=0.0)
    # d's x takes the mean of x in its region R1 (only a: 0)
    assert index.imputed.at["d", "x"] == 0.0
    assert index.imputed_mask["x"].tolist() == [False, False, False, True]
    assert index.screened.at["d", "x"] != index.screened.at["d", "x"]  # still missing there
    with pytest.raises(InputError, match="no group column"):
        index.rebuild(imputation_group="continent")


def test_ages_and_max_age():
    years = pd.DataFrame({"x": [2020, 2023, 2015, None], "y": 2023, "z": 2023, "pop": 2023},
                         index=RAW.index)
    index = build_index(FLAT, RAW, years=years, min_coverage=0.0)
    assert index.ages["x"].tolist()[:3] == [3.0, 0.0, 8.0]
    older = index.rebuild(max_age=5)
    assert math.isnan(older.raw.at["c", "x"])
    assert older.raw.at["a", "x"] == 0.0
    assert "older than 5 years" in older.step("raw").notes[0]


def test_rebuild_changes_only_what_it_should():
    index = build_index(FLAT, RAW, min_coverage=0.0)
    ranked = index.rebuild(normalization="rank")
    for name in ("raw", "denominated", "screened", "imputed", "treated"):
        assert ranked.data(name) is index.data(name)
    assert ranked.normalized["x"].tolist()[:3] == [1.0, 2.0, 3.0]
    assert not ranked.normalized.equals(index.normalized)
    assert ranked.settings.normalization == "rank" and index.settings.normalization == "minmax"
    reweighted = index.rebuild(weights={"p": {"y": 1}})
    assert reweighted.normalized is index.normalized
    assert reweighted.weights["p"] == {"x": 0.5, "y": 0.5}
    assert index.weights["p"] == {"x": 0.25, "y": 0.75}
    assert reweighted.aggregated["q"].equals(index.aggregated["q"])
    assert not reweighted.aggregated["p"].equals(index.aggregated["p"])
    same = index.rebuild(normalization="minmax")
    assert same.aggregated is index.aggregated
    with pytest.raises(InputError, match="unknown setting"):
        index.rebuild(normalisation="rank")
    with pytest.raises(InputError, match="unknown normalization"):
        index.rebuild(normalization="softmax")


def test_compare_reports_rank_changes():
    index = build_index(FLAT, RAW, min_coverage=0.0)
    other = index.rebuild(weights={"p": {"y": 0.001}})
    table = compare(index, other)
    assert list(table.columns) == ["score_a", "rank_a", "score_b", "rank_b", "rank_change"]
    for unit in table.index:
        assert table.at[unit, "rank_change"] == (index.ranks[unit] - other.ranks[unit])
    assert table["rank_change"].abs().sum() > 0
    assert compare(index, index)["rank_change"].eq(0).all()
    screened = index.rebuild(min_coverage=0.9)
    assert pd.isna(compare(index, screened).at["d", "rank_b"])


def test_ahp_weights_with_consistency_figures():
    pairwise = [[1, 3], [1 / 3, 1]]
    index = build_index(FLAT, RAW, min_coverage=0.0, weighting={"index": "ahp"},
                        pairwise={"index": pairwise})
    assert index.weights["index"] == pytest.approx({"p": 0.75, "q": 0.25})
    assert index.weight_details["index"]["cr"] == 0.0
    fw = Framework.model_validate({"name": "t", "pillars": [
        {"id": "p", "weighting": "ahp",
         "pairwise": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
         "indicators": [{"code": "x"}, {"code": "y"}, {"code": "z"}]}]})
    with pytest.warns(AHPConsistencyWarning):
        inconsistent = build_index(fw, RAW, min_coverage=0.0)
    detail = inconsistent.weight_details["p"]
    expected = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], warn=False)
    assert detail["cr"] == pytest.approx(expected.cr) and detail["cr"] > 0.10
    assert detail["lambda_max"] == pytest.approx(expected.lambda_max)
    assert not detail["consistent"]
    assert any("0.10" in note for note in inconsistent.notes)


def test_group_ahp_and_missing_matrix():
    index = build_index(FLAT, RAW, min_coverage=0.0, weighting={"index": "group_ahp"},
                        pairwise={"index": [[[1, 4], [1 / 4, 1]], [[1, 1], [1, 1]]]})
    assert index.weights["index"] == pytest.approx({"p": 2 / 3, "q": 1 / 3})
    with pytest.raises(InputError, match="needs pairwise"):
        build_index(FLAT, RAW, weighting="ahp")


def test_objective_weights_reuse_mcda():
    index = build_index(FLAT, RAW, min_coverage=0.0, weighting={"p": "entropy"})
    complete = index.children("p").dropna()
    expected = entropy_weights(complete.to_numpy())
    assert list(index.weights["p"].values()) == pytest.approx(expected.tolist())
    for method in ("critic", "std", "equal"):
        weights = index.rebuild(weighting=method).weights
        assert all(sum(w.values()) == pytest.approx(1.0) for w in weights.values())


def test_gii_treatment_step_records_actions():
    raw = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100],
                        "y": np.arange(12.0)}, index=[f"u{i}" for i in range(12)])
    fw = Framework.model_validate({"name": "t", "pillars": [
        {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}]}]})
    index = build_index(fw, raw, treatment="gii")
    assert index.treatment.loc["x", "action"] == "winsorised"
    assert index.treatment.loc["x", "winsorised"] == "u11"
    assert index.treatment.loc["y", "action"] == "none"
    assert index.treated.at["u11", "x"] == 30.0
    assert index.step("treated").params["winsor_max_points"] == 5


def test_settings_are_checked():
    with pytest.raises(InputError, match="aggregation"):
        BuildSettings(aggregation={"p": "median"})
    with pytest.raises(InputError, match="normalization_range"):
        BuildSettings(normalization_range=(1, 1))


def _old_score_sites(dataset, sites, framework, min_coverage, site_values=None):
    """The pillar scores as oicplan computed them before the engine (the oracle)."""
    from oicplan.indicators.sites import site_inputs

    sites = sites.set_index("site_id", drop=False)
    raw, _, _, _ = site_inputs(dataset, sites, framework, site_values)
    pillars = pd.DataFrame(index=sites.index)
    coverage = pd.DataFrame(index=sites.index)
    for pillar in framework.pillars:
        weighted = pd.Series(0.0, index=sites.index)
        weight_sum = pd.Series(0.0, index=sites.index)
        for spec in pillar.indicators:
            column = raw[spec.code]
            if spec.denominator:
                column = column / raw[spec.denominator].where(raw[spec.denominator] > 0)
            column = column * spec.scale
            if spec.transform == "log":
                column = np.log10(column.where(column > 0))
            elif spec.transform == "log1p":
                column = np.log1p(column.clip(lower=0))
            low, high = column.min(), column.max()
            if not np.isfinite(low) or high == low:
                normalized = pd.Series(np.nan, index=sites.index)
            else:
                normalized = (column - low) / (high - low)
                if spec.direction == "min":
                    normalized = 1 - normalized
            weighted += normalized.fillna(0.0) * spec.weight
            weight_sum += normalized.notna() * spec.weight
        pillars[pillar.id] = (weighted / weight_sum).where(weight_sum > 0)
        coverage[pillar.id] = weight_sum / sum(spec.weight for spec in pillar.indicators)
    out = {}
    for site in sites.index:
        if pillars.loc[site].isna().any():
            out[site] = "missing"
        elif coverage.loc[site].mean() < min_coverage:
            out[site] = "coverage"
    keep = [site for site in sites.index if site not in out]
    return pillars.loc[keep], coverage.loc[keep], out


def _without_age_limits(framework):
    """The framework with no maximum age anywhere (the original computation had none)."""
    raw = framework.model_dump()
    raw["max_age"] = None
    for pillar in raw["pillars"]:
        for spec in pillar["indicators"]:
            spec["max_age"] = None
    return type(framework).model_validate(raw)


def test_default_age_limits_drop_only_values_past_them():
    dataset = load_dataset()
    sites = dataset.sites[dataset.sites["iso3"].isin(["SRB", "DEU", "KEN"])]
    match = pd.DataFrame({"SITE.MATCH": 0.5}, index=sites["site_id"])
    framework = load_framework()
    limited = score_sites(dataset, sites, framework, site_values=match)
    free = score_sites(dataset, sites, _without_age_limits(framework), site_values=match)
    ages = free.index.ages
    limits = pd.Series({code: framework.max_age_for(code) for code in ages.columns}, dtype=float)
    too_old = ages.gt(limits, axis="columns")
    assert too_old.any().any()  # the default data have values past their limit
    kept = limited.index.raw.notna()
    assert not (kept & too_old.reindex_like(kept).fillna(False)).any().any()
    assert (kept | too_old.reindex_like(kept).fillna(False)).equals(free.index.raw.notna()
                                                                     | too_old)


def test_score_sites_reproduces_the_original_computation():
    dataset = load_dataset()
    sites = dataset.sites[dataset.sites["iso3"].isin(
        ["DEU", "KEN", "COK", "NIU", "VNM", "SRB", "PER", "SGP", "TUV"])]
    framework = _without_age_limits(load_framework())
    # A varied match column (as oicplan.match would give), with one gap.
    match = pd.DataFrame(
        {"SITE.MATCH": np.linspace(0.2, 0.9, len(sites))}, index=sites["site_id"]
    )
    match.iloc[0, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = score_sites(dataset, sites, framework, min_coverage=0.6, site_values=match)
    pillars, coverage, out = _old_score_sites(dataset, sites, framework, 0.6, match)
    assert set(scores.screened_out) == set(out)
    pd.testing.assert_frame_equal(scores.pillar_matrix(), pillars, check_names=False,
                                  atol=1e-12, rtol=0)
    pd.testing.assert_frame_equal(scores.coverage, coverage, check_names=False, atol=1e-12)
    assert scores.index is not None and scores.index.units == list(scores.sites.index)
    assert set(scores.years.columns) >= {"GB.XPD.RSDV.GD.ZS", "SITE.ZONE"}
    assert scores.sources["SITE.ZONE"] == "facts/zhejiang_zones"
