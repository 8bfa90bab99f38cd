"""Ranking a scenario's candidates: filters, the pillar scores, and TOPSIS checked by pymcdm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from oicplan.data import load_dataset
from oicplan.errors import InputError
from oicplan.ranking import candidate_sites, rank_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def ranked():
    return rank_sites(load_scenario("zhejiang"))


def test_ranks_start_at_one_and_follow_the_scores(ranked):
    table = ranked.table
    assert table["rank"].min() == 1
    assert (np.diff(table["score"].to_numpy()) <= 1e-12).all()
    assert table["rank"].is_monotonic_increasing


def test_topsis_scores_match_pymcdm(ranked):
    """Independent oracle: pymcdm's TOPSIS with vector normalization on the same pillars."""
    pillars = [p for p in ranked.pillar_ids if ranked.weights[p] > 0]
    matrix = ranked.table[[f"pillar_{p}" for p in pillars]].to_numpy()
    types = np.array(
        [-1 if ranked.scores.framework.pillar(p).direction == "min" else 1 for p in pillars]
    )
    weights = np.array([ranked.weights[p] for p in pillars])
    expected = TOPSIS(normalization_function=vector_normalization)(matrix, weights, types)
    np.testing.assert_allclose(ranked.table["score"].to_numpy(), expected, rtol=0, atol=1e-9)


def test_candidates_follow_the_filter():
    dataset = load_dataset()
    scenario = load_scenario("zhejiang")
    sites = candidate_sites(dataset, scenario)
    statuses = dataset.countries.loc[sites["iso3"].unique(), "bri_status"]
    assert statuses.notna().all()  # every candidate economy is a listed partner
    assert not statuses.str.startswith("withdrawn").any()
    assert "USA" not in set(sites["iso3"])
    wider = candidate_sites(dataset, load_scenario("st_leader"))
    assert {"USA", "JPN", "ISR"} <= set(wider["iso3"])


def test_risk_is_a_cost():
    """With all weight on risk, the best-ranked site is the one with the lowest risk."""
    weights = {"risk": 1.0, "innovation": 0.0}
    ranked = rank_sites(load_scenario("zhejiang").model_copy(update={"weights": weights}))
    table = ranked.table
    assert table.iloc[0]["pillar_risk"] == table["pillar_risk"].min()
    assert table.iloc[-1]["pillar_risk"] == table["pillar_risk"].max()


def test_unknown_country_in_include_is_named():
    scenario = load_scenario("zhejiang").model_copy(
        update={
            "candidates": load_scenario("zhejiang").candidates.model_copy(
                update={"include": ["ATL"]}
            )
        }
    )
    with pytest.raises(InputError, match="ATL"):
        rank_sites(scenario)


def test_weight_for_unknown_pillar_is_named():
    scenario = load_scenario("zhejiang").model_copy(update={"weights": {"charm": 1.0}})
    with pytest.raises(InputError) as error:
        rank_sites(scenario)
    assert error.value.field == "weights.charm"


def test_scenario_index_settings_reach_the_engine():
    scenario = load_scenario("zhejiang")
    plain = rank_sites(scenario)
    imputed = rank_sites(
        scenario.model_copy(update={"index_settings": {"imputation": "group_mean"}})
    )
    assert imputed.scores.index.settings.imputation == "group_mean"
    assert not plain.table["score"].equals(imputed.table["score"])


def test_monte_carlo_draws_among_index_variants():
    """Imputation and outlier-treatment choices widen the rank intervals."""
    scenario = load_scenario("zhejiang")
    plain = rank_sites(scenario)
    settings = scenario.uncertainty.model_copy(
        update={"variants": [{"imputation": "group_mean"}, {"treatment": "gii"}]}
    )
    wide = rank_sites(scenario.model_copy(update={"uncertainty": settings}))
    assert wide.uncertainty.matrix_names == ("base", "imputation=group_mean", "treatment=gii")
    width = (wide.table["rank_p95"] - wide.table["rank_p5"]).sum()
    assert width > (plain.table["rank_p95"] - plain.table["rank_p5"]).sum()


def test_unknown_variant_setting_is_named():
    scenario = load_scenario("zhejiang")
    settings = scenario.uncertainty.model_copy(update={"variants": [{"flavour": "mint"}]})
    with pytest.raises(InputError) as error:
        rank_sites(scenario.model_copy(update={"uncertainty": settings}))
    assert error.value.field == "uncertainty.variants"


def test_a_second_ranking_comes_from_the_cache_and_equals_a_fresh_one(ranked):
    from oicplan.pipeline_cache import caching

    again = rank_sites(load_scenario("zhejiang"))
    with caching(False):
        fresh = rank_sites(load_scenario("zhejiang"))
    for other in (again, fresh):
        pd.testing.assert_frame_equal(other.table, ranked.table)
        pd.testing.assert_frame_equal(other.scores.pillars, ranked.scores.pillars)
        pd.testing.assert_frame_equal(other.match.matrix, ranked.match.matrix)
        assert other.match.explanations == fresh.match.explanations


def test_a_caller_cannot_change_what_the_cache_holds(ranked):
    """Changing a result's tables or explanations leaves the next ranking as it was."""
    first = rank_sites(load_scenario("zhejiang"))
    expected = first.table.copy()
    first.scores.pillars.iloc[:, :] = 0.0
    first.scores.sites.loc[:, "name"] = "changed"
    first.match.matrix.iloc[:, :] = 0.0
    industry = next(iter(first.match.explanations))
    with pytest.raises(TypeError, match="cannot be changed"):
        first.match.explanations[industry] = {}
    site = next(iter(first.match.explanations[industry]))
    with pytest.raises(TypeError, match="cannot be changed"):
        first.match.explanations[industry][site]["score"] = 0.0
    second = rank_sites(load_scenario("zhejiang"))
    pd.testing.assert_frame_equal(second.table, expected)
    assert (second.match.matrix.fillna(1.0) > 0).any().any()
    assert not second.scores.pillars.eq(0.0).all().all()


def test_a_changed_match_preset_or_index_setting_ranks_afresh(ranked):
    """The match and the indicator build are keyed by the settings they read."""
    scenario = load_scenario("zhejiang")
    near = scenario.model_copy(
        update={"match": scenario.match.model_copy(update={"preset": "near"})}
    )
    assert not rank_sites(near).match.matrix.equals(ranked.match.matrix)
    changed = scenario.model_copy(update={"index_settings": {"imputation": "group_mean"}})
    other = rank_sites(changed)
    assert not other.scores.pillars.equals(ranked.scores.pillars)
    assert rank_sites(scenario).scores.pillars.equals(ranked.scores.pillars)


def test_the_sobol_analysis_is_made_on_first_use_and_equals_the_direct_one(monkeypatch):
    """A re-rank does not pay for the Sobol indices; the report gets the same ones."""
    import oicplan.ranking as ranking_module
    from oicplan.uncertainty import sobol_analysis

    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return sobol_analysis(*args, **kwargs)

    monkeypatch.setattr(ranking_module, "sobol_analysis", counted)
    ranked = rank_sites(load_scenario("zhejiang"))
    assert calls == []
    ranked.scores.pillars.iloc[:, :] = 0.0  # later changes do not reach the analysis
    first = ranked.sobol
    assert calls == [1] and ranked.sobol is first and calls == [1]
    used = [p for p in ranked.pillar_ids if ranked.weights[p] > 0]
    matrix = ranked.table.sort_values("site_id")
    assert set(first.alternatives) == set(matrix["site_id"])
    assert list(first.inputs) == [p for p in used if p in first.inputs]
    assert first.first_order.shape == (len(ranked.table), len(first.inputs))
    other = rank_sites(load_scenario("zhejiang")).sobol  # a fresh ranking, not zeroed
    assert first.alternatives == other.alternatives
    assert (first.first_order == other.first_order).all()
    assert (first.rank_total_order == other.rank_total_order).all()
