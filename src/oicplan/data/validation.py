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

_ISO3 = pa.Check.str_matches(r"^[A-Z]{3}$")
_LEADING_NUMBER = pa.Check.str_matches(r"^\d+(\.\d+)?\b")

# One schema per fact table: the columns oicplan reads, each checked.
FACT_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "bri_countries": pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, _ISO3, unique=True),
            "name": pa.Column(str),
            "status": pa.Column(str, nullable=False),
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
            "source": pa.Column(str),
        }
    ),
    "gii_clusters": pa.DataFrameSchema(
        {
            "edition": pa.Column(int, pa.Check.in_range(2007, 2100), coerce=True),
            "rank": pa.Column(int, pa.Check.ge(1), coerce=True),
            "economy_iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$")),
            "main_cities": pa.Column(str),
            "source": pa.Column(str),
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
        {"iso3": pa.Column(str, _ISO3, nullable=True), "source": pa.Column(str)}
    ),
    "china_st_agreements": pa.DataFrameSchema(
        {"record_type": pa.Column(str), "source": pa.Column(str)}
    ),
    "yixinou_routes": pa.DataFrameSchema(
        {
            "origin": pa.Column(str),
            "destination_city": pa.Column(str),
            "iso3": pa.Column(str, _ISO3),
            # Placeholder rows ("NOT FOUND") have no source; they are skipped, not used.
            "source": pa.Column(str, nullable=True),
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
