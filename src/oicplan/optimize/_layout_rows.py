"""Rows of the layout model's MIP: constraint builders over the variable columns.

Each builder adds rows to a :class:`~oicplan.optimize._highs.Mip` and returns
their indices; the numbers (2)-(13) refer to the formulation in
:class:`~oicplan.optimize.layout.Layout`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from oicplan.optimize._highs import Mip

__all__: list[str] = []


def _fmt(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------
# private helpers: constraint builders (variables in, row indices out)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vars:
    """Column indices: y per option, x per (demand, option) pair, z per (new option, year).

    ``r``: the rank columns of the diminishing return (:mod:`.layout_diversify`), if any;
    ``n``: the column that counts the open centers, if any (:meth:`Layout._assemble`);
    ``x_pair`` and ``pair_x``: when the pairs of one demand with the same score share one
    x column (:func:`tied_pairs`), the first pair of each x column and the x column
    (position in ``x``) of each pair; None when every pair has a column of its own.
    """

    y: np.ndarray
    x: np.ndarray | None
    z: np.ndarray | None
    r: np.ndarray | None = None
    n: int | None = None  # the count of open centers, sum of y (a column of its own)
    x_pair: np.ndarray | None = None
    pair_x: np.ndarray | None = None


@dataclass(frozen=True)
class _Expr:
    """A linear expression as coefficients over y, x, z and the rank columns r (may be None)."""

    y: np.ndarray
    x: np.ndarray | None = None
    z: np.ndarray | None = None
    r: np.ndarray | None = None


def _expr_row(mip: Mip, v: _Vars, e: _Expr, lower: float, upper: float) -> np.ndarray:
    """One row ``lower <= e(y, x, z) <= upper``."""
    cols, vals = [v.y], [e.y]
    if e.x is not None and v.x is not None:
        cols.append(v.x)
        vals.append(e.x if v.x_pair is None else e.x[v.x_pair])
    if e.z is not None and v.z is not None:
        cols.append(v.z.ravel())
        vals.append(e.z.ravel())
    if e.r is not None and v.r is not None:
        cols.append(v.r)
        vals.append(e.r)
    c, a = np.concatenate(cols), np.concatenate(vals)
    keep = a != 0
    return mip.add_rows(1, np.zeros(int(keep.sum()), np.int64), c[keep], a[keep],
                        lower=lower, upper=upper)


def _one_mode_rows(mip: Mip, y: np.ndarray, opt_site: np.ndarray) -> np.ndarray:
    """(4) at most one mode per site."""
    sites, local = np.unique(opt_site, return_inverse=True)
    return mip.add_rows(sites.size, local, y, 1.0, lower=-np.inf, upper=1.0)


def _assign_rows(mip: Mip, x: np.ndarray, pair_d: np.ndarray, n_d: int) -> np.ndarray:
    """(2) each demand is served at most once in total."""
    return mip.add_rows(n_d, pair_d, x, 1.0, lower=-np.inf, upper=1.0)


def _link_rows(mip: Mip, x: np.ndarray, y: np.ndarray, pair_j: np.ndarray,
               pair_x: np.ndarray | None = None) -> np.ndarray:
    """(3) x_dj <= y_j: only open options serve.

    With ``pair_x`` (the x column of each pair, :func:`tied_pairs`) one row per x
    column: (3') x_dv <= sum of y_j over the pairs (d, j) of that column.
    """
    y_rows = np.arange(x.size) if pair_x is None else pair_x
    rows = np.concatenate([np.arange(x.size), y_rows])
    cols = np.concatenate([x, y[pair_j]])
    vals = np.concatenate([np.ones(x.size), -np.ones(pair_j.size)])
    return mip.add_rows(x.size, rows, cols, vals, lower=-np.inf, upper=0.0)


def tied_pairs(pair_d: np.ndarray, pair_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of one demand with the same score as one group: first pair of each, group of each.

    Row (3') of :class:`~oicplan.optimize.layout.Layout`: without capacities a demand
    is served by its best open option, so options it scores alike (the sites of one
    economy share its field strengths) can share one share column x_dv <= sum_j y_j.
    For whole y the benefit is the same; for fractional y the relaxation is the same
    too (both fill the demand's unit from its best open options), so HiGHS solves
    the same problem with fewer columns and rows (zhejiang: 1,500 instead of 4,635).
    Groups are in order of demand, then score.

    >>> first, group = tied_pairs(np.array([0, 0, 0, 1]), np.array([0.5, 0.2, 0.5, 0.5]))
    >>> first.tolist(), group.tolist()
    ([1, 0, 3], [1, 0, 1, 2])
    """
    order = np.lexsort((pair_a, pair_d))  # stable: the first pair of a group comes first
    d, a = pair_d[order], pair_a[order]
    starts = np.ones(order.size, bool)
    starts[1:] = (d[1:] != d[:-1]) | (a[1:] != a[:-1])
    group = np.empty(order.size, np.int64)
    group[order] = np.cumsum(starts) - 1
    return order[starts], group


def pair_shares(values: np.ndarray, v: _Vars, is_open: np.ndarray,
                pair_j: np.ndarray) -> np.ndarray:
    """The share x_dj of every pair in a solution ``values`` (``is_open``: y of each option).

    With shared columns (``v.pair_x``) a column's share goes to the first open option
    among its pairs (in pair order); the others get 0.

    >>> v = _Vars(np.arange(3), np.array([3, 4]), None, x_pair=np.array([0, 2]),
    ...           pair_x=np.array([0, 0, 1]))
    >>> pair_shares(np.array([0, 1, 1, 1.0, 1.0]), v, np.array([0, 1, 1]) > 0,
    ...             np.array([0, 1, 2])).tolist()
    [0.0, 1.0, 1.0]
    """
    shares = np.clip(values[v.x], 0.0, 1.0)
    if v.pair_x is None:
        return shares
    out = np.zeros(pair_j.size)
    open_pairs = np.flatnonzero(is_open[pair_j])
    first = open_pairs[np.unique(v.pair_x[open_pairs], return_index=True)[1]]
    out[first] = shares[v.pair_x[first]]
    return out


def _capacity_rows(mip: Mip, x: np.ndarray, y: np.ndarray, pair_j: np.ndarray,
                   size: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """(11) sum_d n_d x_dj <= Q_j y_j for the options with a finite capacity."""
    capped = np.flatnonzero(np.isfinite(cap))
    local = np.full(cap.size, -1)
    local[capped] = np.arange(capped.size)
    on = local[pair_j] >= 0
    rows = np.concatenate([local[pair_j][on], np.arange(capped.size)])
    cols = np.concatenate([x[on], y[capped]])
    vals = np.concatenate([size[on], -cap[capped]])
    return mip.add_rows(capped.size, rows, cols, vals, lower=-np.inf, upper=0.0)


def _phase_rows(mip: Mip, y_new: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(12) y_j = sum_t z_jt: a new option opens in exactly one year or not at all."""
    n, t = z.shape
    rows = np.concatenate([np.arange(n), np.repeat(np.arange(n), t)])
    cols = np.concatenate([y_new, z.ravel()])
    vals = np.concatenate([np.ones(n), -np.ones(n * t)])
    return mip.add_rows(n, rows, cols, vals, lower=0.0, upper=0.0)


def _per_label_rows(
    mip: Mip, y: np.ndarray, labels: np.ndarray, upper: float, floor: dict | None = None
) -> np.ndarray:
    """(7) at most ``upper`` open options per label (country).

    ``floor`` maps a label to the number of existing centers it already holds;
    a country that holds more than ``upper`` keeps them (its bound is raised to
    that number) and takes no new one, instead of making the model infeasible.
    """
    names, local = np.unique(labels, return_inverse=True)
    bound = np.array([max(upper, (floor or {}).get(name, 0)) for name in names], dtype=float)
    return mip.add_rows(len(names), local, y, 1.0, lower=-np.inf, upper=bound)


def _year_budget_row(mip: Mip, z: np.ndarray, setup: np.ndarray, annual: np.ndarray,
                     t: int, budget: float) -> np.ndarray:
    """(13) spending of year t: set-up of options opened in t, running of those opened before."""
    cols = [z[:, t]] + [z[:, tau] for tau in range(t)]
    vals = [setup] + [annual] * t
    c, a = np.concatenate(cols), np.concatenate(vals)
    keep = a != 0
    return mip.add_rows(1, np.zeros(int(keep.sum()), np.int64), c[keep], a[keep],
                        lower=-np.inf, upper=budget)


@dataclass(frozen=True)
class _Group:
    """A named group of constraint rows that can be switched off as a whole."""

    key: str
    label: str
    add: Callable[[Mip, _Vars], np.ndarray]


def counted(start: np.ndarray, v: _Vars) -> np.ndarray:
    """``start`` (values of a model's columns) with its count column set to the sum of y.

    >>> counted(np.array([1.0, 0.0, 1.0, 0.0]), _Vars(np.arange(3), None, None, n=3)).tolist()
    [1.0, 0.0, 1.0, 2.0]
    """
    if v.n is not None and start.size > v.n:
        start = start.copy()
        start[v.n] = float(np.round(start[v.y]).sum())
    return start


def _count_column(mip: Mip, y: np.ndarray, most: int) -> int:
    """(5') N = sum of ``y``, a whole-number column with 0 <= N <= ``most``; its index.

    The same model, but HiGHS can branch on the count of open centers (N <= k or
    N >= k + 1) when a budget or risk cap leaves one center fractional in the
    relaxation: the hardest point of the zhejiang risk frontier took 51 nodes and
    1.1 s with it, 2,246 nodes and 3.8 s without (docs/optimize.md). ``most`` must be
    tighter than the row implies (the number of options), or HiGHS's presolve
    substitutes N away: the most centers, or the number of sites.
    """
    n = int(mip.add_vars(1, upper=float(most), integer=True)[0])
    mip.add_rows(1, np.zeros(y.size + 1), np.append(y, n), np.append(np.ones(y.size), -1.0),
                 lower=0.0, upper=0.0)
    return n
