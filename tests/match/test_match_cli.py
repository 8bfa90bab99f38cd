"""oicplan match and oicplan enterprises through the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app as cli_app


@pytest.fixture(scope="module")
def app():
    """The real command line, so the commands' registration and error handling are tested."""
    return cli_app


def test_match_json(app):
    out = CliRunner().invoke(
        app,
        [
            "match",
            "--scenario",
            "zhejiang",
            "--preset",
            "far",
            "--json",
            "--site",
            "SGP-singapore",
            "--site",
            "KAZ-almaty",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["sites"] == ["SGP-singapore", "KAZ-almaty"]
    assert len(data["matrix"]) == len(data["industries"])
    assert all(len(row) == 2 for row in data["matrix"])
    first = data["explanations"][data["industries"][0]]["SGP-singapore"]
    # Singapore has the 35 WIPO fields (patent families): field evidence, not proxy signals.
    assert first["preset"] == "far" and first["tier"] == "patent_families"
    assert first["fields"] and all(f["source_table"] and f["edition"] and f["years"]
                                   for f in first["fields"] if f["basis"] == "field_data")
    assert data["tiers"]["KAZ"]["tier"] == "articles"
    almaty = data["explanations"][data["industries"][0]]["KAZ-almaty"]
    assert {f["source"] for f in almaty["fields"]} == {"articles"}


def test_match_table_and_errors(app):
    out = CliRunner().invoke(app, ["match", "--top", "1"])
    assert out.exit_code == 0 and "Information technology" in out.stdout
    bad = CliRunner().invoke(app, ["match", "--preset", "sideways"])
    assert bad.exit_code == 2 and "preset" in bad.output
    bad = CliRunner().invoke(app, ["match", "--site", "XXX-nowhere"])
    assert bad.exit_code == 2 and "XXX-nowhere" in bad.output


def test_enterprises_import_list_and_sample(app, tmp_path, monkeypatch):
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "store"))
    good = tmp_path / "good.csv"
    good.write_text(
        "name,industry,size,home_city\nA,new_materials,large,Ningbo\n", encoding="utf-8"
    )
    out = CliRunner().invoke(app, ["enterprises", "import", str(good)])
    assert out.exit_code == 0 and "imported 1" in out.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("name,industry,size,home_city\nB,new_materials,large,Paris\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["enterprises", "import", str(bad)])
    assert out.exit_code == 2 and "row 2" in out.output and "home_city" in out.output
    listed = json.loads(CliRunner().invoke(app, ["enterprises", "list", "--json"]).stdout)
    assert listed["synthetic"] is False and [e["name"] for e in listed["enterprises"]] == ["A"]
    sample = json.loads(CliRunner().invoke(app, ["enterprises", "sample", "--json"]).stdout)
    assert sample["synthetic"] is True and sample["count"] == 4119
    assert "SYNTHETIC" in sample["note"]
    shown = CliRunner().invoke(app, ["enterprises", "list", "--sample", "--limit", "2"])
    assert shown.exit_code == 0 and "SYNTHETIC" in shown.stdout
