"""``oicplan centers ...`` through the command line, on each database backend."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app as cli_app
from oicplan.store.seed import snapshot_centers

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
    assert len(centers) == len(snapshot_centers()) and all(c["source"] for c in centers)
    out = run("list", "--mode", "offshore_rd_center", "--iso3", "usa", "--json")
    assert {c["iso3"] for c in json.loads(out.stdout)} == {"USA"}


def test_list_table(run):
    out = run("list")
    assert out.exit_code == 0
    assert f"Established centers ({len(snapshot_centers())})" in out.stdout


def test_add_then_list(run):
    out = run(
        "add", "--name", "Zhejiang Hungary Lab", "--iso3", "HUN", "--mode", "joint_lab",
        "--host-city", "Budapest", "--opening-year", "2023", "--source", "test", "--json",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["id"] == "zhejiang-hungary-lab"
    assert len(json.loads(run("list", "--json").stdout)) == len(snapshot_centers()) + 1


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


def test_add_with_site_id_shows_in_list(run, db_url):
    out = run(
        "add", "--name", "Zhejiang Hungary Lab", "--iso3", "HUN", "--mode", "joint_lab",
        "--site-id", "HUN-budapest", "--json",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["site_id"] == "HUN-budapest"
    listed = {c["id"]: c for c in json.loads(run("list", "--json").stdout)}
    assert listed["zhejiang-hungary-lab"]["site_id"] == "HUN-budapest"
    assert listed[TLV]["site_id"] == "ISR-tel-aviv"  # linked by the seed (revision 0004)
    table = CliRunner().invoke(
        cli_app,
        ["centers", "list", "--iso3", "HUN"],
        env={"OICPLAN_DATABASE_URL": db_url, "COLUMNS": "200"},
    )
    assert table.exit_code == 0, table.output
    header = next(line for line in table.stdout.splitlines() if "host city" in line)
    assert "site" in header and "HUN-budapest" in table.stdout


def test_add_unknown_site_id_is_one_line_error(run):
    out = run(
        "add", "--name", "x", "--iso3", "DEU", "--mode", "joint_lab", "--site-id", "DEU-raunhiem"
    )
    assert out.exit_code == 2
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "field site_id" in lines[0] and "DEU-raunheim" in lines[0]
    assert len(json.loads(run("list", "--json").stdout)) == len(snapshot_centers())


def test_import_year_before_opening_year(run, tmp_path):
    out = run(
        "add", "--name", "Zhejiang Hungary Lab", "--iso3", "HUN", "--mode", "joint_lab",
        "--opening-year", "2023",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    path = tmp_path / "k.csv"
    path.write_text(
        "center_id,year,kpi,value,unit\n"
        "zhejiang-hungary-lab,2024,patents,1,\n"
        "zhejiang-hungary-lab,2010,patents,1,\n"
    )
    out = run("import-kpis", str(path))
    assert out.exit_code == 2
    assert f"error: {path}, row 3, field year:" in out.output
    out = run("alerts", "--json")
    rows = {r["center_id"]: r for r in json.loads(out.stdout)}
    # Nothing was stored: the lab still has no KPI data at all.
    assert [a["kind"] for a in rows["zhejiang-hungary-lab"]["alerts"]] == ["no_kpi_data"]


def test_help_documents_site_and_year_rule(run):
    add_help = run("add", "--help").stdout
    assert "--site-id" in add_help
    assert "opening year" in " ".join(run("import-kpis", "--help").stdout.split())


def test_set_site_links_and_clears(run):
    moscow = "alibaba-damo-academy-lab-moscow"
    out = run("set-site", moscow, "rus-saint-petersburg", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["site_id"] == "RUS-saint-petersburg"
    listed = {c["id"]: c for c in json.loads(run("list", "--json").stdout)}
    assert listed[moscow]["site_id"] == "RUS-saint-petersburg"
    # A site in another country, an unknown center, and neither SITE_ID nor --clear.
    for args, field in (
        ((moscow, "HUN-budapest"), "site_id"),
        (("nope", "RUS-moscow"), "center_id"),
        ((moscow,), "site_id"),
        ((moscow, "RUS-moscow", "--clear"), "site_id"),
    ):
        out = run("set-site", *args)
        assert out.exit_code == 2 and f"field {field}" in out.output, (args, out.output)
    listed = {c["id"]: c for c in json.loads(run("list", "--json").stdout)}
    assert listed[moscow]["site_id"] == "RUS-saint-petersburg"  # errors changed nothing
    out = run("set-site", moscow, "--clear", "--json")
    assert out.exit_code == 0 and json.loads(out.stdout)["site_id"] is None
