"""``oicplan optimize`` through Typer's test runner, on a tiny app built here."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli.optimize import optimize
from oicplan.errors import InfeasibleError, InputError


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    app.command("optimize")(optimize)
    return app


def _run(*args):
    return CliRunner().invoke(_app(), ["optimize", *map(str, args)])


def _json(*args):
    res = _run(*args, "--json")
    assert res.exit_code == 0, (res.output, res.exception)
    return json.loads(res.output)


def test_json_static():
    out = _json("--scenario", "zhejiang", "--max-centers", 5)
    assert out["status"] == "optimal" and out["model"] == "layout"
    assert {"objective", "chosen", "assumptions", "cost"} <= set(out)
    new = [s for s in out["chosen"] if not s["existing"]]
    assert len(new) == 5
    assert {"site_id", "mode", "year", "name", "iso3"} <= set(out["chosen"][0])
    assert any("cost model" in a for a in out["assumptions"])
    assert any("match: oicplan.match" in a for a in out["assumptions"])
    assert not any("PLACEHOLDER" in a for a in out["assumptions"])
    countries = [s["iso3"] for s in out["chosen"]]
    assert max(countries.count(c) for c in countries) <= 2  # scenario's per-country cap


def test_json_phased_with_budgets_and_pareto(tmp_path):
    chart = tmp_path / "front.svg"
    out = _json("--max-centers", 6, "--budget", 25, "--horizon", 3, "--annual-budget", 9,
                "--first-year", 2026, "--pareto", "--points", 4, "--chart", chart)
    new = [s for s in out["chosen"] if not s["existing"]]
    assert new and all(s["year"] in (2026, 2027, 2028) for s in new)
    assert out["cost"] <= 25 + 1e-6
    front = out["pareto"]
    assert len(front) >= 2
    costs = [p["cost"] for p in front]
    benefits = [p["benefit"] for p in front]
    assert costs == sorted(costs) and np.all(np.diff(benefits) > 0)
    assert front[-1]["benefit"] == pytest.approx(out["objective"], rel=1e-5)
    assert "<svg" in chart.read_text()


def test_costs_file_overrides_placeholder(tmp_path):
    base = _json("--max-centers", 3)
    site = next(s for s in base["chosen"] if not s["existing"])
    path = tmp_path / "costs.csv"
    path.write_text(f"site_id,mode,setup_cost,annual_cost\n{site['site_id']},{site['mode']},0,0\n")
    out = _json("--max-centers", 3, "--costs", path)
    assert out["cost_file"] == str(path)
    assert out["cost"] <= base["cost"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("site_id,mode,setup_cost\nSGP-singapore,joint_lab,1\n", "row 1, field annual_cost"),
        ("site_id,mode,setup_cost,annual_cost\nNOWHERE,joint_lab,1,1\n", "row 2, field site_id"),
        ("site_id,mode,setup_cost,annual_cost\nSGP-singapore,castle,1,1\n", "row 2, field mode"),
        ("site_id,mode,setup_cost,annual_cost\nSGP-singapore,joint_lab,1,1\n"
         "SGP-singapore,joint_lab,2,2\n", "row 3, field site_id"),
        ("site_id,mode,setup_cost,annual_cost\nSGP-singapore,joint_lab,-1,1\n",
         "row 2, field setup_cost"),
        ("site_id,mode,setup_cost,annual_cost\nSGP-singapore,joint_lab,1,x\n",
         "row 2, field annual_cost"),
    ],
)
def test_bad_costs_file_names_row_and_field(tmp_path, text, where):
    path = tmp_path / "c.csv"
    path.write_text(text)
    res = _run("--max-centers", 3, "--costs", path)
    assert isinstance(res.exception, InputError)
    assert str(res.exception).startswith(f"{path}, {where}")


def test_infeasible_names_the_conflict():
    res = _run("--max-centers", 2, "--budget", 0.5)
    assert isinstance(res.exception, InfeasibleError)
    assert str(res.exception).startswith("infeasible: '")
    assert "'budget 0.5'" in str(res.exception)


def test_option_checks():
    assert isinstance(_run("--annual-budget", 5).exception, InputError)
    assert isinstance(_run("--chart", "x.svg").exception, InputError)
    assert isinstance(_run("--horizon", 0).exception, InputError)


def _new_sites(out):
    return [site for site in out["chosen"] if not site["existing"]]


def test_minimums_per_strategy_are_met_and_reported():
    out = _json(
        "--max-centers", 8, "--min-per-strategy", "rail_corridor=3;zone_upgrade=2;st_leader=3"
    )
    assert out["status"] == "optimal"
    labels = out["constraints"]
    assert "at least 3 in Along the international rail lines" in labels
    assert "at least 2 in Cooperation-zone upgrade" in labels
    # Strategies left out of the mapping need none.
    assert not any("Leading enterprises" in label for label in labels)
    zone_upgrades = [s for s in out["chosen"] if s["mode"] == "zone_upgrade"]
    assert len(zone_upgrades) >= 2


def _african(out):
    from oicplan.data.dataset import load_dataset

    countries = load_dataset().countries
    africa = set(countries.loc[countries["continent"] == "Africa", "iso3"])
    return [s["site_id"] for s in _new_sites(out) if s["iso3"] in africa]


def test_minimum_per_region_changes_the_choice():
    free = _json("--max-centers", 6, "--min-per-strategy", "0")
    africa = _african(free)
    forced = _json("--max-centers", 6, "--min-per-strategy", "0", "--min-per-region", "Africa=3")
    in_africa = _african(forced)
    assert len(in_africa) >= 3 > len(africa)
    assert "at least 3 in Africa" in forced["constraints"]
    # The price of the rule: the free optimum is at least as good.
    assert free["objective"] >= forced["objective"] - 1e-9


def test_per_country_cap_option():
    out = _json("--max-centers", 8, "--per-country-cap", 1)
    countries = [s["iso3"] for s in out["chosen"]]
    assert len(countries) == len(set(countries))
    assert "at most 1 per country" in out["constraints"]


@pytest.mark.parametrize(
    "args, field",
    [
        (["--min-per-strategy", "rail_corridor=x"], "min-per-strategy"),
        (["--min-per-strategy", "silk_road=2"], "min-per-strategy"),
        (["--min-per-strategy", "-1"], "min-per-strategy"),
        (["--min-per-region", "Atlantis=2"], "min_per_region"),
        (["--min-per-region", "2"], "min-per-region"),
        (["--per-country-cap", 0], "per-country-cap"),
    ],
)
def test_bad_minimums_name_the_option(args, field):
    res = _run(*args)
    assert isinstance(res.exception, InputError), res.output
    assert res.exception.field == field


def test_an_impossible_region_minimum_is_explained():
    res = _run("--max-centers", 2, "--min-per-region", "Oceania=3")
    assert isinstance(res.exception, InfeasibleError)
    assert "at least 3 in Oceania" in str(res.exception)



def test_enterprises_and_risk_caps_from_the_command_line(tmp_path):
    out = _json("--max-centers", 6, "--enterprises", "sample", "--max-total-risk", 2.5)
    assert out["status"] == "optimal"
    assert out["enterprises"] == {"source": "sample", "count": 4119, "synthetic": True}
    assert out["total_risk"] <= 2.5 + 1e-9
    assert "total risk <= 2.5" in out["constraints"]
    assert all("#" in demand for demand in out["assignment"])  # enterprise classes
    mean = _json("--max-centers", 6, "--max-mean-risk", 0.2)
    assert "mean risk <= 0.2" in mean["constraints"]
    risk = [s for s in mean["chosen"]]
    assert mean["total_risk"] / len(risk) <= 0.2 + 1e-9
    bad = tmp_path / "firms.csv"
    bad.write_text("name,industry,size,home_city\nA,no_such_industry,large,Hangzhou\n")
    res = _run("--enterprises", str(bad))
    assert isinstance(res.exception, InputError)
    assert str(bad) in str(res.exception) and "industry" in str(res.exception)
    assert isinstance(_run("--max-total-risk", -1).exception, InputError)


def test_capacity_option_limits_each_center():
    out = _json("--max-centers", 6, "--enterprises", "sample", "--capacity", 250)
    assert out["status"] == "optimal"
    assert "capacity (enterprises per center, given): 250 in every mode" in out["assumptions"]
    for option in ("lab=3", "0", "joint_lab=x"):
        res = _run("--capacity", option)
        assert isinstance(res.exception, InputError), option
        assert res.exception.field == "capacity"


def test_a_bad_region_in_the_scenario_file_names_file_and_field(tmp_path):
    import yaml

    from oicplan.scenario import scenario_yaml

    data = yaml.safe_load(scenario_yaml("zhejiang"))
    data["selection"]["min_per_region"] = {"Atlantis": 2}
    path = tmp_path / "atlantis.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = _run("--scenario", path)
    assert isinstance(res.exception, InputError)
    assert res.exception.field == "selection.min_per_region"
    assert str(path) in str(res.exception) and "Atlantis" in str(res.exception)
