"""Solving the layout model with HiGHS, with a MIP start for large models.

:func:`run` builds one MIP of a :class:`~oicplan.optimize.layout.Layout` and
solves it. A benefit model with at least ``_LARGE_BINARIES`` binaries first gets
a feasible start from a restricted model (:func:`heuristic_start`, over the
options :func:`candidates` keeps); the full model is then solved exactly as
formulated, so status and gap are HiGHS's own.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from oicplan.errors import InfeasibleError
from oicplan.optimize._highs import MipOutcome, NoSolutionError, solve_mip
from oicplan.optimize._layout_rows import _Vars, counted

__all__ = ["bound", "binaries", "candidates", "has_risk_row", "heuristic_start", "run",
           "solution_start", "solver_options"]

_MODEL = "Layout"

#: A benefit model with at least this many binaries (y and z) gets a MIP start
#: from a restricted model (:func:`heuristic_start`) and is solved with
#: the HiGHS options in ``_LARGE_OPTIONS``; smaller ones are solved directly.
_LARGE_BINARIES = 5000
#: The restricted model keeps the options a greedy pass picks with this many
#: times the count and budget limits.
_GREEDY_SLACK = 1.5
#: Most seconds the restricted model may take (also at most a quarter of the
#: caller's time limit).
_HEURISTIC_SECONDS = 30.0
#: In the restricted LP, binaries within this of 0 or 1 are fixed there.
_FIX_TOLERANCE = 0.01
#: HiGHS options for large models (see benchmarks/README_layout.md).
_LARGE_OPTIONS: dict[str, object] = {"mip_lp_solver": "ipx"}
#: HiGHS options for a model below ``_LARGE_BINARIES`` binaries with a risk row: a
#: cap on the total or mean risk, a frontier's risk bound or the risk objective. On
#: such models HiGHS 1.16's full presolve can run for minutes, ignoring the time
#: limit (measured on this repository's built-in scenarios, December 2026: 70-84 s
#: of presolve for one point of the risk frontier of ``backbone_enterprises``; 30 s
#: against 0.6 s for its plan with a total-risk cap of 30 % of the unconstrained
#: layout's). Its light presolve (``presolve_mode`` 2) avoids the stall and keeps
#: most of the reductions: the risk frontiers of the built-in scenarios took
#: 6.5-13.9 s with it, against 13.9-182 s with full presolve and 18.5-40.7 s
#: without presolve (docs/optimize.md). A HiGHS without that option gets presolve
#: off. Large models keep full presolve (see :func:`solver_options`);
#: tests/optimize/test_layout_presolve.py.
_LIGHT_PRESOLVE: dict[str, object] = {"presolve_mode": 2}
_NO_PRESOLVE: dict[str, object] = {"presolve": "off"}


@functools.cache
def _has_presolve_mode() -> bool:
    """Whether this HiGHS build knows the ``presolve_mode`` option."""
    import highspy

    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    return bool(solver.setOptionValue("presolve_mode", 2) == highspy.HighsStatus.kOk)


def _risk_row_options() -> dict[str, object]:
    """Light presolve where this HiGHS has ``presolve_mode``, else presolve off."""
    return dict(_LIGHT_PRESOLVE if _has_presolve_mode() else _NO_PRESOLVE)


def run(
    model: Any,
    *,
    objective: str = "benefit",
    bounds: Sequence[tuple[str, float, float]] = (),
    time_limit: float | None = None,
    mip_gap: float | None = None,
    start: np.ndarray | None = None,
) -> tuple[MipOutcome, _Vars]:
    """Build the MIP of ``model`` for ``objective`` (with extra ``bounds``) and solve it.

    Returns HiGHS's outcome, its seconds including those of the MIP start, and
    the variable columns. Raises as :func:`~oicplan.optimize._highs.solve_mip`.
    With a diminishing return, a solution that fills a group beyond the ranks it
    has gets more ranks and the model is solved again (``Layout._grow_ranks``).
    ``start``: a known solution's y, x and z (:func:`solution_start`) that HiGHS
    starts from (ignored by HiGHS when the bounds make it infeasible); a solve
    stopped by its time limit then still has a layout, at worst that one.
    """
    spent, given = 0.0, start
    while True:
        out, v = _run_once(model, objective, bounds, time_limit, mip_gap, given)
        spent += out.seconds
        if not model._grow_ranks(out.values, v):
            return replace(out, seconds=spent), v
        if time_limit is not None:
            time_limit = max(time_limit - out.seconds, 1e-3)
        # The solution found, with its ranks recomputed, starts the next solve.
        given = solution_start(out, v)


def solution_start(out: MipOutcome, v: _Vars) -> np.ndarray:
    """The y, x and z columns of a solved outcome (without rank columns): a MIP start."""
    return out.values[: int(v.r[0])] if v.r is not None and v.r.size else out.values


def _run_once(model: Any, objective: str, bounds: Sequence[tuple[str, float, float]],
              time_limit: float | None, mip_gap: float | None,
              given: np.ndarray | None = None) -> tuple[MipOutcome, _Vars]:
    """One build and solve of :func:`run` (``given``: the y, x, z of a solution to start from)."""
    mip, v = model._assemble(objective=objective, bounds=bounds)
    start, spent = model._start(mip, v), 0.0
    options = solver_options(model, objective, bounds)
    if given is not None:
        start = given if v.r is None else np.concatenate([given, _rank_start(model, given, v)])
    elif objective == "benefit" and binaries(model) >= _LARGE_BINARIES:
        t0 = time.perf_counter()
        found = heuristic_start(model, bounds, time_limit, mip_gap)
        spent = time.perf_counter() - t0
        if found is not None:
            start = found
        if time_limit is not None:
            time_limit = max(time_limit - spent, 1e-3)
    out = solve_mip(mip, model=_MODEL, time_limit=time_limit, mip_gap=mip_gap,
                    start=counted(start, v), bound=bound(model, objective), options=options)
    return replace(out, seconds=out.seconds + spent), v


def has_risk_row(model: Any, objective: str,
                 bounds: Sequence[tuple[str, float, float]] = ()) -> bool:
    """Whether the MIP of ``model`` for ``objective`` and ``bounds`` has a risk row or objective."""
    d = model.inputs
    return (objective == "risk" or any(name == "risk" for name, _, _ in bounds)
            or d.max_total_risk is not None or d.max_mean_risk is not None)


def solver_options(model: Any, objective: str,
                   bounds: Sequence[tuple[str, float, float]] = ()) -> dict[str, object] | None:
    """The HiGHS options for one solve: ``_LARGE_OPTIONS``, light presolve or none."""
    if binaries(model) >= _LARGE_BINARIES:
        # Large models keep presolve even with a risk row: on the national instance
        # of benchmarks/layout_scale.py (a mean-risk cap) it saves more than it costs
        # (45 s against 52 s without it; benchmarks/README_layout.md).
        return dict(_LARGE_OPTIONS)
    return _risk_row_options() if has_risk_row(model, objective, bounds) else None


def _rank_start(model: Any, given: np.ndarray, v: _Vars) -> np.ndarray:
    """The rank columns' values for a start ``given`` (its y, x, z)."""
    from oicplan.optimize.layout_diversify import rank_values

    return rank_values(model._rank_spec(), given, v.y, v.z, model._new_options())


def binaries(model: Any) -> int:
    """Number of binary columns (y, and z when phased)."""
    n_j = model.inputs.opt_site.size
    horizon = model.inputs.horizon
    return n_j + (0 if horizon is None else model._new_options().size * horizon)


def candidates(model: Any) -> np.ndarray | None:
    """Options worth keeping in a restricted model: a greedy layout and then some.

    Greedy on benefit gained per unit of cost (set-up plus running to the
    middle of the horizon), options in the most group minimums still short
    first, with the count and budget limits widened by
    ``_GREEDY_SLACK`` and the one-mode, per-country and total-risk rules
    kept (not the mean-risk cap: kept at every step, it starves the list of
    good options; the restricted model enforces it); plus, for every group
    minimum, its best members and its best members of low risk, and, with a
    mean-risk cap, the best options of low risk, so that the restricted
    model can meet the minimums and the cap. ``None`` when the limits do not
    cut the options down (nothing to gain).
    """
    d = model.inputs
    n_j, n_s = d.opt_site.size, len(d.site_ids)
    T = d.horizon
    is_new = np.zeros(n_j, bool)
    is_new[model._new_options()] = True
    cost = np.where(is_new, d.setup + d.annual * (1.0 if T is None else (T - 1) / 2), 0.0)
    budgets = [b for b in (d.budget, None if d.annual_budget is None
                           else float(d.annual_budget.sum())) if b is not None]
    spend_cap = _GREEDY_SLACK * min(budgets) if budgets else math.inf
    count_cap = n_j if d.max_centers is None else math.ceil(_GREEDY_SLACK * d.max_centers)
    if count_cap >= n_j // 2 and not math.isfinite(spend_cap):
        return None
    weight = d.priority[d.pair_d]
    gain_q = d.quality_weight * d.quality
    score = (np.bincount(d.pair_j, weights=weight * d.pair_a, minlength=n_j) + gain_q) / (
        cost + 1e-9 * max(1.0, float(cost.max(initial=0.0))))
    best = np.zeros(len(d.demand_ids))
    chosen = np.zeros(n_j, bool)
    site_used = np.zeros(n_s, bool)
    labels = None if d.country is None else np.unique(d.country, return_inverse=True)[1]
    per_label = None if labels is None else np.zeros(int(labels.max()) + 1, int)
    risk = np.zeros(n_j) if d.risk is None else d.risk
    risk_cap = math.inf if d.max_total_risk is None else _GREEDY_SLACK * d.max_total_risk
    state = {"spent": 0.0, "risk": 0.0}
    # Diminishing return: an option's quality gain shrinks by delta per center of its group.
    groups = None if d.diversity_group is None else np.unique(
        d.diversity_group[d.opt_site], return_inverse=True)[1]
    in_group = np.zeros(0 if groups is None else int(groups.max()) + 1)

    def take(j: int) -> None:
        chosen[j] = True
        site_used[d.opt_site[j]] = True
        if per_label is not None:
            per_label[labels[d.opt_site[j]]] += 1
        state["spent"] += cost[j]
        state["risk"] += risk[j]
        if groups is not None:
            in_group[groups[j]] += 1
        on = d.pair_j == j
        np.maximum.at(best, d.pair_d[on], d.pair_a[on])

    def ratio_now() -> np.ndarray:
        """Gain per cost of every option; -inf where it may not be taken."""
        shrink = 1.0 if groups is None else d.diminishing_return ** in_group[groups]
        gain = np.bincount(d.pair_j, weights=weight * np.maximum(d.pair_a - best[d.pair_d], 0),
                           minlength=n_j) + gain_q * shrink
        blocked = chosen | site_used[d.opt_site] | (state["spent"] + cost > spend_cap)
        blocked |= state["risk"] + risk > risk_cap
        if per_label is not None and d.max_per_country is not None:
            # >= the cap blocks a country; existing centers beyond it stay, as in (7).
            blocked |= per_label[labels[d.opt_site]] >= d.max_per_country
        return np.where(blocked, -np.inf, gain / (cost + 1e-9))

    for opts in d.existing.values():
        take(int(opts[0]))
        chosen[opts] = True
    # First the group minimums: options in the most groups still short, best ratio first.
    member = np.array([m for _, m, lo, _ in d.groups if lo], bool).reshape(-1, n_j)
    short = np.array([lo for _, _, lo, _ in d.groups if lo], float)
    short -= member[:, chosen].sum(axis=1)
    while (short > 0).any() and chosen.sum() < count_cap:
        ratio = ratio_now()
        cover = np.where(np.isfinite(ratio), member[short > 0].sum(axis=0), 0)
        if cover.max() == 0:
            break
        j = int(np.argmax(np.where(cover == cover.max(), ratio, -np.inf)))
        take(j)
        short -= member[:, j]
    while chosen.sum() < count_cap:
        ratio = ratio_now()
        ratio[ratio <= 0] = -np.inf
        j = int(np.argmax(ratio))
        if not np.isfinite(ratio[j]):
            break
        take(j)
    safe = np.ones(n_j, bool)  # options that help a risk cap rather than strain it
    if d.max_mean_risk is not None:
        safe = risk <= d.max_mean_risk
    for _, mask, lo, _ in d.groups:
        if lo:
            members = np.flatnonzero(mask)
            chosen[members[np.argsort(-score[members], kind="stable")[: 4 * lo]]] = True
            members = members[safe[members]]
            chosen[members[np.argsort(-score[members], kind="stable")[: 2 * lo]]] = True
    if d.max_mean_risk is not None:
        low = np.flatnonzero(safe)
        chosen[low[np.argsort(-score[low], kind="stable")[: max(count_cap // 3, 1)]]] = True
    if d.min_centers:
        chosen[np.argsort(-score, kind="stable")[: 2 * d.min_centers]] = True
    return chosen


def heuristic_start(
    model: Any,
    bounds: Sequence[tuple[str, float, float]],
    time_limit: float | None,
    mip_gap: float | None,
) -> np.ndarray | None:
    """A good feasible solution of the full model, or ``None``.

    The full model restricted to :func:`candidates` (other options closed)
    is relaxed and its LP solved; the binaries the LP puts at 0 or 1 (within
    ``_FIX_TOLERANCE``) are fixed there and the small MIP left over is solved
    to a quarter of the wanted gap (relaxation-enforced neighbourhood
    search). If that MIP has no solution, or one more than half the wanted
    gap below the LP bound, the restricted MIP itself is solved, from that
    solution. Everything runs within ``_HEURISTIC_SECONDS``. The
    solution is feasible for the full model and becomes HiGHS's incumbent
    there, so the full solve can stop as soon as its bound is close.
    """
    allowed = candidates(model)
    if allowed is None:
        return None
    t0 = time.perf_counter()
    seconds = _HEURISTIC_SECONDS if time_limit is None else min(
        _HEURISTIC_SECONDS, time_limit / 4)
    gap = max((0.0 if mip_gap is None else mip_gap) / 4, 1e-4)
    mip, v = model._assemble(bounds=bounds, allowed=allowed)
    try:
        lp = solve_mip(mip.relaxation(), model=_MODEL, time_limit=seconds)
    except (InfeasibleError, NoSolutionError):
        return None
    binary_cols = np.concatenate([v.y] + ([] if v.z is None else [v.z.ravel()]))
    value = lp.values[binary_cols]
    closed = binary_cols[value <= _FIX_TOLERANCE]
    opened = binary_cols[value >= 1.0 - _FIX_TOLERANCE]
    fixed, _ = model._assemble(bounds=bounds, allowed=allowed)
    fixed.set_bounds(closed, 0.0, 0.0)
    fixed.set_bounds(opened, 1.0, 1.0)
    start = model._start(mip, v)
    found = None
    for trial in (fixed, mip):
        left = seconds - (time.perf_counter() - t0)
        if left <= 0:
            break
        try:
            out = solve_mip(trial, model=_MODEL, time_limit=left, mip_gap=gap, start=start)
        except (InfeasibleError, NoSolutionError):
            continue
        found = start = out.values
        # Good enough when within half the wanted gap of the restricted LP
        # bound (a necessary condition for the full model's gap).
        if lp.objective - out.objective <= 2 * gap * max(abs(out.objective), 1e-9):
            break
    return found


def bound(model: Any, objective: str) -> float:
    """A bound on the optimum known before solving (for a finite gap on early stops).

    Benefit: every demand at its best match plus every positive quality;
    cost and risk: zero (cost) or the sum of the negative risks.
    """
    d = model.inputs
    if objective == "benefit":
        best = np.zeros(len(d.demand_ids))
        np.maximum.at(best, d.pair_d, d.pair_a)
        quality = np.clip(d.quality_weight * d.quality, 0, None).sum()
        return float(d.priority @ best + quality) + 0.0
    if objective == "risk" and d.risk is not None:
        return float(np.clip(d.risk, None, 0).sum())
    return 0.0
