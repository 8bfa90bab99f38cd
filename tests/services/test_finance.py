"""The finance use cases (``oicplan.services.finance``) against the library called directly."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from oicplan.data import load_dataset
from oicplan.errors import InputError
from oicplan.finance.assumptions import assumptions_from_dict, default_assumptions
from oicplan.finance.estimate import estimate_cost
from oicplan.finance.tax import compare_combined_declaration, rd_tax_incentive
from oicplan.services.finance import (
    CostAssumptionsRequest,
    CostRequest,
    TaxRequest,
    cost,
    cost_assumptions,
    tax,
)


def test_cost_is_estimate_cost_with_its_assumptions():
    request = CostRequest(
        site="sao paulo",
        mode="Joint-Lab",
        headcount=4,
        start_year=2026,
        rent_per_m2_year=250,
        domestic_rd=2e6,
        high_tech=True,
    )
    result = cost(request)
    expected = estimate_cost(
        load_dataset(),
        "sao paulo",
        "Joint-Lab",
        headcount=4,
        start_year=2026,
        rent_per_m2_year=250,
        domestic_rd=2e6,
        high_tech=True,
    )
    assert result.estimate == expected.to_dict()
    assert result.cost_estimate == expected
    assert result.cost_assumptions == default_assumptions()
    assumed = {i.name for i in expected.inputs if i.kind == "assumption"}
    assert result.assumptions.parts == tuple(sorted(assumed))
    assert result.assumptions.origin == "built-in defaults"
    # The dump is JSON-ready and leaves the library objects out.
    dumped = result.model_dump(mode="json")
    assert set(dumped) == {"estimate", "assumptions"}
    document = json.loads(json.dumps(result.document()))
    assert document["assumptions"]["reference_iso3"] == "USA"
    assert document["site_id"] == "BRA-sao-paulo" and document["headcount"] == 4


def test_cost_with_file_and_mapping_overrides(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("travel_per_head: 1000\nhorizon_years: 3\n", encoding="utf-8")
    result = cost(
        CostRequest(
            site="ESP-madrid",
            mode="joint_lab",
            assumptions_file=path,
            assumptions={"horizon_years": 4},
        )
    )
    table = result.cost_assumptions
    assert table.travel_per_head == 1000.0 and table.horizon_years == 4
    assert str(path) in result.assumptions.origin
    expected = estimate_cost(load_dataset(), "ESP-madrid", "joint_lab", assumptions=table)
    assert result.estimate == expected.to_dict()


def test_cost_assumptions_is_the_table():
    result = cost_assumptions(CostAssumptionsRequest(assumptions={"fx_cost_share": 0.02}))
    table = assumptions_from_dict({"fx_cost_share": 0.02})
    assert result.table == table.to_dict() == result.document()
    assert result.yaml == table.to_yaml()
    assert set(result.model_dump()) == {"table", "yaml", "origin"}


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"site": "Atlantis", "mode": "joint_lab"}, "site"),
        ({"mode": "joint_lab"}, "site"),
        ({"site": "ESP-madrid"}, "mode"),
        ({"site": "ESP-madrid", "mode": "moonbase"}, "mode"),
        ({"site": "ESP-madrid", "mode": "joint_lab", "headcount": 0}, "headcount"),
        ({"site": "ESP-madrid", "mode": "joint_lab", "rent_per_m2_year": -1}, "rent_per_m2_year"),
        ({"site": "ESP-madrid", "mode": "joint_lab", "domestic_rd": -1}, "domestic_rd"),
        ({"site": "ESP-madrid", "mode": "joint_lab", "assumptions": {"fx": 1}}, "fx"),
    ],
)
def test_cost_bad_input_names_the_field(fields, field):
    with pytest.raises(InputError) as err:
        cost(CostRequest(**fields))
    assert err.value.field == field
    assert "--" not in err.value.message  # fields, not command-line flags


def test_bad_assumptions_file_names_file_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("travel_per_head: -5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        cost_assumptions(CostAssumptionsRequest(assumptions_file=path))
    assert (err.value.file, err.value.field) == (str(path), "travel_per_head")


def test_requests_refuse_unknown_fields():
    with pytest.raises(ValidationError):
        CostRequest(site="ESP-madrid", mode="joint_lab", rent=5)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"combined_declaration": True, "high_tech": True},
        {"policy_year": 2019, "manufacturing": True},
        {"policy_year": 2022, "manufacturing": True},
    ],
)
def test_tax_is_the_incentive_and_the_comparison(options):
    result = tax(TaxRequest(overseas_rd=100, domestic_rd=60, **options))
    rules = {k: v for k, v in options.items() if k != "combined_declaration"}
    combined = options.get("combined_declaration", False)
    expected = rd_tax_incentive(100, 60, combined_declaration=combined, **rules)
    assert result.result == expected.to_dict()
    assert result.comparison == compare_combined_declaration(100, 60, **rules)
    document = json.loads(json.dumps(result.document()))
    current = result.comparison["current"]
    assert document["comparison"]["current_rule"]["tax_saving"] == current["tax_saving"]
    assert document["comparison"]["extra_tax_saving"] == result.comparison["extra_tax_saving"]
    assert document["tax_saving"] == expected.tax_saving


def test_tax_with_a_policy_file(tmp_path):
    path = tmp_path / "policy.csv"
    path.write_text(
        "year,additional_rate,manufacturing_additional_rate,overseas_share,overseas_cap_share\n"
        "2010,1.2,1.2,0.8,2/3\n",
        encoding="utf-8",
    )
    result = tax(TaxRequest(overseas_rd=100, domestic_rd=300, policy_year=2012, policy_file=path))
    assert result.result["deduction_rate"] == 1.2
    path.write_text("year\n2010\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        tax(TaxRequest(overseas_rd=100, domestic_rd=300, policy_file=path))
    assert err.value.file == str(path)


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"overseas_rd": -5, "domestic_rd": 300}, "overseas_rd"),
        ({"overseas_rd": 5, "domestic_rd": float("nan")}, "domestic_rd"),
        ({"overseas_rd": 5, "domestic_rd": 300, "policy_year": 2001}, "policy_year"),
    ],
)
def test_tax_bad_input_names_the_field(fields, field):
    with pytest.raises(InputError) as err:
        tax(TaxRequest(**fields))
    assert err.value.field == field
