"""The plan: K sites under the per-country cap, every strategy served, modes by rule."""

from __future__ import annotations

import json

import pytest

from oicplan.errors import InfeasibleError
from oicplan.plan import CENTER_MODES, assign_mode, make_plan
from oicplan.report import write_plan
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


def test_k_sites_within_the_per_country_cap(plan):
    assert len(plan.chosen) == plan.scenario.centers == 12
    assert plan.chosen["iso3"].value_counts().max() <= plan.scenario.per_country_cap
    assert plan.chosen["site_id"].is_unique


def test_every_strategy_is_served(plan):
    assert set(plan.scenario.strategies) <= set(plan.chosen["strategy"])
    for row in plan.chosen.itertuples():
        assert row.strategy in row.eligible


def test_existing_centers_are_not_chosen_again(plan):
    assert not plan.chosen["types"].str.contains("existing_center").any()
    assert set(plan.existing["site_id"]) >= {"RUS-moscow", "SGP-singapore"}


def test_greedy_fills_by_rank(plan):
    """Apart from the strategy picks, no better-ranked site was skipped without cause."""
    table = plan.ranked.table
    best_unchosen = table[
        ~table["site_id"].isin(plan.chosen["site_id"])
        & ~table["types"].str.contains("existing_center")
    ]
    caps = plan.chosen["iso3"].value_counts()
    for row in best_unchosen.itertuples():
        if row.rank < plan.chosen["rank"].max():
            assert caps.get(row.iso3, 0) >= plan.scenario.per_country_cap, row.site_id


def test_modes_follow_the_stated_rules(plan):
    assert set(plan.chosen["mode"]) <= set(CENTER_MODES)
    for _, row in plan.chosen.iterrows():
        assert assign_mode(row)[0] == row["mode"]
        if "zone" in row["types"]:
            assert row["mode"] == "zone_upgrade"


def test_plan_json_has_the_promised_keys(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan", "en")
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert {"scenario", "dataset", "created", "sites"} <= set(document)
    assert document["dataset"]["version"] == plan.dataset.version
    for site in document["sites"]:
        assert {
            "name",
            "iso3",
            "lat",
            "lon",
            "site_type",
            "mode",
            "strategy",
            "score",
            "rank",
            "pillars",
        } <= set(site)
        assert set(site["pillars"]) == set(plan.ranked.pillar_ids)


def test_too_many_centers_is_refused_with_the_reason():
    with pytest.raises(InfeasibleError, match="centers"):
        make_plan(load_scenario("zone_upgrade"), centers=10_000)


def test_same_inputs_same_plan(plan):
    again = make_plan(load_scenario("zhejiang"))
    assert again.chosen["site_id"].tolist() == plan.chosen["site_id"].tolist()


def test_plan_json_carries_each_sites_rank_interval(plan):
    document = plan.to_dict()
    for site in document["sites"]:
        interval = site["rank_interval"]
        assert interval["p5"] <= interval["median"] <= interval["p95"]
        assert 0.0 <= interval["top_k_frequency"] <= 1.0
    assert document["method"]["uncertainty"]["samples"] == plan.scenario.uncertainty.samples


def test_no_spread_means_a_point_interval_at_the_rank():
    scenario = load_scenario("zhejiang")
    scenario = scenario.model_copy(
        update={
            "uncertainty": scenario.uncertainty.model_copy(update={"spread": 0.0, "samples": 50})
        }
    )
    still = make_plan(scenario)
    for site in still.to_dict()["sites"]:
        interval = site["rank_interval"]
        assert interval["p5"] == interval["median"] == interval["p95"] == site["rank"]
