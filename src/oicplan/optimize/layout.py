"""The layout model: which sites open, in which center mode, and in which plan year.

:class:`Layout` chooses a set of overseas innovation centers that together serve
the home region's industries (or its enterprises) best, under limits on number,
money, risk and spread, optionally phased over a horizon of years. It is built
from plain arrays (:meth:`Layout.from_arrays`, which is what the tests use) or
from a ranking of candidate sites (:meth:`Layout.from_ranking`).

Besides one solve it answers three planning questions:

* :meth:`Layout.pareto` -- how much benefit does each extra unit of cost (or of
  risk) buy? (epsilon-constraint frontier, :func:`pareto_figure` draws it);
* :meth:`Layout.robustness` -- which sites stay chosen when the site qualities
  move (e.g. Monte Carlo samples of the ranking)?
* when no layout satisfies every constraint, the :class:`~oicplan.errors.InfeasibleError`
  names a set of constraint groups that conflict (see :mod:`.layout_diagnose`).

>>> m = Layout.from_arrays([[0.9, 0.2], [0.3, 0.8]], max_centers=1).solve()
>>> m.status, m.objective, m.chosen["site_id"].tolist()
('optimal', 1.2, [0])
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InfeasibleError, InputError, spreadsheet_row
from oicplan.optimize._highs import Mip, MipOutcome, NoSolutionError, solve_mip
from oicplan.optimize.layout_diagnose import Conflict, explain_infeasible

__all__ = [
    "PLACEHOLDER_CAPACITY",
    "PLACEHOLDER_COSTS",
    "PLACEHOLDER_INDUSTRIES",
    "MODE_FIT_WEIGHT",
    "OTHER_MODE_FACTOR",
    "GroupRule",
    "Layout",
    "pareto_figure",
    "read_layout_costs",
    "region_members",
    "save_svg",
]

#: Illustrative cost of a center by mode, (set-up, annual running), in millions of
#: whatever unit the other costs of the model use: round assumptions, not data.
#: ``from_ranking`` uses them only with ``model_costs=False`` for options the user's
#: cost table leaves out (the cost model, in US$ million, is the default), and
#: its ``assumptions`` say so.
PLACEHOLDER_COSTS: dict[str, tuple[float, float]] = {
    "offshore_rd_center": (50.0, 20.0),
    "offshore_incubator": (8.0, 4.0),
    "joint_lab": (12.0, 6.0),
    "zone_upgrade": (30.0, 8.0),
    "corridor_hub": (25.0, 7.0),
}

#: Assumed number of home industries a center of each mode can serve (placeholder).
PLACEHOLDER_CAPACITY: dict[str, int] = {
    "offshore_rd_center": 3,
    "offshore_incubator": 2,
    "joint_lab": 2,
    "zone_upgrade": 4,
    "corridor_hub": 4,
}

#: Home industries used as demands by :meth:`Layout.from_ranking` until the
#: industry-technology matching exists (all with priority 1; placeholder).
PLACEHOLDER_INDUSTRIES = (
    "digital_economy",
    "high_end_equipment",
    "new_materials",
    "life_sciences",
    "new_energy_vehicles",
    "modern_consumer_goods",
)

#: Share of the site score that a mode other than the rule mode of
#: :func:`oicplan.domain.assign_mode` gets as quality (an assumption).
OTHER_MODE_FACTOR = 0.9

#: Weight of a mode's fit at a site (:func:`oicplan.match.modes.mode_scores`, the
#: mode's pillar profile, 0-1) in the quality of that option: quality = score x
#: rule factor x (1 - w + w x fit), so among the modes a site admits the one whose
#: pillars fit it best earns most (an assumption).
MODE_FIT_WEIGHT = 0.2

_MODEL = "Layout"

#: A benefit model with at least this many binaries (y and z) gets a MIP start
#: from a restricted model (:meth:`Layout._heuristic_start`) and is solved with
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
_KINDS = ("benefit", "cost", "risk")
_COST_COLUMNS = ("site_id", "mode", "setup_cost", "annual_cost")


# ---------------------------------------------------------------------------
# private helpers: input checks
# ---------------------------------------------------------------------------


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _ids(ids: Sequence[Any] | None, n: int, what: str) -> list[Any]:
    if ids is None:
        return list(range(n))
    out = [_native(i) for i in ids]
    if len(out) != n:
        raise InputError(f"{len(out)} {what} ids given for {n} {what}s", field=f"{what}_ids")
    if len(set(out)) != n:
        dup = next(i for i, c in Counter(out).items() if c > 1)
        raise InputError(f"{what} id {dup!r} appears more than once", field=f"{what}_ids")
    return out


def _finite(a: np.ndarray, name: str, *, nonneg: bool = True, allow_nan: bool = False) -> None:
    bad = ~np.isfinite(a)
    if allow_nan:
        bad &= ~np.isnan(a)
    if bad.any() or (nonneg and (np.nan_to_num(a) < 0).any()):
        kind = ">= 0 and finite" if nonneg else "finite"
        raise InputError(f"{name} must be {kind}", field=name)


def _site_mode(value: Any, name: str, n_s: int, modes: list[Any], default: float) -> np.ndarray:
    """Broadcast a scalar, per-site, per-mode (dict) or site x mode input to (n_s, n_m)."""
    n_m = len(modes)
    if value is None:
        return np.full((n_s, n_m), float(default))
    if isinstance(value, Mapping):
        missing = [m for m in modes if m not in value]
        if missing:
            raise InputError(f"no value for mode {missing[0]!r}", field=name)
        row = np.array([float(value[m]) for m in modes])
        return np.broadcast_to(row, (n_s, n_m)).copy()
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full((n_s, n_m), float(arr))
    if arr.shape == (n_s,):
        return np.repeat(arr[:, None], n_m, axis=1)
    if arr.shape == (n_s, n_m):
        return arr.copy()
    raise InputError(
        f"{name} has shape {arr.shape}; expected a number, ({n_s},) per site, "
        f"({n_s}, {n_m}) per site and mode, or a dict by mode",
        field=name,
    )


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise InputError(f"{name} must be a whole number >= 0, got {value!r}", field=name)
    return int(value)


def _amount(value: Any, name: str) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}", field=name) from None
    if not math.isfinite(out) or out < 0:
        raise InputError(f"{name} must be a finite number >= 0, got {value!r}", field=name)
    return out


def _fmt(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------
# private helpers: constraint builders (variables in, row indices out)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vars:
    """Column indices: y per option, x per (demand, option) pair, z per (new option, year)."""

    y: np.ndarray
    x: np.ndarray | None
    z: np.ndarray | None


@dataclass(frozen=True)
class _Expr:
    """A linear expression as coefficients over y, x (may be None) and z (may be None)."""

    y: np.ndarray
    x: np.ndarray | None = None
    z: np.ndarray | None = None


def _expr_row(mip: Mip, v: _Vars, e: _Expr, lower: float, upper: float) -> np.ndarray:
    """One row ``lower <= e(y, x, z) <= upper``."""
    cols, vals = [v.y], [e.y]
    if e.x is not None and v.x is not None:
        cols.append(v.x)
        vals.append(e.x)
    if e.z is not None and v.z is not None:
        cols.append(v.z.ravel())
        vals.append(e.z.ravel())
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


def _link_rows(mip: Mip, x: np.ndarray, y: np.ndarray, pair_j: np.ndarray) -> np.ndarray:
    """(3) x_dj <= y_j: only open options serve."""
    k = np.arange(x.size)
    rows = np.concatenate([k, k])
    cols = np.concatenate([x, y[pair_j]])
    vals = np.concatenate([np.ones(x.size), -np.ones(x.size)])
    return mip.add_rows(x.size, rows, cols, vals, lower=-np.inf, upper=0.0)


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


# ---------------------------------------------------------------------------
# classes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRule:
    """At least ``min`` and/or at most ``max`` open centers among ``members``.

    ``members`` lists site ids, ``(site_id, mode)`` pairs, or is a boolean
    array over sites ``(n_sites,)`` or over sites and modes ``(n_sites, n_modes)``.
    Use one rule per region, layout strategy, mode family, ...

    >>> GroupRule("rail corridor", ["Duisburg", "Warsaw"], min=1).describe()
    'at least 1 in rail corridor'
    """

    name: str
    members: Any
    min: int | None = None
    max: int | None = None
    label: str | None = None

    def describe(self) -> str:
        """The wording used in messages (``label`` when given)."""
        if self.label:
            return self.label
        if self.min is not None and self.max is not None:
            return f"{self.min} to {self.max} in {self.name}"
        if self.min is not None:
            return f"at least {self.min} in {self.name}"
        return f"at most {self.max} in {self.name}"


@dataclass(frozen=True)
class _Inputs:
    """Checked inputs, flattened to the available (site, mode) options j."""

    site_ids: list[Any]
    modes: list[Any]
    demand_ids: list[Any]
    opt_site: np.ndarray
    opt_mode: np.ndarray
    quality: np.ndarray
    quality_weight: float
    priority: np.ndarray
    size: np.ndarray
    pair_d: np.ndarray
    pair_j: np.ndarray
    pair_a: np.ndarray
    setup: np.ndarray
    annual: np.ndarray
    risk: np.ndarray | None
    capacity: np.ndarray | None
    split_demand: bool
    existing: dict[int, np.ndarray]
    max_centers: int | None
    min_centers: int | None
    budget: float | None
    country: np.ndarray | None
    max_per_country: int | None
    groups: list[tuple[str, np.ndarray, int | None, int | None]]
    max_total_risk: float | None
    max_mean_risk: float | None
    horizon: int | None
    years: list[Any]
    annual_budget: np.ndarray | None
    match_placeholder: bool
    notes: list[str]
    assumptions: list[str]


def _model_costs(dataset: Any, table: pd.DataFrame, modes: list[str]):
    """Set-up and annual cost per site and mode from the cost model, in US$ million."""
    from oicplan.finance.cost import site_mode_costs

    costs = site_mode_costs(dataset, table[["site_id", "iso3", "name"]], modes)
    costs = costs[["site_id", "mode", "setup_cost", "annual_cost", "currency", "price_year"]]
    costs = costs.assign(
        setup_cost=costs["setup_cost"] / 1e6, annual_cost=costs["annual_cost"] / 1e6
    )
    currency = costs["currency"].dropna().iloc[0] if costs["currency"].notna().any() else "USD"
    year = int(costs["price_year"].dropna().iloc[0]) if costs["price_year"].notna().any() else None
    note = (
        f"costs: oicplan cost model, {currency} million of {year} (salaries scaled from real "
        "productivity and price-level data; role costs, rents and set-up are stated "
        "assumptions, docs/cost.md); options whose cost is a gap are not offered"
    )
    return costs, note


def region_members(iso3: Sequence[str], region: str, dataset: Any = None):
    """Which sites (by their economy's ISO3 code) lie in ``region``, and a note on gaps.

    ``region`` is a continent as GeoNames gives it (``Africa``, ``Asia``,
    ``Europe``, ``North America``, ``Oceania``, ``South America``) or a World
    Bank region (``East Asia & Pacific``, ``Europe & Central Asia``, ``Latin
    America & Caribbean``, ``Middle East & North Africa``, ``South Asia``,
    ``Sub-Saharan Africa``); case is ignored. The snapshot has World Bank regions
    only for Belt and Road partners (the GFDC list), so for a World Bank region
    the note says how many of the sites have none; an unknown name raises
    :class:`InputError` listing the names that exist.

    >>> mask, note = region_members(["DEU", "KAZ", "EGY"], "europe")
    >>> mask.tolist(), note
    ([True, False, False], None)
    >>> region_members(["DEU", "KAZ"], "Europe & Central Asia")[0].tolist()
    [False, True]
    """
    from oicplan.data.dataset import load_dataset

    countries = (dataset or load_dataset()).countries.set_index("iso3")
    codes = pd.Series(list(iso3), dtype=object)
    wanted = region.strip().casefold()
    for column, kind in (("continent", "continent"), ("wb_region", "World Bank region")):
        names = countries[column].dropna()
        if wanted in set(names.str.casefold()):
            of_site = codes.map(countries[column])
            mask = (of_site.fillna("").str.casefold() == wanted).to_numpy(bool)
            missing = int(of_site.isna().sum())
            note = None
            if column == "wb_region" and missing:
                note = (
                    f"region rule {region!r} ({kind}): {missing} of {len(codes)} candidate "
                    "sites are in economies without a World Bank region in the snapshot "
                    "(it has them for Belt and Road partners only) and count as outside it"
                )
            return mask, note
    known = sorted(set(countries["continent"].dropna()) | set(countries["wb_region"].dropna()))
    raise InputError(
        f"unknown region {region!r}; use a continent or World Bank region: {', '.join(known)}",
        field="min_per_region",
    )


def _mode_fit(table: pd.DataFrame, modes: list[str]) -> np.ndarray:
    """Fit (0-1) of every mode at every site of a ranked table, sites x modes."""
    from oicplan.match.modes import mode_scores

    scores = mode_scores(table)
    fit = scores.pivot(index="site_id", columns="mode", values="fit")
    return fit.reindex(index=table["site_id"], columns=modes).fillna(0.0).to_numpy(float)


def _enterprise_demand(enterprises, match, dataset, site_ids, n_modes):
    """Demand classes of enterprises for :meth:`Layout.from_ranking` (see there)."""
    from oicplan.match.assign import enterprise_demands

    sites = dataset.sites.set_index("site_id")
    days = sites["access_days"].reindex(site_ids) if "access_days" in sites else None
    access = None if days is None or days.isna().any() else days
    demands = enterprise_demands(enterprises, match, site_ids, access)
    classes = demands.classes
    utility = demands.utility.reindex(columns=site_ids).to_numpy(float)
    match_array = np.broadcast_to(
        np.clip(utility, 0.0, None)[:, :, None], (*utility.shape, n_modes)
    )
    counts = classes["enterprises"].to_numpy(float)
    industries = classes["industry"].nunique()
    priority = counts / counts.sum() * industries
    synthetic = "; SYNTHETIC illustrative sample" if demands.synthetic else ""
    note = (
        f"demand: {int(counts.sum())} enterprises in {len(classes)} classes of equal utility"
        f" ({industries} industries){synthetic}"
        "; utility = match with technology needs and presence"
        + ("" if access is None else " minus 0.3 x best-mode access days / max")
        + "; priority = share of enterprises x number of industries"
    )
    return classes["demand"].tolist(), match_array, priority, counts, note


def _capacity_of(capacity, of_enterprises: bool, modes: list[str], assumptions: list[str]):
    """The capacity argument of :meth:`Layout.from_arrays` for ``from_ranking``.

    A mapping may leave modes out: they have no capacity limit.
    """
    if capacity is False or capacity is None:
        return None
    if capacity is True:
        return PLACEHOLDER_CAPACITY
    unit = "enterprises" if of_enterprises else "industries"
    if isinstance(capacity, Mapping):
        unknown = sorted(set(capacity) - set(modes))
        if unknown:
            raise InputError(
                f"capacity for unknown mode {unknown[0]!r}; modes: {', '.join(modes)}",
                field="capacity",
            )
        text = ", ".join(f"{mode} {value}" for mode, value in capacity.items())
        capacity = {mode: capacity.get(mode, math.inf) for mode in modes}
    else:
        text = f"{capacity} in every mode"
    assumptions.append(f"capacity ({unit} per center, given): {text}")
    return capacity


class Layout:
    r"""Open sites in center modes (and plan years) to serve home industries best.

    Each home industry or enterprise d (a *demand*) is served by at most one
    open center; its benefit is its priority times the match quality of that
    center, so it picks the best match among the open centers that can serve
    it (a maximal-coverage / p-median hybrid). Every open center also earns a
    weighted site-quality term from the ranking engine.

    Formulation::

        (1)  maximise  sum_{(d,j) in P} w_d a_dj x_dj  +  lam * sum_j q_j u_j
        (2)  s.t.  sum_{j: (d,j) in P} x_dj <= 1                  for every demand d
        (3)        x_dj <= y_j                                    for every (d,j) in P
        (4)        sum_{m: (s,m) in J} y_sm <= 1                  for every site s
        (5)        K_min <= sum_j y_j <= K
        (6)        sum_{j not in E} c_j <= B
        (7)        sum_{j in J_c} y_j <= N_c                      for every country c
        (8)        L_g <= sum_{j in G_g} y_j <= U_g               for every group rule g
        (9)        sum_j r_j y_j <= R   and/or   sum_j (r_j - Rbar) y_j <= 0
        (10)       sum_{m: (s,m) in J} y_sm >= 1                  for every existing site s
        (11)       sum_d n_d x_dj <= Q_j y_j                      for every j with a capacity
        (12)       y_j = sum_t z_jt                               for every new j (phased)
        (13)       sum_{j not in E} (f_j z_jt + g_j sum_{tau<t} z_j,tau) <= B_t   every t
        (14)       y, z binary; 0 <= x <= 1 (binary when capacitated and not split)

    Static model: ``u_j = y_j`` and ``c_j = (f_j + g_j) y_j`` (set-up plus one
    year of running). Phased model over T years: ``c_j = sum_t (f_j + g_j (T - t))
    z_jt`` (set-up in the opening year, running cost in every later year of the
    horizon) and ``u_j = sum_t z_jt (T - t + 1) / T`` for new options
    (``u_j = y_j`` for existing ones), so quality counts for the share of the
    horizon a center is open and earlier openings are worth more.

    =============  ==========================================================
    symbol         meaning
    =============  ==========================================================
    s, m           candidate site, center mode
    j = (s, m)     an available option; J all of them, E those of existing sites
    d              demand: a home industry, enterprise or enterprise class
    t = 1..T       plan year (phased model only)
    P              pairs (d, j) with a_dj > 0 (optionally only the top-L per d)
    w_d, n_d       priority and size (for capacity) of demand d
    a_dj           match quality of option j for demand d
    q_j, lam       site quality of option j and its weight
    f_j, g_j       set-up cost and annual running cost of option j
    r_j            risk of option j; R total cap, Rbar cap on the mean
    K, K_min       most / fewest centers (existing ones included)
    B, B_t         total budget, budget of year t (existing centers cost nothing)
    N_c            most centers in one country
    G_g, L_g, U_g  members and bounds of group rule g (region, strategy, ...)
    Q_j            capacity of option j in units of demand size
    y_j            1 if option j is open at the end of the horizon
    x_dj           share of demand d served by option j
    z_jt           1 if new option j opens in year t
    =============  ==========================================================

    Constraint groups (5)-(10) and (13) carry names such as ``'max 4 centers'``;
    when the model is infeasible they are what the error message names.

    Large models (at least ``_LARGE_BINARIES`` binaries y and z, benefit
    objective) are solved in two steps. First a MIP start: a greedy pass
    (benefit gained per unit of cost, group minimums first, count and budget
    limits widened by half) picks a few hundred candidate options; the model
    above with every other option closed (``y_j = z_jt = 0``) is relaxed, the
    binaries its LP puts at 0 or 1 are fixed there, and the small MIP left is
    solved to a quarter of the wanted gap (then the restricted MIP, if that
    finds nothing within half the gap of the LP bound).
    That solution is feasible for the full model and is handed to HiGHS as its
    incumbent. Then the full model is solved exactly as formulated (root LP by
    interior point), so the reported status and gap are HiGHS's own for
    (1)-(14): the start only lets the solve stop as soon as the bound is close,
    it never changes what is optimal.

    Examples
    --------
    Two industries, two sites, one mode; with one center, site 1 serves both
    at 0.2 + 0.8 plus 0.1 x its quality 0.6:

    >>> m = Layout.from_arrays([[0.9, 0.2], [0.1, 0.8]], quality=[0.5, 0.6],
    ...                        quality_weight=0.1, max_centers=1).solve()
    >>> m.chosen[["site_id", "mode"]].values.tolist(), round(m.objective, 6)
    ([[1, 0]], 1.06)
    """

    def __init__(self, inputs: _Inputs) -> None:
        self.inputs = inputs
        self.status: str | None = None
        self.objective: float | None = None
        self.gap: float | None = None
        self.solve_seconds: float | None = None
        self.chosen: pd.DataFrame = pd.DataFrame()
        self.assignment: dict[Any, dict[str, Any]] = {}
        self.benefit: dict[str, float] = {}
        self.cost: float | None = None
        self.total_risk: float | None = None
        self.conflict: Conflict | None = None

    # -- constructors -------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        match: Any = None,
        quality: Any = None,
        *,
        priority: Any = None,
        quality_weight: float = 1.0,
        site_ids: Sequence[Any] | None = None,
        modes: Sequence[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
        available: Any = None,
        top_l: int | None = None,
        max_centers: int | None = None,
        min_centers: int | None = None,
        setup_cost: Any = None,
        annual_cost: Any = None,
        budget: float | None = None,
        country: Sequence[Any] | None = None,
        max_per_country: int | None = None,
        groups: Iterable[GroupRule] | None = None,
        risk: Any = None,
        max_total_risk: float | None = None,
        max_mean_risk: float | None = None,
        existing: Any = None,
        capacity: Any = None,
        demand_size: Any = None,
        split_demand: bool = False,
        horizon: int | None = None,
        annual_budget: Any = None,
        years: Sequence[Any] | None = None,
        notes: Iterable[str] = (),
        assumptions: Iterable[str] = (),
    ) -> Layout:
        """Build the model from arrays; every argument except the data is optional.

        Parameters
        ----------
        match : array-like, optional
            Match quality ``a``: ``(n_demands, n_sites)`` (same for every mode)
            or ``(n_demands, n_sites, n_modes)``. Entries ``<= 0`` or NaN mean
            "cannot serve". Omit for a model with the quality term only.
        quality : array-like, optional
            Site quality ``q`` per site ``(n_sites,)`` or site and mode; default 0.
        priority : array-like, optional
            Priority ``w`` per demand (default 1).
        quality_weight : float
            Weight ``lam`` of the quality term.
        site_ids, modes, demand_ids : sequence, optional
            Ids (default ``0, 1, ...``; one mode unless the shapes say more).
        available : array-like of bool, optional
            ``(n_sites, n_modes)``: which modes a site can take (default all).
        top_l : int, optional
            Keep only the ``top_l`` best-matching options per demand (scales).
        max_centers, min_centers : int, optional
            Bounds (5) on the number of open centers, existing ones included.
        setup_cost, annual_cost : number, array or dict by mode, optional
            ``f`` and ``g`` (default 0).
        budget : float, optional
            Total budget ``B`` (6).
        country : sequence, optional
            Country code per site, with ``max_per_country`` for (7).
        groups : iterable of GroupRule, optional
            Eligibility sets with bounds (8), e.g. one per layout strategy.
        risk : array-like, optional
            Risk per site or per site and mode, with ``max_total_risk`` and/or
            ``max_mean_risk`` for (9).
        existing : sequence of site ids or dict site id -> mode, optional
            Centers that stay open (10); a dict also fixes their mode.
        capacity : number, array or dict by mode, optional
            ``Q`` (11) in units of ``demand_size`` (default 1 per demand).
        split_demand : bool
            Let a demand be shared between centers (for aggregated demand
            classes); otherwise capacitated assignment is single-sourced.
        horizon : int, optional
            Number of plan years T: makes the model phased (12)-(13).
        annual_budget : number or sequence of T numbers, optional
            ``B_t`` (13); needs ``horizon``.
        years : sequence, optional
            Labels of the plan years (default ``1..T``).
        notes, assumptions : iterable of str
            Carried into :meth:`to_dict` (assumptions label placeholder inputs).

        Examples
        --------
        One industry; site 0 matches best but costs more than the budget:

        >>> m = Layout.from_arrays([[1.0, 0.5, 0.2]], max_centers=1,
        ...     setup_cost=[3.0, 1.0, 1.0], budget=2).solve()
        >>> m.chosen["site_id"].tolist(), m.objective
        ([1], 0.5)
        """
        a = None if match is None else np.asarray(match, dtype=float)
        if a is not None and a.ndim not in (2, 3):
            raise InputError(f"match must be 2-D or 3-D, got shape {a.shape}", field="match")
        q_arr = None if quality is None else np.asarray(quality, dtype=float)
        av_arr = None if available is None else np.asarray(available, dtype=bool)
        # Number of sites and modes from whichever input says.
        if a is not None:
            n_s = a.shape[1]
        elif q_arr is not None and q_arr.ndim >= 1:
            n_s = q_arr.shape[0]
        elif site_ids is not None:
            n_s = len(site_ids)
        else:
            raise InputError("give match, quality or site_ids", field="match")
        if a is not None and a.ndim == 3:
            n_m = a.shape[2]
        elif modes is not None:
            n_m = len(modes)
        elif q_arr is not None and q_arr.ndim == 2:
            n_m = q_arr.shape[1]
        elif av_arr is not None and av_arr.ndim == 2:
            n_m = av_arr.shape[1]
        else:
            n_m = 1
        sites = _ids(site_ids, n_s, "site")
        mode_ids = _ids(modes, n_m, "mode")
        n_d = 0 if a is None else a.shape[0]
        demands = _ids(demand_ids, n_d, "demand")

        q = _site_mode(quality, "quality", n_s, mode_ids, 0.0)
        _finite(q, "quality", nonneg=False)
        avail = np.ones((n_s, n_m), bool) if av_arr is None else av_arr
        if avail.shape == (n_s,):
            avail = np.repeat(avail[:, None], n_m, axis=1)
        if avail.shape != (n_s, n_m):
            raise InputError(f"available must have shape ({n_s}, {n_m})", field="available")
        avail = avail.copy()

        # Existing centers: a dict fixes the mode.
        existing_modes: dict[int, Any] = {}
        if existing is not None:
            lookup = {s: k for k, s in enumerate(sites)}
            items = existing.items() if isinstance(existing, Mapping) else (
                (s, None) for s in ([existing] if isinstance(existing, str) else existing))
            for s, mode in items:
                s = _native(s)
                if s not in lookup:
                    raise InputError(f"existing center {s!r} is not a candidate site",
                                     field="existing")
                if mode is not None and mode not in mode_ids:
                    raise InputError(f"existing center {s!r} has unknown mode {mode!r}",
                                     field="existing")
                existing_modes[lookup[s]] = mode
        for k, mode in existing_modes.items():
            if mode is not None:
                keep = np.array([m == mode for m in mode_ids])
                avail[k] = keep  # an existing center keeps its mode

        opt_site, opt_mode = np.nonzero(avail)
        n_j = opt_site.size
        opt_index = np.full((n_s, n_m), -1)
        opt_index[opt_site, opt_mode] = np.arange(n_j)

        w = np.ones(n_d) if priority is None else np.asarray(priority, float).ravel()
        if w.size != n_d:
            raise InputError(f"{w.size} priorities given for {n_d} demands", field="priority")
        _finite(w, "priority")
        size = np.ones(n_d) if demand_size is None else np.asarray(demand_size, float).ravel()
        if size.size != n_d:
            raise InputError(f"{size.size} sizes given for {n_d} demands", field="demand_size")
        _finite(size, "demand_size")

        # Sparse (demand, option) pairs with a positive match.
        if a is None:
            pair_d = pair_j = np.zeros(0, np.int64)
            pair_a = np.zeros(0)
        else:
            _finite(a, "match", nonneg=False, allow_nan=True)
            a_opt = a[:, opt_site] if a.ndim == 2 else a[:, opt_site, opt_mode]
            a_opt = np.where(np.isnan(a_opt), 0.0, a_opt)
            if top_l is not None:
                top_l = _count(top_l, "top_l")
                if top_l < a_opt.shape[1]:
                    cut = np.partition(a_opt, -top_l, axis=1)[:, -top_l][:, None]
                    rank = np.argsort(np.argsort(-a_opt, axis=1, kind="stable"), axis=1)
                    a_opt = np.where((a_opt >= cut) & (rank < top_l), a_opt, 0.0)
            pair_d, pair_j = np.nonzero(a_opt > 0)
            pair_a = a_opt[pair_d, pair_j]

        setup = _site_mode(setup_cost, "setup_cost", n_s, mode_ids, 0.0)
        annual = _site_mode(annual_cost, "annual_cost", n_s, mode_ids, 0.0)
        _finite(setup, "setup_cost")
        _finite(annual, "annual_cost")
        r = None
        if risk is not None:
            r = _site_mode(risk, "risk", n_s, mode_ids, 0.0)
            _finite(r, "risk", nonneg=False)
            r = r[opt_site, opt_mode]
        elif max_total_risk is not None or max_mean_risk is not None:
            raise InputError("a risk cap needs risk per site", field="risk")
        cap = None
        if capacity is not None:
            cap = _site_mode(capacity, "capacity", n_s, mode_ids, np.inf)
            if np.isnan(cap).any() or (cap < 0).any():
                raise InputError("capacity must be >= 0", field="capacity")
            cap = cap[opt_site, opt_mode]

        cty = None
        if country is not None:
            cty = np.asarray([str(c) for c in country])
            if cty.size != n_s:
                raise InputError(f"{cty.size} countries given for {n_s} sites", field="country")
        max_pc = _count(max_per_country, "max_per_country")
        if max_pc is not None and cty is None:
            raise InputError("max_per_country needs country per site", field="country")

        rules = []
        for rule in groups or ():
            if not isinstance(rule, GroupRule):
                raise InputError(f"groups must hold GroupRule objects, got {rule!r}",
                                 field="groups")
            mask = cls._rule_mask(rule, sites, mode_ids)[opt_site, opt_mode]
            lo, hi = _count(rule.min, "min"), _count(rule.max, "max")
            if lo is None and hi is None:
                raise InputError(f"group {rule.name!r} has neither min nor max", field="groups")
            rules.append((rule.describe(), mask, lo, hi))

        T = _count(horizon, "horizon")
        if T == 0:
            raise InputError("horizon must be at least 1 year", field="horizon")
        yb = None
        if annual_budget is not None:
            if T is None:
                raise InputError("annual_budget needs horizon", field="annual_budget")
            yb = np.broadcast_to(np.asarray(annual_budget, float), (T,)).copy() if np.ndim(
                annual_budget) == 0 else np.asarray(annual_budget, float).ravel()
            if yb.size != T:
                raise InputError(f"{yb.size} annual budgets given for {T} years",
                                 field="annual_budget")
            _finite(yb, "annual_budget")
        year_labels = list(range(1, (T or 0) + 1)) if years is None else [
            _native(y) for y in years]
        if T is not None and len(year_labels) != T:
            raise InputError(f"{len(year_labels)} year labels for {T} years", field="years")

        inputs = _Inputs(
            site_ids=sites, modes=mode_ids, demand_ids=demands,
            opt_site=opt_site, opt_mode=opt_mode,
            quality=q[opt_site, opt_mode], quality_weight=float(quality_weight),
            priority=w, size=size, pair_d=pair_d.astype(np.int64),
            pair_j=pair_j.astype(np.int64), pair_a=pair_a,
            setup=setup[opt_site, opt_mode], annual=annual[opt_site, opt_mode],
            risk=r, capacity=cap, split_demand=bool(split_demand),
            existing={k: opt_index[k][opt_index[k] >= 0] for k in sorted(existing_modes)},
            max_centers=_count(max_centers, "max_centers"),
            min_centers=_count(min_centers, "min_centers"),
            budget=_amount(budget, "budget"),
            country=cty, max_per_country=max_pc, groups=rules,
            max_total_risk=_amount(max_total_risk, "max_total_risk"),
            max_mean_risk=None if max_mean_risk is None else float(max_mean_risk),
            horizon=T, years=year_labels, annual_budget=yb,
            match_placeholder=False, notes=list(notes), assumptions=list(assumptions),
        )
        return cls(inputs)

    @staticmethod
    def _rule_mask(rule: GroupRule, sites: list[Any], modes: list[Any]) -> np.ndarray:
        n_s, n_m = len(sites), len(modes)
        members = rule.members
        if isinstance(members, np.ndarray | pd.Series) and members.dtype == bool:
            arr = np.asarray(members)
            if arr.shape == (n_s,):
                return np.repeat(arr[:, None], n_m, axis=1)
            if arr.shape == (n_s, n_m):
                return arr
            raise InputError(f"group {rule.name!r}: mask has shape {arr.shape}",
                             field="groups")
        mask = np.zeros((n_s, n_m), bool)
        s_of = {s: k for k, s in enumerate(sites)}
        m_of = {m: k for k, m in enumerate(modes)}
        for item in [members] if isinstance(members, str) else members:
            if isinstance(item, tuple):
                s, m = (_native(v) for v in item)
                if s not in s_of or m not in m_of:
                    raise InputError(f"group {rule.name!r}: unknown option {item!r}",
                                     field="groups")
                mask[s_of[s], m_of[m]] = True
            else:
                s = _native(item)
                if s not in s_of:
                    raise InputError(f"group {rule.name!r}: unknown site {s!r}",
                                     field="groups")
                mask[s_of[s]] = True
        return mask

    @classmethod
    def from_ranking(
        cls,
        ranked: Any,
        *,
        dataset: Any = None,
        max_centers: int | None = None,
        budget: float | None = None,
        horizon: int | None = None,
        annual_budget: Any = None,
        costs: pd.DataFrame | None = None,
        min_per_strategy: int | Mapping[str, int] | None = 1,
        min_per_region: Mapping[str, int] | None = None,
        per_country_cap: int | None = None,
        include_existing: bool = True,
        quality_weight: float = 1.0,
        max_mean_risk: float | None = None,
        max_total_risk: float | None = None,
        capacity: bool | int | Mapping[str, int] = False,
        first_year: int | None = None,
        model_costs: bool = True,
        enterprises: pd.DataFrame | None = None,
    ) -> Layout:
        """Build the model for a scenario from its ranked candidate sites.

        The site quality is the ranking score in the mode the rules give, times
        :data:`OTHER_MODE_FACTOR` in the other admissible modes, times
        ``1 - MODE_FIT_WEIGHT + MODE_FIT_WEIGHT x fit`` with the mode's fit at the
        site from :func:`oicplan.match.modes.mode_scores`. The demands are
        Zhejiang's priority industries with their match to each site from
        ``ranked.match`` (:mod:`oicplan.match`; without it, a placeholder
        match = quality for :data:`PLACEHOLDER_INDUSTRIES`, said in
        ``assumptions``). Costs come from ``costs`` (columns site_id, mode,
        setup_cost, annual_cost; see :func:`read_layout_costs`), else from the
        cost model :func:`oicplan.finance.cost.site_mode_costs` in US$ million
        (``model_costs``; a site and mode whose cost is a gap is not offered),
        else from :data:`PLACEHOLDER_COSTS`.

        A site may take every mode whose rule in :func:`oicplan.domain.assign_mode`
        applies to it, plus ``offshore_incubator`` everywhere. Risk is the risk
        pillar score (higher is riskier). Strategy groups come from
        :func:`oicplan.domain.eligible_strategies`: at least ``min_per_strategy``
        open centers eligible for each of the scenario's strategies (for
        ``zone_upgrade`` only centers in that mode count). Existing
        centers stay open in their rule mode at no cost; they count toward the
        per-country cap, and ``max_centers`` (default: the scenario's
        ``centers``) counts new centers only.

        Parameters
        ----------
        ranked : oicplan.ranking.RankedSites
            The ranking of the scenario's candidates.
        dataset : oicplan.data.dataset.Dataset, optional
            For strategy eligibility (default: the embedded dataset).
        max_centers, budget, horizon, annual_budget
            As in :meth:`from_arrays` (``max_centers`` counts new centers).
        costs : pandas.DataFrame, optional
            Costs per (site, mode) overriding the placeholders.
        min_per_strategy : int or dict, optional
            At least this many per strategy (a dict per strategy; ``None`` none).
        min_per_region : dict, optional
            At least this many open centers in a region, keyed by continent
            (GeoNames: ``Africa``, ``Asia``, ``Europe``, ``North America``,
            ``Oceania``, ``South America``) or World Bank region (``Europe &
            Central Asia``, ...); see :func:`region_members`.
        per_country_cap : int, optional
            Default: the scenario's ``per_country_cap``.
        include_existing : bool
            Keep existing centers open (otherwise they are not candidates).
        quality_weight : float
            Weight of the ranking score term.
        max_mean_risk : float, optional
            Cap on the mean risk pillar score of the open centers.
        max_total_risk : float, optional
            Cap on the summed risk pillar score of the open centers.
        enterprises : pandas.DataFrame, optional
            Serve enterprises instead of industries (as
            :func:`oicplan.match.enterprises.load_enterprises` gives them):
            enterprises with equal utility are merged into demand classes
            (:func:`oicplan.match.enterprise_demands`), a class's match at a site
            is its utility there (match, technology needs, presence, minus the
            access penalty from the snapshot's best-mode days; at most 0 means it
            cannot be served) and its priority is its share of the enterprises
            times the number of industries they cover, so the demand term keeps
            the weight it has against site quality with industries as demands.
        capacity : bool, int or dict by mode
            ``True``: the placeholder :data:`PLACEHOLDER_CAPACITY` (industries per
            center). A number (or one per mode): how many demands a center can
            serve, in enterprises when ``enterprises`` are given (a class may
            then be split among centers), else in industries.
        first_year : int, optional
            Calendar year of plan year 1 (labels only).
        """
        from oicplan.data.dataset import load_dataset
        from oicplan.domain import CENTER_MODES, admissible_modes, assign_mode, eligible_strategies

        scenario = ranked.scenario
        dataset = dataset or load_dataset()
        table = ranked.table.reset_index(drop=True)
        is_existing = table["types"].fillna("").str.contains("existing_center").to_numpy()
        if not include_existing:
            table = table[~is_existing].reset_index(drop=True)
            is_existing = np.zeros(len(table), bool)
        modes = list(CENTER_MODES)
        n_s = len(table)
        avail = np.zeros((n_s, len(modes)), bool)
        rule_mode = []
        for i, (_, row) in enumerate(table.iterrows()):
            ok = admissible_modes(row)
            avail[i] = [m in ok for m in modes]
            rule_mode.append(assign_mode(row)[0])
        site_ids = table["site_id"].tolist()
        score = table["score"].to_numpy(float)
        is_rule = np.array([[m == rm for m in modes] for rm in rule_mode], bool)
        fit = _mode_fit(table, modes)
        quality = (
            score[:, None]
            * np.where(is_rule, 1.0, OTHER_MODE_FACTOR)
            * (1.0 - MODE_FIT_WEIGHT + MODE_FIT_WEIGHT * fit)
        )

        assumptions = [
            f"site quality = ranking score ({ranked.method}) in the mode the rules give, "
            f"x {OTHER_MODE_FACTOR:g} in the other admissible modes, x (1 - {MODE_FIT_WEIGHT:g}"
            f" + {MODE_FIT_WEIGHT:g} x the mode's fit from oicplan.match.modes)",
        ]
        priority = sizes = None
        match = getattr(ranked, "match", None)
        if match is not None:
            # Real industry-technology match (oicplan.match): industries x sites, the same
            # in every mode; a gap (no data for the host) counts as no match.
            demand_ids = list(match.matrix.index)
            match_array = (
                match.matrix.reindex(columns=site_ids).fillna(0.0).to_numpy(float)[:, :, None]
            )
            match_array = np.broadcast_to(match_array, (len(demand_ids), n_s, len(modes)))
            assumptions.append(
                f"match: oicplan.match, preset {match.preset!r}; host strengths are proxies "
                "from aggregate indicators unless field data are given; gaps count as 0"
            )
            placeholder_match = False
            if enterprises is not None:
                demand_ids, match_array, priority, sizes, note = _enterprise_demand(
                    enterprises, match, dataset, site_ids, len(modes)
                )
                assumptions.append(note)
        else:
            demand_ids = list(PLACEHOLDER_INDUSTRIES)
            match_array = np.broadcast_to(quality, (len(demand_ids), n_s, len(modes)))
            assumptions.append(
                "PLACEHOLDER match: every home industry has match = site quality at every "
                "site; industries: " + ", ".join(PLACEHOLDER_INDUSTRIES)
            )
            placeholder_match = True
        setup = np.array([[PLACEHOLDER_COSTS[m][0] for m in modes]] * n_s)
        annual = np.array([[PLACEHOLDER_COSTS[m][1] for m in modes]] * n_s)
        given = np.zeros((n_s, len(modes)), bool)
        if model_costs:
            model, note = _model_costs(dataset, table, modes)
            assumptions.append(note)
            user = (
                set()
                if costs is None
                else set(zip(costs["site_id"], costs["mode"], strict=True))
            )
            gaps = model[model["setup_cost"].isna() | model["annual_cost"].isna()]
            blocked = {(row.site_id, row.mode) for row in gaps.itertuples(index=False)} - user
            for k, site in enumerate(site_ids):
                for m, mode in enumerate(modes):
                    if (site, mode) in blocked and not is_existing[k]:
                        avail[k, m] = False
            model = model.dropna(subset=["setup_cost", "annual_cost"])
            # The user's costs override the model's for the rows they give.
            columns = ["site_id", "mode", "setup_cost", "annual_cost"]
            costs = model[columns] if costs is None else pd.concat(
                [model[columns], costs[columns]]
            ).drop_duplicates(["site_id", "mode"], keep="last")
        if costs is not None:
            s_of = {s: k for k, s in enumerate(site_ids)}
            m_of = {m: k for k, m in enumerate(modes)}
            for row in costs.itertuples(index=False):
                if row.site_id in s_of and row.mode in m_of:
                    k, m = s_of[row.site_id], m_of[row.mode]
                    setup[k, m], annual[k, m] = row.setup_cost, row.annual_cost
                    given[k, m] = True
        if not (given | ~avail | is_existing[:, None]).all():
            assumptions.append(
                "PLACEHOLDER costs (million, set-up / annual) for options without a "
                "given cost: " + "; ".join(f"{m} {s:g}/{a:g}"
                                            for m, (s, a) in PLACEHOLDER_COSTS.items()))
        if capacity is True:
            assumptions.append("PLACEHOLDER capacity (industries per center): " + ", ".join(
                f"{m} {c}" for m, c in PLACEHOLDER_CAPACITY.items()))

        eligible = eligible_strategies(table, dataset)
        groups = []
        if min_per_strategy is not None:
            from oicplan.domain import STRATEGIES

            for strategy in scenario.strategies:
                need = (min_per_strategy.get(strategy) if isinstance(min_per_strategy, Mapping)
                        else min_per_strategy)
                if not need:
                    continue
                mask = eligible.map(lambda found, s=strategy: s in found).to_numpy(bool)
                if strategy == "zone_upgrade":  # the strategy is the mode itself
                    mask = mask[:, None] & np.array([m == "zone_upgrade" for m in modes])
                groups.append(GroupRule(strategy, mask, min=int(need),
                                        label=f"at least {need} in {STRATEGIES[strategy][0]}"))
        for region, need in (min_per_region or {}).items():
            if not need:
                continue
            mask, note = region_members(table["iso3"], region, dataset)
            if note:
                assumptions.append(note)
            groups.append(GroupRule(region, mask, min=int(need),
                                    label=f"at least {need} in {region}"))

        if enterprises is not None and placeholder_match:
            raise InputError(
                "serving enterprises needs the ranking's industry match (rank with the "
                "match step)", field="enterprises"
            )
        n_existing = int(is_existing.sum())
        k_new = scenario.centers if max_centers is None else max_centers
        existing = {site_ids[i]: rule_mode[i] for i in np.flatnonzero(is_existing)}
        years = None
        if horizon is not None and first_year is not None:
            years = list(range(first_year, first_year + horizon))
        return cls.from_arrays(
            match_array,
            quality,
            priority=priority,
            quality_weight=quality_weight,
            site_ids=site_ids,
            modes=modes,
            demand_ids=demand_ids,
            available=avail,
            max_centers=k_new + n_existing,
            setup_cost=setup,
            annual_cost=annual,
            budget=budget,
            country=table["iso3"].tolist(),
            max_per_country=scenario.per_country_cap if per_country_cap is None
            else per_country_cap,
            groups=groups,
            risk=table["pillar_risk"].to_numpy(float) if "pillar_risk" in table else None,
            max_mean_risk=max_mean_risk,
            max_total_risk=max_total_risk,
            existing=existing if include_existing else None,
            capacity=_capacity_of(capacity, enterprises is not None, modes, assumptions),
            demand_size=sizes,
            split_demand=enterprises is not None,
            horizon=horizon,
            annual_budget=annual_budget,
            years=years,
            notes=list(ranked.notes),
            assumptions=assumptions,
        )._with(match_placeholder=placeholder_match)

    def _with(self, **changes: Any) -> Layout:
        return type(self)(replace(self.inputs, **changes))

    def with_quality(self, quality: Any) -> Layout:
        """A copy of the (unsolved) model with other site qualities.

        ``quality`` is per site ``(n_sites,)`` or per site and mode. When the
        match is the placeholder "match = site score" it follows the new
        quality too.

        >>> m = Layout.from_arrays(quality=[1.0, 2.0], max_centers=1)
        >>> m.with_quality([3.0, 2.0]).solve().chosen["site_id"].tolist()
        [0]
        """
        d = self.inputs
        q = _site_mode(quality, "quality", len(d.site_ids), d.modes, 0.0)
        _finite(q, "quality", nonneg=False)
        q = q[d.opt_site, d.opt_mode]
        changes: dict[str, Any] = {"quality": q}
        if d.match_placeholder:
            changes["pair_a"] = q[d.pair_j]
        return self._with(**changes)

    # -- model assembly -----------------------------------------------------

    @property
    def phased(self) -> bool:
        """True when the model has a horizon of plan years."""
        return self.inputs.horizon is not None

    def _new_options(self) -> np.ndarray:
        d = self.inputs
        is_old = np.zeros(d.opt_site.size, bool)
        for opts in d.existing.values():
            is_old[opts] = True
        return np.flatnonzero(~is_old)

    def _expr(self, kind: str) -> _Expr:
        """Coefficients of benefit, cost or risk over (y, x, z)."""
        d = self.inputs
        n_j, new = d.opt_site.size, self._new_options()
        T = d.horizon
        y = np.zeros(n_j)
        z = None if T is None else np.zeros((new.size, T))
        if kind == "benefit":
            lam_q = d.quality_weight * d.quality
            if T is None:
                y = lam_q.copy()
            else:
                y[:] = lam_q
                y[new] = 0.0
                z = lam_q[new][:, None] * (T - np.arange(T))[None, :] / T
            return _Expr(y, d.priority[d.pair_d] * d.pair_a, z)
        if kind == "cost":
            if T is None:
                y[new] = d.setup[new] + d.annual[new]
            else:
                z = d.setup[new][:, None] + d.annual[new][:, None] * (T - 1 - np.arange(T))
            return _Expr(y, None, z)
        if kind == "risk":
            if d.risk is None:
                raise InputError("the model has no risk per site", field="risk")
            return _Expr(d.risk.copy(), None, z)
        raise ValueError(kind)

    def _groups(self) -> list[_Group]:
        """The named, switchable constraint groups (5)-(10) and (13)."""
        d = self.inputs
        out: list[_Group] = []
        ones = np.ones(d.opt_site.size)
        if d.max_centers is not None:
            k = d.max_centers
            out.append(_Group("max_centers", f"max {k} centers",
                              lambda mip, v, k=k: _expr_row(mip, v, _Expr(ones), -np.inf, k)))
        if d.min_centers is not None:
            k = d.min_centers
            out.append(_Group("min_centers", f"at least {k} centers",
                              lambda mip, v, k=k: _expr_row(mip, v, _Expr(ones), k, np.inf)))
        if d.budget is not None:
            cost = self._expr("cost")
            out.append(_Group("budget", f"budget {_fmt(d.budget)}",
                              lambda mip, v: _expr_row(mip, v, cost, -np.inf, d.budget)))
        if d.annual_budget is not None:
            new = self._new_options()
            for t, b in enumerate(d.annual_budget.tolist()):
                out.append(_Group(
                    f"year_budget:{t}", f"budget {_fmt(b)} in year {d.years[t]}",
                    lambda mip, v, t=t, b=b: _year_budget_row(
                        mip, v.z, d.setup[new], d.annual[new], t, b)))
        if d.max_per_country is not None:
            n = d.max_per_country
            labels = d.country[d.opt_site]
            held = Counter(d.country[s] for s in d.existing)
            over = {c: k for c, k in held.items() if k > n}
            label = f"at most {n} per country" + (
                " (" + ", ".join(f"{c}: its {k} existing" for c, k in sorted(over.items())) + ")"
                if over else "")
            out.append(_Group("per_country", label,
                              lambda mip, v: _per_label_rows(mip, v.y, labels, n, over)))
        for g, (label, mask, lo, hi) in enumerate(d.groups):
            e = _Expr(mask.astype(float))
            out.append(_Group(
                f"group:{g}", label,
                lambda mip, v, e=e, lo=lo, hi=hi: _expr_row(
                    mip, v, e, -np.inf if lo is None else lo, np.inf if hi is None else hi)))
        if d.max_total_risk is not None:
            e = self._expr("risk")
            out.append(_Group("total_risk", f"total risk <= {_fmt(d.max_total_risk)}",
                              lambda mip, v: _expr_row(mip, v, e, -np.inf, d.max_total_risk)))
        if d.max_mean_risk is not None:
            e = _Expr(d.risk - d.max_mean_risk)
            out.append(_Group("mean_risk", f"mean risk <= {_fmt(d.max_mean_risk)}",
                              lambda mip, v: _expr_row(mip, v, e, -np.inf, 0.0)))
        for s, opts in d.existing.items():
            mask = np.zeros(d.opt_site.size)
            mask[opts] = 1.0
            out.append(_Group(f"existing:{s}", f"existing center {d.site_ids[s]} stays open",
                              lambda mip, v, e=_Expr(mask): _expr_row(mip, v, e, 1.0, np.inf)))
        return out

    def constraint_groups(self) -> list[tuple[str, str]]:
        """``(key, label)`` of every switchable constraint group, in model order.

        >>> Layout.from_arrays(quality=[1, 2], max_centers=1).constraint_groups()
        [('max_centers', 'max 1 centers')]
        """
        return [(g.key, g.label) for g in self._groups()]

    def _assemble(
        self,
        *,
        objective: str = "benefit",
        active: Iterable[str] | None = None,
        assignment: bool = True,
        bounds: Sequence[tuple[str, float, float]] = (),
        fixed: tuple[np.ndarray, np.ndarray | None] | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[Mip, _Vars]:
        """Build the MIP; ``objective`` is benefit (max), cost or risk (min) or none.

        ``fixed`` gives values for y and z (0/1) that the model must keep;
        ``allowed`` (a mask over options) closes every option outside it, which
        keeps the columns of the full model (a solution is one of the full model).
        """
        d = self.inputs
        n_j, new = d.opt_site.size, self._new_options()
        T = d.horizon
        if objective == "none":
            obj = _Expr(np.zeros(n_j), np.zeros(d.pair_d.size),
                        None if T is None else np.zeros((new.size, T)))
        else:
            obj = self._expr(objective)
        mip = Mip(maximize=objective == "benefit")
        y_lo, y_hi = (0.0, 1.0) if fixed is None else (fixed[0], fixed[0])
        if allowed is not None:
            y_hi = np.where(allowed, y_hi, 0.0)
        y = mip.add_vars(n_j, cost=obj.y, lower=y_lo, upper=y_hi, integer=True)
        x = None
        if assignment and d.pair_d.size:
            x_int = d.capacity is not None and not d.split_demand
            x_cost = obj.x if obj.x is not None else 0.0
            x = mip.add_vars(d.pair_d.size, cost=x_cost, integer=x_int)
        z = None
        if T is not None:
            z_cost = obj.z if obj.z is not None else np.zeros((new.size, T))
            z_lo, z_hi = (0.0, 1.0) if fixed is None else (fixed[1].ravel(), fixed[1].ravel())
            if allowed is not None:
                z_hi = np.where(np.repeat(allowed[new], T), z_hi, 0.0)
            z = mip.add_vars(new.size * T, cost=z_cost.ravel(), lower=z_lo, upper=z_hi,
                             integer=True).reshape(-1, T)
        v = _Vars(y, x, z)

        _one_mode_rows(mip, y, d.opt_site)
        if x is not None:
            _assign_rows(mip, x, d.pair_d, len(d.demand_ids))
            _link_rows(mip, x, y, d.pair_j)
            if d.capacity is not None:
                _capacity_rows(mip, x, y, d.pair_j, d.size[d.pair_d], d.capacity)
        if z is not None:
            _phase_rows(mip, y[new], z)
        wanted = None if active is None else set(active)
        for g in self._groups():
            if wanted is None or g.key in wanted:
                g.add(mip, v)
        for kind, lo, hi in bounds:
            _expr_row(mip, v, self._expr(kind), lo, hi)
        return mip, v

    def _start(self, mip: Mip, v: _Vars) -> np.ndarray:
        """Existing centers open, nothing else: a warm start when it is feasible."""
        start = np.zeros(mip.num_col)
        for opts in self.inputs.existing.values():
            start[v.y[opts[0]]] = 1.0
        return start

    def _run(
        self,
        *,
        objective: str = "benefit",
        bounds: Sequence[tuple[str, float, float]] = (),
        time_limit: float | None = None,
        mip_gap: float | None = None,
    ) -> tuple[MipOutcome, _Vars]:
        mip, v = self._assemble(objective=objective, bounds=bounds)
        start, options, spent = self._start(mip, v), None, 0.0
        if objective == "benefit" and self._binaries() >= _LARGE_BINARIES:
            options = _LARGE_OPTIONS
            t0 = time.perf_counter()
            found = self._heuristic_start(bounds, time_limit, mip_gap)
            spent = time.perf_counter() - t0
            if found is not None:
                start = found
            if time_limit is not None:
                time_limit = max(time_limit - spent, 1e-3)
        out = solve_mip(mip, model=_MODEL, time_limit=time_limit, mip_gap=mip_gap,
                        start=start, bound=self._bound(objective), options=options)
        return replace(out, seconds=out.seconds + spent), v

    def _binaries(self) -> int:
        """Number of binary columns (y, and z when phased)."""
        n_j = self.inputs.opt_site.size
        horizon = self.inputs.horizon
        return n_j + (0 if horizon is None else self._new_options().size * horizon)

    def _candidates(self) -> np.ndarray | None:
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
        d = self.inputs
        n_j, n_s = d.opt_site.size, len(d.site_ids)
        T = d.horizon
        is_new = np.zeros(n_j, bool)
        is_new[self._new_options()] = True
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

        def take(j: int) -> None:
            chosen[j] = True
            site_used[d.opt_site[j]] = True
            if per_label is not None:
                per_label[labels[d.opt_site[j]]] += 1
            state["spent"] += cost[j]
            state["risk"] += risk[j]
            on = d.pair_j == j
            np.maximum.at(best, d.pair_d[on], d.pair_a[on])

        def ratio_now() -> np.ndarray:
            """Gain per cost of every option; -inf where it may not be taken."""
            gain = np.bincount(d.pair_j, weights=weight * np.maximum(d.pair_a - best[d.pair_d], 0),
                               minlength=n_j) + gain_q
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

    def _heuristic_start(
        self,
        bounds: Sequence[tuple[str, float, float]],
        time_limit: float | None,
        mip_gap: float | None,
    ) -> np.ndarray | None:
        """A good feasible solution of the full model, or ``None``.

        The full model restricted to :meth:`_candidates` (other options closed)
        is relaxed and its LP solved; the binaries the LP puts at 0 or 1 (within
        ``_FIX_TOLERANCE``) are fixed there and the small MIP left over is solved
        to a quarter of the wanted gap (relaxation-enforced neighbourhood
        search). If that MIP has no solution, or one more than half the wanted
        gap below the LP bound, the restricted MIP itself is solved, from that
        solution. Everything runs within ``_HEURISTIC_SECONDS``. The
        solution is feasible for the full model and becomes HiGHS's incumbent
        there, so the full solve can stop as soon as its bound is close.
        """
        allowed = self._candidates()
        if allowed is None:
            return None
        t0 = time.perf_counter()
        seconds = _HEURISTIC_SECONDS if time_limit is None else min(
            _HEURISTIC_SECONDS, time_limit / 4)
        gap = max((0.0 if mip_gap is None else mip_gap) / 4, 1e-4)
        mip, v = self._assemble(bounds=bounds, allowed=allowed)
        try:
            lp = solve_mip(mip.relaxation(), model=_MODEL, time_limit=seconds)
        except (InfeasibleError, NoSolutionError):
            return None
        binaries = np.concatenate([v.y] + ([] if v.z is None else [v.z.ravel()]))
        value = lp.values[binaries]
        closed = binaries[value <= _FIX_TOLERANCE]
        opened = binaries[value >= 1.0 - _FIX_TOLERANCE]
        fixed, _ = self._assemble(bounds=bounds, allowed=allowed)
        fixed.set_bounds(closed, 0.0, 0.0)
        fixed.set_bounds(opened, 1.0, 1.0)
        start = self._start(mip, v)
        found = None
        for model in (fixed, mip):
            left = seconds - (time.perf_counter() - t0)
            if left <= 0:
                break
            try:
                out = solve_mip(model, model=_MODEL, time_limit=left, mip_gap=gap, start=start)
            except (InfeasibleError, NoSolutionError):
                continue
            found = start = out.values
            # Good enough when within half the wanted gap of the restricted LP
            # bound (a necessary condition for the full model's gap).
            if lp.objective - out.objective <= 2 * gap * max(abs(out.objective), 1e-9):
                break
        return found

    def _bound(self, objective: str) -> float:
        """A bound on the optimum known before solving (for a finite gap on early stops).

        Benefit: every demand at its best match plus every positive quality;
        cost and risk: zero (cost) or the sum of the negative risks.
        """
        d = self.inputs
        if objective == "benefit":
            best = np.zeros(len(d.demand_ids))
            np.maximum.at(best, d.pair_d, d.pair_a)
            quality = np.clip(d.quality_weight * d.quality, 0, None).sum()
            return float(d.priority @ best + quality) + 0.0
        if objective == "risk" and d.risk is not None:
            return float(np.clip(d.risk, None, 0).sum())
        return 0.0

    def is_feasible(self, active: Iterable[str] | None = None,
                    time_limit: float | None = None) -> bool:
        """Whether some layout satisfies the structural rows and the ``active`` groups.

        >>> Layout.from_arrays(quality=[1, 2], min_centers=3).is_feasible()
        False
        """
        mip, v = self._assemble(objective="none", active=active, assignment=False)
        try:
            solve_mip(mip, model=_MODEL, time_limit=time_limit)
        except InfeasibleError:
            return False
        except NoSolutionError:
            return True  # unknown: do not blame this group
        return True

    # -- solving --------------------------------------------------------------

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None) -> Layout:
        """Solve with HiGHS and store the results on the model; returns ``self``.

        Parameters
        ----------
        time_limit : float, optional
            Seconds HiGHS may run; a run it stops is reported ``feasible`` with
            its ``gap``.
        mip_gap : float, optional
            Relative gap at which HiGHS may stop (then ``feasible`` if positive).

        Raises
        ------
        oicplan.errors.InfeasibleError
            No layout satisfies all constraints; the message names a set of
            constraint groups that conflict (also in ``conflict``).
        """
        try:
            out, v = self._run(time_limit=time_limit, mip_gap=mip_gap)
        except InfeasibleError:
            self.conflict = explain_infeasible(self)
            self.status, self.objective, self.gap = "infeasible", None, None
            self.chosen, self.assignment = pd.DataFrame(), {}
            raise InfeasibleError(self.conflict.message) from None
        self.status, self.gap, self.solve_seconds = out.status, out.gap, out.seconds
        self.objective = float(out.objective) + 0.0  # no -0.0
        sol = self._decode(out.values, v)
        self.chosen, self.assignment = sol["chosen"], sol["assignment"]
        self.benefit = sol["benefit"]
        self.cost, self.total_risk = sol["cost"], sol["risk"]
        return self

    def _decode(self, values: np.ndarray, v: _Vars) -> dict[str, Any]:
        d = self.inputs
        yv = values[v.y]
        open_j = np.flatnonzero(yv > 0.5)
        y01 = (yv > 0.5).astype(float)
        zv = None if v.z is None else (values[v.z] > 0.5).astype(float)
        xv = np.zeros(d.pair_d.size) if v.x is None else np.clip(values[v.x], 0.0, 1.0)
        xv[xv < 1e-9] = 0.0

        def value(e: _Expr) -> float:
            total = float(e.y @ y01)
            if e.x is not None:
                total += float(e.x @ xv)
            if e.z is not None and zv is not None:
                total += float((e.z * zv).sum())
            return total

        ben = self._expr("benefit")
        demand_part = float(ben.x @ xv) if ben.x is not None else 0.0
        benefit = {"total": value(ben), "demand": demand_part,
                   "quality": value(ben) - demand_part}
        cost = value(self._expr("cost"))
        risk = None if d.risk is None else float(d.risk @ y01)

        year = {}
        if zv is not None:
            new = self._new_options()
            for k, j in enumerate(new.tolist()):
                if zv[k].any():
                    year[j] = d.years[int(np.argmax(zv[k]))]
        served = np.bincount(d.pair_j, weights=xv * d.size[d.pair_d], minlength=yv.size)
        existing = {int(j) for opts in d.existing.values() for j in opts}
        rows = []
        for j in open_j.tolist():
            rows.append({
                "site_id": d.site_ids[d.opt_site[j]],
                "mode": d.modes[d.opt_mode[j]],
                "year": None if j in existing or not self.phased else year.get(j),
                "existing": j in existing,
                "quality": float(d.quality[j]),
                "setup_cost": float(d.setup[j]),
                "annual_cost": float(d.annual[j]),
                "risk": None if d.risk is None else float(d.risk[j]),
                "served": float(served[j]),
            })
        chosen = pd.DataFrame(rows, columns=["site_id", "mode", "year", "existing", "quality",
                                             "setup_cost", "annual_cost", "risk", "served"])
        chosen["year"] = pd.Series([r["year"] for r in rows], dtype=object)
        assignment: dict[Any, dict[str, Any]] = {}
        if xv.size:
            best = pd.DataFrame({"d": d.pair_d, "j": d.pair_j, "x": xv})
            best = best[best["x"] > 0].sort_values(["d", "x"], ascending=[True, False])
            best = best.drop_duplicates("d")
            for row in best.itertuples(index=False):
                assignment[d.demand_ids[row.d]] = {
                    "site_id": d.site_ids[d.opt_site[row.j]],
                    "mode": d.modes[d.opt_mode[row.j]],
                    "share": round(float(row.x), 9),
                }
        return {"chosen": chosen, "assignment": assignment, "benefit": benefit,
                "cost": cost, "risk": risk}

    # -- trade-offs -----------------------------------------------------------

    def pareto(self, against: str = "cost", points: int = 9, *,
               time_limit: float | None = None, mip_gap: float | None = None) -> pd.DataFrame:
        """Benefit against cost (or risk) by the epsilon-constraint method.

        The range of the metric runs from its smallest feasible value to its
        value at the benefit optimum; for ``points`` evenly spaced caps eps the
        model maximises benefit subject to ``metric <= eps``, then, at that
        benefit, minimises the metric so that every point is non-dominated.
        Repeated points (same metric and benefit) are dropped; when several
        layouts tie, the one found first is shown.

        Parameters
        ----------
        against : {"cost", "risk"}
            The metric traded against benefit.
        points : int
            Number of caps (at least 2).
        time_limit, mip_gap
            Per solve, as in :meth:`solve`.

        Returns
        -------
        pandas.DataFrame
            One row per point, by increasing metric: ``epsilon``, ``benefit``,
            ``cost``, ``risk``, ``centers``, ``sites`` (``site:mode`` joined by
            ``;``), ``status``, ``gap``.

        Examples
        --------
        >>> m = Layout.from_arrays(quality=[3.0, 2.0, 1.0], setup_cost=[4.0, 1.0, 1.0])
        >>> m.pareto(points=3)[["cost", "benefit"]].values.tolist()
        [[0.0, 0.0], [2.0, 3.0], [6.0, 6.0]]
        """
        if against not in ("cost", "risk"):
            raise InputError(f"against must be 'cost' or 'risk', got {against!r}",
                             field="against")
        if isinstance(points, bool) or not isinstance(points, int) or points < 2:
            raise InputError(f"points must be a whole number >= 2, got {points!r}",
                             field="points")
        kw = {"time_limit": time_limit, "mip_gap": mip_gap}
        try:
            lo_out, lo_v = self._run(objective=against, **kw)
        except InfeasibleError:
            self.solve(**kw)  # raises with the conflict explained
            raise
        lo = self._decode(lo_out.values, lo_v)[against]
        top_out, top_v = self._run(**kw)
        best = float(top_out.objective)
        hi = self._lexicographic(best, against, math.inf, kw)[1][against]
        rows = []
        for eps in np.linspace(lo, hi, points).tolist():
            eps_row = max(eps, lo) + 1e-9 * max(1.0, abs(eps))
            out, v = self._run(bounds=[(against, -np.inf, eps_row)], **kw)
            out2, sol = self._lexicographic(float(out.objective), against, eps_row, kw)
            statuses = {out.status, out2.status}
            rows.append({
                "epsilon": float(eps),
                "benefit": sol["benefit"]["total"],
                "cost": sol["cost"],
                "risk": sol["risk"],
                "centers": len(sol["chosen"]),
                "sites": ";".join(f"{r.site_id}:{r.mode}" for r in sol["chosen"].itertuples()),
                "status": "optimal" if statuses == {"optimal"} else "feasible",
                "gap": max((g for g in (out.gap, out2.gap) if g is not None), default=None),
            })
        table = pd.DataFrame(rows)
        key = table[[against, "benefit"]].round(9)
        table = table[~key.duplicated()].sort_values([against, "benefit"])
        table.insert(0, "against", against)
        table.attrs["against"] = against
        return table.reset_index(drop=True)

    def _lexicographic(self, benefit: float, against: str, cap: float,
                       kw: dict[str, Any]) -> tuple[MipOutcome, dict[str, Any]]:
        """At benefit >= ``benefit`` (less a tolerance), the smallest metric."""
        floor = benefit - 1e-6 * max(1.0, abs(benefit))
        bounds = [("benefit", floor, np.inf)]
        if math.isfinite(cap):
            bounds.append((against, -np.inf, cap))
        out, v = self._run(objective=against, bounds=bounds, **kw)
        # Re-optimise the assignment for the layout found: the benefit floor
        # has a tolerance that the second stage could spend on the shares x.
        open_y = np.round(out.values[v.y])
        years = None if v.z is None else np.round(out.values[v.z])
        mip, v2 = self._assemble(fixed=(open_y, years))
        polished = solve_mip(mip, model=_MODEL, **kw)
        return out, self._decode(polished.values, v2)

    def robustness(self, qualities: Any, *, time_limit: float | None = None,
                   mip_gap: float | None = None) -> pd.DataFrame:
        """How often each site is chosen when the site quality varies.

        Parameters
        ----------
        qualities : array-like, shape (k, n_sites) or (k, n_sites, n_modes)
            Alternative quality vectors, e.g. Monte Carlo samples of the ranking.
        time_limit, mip_gap
            Per solve, as in :meth:`solve`.

        Returns
        -------
        pandas.DataFrame
            One row per site chosen at least once: ``site_id``, ``times_chosen``,
            ``share`` (of the k samples), ``modes`` (mode -> count), sorted by
            share. ``attrs["statuses"]`` lists each solve's status.

        Examples
        --------
        >>> m = Layout.from_arrays(quality=[1.0, 2.0, 3.0], max_centers=1)
        >>> m.robustness([[1, 2, 3], [3, 2, 1], [1, 3, 2], [1, 2, 4]])[
        ...     ["site_id", "times_chosen"]].values.tolist()
        [[2, 2], [0, 1], [1, 1]]
        """
        q = np.asarray(qualities, dtype=float)
        d = self.inputs
        if q.ndim not in (2, 3) or q.shape[1] != len(d.site_ids):
            raise InputError(f"qualities must have shape (k, {len(d.site_ids)}[, modes]), "
                             f"got {q.shape}", field="qualities")
        counts: Counter = Counter()
        modes: dict[Any, Counter] = {}
        statuses = []
        for sample in q:
            model = self.with_quality(sample).solve(time_limit=time_limit, mip_gap=mip_gap)
            statuses.append(model.status)
            for row in model.chosen.itertuples(index=False):
                counts[row.site_id] += 1
                modes.setdefault(row.site_id, Counter())[row.mode] += 1
        order = {s: k for k, s in enumerate(d.site_ids)}
        rows = [{"site_id": s, "times_chosen": int(c), "share": c / len(q),
                 "modes": dict(modes[s])} for s, c in counts.items()]
        table = pd.DataFrame(rows, columns=["site_id", "times_chosen", "share", "modes"])
        if len(table):
            table["_o"] = table["site_id"].map(order)
            table = table.sort_values(["times_chosen", "_o"], ascending=[False, True])
            table = table.drop(columns="_o").reset_index(drop=True)
        table.attrs["samples"] = len(q)
        table.attrs["statuses"] = statuses
        return table

    # -- output ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Results as JSON-ready Python values (``gap`` only when feasible).

        >>> Layout.from_arrays(quality=[1, 2], max_centers=1).solve().to_dict()["chosen"]
        [{'site_id': 1, 'mode': 0, 'year': None, 'existing': False}]
        """
        d = self.inputs
        out: dict[str, Any] = {"model": "layout", "status": self.status,
                               "objective": self.objective}
        if self.status == "feasible":
            out["gap"] = self.gap
        out["solve_seconds"] = self.solve_seconds
        if self.status == "infeasible" and self.conflict is not None:
            out["conflict"] = list(self.conflict.groups)
            out["message"] = self.conflict.message
        out["benefit"] = dict(self.benefit)
        out["cost"] = self.cost
        out["total_risk"] = self.total_risk
        out["chosen"] = [
            {"site_id": _native(r.site_id), "mode": _native(r.mode),
             "year": None if r.year is None or pd.isna(r.year) else _native(r.year),
             "existing": bool(r.existing)}
            for r in self.chosen.itertuples(index=False)
        ]
        out["assignment"] = {k: dict(v) for k, v in self.assignment.items()}
        out["horizon"] = d.horizon
        out["constraints"] = [
            label for key, label in self.constraint_groups() if not key.startswith("existing:")
        ]
        out["assumptions"] = list(d.assumptions)
        out["notes"] = list(d.notes)
        return out

    def __repr__(self) -> str:
        d = self.inputs
        state = self.status or "not solved"
        return (f"<Layout {len(d.site_ids)} sites x {len(d.modes)} modes, "
                f"{len(d.demand_ids)} demands: {state}>")


# ---------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------


def read_layout_costs(path: str | Path, site_ids: Sequence[Any] | None = None,
                      modes: Sequence[Any] | None = None) -> pd.DataFrame:
    """Read a cost file with columns site_id, mode, setup_cost, annual_cost.

    Errors name the file, the row as a spreadsheet shows it (header = row 1)
    and the field. Known ``site_ids`` and ``modes``, when given, are checked.

    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "c.csv")
    >>> _ = open(p, "w").write("site_id,mode,setup_cost,annual_cost\\nA,joint_lab,10,2\\n")
    >>> read_layout_costs(p).values.tolist()
    [['A', 'joint_lab', 10.0, 2.0]]
    >>> _ = open(p, "w").write("site_id,mode,setup_cost,annual_cost\\nA,joint_lab,ten,2\\n")
    >>> read_layout_costs(p)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: ...c.csv, row 2, field setup_cost: not a number: 'ten'
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("cost file not found", file=name, field="costs")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError(f"not a readable CSV file ({error})", file=name) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    for col in _COST_COLUMNS:
        if col not in raw.columns:
            raise InputError(f"missing column {col!r} (need {', '.join(_COST_COLUMNS)})",
                             file=name, row=1, field=col)
    known_sites = None if site_ids is None else {str(s) for s in site_ids}
    known_modes = None if modes is None else {str(m) for m in modes}
    rows, seen = [], {}
    for k, rec in enumerate(raw[list(_COST_COLUMNS)].itertuples(index=False)):
        row = spreadsheet_row(k)
        site, mode = rec.site_id.strip(), rec.mode.strip()
        if not site:
            raise InputError("empty site_id", file=name, row=row, field="site_id")
        if known_sites is not None and site not in known_sites:
            raise InputError(f"unknown site {site!r}", file=name, row=row, field="site_id")
        if known_modes is not None and mode not in known_modes:
            raise InputError(f"unknown mode {mode!r} (use one of {', '.join(sorted(known_modes))})",
                             file=name, row=row, field="mode")
        if (site, mode) in seen:
            raise InputError(f"{site} / {mode} already given in row {seen[(site, mode)]}",
                             file=name, row=row, field="site_id")
        seen[(site, mode)] = row
        values = []
        for col in ("setup_cost", "annual_cost"):
            text = getattr(rec, col).strip()
            try:
                value = float(text)
            except ValueError:
                raise InputError(f"not a number: {text!r}", file=name, row=row,
                                 field=col) from None
            if not math.isfinite(value) or value < 0:
                raise InputError(f"must be a finite number >= 0, got {text!r}", file=name,
                                 row=row, field=col)
            values.append(value)
        rows.append((site, mode, *values))
    return pd.DataFrame(rows, columns=list(_COST_COLUMNS))


def pareto_figure(table: pd.DataFrame, *, title: str | None = None):
    """A matplotlib Figure of a :meth:`Layout.pareto` table (benefit against the metric).

    >>> t = pd.DataFrame({"against": "cost", "cost": [0.0, 2.0], "benefit": [0.0, 3.0]})
    >>> pareto_figure(t).axes[0].get_xlabel()
    'total cost'
    """
    from matplotlib.figure import Figure

    against = table.attrs.get("against") or str(table["against"].iloc[0])
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.add_subplot()
    x, b = table[against].to_numpy(float), table["benefit"].to_numpy(float)
    ax.step(x, b, where="post", color="#1f5fa8", linewidth=1.5)
    ax.plot(x, b, "o", color="#1f5fa8")
    ax.set_xlabel(f"total {against}")
    ax.set_ylabel("benefit")
    ax.set_title(title or f"Layout trade-off: benefit against {against}")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def save_svg(fig: Any, path: str | Path) -> Path:
    """Write ``fig`` as SVG with text kept as text (``svg.fonttype = 'none'``)."""
    import matplotlib

    path = Path(path)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, format="svg")
    return path
