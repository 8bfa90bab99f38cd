"""pareto_figure: its wording from the caller, and margins fixed from the text (no layout pass)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from oicplan.optimize.layout_figures import pareto_figure


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "against": "cost",
            "cost": [812.3, 1640.0, 2480.5, 4105.9],
            "benefit": [1.2, 2.9, 4.1, 5.2],
        }
    )


def test_defaults_as_before(table):
    axes = pareto_figure(table).axes[0]
    assert axes.get_xlabel() == "total cost" and axes.get_ylabel() == "benefit"
    assert axes.get_title() == "Layout trade-off: benefit against cost"


@pytest.mark.parametrize("fixed", [False, True])
def test_labels_are_used(table, fixed):
    figure = pareto_figure(
        table, title="效益与成本", xlabel="总成本（百万美元）", ylabel="效益", fixed_margins=fixed
    )
    axes = figure.axes[0]
    assert (axes.get_title(), axes.get_xlabel(), axes.get_ylabel()) == (
        "效益与成本",
        "总成本（百万美元）",
        "效益",
    )


def test_fixed_margins_hold_the_text_like_tight_layout(table):
    """Fixed margins: every label inside the figure, the axes about where tight_layout puts it."""
    words = {
        "title": "Benefit against cost (ε-constraint)",
        "xlabel": "Total cost: set-up + one year's running (US$ million)",
        "ylabel": "Benefit",
    }
    fixed = pareto_figure(table, fixed_margins=True, **words)
    tight = pareto_figure(table, **words)
    renderer = FigureCanvasAgg(fixed).get_renderer()
    inside = fixed.axes[0].get_tightbbox(renderer)
    width, height = (fixed.get_size_inches() * fixed.dpi).tolist()
    assert inside.x0 >= 0 and inside.y0 >= 0 and inside.x1 <= width and inside.y1 <= height
    here, there = fixed.axes[0].get_position(), tight.axes[0].get_position()
    assert abs(here.x0 - there.x0) * 6.0 < 0.25 and abs(here.y0 - there.y0) * 4.0 < 0.25
    assert abs(here.x1 - there.x1) * 6.0 < 0.25 and abs(here.y1 - there.y1) * 4.0 < 0.25
