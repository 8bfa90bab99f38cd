"""KPIs of established centers and their import from CSV or Excel files.

An import file has the columns ``center_id, year, kpi, value, unit`` (any
order, header in the first row). Every row is checked: the center must be in
the registry, the year within 1990..this year and not before the center's
opening year (when the registry knows it), the KPI one of :data:`KPIS`, the
unit the KPI's unit (or blank), the value a number of at least zero (a whole
number for counts). The first bad row raises :class:`~oicplan.errors.InputError`
naming the file, the row as a spreadsheet shows it (header = row 1) and the
field. All rows are written in one transaction, so a failed import changes
nothing. A value for a (center, year, KPI) already stored is replaced.

>>> KPIS["revenue"].unit
'CNY 10k'
>>> check_unit("revenue", "万元"), check_unit("patents", "")
('CNY 10k', 'patents')
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oicplan.errors import InputError

__all__ = [
    "KPIS",
    "KPI_COLUMNS",
    "KpiDef",
    "check_unit",
    "read_rows",
    "import_kpis",
]

KPI_COLUMNS = ("center_id", "year", "kpi", "value", "unit")


@dataclass(frozen=True)
class KpiDef:
    """A KPI: its unit, other spellings accepted for the unit, and whether it counts things."""

    name: str
    unit: str
    description: str
    whole: bool = True
    aliases: tuple[str, ...] = ()
    name_zh: str = ""


_COUNT = ("count", "number", "no.", "#")
KPIS: dict[str, KpiDef] = {
    k.name: k
    for k in (
        KpiDef(
            "incubated_enterprises",
            "enterprises",
            "Enterprises incubated by the center in the year",
            aliases=(*_COUNT, "firms", "companies", "家"),
            name_zh="孵化企业数",
        ),
        KpiDef(
            "projects_landed_in_zhejiang",
            "projects",
            "Projects brought from the center to Zhejiang in the year",
            aliases=(*_COUNT, "个", "项"),
            name_zh="落地浙江项目数",
        ),
        KpiDef(
            "patents",
            "patents",
            "Patents filed or granted through the center in the year",
            aliases=(*_COUNT, "件", "项"),
            name_zh="专利数",
        ),
        KpiDef(
            "talents_introduced",
            "persons",
            "Talents (researchers, founders) introduced to Zhejiang in the year",
            aliases=(*_COUNT, "people", "person", "人", "名"),
            name_zh="引进人才数",
        ),
        KpiDef(
            "tech_transfer_deals",
            "deals",
            "Technology-transfer deals concluded in the year",
            aliases=(*_COUNT, "项", "笔"),
            name_zh="技术转移成交数",
        ),
        KpiDef(
            "revenue",
            "CNY 10k",
            "Revenue of the center in the year, in units of CNY 10,000 (万元)",
            whole=False,
            aliases=("cny10k", "10k cny", "rmb 10k", "rmb10k", "万元", "10,000 cny"),
            name_zh="营业收入",
        ),
        KpiDef(
            "partner_enterprises",
            "enterprises",
            "Partner enterprises working with the center at year end",
            aliases=(*_COUNT, "firms", "companies", "家"),
            name_zh="合作企业数",
        ),
    )
}
"""Known KPIs by name."""


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def check_unit(kpi: str, unit: Any) -> str:
    """The KPI's canonical unit if ``unit`` is blank or one of its spellings.

    Raises
    ------
    InputError
        For a unit the KPI does not use (field ``unit``).

    >>> check_unit("talents_introduced", "Persons")
    'persons'
    """
    definition = KPIS[kpi]
    text = "" if unit is None else _norm(unit)
    accepted = {_norm(definition.unit), *(_norm(a) for a in definition.aliases)}
    if text and text not in accepted and text.replace(" ", "") not in accepted:
        raise InputError(
            f"unit {unit!r} does not fit KPI {kpi!r}; use {definition.unit!r}", field="unit"
        )
    return definition.unit


def read_rows(path: str | Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """Rows of a CSV or XLSX file as ``(spreadsheet row number, {column: value})``.

    Column names are matched without regard to case or surrounding spaces;
    rows that are entirely empty are skipped.

    Raises
    ------
    InputError
        For a missing file, an unknown extension or a missing column (row 1).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise InputError("use a .csv or .xlsx file", file=str(path))
    header = next(rows, None)
    if header is None:
        raise InputError("the file is empty", file=str(path), row=1)
    names = [_norm(h) if h is not None else "" for h in header]
    for column in required:
        if column not in names:
            raise InputError(f"missing column {column!r}", file=str(path), row=1, field=column)
    for offset, values in enumerate(rows):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield offset + 2, {n: v for n, v in zip(names, values, strict=False) if n}


def _csv_rows(path: Path) -> Iterator[list]:
    # UTF-8 (with or without BOM), UTF-16 and GB18030/GBK, as oicplan.textfile reads them.
    from oicplan.textfile import csv_delimiter, read_text

    text = read_text(path)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))


def _xlsx_rows(path: Path) -> Iterator[list]:
    from openpyxl import load_workbook  # imported here: only Excel users need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise InputError(f"cannot read as Excel: {exc}", file=str(path)) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _check_row(file: str, row_no: int, raw: dict, lookup: Any, seen: dict) -> dict:
    """One checked row; ``lookup(center_id)`` gives the center (with ``opening_year``) or None."""

    def fail(message: str, field: str) -> InputError:
        return InputError(message, file=file, row=row_no, field=field)

    center_id = str(raw.get("center_id") or "").strip()
    if not center_id:
        raise fail("empty", "center_id")
    center = lookup(center_id)
    if center is None:
        raise fail(f"unknown center id {center_id!r} (see 'oicplan centers list')", "center_id")

    year_value = _number(raw.get("year"))
    if year_value is None or not year_value.is_integer():
        raise fail(f"not a year: {raw.get('year')!r}", "year")
    year = int(year_value)
    this_year = _dt.date.today().year
    if not 1990 <= year <= this_year:
        raise fail(f"year {year} outside 1990..{this_year}", "year")
    opening_year = getattr(center, "opening_year", None)
    if opening_year and year < opening_year:
        raise fail(
            f"year {year} is before the opening year {opening_year} of {center_id!r}", "year"
        )

    kpi = _norm(raw.get("kpi") or "")
    if kpi not in KPIS:
        raise fail(f"unknown KPI {raw.get('kpi')!r}; use one of {', '.join(KPIS)}", "kpi")

    try:
        unit = check_unit(kpi, raw.get("unit"))
    except InputError as exc:
        raise fail(exc.message, "unit") from None

    raw_value = raw.get("value")
    value = _number(raw_value) if raw_value is not None else None
    if value is None or not math.isfinite(value):
        raise fail(f"not a number: {raw_value!r}", "value")
    if value < 0:
        raise fail(f"must not be negative, got {value:g}", "value")
    if KPIS[kpi].whole and not value.is_integer():
        raise fail(f"{kpi} counts {KPIS[kpi].unit}; use a whole number, got {value:g}", "value")

    key = (center_id, year, kpi)
    if key in seen:
        raise fail(f"same center, year and KPI as row {seen[key]}", "kpi")
    seen[key] = row_no
    return {"center_id": center_id, "year": year, "kpi": kpi, "value": value, "unit": unit}


def import_kpis(registry: Any, path: str | Path) -> dict:
    """Validate and store the KPI values of a CSV or XLSX file in one transaction.

    Parameters
    ----------
    registry : oicplan.store.Registry
        Target registry.
    path : str or Path
        File with the columns ``center_id, year, kpi, value, unit``.

    Returns
    -------
    dict
        ``file``, ``rows`` (values written) and ``centers`` (ids touched).

    Raises
    ------
    InputError
        For the first bad row, naming file, row and field; nothing is stored.
    """
    from oicplan.store.models import Center  # the store depends on nothing here

    file = str(path)
    rows = read_rows(path, KPI_COLUMNS)
    seen: dict = {}
    touched: set[str] = set()

    def check(session: Any, item: tuple[int, dict]) -> dict:
        row_no, raw = item
        row = _check_row(file, row_no, raw, lambda cid: session.get(Center, cid), seen)
        touched.add(row["center_id"])
        return row

    count = registry.replace_kpi_values(rows, check=check)
    return {"file": file, "rows": count, "centers": sorted(touched)}
