"""Shared plumbing of the location models: inputs, predefined sites, results.

A model is built by ``from_cost_matrix`` (or ``from_sites``), solved in place by
``solve`` and then carries its results as plain attributes. Nothing here knows
about a specific formulation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import numpy as np

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize._highs import MipOutcome
from oicplan.optimize._inputs import CostMatrix, haversine_km, network_costs

__all__ = ["LocationModel", "check_p", "nearest_open", "resolve_predefined"]


def resolve_predefined(matrix: CostMatrix, predefined: Iterable[Any] | None) -> np.ndarray:
    """Column indices of the must-open facilities, checked against the facility ids."""
    if predefined is None:
        return np.zeros(0, dtype=np.int64)
    if isinstance(predefined, str):
        # A single id given as a string would otherwise be split into characters.
        predefined = [predefined]
    lookup = {f: k for k, f in enumerate(matrix.facility_ids)}
    # Ids read from a CSV are strings; also accept them for integer ids.
    lookup.update({str(f): k for k, f in enumerate(matrix.facility_ids)})
    idx = []
    for f in predefined:
        f = f.item() if isinstance(f, np.generic) else f
        if f not in lookup:
            where = f" of {matrix.file}" if matrix.file else ""
            raise InputError(
                f"predefined facility {f!r} is not a candidate facility{where}", field="predefined"
            )
        idx.append(lookup[f])
    return np.unique(np.asarray(idx, dtype=np.int64))


def check_p(p: Any, num_facilities: int, num_predefined: int, model: str) -> int:
    """Validate the number of facilities to open."""
    if isinstance(p, bool) or not isinstance(p, int | np.integer) or p < 1:
        raise InputError(f"p must be a whole number >= 1, got {p!r}", field="p")
    p = int(p)
    if p > num_facilities:
        raise InfeasibleError(
            f"{model} infeasible: p={p} is larger than the {num_facilities} candidate facilities"
        )
    if num_predefined > p:
        raise InfeasibleError(
            f"{model} infeasible: {num_predefined} predefined facilities must open but p={p}"
        )
    return p


def nearest_open(costs: np.ndarray, open_idx: np.ndarray) -> np.ndarray:
    """For each demand, the column index of its cheapest open facility (ties: first)."""
    return open_idx[np.argmin(costs[:, open_idx], axis=1)]


class LocationModel:
    """Common base: inputs, predefined facilities and the result attributes.

    Attributes set by ``solve``
    ---------------------------
    status : str
        ``"optimal"``, ``"feasible"`` (stopped by the time limit or the gap with
        a solution in hand; see ``gap``) or ``"infeasible"``.
    objective : float
        Objective value of the solution returned.
    gap : float or None
        Relative MIP gap when ``status == "feasible"``.
    facilities : list
        Ids of the open facilities, in column order.
    assignment : dict
        Demand id -> id of the facility serving it.
    solve_seconds : float
        Wall time of building and solving the model.
    """

    model_name: ClassVar[str] = "model"

    def __init__(self, matrix: CostMatrix, weights: np.ndarray, predefined: np.ndarray) -> None:
        self.matrix = matrix
        self.weights = np.asarray(weights, dtype=float)
        self.predefined_idx = np.asarray(predefined, dtype=np.int64)
        self.status: str | None = None
        self.objective: float | None = None
        self.gap: float | None = None
        self.facilities: list[Any] = []
        self.assignment: dict[Any, Any] = {}
        self.solve_seconds: float | None = None

    @property
    def predefined(self) -> list[Any]:
        """Ids of the must-open facilities."""
        return [self.matrix.facility_ids[k] for k in self.predefined_idx]

    @classmethod
    def from_cost_matrix(cls, costs: Any, weights: Any = None, **kwargs: Any) -> LocationModel:
        raise NotImplementedError

    @staticmethod
    def _checked_inputs(
        costs: Any,
        weights: Any,
        predefined: Any,
        demand_ids: Any = None,
        facility_ids: Any = None,
    ) -> tuple[CostMatrix, np.ndarray, np.ndarray]:
        """The cost matrix, demand weights and must-open columns every constructor checks."""
        matrix = (
            costs
            if isinstance(costs, CostMatrix)
            else CostMatrix.build(costs, demand_ids, facility_ids)
        )
        return matrix, matrix.align_weights(weights), resolve_predefined(matrix, predefined)

    @classmethod
    def from_sites(
        cls,
        demand_lat_lon: Any,
        facility_lat_lon: Any,
        weights: Any = None,
        *,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
        graph: Any = None,
        weight: str = "km",
        **kwargs: Any,
    ) -> LocationModel:
        """Build the model from ``(lat, lon)`` points, by great-circle or network cost.

        Without ``graph`` the cost matrix is the great-circle distance in km
        (:func:`oicplan.optimize.haversine_km`: haversine formula, Earth radius
        6371.0088 km). With a networkx ``graph`` whose nodes carry ``lat`` and
        ``lon``, it is the shortest-path cost over the edge attribute ``weight``
        between the nodes nearest to the points
        (:func:`oicplan.optimize.network_costs`). Everything else is passed on
        to ``from_cost_matrix``.

        >>> import networkx as nx
        >>> from oicplan.optimize import PMedian
        >>> G = nx.Graph()
        >>> for name, lon in (("west", 0.0), ("mid", 1.0), ("east", 2.0)):
        ...     G.add_node(name, lat=0.0, lon=lon)
        >>> G.add_edge("west", "mid", km=500.0); G.add_edge("mid", "east", km=50.0)
        >>> G.add_edge("west", "east", km=90.0)
        >>> demand, sites, weights = [[0, 0], [0, 2]], [[0, 0], [0, 1]], [1, 2]
        >>> PMedian.from_sites(demand, sites, weights, p=1).solve().facilities
        [1]
        >>> PMedian.from_sites(demand, sites, weights, p=1, graph=G).solve().facilities
        [0]
        """
        if graph is None:
            d = haversine_km(demand_lat_lon, facility_lat_lon)
        else:
            d = network_costs(graph, demand_lat_lon, facility_lat_lon, weight=weight)
        return cls.from_cost_matrix(
            d, weights, demand_ids=demand_ids, facility_ids=facility_ids, **kwargs
        )

    def _mark_infeasible(self) -> None:
        self.status = "infeasible"
        self.objective = None
        self.gap = None
        self.facilities = []
        self.assignment = {}

    def _store(
        self,
        outcome: MipOutcome,
        open_idx: np.ndarray,
        served_by: np.ndarray,
        objective: float,
        demand_mask: np.ndarray | None = None,
    ) -> None:
        """Record a solution. ``served_by`` holds a column index per demand row."""
        ids = self.matrix.facility_ids
        self.status = outcome.status
        self.gap = outcome.gap
        self.stopped_by = outcome.stopped_by
        self.objective = float(objective)
        self.solve_seconds = float(outcome.seconds)
        self.facilities = [ids[k] for k in np.sort(open_idx)]
        rows = range(len(self.matrix.demand_ids))
        if demand_mask is not None:
            rows = np.flatnonzero(demand_mask).tolist()
        self.assignment = {self.matrix.demand_ids[i]: ids[int(served_by[i])] for i in rows}

    def to_dict(self) -> dict[str, Any]:
        """Results as JSON-ready Python values (``gap`` only when the status is feasible).

        >>> from oicplan.optimize import PMedian
        >>> m = PMedian.from_cost_matrix([[1, 9], [9, 1]], p=2).solve()
        >>> m.to_dict()["assignment"]
        {0: 0, 1: 1}
        """
        out: dict[str, Any] = {
            "model": self.model_name.lower().replace("-", ""),
            "status": self.status,
            "objective": self.objective,
            "facilities": list(self.facilities),
            "assignment": dict(self.assignment),
            "solve_seconds": self.solve_seconds,
        }
        if self.status == "feasible":
            out["gap"] = self.gap
        return out

    def __repr__(self) -> str:
        n, m = self.matrix.values.shape
        state = self.status or "not solved"
        return f"<{type(self).__name__} {n} demands x {m} facilities: {state}>"
