"""``oicplan watch rising`` against the shared NCSES CSVs, recomputed here with the csv module.

The oracle reads ``shared/data/fields/*.csv`` directly (not the snapshot, not
oicplan's reader) and applies the definitions of docs/watch.md: CAGR from the start
to the end value, shares over the sum of every economy of the file in that field and
year, RTA against the file's own all-fields row.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oicplan.cli.runtime import guarded
from oicplan.cli.watch import watch_app
from oicplan.data.fields import load_field_values
from oicplan.errors import InputError
from oicplan.techwatch.trends import DEFAULT_MIN_SIZE, resolve_field, rising

FIELDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "fields"
needs_shared = pytest.mark.skipif(
    not FIELDS_DIR.is_dir(), reason="shared/data/fields not beside the clone"
)

ROW_KEYS = [
    "iso3", "economy", "field", "source", "start_year", "end_year", "start_value",
    "end_value", "cagr", "share_start", "share_end", "rta_start", "rta_end",
]


def _read(name: str) -> dict[tuple[str, int], dict[str, float]]:
    """(field, year) -> iso3 -> value, the empty (na/ne) cells left out."""
    table: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    with open(FIELDS_DIR / name, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["value"] != "":
                table[(row["field"], int(row["year"]))][row["iso3"]] = float(row["value"])
    return table


def _expected(name, field, total, since, until, min_size, *, size_file=None):
    """The rows rising() must give, computed from the raw file."""
    table = _read(name)
    start, end = table[(field, since)], table[(field, until)]
    sizes = _read(size_file)[(field, since)] if size_file else start

    def shares(year_values):
        world = sum(year_values.values())
        return {iso3: v / world for iso3, v in year_values.items()}

    def rtas(year, year_values):
        if total is None:
            return {}
        totals = table[(total, year)]
        world = sum(year_values.values()) / sum(totals.values())
        return {iso3: (v / totals[iso3]) / world for iso3, v in year_values.items()
                if totals.get(iso3)}

    share_s, share_e = shares(start), shares(end)
    rta_s, rta_e = rtas(since, start), rtas(until, end)
    rows = {}
    for iso3, first in start.items():
        if iso3 not in end or not first > 0 or not sizes.get(iso3, -1) >= min_size:
            continue
        rows[iso3] = {
            "start_value": first,
            "end_value": end[iso3],
            "cagr": (end[iso3] / first) ** (1 / (until - since)) - 1,
            "share_start": share_s[iso3],
            "share_end": share_e[iso3],
            "rta_start": rta_s.get(iso3),
            "rta_end": rta_e.get(iso3),
        }
    return rows


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-8)


CASES = [
    # file, source, field, total row, since, until, min size
    ("ncses_uspto_patents_by_wipo_field.csv", "uspto", "Semiconductors", "All technologies",
     2010, 2020, 20.0),
    ("ncses_ipf_granted_by_wipo_field.csv", "patent_families", "Medical technology",
     "All technologies", 2005, 2020, 50.0),
    ("ncses_pct_applications_by_tech_area.csv", "pct", "Electrical engineering",
     "All technologies", 2017, 2022, 50.0),
    ("ncses_articles_by_field_fractional.csv", "articles", "Materials science",
     "All S&E fields", 2012, 2022, 100.0),
    ("ncses_kti_value_added_by_industry.csv", "kti", "Pharmaceuticals", "All KTI industries",
     2009, 2019, 100.0),
    ("ncses_uspto_env_sustainability_patents.csv", "uspto_env",
     "Climate change mitigation: transportation",
     "All environmental sustainability technologies", 2012, 2022, 10.0),
]


@pytest.fixture(scope="module")
def values():
    return load_field_values()


@needs_shared
@pytest.mark.parametrize(("name", "source", "field", "total", "since", "until", "size"), CASES)
def test_growth_shares_and_rta_equal_a_recount_from_the_raw_csv(
    values, name, source, field, total, since, until, size
):
    expected = _expected(name, field, total, since, until, size)
    out = rising(values, field, source=source, since=since, until=until)
    assert out["min_size"] == size == DEFAULT_MIN_SIZE[source]
    assert {r["iso3"] for r in out["rows"]} == set(expected)
    assert out["eligible"] == len(expected) > 3
    for row in out["rows"]:
        want = expected[row["iso3"]]
        for key, value in want.items():
            assert _close(row[key], value), (row["iso3"], key, row[key], value)
    cagrs = [r["cagr"] for r in out["rows"]]
    assert cagrs == sorted(cagrs, reverse=True)


@needs_shared
def test_top1pct_has_no_share_or_rta_and_filters_by_article_counts(values):
    expected = _expected("ncses_top1pct_cited_share_by_field.csv", "Chemistry", None, 2010,
                         2020, 500.0, size_file="ncses_articles_by_field_fractional.csv")
    out = rising(values, "Chemistry", source="top1pct", since=2010, until=2020)
    assert {r["iso3"] for r in out["rows"]} == set(expected)
    for row in out["rows"]:
        assert _close(row["cagr"], expected[row["iso3"]]["cagr"])
        assert row["share_start"] is row["share_end"] is row["rta_start"] is row["rta_end"] is None


@needs_shared
def test_ai_articles_have_shares_but_no_rta(values):
    expected = _expected("ncses_ai_articles_whole.csv", "Artificial intelligence", None, 2012,
                         2022, 100.0)
    out = rising(values, "artificial intelligence", since=2012, until=2022, top=None)
    assert out["source"] == "ai_articles"
    assert {r["iso3"] for r in out["rows"]} == set(expected)
    for row in out["rows"]:
        assert _close(row["share_end"], expected[row["iso3"]]["share_end"])
        assert row["rta_start"] is None and row["rta_end"] is None


def test_min_size_and_top_cut_the_rows(values):
    every = rising(values, "Chemistry", source="pct", since=2012, until=2022, min_size=0)
    big = rising(values, "Chemistry", source="pct", since=2012, until=2022, min_size=1000)
    assert every["eligible"] > big["eligible"] > 0
    assert all(r["start_value"] >= 1000 for r in big["rows"])
    assert len(rising(values, "Chemistry", source="pct", top=3)["rows"]) == 3


def test_fields_are_named_in_any_case_in_english_or_chinese(values):
    assert resolve_field(values, "  SEMICONDUCTORS ") == ("patent_families", "Semiconductors")
    assert resolve_field(values, "电气工程") == ("pct", "Electrical engineering")
    assert resolve_field(values, "chemistry", source="articles") == ("articles", "Chemistry")


@pytest.mark.parametrize(
    ("name", "source", "field", "words"),
    [
        ("semiconductr", None, "field", "Semiconductors"),
        ("Semiconductors", "articles", "field", "patent_families"),
        ("Chemistry", "scopus", "source", "patent_families"),
    ],
)
def test_a_bad_field_or_source_is_named(values, name, source, field, words):
    with pytest.raises(InputError) as caught:
        resolve_field(values, name, source=source)
    assert caught.value.field == field and words in caught.value.message


def test_a_window_outside_the_data_is_refused(values):
    with pytest.raises(InputError) as caught:
        rising(values, "Semiconductors", source="uspto", until=2022)
    assert caught.value.field == "until"
    with pytest.raises(InputError) as caught:
        rising(values, "Semiconductors", source="uspto", since=2020, until=2015)
    assert caught.value.field == "since"


runner = CliRunner()
app = guarded(watch_app)


def test_cli_json_has_the_exact_keys():
    result = runner.invoke(app, ["rising", "--field", "computer technology", "--source",
                                 "uspto", "--since", "2010", "--until", "2020", "--top", "4",
                                 "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"field", "source", "since", "until", "min_size", "rows"} <= set(document)
    assert (document["field"], document["source"], document["since"], document["until"]) == (
        "Computer technology", "uspto", 2010, 2020)
    assert len(document["rows"]) == 4
    assert all(list(row) == ROW_KEYS for row in document["rows"])


def test_cli_unknown_field_is_one_line_exit_2():
    result = runner.invoke(app, ["rising", "--field", "semiconductr"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "semiconductr" in lines[0] and "Semiconductors" in lines[0]
