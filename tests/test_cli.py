"""The command line: the main job end to end, data commands, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from oicplan.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_help_teaches_the_main_job():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "oicplan plan --scenario zhejiang" in result.output


def test_plan_writes_json_html_and_markdown(tmp_path):
    out = tmp_path / "zj"
    result = invoke("plan", "--scenario", "zhejiang", "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert document["scenario"] == "zhejiang" and len(document["sites"]) == 12
    assert (out / "report.html").stat().st_size > 10_000
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Layout plan")
    assert "12 centers" in result.output


def test_plan_from_a_user_yaml_with_fewer_centers(tmp_path):
    data = yaml.safe_load(invoke("scenario", "show", "zhejiang").output)
    data["centers"] = 5
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = invoke("plan", "--scenario", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "o" / "plan.json").read_text())["sites"]) == 5
    # The default language is Chinese, in the terminal summary too.
    assert "5 个中心" in result.output
    assert "zone_upgrade" not in result.output


def test_rank_json_is_ranked():
    result = invoke("rank", "--scenario", "st_leader", "--top", "5", "--json")
    document = json.loads(result.output)
    assert [site["rank"] for site in document["sites"]] == sorted(
        s["rank"] for s in document["sites"]
    )
    assert len(document["sites"]) == 5 and "innovation" in document["sites"][0]["pillars"]


def test_data_show_gives_year_and_source():
    document = json.loads(invoke("data", "show", "kaz", "--json").output)
    assert document["iso3"] == "KAZ" and document["name_zh"] == "哈萨克斯坦"
    gdp = next(v for v in document["values"] if v["indicator"] == "NY.GDP.MKTP.CD")
    assert gdp["source"] == "wdi" and gdp["year"] >= 2020


def test_data_export_writes_the_tidy_table(tmp_path):
    out = tmp_path / "tidy.csv"
    assert invoke("data", "export", "--out", str(out)).exit_code == 0
    table = pd.read_csv(out)
    assert table.columns.tolist() == ["entity", "indicator", "year", "value", "source"]
    assert "NY.GDP.MKTP.CD" in set(table["indicator"]) and "DEU" in set(table["entity"])


def test_data_sources_lists_licences():
    document = json.loads(invoke("data", "sources", "--json").output)
    assert {"wdi", "wgi", "geonames", "facts/bri_countries"} <= {s["id"] for s in document}


@pytest.mark.parametrize(
    "args, message",
    [
        (["plan", "--scenario", "nowhere.yaml"], "scenario file not found"),
        (["plan", "--scenario", "zhejiang", "--centers", "5000"], "centers"),
        (["plan", "--scenario", "zhejiang", "--lang", "fr"], "field lang"),
        (["data", "show", "XYZ"], "unknown economy code 'XYZ'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_leaves_no_folder(tmp_path, args, message):
    out = tmp_path / "never"
    if args[0] == "plan":
        args = [*args, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_malformed_scenario_file_names_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    data = yaml.safe_load(invoke("scenario", "show", "zhejiang").output)
    data["per_country_cap"] = 0
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["plan", "--scenario", str(path), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "field per_country_cap" in result.output


def test_console_script_exit_code_and_no_traceback(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "oicplan.cli",
            "plan",
            "--scenario",
            "zhejiang",
            "--centers",
            "5000",
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_center_alerts_use_the_embedded_governance_data(tmp_path, monkeypatch):
    """Russia's WGI estimates fell from 2021 to 2023: the Moscow center gets a risk alert."""
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    result = invoke("centers", "alerts", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["center_id"]: row for row in json.loads(result.output)}
    moscow = rows["alibaba-damo-academy-lab-moscow"]
    assert "host_risk_rising" in {alert["kind"] for alert in moscow["alerts"]}
    germany = rows["geely-rd-centre-raunheim"]
    assert "host_risk_rising" not in {alert["kind"] for alert in germany["alerts"]}


def test_cost_command_is_registered():
    result = invoke("cost", "--site", "ESP-madrid", "--mode", "joint_lab", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)


def test_audit_reports_pillar_coherence_and_rank_changes():
    result = invoke("audit", "--site", "KOR-seoul", "--compare", "normalization=zscore", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    alphas = {row["node"]: row["alpha"] for row in document["pillars"]}
    assert 0.0 < alphas["innovation"] <= 1.0
    assert document["site"]["strengths"] and document["site"]["weaknesses"]
    assert document["compare"]["changes"] == {"normalization": "zscore"}
    for row in document["compare"]["rank_changes"]:
        assert row["rank_change"] == row["rank_a"] - row["rank_b"] != 0


def test_audit_bad_setting_is_named():
    result = runner.invoke(app, ["audit", "--compare", "colour=blue"])
    assert result.exit_code == 2 and "colour" in result.output


def test_enterprises_assign_lists_each_centers_enterprises():
    result = invoke("enterprises", "assign", "--sample", "--capacity", "400", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["synthetic"] is True and "SYNTHETIC" in document["synthetic_note"]
    centers = document["centers"]
    assert len(centers) == 12
    assert all(len(c["enterprises"]) <= c["capacity"] == 400 for c in centers.values())
    assigned = sum(len(c["enterprises"]) for c in centers.values())
    assert assigned + len(document["unassigned"]) == 146 + 3973


def test_unknown_indicator_in_a_users_framework_is_named(tmp_path):
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "name: mine\npillars:\n  - id: innovation\n    name_en: Innovation\n"
        "    name_zh: 创新\n    indicators:\n      - {code: NOT.A.CODE}\n",
        encoding="utf-8",
    )
    data = yaml.safe_load(invoke("scenario", "show", "zhejiang").output)
    data["framework"] = str(framework)
    data["weights"] = {"innovation": 1.0}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "never"
    result = runner.invoke(app, ["plan", "--scenario", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "NOT.A.CODE" in result.output and "Traceback" not in result.output
    assert not out.exists()


# ------------------------------------------------------- rank tables in 80 columns


def _rank_in_a_pipe(*args: str) -> str:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "oicplan", "rank", "--top", "5", *args],
        capture_output=True, text=True, timeout=300, env={**__import__("os").environ,
                                                          "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rank_in_a_pipe_shows_whole_columns_that_fit_80_characters():
    out = _rank_in_a_pipe()
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in out  # no cell cut to "Si…"
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    top = rank_sites(load_scenario("zhejiang")).table.iloc[0]
    assert str(top["name"]) in out  # the first site's whole name
    assert "not shown" in out and "--columns" in out


def test_rank_columns_and_csv_give_the_rest():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(_rank_in_a_pipe("--format", "csv"))))
    assert len(rows) == 5
    assert {"rank", "site", "score", "risk", "match"} <= set(rows[0])
    picked = _rank_in_a_pipe("--columns", "site,match")
    assert "match" in picked and "economy" not in picked


def test_rank_unknown_column_is_one_line_and_exit_2():
    result = runner.invoke(app, ["rank", "--columns", "site,charm"])
    assert result.exit_code == 2
    assert "charm" in result.output


def test_centers_list_in_a_pipe_folds_ids_instead_of_cutting_them(tmp_path):
    import os

    env = {**os.environ, "COLUMNS": "80", "OICPLAN_DATABASE_URL": f"sqlite:///{tmp_path}/r.db"}
    out = subprocess.run(
        [sys.executable, "-m", "oicplan", "centers", "list"],
        capture_output=True, text=True, timeout=300, env=env,
    ).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    csv_out = subprocess.run(
        [sys.executable, "-m", "oicplan", "centers", "list", "--format", "csv"],
        capture_output=True, text=True, timeout=300, env=env,
    ).stdout
    header, first = csv_out.splitlines()[:2]
    assert header == "id,host city,iso3,site,mode,operator,opened"
    ids = [line.split(",")[0] for line in csv_out.splitlines()[1:]]
    # Every id is in the table, folded over lines where long (its first line whole).
    assert ids and all(i[:20] in out for i in ids)


def test_the_plan_summary_wraps_long_names_in_80_columns(tmp_path):
    import os

    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "oicplan", "plan", "--out", str(tmp_path / "p")],
        capture_output=True, text=True, timeout=600, env=env,
    ).stdout
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    assert "转型升级" in out  # the whole strategy name, wrapped over two lines
