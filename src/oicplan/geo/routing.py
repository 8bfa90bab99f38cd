"""Routes, access by mode, corridors and node importance on the transport graph.

A route by one mode may use that mode plus the helpers (truck feeders and last
legs, transfers); ``best`` may use every mode and so picks the mode with the
lowest total ``weight`` (the cost index by default; ``"days"`` or ``"km"`` also work).

>>> from oicplan.geo.graph import build_graph
>>> G = build_graph(sites=["ESP-madrid", "ESP-valencia"])
>>> r = shortest_route(G, "hub:yiwu", "ESP-madrid", mode="rail")
>>> r.km, r.days, r.estimated, [step["node"] for step in r.steps]
(13052.0, 21.0, False, ['Yiwu', 'Alashankou', 'Madrid'])
>>> shortest_route(G, "hub:yiwu", "ESP-madrid", mode="best").mode
'sea'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from oicplan.errors import InputError
from oicplan.geo.assumptions import EDGE_MODES, MODES
from oicplan.geo.graph import hub_id, hub_nodes, sea_lane
from oicplan.geo.sea import PASSAGES

__all__ = [
    "Route",
    "access_table",
    "allowed_modes",
    "corridor_graph",
    "corridors",
    "node_importance",
    "shortest_route",
]

_WEIGHTS = ("cost", "days", "km")


def allowed_modes(mode: str) -> frozenset[str]:
    """Edge modes a route by ``mode`` may use.

    >>> sorted(allowed_modes("rail"))
    ['local', 'rail', 'transfer', 'truck']
    """
    if mode == "best":
        return frozenset(EDGE_MODES)
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; use one of {', '.join(MODES)} or best",
                         field="mode")
    return frozenset({mode, "truck", "transfer", "local"})


def _check_weight(weight: str) -> None:
    if weight not in _WEIGHTS:
        raise InputError(f"unknown weight {weight!r}; use one of {', '.join(_WEIGHTS)}",
                         field="weight")


def _weight_function(modes: frozenset[str], weight: str):
    """networkx weight function for a multigraph: the cheapest allowed parallel edge."""

    def cost(u, v, edges):
        values = [d[weight] for d in edges.values() if d["mode"] in modes]
        return min(values) if values else None

    return cost


def _edge(G, u, v, modes, weight) -> dict:
    return min(
        (d for d in G[u][v].values() if d["mode"] in modes), key=lambda d: d[weight]
    )


@dataclass
class Route:
    """A route: totals and the steps (node, mode and the numbers of the leg into it)."""

    source: str
    target: str
    mode: str
    km: float
    days: float
    cost: float
    estimated: bool
    steps: list[dict] = field(default_factory=list)
    rail_route: str | None = None
    sea_lane: str | None = None
    passages: tuple[str, ...] = ()
    nodes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """``from, to, mode, km, days, path`` (then ``cost``, ``estimated``, corridors)."""
        return {
            "from": self.source,
            "to": self.target,
            "mode": self.mode,
            "km": self.km,
            "days": self.days,
            "path": self.steps,
            "cost": self.cost,
            "estimated": self.estimated,
            "rail_route": self.rail_route,
            "sea_lane": self.sea_lane,
        }


def _route_from_nodes(G, nodes: list, modes, weight) -> Route:
    steps = [{"node": G.nodes[nodes[0]]["name"], "id": nodes[0], "mode": None}]
    km = days = cost = 0.0
    estimated = False
    by_mode: dict[str, float] = {}
    rail_route = lane = None
    passages: tuple[str, ...] = ()
    for u, v in zip(nodes, nodes[1:], strict=False):
        d = _edge(G, u, v, modes, weight)
        km, days, cost = km + d["km"], days + d["days"], cost + d["cost"]
        estimated = estimated or d["estimated"]
        by_mode[d["mode"]] = by_mode.get(d["mode"], 0.0) + d["km"]
        rail_route = d.get("route") or rail_route
        lane = d.get("lane") or lane
        passages = passages + tuple(d.get("passages", ()))
        if d["mode"] == "local":  # from a gate into its city: same place, nothing added
            steps[-1]["id"] = v
            continue
        steps.append({
            "node": G.nodes[v]["name"], "id": v, "mode": d["mode"],
            "km": round(d["km"], 1), "days": round(d["days"], 2),
            "estimated": d["estimated"],
        })
    main = [m for m in MODES if m in by_mode]
    mode = max(main, key=lambda m: by_mode[m]) if main else "truck"
    return Route(
        source=G.nodes[nodes[0]]["name"], target=G.nodes[nodes[-1]]["name"], mode=mode,
        km=round(km, 1), days=round(days, 2), cost=round(cost, 1), estimated=estimated,
        steps=steps, rail_route=rail_route if mode == "rail" else None,
        sea_lane=lane if mode == "sea" else None, passages=passages, nodes=list(nodes),
    )


def _closed_text(G) -> str:
    closed = G.graph.get("closed", {})
    items = [x for key in ("passages", "borders", "segments") for x in closed.get(key, [])]
    return f" with {', '.join(items)} closed" if items else ""


def shortest_route(G, source, target, *, mode: str = "best", weight: str = "cost") -> Route:
    """The lowest-``weight`` route from node ``source`` to node ``target`` by ``mode``.

    Raises :class:`InputError` (field ``to``) if no route connects them.
    """
    _check_weight(weight)
    modes = allowed_modes(mode)
    for node, name in ((source, "from"), (target, "to")):
        if node not in G:
            raise InputError(f"{node!r} is not in the transport graph", field=name)
    try:
        nodes = nx.dijkstra_path(G, source, target, weight=_weight_function(modes, weight))
    except nx.NetworkXNoPath:
        by = "any mode" if mode == "best" else mode
        raise InputError(
            f"no route from {G.nodes[source]['name']} to {G.nodes[target]['name']} by "
            f"{by}{_closed_text(G)}",
            field="to",
        ) from None
    return _route_from_nodes(G, nodes, modes, weight)


def _hub_nodes(G, origins) -> list[str]:
    if origins is None:
        return [n for n, d in G.nodes(data=True) if d["kind"] == "hub"]
    return [o if o in G else hub_id(o) for o in origins]


def _best_by(G, sources, mode, weight) -> dict[str, Route]:
    modes = allowed_modes(mode)
    _, paths = nx.multi_source_dijkstra(G, sources, weight=_weight_function(modes, weight))
    return {
        n: _route_from_nodes(G, paths[n], modes, weight)
        for n, d in G.nodes(data=True)
        if d["kind"] == "site" and n in paths
    }


def access_table(G, *, origins=None, weight: str = "cost") -> pd.DataFrame:
    """For every site, the best route from the home hubs overall and by each mode.

    Columns: ``site_id, name, iso3, best_mode, best_from, best_km, best_days,
    best_cost, best_estimated``, then for each of rail, sea and air ``<mode>_km,
    <mode>_days, <mode>_cost, <mode>_estimated`` (NaN/None where the mode does not
    reach the site), ``rail_route`` and ``sea_lane`` (the corridor of the best rail
    and sea route). ``origins`` restricts the hubs (names or node ids).
    """
    _check_weight(weight)
    sources = _hub_nodes(G, origins)
    results = {mode: _best_by(G, sources, mode, weight) for mode in ("best", *MODES)}
    rows = []
    for n, d in G.nodes(data=True):
        if d["kind"] != "site":
            continue
        row = {"site_id": n, "name": d["name"], "iso3": d["iso3"]}
        best = results["best"].get(n)
        row.update({
            "best_mode": best.mode if best else None,
            "best_from": best.source if best else None,
            "best_km": best.km if best else None,
            "best_days": best.days if best else None,
            "best_cost": best.cost if best else None,
            "best_estimated": best.estimated if best else None,
        })
        for mode in MODES:
            r = results[mode].get(n)
            row.update({
                f"{mode}_km": r.km if r else None,
                f"{mode}_days": r.days if r else None,
                f"{mode}_cost": r.cost if r else None,
                f"{mode}_estimated": r.estimated if r else None,
            })
        rail, sea = results["rail"].get(n), results["sea"].get(n)
        row["rail_route"] = rail.rail_route if rail else None
        row["sea_lane"] = sea.sea_lane if sea else None
        rows.append(row)
    return pd.DataFrame(rows)


def corridors(G, *, weight: str = "cost") -> list[dict]:
    """Every rail route and sea lane: its nodes, figures and the sites it serves best.

    A site belongs to the rail route of its best rail route, and to the sea lane of
    its best sea route (by ``weight``), so it can be in one of each.
    """
    table = access_table(G, weight=weight)
    out = []
    for u, v, d in G.edges(data=True):
        if d["mode"] != "rail" or not d.get("route"):
            continue
        nodes = [v]
        total_km, total_days = d["km"], d["days"]
        if G.nodes[u]["kind"] == "border":
            origin = d["origin"]
            first = G.edges[origin, u, "rail"]
            nodes = [origin, u, v]
            total_km, total_days = total_km + first["km"], total_days + first["days"]
        else:
            nodes = [u, v]
        served = table.loc[table["rail_route"] == d["route"], "site_id"].tolist()
        out.append({
            "corridor": d["route"], "mode": "rail",
            "nodes": [G.nodes[n]["name"] for n in nodes],
            "km": round(total_km, 1), "days": round(total_days, 2),
            "estimated": d["estimated"], "sites": served,
        })
    lanes: dict[tuple[str, str], dict] = {}
    for origin in hub_nodes(G, "sea"):
        hub = G.nodes[origin]["name"]
        for _, v, d in G.out_edges(origin, data=True):
            if d["mode"] != "sea":
                continue
            lane = lanes.setdefault((origin, d["lane"]), {
                "corridor": d["lane"], "mode": "sea",
                "nodes": [hub] + [PASSAGES[p][1] for p in d["passages"]],
                "ports": [], "sites": [],
            })
            lane["ports"].append(G.nodes[v]["name"])
    for (_, name), lane in lanes.items():
        lane["sites"] = table.loc[table["sea_lane"] == name, "site_id"].tolist()
        out.append(lane)
    return out


def corridor_graph(G) -> nx.DiGraph:
    """Corridors only: hubs → crossings → rail terminals, sea hubs → passages → sea ports.

    Passage nodes are ``passage:<key>``; air, trucks and transfers are left out.
    """
    C = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        v = G.nodes[v].get("site", v)  # a gate stands for its site
        if d["mode"] == "rail":
            for n in (u, v):
                C.add_node(n, name=G.nodes[n]["name"], kind=G.nodes[n]["kind"])
            C.add_edge(u, v, mode="rail")
        elif d["mode"] == "sea":
            chain = [u] + [f"passage:{p}" for p in d["passages"]] + [v]
            for n in chain:
                if n.startswith("passage:"):
                    C.add_node(n, name=PASSAGES[n.split(":", 1)[1]][1], kind="passage")
                else:
                    C.add_node(n, name=G.nodes[n]["name"], kind=G.nodes[n]["kind"])
            nx.add_path(C, chain, mode="sea")
    return C


def node_importance(G, *, weight: str = "cost") -> pd.DataFrame:
    """Hubs, crossings and passages ranked by how much of the network runs through them.

    Columns: ``node, name, kind, betweenness`` (normalized betweenness centrality on
    :func:`corridor_graph`), ``sites_served`` (sites whose best route from the home
    hubs passes the node) and ``sites_served_rail`` / ``sites_served_sea`` (the same
    for the best rail and best sea route).
    """
    C = corridor_graph(G)
    betweenness = nx.betweenness_centrality(C, normalized=True)
    sources = _hub_nodes(G, None)
    counts: dict[str, dict[str, int]] = {}
    for mode in ("best", "rail", "sea"):
        for route in _best_by(G, sources, mode, weight).values():
            through = {n for n in route.nodes[:-1] if G.nodes[n]["kind"] in ("hub", "border")}
            through |= {f"passage:{p}" for p in route.passages}
            for node in through:
                counts.setdefault(node, {}).setdefault(mode, 0)
                counts[node][mode] += 1
    rows = []
    for node, data in C.nodes(data=True):
        if data["kind"] == "site":
            continue
        c = counts.get(node, {})
        rows.append({
            "node": node, "name": data["name"], "kind": data["kind"],
            "betweenness": round(float(betweenness.get(node, 0.0)), 6),
            "sites_served": int(c.get("best", 0)),
            "sites_served_rail": int(c.get("rail", 0)),
            "sites_served_sea": int(c.get("sea", 0)),
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["betweenness", "sites_served"], ascending=False,
                             ignore_index=True)


# ``sea_lane`` is re-exported for readers who build lane names from passages.
_ = sea_lane
