"""The built innovation network and its measures (paper sections 2.2 and 2.3).

:class:`InnovationNetwork` holds the directed graph that
:func:`oicplan.network.build.build_network` assembles and measures it on the
*actor* graph (every kind but ``industry``, undirected): density, components,
degree, betweenness (:func:`betweenness`), brokers and suggested links. The
method is described in :mod:`oicplan.network.build` and docs/network.md.

>>> graph = nx.DiGraph()
>>> graph.add_node("a", kind="enterprise", name="A")
>>> graph.add_node("b", kind="center", name="B")
>>> graph.add_edge("a", "b", relation="client")
>>> InnovationNetwork(graph).measures()["density"]
1.0
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from oicplan.match.enterprises import SYNTHETIC_NOTE
from oicplan.network.files import KINDS

__all__ = ["InnovationNetwork", "actor_graph", "betweenness"]


# -- private helpers ---------------------------------------------------------
def _native(value: object) -> object:
    """Plain Python scalars for JSON (numpy and pandas values, NaN → None)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def _brandes(graph: nx.Graph, source, weight_of: dict) -> dict:
    """One source's dependencies ``δ_s(w)`` (unweighted Brandes), times ``weight_of[s]``."""
    order, preds = [], {source: []}
    sigma, dist = {source: 1.0}, {source: 0}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in graph[v]:
            if w not in dist:
                dist[w] = dist[v] + 1
                sigma[w] = 0.0
                preds[w] = []
                queue.append(w)
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
                preds[w].append(v)
    delta = dict.fromkeys(order, 0.0)
    for w in reversed(order):
        for v in preds[w]:
            delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
    delta[source] = 0.0
    factor = weight_of[source]
    return {v: d * factor for v, d in delta.items() if d}


def betweenness(graph: nx.Graph) -> dict:
    """Exact normalized betweenness of an undirected graph, fast when it has many leaves.

    A leaf ``l`` (degree 1) next to a non-leaf ``v`` is never an intermediate;
    as a source its dependencies equal ``v``'s, plus 1 at ``v`` for every other
    node of the component. So only non-leaf sources are searched, weighted by
    ``1 +`` their number of leaves. The result equals
    :func:`networkx.betweenness_centrality` (normalized).

    >>> path = nx.path_graph(4)
    >>> {k: round(v, 4) for k, v in betweenness(path).items()}
    {0: 0.0, 1: 0.6667, 2: 0.6667, 3: 0.0}
    """
    n = graph.number_of_nodes()
    total = dict.fromkeys(graph, 0.0)
    if n < 3:
        return total
    leaves = {v for v in graph if graph.degree(v) == 1 and graph.degree(next(iter(graph[v]))) > 1}
    weight_of = {v: 1.0 for v in graph if v not in leaves}
    for leaf in leaves:
        weight_of[next(iter(graph[leaf]))] += 1.0
    size = {}
    for component in nx.connected_components(graph):
        for v in component:
            size[v] = len(component)
    for source in weight_of:
        for v, d in _brandes(graph, source, weight_of).items():
            total[v] += d
        total[source] += (weight_of[source] - 1.0) * (size[source] - 2)
    # Ordered pairs were counted: halve for undirected, then networkx's normalization.
    scale = 1.0 / ((n - 1) * (n - 2))
    return {v: value * scale for v, value in total.items()}


def _own(value: object) -> object:
    """A copy of a list or dict attribute value (a node's industries, fields, serves)."""
    return value.copy() if isinstance(value, list | dict) else value


def actor_graph(graph: nx.DiGraph) -> nx.Graph:
    """The undirected simple graph of the actors (every node kind but ``industry``).

    The same graph, node order, neighbour order and attributes as
    ``nx.Graph(graph.subgraph(actors).to_undirected())``, built without its deep
    copies of every attribute (most of the time of a network of thousands of
    enterprises): list and dict values are copied, so changing the actor graph's
    attributes leaves ``graph`` as it is. A tie written both ways is one edge
    whose attributes are those of both directions, the later one in ``graph``'s
    adjacency order winning, as networkx merges them.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", kind="enterprise", industries=["x"])
    >>> g.add_node("b", kind="center")
    >>> g.add_node("industry:x", kind="industry")
    >>> g.add_edge("a", "b", relation="assigned")
    >>> g.add_edge("b", "industry:x", relation="serves")
    >>> sorted(actor_graph(g).edges(data="relation"))
    [('a', 'b', 'assigned')]
    """
    actors = {v for v, kind in graph.nodes(data="kind") if kind != "industry"}
    undirected = nx.Graph()
    undirected.graph.update(graph.graph)
    undirected.add_nodes_from(
        (v, {key: _own(value) for key, value in data.items()})
        for v, data in graph.nodes(data=True)
        if v in actors
    )
    undirected.add_edges_from(
        (u, v, data)
        for u, neighbours in graph.adj.items()
        if u in actors
        for v, data in neighbours.items()
        if v in actors
    )
    # nx.Graph(...) of that copy: the neighbour order the measures have always seen.
    return nx.Graph(undirected)


# -- the network -------------------------------------------------------------
@dataclass
class InnovationNetwork:
    """The innovation network with its measures, brokers, suggestions and picture.

    ``graph`` is a :class:`networkx.DiGraph`; every node has ``kind``, ``name``
    and ``origin``; every edge ``relation``, ``weight``, ``year``,
    ``source_note`` and ``origin`` (module docstring).
    """

    graph: nx.DiGraph
    synthetic: bool = False
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    def actors(self) -> nx.Graph:
        """The undirected simple graph of the actors (every kind but ``industry``)."""
        if "actors" not in self._cache:
            self._cache["actors"] = actor_graph(self.graph)
        return self._cache["actors"]

    def _betweenness(self) -> dict:
        if "betweenness" not in self._cache:
            self._cache["betweenness"] = betweenness(self.actors())
        return self._cache["betweenness"]

    def counts(self) -> dict[str, int]:
        """Nodes per kind (every kind listed, zero included)."""
        out = dict.fromkeys((*KINDS, "industry"), 0)
        for _, kind in self.graph.nodes(data="kind"):
            out[kind] = out.get(kind, 0) + 1
        return out

    def measures(self) -> dict:
        """Density, components, per-kind counts, degree and betweenness (module docstring).

        Returns
        -------
        dict
            ``nodes, edges`` (actor graph), ``counts``, ``density``,
            ``bipartite_density``, ``components`` (``count, sizes, largest,
            isolated``), ``degree``, ``degree_centrality``, ``betweenness``
            (the last three per node id).
        """
        actors = self.actors()
        n = actors.number_of_nodes()
        kinds = nx.get_node_attributes(actors, "kind")
        firms = sum(1 for k in kinds.values() if k == "enterprise")
        centers = sum(1 for k in kinds.values() if k == "center")
        two_mode = sum(
            1 for u, v in actors.edges() if {kinds[u], kinds[v]} == {"enterprise", "center"}
        )
        sizes = sorted((len(c) for c in nx.connected_components(actors)), reverse=True)
        return {
            "nodes": n,
            "edges": actors.number_of_edges(),
            "counts": self.counts(),
            "density": float(nx.density(actors)) if n > 1 else 0.0,
            "bipartite_density": two_mode / (firms * centers) if firms and centers else None,
            "components": {
                "count": len(sizes),
                "sizes": sizes,
                "largest": sizes[0] if sizes else 0,
                "isolated": sum(1 for s in sizes if s == 1),
            },
            "degree": {v: int(d) for v, d in actors.degree()},
            "degree_centrality": {v: float(c) for v, c in nx.degree_centrality(actors).items()}
            if n > 1
            else dict.fromkeys(actors, 0.0),
            "betweenness": {v: float(b) for v, b in self._betweenness().items()},
        }

    def brokers(self, n: int = 10) -> list[dict]:
        """The ``n`` actors with the highest betweenness (ties: higher degree, then id)."""
        actors = self.actors()
        scores = self._betweenness()
        ranked = sorted(actors, key=lambda v: (-scores[v], -actors.degree(v), str(v)))
        return [
            {
                "id": v,
                "name": actors.nodes[v]["name"],
                "kind": actors.nodes[v]["kind"],
                "betweenness": float(scores[v]),
                "degree": int(actors.degree(v)),
            }
            for v in ranked[: max(n, 0)]
        ]

    def suggest_links(self, n: int | None = 10) -> list[dict]:
        """Enterprise → center ties worth making, best first.

        For every enterprise with an industry that some center serves but the
        enterprise has no tie to, the best such center: highest match for the
        industry, then most capacity left (unknown capacity last), then id.
        Enterprises tied to no center that serves their industry come first,
        then the list is ordered by match. ``n=None`` gives all.
        """
        graph = self.graph
        servers: dict[str, list[str]] = {}
        for v, data in graph.nodes(data=True):
            if data["kind"] == "center":
                for industry in data.get("serves", {}):
                    servers.setdefault(industry, []).append(v)
        out = []
        for v, data in graph.nodes(data=True):
            if data["kind"] != "enterprise" or not data.get("industries"):
                continue
            tied = {
                u
                for u in (*graph.successors(v), *graph.predecessors(v))
                if graph.nodes[u]["kind"] == "center"
            }
            best = None
            for industry in data["industries"]:
                covered = any(industry in graph.nodes[c].get("serves", {}) for c in tied)
                for center in servers.get(industry, []):
                    if center in tied:
                        continue
                    info = graph.nodes[center]
                    score = info["serves"][industry]
                    left = info.get("capacity_left")
                    key = (
                        not covered,
                        -1.0 if score is None else score,
                        -1 if left is None else left,
                    )
                    if best is None or key > best[0] or (key == best[0] and center < best[1]):
                        best = (key, center, industry, covered)
            if best is None:
                continue
            _, center, industry, covered = best
            info = graph.nodes[center]
            score = info["serves"][industry]
            left = info.get("capacity_left")
            reason = (
                f"{industry} is served by {info['name']}"
                + (f" (match {score:.3f})" if score is not None else " (listed by the user)")
                + (
                    "; the enterprise is tied to no center serving it"
                    if not covered
                    else "; the enterprise is tied to another center serving it already"
                )
                + (f"; {left} seat(s) left" if left is not None else "")
            )
            out.append(
                {
                    "enterprise": v,
                    "enterprise_name": data["name"],
                    "industry": industry,
                    "center": center,
                    "center_name": info["name"],
                    "match": None if score is None else float(score),
                    "capacity_left": None if left is None else int(left),
                    "covered": covered,
                    "reason": reason,
                }
            )
        out.sort(
            key=lambda s: (
                s["covered"],
                -(s["match"] if s["match"] is not None else -1.0),
                -(s["capacity_left"] if s["capacity_left"] is not None else -1),
                s["enterprise"],
            )
        )
        return out if n is None else out[: max(n, 0)]

    def to_dict(self, top: int = 10, links: int | None = None) -> dict:
        """The JSON document (native Python types only).

        Keys: ``synthetic`` (and ``synthetic_note``), ``nodes``, ``edges``,
        ``counts``, ``density``, ``bipartite_density``, ``components``,
        ``brokers`` (``top``), ``suggested_links`` (``links``, default ``top``),
        ``gaps``, ``notes``, ``parameters``.
        """
        m = self.measures()
        nodes = []
        for v, data in self.graph.nodes(data=True):
            entry = {"id": v}
            for key, value in data.items():
                if isinstance(value, dict):
                    entry[key] = {str(k): _native(x) for k, x in value.items()}
                elif isinstance(value, list):
                    entry[key] = [_native(x) for x in value]
                else:
                    entry[key] = _native(value)
            if v in m["degree"]:
                entry["degree"] = m["degree"][v]
                entry["betweenness"] = _native(m["betweenness"][v])
            nodes.append(entry)
        edges = [
            {"source": u, "target": v, **{k: _native(x) for k, x in data.items()}}
            for u, v, data in self.graph.edges(data=True)
        ]
        out = {"synthetic": self.synthetic}
        if self.synthetic:
            out["synthetic_note"] = SYNTHETIC_NOTE
        out.update(
            {
                "nodes": nodes,
                "edges": edges,
                "counts": m["counts"],
                "density": _native(m["density"]),
                "bipartite_density": _native(m["bipartite_density"]),
                "components": m["components"],
                "brokers": [{k: _native(x) for k, x in b.items()} for b in self.brokers(top)],
                "suggested_links": [
                    {k: _native(x) for k, x in s.items()}
                    for s in self.suggest_links(top if links is None else links)
                ],
                "gaps": list(self.gaps),
                "notes": list(self.notes),
                "parameters": dict(self.parameters),
            }
        )
        return out

    def svg(self, top: int = 10, *, max_nodes: int = 400, seed: int = 0) -> str:
        """The network picture as SVG text (:func:`oicplan.network.picture.network_svg`)."""
        from oicplan.network.picture import network_svg

        return network_svg(self, top=top, max_nodes=max_nodes, seed=seed)
