"""Country × field × year science and technology data (NCSES, *Science and Engineering Indicators*).

The folder ``shared/data/fields`` holds one tidy CSV per NCSES table family; this
module reads them into one long table, keyed by a short *source* name that the
rest of oicplan (the match, ``oicplan watch``) uses:

==================  ===================================================  ==========
source              file                                                 fields
==================  ===================================================  ==========
``articles``        S&E articles, fractional count (Scopus)              14 + all
``articles_whole``  S&E articles, whole count                            14 + all
``top1pct``         share of articles in the world's top 1 % most cited  14 + all
``ai_articles``     AI articles, whole count                             1
``pct``             PCT applications by the 5 WIPO technology areas      5 + all
``patent_families`` granted patent families by the 35 WIPO fields        35 + all
``uspto``           USPTO utility patents by the 35 WIPO fields          35 + all
``uspto_areas``     USPTO utility patents by the 5 WIPO areas            5 + all
``uspto_env``       USPTO environmental-technology patents               12 + all
``kti``             value added of knowledge/technology-intensive inds.  15
==================  ===================================================  ==========

Every row keeps its provenance: the SEI table number (``source_table``), the
inferred SEI edition (``edition``, from the folder's ``sources.csv``) and its year.
A value NCSES marks ``na`` or ``ne`` stays empty (``value`` NaN, ``flag`` kept):
a gap is a gap.

>>> sorted(FIELD_SOURCES)[:3]
['ai_articles', 'articles', 'articles_whole']
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.errors import InputError
from oicplan.pipeline_cache import StageCache, file_key

__all__ = [
    "FIELD_COLUMNS",
    "FIELD_NAMES_FILE",
    "FIELD_SNAPSHOT_FILE",
    "FIELD_SOURCES",
    "FIELD_SOURCE_TITLES",
    "economy_field_values",
    "field_catalogue_of",
    "field_name",
    "field_names",
    "field_source_catalogue",
    "load_field_values",
    "read_field_tables",
    "write_field_snapshot",
]

# source key -> file name in shared/data/fields
FIELD_SOURCES = {
    "articles": "ncses_articles_by_field_fractional.csv",
    "articles_whole": "ncses_articles_by_field_whole.csv",
    "top1pct": "ncses_top1pct_cited_share_by_field.csv",
    "ai_articles": "ncses_ai_articles_whole.csv",
    "pct": "ncses_pct_applications_by_tech_area.csv",
    "patent_families": "ncses_ipf_granted_by_wipo_field.csv",
    "uspto": "ncses_uspto_patents_by_wipo_field.csv",
    "uspto_areas": "ncses_uspto_patents_by_tech_area.csv",
    "uspto_env": "ncses_uspto_env_sustainability_patents.csv",
    "kti": "ncses_kti_value_added_by_industry.csv",
}

FIELD_COLUMNS = [
    "source",
    "iso3",
    "economy",
    "field",
    "wipo_area",
    "year",
    "value",
    "unit",
    "flag",
    "source_table",
    "edition",
]

FIELD_SNAPSHOT_FILE = "fields.csv.gz"

# Chinese and English names of every field of every source (source, field, name_en,
# name_zh, basis): wording, not data; the basis column says where each term comes from.
FIELD_NAMES_FILE = Path(__file__).parent / "names" / "field_names_zh.csv"

_REQUIRED = ("iso3", "economy", "field", "year", "value", "unit", "source_table")


def _read_one(path: Path, source: str, editions: pd.DataFrame) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    frame = pd.read_csv(path, dtype={"flag": str, "wipo_area": str}, keep_default_na=False,
                        na_values={"value": [""]})
    missing = [column for column in _REQUIRED if column not in frame.columns]
    if missing:
        raise InputError(f"missing column {missing[0]!r}", file=str(path), field=missing[0])
    frame = frame.assign(source=source)
    if "wipo_area" not in frame.columns:
        frame["wipo_area"] = ""
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["year"] = frame["year"].astype(int)
    own = editions[editions["file"] == path.name][["field", "sei_edition_inferred"]]
    frame = frame.merge(own.rename(columns={"sei_edition_inferred": "edition"}),
                        on="field", how="left")
    frame["edition"] = frame["edition"].fillna("")
    return frame[FIELD_COLUMNS]


def read_field_tables(fields_dir: str | Path) -> pd.DataFrame:
    """Every NCSES field table of ``fields_dir`` as one long table (:data:`FIELD_COLUMNS`)."""
    fields_dir = Path(fields_dir)
    editions = pd.read_csv(fields_dir / "sources.csv", dtype=str)
    frames = [_read_one(fields_dir / name, source, editions)
              for source, name in FIELD_SOURCES.items()]
    return pd.concat(frames, ignore_index=True)


def write_field_snapshot(fields_dir: str | Path, out_dir: str | Path) -> Path:
    """Write :data:`FIELD_SNAPSHOT_FILE` (all field values) into the snapshot folder ``out_dir``."""
    target = Path(out_dir) / FIELD_SNAPSHOT_FILE
    # mtime 0: the same tables give the same bytes (the snapshot version hashes them).
    read_field_tables(fields_dir).to_csv(
        target, index=False, compression={"method": "gzip", "mtime": 0}
    )
    return target


# The field values (284,355 rows: ~0.3 s to parse) are kept on disk too (read back in
# ~0.1 s), keyed by the file's path, modification time and size.
_FIELDS_CACHE = StageCache("field values", maxsize=1, disk=True)


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> pd.DataFrame:
    return _FIELDS_CACHE.get(file_key(path), lambda: _parse(path))  # type: ignore[no-any-return]


def _parse(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"flag": str, "wipo_area": str, "edition": str},
                        keep_default_na=False, na_values={"value": [""]})
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame


def load_field_values(snapshot_dir: str | Path = SNAPSHOT_DIR) -> pd.DataFrame:
    """The field values of a snapshot (a copy; cached per file and modification time).

    >>> values = load_field_values()
    >>> sorted(values["source"].unique()) == sorted(FIELD_SOURCES)
    True
    """
    path = Path(snapshot_dir) / FIELD_SNAPSHOT_FILE
    if not path.is_file():
        raise InputError("this snapshot has no field data (run oicplan data build)", file=str(path))
    return _load(str(path), path.stat().st_mtime).copy()


@lru_cache(maxsize=1)
def _names() -> pd.DataFrame:
    return pd.read_csv(FIELD_NAMES_FILE, dtype=str, keep_default_na=False, encoding="utf-8")


def field_names() -> pd.DataFrame:
    """The field-name table (``source, field, name_en, name_zh, basis``): a row per source, field.

    >>> names = field_names()
    >>> list(names.columns)
    ['source', 'field', 'name_en', 'name_zh', 'basis']
    >>> sorted(names["source"].unique()) == sorted(FIELD_SOURCES)
    True
    """
    return _names().copy()


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[tuple[str, str], tuple[str, str]], dict[str, tuple[str, str]]]:
    by_source: dict[tuple[str, str], tuple[str, str]] = {}
    by_field: dict[str, tuple[str, str]] = {}
    for row in _names().itertuples(index=False):
        by_source[(row.source, row.field)] = (row.name_en, row.name_zh)
        by_field.setdefault(row.field, (row.name_en, row.name_zh))
    return by_source, by_field


def field_name(field: str, lang: str = "zh", source: str | None = None) -> str:
    """The name of a field in ``lang`` (``"zh"`` or ``"en"``); the field itself if it is unknown.

    A field name can mean two things in two sources ("Pharmaceuticals" is the WIPO
    field 药品 in the patent files and the KTI industry 医药制品): give ``source`` to
    pick one; without it the first source of the name table that has the field wins
    (the file's order: publications, PCT, patent families, USPTO, env-tech, KTI).

    >>> field_name("Computer technology")
    '计算机技术'
    >>> field_name("Electrical engineering", "zh", source="pct")
    '电气工程'
    >>> field_name("Pharmaceuticals", source="kti"), field_name("Pharmaceuticals", source="uspto")
    ('医药制品', '药品')
    >>> field_name("Materials science", "en")
    'Materials science'
    >>> field_name("no such field")
    'no such field'
    """
    if lang not in ("zh", "en"):
        raise InputError(f"unknown language {lang!r} (zh or en)", field="lang")
    by_source, by_field = _name_index()
    names = by_source.get((source, field)) if source else None
    if names is None:
        names = by_field.get(field)
    if names is None:
        return field
    return names[1] if lang == "zh" else names[0]


# What each source measures, for the sources list (``oicplan data sources``).
FIELD_SOURCE_TITLES = {
    "articles": "S&E articles by field, fractional count (Scopus)",
    "articles_whole": "S&E articles by field, whole count (Scopus)",
    "top1pct": "Share of articles in the world's top 1% most cited, by field",
    "ai_articles": "AI articles, whole count (Scopus)",
    "pct": "PCT patent applications by the 5 WIPO technology areas (receiving office; "
           "EPC states understated: filings through the EPO are not counted under them)",
    "patent_families": "Granted international patent families by the 35 WIPO fields (PATSTAT, "
                       "fractional by inventor country; domestic-only families included)",
    "uspto": "USPTO utility patents granted by the 35 WIPO fields (fractional by inventor)",
    "uspto_areas": "USPTO utility patents granted by the 5 WIPO areas and semiconductors",
    "uspto_env": "USPTO patents in environmental-sustainability technologies (OECD ENV-TECH)",
    "kti": "Value added of knowledge- and technology-intensive industries (current USD million)",
}

FIELD_LICENCE = (
    "US federal government work (NCSES/NSF): public domain, credit requested; stated by NSB "
    "for SEI 2018, expected but unverified for the 2022/2024 editions"
)
FIELD_VIA = (
    "read from GitHub bq-org/ncses_stats_explorer_placeholder at commit "
    "1f879ab65ed260668840db406611ddc10e8455bc; SEI edition inferred (shared/data/fields/README.md)"
)


def _table_key(table: str) -> tuple[str, int, str]:
    prefix, _, number = table.rpartition("-")
    return (prefix, int(number), "") if number.isdigit() else (prefix, 10**6, number)


def field_source_catalogue(values: pd.DataFrame) -> list[dict]:
    """One entry per field source for ``oicplan data sources``: title, licence, as-of, citation,
    with the SEI tables, editions, years and number of economies behind it.

    >>> entries = field_source_catalogue(load_field_values())
    >>> [entry["id"] for entry in entries][:2]
    ['ncses/articles', 'ncses/articles_whole']
    >>> pct = next(entry for entry in entries if entry["id"] == "ncses/pct")
    >>> pct["editions"], pct["tables"][:2], pct["years"]
    (['SEI 2024'], ['SINV-11', 'SINV-12'], [2000, 2022])
    """
    entries = []
    for source in FIELD_SOURCES:
        own = values[values["source"] == source]
        if own.empty:
            continue
        tables = sorted(own["source_table"].unique(), key=_table_key)
        editions = sorted(e for e in own["edition"].unique() if e)
        first, last = int(own["year"].min()), int(own["year"].max())
        shown = ", ".join(tables) if len(tables) <= 4 else f"{tables[0]} … {tables[-1]}"
        entries.append({
            "id": f"ncses/{source}",
            "title": f"NCSES, {FIELD_SOURCE_TITLES[source]}",
            "licence": FIELD_LICENCE,
            "as_of": f"data {first}–{last} ({', '.join(editions)})",
            "citation": "National Center for Science and Engineering Statistics, Science and "
                        f"Engineering Indicators ({', '.join(editions)}), tables {shown}; "
                        + FIELD_VIA,
            "file": FIELD_SOURCES[source],
            "tables": [str(table) for table in tables],
            "editions": editions,
            "years": [first, last],
            "economies": int(own["iso3"].nunique()),
            "unit": str(own["unit"].iloc[0]),
        })
    return entries


def field_catalogue_of(snapshot_dir: str | Path) -> list[dict]:
    """:func:`field_source_catalogue` of a snapshot folder; empty when it has no field data."""
    if not (Path(snapshot_dir) / FIELD_SNAPSHOT_FILE).is_file():
        return []
    return field_source_catalogue(load_field_values(snapshot_dir))


def economy_field_values(iso3: str, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """An economy's latest value of every field of every source, with its provenance.

    Columns: source, field, name_zh, wipo_area, year, value, unit, flag,
    source_table, edition. The latest year with a value (a ``na``/``ne`` year is
    skipped); an economy without field data gives an empty table.

    >>> rows = economy_field_values("KOR")
    >>> row = rows[(rows["source"] == "pct") & (rows["field"] == "Electrical engineering")].iloc[0]
    >>> int(row["year"]), row["source_table"], row["edition"], row["name_zh"]
    (2022, 'SINV-13', 'SEI 2024', '电气工程')
    """
    values = load_field_values() if values is None else values
    own = values[(values["iso3"] == iso3.strip().upper()) & values["value"].notna()]
    latest = own.sort_values("year").groupby(["source", "field"], sort=False).tail(1)
    order = {source: rank for rank, source in enumerate(FIELD_SOURCES)}
    latest = latest.assign(_order=latest["source"].map(order)).sort_values(
        ["_order", "field"], kind="stable")
    latest = latest.assign(name_zh=[field_name(f, "zh", s)
                                    for f, s in zip(latest["field"], latest["source"],
                                                    strict=True)])
    columns = ["source", "field", "name_zh", "wipo_area", "year", "value", "unit", "flag",
               "source_table", "edition"]
    return latest[columns].reset_index(drop=True)
