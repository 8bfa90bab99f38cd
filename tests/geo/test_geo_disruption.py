"""Disruptions: closing crossings, segments and passages, before and after."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.geo import close, closure_plan, disruption_table, shortest_route


def test_closing_suez_makes_sea_routes_longer(small_graph):
    table = disruption_table(small_graph, passages=["suez"], mode="sea").set_index("site_id")
    for site in ("ESP-valencia", "EGY-alexandria", "GBR-london"):
        row = table.loc[site]
        assert row.km_after > row.km_before
        assert row.change == "slower"
        assert "Suez" in row.corridor_before and "Suez" not in row.corridor_after
    assert table.loc["SGP-singapore", "change"] == "unchanged"


def test_closing_hormuz_cuts_sea_access_beyond_it(small_graph):
    table = disruption_table(small_graph, passages=["hormuz"], mode="sea").set_index("site_id")
    assert table.loc["IRN-tehran", "change"] == "lost"
    # Dubai is still reached by sea, through Muscat and a truck: slower.
    assert table.loc["ARE-dubai", "change"] == "slower"
    H = close(small_graph, passages=["hormuz"])
    with pytest.raises(InputError, match="hormuz closed"):
        shortest_route(H, "hub:ningbo-zhoushan", "IRN-tehran", mode="sea")


def test_closing_alashankou_reroutes_madrid(small_graph):
    table = disruption_table(small_graph, borders=["Alashankou"], mode="rail")
    table = table.set_index("site_id")
    madrid = table.loc["ESP-madrid"]
    assert madrid.corridor_before == "Yiwu–Madrid"
    assert madrid.corridor_after != "Yiwu–Madrid"
    assert madrid.cost_after > madrid.cost_before
    assert table.loc["IRN-tehran", "change"] == "lost"
    H = close(small_graph, borders=["alashankou"])
    route = shortest_route(H, "hub:yiwu", "ESP-madrid", mode="rail")
    assert "Alashankou" not in [s["node"] for s in route.steps]
    assert "border:alashankou" in small_graph  # the original graph is untouched


def test_closing_a_rail_segment(small_graph):
    H = close(small_graph, segments=["Yiwu-Madrid"])
    route = shortest_route(H, "hub:yiwu", "ESP-madrid", mode="rail")
    assert route.rail_route != "Yiwu–Madrid"
    assert H.graph["closed"]["segments"] == ["Yiwu-Madrid"]


def test_closure_names_are_checked():
    assert closure_plan(["Suez", "altynkol", "Yiwu–Madrid"]) == {
        "passages": ["suez"], "borders": ["khorgos"], "segments": ["Yiwu–Madrid"],
    }
    with pytest.raises(InputError) as error:
        closure_plan(["Atlantis"])
    assert error.value.field == "avoid"
