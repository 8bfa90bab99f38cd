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

``resvg-py`` holds Python's global lock while it draws, so threads draw one chart at
a time. :func:`chart_pictures` therefore shares the charts with one helper process
(a bare ``python`` that imports only ``resvg_py``; started with :mod:`subprocess`,
~50 ms): the helper draws from the first chart on, this process from the last one
back, until they meet (the zhejiang report's 8 charts on the 2-core machine with one
core busy elsewhere: 1.95 s of drawing in 1.26 s; nothing gained when both cores are
busy); this process waits for the helper's chart in hand no longer than one of its
own charts took, then draws it itself (a busy machine may starve the helper). Both
draw with the same options, so the pictures are byte for byte those of one process;
if the helper cannot start or fails, this process draws what is left.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "Picture",
    "Rasterizing",
    "chart_pictures",
    "rasterize",
    "rasterize_ahead",
    "render_dpi",
    "report_charts",
    "svg_png",
    "svg_size_inches",
    "unclip",
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


_OPTIONS = {
    "background": "white",
    "image_rendering": "optimize_speed",  # the map's land raster: half the time
}


_CLIP_RECT = re.compile(
    r'<clipPath id="([^"]+)">\s*<rect x="([-\d.e]+)" y="([-\d.e]+)" '
    r'width="([-\d.e]+)" height="([-\d.e]+)"\s*/>\s*</clipPath>'
)
_CLIPPED_PATH = re.compile(r'<path d="([^"]*)" clip-path="url\(#([^)"]+)\)" style="([^"]*)"\s*/>')
_PATH_COMMANDS = re.compile(r"[A-Za-z]")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_STROKE_WIDTH = re.compile(r"stroke-width:\s*([\d.]+)")
_STROKED_GROUP = re.compile(r'<g [^>]*style="[^"]*stroke')


def unclip(svg: str) -> str:
    """``svg`` without the clip paths that clip nothing: same picture, drawn faster.

    matplotlib clips every line and marker of an axes to the axes' rectangle;
    resvg draws each clipped element through a mask of its own, which took half
    the time of the frontier charts. A ``<path>`` whose outline, widened by
    twice its stroke width (a miter's reach at the default limit) and one more
    unit, lies inside its clip rectangle loses nothing to the clip, so its
    ``clip-path`` is dropped (the pixels are the same). Only absolute ``M L C Q Z``
    paths without a transform, stating their own stroke (what matplotlib writes),
    are looked at; anything else keeps its clip.

    >>> svg = ('<clipPath id="c"><rect x="0" y="0" width="100" height="50"/></clipPath>'
    ...        '<path d="M 10 10 L 90 40" clip-path="url(#c)" style="stroke-width: 1"/>'
    ...        '<path d="M 10 10 L 99.5 40" clip-path="url(#c)" style="stroke-width: 1"/>')
    >>> [part.count("clip-path") for part in unclip(svg).split("<path")[1:]]
    [0, 1]
    """
    rects = {
        found.group(1): tuple(float(found.group(i)) for i in range(2, 6))
        for found in _CLIP_RECT.finditer(svg)
    }
    if not rects or _STROKED_GROUP.search(svg):  # a stroke a path may inherit: keep all
        return svg

    def keep_or_drop(found: re.Match[str]) -> str:
        path, clip, style = found.groups()
        rect = rects.get(clip)
        if rect is None or set(_PATH_COMMANDS.findall(path)) - set("MLCQZz"):
            return found.group(0)
        numbers = [float(n) for n in _NUMBER.findall(path)]
        if not numbers or len(numbers) % 2:
            return found.group(0)
        xs, ys = numbers[0::2], numbers[1::2]
        width = _STROKE_WIDTH.search(style)
        stroked = "stroke:" in style.replace("stroke: none", "")
        margin = 1.0 + (2 * (float(width.group(1)) if width else 1.0) if stroked else 0.0)
        x, y, w, h = rect
        if (
            min(xs) - margin > x
            and max(xs) + margin < x + w
            and min(ys) - margin > y
            and max(ys) + margin < y + h
        ):
            return f'<path d="{path}" style="{style}"/>'
        return found.group(0)

    return _CLIPPED_PATH.sub(keep_or_drop, svg)


def svg_png(svg: str, dpi: float = _PRINT_DPI) -> bytes | None:
    """The SVG as PNG bytes on white, or ``None`` without the ``resvg-py`` package."""
    resvg = _resvg()
    if resvg is None:
        return None
    return bytes(resvg.svg_to_bytes(svg_string=svg, dpi=dpi, **_OPTIONS))


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


def chart_pictures(context: dict, print_dpi: float = _PRINT_DPI) -> Mapping[str, Picture]:
    """Every chart of the report context as a :class:`Picture`, by key.

    Each is rasterized for ``print_dpi`` at the size it has on the page (at most
    the page's width), without the clips that clip nothing (:func:`unclip`); the
    charts are shared with a helper process (:class:`Rasterizing`). The helper
    starts at once and the caller goes on (``write_plan`` renders the HTML,
    Markdown and Excel files meanwhile); this process joins in when a picture is
    first asked for. Empty without the ``resvg-py`` package.
    """
    charts = report_charts(context)
    if not charts or _resvg() is None:
        return {}
    sizes = [svg_size_inches(svg) for _, _, svg in charts]
    jobs = [_raster_job(svg, width, print_dpi) for (_, _, svg), (width, _) in zip(
        charts, sizes, strict=True)]
    return _Pictures(charts, sizes, _AheadOrNow(jobs))


def _raster_job(svg: str, width: float, print_dpi: float) -> tuple[str, float]:
    """What a chart ``width`` inches wide is rasterized as: its SVG without idle clips, its dpi."""
    return unclip(svg), render_dpi(width, print_dpi)


#: Pictures rasterized ahead (:func:`rasterize_ahead`), by (unclipped SVG, dpi); each is
#: taken out when a report uses it, and the oldest go beyond _AHEAD_KEPT.
_AHEAD: OrderedDict[tuple[str, float], bytes] = OrderedDict()
_AHEAD_KEPT = 16
_AHEAD_LOCK = threading.Lock()


def rasterize_ahead(svgs: list[str], print_dpi: float = _PRINT_DPI) -> int:
    """Rasterize report charts now, for a :func:`chart_pictures` to come; how many were.

    A plan waiting for its frontier solves draws the charts those do not change
    (:func:`oicplan.report.render.prepare_report`) and rasterizes them here, in this
    thread, while HiGHS runs in others; :func:`chart_pictures` then takes each
    picture whose chart (same SVG, same dpi) was rasterized ahead and rasterizes only
    the rest. The pictures are the same bytes as when rasterized then. At most
    16 are kept, each until it is used once. 0 without ``resvg-py``.

    >>> square = '<svg xmlns="http://www.w3.org/2000/svg" width="72pt" height="72pt"/>'
    >>> done = rasterize_ahead([square])
    >>> done == (_resvg() is not None)
    True
    >>> list(chart_pictures({"t": str, "map_svg": square, "profiles_svg": "",
    ...     "correlation_svg": ""})) == (["map"] if done else [])
    True
    """
    if _resvg() is None:
        return 0
    for svg in svgs:
        job = _raster_job(svg, svg_size_inches(svg)[0], print_dpi)
        png = svg_png(*job)
        with _AHEAD_LOCK:
            _AHEAD[job] = png  # type: ignore[assignment] - not None with resvg
            while len(_AHEAD) > _AHEAD_KEPT:
                _AHEAD.popitem(last=False)
    return len(svgs)


class _AheadOrNow:
    """The PNGs of ``jobs``: those rasterized ahead, the rest by a :class:`Rasterizing`."""

    def __init__(self, jobs: list[tuple[str, float]]) -> None:
        with _AHEAD_LOCK:
            self._ready = {i: _AHEAD.pop(job) for i, job in enumerate(jobs) if job in _AHEAD}
        self._todo = [i for i in range(len(jobs)) if i not in self._ready]
        self._job = Rasterizing([jobs[i][0] for i in self._todo], [jobs[i][1] for i in self._todo])
        self._size = len(jobs)

    def result(self) -> list[bytes | None]:
        pngs: list[bytes | None] = [self._ready.get(i) for i in range(self._size)]
        for index, png in zip(self._todo, self._job.result(), strict=True):
            pngs[index] = png
        return pngs


class _Pictures(Mapping[str, Picture]):
    """The pictures of :func:`chart_pictures`, complete when first read."""

    def __init__(
        self, charts: list[tuple[str, str, str]], sizes: list[tuple[float, float]],
        job: _AheadOrNow,
    ) -> None:
        self._charts, self._sizes, self._job = charts, sizes, job
        self._pictures: dict[str, Picture] | None = None

    def _all(self) -> dict[str, Picture]:
        if self._pictures is None:
            pictures = {}
            pngs = self._job.result()
            for (key, caption, _), (width, height), png in zip(
                self._charts, self._sizes, pngs, strict=True
            ):
                if png is not None:
                    pictures[key] = Picture(key, caption, png, width, height)
            self._pictures = pictures
        return self._pictures

    def __getitem__(self, key: str) -> Picture:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


# The helper process: reads the pickled (svgs, dpis, options) from stdin, then writes
# each chart's PNG, from the first on, as an 8-byte index, an 8-byte length and the bytes.
_HELPER = """
import pickle, sys
import resvg_py
svgs, dpis, options = pickle.load(sys.stdin.buffer)
out = sys.stdout.buffer
for index, (svg, dpi) in enumerate(zip(svgs, dpis)):
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, dpi=dpi, **options))
    out.write(index.to_bytes(8, "little") + len(png).to_bytes(8, "little") + png)
    out.flush()
"""


class _Helper:
    """The helper process, and its PNGs as this process reads them.

    resvg holds the lock a reader thread would need, so this process reads the
    helper's output itself, between its own charts (without waiting) and at the end.
    """

    def __init__(self, svgs: list[str], dpis: list[float]) -> None:
        self.done: dict[int, bytes] = {}
        self.ended = False
        self._buffer = bytearray()
        with tempfile.TemporaryFile() as charts:  # no pipe to fill: nothing waits for it
            charts.write(pickle.dumps((svgs, dpis, _OPTIONS)))
            charts.seek(0)
            self.process = subprocess.Popen(
                [sys.executable, "-c", _HELPER],
                stdin=charts,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        os.set_blocking(self._fd, False)  # read between charts without waiting

    def read(self, timeout: float | None = 0.0) -> None:
        """Take in what the helper has written; wait up to ``timeout`` s for one more PNG.

        ``timeout`` None waits as long as it takes (or until the helper ends).
        """
        count = len(self.done)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.ended:
            try:
                chunk = os.read(self._fd, 1 << 20)
            except BlockingIOError:
                left = None if deadline is None else deadline - time.monotonic()
                if len(self.done) > count or (left is not None and left <= 0):
                    return
                select.select([self._fd], [], [], left)
                continue
            except OSError:
                chunk = b""
            if not chunk:
                self.ended = True
                return
            self._buffer += chunk
            while len(self._buffer) >= 16:
                size = int.from_bytes(self._buffer[8:16], "little")
                if len(self._buffer) < 16 + size:
                    break
                index = int.from_bytes(self._buffer[:8], "little")
                self.done[index] = bytes(self._buffer[16 : 16 + size])
                del self._buffer[: 16 + size]

    def working_on(self) -> int | None:
        """The chart the helper draws now (it draws them in order); None once it ended."""
        self.read()
        return None if self.ended else len(self.done)

    def wait(self, index: int, timeout: float | None = None) -> bytes | None:
        """The helper's PNG of chart ``index``, waiting up to ``timeout`` s (None: no limit).

        None if it did not come in that time or the helper ended without it.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while index not in self.done and not self.ended:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            self.read(left)
        return self.done.get(index)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


class Rasterizing:
    """SVGs being rasterized: the helper process starts at once, :meth:`result` joins in.

    With two or more charts and cores (on POSIX), a helper process draws from the
    first chart on; when :meth:`result` is first called this process draws from the
    last one back until they meet (module docstring). A helper never asked for its
    pictures is stopped when this object is collected or the process exits.
    """

    def __init__(self, svgs: list[str], dpis: list[float]) -> None:
        self.svgs, self.dpis = list(svgs), list(dpis)
        self._pngs: list[bytes | None] | None = None
        self._helper: _Helper | None = None
        if _resvg() is None:
            self._pngs = [None] * len(self.svgs)
        elif len(self.svgs) > 1 and (os.cpu_count() or 1) > 1 and os.name == "posix":
            try:
                self._helper = _Helper(self.svgs, self.dpis)
            except OSError:
                self._helper = None
            else:
                weakref.finalize(self, self._helper.close)

    def result(self) -> list[bytes | None]:
        """PNG bytes of each SVG at its dpi (None without ``resvg-py``), in order."""
        if self._pngs is None:
            try:
                self._pngs = _draw(self.svgs, self.dpis, self._helper)
            finally:
                if self._helper is not None:
                    self._helper.close()
        return self._pngs


def rasterize(svgs: list[str], dpis: list[float]) -> list[bytes | None]:
    """PNG bytes of each SVG at its dpi (None without ``resvg-py``), in order.

    Shared with a helper process (:class:`Rasterizing`); see the module docstring.

    >>> square = '<svg xmlns="http://www.w3.org/2000/svg" width="72pt" height="72pt"/>'
    >>> pngs = rasterize([square, square, square], [10.0, 20.0, 30.0])
    >>> pngs == [svg_png(square, dpi) for dpi in (10.0, 20.0, 30.0)] or _resvg() is None
    True
    """
    return Rasterizing(svgs, dpis).result()


def _draw(svgs: list[str], dpis: list[float], helper: _Helper | None) -> list[bytes | None]:
    """This process's part: from the last chart back until it meets the helper."""
    pngs: list[bytes | None] = [None] * len(svgs)
    slowest = 0.0  # the longest this process took to draw one chart
    for index in reversed(range(len(svgs))):
        if helper is not None:
            helper_at = helper.working_on()
            if helper_at is not None and index < helper_at:
                break  # the helper has drawn this chart and those before it
            if helper_at == index:
                # The helper is drawing it: wait for it, as long as a chart takes here
                # (a helper slowed down by a busy machine does not hold this one up).
                pngs[index] = helper.wait(index, timeout=max(slowest, 0.1))
                if pngs[index] is not None:
                    break
        start = time.perf_counter()
        pngs[index] = svg_png(svgs[index], dpis[index])
        slowest = max(slowest, time.perf_counter() - start)
    if helper is not None:
        for index in range(len(svgs)):
            if pngs[index] is None:
                pngs[index] = helper.wait(index) or svg_png(svgs[index], dpis[index])
    return pngs
