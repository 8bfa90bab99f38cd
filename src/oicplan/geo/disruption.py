"""Disruptions: close a border crossing, a rail segment or a sea passage, and compare.

:func:`close` returns a changed copy of the graph:

* a **border crossing** is removed with its rail edges, so every route through it
  is cut (routes whose crossing is not published are not affected);
* a **rail segment** is a route's name (``Yiwu–Madrid``: its own segment is cut) or
  two node names joined by a dash (``Yiwu–Alashankou``: that edge is cut);
* a **sea passage** is closed in searoute and every sea leg that used it is
  recomputed, so it goes round (longer) or, with no way round, disappears.

:func:`disruption_table` gives every site's access before and after.

>>> from oicplan.geo.graph import build_graph
>>> G = build_graph(sites=["ESP-madrid", "ESP-valencia"])
>>> plan = closure_plan(["suez", "Alashankou"])
>>> plan["passages"], plan["borders"]
(['suez'], ['alashankou'])
>>> table = disruption_table(G, **plan)
>>> table.set_index("site_id").loc["ESP-valencia", "change"]
'slower'
"""

from __future__ import annotations

import re

import pandas as pd

from oicplan.errors import InputError
from oicplan.geo.graph import hub_nodes, set_sea_edge
from oicplan.geo.rail import BORDER_CROSSINGS, border_id
from oicplan.geo.routing import access_table
from oicplan.geo.sea import PASSAGES, passage_key, sea_leg

__all__ = ["close", "closure_plan", "disruption_table"]

_DASHES = r"\s*[–—-]\s*"


def _plain(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


def closure_plan(names, *, field: str = "avoid") -> dict[str, list[str]]:
    """Sort free-text closures into passages, border crossings and rail segments.

    A name is a sea passage (``suez``, ``bab-el-mandeb``, ``hormuz`` ...), a border
    crossing (``alashankou``, ``khorgos``/``altynkol``, ``manzhouli``), or a rail
    segment written with a dash (``Yiwu-Madrid``). Anything else raises
    :class:`InputError` naming ``field``.

    >>> closure_plan(["Bab el Mandeb", "altynkol", "Yiwu-Madrid"])
    {'passages': ['bab-el-mandeb'], 'borders': ['khorgos'], 'segments': ['Yiwu-Madrid']}
    """
    plan: dict[str, list[str]] = {"passages": [], "borders": [], "segments": []}
    for raw in names:
        name = str(raw).strip()
        if not name:
            continue
        passage, border = passage_key(name), border_id(name)
        if passage:
            plan["passages"].append(passage)
        elif border and not re.search(_DASHES, name):
            plan["borders"].append(border)
        elif len(re.split(_DASHES, name)) == 2:
            plan["segments"].append(name)
        else:
            known = ", ".join([*PASSAGES, *BORDER_CROSSINGS])
            raise InputError(
                f"cannot close {name!r}: not a sea passage, border crossing or rail segment "
                f"(A-B); known names: {known}",
                field=field,
            )
    return plan


def _segment_edges(G, segment: str) -> list[tuple]:
    first, second = (_plain(p) for p in re.split(_DASHES, segment))
    edges = []
    for u, v, key, d in G.edges(keys=True, data=True):
        if d["mode"] != "rail":
            continue
        route = d.get("route") or ""
        by_route = bool(route) and [_plain(p) for p in re.split(_DASHES, route)] == [
            first, second]
        by_nodes = (_plain(G.nodes[u]["name"]), _plain(G.nodes[v]["name"])) == (first, second)
        if by_route or by_nodes:
            edges.append((u, v, key))
    return edges


def close(G, *, passages=(), borders=(), segments=()):
    """A copy of ``G`` with the passages, border crossings and rail segments closed.

    Closures add up: closing on an already disrupted graph keeps the earlier ones.
    ``G.graph["closed"]`` lists what is closed.
    """
    H = G.copy()
    closed = {key: list(value) for key, value in G.graph["closed"].items()}
    H.graph["closed"] = closed
    for name in borders:
        key = border_id(name) or name
        node = f"border:{key}"
        if node not in H:
            raise InputError(f"unknown border crossing {name!r}", field="avoid")
        H.remove_node(node)
        closed["borders"].append(BORDER_CROSSINGS[key]["name"])
    for segment in segments:
        edges = _segment_edges(H, segment)
        if not edges:
            raise InputError(f"no rail segment {segment!r} in the graph", field="avoid")
        H.remove_edges_from(edges)
        closed["segments"].append(segment)
    new = []
    for name in passages:
        key = passage_key(name)
        if key is None:
            raise InputError(f"unknown sea passage {name!r}", field="avoid")
        if key not in closed["passages"]:
            closed["passages"].append(key)
            new.append(key)
    for origin in hub_nodes(H, "sea") if new else ():
        o = H.nodes[origin]
        affected = [
            (v, d) for _, v, d in H.out_edges(origin, data=True)
            if d["mode"] == "sea" and set(d["passages"]) & set(new)
        ]
        for gate, _ in affected:
            g = H.nodes[gate]
            leg = sea_leg((o["lat"], o["lon"]), (g["lat"], g["lon"]), closed=closed["passages"])
            set_sea_edge(H, g["site"], leg, origin)
    return H


def _corridor(row, mode: str):
    if mode == "rail":
        return row["rail_route"]
    if mode == "sea":
        return row["sea_lane"]
    return None


def disruption_table(
    G, *, passages=(), borders=(), segments=(), mode: str = "best", weight: str = "cost",
    origins=None,
) -> pd.DataFrame:
    """Every site's access from the home hubs before and after the closures.

    Columns: ``site_id, name, iso3``; ``mode_before, km_before, days_before,
    cost_before, corridor_before`` and the same ``_after``; ``change``: ``lost`` (no
    route left by ``mode``), ``slower`` (more days), ``longer`` (more km, not
    slower), ``costlier`` (only the cost index rose), ``no access`` (none before
    either) or ``unchanged``. Sorted with the worst hit first.
    """
    before = access_table(G, origins=origins, weight=weight).set_index("site_id")
    H = close(G, passages=passages, borders=borders, segments=segments)
    after = access_table(H, origins=origins, weight=weight).set_index("site_id")
    prefix = "best" if mode == "best" else mode
    rows = []
    for site, b in before.iterrows():
        a = after.loc[site]
        row = {"site_id": site, "name": b["name"], "iso3": b["iso3"]}
        for label, r in (("before", b), ("after", a)):
            reached = pd.notna(r[f"{prefix}_km"])
            used = (r["best_mode"] if mode == "best" else mode) if reached else None
            row.update({
                f"mode_{label}": used,
                f"km_{label}": float(r[f"{prefix}_km"]) if reached else None,
                f"days_{label}": float(r[f"{prefix}_days"]) if reached else None,
                f"cost_{label}": float(r[f"{prefix}_cost"]) if reached else None,
                f"corridor_{label}": _corridor(r, used) if used else None,
            })
        if row["km_before"] is None:
            change = "no access"
        elif row["km_after"] is None:
            change = "lost"
        elif row["days_after"] > row["days_before"] + 1e-6:
            change = "slower"
        elif row["km_after"] > row["km_before"] + 1e-6:
            change = "longer"
        elif row["cost_after"] > row["cost_before"] + 1e-6:
            change = "costlier"
        else:
            change = "unchanged"
        row["change"] = change
        rows.append(row)
    table = pd.DataFrame(rows)
    order = {"lost": 0, "slower": 1, "longer": 2, "costlier": 3, "unchanged": 4, "no access": 5}
    table["_order"] = table["change"].map(order)
    table["_delta"] = (table["cost_after"] - table["cost_before"]).fillna(0.0)
    table = table.sort_values(["_order", "_delta"], ascending=[True, False], kind="stable")
    return table.drop(columns=["_order", "_delta"]).reset_index(drop=True)
