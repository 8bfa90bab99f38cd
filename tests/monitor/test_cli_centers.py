"""``oicplan centers ...`` through the command line, on each database backend."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app as cli_app

TLV = "alibaba-damo-academy-lab-tel-aviv"


@pytest.fixture()
def run(db_url):
    app = cli_app  # the real command line: registration and error handling included
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["centers", *args], env={"OICPLAN_DATABASE_URL": db_url})

    return invoke


def test_list_json(run):
    out = run("list", "--json")
    assert out.exit_code == 0, out.output
    centers = json.loads(out.stdout)
    assert len(centers) == 15 and all(c["source"] for c in centers)
    out = run("list", "--mode", "offshore_rd_center", "--iso3", "usa", "--json")
    assert {c["iso3"] for c in json.loads(out.stdout)} == {"USA"}


def test_list_table(run):
    out = run("list")
    assert out.exit_code == 0 and "Established centers (15)" in out.stdout


def test_add_then_list(run):
    out = run(
        "add", "--name", "Zhejiang Hungary Lab", "--iso3", "HUN", "--mode", "joint_lab",
        "--host-city", "Budapest", "--opening-year", "2023", "--source", "test", "--json",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["id"] == "zhejiang-hungary-lab"
    assert len(json.loads(run("list", "--json").stdout)) == 16


def test_add_error_exit_code(run):
    out = run("add", "--name", "x", "--iso3", "ZZZ", "--mode", "joint_lab")
    assert out.exit_code == 2
    assert "iso3" in out.output


def test_import_target_alerts(run, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        f"center_id,year,kpi,value,unit\n{TLV},2022,patents,1,\n{TLV},2023,patents,2,\n"
    )
    out = run("import-kpis", str(path), "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["rows"] == 2
    assert run("set-target", TLV, "patents", "5").exit_code == 0
    assert run("set-target", TLV, "citations", "5").exit_code == 2
    costs = tmp_path / "costs.csv"
    costs.write_text(f"center_id,year,budget,actual\n{TLV},2023,100,150\n")
    risk = tmp_path / "risk.csv"
    risk.write_text("iso3,year,score\nSGP,2022,1\nSGP,2023,2\n")
    out = run("alerts", "--json", "--costs", str(costs), "--risk", str(risk))
    assert out.exit_code == 0, out.output
    rows = {r["center_id"]: r for r in json.loads(out.stdout)}
    assert rows[TLV]["light"] == "red"
    assert {a["kind"] for a in rows[TLV]["alerts"]} == {"below_target", "cost_overrun"}
    singapore = rows["alibaba-damo-academy-lab-singapore"]
    assert "host_risk_rising" in {a["kind"] for a in singapore["alerts"]}
    out = run("alerts")
    assert out.exit_code == 0 and "red" in out.stdout


def test_import_error_names_row(run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"center_id,year,kpi,value,unit\n{TLV},2022,patents,-1,\n")
    out = run("import-kpis", str(path))
    assert out.exit_code == 2
    assert "row 2" in out.output and "field value" in out.output


def test_help_teaches(run):
    out = run("import-kpis", "--help")
    assert out.exit_code == 0 and "CNY 10k" in out.stdout
    assert "OICPLAN_DATABASE_URL" in run("--help").stdout
