"""Minimax and maximin models: the p-center and the p-dispersion problems."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize._base import LocationModel, check_p, nearest_open, resolve_predefined
from oicplan.optimize._heuristics import farthest_first, greedy_cover
from oicplan.optimize._highs import Mip, MipOutcome, NoSolutionError, check_limits, solve_mip
from oicplan.optimize._inputs import CostMatrix, haversine_km

__all__ = ["PCenter", "PDispersion"]


def _facility_vars(mip: Mip, m: int, predefined: np.ndarray) -> np.ndarray:
    lower = np.zeros(m)
    lower[predefined] = 1.0
    return mip.add_vars(m, lower=lower, upper=1.0, integer=True)


def _count_row(mip: Mip, y: np.ndarray, p: int) -> np.ndarray:
    return mip.add_rows(1, np.zeros(y.size, np.int64), y, 1.0, lower=p, upper=p)


def _cover_feasibility(
    cover: np.ndarray, p: int, predefined: np.ndarray, time_limit: float | None
) -> np.ndarray | None:
    """Open facilities of a set of at most p covering every demand, or None if none exists.

    A greedy cover answers most questions; only when it needs more than p
    facilities does HiGHS decide, on ``sum_{j in N_i} y_j >= 1``, ``sum_j y_j <= p``.
    Raises :class:`NoSolutionError` when the time limit ends the question undecided.
    """
    if not cover.any(axis=1).all():
        return None
    greedy = greedy_cover(cover, predefined)
    if greedy.size <= p:
        return greedy
    n, m = cover.shape
    mip = Mip()
    lower = np.zeros(m)
    lower[predefined] = 1.0
    y = mip.add_vars(m, cost=1.0, lower=lower, upper=1.0, integer=True)
    ri, cj = np.nonzero(cover)
    mip.add_rows(n, ri, y[cj], 1.0, lower=1.0, upper=np.inf)
    mip.add_rows(1, np.zeros(m, np.int64), y, 1.0, lower=-np.inf, upper=p)
    # Any cover with at most p facilities answers the question: stop at the first one.
    try:
        outcome = solve_mip(mip, model="PCenter", time_limit=time_limit, mip_gap=1.0)
    except InfeasibleError:
        return None
    return np.flatnonzero(outcome.values[y] > 0.5)


class PCenter(LocationModel):
    r"""p-center: open p facilities minimising the largest (weighted) cost to the nearest one.

    Answers "where should p centres be so that even the worst-served demand is
    as close as possible?". Without weights this is the vertex p-center;
    with weights the largest ``w_i d_ij`` is minimised.

    Formulation (Hakimi 1965; integer program as in Daskin 1995, ch. 5)::

        (1)  minimise   W
        (2)  subject to sum_j x_ij = 1                    for every demand i
        (3)             sum_j y_j = p
        (4)             x_ij <= y_j                        for every i, j
        (5)             W >= sum_j w_i d_ij x_ij           for every demand i
        (6)             y_j = 1                            for every j in P
        (7)             x_ij, y_j in {0, 1}

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    i, j       demand i (cost-matrix row), candidate facility j (column)
    w_i        weight of demand i (default 1)
    d_ij       cost (e.g. distance) from demand i to facility j
    p          number of facilities to open
    P          predefined facilities that must open
    x_ij       1 if demand i is served by facility j
    y_j        1 if facility j opens
    W          the largest weighted cost of any demand
    =========  ===============================================================

    How it is solved. Model (1)-(7) has a weak LP relaxation, so it is not
    handed to the solver as is. The optimum W* is one of the values w_i d_ij,
    and W* <= r exactly when at most p facilities can cover every demand
    within r (a set-covering question). The solver therefore searches the
    sorted values between a lower bound (max_i min_j w_i d_ij) and the value
    of a greedy solution (open the facility nearest the worst-served demand,
    repeatedly; after Gonzalez 1985) by bisection, answering each covering
    question with a greedy cover or, when that needs more than p facilities,
    with HiGHS (Minieka 1970). With a time limit or ``mip_gap`` the search may
    stop early; the gap is then measured against the smallest candidate
    value not yet proven too small.

    References
    ----------
    Hakimi, S. L. (1965). Optimum distribution of switching centers in a
    communication network and some related graph theoretic problems.
    *Operations Research*, 13(3), 462-475.

    Daskin, M. S. (1995). *Network and Discrete Location: Models, Algorithms,
    and Applications*. Wiley.

    Minieka, E. (1970). The m-center problem. *SIAM Review*, 12(1), 138-139.

    Gonzalez, T. F. (1985). Clustering to minimize the maximum intercluster
    distance. *Theoretical Computer Science*, 38, 293-306.

    Examples
    --------
    >>> costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    >>> m = PCenter.from_cost_matrix(costs, p=2).solve()
    >>> m.objective, m.facilities
    (3.0, [0, 2])
    """

    model_name = "PCenter"

    def __init__(
        self, matrix: CostMatrix, weights: np.ndarray, p: int, predefined: np.ndarray
    ) -> None:
        super().__init__(matrix, weights, predefined)
        self.p = p

    @classmethod
    def from_cost_matrix(
        cls,
        costs: Any,
        weights: Any = None,
        *,
        p: int,
        predefined: Iterable[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
    ) -> PCenter:
        """Build from a demand x facility cost matrix; see :class:`PMedian` for the arguments."""
        matrix, w, pre = cls._checked_inputs(costs, weights, predefined, demand_ids, facility_ids)
        p = check_p(p, len(matrix.facility_ids), pre.size, cls.model_name)
        return cls(matrix, w, p, pre)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> PCenter:
        """Solve exactly and store the results on the model; returns ``self``.

        ``mip_gap`` stops the search once the best radius found is within that
        relative gap of the proven lower bound.
        """
        check_limits(time_limit, mip_gap)
        t0 = time.perf_counter()
        d, w, p = self.matrix.values, self.weights, self.p
        n = d.shape[0]
        wd = w[:, None] * d
        best = farthest_first(d, w, p, self.predefined_idx)
        hi = float(wd[np.arange(n), nearest_open(wd, best)].max())
        lower_bound = float(wd.min(axis=1).max())  # nobody beats its cheapest facility
        radii = np.unique(wd[(wd >= lower_bound) & (wd < hi)])
        lo_idx, hi_idx = 0, radii.size  # the optimum is radii[k] for lo <= k < hi, or hi
        stopped = False
        while lo_idx < hi_idx:
            if mip_gap is not None and (hi - radii[lo_idx]) <= mip_gap * hi:
                stopped = True
                break
            remaining = None
            if time_limit is not None:
                remaining = time_limit - (time.perf_counter() - t0)
                if remaining <= 0:
                    stopped = True
                    break
            mid = (lo_idx + hi_idx) // 2
            try:
                found = _cover_feasibility(wd <= radii[mid], p, self.predefined_idx, remaining)
            except NoSolutionError:
                stopped = True
                break
            if found is None:
                lo_idx = mid + 1
            else:
                best, hi_idx = found, mid
                hi = float(wd[np.arange(n), nearest_open(wd, best)].max())
                # The cover found may beat radii[mid]; skip the radii it already beats.
                hi_idx = int(np.searchsorted(radii, hi, side="left"))
        bound = float(radii[lo_idx]) if lo_idx < radii.size else hi
        gap = abs(hi - bound) / max(abs(hi), 1e-12) if stopped else None
        outcome = MipOutcome(
            status="feasible" if stopped else "optimal",
            values=np.zeros(0),
            objective=hi,
            gap=gap,
            seconds=time.perf_counter() - t0,
        )
        if best.size < p:
            # A cover may need fewer than p; open the rest greedily (costs nothing).
            extra = farthest_first(d, w, p, best)
            best = extra
        served = nearest_open(wd, best)
        self._store(outcome, best, served, float(wd[np.arange(n), served].max()))
        return self


class PDispersion(LocationModel):
    r"""p-dispersion: choose p sites as far from one another as possible.

    Answers "which p sites should host centres so that no two are close to
    each other?" (e.g. to avoid cannibalising the same market). It uses only
    facility-to-facility costs; there are no demands, so ``assignment`` stays
    empty.

    Formulation (Kuby 1987)::

        (1)  maximise   D
        (2)  subject to sum_j y_j = p
        (3)             D <= d_jk + M (2 - y_j - y_k)      for every pair j < k
        (4)             y_j = 1                            for every j in P
        (5)             y_j in {0, 1},  0 <= D <= M

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    j, k       candidate sites
    d_jk       cost (e.g. distance) between sites j and k (symmetric)
    M          a large constant; here the largest d_jk
    p          number of sites to choose (at least 2)
    P          predefined sites that must be chosen
    y_j        1 if site j is chosen
    D          the smallest distance between two chosen sites
    =========  ===============================================================

    References
    ----------
    Kuby, M. J. (1987). Programming models for facility dispersion: the
    p-dispersion and maxisum dispersion problems. *Geographical Analysis*,
    19(4), 315-329.

    Examples
    --------
    >>> d = [[0, 2, 5, 9], [2, 0, 4, 8], [5, 4, 0, 6], [9, 8, 6, 0]]
    >>> m = PDispersion.from_cost_matrix(d, p=3).solve()
    >>> m.objective, m.facilities
    (5.0, [0, 2, 3])
    """

    model_name = "PDispersion"

    def __init__(self, matrix: CostMatrix, p: int, predefined: np.ndarray) -> None:
        super().__init__(matrix, np.ones(len(matrix.demand_ids)), predefined)
        self.p = p

    @classmethod
    def from_cost_matrix(
        cls,
        costs: Any,
        weights: Any = None,
        *,
        p: int,
        predefined: Iterable[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
    ) -> PDispersion:
        """Build from a square, symmetric site x site cost matrix.

        ``weights`` is accepted for a uniform interface and ignored; rows and
        columns both use ``facility_ids``.
        """
        ids = facility_ids if facility_ids is not None else demand_ids
        matrix = costs if isinstance(costs, CostMatrix) else CostMatrix.build(costs, ids, ids)
        v = matrix.values
        if v.shape[0] != v.shape[1]:
            raise InputError(f"p-dispersion needs a square site x site matrix, got {v.shape}")
        if not np.allclose(v, v.T, rtol=1e-9, atol=1e-9):
            i, j = np.argwhere(~np.isclose(v, v.T, rtol=1e-9, atol=1e-9))[0]
            raise InputError(
                f"cost matrix is not symmetric: {v[i, j]:g} != {v[j, i]:g}",
                row=int(i) + 2,
                field=str(matrix.facility_ids[j]),
            )
        pre = resolve_predefined(matrix, predefined)
        if isinstance(p, int) and p < 2:
            raise InputError(f"p-dispersion needs p >= 2 sites, got {p!r}", field="p")
        p = check_p(p, v.shape[1], pre.size, cls.model_name)
        return cls(matrix, p, pre)

    @classmethod
    def from_sites(  # type: ignore[override]
        cls,
        facility_lat_lon: Any,
        *,
        p: int,
        predefined: Iterable[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
    ) -> PDispersion:
        """Build from ``(lat, lon)`` sites using great-circle distances in km.

        >>> PDispersion.from_sites([[0, 0], [0, 1], [0, 10]], p=2).solve().facilities
        [0, 2]
        """
        d = haversine_km(facility_lat_lon, facility_lat_lon)
        return cls.from_cost_matrix(d, p=p, predefined=predefined, facility_ids=facility_ids)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> PDispersion:
        """Solve with HiGHS and store the results on the model; returns ``self``."""
        d, p = self.matrix.values, self.p
        m = d.shape[0]
        big_m = float(d.max())
        jj, kk = np.triu_indices(m, k=1)
        mip = Mip(maximize=True)
        y = _facility_vars(mip, m, self.predefined_idx)
        dd = mip.add_vars(1, cost=1.0, upper=big_m)
        _count_row(mip, y, p)
        npair = jj.size
        pr = np.arange(npair)
        rows = np.concatenate([pr, pr, pr])
        cols = np.concatenate([np.full(npair, dd[0]), y[jj], y[kk]])
        vals = np.concatenate([np.ones(npair), np.full(2 * npair, big_m)])
        mip.add_rows(npair, rows, cols, vals, lower=-np.inf, upper=d[jj, kk] + 2 * big_m)

        heur = self._greedy()
        start = np.zeros(mip.num_col)
        start[y[heur]] = 1.0
        start[dd] = self._min_pair(heur)
        outcome = solve_mip(
            mip,
            model=self.model_name,
            time_limit=time_limit,
            mip_gap=mip_gap,
            start=start,
            bound=big_m,
        )
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        self._store(
            outcome,
            open_idx,
            np.zeros(0, np.int64),
            self._min_pair(open_idx),
            demand_mask=np.zeros(m, bool),
        )
        return self

    def _min_pair(self, chosen: np.ndarray) -> float:
        sub = self.matrix.values[np.ix_(chosen, chosen)]
        return float(sub[np.triu_indices(chosen.size, k=1)].min())

    def _greedy(self) -> np.ndarray:
        """Start from the farthest pair (or the predefined sites) and add the farthest site."""
        d, p = self.matrix.values, self.p
        chosen = list(self.predefined_idx)
        if len(chosen) < 2:
            if chosen:
                chosen.append(int(np.argmax(d[chosen[0]])))
            else:
                chosen = list(np.unravel_index(int(np.argmax(d)), d.shape))
        while len(chosen) < p:
            gap = d[:, chosen].min(axis=1)
            gap[chosen] = -np.inf
            chosen.append(int(np.argmax(gap)))
        return np.unique(np.asarray(chosen, dtype=np.int64))
