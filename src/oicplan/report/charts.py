"""Charts for reports: a world map of sites, rail routes and sea lanes, and pillar profiles.

Charts are drawn with matplotlib and returned as SVG text with real ``<text>``
elements (``svg.fonttype = none``), so the browser renders Chinese labels with
its own fonts and no font has to be installed for plotting (and no glyph is
turned into a path: the cheapest SVG to write, and it still opens offline).

Speed: a figure is drawn once. The report's own charts are laid out with fixed
margins in inches, sized from their labels by :func:`text_inches` (which counts
a Chinese character as one em, as the browser draws it, not as matplotlib's
fallback box), so :func:`figure_svg` needs no ``bbox_inches="tight"`` pass (that
pass lays out every tick label of every axes a second time); figures with a
layout engine are laid out by it once. Axes carry only the ticks they label. The land outline
comes from the ``global_land_mask`` package (a land/sea raster), sampled once on
a 0.5° grid at build time and shipped with oicplan (:mod:`oicplan.report.land`),
so maps need no network, no map tiles and no 1 GB raster at run time.
"""

from __future__ import annotations

import io
import sys
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from oicplan.drawing import drawing
from oicplan.report.land import land_grid
from oicplan.report.messages import pillar_name, text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["STYLE", "figure_svg", "land_grid", "map_svg", "pillar_profiles_svg", "text_inches"]


def _matplotlib():
    """matplotlib, imported on first use and switched to Agg.

    Importing it takes ~0.5 s; ``oicplan plan`` imports this module before its
    solves start, and the plan service imports matplotlib while they run
    (:mod:`oicplan.services.planning`), so it is not imported here at once. Agg as
    before: figures made elsewhere with pyplot stay off screen.
    """
    import matplotlib

    if not _AGG:
        matplotlib.use("Agg")
        _AGG.append(True)
    return matplotlib


_AGG: list[bool] = []


def text_inches(label: str, size: float) -> float:
    """:func:`oicplan.uncertainty.plots.text_inches` (imported with matplotlib on first use).

    >>> text_inches("abc", 10) < text_inches("中文字", 10)
    True
    """
    from oicplan.uncertainty.plots import text_inches as measure

    return float(measure(label, size))

_CHOSEN = "#c0392b"
_CANDIDATE = "#9aa5b1"
_EXISTING = "#1f6feb"
_RAIL = "#8e44ad"
_HUB = "#f39c12"
_SEA = "#117a8b"


def _unwrapped(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Split a ``(lat, lon)`` line where it crosses the antimeridian (a jump over 180°).

    >>> [len(part) for part in _unwrapped([(0, 170), (0, 179), (0, -179), (0, -170)])]
    [2, 2]
    """
    parts = [[points[0]]]
    for previous, point in zip(points, points[1:], strict=False):
        if abs(point[1] - previous[1]) > 180:
            parts.append([])
        parts[-1].append(point)
    return [part for part in parts if len(part) >= 2]


STYLE = {
    "svg.fonttype": "none",  # text stays <text>: the browser's fonts draw Chinese
    "svg.hashsalt": "oicplan",  # stable clip-path ids: the same plan gives the same SVG
}
"""The rc settings every report chart is saved with."""

_PAD = 0.08  # inches of white around a chart laid out with fixed margins


def _figure(**options: Any) -> Figure:
    """A figure on its own Agg canvas, outside pyplot (no pyplot import, nothing to close)."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(**options)
    FigureCanvasAgg(figure)
    return figure


def figure_svg(figure: Figure, *, tight: bool = False) -> str:
    """Render a figure to SVG text and close it (if pyplot manages it).

    The figure is drawn once as laid out (by its layout engine, if it has one);
    ``tight=True`` adds matplotlib's tight bounding-box pass, for figures whose
    labels may overflow their margins.
    """
    buffer = io.StringIO()
    with drawing(STYLE), warnings.catch_warnings():
        # Text stays text in the SVG; the browser, not matplotlib, needs the CJK font.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(
            buffer,
            format="svg",
            bbox_inches="tight" if tight else None,
            metadata={"Date": None},  # the same plan gives the same SVG
        )
    pyplot = sys.modules.get("matplotlib.pyplot")  # only figures made by pyplot need closing
    if pyplot is not None and pyplot.fignum_exists(getattr(figure, "number", -1)):
        pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


_LABEL_SIZE = 7  # points, the map's site names


def _label_offsets(chosen: list[tuple[float, float, str]], scale: float) -> list[tuple]:
    """Offsets (points) and alignment of the map's site names, so that names do not overlap.

    ``scale`` is points per degree. Each name takes the first place beside its
    point (right, then left, above then below, then one or two lines further)
    where its box meets no name placed before and stays inside the map.

    >>> _label_offsets([(0, 0, "Graz"), (0.3, 0.5, "Vienna")], 2.2)[1]
    (-3, 3, 'right')
    """
    height = _LABEL_SIZE + 1.5
    placed: list[tuple[float, float, float, float]] = []
    result = []
    for lat, lon, name in chosen:
        width = text_inches(name, _LABEL_SIZE) * 72
        x, y = lon * scale, lat * scale
        candidates = [
            (dx, dy)
            for dy in (3, -height - 1, height + 4, -2 * height - 2, 2 * height + 5)
            for dx in (3, -3)
        ]
        choice = None
        for dx, dy in candidates:
            left = x + dx if dx > 0 else x + dx - width
            box = (left, y + dy, left + width, y + dy + height)
            inside = -180 * scale <= box[0] and box[2] <= 180 * scale
            free = all(
                box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in placed
            )
            if inside and free:
                choice = (dx, dy, box)
                break
        if choice is None:  # nothing free: right of the point, or left at the map's edge
            dx = 3 if x + 3 + width <= 180 * scale else -3
            left = x + dx if dx > 0 else x + dx - width
            choice = (dx, 3, (left, y + 3, left + width, y + 3 + height))
        dx, dy, box = choice
        placed.append(box)
        result.append((dx, dy, "left" if dx > 0 else "right"))
    return result


@drawing()
def map_svg(
    candidates: list[tuple[float, float]],
    chosen: list[tuple[float, float, str]],
    existing: list[tuple[float, float]],
    hubs: list[tuple[float, float, str]],
    routes: list[list[tuple[float, float]]],
    lang: str,
    sea_lanes: list[dict] | None = None,
) -> str:
    """World map: candidates, chosen sites (labelled), existing centers, hubs, rail routes
    and sea lanes.

    Points are ``(lat, lon)``; routes are lists of ``(lat, lon)`` vertices. ``sea_lanes``
    are items of :func:`oicplan.plan_map.sea_lane_lines`: each port's lane is drawn
    once (SVG group ``sea-lane-<port_id>``), each road leg from a port to its site as a
    dashed line (``last-leg-<site_id>``).
    """
    width = 11.0
    height = width * 140 / 360  # the axes spans lon -180..180, lat -60..80 at equal aspect
    figure = _figure(figsize=(width, height + 2 * _PAD))
    axes = figure.add_axes((0, _PAD / (height + 2 * _PAD), 1, height / (height + 2 * _PAD)))
    from matplotlib.colors import ListedColormap

    land = land_grid()
    axes.imshow(
        np.where(land > 0, 1.0, np.nan),
        extent=(-180, 180, -90, 90),
        cmap=ListedColormap(["#e8e4d8"]),
        interpolation="nearest",
        zorder=0,
    )
    for route in routes:
        lats, lons = zip(*route, strict=True)
        axes.plot(lons, lats, color=_RAIL, linewidth=1.2, alpha=0.7, zorder=1)
    drawn_ports = set()
    for lane in sea_lanes or []:
        if lane["port_id"] not in drawn_ports:
            drawn_ports.add(lane["port_id"])
            for index, part in enumerate(_unwrapped(lane["points"])):
                lats, lons = zip(*part, strict=True)
                (line,) = axes.plot(lons, lats, color=_SEA, linewidth=1.0, alpha=0.8, zorder=1)
                suffix = f"-{index}" if index else ""  # ids stay unique past the antimeridian
                line.set_gid(f"sea-lane-{lane['port_id']}{suffix}")
        if lane["last_leg"]:
            lats, lons = zip(*lane["last_leg"], strict=True)
            (line,) = axes.plot(
                lons, lats, color=_SEA, linewidth=0.9, linestyle=(0, (2, 1.5)), zorder=1
            )
            line.set_gid(f"last-leg-{lane['site_id']}")
    if candidates:
        lat, lon = zip(*candidates, strict=True)
        axes.scatter(lon, lat, s=6, color=_CANDIDATE, zorder=2, label=text("candidate", lang))
    if existing:
        lat, lon = zip(*existing, strict=True)
        axes.scatter(
            lon, lat, s=28, marker="s", color=_EXISTING, zorder=3, label=text("existing", lang)
        )
    if hubs:
        lat, lon, _ = zip(*hubs, strict=True)
        axes.scatter(lon, lat, s=60, marker="*", color=_HUB, zorder=4, label=text("hub", lang))
    if chosen:
        lat, lon, names = zip(*chosen, strict=True)
        axes.scatter(
            lon, lat, s=50, color=_CHOSEN, edgecolor="white", zorder=5, label=text("chosen", lang)
        )
        offsets = _label_offsets(list(chosen), scale=width * 72 / 360)
        for (y, x, name), (dx, dy, align) in zip(chosen, offsets, strict=True):
            axes.annotate(
                name,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=_LABEL_SIZE,
                color="#333",
                ha=align,
                zorder=6,
            )
    axes.plot([], [], color=_RAIL, label=text("rail", lang))
    if sea_lanes:
        axes.plot([], [], color=_SEA, label=text("sea", lang))
        if any(lane["last_leg"] for lane in sea_lanes):
            axes.plot([], [], color=_SEA, linestyle=(0, (2, 1.5)), label=text("last_leg", lang))
    axes.set_xlim(-180, 180)
    axes.set_ylim(-60, 80)
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.legend(loc="lower left", fontsize=8, frameon=True, ncols=2 if sea_lanes else 1)
    return figure_svg(figure)


@drawing()
def pillar_profiles_svg(
    sites: list[tuple[str, dict[str, float]]], pillars: list[str], lang: str
) -> str:
    """Small multiples: one horizontal bar chart of pillar scores per chosen site.

    The pillar names label the first column and the 0–1 scale the bottom row (every
    panel shares both); margins are fixed from the longest name, so the figure is
    drawn once.
    """
    columns = 4
    rows = max(1, -(-len(sites) // columns))
    labels = [pillar_name(p, lang) for p in pillars]
    tick_size, title_size = 7, 9
    row_height = 2.3
    left = max((text_inches(label, tick_size) for label in labels), default=0) + 0.15
    top, bottom, right = 0.3, 0.3, 0.15  # inches: first title; bottom tick labels; edge
    width, height = 12.0, row_height * rows + bottom
    figure = _figure(figsize=(width, height))
    panel_gap, row_gap = 0.3, 0.32  # inches between panels: room for a site name above
    axes_width = (width - left - right - panel_gap * (columns - 1)) / columns
    axes_height = (height - top - bottom - row_gap * (rows - 1)) / rows
    # Not shared axes (shared ones measure all their siblings' tick labels at each
    # draw): every panel gets the same limits and ticks instead.
    grid = figure.add_gridspec(
        rows,
        columns,
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=panel_gap / axes_width,
        hspace=row_gap / axes_height,
    )
    colors = ["#c0392b" if p == "risk" else "#2e86c1" for p in pillars]
    positions = range(len(pillars))
    scale = [0, 0.25, 0.5, 0.75, 1]
    # Only the panels drawn get axes (an axes costs as much to make as to draw).
    for index, (name, scores) in enumerate(sites):
        axes = figure.add_subplot(grid[index // columns, index % columns])
        axes.barh(positions, [scores[p] for p in pillars], color=colors)
        axes.set_xlim(0, 1)
        axes.set_ylim(len(pillars) - 0.5, -0.5)  # first pillar on top
        below = index + columns >= len(sites)  # nothing drawn under it: label the scale
        axes.set_xticks(scale, ["0", "0.25", "0.5", "0.75", "1"] if below else [])
        # Only the first column names the pillars; the others need no y ticks at all.
        if index % columns == 0:
            axes.set_yticks(positions, labels)
        else:
            axes.set_yticks([])
        axes.tick_params(labelsize=tick_size, length=2.5)
        # A fixed title place and no axis labels: matplotlib skips measuring for them.
        axes.set_title(name, fontsize=title_size, pad=3, y=1.0)
        axes.xaxis.set_label_coords(0.5, 0)
        axes.yaxis.set_label_coords(0, 0.5)
    return figure_svg(figure)
