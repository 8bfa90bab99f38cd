"""The transport layers of a plan's map: rail lines and sea lanes from the scenario's hubs.

The report draws what this module computes (it neither routes ships nor builds
the transport graph):

* **rail lines** - schematic lines of the published China–Europe routes that start
  at one of the scenario's rail hubs: origin hub → transit capitals → terminal;
* **sea lanes** - from the scenario's sea hub(s) to the port of each chosen site
  that the transport graph reaches by sea, along searoute's shortest sea path
  (the path the graph's sea edge measures), with the scenario's
  ``transport.avoid`` closures.

>>> from oicplan.plan import make_plan
>>> from oicplan.scenario import load_scenario
>>> layers = map_layers(make_plan(load_scenario("zhejiang")))  # doctest: +SKIP
>>> len(layers.rail_lines) > 0, layers.sea_lanes[0]["port_id"]  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd

from oicplan.data.facts import sourced_routes
from oicplan.pipeline_cache import StageCache
from oicplan.plan import Plan

__all__ = ["MapLayers", "map_layers", "rail_route_lines", "sea_lane_lines"]

_SEA_STEP_DEGREES = 0.75  # sea-lane vertices closer than this to the last kept one are dropped


@dataclass(frozen=True)
class MapLayers:
    """What the map draws besides the sites: rail lines and sea lanes.

    ``rail_lines`` are lists of ``(lat, lon)``; ``sea_lanes`` are items of
    :func:`sea_lane_lines`.
    """

    rail_lines: list[list[tuple[float, float]]] = field(default_factory=list)
    sea_lanes: list[dict] = field(default_factory=list)


def map_layers(plan: Plan) -> MapLayers:
    """The rail lines and sea lanes of ``plan``'s map, from its scenario's hubs."""
    return MapLayers(rail_lines=rail_route_lines(plan), sea_lanes=sea_lane_lines(plan))


def _hubs_serving(plan: Plan, mode: str) -> dict[str, tuple[float, float]]:
    from oicplan.geo.graph import hub_specs

    return {
        name: (lat, lon)
        for name, lat, lon, modes in hub_specs(plan.scenario.hubs)
        if mode in modes
    }


def rail_route_lines(plan: Plan) -> list[list[tuple[float, float]]]:
    """Schematic rail lines: origin hub → transit capitals → destination site.

    One line per published route whose origin is a rail hub of the scenario.
    """
    dataset = plan.dataset
    routes = sourced_routes(dataset.fact_table("yixinou_routes"))
    hubs = _hubs_serving(plan, "rail")
    countries = dataset.countries
    sites = dataset.sites.set_index("site_id")
    rail_sites = sites[sites["types"].str.contains("rail_node")]
    lines = []
    for route in routes.itertuples():
        origin = hubs.get(route.origin)
        ends = rail_sites[
            rail_sites["rail_route"].str.startswith(f"{route.origin}–", na=False)
            & (rail_sites["iso3"] == route.iso3)
        ]
        if origin is None or ends.empty:
            continue
        line = [origin]
        transit = route.transit_countries if isinstance(route.transit_countries, str) else ""
        for code in transit.split(";"):
            if code and code != route.iso3 and code in countries.index:
                lat, lon = countries.at[code, "lat"], countries.at[code, "lon"]
                if pd.notna(lat):
                    line.append((float(lat), float(lon)))
        end = ends.iloc[0]
        line.append((float(end["lat"]), float(end["lon"])))
        lines.append(line)
    return lines


def _thin(points: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Drop vertices closer than ``step`` degrees to the last kept one (ends kept).

    >>> _thin([(0, 0), (0, 0.1), (0, 1), (0, 1.2)], 0.75)
    [(0, 0), (0, 1), (0, 1.2)]
    """
    kept = [points[0]]
    for lat, lon in points[1:-1]:
        last = kept[-1]
        if max(abs(lat - last[0]), abs(lon - last[1])) >= step:
            kept.append((lat, lon))
    kept.append(points[-1])
    return kept


def _sea_geometry(origin: tuple, port: tuple, closed: tuple) -> list[tuple[float, float]] | None:
    """``(lat, lon)`` vertices of searoute's shortest sea path (the one a sea edge measures).

    Closed passages are passed as searoute restrictions, as :mod:`oicplan.geo.sea` does
    (the Northwest Passage always closed).
    """
    import searoute

    from oicplan.geo.sea import PASSAGES

    restrictions = sorted({PASSAGES[key][0] for key in closed} | {"northwest"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feature = searoute.searoute(
            [round(origin[1], 5), round(origin[0], 5)],
            [round(port[1], 5), round(port[0], 5)],
            units="km",
            append_orig_dest=True,
            restrictions=restrictions,
        )
    line = [(float(lat), float(lon)) for lon, lat in feature.geometry.coordinates]
    return line if len(line) >= 2 else None


def _best_sea_route(graph, origins: list[str], site_id: str):
    """The lowest-cost route by sea to ``site_id`` from any of the sea hubs, or None."""
    from oicplan.errors import InputError
    from oicplan.geo.routing import shortest_route

    routes = []
    for origin in origins:
        try:
            routes.append(shortest_route(graph, origin, site_id, mode="sea"))
        except InputError:
            continue
    return min(routes, key=lambda route: route.cost) if routes else None


# Each chosen site's sea lane, kept in the process and on disk (oicplan.pipeline_cache): it
# depends on the hubs, the closures and the site, not on the weights that chose the site.
_LANE_CACHE = StageCache("sea lane", maxsize=256, disk=True)


def sea_lane_lines(plan: Plan) -> list[dict]:
    """Sea lanes from the scenario's sea hub to the chosen sites the graph reaches by sea.

    For each chosen site, the lowest-cost route by sea (:func:`oicplan.geo.routing.
    shortest_route` with ``mode="sea"``, on the transport graph of the scenario's
    hubs with its ``transport.avoid`` closures) gives the port where the ship
    arrives; the lane is drawn along searoute's shortest sea path from the sea hub
    to that port (the path the graph's sea edge measures). Sites no sea route
    reaches (inland, or cut off by closures) are left out. Each item: ``site_id,
    port_id, port, lane, km, points`` (``(lat, lon)`` vertices, thinned for the
    map), ``last_leg`` (port → site, or None when the ship arrives at the site
    itself) and ``hub`` (the sea hub's name).

    A site's lane depends on the hubs, the closures and the site only, so it is
    kept (:mod:`oicplan.pipeline_cache`, on disk too): a plan whose sites all have
    their lane kept neither loads the transport graph nor calls searoute.
    """
    from oicplan.geo.graph import hub_specs

    specs = repr(hub_specs(plan.scenario.hubs))
    avoid = tuple(plan.scenario.transport.avoid)
    routing: list = []  # the graph, its sea hubs and its closed passages, made once if needed

    def network() -> tuple:
        if not routing:
            routing.append(_sea_routing(plan))
        return routing[0]

    lanes = []
    for site in plan.chosen.itertuples():
        key = (specs, avoid, site.site_id, float(site.lat), float(site.lon))
        lane = _LANE_CACHE.get(key, lambda site=site: _site_lane(network(), site))
        if lane is not None:
            last_leg = None if lane["last_leg"] is None else list(lane["last_leg"])
            lanes.append({**lane, "points": list(lane["points"]), "last_leg": last_leg})
    return lanes


def _sea_routing(plan: Plan) -> tuple:
    """The plan's transport graph with its closures, its sea hubs and its closed passages."""
    from oicplan.geo import close, closure_plan
    from oicplan.geo.graph import hub_nodes, scenario_graph

    graph = scenario_graph(plan.scenario)  # its hubs and cost index
    if plan.scenario.transport.avoid:
        graph = close(graph, **closure_plan(plan.scenario.transport.avoid, field="transport.avoid"))
    closed = tuple(graph.graph.get("closed", {}).get("passages", []))
    return graph, hub_nodes(graph, "sea"), closed, {}


def _site_lane(routing: tuple, site) -> dict | None:
    """The sea lane item of one chosen site (see :func:`sea_lane_lines`), or None."""
    graph, origins, closed, geometry = routing
    if not origins or site.site_id not in graph:
        return None
    route = _best_sea_route(graph, origins, site.site_id)
    if route is None:
        return None
    legs = list(zip(route.nodes, route.nodes[1:], strict=False))
    sea = next(((u, v) for u, v in legs if "sea" in graph[u][v]), None)
    if sea is None:
        return None
    edge = graph.edges[sea[0], sea[1], "sea"]
    hub, port = graph.nodes[sea[0]], graph.nodes[sea[1]]
    port_id = port.get("site", sea[1])
    if (sea[0], port_id) not in geometry:
        geometry[(sea[0], port_id)] = _sea_geometry(
            (hub["lat"], hub["lon"]), (port["lat"], port["lon"]), closed)
    points = geometry[(sea[0], port_id)]
    if points is None:
        return None
    return {
        "site_id": site.site_id,
        "port_id": port_id,
        "port": port["name"],
        "lane": edge.get("lane", ""),
        "km": float(edge["km"]),
        "points": _thin(points, _SEA_STEP_DEGREES),
        "last_leg": None
        if port_id == site.site_id
        else [(float(port["lat"]), float(port["lon"])), (float(site.lat), float(site.lon))],
        "hub": hub["name"],
    }
