"""Enterprise files (CSV and XLSX): a frame or one InputError; a failed import keeps the store.

Readers: :func:`oicplan.match.enterprises.read_enterprises` and
:func:`oicplan.match.enterprises.import_enterprises` (replace and append), whose
store is one CSV file compared byte for byte before and after.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oicplan.errors import InputError
from tests.properties._files import (
    SETTINGS,
    any_bytes,
    check_reader,
    table_bytes,
    workbook_bytes,
)


def _valid() -> list[list[str]]:
    from oicplan.match.enterprises import SAMPLE_FILE

    with open(SAMPLE_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[:4]


VALID = _valid()


@pytest.fixture(scope="module")
def context():
    from oicplan.data import load_dataset
    from oicplan.match.taxonomy import load_taxonomy

    return load_taxonomy(), load_dataset()


@pytest.fixture()
def store(tmp_path) -> Path:
    from oicplan.match.enterprises import SAMPLE_FILE, import_enterprises

    target = tmp_path / "store" / "enterprises.csv"
    import_enterprises(SAMPLE_FILE, store=target)
    return target


def _read(context):
    from oicplan.match.enterprises import read_enterprises

    taxonomy, dataset = context
    return lambda path: read_enterprises(path, taxonomy=taxonomy, dataset=dataset)


def _import(context, store: Path, append: bool):
    from oicplan.match.enterprises import import_enterprises

    taxonomy, dataset = context

    def read(path):
        before = store.read_bytes()
        try:
            return import_enterprises(path, append=append, store=store, taxonomy=taxonomy,
                                      dataset=dataset)
        except InputError:
            assert store.read_bytes() == before, "a failed import changed the stored file"
            assert [p.name for p in store.parent.iterdir()] == [store.name], "a temporary left"
            raise

    return read


@SETTINGS
@given(raw=any_bytes(table_bytes(VALID)))
def test_enterprise_csv(raw, tmp_path, context):
    check_reader(_read(context), tmp_path / "firms.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(VALID)))
def test_enterprise_xlsx(raw, tmp_path, context):
    check_reader(_read(context), tmp_path / "firms.xlsx", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(VALID)), append=st.booleans())
def test_enterprise_import_all_or_nothing(raw, append, tmp_path, context, store):
    check_reader(_import(context, store, append), tmp_path / "firms.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(VALID)))
def test_enterprise_xlsx_import_all_or_nothing(raw, tmp_path, context, store):
    check_reader(_import(context, store, False), tmp_path / "firms.xlsx", raw)


def test_a_valid_import_replaces_the_store(tmp_path, context, store):
    """Not vacuous: the valid rows import and change the stored file."""
    path = tmp_path / "firms.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(VALID)
    before = store.read_bytes()
    frame, _ = _import(context, store, False)(path)
    assert len(frame) == len(VALID) - 1 and store.read_bytes() != before
