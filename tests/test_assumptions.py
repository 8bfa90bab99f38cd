"""Assumptions in one place (issue 11): the table, the command, plan.json, the sweep, and
``synthetic_inputs``.

The expectations are recomputed from the library (the rules of :mod:`oicplan.domain`
under the assumption in force), not copied from a run, so a rebuilt snapshot moves
them with the data.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from oicplan.assumptions import (
    ASSUMPTIONS,
    applied,
    check_overrides,
    default,
    plan_assumptions,
    value,
)
from oicplan.errors import InputError

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def zhejiang():
    from oicplan.scenario import load_scenario

    return load_scenario("zhejiang")


@pytest.fixture(scope="module")
def base_plan(zhejiang):
    from oicplan.plan import make_plan

    return make_plan(zhejiang, frontiers=False)


def _app():
    from oicplan.cli.application import app

    return app


# --------------------------------------------------------------------------- the table


def test_every_assumption_is_documented_and_in_its_range():
    for name, item in ASSUMPTIONS.items():
        assert item.name == name
        assert item.unit and item.unit_zh and item.reason and item.reason_zh and item.source
        assert item.used_by, name
        assert item.low <= item.value <= item.high, name
        assert check_overrides({name: item.value}) == {name: float(item.value)}


def test_mode_reasons_state_the_threshold_in_force():
    from oicplan.domain import MODE_REASONS

    assert MODE_REASONS["talent"][0].endswith(f"≥ {default('mode.pillar_threshold'):g}")
    with applied({"mode.pillar_threshold": 0.65}):
        assert MODE_REASONS["talent"] == ("talent pillar score ≥ 0.65", "人才集聚得分≥0.65")
        assert MODE_REASONS["innovation"][1] == "创新能力得分≥0.65"


def test_an_override_holds_inside_its_block_only():
    assert value("mode.pillar_threshold") == default("mode.pillar_threshold")
    with applied({"mode.pillar_threshold": 0.61}):
        assert value("mode.pillar_threshold") == 0.61
        with applied({"layout.other_mode_factor": 0.5}):
            assert value("mode.pillar_threshold") == 0.61
            assert value("layout.other_mode_factor") == 0.5
        assert value("layout.other_mode_factor") == default("layout.other_mode_factor")
    assert value("mode.pillar_threshold") == default("mode.pillar_threshold")


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"mode.pilar_threshold": 0.5}, "assumptions"),
        ({"mode.pillar_threshold": 1.5}, "assumptions.mode.pillar_threshold"),
        ({"mode.pillar_threshold": "half"}, "assumptions.mode.pillar_threshold"),
        ({"mode.pillar_threshold": True}, "assumptions.mode.pillar_threshold"),
        ({"alerts.below_target_years": 2.5}, "assumptions.alerts.below_target_years"),
    ],
)
def test_bad_overrides_name_the_field(given, field):
    with pytest.raises(InputError) as caught:
        check_overrides(given)
    assert caught.value.field == field


# The constants that used to restate a number where it is used (module, name).
_OLD_CONSTANTS = {
    "oicplan/domain.py": {"PILLAR_THRESHOLD", "TOP_QUARTER"},
    "oicplan/match/modes.py": {"RULE_WEIGHT", "_PREEMPTED", "MODE_FIT"},
    "oicplan/match/assign.py": {"_NEEDS_WEIGHT", "_PRESENCE_BONUS", "_ACCESS_WEIGHT"},
    "oicplan/optimize/layout_scenario.py": {"OTHER_MODE_FACTOR", "MODE_FIT_WEIGHT"},
    "oicplan/geo/assumptions.py": {"COST_PER_KM", "COST_PER_DAY", "TRANSFER_COST"},
}


def _numbers(node: ast.AST) -> list[float]:
    return [
        float(n.value)
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float)
        and not isinstance(n.value, bool)
    ]


def test_no_user_restates_a_number():
    """The old constants take their value from oicplan.assumptions, never a literal."""
    for path, names in _OLD_CONSTANTS.items():
        tree = ast.parse((SRC / path).read_text(encoding="utf-8"))
        found = set()
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in names:
                        found.add(target.id)
                        literal = [x for x in _numbers(node.value) if x not in (0.0,)]
                        assert not literal, f"{path}: {target.id} restates {literal}"
        assert found <= names


def test_no_function_default_restates_an_alert_threshold():
    """Alert functions, the alerts request and the command read the stated thresholds."""
    stated = {default(n) for n in ASSUMPTIONS if n.startswith("alerts.") and default(n)}
    for path in ("oicplan/monitor/alerts.py", "oicplan/monitor/risk.py",
                 "oicplan/monitor/feedback.py", "oicplan/cli/centers.py",
                 "oicplan/api/routers/centers.py"):
        tree = ast.parse((SRC / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                defaults = node.args.defaults + [d for d in node.args.kw_defaults if d]
                for given in defaults:
                    if isinstance(given, ast.Constant) and not isinstance(given.value, bool):
                        assert given.value not in stated, f"{path}: {node.name} = {given.value}"


def test_the_readers_follow_the_value_in_force():
    """Each moved number is read where it is used: change it and the reader changes."""
    from oicplan.domain import assign_mode
    from oicplan.match.assign import utility_matrix
    from oicplan.match.modes import mode_scores

    site = {"site_id": "A", "types": "capital", "pillar_innovation": 0.58, "pillar_talent": 0.1}
    assert assign_mode(site)[0] == "offshore_rd_center"
    with applied({"mode.pillar_threshold": 0.6}):
        assert assign_mode(site)[0] == "offshore_incubator"
    table = pd.DataFrame([{**site, "gii_cluster_rank": None}])
    base = mode_scores(table).set_index("mode")
    with applied({"mode_score.rule_weight": 0.9}):
        moved = mode_scores(table).set_index("mode")
    chosen = "offshore_rd_center"
    assert moved.loc[chosen, "score"] == pytest.approx(0.9 + 0.1 * base.loc[chosen, "fit"])
    enterprises = pd.DataFrame({"name": ["a"], "industry": ["x"]})
    matrix = pd.DataFrame({"S1": [0.8], "S2": [0.4]}, index=["x"])
    days = {"S1": 10.0, "S2": 5.0}
    with applied({"assign.access_weight": 0.5}):
        utility = utility_matrix(enterprises, matrix, access=days)
    assert utility.loc["a", "S1"] == pytest.approx(0.8 - 0.5 * 10 / 10)


# --------------------------------------------------------------------------- the command


def test_the_command_prints_every_assumption():
    runner = CliRunner()
    result = runner.invoke(_app(), ["assumptions", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Name,Value,Unit,Reason,Used by,Source"
    names = [line.split(",", 1)[0] for line in lines[1:]]
    assert names == list(ASSUMPTIONS)
    for line, item in zip(lines[1:], ASSUMPTIONS.values(), strict=True):
        assert line.split(",")[1] == f"{item.value:g}"
    table = runner.invoke(_app(), ["assumptions"], terminal_width=200)
    assert table.exit_code == 0, table.output
    for name in ASSUMPTIONS:
        assert name in table.output
    assert "理由" in table.output  # Chinese by default


def test_the_command_json_and_a_scenarios_values(tmp_path):
    path = tmp_path / "mine.yaml"
    from oicplan.scenario import scenario_yaml

    path.write_text(scenario_yaml("zhejiang") + "\nassumptions:\n  mode.pillar_threshold: 0.6\n",
                    encoding="utf-8")
    result = CliRunner().invoke(_app(), ["assumptions", "--scenario", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)["assumptions"]}
    assert set(rows) == set(ASSUMPTIONS)
    assert rows["mode.pillar_threshold"]["value"] == 0.6
    assert rows["mode.pillar_threshold"]["overridden"] is True
    assert rows["mode.pillar_threshold"]["default"] == default("mode.pillar_threshold")
    assert not any(row["overridden"] for name, row in rows.items()
                   if name != "mode.pillar_threshold")


def test_a_scenario_may_not_set_an_unknown_or_monitoring_number(tmp_path):
    from oicplan.scenario import load_scenario, scenario_yaml

    for extra in ("mode.threshold: 0.6", "alerts.risk_window: 4", "mode.pillar_threshold: 7"):
        path = tmp_path / "bad.yaml"
        path.write_text(scenario_yaml("zhejiang") + f"\nassumptions:\n  {extra}\n",
                        encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_scenario(path)
        assert caught.value.field == "assumptions"
        assert extra.split(":")[0] in caught.value.message


def test_help_examples_of_the_command_run():
    result = CliRunner().invoke(_app(), ["assumptions", "--help"], terminal_width=200)
    assert result.exit_code == 0
    examples = [line.strip() for line in result.output.splitlines()
                if line.strip().startswith("oicplan assumptions")]
    assert len(examples) >= 3
    for example in examples:
        run = CliRunner().invoke(_app(), example.split()[1:])
        assert run.exit_code == 0, (example, run.output)


# --------------------------------------------------------------------------- plan.json


def test_plan_json_records_the_values_used(base_plan, zhejiang):
    from oicplan.domain import admissible_modes, assign_mode
    from oicplan.plan import make_plan

    document = base_plan.to_dict()
    records = {row["name"]: row for row in document["assumptions"]}
    assert list(records) == list(plan_assumptions())
    assert all(row["value"] == default(name) and not row["overridden"]
               for name, row in records.items())

    changed = zhejiang.model_copy(update={"assumptions": {"mode.pillar_threshold": 0.62}})
    plan = make_plan(changed, frontiers=False)
    moved = {row["name"]: row for row in plan.to_dict()["assumptions"]}
    assert moved["mode.pillar_threshold"]["value"] == 0.62
    assert moved["mode.pillar_threshold"]["overridden"] is True
    assert moved["mode.pillar_threshold"]["default"] == default("mode.pillar_threshold")
    # The wording that states the threshold states the plan's (plan.json and the report).
    from oicplan.report.render import render_markdown

    reasons = {site["mode_reason"] for site in plan.to_dict()["sites"]}
    assert not any("≥ 0.5" in reason for reason in reasons)
    markdown = render_markdown(plan, "en")
    assert "innovation ≥ 0.62 → offshore R&D center" in markdown
    assert "≥ 0.5 →" not in markdown
    assert "innovation ≥ 0.5 → offshore R&D center" in render_markdown(base_plan, "en")
    # The plan itself followed the override: every mode is admissible under it, and the
    # mode scores recorded mark the rule mode of the override.
    with applied({"mode.pillar_threshold": 0.62}):
        rows = {row["site_id"]: row for _, row in plan.chosen.iterrows()}
        for site in plan.to_dict()["sites"]:
            row = rows[site["site_id"]]
            assert site["mode"] in admissible_modes(row)
            rule = [m["mode"] for m in site["mode_scores"] if m["rule"]]
            assert rule == [assign_mode(row)[0]]


def test_the_schema_has_the_new_keys():
    from oicplan.plan_document import plan_json_schema

    schema = plan_json_schema()
    assert "synthetic_inputs" in schema["properties"]
    assert "assumptions" in schema["properties"]
    assert list(schema["properties"])[0] == "synthetic_inputs"


# --------------------------------------------------------------------------- the sweep


def test_a_sweep_over_the_mode_threshold_changes_a_mode(base_plan):
    from oicplan.domain import admissible_modes, assign_mode
    from oicplan.services.assumptions import AssumptionSweepRequest, assumption_sweep

    values = [0.3, 0.4, 0.6, 0.7]
    sweep = assumption_sweep(AssumptionSweepRequest(
        names=["mode.pillar_threshold"], values={"mode.pillar_threshold": values}))
    assert [p.value for p in sweep.points] == values
    assert sweep.base == dict(zip(base_plan.chosen["site_id"], base_plan.chosen["mode"],
                                  strict=True))
    changed = [p for p in sweep.points if p.modes_changed]
    assert changed, "no value of the mode threshold changed a mode"
    assert sweep.moved_by == ["mode.pillar_threshold"]
    table = base_plan.ranked.table.set_index("site_id")
    for point in changed:
        for move in point.modes_changed:
            site = table.loc[move["site_id"]].to_dict()
            site["site_id"] = move["site_id"]
            before = (assign_mode(site)[0], admissible_modes(site))
            with applied({"mode.pillar_threshold": point.value}):
                after = (assign_mode(site)[0], admissible_modes(site))
                assert move["new"] in after[1]
            assert before != after  # the rules at this site moved with the threshold


def test_sensitivity_assumptions_option(tmp_path):
    result = CliRunner().invoke(_app(), [
        "sensitivity", "--scenario", "zhejiang", "--assumptions",
        "--assumption", "layout.mode_fit_weight", "--assumption-steps", "1", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [p["value"] for p in document["points"]] == pytest.approx([0.16, 0.24])
    assert {"base", "points", "moved_by", "scenario"} <= set(document)
    bad = CliRunner().invoke(_app(), ["sensitivity", "--scenario", "zhejiang",
                                      "--assumptions", "--assumption", "alerts.risk_window"])
    assert bad.exit_code == 2
    assert "--assumption" in bad.output and "Traceback" not in bad.output


def test_sweep_values_stay_in_range():
    from oicplan.services.assumptions import sweep_values

    assert sweep_values(0.9, spread=0.2, steps=2, low=0.0, high=1.0) == [0.72, 0.81, 0.99, 1.0]
    assert sweep_values(1.0, spread=0.2, steps=1, low=0.0, high=1.0) == [0.8]


# --------------------------------------------------------------------------- synthetic inputs


def _own_enterprises(path: Path) -> Path:
    from oicplan.match.enterprises import load_sample

    sample = load_sample().head(40).copy()
    sample["synthetic"] = "false"
    sample["name"] = [f"Firm {i}" for i in range(len(sample))]
    sample.drop(columns=[c for c in ("prefecture",) if c in sample]).to_csv(path, index=False)
    return path


def test_synthetic_inputs_of_the_default_plan(base_plan):
    from oicplan.report.render import render_markdown

    document = base_plan.to_dict()
    assert next(iter(document)) == "synthetic_inputs"
    inputs = {item["input"]: item for item in document["synthetic_inputs"]}
    assert set(inputs) == {"network.enterprises"}
    assert "SYNTHETIC" in inputs["network.enterprises"]["description"]
    assert "合成" in inputs["network.enterprises"]["description_zh"]
    markdown = render_markdown(base_plan, "zh")
    summary = markdown.split("## ", 3)[1]  # the summary section
    assert "合成输入" in summary and inputs["network.enterprises"]["description_zh"] in summary
    english = render_markdown(base_plan, "en").split("## ", 3)[1]
    assert inputs["network.enterprises"]["description"] in english


def test_terminal_summary_says_synthetic(base_plan, capsys):
    from oicplan.cli.plan import _print_synthetic_inputs

    _print_synthetic_inputs(base_plan, "en")
    out = capsys.readouterr().out
    assert "Synthetic inputs" in out and "SYNTHETIC enterprise sample" in out


def test_synthetic_inputs_of_a_sample_and_of_a_user_file(zhejiang, tmp_path):
    from oicplan.plan_selection import synthetic_inputs

    sample = zhejiang.model_copy(update={"selection": zhejiang.selection.model_copy(
        update={"enterprises": "sample"})})
    assert [i["input"] for i in synthetic_inputs(sample)] == [
        "selection.enterprises", "network.enterprises"]
    own = _own_enterprises(tmp_path / "firms.csv")
    mine = zhejiang.model_copy(update={"selection": zhejiang.selection.model_copy(
        update={"enterprises": str(own)})})
    assert synthetic_inputs(mine) == []


def test_a_plan_serving_a_user_file_has_no_synthetic_inputs(zhejiang, tmp_path, capsys):
    from oicplan.cli.plan import _print_synthetic_inputs
    from oicplan.plan import make_plan
    from oicplan.report.render import render_markdown

    own = _own_enterprises(tmp_path / "firms.csv")
    mine = zhejiang.model_copy(update={"selection": zhejiang.selection.model_copy(
        update={"enterprises": str(own), "robustness_samples": 0, "pareto": False})})
    plan = make_plan(mine, frontiers=False)
    assert plan.to_dict()["synthetic_inputs"] == []
    _print_synthetic_inputs(plan, "zh")
    assert capsys.readouterr().out == ""
    markdown = render_markdown(plan, "en")
    assert "Synthetic inputs" not in markdown
    assert "SYNTHETIC sample" not in markdown  # the network shows the user's enterprises


def test_word_and_pdf_outline_carry_the_table_and_the_synthetic_inputs(base_plan):
    from oicplan.report.outline import document_outline
    from oicplan.report.render import report_context

    context = report_context(base_plan, "en")
    blocks = document_outline(context, charts=False)
    texts = [str(getattr(block, "text", "") or "") for block in blocks]
    assert "Stated assumptions" in texts and "Synthetic inputs (not real data)" in texts
    bullets = [b for b in blocks if getattr(b, "kind", None) == "bullets"]
    assert any(context["synthetic_inputs"][0] in b.items for b in bullets)
    tables = [b for b in blocks if getattr(b, "kind", None) == "table"]
    named = [b for b in tables if b.rows and b.rows[0][0] == "mode.pillar_threshold"]
    assert named and [r[0] for r in named[0].rows] == list(plan_assumptions())
