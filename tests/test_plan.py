"""The plan: K sites under the per-country cap, every strategy served, modes by rule."""

from __future__ import annotations

import pandas as pd
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.plan import CENTER_MODES, assign_mode, make_plan
from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


def test_k_sites_within_the_per_country_cap(plan):
    """The cap counts existing centers too."""
    assert len(plan.chosen) == plan.scenario.centers == 12
    counts = pd.concat([plan.chosen["iso3"], plan.existing["iso3"]]).value_counts()
    assert counts.max() <= plan.scenario.per_country_cap
    assert plan.chosen["site_id"].is_unique


def test_every_strategy_is_served(plan):
    assert set(plan.scenario.strategies) <= set(plan.chosen["strategy"])
    for row in plan.chosen.itertuples():
        assert row.strategy in row.eligible


def test_existing_centers_are_not_chosen_again(plan):
    assert not plan.chosen["types"].str.contains("existing_center").any()
    # Alibaba's DAMO labs in Moscow and Singapore were only announced (facts table):
    # not existing centers unless a scenario counts unconfirmed facts.
    assert not set(plan.existing["site_id"]) & {"RUS-moscow", "SGP-singapore"}


def test_a_scenario_counting_unconfirmed_facts_treats_announced_labs_as_existing():
    scenario = load_scenario("zhejiang")
    scenario = scenario.model_copy(
        update={"facts": scenario.facts.model_copy(update={"include_unconfirmed": True})}
    )
    counted = make_plan(scenario)
    assert set(counted.existing["site_id"]) >= {"RUS-moscow", "SGP-singapore"}
    assert not counted.chosen["types"].str.contains("existing_center").any()
    cap = pd.concat([counted.chosen["iso3"], counted.existing["iso3"]]).value_counts()
    assert cap.max() <= scenario.per_country_cap


@pytest.fixture(scope="module")
def greedy_plan():
    scenario = load_scenario("zhejiang")
    selection = scenario.selection.model_copy(update={"method": "greedy"})
    return make_plan(scenario.model_copy(update={"selection": selection}))


def test_greedy_fills_by_rank(greedy_plan):
    """Apart from the strategy picks, no better-ranked site was skipped without cause."""
    plan = greedy_plan
    table = plan.ranked.table
    best_unchosen = table[
        ~table["site_id"].isin(plan.chosen["site_id"])
        & ~table["types"].str.contains("existing_center")
    ]
    caps = pd.concat([plan.chosen["iso3"], plan.existing["iso3"]]).value_counts()
    for row in best_unchosen.itertuples():
        if row.rank < plan.chosen["rank"].max():
            assert caps.get(row.iso3, 0) >= plan.scenario.per_country_cap, row.site_id


def test_greedy_modes_follow_the_stated_rules(greedy_plan):
    assert set(greedy_plan.chosen["mode"]) <= set(CENTER_MODES)
    for _, row in greedy_plan.chosen.iterrows():
        assert assign_mode(row)[0] == row["mode"]
        if "zone" in row["types"]:
            assert row["mode"] == "zone_upgrade"


def test_optimizer_modes_are_the_rule_or_say_why(plan):
    assert plan.layout is not None and plan.layout.status == "optimal"
    for _, row in plan.chosen.iterrows():
        if row["mode"] == assign_mode(row)[0]:
            assert row["mode_reason"] != "optimizer"
        else:
            assert row["mode_reason"] == "optimizer"


def _portfolio_value(plan, site_modes):
    """Objective of the layout model for open centers {site_id: mode} (no capacity limits):
    each industry's best match among them, plus each center's quality (the ranking
    score, x 0.9 outside the rule mode, x (0.8 + 0.2 x the mode's fit)), the k-th of an
    economy (the model's diversity group) counting delta^(k-1) of it (issue 13)."""
    from oicplan.assumptions import value
    from oicplan.match.modes import mode_scores

    table = plan.ranked.table.set_index("site_id")
    fit = mode_scores(plan.ranked.table).set_index(["site_id", "mode"])["fit"]
    match = plan.ranked.match.matrix.fillna(0.0)
    sites = list(site_modes)
    demand = match[sites].max(axis=1).sum()
    inputs = plan.layout.inputs
    group = dict(zip(inputs.site_ids, inputs.diversity_group, strict=True))
    terms: dict = {}
    for site, mode in site_modes.items():
        terms.setdefault(group[site], []).append(
            table.at[site, "score"]
            * (1.0 if assign_mode(table.loc[site])[0] == mode else 0.9)
            * (0.8 + 0.2 * fit[(site, mode)])
        )
    delta = value("layout.diminishing_return")
    quality = sum(delta**k * c for cs in terms.values()
                  for k, c in enumerate(sorted(cs, reverse=True)))
    return demand + quality


def test_optimizer_does_at_least_as_well_as_the_greedy(plan, greedy_plan):
    """The greedy choice satisfies the same limits, so its value bounds the optimum."""
    existing = {row.site_id: assign_mode(row)[0] for _, row in plan.existing.iterrows()}
    optimum = {**existing, **dict(zip(plan.chosen["site_id"], plan.chosen["mode"], strict=True))}
    assert _portfolio_value(plan, optimum) == pytest.approx(plan.layout.objective, abs=1e-6)
    greedy = {
        **existing,
        **dict(zip(greedy_plan.chosen["site_id"], greedy_plan.chosen["mode"], strict=True)),
    }
    assert plan.layout.objective >= _portfolio_value(plan, greedy) - 1e-6


def test_budget_limits_the_portfolio():
    scenario = load_scenario("zhejiang")
    tight = scenario.selection.model_copy(update={"budget": 8.0, "pareto": False})
    plan = make_plan(scenario.model_copy(update={"selection": tight}))
    total = (plan.chosen["setup_cost"] + plan.chosen["annual_cost"]).sum()
    assert total <= 8.0 + 1e-6
    assert len(plan.chosen) < 12 or plan.chosen["mode"].eq("offshore_incubator").any()


def test_phasing_over_a_horizon_respects_the_annual_budget():
    """Each year: set-up of the centers opened that year + running cost of those opened before."""
    scenario = load_scenario("zhejiang")
    phased = scenario.selection.model_copy(
        update={"horizon": 3, "annual_budget": 4.2, "pareto": False}
    )
    plan = make_plan(scenario.model_copy(update={"selection": phased}))
    chosen = plan.chosen.assign(year=plan.chosen["year"].astype(int))
    assert set(chosen["year"]) <= {2026, 2027, 2028}
    for year in (2026, 2027, 2028):
        spent = chosen.loc[chosen["year"] == year, "setup_cost"].sum()
        spent += chosen.loc[chosen["year"] < year, "annual_cost"].sum()
        assert spent <= 4.2 + 1e-6, year
    document = plan.to_dict()
    assert all(site["year"] in (2026, 2027, 2028) for site in document["sites"])


def test_robustness_reports_how_often_each_chosen_site_is_kept(plan):
    document = plan.to_dict()
    assert document["robustness"]["samples"] == plan.scenario.selection.robustness_samples
    for site in document["sites"]:
        assert 0.0 <= site["robustness_share"] <= 1.0
    shares = {row["site_id"]: row["share"] for row in document["robustness"]["sites"]}
    assert max(shares.values()) == 1.0


def test_without_weight_spread_every_draw_keeps_the_plan():
    scenario = load_scenario("zhejiang")
    calm = scenario.model_copy(
        update={
            "uncertainty": scenario.uncertainty.model_copy(update={"spread": 0.0, "samples": 20}),
            "selection": scenario.selection.model_copy(
                update={"pareto": False, "robustness_samples": 5}
            ),
        }
    )
    plan = make_plan(calm)
    assert set(plan.robustness.attrs["statuses"]) == {"optimal"}
    shares = plan.robustness.set_index("site_id")["share"]
    for site in plan.chosen["site_id"]:
        assert shares[site] == 1.0


def test_scenario_minimums_per_region_and_strategy_shape_the_plan():
    scenario = load_scenario("zhejiang")
    selection = scenario.selection.model_copy(
        update={
            "min_per_region": {"Africa": 3},
            "min_per_strategy": {"rail_corridor": 3},
            "pareto": False,
            "robustness_samples": 0,
        }
    )
    plan = make_plan(scenario.model_copy(update={"selection": selection}))
    countries = load_dataset().countries
    africa = set(countries.loc[countries["continent"] == "Africa", "iso3"])
    everything = pd.concat([plan.chosen["iso3"], plan.existing["iso3"]])
    assert everything.isin(africa).sum() >= 3
    assert "at least 3 in Africa" in plan.layout.to_dict()["constraints"]


def test_plan_json_gives_every_mode_a_score_and_the_park_view(plan):
    import json
    import math

    from oicplan.match.modes import mode_scores, park_view

    document = json.loads(json.dumps(plan.to_dict()))  # plain JSON types only
    table = plan.ranked.table.set_index("site_id")
    expected_park = park_view(plan.ranked.table, plan.dataset).set_index("site_id")
    assert [s["site_id"] for s in document["sites"]] == plan.chosen["site_id"].tolist()
    for site in document["sites"]:
        row = table.loc[[site["site_id"]]].reset_index()
        expected = mode_scores(row)
        got = site["mode_scores"]
        assert [m["mode"] for m in got] == list(CENTER_MODES)
        assert [m["score"] for m in got] == pytest.approx(expected["score"].tolist(), abs=1e-6)
        assert [m["reasons"] for m in got] == expected["reasons"].tolist()
        # The rule's mode is the one assign_mode gives, and it scores highest.
        rule_mode = assign_mode(row.iloc[0])[0]
        assert [m["mode"] for m in got if m["rule"]] == [rule_mode]
        assert max(got, key=lambda m: m["score"])["mode"] == rule_mode
        park = site["park_view"]
        for key in ("talent", "community", "knowledge_ecology", "park_score"):
            value = expected_park.at[site["site_id"], key]
            if math.isnan(value):
                assert park[key] is None
            else:
                assert park[key] == pytest.approx(value, abs=1e-6)
        assert park["evidence"] == list(expected_park.at[site["site_id"], "evidence"])


@pytest.mark.parametrize("name", [n for n in BUILTIN_SCENARIOS if n != "zhejiang"])
def test_every_builtin_scenario_plans(name):
    # st_leader has 6 existing centers in the USA against a cap of 2 per country;
    # that must keep them and open no more there, not make the plan infeasible.
    scenario = load_scenario(name)
    quick = scenario.selection.model_copy(update={"pareto": False, "robustness_samples": 0})
    plan = make_plan(scenario.model_copy(update={"selection": quick}))
    assert plan.layout.status == "optimal"
    assert len(plan.chosen) == scenario.centers
    new_by_country = plan.chosen["iso3"].value_counts()
    held = plan.existing["iso3"].value_counts()
    for iso3, count in new_by_country.items():
        assert count + held.get(iso3, 0) <= max(scenario.per_country_cap, held.get(iso3, 0))


def test_a_plan_can_serve_the_enterprises_instead_of_the_industries():
    scenario = load_scenario("zhejiang")
    selection = scenario.selection.model_copy(
        update={"enterprises": "sample", "max_total_risk": 3.0, "pareto": False,
                "robustness_samples": 0}
    )
    plan = make_plan(scenario.model_copy(update={"selection": selection}))
    result = plan.layout.to_dict()
    assert any(a.startswith("demand: 4119 enterprises") and "SYNTHETIC" in a
               for a in result["assumptions"])
    assert result["total_risk"] <= 3.0 + 1e-9
    assert len(plan.chosen) == scenario.centers


def test_no_stored_enterprises_is_a_clear_error():
    from oicplan.errors import InputError

    scenario = load_scenario("zhejiang")
    selection = scenario.selection.model_copy(update={"enterprises": "stored"})
    with pytest.raises(InputError, match="enterprises import") as error:
        make_plan(scenario.model_copy(update={"selection": selection}))
    assert error.value.field == "selection.enterprises"


# ---------------------------------------------------------------- re-planning in a process


def _same_plan(one, other) -> None:
    """Two plans are the same: ranking, chosen sites, frontiers, robustness, plan.json."""
    pd.testing.assert_frame_equal(one.ranked.table, other.ranked.table)
    pd.testing.assert_frame_equal(one.chosen, other.chosen)
    for name in ("pareto", "pareto_risk", "robustness"):
        mine, theirs = getattr(one, name), getattr(other, name)
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            pd.testing.assert_frame_equal(mine, theirs)
            assert mine.attrs == theirs.attrs, name
    documents = []
    for made in (one, other):
        document = made.to_dict()
        document.pop("created")
        if document["optimizer"] is not None:
            document["optimizer"].pop("solve_seconds")
        documents.append(document)
    assert documents[0] == documents[1]


def _reweighted(scenario, pillar="innovation", factor=1.1):
    weights = {**scenario.weights, pillar: scenario.weights[pillar] * factor}
    return scenario.model_copy(update={"weights": weights})


def test_a_cached_plan_with_side_by_side_solves_is_the_plain_one(plan, monkeypatch):
    """Caches warm and the frontiers/robustness solved side by side: the same plan as
    with no cache and every solve one after the other in the caller's thread."""
    import oicplan.plan as plan_module
    from oicplan.pipeline_cache import caching

    assert plan_module.SOLVE_WORKERS == 2
    cached = make_plan(load_scenario("zhejiang"))
    monkeypatch.setattr(plan_module, "SOLVE_WORKERS", 0)
    with caching(False):
        plain = make_plan(load_scenario("zhejiang"))
    _same_plan(cached, plain)
    _same_plan(cached, plan)


def test_a_replan_after_a_weight_change_is_the_uncached_plan(plan):
    from oicplan.pipeline_cache import caching

    changed = _reweighted(load_scenario("zhejiang"), "talent", 1.5)
    cached = make_plan(changed, frontiers=False)
    with caching(False):
        uncached = make_plan(changed, frontiers=False)
    _same_plan(cached, uncached)
    assert cached.ranked.weights != plan.ranked.weights
    assert not cached.ranked.table["score"].equals(plan.ranked.table["score"])


@pytest.mark.parametrize(
    "part, change",
    [
        ("candidates", {"exclude": ["TUR", "SRB"]}),
        ("transport", {"avoid": ["suez"]}),
    ],
)
def test_a_changed_input_of_a_cached_stage_is_recomputed(plan, part, change):
    """The caches are keyed by what the stages read: no stale ranking after a change."""
    from oicplan.pipeline_cache import caching

    scenario = load_scenario("zhejiang")
    changed = scenario.model_copy(
        update={part: getattr(scenario, part).model_copy(update=change)}
    )
    before = make_plan(scenario, frontiers=False)
    cached = make_plan(changed, frontiers=False)
    with caching(False):
        uncached = make_plan(changed, frontiers=False)
    _same_plan(cached, uncached)
    assert not before.ranked.table.equals(cached.ranked.table)
    if part == "candidates":
        assert not set(cached.ranked.table["iso3"]) & {"TUR", "SRB"}


def test_a_plan_without_frontiers_says_so(plan):
    quick = make_plan(load_scenario("zhejiang"), frontiers=False)
    assert quick.pareto is None and quick.pareto_risk is None and quick.robustness is None
    assert list(quick.chosen["site_id"]) == list(plan.chosen["site_id"])
    document = quick.to_dict()
    assert document["solves"]["main"] == "optimal"
    assert not any(document["solves"][key] for key in ("pareto", "pareto_risk", "robustness"))
    assert document["pareto"] is None and document["robustness"] is None
    assert any(
        "Pareto frontiers and robustness re-solves (20 draws) not computed" in note
        for note in document["notes"]
    )
    assert not any("not computed" in note for note in plan.to_dict()["notes"])


def test_the_kept_stages_equal_their_direct_computation(plan):
    """Eligible strategies, the cost model table and the mode fit, kept in site order,
    are what the direct calls give for a table in rank order."""
    from oicplan.domain import eligible_strategies
    from oicplan.finance.cost import site_mode_costs
    from oicplan.optimize.layout_scenario import mode_fit_table
    from oicplan.plan import _eligible, _mode_fit, _site_costs

    table, dataset = plan.ranked.table, plan.dataset
    pd.testing.assert_series_equal(_eligible(table, dataset), eligible_strategies(table, dataset))
    direct = site_mode_costs(dataset, table[["site_id", "iso3", "name"]], list(CENTER_MODES))
    pd.testing.assert_frame_equal(_site_costs(table, dataset), direct)
    pd.testing.assert_frame_equal(
        _mode_fit(table).sort_index(), mode_fit_table(table).sort_index()
    )


def test_the_plan_service_replans_without_frontiers(plan):
    """PlanRequest(frontiers=False): the quick re-plan a web page asks for."""
    from oicplan.services.planning import PlanRequest
    from oicplan.services.planning import plan as plan_service

    result = plan_service(PlanRequest(weights={"talent": 0.3}, frontiers=False))
    document = result.document.model_dump(mode="json")
    assert document["pareto"] is None and document["robustness"] is None
    assert any("not computed in this run" in note for note in document["notes"])
    assert result.plan.ranked.weights != plan.ranked.weights
    assert PlanRequest().frontiers is True
