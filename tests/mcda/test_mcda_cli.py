"""The ``oicplan mcda`` and ``oicplan weights`` commands through Typer's CliRunner."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli.mcda import mcda, weights_app
from oicplan.errors import InputError, OicplanError
from oicplan.mcda import ahp_weights, critic_weights, entropy_weights, rank, std_weights

app = typer.Typer()
app.command("mcda")(mcda)
app.add_typer(weights_app, name="weights")
runner = CliRunner()

MATRIX = """city,talent,cost,links
Budapest,70,30,5
Warsaw,80,35,6
Belgrade,55,20,3
Tashkent,40,15,2
"""


@pytest.fixture
def matrix_csv(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(MATRIX)
    return path


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _matrix():
    return np.array([[70, 30, 5], [80, 35, 6], [55, 20, 3], [40, 15, 2]], dtype=float)


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee2", "wsm", "wpm"])
def test_mcda_json_matches_rank(matrix_csv, method):
    out = _json(runner.invoke(app, [
        "mcda", "--matrix", str(matrix_csv), "--method", method,
        "--weights", "0.5,0.3,0.2", "--types", "max,min,max", "--json",
    ]))
    expected = rank(_matrix(), [0.5, 0.3, 0.2], ["max", "min", "max"], method=method)
    assert out["method"] == method
    assert out["alternatives"] == ["Budapest", "Warsaw", "Belgrade", "Tashkent"]
    np.testing.assert_allclose(out["scores"], expected.scores, atol=1e-12)
    assert out["ranks"] == expected.ranks.tolist()
    assert all(isinstance(x, float) for x in out["scores"])
    if method == "vikor":
        assert {"S", "R", "Q", "compromise"} <= set(out)
    if method == "promethee2":
        assert {"positive_flow", "negative_flow", "net_flow"} <= set(out)


def test_mcda_promethee_thresholds_and_vikor_v(matrix_csv):
    out = _json(runner.invoke(app, [
        "mcda", "-m", str(matrix_csv), "--method", "promethee2", "--weights", "1,1,1",
        "--types", "max,min,max", "--preference", "linear", "--q", "1,1,0", "--p", "20,10,2",
        "--json",
    ]))
    expected = rank(_matrix(), [1, 1, 1], ["max", "min", "max"], method="promethee2",
                    preference="linear", q=[1, 1, 0], p=[20, 10, 2])
    np.testing.assert_allclose(out["net_flow"], expected.scores, atol=1e-12)
    out = _json(runner.invoke(app, [
        "mcda", "-m", str(matrix_csv), "--method", "vikor", "--v", "0.2",
        "--types", "max,min,max", "--normalization", "minmax", "--json",
    ]))
    assert out["normalization"] == "minmax"


def test_mcda_table_output(matrix_csv):
    result = runner.invoke(app, ["mcda", "-m", str(matrix_csv), "--types", "max,min,max"])
    assert result.exit_code == 0, result.output
    assert "TOPSIS" in result.stdout and "Warsaw" in result.stdout
    result = runner.invoke(app, ["mcda", "-m", str(matrix_csv), "--method", "vikor",
                                 "--types", "max,min,max"])
    assert "Compromise set" in result.stdout


def test_mcda_help_teaches():
    result = runner.invoke(app, ["mcda", "--help"])
    assert result.exit_code == 0
    assert "--matrix" in result.stdout and "Example" in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--weights", "0.5,0.5"], "weights"),
        (["--weights", "0.5,x,1"], "weights"),
        (["--weights", "1,-1,1"], "cost"),
        (["--types", "max,up,max"], "types"),
        (["--types", "max,min"], "types"),
        (["--method", "electre"], "method"),
        (["--normalization", "log"], "normalization"),
        (["--q", "3"], "q"),
        (["--method", "vikor", "--v", "1.5"], "v"),
        (["--method", "promethee2", "--preference", "linear", "--q", "5"], "p"),
    ],
)
def test_mcda_bad_options_raise_input_error(matrix_csv, args, field):
    base = ["mcda", "-m", str(matrix_csv)]
    if "--types" not in args:
        base += ["--types", "max,min,max"]
    result = runner.invoke(app, base + args)
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError), result.output
    assert result.exception.field == field


@pytest.mark.parametrize(
    ("content", "row", "field"),
    [
        ("city,a,b\nX,1,2\nY,abc,3\n", 3, "a"),
        ("city,a,b\nX,1,2\nY,nan,3\n", 3, "a"),
        ("city,a,b\nX,1,2\nY,3\n", 3, None),
        ("city,a,b\nX,1,2\nY,1,3\n", None, "a"),  # constant column
        ("city,a,b\nX,1,2\nX,3,4\n", 3, None),  # duplicate alternative
    ],
)
def test_mcda_bad_files_name_row_and_column(tmp_path, content, row, field):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = runner.invoke(app, ["mcda", "-m", str(path), "--types", "max,max"])
    exc = result.exception
    assert isinstance(exc, InputError), result.output
    assert exc.file == str(path)
    assert exc.row == row
    assert exc.field == field


def test_mcda_missing_file(tmp_path):
    result = runner.invoke(app, ["mcda", "-m", str(tmp_path / "nope.csv"), "--types", "max"])
    assert isinstance(result.exception, OicplanError)


# ---------------------------------------------------------------- weights

PAIRWISE = """,talent,cost,links
talent,1,3,5
cost,1/3,1,3
links,1/5,1/3,1
"""
PAIRWISE_2 = """,talent,cost,links
talent,1,1,3
cost,1,1,2
links,0.333333,0.5,1
"""


def test_weights_ahp_json(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PAIRWISE)
    out = _json(runner.invoke(app, ["weights", "ahp", "--pairwise", str(path), "--json"]))
    ref = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert out["criteria"] == ["talent", "cost", "links"]
    np.testing.assert_allclose(out["weights"], ref.weights, atol=1e-12)
    for key in ("lambda_max", "ci", "cr"):
        assert out[key] == pytest.approx(getattr(ref, key))


def test_weights_group_ahp_reports_each_expert(tmp_path):
    p1, p2 = tmp_path / "e1.csv", tmp_path / "e2.csv"
    p1.write_text(PAIRWISE)
    p2.write_text(PAIRWISE_2)
    out = _json(runner.invoke(app, ["weights", "ahp", "--pairwise", str(p1),
                                    "--pairwise", str(p2), "--json"]))
    assert len(out["expert_cr"]) == 2
    assert out["expert_cr"][0] == pytest.approx(
        ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]).cr
    )
    assert sum(out["weights"]) == pytest.approx(1.0)
    table = runner.invoke(app, ["weights", "ahp", "--pairwise", str(p1), "--pairwise", str(p2)])
    assert table.exit_code == 0 and "expert" in table.stdout


def test_weights_ahp_inconsistent_is_flagged(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(",a,b,c\na,1,9,1/9\nb,1/9,1,9\nc,9,1/9,1\n")
    result = runner.invoke(app, ["weights", "ahp", "--pairwise", str(path)])
    assert result.exit_code == 0
    assert "CR above 0.10" in result.stdout
    out = _json(runner.invoke(app, ["weights", "ahp", "--pairwise", str(path), "--json"]))
    assert out["cr"] > 0.1 and out["consistent"] is False


@pytest.mark.parametrize(
    ("content", "row", "field"),
    [
        (",a,b\na,1,3\nb,1/2,1\n", 2, "b"),  # not reciprocal
        (",a,b\na,1,-3\nb,-1/3,1\n", 2, "b"),  # not positive
        (",a,b\na,2,3\nb,1/3,1\n", 2, "a"),  # diagonal not 1
        (",a,b\na,1,x\nb,1/3,1\n", 2, "b"),  # not a number
        (",a,b\nb,1,3\na,1/3,1\n", 2, None),  # row names out of order
        (",a,b,c\na,1,3,1\nb,1/3,1,1\n", None, None),  # not square
    ],
)
def test_weights_ahp_bad_matrix(tmp_path, content, row, field):
    path = tmp_path / "p.csv"
    path.write_text(content)
    result = runner.invoke(app, ["weights", "ahp", "--pairwise", str(path)])
    exc = result.exception
    assert isinstance(exc, InputError), result.output
    assert (exc.file, exc.row, exc.field) == (str(path), row, field)


@pytest.mark.parametrize(
    ("command", "func"),
    [("entropy", entropy_weights), ("critic", critic_weights), ("std", std_weights)],
)
def test_weights_objective(matrix_csv, command, func):
    out = _json(runner.invoke(app, ["weights", command, "--matrix", str(matrix_csv),
                                    "--types", "max,min,max", "--json"]))
    assert out["criteria"] == ["talent", "cost", "links"]
    np.testing.assert_allclose(out["weights"], func(_matrix(), ["max", "min", "max"]),
                               atol=1e-12)
    table = runner.invoke(app, ["weights", command, "--matrix", str(matrix_csv)])
    assert table.exit_code == 0 and "talent" in table.stdout
