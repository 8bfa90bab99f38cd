"""Charts for reports: a world map of sites, rail routes and sea lanes, and pillar profiles.

Charts are drawn with matplotlib and returned as SVG text with real ``<text>``
elements (``svg.fonttype = none``), so the browser renders Chinese labels with
its own fonts and no font has to be installed for plotting. The land outline
comes from the ``global_land_mask`` package (a land/sea raster), sampled once on
a 0.5° grid at build time and shipped with oicplan (:mod:`oicplan.report.land`),
so maps need no network, no map tiles and no 1 GB raster at run time.
"""

from __future__ import annotations

import io
import sys
import warnings

import matplotlib

matplotlib.use("Agg")  # as before: figures made elsewhere with pyplot stay off screen

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from oicplan.report.land import land_grid  # noqa: E402
from oicplan.report.messages import pillar_name, text  # noqa: E402

__all__ = ["land_grid", "map_svg", "pillar_profiles_svg", "figure_svg"]

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


def _figure(**options) -> Figure:
    """A figure on its own Agg canvas, outside pyplot (no pyplot import, nothing to close)."""
    figure = Figure(**options)
    FigureCanvasAgg(figure)
    return figure


def figure_svg(figure: Figure) -> str:
    """Render a figure to SVG text and close it (if pyplot manages it)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        # Text stays text in the SVG; the browser, not matplotlib, needs the CJK font.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot = sys.modules.get("matplotlib.pyplot")  # only figures made by pyplot need closing
    if pyplot is not None and pyplot.fignum_exists(getattr(figure, "number", -1)):
        pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


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
    figure = _figure(figsize=(11, 5.6))
    axes = figure.subplots()
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
        for y, x, name in chosen:
            axes.annotate(
                name,
                (x, y),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=7,
                color="#333",
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


def pillar_profiles_svg(
    sites: list[tuple[str, dict[str, float]]], pillars: list[str], lang: str
) -> str:
    """Small multiples: one horizontal bar chart of pillar scores per chosen site."""
    columns = 4
    rows = max(1, -(-len(sites) // columns))
    figure = _figure(figsize=(12, 2.3 * rows))
    axes_grid = figure.subplots(rows, columns, sharex=True, squeeze=False)
    labels = [pillar_name(p, lang) for p in pillars]
    for index, axes in enumerate(axes_grid.flat):
        if index >= len(sites):
            axes.axis("off")
            continue
        name, scores = sites[index]
        values = [scores[p] for p in pillars]
        colors = ["#c0392b" if p == "risk" else "#2e86c1" for p in pillars]
        axes.barh(range(len(pillars)), values, color=colors)
        axes.set_yticks(range(len(pillars)))
        axes.set_yticklabels(labels if index % columns == 0 else [], fontsize=7)
        axes.invert_yaxis()
        axes.set_xlim(0, 1)
        axes.set_title(name, fontsize=9)
        axes.tick_params(axis="x", labelsize=7)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.tight_layout()
    return figure_svg(figure)
