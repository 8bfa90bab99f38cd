"""Assign enterprises to centers: a capacitated transportation problem.

Each enterprise ``e`` goes to at most one center ``s``; center ``s`` takes at most
``cap[s]`` enterprises. The utility of a pair is

    u[e, s] = (1 − β) · M[industry(e), s] + β · N[e, s]
              + γ · presence[e, s] − α · days[s] / max(days)

with ``M`` the match matrix, ``N[e, s]`` the site's mean strength in the
enterprise's ``tech_needs`` fields (``M`` again if it names none, or if only a
bare matrix is given), ``presence`` 1 when the enterprise already operates in
the site's economy, and ``days`` the optional access time from Zhejiang (a
table ``site_id, days`` from the transport graph). Defaults: ``β = 0.5``,
``γ = 0.1``, ``α = 0.3``, the stated ``assign.needs_weight``,
``assign.presence_bonus`` and ``assign.access_weight`` of :mod:`oicplan.assumptions`
(read when a call leaves them out). A gap in ``M`` counts as 0.

The model maximizes ``Σ (u[e, s] + B) x[e, s]`` with ``B`` large enough to make
every coefficient positive, so every seat is filled while enterprises remain
(the number assigned is ``min(#enterprises, Σ cap)``) and, among those
assignments, total utility is as large as possible. The constraint matrix is
totally unimodular; HiGHS (``scipy.optimize.milp``) solves it exactly.

>>> enterprises = pd.DataFrame({"name": ["a", "b", "c"], "industry": ["x", "y", "y"]})
>>> matrix = pd.DataFrame({"S1": [0.9, 0.2], "S2": [0.5, 0.8]}, index=["x", "y"])
>>> result = assign_enterprises(enterprises, matrix, capacities={"S1": 1, "S2": 2})
>>> result.by_site
{'S1': ['a'], 'S2': ['b', 'c']}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from oicplan.assumptions import value
from oicplan.errors import InfeasibleError, InputError
from oicplan.notes import note

__all__ = [
    "Assignment",
    "EnterpriseDemands",
    "assign_enterprises",
    "enterprise_demands",
    "match_parts",
    "utility_matrix",
    "utility_matrix_gaps",
]


def _weights(
    needs_weight: float | None, presence_bonus: float | None, access_weight: float | None
) -> tuple[float, float, float]:
    """β, γ, α as given, else the values in force (``assign.*`` of :mod:`oicplan.assumptions`)."""
    return (
        value("assign.needs_weight") if needs_weight is None else needs_weight,
        value("assign.presence_bonus") if presence_bonus is None else presence_bonus,
        value("assign.access_weight") if access_weight is None else access_weight,
    )


@dataclass
class Assignment:
    """Which enterprises each center takes, with the utilities behind it."""

    table: pd.DataFrame  # one row per enterprise: name, industry, site_id (None), utility
    by_site: dict[str, list[str]]
    unassigned: list[str]
    capacities: dict[str, int]
    objective: float
    synthetic: bool
    parameters: dict
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready summary; ``synthetic`` says whether any enterprise is synthetic."""
        out = {
            "synthetic": self.synthetic,
            "centers": {
                site: {"capacity": self.capacities[site], "enterprises": names}
                for site, names in self.by_site.items()
            },
            "unassigned": self.unassigned,
            "objective": round(self.objective, 6),
            "parameters": self.parameters,
            "notes": self.notes,
        }
        if self.synthetic:
            out["synthetic_note"] = (
                "the enterprises include SYNTHETIC illustrative rows, not real companies"
            )
        return out


def match_parts(match) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, str]]:
    """Matrix, sites × fields strength (or None) and site → economy from a match.

    Everything the utility of :func:`assign_enterprises` reads of ``match`` (a
    ``MatchResult`` or an industries × sites DataFrame).
    """
    if isinstance(match, pd.DataFrame):
        return match, None, {}
    matrix = match.matrix
    iso3 = dict(zip(match.sites["site_id"], match.sites["iso3"], strict=True))
    return matrix, match.site_field_strength(), iso3


def _capacities(capacities, sites: list[str], count: int) -> dict[str, int]:
    if capacities is None:
        per_site = math.ceil(count / len(sites))
        return dict.fromkeys(sites, per_site)
    if isinstance(capacities, int | np.integer):
        return dict.fromkeys(sites, int(capacities))
    table = dict(capacities.items()) if hasattr(capacities, "items") else None
    if table is None:
        raise InputError("capacities: give an int or a mapping site_id → int", field="capacities")
    out = {}
    for site in sites:
        if site not in table:
            raise InputError(f"no capacity given for site {site!r}", field="capacities")
        value = table[site]
        if not float(value).is_integer() or int(value) < 0:
            raise InputError(
                f"capacity of {site!r} must be a whole number ≥ 0, got {value!r}",
                field="capacities",
            )
        out[site] = int(value)
    return out


def _access(access, sites: list[str]) -> np.ndarray:
    if access is None:
        return np.zeros(len(sites))
    if isinstance(access, pd.DataFrame):
        if not {"site_id", "days"} <= set(access.columns):
            raise InputError("the access table needs columns site_id and days", field="access")
        series = access.set_index("site_id")["days"]
    else:
        series = pd.Series(access)
    days = []
    for site in sites:
        value = series.get(site)
        if value is None or pd.isna(value) or float(value) < 0:
            raise InputError(f"no access time (days ≥ 0) for site {site!r}", field="access")
        days.append(float(value))
    days = np.asarray(days)
    return days / days.max() if days.max() > 0 else days


def utility_matrix_gaps(match, sites: list[str]) -> int:
    """Number of gap (NaN) cells of the match matrix in the given sites' columns."""
    matrix, _, _ = match_parts(match)
    return int(matrix[sites].isna().to_numpy().sum())


def utility_matrix(
    enterprises: pd.DataFrame,
    match,
    sites: list[str] | None = None,
    access: pd.DataFrame | pd.Series | dict | None = None,
    *,
    needs_weight: float | None = None,
    presence_bonus: float | None = None,
    access_weight: float | None = None,
) -> pd.DataFrame:
    """Enterprises × sites utility ``u[e, s]`` (module docstring).

    A weight left out (None) is the value in force in :mod:`oicplan.assumptions`.
    """
    needs_weight, presence_bonus, access_weight = _weights(
        needs_weight, presence_bonus, access_weight
    )
    matrix, strengths, iso3 = match_parts(match)
    sites = list(sites) if sites is not None else list(matrix.columns)
    missing = [s for s in sites if s not in matrix.columns]
    if missing:
        raise InputError(f"site {missing[0]!r} is not a column of the match matrix", field="sites")
    unknown = sorted(set(enterprises["industry"]) - set(matrix.index))
    if unknown:
        raise InputError(
            f"industry {unknown[0]!r} is not a row of the match matrix", field="industry"
        )
    base = matrix.loc[enterprises["industry"], sites].fillna(0.0).to_numpy(dtype=float)
    needs_part = base.copy()
    if strengths is not None and "tech_needs" in enterprises:
        table = strengths.loc[sites].T.fillna(0.0)  # fields × sites
        texts = enterprises["tech_needs"].fillna("").astype(str).to_numpy()
        for text in set(texts):
            fields = [f for f in text.split(";") if f and f in table.index]
            if fields:
                needs_part[texts == text] = table.loc[fields].to_numpy(dtype=float).mean(axis=0)
    presence = np.zeros_like(base)
    if iso3 and "overseas_presence" in enterprises:
        site_iso3 = [iso3.get(s) for s in sites]
        for i, text in enumerate(enterprises["overseas_presence"].fillna("").astype(str)):
            codes = set(filter(None, text.split(";")))
            if codes:
                presence[i] = [1.0 if c in codes else 0.0 for c in site_iso3]
    days = _access(access, sites)
    utility = (
        (1.0 - needs_weight) * base
        + needs_weight * needs_part
        + presence_bonus * presence
        - access_weight * days[None, :]
    )
    return pd.DataFrame(utility, index=list(enterprises["name"]), columns=sites)


@dataclass
class EnterpriseDemands:
    """Enterprises merged into demand classes for the layout model.

    ``classes`` has one row per class: ``demand`` (its id), ``industry``,
    ``enterprises`` (how many), ``size`` (their summed size, or the count) and
    ``names`` (up to five examples); ``utility`` is classes × sites, the utility
    every member shares (:func:`utility_matrix`).
    """

    classes: pd.DataFrame
    utility: pd.DataFrame
    synthetic: bool


def enterprise_demands(
    enterprises: pd.DataFrame,
    match,
    sites: list[str] | None = None,
    access: pd.DataFrame | pd.Series | dict | None = None,
    **weights: float,
) -> EnterpriseDemands:
    """Group enterprises whose utility rows are equal into demand classes.

    Enterprises with the same industry, technology needs and overseas presence
    have the same utility at every site, so the layout model can serve them as
    one demand whose priority is their number: exact for the uncapacitated
    model and far smaller (the synthetic sample's 4,119 enterprises form 119
    classes). ``size`` sums a numeric ``size`` column (sizes given as words,
    such as the sample's ``large``, count 1 each). ``weights`` are the
    ``needs_weight``, ``presence_bonus`` and ``access_weight`` of
    :func:`utility_matrix`.

    >>> enterprises = pd.DataFrame({"name": ["a", "b", "c"], "industry": ["x", "y", "y"]})
    >>> matrix = pd.DataFrame({"S1": [0.9, 0.2], "S2": [0.5, 0.8]}, index=["x", "y"])
    >>> demands = enterprise_demands(enterprises, matrix)
    >>> demands.classes[["demand", "industry", "enterprises"]].values.tolist()
    [['x #1', 'x', 1], ['y #1', 'y', 2]]
    >>> demands.utility.loc["y #1"].tolist()
    [0.2, 0.8]
    """
    if enterprises.empty:
        raise InputError("no enterprises given", field="enterprises")
    utility = utility_matrix(enterprises, match, sites, access, **weights)
    keys = [c for c in ("industry", "tech_needs", "overseas_presence") if c in enterprises]
    frame = enterprises[keys].astype(object).fillna("").astype(str)
    frame["name"] = enterprises["name"].astype(str).to_numpy()
    if "size" in enterprises:
        sizes = pd.to_numeric(enterprises["size"], errors="coerce")
        frame["size"] = sizes.fillna(1.0).clip(lower=0).to_numpy()
    else:
        frame["size"] = 1.0
    frame["row"] = np.arange(len(frame))
    classes, rows = [], []
    for key, group in frame.groupby(keys, sort=True):
        industry = key[0] if isinstance(key, tuple) else key
        same_industry = sum(1 for c in classes if c["industry"] == industry)
        classes.append({
            "demand": f"{industry} #{same_industry + 1}",
            "industry": industry,
            "enterprises": len(group),
            "size": float(group["size"].sum()),
            "names": "; ".join(group["name"].head(5)),
        })
        rows.append(int(group["row"].iloc[0]))
    table = pd.DataFrame(classes)
    shared = utility.iloc[rows].set_axis(table["demand"].tolist(), axis=0)
    flags = enterprises["synthetic"] if "synthetic" in enterprises else pd.Series([False])
    synthetic = bool(flags.fillna(False).astype(bool).any())
    return EnterpriseDemands(classes=table, utility=shared, synthetic=synthetic)


def assign_enterprises(
    enterprises: pd.DataFrame,
    match,
    sites: list[str] | None = None,
    access: pd.DataFrame | pd.Series | dict | None = None,
    capacities: int | dict | pd.Series | None = None,
    *,
    needs_weight: float | None = None,
    presence_bonus: float | None = None,
    access_weight: float | None = None,
) -> Assignment:
    """Assign enterprises to centers, capacitated, by match and access.

    Parameters
    ----------
    enterprises : DataFrame
        ``name, industry`` and optionally ``tech_needs``, ``overseas_presence``,
        ``synthetic`` (as :func:`oicplan.match.enterprises.read_enterprises` gives).
    match : MatchResult or DataFrame
        A match result (gives field strengths and site economies too) or a bare
        industries × sites matrix.
    sites : list of str, optional
        The chosen sites (default: every column of the matrix).
    access : DataFrame ``site_id, days``, Series or dict, optional
        Access time from Zhejiang per site; none by default.
    capacities : int, dict or Series, optional
        Seats per site; default ``ceil(#enterprises / #sites)`` at every site.
    """
    # Imported here: scipy.optimize takes ~0.5 s to import, and only the solve needs it.
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    if enterprises.empty:
        raise InputError("no enterprises to assign", field="enterprises")
    needs_weight, presence_bonus, access_weight = _weights(
        needs_weight, presence_bonus, access_weight
    )
    utility = utility_matrix(
        enterprises,
        match,
        sites,
        access,
        needs_weight=needs_weight,
        presence_bonus=presence_bonus,
        access_weight=access_weight,
    )
    sites = list(utility.columns)
    if not sites:
        raise InputError("no sites to assign to", field="sites")
    caps = _capacities(capacities, sites, len(enterprises))
    n, k = utility.shape
    u = utility.to_numpy()
    shift = max(0.0, -float(u.min())) + 1.0
    cost = -(u + shift).ravel()  # milp minimizes
    rows_e = sparse.kron(sparse.identity(n), np.ones((1, k)), format="csr")
    rows_s = sparse.kron(np.ones((1, n)), sparse.identity(k), format="csr")
    cap = np.array([caps[s] for s in sites], dtype=float)
    constraints = [
        LinearConstraint(rows_e, 0.0, 1.0),
        LinearConstraint(rows_s, 0.0, cap),
    ]
    # The constraint matrix is totally unimodular: the LP optimum at a vertex is
    # integral. Solve the LP first; fall back to the MIP if HiGHS returns a
    # fractional point (it should not).
    result = milp(cost, constraints=constraints, bounds=Bounds(0.0, 1.0))
    if result.success and np.abs(result.x - np.rint(result.x)).max() > 1e-6:
        result = milp(
            cost, constraints=constraints, integrality=np.ones(n * k), bounds=Bounds(0.0, 1.0)
        )
    if not result.success:  # pragma: no cover - the problem is always feasible (x = 0)
        raise InfeasibleError(f"the assignment could not be solved: {result.message}")
    x = np.rint(result.x.reshape(n, k)).astype(int)
    chosen = [sites[int(j)] if x[i].sum() else None for i, j in enumerate(x.argmax(axis=1))]
    names = list(enterprises["name"])
    table = pd.DataFrame(
        {
            "name": names,
            "industry": list(enterprises["industry"]),
            "site_id": chosen,
            "utility": [
                None if s is None else float(u[i, sites.index(s)]) for i, s in enumerate(chosen)
            ],
        }
    )
    by_site = {s: [names[i] for i in range(n) if chosen[i] == s] for s in sites}
    unassigned = [names[i] for i in range(n) if chosen[i] is None]
    synthetic = bool(
        "synthetic" in enterprises
        and enterprises["synthetic"].astype(str).str.lower().isin({"true", "1"}).any()
    )
    notes = []
    if unassigned:
        notes.append(note("unassigned", n=len(unassigned), capacity=int(cap.sum()), total=n))
    if access is None:
        notes.append(note("no_access_table"))
    gaps = int(utility_matrix_gaps(match, sites))
    if gaps:
        notes.append(note("match_gap_cells", n=gaps))
    if synthetic:
        notes.append(note("synthetic_assigned"))
    return Assignment(
        table=table,
        by_site=by_site,
        unassigned=unassigned,
        capacities=caps,
        objective=float((u * x).sum()),
        synthetic=synthetic,
        parameters={
            "needs_weight": needs_weight,
            "presence_bonus": presence_bonus,
            "access_weight": access_weight,
        },
        notes=notes,
    )
