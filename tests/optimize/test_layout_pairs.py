"""What a second center in one economy adds (issue 13): pairs of a solved layout, and plan.json."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from oicplan.notes import note_key
from oicplan.optimize.layout import Layout
from oicplan.optimize.layout_pairs import PILLAR_MARGIN, same_economy_pairs

SITES = ["A-one", "A-two", "B-one"]
TABLE = pd.DataFrame({
    "site_id": SITES,
    "iso3": ["AAA", "AAA", "BBB"],
    "country_en": ["Aland", "Aland", "Bland"],
    "country_zh": ["甲国", "甲国", "乙国"],
    "lat": [48.21, 47.07, 50.08],
    "lon": [16.37, 15.44, 14.44],
    "score": [0.6, 0.5, 0.4],
    "pillar_innovation": [0.7, 0.75, 0.4],
    "pillar_talent": [0.5, 0.505, 0.3],
})
CORRIDORS = pd.DataFrame({"site_id": SITES, "rail_corridor": ["north", "north;south", None],
                          "sea_lane": [None, None, "x"]})


def _solved(delta: float) -> Layout:
    # industry 0 is best served at A-one, industry 1 at A-two (in another mode)
    match = np.zeros((2, 3, 2))
    match[0, 0, 0], match[1, 1, 1], match[1, 0, 0] = 1.0, 0.9, 0.2
    return Layout.from_arrays(
        match, [0.6, 0.5, 0.4], site_ids=SITES, modes=["lab", "hub"],
        available=[[True, False], [False, True], [True, True]], max_centers=2,
        country=TABLE["iso3"].tolist(), diminishing_return=delta).solve()


def test_a_pair_says_what_the_second_adds():
    model = _solved(0.5)
    assert sorted(model.chosen["site_id"]) == ["A-one", "A-two"]
    pairs = same_economy_pairs(model, TABLE, CORRIDORS, region_km=50)
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair["economy"], pair["first"], pair["second"]) == ("AAA", "A-one", "A-two")
    assert pair["quality_factor"] == 0.5 and pair["distinct_mode"] is True
    assert pair["modes"] == ["lab", "hub"]
    assert pair["industries"] == ["1"]  # demand ids as text
    # innovation leads by 0.05 >= the margin, talent by 0.005 < it
    assert PILLAR_MARGIN <= 0.05
    assert pair["pillars"] == {"innovation": pytest.approx(0.05)}
    assert pair["corridors"] == ["south"]
    # Vienna-Graz are ~145 km apart: not one city region at 50 km, but at 200 km
    assert 140 < pair["distance_km"] < 150 and pair["same_city_region"] is False
    assert same_economy_pairs(model, TABLE, CORRIDORS, region_km=200)[0]["same_city_region"]
    assert pair["score_gap"] == pytest.approx(-0.1)
    # every reason is a catalogued note with a Chinese text naming the economy in Chinese
    keys = [note_key(text)[0] for text in pair["reasons"]]
    assert keys == ["pair_kept", "pair_mode", "pair_industries", "pair_pillars",
                    "pair_corridor"]
    assert "甲国" in pair["reasons_zh"][0] and "Aland" in pair["reasons"][0]


def test_no_pairs_without_the_rule_or_a_second_center():
    assert same_economy_pairs(_solved(1.0), TABLE, CORRIDORS) == []
    model = Layout.from_arrays(quality=[0.6, 0.5, 0.4], site_ids=SITES, max_centers=2,
                               country=TABLE["iso3"].tolist(), diminishing_return=0.1).solve()
    assert sorted(model.chosen["site_id"]) == ["A-one", "B-one"]
    assert same_economy_pairs(model, TABLE) == []


def test_a_copy_that_adds_nothing_says_so():
    model = Layout.from_arrays(quality=[0.6, 0.6, 0.1], site_ids=SITES, max_centers=2,
                               country=TABLE["iso3"].tolist(), diminishing_return=0.5).solve()
    table = TABLE.assign(pillar_innovation=0.5, pillar_talent=0.5)
    (pair,) = same_economy_pairs(model, table)
    assert [note_key(text)[0] for text in pair["reasons"]] == ["pair_kept", "pair_adds_little"]


@pytest.fixture(scope="module")
def plans():
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    scenario = load_scenario("zhejiang")
    out = {}
    for delta in (0.9, None):
        given = dict(scenario.assumptions)
        if delta is not None:
            given["layout.diminishing_return"] = delta
        changed = scenario.model_copy(update={"centers": 30, "assumptions": given})
        out[delta] = make_plan(changed, frontiers=False)
    return out


def test_plan_json_explains_every_same_economy_pair(plans):
    for plan in plans.values():
        doc = plan.to_dict()
        layout = plan.layout
        groups = dict(zip(layout.inputs.site_ids, layout.inputs.diversity_group, strict=True))
        held = Counter(groups[s] for s in layout.chosen["site_id"])
        expected = sum(n - 1 for n in held.values() if n > 1)
        assert len(doc["same_economy_pairs"]) == expected
        for pair in doc["same_economy_pairs"]:
            assert groups[pair["first"]] == groups[pair["second"]] == pair["economy"]
            assert len(pair["reasons"]) == len(pair["reasons_zh"]) >= 2
            factor = layout.chosen.set_index("site_id")["quality_factor"]
            assert pair["quality_factor"] == pytest.approx(factor[pair["second"]])
            assert factor[pair["first"]] == 1.0


def test_the_factor_is_a_scenario_assumption(plans):
    loose, default = plans[0.9], plans[None]
    used = {a["name"]: a for a in loose.to_dict()["assumptions"]}
    assert used["layout.diminishing_return"]["value"] == 0.9
    assert used["layout.diminishing_return"]["overridden"] is True
    assert {a["name"]: a for a in default.to_dict()["assumptions"]}[
        "layout.diminishing_return"]["value"] == 0.5
    # a stronger return keeps no more same-economy pairs than a weaker one
    assert len(default.to_dict()["same_economy_pairs"]) <= len(
        loose.to_dict()["same_economy_pairs"])


def test_the_report_shows_the_pairs_or_says_there_are_none(plans):
    from oicplan.report.messages import text
    from oicplan.report.render import render_markdown

    for plan in plans.values():
        pairs = plan.to_dict()["same_economy_pairs"]
        for lang, key, joiner in (("zh", "reasons_zh", "；"), ("en", "reasons", "; ")):
            markdown = render_markdown(plan, lang)
            assert f"## {text('pairs_title', lang)}" in markdown
            for pair in pairs:
                assert f"- {joiner.join(pair[key])}" in markdown
            assert (text("pairs_none", lang) in markdown) == (not pairs)
