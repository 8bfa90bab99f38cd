"""Figures kept as free text in the fact tables must still start with a number.

`distance_km` and `transit_days` of the rail routes, the GII scores and the
S&T agreement counts are text because real cells carry qualifiers ("11000+",
"~12000", "14 (planned)"); a cell such as "far" is refused with its file, row
and field. The second half checks that pandera's failures reach the user in
plain words (no check names such as ``greater_than_or_equal_to(0)``, no numpy
reprs such as ``np.float64(-5.0)``), whatever the schema.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.data.build import SNAPSHOT_DIR
from oicplan.data.facts import leading_number, read_facts
from oicplan.data.validation import (
    _WHOLE_NUMBER_START,
    WDI_FILE_SCHEMA,
    WGI_FILE_SCHEMA,
    validate_table,
)
from oicplan.errors import InputError

SHARED_FACTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "facts"
# The shared fact tables are the source; the package's snapshot holds the same files.
REAL_FACTS = SHARED_FACTS if SHARED_FACTS.is_dir() else SNAPSHOT_DIR / "facts"

# Words that would show pandera's or numpy's internals to a user.
INTERNALS = (
    "greater_than",
    "less_than",
    "in_range(",
    "isin(",
    "str_matches",
    "np.",
    "float64",
    "int64",
    "leading_number",
    "fails the check",
)


def _copy_with_cell(tmp_path: Path, table: str, row: int, field: str, text: str) -> Path:
    """A copy of the real fact tables with one cell (spreadsheet row, header = 1) changed."""
    folder = tmp_path / "facts"
    shutil.copytree(REAL_FACTS, folder)
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(field)] = text
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def test_real_fact_tables_pass_and_every_figure_is_read():
    facts = read_facts(REAL_FACTS)
    routes = facts["yixinou_routes"]
    cells = [text for column in ("distance_km", "transit_days") for text in routes[column].dropna()]
    assert cells, "the real routes table has published figures"
    # The forms the audit saw in the real file are among them, and every one is read.
    assert {"11000+", "~12000", "14 (planned)"} <= set(cells)
    assert all(leading_number(text) is not None for text in cells)
    assert leading_number("~12000") == 12000.0
    assert leading_number("13052 (13,000+)") == 13052.0
    counts = facts["china_st_agreements"]["count_agreements"].dropna()
    assert len(counts) > 0 and all(leading_number(text) is not None for text in counts)


@pytest.mark.parametrize(
    ("table", "row", "field", "text"),
    [
        ("yixinou_routes", 4, "distance_km", "far"),
        ("yixinou_routes", 3, "transit_days", "three weeks"),
        ("yixinou_routes", 4, "distance_km", "-5"),
        ("gii_scores", 2, "score", "high"),
        ("china_st_agreements", 3, "count_agreements", "many"),
    ],
)
def test_a_figure_that_is_not_a_number_names_file_row_and_field(tmp_path, table, row, field, text):
    folder = _copy_with_cell(tmp_path, table, row, field, text)
    with pytest.raises(InputError) as error:
        read_facts(folder)
    assert error.value.file == str(folder / f"{table}.csv")
    assert error.value.row == row
    assert error.value.field == field
    assert repr(text) in error.value.message
    assert not any(word in error.value.message for word in INTERNALS), error.value.message


@pytest.mark.parametrize(
    "text",
    [
        "10399",
        "11000+",
        "~12000",
        "≈ 12000",
        "about 12000",
        "About 12,000",
        "c. 11000",
        "ca.9000",
        "circa 9000",
        "approx. 16",
        "14 (planned)",
        "18 (return ~20)",
        "13,052",
        "29.7",
    ],
)
def test_accepted_forms(text):
    assert _WHOLE_NUMBER_START.match(text)
    assert leading_number(text) is not None


@pytest.mark.parametrize("text", ["far", "n/a", "-5", "12km", "1,5", "about", "x 12", "1.2.3"])
def test_refused_forms(text):
    assert _WHOLE_NUMBER_START.match(text) is None


def test_data_build_refuses_far_with_one_error_line(tmp_path, wdi_fixture_dir, wgi_fixture_dir):
    folder = _copy_with_cell(tmp_path, "yixinou_routes", 4, "distance_km", "far")
    out = tmp_path / "x"
    result = CliRunner().invoke(
        app,
        [
            "data",
            "build",
            "--wdi-dir",
            str(wdi_fixture_dir),
            "--wgi-dir",
            str(wgi_fixture_dir),
            "--facts-dir",
            str(folder),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {folder / 'yixinou_routes.csv'}, row 4, field distance_km:")
    assert "'far'" in lines[0]
    assert not (out / "manifest.json").exists()


def _failure(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> InputError:
    with pytest.raises(InputError) as error:
        validate_table(frame, schema, "t.csv")
    assert not any(word in str(error.value) for word in INTERNALS), str(error.value)
    return error.value


def test_allowed_values_check_in_plain_words():
    frame = pd.DataFrame(
        {
            "code": ["KAZ", "KAZ"],
            "countryname": ["Kazakhstan"] * 2,
            "year": [2022, 2023],
            "indicator": ["pv", "xx"],
            "estimate": [0.1, 0.2],
        }
    )
    error = _failure(frame, WGI_FILE_SCHEMA)
    assert (error.row, error.field) == (3, "indicator")
    assert error.message == "must be one of 'cc', 'ge', 'pv', 'rl', 'rq', 'va', got 'xx'"


def test_greater_or_equal_and_range_checks_in_plain_words():
    schema = pa.DataFrameSchema(
        {
            "value": pa.Column(float, pa.Check.ge(0), coerce=True),
            "share": pa.Column(float, pa.Check.in_range(0, 1, include_min=False), coerce=True),
            "count": pa.Column(int, pa.Check.lt(10), coerce=True),
        }
    )
    error = _failure(
        pd.DataFrame({"value": ["1", "-5"], "share": [0.5, 0.5], "count": [1, 1]}), schema
    )
    assert (error.row, error.field, error.message) == (3, "value", "must be a number >= 0, got -5")
    error = _failure(pd.DataFrame({"value": [1.5], "share": [0.0], "count": [1]}), schema)
    assert error.message == "must be a number > 0 and <= 1, got 0"
    error = _failure(pd.DataFrame({"value": [1.5], "share": [0.5], "count": [12]}), schema)
    assert error.message == "must be a number < 10, got 12"


def test_code_pattern_and_custom_check_in_plain_words():
    frame = pd.DataFrame(
        {"Country Name": ["Aruba"], "Country Code": ["ab"], "Year": [2020], "Value": [1.0]}
    )
    error = _failure(frame, WDI_FILE_SCHEMA)
    assert error.message == "expected a code of 3 capital letters or digits, got 'ab'"
    unnamed = pa.DataFrameSchema({"v": pa.Column(float, pa.Check(lambda s: s < 3))})
    error = _failure(pd.DataFrame({"v": [1.0, 2.5, 7.0]}), unnamed)
    assert (error.row, error.message) == (4, "value 7 is not allowed here")


def test_type_failures_in_plain_words():
    text_column = pa.DataFrameSchema({"v": pa.Column(str, pa.Check.str_matches("^a"))})
    error = _failure(pd.DataFrame({"v": ["abc", 1.5]}), text_column)
    assert (error.row, error.message) == (3, "expected text, got 1.5")
    whole = _failure(pd.DataFrame({"v": [1.5]}), pa.DataFrameSchema({"v": pa.Column(int)}))
    assert whole.row is None
    assert whole.message == "expected a whole number in every cell, but the column holds a number"
