"""The multimodal transport graph from a scenario's hubs to every candidate site.

One ``networkx.MultiDiGraph``; parallel edges between two places are keyed by mode.

Nodes (attribute ``kind``):

* ``hub`` - the home hubs of a scenario (default: the five of ``zhejiang``,
  ``hub:yiwu`` ...), each with the ``modes`` that start there (:func:`hub_modes`);
* ``border`` - the rail border crossings (``border:alashankou`` ...), so one can be closed;
* ``site`` - every candidate site (its ``site_id``), with ``seaport`` and ``rail_route``;
* ``gate`` - the rail terminal or sea port of a site (``<site_id>|gate``), where rail
  and sea arrive; a ``local`` edge (no km, no time) leads into the city, a
  ``transfer`` edge to its road side. Air lands in the city itself, so a flight is
  never followed by a foreign truck leg;
* ``road`` - the road side of a hub or gate (``<id>|road``), where a truck leg
  starts or ends; a ``transfer`` edge joins it to its place.

Edges (attribute ``mode``), each with ``km``, ``days``, ``cost`` (the cost index),
``estimated`` and ``basis`` (how the numbers were obtained):

* ``rail`` - rail hub → crossing → terminal for each route: the published Yiwu/Jinhua
  routes where the hub is their origin, estimates from any other rail hub
  (:func:`oicplan.geo.rail.hub_rail_routes`; see below);
* ``sea`` - each sea hub (Ningbo-Zhoushan) → every site that is a sea port, with
  ``passages`` and ``lane``;
* ``air`` - each air hub (Hangzhou and Ningbo) → every site;
* ``truck`` - between the home hubs (feeder), and from a rail terminal or sea port
  to the sites around it (last leg): great circle x road circuity. A truck leg
  respects the sea (:func:`drivable`): water on its great circle wider than
  ``truck_max_sea_km`` (40 km: the Dover Strait under the Channel Tunnel is 33 km)
  must be driven round, within ``truck_sea_detour`` (3) times its width and the
  leg's road km, or there is no leg (no truck across the Irish Sea, the Gulf or
  the Mediterranean); a site then takes its next nearest gateway;
* ``transfer`` - changing mode at a place (time and fixed cost, no km);
* ``local`` - from a gate into its city (nothing).

A rail route with a stated crossing is split there. The first segment (origin →
crossing) is estimated once per origin and crossing (great circle × the rail
circuity factor, at the median rail speed) and shared by every route through
that crossing; the second segment is the route's total minus it. A path along a
route therefore adds up to the route's total exactly: published where published.

>>> G = build_graph(sites=["ESP-madrid", "ESP-valencia"])
>>> sorted(k for _, _, k in G.out_edges("hub:ningbo-zhoushan", keys=True))[:3]
['air', 'air', 'sea']
>>> G.nodes["border:alashankou"]["name"]
'Alashankou'
>>> find_place(G, "madrid"), find_place(G, "Ningbo", kind="hub")
('ESP-madrid', 'hub:ningbo-zhoushan')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd

from oicplan.data.dataset import load_dataset
from oicplan.data.geography import great_circle_km
from oicplan.errors import InputError
from oicplan.geo.assumptions import Assumptions, in_force
from oicplan.geo.rail import (
    BORDER_CROSSINGS,
    ESTIMATED_SOURCE,
    hub_rail_routes,
    rail_estimates,
    rail_routes,
)
from oicplan.geo.sea import PASSAGES, crosses_open_sea, is_coastal, landmass, sea_leg

__all__ = [
    "AIR_HUBS",
    "SEA_HUB",
    "HubSpec",
    "build_graph",
    "default_hubs",
    "drivable",
    "edge_attributes",
    "find_place",
    "gate_id",
    "hub_id",
    "hub_modes",
    "hub_nodes",
    "hub_specs",
    "recost",
    "road_id",
    "scenario_graph",
    "sea_lane",
    "set_sea_edge",
    "transport_graph",
]

# The roles of the zhejiang scenario's hubs (its YAML states them as ``modes``).
SEA_HUB = "Ningbo-Zhoushan"
AIR_HUBS = ("Hangzhou", "Ningbo-Zhoushan")
# Short names people type for a hub (used when that hub is in the graph).
_HUB_ALIASES = {"ningbo": "Ningbo-Zhoushan", "zhoushan": "Ningbo-Zhoushan"}

#: One hub as the graph uses it: ``(name, lat, lon, modes)`` (hashable: a cache key).
HubSpec = tuple[str, float, float, tuple[str, ...]]
# How many gateways (of each kind: sea port, rail terminal) serve a site by truck.
_GATEWAYS_PER_SITE = 3


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def hub_id(name: str) -> str:
    """Node id of a home hub.

    >>> hub_id("Ningbo-Zhoushan")
    'hub:ningbo-zhoushan'
    """
    return "hub:" + _plain(name).replace(" ", "-")


def hub_modes(hub) -> tuple[str, ...]:
    """The transport modes that start at a scenario hub (:class:`oicplan.scenario.Hub`).

    Its ``modes`` when given. Left out (a scenario file older than hub modes): the
    modes of the built-in ``zhejiang`` hub of the same name, so such a file keeps
    its results; any other hub gets ``air``, ``sea`` if it is a sea port (open sea
    within ``COAST_KM``, the rule for sites) and ``rail`` if published routes start there.

    >>> from oicplan.scenario import Hub
    >>> hub_modes(Hub(name="Ningbo-Zhoushan", lat=29.87819, lon=121.54945))
    ('sea', 'air')
    >>> hub_modes(Hub(name="Dongguan", lat=23.01797, lon=113.74866, modes=["rail"]))
    ('rail',)
    """
    if hub.modes is not None:
        return tuple(hub.modes)
    for known in _zhejiang_hubs():
        if _plain(known.name) == _plain(hub.name) and known.modes is not None:
            return tuple(known.modes)
    from oicplan.geo.assumptions import COAST_KM, MODES

    origins = {_plain(origin) for origin in rail_routes()["origin"]}
    found = {"air"}
    if is_coastal(hub.lat, hub.lon, COAST_KM):
        found.add("sea")
    if _plain(hub.name) in origins:
        found.add("rail")
    return tuple(m for m in MODES if m in found)


@lru_cache(maxsize=1)
def _zhejiang_hubs() -> tuple:
    from oicplan.scenario import load_scenario

    return tuple(load_scenario("zhejiang").hubs)


def hub_specs(hubs=None) -> tuple[HubSpec, ...]:
    """``(name, lat, lon, modes)`` of each hub (default: the ``zhejiang`` scenario's).

    ``hubs`` are :class:`oicplan.scenario.Hub` models or ready specs.

    >>> [spec[0] for spec in hub_specs() if "rail" in spec[3]]
    ['Yiwu', 'Jinhua']
    """
    if hubs is None:
        hubs = _zhejiang_hubs()
    return tuple(
        hub if isinstance(hub, tuple)
        else (hub.name, float(hub.lat), float(hub.lon), hub_modes(hub))
        for hub in hubs
    )


def default_hubs() -> tuple[HubSpec, ...]:
    """The ``zhejiang`` scenario's hubs (whose access the snapshot has precomputed)."""
    return hub_specs(None)


def hub_nodes(G, mode: str | None = None) -> list[str]:
    """Hub node ids of ``G``, in the scenario's order; with ``mode``, those serving it.

    >>> G = build_graph(sites=["ESP-madrid"])
    >>> hub_nodes(G, "sea"), hub_nodes(G, "air")
    (['hub:ningbo-zhoushan'], ['hub:hangzhou', 'hub:ningbo-zhoushan'])
    """
    return [
        n for n, d in G.nodes(data=True)
        if d["kind"] == "hub" and (mode is None or mode in d.get("modes", ()))
    ]


def road_id(node: str) -> str:
    """Node id of the road side of a place."""
    return f"{node}|road"


def gate_id(site: str) -> str:
    """Node id of the rail terminal or sea port of a site."""
    return f"{site}|gate"


def sea_lane(passages) -> str:
    """Name of a sea lane from the passages it crosses, in order.

    >>> sea_lane(("malacca", "bab-el-mandeb", "suez")), sea_lane(())
    ('Malacca–Bab-el-Mandeb–Suez', 'direct')
    """
    if not passages:
        return "direct"
    short = {
        "malacca": "Malacca", "sunda": "Sunda", "hormuz": "Hormuz",
        "bab-el-mandeb": "Bab-el-Mandeb", "suez": "Suez", "bosporus": "Bosporus",
        "gibraltar": "Gibraltar", "good-hope": "Good Hope", "panama": "Panama",
        "cape-horn": "Cape Horn", "bering": "Bering", "northwest": "Northwest",
    }
    return "–".join(short[p] for p in passages)


def _edge_cost(a: Assumptions, mode: str, km: float, days: float) -> float:
    """The cost index of an edge: km and days by ``mode``, plus the fixed cost of a transfer."""
    cost = a.cost_index(mode, km=km, days=days)
    if mode == "transfer":
        cost += a.transfer_cost
    return float(cost)


def _add_edge(G, u, v, mode, km, days, *, estimated, basis, **extra) -> None:
    a: Assumptions = G.graph["assumptions"]
    G.add_edge(
        u, v, key=mode, mode=mode, km=float(km), days=float(days),
        cost=_edge_cost(a, mode, float(km), float(days)),
        estimated=bool(estimated), basis=basis, **extra,
    )


def recost(G, assumptions: Assumptions):
    """A copy of ``G`` whose edges cost by ``assumptions``' cost index (km and days kept).

    Only the cost index may differ from the graph's own assumptions (speeds and
    detours decide km and days, which a recost keeps): other changes need
    :func:`build_graph`. The copy's ``G.graph["assumptions"]`` are ``assumptions``.

    >>> G = build_graph(sites=["ESP-madrid"])
    >>> H = recost(G, G.graph["assumptions"].with_costs(Assumptions(cost_per_km={"air": 8.0})))
    >>> leg = ("hub:hangzhou", "ESP-madrid", "air")
    >>> e, f = G.edges[leg], H.edges[leg]
    >>> f["km"] == e["km"], round(f["cost"] - e["cost"], 6) == round(4.0 * e["km"], 6)
    (True, True)
    """
    own: Assumptions = G.graph["assumptions"]
    if own.with_costs(assumptions) != assumptions:
        raise ValueError("recost changes only the cost index; build a new graph for the rest")
    H = G.copy()
    H.graph["assumptions"] = assumptions
    H.graph["closed"] = {key: list(value) for key, value in G.graph["closed"].items()}
    for _, _, data in H.edges(data=True):
        data["cost"] = _edge_cost(assumptions, data["mode"], data["km"], data["days"])
    return H


def edge_attributes(G, u, v, mode: str) -> dict:
    """Attributes of the ``mode`` edge from ``u`` to ``v``."""
    return G.edges[u, v, mode]


def set_sea_edge(G, site: str, leg, origin: str | None = None) -> None:
    """Add or replace the sea edge from sea hub node ``origin`` to ``site`` for a :class:`SeaLeg`.

    ``origin`` defaults to the graph's first sea hub.
    """
    a: Assumptions = G.graph["assumptions"]
    origin = origin or hub_nodes(G, "sea")[0]
    gate = gate_id(site)
    if G.has_edge(origin, gate, "sea"):
        G.remove_edge(origin, gate, "sea")
    if leg is None:
        return
    days = leg.km / a.sea_km_per_day + a.sea_port_days
    closed = G.graph["closed"]["passages"]
    basis = (
        f"searoute shortest sea path at {a.sea_speed_knots:g} kn plus {a.sea_port_days:g} "
        "port days (assumptions)"
        + (f"; closed: {', '.join(closed)}" if closed else "")
    )
    _add_edge(
        G, origin, gate, "sea", leg.km, days, estimated=True, basis=basis,
        passages=tuple(leg.passages), lane=sea_lane(leg.passages),
    )


def _select_sites(sites, dataset) -> pd.DataFrame:
    table = dataset.sites
    if sites is None:
        return table
    if isinstance(sites, pd.DataFrame):
        return sites
    wanted = list(sites)
    unknown = sorted(set(wanted) - set(table["site_id"]))
    if unknown:
        raise InputError(f"unknown site_id {unknown[0]!r}", field="sites")
    return table[table["site_id"].isin(wanted)]


def _add_rail(G, routes: pd.DataFrame, estimates) -> None:
    hubs = {data["name"]: node for node, data in G.nodes(data=True) if data["kind"] == "hub"}
    domestic: dict[tuple[str, str], tuple[float, float]] = {}
    for route in routes.itertuples():
        if gate_id(route.site_id) not in G:
            continue
        origin = hubs[route.origin]
        flags = dict(estimated=route.km_estimated or route.days_estimated, route=route.route,
                     origin=origin)
        if not isinstance(route.border_key, str):
            _add_edge(G, origin, gate_id(route.site_id), "rail", route.km, route.days,
                      basis=f"{route.route}: whole route, crossing not stated; {route.basis}",
                      **flags)
            continue
        border = f"border:{route.border_key}"
        if (origin, border) not in domestic:
            o, b = G.nodes[origin], G.nodes[border]
            km = great_circle_km(o["lat"], o["lon"], b["lat"], b["lon"]) * estimates.circuity
            domestic[(origin, border)] = (km, km / estimates.km_per_day)
            # A share of published totals, except from a hub no published route starts at.
            _add_edge(
                G, origin, border, "rail", km, domestic[(origin, border)][1],
                estimated=route.source == ESTIMATED_SOURCE, route=None,
                basis=(
                    "share of each route's total up to the crossing: great circle x "
                    f"{estimates.circuity:.3f} at {estimates.km_per_day:.0f} km/day; the "
                    "next segment is the total minus this share, so a path's total is "
                    "the route's figure"
                ),
            )
        first_km, first_days = domestic[(origin, border)]
        _add_edge(
            G, border, gate_id(route.site_id), "rail", max(route.km - first_km, 0.0),
            max(route.days - first_days, 0.0),
            basis=f"{route.route}: total minus the share up to {route.border}; {route.basis}",
            **flags,
        )
        G.nodes[border]["routes"].append(route.route)


def drivable(G, u: str, v: str) -> bool:
    """True if a truck can drive between places ``u`` and ``v`` without crossing open sea.

    The rule of :func:`oicplan.geo.sea.crosses_open_sea` with the graph's assumptions
    ``truck_max_sea_km``, ``truck_sea_detour`` and ``road_circuity``.
    """
    a: Assumptions = G.graph["assumptions"]
    p, q = G.nodes[u], G.nodes[v]
    return not crosses_open_sea(
        p["lat"], p["lon"], q["lat"], q["lon"], a.truck_max_sea_km,
        detour=a.truck_sea_detour, circuity=a.road_circuity,
    )


def _add_trucks(G, gateways: list[str], sites: list[str], a: Assumptions) -> None:
    """Last-leg trucks from the nearest gateways of each kind that a truck can reach.

    A gateway counts if it is on the site's landmass (a quick first filter) and the
    leg does not cross open sea (:func:`drivable`); otherwise the next nearest is tried.
    """
    for site in sites:
        s = G.nodes[site]
        for kind in ("seaport", "rail_route"):
            pool = [g for g in gateways if g != site and G.nodes[g][kind]]
            ranked = sorted(
                (great_circle_km(s["lat"], s["lon"], G.nodes[g]["lat"], G.nodes[g]["lon"]), g)
                for g in pool
            )
            found = 0
            for gc, gateway in ranked:
                if gc > a.last_leg_max_km or found == _GATEWAYS_PER_SITE:
                    break
                if G.nodes[gateway]["landmass"] != s["landmass"] or not s["landmass"]:
                    continue
                if not drivable(G, gateway, site):
                    continue
                found += 1
                if G.has_edge(road_id(gate_id(gateway)), site, "truck"):
                    continue
                km = gc * a.road_circuity
                _add_edge(
                    G, road_id(gate_id(gateway)), site, "truck", km, km / a.truck_km_per_day,
                    estimated=True,
                    basis=(f"great circle x road circuity {a.road_circuity:g} at "
                           f"{a.truck_km_per_day:g} km/day; no water wider than "
                           f"{a.truck_max_sea_km:g} km crossed (assumptions)"),
                )


def build_graph(sites=None, *, hubs=None, assumptions: Assumptions | None = None,
                dataset=None):
    """Build the transport graph for ``sites`` (site_ids, a sites table, or None for all).

    Parameters
    ----------
    sites : list of str or DataFrame, optional
        The candidate sites to include (default: every site of the dataset).
    hubs : list of Hub or HubSpec, optional
        The home hubs and their modes (default: the ``zhejiang`` scenario's).
    assumptions : Assumptions, optional
        Speeds, detours, handling times and the cost index (default: the stated
        assumptions with the cost index in force, :func:`oicplan.geo.assumptions.in_force`).
    dataset : Dataset, optional
        The snapshot to read (default: the embedded one).

    Returns
    -------
    networkx.MultiDiGraph
        With ``G.graph["assumptions"]``, ``G.graph["rail_estimates"]`` and
        ``G.graph["closed"]`` (what is closed: passages, borders, segments) and
        ``G.graph["hubs"]`` (the :data:`HubSpec` of each hub).
    """
    dataset = dataset or load_dataset()
    a = assumptions or in_force()
    table = _select_sites(sites, dataset)
    estimates = rail_estimates(dataset)
    specs = hub_specs(hubs)
    routes = hub_rail_routes(
        [(name, lat, lon) for name, lat, lon, modes in specs if "rail" in modes], dataset)
    G = nx.MultiDiGraph(
        assumptions=a, rail_estimates=estimates,
        closed={"passages": [], "borders": [], "segments": []}, hubs=specs,
    )
    roles = {hub.name: hub.role for hub in hubs or _zhejiang_hubs() if not isinstance(hub, tuple)}
    for name, lat, lon, modes in specs:
        node = hub_id(name)
        G.add_node(node, kind="hub", name=name, lat=lat, lon=lon, iso3="CHN",
                   role=roles.get(name, ""), modes=modes)
        G.add_node(road_id(node), kind="road", name=name, lat=lat, lon=lon, iso3="CHN")
        _add_edge(G, road_id(node), node, "transfer", 0.0, a.transfer_days, estimated=True,
                  basis="change from truck to the next mode (assumption)")
    for key, crossing in BORDER_CROSSINGS.items():
        G.add_node(f"border:{key}", kind="border", name=crossing["name"], lat=crossing["lat"],
                   lon=crossing["lon"], iso3="CHN", routes=[])
    published = rail_routes(dataset)
    route_of = dict(zip(published["site_id"], published["route"], strict=True))
    for row in table.itertuples():
        G.add_node(
            row.site_id, kind="site", name=row.name, iso3=row.iso3, lat=float(row.lat),
            lon=float(row.lon), site_type=row.site_type,
            seaport=is_coastal(float(row.lat), float(row.lon), a.coast_km),
            rail_route=route_of.get(row.site_id, ""),
            landmass=landmass(float(row.lat), float(row.lon)),
        )
    site_ids = list(table["site_id"])

    # Domestic feeders: a truck between every pair of hubs that a truck can drive
    # between (all of Zhejiang's: Hangzhou Bay and Zhoushan are bridged), then a transfer.
    for u_name, u_lat, u_lon, _ in specs:
        for v_name, v_lat, v_lon, _ in specs:
            if u_name != v_name and drivable(G, hub_id(u_name), hub_id(v_name)):
                km = great_circle_km(u_lat, u_lon, v_lat, v_lon) * a.road_circuity
                _add_edge(G, hub_id(u_name), road_id(hub_id(v_name)), "truck", km,
                          km / a.truck_km_per_day, estimated=True,
                          basis=f"great circle x road circuity {a.road_circuity:g} (assumption)")

    gateways = [s for s in site_ids if G.nodes[s]["seaport"] or G.nodes[s]["rail_route"]]
    for gateway in gateways:
        g = G.nodes[gateway]
        where = {k: g[k] for k in ("name", "lat", "lon", "iso3")}
        G.add_node(gate_id(gateway), kind="gate", site=gateway, **where)
        G.add_node(road_id(gate_id(gateway)), kind="road", site=gateway, **where)
        _add_edge(G, gate_id(gateway), gateway, "local", 0.0, 0.0, estimated=False,
                  basis="from the terminal or port into the city (nothing added)")
        _add_edge(G, gate_id(gateway), road_id(gate_id(gateway)), "transfer", 0.0,
                  a.transfer_days, estimated=True,
                  basis="change from rail or sea to truck (assumption)")

    _add_rail(G, routes, estimates)

    for origin in hub_nodes(G, "sea"):
        sea_origin = G.nodes[origin]
        for site in site_ids:
            if G.nodes[site]["seaport"]:
                node = G.nodes[site]
                leg = sea_leg((sea_origin["lat"], sea_origin["lon"]), (node["lat"], node["lon"]))
                set_sea_edge(G, site, leg, origin)

    for origin in hub_nodes(G, "air"):
        h = G.nodes[origin]
        for site in site_ids:
            s = G.nodes[site]
            km = great_circle_km(h["lat"], h["lon"], s["lat"], s["lon"]) * a.air_detour
            days = a.air_handling_days + km / a.air_km_per_hour / 24
            _add_edge(
                G, origin, site, "air", km, days, estimated=True,
                basis=(f"great circle x detour {a.air_detour:g}, {a.air_km_per_hour:g} km/h, "
                       f"{a.air_handling_days:g} handling days (assumptions)"),
            )

    _add_trucks(G, gateways, site_ids, a)
    return G


def _cache_file(specs: tuple[HubSpec, ...] | None = None) -> Path:
    """Where the graph of the hubs ``specs`` (default: zhejiang's) is cached.

    The name is keyed by the hubs (names, coordinates, modes), the stated
    assumptions (the cost index included: a default changed in
    :mod:`oicplan.assumptions` never reads a graph costed with the old one), the
    dataset version, this package's code and the
    environment that unpickles it (Python, networkx, pandas, numpy, and whether
    pyarrow is installed: pandas stores text with it when it is), so a cache
    written by another virtual environment sharing the same home is never read.
    ``OICPLAN_CACHE_DIR`` overrides the folder (default ``~/.cache/oicplan``).
    Only the graph with the stated cost index is written; a scenario's own cost
    index is applied to it in memory (:func:`recost`).
    """
    import hashlib
    import os

    folder = Path(os.environ.get("OICPLAN_CACHE_DIR") or Path.home() / ".cache" / "oicplan")
    code = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        code.update(source.read_bytes())
    code.update(_environment_key().encode())
    code.update(repr(specs or default_hubs()).encode())
    code.update(repr(sorted(Assumptions().as_dict().items())).encode())
    return folder / f"transport-{load_dataset().version}-{code.hexdigest()[:12]}.pickle"


def _environment_key() -> str:
    """Python and library versions that decide whether a pickled graph loads."""
    import sys
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    for package in ("networkx", "pandas", "numpy", "pyarrow"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    return "; ".join(parts)


def graph_is_cached(hubs=None) -> bool:
    """True if :func:`transport_graph` of ``hubs`` will load from memory or disk (no slow build)."""
    specs = hub_specs(hubs)
    return any(key[0] == specs for key in _built) or _cache_file(specs).is_file()


# Graphs built or loaded in this process, by hub set and cost index (a few at most):
# the stated cost index's graph of each hub set, and up to _RECOSTED others.
_built: dict[tuple, object] = {}
_RECOSTED = 8


def transport_graph(hubs=None):
    """The graph of every candidate site from ``hubs`` (default: zhejiang's), built once.

    One graph per hub set (names, coordinates and modes; see :func:`hub_specs`) and
    cost index in force (:func:`oicplan.geo.assumptions.in_force`: a scenario's
    ``transport.*`` assumptions while its plan is made). Building calls searoute
    for every site and sea hub (about 15 s), so the graph with the stated cost
    index is also cached on disk (see :func:`_cache_file`); a cache that does not
    load is rebuilt. Another cost index is applied to that graph (:func:`recost`,
    km and days unchanged) and kept in memory under its own key, so a plan never
    reads a graph costed with other numbers. Do not change it in place:
    :func:`oicplan.geo.close` returns a changed copy.
    """
    specs = hub_specs(hubs)
    stated = Assumptions()
    wanted = in_force(stated)
    key = (specs, wanted.cost_key())
    found = _built.get(key)
    if found is not None:
        return found
    base_key = (specs, stated.cost_key())
    G = _built.get(base_key)
    if G is None:
        path = _cache_file(specs)
        G = _load_cached_graph(path)
        if G is None:
            G = build_graph(hubs=specs, assumptions=stated)
            _save_cached_graph(G, path)
        _built[base_key] = G
    if key == base_key:
        return G
    recosted = [k for k in list(_built) if k[1] != base_key[1]]
    for old in recosted[: max(0, len(recosted) - _RECOSTED + 1)]:
        _built.pop(old, None)  # the oldest first (a dict keeps insertion order)
    H = recost(G, wanted)
    _built[key] = H
    return H


transport_graph.cache_clear = _built.clear  # type: ignore[attr-defined]


def scenario_graph(scenario):
    """The transport graph of a :class:`~oicplan.scenario.Scenario`: its hubs, its cost index.

    :func:`transport_graph` of the scenario's ``hubs`` with its ``transport.*``
    assumptions in force (the stated ones where it sets none): the graph its plan
    reads, for whoever draws or explains that plan (map, site profiles, disruption).

    >>> from oicplan.scenario import load_scenario
    >>> scenario = load_scenario("zhejiang")
    >>> scenario_graph(scenario) is transport_graph(scenario.hubs)
    True
    """
    from oicplan.assumptions import applied

    with applied(scenario.assumptions):
        return transport_graph(scenario.hubs)


def _load_cached_graph(path: Path):
    """The graph pickled at ``path``, or None if it is missing or does not load.

    Any failure counts as a miss: a cache is disposable, and one written by other
    code may fail in any way (a missing module, a changed class, a truncated file).
    """
    import pickle

    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - see docstring: every failure means "rebuild"
        return None


def _save_cached_graph(G, path: Path) -> None:
    """Pickle ``G`` to ``path`` atomically; a read-only home just means no cache."""
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as out:
            pickle.dump(G, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(out.name).replace(path)
    except OSError:
        pass


def find_place(G, text: str, *, kind: str = "site", field: str = "to") -> str:
    """Node id of the site (or hub, ``kind="hub"``) named ``text``.

    A site matches by ``site_id`` or name, a hub by name; case and accents are
    ignored. An unknown or ambiguous name raises :class:`InputError` naming ``field``.
    """
    wanted = _plain(text)
    if not wanted:
        raise InputError("give a place name", field=field)
    if kind == "hub":
        hubs = {_plain(d["name"]): n for n, d in G.nodes(data=True) if d["kind"] == "hub"}
        hubs.update({alias: hub_id(name) for alias, name in _HUB_ALIASES.items()
                     if hub_id(name) in G})
        if wanted in hubs:
            return hubs[wanted]
        names = sorted(G.nodes[n]["name"] for n in set(hubs.values()))
        raise InputError(f"unknown hub {text!r}; use one of {', '.join(names)}", field=field)
    sites = [(n, d) for n, d in G.nodes(data=True) if d["kind"] == "site"]
    by_id = [n for n, _ in sites if _plain(n) == wanted]
    if by_id:
        return by_id[0]
    by_name = [n for n, d in sites if _plain(d["name"]) == wanted]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:  # e.g. Valencia in Spain and in Venezuela: say how to pick one
        choices = ", ".join(f"{n} ({G.nodes[n].get('iso3', '?')})" for n in sorted(by_name))
        raise InputError(
            f"{text!r} names {len(by_name)} sites: {choices}; give one of these site ids "
            f"instead of the name, e.g. {sorted(by_name)[0]!r}",
            field=field,
        )
    hint = [n for n, d in sites if wanted in _plain(d["name"])][:5]
    more = f"; did you mean {', '.join(hint)}?" if hint else ""
    raise InputError(f"unknown city {text!r}: not a candidate site{more}", field=field)


# Passage display names, re-exported for readers of the graph.
PASSAGE_NAMES = {key: value[1] for key, value in PASSAGES.items()}
