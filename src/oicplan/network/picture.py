"""The network picture for the report: colour by kind, size by betweenness, brokers named.

The layout is a spring layout with a fixed seed (the same network gives the same
picture). Isolated nodes are not drawn, and a network larger than ``max_nodes``
is drawn in part: every linked node that is not an enterprise, then linked
enterprises by degree (then id) up to the limit; the title says how many nodes
are shown. Text stays text in the SVG (``svg.fonttype = none``, as the report's
charts: the browser renders Chinese names with its own fonts).

>>> import pandas as pd
>>> from oicplan.network.build import build_network
>>> net = build_network(nodes=pd.DataFrame({"id": ["a", "b"], "kind": ["center", "university"],
...                                         "name": ["A", "B"]}),
...                     edges=pd.DataFrame({"source": ["a"], "target": ["b"],
...                                         "relation": ["partner"]}))
>>> svg = network_svg(net)
>>> svg.startswith("<svg"), "Innovation network" in svg
(True, True)
>>> "创新网络" in network_svg(net, lang="zh")
True
"""

from __future__ import annotations

import warnings

import networkx as nx

__all__ = ["KIND_COLOURS", "KIND_NAMES", "network_svg", "spring_layout"]

KIND_COLOURS = {
    "enterprise": "#2e86c1",
    "center": "#c0392b",
    "university": "#27ae60",
    "institute": "#8e44ad",
    "service": "#f39c12",
    "industry": "#9aa5b1",
}
"""Colour of each node kind."""

KIND_NAMES = {
    "enterprise": ("enterprise", "企业"),
    "center": ("center", "海外创新中心"),
    "university": ("university", "高校"),
    "institute": ("institute", "科研机构"),
    "service": ("service", "中介服务机构"),
    "industry": ("industry", "产业"),
}
"""Name of each node kind in English and Chinese (legend of the picture)."""

# The picture's wording: English and Chinese.
_WORDS = {
    "empty": (
        "no ties to draw: give a plan with enterprises, the registry or an edges file",
        "没有可绘制的联系：请提供含企业的方案、中心登记表或联系文件",
    ),
    "title": (
        "Innovation network: colour = kind, size = betweenness, names = top brokers",
        "创新网络：颜色 = 节点类型，大小 = 中介中心度，标注 = 主要中介节点",
    ),
    "partial": (
        "showing {shown} of {total} nodes (isolated nodes left out; enterprises by degree)",
        "显示{total}个节点中的{shown}个（孤立节点未画出；企业按连接数选取）",
    ),
    "synthetic": (
        "SYNTHETIC illustrative enterprises, not real companies",
        "企业为合成的示意样本（SYNTHETIC），并非真实公司",
    ),
}


def _word(key: str, lang: str, **values: object) -> str:
    if lang not in ("en", "zh"):
        from oicplan.errors import InputError

        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    return _WORDS[key][0 if lang == "en" else 1].format(**values)


_OPERATOR = "#1b4f72"
_MIN_SIZE = 18.0
_MAX_EXTRA = 520.0


def _svg_text(figure) -> str:
    """Render a pyplot figure to SVG text (text kept as text) and close it."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _shown(graph: nx.DiGraph, max_nodes: int) -> list:
    linked = [v for v in graph if graph.degree(v) > 0]
    others = [v for v in linked if graph.nodes[v]["kind"] != "enterprise"]
    firms = sorted(
        (v for v in linked if graph.nodes[v]["kind"] == "enterprise"),
        key=lambda v: (-graph.degree(v), str(v)),
    )
    return others + firms[: max(0, max_nodes - len(others))]


def spring_layout(graph: nx.Graph, *, k: float, seed: int, iterations: int = 50) -> dict:
    """:func:`networkx.spring_layout` (Fruchterman–Reingold), the same positions, faster.

    Below 500 nodes networkx runs the dense force method; this is that loop with
    two changes that give the same bits in a fraction of the time: the
    ``n × n × 2`` differences are written one coordinate plane at a time into one
    array, and the distances between all pairs are ``sqrt(dx² + dy²)`` on those
    planes instead of :func:`numpy.linalg.norm` over the short last axis (the
    same two squares added in the same order). The layout of the report's 400
    nodes takes about a third of networkx's time. Larger graphs, and anything but a 2-D
    layout from a seed, are left to networkx. A test compares the two.

    >>> path = nx.path_graph(4)
    >>> fast = spring_layout(path, k=0.5, seed=1)
    >>> slow = nx.spring_layout(path, k=0.5, seed=1)
    >>> all((fast[v] == slow[v]).all() for v in path)
    True
    """
    import numpy as np

    nodes = len(graph)
    if nodes < 2 or nodes >= 500:
        return nx.spring_layout(graph, k=k, seed=seed, iterations=iterations)
    adjacency = nx.to_numpy_array(graph, weight="weight")
    pos = np.asarray(np.random.RandomState(seed).rand(nodes, 2), dtype=adjacency.dtype)
    # From here on networkx's _fruchterman_reingold (networkx 3.6), fixed=None.
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    delta = np.empty((nodes, nodes, 2), dtype=pos.dtype)
    dx, dy = delta[..., 0], delta[..., 1]
    distance, force, work = (np.empty((nodes, nodes), dtype=pos.dtype) for _ in range(3))
    for _ in range(iterations):
        # delta = pos[:, None, :] - pos[None, :, :], one plane at a time
        np.subtract(pos[:, np.newaxis, 0], pos[np.newaxis, :, 0], out=dx)
        np.subtract(pos[:, np.newaxis, 1], pos[np.newaxis, :, 1], out=dy)
        # distance = norm(delta, axis=-1) = sqrt(dx * dx + dy * dy)
        np.multiply(dx, dx, out=distance)
        np.multiply(dy, dy, out=work)
        np.add(distance, work, out=distance)
        np.sqrt(distance, out=distance)
        np.clip(distance, 0.01, None, out=distance)
        # force = k * k / distance**2 - adjacency * distance / k
        np.square(distance, out=force)
        np.divide(k * k, force, out=force)
        np.multiply(adjacency, distance, out=work)
        np.divide(work, k, out=work)
        np.subtract(force, work, out=force)
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt(
            displacement[:, 0] * displacement[:, 0] + displacement[:, 1] * displacement[:, 1]
        )
        length = np.clip(length, a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / nodes) < 1e-4:
            break
    pos = nx.rescale_layout(pos, scale=1) + np.zeros(2)
    return dict(zip(graph, pos, strict=True))


def _industry_label(node: str, name: str, lang: str) -> str:
    """An industry node's label: in Chinese, the shipped taxonomy's ``name_zh``.

    Only when the node still carries the taxonomy's English name (a node named by
    another taxonomy keeps its own name).
    """
    if lang != "zh" or not str(node).startswith("industry:"):
        return name
    from oicplan.errors import InputError
    from oicplan.match.taxonomy import load_taxonomy

    try:
        entry = load_taxonomy().industry(str(node).split(":", 1)[1])
    except InputError:
        return name
    return str(entry.get("name_zh") or name) if entry.get("name_en") == name else name


def network_svg(
    network, top: int = 10, *, max_nodes: int = 400, seed: int = 0, lang: str = "en"
) -> str:
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
    lang : {"en", "zh"}
        Language of the title and legend (node names stay as given).
    """
    _word("title", lang)  # an unknown language fails before any drawing
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
            _word("empty", lang),
            ha="center",
            va="center",
        )
        return _svg_text(figure)
    k = 2.0 / max(drawn.number_of_nodes(), 1) ** 0.5
    position = spring_layout(drawn.to_undirected(), k=k, seed=seed, iterations=80)
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
            label=f"{KIND_NAMES[kind][0 if lang == 'en' else 1]} ({len(members)})",
        )
    brokers = [b["id"] for b in network.brokers(top) if b["betweenness"] > 0 and b["id"] in drawn]
    labels = {v: drawn.nodes[v]["name"] for v in brokers}
    labels.update(
        {
            v: _industry_label(v, d["name"], lang)
            for v, d in drawn.nodes(data=True)
            if d["kind"] == "industry"
        }
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        nx.draw_networkx_labels(drawn, position, labels=labels, font_size=7, ax=axes)
    title = _word("title", lang)
    if drawn.number_of_nodes() < graph.number_of_nodes():
        shown, total = drawn.number_of_nodes(), graph.number_of_nodes()
        title += "\n" + _word("partial", lang, shown=shown, total=total)
    if network.synthetic:
        title += "\n" + _word("synthetic", lang)
    axes.set_title(title, fontsize=9)
    axes.legend(loc="lower left", fontsize=7, frameon=True, markerscale=0.6)
    return _svg_text(figure)
