"""The report's charts as PNG pictures, for the Word and PDF downloads.

The HTML report holds its charts as SVG with real ``<text>`` (the browser's fonts
draw the Chinese labels). Word and reportlab need pictures, so the same SVG is
rasterized with resvg (the ``resvg-py`` package: prebuilt wheels, no system
library, no network): every chart of the report, whoever drew it, becomes a PNG
with the look it has in the browser, and no chart is drawn a second time.
resvg takes its fonts from the system and falls back glyph by glyph, so Chinese
labels need a CJK font on the machine (Noto Sans CJK, Source Han Sans, Microsoft
YaHei, SimHei, PingFang ...; any Chinese Windows or macOS has one).

Without ``resvg-py`` :func:`chart_pictures` returns no pictures and the Word and
PDF files say where the charts are (``report.html``).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

__all__ = ["Picture", "chart_pictures", "report_charts", "svg_png", "svg_size_inches"]

_DPI = 150.0
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')


@dataclass(frozen=True)
class Picture:
    """One chart: its key, caption, PNG bytes and its size on the page in inches."""

    key: str
    caption: str
    png: bytes
    width: float
    height: float


def svg_size_inches(svg: str) -> tuple[float, float]:
    """Width and height of an SVG in inches (matplotlib writes points).

    >>> svg_size_inches('<svg width="720pt" height="360pt" viewBox="0 0 720 360">')
    (10.0, 5.0)
    >>> svg_size_inches('<svg width="96" height="48">')
    (1.0, 0.5)
    """
    found = _SIZE.search(svg)
    if found is None:
        return 6.0, 4.0
    per_inch = 72.0 if found.group(2) == "pt" else 96.0
    return float(found.group(1)) / per_inch, float(found.group(3)) / per_inch


def _resvg():
    try:
        import resvg_py
    except ImportError:
        return None
    return resvg_py


def svg_png(svg: str, dpi: float = _DPI) -> bytes | None:
    """The SVG as PNG bytes on white, or ``None`` without the ``resvg-py`` package."""
    resvg = _resvg()
    if resvg is None:
        return None
    return bytes(
        resvg.svg_to_bytes(
            svg_string=svg,
            dpi=dpi,
            background="white",
            image_rendering="optimize_speed",  # the map's land raster: half the time
        )
    )


def report_charts(context: dict) -> list[tuple[str, str, str]]:
    """``(key, caption, svg)`` of every chart of the report context, in the report's order."""
    t = context["t"]
    charts: list[tuple[str, str, str]] = []
    portfolio = context.get("portfolio") or {}
    for frontier in portfolio.get("frontiers", []):
        charts.append((f"frontier_{frontier['against']}", frontier["title"], frontier["svg"]))
    if context.get("network"):
        charts.append(("network", t("network"), context["network"]["svg"]))
    charts.append(("map", t("map"), context["map_svg"]))
    charts.append(("profiles", t("pillar_profiles"), context["profiles_svg"]))
    if context.get("intervals_svg"):
        charts.append(("intervals", t("uncertainty"), context["intervals_svg"]))
    if context.get("sobol_svg"):
        charts.append(("sobol", t("sensitivity"), context["sobol_svg"]))
    charts.append(("correlation", t("sensitivity"), context["correlation_svg"]))
    return [chart for chart in charts if chart[2]]


def chart_pictures(context: dict, dpi: float = _DPI) -> dict[str, Picture]:
    """Every chart of the report context as a :class:`Picture`, by key.

    The charts are rasterized at the same time on a few threads (resvg works
    outside Python's global lock). Empty without the ``resvg-py`` package.
    """
    charts = report_charts(context)
    if not charts or _resvg() is None:
        return {}
    with ThreadPoolExecutor(max_workers=min(4, len(charts))) as pool:
        pngs = list(pool.map(lambda chart: svg_png(chart[2], dpi), charts))
    pictures = {}
    for (key, caption, svg), png in zip(charts, pngs, strict=True):
        if png is None:
            continue
        width, height = svg_size_inches(svg)
        pictures[key] = Picture(key, caption, png, width, height)
    return pictures
