"""Minimax and maximin models: the p-center and the p-dispersion problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from oicplan.errors import InputError
from oicplan.optimize._base import LocationModel, check_p, nearest_open, resolve_predefined
from oicplan.optimize._heuristics import farthest_first
from oicplan.optimize._highs import Mip, solve_mip
from oicplan.optimize._inputs import CostMatrix, haversine_km

__all__ = ["PCenter", "PDispersion"]


def _facility_vars(mip: Mip, m: int, predefined: np.ndarray) -> np.ndarray:
    lower = np.zeros(m)
    lower[predefined] = 1.0
    return mip.add_vars(m, lower=lower, upper=1.0, integer=True)


def _count_row(mip: Mip, y: np.ndarray, p: int) -> np.ndarray:
    return mip.add_rows(1, np.zeros(y.size, np.int64), y, 1.0, lower=p, upper=p)


def _center_rows(
    mip: Mip, y: np.ndarray, x: np.ndarray, pair_i: np.ndarray, pair_j: np.ndarray,
    wd: np.ndarray, big_w: np.ndarray, n: int,
) -> np.ndarray:
    """Rows (2) assignment, (4) x_ij <= y_j and (5) W >= sum_j w_i d_ij x_ij over the pairs."""
    k = x.size
    assign = mip.add_rows(n, pair_i, x, 1.0, lower=1.0, upper=1.0)
    link_rows = np.concatenate([np.arange(k), np.arange(k)])
    link_cols = np.concatenate([x, y[pair_j]])
    link_vals = np.concatenate([np.ones(k), -np.ones(k)])
    link = mip.add_rows(k, link_rows, link_cols, link_vals, lower=-np.inf, upper=0.0)
    rad_rows = np.concatenate([pair_i, np.arange(n)])
    rad_cols = np.concatenate([x, np.full(n, big_w[0])])
    rad_vals = np.concatenate([-wd, np.ones(n)])
    radius = mip.add_rows(n, rad_rows, rad_cols, rad_vals, lower=0.0, upper=np.inf)
    return np.concatenate([assign, link, radius])


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
        (7)             y_j in {0, 1},  x_ij >= 0

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    i, j       demand i (cost-matrix row), candidate facility j (column)
    w_i        weight of demand i (default 1)
    d_ij       cost (e.g. distance) from demand i to facility j
    p          number of facilities to open
    P          predefined facilities that must open
    x_ij       share of demand i served by facility j
    y_j        1 if facility j opens
    W          the largest weighted cost of any demand
    =========  ===============================================================

    x may be continuous: for binary y, (5) can only be met with W at least
    the cost to the nearest open facility. A greedy solution (open the
    facility nearest the worst-served demand, repeatedly; after Gonzalez 1985)
    gives an upper bound U; pairs with ``w_i d_ij > U`` can never be used in an
    optimum and get no x variable.

    References
    ----------
    Hakimi, S. L. (1965). Optimum distribution of switching centers in a
    communication network and some related graph theoretic problems.
    *Operations Research*, 13(3), 462-475.

    Daskin, M. S. (1995). *Network and Discrete Location: Models, Algorithms,
    and Applications*. Wiley.

    Examples
    --------
    >>> costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    >>> m = PCenter.from_cost_matrix(costs, p=2).solve()
    >>> m.objective, m.facilities
    (3.0, [0, 2])
    """

    model_name = "PCenter"

    def __init__(self, matrix: CostMatrix, weights: np.ndarray, p: int,
                 predefined: np.ndarray) -> None:
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
        matrix = costs if isinstance(costs, CostMatrix) else CostMatrix.build(
            costs, demand_ids, facility_ids
        )
        w = matrix.align_weights(weights)
        pre = resolve_predefined(matrix, predefined)
        p = check_p(p, len(matrix.facility_ids), pre.size, cls.model_name)
        return cls(matrix, w, p, pre)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> PCenter:
        """Solve with HiGHS and store the results on the model; returns ``self``."""
        d, w, p = self.matrix.values, self.weights, self.p
        n, m = d.shape
        wd_full = w[:, None] * d
        heur = farthest_first(d, w, p, self.predefined_idx)
        heur_served = nearest_open(d, heur)
        upper = float(wd_full[np.arange(n), heur_served].max())
        pair_i, pair_j = np.nonzero(wd_full <= upper)

        mip = Mip()
        y = _facility_vars(mip, m, self.predefined_idx)
        x = mip.add_vars(pair_i.size, upper=1.0)
        big_w = mip.add_vars(1, cost=1.0, upper=upper)
        _center_rows(mip, y, x, pair_i, pair_j, wd_full[pair_i, pair_j], big_w, n)
        _count_row(mip, y, p)

        start = np.zeros(mip.num_col)
        start[y[heur]] = 1.0
        start[x[heur_served[pair_i] == pair_j]] = 1.0
        start[big_w] = upper

        # No demand can do better than its cheapest facility: a bound for the gap.
        outcome = solve_mip(mip, model=self.model_name, time_limit=time_limit, mip_gap=mip_gap,
                            start=start, bound=float(wd_full.min(axis=1).max()))
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        served = nearest_open(wd_full, open_idx)
        objective = float(wd_full[np.arange(n), served].max())
        self._store(outcome, open_idx, served, objective)
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
                row=int(i) + 2, field=str(matrix.facility_ids[j]),
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

    def solve(self, time_limit: float | None = None,
              mip_gap: float | None = None) -> PDispersion:
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
        outcome = solve_mip(mip, model=self.model_name, time_limit=time_limit,
                            mip_gap=mip_gap, start=start, bound=big_m)
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        self._store(outcome, open_idx, np.zeros(0, np.int64), self._min_pair(open_idx),
                    demand_mask=np.zeros(m, bool))
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
