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

__all__ = [
    "Picture",
    "chart_pictures",
    "render_dpi",
    "report_charts",
    "svg_png",
    "svg_size_inches",
]

_PRINT_DPI = 200.0  # pixels per inch of the picture as Word or the PDF prints it
_PAGE_WIDTH = 6.3  # inches of text width on A4 (both documents)
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


def render_dpi(width: float, print_dpi: float = _PRINT_DPI) -> float:
    """Resolution to rasterize a chart ``width`` inches wide at, for ``print_dpi`` on the page.

    A chart wider than the page is shrunk to the page's width, so it needs fewer
    pixels per inch of its own size (and takes less time to draw).

    >>> render_dpi(4.0), render_dpi(12.6)
    (200.0, 100.0)
    """
    return print_dpi * min(1.0, _PAGE_WIDTH / width)


def svg_png(svg: str, dpi: float = _PRINT_DPI) -> bytes | None:
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


def chart_pictures(context: dict, print_dpi: float = _PRINT_DPI) -> dict[str, Picture]:
    """Every chart of the report context as a :class:`Picture`, by key.

    Each is rasterized for ``print_dpi`` at the size it has on the page (at most
    the page's width); the charts are drawn on a few threads. Empty without the
    ``resvg-py`` package.
    """
    charts = report_charts(context)
    if not charts or _resvg() is None:
        return {}
    sizes = [svg_size_inches(svg) for _, _, svg in charts]
    with ThreadPoolExecutor(max_workers=min(4, len(charts))) as pool:
        pngs = list(
            pool.map(
                lambda chart, size: svg_png(chart[2], render_dpi(size[0], print_dpi)),
                charts,
                sizes,
            )
        )
    pictures = {}
    for (key, caption, _), (width, height), png in zip(charts, sizes, pngs, strict=True):
        if png is not None:
            pictures[key] = Picture(key, caption, png, width, height)
    return pictures
