"""Figures of the layout model: the Pareto trade-off chart, saved as SVG.

Matplotlib is imported inside the functions, so importing the model stays fast.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from oicplan.drawing import drawing

__all__ = ["pareto_figure", "save_svg"]


_EDGE = 0.08  # inches of white at the figure's edge
_TICK = 0.11  # inches: a tick (3.5 pt) and its label pad (3.5 pt)
_LINE = 1.25 / 72  # inches per point of a line of text


@drawing()
def pareto_figure(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    fixed_margins: bool = False,
):
    """A matplotlib Figure of a :meth:`Layout.pareto` table (benefit against the metric).

    Parameters
    ----------
    table : DataFrame
        A :meth:`Layout.pareto` table.
    title, xlabel, ylabel : str, optional
        The chart's wording (default, in English: "Layout trade-off: benefit
        against <metric>", "total <metric>", "benefit").
    fixed_margins : bool
        False (default): laid out by ``tight_layout``, as ``oicplan optimize --svg``
        draws it. True: margins fixed in inches from the text of the title, the
        axis labels and the tick labels, so the figure is drawn once (no layout
        pass; a Chinese character counts as one em, as a browser draws it).

    >>> t = pd.DataFrame({"against": "cost", "cost": [0.0, 2.0], "benefit": [0.0, 3.0]})
    >>> pareto_figure(t).axes[0].get_xlabel()
    'total cost'
    >>> fig = pareto_figure(t, xlabel="总成本", ylabel="效益", fixed_margins=True)
    >>> fig.axes[0].get_xlabel(), fig.get_layout_engine() is None
    ('总成本', True)
    """
    from matplotlib.figure import Figure

    against = table.attrs.get("against") or str(table["against"].iloc[0])
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.add_subplot()
    x, b = table[against].to_numpy(float), table["benefit"].to_numpy(float)
    ax.step(x, b, where="post", color="#1f5fa8", linewidth=1.5)
    ax.plot(x, b, "o", color="#1f5fa8")
    ax.set_xlabel(f"total {against}" if xlabel is None else xlabel)
    ax.set_ylabel("benefit" if ylabel is None else ylabel)
    ax.set_title(title or f"Layout trade-off: benefit against {against}")
    ax.grid(True, alpha=0.3)
    if fixed_margins:
        _fix_margins(fig, ax)
    else:
        with warnings.catch_warnings():  # a CJK label: the SVG's reader has the font
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig.tight_layout()
    return fig


def _tick_labels(axis, low: float, high: float) -> list[str]:
    """The tick labels ``axis`` draws between its limits."""
    ticks = [t for t in axis.get_majorticklocs() if min(low, high) <= t <= max(low, high)]
    return axis.get_major_formatter().format_ticks(ticks)


def _fix_margins(fig, ax) -> None:
    """Place ``ax`` inside margins sized from its text (inches), instead of a layout pass."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    from oicplan.uncertainty.plots import text_inches

    def points(key: str) -> float:  # a size in rcParams ("medium", 10, ...) in points
        return FontProperties(size=rcParams[key]).get_size_in_points()

    tick, label, title = (
        points("xtick.labelsize"),
        points("axes.labelsize"),
        points("axes.titlesize"),
    )
    xlabels = _tick_labels(ax.xaxis, *ax.get_xlim())
    ylabels = _tick_labels(ax.yaxis, *ax.get_ylim())
    label_pad = rcParams["axes.labelpad"] / 72
    widest = max((text_inches(t, tick) for t in ylabels), default=0.0)
    lines = ax.get_title().count("\n") + 1
    left = _EDGE + label * _LINE + label_pad + widest + _TICK
    bottom = _EDGE + label * _LINE + label_pad + tick * _LINE + _TICK
    top = _EDGE + lines * title * _LINE + rcParams["axes.titlepad"] / 72
    right = _EDGE + max(text_inches(xlabels[-1], tick) / 2 if xlabels else 0.0, 0.1)
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


def save_svg(fig: Any, path: str | Path) -> Path:
    """Write ``fig`` as SVG with text kept as text (``svg.fonttype = 'none'``)."""

    path = Path(path)
    from oicplan.wholefile import write_figure

    with drawing({"svg.fonttype": "none"}):
        write_figure(fig, path, format="svg")
    return path
