"""Charts for uncertainty results: rank intervals, Sobol' indices, criteria correlation.

Every function returns a :class:`matplotlib.figure.Figure` built with the
object-oriented API (no pyplot state, Agg canvas), so it works on servers and
in tests; :func:`save_figure` writes PNG or SVG. SVG keeps text as text
(``svg.fonttype = "none"``) so Chinese labels render with the viewer's fonts;
matplotlib's "Glyph ... missing from font" warnings are silenced because the
glyphs are not needed inside the file.

Examples
--------
>>> from oicplan.uncertainty import monte_carlo
>>> res = monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
...                   samples=100, seed=0)
>>> fig = plot_rank_intervals(res)
>>> fig.axes[0].get_xlabel()
'Rank (1 = best)'
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..errors import InputError

__all__ = [
    "plot_correlation",
    "plot_rank_intervals",
    "plot_sobol_indices",
    "save_figure",
]

_FORMATS = ("png", "svg")
_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei",
              "WenQuanYi Zen Hei", "PingFang SC")


@contextmanager
def _quiet_glyphs():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=".*findfont.*")
        yield


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _font_family() -> list[str]:
    """Installed CJK fonts first (if any), then matplotlib's default."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [name for name in _CJK_FONTS if name in installed] + ["DejaVu Sans"]


def plot_rank_intervals(result, top: int | None = 30, title: str | None = None) -> Figure:
    """Rank interval per alternative: a bar from p5 to p95 and a dot at the median.

    Alternatives are sorted by median rank (then p95), best at the top.

    Parameters
    ----------
    result : MonteCarloResult
    top : int, optional
        Show only the first ``top`` alternatives (all with ``None``).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame = result.to_frame()
    if top is not None:
        frame = frame.head(int(top))
    n = len(frame)
    with matplotlib.rc_context({"font.family": _font_family()}), _quiet_glyphs():
        fig = _figure(7.0, max(2.5, 0.28 * n + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        ax.hlines(y, frame["rank_p5"], frame["rank_p95"], color="#4c72b0", linewidth=5,
                  alpha=0.55, label="5th-95th percentile")
        ax.plot(frame["median_rank"], y, "o", color="#c44e52", label="median")
        ax.plot(frame["base_rank"], y, "|", color="black", markersize=10,
                label="rank with the chosen weights")
        ax.set_yticks(y, [str(a) for a in frame.index])
        ax.invert_yaxis()
        ax.set_xlabel("Rank (1 = best)")
        ax.grid(axis="x", alpha=0.3)
        fig.legend(loc="outside lower center", ncols=3, fontsize="small")
        ax.set_title(title or f"Rank intervals, {result.method.upper()}, "
                              f"{result.samples} replications")
    return fig


def plot_sobol_indices(
    result, alternative: str | None = None, output: str = "score", title: str | None = None
) -> Figure:
    """First- and total-order index of every input, as paired bars.

    For one alternative of a result with bootstrap intervals the bars carry
    error bars (the ``conf_level`` half-widths).

    Parameters
    ----------
    result : SobolResult
    alternative : str, optional
        One alternative; by default the mean over all alternatives.
    output : {"score", "rank"}
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from oicplan.uncertainty import sobol_analysis
    >>> res = sobol_analysis([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
    ...                      samples=32, seed=0)
    >>> len(plot_sobol_indices(res, "A1").axes[0].patches)
    4
    """
    if output not in ("score", "rank"):
        raise InputError(f"output must be 'score' or 'rank', got {output!r}", field="output")
    first = result.first_order if output == "score" else result.rank_first_order
    total = result.total_order if output == "score" else result.rank_total_order
    errors = {"s1": {}, "st": {}}  # error bars: only for one alternative with intervals
    if alternative is None:
        s1, st = first.mean(axis=0), total.mean(axis=0)
        what = f"mean over {len(result.alternatives)} alternatives"
    else:
        if alternative not in result.alternatives:
            raise InputError(f"unknown alternative {alternative!r}", field="alternative")
        i = result.alternatives.index(alternative)
        s1, st = first[i], total[i]
        what = alternative
        conf = getattr(result, "conf", None) or {}
        if conf:
            prefix = "" if output == "score" else "rank_"
            errors = {"s1": {"yerr": conf[f"{prefix}first_order"][i], "capsize": 3},
                      "st": {"yerr": conf[f"{prefix}total_order"][i], "capsize": 3}}
    x = np.arange(len(result.inputs))
    with matplotlib.rc_context({"font.family": _font_family()}), _quiet_glyphs():
        fig = _figure(max(5.0, 0.5 * len(x) + 2.0), 3.6)
        ax = fig.add_subplot()
        ax.bar(x - 0.2, s1, width=0.4, label="first order (S1)", color="#4c72b0",
               **errors["s1"])
        ax.bar(x + 0.2, st, width=0.4, label="total order (ST)", color="#dd8452",
               **errors["st"])
        ax.set_xticks(x, list(result.inputs), rotation=45, ha="right")
        ax.set_ylabel("Sobol' index")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.legend(fontsize="small")
        ax.set_title(title or f"Sensitivity of the {output} ({what})")
    return fig


def plot_correlation(
    matrix, criteria: Sequence[str] | None = None, method: str = "pearson",
    title: str | None = None,
) -> Figure:
    """Heatmap of the correlation between the criteria (columns) of a decision matrix.

    Parameters
    ----------
    matrix : pandas.DataFrame or array_like, shape (m, n)
    criteria : sequence of str, optional
        Column names when ``matrix`` has none.
    method : {"pearson", "spearman", "kendall"}
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_correlation([[1, 2, 3], [2, 4, 1], [3, 7, 2]], ["人才", "成本", "c"])
    >>> fig.axes[0].get_title()
    'Correlation of the criteria (pearson)'
    """
    frame = matrix.copy() if isinstance(matrix, pd.DataFrame) else pd.DataFrame(
        np.asarray(matrix, dtype=float), columns=criteria
    )
    if criteria is not None:
        frame.columns = list(criteria)
    corr = frame.astype(float).corr(method=method).to_numpy()
    names = [str(c) for c in frame.columns]
    n = len(names)
    with matplotlib.rc_context({"font.family": _font_family()}), _quiet_glyphs():
        size = max(4.0, 0.45 * n + 2.5)
        fig = _figure(size + 1.0, size)
        ax = fig.add_subplot()
        image = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks(range(n), names, rotation=60, ha="right")
        ax.set_yticks(range(n), names)
        if n <= 15:
            for i in range(n):
                for j in range(n):
                    ax.text(j, i, f"{corr[i, j]:.2f}", ha="center", va="center",
                            fontsize=7, color="white" if abs(corr[i, j]) > 0.6 else "black")
        fig.colorbar(image, ax=ax, shrink=0.8)
        ax.set_title(title or f"Correlation of the criteria ({method})")
    return fig


def save_figure(fig: Figure, path, dpi: int = 150) -> Path:
    """Write a figure as PNG or SVG, chosen by the file's suffix.

    SVG text stays text (``svg.fonttype = "none"``), so Chinese labels show
    with the viewer's fonts.

    Raises
    ------
    InputError
        For a suffix other than ``.png`` or ``.svg``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig = plot_correlation([[1, 2], [2, 1], [3, 5]], ["甲", "乙"])
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "c.svg")
    >>> "甲" in out.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        raise InputError(f"plot file must end in .png or .svg, got {path.name!r}",
                         field="plot")
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.fonttype": "none"}), _quiet_glyphs():
        fig.savefig(path, format=fmt, dpi=dpi)
    return path
