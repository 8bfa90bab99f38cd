"""City-level evidence (oicplan.data.cities) against a brute-force count on the shared CSVs.

The expectations are computed here from ``shared/data/cities`` with the csv module and a
haversine written out by hand, independently of the module's pandas and numpy code.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from oicplan.data import cities
from oicplan.data.paths import SNAPSHOT_DIR

SHARED_CITIES = Path(__file__).resolve().parents[3] / "shared" / "data" / "cities"
needs_shared = pytest.mark.skipif(
    not SHARED_CITIES.is_dir(), reason="shared/data/cities not beside the clone"
)

# Built-in sites (their snapshot coordinates) and a point no site table holds (Turin).
POINTS = {
    "AUT-vienna": None,
    "AUT-graz": None,
    "KOR-seoul": None,
    "KOR-busan": None,
    "SVN-maribor": None,
    "EST-tartu": None,
    "SGP-singapore": None,
    "turin": (45.07049, 7.68682, "ITA"),
}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _rows(name: str) -> list[dict[str, str]]:
    with open(SHARED_CITIES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def raw():
    orgs = [r for r in _rows("ror_organizations.csv") if r["status"] == "active"]
    airports = _rows("airports.csv")
    return orgs, airports


@pytest.fixture(scope="module")
def points():
    with open(SNAPSHOT_DIR / "sites.csv", encoding="utf-8", newline="") as handle:
        sites = {r["site_id"]: r for r in csv.DictReader(handle)}
    out = {}
    for key, given in POINTS.items():
        if given is None:
            row = sites[key]
            given = (float(row["lat"]), float(row["lon"]), row["iso3"])
        out[key] = given
    return out


def _brute(orgs, airports, lat, lon, iso3):
    radius = cities.RESEARCH_RADIUS_KM
    near = [o for o in orgs if _km(lat, lon, float(o["lat"]), float(o["lon"])) <= radius]
    by_type = {t: sum(t in o["types"].split(";") for o in near) for t in cities.ROR_TYPES}

    def host(o, kind):
        return o["iso3"] == iso3 and not o["parent_ror_ids"] and kind in o["types"].split(";")

    hosts, share = {}, {}
    for kind in ("education", "facility"):
        mine = [o for o in orgs if host(o, kind)]
        count = sum(1 for o in near if host(o, kind))
        peak = 0
        for centre in mine:
            c_lat, c_lon = float(centre["lat"]), float(centre["lon"])
            peak = max(peak, sum(
                1 for o in mine if _km(c_lat, c_lon, float(o["lat"]), float(o["lon"])) <= radius))
        peak = max(peak, count)
        hosts[kind] = count
        share[kind] = count / peak if peak else None
    large = [
        a for a in airports
        if a["type"] == "large_airport" and a["scheduled_service"] == "yes"
        and _km(lat, lon, float(a["lat"]), float(a["lon"])) <= cities.AIRPORT_RADIUS_KM
    ]
    return {"research_orgs": by_type, "research_orgs_total": len(near), "hosts": hosts,
            "host_share": share, "airports": sorted(a["iata_code"] or a["ident"] for a in large)}


@needs_shared
def test_local_counts_equal_a_brute_force_count_on_the_shared_csvs(raw, points):
    orgs, airports = raw
    for key, (lat, lon, iso3) in points.items():
        expected = _brute(orgs, airports, lat, lon, iso3)
        local = cities.local_evidence(lat, lon, iso3)
        assert local["radius_km"] == cities.RESEARCH_RADIUS_KM == 50.0
        assert local["research_orgs"] == expected["research_orgs"], key
        assert local["research_orgs_total"] == expected["research_orgs_total"], key
        assert local["hosts"] == expected["hosts"], key
        for kind, value in expected["host_share"].items():
            assert local["host_share"][kind] == pytest.approx(value, abs=1e-6), (key, kind)
        assert local["large_airports"]["radius_km"] == 100.0
        assert local["large_airports"]["count"] == len(expected["airports"]), key
        assert sorted(local["large_airports"]["iata"]) == expected["airports"], key


@needs_shared
def test_the_named_institutions_are_real_ror_records_within_the_radius(raw, points):
    orgs, _ = raw
    by_id = {o["ror_id"]: o for o in orgs}
    lat, lon, iso3 = points["AUT-vienna"]
    listed = cities.local_evidence(lat, lon, iso3)["institutions"]
    assert listed and len(listed) <= cities.INSTITUTIONS_SHOWN
    for item in listed:
        record = by_id[item["ror_id"]]
        assert item["name"] == record["name"]
        assert not record["parent_ror_ids"]
        km = _km(lat, lon, float(record["lat"]), float(record["lon"]))
        assert item["km"] == pytest.approx(km, abs=0.051) and km <= 50
    assert "University of Vienna" in {i["name"] for i in listed}


@needs_shared
def test_site_indicators_of_the_ranking_equal_the_counts(raw, points):
    """The engine's raw SITE.* values are the brute-force shares and airport counts."""
    from oicplan.data.dataset import load_dataset
    from oicplan.indicators.framework import load_framework
    from oicplan.indicators.sites import site_inputs

    orgs, airports = raw
    dataset = load_dataset()
    sites = dataset.sites[dataset.sites["site_id"].isin(list(points))]
    values, _, _, sources = site_inputs(dataset, sites, load_framework("default"))
    assert sources["SITE.ROR_EDUCATION"] == "ror"
    assert sources["SITE.LARGE_AIRPORTS"] == "ourairports"
    for site_id in sites["site_id"]:
        lat, lon, iso3 = points[site_id]
        expected = _brute(orgs, airports, lat, lon, iso3)
        for code, kind in (("SITE.ROR_EDUCATION", "education"),
                           ("SITE.ROR_FACILITY", "facility")):
            want = expected["host_share"][kind]
            got = values.loc[site_id, code]
            assert (pd.isna(got) if want is None else got == pytest.approx(want)), (site_id, code)
        assert values.loc[site_id, "SITE.LARGE_AIRPORTS"] == len(expected["airports"])


def test_an_economy_coverage_factor_does_not_change_its_sites_indicators(tmp_path):
    """Every Austrian record twice (as if ROR were twice as complete there): same shares."""
    for name in cities.CITY_SNAPSHOT_FILES:
        shutil.copyfile(SNAPSHOT_DIR / name, tmp_path / name)
    ror = pd.read_csv(SNAPSHOT_DIR / cities.ROR_FILE, dtype=str, keep_default_na=False)
    twin = ror[ror["iso3"] == "AUT"].assign(ror_id=lambda f: "x" + f["ror_id"])
    pd.concat([ror, twin]).to_csv(tmp_path / cities.ROR_FILE, index=False)
    sites = pd.DataFrame({"lat": [48.20849, 47.06667, 47.26266], "lon": [16.37208, 15.45, 11.39454],
                          "iso3": ["AUT", "AUT", "AUT"]})
    before = cities.site_indicators(sites)
    after = cities.site_indicators(sites, snapshot_dir=tmp_path)
    pd.testing.assert_frame_equal(before, after)
    doubled = cities.local_evidence(47.06667, 15.45, "AUT", snapshot_dir=tmp_path)
    single = cities.local_evidence(47.06667, 15.45, "AUT")
    assert doubled["hosts"]["education"] == 2 * single["hosts"]["education"] > 0
    assert 0 < before["SITE.ROR_EDUCATION"].iloc[1] < before["SITE.ROR_EDUCATION"].iloc[0] == 1


def test_a_snapshot_without_city_files_leaves_a_gap(tmp_path):
    sites = pd.DataFrame({"lat": [48.2], "lon": [16.37], "iso3": ["AUT"]})
    assert cities.site_indicators(sites, snapshot_dir=tmp_path).isna().all().all()
    assert cities.local_evidence(48.2, 16.37, "AUT", snapshot_dir=tmp_path) is None


@needs_shared
def test_write_city_snapshot_is_reproducible_and_keeps_only_scheduled_airports(tmp_path):
    written = cities.write_city_snapshot(SHARED_CITIES, tmp_path)
    assert sorted(p.name for p in written) == sorted(cities.CITY_SNAPSHOT_FILES)
    for name in cities.CITY_SNAPSHOT_FILES:
        assert (tmp_path / name).read_bytes() == (SNAPSHOT_DIR / name).read_bytes(), name
    with gzip.open(tmp_path / cities.AIRPORT_FILE, "rt", encoding="utf-8") as handle:
        kept = list(csv.DictReader(handle))
    wanted = [a for a in _rows("airports.csv")
              if a["scheduled_service"] == "yes"
              and a["type"] in ("large_airport", "medium_airport")]
    assert len(kept) == len(wanted)


def test_sources_name_the_licences():
    ids = {entry["id"]: entry for entry in cities.CITY_SOURCES}
    assert set(ids) == {"ror", "ourairports", "wpi"}
    assert "CC0" in ids["ror"]["licence"] and "GeoNames" in ids["ror"]["licence"]
    assert "public domain" in ids["ourairports"]["licence"]
    assert json.dumps(list(cities.CITY_SOURCES))  # plain JSON for sources.json


def test_the_city_sources_read_in_chinese():
    import re

    from oicplan.data.sources_zh import sources_in

    han, latin = re.compile(r"[\u4e00-\u9fff]"), re.compile(r"[A-Za-z]{2,}")
    names = re.compile(r"ROR|OurAirports|NGA|GeoNames|CC0|CC BY")
    for source in sources_in(cities.CITY_SOURCES, "zh"):
        for field in ("title", "licence", "as_of"):
            assert han.search(source[field]), (source["id"], field)
            assert not latin.search(names.sub("", source[field])), (source["id"], field)
