"""Tests for ``oicplan tax`` through the command line."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from oicplan.cli import app as cli_app


@pytest.fixture()
def app() -> typer.Typer:
    """The real command line, so the command's registration and error handling are tested."""
    return cli_app


def test_json_worked_example(app):
    out = CliRunner().invoke(app, ["tax", "--overseas-rd", "100", "--domestic-rd", "300", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["qualifying_overseas_rd"] == 80.0
    assert data["additional_deduction"] == 80.0
    assert data["tax_saving"] == 20.0
    assert data["comparison"]["combined_declaration"]["tax_saving"] == 25.0
    assert data["comparison"]["extra_tax_saving"] == 5.0


def test_flags(app):
    args = ["tax", "--overseas-rd", "100", "--domestic-rd", "60", "--json"]
    out = CliRunner().invoke(app, [*args, "--combined-declaration", "--high-tech"])
    data = json.loads(out.stdout)
    assert data["qualifying_overseas_rd"] == 100.0
    assert data["tax_saving"] == pytest.approx(15.0)
    out = CliRunner().invoke(app, [*args, "--policy-year", "2019"])
    assert json.loads(out.stdout)["additional_deduction"] == 30.0


def test_table_shows_both_rules(app):
    out = CliRunner().invoke(app, ["tax", "--overseas-rd", "100", "--domestic-rd", "300"])
    assert out.exit_code == 0
    assert "Combined declaration" in out.stdout
    assert "+5.00" in out.stdout


def test_negative_amount_is_clear_error(app):
    out = CliRunner().invoke(app, ["tax", "--overseas-rd", "-5", "--domestic-rd", "300"])
    assert out.exit_code == 2
    assert "overseas_rd" in out.output and "negative" in out.output


def test_help_teaches(app):
    out = CliRunner().invoke(app, ["tax", "--help"])
    assert out.exit_code == 0
    assert "two thirds" in out.stdout and "--combined-declaration" in out.stdout
