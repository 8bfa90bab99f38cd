"""Established centers' KPI performance fed back into the site scores (paper 2.5)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.data import load_dataset
from oicplan.monitor import import_kpis
from oicplan.monitor.feedback import center_site_performance
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario
from oicplan.store import Registry

runner = CliRunner()
MOSCOW_LAB = "alibaba-damo-academy-lab-moscow"


@pytest.fixture()
def registry_with_a_failing_center(tmp_path, monkeypatch):
    """Moscow's lab below its patent target two years running: a red light."""
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "center_id,year,kpi,value,unit\n"
        f"{MOSCOW_LAB},2023,patents,1,patents\n"
        f"{MOSCOW_LAB},2024,patents,2,patents\n",
        encoding="utf-8",
    )
    for args in (
        ["centers", "set-target", MOSCOW_LAB, "patents", "10"],
        ["centers", "import-kpis", str(kpis)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return Registry()


def _counting_unconfirmed():
    """The built-in scenario counting unconfirmed facts: the DAMO labs (only announced)
    make Moscow and Singapore center sites."""
    scenario = load_scenario("zhejiang")
    facts = scenario.facts.model_copy(update={"include_unconfirmed": True})
    return scenario.model_copy(update={"facts": facts})


def test_a_red_center_weakens_its_site(registry_with_a_failing_center):
    dataset = load_dataset()
    performance = center_site_performance(registry_with_a_failing_center, dataset)
    assert performance.loc["RUS-moscow", "factor"] == 0.0
    assert performance.loc["SGP-singapore", "factor"] == 1.0  # no KPIs: no evidence
    scenario = _counting_unconfirmed()
    before = rank_sites(scenario).table.set_index("site_id")
    after = rank_sites(scenario, center_performance=performance).table.set_index("site_id")
    assert (
        after.at["RUS-moscow", "pillar_cooperation"] < before.at["RUS-moscow", "pillar_cooperation"]
    )
    assert after.at["RUS-moscow", "score"] < before.at["RUS-moscow", "score"]
    assert after.at["SGP-singapore", "pillar_cooperation"] == pytest.approx(
        before.at["SGP-singapore", "pillar_cooperation"]
    )


def test_a_center_the_scenario_does_not_count_moves_nothing(registry_with_a_failing_center):
    """By default the announced Moscow lab is no center: its red light moves no score."""
    performance = center_site_performance(registry_with_a_failing_center, load_dataset())
    scenario = load_scenario("zhejiang")
    before = rank_sites(scenario).table.set_index("site_id")
    after = rank_sites(scenario, center_performance=performance).table.set_index("site_id")
    assert after.at["RUS-moscow", "score"] == pytest.approx(before.at["RUS-moscow", "score"])


def test_rank_feedback_option(registry_with_a_failing_center, tmp_path):
    import yaml

    scenario_file = tmp_path / "counting.yaml"
    scenario_file.write_text(
        yaml.safe_dump(_counting_unconfirmed().model_dump(mode="json"), allow_unicode=True),
        encoding="utf-8",
    )
    base = ["rank", "--scenario", str(scenario_file), "--top", "400", "--json"]
    plain = json.loads(runner.invoke(app, base).output)
    fed = json.loads(runner.invoke(app, [*base, "--feedback"]).output)
    score = {s["site_id"]: s["score"] for s in plain["sites"]}
    score_fed = {s["site_id"]: s["score"] for s in fed["sites"]}
    assert score_fed["RUS-moscow"] < score["RUS-moscow"]


def _below_target_two_years(registry, center_id, tmp_path):
    kpis = tmp_path / f"{center_id}.csv"
    kpis.write_text(
        f"center_id,year,kpi,value,unit\n{center_id},2023,patents,1,\n{center_id},2024,patents,2,\n",
        encoding="utf-8",
    )
    import_kpis(registry, kpis)
    registry.set_target(center_id, "patents", 10)


def test_a_center_is_placed_by_its_site_id(tmp_path):
    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    try:
        # Neither name appears in the candidate sites' center_name column.
        linked = registry.add_center(
            name="Zhejiang Hungary Lab", iso3="HUN", mode="joint_lab", site_id="HUN-budapest"
        )["id"]
        unlinked = registry.add_center(name="Zhejiang Greece Lab", iso3="GRC", mode="joint_lab")
        for center_id in (linked, unlinked["id"]):
            _below_target_two_years(registry, center_id, tmp_path)
        performance = center_site_performance(registry, load_dataset())
        assert performance.loc["HUN-budapest", "factor"] == 0.0
        assert performance.loc["HUN-budapest", "centers"] == [linked]
        placed = [c for centers in performance["centers"] for c in centers]
        assert unlinked["id"] not in placed  # no site_id, no name match: no site
    finally:
        registry.dispose()


def test_site_id_wins_over_the_name_match(tmp_path):
    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    try:
        _below_target_two_years(registry, MOSCOW_LAB, tmp_path)
        dataset = load_dataset()
        assert center_site_performance(registry, dataset).loc["RUS-moscow", "factor"] == 0.0
        # Link the Moscow lab to another Russian site: the link beats its name.
        registry.set_site(MOSCOW_LAB, "RUS-saint-petersburg")
        performance = center_site_performance(registry, dataset)
        assert performance.loc["RUS-saint-petersburg", "centers"] == [MOSCOW_LAB]
        assert performance.loc["RUS-saint-petersburg", "factor"] == 0.0
        assert "RUS-moscow" not in performance.index
        # A stored site_id the dataset no longer knows falls back to the name.
        with registry.engine.begin() as conn:
            conn.execute(
                sa.text("update centers set site_id = 'RUS-nowhere' where id = :id"),
                {"id": MOSCOW_LAB},
            )
        assert center_site_performance(registry, dataset).loc["RUS-moscow", "factor"] == 0.0
    finally:
        registry.dispose()
