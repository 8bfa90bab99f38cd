"""The cost of one center: breakdown, totals, after-tax cost and NPV, with provenance.

:func:`estimate_cost` prices a center of one mode at one site from the
assumptions (:mod:`oicplan.finance.assumptions`) and the economy factors
(:mod:`oicplan.finance.prices`); the method is in :mod:`oicplan.finance.cost`.

>>> from oicplan.data import load_dataset
>>> est = estimate_cost(load_dataset(), "ESP-madrid", "offshore_incubator")
>>> est.currency, est.price_year, est.headcount, est.gap is None
('USD', 2024, 6, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from oicplan.errors import InputError
from oicplan.finance.assumptions import CostAssumptions, ModeProfile, default_assumptions
from oicplan.finance.prices import (
    CURRENCY,
    EconomyFactors,
    InputValue,
    _site_record,
    economy_factors,
    find_site,
)
from oicplan.finance.tax import (
    DEFAULT_START_YEAR,
    PolicyRow,
    after_tax_cost,
    npv,
    policy_for_year,
)

__all__ = [
    "CostEstimate",
    "CostLine",
    "check_mode",
    "estimate_cost",
    "staff_mix",
]

_ASSUMPTION_NOTE = "assumption (planning placeholder, not a sourced figure)"


# ---------------------------------------------------------------- private helpers


def _number(value: Any, name: str, *, file: str | None = None, minimum: float = 0.0) -> float:
    """``value`` as a finite float not below ``minimum``, or an error naming ``name``."""
    if isinstance(value, bool):
        raise InputError(f"not a number: {value!r}", file=file, field=name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"not a number: {value!r}", file=file, field=name) from None
    if not math.isfinite(number):
        raise InputError(f"must be a finite number, got {value!r}", file=file, field=name)
    if number < minimum:
        word = "negative" if minimum == 0 else f"below {minimum:g}"
        raise InputError(f"must not be {word}, got {number:g}", file=file, field=name)
    return number


def _whole(value: Any, name: str, *, file: str | None = None, minimum: int = 0) -> int:
    """``value`` as an int not below ``minimum``, or an error naming ``name``."""
    number = _number(value, name, file=file, minimum=minimum)
    if number != int(number):
        raise InputError(f"must be a whole number, got {value!r}", file=file, field=name)
    return int(number)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass(frozen=True)
class CostLine:
    """One line of the breakdown; ``amount`` is None when it is a gap."""

    component: str
    item: str
    quantity: float | None
    unit: str
    unit_cost: float | None
    amount: float | None
    timing: str
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class CostEstimate:
    """Cost of one center: breakdown, totals, after-tax cost and NPV, provenance.

    Amounts are in :attr:`currency` (US$) of :attr:`price_year`. ``setup_cost``,
    ``annual_cost``, ``npv_gross`` and ``npv`` are None when ``gap`` says why.
    ``npv`` is the after-tax NPV of the cost over the horizon (a positive
    number is a cost).
    """

    site_id: str
    site_name: str
    iso3: str
    mode: str
    start_year: int
    currency: str
    price_year: int
    headcount: int
    staff: dict[str, int]
    lines: list[CostLine]
    setup_cost: float | None
    annual_cost: float | None
    npv_gross: float | None
    npv: float | None
    after_tax: dict[str, Any] | None
    salary_factor: float | None
    price_level_factor: float | None
    inputs: list[InputValue]
    gap: str | None
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (native Python values)."""
        return asdict(self)


# ---------------------------------------------------------------- public functions


def check_mode(mode: str, assumptions: CostAssumptions | None = None) -> str:
    """``mode`` as a known mode key (case and ``-``/``_`` ignored), or an error.

    Examples
    --------
    >>> check_mode("Joint-Lab")
    'joint_lab'
    """
    modes = (assumptions or default_assumptions()).modes
    key = str(mode).strip().lower().replace("-", "_")
    if key not in modes:
        raise InputError(f"unknown mode {mode!r}; choose from {', '.join(modes)}", field="mode")
    return key


def staff_mix(profile: ModeProfile, headcount: int | None = None) -> dict[str, int]:
    """The mode's staff mix, scaled to ``headcount`` people if given.

    Scaling keeps the role shares and rounds by largest remainder, so the
    counts are whole and add up to ``headcount`` exactly.

    Raises
    ------
    InputError
        Field ``headcount``: not a whole number of at least 1.

    Examples
    --------
    >>> p = default_assumptions().modes["offshore_incubator"]
    >>> staff_mix(p)
    {'manager': 1, 'business_developer': 2, 'engineer': 1, 'admin': 1, 'expatriate': 1}
    >>> staff_mix(p, 12)
    {'manager': 2, 'business_developer': 4, 'engineer': 2, 'admin': 2, 'expatriate': 2}
    >>> staff_mix(p, -3)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field headcount: must not be below 1, got -3
    """
    if headcount is None:
        return {r: int(n) for r, n in profile.staff.items()}
    total = _whole(headcount, "headcount", minimum=1)
    default_total = profile.headcount
    exact = {r: n * total / default_total for r, n in profile.staff.items()}
    counts = {r: int(math.floor(x)) for r, x in exact.items()}
    left = total - sum(counts.values())
    order = sorted(exact, key=lambda r: (-(exact[r] - counts[r]), -profile.staff[r]))
    for role in order[:left]:
        counts[role] += 1
    return counts


def _uncapped_domestic(rd_costs: Sequence[float], start: int, policies: Any) -> list[float]:
    """Domestic R&D just large enough that the two-thirds cap never binds."""
    out = []
    for i, cost in enumerate(rd_costs):
        row: PolicyRow = policy_for_year(start + i, policies)
        need = cost * row.overseas_share / row.overseas_cap_share if row.overseas_cap_share else 0
        out.append(float(need) + 1.0)  # +1 US$ keeps float rounding from touching the cap
    return out


def _after_tax(
    annual: float,
    setup: float,
    rd_share: float,
    a: CostAssumptions,
    *,
    start_year: int,
    domestic_rd: float | Sequence[float] | None,
    combined_declaration: bool,
    high_tech: bool,
    manufacturing: bool,
    ordinary_deduction: bool,
    policies: Sequence[PolicyRow] | None,
) -> dict[str, Any]:
    """After-tax yearly cost and NPVs; the R&D part also gets the super-deduction."""
    horizon = a.horizon_years
    rd = [annual * rd_share] * horizon
    other = [annual * (1.0 - rd_share) + (setup if i == 0 else 0.0) for i in range(horizon)]
    domestic = _uncapped_domestic(rd, start_year, policies) if domestic_rd is None else domestic_rd
    common = {
        "start_year": start_year,
        "discount_rate": a.discount_rate,
        "high_tech": high_tech,
        "manufacturing": manufacturing,
        "ordinary_deduction": ordinary_deduction,
        "policies": policies,
    }
    rd_part = after_tax_cost(rd, domestic, combined_declaration=combined_declaration, **common)
    # The non-R&D part (and the setup) earns no super-deduction: domestic R&D 0
    # makes the cap 0 under the current rule.
    other_part = after_tax_cost(other, 0.0, combined_declaration=False, **common)
    gross_exact = [x + y for x, y in zip(rd_part.gross, other_part.gross, strict=True)]
    gross = [round(x, 2) for x in gross_exact]
    ordinary = [
        round(x + y, 2)
        for x, y in zip(rd_part.ordinary_saving, other_part.ordinary_saving, strict=True)
    ]
    incentive = [round(x, 2) for x in rd_part.incentive_saving]
    net = [round(x + y, 2) for x, y in zip(rd_part.net, other_part.net, strict=True)]
    return {
        "years": list(rd_part.years),
        "gross": gross,
        "ordinary_saving": ordinary,
        "incentive_saving": incentive,
        "net": net,
        "total_gross": round(rd_part.total_gross + other_part.total_gross, 2),
        "total_net": round(rd_part.total_net + other_part.total_net, 2),
        "npv_gross": round(npv(gross_exact, a.discount_rate), 2),
        "npv_net": round(rd_part.npv_net + other_part.npv_net, 2),
        "discount_rate": float(a.discount_rate),
        "horizon_years": int(horizon),
        "rd_share": float(rd_share),
        "domestic_rd": "assumed large enough that the two-thirds cap does not bind"
        if domestic_rd is None
        else domestic_rd,
        "combined_declaration": bool(combined_declaration),
        "high_tech": bool(high_tech),
        "tax_rate": float(rd_part.details[0].tax_rate) if rd_part.details else None,
        "policy": rd_part.details[0].policy if rd_part.details else None,
    }


def estimate_cost(
    dataset: Any,
    site: str | Mapping[str, Any],
    mode: str,
    *,
    headcount: int | None = None,
    start_year: int = DEFAULT_START_YEAR,
    assumptions: CostAssumptions | None = None,
    rent_per_m2_year: float | None = None,
    domestic_rd: float | Sequence[float] | None = None,
    combined_declaration: bool = False,
    high_tech: bool = False,
    manufacturing: bool = False,
    ordinary_deduction: bool = True,
    policies: Sequence[PolicyRow] | None = None,
    _factors: EconomyFactors | None = None,
) -> CostEstimate:
    """Cost of a center of ``mode`` at ``site``: breakdown, totals, after tax, NPV.

    Parameters
    ----------
    dataset : Dataset
        :func:`~oicplan.data.load_dataset` or any object with ``value()`` and
        ``sites`` (``series`` is used when present).
    site : str or mapping
        Site id (``ESP-madrid``) or name, or a mapping with ``site_id``,
        ``iso3`` and optionally ``name``.
    mode : str
        Center mode, a key of ``assumptions.modes`` (the five of
        :data:`oicplan.domain.CENTER_MODES` by default).
    headcount : int, optional
        Total staff; the mode's mix is scaled to it. The mode's default if omitted.
    start_year : int, default 2025
        First year of operation; year ``i`` of the horizon uses the tax rules
        of ``start_year + i``.
    assumptions : CostAssumptions, optional
        The defaults if omitted (placeholders, not data).
    rent_per_m2_year : float, optional
        The city's office rent (US$ per m² and year), replacing the scaled rent
        and any ``city_rents`` entry.
    domestic_rd : float or sequence, optional
        The parent's qualifying domestic R&D per year (US$), which caps the
        super-deduction. If omitted the cap is taken as not binding.
    combined_declaration, high_tech, manufacturing, ordinary_deduction : bool
        As in :func:`~oicplan.finance.tax.after_tax_cost`.
    policies : sequence of PolicyRow, optional
        Replacement tax policy table.

    Returns
    -------
    CostEstimate

    Raises
    ------
    InputError
        Naming the field: unknown ``site`` or ``mode``, ``headcount`` below 1,
        negative ``rent_per_m2_year`` or ``domestic_rd``.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> ds = load_dataset()
    >>> usa = estimate_cost(ds, {"site_id": "x", "iso3": "USA"}, "joint_lab", headcount=1)
    >>> usa.staff, usa.salary_factor
    ({'manager': 0, 'researcher': 1, 'engineer': 0, 'admin': 0, 'expatriate': 0}, 1.0)
    >>> [(ln.item, ln.amount) for ln in usa.lines if ln.timing == "annual"][:2]
    [('researcher', 160000.0), ('office', 4000.0)]
    """
    a = assumptions or default_assumptions()
    record = _site_record(site) if isinstance(site, Mapping) else find_site(dataset, site)
    mode_key = check_mode(mode, a)
    profile = a.modes[mode_key]
    staff = staff_mix(profile, headcount)
    total = int(sum(staff.values()))
    start = _whole(start_year, "start_year", minimum=1900)
    if domestic_rd is not None and isinstance(domestic_rd, int | float):
        domestic_rd = _number(domestic_rd, "domestic_rd")
    factors = _factors or economy_factors(dataset, record["iso3"], a)
    s, q = factors.salary_factor, factors.price_level_factor
    inputs = list(factors.inputs)
    notes: list[str] = []

    def assumed(name: str, value: Any, unit: str) -> None:
        inputs.append(InputValue(name, value, unit, "assumption", note=_ASSUMPTION_NOTE))

    lines: list[CostLine] = []
    salaries: float | None = 0.0
    for role, count in staff.items():
        if count == 0:
            continue
        spec = a.roles[role]
        assumed(f"base cost {role}", spec.base_cost, f"US$ {a.price_year} per head and year")
        unit = spec.base_cost  # seconded staff: not scaled
        if spec.scaled:
            unit = None if s is None else spec.base_cost * s
        amount = None if unit is None else count * unit
        basis = (
            f"assumed {a.reference_iso3} cost x salary factor"
            if spec.scaled
            else "assumed cost, not scaled (seconded staff)"
        )
        lines.append(
            CostLine("staff", role, count, "FTE", _round(unit), _round(amount), "annual", basis)
        )
        salaries = None if salaries is None or amount is None else salaries + amount

    area = total * profile.area_per_head
    assumed(f"area per head {mode_key}", profile.area_per_head, "m² per person")
    user_rent = rent_per_m2_year
    if user_rent is None and record["site_id"] in a.city_rents:
        user_rent = a.city_rents[record["site_id"]]
        inputs.append(
            InputValue(
                f"rent {record['site_id']}",
                user_rent,
                "US$ per m² and year",
                "user",
                note=f"city_rents in {a.origin}",
            )
        )
    elif user_rent is not None:
        user_rent = _number(user_rent, "rent_per_m2_year")
        inputs.append(
            InputValue(
                f"rent {record['site_id']}",
                user_rent,
                "US$ per m² and year",
                "user",
                note="given on the call",
            )
        )
    if user_rent is not None:
        rent_unit: float | None = float(user_rent)
        rent_basis = "city rent given by the user"
    else:
        assumed(f"rent {a.reference_iso3}", a.rent_per_m2_year, "US$ per m² and year")
        rent_unit = None if q is None else a.rent_per_m2_year * q
        rent_basis = f"assumed {a.reference_iso3} rent x price-level factor"
    rent = None if rent_unit is None else area * rent_unit
    lines.append(
        CostLine(
            "office", "office", area, "m²", _round(rent_unit), _round(rent), "annual", rent_basis
        )
    )

    assumed("travel per head", a.travel_per_head, "US$ per head and year")
    travel = total * a.travel_per_head
    lines.append(
        CostLine(
            "travel",
            "travel and exchange",
            total,
            "FTE",
            a.travel_per_head,
            _round(travel),
            "annual",
            "assumed cost per head, not scaled",
        )
    )

    assumed("currency conversion share", a.fx_cost_share, "share of salaries and rent")
    local = None if salaries is None or rent is None else salaries + rent
    fx = None if local is None else local * a.fx_cost_share
    lines.append(
        CostLine(
            "currency",
            "currency conversion and hedging",
            _round(local),
            "US$",
            a.fx_cost_share,
            _round(fx),
            "annual",
            "assumed share of salaries and rent",
        )
    )

    assumed(f"setup cost {mode_key}", profile.setup_cost, f"US$ {a.price_year}")
    assumed("setup local share", a.setup_local_share, "share of the setup cost")
    local_share = a.setup_local_share
    setup = None
    if q is not None:
        setup = profile.setup_cost * ((1 - local_share) + local_share * q)
    lines.append(
        CostLine(
            "setup",
            "setup (fit-out, equipment, legal)",
            1,
            "center",
            _round(setup),
            _round(setup),
            "once",
            "assumed setup cost; local share x price-level factor",
        )
    )
    assumed(f"R&D share {mode_key}", profile.rd_share, "share of the yearly cost")
    assumed("discount rate", a.discount_rate, "real, per year")
    assumed("horizon", a.horizon_years, "years")
    if a.salary_elasticity != 1.0:
        assumed("salary elasticity", a.salary_elasticity, "exponent")

    annual = None if local is None or fx is None else local + travel + fx
    gap = None
    if annual is None or setup is None:
        gap = "; ".join(factors.gaps) or "an input is missing"
    after = None
    if annual is not None and setup is not None:
        after = _after_tax(
            annual,
            setup,
            profile.rd_share,
            a,
            start_year=start,
            domestic_rd=domestic_rd,
            combined_declaration=combined_declaration,
            high_tech=high_tech,
            manufacturing=manufacturing,
            ordinary_deduction=ordinary_deduction,
            policies=policies,
        )
    else:
        notes.append(f"cost is a gap: {gap}")
    if s is not None and a.salary_elasticity == 1.0 and s < 0.1:
        notes.append(
            "salary factor below 0.1: proportional scaling may understate skilled pay here; "
            "consider salary_elasticity below 1 or your own role costs"
        )
    notes.append(
        f"amounts in {CURRENCY} of {a.price_year}; role costs, rent, areas, setup, travel, "
        f"shares and rates are assumptions ({a.origin}), not data"
    )
    return CostEstimate(
        site_id=record["site_id"],
        site_name=record["name"],
        iso3=record["iso3"],
        mode=mode_key,
        start_year=start,
        currency=CURRENCY,
        price_year=int(a.price_year),
        headcount=total,
        staff=staff,
        lines=lines,
        setup_cost=_round(setup),
        annual_cost=_round(annual),
        npv_gross=None if after is None else after["npv_gross"],
        npv=None if after is None else after["npv_net"],
        after_tax=after,
        salary_factor=s,
        price_level_factor=q,
        inputs=inputs,
        gap=gap,
        notes=notes,
    )
