"""Enterprises: import from CSV or XLSX, validate, keep in the user's data folder.

A file has one enterprise per row with the columns ``name, industry, size,
home_city`` and optionally ``category`` (backbone, high_tech, listed, other),
``tech_needs`` (technology fields, ``;``-separated), ``overseas_presence``
(ISO 3166 alpha-3 codes, ``;``-separated) and ``synthetic`` (true/false). A file
is accepted whole or not at all: the first bad row stops the import with an
error naming the file, the row (as a spreadsheet shows it, header = row 1) and
the field, and nothing is stored.

Real enterprise lists are not public; oicplan ships an illustrative, SYNTHETIC
sample whose counts follow the paper (146 backbone and 3,973 high-tech
enterprises, section 3.3), see ``oicplan/data/enterprises/README.md``.

>>> sample = load_sample()
>>> int((sample["category"] == "backbone").sum()), int((sample["category"] == "high_tech").sum())
(146, 3973)
>>> bool(sample["synthetic"].all())
True
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from oicplan.data.dataset import Dataset, load_dataset
from oicplan.errors import InputError
from oicplan.match.taxonomy import Taxonomy, load_taxonomy
from oicplan.notes import note
from oicplan.textfile import csv_source
from oicplan.wholefile import write_whole

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SAMPLE_FILE",
    "SIZES",
    "SYNTHETIC_NOTE",
    "enterprises_path",
    "import_enterprises",
    "load_enterprises",
    "load_sample",
    "load_stored",
    "read_enterprises",
    "save_enterprises",
]

REQUIRED_COLUMNS = ["name", "industry", "size", "home_city"]
OPTIONAL_COLUMNS = ["category", "tech_needs", "overseas_presence", "synthetic"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Enterprise size classes (China's large / medium / small / micro classification).
SIZES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
CATEGORIES = ("backbone", "high_tech", "listed", "other")

SAMPLE_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "enterprises" / "enterprises_sample.csv"
)
SYNTHETIC_NOTE = note("synthetic_enterprises")  # its Chinese: oicplan.notes.note_text

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}
_ENV_DIR = "OICPLAN_DATA_DIR"
_STORE_NAME = "enterprises.csv"


def _split(text: object) -> list[str]:
    return [part.strip() for part in str(text or "").split(";") if part.strip()]


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows (with their spreadsheet row numbers) of a CSV or XLSX file."""
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise InputError(f"not a readable XLSX file ({error})", file=str(path)) from None
        sheet = book.worksheets[0]
        raw = [
            (number, ["" if v is None else str(v).strip() for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        book.close()
    elif suffix in (".csv", ".txt", ""):
        source, delimiter = csv_source(path)  # UTF-8, UTF-16 or GB18030/GBK
        try:
            raw = [
                (number, [cell.strip() for cell in values])
                for number, values in enumerate(csv.reader(source, delimiter=delimiter), start=1)
            ]
        except csv.Error as error:
            raise InputError(f"not a readable CSV file ({error})", file=str(path)) from None
    else:
        raise InputError("give a .csv or .xlsx file", file=str(path))
    if not raw:
        raise InputError("the file is empty", file=str(path))
    header = [cell.strip().lower() for cell in raw[0][1]]
    while header and header[-1] == "":
        header.pop()
    rows = [(number, values) for number, values in raw[1:] if any(values)]
    return header, rows


def _check_header(header: list[str], file: str) -> None:
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise InputError(f"required column {column!r} is missing", file=file, field=column)
    for column in header:
        if column not in COLUMNS:
            raise InputError(
                f"unknown column {column!r}; columns are {', '.join(COLUMNS)}",
                file=file,
                row=1,
                field=column or "(blank)",
            )
    seen = set()
    for column in header:
        if column in seen:
            raise InputError(f"column {column!r} appears twice", file=file, row=1, field=column)
        seen.add(column)


def _parse_row(
    record: dict[str, str],
    row: int,
    file: str,
    taxonomy: Taxonomy,
    dataset: Dataset,
) -> dict:
    def fail(message: str, column: str) -> InputError:
        return InputError(message, file=file, row=row, field=column)

    name = record.get("name", "")
    if not name:
        raise fail("a name is required", "name")
    industry = taxonomy.resolve_industry(record.get("industry", ""))
    if industry is None:
        raise fail(
            f"unknown industry {record.get('industry', '')!r}; use one of "
            f"{', '.join(taxonomy.industry_ids)}",
            "industry",
        )
    size_text = record.get("size", "").strip()
    size = size_text.lower()
    for key, zh in SIZES.items():
        if size_text in (zh, zh.rstrip("型")):
            size = key
    if size not in SIZES:
        raise fail(f"unknown size {size_text!r}; use one of {', '.join(SIZES)}", "size")
    city = taxonomy.city(record.get("home_city", ""))
    if city is None:
        raise fail(
            f"unknown home city {record.get('home_city', '')!r}: not one of Zhejiang's 11 "
            "prefecture-level or 20 county-level cities (see docs/match.md)",
            "home_city",
        )
    category = (record.get("category") or "other").strip().lower().replace("-", "_")
    if category not in CATEGORIES:
        raise fail(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}", "category")
    needs = []
    for part in _split(record.get("tech_needs")):
        field_id = taxonomy.resolve_field(part)
        if field_id is None:
            raise fail(f"unknown technology field {part!r}", "tech_needs")
        needs.append(field_id)
    presence = []
    for part in _split(record.get("overseas_presence")):
        code = part.upper()
        if code not in dataset.countries.index:
            raise fail(f"unknown economy code {part!r} (use ISO 3166 alpha-3)", "overseas_presence")
        presence.append(code)
    flag = (record.get("synthetic") or "").strip().lower()
    if flag not in _TRUE | _FALSE:
        raise fail(f"synthetic must be true or false, got {flag!r}", "synthetic")
    return {
        "name": name,
        "industry": industry,
        "size": size,
        "home_city": city,
        "prefecture": taxonomy.cities[city],
        "category": category,
        "tech_needs": ";".join(dict.fromkeys(needs)),
        "overseas_presence": ";".join(dict.fromkeys(presence)),
        "synthetic": flag in _TRUE,
    }


def read_enterprises(
    path: str | Path,
    *,
    taxonomy: Taxonomy | None = None,
    dataset: Dataset | None = None,
) -> pd.DataFrame:
    """Read and validate an enterprise file (CSV or XLSX); nothing is stored.

    Returns one row per enterprise with canonical ids, the ``prefecture`` of the
    home city and a boolean ``synthetic`` column. Raises :class:`InputError` at
    the first problem, naming the row and field.
    """
    path = Path(path)
    taxonomy = taxonomy or load_taxonomy()
    dataset = dataset or load_dataset()
    file = str(path)
    header, rows = _read_rows(path)
    _check_header(header, file)
    if not rows:
        raise InputError("the file has a header but no enterprises", file=file)
    parsed, names = [], {}
    for number, values in rows:
        extra = values[len(header) :]
        if any(extra):
            raise InputError(
                f"the row has {len(values)} cells but the header has {len(header)} columns",
                file=file,
                row=number,
                field=f"column {len(header) + 1}",
            )
        record = dict(
            zip(header, values[: len(header)] + [""] * (len(header) - len(values)), strict=True)
        )
        entry = _parse_row(record, number, file, taxonomy, dataset)
        key = entry["name"].casefold()
        if key in names:
            raise InputError(
                f"enterprise {entry['name']!r} already listed in row {names[key]}",
                file=file,
                row=number,
                field="name",
            )
        names[key] = number
        parsed.append(entry)
    return pd.DataFrame(parsed, columns=[*COLUMNS[:4], "prefecture", *OPTIONAL_COLUMNS])


def enterprises_path() -> Path:
    """Where imported enterprises are kept.

    ``$OICPLAN_DATA_DIR/enterprises.csv`` if that variable is set, else
    ``$XDG_DATA_HOME/oicplan/enterprises.csv`` (default ``~/.local/share``).
    """
    folder = os.environ.get(_ENV_DIR)
    if folder:
        return Path(folder).expanduser() / _STORE_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "oicplan" / _STORE_NAME


@contextmanager
def _store_lock(target: Path) -> Iterator[None]:
    """Lock the store's folder (POSIX ``flock`` on the folder itself) while reading and replacing.

    Two imports with ``append`` at the same time would otherwise both read the
    old list and the second rename would drop the first one's enterprises. The
    lock goes with the process (a killed import releases it) and leaves no file.
    Where ``fcntl`` does not exist (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def save_enterprises(frame: pd.DataFrame, path: str | Path | None = None) -> Path:
    """Write enterprises whole (:func:`oicplan.wholefile.write_whole`): a killed save
    leaves the previous file, and its temporary file is removed by the next save.
    """
    target = Path(path) if path else enterprises_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_whole(target, frame.to_csv(index=False))


def import_enterprises(
    path: str | Path,
    *,
    append: bool = False,
    store: str | Path | None = None,
    taxonomy: Taxonomy | None = None,
    dataset: Dataset | None = None,
) -> tuple[pd.DataFrame, Path]:
    """Validate a file and keep it in the user's data folder (replacing, or appending).

    Nothing is written unless the whole file is valid. With ``append``, names
    already stored are an error.
    """
    frame = read_enterprises(path, taxonomy=taxonomy, dataset=dataset)
    target = Path(store) if store else enterprises_path()
    with _store_lock(target):
        if append and target.is_file():
            old = load_stored(target)
            clash = sorted(set(old["name"].str.casefold()) & set(frame["name"].str.casefold()))
            if clash:
                raise InputError(
                    f"enterprise {clash[0]!r} is already stored (import without append to "
                    "replace)",
                    file=str(path),
                    field="name",
                )
            frame = pd.concat([old, frame], ignore_index=True)
        return frame, save_enterprises(frame, target)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.fillna("")
    frame["synthetic"] = frame["synthetic"].astype(str).str.lower().isin(_TRUE)
    return frame


def load_stored(path: str | Path | None = None) -> pd.DataFrame:
    """The enterprises kept by the last import (empty frame if none)."""
    target = Path(path) if path else enterprises_path()
    if not target.is_file():
        return pd.DataFrame(columns=[*COLUMNS[:4], "prefecture", *OPTIONAL_COLUMNS])
    return _typed(pd.read_csv(target, dtype=str, keep_default_na=False))


def load_sample() -> pd.DataFrame:
    """The shipped illustrative sample, validated like any import (all ``synthetic``)."""
    return read_enterprises(SAMPLE_FILE)


def load_enterprises(source: str | Path | None = None) -> pd.DataFrame:
    """Enterprises from ``"sample"``, a file (validated), or the stored import (default)."""
    if source is None:
        return load_stored()
    if str(source) == "sample":
        return load_sample()
    return read_enterprises(source)
