"""The site profile's costs, Chinese name and indicator names; the dashboard's controls."""

from __future__ import annotations

import pytest

from oicplan.domain import CENTER_MODES


@pytest.fixture(scope="module")
def profile():
    from oicplan.services.sites import SiteProfileRequest, site_profile

    return site_profile(SiteProfileRequest(site_id="KOR-seoul"))


def test_the_costs_are_the_finance_services_for_every_mode(profile):
    from oicplan.services.finance import CostRequest, cost

    assert [row.mode for row in profile.costs] == list(CENTER_MODES)
    for row in profile.costs:
        direct = cost(CostRequest(site="KOR-seoul", mode=row.mode)).document()
        assert row.gap == direct["gap"]
        assert row.setup_cost == direct["setup_cost"]
        assert row.annual_cost == direct["annual_cost"]
        assert row.npv == direct["npv"] == direct["after_tax"]["npv_net"]
        assert row.headcount == direct["headcount"]
        # Only data inputs are listed, each with its year and source.
        data = [item for item in direct["inputs"] if item["kind"] == "data"]
        assert row.inputs == data and all(item["year"] and item["source"] for item in data)
        assert row.assumptions == sorted(
            {item["name"] for item in direct["inputs"] if item["kind"] == "assumption"}
        )


def test_the_site_has_its_chinese_name_from_the_dataset(profile):
    from oicplan.data.dataset import load_dataset

    sites = load_dataset().sites.set_index("site_id")
    assert profile.site.name_zh == sites.loc["KOR-seoul", "name_zh"]
    assert profile.site.name_zh_source == sites.loc["KOR-seoul", "name_zh_source"]


def test_indicator_names_come_from_the_framework_or_the_data(profile):
    from oicplan.indicators import load_framework

    specs = {spec.code: spec for spec in load_framework("default").indicators()}
    titles = {value.indicator: value.title for value in profile.values}
    shown = {item["indicator"] for item in (profile.strengths or []) + (profile.weaknesses or [])}
    assert shown <= set(profile.indicator_names)
    for code, names in profile.indicator_names.items():
        spec = specs.get(code)
        assert names["en"] == ((spec.name if spec else "") or titles.get(code) or code)
        if spec is not None and getattr(spec, "name_zh", ""):
            assert names["zh"] == spec.name_zh


def test_the_dashboard_controls_are_the_scenarios():
    from typing import get_args

    from oicplan.indicators import load_framework
    from oicplan.scenario import Ranking, load_scenario
    from oicplan.services.ranking_options import RankingOptionsRequest, ranking_options

    options = ranking_options(RankingOptionsRequest(scenario="balanced"))
    scenario = load_scenario("balanced")
    framework = load_framework(scenario.framework)
    assert [p.id for p in options.pillars] == framework.pillar_ids
    assert {p.id: p.weight for p in options.pillars} == {
        pillar: scenario.weights.get(pillar, 0.0) for pillar in framework.pillar_ids
    }
    assert options.method == scenario.ranking.method
    # Every method is either offered or listed as unavailable with the reason.
    all_methods = set(get_args(Ranking.model_fields["method"].annotation))
    assert set(options.methods) | {u.method for u in options.unavailable} == all_methods
    assert not set(options.methods) & {u.method for u in options.unavailable}
    assert options.method in options.methods
    assert options.top_k == scenario.uncertainty.top_k
    assert "balanced" in [entry.name for entry in options.scenarios]


def test_an_unknown_scenario_names_the_field():
    from oicplan.errors import InputError
    from oicplan.services.ranking_options import RankingOptionsRequest, ranking_options

    with pytest.raises(InputError) as caught:
        ranking_options(RankingOptionsRequest(scenario="no-such-scenario"))
    assert caught.value.field == "scenario"


def test_the_match_evidence_names_its_fields_and_signals(profile):
    import yaml

    from oicplan.match import taxonomy

    with open(taxonomy.__file__.replace("taxonomy.py", "taxonomy.yaml"), encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    assert profile.match
    for row in profile.match:
        for item in (row.evidence or {}).get("fields") or []:
            if item.get("source"):  # an NCSES field (field-data tier): its own names
                assert profile.match_terms[item["field"]] == {"en": item["field"],
                                                              "zh": item["field_zh"]}
                continue
            expected = " ".join(raw["fields"][item["field"]]["name"].split())
            assert profile.match_terms[item["field"]]["en"] == expected
        for signal in (row.evidence or {}).get("signals") or {}:
            assert profile.match_terms[signal]["en"] == " ".join(
                raw["signals"][signal]["name"].split()
            )


def test_a_method_is_offered_only_when_it_can_rank_the_scenario():
    """The oracle: re-ranking through the ranking service with each method."""
    from oicplan.errors import InputError
    from oicplan.services.planning import RankRequest, rank
    from oicplan.services.ranking_options import RankingOptionsRequest, ranking_options

    options = ranking_options(RankingOptionsRequest(scenario="zhejiang"))
    for method in options.methods:
        assert rank(RankRequest(scenario="zhejiang", method=method, intervals=False)).sites
    assert [u.method for u in options.unavailable] == ["wpm"]
    gone = options.unavailable[0]
    assert gone.normalization == "sum" and "not > 0" in gone.reason
    with pytest.raises(InputError) as caught:
        rank(RankRequest(scenario="zhejiang", method="wpm", intervals=False))
    assert caught.value.message == gone.reason
