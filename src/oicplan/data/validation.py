"""Validation of every input table, with errors that name the file, row and column.

pandera checks the tables (it is the most widely used dataframe validator and
reports every failing cell with its index); this module turns its first
failure into an :class:`~oicplan.errors.InputError` whose row is numbered as a
spreadsheet shows it (header = row 1).

>>> import pandas as pd
>>> frame = pd.DataFrame({"Country Name": ["Aruba"], "Country Code": ["ABW"],
...                       "Year": ["x"], "Value": [1.0]})
>>> try:
...     validate_table(frame, WDI_FILE_SCHEMA, "gdp.csv")
... except Exception as error:
...     print(error)
gdp.csv, row 2, field Year: expected a whole number, got 'x'
"""

from __future__ import annotations

import contextlib
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pycountry

from oicplan.errors import InputError, spreadsheet_row

__all__ = [
    "WDI_FILE_SCHEMA",
    "WGI_FILE_SCHEMA",
    "FACT_SCHEMAS",
    "NUMBER_START",
    "validate_table",
    "read_csv_checked",
]

_YEAR = pa.Check.in_range(1900, 2100, error="a year between 1900 and 2100")

WDI_FILE_SCHEMA = pa.DataFrameSchema(
    {
        "Country Name": pa.Column(str, nullable=False),
        "Country Code": pa.Column(
            str,
            pa.Check.str_matches(r"^[A-Z0-9]{3}$", error="a code of 3 capital letters or digits"),
            nullable=False,
        ),
        "Year": pa.Column(int, _YEAR, coerce=True, nullable=False),
        "Value": pa.Column(float, coerce=True, nullable=False),
    },
    strict=False,
)

WGI_FILE_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(
            str,
            pa.Check.str_matches(r"^[A-Z]{3}$", error="a code of 3 capital letters"),
            nullable=False,
        ),
        "countryname": pa.Column(str, nullable=False),
        "year": pa.Column(int, _YEAR, coerce=True, nullable=False),
        "indicator": pa.Column(str, pa.Check.isin(["va", "pv", "ge", "rq", "rl", "cc"])),
        "estimate": pa.Column(float, coerce=True, nullable=True),
    },
    strict=False,
)

# Economy codes a fact table may use: ISO 3166-1 alpha-3, and Kosovo's XKX (the World
# Bank's code for an economy without an ISO code; see oicplan.data.worldbank).
KNOWN_ECONOMY_CODES = frozenset(country.alpha_3 for country in pycountry.countries) | {"XKX"}

# A well-formed but unknown code ("XXZ") would otherwise pass and fail much later,
# far from its row; the check names the row and the column that hold it.
_ISO3 = pa.Check(lambda codes: codes.isin(KNOWN_ECONOMY_CODES), name="known_iso3")
_ISO3_LIST = pa.Check(
    lambda text: all(code in KNOWN_ECONOMY_CODES for code in text.split(";")),
    element_wise=True,
    name="known_iso3_list",
)
# A fact cell that holds a figure starts with it and may say more after it: "11000+",
# "~12000", "13052 (13,000+)", "14 (planned)", "18 (return ~20)". An approximate figure
# may open with "~", "≈", "about", "approx.", "c.", "ca." or "circa"; a thousands
# comma is allowed ("13,052"). NUMBER_START reads the figure (oicplan.data.facts.
# leading_number uses it); the check also wants the figure to end there, so that
# "far", "12km", "1,5" or "-5" are refused.
NUMBER_START = re.compile(
    r"\s*(?:(?:~|≈|(?:about|approx|approximately|circa)\b\.?|ca\.|c\.)\s*)?"
    r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?",
    re.IGNORECASE,
)
_WHOLE_NUMBER_START = re.compile(NUMBER_START.pattern + r"(?![.,]?\d)(?!\w)", re.IGNORECASE)
_LEADING_NUMBER = pa.Check(
    lambda text: _WHOLE_NUMBER_START.match(text) is not None,
    element_wise=True,
    name="leading_number",
)
_BRI_STATUS = pa.Check.str_matches(r"^(member|unclear|withdrawn)\b")


def _text(*checks: pa.Check) -> pa.Column:
    """A text column that must be present but may have empty cells."""
    return pa.Column(str, list(checks), nullable=True)


# One schema per fact table: every column that oicplan reads (the build, the sites,
# the rail routes, the source catalogue), each checked, so that a broken row is
# reported here, with its file, row and column, and not later by whatever uses it.
FACT_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "bri_countries": pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, _ISO3, unique=True),
            "name": pa.Column(str),
            "date_signed": _text(),
            "status": pa.Column(str, _BRI_STATUS, nullable=False),
            "status_note": _text(),
            "source": pa.Column(str, nullable=False),
            "as_of": pa.Column(str, nullable=False),
        }
    ),
    "bri_countries_gfdc_2023-12": pa.DataFrameSchema(
        {
            "Country Code": pa.Column(str, _ISO3),
            "Region": pa.Column(str, nullable=True),
            "IncomeGroup": pa.Column(str, nullable=True),
        }
    ),
    "gii_scores": pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, _ISO3),
            "edition": pa.Column(int, pa.Check.in_range(2007, 2100), coerce=True),
            # Some cells carry a note after the number ("29.7 (as printed)").
            "score": pa.Column(str, _LEADING_NUMBER, nullable=True),
            "rank": pa.Column(str, _LEADING_NUMBER, nullable=True),
            **{
                pillar: _text(_LEADING_NUMBER)
                for pillar in (
                    "institutions",
                    "human_capital_research",
                    "infrastructure",
                    "market_sophistication",
                    "business_sophistication",
                    "knowledge_technology_outputs",
                    "creative_outputs",
                )
            },
            "source": pa.Column(str),
            "as_of": _text(),
        }
    ),
    "gii_clusters": pa.DataFrameSchema(
        {
            "edition": pa.Column(int, pa.Check.in_range(2007, 2100), coerce=True),
            "rank": pa.Column(int, pa.Check.ge(1), coerce=True),
            "cluster": pa.Column(str),
            "economy_iso3": pa.Column(str, _ISO3_LIST),
            "main_cities": pa.Column(str),
            "source": pa.Column(str),
            "as_of": _text(),
        }
    ),
    "zhejiang_zones": pa.DataFrameSchema(
        {
            "name_en": pa.Column(str),
            "iso3": pa.Column(str, _ISO3),
            "level": pa.Column(str, nullable=True),
            "source": pa.Column(str),
            "as_of": pa.Column(str, coerce=True),
        }
    ),
    "zhejiang_overseas_centers": pa.DataFrameSchema(
        {
            "name": pa.Column(str),
            "iso3": pa.Column(str, _ISO3),
            "host_city": pa.Column(str),
            "source": pa.Column(str),
            "as_of": pa.Column(str, coerce=True),
        }
    ),
    "china_tax_treaties": pa.DataFrameSchema(
        {"iso3": pa.Column(str, _ISO3, nullable=True), "source": pa.Column(str), "as_of": _text()}
    ),
    "china_st_agreements": pa.DataFrameSchema(
        {
            "record_type": pa.Column(str),
            "iso3": _text(_ISO3),
            # Not read by oicplan, but copied into the snapshot: a count must be a figure.
            "count_agreements": pa.Column(str, _LEADING_NUMBER, nullable=True, required=False),
            "count_partner_countries": pa.Column(
                str, _LEADING_NUMBER, nullable=True, required=False
            ),
            "source": pa.Column(str),
            "as_of": _text(),
        }
    ),
    "yixinou_routes": pa.DataFrameSchema(
        {
            "origin": pa.Column(str),
            "destination_city": pa.Column(str),
            "iso3": pa.Column(str, _ISO3),
            "distance_km": _text(_LEADING_NUMBER),
            "transit_days": _text(_LEADING_NUMBER),
            "border_crossing": _text(),
            "transit_countries": _text(_ISO3_LIST),
            # Placeholder rows ("NOT FOUND") have no source; they are skipped, not used.
            "source": pa.Column(str, nullable=True),
            "as_of": _text(),
        }
    ),
}


def _shown(value: object) -> str:
    """A cell value as a user would write it: -5 (not np.float64(-5.0)), 'text' quoted.

    >>> import numpy as np
    >>> _shown(np.float64(-5.0)), _shown(np.int64(3)), _shown(2.5), _shown("far")
    ('-5', '3', '2.5', "'far'")
    """
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()  # a numpy scalar becomes the Python value it holds
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "an empty cell"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _listed(values: Any, limit: int = 12) -> str:
    items = list(values) if not isinstance(values, str) else [values]
    with contextlib.suppress(TypeError):
        items = sorted(items)
    shown = ", ".join(_shown(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


_KINDS = (
    ("int", "a whole number"),
    ("float", "a number"),
    ("bool", "true or false"),
    ("datetime", "a date"),
    ("date", "a date"),
    ("str", "text"),
    ("object", "text"),
)


def _kind(check: str) -> str:
    wanted = check.lower()
    return next((kind for key, kind in _KINDS if key in wanted), "a value of the right kind")


def _describe_check(check: pa.Check, value: str) -> str | None:
    """Plain words for a failed pandera check object, from its name and bounds."""
    name = getattr(check, "name", None)
    stats = getattr(check, "statistics", None) or {}
    error = getattr(check, "error", None)
    # A built-in check's default error is its call ("in_range(1900, 2100)"); only an
    # error text the schema gave ("a year between 1900 and 2100") is shown as it is.
    if error and not str(error).startswith(f"{name}("):
        return f"expected {error}, got {value}"
    bound = {
        "greater_than_or_equal_to": ">=",
        "greater_than": ">",
        "less_than_or_equal_to": "<=",
        "less_than": "<",
    }
    if name in bound:
        limit = stats.get("min_value", stats.get("max_value"))
        return f"must be a number {bound[name]} {_shown(limit)}, got {value}"
    if name == "in_range":
        low, high = _shown(stats.get("min_value")), _shown(stats.get("max_value"))
        if stats.get("include_min", True) and stats.get("include_max", True):
            return f"must be a number from {low} to {high}, got {value}"
        above = ">=" if stats.get("include_min", True) else ">"
        below = "<=" if stats.get("include_max", True) else "<"
        return f"must be a number {above} {low} and {below} {high}, got {value}"
    if name == "equal_to":
        return f"must be {_shown(stats.get('value'))}, got {value}"
    if name == "not_equal_to":
        return f"must not be {_shown(stats.get('value'))}"
    if name == "isin":
        return f"must be one of {_listed(stats.get('allowed_values', ()))}, got {value}"
    if name == "notin":
        return f"{value} is not allowed here"
    if name == "str_length":
        shortest, longest = stats.get("min_value"), stats.get("max_value")
        if longest is None:
            if shortest in (None, 0, 1):
                return "a value is required here but the cell is empty"
            return f"must be at least {shortest} characters long, got {value}"
        if shortest is None:
            return f"must be at most {longest} characters long, got {value}"
        return f"must be {shortest} to {longest} characters long, got {value}"
    if name in ("str_startswith", "str_endswith", "str_contains"):
        verb = {
            "str_startswith": "start with",
            "str_endswith": "end with",
            "str_contains": "contain",
        }[name]
        return f"must {verb} {_shown(stats.get('string', stats.get('pattern')))}, got {value}"
    if name == "str_matches":
        return f"{value} is not in the expected form"
    return None


def _describe_failure(
    check: str, value: object, check_object: pa.Check | None = None, whole_column: bool = False
) -> str:
    """One plain sentence for a pandera failure: no check name or numpy repr reaches the user.

    ``whole_column`` is true when pandera names no row (the failure is the column's).
    """
    shown = _shown(value)
    if whole_column and isinstance(value, str) and re.match(r"^\w*(Error|Exception)\(", value):
        # The check raised: a text check met numbers, or the reverse.
        if check.startswith("str_") or check == "leading_number":
            return "expected text in this column, but it holds other values"
        return "the values in this column could not be checked"
    if check.startswith("coerce_dtype"):
        return f"expected {_kind(check)}, got {shown}"
    if check.startswith("dtype") and not whole_column:
        return f"expected {_kind(check)}, got {shown}"
    if check.startswith("dtype"):
        return f"expected {_kind(check)} in every cell, but the column holds {_kind(str(value))}"
    if "not_nullable" in check:
        return "a value is required here but the cell is empty"
    if "column_in_dataframe" in check:
        return f"required column is missing ({value})"
    if "column_in_schema" in check:
        return f"unexpected column {shown}"
    if "field_uniqueness" in check or "unique" in check:
        return f"value {shown} appears more than once"
    if check == "known_iso3":
        return f"unknown country code {shown} (not an ISO 3166-1 alpha-3 code)"
    if check == "known_iso3_list":
        unknown = [code for code in str(value).split(";") if code not in KNOWN_ECONOMY_CODES]
        named = ", ".join(repr(code) for code in unknown)
        return (
            f"unknown country code{'s' if len(unknown) > 1 else ''} {named} in {shown} "
            "(a list of ISO 3166-1 alpha-3 codes separated by ';')"
        )
    if check == "leading_number":
        return (
            f"expected a number at the start of the cell (such as 12000, 11000+, ~12000, "
            f"about 12000 or 14 (planned)), got {shown}"
        )
    if "str_matches('^(member|unclear|withdrawn)" in check:
        return f"status {shown} does not start with member, unclear or withdrawn"
    if check_object is not None:
        described = _describe_check(check_object, shown)
        if described is not None:
            return described
    return f"value {shown} is not allowed here"


def _check_object(schema: pa.DataFrameSchema, column: Any, number: Any) -> pa.Check | None:
    """The pandera check that failed, found by its column and position in the schema."""
    if number is None or pd.isna(number):
        return None
    checks = schema.checks
    if column is not None and not pd.isna(column) and column in schema.columns:
        checks = schema.columns[column].checks
    try:
        return checks[int(number)]
    except (IndexError, TypeError, ValueError):
        return None


def validate_table(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path
) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; on failure raise an error naming file, row, field.

    Rows are numbered as a spreadsheet shows them: the header is row 1. The
    frame must have a default RangeIndex (as ``pd.read_csv`` gives).
    """
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        first = cases.iloc[0]
        column = first.get("column")
        index = first.get("index")
        check = str(first.get("check"))
        value = first.get("failure_case")
        row = None if index is None or pd.isna(index) else spreadsheet_row(int(index))
        if check.startswith("column_in_dataframe"):
            raise InputError(
                f"required column {value!r} is missing", file=str(file), field=str(value)
            ) from None
        check_object = _check_object(schema, column, first.get("check_number"))
        raise InputError(
            _describe_failure(check, value, check_object, whole_column=row is None),
            file=str(file),
            row=row,
            field=None if column is None or pd.isna(column) else str(column),
        ) from None


def read_csv_checked(path: str | Path, schema: pa.DataFrameSchema, **read_options) -> pd.DataFrame:
    """Read a CSV file and validate it; unreadable files also raise :class:`InputError`."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    try:
        frame = pd.read_csv(path, **read_options)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InputError(f"not a readable CSV file ({error})", file=str(path)) from None
    return validate_table(frame, schema, path)
