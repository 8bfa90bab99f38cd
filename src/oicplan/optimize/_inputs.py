"""Checked inputs for the location models: cost matrices, weights, distances.

Every problem a user can cause with a bad file or argument is reported as an
:class:`~oicplan.errors.InputError` that names the file, the row as a
spreadsheet shows it (header = row 1) and the field (the column), so that the
entry can be found without reading a traceback.

Great-circle distances use the haversine formula on a sphere whose radius is
the mean Earth radius R1 = 6371.0088 km of the Geodetic Reference System 1980
(Moritz, H. (2000). Geodetic Reference System 1980. *Journal of Geodesy*, 74,
128-133).

>>> round(float(haversine_km([[0.0, 0.0]], [[0.0, 1.0]])[0, 0]), 3)
111.195
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InputError, spreadsheet_row
from oicplan.textfile import csv_source

__all__ = [
    "EARTH_RADIUS_KM",
    "CostMatrix",
    "haversine_km",
    "read_costs",
    "read_weights",
]

#: Mean Earth radius R1 of GRS 80 in kilometres (Moritz 2000).
EARTH_RADIUS_KM = 6371.0088


def _native(value: Any) -> Any:
    """Turn a numpy scalar id into the matching Python scalar (JSON needs them)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_ids(ids: Sequence[Any], what: str, file: str | None) -> list[Any]:
    """Return ``ids`` as Python scalars; duplicates would make the output ambiguous."""
    out = [_native(i) for i in ids]
    seen: set[Any] = set()
    for k, i in enumerate(out):
        if i in seen:
            row = spreadsheet_row(k) if what == "demand" else 1
            raise InputError(f"{what} id {i!r} appears more than once", file=file, row=row,
                             field=what if what == "demand" else str(i))
        seen.add(i)
    return out


def _to_float(text: Any, *, file: str | None, row: int, field: str) -> float:
    """Parse one cost or weight entry, naming the cell when it is unusable."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputError("missing value", file=file, row=row, field=field)
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"not a number: {text!r}", file=file, row=row, field=field) from None
    if np.isnan(value):
        raise InputError("missing value", file=file, row=row, field=field)
    if not np.isfinite(value):
        raise InputError(f"not a finite number: {text!r}", file=file, row=row, field=field)
    if value < 0:
        raise InputError(f"negative value {value:g}", file=file, row=row, field=field)
    return value


@dataclass(frozen=True)
class CostMatrix:
    """A checked demand-by-facility cost matrix with its ids.

    Attributes
    ----------
    values : numpy.ndarray
        ``float64`` array of shape (demands, facilities), finite and >= 0.
    demand_ids, facility_ids : list
        Ids in row and column order, as Python scalars.
    file : str or None
        Where the matrix came from, used in later error messages.
    """

    values: np.ndarray
    demand_ids: list[Any]
    facility_ids: list[Any]
    file: str | None = None

    @classmethod
    def build(
        cls,
        costs: Any,
        demand_ids: Sequence[Any] | None = None,
        facility_ids: Sequence[Any] | None = None,
        *,
        file: str | None = None,
    ) -> CostMatrix:
        """Check ``costs`` (array-like or DataFrame) and attach ids.

        A DataFrame supplies its index and columns as ids; otherwise ids default
        to ``0, 1, ...``.

        >>> CostMatrix.build([[1, 2], [3, 4]]).facility_ids
        [0, 1]
        >>> CostMatrix.build([[1, -2]])
        Traceback (most recent call last):
        ...
        oicplan.errors.InputError: row 2, field 1: negative value -2
        """
        if isinstance(costs, pd.DataFrame):
            demand_ids = list(costs.index) if demand_ids is None else demand_ids
            facility_ids = list(costs.columns) if facility_ids is None else facility_ids
            raw = costs.to_numpy(dtype=object)
        else:
            raw = np.asarray(costs, dtype=object)
        if raw.ndim != 2 or raw.shape[0] == 0 or raw.shape[1] == 0:
            raise InputError(
                f"the cost matrix must be two-dimensional and non-empty, got shape {raw.shape}",
                file=file,
            )
        n, m = raw.shape
        d_ids = _check_ids(range(n) if demand_ids is None else demand_ids, "demand", file)
        f_ids = _check_ids(range(m) if facility_ids is None else facility_ids, "facility", file)
        if len(d_ids) != n or len(f_ids) != m:
            raise InputError(
                f"{len(d_ids)} demand ids and {len(f_ids)} facility ids do not fit "
                f"a {n}x{m} cost matrix",
                file=file,
            )
        try:
            values = raw.astype(np.float64)
            clean = bool(np.isfinite(values).all() and (values >= 0).all())
        except (TypeError, ValueError):
            clean = False
        if not clean:
            # Slow path only when something is wrong: find the first bad cell.
            values = np.empty((n, m))
            for i in range(n):
                for j in range(m):
                    values[i, j] = _to_float(
                        raw[i, j], file=file, row=spreadsheet_row(i), field=str(f_ids[j])
                    )
        values.setflags(write=False)
        return cls(values, d_ids, f_ids, file)

    def align_weights(self, weights: Any, *, file: str | None = None) -> np.ndarray:
        """Return demand weights in row order (all 1 when ``weights`` is None).

        A mapping or Series is matched to the demand ids; a plain sequence must
        have one entry per demand, in row order.

        >>> cm = CostMatrix.build([[1.0], [2.0]], demand_ids=["a", "b"])
        >>> cm.align_weights({"b": 3, "a": 1}).tolist()
        [1.0, 3.0]
        """
        n = len(self.demand_ids)
        if weights is None:
            return np.ones(n)
        if isinstance(weights, pd.Series):
            weights = weights.to_dict()
        if isinstance(weights, dict):
            keyed = {_native(k): v for k, v in weights.items()}
            unknown = [k for k in keyed if k not in set(self.demand_ids)]
            if unknown:
                raise InputError(
                    f"weight given for demand {unknown[0]!r}, which is not in the cost matrix",
                    file=file, field="demand",
                )
            missing = [d for d in self.demand_ids if d not in keyed]
            if missing:
                raise InputError(
                    f"no weight for demand {missing[0]!r} of the cost matrix "
                    f"({len(missing)} demand(s) without weight)",
                    file=file, field="demand",
                )
            seq = [keyed[d] for d in self.demand_ids]
        else:
            seq = list(np.asarray(weights, dtype=object).ravel())
            if len(seq) != n:
                raise InputError(
                    f"{len(seq)} weights given for {n} demands", file=file, field="weight"
                )
        return np.array(
            [_to_float(v, file=file, row=spreadsheet_row(k), field="weight")
             for k, v in enumerate(seq)]
        )


def haversine_km(
    points_a: Any, points_b: Any, radius_km: float = EARTH_RADIUS_KM
) -> np.ndarray:
    """Great-circle distances in km between two lists of ``(lat, lon)`` points in degrees.

    Parameters
    ----------
    points_a, points_b : array-like of shape (n, 2) and (m, 2)
        Latitudes and longitudes in degrees.
    radius_km : float
        Sphere radius; the GRS 80 mean radius by default.

    Returns
    -------
    numpy.ndarray
        Matrix of shape (n, m).

    >>> d = haversine_km([[30.27, 120.16]], [[30.27, 120.16], [51.51, -0.13]])
    >>> float(d[0, 0]), 9100 < float(d[0, 1]) < 9300
    (0.0, True)
    """
    a = np.radians(np.asarray(points_a, dtype=float).reshape(-1, 2))
    b = np.radians(np.asarray(points_b, dtype=float).reshape(-1, 2))
    if (np.abs(np.degrees(a[:, 0])) > 90).any() or (np.abs(np.degrees(b[:, 0])) > 90).any():
        raise InputError("latitude outside [-90, 90]", field="lat")
    lat1, lon1 = a[:, :1], a[:, 1:]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    # Clipping guards arcsin against rounding just above 1 for antipodal points.
    return 2 * radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def network_costs(
    graph: Any,
    points_a: Any,
    points_b: Any,
    *,
    weight: str = "km",
    lat: str = "lat",
    lon: str = "lon",
) -> np.ndarray:
    """Shortest-path costs over a network between two lists of ``(lat, lon)`` points.

    Each point is snapped to the nearest node of ``graph`` that has coordinates
    (node attributes ``lat`` and ``lon``, by great-circle distance; the snap
    distance is not added). The cost of a pair is the length of the shortest
    path from the node of ``points_b[j]`` to the node of ``points_a[i]`` summed
    over the edge attribute ``weight`` (Dijkstra, :mod:`networkx`; on a
    multigraph the cheapest parallel edge counts; on a directed graph the
    direction is from the facility ``b`` to the demand ``a``, the way service
    travels). Use it for a road network, or for :func:`oicplan.geo.transport_graph`
    with ``weight="days"``.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph whose nodes carry coordinates and whose edges carry
        ``weight``.
    points_a, points_b : array-like of shape (n, 2) and (m, 2)
        Demand and facility points, latitude and longitude in degrees.
    weight, lat, lon : str
        Names of the edge cost and node coordinate attributes.

    Returns
    -------
    numpy.ndarray
        Matrix of shape (n, m).

    Raises
    ------
    InputError
        If the graph has no node with coordinates, an edge lacks a valid
        ``weight``, or some pair is not connected (named in the message).

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("A", lat=0.0, lon=0.0); G.add_node("B", lat=0.0, lon=1.0)
    >>> G.add_node("C", lat=0.0, lon=2.0)
    >>> G.add_edge("A", "B", km=150.0); G.add_edge("B", "C", km=100.0)
    >>> network_costs(G, [[0.1, 0.0], [0.0, 2.1]], [[0.0, 1.0]]).tolist()
    [[150.0], [100.0]]
    """
    import networkx as nx

    nodes = [n for n, d in graph.nodes(data=True) if lat in d and lon in d]
    if not nodes:
        raise InputError(f"the graph has no node with '{lat}' and '{lon}'", field="graph")
    for u, v, d in graph.edges(data=True):
        cost = d.get(weight)
        if not isinstance(cost, int | float) or not np.isfinite(cost) or cost < 0:
            raise InputError(
                f"edge {u!r} - {v!r} has no valid '{weight}' (a number >= 0): {cost!r}",
                field="weight",
            )
    where = np.array([[graph.nodes[n][lat], graph.nodes[n][lon]] for n in nodes], dtype=float)
    snap_a = [nodes[k] for k in haversine_km(points_a, where).argmin(axis=1)]
    snap_b = [nodes[k] for k in haversine_km(points_b, where).argmin(axis=1)]
    out = np.empty((len(snap_a), len(snap_b)))
    for j, source in enumerate(snap_b):
        reach = nx.single_source_dijkstra_path_length(graph, source, weight=weight)
        for i, target in enumerate(snap_a):
            if target not in reach:
                raise InputError(
                    f"facility point {j} (node {source!r}) does not reach demand point {i} "
                    f"(node {target!r}) on the network",
                    field="graph",
                )
            out[i, j] = reach[target]
    return out


def read_costs(path: str | Path) -> CostMatrix:
    """Read a cost CSV: header row of facility ids, first column of demand ids.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "c.csv")
    >>> _ = open(p, "w").write("demand,F1,F2\\nd1,1,2\\nd2,3,x\\n")
    >>> read_costs(p)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: ...c.csv, row 3, field F2: not a number: 'x'
    """
    file = str(path)
    try:
        # header=None: pandas would rename a repeated facility id ("F3" -> "F3.1").
        source, delimiter = csv_source(path)  # UTF-8, UTF-16 or GB18030/GBK
        raw = pd.read_csv(source, sep=delimiter, dtype=str, keep_default_na=False, header=None)
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as CSV ({exc})", file=file) from None
    if raw.shape[1] < 2 or raw.shape[0] < 2:
        raise InputError(
            "needs a header row of facility ids and at least one demand row", file=file
        )
    header = [str(name).strip() for name in raw.iloc[0]]
    facility_ids = header[1:]
    seen: set[str] = set()
    for k, name in enumerate(facility_ids):
        if not name:
            raise InputError("empty facility id in the header", file=file, row=1,
                             field=f"column {k + 2}")
        if name in seen:
            raise InputError(f"facility id {name!r} appears twice in the header", file=file,
                             row=1, field=f"column {k + 2}")
        seen.add(name)
    demand_ids = [str(i).strip() for i in raw.iloc[1:, 0]]
    for k, i in enumerate(demand_ids):
        if not i:
            raise InputError("missing demand id", file=file, row=spreadsheet_row(k),
                             field=header[0] or "demand")
    values = raw.iloc[1:, 1:].to_numpy(dtype=object)
    return CostMatrix.build(values, demand_ids, facility_ids, file=file)


def read_weights(path: str | Path, costs: CostMatrix) -> np.ndarray:
    """Read a ``demand, weight`` CSV and return the weights in the row order of ``costs``.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "w.csv")
    >>> _ = open(p, "w").write("demand,weight\\nb,2\\na,5\\n")
    >>> read_weights(p, CostMatrix.build([[1], [2]], ["a", "b"])).tolist()
    [5.0, 2.0]
    """
    file = str(path)
    try:
        source, delimiter = csv_source(path)  # UTF-8, UTF-16 or GB18030/GBK
        frame = pd.read_csv(source, sep=delimiter, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as CSV ({exc})", file=file) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for col in ("demand", "weight"):
        if col not in frame.columns:
            raise InputError(f"missing column {col!r} (columns must be: demand, weight)",
                             file=file, row=1, field=col)
    known = set(costs.demand_ids)
    weights: dict[Any, float] = {}
    for k, (demand, text) in enumerate(zip(frame["demand"], frame["weight"], strict=True)):
        row = spreadsheet_row(k)
        demand = demand.strip()
        if demand not in known:
            where = f" {costs.file}" if costs.file else ""
            raise InputError(f"demand {demand!r} is not in the cost file{where}",
                             file=file, row=row, field="demand")
        if demand in weights:
            raise InputError(f"demand {demand!r} appears more than once", file=file, row=row,
                             field="demand")
        weights[demand] = _to_float(text, file=file, row=row, field="weight")
    missing = [d for d in costs.demand_ids if d not in weights]
    if missing:
        where = f" of {costs.file}" if costs.file else ""
        raise InputError(
            f"no weight for demand {missing[0]!r}{where} ({len(missing)} demand(s) without weight)",
            file=file, field="demand",
        )
    return np.array([weights[d] for d in costs.demand_ids])
