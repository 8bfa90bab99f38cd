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
