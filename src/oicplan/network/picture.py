"""The network picture for the report: colour by kind, size by betweenness, brokers named.

The layout is a spring layout with a fixed seed (the same network gives the same
picture). Isolated nodes are not drawn, and a network larger than ``max_nodes``
is drawn in part: every linked node that is not an enterprise, then linked
enterprises by degree (then id) up to the limit; the title says how many nodes
are shown. Text stays text in the SVG
(:func:`oicplan.report.charts.figure_svg`).

>>> import pandas as pd
>>> from oicplan.network.build import build_network
>>> net = build_network(nodes=pd.DataFrame({"id": ["a", "b"], "kind": ["center", "university"],
...                                         "name": ["A", "B"]}),
...                     edges=pd.DataFrame({"source": ["a"], "target": ["b"],
...                                         "relation": ["partner"]}))
>>> svg = network_svg(net)
>>> svg.startswith("<svg"), "Innovation network" in svg
(True, True)
"""

from __future__ import annotations

import warnings

import networkx as nx

from oicplan.report.charts import figure_svg

__all__ = ["KIND_COLOURS", "network_svg"]

KIND_COLOURS = {
    "enterprise": "#2e86c1",
    "center": "#c0392b",
    "university": "#27ae60",
    "institute": "#8e44ad",
    "service": "#f39c12",
    "industry": "#9aa5b1",
}
"""Colour of each node kind."""

_OPERATOR = "#1b4f72"
_MIN_SIZE = 18.0
_MAX_EXTRA = 520.0


def _shown(graph: nx.DiGraph, max_nodes: int) -> list:
    linked = [v for v in graph if graph.degree(v) > 0]
    others = [v for v in linked if graph.nodes[v]["kind"] != "enterprise"]
    firms = sorted(
        (v for v in linked if graph.nodes[v]["kind"] == "enterprise"),
        key=lambda v: (-graph.degree(v), str(v)),
    )
    return others + firms[: max(0, max_nodes - len(others))]


def network_svg(network, top: int = 10, *, max_nodes: int = 400, seed: int = 0) -> str:
    """Draw an :class:`~oicplan.network.build.InnovationNetwork` and return SVG text.

    Parameters
    ----------
    network : InnovationNetwork
    top : int
        Brokers (highest betweenness) whose names are written on the picture.
    max_nodes : int
        Largest number of nodes drawn (module docstring).
    seed : int
        Seed of the spring layout.
    """
    import matplotlib.pyplot as plt

    graph = network.graph
    keep = _shown(graph, max_nodes)
    drawn = graph.subgraph(keep)
    scores = network._betweenness()
    peak = max(scores.values(), default=0.0) or 1.0
    figure, axes = plt.subplots(figsize=(10, 7.5))
    axes.set_axis_off()
    if drawn.number_of_nodes() == 0:
        axes.text(
            0.5,
            0.5,
            "no ties to draw: give a plan with enterprises, the registry or an edges file",
            ha="center",
            va="center",
        )
        return figure_svg(figure)
    k = 2.0 / max(drawn.number_of_nodes(), 1) ** 0.5
    position = nx.spring_layout(drawn.to_undirected(), seed=seed, k=k, iterations=80)
    nx.draw_networkx_edges(
        drawn, position, ax=axes, arrows=False, width=0.5, edge_color="#b8bec6", alpha=0.7
    )
    for kind, colour in KIND_COLOURS.items():
        members = [v for v, d in drawn.nodes(data=True) if d["kind"] == kind]
        if not members:
            continue
        colours = [_OPERATOR if drawn.nodes[v].get("operator") else colour for v in members]
        sizes = [
            _MIN_SIZE * (2.5 if kind == "industry" else 1.0)
            + _MAX_EXTRA * scores.get(v, 0.0) / peak
            for v in members
        ]
        nx.draw_networkx_nodes(
            drawn,
            position,
            nodelist=members,
            node_color=colours,
            node_size=sizes,
            node_shape="s" if kind == "industry" else "o",
            linewidths=0.4,
            edgecolors="white",
            ax=axes,
            label=f"{kind} ({len(members)})",
        )
    brokers = [b["id"] for b in network.brokers(top) if b["betweenness"] > 0 and b["id"] in drawn]
    labels = {v: drawn.nodes[v]["name"] for v in brokers}
    labels.update({v: d["name"] for v, d in drawn.nodes(data=True) if d["kind"] == "industry"})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        nx.draw_networkx_labels(drawn, position, labels=labels, font_size=7, ax=axes)
    title = "Innovation network: colour = kind, size = betweenness, names = top brokers"
    if drawn.number_of_nodes() < graph.number_of_nodes():
        title += (
            f"\nshowing {drawn.number_of_nodes()} of {graph.number_of_nodes()} nodes "
            "(isolated nodes left out; enterprises by degree)"
        )
    if network.synthetic:
        title += "\nSYNTHETIC illustrative enterprises, not real companies"
    axes.set_title(title, fontsize=9)
    axes.legend(loc="lower left", fontsize=7, frameon=True, markerscale=0.6)
    return figure_svg(figure)
