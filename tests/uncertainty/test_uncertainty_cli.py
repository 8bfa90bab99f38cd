"""``oicplan sensitivity`` through Typer's test runner, on a tiny app built here."""

import functools
import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli.sensitivity import sensitivity
from oicplan.errors import OicplanError
from oicplan.mcda import rank

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @functools.wraps(sensitivity)
    def wrapped(*args, **kwargs):  # what the main app's handle_errors does
        try:
            sensitivity(*args, **kwargs)
        except OicplanError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None

    app.command("sensitivity")(wrapped)

    @app.command("version")
    def version():  # a second command so "sensitivity" stays a subcommand
        typer.echo("test")

    return app


@pytest.fixture
def csv_file(tmp_path, small_problem):
    matrix, _, _ = small_problem
    lines = ["site,gdp,cost,talent,market,risk"]
    lines += [f"city{i}," + ",".join(f"{x:.4f}" for x in row) for i, row in enumerate(matrix)]
    path = tmp_path / "cities.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args):
    return runner.invoke(_app(), ["sensitivity", *args])


def test_json_output(csv_file):
    args = ["--matrix", str(csv_file), "--method", "topsis", "--weights", "3,2.5,2,1.5,1",
            "--types", "max,min,max,max,min", "--samples", "500", "--seed", "8", "--json"]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"alternatives", "median_rank", "rank_p5", "rank_p95", "top_k_frequency"} <= set(doc)
    assert doc["alternatives"][:2] == ["city0", "city1"]
    assert len(doc["median_rank"]) == 12
    assert all(lo <= med <= hi for lo, med, hi in
               zip(doc["rank_p5"], doc["median_rank"], doc["rank_p95"], strict=True))
    again = json.loads(_run(*args).stdout)
    assert again == doc


def test_zero_spread_matches_mcda(csv_file, small_problem):
    matrix, weights, types = small_problem
    result = _run("--matrix", str(csv_file), "--method", "vikor", "--weights",
                  "0.3,0.25,0.2,0.15,0.1", "--types", ",".join(types), "--samples", "20",
                  "--spread", "0", "--seed", "1", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["median_rank"] == rank(matrix, weights, types, "vikor").ranks.tolist()


def test_sobol_plot_and_table(csv_file, tmp_path):
    plot = tmp_path / "out" / "robust.svg"
    result = _run("--matrix", str(csv_file), "--types", "max,min,max,max,min", "--samples",
                  "300", "--seed", "2", "--sobol", "--sobol-samples", "32",
                  "--normalizations", "vector,minmax", "--plot", str(plot), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    sob = doc["sobol"]
    assert sob["inputs"] == ["gdp", "cost", "talent", "market", "risk", "normalization"]
    assert np.asarray(sob["first_order"]).shape == (12, 6)
    assert np.asarray(sob["total_order"]).shape == (12, 6)
    # Bootstrap intervals by default, as SALib gives them (100 resamples, 95 %).
    assert (sob["num_resamples"], sob["conf_level"]) == (100, 0.95)
    half = np.asarray(sob["total_order_conf"])
    assert half.shape == (12, 6) and (half > 0).any() and (half >= 0).all()
    for name in ("robust.svg", "robust_correlation.svg", "robust_sobol.svg"):
        assert (plot.parent / name).exists()
    table = _run("--matrix", str(csv_file), "--samples", "100", "--seed", "2", "--sobol",
                 "--sobol-samples", "16", "--top-k", "3")
    assert table.exit_code == 0, table.output
    assert "city0" in table.stdout and "Top 3" in table.stdout
    assert "95% CI" in table.stdout and "+-" in table.stdout


def test_sobol_intervals_follow_the_options(csv_file):
    base = ["--matrix", str(csv_file), "--types", "max,min,max,max,min", "--samples", "50",
            "--seed", "3", "--sobol", "--sobol-samples", "64", "--json"]
    narrow = json.loads(_run(*base, "--sobol-resamples", "200", "--conf-level", "0.5").stdout)
    wide = json.loads(_run(*base, "--sobol-resamples", "200", "--conf-level", "0.99").stdout)
    none = json.loads(_run(*base, "--sobol-resamples", "0").stdout)
    assert "total_order_conf" not in none["sobol"] and "conf_level" not in none["sobol"]
    # Same resamples, so the half-widths scale with the normal quantile exactly.
    ratio = np.asarray(wide["sobol"]["total_order_conf"]) / np.asarray(
        narrow["sobol"]["total_order_conf"])
    from scipy.stats import norm

    assert np.allclose(ratio, norm.ppf(0.995) / norm.ppf(0.75))
    assert none["sobol"]["total_order"] == narrow["sobol"]["total_order"]
    bad = _run(*base, "--sobol-resamples", "-1")
    assert bad.exit_code == 2 and "sobol-resamples" in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "0"], "samples"),
        (["--spread", "1.5"], "spread"),
        (["--spread", "-0.1"], "spread"),
        (["--method", "electre"], "unknown method"),
        (["--plot", "x.pdf"], ".png or .svg"),
    ],
)
def test_bad_input_exit_2(csv_file, args, message):
    result = _run("--matrix", str(csv_file), "--samples", "10", *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--sobol-samples", "100"], "sobol-samples"),  # not a power of two
        (["--sobol-samples", "1"], "sobol-samples"),
        (["--sobol-samples", "16", "--conf-level", "1.5"], "conf-level"),
    ],
)
def test_sobol_errors_name_the_option(csv_file, args, field):
    """Errors raised by sobol_analysis ("samples", "conf_level") name the CLI option."""
    result = _run("--matrix", str(csv_file), "--samples", "10", "--sobol", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert f"field {field}:" in lines[0]
    assert "field samples" not in lines[0] and "conf_level" not in lines[0]


def test_needs_exactly_one_source(csv_file):
    assert _run("--samples", "10").exit_code == 2
    both = _run("--matrix", str(csv_file), "--scenario", "zhejiang")
    assert both.exit_code == 2 and "exactly one" in both.stderr


def test_help_teaches():
    result = runner.invoke(_app(), ["sensitivity", "--help"])
    assert result.exit_code == 0
    for word in ("--spread", "--dirichlet", "--top-k", "--sobol", "--scheduler", "Examples"):
        assert word in result.stdout


@pytest.mark.slow
def test_scenario(tmp_path):
    result = _run("--scenario", "zhejiang", "--samples", "200", "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["alternatives"]) == len(doc["names"]) > 10
