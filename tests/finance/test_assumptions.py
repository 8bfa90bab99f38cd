"""The assumptions file checked by pydantic: same files accepted, errors name file and field."""

from __future__ import annotations

from dataclasses import fields

import pytest

from oicplan.domain import MODE_KEYS
from oicplan.errors import InputError
from oicplan.finance.assumptions import (
    AssumptionsFile,
    CostAssumptions,
    assumptions_from_dict,
    default_assumptions,
    load_assumptions,
)


def test_file_layout_has_every_field_of_the_table():
    table = {f.name for f in fields(CostAssumptions)} - {"origin"}
    assert set(AssumptionsFile.model_fields) == table


def test_defaults_round_trip_and_partial_overrides():
    a = default_assumptions()
    assert assumptions_from_dict(a.to_dict()) == a
    b = assumptions_from_dict(
        {
            "price_year": "2023",
            "reference_iso3": " chn ",
            "roles": {"admin": 50_000, "analyst": {"base_cost": 90_000, "scaled": False}},
            "modes": {"joint_lab": {"staff": {"analyst": 2, "manager": 1}}},
            "city_rents": None,
        }
    )
    assert (b.price_year, b.reference_iso3, b.city_rents) == (2023, "CHN", {})
    assert b.roles["admin"].base_cost == 50_000.0 and b.roles["admin"].scaled
    assert b.roles["analyst"].scaled is False and b.roles["analyst"].label == ""
    assert b.modes["joint_lab"].staff == {"analyst": 2, "manager": 1}
    assert b.modes["joint_lab"].setup_cost == a.modes["joint_lab"].setup_cost
    assert list(b.modes) == list(MODE_KEYS)


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"horizon_years": -1}, "horizon_years", "must not be below 1, got -1"),
        ({"horizon_years": 2.5}, "horizon_years", "must be a whole number, got 2.5"),
        ({"discount_rate": -1}, "discount_rate", "must not be below -0.99, got -1"),
        ({"travel_per_head": True}, "travel_per_head", "not a number: True"),
        ({"travel_per_head": "abc"}, "travel_per_head", "not a number: 'abc'"),
        ({"travel_per_head": None}, "travel_per_head", "not a number: None"),
        ({"rent_per_m2_year": float("inf")}, "rent_per_m2_year", "must be a finite number"),
        ({"setup_local_share": 2}, "setup_local_share", "must be a share between 0 and 1"),
        ({"city_rents": [1]}, "city_rents", "expected site_id: rent pairs"),
        ({"city_rents": {"ESP-madrid": -3}}, "city_rents.ESP-madrid", "must not be negative"),
        ({"roles": {"admin": -5}}, "roles.admin", "must not be negative, got -5"),
        ({"roles": {"admin": {"pay": 1}}}, "roles.admin", "unknown key 'pay'"),
        ({"roles": {"analyst": {"label": "x"}}}, "roles.analyst", "a new role needs base_cost"),
        ({"modes": {"joint_lab": None}}, "modes.joint_lab", "expected a mapping"),
        ({"modes": {"joint_lab": {"staff": 3}}}, "modes.joint_lab.staff", "role: headcount"),
        ({"modes": {"joint_lab": {"rd_share": 1.2}}}, "modes.joint_lab.rd_share", "share"),
        ({"modes": {"joint_lab": {"staff": {}}}}, "modes.joint_lab.staff", "at least one"),
        ({"modes": {"moonbase": {}}}, "modes.moonbase", "unknown mode 'moonbase'"),
        ({"salary": 1, "bonus": 2}, "bonus", "unknown key(s) bonus, salary; known:"),
    ],
)
def test_errors_name_the_field(data, field, message):
    with pytest.raises(InputError) as err:
        assumptions_from_dict(data, file="mine.yaml")
    assert err.value.field == field and err.value.file == "mine.yaml"
    assert message in err.value.message


def test_unknown_mode_lists_the_domain_modes():
    with pytest.raises(InputError) as err:
        assumptions_from_dict({"modes": {"space_station": {"setup_cost": 1}}})
    assert ", ".join(MODE_KEYS) in err.value.message


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("modes:\n  joint_lab:\n    area_per_head: -2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_assumptions(path)
    assert str(err.value) == (
        f"{path}, field modes.joint_lab.area_per_head: must not be negative, got -2"
    )
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_assumptions(path)
    assert err.value.file == str(path) and err.value.field is None
    path.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_assumptions(path)
