"""China's R&D super-deduction applied to an overseas innovation center.

A Chinese enterprise that pays for qualifying R&D may deduct the expense itself
and, on top of it, an *additional deduction* (加计扣除) of a share of the same
expense from its corporate-income-tax base. When the R&D is commissioned from an
overseas institution, only part of the overseas cost qualifies, and that part is
capped by the enterprise's own domestic R&D. This module turns those rules into
a small data table, :data:`POLICY_TABLE`, and a calculator around it.

Policy history kept in the table (the year is the first tax year a row applies
to; a row applies until the next row starts):

====  ============  =============  ==================================================
year  all eligible  manufacturing  document
====  ============  =============  ==================================================
2008  50 %          50 %           Guoshuifa [2008] No. 116 (SAT, trial measures)
2018  75 %          75 %           Caishui [2018] No. 99 (MOF/SAT/MOST, 2018-09-20)
2021  75 %          100 %          Caishui [2021] No. 13 (MOF/SAT)
2023  100 %         100 %          MOF/SAT Announcement 2023 No. 7
====  ============  =============  ==================================================

Commissioned overseas R&D, from 2018 (Caishui [2018] No. 64, MOF/SAT/MOST
circular on overseas and contracted-out R&D): 80 % of the overseas cost counts,
and the counted amount may not exceed two thirds of the enterprise's qualifying
domestic R&D expenses. Before 2018 the table gives commissioned overseas R&D no
additional deduction (Caishui [2015] No. 119 excluded it from 2016).

Corporate income tax: 25 %, or 15 % for certified high- and new-technology
enterprises (Enterprise Income Tax Law, 2008, art. 4 and 28).

The *combined declaration* switch models the policy proposal of the source
paper: the overseas R&D institution files together with its parent, so its R&D
cost counts in full, with neither the 80 % factor nor the two-thirds cap.

Verification notes (checked with public secondary sources, 2024):

* verified: MOF/SAT Announcement 2023 No. 7 sets 100 % from 2023-01-01 for all
  eligible enterprises and names Caishui [2018] No. 64 as the rule for overseas
  commissioned R&D; Caishui [2018] No. 99 (issued 2018-09-20) sets 75 % for all
  enterprises from 2018-01-01 (first to 2020-12-31, later extended to 2023);
  Guoshuifa [2008] No. 116 is the SAT's trial measures for the pre-tax deduction
  of R&D expenses.
* not verified here: the wording and date of Caishui [2021] No. 13 (100 % for
  manufacturing from 2021-01-01); the exact 80 % / two-thirds wording of
  Caishui [2018] No. 64 (taken from the brief and from secondary summaries);
  whether commissioned overseas R&D qualified at all between 2008 and 2015.
* left out on purpose: the 75 % rate for small and medium technology
  enterprises in 2017 (Caishui [2017] No. 34) and the 100 % rate for them in
  2022, and the temporary Q4-2022 rate; add rows or pass ``policies=`` if they
  matter for a case.

The tax saving is the additional deduction times the tax rate. That assumes the
enterprise has enough taxable profit to use the deduction in the same year; a
loss-making enterprise carries it forward instead, which this module ignores.

>>> r = rd_tax_incentive(100, 300, policy_year=2024)
>>> r.qualifying_overseas_rd, r.additional_deduction, r.tax_saving
(80.0, 80.0, 20.0)
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from oicplan.errors import InputError
from oicplan.textfile import csv_delimiter, read_text

DEFAULT_START_YEAR = 2025
"""First year of operation when none is given (the tax rules of that year apply)."""

__all__ = [
    "POLICY_TABLE",
    "STANDARD_TAX_RATE",
    "HIGH_TECH_TAX_RATE",
    "PolicyRow",
    "TaxResult",
    "AfterTaxCost",
    "policy_for_year",
    "load_policy_table",
    "rd_tax_incentive",
    "compare_combined_declaration",
    "npv",
    "after_tax_cost",
]

STANDARD_TAX_RATE = 0.25
HIGH_TECH_TAX_RATE = 0.15

_POLICY_FIELDS = (
    "year",
    "additional_rate",
    "manufacturing_additional_rate",
    "overseas_share",
    "overseas_cap_share",
    "tax_rate",
    "high_tech_tax_rate",
    "document",
    "overseas_document",
)


def _check_amount(value: Any, name: str) -> float:
    """Return ``value`` as a finite, non-negative float or raise naming ``name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"not a number: {value!r}", field=name) from None
    if not math.isfinite(number):
        raise InputError(f"must be a finite number, got {value!r}", field=name)
    if number < 0:
        raise InputError(f"must not be negative, got {number:g}", field=name)
    return number


def _check_year(value: Any, name: str = "policy_year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise InputError(f"not a year: {value!r}", field=name) from None
    if year != value and not (isinstance(value, str) and str(year) == value.strip()):
        raise InputError(f"not a whole year: {value!r}", field=name)
    return year


@dataclass(frozen=True)
class PolicyRow:
    """Super-deduction parameters in force from ``year`` until the next row.

    Rates are shares (0.75 means 75 %). ``additional_rate`` is the additional
    deduction for all eligible enterprises, ``manufacturing_additional_rate``
    the one for manufacturing enterprises. ``overseas_share`` is the part of a
    commissioned overseas R&D cost that counts (0 where none counts) and
    ``overseas_cap_share`` caps the counted amount as a share of qualifying
    domestic R&D.
    """

    year: int
    additional_rate: float
    manufacturing_additional_rate: float
    overseas_share: float
    overseas_cap_share: float
    tax_rate: float = STANDARD_TAX_RATE
    high_tech_tax_rate: float = HIGH_TECH_TAX_RATE
    document: str = ""
    overseas_document: str = ""

    def __post_init__(self) -> None:
        for name in _POLICY_FIELDS[1:7]:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 <= value <= 10):
                raise InputError(f"must be a share such as 0.75, got {value!r}", field=name)


@dataclass(frozen=True)
class TaxResult:
    """Outcome of :func:`rd_tax_incentive`; read fields as attributes or keys.

    ``additional_deduction`` and ``tax_saving`` refer to the overseas R&D only;
    the domestic R&D enters through the cap and is reported separately as
    ``domestic_additional_deduction`` and ``domestic_tax_saving``.
    """

    overseas_rd: float
    domestic_rd: float
    policy_year: int
    combined_declaration: bool
    high_tech: bool
    manufacturing: bool
    overseas_share: float
    cap: float | None
    capped: bool
    qualifying_overseas_rd: float
    deduction_rate: float
    tax_rate: float
    additional_deduction: float
    tax_saving: float
    domestic_additional_deduction: float
    domestic_tax_saving: float
    policy: str

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> list[str]:
        """Field names, so ``dict(result)`` works."""
        return list(self.__dataclass_fields__)

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary of native Python values (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True)
class AfterTaxCost:
    """Yearly and total cost of a center before and after the tax relief.

    ``ordinary_saving`` is the tax saved by deducting the cost itself,
    ``incentive_saving`` the tax saved by the additional deduction.
    """

    years: list[int]
    gross: list[float]
    ordinary_saving: list[float]
    incentive_saving: list[float]
    net: list[float]
    total_gross: float
    total_net: float
    npv_gross: float
    npv_net: float
    discount_rate: float
    details: list[TaxResult] = field(repr=False, default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary without the per-year details."""
        out = asdict(self)
        out.pop("details")
        return out


POLICY_TABLE: tuple[PolicyRow, ...] = (
    PolicyRow(
        year=2008,
        additional_rate=0.50,
        manufacturing_additional_rate=0.50,
        overseas_share=0.0,
        overseas_cap_share=0.0,
        document="Guoshuifa [2008] No. 116",
        overseas_document="none (Caishui [2015] No. 119 excluded overseas commissioned R&D)",
    ),
    PolicyRow(
        year=2018,
        additional_rate=0.75,
        manufacturing_additional_rate=0.75,
        overseas_share=0.80,
        overseas_cap_share=2 / 3,
        document="Caishui [2018] No. 99",
        overseas_document="Caishui [2018] No. 64",
    ),
    PolicyRow(
        year=2021,
        additional_rate=0.75,
        manufacturing_additional_rate=1.00,
        overseas_share=0.80,
        overseas_cap_share=2 / 3,
        document="Caishui [2018] No. 99 (extended); Caishui [2021] No. 13 for manufacturing",
        overseas_document="Caishui [2018] No. 64",
    ),
    PolicyRow(
        year=2023,
        additional_rate=1.00,
        manufacturing_additional_rate=1.00,
        overseas_share=0.80,
        overseas_cap_share=2 / 3,
        document="MOF/SAT Announcement 2023 No. 7",
        overseas_document="Caishui [2018] No. 64",
    ),
)
"""Default policy history; pass your own rows as ``policies=`` to change it."""


def policy_for_year(year: int, policies: Sequence[PolicyRow] | None = None) -> PolicyRow:
    """The policy row in force in tax year ``year``.

    Parameters
    ----------
    year : int
        Tax year. Years after the last row use the last row.
    policies : sequence of PolicyRow, optional
        Policy table; :data:`POLICY_TABLE` by default.

    Returns
    -------
    PolicyRow

    Raises
    ------
    InputError
        If ``year`` is before the first row of the table.

    Examples
    --------
    >>> policy_for_year(2019).additional_rate
    0.75
    >>> policy_for_year(2022).manufacturing_additional_rate
    1.0
    """
    year = _check_year(year)
    rows = sorted(POLICY_TABLE if policies is None else policies, key=lambda r: r.year)
    if not rows:
        raise InputError("the policy table is empty", field="policies")
    if year < rows[0].year:
        raise InputError(
            f"no super-deduction policy before {rows[0].year}, got {year}", field="policy_year"
        )
    current = rows[0]
    for row in rows:
        if row.year <= year:
            current = row
    return current


def load_policy_table(path: str | Path) -> tuple[PolicyRow, ...]:
    """Read a policy table from a CSV file with the :class:`PolicyRow` columns.

    Columns: ``year, additional_rate, manufacturing_additional_rate,
    overseas_share, overseas_cap_share`` and optionally ``tax_rate,
    high_tech_tax_rate, document, overseas_document``. Shares may be written as
    fractions such as ``2/3``.

    Parameters
    ----------
    path : str or Path
        CSV file.

    Returns
    -------
    tuple of PolicyRow

    Raises
    ------
    InputError
        Naming the file, the row (header is row 1) and the field.

    Examples
    --------
    >>> import tempfile, os
    >>> text = "year,additional_rate,manufacturing_additional_rate,overseas_share,"
    >>> text += "overseas_cap_share\\n2030,1.2,1.2,0.8,2/3\\n"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "policy.csv")
    ...     _ = open(p, "w").write(text)
    ...     load_policy_table(p)[0].additional_rate
    1.2
    """
    path = Path(path)
    text = read_text(path)  # UTF-8, UTF-16 or GB18030/GBK; errors name the file
    rows: list[PolicyRow] = []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=csv_delimiter(text))
        missing = [c for c in _POLICY_FIELDS[:5] if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", file=str(path), row=1)
        for index, raw in enumerate(reader):
            row_no = index + 2
            values: dict[str, Any] = {}
            for name in _POLICY_FIELDS:
                text = (raw.get(name) or "").strip()
                if name in ("document", "overseas_document"):
                    values[name] = text
                    continue
                if not text:
                    if name in ("tax_rate", "high_tech_tax_rate"):
                        continue
                    raise InputError("empty", file=str(path), row=row_no, field=name)
                try:
                    if name == "year":
                        values[name] = int(text)
                    elif "/" in text:
                        num, den = text.split("/", 1)
                        values[name] = float(num) / float(den)
                    else:
                        values[name] = float(text)
                except (ValueError, ZeroDivisionError):
                    raise InputError(
                        f"not a number: {text!r}", file=str(path), row=row_no, field=name
                    ) from None
            try:
                rows.append(PolicyRow(**values))
            except InputError as exc:
                raise InputError(exc.message, file=str(path), row=row_no, field=exc.field) from None
    if not rows:
        raise InputError("no policy rows", file=str(path))
    return tuple(rows)


def rd_tax_incentive(
    overseas_rd: float,
    domestic_rd: float,
    policy_year: int = 2024,
    combined_declaration: bool = False,
    high_tech: bool = False,
    manufacturing: bool = False,
    *,
    policies: Sequence[PolicyRow] | None = None,
) -> TaxResult:
    """Additional deduction and tax saved for commissioned overseas R&D.

    Parameters
    ----------
    overseas_rd : float
        R&D cost of the overseas institution in the year (any currency unit;
        results are in the same unit).
    domestic_rd : float
        The enterprise's qualifying domestic R&D expenses in the same year;
        they set the two-thirds cap.
    policy_year : int, default 2024
        Tax year whose rules apply (see :data:`POLICY_TABLE`).
    combined_declaration : bool, default False
        Apply the proposed combined declaration: the overseas cost counts in
        full, with no 80 % factor and no cap.
    high_tech : bool, default False
        Certified high-tech enterprise (15 % instead of 25 % tax).
    manufacturing : bool, default False
        Manufacturing enterprise (matters for 2021-2022).
    policies : sequence of PolicyRow, optional
        Replacement policy table.

    Returns
    -------
    TaxResult
        ``qualifying_overseas_rd`` (overseas cost that counts, after the factor
        and the cap), ``additional_deduction`` (on the overseas part only),
        ``tax_saving`` (overseas part only), the ``deduction_rate``,
        ``tax_rate``, ``cap`` (None under combined declaration), the domestic
        part for reference and the ``policy`` documents applied.

    Raises
    ------
    InputError
        For a negative or non-numeric amount (naming the field) or a year
        before the table.

    Examples
    --------
    The worked example: 80 % of 100 counts, well under the cap of 200, and the
    2024 additional rate of 100 % at 25 % tax saves 20.

    >>> r = rd_tax_incentive(100, 300)
    >>> r.qualifying_overseas_rd, r.cap, r.additional_deduction, r.tax_saving
    (80.0, 200.0, 80.0, 20.0)

    The cap binds when domestic R&D is small; combined declaration removes it.

    >>> rd_tax_incentive(100, 60).qualifying_overseas_rd
    40.0
    >>> rd_tax_incentive(100, 60, combined_declaration=True).tax_saving
    25.0
    >>> rd_tax_incentive(100, 300, policy_year=2019, high_tech=True).tax_saving
    9.0
    """
    overseas = _check_amount(overseas_rd, "overseas_rd")
    domestic = _check_amount(domestic_rd, "domestic_rd")
    row = policy_for_year(policy_year, policies)
    rate = row.manufacturing_additional_rate if manufacturing else row.additional_rate
    tax_rate = row.high_tech_tax_rate if high_tech else row.tax_rate
    if combined_declaration:
        share, cap = 1.0, None
        qualifying = overseas
        capped = False
        overseas_doc = "combined declaration (proposal: overseas cost counts in full)"
    else:
        share = row.overseas_share
        cap = domestic * row.overseas_cap_share
        counted = overseas * share
        qualifying = min(counted, cap)
        capped = counted > cap
        overseas_doc = row.overseas_document
    # Round to cents-of-a-unit precision only to remove float noise such as
    # 80.00000000000001; amounts are in whatever unit the user gave.
    additional = round(qualifying * rate, 10)
    domestic_additional = round(domestic * rate, 10)
    return TaxResult(
        overseas_rd=overseas,
        domestic_rd=domestic,
        policy_year=int(policy_year),
        combined_declaration=bool(combined_declaration),
        high_tech=bool(high_tech),
        manufacturing=bool(manufacturing),
        overseas_share=float(share),
        cap=None if cap is None else round(cap, 10),
        capped=bool(capped),
        qualifying_overseas_rd=round(qualifying, 10),
        deduction_rate=float(rate),
        tax_rate=float(tax_rate),
        additional_deduction=additional,
        tax_saving=round(additional * tax_rate, 10),
        domestic_additional_deduction=domestic_additional,
        domestic_tax_saving=round(domestic_additional * tax_rate, 10),
        policy=f"{row.document}; overseas: {overseas_doc}",
    )


def compare_combined_declaration(
    overseas_rd: float,
    domestic_rd: float,
    policy_year: int = 2024,
    high_tech: bool = False,
    manufacturing: bool = False,
    *,
    policies: Sequence[PolicyRow] | None = None,
) -> dict[str, Any]:
    """Current rule against the combined-declaration proposal, side by side.

    Returns
    -------
    dict
        ``current`` and ``combined`` (each a :meth:`TaxResult.to_dict`) and
        ``extra_qualifying_rd``, ``extra_additional_deduction``,
        ``extra_tax_saving``: what the proposal adds.

    Examples
    --------
    >>> c = compare_combined_declaration(100, 300)
    >>> c["extra_qualifying_rd"], c["extra_tax_saving"]
    (20.0, 5.0)
    """
    kwargs = {
        "policy_year": policy_year,
        "high_tech": high_tech,
        "manufacturing": manufacturing,
        "policies": policies,
    }
    current = rd_tax_incentive(overseas_rd, domestic_rd, combined_declaration=False, **kwargs)
    combined = rd_tax_incentive(overseas_rd, domestic_rd, combined_declaration=True, **kwargs)
    return {
        "current": current.to_dict(),
        "combined": combined.to_dict(),
        "extra_qualifying_rd": round(
            combined.qualifying_overseas_rd - current.qualifying_overseas_rd, 10
        ),
        "extra_additional_deduction": round(
            combined.additional_deduction - current.additional_deduction, 10
        ),
        "extra_tax_saving": round(combined.tax_saving - current.tax_saving, 10),
    }


def npv(cashflows: Iterable[float], rate: float) -> float:
    """Net present value, the first cash flow undiscounted (year 0).

    Parameters
    ----------
    cashflows : iterable of float
        Cash flows for years 0, 1, 2, ... (costs negative if you mix signs).
    rate : float
        Discount rate per year as a share (0.08 for 8 %); must exceed -1.

    Returns
    -------
    float

    Raises
    ------
    InputError
        For a non-numeric cash flow (field ``cashflows[i]``) or a rate <= -1.

    Examples
    --------
    >>> round(npv([-100, 60, 60], 0.1), 4)
    4.1322
    >>> npv([], 0.05)
    0.0
    """
    try:
        r = float(rate)
    except (TypeError, ValueError):
        raise InputError(f"not a number: {rate!r}", field="rate") from None
    if not math.isfinite(r) or r <= -1:
        raise InputError(f"must be a finite number above -1, got {rate!r}", field="rate")
    total = 0.0
    for t, value in enumerate(cashflows):
        try:
            amount = float(value)
        except (TypeError, ValueError):
            raise InputError(f"not a number: {value!r}", field=f"cashflows[{t}]") from None
        if not math.isfinite(amount):
            raise InputError(f"not finite: {value!r}", field=f"cashflows[{t}]")
        total += amount / (1.0 + r) ** t
    return float(total)


def after_tax_cost(
    yearly_costs: Sequence[float],
    domestic_rd: float | Sequence[float],
    *,
    start_year: int = 2024,
    discount_rate: float = 0.0,
    combined_declaration: bool = False,
    high_tech: bool = False,
    manufacturing: bool = False,
    ordinary_deduction: bool = True,
    policies: Sequence[PolicyRow] | None = None,
) -> AfterTaxCost:
    """Cost of an overseas center over a horizon after corporate income tax.

    Each year the parent pays the center's R&D cost. With
    ``ordinary_deduction`` the cost itself is deductible (saving cost x tax
    rate); the super-deduction then saves the additional deduction on the
    qualifying part (:func:`rd_tax_incentive`). Year ``i`` uses the policy of
    ``start_year + i``.

    Parameters
    ----------
    yearly_costs : sequence of float
        Overseas R&D cost per year, first year = ``start_year``.
    domestic_rd : float or sequence of float
        Qualifying domestic R&D per year (one number for every year, or one
        per year).
    start_year : int, default 2024
    discount_rate : float, default 0.0
        For the NPVs; the first year is not discounted.
    combined_declaration, high_tech, manufacturing : bool
        As in :func:`rd_tax_incentive`.
    ordinary_deduction : bool, default True
        Count the tax saved by deducting the cost itself.
    policies : sequence of PolicyRow, optional

    Returns
    -------
    AfterTaxCost

    Raises
    ------
    InputError
        For negative costs (field ``yearly_costs[i]``), a length mismatch or a
        bad rate.

    Examples
    --------
    >>> c = after_tax_cost([100, 100], 300, start_year=2024)
    >>> c.net, c.total_net
    ([55.0, 55.0], 110.0)
    >>> round(after_tax_cost([100, 100], 300, discount_rate=0.1).npv_net, 2)
    105.0
    """
    costs = [_check_amount(c, f"yearly_costs[{i}]") for i, c in enumerate(yearly_costs)]
    if isinstance(domestic_rd, int | float):
        domestic = [_check_amount(domestic_rd, "domestic_rd")] * len(costs)
    else:
        domestic = [_check_amount(d, f"domestic_rd[{i}]") for i, d in enumerate(domestic_rd)]
        if len(domestic) != len(costs):
            raise InputError(
                f"needs one value per year ({len(costs)}), got {len(domestic)}",
                field="domestic_rd",
            )
    start = _check_year(start_year, "start_year")
    years, ordinary, incentive, net, details = [], [], [], [], []
    for i, (cost, dom) in enumerate(zip(costs, domestic, strict=True)):
        result = rd_tax_incentive(
            cost,
            dom,
            policy_year=start + i,
            combined_declaration=combined_declaration,
            high_tech=high_tech,
            manufacturing=manufacturing,
            policies=policies,
        )
        base = round(cost * result.tax_rate, 10) if ordinary_deduction else 0.0
        years.append(start + i)
        ordinary.append(base)
        incentive.append(result.tax_saving)
        net.append(round(cost - base - result.tax_saving, 10))
        details.append(result)
    return AfterTaxCost(
        years=years,
        gross=costs,
        ordinary_saving=ordinary,
        incentive_saving=incentive,
        net=net,
        total_gross=round(sum(costs), 10),
        total_net=round(sum(net), 10),
        npv_gross=npv(costs, discount_rate),
        npv_net=npv(net, discount_rate),
        discount_rate=float(discount_rate),
        details=details,
    )
