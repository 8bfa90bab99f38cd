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
>>> plot_rank_intervals(res, lang="zh").axes[0].get_xlabel()
'排名（1 = 最好）'
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from unicodedata import east_asian_width

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from oicplan.drawing import drawing
from oicplan.wholefile import write_figure

from ..errors import InputError

__all__ = [
    "plot_correlation",
    "plot_rank_intervals",
    "plot_sobol_indices",
    "LABELS",
    "save_figure",
    "text_inches",
]

_FORMATS = ("png", "svg")

# Axis and legend wording of the charts; English is the default.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "rank_axis": "Rank (1 = best)",
        "interval": "5th-95th percentile",
        "median": "median",
        "base_rank": "rank with the chosen weights",
        "first_order": "first order (S1)",
        "total_order": "total order (ST)",
        "sobol_axis": "Sobol' index",
    },
    "zh": {
        "rank_axis": "排名（1 = 最好）",
        "interval": "第5–95百分位",
        "median": "中位数",
        "base_rank": "既定权重下的排名",
        "first_order": "一阶指数（S1）",
        "total_order": "总效应指数（ST）",
        "sobol_axis": "Sobol敏感性指数",
    },
}
"""Chart wording per language (``lang`` argument of the plotting functions)."""
_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei",
              "WenQuanYi Zen Hei", "PingFang SC")


@contextmanager
def _quiet_glyphs():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=".*findfont.*")
        yield


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def text_inches(label: str, size: float) -> float:
    """Width in inches of ``label`` at ``size`` points, as a browser or CJK font draws it.

    A wide (CJK) character is one em, any other character 0.6 em (a generous
    average for sans-serif Latin text). The charts size their margins with it
    instead of a layout pass (a layout pass measures every label once more, and
    measures Chinese with matplotlib's fallback glyph, not the font that draws it).

    >>> text_inches("人才集聚", 9), round(text_inches("Talent", 9), 3)
    (0.5, 0.45)
    """
    ems = sum(1.0 if east_asian_width(c) in ("W", "F") else 0.6 for c in label)
    return ems * size / 72


_LINE = 1.25 / 72  # inches per point of a line of text
_TICK = 0.11  # inches: a tick (3.5 pt) and its label pad (3.5 pt)
_EDGE = 0.08  # inches of white at the figure's edge


def _place(fig: Figure, left: float, right: float, top: float, bottom: float) -> None:
    """Put the axes inside margins given in inches (the figure is drawn once, as placed)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


def _labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    return LABELS[lang]


def _font_family() -> list[str]:
    """Installed CJK fonts first (if any), then matplotlib's default."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [name for name in _CJK_FONTS if name in installed] + ["DejaVu Sans"]


def plot_rank_intervals(
    result,
    top: int | None = 30,
    title: str | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Figure:
    """Rank interval per alternative: a bar from p5 to p95 and a dot at the median.

    Alternatives are sorted by median rank (then p95), best at the top.

    Parameters
    ----------
    result : MonteCarloResult
    top : int, optional
        Show only the first ``top`` alternatives (all with ``None``).
    title : str, optional
    lang : {"en", "zh"}
        Language of the axis and legend labels (:data:`LABELS`).
    names : mapping, optional
        Label shown for an alternative (e.g. site id → site name); others keep their id.

    Returns
    -------
    matplotlib.figure.Figure
    """
    words = _labels(lang)
    names = names or {}
    frame = result.to_frame()
    if top is not None:
        frame = frame.head(int(top))
    n = len(frame)
    with drawing({"font.family": _font_family()}), _quiet_glyphs():
        labels = [str(names.get(a, a)) for a in frame.index]
        title = title or f"Rank intervals, {result.method.upper()}, {result.samples} replications"
        fig = _figure(7.0, max(2.5, 0.28 * n + 1.2))
        size = matplotlib.rcParams["font.size"]
        legend_height = 2.2 * _LINE * size * 0.833  # one row of "small" entries in a frame
        _place(
            fig,
            left=max((text_inches(t, size) for t in labels), default=0) + _TICK + _EDGE,
            right=0.25,
            top=_LINE * size * 1.2 + 0.08 + _EDGE,
            bottom=_TICK + 2 * _LINE * size + 0.06 + legend_height + _EDGE,
        )
        ax = fig.add_subplot()
        y = np.arange(n)
        ax.hlines(y, frame["rank_p5"], frame["rank_p95"], color="#4c72b0", linewidth=5,
                  alpha=0.55, label=words["interval"])
        ax.plot(frame["median_rank"], y, "o", color="#c44e52", label=words["median"])
        ax.plot(frame["base_rank"], y, "|", color="black", markersize=10,
                label=words["base_rank"])
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlabel(words["rank_axis"])
        ax.grid(axis="x", alpha=0.3)
        fig.legend(loc="lower center", bbox_to_anchor=(0.5, _EDGE / 2 / fig.get_figheight()),
                   ncols=3, fontsize="small")
        ax.set_title(title)
    return fig


def plot_sobol_indices(
    result,
    alternative: str | None = None,
    output: str = "score",
    title: str | None = None,
    *,
    lang: str = "en",
    input_names: Mapping[str, str] | None = None,
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
    lang : {"en", "zh"}
        Language of the axis and legend labels (:data:`LABELS`).
    input_names : mapping, optional
        Label shown for an input (e.g. pillar id → pillar name); others keep their id.

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
    >>> ax = plot_sobol_indices(res, lang="zh", input_names={"C1": "人才"}).axes[0]
    >>> ax.get_ylabel(), [t.get_text() for t in ax.get_xticklabels()]
    ('Sobol敏感性指数', ['人才', 'C2'])
    """
    words = _labels(lang)
    input_names = input_names or {}
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
    with drawing({"font.family": _font_family()}), _quiet_glyphs():
        labels = [str(input_names.get(i, i)) for i in result.inputs]
        size = matplotlib.rcParams["font.size"]
        longest = max((text_inches(t, size) for t in labels), default=0)
        fig = _figure(max(5.0, 0.5 * len(x) + 2.0), 3.6)
        # Labels turned 45°: as high as 0.71 of their width, and the first reaches left.
        _place(
            fig,
            left=max(0.75, 0.71 * longest - 0.15) + _EDGE,
            right=0.15,
            top=_LINE * size * 1.2 + 0.08 + _EDGE,
            bottom=_TICK + 0.71 * longest + 0.71 * _LINE * size + _EDGE,
        )
        ax = fig.add_subplot()
        ax.bar(x - 0.2, s1, width=0.4, label=words["first_order"], color="#4c72b0",
               **errors["s1"])
        ax.bar(x + 0.2, st, width=0.4, label=words["total_order"], color="#dd8452",
               **errors["st"])
        ax.set_xticks(x, labels, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_ylabel(words["sobol_axis"])
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
    with drawing({"font.family": _font_family()}), _quiet_glyphs():
        font = matplotlib.rcParams["font.size"]
        longest = max((text_inches(t, font) for t in names), default=0)
        cell = max(0.45, 2.5 / max(n, 1))  # inches per criterion
        side = cell * n  # the heatmap is square and sized to its cells: no white around it
        left = max(longest + _TICK, 0.5 * longest - cell / 2) + _EDGE
        top = _LINE * font * 1.2 + 0.08 + _EDGE
        bottom = _TICK + 0.87 * longest + 0.5 * _LINE * font + _EDGE  # labels turned 60°
        bar_gap, bar_width, bar_labels = 0.25, 0.18, 0.6
        width = left + side + bar_gap + bar_width + bar_labels
        fig = _figure(width, top + side + bottom)
        height = fig.get_figheight()
        ax = fig.add_axes((left / width, bottom / height, side / width, side / height))
        image = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks(range(n), names, rotation=60, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), names)
        if n <= 15:
            for i in range(n):
                for j in range(n):
                    ax.text(j, i, f"{corr[i, j]:.2f}", ha="center", va="center",
                            fontsize=7, color="white" if abs(corr[i, j]) > 0.6 else "black")
        bar = fig.add_axes(((left + side + bar_gap) / width, (bottom + 0.1 * side) / height,
                            bar_width / width, 0.8 * side / height))
        fig.colorbar(image, cax=bar)
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
    with drawing({"svg.fonttype": "none"}), _quiet_glyphs():
        write_figure(fig, path, format=fmt, dpi=dpi)
    return path
