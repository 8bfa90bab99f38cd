"""The WDI and WGI importers, on small files in the real formats."""

from __future__ import annotations

import pytest

from oicplan.data.worldbank import is_economy, read_wdi_dir, read_wdi_file, read_wgi_file
from oicplan.errors import InputError


def test_wdi_file_drops_aggregates_and_keeps_economies(wdi_fixture_dir):
    rows = read_wdi_file(wdi_fixture_dir / "gb.xpd.rsdv.gd.zs.csv")
    assert set(rows["entity"]) == {"DEU", "KAZ", "XKX"}
    assert set(rows["indicator"]) == {"GB.XPD.RSDV.GD.ZS"}
    germany = rows[rows["entity"] == "DEU"].set_index("year")["value"]
    assert germany.to_dict() == {2021: 3.13, 2022: 3.11}


def test_wdi_dir_reads_every_indicator_file_but_the_index(wdi_fixture_dir):
    rows = read_wdi_dir(wdi_fixture_dir)
    assert set(rows["indicator"]) == {"GB.XPD.RSDV.GD.ZS", "SP.POP.TOTL"}
    assert "SSF" not in set(rows["entity"])


@pytest.mark.parametrize(
    "code, expected",
    [("DEU", True), ("XKX", True), ("WLD", False), ("EUU", False), ("HIC", False), ("CHI", False)],
)
def test_aggregates_are_not_economies(code, expected):
    assert is_economy(code) is expected


def test_bad_year_names_file_row_and_field(tmp_path):
    path = tmp_path / "ny.gdp.mktp.cd.csv"
    path.write_text(
        "Country Name,Country Code,Year,Value\nAruba,ABW,1986,1.0\nAruba,ABW,19x7,2.0\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        read_wdi_file(path)
    assert error.value.file == str(path)
    assert error.value.row == 3
    assert error.value.field == "Year"


def test_non_numeric_value_is_reported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Country Name,Country Code,Year,Value\nAruba,ABW,1986,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.csv, row 2, field Value"):
        read_wdi_file(path)


def test_missing_column_is_reported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Country Name,Country Code,Year\nAruba,ABW,1986\n", encoding="utf-8")
    with pytest.raises(InputError, match="Value"):
        read_wdi_file(path)


def test_duplicate_economy_year_is_reported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "Country Name,Country Code,Year,Value\nAruba,ABW,1986,1\nAruba,ABW,1986,2\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="row 2"):
        read_wdi_file(path)


def test_wgi_maps_old_codes_and_drops_missing_estimates(wgi_fixture_dir):
    rows = read_wgi_file(wgi_fixture_dir / "wgidataset.csv")
    assert set(rows["entity"]) == {"DEU", "KAZ", "ROU"}
    assert set(rows["indicator"]) == {"WGI.PV"}
    assert rows["value"].notna().all()
