"""What an overseas innovation center costs, by site and mode, in US$ of a stated price year.

A center's cost is built from five parts:

* **staff**: headcount by role times a yearly employer cost per head;
* **office**: floor area (headcount times area per head) times a yearly rent per m²;
* **travel and exchange**: trips between Zhejiang and the host, visiting
  delegations, per head and year;
* **currency conversion**: a share of the money sent from China and spent in the
  host economy (salaries and rent), for conversion and hedging;
* **setup** (once): fit-out, equipment, legal and registration.

Two kinds of number enter, and every result says which is which.

**Data** (each with its year and source, from :func:`~oicplan.data.load_dataset`):
the host's and the reference economy's GDP per person employed
(``SL.GDP.PCAP.EM.KD``, constant 2021 PPP $), PPP conversion factor
(``PA.NUS.PPP``, LCU per international $) and official exchange rate
(``PA.NUS.FCRF``, LCU per US$).

**Assumptions** (:class:`CostAssumptions`, overridable from a YAML file with
:func:`load_assumptions`): the yearly cost per head of each role *in the
reference economy*, the headcount mix, office area and setup cost of each mode,
the reference rent, travel per head, the conversion share, the share of the cost
that is R&D for the super-deduction, the discount rate and the horizon. **These
are planning placeholders chosen for this tool, not sourced figures.** Replace
them with your own quotes before you rely on an amount.

Method (the same for every economy ``h``; ``ref`` is the reference economy,
the United States by default):

1. Price level ``p_h = PPP_h / XR_h``: what one international dollar of output
   costs in market US$. PPP factor and exchange rate are taken from the **same
   year** (the latest year that has both), so a new PPP estimate is not divided
   by an older exchange rate.
2. Labour productivity at market prices ``m_h = GDP per person employed_h × p_h``.
3. Salary factor ``s_h = (m_h / m_ref) ** elasticity`` (elasticity 1 by default:
   pay proportional to market-priced productivity). A role marked ``scaled:
   false`` (staff seconded from Zhejiang) keeps its reference cost.
4. Price-level factor ``q_h = p_h / p_ref`` scales the rent and the local share
   of the setup cost, unless the user gives the rent of the city.

The factors are ratios, so the amounts stay in US$ of the assumptions' price
year. A missing indicator makes the affected amounts, the totals and the NPV a
**gap** (None) with the reason; nothing is filled in.

After tax, the parent deducts the cost (ordinary deduction) and the R&D share
also earns China's super-deduction through :func:`~oicplan.finance.tax.after_tax_cost`.
The NPV discounts the yearly after-tax cost over the horizon (real terms: the
amounts stay in constant US$, so the discount rate is a real rate).

>>> from oicplan.data import load_dataset
>>> est = estimate_cost(load_dataset(), "ESP-madrid", "offshore_incubator")
>>> est.currency, est.price_year, est.headcount, est.gap is None
('USD', 2024, 6, True)
>>> 0 < est.salary_factor < 1 and est.annual_cost > 0
True
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from oicplan.errors import InputError
from oicplan.finance.tax import (
    DEFAULT_START_YEAR,
    PolicyRow,
    after_tax_cost,
    npv,
    policy_for_year,
)

__all__ = [
    "CURRENCY",
    "PRODUCTIVITY",
    "PPP_FACTOR",
    "EXCHANGE_RATE",
    "Role",
    "ModeProfile",
    "CostAssumptions",
    "InputValue",
    "EconomyFactors",
    "CostLine",
    "CostEstimate",
    "default_assumptions",
    "assumptions_from_dict",
    "load_assumptions",
    "find_site",
    "check_mode",
    "staff_mix",
    "price_level",
    "PriceLevel",
    "PRICE_LEVEL_TOLERANCE",
    "economy_factors",
    "estimate_cost",
    "site_mode_costs",
]

CURRENCY = "USD"
"""Currency of every amount; the price year comes from the assumptions."""

PRODUCTIVITY = "SL.GDP.PCAP.EM.KD"
"""WDI: GDP per person employed, constant 2021 PPP $."""

PPP_FACTOR = "PA.NUS.PPP"
"""WDI: PPP conversion factor, GDP, LCU per international $."""

EXCHANGE_RATE = "PA.NUS.FCRF"
"""WDI: official exchange rate, LCU per US$, period average."""

GDP_PC_USD = "NY.GDP.PCAP.CD"
"""WDI: GDP per capita, current US$ (cross-check of the price level)."""

GDP_PC_PPP = "NY.GDP.PCAP.PP.CD"
"""WDI: GDP per capita, current PPP $ (cross-check of the price level)."""

PRICE_LEVEL_TOLERANCE = 1.5
"""Largest factor by which the two measures of a price level may differ.

``PA.NUS.PPP / PA.NUS.FCRF`` and ``NY.GDP.PCAP.CD / NY.GDP.PCAP.PP.CD`` of the
same year measure the same thing (US$ per international $). In the shipped
snapshot they agree within 10 % for 187 of the 200 economies that have both;
the large differences (Bulgaria, Burundi, Iran, Lebanon, Liberia, Venezuela,
Zimbabwe) come from a PPP factor and an exchange rate in different currency
units or an official rate far from the one behind GDP in US$. Beyond this
factor the price level is a gap. The threshold is a choice of this tool, not a
published figure.
"""


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


def _share(value: Any, name: str, *, file: str | None = None) -> float:
    number = _number(value, name, file=file)
    if number > 1:
        raise InputError(f"must be a share between 0 and 1, got {number:g}", file=file, field=name)
    return number


def _fold(text: str) -> str:
    """Lower-case ``text`` without accents and with single spaces, for matching names."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass(frozen=True)
class _Obs:
    """Minimal observation (same fields as :class:`oicplan.data.dataset.Observation`)."""

    entity: str
    indicator: str
    year: int
    value: float
    source: str


_PRICE_CODES = (PPP_FACTOR, EXCHANGE_RATE, GDP_PC_USD, GDP_PC_PPP)


def _price_inputs(dataset: Any, iso3_codes: Iterable[str] | None = None) -> dict[str, dict]:
    """Per economy, the PPP factor, exchange rate and cross-check values of one year.

    Returns ``iso3 -> {code: observation}``. The year is the latest with all
    four indicators, or else the latest with PPP factor and exchange rate (the
    cross-check is then missing). Uses ``dataset.series``; without one
    it falls back to the latest values, kept only when their years agree.
    """
    series = getattr(dataset, "series", None)
    if not isinstance(series, pd.DataFrame):
        out = {}
        for iso3 in iso3_codes or ():
            found = {c: dataset.value(iso3, c) for c in _PRICE_CODES}
            ppp, xr = found[PPP_FACTOR], found[EXCHANGE_RATE]
            if ppp is None or xr is None or ppp.year != xr.year:
                continue
            out[iso3] = {c: o for c, o in found.items() if o is not None and o.year == ppp.year}
        return out
    rows = series[series["indicator"].isin(_PRICE_CODES)]
    if iso3_codes is not None:
        rows = rows[rows["entity"].isin(list(iso3_codes))]
    rows = rows.dropna(subset=["value"]).drop_duplicates(["entity", "indicator", "year"])
    found: dict[str, dict] = {}
    for iso3, group in rows.groupby("entity", sort=False):
        by_code = {code: sub.set_index("year") for code, sub in group.groupby("indicator")}
        if PPP_FACTOR not in by_code or EXCHANGE_RATE not in by_code:
            continue
        common = by_code[PPP_FACTOR].index.intersection(by_code[EXCHANGE_RATE].index)
        if common.empty:
            continue
        # Prefer the latest year that also has the cross-check, else the latest pair.
        checked = common
        for code in (GDP_PC_USD, GDP_PC_PPP):
            checked = checked.intersection(by_code[code].index) if code in by_code else common[:0]
        year = int(checked.max() if not checked.empty else common.max())
        found[str(iso3)] = {
            code: _Obs(
                str(iso3), code, year, float(sub.at[year, "value"]), str(sub.at[year, "source"])
            )
            for code, sub in by_code.items()
            if year in sub.index
        }
    return found


def _site_record(row: Mapping[str, Any]) -> dict[str, str]:
    return {
        "site_id": str(row["site_id"]),
        "name": str(row.get("name", row["site_id"])),
        "iso3": str(row["iso3"]),
    }


# ---------------------------------------------------------------------- classes


@dataclass(frozen=True)
class Role:
    """One staff role: yearly employer cost per head in the reference economy.

    ``base_cost`` is in US$ of the assumptions' price year and includes salary
    and employer on-costs. ``scaled`` False keeps the cost as it is in every
    host (staff seconded from Zhejiang, paid home salary plus allowances).
    """

    base_cost: float
    scaled: bool = True
    label: str = ""


@dataclass(frozen=True)
class ModeProfile:
    """Default make-up of a center mode (all assumptions).

    ``staff`` maps role to headcount; ``area_per_head`` is office floor area
    in m² per person; ``setup_cost`` the one-off cost in the reference
    economy (US$); ``rd_share`` the share of the yearly cost that is R&D and
    eligible for China's super-deduction.
    """

    staff: dict[str, int]
    area_per_head: float
    setup_cost: float
    rd_share: float
    label: str = ""

    @property
    def headcount(self) -> int:
        """Total default headcount."""
        return int(sum(self.staff.values()))


def _default_roles() -> dict[str, Role]:
    # ASSUMPTIONS: round planning placeholders for the yearly employer cost per
    # head in the reference economy (United States), US$ of 2024. Not sourced.
    return {
        "manager": Role(200_000.0, True, "center director, lab or program manager"),
        "researcher": Role(160_000.0, True, "researcher / scientist"),
        "engineer": Role(140_000.0, True, "development or application engineer"),
        "business_developer": Role(120_000.0, True, "partnerships, incubation, market"),
        "admin": Role(75_000.0, True, "administration, finance, HR, logistics"),
        "expatriate": Role(120_000.0, False, "staff seconded from Zhejiang (not scaled)"),
    }


def _default_modes() -> dict[str, ModeProfile]:
    # ASSUMPTIONS: default headcount mix, office area per head (m²), one-off
    # setup cost (US$ of 2024, reference economy) and R&D share per mode.
    # Sized so that an R&D center is the largest and an incubator the smallest.
    return {
        "offshore_rd_center": ModeProfile(
            {"manager": 2, "researcher": 10, "engineer": 8, "admin": 2, "expatriate": 3},
            12.0,
            1_500_000.0,
            0.9,
            "Offshore R&D center (wholly owned / JV)",
        ),
        "offshore_incubator": ModeProfile(
            {"manager": 1, "business_developer": 2, "engineer": 1, "admin": 1, "expatriate": 1},
            15.0,
            300_000.0,
            0.3,
            "Offshore innovation incubator (area includes shared desks for startups)",
        ),
        "joint_lab": ModeProfile(
            {"manager": 1, "researcher": 5, "engineer": 2, "admin": 1, "expatriate": 1},
            8.0,
            800_000.0,
            0.9,
            "Joint lab with host universities (partly on campus; lab equipment in setup)",
        ),
        "zone_upgrade": ModeProfile(
            {"manager": 2, "engineer": 4, "business_developer": 3, "admin": 3, "expatriate": 2},
            12.0,
            2_000_000.0,
            0.4,
            "Cooperation-zone upgrade to a sci-tech zone (zone infrastructure excluded)",
        ),
        "corridor_hub": ModeProfile(
            {"manager": 1, "business_developer": 3, "engineer": 1, "admin": 2, "expatriate": 1},
            10.0,
            500_000.0,
            0.1,
            "Corridor hub (office only; the overseas warehouse is excluded)",
        ),
    }


@dataclass(frozen=True)
class CostAssumptions:
    """The one table of assumptions behind every cost: **not data**, all overridable.

    Every number here is a planning placeholder chosen for this tool, not a
    sourced figure. Change any of them with a YAML file (:func:`load_assumptions`,
    ``oicplan cost --assumptions FILE``); ``oicplan cost --show-assumptions``
    prints this table as YAML to start from.

    Attributes
    ----------
    price_year : int
        Price year of all US$ amounts (2024).
    reference_iso3 : str
        Economy whose costs the role and rent figures describe ("USA").
    salary_elasticity : float
        Exponent on the productivity ratio (1.0: proportional). Below 1 makes
        pay vary less across economies than productivity does.
    roles : dict of Role
        Yearly employer cost per head in the reference economy.
    modes : dict of ModeProfile
        Headcount mix, m² per head, setup cost and R&D share per mode.
    rent_per_m2_year : float
        Office rent in the reference economy, US$ per m² and year (500).
    setup_local_share : float
        Share of the setup cost spent locally and scaled by the price level (0.5);
        the rest (equipment) is priced the same everywhere.
    travel_per_head : float
        Travel and exchange between Zhejiang and the host, US$ per head and year (8000).
    fx_cost_share : float
        Currency conversion and hedging, share of salaries and rent (0.01).
    discount_rate : float
        Real discount rate for the NPV (0.06).
    horizon_years : int
        Years of operation in the NPV (10).
    city_rents : dict
        ``site_id -> rent`` (US$ per m² and year) that replaces the scaled rent.
    origin : str
        Where the table came from (built-in defaults or a file).
    """

    price_year: int = 2024
    reference_iso3: str = "USA"
    salary_elasticity: float = 1.0
    roles: dict[str, Role] = field(default_factory=_default_roles)
    modes: dict[str, ModeProfile] = field(default_factory=_default_modes)
    rent_per_m2_year: float = 500.0
    setup_local_share: float = 0.5
    travel_per_head: float = 8_000.0
    fx_cost_share: float = 0.01
    discount_rate: float = 0.06
    horizon_years: int = 10
    city_rents: dict[str, float] = field(default_factory=dict)
    origin: str = "built-in defaults"

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary in the YAML layout that :func:`assumptions_from_dict` reads."""
        out = asdict(self)
        out.pop("origin")
        return out

    def to_yaml(self) -> str:
        """The table as commented YAML, ready to copy and edit."""
        header = (
            "# oicplan cost assumptions: planning placeholders, NOT sourced figures.\n"
            "# Money in US$ of price_year; roles and rent describe reference_iso3.\n"
            "# Keep only the keys you change; the rest stay at their defaults.\n"
        )
        return header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


@dataclass(frozen=True)
class PriceLevel:
    """US$ per international $ in one economy (see :func:`price_level`).

    ``inputs`` holds the observations used (PPP factor, exchange rate and, when
    present, the two GDP per capita values of the cross-check); ``check`` is
    the cross-check ratio; ``problem`` says why ``value`` is None.
    """

    iso3: str
    value: float | None
    year: int | None
    inputs: tuple
    check: float | None
    problem: str | None


@dataclass(frozen=True)
class InputValue:
    """One input of a cost with its provenance.

    ``kind`` is ``data`` (from the dataset: ``year`` and ``source`` set),
    ``assumption`` (from :class:`CostAssumptions`), ``user`` (given on the
    call) or ``derived`` (computed from the others).
    """

    name: str
    value: float | str | None
    unit: str
    kind: str
    year: int | None = None
    source: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class EconomyFactors:
    """Salary and price-level factors of one economy against the reference.

    ``salary_factor`` and ``price_level_factor`` are None when an indicator is
    missing; ``gaps`` then says which.
    """

    iso3: str
    reference_iso3: str
    salary_factor: float | None
    price_level_factor: float | None
    price_level: float | None
    market_productivity: float | None
    inputs: list[InputValue]
    gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


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


def default_assumptions() -> CostAssumptions:
    """The built-in assumptions table (placeholders, not data).

    Examples
    --------
    >>> a = default_assumptions()
    >>> a.reference_iso3, a.price_year, a.modes["offshore_rd_center"].headcount
    ('USA', 2024, 25)
    """
    return CostAssumptions()


def assumptions_from_dict(
    data: Mapping[str, Any] | None,
    base: CostAssumptions | None = None,
    *,
    file: str | None = None,
) -> CostAssumptions:
    """Override ``base`` (the defaults) with the keys present in ``data``.

    Roles and modes merge key by key: a role or mode given in ``data`` replaces
    only the fields it names, and new roles or modes may be added. A mode's
    ``staff`` given in ``data`` replaces the whole mix.

    Parameters
    ----------
    data : mapping or None
        Parsed YAML (see :meth:`CostAssumptions.to_dict` for the layout).
    base : CostAssumptions, optional
        Table to start from; the defaults if omitted.
    file : str, optional
        File name for error messages.

    Returns
    -------
    CostAssumptions

    Raises
    ------
    InputError
        Naming the field for an unknown key, a negative amount, a share above
        1, a staff role without a cost, or a mode without staff.

    Examples
    --------
    >>> a = assumptions_from_dict({"rent_per_m2_year": 300, "roles": {"admin": {"base_cost": 5e4}}})
    >>> a.rent_per_m2_year, a.roles["admin"].base_cost, a.roles["admin"].scaled
    (300.0, 50000.0, True)
    >>> assumptions_from_dict({"horizon_years": -1})
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field horizon_years: must not be below 1, got -1
    """
    base = base or default_assumptions()
    if data is None:
        return base
    if not isinstance(data, Mapping):
        raise InputError("expected a mapping of assumption names to values", file=file)
    known = {f.name for f in fields(CostAssumptions)} - {"origin"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(sorted(known))}",
            file=file,
            field=str(unknown[0]),
        )
    changes: dict[str, Any] = {}
    if "price_year" in data:
        changes["price_year"] = _whole(data["price_year"], "price_year", file=file, minimum=1900)
    if "reference_iso3" in data:
        changes["reference_iso3"] = str(data["reference_iso3"]).strip().upper()
    if "salary_elasticity" in data:
        changes["salary_elasticity"] = _number(
            data["salary_elasticity"], "salary_elasticity", file=file
        )
    for name in ("rent_per_m2_year", "travel_per_head"):
        if name in data:
            changes[name] = _number(data[name], name, file=file)
    for name in ("setup_local_share", "fx_cost_share"):
        if name in data:
            changes[name] = _share(data[name], name, file=file)
    if "discount_rate" in data:
        rate = _number(data["discount_rate"], "discount_rate", file=file, minimum=-0.99)
        changes["discount_rate"] = rate
    if "horizon_years" in data:
        changes["horizon_years"] = _whole(
            data["horizon_years"], "horizon_years", file=file, minimum=1
        )
    if "city_rents" in data:
        rents = data["city_rents"] or {}
        if not isinstance(rents, Mapping):
            raise InputError("expected site_id: rent pairs", file=file, field="city_rents")
        changes["city_rents"] = {
            **base.city_rents,
            **{str(k): _number(v, f"city_rents.{k}", file=file) for k, v in rents.items()},
        }
    roles = dict(base.roles)
    for name, spec in (data.get("roles") or {}).items():
        where = f"roles.{name}"
        if not isinstance(spec, Mapping):
            spec = {"base_cost": spec}
        extra = sorted(set(spec) - {"base_cost", "scaled", "label"})
        if extra:
            raise InputError(f"unknown key {extra[0]!r}", file=file, field=where)
        old = roles.get(name)
        if old is None and "base_cost" not in spec:
            raise InputError("a new role needs base_cost", file=file, field=where)
        roles[str(name)] = Role(
            base_cost=_number(spec.get("base_cost", old.base_cost if old else 0), where, file=file),
            scaled=bool(spec.get("scaled", old.scaled if old else True)),
            label=str(spec.get("label", old.label if old else "")),
        )
    modes = dict(base.modes)
    for name, spec in (data.get("modes") or {}).items():
        where = f"modes.{name}"
        if not isinstance(spec, Mapping):
            raise InputError("expected a mapping", file=file, field=where)
        allowed = {"staff", "area_per_head", "setup_cost", "rd_share", "label"}
        extra = sorted(set(spec) - allowed)
        if extra:
            raise InputError(f"unknown key {extra[0]!r}", file=file, field=where)
        old = modes.get(name)
        if old is None and not {"staff", "area_per_head", "setup_cost", "rd_share"} <= set(spec):
            raise InputError(
                "a new mode needs staff, area_per_head, setup_cost and rd_share",
                file=file,
                field=where,
            )
        staff_spec = spec.get("staff", old.staff if old else {})
        if not isinstance(staff_spec, Mapping):
            raise InputError("expected role: headcount pairs", file=file, field=f"{where}.staff")
        staff = {str(r): _whole(n, f"{where}.staff.{r}", file=file) for r, n in staff_spec.items()}
        modes[str(name)] = ModeProfile(
            staff=staff,
            area_per_head=_number(
                spec.get("area_per_head", old.area_per_head if old else 0),
                f"{where}.area_per_head",
                file=file,
            ),
            setup_cost=_number(
                spec.get("setup_cost", old.setup_cost if old else 0),
                f"{where}.setup_cost",
                file=file,
            ),
            rd_share=_share(
                spec.get("rd_share", old.rd_share if old else 0), f"{where}.rd_share", file=file
            ),
            label=str(spec.get("label", old.label if old else "")),
        )
    for name, profile in modes.items():
        if profile.headcount < 1:
            raise InputError("needs at least one person", file=file, field=f"modes.{name}.staff")
        for role in profile.staff:
            if role not in roles:
                raise InputError(
                    f"role {role!r} has no entry under roles", file=file, field=f"modes.{name}"
                )
    changes["roles"] = roles
    changes["modes"] = modes
    if file:
        changes["origin"] = f"{file} over {base.origin}"
    return replace(base, **changes)


def load_assumptions(path: str | Path, base: CostAssumptions | None = None) -> CostAssumptions:
    """Read a YAML file of assumption overrides (see :func:`assumptions_from_dict`).

    Parameters
    ----------
    path : str or Path
        YAML file; keys not in it keep their default.
    base : CostAssumptions, optional

    Returns
    -------
    CostAssumptions

    Raises
    ------
    InputError
        For an unreadable file, bad YAML or a bad value, naming the file and field.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "a.yaml")
    ...     _ = open(p, "w").write("travel_per_head: 5000\\ncity_rents:\\n  ESP-madrid: 320\\n")
    ...     a = load_assumptions(p)
    >>> a.travel_per_head, a.city_rents["ESP-madrid"]
    (5000.0, 320.0)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from None
    return assumptions_from_dict(data or {}, base, file=str(path))


def find_site(dataset: Any, site: str) -> dict[str, str]:
    """The candidate site named by a site_id (``ESP-madrid``) or a site name.

    Matching ignores case and accents (``mazar-e sharif`` finds Mazār-e Sharīf).

    Parameters
    ----------
    dataset : Dataset
        Anything with a ``sites`` table (``site_id, name, iso3``).
    site : str
        Site id or name.

    Returns
    -------
    dict
        ``site_id``, ``name``, ``iso3``.

    Raises
    ------
    InputError
        Field ``site``: unknown (with close matches) or a name shared by
        several sites (with their ids).

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> find_site(load_dataset(), "esp-MADRID")["name"]
    'Madrid'
    >>> find_site(load_dataset(), "Mazar-e Sharif")["site_id"]
    'AFG-mazar-e-sharif'
    """
    sites = dataset.sites
    wanted = _fold(site)
    if not wanted:
        raise InputError("give a site id such as ESP-madrid or a site name", field="site")
    ids = sites["site_id"].astype(str)
    hit = sites[ids.map(_fold) == wanted]
    if hit.empty:
        hit = sites[sites["name"].astype(str).map(_fold) == wanted]
    if len(hit) == 1:
        return _site_record(hit.iloc[0])
    if len(hit) > 1:
        choices = ", ".join(hit["site_id"].astype(str))
        raise InputError(f"{site!r} names several sites; use one of {choices}", field="site")
    pool = list(ids) + list(sites["name"].astype(str))
    close = difflib.get_close_matches(site, pool, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"unknown site {site!r}{hint}", field="site")


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


def price_level(dataset: Any, iso3: str, *, _inputs: Mapping | None = None) -> PriceLevel:
    """Price level of one economy: PPP conversion factor over exchange rate, same year.

    Both indicators are taken from the same year: the latest that also has GDP
    per capita in current US$ and in current PPP $, whose ratio cross-checks the
    result, or else the latest with both; a difference beyond :data:`PRICE_LEVEL_TOLERANCE`
    makes the price level a gap.

    Parameters
    ----------
    dataset : Dataset
        With ``series`` (or, for small stand-ins, only ``value()``).
    iso3 : str

    Returns
    -------
    PriceLevel
        ``value`` None and ``problem`` set when the price level cannot be used.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> usa = price_level(load_dataset(), "USA")
    >>> usa.value, usa.problem, [o.source for o in usa.inputs][:2]
    (1.0, None, ['wdi', 'wdi'])
    >>> price_level(load_dataset(), "LBR").problem.startswith("PA.NUS.PPP / PA.NUS.FCRF")
    True
    """
    iso3 = str(iso3).strip().upper()
    table = _inputs if _inputs is not None else _price_inputs(dataset, [iso3])
    obs = table.get(iso3)
    if not obs:
        return PriceLevel(
            iso3,
            None,
            None,
            (),
            None,
            f"no year with both {PPP_FACTOR} and {EXCHANGE_RATE} for {iso3} in the dataset",
        )
    ppp, xr = obs[PPP_FACTOR], obs[EXCHANGE_RATE]
    used = (ppp, xr)
    if not xr.value or not ppp.value:
        return PriceLevel(iso3, None, ppp.year, used, None, f"zero {PPP_FACTOR} or rate")
    value = float(ppp.value / xr.value)
    check = None
    usd, intl = obs.get(GDP_PC_USD), obs.get(GDP_PC_PPP)
    if usd is not None and intl is not None and intl.value:
        check = float(usd.value / intl.value)
        used = (ppp, xr, usd, intl)
        if check > 0 and max(value / check, check / value) > PRICE_LEVEL_TOLERANCE:
            return PriceLevel(
                iso3,
                None,
                ppp.year,
                used,
                check,
                f"{PPP_FACTOR} / {EXCHANGE_RATE} = {value:.3g} for {iso3} in {ppp.year} "
                f"disagrees with {GDP_PC_USD} / {GDP_PC_PPP} = {check:.3g} by more than a "
                f"factor {PRICE_LEVEL_TOLERANCE:g} (different currency units or an "
                "official rate far from the market)",
            )
    return PriceLevel(iso3, value, ppp.year, used, check, None)


_UNITS = {
    PRODUCTIVITY: "constant 2021 PPP $ per person employed",
    PPP_FACTOR: "LCU per international $",
    EXCHANGE_RATE: "LCU per US$",
    GDP_PC_USD: "current US$ per person (cross-check)",
    GDP_PC_PPP: "current PPP $ per person (cross-check)",
}


def _data_input(obs: Any, code: str, iso3: str) -> InputValue:
    if obs is None:
        return InputValue(f"{code} {iso3}", None, _UNITS[code], "data", note="missing")
    return InputValue(
        f"{code} {iso3}", float(obs.value), _UNITS[code], "data", int(obs.year), str(obs.source)
    )


def _economy_inputs(
    dataset: Any, iso3: str, table: Mapping | None
) -> tuple[float | None, float | None, list[InputValue], list[str]]:
    """Price level, market productivity, their inputs and gaps for one economy."""
    gaps: list[str] = []
    prod = dataset.value(iso3, PRODUCTIVITY)
    if prod is None:
        gaps.append(f"no {PRODUCTIVITY} for {iso3} in the dataset")
    inputs = [_data_input(prod, PRODUCTIVITY, iso3)]
    level = price_level(dataset, iso3, _inputs=table)
    inputs += [_data_input(o, o.indicator, iso3) for o in level.inputs]
    if level.problem:
        gaps.append(level.problem)
    market = None if level.value is None or prod is None else float(prod.value) * level.value
    if level.value is not None:
        inputs.append(
            InputValue(
                f"price level {iso3}",
                level.value,
                "US$ per international $",
                "derived",
                level.year,
                note=f"{PPP_FACTOR} / {EXCHANGE_RATE}, same year",
            )
        )
    return level.value, market, inputs, gaps


def economy_factors(
    dataset: Any,
    iso3: str,
    assumptions: CostAssumptions | None = None,
    *,
    _inputs: Mapping | None = None,
) -> EconomyFactors:
    """Salary and price-level factors of ``iso3`` against the reference economy.

    ``salary_factor = ((prod_h * p_h) / (prod_ref * p_ref)) ** elasticity`` and
    ``price_level_factor = p_h / p_ref`` with ``prod`` GDP per person employed
    (constant 2021 PPP $) and ``p`` the price level ``PPP factor / exchange
    rate`` (see the module docstring).

    Parameters
    ----------
    dataset : Dataset
    iso3 : str
        Host economy.
    assumptions : CostAssumptions, optional
        For the reference economy and the elasticity.

    Returns
    -------
    EconomyFactors
        Factors are None, and ``gaps`` lists the missing indicators, when the
        host or the reference lacks one.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> f = economy_factors(load_dataset(), "USA")
    >>> f.salary_factor, f.price_level_factor, f.gaps
    (1.0, 1.0, [])
    """
    a = assumptions or default_assumptions()
    iso3 = str(iso3).strip().upper()
    ref = a.reference_iso3
    table = _inputs if _inputs is not None else _price_inputs(dataset, {iso3, ref})
    p_h, m_h, inputs, gaps = _economy_inputs(dataset, iso3, table)
    if ref != iso3:
        p_r, m_r, ref_inputs, ref_gaps = _economy_inputs(dataset, ref, table)
        inputs += ref_inputs
        gaps += [f"{g} (reference economy)" for g in ref_gaps]
    else:
        p_r, m_r = p_h, m_h
    salary = None
    if m_h is not None and m_r:
        salary = float((m_h / m_r) ** a.salary_elasticity)
    level = None if p_h is None or not p_r else float(p_h / p_r)
    return EconomyFactors(iso3, ref, salary, level, p_h, m_h, inputs, gaps)


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
        :data:`oicplan.plan.CENTER_MODES` by default).
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

    Parameters
    ----------
    dataset : Dataset
    sites : iterable of str or DataFrame, optional
        Site ids or names, or a table with ``site_id`` and ``iso3`` (``name``
        optional). All candidate sites of the dataset if omitted.
    modes : iterable of str, optional
        Modes; every mode of the assumptions if omitted.
    headcount, start_year, assumptions, domestic_rd : optional
        As in :func:`estimate_cost` (``headcount`` applies to every mode).
    combined_declaration, high_tech, manufacturing, policies : optional
        As in :func:`estimate_cost`.

    Returns
    -------
    DataFrame
        One row per site and mode: ``site_id, name, iso3, mode, headcount,
        setup_cost, annual_cost, annual_cost_after_tax`` (first full year),
        ``npv_gross, npv`` (after tax), ``currency, price_year, start_year,
        horizon_years, discount_rate, salary_factor, price_level_factor, gap``.
        Amounts are floats with NaN where ``gap`` gives the reason.

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
    if sites is None:
        table = dataset.sites
        records = [_site_record(r) for r in table.to_dict("records")]
    elif isinstance(sites, pd.DataFrame):
        missing = [c for c in ("site_id", "iso3") if c not in sites.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", field="sites")
        records = [_site_record(r) for r in sites.to_dict("records")]
    else:
        if isinstance(sites, str):
            sites = [sites]
        records = [find_site(dataset, s) for s in sites]
    mode_keys = [check_mode(m, a) for m in (a.modes if modes is None else modes)]
    if headcount is not None:
        _whole(headcount, "headcount", minimum=1)
    iso_codes = {r["iso3"] for r in records} | {a.reference_iso3}
    table = _price_inputs(dataset, iso_codes)
    factor_cache: dict[str, EconomyFactors] = {}
    rows = []
    for record in records:
        iso3 = record["iso3"]
        if iso3 not in factor_cache:
            factor_cache[iso3] = economy_factors(dataset, iso3, a, _inputs=table)
        for mode_key in mode_keys:
            est = estimate_cost(
                dataset,
                record,
                mode_key,
                headcount=headcount,
                start_year=start_year,
                assumptions=a,
                domestic_rd=domestic_rd,
                combined_declaration=combined_declaration,
                high_tech=high_tech,
                manufacturing=manufacturing,
                policies=policies,
                _factors=factor_cache[iso3],
            )
            after = est.after_tax
            rows.append(
                {
                    "site_id": est.site_id,
                    "name": est.site_name,
                    "iso3": est.iso3,
                    "mode": est.mode,
                    "headcount": est.headcount,
                    "setup_cost": est.setup_cost,
                    "annual_cost": est.annual_cost,
                    "annual_cost_after_tax": None
                    if after is None or len(after["net"]) < 2
                    else after["net"][1],
                    "npv_gross": est.npv_gross,
                    "npv": est.npv,
                    "currency": est.currency,
                    "price_year": est.price_year,
                    "start_year": est.start_year,
                    "horizon_years": int(a.horizon_years),
                    "discount_rate": float(a.discount_rate),
                    "salary_factor": est.salary_factor,
                    "price_level_factor": est.price_level_factor,
                    "gap": est.gap,
                }
            )
    frame = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    for column in ("setup_cost", "annual_cost", "annual_cost_after_tax", "npv_gross", "npv"):
        frame[column] = frame[column].astype(float)
    return frame
