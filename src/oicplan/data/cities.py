"""City-level evidence: research organizations (ROR) and airports (OurAirports) near a site.

Every other indicator of oicplan is national, so without this module a site is
its country. The folder ``shared/data/cities`` (see its README) holds open data
with coordinates; :func:`write_city_snapshot` keeps a compact copy of it in the
snapshot, so that *any* site - a built-in one or a scenario's own, given by its
coordinates - is scored offline:

=====================  ======================================================  ==============
snapshot file          what                                                    source
=====================  ======================================================  ==============
``ror.csv.gz``         active ROR organizations: id, name, types, economy,     ROR, CC0
                       city point, founding year, top-level flag, number of    (GeoNames
                       child records in the file, Wikidata id                   points)
``ror_coverage.csv``   the estimated share of ROR present, per economy         derived (README)
``airports.csv.gz``    large and medium airports **with scheduled service**    OurAirports, PD
=====================  ======================================================  ==============

Radii (stated once, here; docs/indicators.md gives the reasons):

* :data:`RESEARCH_RADIUS_KM` = 50 km: ROR coordinates are the GeoNames point of
  the city, not the campus, so a radius well above a city's size (the README
  says 25 km or more) catches a metropolitan area and its suburbs with their own
  point (Klosterneuburg beside Vienna) without reaching the next city.
* :data:`AIRPORT_RADIUS_KM` = 100 km: about an hour by road or rail, the reach
  in which an airport serves a city (Bratislava's airport serves Vienna).

What the ``local`` object of a site reports (:func:`local_evidence`):
``research_orgs`` counts every active ROR record within the radius, of any
economy, by type (a record with two types counts under both), and
``research_orgs_total`` counts each once. The site-level *indicators*
(:func:`site_indicators`) must not let ROR's coverage, which differs by
economy (Korea's education records about 26 % present, Austria's 70 %), decide
between economies. So each is the site's count of **top-level** organizations
of one type **of its own economy** within the radius, divided by the economy's
*peak*: the largest such count of any circle of that radius centred on one of
the economy's organizations (or the site's own count when larger). The best
research location of every economy scores 1; a second city scores what it has
against it. Multiplying all of an economy's records by one coverage factor
leaves the ratio unchanged, so between economies only the national indicators
decide. Top-level records only (no ``parent_ror_ids``), since counting the
faculties, hospitals and institutes of one university or academy rewards
fine-grained curation, not research.

Airports are complete for every economy (every airport with an IATA code is in
the file), so ``SITE.LARGE_AIRPORTS`` is the plain count of large airports with
scheduled service within :data:`AIRPORT_RADIUS_KM`.

>>> site = local_evidence(48.20849, 16.37208, "AUT")   # Vienna
>>> site["radius_km"], site["research_orgs"]["education"] > 20
(50.0, True)
>>> site["host_share"]["education"]
1.0
>>> site["large_airports"]["radius_km"], sorted(site["large_airports"]["iata"])
(100.0, ['BTS', 'VIE'])
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.errors import InputError
from oicplan.pipeline_cache import StageCache, file_key

__all__ = [
    "AIRPORT_RADIUS_KM",
    "CITY_SNAPSHOT_FILES",
    "CITY_SOURCES",
    "HOST_TYPES",
    "INSTITUTIONS_SHOWN",
    "LOCAL_INDICATORS",
    "RESEARCH_RADIUS_KM",
    "ROR_TYPES",
    "distance_km",
    "local_evidence",
    "local_objects",
    "nearby_institutions",
    "site_indicators",
    "write_city_files",
    "write_city_snapshot",
]

RESEARCH_RADIUS_KM = 50.0
"""Radius of the research organizations counted around a site (km)."""

AIRPORT_RADIUS_KM = 100.0
"""Radius of the large airports counted around a site (km)."""

ROR_TYPES = (
    "education",
    "facility",
    "healthcare",
    "company",
    "government",
    "nonprofit",
    "funder",
    "archive",
    "other",
)
"""ROR's organization types, in the order the ``local`` object lists them."""

HOST_TYPES = ("education", "facility")
"""The types that can host a center: universities (education) and institutes (facility)."""

INSTITUTIONS_SHOWN = 8
"""How many named research organizations the ``local`` object lists."""

# site-level indicator code -> (ROR type or "airports", description)
LOCAL_INDICATORS = {
    "SITE.ROR_EDUCATION": (
        "education",
        "Top-level ROR education organizations of the site's economy within "
        f"{RESEARCH_RADIUS_KM:g} km, as a share of the economy's peak (0-1)",
    ),
    "SITE.ROR_FACILITY": (
        "facility",
        "Top-level ROR facility organizations (research institutes) of the site's economy "
        f"within {RESEARCH_RADIUS_KM:g} km, as a share of the economy's peak (0-1)",
    ),
    "SITE.LARGE_AIRPORTS": (
        "airports",
        f"Large airports with scheduled service within {AIRPORT_RADIUS_KM:g} km",
    ),
}

ROR_FILE = "ror.csv.gz"
COVERAGE_FILE = "ror_coverage.csv"
AIRPORT_FILE = "airports.csv.gz"
CITY_SNAPSHOT_FILES = (ROR_FILE, COVERAGE_FILE, AIRPORT_FILE)
"""The files :func:`write_city_snapshot` writes into a snapshot folder."""

_ROR_COLUMNS = [
    "ror_id", "name", "types", "iso3", "city", "lat", "lon",
    "established", "top_level", "children", "wikidata",
]
_AIRPORT_COLUMNS = ["ident", "iata_code", "name", "type", "iso3", "municipality", "lat", "lon"]
_COVERAGE_COLUMNS = [
    "iso3", "est_coverage_all", "est_coverage_education", "est_coverage_facility",
]

# Mean Earth radius (IUGG; the value of oicplan.data.geography, not imported here
# because that module reads the builder's packages).
_EARTH_KM = 6371.0088

CITY_SOURCES = (
    {
        "id": "ror",
        "title": "Research Organization Registry (ROR): research organizations with city "
        "coordinates (partial extract, about 39 % of the registry; coverage by economy "
        "estimated)",
        "licence": "CC0 1.0 (ROR); city coordinates from GeoNames (CC BY 4.0), credited",
        "as_of": "ROR release v2.9, 2026-06-23 (records added or changed since 2022-03)",
        "citation": "Research Organization Registry, ror.org, via GitHub "
        "ror-community/ror-records at commit d93fc667872f8ef9386896bd6c68bd3c6103603e; "
        "locations from GeoNames (www.geonames.org)",
    },
    {
        "id": "ourairports",
        "title": "OurAirports: large and medium airports with scheduled service",
        "licence": "public domain (OurAirports)",
        "as_of": "data of 2025-03-04",
        "citation": "OurAirports (ourairports.com, David Megginson and contributors), "
        "airports.csv via GitHub FOSSEEA/ourairports-data at commit "
        "c3f20572062adbe5582cc5b702fe48b9501d970f",
    },
    {
        "id": "wpi",
        "title": "NGA World Port Index (Pub 150): sea and river ports with harbour size class "
        "(not yet used by an indicator)",
        "licence": "public domain (US government work)",
        "as_of": "export committed 2025-03-25; edition date not stated",
        "citation": "US National Geospatial-Intelligence Agency, World Port Index (Pub 150), "
        "via GitHub JamesRexMiller4/shapely_tut at commit "
        "429d84416c3acde9dd5391091614d552c39197e0",
    },
)
"""Provenance entries for ``sources.json`` (``oicplan data sources``)."""


# -- writing the snapshot files -------------------------------------------------------


def _read(path: Path, **options: Any) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], **options)


def read_ror(cities_dir: str | Path) -> pd.DataFrame:
    """The active ROR organizations of ``cities_dir`` in the snapshot's columns."""
    path = Path(cities_dir) / "ror_organizations.csv"
    frame = _read(path)
    missing = {"ror_id", "name", "types", "iso3", "lat", "lon", "parent_ror_ids"} - set(frame)
    if missing:
        raise InputError(f"missing column(s) {', '.join(sorted(missing))}", file=str(path))
    frame = frame[frame["status"].fillna("active") == "active"].copy()
    for column in ("lat", "lon"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError("not a number", file=str(path), row=row, field=column)
        frame[column] = numbers
    parents = frame["parent_ror_ids"].fillna("")
    frame["top_level"] = (parents == "").astype(int)
    named = pd.Series([p for text in parents for p in text.split(";") if p], dtype=str)
    frame["children"] = frame["ror_id"].map(named.value_counts()).fillna(0).astype(int)
    frame["established"] = pd.to_numeric(frame["established"], errors="coerce").astype("Int64")
    return frame[_ROR_COLUMNS].sort_values("ror_id").reset_index(drop=True)


def read_airports(cities_dir: str | Path) -> pd.DataFrame:
    """Large and medium airports with scheduled service, in the snapshot's columns."""
    frame = _read(Path(cities_dir) / "airports.csv")
    kept = frame["type"].isin(["large_airport", "medium_airport"]) & (
        frame["scheduled_service"] == "yes"
    )
    frame = frame[kept].copy()
    frame["lat"] = pd.to_numeric(frame["lat"])
    frame["lon"] = pd.to_numeric(frame["lon"])
    return frame[_AIRPORT_COLUMNS].sort_values("ident").reset_index(drop=True)


def write_city_snapshot(cities_dir: str | Path, out_dir: str | Path = SNAPSHOT_DIR) -> list[Path]:
    """Write :data:`CITY_SNAPSHOT_FILES` from ``cities_dir`` into the snapshot folder ``out_dir``.

    The gzip files are written without a time stamp, so the same input gives the
    same bytes (and the same snapshot version).
    """
    cities_dir, out_dir = Path(cities_dir), Path(out_dir)
    coverage = _read(cities_dir / "ror_coverage_by_country.csv")[_COVERAGE_COLUMNS]
    written = []
    for name, frame in (
        (ROR_FILE, read_ror(cities_dir)),
        (COVERAGE_FILE, coverage),
        (AIRPORT_FILE, read_airports(cities_dir)),
    ):
        target = out_dir / name
        compression = {"method": "gzip", "mtime": 0} if name.endswith(".gz") else None
        frame.to_csv(target, index=False, compression=compression, lineterminator="\n")
        written.append(target)
    _load.cache_clear()
    return written


def write_city_files(
    cities_dir: Path | None, tmp: Path, out_dir: Path, step: Callable[[str], None]
) -> None:
    """The snapshot build's hook: the city files from ``cities_dir``, else the current copies."""
    if cities_dir is not None:
        step("reading the city-level data (ROR, OurAirports)")
        write_city_snapshot(cities_dir, tmp)
        return
    for name in CITY_SNAPSHOT_FILES:
        if (out_dir / name).is_file():
            shutil.copyfile(out_dir / name, tmp / name)


# -- reading them back -----------------------------------------------------------------


@dataclass
class _CityData:
    ror: pd.DataFrame
    coverage: pd.DataFrame
    airports: pd.DataFrame
    point_of: np.ndarray  # each organization's index into the distinct points
    point_lat: np.ndarray  # radians
    point_lon: np.ndarray
    types: np.ndarray  # organizations × ROR_TYPES, bool
    rows_of: dict[str, np.ndarray]  # economy -> its top-level organizations (row numbers)
    top: np.ndarray  # top-level (no parent in ROR), bool
    main_rank: np.ndarray  # place in the "main first" order (see _main_rank)
    name_rank: np.ndarray
    ror_ids: np.ndarray
    large_code: np.ndarray  # large airports: IATA code (ident where none)
    large_lat: np.ndarray  # large airports (radians)
    large_lon: np.ndarray
    peaks: dict[tuple[str, str], int] = field(default_factory=dict)
    masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)


# The city files read and indexed (~0.25-0.5 s: 48,746 ROR records) are kept on disk too
# (read back in ~0.06 s), keyed by each file's path, modification time and size.
_CITY_CACHE = StageCache("city data", maxsize=2, disk=True)


@lru_cache(maxsize=4)
def _load(folder: str, stamp: tuple[float, ...]) -> _CityData | None:
    base = Path(folder)
    key = tuple(file_key(base / name) for name in CITY_SNAPSHOT_FILES)
    return _CITY_CACHE.get(key, lambda: _index(base))  # type: ignore[no-any-return]


def _index(base: Path) -> _CityData | None:
    if not all((base / name).is_file() for name in CITY_SNAPSHOT_FILES):
        return None
    ror = pd.read_csv(base / ROR_FILE, dtype={"ror_id": str, "wikidata": str},
                      keep_default_na=False, na_values=[""])
    ror["types"] = ror["types"].fillna("")
    points = ror[["lat", "lon"]].drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(points)
    point_of = index.get_indexer(pd.MultiIndex.from_frame(ror[["lat", "lon"]]))
    padded = ";" + ror["types"] + ";"
    types = np.column_stack(
        [padded.str.contains(f";{kind};", regex=False).to_numpy(bool) for kind in ROR_TYPES]
    )
    top = ror["top_level"].to_numpy() == 1
    rows_of = {
        str(iso3): np.asarray(rows)
        for iso3, rows in pd.Series(np.arange(len(ror)))[top]
        .groupby(ror["iso3"][top]).groups.items()
    }
    coverage = pd.read_csv(base / COVERAGE_FILE, keep_default_na=False, na_values=[""])
    airports = pd.read_csv(base / AIRPORT_FILE, keep_default_na=False, na_values=[""])
    large = airports[airports["type"] == "large_airport"]
    main_rank, name_rank = _main_rank(ror)
    return _CityData(
        ror=ror,
        coverage=coverage.set_index("iso3"),
        airports=airports,
        point_of=point_of,
        point_lat=np.radians(points["lat"].to_numpy(float)),
        point_lon=np.radians(points["lon"].to_numpy(float)),
        types=types,
        rows_of=rows_of,
        top=top,
        main_rank=main_rank,
        name_rank=name_rank,
        ror_ids=ror["ror_id"].to_numpy(str),
        large_code=large["iata_code"].fillna(large["ident"]).to_numpy(str),
        large_lat=np.radians(large["lat"].to_numpy(float)),
        large_lon=np.radians(large["lon"].to_numpy(float)),
    )


def _data(folder: str | Path | None) -> _CityData | None:
    base = Path(folder) if folder is not None else SNAPSHOT_DIR
    stamp = tuple(
        (base / name).stat().st_mtime if (base / name).is_file() else 0.0
        for name in CITY_SNAPSHOT_FILES
    )
    return _load(str(base), stamp)


def distance_km(lat: float, lon: float, lats: Any, lons: Any) -> np.ndarray:
    """Great-circle distances (km, haversine on the mean Earth radius) from one point.

    >>> round(float(distance_km(48.20849, 16.37208, [47.06667], [15.45])[0]), 1)  # Vienna-Graz
    144.5
    """
    return _haversine(
        math.radians(lat), math.radians(lon),
        np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float)),
    )


def _haversine(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    a = (np.sin((lats - lat) / 2) ** 2
         + math.cos(lat) * np.cos(lats) * np.sin((lons - lon) / 2) ** 2)
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _org_distances(data: _CityData, lat: float, lon: float) -> np.ndarray:
    """Distance (km) from the point to every organization (through its city point)."""
    points = _haversine(math.radians(lat), math.radians(lon), data.point_lat, data.point_lon)
    return points[data.point_of]


def _host_mask(data: _CityData, iso3: str, kind: str) -> np.ndarray:
    """Top-level organizations of ``iso3`` with type ``kind`` (a bool per organization)."""
    key = (iso3, kind)
    if key not in data.masks:
        mask = np.zeros(len(data.ror), dtype=bool)
        rows = data.rows_of.get(iso3)
        if rows is not None:
            mask[rows] = data.types[rows, ROR_TYPES.index(kind)]
        data.masks[key] = mask
    return data.masks[key]


def _peak(data: _CityData, iso3: str, kind: str) -> int:
    """The economy's largest count of its top-level ``kind`` organizations in one circle.

    Circles of :data:`RESEARCH_RADIUS_KM` centred on each of those organizations' points.
    """
    key = (iso3, kind)
    if key not in data.peaks:
        mask = _host_mask(data, iso3, kind)
        points = data.point_of[mask]
        best = 0
        if points.size:
            unique, counts = np.unique(points, return_counts=True)
            lat, lon = data.point_lat[unique], data.point_lon[unique]
            for start in range(0, unique.size, 512):  # blocks of circle centres
                a = (np.sin((lat[None, :] - lat[start:start + 512, None]) / 2) ** 2
                     + np.cos(lat[start:start + 512, None]) * np.cos(lat[None, :])
                     * np.sin((lon[None, :] - lon[start:start + 512, None]) / 2) ** 2)
                km = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
                best = max(best, int(((km <= RESEARCH_RADIUS_KM) @ counts).max()))
        data.peaks[key] = best
    return data.peaks[key]


def _main_rank(ror: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each organization's place in the "main first" order (before distance), and by name.

    ROR states no size, so "main" is read from the registry itself: organizations
    with records filed under them (faculties, hospitals, institutes: a large
    organization) first, then the older (founding year; none given last), then
    those with more such records, then those with a Wikidata entry; ties are broken
    by distance (:func:`nearby_institutions`), then by name.
    """
    has_wikidata = (ror["wikidata"].notna() & (ror["wikidata"] != "")).to_numpy(int)
    founded = pd.to_numeric(ror["established"], errors="coerce").fillna(9999).to_numpy(float)
    children = ror["children"].to_numpy(int)
    keys = np.column_stack([-(children > 0).astype(int), founded, -children, -has_wikidata])
    order = np.lexsort(keys.T[::-1])  # the first column is the primary key
    step = np.any(np.diff(keys[order], axis=0) != 0, axis=1) if len(ror) > 1 else []
    main = np.empty(len(ror), dtype=int)
    main[order] = np.concatenate([[0], np.cumsum(step)]).astype(int)[: len(ror)]
    by_name = ror["name"].astype(str).rank(method="dense").to_numpy(int)
    return main, by_name


def nearby_institutions(
    lat: float,
    lon: float,
    *,
    radius_km: float = RESEARCH_RADIUS_KM,
    types: Sequence[str] = HOST_TYPES,
    limit: int | None = None,
    snapshot_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Top-level ROR organizations of ``types`` within ``radius_km``, the main ones first.

    Columns ``ror_id, name, types, iso3, city, lat, lon, km, children, established,
    wikidata``
    (``km`` rounded to 0.1). Empty when the snapshot has no city files.

    >>> near = nearby_institutions(48.20849, 16.37208, limit=3)   # Vienna
    >>> "University of Vienna" in set(near["name"]), len(near)
    (True, 3)
    """
    data = _data(snapshot_dir)
    columns = ["ror_id", "name", "types", "iso3", "city", "lat", "lon", "km", "children",
               "established", "wikidata"]
    if data is None:
        return pd.DataFrame(columns=columns)
    km = _org_distances(data, lat, lon)
    chosen = _institution_rows(data, km, radius_km, types, limit)
    frame = data.ror.iloc[chosen].assign(km=np.round(km[chosen], 1))
    return frame[columns].reset_index(drop=True)


def _institution_rows(data: _CityData, km: np.ndarray, radius_km: float,
                      types: Sequence[str], limit: int | None) -> np.ndarray:
    """Row numbers of the top-level organizations of ``types`` within the radius, main first."""
    wanted = data.types[:, [ROR_TYPES.index(t) for t in types]].any(axis=1)
    chosen = np.flatnonzero((km <= radius_km) & wanted & data.top)
    order = np.lexsort((data.name_rank[chosen], km[chosen], data.main_rank[chosen]))
    return chosen[order][:limit]


def _airports_near(data: _CityData, lat: float, lon: float) -> tuple[list[str], float | None]:
    """Codes of the large airports within the radius (nearest first) and the nearest's km."""
    km = _haversine(math.radians(lat), math.radians(lon), data.large_lat, data.large_lon)
    near = np.flatnonzero(km <= AIRPORT_RADIUS_KM)
    near = near[np.lexsort((data.large_code[near], km[near]))]
    nearest = round(float(km.min()), 1) if km.size else None
    return [str(data.large_code[i]) for i in near], nearest


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def local_evidence(
    lat: float,
    lon: float,
    iso3: str,
    gii_cluster_rank: Any = None,
    *,
    snapshot_dir: str | Path | None = None,
) -> dict[str, Any] | None:
    """The ``local`` object of a site at (``lat``, ``lon``) in economy ``iso3``.

    Keys: ``radius_km``; ``research_orgs`` (active ROR records within the radius, any
    economy, by type: every type of :data:`ROR_TYPES`) and ``research_orgs_total``
    (each record once); ``hosts`` (top-level ``education`` and ``facility`` records of
    the site's economy within the radius) and ``host_share`` (``hosts`` over the
    economy's peak: the indicators ``SITE.ROR_EDUCATION`` and ``SITE.ROR_FACILITY``,
    None where the economy has no such record); ``ror_coverage`` (the economy's
    estimated share of ROR present, all types, None if not estimated);
    ``large_airports`` (``radius_km``, ``count``, ``iata``, ``nearest_km``: the nearest
    large airport at any distance); ``gii_cluster_rank`` (None where none);
    ``institutions`` (the :data:`INSTITUTIONS_SHOWN` main research organizations
    nearby: ``ror_id``, ``name``, ``types``, ``city``, ``km``); ``sources``.
    None when the snapshot has no city files.
    """
    data = _data(snapshot_dir)
    if data is None:
        return None
    km = _org_distances(data, lat, lon)
    within = km <= RESEARCH_RADIUS_KM
    counts = data.types[within].sum(axis=0)
    hosts: dict[str, int] = {}
    share: dict[str, float | None] = {}
    for kind in HOST_TYPES:
        count = int((within & _host_mask(data, iso3, kind)).sum())
        peak = max(_peak(data, iso3, kind), count)
        hosts[kind] = count
        share[kind] = round(count / peak, 6) if peak else None
    airports, nearest = _airports_near(data, lat, lon)
    coverage = (
        _number(data.coverage.loc[iso3, "est_coverage_all"])
        if iso3 in data.coverage.index else None
    )
    rank = _number(gii_cluster_rank)
    rows = _institution_rows(data, km, RESEARCH_RADIUS_KM, HOST_TYPES, INSTITUTIONS_SHOWN)
    names, kinds, cities = (data.ror[c].to_numpy() for c in ("name", "types", "city"))
    return {
        "radius_km": RESEARCH_RADIUS_KM,
        "research_orgs": {t: int(n) for t, n in zip(ROR_TYPES, counts, strict=True)},
        "research_orgs_total": int(within.sum()),
        "hosts": hosts,
        "host_share": share,
        "ror_coverage": coverage,
        "large_airports": {
            "radius_km": AIRPORT_RADIUS_KM,
            "count": len(airports),
            "iata": airports,
            "nearest_km": nearest,
        },
        "gii_cluster_rank": None if rank is None else int(rank),
        "institutions": [
            {"ror_id": str(data.ror_ids[i]), "name": str(names[i]),
             "types": str(kinds[i]).split(";"),
             "city": None if pd.isna(cities[i]) else str(cities[i]),
             "km": round(float(km[i]), 1)}
            for i in rows
        ],
        "sources": ["ror", "ourairports"] + ([] if rank is None else ["facts/gii_clusters"]),
    }


def local_objects(
    sites: pd.DataFrame, *, snapshot_dir: str | Path | None = None
) -> dict[str, dict[str, Any] | None]:
    """site_id -> :func:`local_evidence` for every row of ``sites``.

    ``sites`` has ``site_id, lat, lon, iso3`` and optionally ``gii_cluster_rank``.
    """
    folder, stamp = str(snapshot_dir or SNAPSHOT_DIR), _stamp(snapshot_dir)
    rows = tuple(
        (str(row["site_id"]), float(row["lat"]), float(row["lon"]), str(row["iso3"]),
         _number(row.get("gii_cluster_rank")))
        for row in sites.to_dict("records")
    )

    def compute() -> dict[str, str | None]:  # each site's object as JSON, read back below
        return {site: _cached_local(lat, lon, iso3, rank, folder, stamp)
                for site, lat, lon, iso3, rank in rows}

    # Kept on disk too: a new process (oicplan rank, plan) reads the objects of its sites.
    out = _LOCAL_CACHE.get((str(Path(folder).resolve()), stamp, rows), compute)
    return {key: None if value is None else json.loads(value) for key, value in out.items()}


_LOCAL_CACHE = StageCache("local evidence", maxsize=8, disk=True)


def _stamp(snapshot_dir: str | Path | None) -> tuple[float, ...]:
    base = Path(snapshot_dir) if snapshot_dir is not None else SNAPSHOT_DIR
    return tuple(
        (base / name).stat().st_mtime if (base / name).is_file() else 0.0
        for name in CITY_SNAPSHOT_FILES
    )


@lru_cache(maxsize=4096)
def _cached_local(lat: float, lon: float, iso3: str, rank: float | None, folder: str,
                  stamp: tuple[float, ...]) -> str | None:
    value = local_evidence(lat, lon, iso3, rank, snapshot_dir=folder)
    return None if value is None else json.dumps(value)


def site_indicators(
    sites: pd.DataFrame, *, snapshot_dir: str | Path | None = None
) -> pd.DataFrame:
    """The site-level indicators of :data:`LOCAL_INDICATORS` for ``sites`` (same index).

    ``sites`` has ``lat, lon, iso3``. A gap (NaN) where the snapshot has no city
    files or the economy has no top-level organization of the type in ROR.
    """
    data = _data(snapshot_dir)
    out = pd.DataFrame(np.nan, index=sites.index, columns=list(LOCAL_INDICATORS), dtype=float)
    if data is None:
        return out
    values = np.full((len(sites), len(LOCAL_INDICATORS)), np.nan)
    for position, (lat, lon, iso3) in enumerate(
        zip(sites["lat"].astype(float), sites["lon"].astype(float), sites["iso3"], strict=True)
    ):
        within = _org_distances(data, lat, lon) <= RESEARCH_RADIUS_KM
        for column, (kind, _) in enumerate(LOCAL_INDICATORS.values()):
            if kind == "airports":
                km = _haversine(math.radians(lat), math.radians(lon), data.large_lat,
                                data.large_lon)
                values[position, column] = float((km <= AIRPORT_RADIUS_KM).sum())
                continue
            count = int((within & _host_mask(data, str(iso3), kind)).sum())
            peak = max(_peak(data, str(iso3), kind), count)
            if peak:
                values[position, column] = count / peak
    return pd.DataFrame(values, index=sites.index, columns=list(LOCAL_INDICATORS))


def ror_names(ids: Iterable[str], *, snapshot_dir: str | Path | None = None) -> dict[str, str]:
    """ror_id -> name for the ids found in the snapshot."""
    data = _data(snapshot_dir)
    if data is None:
        return {}
    table = data.ror.set_index("ror_id")["name"]
    return {i: str(table[i]) for i in ids if i in table.index}
