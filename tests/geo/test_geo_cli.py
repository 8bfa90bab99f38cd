"""The access and corridors commands, on a tiny app built here."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli import geo as cli_geo
from oicplan.errors import InputError
from oicplan.services import transport

runner = CliRunner()


@pytest.fixture()
def app(small_graph, monkeypatch):
    monkeypatch.setattr(transport, "scenario_graph", lambda scenario="zhejiang": small_graph)
    monkeypatch.setattr(cli_geo, "_graph", lambda scenario="zhejiang": small_graph)
    app = typer.Typer()
    app.command("access")(cli_geo.access)
    app.command("corridors")(cli_geo.corridors)
    return app


def test_access_json_yiwu_madrid_rail(app):
    result = runner.invoke(
        app, ["access", "--from", "Yiwu", "--to", "Madrid", "--mode", "rail", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"from", "to", "mode", "km", "days", "path"} <= set(data)
    assert (data["from"], data["to"], data["mode"]) == ("Yiwu", "Madrid", "rail")
    assert (data["km"], data["days"]) == (13052.0, 21.0)
    assert [(s["node"], s["mode"]) for s in data["path"]] == [
        ("Yiwu", None), ("Alashankou", "rail"), ("Madrid", "rail")
    ]


def test_access_text_and_avoid(app):
    result = runner.invoke(app, ["access", "--from", "ningbo", "--to", "valencia",
                                 "--mode", "sea", "--avoid", "suez"])
    assert result.exit_code == 0, result.output
    assert "Ningbo-Zhoushan → Valencia by sea" in result.output
    assert "Suez" not in result.output.split("corridor")[-1]


def test_access_unknown_city_and_unreachable(app):
    result = runner.invoke(app, ["access", "--from", "Yiwu", "--to", "Atlantis"])
    assert isinstance(result.exception, InputError)
    assert result.exception.field == "to"
    result = runner.invoke(app, ["access", "--from", "Yiwu", "--to", "Singapore",
                                 "--mode", "rail"])
    assert isinstance(result.exception, InputError)
    assert "no route" in str(result.exception)
    result = runner.invoke(app, ["access", "--from", "Yiwu", "--to", "Madrid", "--mode", "ship"])
    assert isinstance(result.exception, InputError) and result.exception.field == "mode"


def test_corridors_json(app):
    result = runner.invoke(app, ["corridors", "--json"])
    assert result.exit_code == 0, result.output
    items = {c["corridor"]: c for c in json.loads(result.output)}
    assert items["Yiwu–Madrid"]["nodes"] == ["Yiwu", "Alashankou", "Madrid"]
    result = runner.invoke(app, ["corridors"])
    assert result.exit_code == 0 and "Yiwu–Madrid" in result.output


def test_help_teaches(app):
    result = runner.invoke(app, ["access", "--help"])
    assert result.exit_code == 0
    assert "--avoid" in result.output and "suez" in result.output


def test_scenario_option_in_help(app):
    for command in ("access", "corridors"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "--scenario" in result.output
