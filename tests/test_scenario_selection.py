"""The scenario's selection block: shown explicitly, and checked before any solve."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

import oicplan.plan as plan_module
from oicplan.cli import app
from oicplan.errors import InputError
from oicplan.plan import CENTER_MODES, check_selection, make_plan
from oicplan.scenario import BUILTIN_SCENARIOS, Selection, load_scenario, scenario_yaml

runner = CliRunner()


# ------------------------------------------------------------ built-in selection blocks


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtin_selection_is_explicit_and_unchanged(name):
    text = scenario_yaml(name)
    shown = yaml.safe_load(text)["selection"]
    # Every setting is written out, so a user copying the file sees them all.
    assert set(shown) == set(Selection.model_fields)
    # No built-in preset sets a selection of its own: the block holds the model defaults,
    # so loading the file gives the same settings as before the block was written out.
    assert load_scenario(name).selection == Selection()
    assert Selection.model_validate(shown) == Selection()


def test_show_prints_the_selection_block():
    result = runner.invoke(app, ["scenario", "show", "zhejiang"])
    assert result.exit_code == 0
    assert "\nselection:\n" in result.output
    assert "robustness_samples: 20" in result.output


# ---------------------------------------------------------------- scenario files


def _scenario(tmp_path, name="my.yaml", **selection):
    data = yaml.safe_load(scenario_yaml("zhejiang"))
    data["selection"] = {**data["selection"], **selection}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loaded_scenario_knows_its_file_and_keeps_it_in_copies(tmp_path):
    path = _scenario(tmp_path)
    scenario = load_scenario(path)
    assert scenario.source_file == str(path)
    assert scenario.model_copy(update={"centers": 3}).source_file == str(path)
    # Which file it came from does not make two scenarios different.
    assert scenario == load_scenario("zhejiang")


def test_unknown_capacity_mode_is_rejected_on_load_naming_file_and_field(tmp_path):
    path = _scenario(tmp_path, capacity={"jointlab": 2})
    with pytest.raises(InputError, match="jointlab") as error:
        load_scenario(path)
    assert error.value.file == str(path)
    assert error.value.field == "selection.capacity"


def test_every_center_mode_may_have_a_capacity(tmp_path):
    capacity = {mode: 3 for mode in CENTER_MODES}
    assert load_scenario(_scenario(tmp_path, capacity=capacity)).selection.capacity == capacity


@pytest.mark.parametrize("capacity", [0, -2, {"joint_lab": -1}])
def test_capacity_numbers_are_checked(tmp_path, capacity):
    with pytest.raises(InputError) as error:
        load_scenario(_scenario(tmp_path, capacity=capacity))
    assert error.value.field == "selection.capacity"


def test_missing_enterprises_file_names_scenario_and_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _scenario(tmp_path, enterprises="nosuch.csv")
    with pytest.raises(InputError, match="nosuch.csv") as error:
        check_selection(load_scenario(path))
    assert error.value.file == str(path)
    assert error.value.field == "selection.enterprises"


def test_unknown_region_names_scenario_and_field(tmp_path):
    path = _scenario(tmp_path, min_per_region={"Europe": 1, "Atlantis": 2})
    with pytest.raises(InputError, match="unknown region 'Atlantis'") as error:
        check_selection(load_scenario(path))
    assert error.value.file == str(path)
    assert error.value.field == "selection.min_per_region"


def test_known_settings_pass(tmp_path):
    path = _scenario(
        tmp_path,
        enterprises="sample",
        capacity={"joint_lab": 3},
        min_per_region={"europe": 1, "Sub-Saharan Africa": 1},
    )
    check_selection(load_scenario(path), read_enterprises=True)


def test_explicit_file_and_scenarios_built_in_code():
    scenario = load_scenario("zhejiang")
    selection = scenario.selection.model_copy(update={"min_per_region": {"Atlantis": 1}})
    bad = scenario.model_copy(update={"selection": selection})
    with pytest.raises(InputError) as error:
        check_selection(bad, file="given.yaml")
    assert error.value.file == "given.yaml"
    built = type(scenario).model_validate(scenario.model_dump())
    built = built.model_copy(update={"selection": selection})
    assert built.source_file is None
    with pytest.raises(InputError) as error:
        check_selection(built)
    assert error.value.file is None and error.value.field == "selection.min_per_region"


def test_make_plan_checks_before_ranking(tmp_path, monkeypatch):
    def no_ranking(*args, **kwargs):
        raise AssertionError("ranked before the selection was checked")

    monkeypatch.setattr(plan_module, "rank_sites", no_ranking)
    path = _scenario(tmp_path, min_per_region={"Atlantis": 2})
    with pytest.raises(InputError) as error:
        make_plan(load_scenario(path), centers=3)
    assert error.value.file == str(path)
    assert error.value.field == "selection.min_per_region"


# ------------------------------------------------------------------ scenario validate


@pytest.mark.parametrize(
    "selection, field, text",
    [
        ({"capacity": {"jointlab": 2}}, "selection.capacity", "jointlab"),
        ({"enterprises": "nosuch.csv"}, "selection.enterprises", "nosuch.csv"),
        ({"min_per_region": {"Atlantis": 2}}, "selection.min_per_region", "Atlantis"),
    ],
)
def test_validate_rejects_what_plan_would(tmp_path, monkeypatch, selection, field, text):
    monkeypatch.chdir(tmp_path)
    path = _scenario(tmp_path, **selection)
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}, field {field}:" in result.output
    assert text in result.output
    assert "valid;" not in result.output


def test_validate_reads_the_enterprises_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "firms.csv").write_text("name,x\n", encoding="utf-8")
    path = _scenario(tmp_path, enterprises="firms.csv")
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}, field selection.enterprises: firms.csv" in result.output


def test_validate_rejects_an_empty_stored_import(tmp_path, monkeypatch):
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "empty_store"))
    path = _scenario(tmp_path, enterprises="stored")
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}, field selection.enterprises: no stored enterprises" in result.output


def test_validate_accepts_a_good_selection(tmp_path):
    path = _scenario(
        tmp_path, enterprises="sample", capacity={"joint_lab": 3}, min_per_region={"Europe": 2}
    )
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid;" in result.output
