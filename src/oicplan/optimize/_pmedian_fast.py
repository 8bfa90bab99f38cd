"""Bounds and reductions for the uncapacitated p-median, in numpy.

* :func:`greedy_add` and :func:`swap_descent` give an upper bound: greedy
  addition, then best-improvement vertex substitution (Teitz & Bart 1968) with
  the fast delta evaluation of Whitaker (1983): with every demand's nearest and
  second-nearest open facility known, the cost of all ``(in, out)`` swaps is
  ``A[in] + B[out, in]`` and both terms take O(nm) operations.
* :func:`lagrangian_bound` gives a lower bound: the assignment constraints
  ``sum_j x_ij = 1`` are relaxed with multipliers ``lam_i`` (Cornuejols, Fisher
  & Nemhauser 1977), which leaves ``sum_i lam_i + min_{|y| = p} sum_j rho_j y_j``
  with ``rho_j = sum_i min(0, w_i d_ij - lam_i)``; the multipliers follow a
  subgradient method with Polyak steps (Beasley 1993).
* :func:`reduce_by_bounds` turns the two bounds into exact reductions: a
  facility whose opening (or closing) alone lifts the Lagrangian bound above the
  best known cost is closed (opened), and a demand may only be served by the
  facilities ``j`` for which forcing ``x_ij = 1`` keeps the bound below it.
  Only solutions costlier than the incumbent are lost, so the optimum survives.

References: Teitz, M. B., & Bart, P. (1968), *Operations Research* 16(5);
Whitaker, R. A. (1983), *INFOR* 21(2), 95-108; Cornuejols, G., Fisher, M. L., &
Nemhauser, G. L. (1977), *Management Science* 23(8), 789-810; Beasley, J. E.
(1993), *European Journal of Operational Research* 65(3), 383-399.

>>> d = np.array([[0.0, 5.0, 9.0], [5.0, 0.0, 4.0], [9.0, 4.0, 0.0]])
>>> w, forced = np.ones(3), np.zeros(3, bool)
>>> ub_open = swap_descent(d * w[:, None], greedy_add(d * w[:, None], 1, forced), forced)
>>> np.flatnonzero(ub_open).tolist(), median_cost(d * w[:, None], ub_open)
([1], 9.0)
>>> lb = lagrangian_bound(d * w[:, None], 1, forced, upper=9.0)
>>> round(lb.value, 6)
9.0
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = [
    "Lagrangian",
    "Reduction",
    "greedy_add",
    "iterated_swaps",
    "lagrangian_bound",
    "median_cost",
    "reduce_by_bounds",
    "swap_descent",
]


def median_cost(wd: np.ndarray, is_open: np.ndarray) -> float:
    """Cost of an open set: each demand pays its weighted cost to the nearest open facility."""
    return float(wd[:, is_open].min(axis=1).sum())


def greedy_add(wd: np.ndarray, p: int, forced: np.ndarray) -> np.ndarray:
    """Open the forced facilities, then repeatedly the one that lowers the cost most.

    ``wd`` is the weighted cost matrix ``w_i d_ij``; ``forced`` a boolean mask.
    Returns a boolean mask with ``p`` facilities open.
    """
    n, m = wd.shape
    is_open = forced.copy()
    best = wd[:, forced].min(axis=1) if forced.any() else np.full(n, np.inf)
    while is_open.sum() < p:
        with np.errstate(invalid="ignore"):
            total = np.minimum(best[:, None], wd).sum(axis=0)
        total[is_open] = np.inf
        j = int(np.argmin(total))
        is_open[j] = True
        best = np.minimum(best, wd[:, j])
    return is_open


def _two_nearest(wd: np.ndarray, open_idx: np.ndarray) -> tuple[np.ndarray, ...]:
    """Index (into ``open_idx``) of each demand's nearest open facility, its cost and the next."""
    sub = wd[:, open_idx]
    near = np.argmin(sub, axis=1)
    rows = np.arange(sub.shape[0])
    b1 = sub[rows, near]
    if open_idx.size > 1:
        sub = sub.copy()
        sub[rows, near] = np.inf
        b2 = sub.min(axis=1)
    else:
        b2 = np.full(sub.shape[0], np.inf)
    return near, b1, b2


def swap_descent(
    wd: np.ndarray, is_open: np.ndarray, forced: np.ndarray, max_swaps: int = 10_000,
    deadline: float = np.inf,
) -> np.ndarray:
    """Best-improvement vertex substitution from ``is_open`` (boolean mask); returns the mask.

    Forced facilities never close. Each step evaluates every swap at once
    (Whitaker's fast interchange, vectorised) and makes the best one while it
    lowers the cost.
    """
    is_open = is_open.copy()
    n, m = wd.shape
    current = median_cost(wd, is_open)
    for _ in range(max_swaps):
        open_idx = np.flatnonzero(is_open)
        closed = np.flatnonzero(~is_open)
        movable = ~forced[open_idx]
        if not closed.size or not movable.any() or time.perf_counter() > deadline:
            break
        near, b1, b2 = _two_nearest(wd, open_idx)
        wc = wd[:, closed]
        with_b1 = np.minimum(wc, b1[:, None])
        # A[c]: cost when c opens and nothing closes; B[o, c]: extra cost of then
        # closing o, paid by the demands whose nearest facility is o.
        a = with_b1.sum(axis=0)
        extra = np.minimum(wc, b2[:, None]) - with_b1
        owner = sparse.csr_matrix(
            (np.ones(n), (near, np.arange(n))), shape=(open_idx.size, n)
        )
        total = np.asarray(owner @ extra) + a[None, :]
        total[~movable] = np.inf
        k = int(np.argmin(total))
        o, c = divmod(k, closed.size)
        if not total[o, c] < current - 1e-12 * max(1.0, abs(current)):
            break
        is_open[open_idx[o]] = False
        is_open[closed[c]] = True
        current = float(total[o, c])
    return is_open


def iterated_swaps(
    wd: np.ndarray,
    is_open: np.ndarray,
    forced: np.ndarray,
    *,
    max_stall: int = 30,
    max_rounds: int = 500,
    seed: int = 0,
    deadline: float = np.inf,
) -> np.ndarray:
    """Iterated local search around :func:`swap_descent`; returns the best mask found.

    Each round moves one to three random open facilities to a random one of
    the five closed facilities nearest to a demand they serve, then runs the
    swap descent again; the result replaces the best solution when cheaper.
    Stops after ``max_stall`` rounds without improvement, ``max_rounds`` in
    all, or at ``deadline``. The random stream is seeded, so runs repeat.
    """
    rng = np.random.default_rng(seed)
    n, m = wd.shape
    best = swap_descent(wd, is_open, forced, deadline=deadline)
    best_cost = median_cost(wd, best)
    stall = 0
    for _ in range(max_rounds):
        if stall >= max_stall or time.perf_counter() > deadline:
            break
        movable = np.flatnonzero(best & ~forced)
        if not movable.size or best.all():
            break
        trial = best.copy()
        open_idx = np.flatnonzero(best)
        near = open_idx[np.argmin(wd[:, open_idx], axis=1)]
        for j in rng.choice(movable, min(int(rng.integers(1, 4)), movable.size), replace=False):
            served = np.flatnonzero(near == j)
            i = int(rng.choice(served)) if served.size else int(rng.integers(n))
            closed = np.flatnonzero(~trial)
            if not closed.size:
                break
            nearest = closed[np.argsort(wd[i, closed], kind="stable")[:5]]
            trial[j] = False
            trial[int(rng.choice(nearest))] = True
        trial = swap_descent(wd, trial, forced, deadline=deadline)
        cost = median_cost(wd, trial)
        if cost < best_cost - 1e-12 * max(1.0, abs(best_cost)):
            best, best_cost, stall = trial, cost, 0
        else:
            stall += 1
    return best


@dataclass
class Lagrangian:
    """Result of :func:`lagrangian_bound`.

    ``value`` is a valid lower bound on the optimum; ``lam`` the multipliers
    that gave it and ``rho`` the matching facility costs; ``best_open`` the
    cheapest open set met on the way (its cost ``upper``); ``iterations`` the
    number of subgradient steps.
    """

    value: float
    lam: np.ndarray
    rho: np.ndarray
    best_open: np.ndarray
    upper: float
    iterations: int


def _subproblem(wd: np.ndarray, lam: np.ndarray, p: int, forced: np.ndarray):
    """Solve the Lagrangian subproblem: its value, rho and the open set chosen."""
    a = wd - lam[:, None]
    np.minimum(a, 0.0, out=a)
    rho = a.sum(axis=0)
    free = np.flatnonzero(~forced)
    k = p - int(forced.sum())
    chosen = forced.copy()
    if k > 0:
        pick = free[np.argpartition(rho[free], k - 1)[:k]] if k < free.size else free
        chosen[pick] = True
    return float(lam.sum() + rho[chosen].sum()), rho, chosen


def lagrangian_bound(
    wd: np.ndarray,
    p: int,
    forced: np.ndarray,
    upper: float,
    lam: np.ndarray | None = None,
    *,
    best_open: np.ndarray | None = None,
    max_iter: int = 3000,
    patience: int = 30,
    min_step: float = 1e-4,
    target_gap: float = 1e-7,
    polish: float = 5e-3,
    max_polish: int = 20,
    deadline: float = np.inf,
) -> Lagrangian:
    """Lower bound of the p-median by subgradient optimisation of the multipliers.

    Parameters
    ----------
    wd : numpy.ndarray
        Weighted costs ``w_i d_ij``, shape (n, m).
    p : int
        Facilities to open.
    forced : numpy.ndarray
        Boolean mask of the facilities that must open.
    upper : float
        Cost of a known solution (the target of the Polyak step).
    lam : numpy.ndarray, optional
        Starting multipliers (default: each demand's smallest weighted cost).
    best_open : numpy.ndarray, optional
        Mask of the solution of cost ``upper``; open sets of the subproblem that
        are cheaper replace it.
    max_iter, patience, min_step : int, int, float
        At most ``max_iter`` steps; the step factor (starting at 2) halves after
        ``patience`` steps without a better bound, and the search stops below
        ``min_step``.
    target_gap : float
        Stop once ``(upper - bound) / upper`` is this small.
    polish, max_polish : float, int
        An open set of the subproblem within ``polish`` (relative) of the best
        known cost is improved by :func:`swap_descent`, at most ``max_polish``
        times.
    deadline : float
        ``time.perf_counter()`` value after which to stop.
    """
    n, m = wd.shape
    lam = wd.min(axis=1) if lam is None else lam.astype(float).copy()
    best = -np.inf
    best_lam, best_rho = lam.copy(), np.zeros(m)
    factor, stale, it, polished = 2.0, 0, 0, 0
    seen: set[bytes] = set()
    for it in range(1, max_iter + 1):
        value, rho, chosen = _subproblem(wd, lam, p, forced)
        if it == 1 or value > best + 1e-12 * max(1.0, abs(best)):
            best, best_lam, best_rho, stale = value, lam.copy(), rho, 0
        else:
            stale += 1
            if stale >= patience:
                factor, stale = factor / 2, 0
        key = np.packbits(chosen).tobytes()
        if key not in seen:  # Lagrangian heuristic: the subproblem's open set.
            seen.add(key)
            cost = median_cost(wd, chosen)
            if cost < upper * (1 + polish) and polished < max_polish:
                # Close to the best known: a local search from it may beat it.
                polished += 1
                better = swap_descent(wd, chosen, forced, deadline=deadline)
                cost, chosen = median_cost(wd, better), better
            if cost < upper:
                upper, best_open = cost, chosen.copy()
        if upper - best <= target_gap * max(1.0, abs(upper)) or factor < min_step:
            break
        if time.perf_counter() > deadline:
            break
        # Subgradient of the relaxed constraints: 1 - (facilities serving i).
        serving = (wd[:, chosen] < lam[:, None]).sum(axis=1)
        g = 1.0 - serving
        norm = float(g @ g)
        if norm == 0.0:  # the subproblem's solution is feasible, hence optimal
            break
        lam += factor * (upper - value) / norm * g
    if best_open is None:
        best_open = _subproblem(wd, best_lam, p, forced)[2]
    return Lagrangian(best, best_lam, best_rho, best_open, upper, it)


@dataclass
class Reduction:
    """Exact reductions from :func:`reduce_by_bounds`.

    ``closed`` and ``opened`` are boolean facility masks of facilities fixed
    shut or open; ``allowed`` is a boolean (n, m) mask: in every solution that
    costs at most the bound used, demand i is served by an allowed facility.
    """

    closed: np.ndarray
    opened: np.ndarray
    allowed: np.ndarray


def reduce_by_bounds(
    wd: np.ndarray, p: int, forced: np.ndarray, lag: Lagrangian, upper: float
) -> Reduction:
    """Variable fixing from the Lagrangian bound and the cost ``upper`` of a known solution.

    With the multipliers of ``lag`` held fixed, the Lagrangian bound of the
    problem with one more restriction is exact and cheap to compute:

    * facility j forced open (j not chosen): ``L - rho_last + rho_j``, where
      ``rho_last`` is the largest rho among the chosen free facilities;
    * facility j forced shut (j chosen): ``L - rho_j + rho_next``, where
      ``rho_next`` is the smallest rho among the others;
    * demand i served by j: the first value (0 when j is chosen) plus
      ``max(0, w_i d_ij - lam_i)``.

    When such a bound exceeds ``upper``, no solution costing ``upper`` or less
    satisfies the restriction, so the optimum does not either.
    """
    n, m = wd.shape
    lam, rho = lag.lam, lag.rho
    value = float(lam.sum())
    k = p - int(forced.sum())
    chosen = forced.copy()
    free = np.flatnonzero(~forced)
    none = Reduction(np.zeros(m, bool), np.zeros(m, bool), np.ones((n, m), bool))
    if k <= 0 or k >= free.size:
        return none
    order = free[np.argsort(rho[free], kind="stable")]
    chosen[order[:k]] = True
    value += float(rho[chosen].sum())
    rho_last, rho_next = float(rho[order[k - 1]]), float(rho[order[k]])
    tol = 1e-7 * max(1.0, abs(upper))
    # Extra cost of opening each facility (0 for those already chosen).
    open_cost = np.where(chosen, 0.0, rho - rho_last)
    closed = ~forced & ~chosen & (value + open_cost > upper + tol)
    opened = ~forced & chosen & (value - rho + rho_next > upper + tol)
    slack = upper + tol - value - open_cost  # (m,)
    allowed = np.maximum(wd - lam[:, None], 0.0) <= slack[None, :]
    allowed[:, closed] = False
    return Reduction(closed, opened, allowed)
