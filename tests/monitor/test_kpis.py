"""KPI import: validation row by row, CSV and XLSX, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from oicplan.errors import InputError
from oicplan.monitor import import_kpis

TLV = "alibaba-damo-academy-lab-tel-aviv"
BOS = "zhejiang-usa-boston-haina-incubator"
HEADER = "center_id,year,kpi,value,unit\n"
NEXT_YEAR = dt.date.today().year + 1


def _csv(tmp_path, body: str, name: str = "kpis.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_csv_import_and_replace(registry, tmp_path):
    path = _csv(
        tmp_path,
        f"{TLV},2022,patents,3,\n{TLV},2023,patents,2,patents\n{BOS},2023,revenue,120.5,万元\n"
        f"{BOS},2023,talents_introduced,4,Persons\n",
    )
    summary = import_kpis(registry, path)
    assert summary["rows"] == 4 and summary["centers"] == sorted([TLV, BOS])
    values = registry.kpi_values(BOS)
    assert {(v["kpi"], v["value"], v["unit"]) for v in values} == {
        ("revenue", 120.5, "CNY 10k"),
        ("talents_introduced", 4.0, "persons"),
    }
    import_kpis(registry, _csv(tmp_path, f"{TLV},2023,patents,6,\n", "again.csv"))
    assert [v["value"] for v in registry.kpi_values(TLV)] == [3.0, 6.0]


def test_xlsx_import(registry, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Center_ID", "Year", "KPI", "Value", "Unit"])
    sheet.append([TLV, 2021, "patents", 4, None])
    sheet.append([None, None, None, None, None])
    sheet.append([TLV, 2022.0, "tech_transfer_deals", 2, "deals"])
    path = tmp_path / "kpis.xlsx"
    book.save(path)
    assert import_kpis(registry, path)["rows"] == 2
    # Row numbers count the skipped empty row, as a spreadsheet shows them.
    sheet.append([TLV, 2022, "patents", -1, None])
    book.save(path)
    with pytest.raises(InputError) as err:
        import_kpis(registry, path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 5, "value")


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("nope,2022,patents,1,", "center_id", "unknown center"),
        (",2022,patents,1,", "center_id", "empty"),
        (f"{TLV},1989,patents,1,", "year", "outside"),
        (f"{TLV},{NEXT_YEAR},patents,1,", "year", "outside"),
        (f"{TLV},twenty,patents,1,", "year", "not a year"),
        (f"{TLV},2022,citations,1,", "kpi", "unknown KPI"),
        (f"{TLV},2022,revenue,1,USD", "unit", "unit"),
        (f"{TLV},2022,patents,1,CNY 10k", "unit", "unit"),
        (f"{TLV},2022,patents,many,", "value", "not a number"),
        (f"{TLV},2022,patents,,", "value", "not a number"),
        (f"{TLV},2022,patents,-2,", "value", "negative"),
        (f"{TLV},2022,patents,1.5,", "value", "whole number"),
        (f"{TLV},2022,revenue,nan,", "value", "not a number"),
        (f"{TLV},2021,patents,1,", "kpi", "same center"),
    ],
)
def test_bad_row_names_file_row_field(registry, tmp_path, line, field, words):
    path = _csv(tmp_path, f"{TLV},2021,patents,1,\n{line}\n")
    with pytest.raises(InputError) as err:
        import_kpis(registry, path)
    assert err.value.file == str(path)
    assert err.value.row == 3
    assert err.value.field == field
    assert words in err.value.message
    assert registry.kpi_values() == []


def test_failed_import_changes_nothing(registry, tmp_path):
    import_kpis(registry, _csv(tmp_path, f"{TLV},2020,patents,1,\n", "first.csv"))
    before = registry.kpi_values()
    # Rows 2-4 are valid (row 2 would replace a stored value); row 5 is not.
    path = _csv(
        tmp_path,
        f"{TLV},2020,patents,99,\n{BOS},2021,patents,2,\n{BOS},2022,patents,3,\n"
        f"{BOS},2023,patents,x,\n",
    )
    with pytest.raises(InputError) as err:
        import_kpis(registry, path)
    assert err.value.row == 5
    assert registry.kpi_values() == before


def test_file_level_errors(registry, tmp_path):
    with pytest.raises(InputError) as err:
        import_kpis(registry, tmp_path / "missing.csv")
    assert "no such file" in str(err.value)
    bad = tmp_path / "kpis.json"
    bad.write_text("{}")
    with pytest.raises(InputError):
        import_kpis(registry, bad)
    cols = tmp_path / "cols.csv"
    cols.write_text("center_id,year,kpi,value\n")
    with pytest.raises(InputError) as err:
        import_kpis(registry, cols)
    assert (err.value.row, err.value.field) == (1, "unit")


def test_year_before_opening_year_rejects_the_file(registry, tmp_path):
    lab = registry.add_center(
        name="Zhejiang Hungary Lab", iso3="HUN", mode="joint_lab", opening_year=2023
    )["id"]
    # Row 2 is valid; row 3 reports a year before the lab opened.
    path = _csv(tmp_path, f"{lab},2023,patents,1,\n{lab},2010,patents,1,\n{TLV},2022,patents,1,\n")
    with pytest.raises(InputError) as err:
        import_kpis(registry, path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 3, "year")
    assert "2010" in err.value.message and "2023" in err.value.message
    assert registry.kpi_values() == []
    # The opening year itself and later years are accepted.
    ok = _csv(tmp_path, f"{lab},2023,patents,1,\n{lab},2024,patents,2,\n", "ok.csv")
    assert import_kpis(registry, ok)["rows"] == 2


def test_unknown_opening_year_allows_any_year_in_range(registry, tmp_path):
    # Boston's source says only "2018 or earlier": no opening year, so no bound from it.
    assert registry.get_center(BOS)["opening_year"] is None
    assert import_kpis(registry, _csv(tmp_path, f"{BOS},2005,patents,1,\n"))["rows"] == 1
