"""The NCSES field values of the snapshot against the shared CSVs, read independently (csv module).

Also what ``oicplan data sources`` and ``data show`` list of them (issue 12).
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from pathlib import Path

import pytest

from oicplan.data.fields import FIELD_SNAPSHOT_FILE, FIELD_SOURCES, load_field_values
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.services.data import DataShowRequest, DataSourcesRequest, data_show, data_sources

SHARED_FIELDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "fields"

needs_shared = pytest.mark.skipif(not SHARED_FIELDS.is_dir(),
                                  reason="shared/data/fields not beside the clone")


def _raw(source: str) -> list[dict[str, str]]:
    with open(SHARED_FIELDS / FIELD_SOURCES[source], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _editions() -> dict[tuple[str, str], tuple[str, str]]:
    with open(SHARED_FIELDS / "sources.csv", encoding="utf-8", newline="") as handle:
        return {(row["file"], row["field"]): (row["source_table"], row["sei_edition_inferred"])
                for row in csv.DictReader(handle)}


def _snapshot_rows() -> list[dict[str, str]]:
    with gzip.open(SNAPSHOT_DIR / FIELD_SNAPSHOT_FILE, "rt", encoding="utf-8", newline="") as h:
        return list(csv.DictReader(h))


@needs_shared
def test_every_snapshot_field_value_equals_the_shared_csv():
    snapshot = defaultdict(dict)
    for row in _snapshot_rows():
        snapshot[row["source"]][(row["iso3"], row["field"], int(row["year"]))] = row
    editions = _editions()
    for source, file_name in FIELD_SOURCES.items():
        raw = _raw(source)
        assert len(raw) == len(snapshot[source]), source
        for row in raw:
            kept = snapshot[source][(row["iso3"], row["field"], int(row["year"]))]
            if row["value"] == "":
                assert kept["value"] == "" and kept["flag"] == row["flag"]
            else:
                assert math.isclose(float(kept["value"]), float(row["value"]), rel_tol=0,
                                    abs_tol=1e-9), (source, row)
            assert kept["unit"] == row["unit"] and kept["economy"] == row["economy"]
            assert kept["source_table"] == row["source_table"]
            assert kept["wipo_area"] == row.get("wipo_area", "")
            assert (kept["source_table"], kept["edition"]) == editions[(file_name, row["field"])]


@needs_shared
def test_data_sources_list_each_field_source_with_tables_and_editions():
    listed = {s["id"]: s for s in data_sources(DataSourcesRequest()).document()}
    editions = _editions()
    for source, file_name in FIELD_SOURCES.items():
        entry = listed[f"ncses/{source}"]
        own = {table: edition for (name, _), (table, edition) in editions.items()
               if name == file_name}
        assert set(entry["tables"]) == set(own)
        assert entry["editions"] == sorted(set(own.values()))
        years = [int(row["year"]) for row in _raw(source)]
        assert entry["years"] == [min(years), max(years)]
        assert entry["licence"] and entry["citation"].count("Science and Engineering Indicators")


@needs_shared
@pytest.mark.parametrize("iso3", ["KAZ", "DEU"])
def test_data_show_lists_the_latest_field_values_with_table_edition_and_year(iso3):
    shown = data_show(DataShowRequest(iso3=iso3)).document()["fields"]
    editions = _editions()
    expected = {}
    for source, file_name in FIELD_SOURCES.items():
        for row in _raw(source):
            if row["iso3"] != iso3 or row["value"] == "":
                continue
            key = (source, row["field"])
            if key not in expected or int(row["year"]) > expected[key][0]:
                expected[key] = (int(row["year"]), float(row["value"]), row["source_table"],
                                 editions[(file_name, row["field"])][1])
    got = {(item["source"], item["field"]): (item["year"], item["value"], item["source_table"],
                                             item["edition"]) for item in shown}
    assert got == expected
    assert all(item["name_zh"] for item in shown)


def test_data_show_of_an_economy_without_field_data_has_none():
    # Kosovo (XKX) has articles; pick an economy of the dataset that NCSES does not list.
    from oicplan.data import load_dataset
    from oicplan.data.fields import load_field_values

    covered = set(load_field_values()["iso3"])
    dataset = load_dataset()
    uncovered = [code for code in dataset.countries.index if code not in covered]
    assert uncovered, "every economy of the dataset has field data"
    assert data_show(DataShowRequest(iso3=uncovered[0])).document()["fields"] == []


def test_field_sources_read_in_chinese():
    """The entries data build writes into sources.json read in Chinese (oicplan.data.sources_zh)."""
    from oicplan.data.fields import field_source_catalogue
    from oicplan.data.sources_zh import SOURCE_FIELDS, sources_in
    from tests.data.test_sources_zh import _HAN, _NAMES, _WORD

    entries = field_source_catalogue(load_field_values())
    assert len(entries) == len(FIELD_SOURCES)
    for source in sources_in(entries, "zh"):
        for field in SOURCE_FIELDS:
            text = source[field]
            assert _HAN.search(text), (source["id"], field, text)
            assert not _WORD.search(_NAMES.sub("", text)), (source["id"], field, text)
