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

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

from oicplan.errors import InputError, spreadsheet_row

__all__ = [
    "WDI_FILE_SCHEMA",
    "WGI_FILE_SCHEMA",
    "FACT_SCHEMAS",
    "validate_table",
    "read_csv_checked",
]

_YEAR = pa.Check.in_range(1900, 2100, error="a year between 1900 and 2100")

WDI_FILE_SCHEMA = pa.DataFrameSchema(
    {
        "Country Name": pa.Column(str, nullable=False),
        "Country Code": pa.Column(str, pa.Check.str_matches(r"^[A-Z0-9]{3}$"), nullable=False),
        "Year": pa.Column(int, _YEAR, coerce=True, nullable=False),
        "Value": pa.Column(float, coerce=True, nullable=False),
    },
    strict=False,
)

WGI_FILE_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False),
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
_LEADING_NUMBER = pa.Check.str_matches(r"^\d+(\.\d+)?\b")
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
            "source": pa.Column(str),
            "as_of": _text(),
        }
    ),
    "yixinou_routes": pa.DataFrameSchema(
        {
            "origin": pa.Column(str),
            "destination_city": pa.Column(str),
            "iso3": pa.Column(str, _ISO3),
            "distance_km": _text(),
            "transit_days": _text(),
            "border_crossing": _text(),
            "transit_countries": _text(_ISO3_LIST),
            # Placeholder rows ("NOT FOUND") have no source; they are skipped, not used.
            "source": pa.Column(str, nullable=True),
            "as_of": _text(),
        }
    ),
}


def _describe_failure(check: str, value: object) -> str:
    if "coerce" in check or "dtype" in check:
        wanted = "a whole number" if "int" in check else "a number"
        return f"expected {wanted}, got {value!r}"
    if "not_nullable" in check:
        return "a value is required here but the cell is empty"
    if "column_in_dataframe" in check or "column_in_schema" in check:
        return f"required column is missing ({value})"
    if "field_uniqueness" in check or "unique" in check:
        return f"value {value!r} appears more than once"
    if check == "known_iso3":
        return f"unknown country code {value!r} (not an ISO 3166-1 alpha-3 code)"
    if check == "known_iso3_list":
        unknown = [code for code in str(value).split(";") if code not in KNOWN_ECONOMY_CODES]
        named = ", ".join(repr(code) for code in unknown)
        return (
            f"unknown country code{'s' if len(unknown) > 1 else ''} {named} in {value!r} "
            "(a list of ISO 3166-1 alpha-3 codes separated by ';')"
        )
    if "str_matches('^(member|unclear|withdrawn)" in check:
        return f"status {value!r} does not start with member, unclear or withdrawn"
    return f"value {value!r} fails the check {check}"


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
        raise InputError(
            _describe_failure(check, value),
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
