"""Costs of many sites and modes in one table, computed column-wise.

:func:`site_mode_costs` gives, for every candidate site and center mode, the
totals that :func:`~oicplan.finance.estimate.estimate_cost` gives for that one
site and mode, to the last bit: the same operations in the same order, on numpy
arrays of all sites at once instead of one site at a time, and the same rounding
(Python's :func:`round`, which numpy's does not always match). The layout model
reads it (357 sites × 5 modes for Zhejiang); a test compares it with
``estimate_cost`` site by site.

>>> from oicplan.data import load_dataset
>>> t = site_mode_costs(load_dataset(), ["ESP-madrid"], ["joint_lab", "corridor_hub"])
>>> t["mode"].tolist(), bool(t["npv"].gt(t["annual_cost"]).all())
(['joint_lab', 'corridor_hub'], True)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InputError
from oicplan.finance.assumptions import CostAssumptions, ModeProfile, default_assumptions
from oicplan.finance.estimate import _number, _whole, check_mode, staff_mix
from oicplan.finance.prices import (
    CURRENCY,
    PRODUCTIVITY,
    EconomyFactors,
    _latest_values,
    _price_inputs,
    _site_record,
    economy_factors,
    find_site,
)
from oicplan.finance.tax import DEFAULT_START_YEAR, PolicyRow, _check_amount, policy_for_year

__all__ = ["site_mode_costs"]

_TABLE_COLUMNS = [
    "site_id",
    "name",
    "iso3",
    "mode",
    "headcount",
    "setup_cost",
    "annual_cost",
    "annual_cost_after_tax",
    "npv_gross",
    "npv",
    "currency",
    "price_year",
    "start_year",
    "horizon_years",
    "discount_rate",
    "salary_factor",
    "price_level_factor",
    "gap",
]

_AMOUNTS = ("setup_cost", "annual_cost", "annual_cost_after_tax", "npv_gross", "npv")


def _rounded(values: np.ndarray, digits: int) -> np.ndarray:
    """Python's ``round(x, digits)`` of every element (correctly rounded, unlike ``np.round``)."""
    return np.array([round(x, digits) for x in values.tolist()], dtype=float)


@dataclass(frozen=True)
class _TaxRules:
    """The switches of :func:`~oicplan.finance.tax.after_tax_cost` that a table shares."""

    start: int
    discount_rate: float
    combined_declaration: bool
    high_tech: bool
    manufacturing: bool
    policies: Sequence[PolicyRow] | None


@dataclass(frozen=True)
class _Part:
    """One :func:`~oicplan.finance.tax.after_tax_cost` call, per year, for many sites."""

    gross: list[np.ndarray]
    net: list[np.ndarray]
    npv_net: np.ndarray


def _tax_year(
    cost: np.ndarray, domestic: np.ndarray | float, row: PolicyRow, combined: bool, rules: _TaxRules
) -> np.ndarray:
    """Net cost of one year: ``after_tax_cost`` with ``rd_tax_incentive``, element-wise."""
    rate = row.manufacturing_additional_rate if rules.manufacturing else row.additional_rate
    tax_rate = row.high_tech_tax_rate if rules.high_tech else row.tax_rate
    if combined:
        qualifying = cost
    else:
        cap = domestic * row.overseas_cap_share
        counted = cost * row.overseas_share
        qualifying = np.where(cap < counted, cap, counted)  # min(counted, cap)
    additional = _rounded(qualifying * rate, 10)
    saving = _rounded(additional * tax_rate, 10)
    base = _rounded(cost * tax_rate, 10)  # the ordinary deduction
    return _rounded(cost - base - saving, 10)


def _after_tax_part(
    costs: Sequence[tuple[Hashable, np.ndarray]],
    domestic: Callable[[int, np.ndarray, PolicyRow], tuple[Hashable, np.ndarray | float]],
    combined: bool,
    rules: _TaxRules,
) -> _Part:
    """:func:`~oicplan.finance.tax.after_tax_cost` of one cost stream for every site.

    ``costs`` holds per year a key and the costs of the sites (years with the
    same key, domestic R&D and policy row are computed once); ``domestic``
    gives the year's key and qualifying domestic R&D.
    """
    done: dict[tuple, np.ndarray] = {}
    gross, net = [], []
    for i, (cost_key, cost) in enumerate(costs):
        row = policy_for_year(rules.start + i, rules.policies)
        dom_key, dom = domestic(i, cost, row)
        key = (cost_key, dom_key, row)
        if key not in done:
            done[key] = _tax_year(cost, dom, row, combined, rules)
        gross.append(cost)
        net.append(done[key])
    return _Part(gross, net, _npv(net, rules.discount_rate))


def _npv(flows: Sequence[np.ndarray], rate: float) -> np.ndarray:
    """:func:`~oicplan.finance.tax.npv` of every site's flows (same order of additions)."""
    total = np.zeros_like(flows[0]) if flows else np.zeros(0)
    for t, amount in enumerate(flows):
        total = total + amount / (1.0 + rate) ** t
    return total


def _domestic_rule(
    domestic_rd: float | Sequence[float] | None, horizon: int
) -> Callable[[int, np.ndarray, PolicyRow], tuple[Hashable, np.ndarray | float]]:
    """Qualifying domestic R&D per year, as ``estimate_cost`` passes it to the tax."""
    if domestic_rd is None:
        # Just large enough that the two-thirds cap never binds (_uncapped_domestic).
        def uncapped(i: int, cost: np.ndarray, row: PolicyRow) -> tuple[Hashable, np.ndarray]:
            if row.overseas_cap_share:
                return "uncapped", cost * row.overseas_share / row.overseas_cap_share + 1.0
            return "uncapped", np.full_like(cost, 1.0)

        return uncapped
    if isinstance(domestic_rd, int | float):
        value = _check_amount(_number(domestic_rd, "domestic_rd"), "domestic_rd")
        return lambda i, cost, row: (value, value)
    values = [_check_amount(d, f"domestic_rd[{i}]") for i, d in enumerate(domestic_rd)]
    if len(values) != horizon:
        raise InputError(
            f"needs one value per year ({horizon}), got {len(values)}", field="domestic_rd"
        )
    return lambda i, cost, row: (values[i], values[i])


def _records(dataset: Any, sites: Iterable[str] | pd.DataFrame | None) -> list[dict[str, str]]:
    if sites is None:
        return [_site_record(r) for r in dataset.sites.to_dict("records")]
    if isinstance(sites, pd.DataFrame):
        missing = [c for c in ("site_id", "iso3") if c not in sites.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", field="sites")
        return [_site_record(r) for r in sites.to_dict("records")]
    if isinstance(sites, str):
        sites = [sites]
    return [find_site(dataset, s) for s in sites]


def _factors(
    dataset: Any, records: list[dict[str, str]], a: CostAssumptions
) -> dict[str, EconomyFactors]:
    """Economy factors of every economy of ``records``, reading the dataset once."""
    codes = {r["iso3"] for r in records} | {a.reference_iso3}
    table = _price_inputs(dataset, codes)
    productivity = _latest_values(dataset, PRODUCTIVITY, codes | {c.strip().upper() for c in codes})
    return {
        iso3: economy_factors(dataset, iso3, a, _inputs=table, _productivity=productivity)
        for iso3 in dict.fromkeys(r["iso3"] for r in records)
    }


@dataclass(frozen=True)
class _Sites:
    """Per-site inputs of the cost, as arrays (NaN where a factor is a gap)."""

    salary: np.ndarray
    level: np.ndarray
    salary_known: np.ndarray
    level_known: np.ndarray
    city_rent: np.ndarray
    has_city_rent: np.ndarray
    gaps: list[str]


def _site_inputs(records: list[dict[str, str]], factors: dict, a: CostAssumptions) -> _Sites:
    per_site = [factors[r["iso3"]] for r in records]
    salary = [f.salary_factor for f in per_site]
    level = [f.price_level_factor for f in per_site]
    rents = [a.city_rents.get(r["site_id"]) for r in records]
    return _Sites(
        salary=np.array([np.nan if s is None else s for s in salary], dtype=float),
        level=np.array([np.nan if q is None else q for q in level], dtype=float),
        salary_known=np.array([s is not None for s in salary], dtype=bool),
        level_known=np.array([q is not None for q in level], dtype=bool),
        city_rent=np.array([np.nan if r is None else float(r) for r in rents], dtype=float),
        has_city_rent=np.array([r is not None for r in rents], dtype=bool),
        gaps=["; ".join(f.gaps) or "an input is missing" for f in per_site],
    )


@dataclass(frozen=True)
class _ModeCosts:
    headcount: int
    setup: np.ndarray
    annual: np.ndarray
    annual_known: np.ndarray
    ok: np.ndarray
    after_tax_year2: np.ndarray | None
    npv_gross: np.ndarray
    npv_net: np.ndarray


def _mode_costs(
    profile: ModeProfile,
    staff: dict[str, int],
    sites: _Sites,
    a: CostAssumptions,
    rules: _TaxRules,
    domestic: Callable,
) -> _ModeCosts:
    """One mode at every site: the arithmetic of ``estimate_cost`` on arrays."""
    s, q = sites.salary, sites.level
    total = int(sum(staff.values()))
    salaries = np.zeros_like(s)
    needs_salary_factor = False
    for role, count in staff.items():
        if count == 0:
            continue
        spec = a.roles[role]
        unit = spec.base_cost * s if spec.scaled else spec.base_cost
        needs_salary_factor = needs_salary_factor or spec.scaled
        salaries = salaries + count * unit
    area = total * profile.area_per_head
    rent_unit = np.where(sites.has_city_rent, sites.city_rent, a.rent_per_m2_year * q)
    local = salaries + area * rent_unit
    fx = local * a.fx_cost_share
    annual = local + total * a.travel_per_head + fx
    share = a.setup_local_share
    setup = profile.setup_cost * ((1 - share) + share * q)
    # As in estimate_cost: the yearly cost needs the salaries and the rent, the
    # setup the price level; without all three the after-tax cost is a gap.
    annual_known = (sites.salary_known | (not needs_salary_factor)) & (
        sites.has_city_rent | sites.level_known
    )
    ok = annual_known & sites.level_known

    # After tax (_after_tax): the R&D share earns the super-deduction, the rest
    # (and the setup, in the first year) only the ordinary deduction.
    horizon = a.horizon_years
    annual_ok, setup_ok = annual[ok], setup[ok]
    rd = annual_ok * profile.rd_share
    other = annual_ok * (1.0 - profile.rd_share)
    first, later = other + setup_ok, other + 0.0
    rd_part = _after_tax_part([("rd", rd)] * horizon, domestic, rules.combined_declaration, rules)
    other_part = _after_tax_part(
        [("first", first)] + [("later", later)] * (horizon - 1),
        lambda i, cost, row: (0.0, 0.0),
        False,
        rules,
    )
    gross = [x + y for x, y in zip(rd_part.gross, other_part.gross, strict=True)]
    year2 = None
    if horizon >= 2:
        year2 = _rounded(rd_part.net[1] + other_part.net[1], 2)
    return _ModeCosts(
        headcount=total,
        setup=setup,
        annual=annual,
        annual_known=annual_known,
        ok=ok,
        after_tax_year2=year2,
        npv_gross=_rounded(_npv(gross, rules.discount_rate), 2),
        npv_net=_rounded(rd_part.npv_net + other_part.npv_net, 2),
    )


def _mode_rows(
    records: list[dict[str, str]],
    mode_key: str,
    costs: _ModeCosts,
    sites: _Sites,
    factors: dict,
    a: CostAssumptions,
    start: int,
) -> list[dict[str, Any]]:
    rows = []
    positions = np.cumsum(costs.ok) - 1
    setup, annual = costs.setup.tolist(), costs.annual.tolist()
    for i, record in enumerate(records):
        factor = factors[record["iso3"]]
        ok = bool(costs.ok[i])
        j = int(positions[i])
        rows.append(
            {
                "site_id": record["site_id"],
                "name": record["name"],
                "iso3": record["iso3"],
                "mode": mode_key,
                "headcount": costs.headcount,
                "setup_cost": round(setup[i], 2) if sites.level_known[i] else None,
                "annual_cost": round(annual[i], 2) if costs.annual_known[i] else None,
                "annual_cost_after_tax": float(costs.after_tax_year2[j])
                if ok and costs.after_tax_year2 is not None
                else None,
                "npv_gross": float(costs.npv_gross[j]) if ok else None,
                "npv": float(costs.npv_net[j]) if ok else None,
                "currency": CURRENCY,
                "price_year": int(a.price_year),
                "start_year": start,
                "horizon_years": int(a.horizon_years),
                "discount_rate": float(a.discount_rate),
                "salary_factor": factor.salary_factor,
                "price_level_factor": factor.price_level_factor,
                "gap": None if ok else sites.gaps[i],
            }
        )
    return rows


def site_mode_costs(
    dataset: Any,
    sites: Iterable[str] | pd.DataFrame | None = None,
    modes: Iterable[str] | None = None,
    *,
    headcount: int | None = None,
    start_year: int = DEFAULT_START_YEAR,
    assumptions: CostAssumptions | None = None,
    domestic_rd: float | None = None,
    combined_declaration: bool = False,
    high_tech: bool = False,
    manufacturing: bool = False,
    policies: Sequence[PolicyRow] | None = None,
) -> pd.DataFrame:
    """Costs of every site and mode in one table, for comparison and the optimizer.

    The numbers are those of :func:`~oicplan.finance.estimate.estimate_cost` for
    each site and mode (without the breakdown and provenance), computed for all
    sites at once.

    Parameters
    ----------
    dataset : Dataset
    sites : iterable of str or DataFrame, optional
        Site ids or names, or a table with ``site_id`` and ``iso3`` (``name``
        optional). All candidate sites of the dataset if omitted.
    modes : iterable of str, optional
        Modes; every mode of the assumptions if omitted.
    headcount, start_year, assumptions, domestic_rd : optional
        As in :func:`~oicplan.finance.estimate.estimate_cost` (``headcount``
        applies to every mode).
    combined_declaration, high_tech, manufacturing, policies : optional
        As in :func:`~oicplan.finance.estimate.estimate_cost`.

    Returns
    -------
    DataFrame
        One row per site and mode (sites in order, then modes): ``site_id, name,
        iso3, mode, headcount, setup_cost, annual_cost, annual_cost_after_tax``
        (first full year), ``npv_gross, npv`` (after tax), ``currency, price_year,
        start_year, horizon_years, discount_rate, salary_factor,
        price_level_factor, gap``. Amounts are floats with NaN where ``gap``
        gives the reason.

    Raises
    ------
    InputError
        Naming the field: an unknown site or mode, ``headcount`` below 1, a bad
        ``start_year`` or a negative ``domestic_rd``.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> t = site_mode_costs(load_dataset(), ["ESP-madrid", "VEN-caracas"], ["joint_lab"])
    >>> t[["site_id", "mode"]].values.tolist()
    [['ESP-madrid', 'joint_lab'], ['VEN-caracas', 'joint_lab']]
    >>> bool(t["npv"].isna().tolist() == [False, True]), t.loc[1, "gap"].split(";")[0]
    (True, 'no SL.GDP.PCAP.EM.KD for VEN in the dataset')
    """
    a = assumptions or default_assumptions()
    records = _records(dataset, sites)
    mode_keys = [check_mode(m, a) for m in (a.modes if modes is None else modes)]
    staff = {m: staff_mix(a.modes[m], headcount) for m in mode_keys}
    start = _whole(start_year, "start_year", minimum=1900)
    domestic = _domestic_rule(domestic_rd, a.horizon_years)
    rules = _TaxRules(
        start=start,
        discount_rate=float(a.discount_rate),
        combined_declaration=bool(combined_declaration),
        high_tech=bool(high_tech),
        manufacturing=bool(manufacturing),
        policies=policies,
    )
    factors = _factors(dataset, records, a) if records else {}
    site_inputs = _site_inputs(records, factors, a)
    by_mode = [
        _mode_rows(
            records,
            m,
            _mode_costs(a.modes[m], staff[m], site_inputs, a, rules, domestic),
            site_inputs,
            factors,
            a,
            start,
        )
        for m in mode_keys
    ]
    # Sites in order, then modes, as estimate_cost one by one would give them.
    rows = [row for site_rows in zip(*by_mode, strict=True) for row in site_rows]
    frame = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    for column in _AMOUNTS:
        frame[column] = frame[column].astype(float)
    return frame
