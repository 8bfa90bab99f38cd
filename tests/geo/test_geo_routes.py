"""Routes, access by mode, corridors and node importance on a small graph."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.geo import (
    MODES,
    access_table,
    corridors,
    find_place,
    node_importance,
    passage_key,
    sea_leg,
    shortest_route,
)


def test_yiwu_madrid_rail_is_the_published_route(small_graph):
    route = shortest_route(small_graph, "hub:yiwu", "ESP-madrid", mode="rail")
    assert (route.km, route.days) == (13052.0, 21.0)
    assert route.estimated is False
    assert [s["node"] for s in route.steps] == ["Yiwu", "Alashankou", "Madrid"]
    assert route.rail_route == "Yiwu–Madrid"


def test_estimated_rail_route_is_flagged(small_graph):
    route = shortest_route(small_graph, "hub:yiwu", "BEL-liege", mode="rail")
    assert route.estimated is True
    assert route.mode == "rail"


def test_best_mode_is_the_cheapest(small_graph):
    by_mode = {
        m: shortest_route(small_graph, "hub:yiwu", "ESP-madrid", mode=m) for m in MODES
    }
    best = shortest_route(small_graph, "hub:yiwu", "ESP-madrid", mode="best")
    cheapest = min(by_mode, key=lambda m: by_mode[m].cost)
    assert best.mode == cheapest
    assert best.cost == pytest.approx(by_mode[cheapest].cost)
    fastest = shortest_route(small_graph, "hub:yiwu", "ESP-madrid", weight="days")
    assert fastest.mode == "air"
    assert fastest.days < by_mode["rail"].days


def test_modes_use_their_hubs_and_transfers(small_graph):
    sea = shortest_route(small_graph, "hub:yiwu", "ESP-madrid", mode="sea")
    modes = [s["mode"] for s in sea.steps]
    assert modes[:3] == [None, "truck", "transfer"]  # Yiwu to Ningbo, change to ship
    assert "sea" in modes and modes[-1] == "truck"  # last leg from the port
    assert sea.sea_lane == "Malacca–Bab-el-Mandeb–Suez"
    air = shortest_route(small_graph, "hub:hangzhou", "ESP-madrid", mode="air")
    assert [s["mode"] for s in air.steps] == [None, "air"]


def test_unknown_city_names_the_field(small_graph):
    with pytest.raises(InputError) as error:
        find_place(small_graph, "Atlantis", field="to")
    assert error.value.field == "to"
    assert "unknown city" in str(error.value)
    with pytest.raises(InputError) as error:
        find_place(small_graph, "Shanghai", kind="hub", field="from")
    assert error.value.field == "from"
    assert find_place(small_graph, "LIEGE") == "BEL-liege"  # case and accents ignored
    assert find_place(small_graph, "esp-madrid") == "ESP-madrid"


def test_unreachable_route_is_a_clear_error(small_graph):
    with pytest.raises(InputError) as error:
        shortest_route(small_graph, "hub:yiwu", "SGP-singapore", mode="rail")
    assert error.value.field == "to"
    assert "no route from Yiwu to Singapore by rail" in str(error.value)


def test_access_table_covers_every_site_and_mode(small_graph):
    table = access_table(small_graph).set_index("site_id")
    assert len(table) == 16
    madrid = table.loc["ESP-madrid"]
    assert madrid.rail_km == 13052.0 and not madrid.rail_estimated
    assert madrid.rail_route == "Yiwu–Madrid"
    assert madrid.best_cost == min(madrid.rail_cost, madrid.sea_cost, madrid.air_cost)
    assert table["rail_km"].isna()["SGP-singapore"]
    assert table["air_km"].notna().all()
    # Two routes end at Tashkent: Jinhua's with published figures, Yiwu's (sourced since the
    # 2025-12 facts) without, so estimated; the estimate is the cheaper one.
    tashkent = table.loc["UZB-tashkent"]
    assert (tashkent.best_from, tashkent.rail_route, bool(tashkent.rail_estimated)) == (
        "Yiwu", "Yiwu–Tashkent", True)


def test_corridors_and_importance(small_graph):
    items = {c["corridor"]: c for c in corridors(small_graph)}
    assert items["Yiwu–Madrid"]["nodes"] == ["Yiwu", "Alashankou", "Madrid"]
    assert "ESP-madrid" in items["Yiwu–Madrid"]["sites"]
    tashkent = items["Jinhua–Tashkent"]
    assert tashkent["nodes"] == ["Jinhua", "Khorgos–Altynkol", "Tashkent"]
    assert (tashkent["km"], tashkent["days"], tashkent["estimated"]) == (6250.0, 12.0, False)
    assert items["Yiwu–Tashkent"]["estimated"]  # sourced route, no published distance
    assert items["Yiwu–Vilnius"]["nodes"] == ["Yiwu", "Khorgos–Altynkol", "Vilnius"]
    suez_lane = items["Malacca–Bab-el-Mandeb–Suez"]
    assert suez_lane["mode"] == "sea" and "Valencia" in suez_lane["ports"]
    importance = node_importance(small_graph).set_index("node")
    assert importance.loc["passage:suez", "sites_served_sea"] >= 3
    assert importance.loc["border:alashankou", "sites_served_rail"] >= 2
    assert importance["betweenness"].between(0, 1).all()


def test_sea_leg_goes_round_a_closed_passage():
    ningbo, valencia = (29.878, 121.549), (39.470, -0.377)
    open_leg = sea_leg(ningbo, valencia)
    round_leg = sea_leg(ningbo, valencia, closed=["Suez"])
    assert "suez" in open_leg.passages and "suez" not in round_leg.passages
    assert round_leg.km > open_leg.km + 5000
    assert passage_key("Strait of Hormuz") == "hormuz"
