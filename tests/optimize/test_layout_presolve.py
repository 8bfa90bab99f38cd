"""A layout model with a risk row gets HiGHS's light presolve; the full one can stall on it.

HiGHS 1.16's full presolve ran for 70-84 s (ignoring a 2 s time limit) on one
point of the risk frontier of the built-in ``backbone_enterprises`` scenario;
with light presolve the point solves in seconds (optimize/layout_solve.py,
``_LIGHT_PRESOLVE``). These tests check which solves get the option, that it
reaches HiGHS and that it changes the path to the optimum, not the optimum.
"""

from __future__ import annotations

import numpy as np

from oicplan.optimize import layout_solve
from oicplan.optimize.layout import Layout


def _model(**caps):
    rng = np.random.default_rng(3)
    n_s, n_m, n_d = 40, 2, 60
    match = rng.random((n_d, n_s, n_m))
    match[match < 0.6] = 0
    return Layout.from_arrays(match, rng.random((n_s, n_m)), risk=rng.random(n_s),
                              max_centers=8, **caps)


def test_only_small_models_with_a_risk_row_get_light_presolve():
    plain, capped = _model(), _model(max_total_risk=2.0)
    off = layout_solve._risk_row_options()
    assert off == layout_solve._LIGHT_PRESOLVE  # this HiGHS (1.16) has presolve_mode
    assert layout_solve.solver_options(plain, "benefit") is None
    assert layout_solve.solver_options(plain, "cost") is None
    assert layout_solve.solver_options(plain, "risk") == off
    assert layout_solve.solver_options(plain, "benefit", [("risk", -np.inf, 1.0)]) == off
    assert layout_solve.solver_options(plain, "benefit", [("cost", -np.inf, 1.0)]) is None
    assert layout_solve.solver_options(capped, "benefit") == off
    assert layout_solve.solver_options(_model(max_mean_risk=0.4), "benefit") == off


def test_large_models_keep_full_presolve_with_a_risk_row(monkeypatch):
    """Measured faster with presolve at national scale (benchmarks/README_layout.md)."""
    monkeypatch.setattr(layout_solve, "_LARGE_BINARIES", 0)
    capped = _model(max_total_risk=2.0)
    assert layout_solve.solver_options(capped, "benefit") == layout_solve._LARGE_OPTIONS
    assert layout_solve.solver_options(capped, "risk") == layout_solve._LARGE_OPTIONS


def test_the_options_reach_highs(monkeypatch):
    seen = []
    real = layout_solve.solve_mip

    def spy(mip, **kwargs):
        seen.append(kwargs.get("options"))
        return real(mip, **kwargs)

    monkeypatch.setattr(layout_solve, "solve_mip", spy)
    _model(max_total_risk=2.0).solve()
    _model().solve()
    assert seen[0] == layout_solve._LIGHT_PRESOLVE and seen[-1] is None


def test_a_risk_capped_optimum_is_the_same_with_light_and_full_presolve(monkeypatch):
    """Light presolve changes the path, never the optimum."""
    without = _model(max_total_risk=2.0).solve()
    real = layout_solve.solve_mip

    def with_presolve(mip, **kwargs):
        kwargs["options"] = None
        return real(mip, **kwargs)

    monkeypatch.setattr(layout_solve, "solve_mip", with_presolve)
    again = _model(max_total_risk=2.0).solve()
    assert without.status == again.status == "optimal"
    assert abs(without.objective - again.objective) <= 1e-6 * max(1.0, abs(again.objective))
    assert set(without.chosen["site_id"]) == set(again.chosen["site_id"])


def test_a_highs_without_presolve_mode_turns_presolve_off(monkeypatch):
    monkeypatch.setattr(layout_solve, "_has_presolve_mode", lambda: False)
    assert layout_solve.solver_options(_model(max_total_risk=2.0), "benefit") == \
        {"presolve": "off"}
