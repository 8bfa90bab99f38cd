"""Truck legs respect the sea: no truck across open water, bays driven round."""

from __future__ import annotations

import pytest

from oicplan.data.geography import great_circle_km
from oicplan.errors import InputError
from oicplan.geo import Assumptions, access_table, build_graph, shortest_route
from oicplan.geo.graph import gate_id, road_id
from oicplan.geo.sea import crosses_open_sea, sea_stretches

# (lat, lon) of the places the rule is tried on.
LONDON, DUBLIN, PARIS, BERLIN = (51.51, -0.13), (53.35, -6.26), (48.86, 2.35), (52.52, 13.40)
TEHRAN, DUBAI = (35.69, 51.39), (25.20, 55.27)
MADRID, ALGIERS, BARCELONA, VALENCIA = (40.42, -3.70), (36.75, 3.06), (41.39, 2.17), (39.47, -0.38)
COPENHAGEN, MALMO = (55.68, 12.57), (55.60, 13.00)
ISTANBUL, ANKARA, BUCHAREST = (41.01, 28.98), (39.93, 32.86), (44.43, 26.10)
KOBE, BUSAN = (34.69, 135.20), (35.18, 129.08)


def _widest_sea_km(a, b) -> float:
    return max((great_circle_km(*p, *q) for p, q in sea_stretches(*a, *b)), default=0.0)


@pytest.mark.parametrize(
    "a, b",
    [
        (LONDON, DUBLIN),  # the Irish Sea
        (TEHRAN, DUBAI),  # the Gulf
        (MADRID, ALGIERS),  # the Mediterranean
        (KOBE, BUSAN),  # the Korea Strait, about 50 km even at Tsushima
    ],
)
def test_open_sea_is_not_driven(a, b):
    assert crosses_open_sea(*a, *b)
    assert crosses_open_sea(*b, *a)  # the same both ways


def test_land_is_driven():
    for a, b in [(PARIS, BERLIN), (MADRID, BARCELONA)]:
        assert _widest_sea_km(a, b) == 0.0
        assert not crosses_open_sea(*a, *b)


@pytest.mark.parametrize(
    "a, b",
    [(BARCELONA, VALENCIA), (ISTANBUL, BUCHAREST)],  # the Gulf of Valencia, the Black Sea coast
)
def test_a_bay_on_the_straight_line_is_driven_round(a, b):
    # The great circle runs well over 100 km of sea, yet the coast road goes round it.
    assert _widest_sea_km(a, b) > 100
    assert not crosses_open_sea(*a, *b)


@pytest.mark.parametrize(
    "a, b",
    [
        (LONDON, PARIS),  # Dover Strait, 33 km: the Channel Tunnel
        (COPENHAGEN, MALMO),  # the Oresund bridge
        (ISTANBUL, ANKARA),  # the Bosporus bridges
    ],
)
def test_short_straits_are_crossed(a, b):
    assert not crosses_open_sea(*a, *b)


def test_a_long_way_round_must_fit_in_the_legs_road_km():
    # London-Madrid goes round the Channel through the Dover Strait, far from the
    # straight line, but its land route is within great circle x 1.3: a truck leg.
    assert not crosses_open_sea(*LONDON, *MADRID)
    # Madrid-Dublin can go round the Bay of Biscay and the Irish Sea only through
    # France, the Channel Tunnel and Scotland: much longer than 1.3 x the great circle.
    assert crosses_open_sea(*MADRID, *DUBLIN)
    assert not crosses_open_sea(*MADRID, *DUBLIN, circuity=2.0)


def test_the_threshold_decides_the_straits():
    # London-Paris crosses over 100 km of Channel on the straight line, and is
    # driven round through the Dover Strait only while 33 km counts as crossable.
    assert _widest_sea_km(LONDON, PARIS) > 100
    assert not crosses_open_sea(*LONDON, *PARIS, max_sea_km=40)
    assert crosses_open_sea(*LONDON, *PARIS, max_sea_km=25)
    # With any water crossable, the rule is off: a truck crosses the Gulf again.
    assert not crosses_open_sea(*TEHRAN, *DUBAI, max_sea_km=1e9)


def test_the_assumptions_hold_the_threshold():
    a = Assumptions()
    assert (a.truck_max_sea_km, a.truck_sea_detour) == (40.0, 3.0)
    assert a.as_dict()["truck_max_sea_km"] == 40.0
    with pytest.raises(InputError) as error:
        Assumptions(truck_max_sea_km=-1)
    assert error.value.field == "truck_max_sea_km"
    with pytest.raises(InputError) as error:
        Assumptions(truck_sea_detour=0.5)
    assert error.value.field == "truck_sea_detour"


SITES = ["IRN-tehran", "ARE-dubai", "KWT-kuwait-city", "OMN-muscat", "ESP-madrid",
         "DZA-algiers", "GBR-london"]


@pytest.fixture(scope="module")
def graphs():
    """The same sites with the rule (default) and without it (any water crossable)."""
    return build_graph(sites=SITES), build_graph(
        sites=SITES, assumptions=Assumptions(truck_max_sea_km=1e9)
    )


def _truck(G, gateway, site) -> bool:
    return G.has_edge(road_id(gate_id(gateway)), site, "truck")


def test_no_truck_leg_in_the_graph_crosses_open_sea(graphs):
    G, _ = graphs
    trucks = [(u, v) for u, v, k in G.edges(keys=True) if k == "truck"]
    assert trucks
    for u, v in trucks:
        p, q = G.nodes[u], G.nodes[v]
        assert not crosses_open_sea(p["lat"], p["lon"], q["lat"], q["lon"]), (u, v)


def test_sites_across_water_are_reached_another_way(graphs):
    G, without = graphs
    # Without the rule, trucks cross the Gulf and the Mediterranean.
    for gateway, site in [("ARE-dubai", "IRN-tehran"), ("IRN-tehran", "ARE-dubai"),
                          ("DZA-algiers", "ESP-madrid"), ("ESP-madrid", "DZA-algiers")]:
        assert _truck(without, gateway, site)
        assert not _truck(G, gateway, site)
    # Dubai and Algiers had rail only through a terminal across the water (Tehran,
    # Madrid) and a truck: they have none now, and are reached by sea, directly.
    before = access_table(without).set_index("site_id")
    after = access_table(G).set_index("site_id")
    for site in ("ARE-dubai", "DZA-algiers"):
        assert before.loc[site, "rail_cost"] > 0
        assert after["rail_cost"].isna()[site]
        assert after.loc[site, "best_mode"] == "sea"
        route = shortest_route(G, "hub:ningbo-zhoushan", site, mode="sea")
        assert [s["mode"] for s in route.steps][-1] == "sea"
    # Madrid came by sea through Algiers and a truck across the Mediterranean; now
    # its port is on its own side of the water (London, through the Channel Tunnel).
    sea_before = shortest_route(without, "hub:ningbo-zhoushan", "ESP-madrid", mode="sea")
    sea_after = shortest_route(G, "hub:ningbo-zhoushan", "ESP-madrid", mode="sea")
    assert "Algiers" in [s["node"] for s in sea_before.steps]
    assert "Algiers" not in [s["node"] for s in sea_after.steps]
    assert sea_after.cost > sea_before.cost
    # Tehran still comes by sea, through Kuwait City inside the Gulf.
    tehran = shortest_route(G, "hub:ningbo-zhoushan", "IRN-tehran", mode="sea")
    assert [s["node"] for s in tehran.steps][-2:] == ["Kuwait City", "Tehran"]
    # No site is left without access.
    assert after["best_cost"].notna().all()
    assert len(after) == len(SITES)
