"""The network picture for the report: colour by kind, size by betweenness, names.

The layout is a spring layout with a fixed seed (the same network gives the same
picture). Isolated nodes are not drawn, and a network larger than ``max_nodes``
is drawn in part: every linked node that is not an enterprise, then linked
enterprises by degree (then id) up to the limit; the title says how many nodes
are shown. Every center and industry is named, and the top brokers; a name sits
beside its node, where it meets no name placed before (industries linked to many
centers share a place in the middle: their names stack beside it).

Like the report's charts, the figure is drawn once: made outside pyplot, with
margins fixed in inches (no ``bbox_inches="tight"`` pass), text kept as text in
the SVG (``svg.fonttype = none``: the browser renders Chinese names with its own
fonts), a fixed ``svg.hashsalt`` and no date, so the same network gives the same
SVG.

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

from oicplan.drawing import drawing

__all__ = ["KIND_COLOURS", "KIND_NAMES", "network_layout", "network_svg", "spring_layout"]

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
        "Innovation network: colour = kind, size = betweenness,"
        " names = centers, industries and top brokers",
        "创新网络：颜色 = 节点类型，大小 = 中介中心度，标注 = 海外创新中心、产业与主要中介节点",
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

_STYLE = {
    "svg.fonttype": "none",  # text stays <text>: the browser's fonts draw Chinese
    "svg.hashsalt": "oicplan",  # stable clip-path ids: the same network, the same SVG
}
_WIDTH = 8.0  # inches: the figure (the report shows it at most 960 px wide)
_PLOT_HEIGHT = 5.8  # inches: the drawing area below the title
_EDGE = 0.1  # inches of white around the drawing area
_TITLE_SIZE = 9  # points
_LABEL_SIZE = 7  # points: node names and legend
_LINE = 1.25  # lines are 1.25 em apart
_LEGEND = 0.3  # inches: the legend's row below the drawing area


def _svg_text(figure) -> str:
    """Render a figure to SVG text, drawn once as placed (text kept as text, no date)."""
    import io

    buffer = io.StringIO()
    with drawing(_STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _figure(title: str):
    """A figure outside pyplot (own Agg canvas) with ``title`` on top and one bare axes.

    The margins are fixed in inches (the title's lines above the drawing area, a
    row for the legend below it), so the figure is drawn once, without a tight bounding-box pass.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    title_height = (title.count("\n") + 1) * _TITLE_SIZE * _LINE / 72 + _EDGE
    height = _PLOT_HEIGHT + title_height + _LEGEND + 2 * _EDGE
    figure = Figure(figsize=(_WIDTH, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (
            _EDGE / _WIDTH,
            (_EDGE + _LEGEND) / height,
            1 - 2 * _EDGE / _WIDTH,
            _PLOT_HEIGHT / height,
        )
    )
    axes.set_axis_off()
    figure.text(
        0.5,
        1 - _EDGE / height,
        title,
        ha="center",
        va="top",
        fontsize=_TITLE_SIZE,
        multialignment="center",
    )
    return figure, axes


def _boxes_overlap(a: tuple, b: tuple) -> float:
    """Area shared by two boxes ``(left, bottom, right, top)``."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _label_places(
    labels: list[tuple[float, float, float, str]],
    bounds: tuple[float, float, float, float],
) -> list[tuple[float, float, str]]:
    """Offsets (points) and alignment of node names, so that names do not pile up.

    ``labels`` are ``(x, y, radius, name)`` in points (``radius``: the node's
    marker). Each name takes the first place beside its node (right, left, above,
    below, then one line up or down at a time, right and left, up to five lines)
    whose box stays inside ``bounds`` and meets no name placed before and no
    other named node's marker; if none is free, the place it overlaps least.
    Returns ``(dx, dy, ha)`` per label, the text vertically centred at ``dy``.

    >>> _label_places([(0, 0, 3, "Hub"), (1, 0, 3, "Hub 2")], (-100, -100, 100, 100))
    [(5.0, 0.0, 'left'), (-5.0, 0.0, 'right')]
    """
    from oicplan.uncertainty.plots import text_inches

    height = _LABEL_SIZE * 1.35  # a line and a little air
    markers = [(x - r, y - r, x + r, y + r) for x, y, r, _ in labels]
    placed: list[tuple[float, float, float, float]] = []
    result = []
    for index, (x, y, radius, name) in enumerate(labels):
        width = text_inches(name, _LABEL_SIZE) * 72
        gap = radius + 2.0
        candidates = [(gap, 0.0, "left"), (-gap, 0.0, "right")]
        candidates += [(0.0, gap + height / 2, "center"), (0.0, -gap - height / 2, "center")]
        for lines in range(1, 6):
            for dy in (lines * height, -lines * height):
                candidates += [(gap, dy, "left"), (-gap, dy, "right")]
        others = placed + markers[:index] + markers[index + 1 :]
        best, best_box, least = candidates[0], None, float("inf")
        for dx, dy, align in candidates:
            left = x + dx - {"left": 0.0, "right": width, "center": width / 2}[align]
            box = (left, y + dy - height / 2, left + width, y + dy + height / 2)
            inside = bounds[0] <= box[0] and box[2] <= bounds[2]
            if not (inside and bounds[1] <= box[1] and box[3] <= bounds[3]):
                continue
            overlap = sum(_boxes_overlap(box, other) for other in others)
            if overlap < least:
                best, best_box, least = (dx, dy, align), box, overlap
            if overlap == 0:
                break
        if best_box is None:  # nowhere inside the bounds: right of the node
            best_box = (x + gap, y - height / 2, x + gap + width, y + height / 2)
        placed.append(best_box)
        result.append(best)
    return result


def _shown(graph: nx.DiGraph, max_nodes: int) -> list:
    degree = dict(graph.degree())
    linked = [v for v in graph if degree[v] > 0]
    others = [v for v in linked if graph.nodes[v]["kind"] != "enterprise"]
    firms = sorted(
        (v for v in linked if graph.nodes[v]["kind"] == "enterprise"),
        key=lambda v: (-degree[v], str(v)),
    )
    return others + firms[: max(0, max_nodes - len(others))]


def _drawn(graph: nx.DiGraph, keep: list) -> nx.DiGraph:
    """The subgraph of ``keep``, its nodes and edges in the graph's own order.

    Not ``graph.subgraph(keep)``: a subgraph view lists its nodes in the order of
    a set of them, which changes from one Python process to the next (string
    hashing), and the spring layout starts from the node order.
    """
    chosen = set(keep)
    drawn = nx.DiGraph()
    drawn.add_nodes_from((v, graph.nodes[v]) for v in graph if v in chosen)
    drawn.add_edges_from(
        (u, v, d) for u, v, d in graph.edges(data=True) if u in chosen and v in chosen
    )
    return drawn


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


def _labelled(
    network, drawn: nx.DiGraph, top: int, lang: str, scores: dict, names: dict | None = None
) -> dict:
    """The names written on the picture, in the order they are placed.

    Every center first (by betweenness), then the industries, then the ``top``
    brokers not named yet. ``names`` maps a center's or broker's name to the one
    shown (its Chinese name in a Chinese picture); a name it lacks stays as given.
    """
    names = names or {}

    def by_score(kind: str) -> list:
        members = [v for v, d in drawn.nodes(data=True) if d["kind"] == kind]
        return sorted(members, key=lambda v: (-scores.get(v, 0.0), str(v)))

    def shown(v) -> str:
        name = str(drawn.nodes[v]["name"])
        return str(names.get(name, name))

    labels = {v: shown(v) for v in by_score("center")}
    labels.update(
        {v: _industry_label(v, drawn.nodes[v]["name"], lang) for v in by_score("industry")}
    )
    for broker in network.brokers(top):
        if broker["betweenness"] > 0 and broker["id"] in drawn and broker["id"] not in labels:
            labels[broker["id"]] = shown(broker["id"])
    return labels


def network_layout(network, *, max_nodes: int = 400, seed: int = 0, drawn=None) -> dict:
    """Positions of the nodes :func:`network_svg` draws (node id -> ``(x, y)``).

    The spring layout (:func:`spring_layout`, 80 iterations, ``k = 2 / sqrt(n)``)
    of the nodes shown (module docstring); it depends on neither language nor
    names, so it is kept with the network (like its betweenness) and a plan's
    network is laid out once, while the plan's solves run
    (:func:`oicplan.plan_network.plan_network`), not when the report draws it.
    ``drawn``: the subgraph shown, when the caller has it.

    >>> import pandas as pd
    >>> from oicplan.network.build import build_network
    >>> net = build_network(nodes=pd.DataFrame({"id": ["a", "b"], "kind": ["center", "university"],
    ...                                         "name": ["A", "B"]}),
    ...                     edges=pd.DataFrame({"source": ["a"], "target": ["b"],
    ...                                         "relation": ["partner"]}))
    >>> sorted(network_layout(net)), network_layout(net) is network_layout(net)
    (['a', 'b'], True)
    """
    key = ("layout", max_nodes, seed)
    if key not in network._cache:
        if drawn is None:
            drawn = _drawn(network.graph, _shown(network.graph, max_nodes))
        k = 2.0 / max(drawn.number_of_nodes(), 1) ** 0.5
        network._cache[key] = spring_layout(
            drawn.to_undirected(as_view=True), k=k, seed=seed, iterations=80
        )
    return network._cache[key]  # type: ignore[no-any-return]


@drawing()
def network_svg(
    network,
    top: int = 10,
    *,
    max_nodes: int = 400,
    seed: int = 0,
    lang: str = "en",
    names: dict[str, str] | None = None,
) -> str:
    """Draw an :class:`~oicplan.network.build.InnovationNetwork` and return SVG text.

    Every center and industry is named, and the ``top`` brokers; names are set
    beside their nodes where they meet no other name (:func:`_label_places`).
    The figure is drawn once with fixed margins, outside pyplot; the same network
    gives the same SVG.

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
        Language of the title and legend (node names stay as given, but for
        ``names``).
    names : dict, optional
        The name shown for a center or broker named so in the network (the report
        gives the sites' Chinese names in a Chinese picture).
    """
    import numpy as np

    title = _word("title", lang)  # an unknown language fails before any drawing
    graph = network.graph
    keep = _shown(graph, max_nodes)
    drawn = _drawn(graph, keep)
    if drawn.number_of_nodes() == 0:
        figure, axes = _figure("")
        axes.text(0.5, 0.5, _word("empty", lang), ha="center", va="center")
        return _svg_text(figure)
    if drawn.number_of_nodes() < graph.number_of_nodes():
        shown, total = drawn.number_of_nodes(), graph.number_of_nodes()
        title += "\n" + _word("partial", lang, shown=shown, total=total)
    if network.synthetic:
        title += "\n" + _word("synthetic", lang)
    scores = network._betweenness()
    peak = max(scores.values(), default=0.0) or 1.0
    position = network_layout(network, max_nodes=max_nodes, seed=seed, drawn=drawn)
    figure, axes = _figure(title)
    xy = np.array([position[v] for v in drawn])
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    low, high = low - 0.05 * span, high + 0.05 * span  # matplotlib's default margins
    axes.set_xlim(low[0], high[0])
    axes.set_ylim(low[1], high[1])
    # The edges as one path (NaN between edges): one SVG element, not one per edge.
    ends = np.array([[position[u], position[v]] for u, v in drawn.edges()]).reshape(-1, 2, 2)
    lines = np.concatenate([ends, np.full((len(ends), 1, 2), np.nan)], axis=1).reshape(-1, 2)
    axes.plot(*lines.T, color="#b8bec6", linewidth=0.5, alpha=0.7, zorder=1)
    size: dict = {}
    legend = []
    for kind, colour in KIND_COLOURS.items():
        members = [v for v, d in drawn.nodes(data=True) if d["kind"] == kind]
        if not members:
            continue
        base = _MIN_SIZE * (2.5 if kind == "industry" else 1.0)
        size.update({v: base + _MAX_EXTRA * scores.get(v, 0.0) / peak for v in members})
        legend.append(f"{KIND_NAMES[kind][0 if lang == 'en' else 1]} ({len(members)})")
        axes.scatter(
            [position[v][0] for v in members],
            [position[v][1] for v in members],
            s=[size[v] for v in members],
            c=[_OPERATOR if drawn.nodes[v].get("operator") else colour for v in members],
            marker="s" if kind == "industry" else "o",
            linewidths=0.4,
            edgecolors="white",
            zorder=2,
            label=legend[-1],
        )
    # Points of the drawing area, where the names are placed.
    left, bottom = _EDGE * 72, (_EDGE + _LEGEND) * 72
    width, height = (_WIDTH - 2 * _EDGE) * 72, _PLOT_HEIGHT * 72
    scale = np.array([width, height]) / (high - low)
    labels = _labelled(network, drawn, top, lang, scores, names)
    points = {v: (position[v] - low) * scale + (left, bottom) for v in labels}
    places = _label_places(
        [(*points[v], size[v] ** 0.5 / 2, name) for v, name in labels.items()],
        bounds=(left, bottom, left + width, bottom + height),
    )
    for (v, name), (dx, dy, align) in zip(labels.items(), places, strict=True):
        axes.annotate(
            name,
            position[v],
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=_LABEL_SIZE,
            ha=align,
            va="center",
            zorder=3,
        )
    figure.legend(
        *axes.get_legend_handles_labels(),
        loc="lower center",
        bbox_to_anchor=(0.5, _EDGE / figure.get_figheight()),
        ncols=len(legend),
        fontsize=_LABEL_SIZE,
        frameon=False,
        markerscale=0.6,
        borderpad=0,
    )
    return _svg_text(figure)
