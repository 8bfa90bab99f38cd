"""Tests for ``oicplan cost`` through the command line."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli import app as cli_app


@pytest.fixture()
def app() -> typer.Typer:
    """The real command line, so the command's registration and error handling are tested."""
    return cli_app


def run(app, *args):
    return CliRunner().invoke(app, ["cost", *args])


def test_json_breakdown_with_provenance(app):
    out = run(app, "--site", "ESP-madrid", "--mode", "offshore_rd_center", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["site_id"] == "ESP-madrid" and data["mode"] == "offshore_rd_center"
    assert data["currency"] == "USD" and data["price_year"] == 2024
    assert data["headcount"] == 25 and data["gap"] is None
    assert {line["component"] for line in data["lines"]} == {
        "staff",
        "office",
        "travel",
        "currency",
        "setup",
    }
    data_inputs = [i for i in data["inputs"] if i["kind"] == "data"]
    assert data_inputs and all(i["year"] and i["source"] == "wdi" for i in data_inputs)
    assert "base cost researcher" in data["assumptions"]["parts"]
    assert "not sourced" in data["assumptions"]["note"]
    assert data["npv"] < data["npv_gross"]


def test_site_name_with_accents_and_options(app):
    out = run(
        app,
        "--site",
        "sao paulo",
        "--mode",
        "Joint-Lab",
        "--headcount",
        "4",
        "--rent",
        "250",
        "--year",
        "2026",
        "--json",
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["site_id"] == "BRA-sao-paulo" and data["headcount"] == 4
    assert data["start_year"] == 2026 and data["after_tax"]["years"][0] == 2026
    office = next(line for line in data["lines"] if line["item"] == "office")
    assert office["unit_cost"] == 250.0


@pytest.mark.parametrize(
    "args,field",
    [
        (["--site", "Atlantis", "--mode", "joint_lab"], "site"),
        (["--site", "ESP-madrid", "--mode", "moonbase"], "mode"),
        (["--site", "ESP-madrid", "--mode", "joint_lab", "--headcount", "-3"], "headcount"),
        (["--site", "ESP-madrid", "--mode", "joint_lab", "--rent", "-1"], "rent_per_m2_year"),
        (["--mode", "joint_lab"], "site"),
        (["--site", "ESP-madrid"], "mode"),
    ],
)
def test_bad_input_is_one_clear_line(app, args, field):
    out = run(app, *args)
    assert out.exit_code == 2
    assert f"field {field}" in out.output
    assert "Traceback" not in out.output


def test_gap_is_reported(app):
    out = run(app, "--site", "VEN-caracas", "--mode", "joint_lab", "--json")
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["annual_cost"] is None and "SL.GDP.PCAP.EM.KD" in data["gap"]
    out = run(app, "--site", "VEN-caracas", "--mode", "joint_lab")
    assert "gap" in out.stdout


def test_assumptions_file_and_show(app, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("travel_per_head: 1000\nhorizon_years: 3\n", encoding="utf-8")
    out = run(
        app, "--site", "ESP-madrid", "--mode", "joint_lab", "--assumptions", str(path), "--json"
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    travel = next(line for line in data["lines"] if line["component"] == "travel")
    assert travel["unit_cost"] == 1000.0 and len(data["after_tax"]["years"]) == 3
    assert str(path) in data["assumptions"]["origin"]
    shown = run(app, "--show-assumptions", "--assumptions", str(path))
    assert shown.exit_code == 0 and "travel_per_head: 1000.0" in shown.stdout
    assert "NOT sourced" in shown.stdout
    path.write_text("travel_per_head: -5\n", encoding="utf-8")
    bad = run(app, "--site", "ESP-madrid", "--mode", "joint_lab", "--assumptions", str(path))
    assert bad.exit_code == 2 and "travel_per_head" in bad.output and str(path) in bad.output


def test_table_output(app):
    out = run(app, "--site", "ESP-madrid", "--mode", "offshore_incubator")
    assert out.exit_code == 0, out.output
    for text in ("USD of 2024", "NPV over 10 years", "Data used", "SL.GDP.PCAP.EM.KD", "2024"):
        assert text in out.stdout


def test_help_teaches(app):
    out = run(app, "--help")
    assert out.exit_code == 0
    text = " ".join(out.stdout.split())
    for phrase in ("ASSUMPTIONS", "--show-assumptions", "price level", "gap", "ESP-madrid"):
        assert phrase in text
