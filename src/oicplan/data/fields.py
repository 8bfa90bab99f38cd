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
    "FIELD_SNAPSHOT_FILE",
    "FIELD_SOURCES",
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
    frames = [_read_one(fields_dir / name, source, editions) for source, name in FIELD_SOURCES.items()]
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
