"""Bounds and reductions of the uncapacitated p-median against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import oicplan.optimize.pmedian as pmedian_module
from oicplan.optimize import PMedian
from oicplan.optimize._pmedian_fast import (
    greedy_add,
    iterated_swaps,
    lagrangian_bound,
    median_cost,
    reduce_by_bounds,
    swap_descent,
)


def _instance(seed: int, n: int = 14, m: int = 8, integer: bool = False):
    rng = np.random.default_rng(seed)
    if integer:  # many ties between distances
        d = rng.integers(0, 6, size=(n, m)).astype(float)
    else:
        a, b = rng.random((n, 2)), rng.random((m, 2))
        d = np.linalg.norm(a[:, None] - b[None], axis=2)
    w = rng.integers(0, 4, size=n).astype(float)  # zero weights included
    p = int(rng.integers(1, 5))
    forced = np.zeros(m, bool)
    if seed % 3 == 0:
        forced[int(rng.integers(0, m))] = True
    return d, w, p, forced


def _all_solutions(wd: np.ndarray, p: int, forced: np.ndarray):
    """Every feasible open set (boolean mask) with its cost."""
    m = wd.shape[1]
    for combo in itertools.combinations(range(m), p):
        mask = np.zeros(m, bool)
        mask[list(combo)] = True
        if (mask | ~forced).all() and (mask[forced]).all():
            yield mask, median_cost(wd, mask)


CASES = [(seed, integer) for seed in range(12) for integer in (False, True)]


@pytest.mark.parametrize(("seed", "integer"), CASES)
def test_lagrangian_bound_below_optimum_below_heuristic(seed, integer):
    d, w, p, forced = _instance(seed, integer=integer)
    wd = w[:, None] * d
    best = min(cost for _, cost in _all_solutions(wd, p, forced))
    heur = swap_descent(wd, greedy_add(wd, p, forced), forced)
    upper = median_cost(wd, heur)
    lag = lagrangian_bound(wd, p, forced, upper, best_open=heur)
    tol = 1e-9 * max(1.0, best)
    assert lag.value <= best + tol
    assert best <= lag.upper + tol <= upper + 2 * tol
    assert median_cost(wd, lag.best_open) == pytest.approx(lag.upper)
    assert lag.best_open.sum() == p and lag.best_open[forced].all()
    ils = iterated_swaps(wd, heur, forced, max_stall=5)
    assert best - tol <= median_cost(wd, ils) <= upper + tol


@pytest.mark.parametrize(("seed", "integer"), CASES)
@pytest.mark.parametrize("use_optimum", [False, True])
def test_variable_fixing_keeps_every_solution_within_the_bound(seed, integer, use_optimum):
    """No solution costing at most the upper bound (so no optimum) is cut off."""
    d, w, p, forced = _instance(seed, integer=integer)
    wd = w[:, None] * d
    solutions = list(_all_solutions(wd, p, forced))
    best = min(cost for _, cost in solutions)
    heur = swap_descent(wd, greedy_add(wd, p, forced), forced)
    lag = lagrangian_bound(wd, p, forced, median_cost(wd, heur), best_open=heur)
    upper = best if use_optimum else lag.upper
    red = reduce_by_bounds(wd, p, forced, lag, upper)
    assert not (red.closed & red.opened).any()
    kept = 0
    for mask, cost in solutions:
        if cost > upper + 1e-9 * max(1.0, upper):
            continue
        kept += 1
        assert not (mask & red.closed).any()
        assert mask[red.opened].all()
        # Every nearest open facility of every demand (ties included) is allowed.
        sub = wd[:, mask]
        nearest = np.isclose(sub, sub.min(axis=1, keepdims=True), rtol=0, atol=1e-12)
        cols = np.flatnonzero(mask)
        assert red.allowed[:, cols][nearest].all()
    assert kept >= 1


def _brute_force(d, w, p, forced):
    wd = w[:, None] * d
    return min(cost for _, cost in _all_solutions(wd, p, forced))


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("lagrangian_steps", [1, 3000])
def test_reduced_radius_model_matches_enumeration(seed, lagrangian_steps, monkeypatch):
    """The full pipeline (bounds, fixing, reduced MIP) finds the enumerated optimum.

    With a single subgradient step the bound is weak and HiGHS does the work;
    with the default the reductions cut the model down first.
    """
    rng = np.random.default_rng(100 + seed)
    n, m = 30, 10
    d = rng.integers(1, 12, size=(n, m)).astype(float) if seed % 2 else rng.random((n, m))
    w = rng.integers(0, 5, size=n).astype(float)
    p = int(rng.integers(2, 5))
    pre = [int(rng.integers(0, m))] if seed % 3 == 0 else []
    forced = np.zeros(m, bool)
    forced[pre] = True
    best = _brute_force(d, w, p, forced)
    original = pmedian_module.lagrangian_bound

    def limited(*args, **kwargs):
        kwargs["max_iter"] = lagrangian_steps
        return original(*args, **kwargs)

    monkeypatch.setattr(pmedian_module, "lagrangian_bound", limited)
    model = PMedian.from_cost_matrix(d, w, p=p, predefined=pre).solve()
    assert model.status == "optimal" and model.gap is None
    assert model.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert len(model.facilities) == p and set(pre) <= set(model.facilities)
    assert model.lower_bound <= best + 1e-9 * max(1.0, best)
    served = sum(w[i] * d[i, j] for i, j in model.assignment.items())
    assert served == pytest.approx(best, rel=1e-9, abs=1e-9)


def test_timings_and_bounds_are_reported():
    rng = np.random.default_rng(5)
    a, b = rng.random((300, 2)), rng.random((60, 2))
    d = np.linalg.norm(a[:, None] - b[None], axis=2)
    model = PMedian.from_cost_matrix(d, p=6).solve()
    assert model.status == "optimal"
    assert {"heuristic", "lagrangian", "total"} <= set(model.timings)
    assert all(v >= 0 for v in model.timings.values())
    parts = sum(v for k, v in model.timings.items() if k != "total")
    assert parts <= model.timings["total"] + 1e-6
    assert model.lower_bound <= model.objective * (1 + 1e-12)
    assert model.reduction["heuristic_objective"] >= model.objective - 1e-9


def test_time_limit_on_a_large_instance_is_feasible_with_a_proven_gap():
    rng = np.random.default_rng(1)
    a, b = rng.random((2000, 2)), rng.random((300, 2))
    d = np.linalg.norm(a[:, None] - b[None], axis=2)
    model = PMedian.from_cost_matrix(d, p=20).solve(time_limit=1.0)
    assert model.status == "feasible"
    # How far one second gets depends on the machine and its load (about 2 % on a
    # quiet 2-core machine, 8 % under load); what must hold is a real, proven gap.
    assert model.gap is not None and 0 < model.gap < 0.3
    assert model.lower_bound <= model.objective
    assert model.objective * (1 - model.gap) == pytest.approx(model.lower_bound)
    assert len(model.facilities) == 20


def test_model_too_big_for_highs_keeps_incumbent_with_lagrangian_gap(monkeypatch):
    monkeypatch.setattr(pmedian_module, "_MAX_RADIUS_VARIABLES", 0)
    rng = np.random.default_rng(2)
    a, b = rng.random((500, 2)), rng.random((100, 2))
    d = np.linalg.norm(a[:, None] - b[None], axis=2)
    model = PMedian.from_cost_matrix(d, p=10).solve()
    assert model.reduction["skipped_mip"] is True
    assert model.status == "feasible" and 0 < model.gap < 0.01
    assert model.lower_bound == pytest.approx(model.reduction["lagrangian_bound"])
