"""The p-median problem, uncapacitated or capacitated, solved exactly with HiGHS."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from typing import Any

import highspy
import numpy as np

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize._base import LocationModel, check_p, nearest_open
from oicplan.optimize._highs import (
    _STOPPED_EARLY,
    DEFAULT_MIP_GAP,
    Mip,
    MipOutcome,
    check_limits,
    solve_mip,
)
from oicplan.optimize._inputs import CostMatrix
from oicplan.optimize._pmedian_fast import (
    greedy_add,
    iterated_swaps,
    lagrangian_bound,
    median_cost,
    reduce_by_bounds,
)

__all__ = ["PMedian"]

#: Largest reduced radius model handed to HiGHS. Beyond it (weak reductions on
#: very large instances) HiGHS would need gigabytes, so the incumbent is kept
#: with the Lagrangian gap and reported ``feasible``.
_MAX_RADIUS_VARIABLES = 600_000

#: Extra HiGHS options for the uncapacitated solve (for experiments; empty by default).
_HIGHS_OPTIONS: dict[str, Any] = {}


def _radius_levels(
    d: np.ndarray, p: int, forced: np.ndarray, allowed: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Distinct distance levels of each demand and which of them need a variable.

    ``forced`` is a boolean mask of the facilities that are open in every
    solution; ``allowed`` (boolean, shape of ``d``) the facilities each demand
    may be served by (default all). Returns flat arrays over the kept
    ``(demand, level)`` pairs and, for every sorted cell of a demand's row,
    the kept level it belongs to (-1 when its level is not kept or the cell is
    not allowed). A kept level without a next one is the demand's farthest
    allowed distance: its z has upper bound 0, so some allowed facility within
    it must open.
    """
    n, m = d.shape
    dm = d if allowed is None else np.where(allowed, d, np.inf)
    order = np.argsort(dm, axis=1, kind="stable")
    sd = np.take_along_axis(dm, order, axis=1)
    valid = np.isfinite(sd)
    new_level = np.ones((n, m), bool)
    new_level[:, 1:] = sd[:, 1:] > sd[:, :-1]
    last_of_level = np.ones((n, m), bool)
    last_of_level[:, :-1] = new_level[:, 1:]
    level = np.cumsum(new_level, axis=1) - 1  # 0-based level of each sorted cell
    has_next_cell = np.zeros((n, m), bool)
    has_next_cell[:, :-1] = valid[:, 1:]

    # One entry per (demand, allowed level), in row-major order.
    li, lpos = np.nonzero(last_of_level & valid)
    lvl = level[li, lpos]
    value = sd[li, lpos]
    has_next = has_next_cell[li, lpos]
    count_within = lpos + 1  # allowed facilities at distance <= this level's value
    next_value = np.zeros_like(value)
    next_value[:-1] = value[1:]
    pred_dist = d[:, forced].min(axis=1) if forced.any() else np.full(n, np.inf)
    # A level needs z = "nobody open within this distance" only when that can
    # happen: fewer than m-p+1 facilities inside (otherwise one of them is open,
    # since at most m-p are closed) and no forced facility inside.
    keep = (count_within < m - p + 1) & (value < pred_dist[li])

    kept_id = np.full(li.shape, -1, dtype=np.int64)
    kept_id[keep] = np.arange(int(keep.sum()))
    # Map every sorted cell to the kept id of its (demand, level).
    n_levels = np.bincount(li, minlength=n)
    first_entry = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_levels, out=first_entry[1:])
    cell_kept = np.where(
        valid, kept_id[np.minimum(first_entry[:-1, None] + level, max(li.size - 1, 0))], -1
    )
    step = np.where(has_next, next_value - value, 0.0)
    return {
        "demand": li[keep],
        "level": lvl[keep],
        "value": value[keep],
        "step": step[keep],
        "z_upper": np.where(has_next, np.inf, 0.0)[keep],
        "cell_kept": cell_kept,
        "cell_col": order,
        "first_value": sd[:, 0],
    }


def _radius_rows(mip: Mip, y: np.ndarray, z: np.ndarray, lv: dict[str, np.ndarray]) -> np.ndarray:
    """Rows (R2) in chained form: z[i,k] - z[i,k-1] + sum_{d_ij = D_ik} y_j >= [k == 1]."""
    cell_kept, cell_col = lv["cell_kept"], lv["cell_col"]
    mask = cell_kept >= 0
    y_rows = cell_kept[mask]
    y_cols = y[cell_col[mask]]
    z_rows = np.arange(z.size)
    has_prev = lv["level"] > 0
    prev_rows = z_rows[has_prev]
    rows = np.concatenate([y_rows, z_rows, prev_rows])
    cols = np.concatenate([y_cols, z, z[prev_rows - 1]])
    vals = np.concatenate([np.ones(y_rows.size), np.ones(z.size), -np.ones(prev_rows.size)])
    lower = np.where(has_prev, 0.0, 1.0)
    return mip.add_rows(z.size, rows, cols, vals, lower=lower, upper=np.inf)


def _count_row(mip: Mip, y: np.ndarray, p: int) -> np.ndarray:
    """Row (3): exactly p facilities open."""
    return mip.add_rows(1, np.zeros(y.size, np.int64), y, 1.0, lower=p, upper=p)


def _assignment_rows(mip: Mip, x: np.ndarray) -> np.ndarray:
    """Rows (2): every demand is assigned once; ``x`` has shape (n, m)."""
    n, m = x.shape
    return mip.add_rows(n, np.repeat(np.arange(n), m), x.ravel(), 1.0, lower=1.0, upper=1.0)


def _link_rows(mip: Mip, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows (4): x_ij <= y_j, only to open facilities."""
    n, m = x.shape
    k = np.arange(n * m)
    rows = np.concatenate([k, k])
    cols = np.concatenate([x.ravel(), np.tile(y, n)])
    vals = np.concatenate([np.ones(n * m), -np.ones(n * m)])
    return mip.add_rows(n * m, rows, cols, vals, lower=-np.inf, upper=0.0)


def _capacity_rows(
    mip: Mip, x: np.ndarray, y: np.ndarray, w: np.ndarray, cap: np.ndarray
) -> np.ndarray:
    """Rows (6): sum_i w_i x_ij <= Q_j y_j."""
    n, m = x.shape
    rows = np.concatenate([np.tile(np.arange(m), n), np.arange(m)])
    cols = np.concatenate([x.ravel(), y])
    vals = np.concatenate([np.repeat(w, m), -cap])
    return mip.add_rows(m, rows, cols, vals, lower=-np.inf, upper=0.0)


class PMedian(LocationModel):
    r"""p-median: open p facilities minimising total weighted cost to the nearest open one.

    Answers "where should p centres be so that demand is, on average, as close
    as possible to one?". With ``capacities`` every facility can serve at most
    its capacity of demand weight (capacitated p-median, single sourcing).

    Formulation (ReVelle & Swain 1970)::

        (1)  minimise   sum_i sum_j  w_i d_ij x_ij
        (2)  subject to sum_j x_ij = 1                    for every demand i
        (3)             sum_j y_j = p
        (4)             x_ij <= y_j                        for every i, j
        (5)             y_j = 1                            for every j in P
        (6)             sum_i w_i x_ij <= Q_j y_j          for every j (capacitated only)
        (7)             x_ij, y_j in {0, 1}

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    i, j       demand i (cost-matrix row), candidate facility j (column)
    w_i        weight of demand i (default 1)
    d_ij       cost (e.g. distance) from demand i to facility j, >= 0
    p          number of facilities to open
    P          predefined facilities that must open
    Q_j        capacity of facility j (capacitated variant only)
    x_ij       1 if demand i is served by facility j
    y_j        1 if facility j opens
    D_ik       k-th smallest distinct value among d_i1, ..., d_im (k = 1..K_i)
    z_ik       1 if no open facility is within D_ik of demand i
    =========  ===============================================================

    How it is solved. Without capacities a demand is always served by its
    nearest open facility, so the x variables are not needed: the model solved
    is the radius formulation of Elloumi (2004), whose LP relaxation is as
    strong as that of (1)-(7)::

        (R1) minimise   sum_i w_i ( D_i1 + sum_{k<K_i} (D_i,k+1 - D_ik) z_ik )
        (R2) subject to z_ik + sum_{j: d_ij <= D_ik} y_j >= 1   for every i, k < K_i
             with (3), (5), y_j in {0, 1}, z_ik >= 0

    (R2) is entered in the equivalent chained form
    ``z_ik - z_i,k-1 + sum_{j: d_ij = D_ik} y_j >= 0`` (``z_i0 = 1``): for fixed
    y both give the same smallest z, and each y_j now appears once per demand,
    so the matrix has about 3nm non-zeros instead of nm^2/2. A z_ik is left out
    (it is 0) when at least m-p+1 facilities or a forced one lie within D_ik.

    Before HiGHS sees the model, four cheap steps shrink it (module
    ``_pmedian_fast``):

    1. Upper bound U: greedy addition, then iterated best-improvement vertex
       swaps (Teitz & Bart 1968, with Whitaker's 1983 delta evaluation).
    2. Lower bound L: Lagrangian relaxation of (2) with multipliers lam_i
       (subgradient method), ``L = sum_i lam_i + min_{|y|=p} sum_j rho_j y_j``
       with ``rho_j = sum_i min(0, w_i d_ij - lam_i)``. Open sets met on the way
       improve U. If ``U - L`` is within the gap, no MIP is solved.
    3. Exact fixing: a facility whose forced opening (closing) raises the
       Lagrangian bound above U is closed (opened), and demand i may only be
       served by the facilities j for which forcing x_ij = 1 keeps it <= U.
       Only solutions costing more than U are lost, so the optimum stays.
       Steps 2-3 repeat on the reduced problem while they fix more.
    4. (R1)-(R2) over the remaining facilities, each demand keeping only the
       levels up to its farthest allowed facility (whose z is fixed to 0);
       HiGHS starts from the incumbent. Its dual bound and L give the gap.

    The time spent in each step is in ``timings`` (seconds), the bounds and
    reductions in ``lower_bound`` and ``reduction``. The capacitated variant
    solves (1)-(7) as is.

    References
    ----------
    ReVelle, C. S., & Swain, R. W. (1970). Central facilities location.
    *Geographical Analysis*, 2(1), 30-42.

    Elloumi, S. (2004). A tighter formulation of a p-median problem.
    *Journal of Combinatorial Optimization*, 8(1), 79-95.

    Teitz, M. B., & Bart, P. (1968). Heuristic methods for estimating the
    generalized vertex median of a weighted graph. *Operations Research*,
    16(5), 955-961.

    Whitaker, R. A. (1983). A fast algorithm for the greedy interchange for
    large-scale clustering and median location problems. *INFOR*, 21(2), 95-108.

    Cornuejols, G., Fisher, M. L., & Nemhauser, G. L. (1977). Location of bank
    accounts to optimize float. *Management Science*, 23(8), 789-810.

    Beasley, J. E. (1993). Lagrangean heuristics for location problems.
    *European Journal of Operational Research*, 65(3), 383-399.

    Examples
    --------
    >>> costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    >>> m = PMedian.from_cost_matrix(costs, p=2).solve()
    >>> m.status, m.objective, m.facilities
    ('optimal', 7.0, [0, 2])
    >>> m.assignment
    {0: 0, 1: 0, 2: 2, 3: 2}
    >>> m.lower_bound <= m.objective, sorted(m.timings)[-1]
    (True, 'total')
    """

    model_name = "PMedian"

    def __init__(
        self,
        matrix: CostMatrix,
        weights: np.ndarray,
        p: int,
        predefined: np.ndarray,
        capacities: np.ndarray | None = None,
    ) -> None:
        super().__init__(matrix, weights, predefined)
        self.p = p
        self.capacities = capacities
        self.timings: dict[str, float] = {}
        self.lower_bound: float | None = None
        self.reduction: dict[str, float] = {}

    @classmethod
    def from_cost_matrix(
        cls,
        costs: Any,
        weights: Any = None,
        *,
        p: int,
        predefined: Iterable[Any] | None = None,
        capacities: Any = None,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
    ) -> PMedian:
        """Build from a demand x facility cost matrix (array-like or DataFrame).

        Parameters
        ----------
        costs : array-like or pandas.DataFrame
            Non-negative costs; a DataFrame's index and columns are the ids.
        weights : array-like, dict or pandas.Series, optional
            Demand weights (default 1 each); a dict or Series is matched by id.
        p : int
            Number of facilities to open (predefined ones included).
        predefined : iterable of facility ids, optional
            Facilities that must open.
        capacities : array-like or dict, optional
            Capacity per facility in units of demand weight; makes the problem
            capacitated.
        demand_ids, facility_ids : sequence, optional
            Ids for a plain array (default ``0, 1, ...``).
        """
        matrix, w, pre = cls._checked_inputs(costs, weights, predefined, demand_ids, facility_ids)
        p = check_p(p, len(matrix.facility_ids), pre.size, cls.model_name)
        cap = None
        if capacities is not None:
            if isinstance(capacities, dict):
                missing = [f for f in matrix.facility_ids if f not in capacities]
                if missing:
                    raise InputError(f"no capacity for facility {missing[0]!r}", field="capacities")
                capacities = [capacities[f] for f in matrix.facility_ids]
            cap = np.asarray(capacities, dtype=float).ravel()
            if cap.size != len(matrix.facility_ids):
                raise InputError(
                    f"{cap.size} capacities given for {len(matrix.facility_ids)} facilities",
                    field="capacities",
                )
            if not np.isfinite(cap).all() or (cap < 0).any():
                raise InputError("capacities must be finite and >= 0", field="capacities")
        return cls(matrix, w, p, pre, cap)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> PMedian:
        """Solve with HiGHS and store the results on the model; returns ``self``.

        Parameters
        ----------
        time_limit : float, optional
            Seconds the whole solve may take (bounds, reductions and HiGHS); a
            run stopped by it is reported ``feasible`` with its proven gap.
        mip_gap : float, optional
            Relative gap at which HiGHS may stop early.

        Raises
        ------
        oicplan.errors.InfeasibleError
            When no p facilities can serve all demand within the capacities.
        """
        if self.capacities is None:
            return self._solve_uncapacitated(time_limit, mip_gap)
        return self._solve_capacitated(time_limit, mip_gap)

    def _solve_uncapacitated(self, time_limit: float | None, mip_gap: float | None) -> PMedian:
        check_limits(time_limit, mip_gap)
        t0 = time.perf_counter()
        deadline = t0 + time_limit if time_limit is not None else np.inf
        d, w, p = self.matrix.values, self.weights, self.p
        n, m = d.shape
        goal = DEFAULT_MIP_GAP if mip_gap is None else float(mip_gap)
        timings: dict[str, float] = {}
        clock = [t0]

        def lap(name: str) -> None:
            now = time.perf_counter()
            timings[name] = timings.get(name, 0.0) + now - clock[0]
            clock[0] = now

        wd = w[:, None] * d
        forced = np.zeros(m, bool)
        forced[self.predefined_idx] = True
        heur_deadline = t0 + time_limit / 6 if time_limit is not None else np.inf
        is_open = iterated_swaps(
            wd, greedy_add(wd, p, forced), forced, max_stall=50, deadline=heur_deadline
        )
        upper = median_cost(wd, is_open)
        lap("heuristic")
        # The bound may use at most a third of a time limit; HiGHS gets the rest.
        lag_deadline = t0 + time_limit / 3 if time_limit is not None else np.inf
        lag = lagrangian_bound(
            wd,
            p,
            forced,
            upper,
            wd[:, is_open].min(axis=1),
            best_open=is_open,
            deadline=lag_deadline,
            target_gap=min(goal, DEFAULT_MIP_GAP),
        )
        upper, is_open, lower = lag.upper, lag.best_open, max(lag.value, float(w @ d.min(1)))
        lap("lagrangian")
        self.lower_bound = lower
        self.reduction = {
            "heuristic_objective": upper,
            "lagrangian_bound": lag.value,
            "lagrangian_iterations": lag.iterations,
        }

        def finish(open_mask: np.ndarray, bound: float, status: str | None = None) -> PMedian:
            open_idx = np.flatnonzero(open_mask)
            served = nearest_open(d, open_idx)
            objective = float(w @ d[np.arange(n), served])
            gap = max(objective - bound, 0.0) / max(abs(objective), 1e-12)
            if status is None:
                status = "optimal" if gap <= DEFAULT_MIP_GAP else "feasible"
            timings["total"] = time.perf_counter() - t0
            self.timings = timings
            self.lower_bound = bound
            outcome = MipOutcome(
                status,
                np.zeros(0),
                objective,
                None if status == "optimal" else gap,
                timings["total"],
            )
            self._store(outcome, open_idx, served, objective)
            return self

        if upper - lower <= goal * max(abs(upper), 1e-12) or time.perf_counter() >= deadline:
            return finish(is_open, lower)

        # Fixing, repeated: the Lagrangian of the reduced problem (closed
        # facilities gone, each demand limited to its allowed facilities) is a
        # bound on the same optimum, often a higher one, so it fixes more.
        keep, sub_forced, sub_wd = np.arange(m), forced.copy(), wd
        allowed = np.ones((n, m), bool)
        big = float(wd.max()) * (n + 1) + 1.0
        for round_ in range(3):
            red = reduce_by_bounds(sub_wd, p, sub_forced, lag, upper)
            incumbent = is_open[keep]
            red.closed &= ~incumbent  # guards against rounding: the incumbent
            red.opened &= incumbent  # must stay feasible
            inc_idx = np.flatnonzero(incumbent)
            red.allowed[np.arange(n), inc_idx[np.argmin(sub_wd[:, inc_idx], 1)]] = True
            stay = np.flatnonzero(~red.closed)
            shrunk = red.closed.any() or red.opened.any() or (~red.allowed & allowed).any()
            allowed = (allowed & red.allowed)[:, stay]
            keep, sub_forced = keep[stay], (sub_forced | red.opened)[stay]
            lap("reduce")
            if round_ == 2 or not shrunk or time.perf_counter() >= lag_deadline:
                break
            sub_wd = np.where(allowed, wd[:, keep], big)
            lag = lagrangian_bound(
                sub_wd,
                p,
                sub_forced,
                upper,
                lag.lam,
                best_open=is_open[keep],
                deadline=lag_deadline,
                target_gap=min(goal, DEFAULT_MIP_GAP),
            )
            lower = max(lower, lag.value)
            if lag.upper < upper:
                upper = lag.upper
                is_open = np.zeros(m, bool)
                is_open[keep[lag.best_open]] = True
            self.reduction["lagrangian_bound"] = lower
            self.reduction["lagrangian_iterations"] += lag.iterations
            lap("lagrangian")
            if upper - lower <= goal * max(abs(upper), 1e-12):
                return finish(is_open, lower)
        red_closed = np.ones(m, bool)
        red_closed[keep] = False
        lv = _radius_levels(d[:, keep], p, sub_forced, allowed)
        self.reduction.update(
            facilities_closed=int(red_closed.sum()),
            facilities_opened=int(sub_forced.sum() - forced.sum()),
            radius_variables=int(lv["demand"].size),
        )

        if lv["demand"].size > _MAX_RADIUS_VARIABLES:
            # Too big for HiGHS in bounded memory (millions of z would need
            # gigabytes): keep the incumbent and the Lagrangian gap.
            self.reduction["skipped_mip"] = True
            return finish(is_open, lower, "feasible")
        mip = Mip(offset=float(w @ lv["first_value"]))
        y = mip.add_vars(keep.size, lower=sub_forced.astype(float), upper=1.0, integer=True)
        z = mip.add_vars(lv["demand"].size, cost=w[lv["demand"]] * lv["step"], upper=lv["z_upper"])
        _radius_rows(mip, y, z, lv)
        _count_row(mip, y, p)
        start = np.zeros(mip.num_col)
        start[y] = is_open[keep]
        nearest = d[:, is_open].min(axis=1)
        start[z] = (lv["value"] < nearest[lv["demand"]]).astype(float)
        h = mip.to_highs()
        lap("build")

        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return finish(is_open, lower)
        if np.isfinite(remaining):
            h.setOptionValue("time_limit", float(remaining))
        h.setOptionValue("mip_rel_gap", goal)
        for name, value in _HIGHS_OPTIONS.items():
            h.setOptionValue(name, value)
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        h.setSolution(sol)
        h.run()
        lap("highs")
        status = h.getModelStatus()
        info = h.getInfo()
        bound = lower
        if math.isfinite(info.mip_dual_bound):
            bound = max(bound, float(info.mip_dual_bound))
        if info.primal_solution_status == highspy.kSolutionStatusFeasible:
            values = np.asarray(h.getSolution().col_value)
            candidate = np.zeros(m, bool)
            candidate[keep[values[y] > 0.5]] = True
            if candidate.sum() == p and median_cost(wd, candidate) <= upper:
                is_open = candidate
        if status == highspy.HighsModelStatus.kOptimal:
            return finish(is_open, bound)
        if status in _STOPPED_EARLY:
            return finish(is_open, bound, "feasible")
        raise RuntimeError(  # pragma: no cover - the reduced model is always feasible
            f"{self.model_name}: HiGHS ended with model status {h.modelStatusToString(status)!r}"
        )

    def _solve_capacitated(self, time_limit: float | None, mip_gap: float | None) -> PMedian:
        d, w, p, cap = self.matrix.values, self.weights, self.p, self.capacities
        n, m = d.shape
        total = float(w.sum())
        pre = self.predefined_idx
        free = np.setdiff1d(np.arange(m), pre)
        best_cap = float(cap[pre].sum() + np.sort(cap[free])[::-1][: p - pre.size].sum())
        if best_cap < total - 1e-9:
            self._mark_infeasible()
            raise InfeasibleError(
                f"{self.model_name} infeasible: total demand weight {total:g} exceeds the "
                f"largest capacity p={p} facilities can offer ({best_cap:g})"
            )
        if (w > cap.max()).any():
            i = int(np.argmax(w))
            self._mark_infeasible()
            raise InfeasibleError(
                f"{self.model_name} infeasible: demand {self.matrix.demand_ids[i]!r} has weight "
                f"{w[i]:g}, more than any facility's capacity ({cap.max():g})"
            )
        mip = Mip()
        lower = np.zeros(m)
        lower[pre] = 1.0
        y = mip.add_vars(m, lower=lower, upper=1.0, integer=True)
        x = mip.add_vars(n * m, cost=(w[:, None] * d).ravel(), integer=True).reshape(n, m)
        _assignment_rows(mip, x)
        _count_row(mip, y, p)
        _link_rows(mip, x, y)
        _capacity_rows(mip, x, y, w, cap)
        outcome = solve_mip(
            mip,
            model=self.model_name,
            time_limit=time_limit,
            mip_gap=mip_gap,
            infeasible_reason=f"the capacities of p={p} facilities cannot serve every demand "
            "with single sourcing",
            bound=float(w @ d.min(axis=1)),
        )
        xv = outcome.values[x]
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        served = np.argmax(xv, axis=1)
        objective = float(w @ d[np.arange(n), served])
        self._store(outcome, open_idx, served, objective)
        return self
