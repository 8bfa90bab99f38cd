"""Charts rasterized for Word and PDF: the helper process and the dropped no-op clips."""

from __future__ import annotations

import io
import sys
import time

import numpy as np
import pytest

from oicplan.report import images

resvg = pytest.importorskip("resvg_py", reason="resvg-py rasterizes the charts")


def _chart(seed: int) -> str:
    """A matplotlib chart as SVG: lines inside the axes and one leaving them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rng = np.random.default_rng(seed)
    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    axes.grid(True)
    for _ in range(5):
        axes.plot(rng.random(30), linewidth=1.5)
    axes.scatter(rng.random(40) * 29, rng.random(40), s=30)
    axes.plot([0, 40], [-1.0, 2.0], linewidth=3)  # crosses the axes' edge: clipped
    axes.set_xlim(-3, 32)
    axes.set_ylim(-0.5, 1.5)
    out = io.StringIO()
    figure.savefig(out, format="svg")
    return out.getvalue()


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_rasterize_gives_each_chart_as_drawn_alone():
    svgs = [_chart(seed) for seed in range(5)]
    dpis = [60.0, 80.0, 100.0, 120.0, 140.0]
    assert images.rasterize(svgs, dpis) == [
        images.svg_png(svg, dpi) for svg, dpi in zip(svgs, dpis, strict=True)
    ]


def test_the_helper_draws_a_share_when_this_process_is_slow(monkeypatch):
    svgs = [_chart(seed) for seed in range(4)]
    dpis = [100.0] * 4
    expected = [images.svg_png(svg, 100.0) for svg in svgs]
    drawn_here = []
    draw = images.svg_png

    def slow(svg, dpi):
        drawn_here.append(svg)
        time.sleep(1.0)
        return draw(svg, dpi)

    monkeypatch.setattr(images, "svg_png", slow)
    assert images.rasterize(svgs, dpis) == expected
    assert len(drawn_here) < len(svgs)


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/false"])
def test_without_a_working_helper_this_process_draws_them_all(monkeypatch, executable):
    svgs = [_chart(seed) for seed in range(3)]
    expected = [images.svg_png(svg, 50.0) for svg in svgs]
    monkeypatch.setattr(sys, "executable", executable)
    assert images.rasterize(svgs, [50.0] * 3) == expected


def test_unclip_drops_only_clips_that_clip_nothing():
    svg = _chart(7)
    lighter = images.unclip(svg)
    assert lighter.count('clip-path="url(') < svg.count('clip-path="url(')
    # The line that leaves the axes keeps its clip: without it the picture would change.
    assert 'clip-path="url(' in lighter
    # Same picture: drawn through a mask or not, resvg's anti-aliasing differs by a level
    # on some edge pixels (and by a few more on a handful where lines cross), no more.
    before, after = _pixels(images.svg_png(svg, 150.0)), _pixels(images.svg_png(lighter, 150.0))
    assert before.shape == after.shape
    change = np.abs(before - after).max(axis=-1)
    assert change.max() <= 24
    assert (change > 0).mean() < 0.05
    assert (change > 2).mean() < 0.0005
    # Without the clip of the line that leaves the axes, the picture does change.
    naked = lighter.replace('clip-path="url(', 'data-clip="url(')
    assert np.abs(_pixels(images.svg_png(naked, 150.0)) - before).max() > 100


def test_unclip_leaves_paths_that_may_inherit_a_stroke():
    svg = (
        '<clipPath id="c"><rect x="0" y="0" width="100" height="50"/></clipPath>'
        '<g style="stroke: #000; stroke-width: 30">'
        '<path d="M 10 10 L 90 40" clip-path="url(#c)" style="fill: none"/></g>'
    )
    assert images.unclip(svg) == svg


def test_a_stalled_helper_does_not_hold_this_process_up(monkeypatch):
    svgs = [_chart(seed) for seed in range(3)]
    expected = [images.svg_png(svg, 80.0) for svg in svgs]
    monkeypatch.setattr(images, "_HELPER", "import time; time.sleep(120)")
    start = time.perf_counter()
    assert images.rasterize(svgs, [80.0] * 3) == expected
    assert time.perf_counter() - start < 30


def test_chart_pictures_are_drawn_while_the_caller_goes_on():
    svgs = [_chart(seed) for seed in range(3)]
    context = {
        "t": lambda key: key,
        "map_svg": svgs[0],
        "profiles_svg": svgs[1],
        "correlation_svg": svgs[2],
    }
    pictures = images.chart_pictures(context)
    time.sleep(0.3)  # the caller renders other files meanwhile
    assert list(pictures) == ["map", "profiles", "correlation"]
    for key, svg in zip(pictures, svgs, strict=True):
        width, height = images.svg_size_inches(svg)
        assert (pictures[key].width, pictures[key].height) == (width, height)
        assert pictures[key].png == images.svg_png(
            images.unclip(svg), images.render_dpi(width)
        )


def test_a_helper_never_asked_for_its_pictures_is_stopped():
    import gc

    job = images.Rasterizing([_chart(seed) for seed in range(3)], [300.0] * 3)
    if job._helper is None:
        pytest.skip("no helper process on this machine (one core, or not POSIX)")
    process = job._helper.process
    del job
    gc.collect()
    assert process.wait(timeout=10) is not None
