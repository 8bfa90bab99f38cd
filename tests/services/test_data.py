"""The dataset use cases (``oicplan.services.data``) against the dataset called directly."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from oicplan.data import load_dataset
from oicplan.errors import InputError
from oicplan.services.data import (
    DataBuildRequest,
    DataExportRequest,
    DataShowRequest,
    DataSourcesRequest,
    data_build,
    data_export,
    data_show,
    data_sources,
)


def test_sources_are_the_dataset_sources():
    from oicplan.data.fields import field_catalogue_of

    dataset = load_dataset()
    listed = data_sources(DataSourcesRequest()).document()
    # The NCSES field sources: in sources.json once data build has written them there,
    # else listed from the snapshot's field table.
    ncses = [s for s in listed if s["id"].startswith("ncses/")]
    assert ncses == field_catalogue_of(dataset.folder)
    assert [s for s in listed if not s["id"].startswith("ncses/")] == [
        s for s in dataset.sources if not s["id"].startswith("ncses/")]


def test_show_is_the_economy_table():
    dataset = load_dataset()
    rows = dataset.economy_table("KAZ")
    result = data_show(DataShowRequest(iso3=" kaz "))
    document = result.document()
    # Each value also carries the indicator's Chinese title (oicplan.data.indicator_titles_zh).
    titles_zh = [value.pop("title_zh") for value in document["values"]]
    # ... and its age, maximum age and stale mark (test_value_ages_follow_the_framework).
    ages = [{key: value.pop(key) for key in ("age", "max_age", "stale")}
            for value in document["values"]]
    document.pop("fields")  # the NCSES field values: tests/data/test_field_data.py
    assert document == {
        "iso3": "KAZ",
        "name_en": dataset.countries.loc["KAZ", "name_en"],
        "name_zh": dataset.countries.loc["KAZ", "name_zh"],
        "values": json.loads(rows.to_json(orient="records", force_ascii=False)),
    }
    assert all(any("\u4e00" <= char <= "\u9fff" for char in title) for title in titles_zh)
    assert "frame" not in result.model_dump()
    assert all(age["age"] is not None and age["age"] >= 0 for age in ages)
    pd.testing.assert_frame_equal(result.frame, rows)
    json.dumps(result.document())  # JSON-ready


def test_value_ages_follow_the_framework():
    """age = the indicator's newest year in the snapshot − the value's year; stale past max_age."""
    from oicplan.indicators.framework import load_framework

    dataset = load_dataset()
    newest = dataset.latest.groupby("indicator")["year"].max()
    framework = load_framework()
    codes = set(framework.indicator_codes())
    seen_stale = False
    for iso3 in ("SOM", "SRB", "KAZ"):
        for value in data_show(DataShowRequest(iso3=iso3)).values:
            assert value.age == int(newest[value.indicator]) - value.year
            limit = framework.max_age_for(value.indicator) if value.indicator in codes else None
            assert value.max_age == limit
            assert value.stale == (None if limit is None else value.age > limit)
            seen_stale = seen_stale or bool(value.stale)
    assert seen_stale  # Somalia's patents of 1984 are past the 10-year limit


def test_show_unknown_economy_names_the_field():
    with pytest.raises(InputError) as error:
        data_show(DataShowRequest(iso3="XYZ"))
    assert error.value.field == "iso3" and "'XYZ'" in error.value.message


@pytest.mark.parametrize("series", [False, True])
def test_export_writes_the_tidy_table(tmp_path, series):
    out = tmp_path / "new" / "tidy.csv"
    result = data_export(DataExportRequest(out=out, series=series))
    dataset = load_dataset()
    expected = dataset.series if series else dataset.latest
    table = pd.read_csv(out)
    assert table.columns.tolist() == ["entity", "indicator", "year", "value", "source"]
    assert result.rows == len(table) == len(expected)
    assert result.document() == {"out": str(out), "rows": len(expected)}


def test_build_passes_the_request_to_the_library(monkeypatch, tmp_path):
    import oicplan.data.build as build

    calls = []
    manifest = {"version": "2025.x", "economies": 2, "indicators": 3, "sites": 4, "gaps": ["g"]}

    def fake_build(wdi_dir, wgi_dir, facts_dir, out_dir, *, progress=None, site_access=None):
        from oicplan.geo.snapshot import write_site_access

        assert site_access is write_site_access  # the service routes; the data layer does not
        calls.append((wdi_dir, wgi_dir, facts_dir, out_dir))
        progress("step")
        return manifest

    monkeypatch.setattr(build, "build_snapshot", fake_build)
    steps = []
    result = data_build(DataBuildRequest(wdi_dir=tmp_path / "wdi"), progress=steps.append)
    assert calls == [(tmp_path / "wdi", None, None, build.SNAPSHOT_DIR)] and steps == ["step"]
    assert (result.version, result.sites, result.gaps) == ("2025.x", 4, ("g",))
    assert result.document() == manifest


def test_build_into_a_file_is_an_input_error(tmp_path, wdi_fixture_dir):
    target = tmp_path / "file.txt"
    target.write_text("mine")
    with pytest.raises(InputError) as error:
        data_build(DataBuildRequest(wdi_dir=wdi_fixture_dir, out_dir=target))
    assert error.value.field == "out"
    assert target.read_text() == "mine"
