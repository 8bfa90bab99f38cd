"""services.optimize: the layout and classic location use cases against the library."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.services.optimize import LocateRequest, OptimizeRequest, locate, optimize


def test_optimize_matches_the_layout_model_built_directly():
    from oicplan.optimize.layout import Layout
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    result = optimize(OptimizeRequest(max_centers=3, pareto=True, points=3))
    scenario = load_scenario("zhejiang")
    selection = scenario.selection
    direct = Layout.from_ranking(
        rank_sites(scenario), max_centers=3,
        min_per_strategy=selection.min_per_strategy or None,
        min_per_region=selection.min_per_region or None,
        max_mean_risk=selection.max_mean_risk, max_total_risk=selection.max_total_risk,
        capacity=selection.capacity or False,
    ).solve()
    doc = result.document
    assert doc["status"] == direct.status == "optimal"
    assert doc["objective"] == pytest.approx(direct.objective)
    assert [(s["site_id"], s["mode"]) for s in doc["chosen"]] == [
        (r.site_id, r.mode) for r in direct.chosen.itertuples()]
    assert doc["scenario"] == scenario.name and doc["cost_file"] is None
    # Every Pareto point says how each of its solves ended.
    assert {"status", "gap", "benefit_status", "metric_status", "polish_status"} <= set(
        doc["pareto"][0])
    assert result.layout.status == "optimal" and len(result.pareto_table) == len(doc["pareto"])
    assert "layout" not in result.model_dump() and "document" in result.model_dump()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"max_centers": 0}, "max_centers"),
        ({"horizon": 31}, "horizon"),
        ({"annual_budget": 5.0}, "annual_budget"),
        ({"chart": "x.svg"}, "chart"),
        ({"points": 1}, "points"),
        ({"per_country_cap": 0}, "per_country_cap"),
        ({"min_per_strategy": {"silk_road": 2}}, "min_per_strategy"),
        ({"max_mean_risk": -1.0}, "max_mean_risk"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_optimize_errors_name_request_fields(fields, field):
    with pytest.raises(InputError) as info:
        optimize(OptimizeRequest(**fields))
    assert info.value.field == field
    assert "--" not in info.value.message


def test_the_command_line_names_its_options():
    from typer.testing import CliRunner

    from oicplan.cli.application import app

    res = CliRunner().invoke(app, ["optimize", "--annual-budget", "5"])
    assert res.exit_code == 2
    assert "--annual-budget needs --horizon" in res.output
    closed = CliRunner().invoke(app, ["optimize", "--avoid", "suez,atlantis"])
    assert closed.exit_code == 2
    assert "cannot close 'atlantis'" in closed.output and "avoid" in closed.output


def test_locate_matches_the_model_solved_directly(tmp_path):
    from oicplan.optimize import MCLP, read_costs

    path = tmp_path / "c.csv"
    path.write_text("demand,F1,F2,F3\nd1,1,5,9\nd2,4,1,9\nd3,2,6,1\nd4,8,8,2\n")
    result = locate(LocateRequest(model="mclp", costs=path, p=2, radius=2.5,
                                  predefined=["F3"]))
    direct = MCLP.from_cost_matrix(read_costs(path), p=2, radius=2.5,
                                   predefined=["F3"]).solve()
    assert result.document == direct.to_dict() | {"solve_seconds":
                                                   result.document["solve_seconds"]}
    assert result.solved.facilities == direct.facilities
    with pytest.raises(InputError, match="lscp does not use p") as info:
        locate(LocateRequest(model="lscp", costs=path, p=1, radius=1.0))
    assert info.value.field == "p"


def test_an_optimize_run_with_a_closed_corridor_records_it_and_ranks_on_the_closed_network():
    base = optimize(OptimizeRequest(max_centers=3)).document
    closed = optimize(OptimizeRequest(max_centers=3, avoid=["Suez Canal", "alashankou"])).document
    assert base["avoid"] == [] and closed["avoid"] == ["suez", "alashankou"]
    # The ranking behind the layout recomputed each site's access without the corridors,
    # and the result says so.
    assert any("corridors closed: suez, alashankou" in note for note in closed["notes"])
    assert not any("corridors closed" in note for note in base["notes"])
    assert closed["benefit"] != base["benefit"]


def test_an_unknown_corridor_is_refused_naming_avoid():
    with pytest.raises(InputError) as info:
        optimize(OptimizeRequest(avoid=["atlantis"]))
    assert info.value.field == "avoid" and "atlantis" in info.value.message
