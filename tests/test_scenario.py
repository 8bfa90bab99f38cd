"""Scenario files: built-ins, presets and the errors a user's file can cause."""

from __future__ import annotations

import pytest
import yaml

from oicplan.errors import InputError
from oicplan.scenario import BUILTIN_SCENARIOS, STRATEGIES, load_scenario, scenario_yaml


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_every_builtin_loads(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.hubs and scenario.weights


def test_one_preset_per_layout_strategy_plus_balanced():
    for strategy in STRATEGIES:
        assert load_scenario(strategy).strategies == [strategy]
    assert set(load_scenario("balanced").strategies) == set(STRATEGIES)


def test_show_prints_yaml_that_loads_back(tmp_path):
    text = scenario_yaml("zhejiang")
    path = tmp_path / "copy.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == load_scenario("zhejiang")


def _write(tmp_path, **changes):
    data = yaml.safe_load(scenario_yaml("zhejiang"))
    data.update(changes)
    path = tmp_path / "my.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(InputError, match="not found") as error:
        load_scenario(tmp_path / "nope.yaml")
    assert error.value.field == "scenario"


def test_unknown_name_lists_the_builtins():
    with pytest.raises(InputError, match="zhejiang"):
        load_scenario("mars")


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nweights: {innovation: 1\nhubs: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML") as error:
        load_scenario(path)
    assert error.value.file == str(path) and error.value.row is not None


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"centers": 0}, "centers"),
        ({"per_country_cap": "two"}, "per_country_cap"),
        ({"weights": {"innovation": -1.0}}, "weights"),
        ({"ranking": {"method": "electre"}}, "ranking.method"),
        ({"strategies": ["moon_base"]}, "strategies.0"),
        ({"colour": "red"}, "colour"),
        ({"selection": {"min_per_strategy": {"silk_road": 2}}}, "selection.min_per_strategy"),
        ({"selection": {"min_per_strategy": -1}}, "selection.min_per_strategy"),
        ({"selection": {"min_per_region": {"Europe": -2}}}, "selection.min_per_region"),
        ({"selection": {"capacity": {"jointlab": 2}}}, "selection.capacity"),
        ({"selection": {"capacity": 0}}, "selection.capacity"),
    ],
)
def test_invalid_fields_are_named(tmp_path, changes, field):
    with pytest.raises(InputError) as error:
        load_scenario(_write(tmp_path, **changes))
    assert error.value.field == field


def test_a_scenario_needs_hubs(tmp_path):
    data = yaml.safe_load(scenario_yaml("zhejiang"))
    del data["hubs"]
    path = tmp_path / "nohubs.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_scenario(path)
    assert error.value.field == "hubs"


def test_minimums_per_strategy_and_region_load(tmp_path):
    selection = {"min_per_strategy": {"rail_corridor": 2, "st_leader": 3},
                 "min_per_region": {"Europe": 2, "Sub-Saharan Africa": 1}}
    scenario = load_scenario(_write(tmp_path, selection=selection))
    assert scenario.selection.min_per_strategy == {"rail_corridor": 2, "st_leader": 3}
    assert scenario.selection.min_per_region == {"Europe": 2, "Sub-Saharan Africa": 1}


def test_a_minimum_for_a_strategy_the_scenario_leaves_out_is_an_error(tmp_path):
    path = _write(
        tmp_path, strategies=["st_leader"], selection={"min_per_strategy": {"rail_corridor": 2}}
    )
    with pytest.raises(InputError, match="rail_corridor.*not among this scenario's strategies"):
        load_scenario(path)
