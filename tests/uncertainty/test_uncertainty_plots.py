"""Charts return figures and save as PNG or SVG (with Chinese labels as text)."""

import warnings

import pytest
from matplotlib.figure import Figure

from oicplan.errors import InputError
from oicplan.uncertainty import monte_carlo, sobol_analysis
from oicplan.uncertainty.plots import (
    plot_correlation,
    plot_rank_intervals,
    plot_sobol_indices,
    save_figure,
)


def test_plots_save(tmp_path, small_problem):
    matrix, weights, types = small_problem
    names = ["人才", "成本", "市场", "合作", "风险"]
    mc = monte_carlo(matrix, weights, types, samples=200, seed=0, criteria=names,
                     alternatives=[f"城市{i}" for i in range(12)])
    sob = sobol_analysis(matrix, weights, types, samples=32, seed=0, criteria=names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph warnings leak out
        figs = [plot_rank_intervals(mc, top=5), plot_sobol_indices(sob),
                plot_sobol_indices(sob, "A3", output="rank"), plot_correlation(matrix, names)]
        assert all(isinstance(f, Figure) for f in figs)
        assert len(figs[0].axes[0].get_yticklabels()) == 5
        svg = save_figure(figs[0], tmp_path / "r.svg")
        png = save_figure(figs[3], tmp_path / "sub" / "c.png")
    assert "城市" in svg.read_text(encoding="utf-8")
    assert png.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError):
        save_figure(figs[0], tmp_path / "r.pdf")
    with pytest.raises(InputError):
        plot_sobol_indices(sob, "nope")


def test_sobol_bars_of_one_alternative_carry_the_bootstrap_intervals(small_problem):
    matrix, weights, types = small_problem
    sob = sobol_analysis(matrix, weights, types, samples=32, seed=0, num_resamples=50)
    ax = plot_sobol_indices(sob, "A3").axes[0]
    # One error-bar container per bar series, with the half-widths as given.
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 2
    segments = bars[1].lines[2][0].get_segments()
    heights = [seg[1][1] - seg[0][1] for seg in segments]
    assert heights == pytest.approx(2 * sob.conf["total_order"][2])
    # The mean over alternatives has no interval of its own: no error bars.
    mean_ax = plot_sobol_indices(sob).axes[0]
    assert not [c for c in mean_ax.containers if c.__class__.__name__ == "ErrorbarContainer"]


def test_charts_speak_chinese_when_asked(small_problem):
    matrix, weights, types = small_problem
    names = ["C1", "C2", "C3", "C4", "C5"]
    mc = monte_carlo(matrix, weights, types, samples=100, seed=0, criteria=names)
    sob = sobol_analysis(matrix, weights, types, samples=32, seed=0, criteria=names)
    ax = plot_rank_intervals(mc, top=3, lang="zh", names={mc.alternatives[0]: "甲城"}).axes[0]
    assert ax.get_xlabel() == "排名（1 = 最好）"
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == ["第5–95百分位", "中位数", "既定权重下的排名"]
    shown = {t.get_text() for t in ax.get_yticklabels()}
    assert shown <= {"甲城", *mc.alternatives[1:]}
    ax = plot_sobol_indices(sob, lang="zh", input_names={"C1": "人才", "C2": "成本"}).axes[0]
    assert ax.get_ylabel() == "Sobol敏感性指数"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["人才", "成本", "C3", "C4", "C5"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "一阶指数（S1）",
        "总效应指数（ST）",
    ]
    # English stays the default.
    assert plot_sobol_indices(sob).axes[0].get_ylabel() == "Sobol' index"
    with pytest.raises(InputError):
        plot_rank_intervals(mc, lang="fr")
