"""A scenario's hubs drive transport: a Guangdong scenario plans from its own hubs."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from oicplan.geo import build_graph, hub_modes, hub_specs, shortest_route
from oicplan.scenario import Hub, Scenario, load_scenario

GUANGDONG = Path(__file__).with_name("guangdong.yaml")


def _haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle km on the mean Earth radius (IUGG 6371.0088 km), written out here."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def guangdong():
    return load_scenario(GUANGDONG)


@pytest.fixture(scope="module")
def gd_graph(guangdong):
    return build_graph(sites=["ESP-madrid", "SGP-singapore", "KAZ-almaty"], hubs=guangdong.hubs)


def test_hubs_state_their_modes_and_old_files_keep_theirs(guangdong):
    assert [(h.name, h.modes) for h in guangdong.hubs] == [
        ("Guangzhou", ("air",)), ("Shenzhen", ("sea",)), ("Dongguan", ("rail",))]
    assert guangdong.home_facts is None
    zhejiang = {spec[0]: spec[3] for spec in hub_specs(load_scenario("zhejiang").hubs)}
    assert zhejiang == {"Hangzhou": ("air",), "Ningbo-Zhoushan": ("sea", "air"),
                        "Yiwu": ("rail",), "Jinhua": ("rail",), "Wenzhou": ()}
    # A hub without modes (a file from before hub modes) keeps zhejiang's roles by name.
    assert hub_modes(Hub(name="Yiwu", lat=29.31506, lon=120.07676)) == ("rail",)
    with pytest.raises(ValueError):
        Hub(name="X", lat=0, lon=0, modes=["bus"])


def test_access_comes_from_the_scenario_hubs(gd_graph):
    hubs = {d["name"] for _, d in gd_graph.nodes(data=True) if d["kind"] == "hub"}
    assert hubs == {"Guangzhou", "Shenzhen", "Dongguan"}
    air = shortest_route(gd_graph, "hub:guangzhou", "ESP-madrid", mode="air")
    # Guangzhou (23.11667 N, 113.25 E) to Madrid (40.4 N, 3.7 W): about 10,300 km.
    madrid = gd_graph.nodes["ESP-madrid"]
    direct = _haversine_km(23.11667, 113.25, madrid["lat"], madrid["lon"])
    assert 10_000 < direct < 10_600
    assert air.km == pytest.approx(direct * 1.05, rel=0.005)
    sea = shortest_route(gd_graph, "hub:shenzhen", "SGP-singapore", mode="sea")
    # Shenzhen to Singapore by sea: about 2,600 km (great circle ~2,600 km, no passage).
    assert 2_500 < sea.km < 3_200 and sea.steps[0]["node"] == "Shenzhen"
    rail = shortest_route(gd_graph, "hub:dongguan", "ESP-madrid", mode="rail")
    assert rail.estimated and rail.rail_route == "Dongguan–Madrid"
    assert all(step["estimated"] for step in rail.steps[1:])
    assert [s["node"] for s in rail.steps] == ["Dongguan", "Alashankou", "Madrid"]
    from oicplan.errors import InputError

    with pytest.raises(InputError):  # no sea port serves Madrid in this small graph
        shortest_route(gd_graph, "hub:guangzhou", "ESP-madrid", mode="sea")


def test_guangdong_plans_without_zhejiang_facts(guangdong):
    from oicplan.plan import make_plan

    plan = make_plan(guangdong)
    assert len(plan.chosen) == guangdong.centers
    table = plan.ranked.table
    home_types = ("zone", "existing_center", "rail_node")
    assert not table["types"].str.contains("|".join(home_types)).any()
    assert table[["zone_name", "center_name", "rail_route"]].isna().all().all()
    assert plan.existing.empty
    assert not {"zone_upgrade", "corridor_hub"} & set(plan.chosen["mode"])
    assert "cooperation" not in plan.ranked.pillar_ids
    assert any("not credited" in note for note in plan.ranked.notes)
    sites = plan.dataset.sites
    assert set(sites["access_from"].dropna()) <= {"Guangzhou", "Shenzhen", "Dongguan"}
    assert set(plan.dataset.latest["indicator"]) & {"OIC.ZJ_ZONES", "OIC.YIWU_RAIL"} == set()


def test_home_facts_named_and_built_in_scenarios_unchanged(guangdong):
    from oicplan.data.dataset import load_dataset
    from oicplan.ranking import scenario_dataset

    dataset = load_dataset()
    for name in ("zhejiang", "rail_corridor"):
        assert scenario_dataset(dataset, load_scenario(name)) is dataset
    raw = guangdong.model_dump()
    named = Scenario.model_validate({**raw, "home_facts": "zhejiang", "hubs":
                                     load_scenario("zhejiang").model_dump()["hubs"]})
    assert scenario_dataset(dataset, named) is dataset
    assert Scenario.model_validate({**raw, "home_region": "Zhejiang"}).home_facts is None
    raw.pop("home_facts")
    assert Scenario.model_validate({**raw, "home_region": "Zhejiang"}).home_facts == "zhejiang"
