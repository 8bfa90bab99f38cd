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

__all__ = [
    "FIELD_COLUMNS",
    "FIELD_NAMES_FILE",
    "FIELD_SNAPSHOT_FILE",
    "FIELD_SOURCES",
    "field_name",
    "field_names",
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
    read_field_tables(fields_dir).to_csv(target, index=False)
    return target


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> pd.DataFrame:
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
