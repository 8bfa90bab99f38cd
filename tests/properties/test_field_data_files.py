"""Field-data files (match --field-data): a validated frame or one InputError naming the file.

Reader: :func:`oicplan.match.signals.load_field_data` (CSV or XLSX).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.properties._files import (
    SETTINGS,
    any_bytes,
    check_reader,
    table_bytes,
    workbook_bytes,
)

VALID = [
    ["iso3", "field", "value", "year", "source"],
    ["KOR", "computer_technology", "1200", "2022", "WIPO IP statistics"],
    ["DEU", "7", "800", "2022", "WIPO IP statistics"],
    ["CN-ZJ", "computer_technology", "300", "2022", "Zhejiang IP office"],
]


@pytest.fixture(scope="module")
def read():
    from oicplan.data import load_dataset
    from oicplan.match.signals import load_field_data
    from oicplan.match.taxonomy import load_taxonomy

    taxonomy, dataset = load_taxonomy(), load_dataset()
    return lambda path: load_field_data(path, taxonomy, dataset)


def test_the_valid_file_reads(tmp_path, read):
    path = tmp_path / "fields.csv"
    path.write_text("\n".join(",".join(row) for row in VALID) + "\n", encoding="utf-8")
    assert len(read(path)) == 3


@SETTINGS
@given(raw=any_bytes(table_bytes(VALID)))
def test_field_data_csv(raw, tmp_path, read):
    check_reader(read, tmp_path / "fields.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(VALID)))
def test_field_data_xlsx(raw, tmp_path, read):
    check_reader(read, tmp_path / "fields.xlsx", raw)
