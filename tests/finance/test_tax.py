"""Tests for the R&D super-deduction calculator, NPV and after-tax cost."""

from __future__ import annotations

import dataclasses

import pytest

from oicplan.errors import InputError
from oicplan.finance.tax import (
    POLICY_TABLE,
    after_tax_cost,
    compare_combined_declaration,
    load_policy_table,
    npv,
    policy_for_year,
    rd_tax_incentive,
)


def test_worked_example_2024():
    r = rd_tax_incentive(100, 300, policy_year=2024)
    assert r.qualifying_overseas_rd == 80.0
    assert r.additional_deduction == 80.0
    assert r.tax_saving == 20.0
    assert r.deduction_rate == 1.0
    assert r.tax_rate == 0.25
    assert r.cap == 200.0
    assert not r.capped
    assert "2023 No. 7" in r.policy and "[2018] No. 64" in r.policy
    assert r["tax_saving"] == 20.0
    assert dict(r)["qualifying_overseas_rd"] == 80.0
    assert all(type(v) in (int, float, bool, str, type(None)) for v in r.to_dict().values())


@pytest.mark.parametrize(
    ("year", "manufacturing", "rate"),
    [
        (2008, False, 0.5),
        (2017, False, 0.5),
        (2018, False, 0.75),
        (2020, True, 0.75),
        (2021, False, 0.75),
        (2021, True, 1.0),
        (2022, True, 1.0),
        (2023, False, 1.0),
        (2030, False, 1.0),
    ],
)
def test_rate_history(year, manufacturing, rate):
    r = rd_tax_incentive(30, 300, policy_year=year, manufacturing=manufacturing)
    assert r.deduction_rate == rate
    assert policy_for_year(year).year <= year


def test_no_overseas_deduction_before_2018_except_combined():
    assert rd_tax_incentive(100, 300, policy_year=2015).qualifying_overseas_rd == 0.0
    r = rd_tax_incentive(100, 300, policy_year=2015, combined_declaration=True)
    assert r.qualifying_overseas_rd == 100.0
    assert r.tax_saving == 12.5


def test_cap_binds_and_combined_removes_it():
    r = rd_tax_incentive(100, 60)
    assert r.cap == 40.0 and r.capped and r.qualifying_overseas_rd == 40.0
    c = rd_tax_incentive(100, 60, combined_declaration=True)
    assert c.cap is None and c.qualifying_overseas_rd == 100.0 and c.tax_saving == 25.0


def test_high_tech_rate():
    assert rd_tax_incentive(100, 300, high_tech=True).tax_saving == pytest.approx(12.0)


def test_compare():
    c = compare_combined_declaration(100, 300)
    assert c["current"]["tax_saving"] == 20.0
    assert c["combined"]["tax_saving"] == 25.0
    assert c["extra_tax_saving"] == 5.0


@pytest.mark.parametrize(
    ("args", "field"),
    [((-1, 300), "overseas_rd"), ((1, -300), "domestic_rd"), (("x", 3), "overseas_rd")],
)
def test_bad_amounts_name_field(args, field):
    with pytest.raises(InputError) as err:
        rd_tax_incentive(*args)
    assert err.value.field == field


def test_year_before_table():
    with pytest.raises(InputError) as err:
        rd_tax_incentive(1, 1, policy_year=2000)
    assert err.value.field == "policy_year"


def test_custom_policy_rows():
    rows = [*POLICY_TABLE, dataclasses.replace(POLICY_TABLE[-1], year=2030, additional_rate=1.2)]
    assert rd_tax_incentive(100, 300, policy_year=2031, policies=rows).additional_deduction == 96.0
    # The default table is untouched.
    assert rd_tax_incentive(100, 300, policy_year=2031).additional_deduction == 80.0


def test_load_policy_table(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text(
        "year,additional_rate,manufacturing_additional_rate,overseas_share,overseas_cap_share,"
        "document\n2008,0.5,0.5,0.8,2/3,test\n2025,abc,1,0.8,0.5,x\n"
    )
    with pytest.raises(InputError) as err:
        load_policy_table(p)
    assert (err.value.row, err.value.field) == (3, "additional_rate")
    p.write_text(
        "year,additional_rate,manufacturing_additional_rate,overseas_share,overseas_cap_share\n"
        "2008,0.5,0.5,0.8,2/3\n"
    )
    (row,) = load_policy_table(p)
    assert row.overseas_cap_share == pytest.approx(2 / 3)
    assert row.tax_rate == 0.25


def test_npv():
    assert npv([100], 0.1) == 100.0
    assert npv([0, 110], 0.1) == pytest.approx(100.0)
    assert isinstance(npv([1, 2], 0.0), float)
    with pytest.raises(InputError):
        npv([1], -1)
    with pytest.raises(InputError) as err:
        npv([1, "x"], 0.1)
    assert err.value.field == "cashflows[1]"


def test_after_tax_cost_crosses_policy_change():
    c = after_tax_cost([100, 100], [300, 300], start_year=2022)
    # 2022: 75 % additional on 80 -> 60 x 25 % = 15; 2023: 100 % -> 20.
    assert c.incentive_saving == [15.0, 20.0]
    assert c.ordinary_saving == [25.0, 25.0]
    assert c.net == [60.0, 55.0]
    assert c.total_gross == 200.0
    assert c.npv_net == pytest.approx(115.0)
    assert "details" not in c.to_dict()


def test_after_tax_cost_errors():
    with pytest.raises(InputError) as err:
        after_tax_cost([100, -1], 300)
    assert err.value.field == "yearly_costs[1]"
    with pytest.raises(InputError) as err:
        after_tax_cost([100, 100], [300])
    assert err.value.field == "domestic_rd"
