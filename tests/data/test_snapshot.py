"""The embedded snapshot: real values with provenance, checked against the raw files."""

from __future__ import annotations

import csv

import pytest

from oicplan.data import load_dataset
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def _latest_from_raw(code: str, iso3: str) -> tuple[int, float]:
    path = SHARED_DATA / "wdi" / f"{code.lower()}.csv"
    if not path.is_file():
        pytest.skip(f"raw WDI file {path} not present")
    with path.open(encoding="utf-8") as handle:
        rows = [
            (int(r["Year"]), float(r["Value"]))
            for r in csv.DictReader(handle)
            if r["Country Code"] == iso3
        ]
    return max(rows)


@pytest.mark.parametrize(
    "iso3, code",
    [
        ("DEU", "GB.XPD.RSDV.GD.ZS"),
        ("KAZ", "NY.GDP.MKTP.CD"),
        ("SGP", "SP.POP.SCIE.RD.P6"),
        ("UZB", "SE.TER.ENRR"),
    ],
)
def test_latest_values_equal_the_raw_files(dataset, iso3, code):
    observation = dataset.value(iso3, code)
    year, value = _latest_from_raw(code, iso3)
    assert observation.year == year
    assert observation.value == pytest.approx(value, rel=1e-12)


def test_no_aggregates_and_every_value_has_a_known_source(dataset):
    entities = set(dataset.latest["entity"])
    assert not entities & {"WLD", "EUU", "HIC", "SSF", "EAS", "OED"}
    source_ids = {source["id"] for source in dataset.sources}
    assert set(dataset.latest["source"]) <= source_ids
    assert dataset.latest["year"].notna().all()


def test_sources_have_licence_and_as_of(dataset):
    for source in dataset.sources:
        assert source["licence"] and source["as_of"], source["id"]
    wdi = next(s for s in dataset.sources if s["id"] == "wdi")
    assert "CC BY 4.0" in wdi["licence"] and "4ebec5a" in wdi["citation"]


def test_country_metadata_has_chinese_names_and_coordinates(dataset):
    kazakhstan = dataset.countries.loc["KAZ"]
    assert kazakhstan["name_zh"] == "哈萨克斯坦"
    assert kazakhstan["continent"] == "Asia"
    assert 50 < kazakhstan["lat"] < 52  # Astana
    assert dataset.countries.loc["NAM", "iso2"] == "NA"  # not read as missing


def test_candidate_sites_cover_every_site_type_and_exclude_home(dataset):
    sites = dataset.sites
    assert set(sites["site_type"]) == {
        "capital",
        "major_city",
        "st_cluster",
        "zone",
        "existing_center",
        "rail_node",
    }
    assert not set(sites["iso3"]) & {"CHN", "HKG", "MAC", "TWN"}
    assert sites["lat"].between(-90, 90).all() and sites["lon"].between(-180, 180).all()
    madrid = sites.set_index("site_id").loc["ESP-madrid"]
    assert "rail_node" in madrid["types"] and "st_cluster" in madrid["types"]
    rayong = sites.set_index("site_id").loc["THA-rayong"]
    assert rayong["site_type"] == "zone"


def test_gaps_are_listed_not_filled(dataset):
    gaps = " ".join(dataset.manifest["gaps"])
    assert "Yiwu–Warsaw" in gaps and "China–Israel" in gaps
    assert "POL-warsaw" not in set(
        dataset.sites[dataset.sites["types"].str.contains("rail")]["site_id"]
    )


def test_series_spans_fifteen_years(dataset):
    first, last = dataset.manifest["series_years"]
    assert last - first == 14
    assert dataset.series["year"].between(first, last).all()
