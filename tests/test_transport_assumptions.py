"""The transport cost index is a stated number a scenario may set (issue 11).

``transport.cost_per_km.*``, ``transport.cost_per_day`` and ``transport.transfer_cost``
decide each site's best route, hence ``access_cost`` (the indicator
``SITE.ACCESS_COST``), ``access_mode`` and ``access_days`` of the plan's dataset.
These tests check that an override really reaches the graph, the routes and the
plan's site access (against a direct computation on the graph's km and days), that
the stated values change nothing, that the graph cache never mixes cost indexes,
and that the sensitivity sweep takes the transport numbers.
"""

from __future__ import annotations

import pytest

from oicplan.assumptions import ASSUMPTIONS, applied, default, plan_assumptions
from oicplan.geo import graph as graph_module
from oicplan.geo.assumptions import COST_ASSUMPTIONS, Assumptions, in_force
from oicplan.geo.routing import access_table, allowed_modes, shortest_route

RAIL = "transport.cost_per_km.rail"


def _direct_cost(G, nodes: list[str], a: Assumptions, modes: list[str]) -> float:
    """The cost index of a path, from its edges' km and days and the stated formula."""
    total = 0.0
    for (u, v), mode in zip(zip(nodes, nodes[1:], strict=False), modes, strict=True):
        edge = G.edges[u, v, mode]
        total += edge["km"] * a.cost_per_km[mode] + edge["days"] * a.cost_per_day[mode]
        if mode == "transfer":
            total += a.transfer_cost
    return total


def _path_modes(G, nodes: list[str], mode: str = "rail") -> list[str]:
    """The mode of each step of a route by ``mode``: its cheapest allowed edge there."""
    allowed = allowed_modes(mode)
    return [
        min((k for k in G[u][v] if k in allowed), key=lambda k: G[u][v][k]["cost"])
        for u, v in zip(nodes, nodes[1:], strict=False)
    ]


@pytest.fixture(scope="module")
def small():
    """A small graph (two Spanish sites) built with the stated assumptions."""
    return graph_module.build_graph(sites=["ESP-madrid", "ESP-valencia"],
                                    assumptions=Assumptions())


# --------------------------------------------------------------------------- the table


def test_the_transport_numbers_can_be_set_by_a_scenario_and_are_swept():
    for name in COST_ASSUMPTIONS:
        assert ASSUMPTIONS[name].plan, name
        assert name in plan_assumptions()
        assert "SITE.ACCESS_COST" in ASSUMPTIONS[name].reason
    assert in_force() == Assumptions()
    with applied({RAIL: 0.6, "transport.transfer_cost": 50}):
        a = in_force()
        assert a.cost_per_km["rail"] == 0.6 and a.transfer_cost == 50.0
        assert a.cost_per_km["sea"] == default("transport.cost_per_km.sea")


def test_a_scenario_file_may_set_the_rail_cost(tmp_path):
    from oicplan.scenario import load_scenario, scenario_yaml

    path = tmp_path / "rail.yaml"
    path.write_text(scenario_yaml("zhejiang") + f"\nassumptions:\n  {RAIL}: 0.6\n",
                    encoding="utf-8")
    assert load_scenario(path).assumptions == {RAIL: 0.6}


# --------------------------------------------------------------------------- the graph


def test_recost_changes_only_the_cost_and_matches_the_formula(small):
    wanted = Assumptions(cost_per_km={"rail": 0.6}, cost_per_day={"sea": 35.0},
                         transfer_cost=250.0)
    H = graph_module.recost(small, wanted)
    assert H.graph["assumptions"] == wanted
    assert small.graph["assumptions"] == Assumptions()  # the original is not changed
    changed = 0
    for u, v, mode, d in H.edges(keys=True, data=True):
        e = small.edges[u, v, mode]
        assert (d["km"], d["days"]) == (e["km"], e["days"])
        expected = d["km"] * wanted.cost_per_km[mode] + d["days"] * wanted.cost_per_day[mode]
        expected += wanted.transfer_cost if mode == "transfer" else 0.0
        assert d["cost"] == pytest.approx(expected)
        assert e["cost"] == pytest.approx(Assumptions().cost_index(mode, km=e["km"],
                                                                   days=e["days"])
                                          + (Assumptions().transfer_cost
                                             if mode == "transfer" else 0.0))
        changed += d["cost"] != e["cost"]
    assert changed > 0
    # The stated cost index gives back the built graph's costs exactly.
    same = graph_module.recost(small, Assumptions())
    assert all(d["cost"] == small.edges[u, v, k]["cost"]
               for u, v, k, d in same.edges(keys=True, data=True))


def test_recost_refuses_other_assumptions(small):
    with pytest.raises(ValueError):
        graph_module.recost(small, Assumptions(sea_speed_knots=18.0))


def test_an_override_changes_the_route_cost(small):
    route = shortest_route(small, "hub:yiwu", "ESP-madrid", mode="rail")
    base = Assumptions()
    modes = _path_modes(small, route.nodes)
    assert route.cost == pytest.approx(_direct_cost(small, route.nodes, base, modes), abs=0.1)

    with applied({RAIL: 0.8}):
        wanted = in_force(small.graph["assumptions"])
    H = graph_module.recost(small, wanted)
    moved = shortest_route(H, "hub:yiwu", "ESP-madrid", mode="rail")
    assert moved.cost == pytest.approx(
        _direct_cost(H, moved.nodes, wanted, _path_modes(H, moved.nodes)), abs=0.1)
    rail_km = sum(H.edges[u, v, "rail"]["km"]
                  for u, v in zip(moved.nodes, moved.nodes[1:], strict=False)
                  if H.has_edge(u, v, "rail"))
    assert rail_km > 0
    assert moved.cost == pytest.approx(route.cost + 0.3 * rail_km, abs=0.2)


def test_the_graph_cache_keeps_one_graph_per_cost_index(monkeypatch, tmp_path, small):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    built: list[Assumptions] = []

    def build(**kwargs):
        built.append(kwargs["assumptions"])
        return small

    monkeypatch.setattr(graph_module, "build_graph", build)
    graph_module.transport_graph.cache_clear()
    try:
        stated = graph_module.transport_graph()
        assert stated is small and built == [Assumptions()]
        with applied({RAIL: 0.6}):
            rail = graph_module.transport_graph()
            assert graph_module.transport_graph() is rail  # kept in memory
        with applied({RAIL: 0.7}):
            other = graph_module.transport_graph()
        assert graph_module.transport_graph() is small
        assert built == [Assumptions()]  # one build; the others are recosted
        assert rail.graph["assumptions"].cost_per_km["rail"] == 0.6
        assert other.graph["assumptions"].cost_per_km["rail"] == 0.7
        for G, per_km in ((small, 0.5), (rail, 0.6), (other, 0.7)):
            assert all(d["cost"] == pytest.approx(d["km"] * per_km + d["days"] * 20.0)
                       for _, _, d in G.edges(data=True) if d["mode"] == "rail")
        # Only the graph with the stated cost index is written to disk.
        assert [p.name for p in tmp_path.iterdir()] == [graph_module._cache_file().name]
        # A new process with an override reads the stated graph from disk and recosts it.
        graph_module.transport_graph.cache_clear()
        with applied({RAIL: 0.6}):
            again = graph_module.transport_graph()
        assert built == [Assumptions()]
        assert again.graph["assumptions"].cost_per_km["rail"] == 0.6
    finally:
        graph_module.transport_graph.cache_clear()


def test_the_disk_cache_name_depends_on_the_stated_costs(monkeypatch, tmp_path):
    from oicplan.geo import assumptions as geo_assumptions

    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    here = graph_module._cache_file()
    monkeypatch.setattr(geo_assumptions, "COST_PER_KM",
                        {**geo_assumptions.COST_PER_KM, "rail": 0.9})
    assert graph_module._cache_file() != here


def test_the_memory_cache_is_bounded(monkeypatch, tmp_path, small):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(graph_module, "build_graph", lambda **_: small)
    graph_module.transport_graph.cache_clear()
    try:
        for k in range(graph_module._RECOSTED + 5):
            with applied({RAIL: 0.01 * (k + 1)}):
                graph_module.transport_graph()
        assert len(graph_module._built) == graph_module._RECOSTED + 1  # + the stated graph
        with applied({RAIL: 0.01 * (graph_module._RECOSTED + 5)}):  # the newest is kept
            newest = graph_module.transport_graph()
        assert newest.graph["assumptions"].cost_per_km["rail"] == pytest.approx(
            0.01 * (graph_module._RECOSTED + 5))
    finally:
        graph_module.transport_graph.cache_clear()


# --------------------------------------------------------------------------- the plan's access


@pytest.fixture(scope="module")
def zhejiang():
    from oicplan.scenario import load_scenario

    return load_scenario("zhejiang")


def test_the_stated_costs_keep_the_snapshot_access(zhejiang):
    from oicplan.data.dataset import load_dataset
    from oicplan.ranking import _hub_access, scenario_dataset

    dataset = load_dataset()
    assert scenario_dataset(dataset, zhejiang) is dataset
    live = _hub_access(None)
    snapshot = dataset.sites.set_index("site_id").reindex(live.index)
    assert (snapshot["access_cost"] - live["access_cost"]).abs().max() < 0.05
    assert (snapshot["access_mode"] == live["access_mode"]).all()


def test_an_override_reaches_the_plans_site_access_and_indicator(zhejiang):
    from oicplan.data.dataset import load_dataset
    from oicplan.ranking import rank_sites, scenario_dataset

    dataset = load_dataset()
    changed = zhejiang.model_copy(update={"assumptions": {"transport.cost_per_km.sea": 0.3}})
    view = scenario_dataset(dataset, changed)
    assert view is not dataset
    assert scenario_dataset(view, changed) is view

    # Direct: the stated graph recosted with sea at 0.3, routed here.
    with applied({"transport.cost_per_km.sea": 0.3}):
        wanted = in_force()
    direct = access_table(graph_module.recost(graph_module.transport_graph(), wanted))
    direct = direct.set_index("site_id")
    sites = view.sites.set_index("site_id")
    common = sites.index.intersection(direct.index)
    assert len(common) == len(direct)
    assert (sites.loc[common, "access_cost"] - direct.loc[common, "best_cost"]).abs().max() < 1e-9
    assert (sites.loc[common, "access_mode"] == direct.loc[common, "best_mode"]).all()
    stated = dataset.sites.set_index("site_id").loc[common]
    assert (stated["access_mode"] != sites.loc[common, "access_mode"]).any()
    assert (stated["access_cost"] != sites.loc[common, "access_cost"]).any()

    # The indicator of the connectivity pillar follows, so the ranking can move.
    ranked = rank_sites(changed)
    raw = ranked.scores.raw["SITE.ACCESS_COST"].dropna()
    assert len(raw)
    assert (raw - direct.loc[raw.index, "best_cost"]).abs().max() < 1e-9
    base = rank_sites(zhejiang).scores.raw["SITE.ACCESS_COST"].reindex(raw.index)
    assert not base.equals(raw)


def test_the_transport_service_uses_the_scenarios_costs(tmp_path):
    from oicplan.scenario import scenario_yaml
    from oicplan.services.transport import AccessRequest, access, scenario_graph

    path = tmp_path / "rail.yaml"
    path.write_text(scenario_yaml("zhejiang") + f"\nassumptions:\n  {RAIL}: 0.8\n",
                    encoding="utf-8")
    graph = scenario_graph(str(path))
    assert graph.graph["assumptions"].cost_per_km["rail"] == 0.8
    assert scenario_graph("zhejiang").graph["assumptions"] == Assumptions()
    stated = access(AccessRequest(origin="Yiwu", to="ESP-madrid", mode="rail"))
    moved = access(AccessRequest(origin="Yiwu", to="ESP-madrid", mode="rail",
                                 scenario=str(path)))
    rail_km = sum(step["km"] for step in moved.route["path"] if step["mode"] == "rail")
    assert rail_km > 0
    assert moved.route["cost"] == pytest.approx(stated.route["cost"] + 0.3 * rail_km, abs=0.5)


def test_the_site_profile_and_the_plan_map_route_with_the_scenarios_costs():
    """The site profile's best routes and the plan map's sea lanes use the scenario's graph."""
    from oicplan.plan_map import _sea_routing
    from oicplan.scenario import load_scenario
    from oicplan.services.sites import _access

    stated = load_scenario("zhejiang")
    dearer = stated.model_copy(update={"assumptions": {RAIL: 0.8}})
    before = {row.mode: row for row in _access("ESP-madrid", stated)}
    after = {row.mode: row for row in _access("ESP-madrid", dearer)}
    assert before["rail"].km == pytest.approx(after["rail"].km)
    assert after["rail"].cost > before["rail"].cost + 0.2 * before["rail"].km * 0.5

    class _Plan:
        scenario = dearer

    graph = _sea_routing(_Plan())[0]
    assert graph.graph["assumptions"].cost_per_km["rail"] == 0.8


# --------------------------------------------------------------------------- the sweep


def test_the_sweep_replans_with_the_transport_number(monkeypatch):
    import oicplan.ranking as ranking
    from oicplan.services.assumptions import AssumptionSweepRequest, assumption_sweep

    seen: list[float] = []
    original = ranking._hub_access

    def spy(hubs):
        seen.append(in_force().cost_per_km["rail"])
        return original(hubs)

    monkeypatch.setattr(ranking, "_hub_access", spy)
    sweep = assumption_sweep(AssumptionSweepRequest(names=[RAIL], values={RAIL: [0.2]}))
    assert [(p.name, p.value, p.status) for p in sweep.points] == [(RAIL, 0.2, "ok")]
    assert seen == [0.2]  # the base plan reads the snapshot's access; the point recomputes it
    point = sweep.points[0]
    assert point.changed == bool(point.sites_added or point.sites_removed or point.modes_changed)
    assert sweep.moved_by == ([RAIL] if point.changed else [])
