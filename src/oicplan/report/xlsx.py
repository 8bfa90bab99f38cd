"""The plan as an Excel workbook (``plan.xlsx``): one sheet per table of the report.

Written with openpyxl. Each sheet has a bold header row, frozen panes below it
(and right of the site's name where rows are sites), an auto-filter, column widths
from the longest cell (a Chinese character counts twice) and numbers stored as
numbers (shares formatted as percentages), so a planner can sort, filter and sum.
The tables are those of :mod:`oicplan.report.tables`, the same the Word and PDF
files show.
"""

from __future__ import annotations

import io
import unicodedata

from oicplan.report.tables import Table, clean_text, report_tables

__all__ = ["render_xlsx"]

_MAX_WIDTH = 60  # characters; longer text wraps
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_FREEZE_AFTER = {"chosen": 3, "ranked": 2, "modes": 1, "match": 1, "pillars": 1}


def _display_width(value: object) -> int:
    """Characters a cell takes on screen (wide, e.g. Chinese, characters count twice).

    >>> _display_width("Seoul"), _display_width("首尔"), _display_width(0.5)
    (5, 4, 3)
    """
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown)


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    base = name.translate(_FORBIDDEN).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _put(cell, value: object) -> None:
    """Store ``value`` in ``cell``: text always as text, never as a formula.

    Text from a user's file that starts with ``=`` stays text (no formula, so no
    spreadsheet injection), and control characters XML refuses are dropped.
    """
    if value is None or value == "":
        return
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def _write_sheet(workbook, table: Table, used: set[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_title(table.sheet, used))
    for row_number, values in enumerate([table.headers, *table.rows], start=1):
        for column, value in enumerate(values, start=1):
            _put(sheet.cell(row=row_number, column=column), value)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index in range(len(table.headers)):
        letter = get_column_letter(index + 1)
        values = [table.headers[index]] + [row[index] for row in table.rows if index < len(row)]
        widest = max((_display_width(v) for v in values if v not in (None, "")), default=8)
        sheet.column_dimensions[letter].width = min(max(widest + 2, 8), _MAX_WIDTH)
        wraps = widest > _MAX_WIDTH
        for cell in sheet[letter][1:]:
            if index in table.percent and isinstance(cell.value, (int, float)):
                cell.number_format = "0%"
            elif isinstance(cell.value, float):
                cell.number_format = "0.000###"
            if wraps:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=2, column=_FREEZE_AFTER.get(table.key, 0) + 1)
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    if table.note:
        note = sheet.cell(row=len(table.rows) + 3, column=1)
        _put(note, table.note)
        note.font = Font(italic=True)


def render_xlsx(context: dict, document: dict) -> bytes:
    """The workbook as bytes: a sheet per table of :func:`~oicplan.report.tables.report_tables`.

    ``context`` is :func:`oicplan.report.render.report_context` (its language is
    the workbook's), ``document`` the plan document (``plan.to_dict()``).
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in report_tables(context, document):
        _write_sheet(workbook, table, used)
    workbook.properties.title = clean_text(context["title"])
    workbook.properties.creator = "oicplan"
    workbook.properties.language = "zh-CN" if context["lang"] == "zh" else "en"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
