"""Covering models: maximal covering (MCLP) and location set covering (LSCP)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize._base import LocationModel, check_p, nearest_open
from oicplan.optimize._heuristics import greedy_cover, greedy_max_cover
from oicplan.optimize._highs import Mip, solve_mip
from oicplan.optimize._inputs import CostMatrix

__all__ = ["LSCP", "MCLP"]


def _check_radius(radius: Any) -> float:
    try:
        r = float(radius)
    except (TypeError, ValueError):
        raise InputError(f"radius must be a number, got {radius!r}", field="radius") from None
    if not np.isfinite(r) or r < 0:
        raise InputError(f"radius must be a finite number >= 0, got {radius!r}", field="radius")
    return r


def _coverage_rows(
    mip: Mip,
    y: np.ndarray,
    cover: np.ndarray,
    z: np.ndarray | None,
) -> np.ndarray:
    """One row per demand over the facilities covering it.

    With ``z`` (MCLP): ``z_i - sum_{j in N_i} y_j <= 0``; without (LSCP):
    ``sum_{j in N_i} y_j >= 1``.
    """
    n = cover.shape[0]
    ri, cj = np.nonzero(cover)
    if z is None:
        return mip.add_rows(n, ri, y[cj], 1.0, lower=1.0, upper=np.inf)
    rows = np.concatenate([ri, np.arange(n)])
    cols = np.concatenate([y[cj], z])
    vals = np.concatenate([-np.ones(ri.size), np.ones(n)])
    return mip.add_rows(n, rows, cols, vals, lower=-np.inf, upper=0.0)


def _facility_vars(mip: Mip, m: int, predefined: np.ndarray, cost: float = 0.0) -> np.ndarray:
    lower = np.zeros(m)
    lower[predefined] = 1.0
    return mip.add_vars(m, cost=cost, lower=lower, upper=1.0, integer=True)


class MCLP(LocationModel):
    r"""Maximal covering location problem: open p facilities covering the most demand.

    Answers "with only p centres, how much demand can be within reach
    (cost <= radius) of one, and where should they go?". A demand counts as
    covered when some open facility is within ``radius`` (inclusive).

    Formulation (Church & ReVelle 1974)::

        (1)  maximise   sum_i w_i z_i
        (2)  subject to z_i <= sum_{j in N_i} y_j        for every demand i
        (3)             sum_j y_j = p
        (4)             y_j = 1                          for every j in P
        (5)             y_j in {0, 1},  0 <= z_i <= 1

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    i, j       demand i (cost-matrix row), candidate facility j (column)
    w_i        weight of demand i (default 1)
    d_ij       cost (e.g. distance) from demand i to facility j
    r          coverage radius
    N_i        facilities within reach of i: {j : d_ij <= r}
    p          number of facilities to open
    P          predefined facilities that must open
    y_j        1 if facility j opens
    z_i        1 if demand i is covered
    =========  ===============================================================

    z may be continuous: for any binary y the best z_i is min(1, sum y) which is
    0 or 1. Demands with an empty N_i get no z at all. A greedy
    most-new-coverage heuristic gives HiGHS its first incumbent.

    After ``solve``: ``objective`` and ``covered_weight`` are the covered
    weight, ``uncovered`` lists demands out of reach, and ``assignment`` maps
    each covered demand to its nearest open facility.

    References
    ----------
    Church, R., & ReVelle, C. (1974). The maximal covering location problem.
    *Papers of the Regional Science Association*, 32(1), 101-118.

    Examples
    --------
    >>> costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    >>> m = MCLP.from_cost_matrix(costs, [1, 1, 1, 5], p=1, radius=2).solve()
    >>> m.facilities, m.covered_weight, m.uncovered
    ([2], 6.0, [0, 1])
    """

    model_name = "MCLP"

    def __init__(
        self, matrix: CostMatrix, weights: np.ndarray, p: int, radius: float, predefined: np.ndarray
    ) -> None:
        super().__init__(matrix, weights, predefined)
        self.p = p
        self.radius = radius
        self.covered_weight: float | None = None
        self.uncovered: list[Any] = []

    @classmethod
    def from_cost_matrix(
        cls,
        costs: Any,
        weights: Any = None,
        *,
        p: int,
        radius: float,
        predefined: Iterable[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
    ) -> MCLP:
        """Build from a demand x facility cost matrix; see :class:`PMedian` for the arguments.

        Raises :class:`~oicplan.errors.InputError` when ``radius`` is so small
        that no facility can cover any demand.
        """
        matrix, w, pre = cls._checked_inputs(costs, weights, predefined, demand_ids, facility_ids)
        p = check_p(p, len(matrix.facility_ids), pre.size, cls.model_name)
        r = _check_radius(radius)
        if not (matrix.values <= r).any():
            nearest = float(matrix.values.min())
            raise InputError(
                f"no facility is within radius {r:g} of any demand (the closest pair is "
                f"{nearest:g} apart)",
                field="radius",
            )
        return cls(matrix, w, p, r, pre)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> MCLP:
        """Solve with HiGHS and store the results on the model; returns ``self``."""
        d, w, p = self.matrix.values, self.weights, self.p
        n, m = d.shape
        cover = d <= self.radius
        reachable = cover.any(axis=1)
        mip = Mip(maximize=True)
        y = _facility_vars(mip, m, self.predefined_idx)
        z = mip.add_vars(int(reachable.sum()), cost=w[reachable], upper=1.0)
        _coverage_rows(mip, y, cover[reachable], z)
        mip.add_rows(1, np.zeros(m, np.int64), y, 1.0, lower=p, upper=p)

        heur = greedy_max_cover(cover, w, p, self.predefined_idx)
        start = np.zeros(mip.num_col)
        start[y[heur]] = 1.0
        start[z] = cover[reachable][:, heur].any(axis=1)

        outcome = solve_mip(
            mip,
            model=self.model_name,
            time_limit=time_limit,
            mip_gap=mip_gap,
            start=start,
            bound=float(w[reachable].sum()),
        )
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        covered = cover[:, open_idx].any(axis=1)
        served = nearest_open(d, open_idx)
        self._store(outcome, open_idx, served, float(w[covered].sum()), demand_mask=covered)
        self.covered_weight = self.objective
        self.uncovered = [self.matrix.demand_ids[i] for i in np.flatnonzero(~covered)]
        return self

    def _mark_infeasible(self) -> None:
        super()._mark_infeasible()
        self.covered_weight = None
        self.uncovered = []

    def to_dict(self) -> dict[str, Any]:
        """Results as JSON-ready values, with ``covered_weight`` and ``uncovered``."""
        out = super().to_dict()
        out["covered_weight"] = self.covered_weight
        out["uncovered"] = list(self.uncovered)
        return out


class LSCP(LocationModel):
    r"""Location set covering problem: the fewest facilities that cover every demand.

    Answers "how many centres, at least, are needed so that every demand is
    within reach (cost <= radius) of one, and where?".

    Formulation (Toregas, Swain, ReVelle & Bergman 1971)::

        (1)  minimise   sum_j y_j
        (2)  subject to sum_{j in N_i} y_j >= 1          for every demand i
        (3)             y_j = 1                          for every j in P
        (4)             y_j in {0, 1}

    =========  ===============================================================
    symbol     meaning
    =========  ===============================================================
    i, j       demand i (cost-matrix row), candidate facility j (column)
    d_ij       cost (e.g. distance) from demand i to facility j
    r          coverage radius
    N_i        facilities within reach of i: {j : d_ij <= r}
    P          predefined facilities that must open
    y_j        1 if facility j opens
    =========  ===============================================================

    Weights do not change the optimum; they are accepted for a uniform
    interface. A demand with an empty N_i makes the problem infeasible, which
    is reported before solving. A greedy set cover (Chvatal 1979) gives HiGHS
    its first incumbent. ``assignment`` maps every demand to its nearest open
    facility.

    References
    ----------
    Toregas, C., Swain, R., ReVelle, C., & Bergman, L. (1971). The location of
    emergency service facilities. *Operations Research*, 19(6), 1363-1373.

    Examples
    --------
    >>> costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    >>> m = LSCP.from_cost_matrix(costs, radius=3).solve()
    >>> m.objective, m.facilities
    (2.0, [0, 2])
    >>> LSCP.from_cost_matrix(costs, radius=1.5).solve()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    oicplan.errors.InfeasibleError: LSCP infeasible: demand 1 has no facility within radius 1.5...
    """

    model_name = "LSCP"

    def __init__(
        self, matrix: CostMatrix, weights: np.ndarray, radius: float, predefined: np.ndarray
    ) -> None:
        super().__init__(matrix, weights, predefined)
        self.radius = radius

    @classmethod
    def from_cost_matrix(
        cls,
        costs: Any,
        weights: Any = None,
        *,
        radius: float,
        predefined: Iterable[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
    ) -> LSCP:
        """Build from a demand x facility cost matrix; see :class:`PMedian` for the arguments."""
        matrix, w, pre = cls._checked_inputs(costs, weights, predefined, demand_ids, facility_ids)
        return cls(matrix, w, _check_radius(radius), pre)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> LSCP:
        """Solve with HiGHS and store the results on the model; returns ``self``.

        Raises
        ------
        oicplan.errors.InfeasibleError
            When some demand has no facility within the radius.
        """
        d = self.matrix.values
        n, m = d.shape
        cover = d <= self.radius
        lonely = np.flatnonzero(~cover.any(axis=1))
        if lonely.size:
            self._mark_infeasible()
            more = f" (and {lonely.size - 1} more)" if lonely.size > 1 else ""
            raise InfeasibleError(
                f"{self.model_name} infeasible: demand {self.matrix.demand_ids[lonely[0]]} "
                f"has no facility within radius {self.radius:g}{more}"
            )
        mip = Mip()
        y = _facility_vars(mip, m, self.predefined_idx, cost=1.0)
        _coverage_rows(mip, y, cover, None)
        start = np.zeros(mip.num_col)
        start[y[greedy_cover(cover, self.predefined_idx)]] = 1.0
        outcome = solve_mip(
            mip,
            model=self.model_name,
            time_limit=time_limit,
            mip_gap=mip_gap,
            start=start,
            bound=float(max(1, self.predefined_idx.size)),
        )
        open_idx = np.flatnonzero(outcome.values[y] > 0.5)
        served = nearest_open(d, open_idx)
        self._store(outcome, open_idx, served, float(open_idx.size))
        return self
