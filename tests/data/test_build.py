"""Building a snapshot from small inputs, and refusing broken ones without damage."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from oicplan.data import Dataset, build_snapshot
from oicplan.errors import InputError


@pytest.fixture(scope="module")
def built(tmp_path_factory, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir):
    out = tmp_path_factory.mktemp("build") / "snapshot"
    manifest = build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    return out, manifest


def test_snapshot_files_and_manifest(built):
    out, manifest = built
    for name in (
        "latest.csv",
        "series.csv.gz",
        "indicators.csv",
        "countries.csv",
        "sites.csv",
        "sources.json",
        "manifest.json",
    ):
        assert (out / name).is_file(), name
    assert manifest["wdi_commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert json.loads((out / "manifest.json").read_text())["version"] == manifest["version"]


def test_snapshot_names_every_site_in_chinese_or_says_none(built):
    out, _ = built
    sites = pd.read_csv(out / "sites.csv")
    names = pd.read_csv(out / "site_names_zh.csv", keep_default_na=False)
    assert sorted(names["site_id"]) == sorted(sites["site_id"])
    assert set(names["name_zh_source"]) <= {"cldr", "geonames", "none"}
    unnamed = names[names["name_zh_source"] == "none"]
    assert (unnamed["name_zh"] == unnamed["name"]).all()  # the original name, shown as is


def test_latest_value_and_year_per_economy_and_indicator(built):
    dataset = Dataset(built[0])
    gerd = dataset.value("DEU", "GB.XPD.RSDV.GD.ZS")
    assert (gerd.year, gerd.value, gerd.source) == (2022, 3.11, "wdi")
    assert dataset.value("KAZ", "GB.XPD.RSDV.GD.ZS").year == 2020
    assert dataset.value("WLD", "GB.XPD.RSDV.GD.ZS") is None
    assert dataset.value("ROU", "WGI.PV").value == 0.4


def test_series_keeps_only_the_last_fifteen_years(built):
    series = Dataset(built[0]).series
    population = series[(series["entity"] == "DEU") & (series["indicator"] == "SP.POP.TOTL")]
    assert population["year"].tolist() == [2023]  # 2000 is older than 2023 - 14


def test_fact_indicators_carry_their_table_as_source(built):
    dataset = Dataset(built[0])
    partner = dataset.value("KAZ", "OIC.BRI_PARTNER")
    assert partner.value == 1.0 and partner.source == "facts/bri_countries"
    assert dataset.value("ITA", "OIC.BRI_PARTNER").value == 0.0  # withdrawn
    assert dataset.value("ESP", "OIC.YIWU_RAIL").value == 1.0  # Yiwu–Madrid terminus


def test_broken_fact_file_names_file_row_field_and_keeps_old_snapshot(
    tmp_path, built, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    broken = tmp_path / "facts"
    shutil.copytree(facts_fixture_dir, broken)
    table = pd.read_csv(broken / "zhejiang_zones.csv", dtype=str)
    table.loc[1, "iso3"] = "Vietnam"
    table.to_csv(broken / "zhejiang_zones.csv", index=False)
    out = tmp_path / "snapshot"
    shutil.copytree(built[0], out)
    before = (out / "manifest.json").read_text()
    with pytest.raises(InputError) as error:
        build_snapshot(wdi_fixture_dir, wgi_fixture_dir, broken, out)
    assert error.value.row == 3 and error.value.field == "iso3"
    assert error.value.file.endswith("zhejiang_zones.csv")
    assert (out / "manifest.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".snapshot")] == []


def test_wdi_dir_alone_takes_wgi_and_facts_from_the_current_snapshot(
    tmp_path, built, wdi_fixture_dir
):
    """`oicplan data build --wdi-dir DIR` alone: WGI values and facts carry over."""
    out = tmp_path / "snapshot"
    shutil.copytree(built[0], out)
    lonely = tmp_path / "downloads" / "wdi"
    shutil.copytree(wdi_fixture_dir, lonely)
    build_snapshot(lonely, out_dir=out)
    dataset = Dataset(out)
    assert dataset.value("ROU", "WGI.PV").value == 0.4
    assert dataset.value("KAZ", "OIC.BRI_PARTNER").value == 1.0
    assert dataset.value("DEU", "GB.XPD.RSDV.GD.ZS").year == 2022


def test_cli_data_build_with_wdi_dir_only(tmp_path, built, wdi_fixture_dir):
    from typer.testing import CliRunner

    from oicplan.cli import app

    out = tmp_path / "snapshot"
    shutil.copytree(built[0], out)
    result = CliRunner().invoke(
        app, ["data", "build", "--wdi-dir", str(wdi_fixture_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "snapshot" in result.output
