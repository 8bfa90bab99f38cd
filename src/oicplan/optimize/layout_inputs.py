"""Checked inputs of the layout model, and the layout cost file.

:func:`build_inputs` checks the arrays given to :meth:`Layout.from_arrays
<oicplan.optimize.layout.Layout.from_arrays>` (shapes, ids, bounds; every error
names its field) and flattens them to the available (site, mode) options;
:class:`GroupRule` is a named bound on a set of sites or options;
:func:`read_layout_costs` reads a cost file per site and mode.

>>> d = build_inputs([[0.9, 0.2], [0.3, 0.8]], max_centers=1)
>>> d.site_ids, d.modes, d.demand_ids, d.max_centers
([0, 1], [0], [0, 1], 1)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InputError, spreadsheet_row
from oicplan.notes import note
from oicplan.textfile import csv_source

__all__ = ["GroupRule", "LayoutInputs", "build_inputs", "read_layout_costs", "rule_mask"]

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
            return note("group_range", min=self.min, max=self.max, group=self.name)
        if self.min is not None:
            return note("group_min", need=self.min, group=self.name)
        return note("group_max", max=self.max, group=self.name)



@dataclass(frozen=True)
class LayoutInputs:
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
    # Diminishing return (see oicplan.optimize.layout_diversify): group label per
    # site (None: no rule) and the factor delta in (0, 1] (1: off).
    diversity_group: np.ndarray | None = None
    diminishing_return: float = 1.0


def rule_mask(rule: GroupRule, sites: list[Any], modes: list[Any]) -> np.ndarray:
    """Boolean sites x modes mask of a group rule's members (errors name ``groups``)."""
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



def build_inputs(
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
    diminishing_return: float | None = None,
    diversity_group: Sequence[Any] | None = None,
) -> LayoutInputs:
    """Check the arrays of :meth:`Layout.from_arrays <oicplan.optimize.layout.Layout.from_arrays>`.

    The parameters are those of ``from_arrays`` (see there); the result holds
    them checked and flattened to the available (site, mode) options.
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
        mask = rule_mask(rule, sites, mode_ids)[opt_site, opt_mode]
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

    delta = 1.0 if diminishing_return is None else _amount(
        diminishing_return, "diminishing_return")
    if not 0 < delta <= 1:
        raise InputError(f"diminishing_return must be in (0, 1], got {diminishing_return!r}",
                         field="diminishing_return")
    div = None
    if delta < 1:
        source = diversity_group if diversity_group is not None else country
        if source is None:
            raise InputError("diminishing_return needs country (or diversity_group) per site",
                             field="diversity_group")
        div = np.asarray([str(g) for g in source])
        if div.size != n_s:
            raise InputError(f"{div.size} diversity groups given for {n_s} sites",
                             field="diversity_group")

    return LayoutInputs(
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
        diversity_group=div, diminishing_return=float(delta),
    )


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
        source, delimiter = csv_source(path)  # UTF-8, UTF-16 or GB18030/GBK
        raw = pd.read_csv(source, sep=delimiter, dtype=str, keep_default_na=False,
                          skipinitialspace=True)
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
