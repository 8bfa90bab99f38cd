"""Figures of the layout model: the Pareto trade-off chart, saved as SVG.

Matplotlib is imported inside the functions, so importing the model stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["pareto_figure", "save_svg"]


def pareto_figure(table: pd.DataFrame, *, title: str | None = None):
    """A matplotlib Figure of a :meth:`Layout.pareto` table (benefit against the metric).

    >>> t = pd.DataFrame({"against": "cost", "cost": [0.0, 2.0], "benefit": [0.0, 3.0]})
    >>> pareto_figure(t).axes[0].get_xlabel()
    'total cost'
    """
    from matplotlib.figure import Figure

    against = table.attrs.get("against") or str(table["against"].iloc[0])
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.add_subplot()
    x, b = table[against].to_numpy(float), table["benefit"].to_numpy(float)
    ax.step(x, b, where="post", color="#1f5fa8", linewidth=1.5)
    ax.plot(x, b, "o", color="#1f5fa8")
    ax.set_xlabel(f"total {against}")
    ax.set_ylabel("benefit")
    ax.set_title(title or f"Layout trade-off: benefit against {against}")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def save_svg(fig: Any, path: str | Path) -> Path:
    """Write ``fig`` as SVG with text kept as text (``svg.fonttype = 'none'``)."""
    import matplotlib

    path = Path(path)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, format="svg")
    return path
