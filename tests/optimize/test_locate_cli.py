"""``oicplan locate`` through Typer's test runner, on a tiny app built here."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli.locate import locate
from oicplan.errors import InfeasibleError, InputError

COSTS = "demand,F1,F2,F3\nd1,1,4,6\nd2,3,2,5\nd3,7,3,1\nd4,6,5,2\n"
WEIGHTS = "demand,weight\nd4,5\nd3,1\nd2,1\nd1,1\n"


def _app() -> typer.Typer:
    app = typer.Typer()

    # A callback keeps Typer in multi-command mode, so "locate" must be named.
    @app.callback()
    def main() -> None:
        """Test app."""

    app.command("locate")(locate)
    return app


@pytest.fixture
def files(tmp_path):
    (tmp_path / "c.csv").write_text(COSTS)
    (tmp_path / "w.csv").write_text(WEIGHTS)
    return tmp_path


def _run(*args):
    return CliRunner().invoke(_app(), ["locate", *map(str, args)])


def test_pmedian_json(files):
    res = _run("pmedian", "--costs", files / "c.csv", "--p", 2, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) == {"model", "status", "objective", "facilities", "assignment",
                        "solve_seconds"}
    assert out["model"] == "pmedian" and out["status"] == "optimal"
    assert out["objective"] == 7.0 and out["facilities"] == ["F1", "F3"]
    assert out["assignment"] == {"d1": "F1", "d2": "F1", "d3": "F3", "d4": "F3"}


def test_mclp_json_with_weights_and_predefined(files):
    res = _run("mclp", "--costs", files / "c.csv", "--demand-weights", files / "w.csv",
               "--p", 2, "--radius", 2, "--predefined", "F2", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["facilities"] == ["F2", "F3"]
    assert out["covered_weight"] == 7.0 == out["objective"]
    assert out["uncovered"] == ["d1"]


def test_lscp_and_pcenter_summary(files):
    res = _run("lscp", "--costs", files / "c.csv", "--radius", 3)
    assert res.exit_code == 0, res.output
    assert "LSCP" in res.output and "optimal" in res.output and "F3" in res.output
    res = _run("pcenter", "--costs", files / "c.csv", "--p", 2, "--json")
    assert json.loads(res.output)["objective"] == 3.0


def test_infeasible_raises_for_the_main_app(files):
    res = _run("lscp", "--costs", files / "c.csv", "--radius", 1.5)
    assert isinstance(res.exception, InfeasibleError)
    assert "LSCP infeasible: demand d2 has no facility within radius 1.5" in str(res.exception)
    res = _run("pmedian", "--costs", files / "c.csv", "--p", 12)
    assert "p=12 is larger than the 3 candidate facilities" in str(res.exception)


def test_missing_option_and_bad_file(files):
    res = _run("mclp", "--costs", files / "c.csv", "--p", 2)
    assert isinstance(res.exception, InputError) and "mclp needs --radius" in str(res.exception)
    (files / "bad.csv").write_text("demand,F1\nd1,oops\n")
    res = _run("pmedian", "--costs", files / "bad.csv", "--p", 1)
    assert str(res.exception).endswith("bad.csv, row 2, field F1: not a number: 'oops'")


def test_help_teaches(files):
    res = _run("--help")
    assert res.exit_code == 0
    for word in ("pmedian", "mclp", "lscp", "pcenter", "Example", "--radius"):
        assert word in res.output
