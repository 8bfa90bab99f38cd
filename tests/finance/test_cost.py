"""Tests for the center cost model on the shipped dataset and on small stand-ins."""

from __future__ import annotations

import pandas as pd
import pytest

from oicplan.data.dataset import Observation, load_dataset
from oicplan.errors import InputError
from oicplan.finance.cost import (
    EXCHANGE_RATE,
    GDP_PC_PPP,
    GDP_PC_USD,
    PPP_FACTOR,
    PRODUCTIVITY,
    assumptions_from_dict,
    default_assumptions,
    economy_factors,
    estimate_cost,
    find_site,
    load_assumptions,
    price_level,
    site_mode_costs,
    staff_mix,
)
from oicplan.finance.tax import npv, rd_tax_incentive


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def _by_hand_price_level(ds, iso3):
    """Same-year PPP factor / exchange rate, the year chosen independently here."""
    s = ds.series
    rows = s[(s["entity"] == iso3) & s["indicator"].isin([PPP_FACTOR, EXCHANGE_RATE])]
    wide = rows.pivot(index="year", columns="indicator", values="value").dropna()
    check = s[(s["entity"] == iso3) & s["indicator"].isin([GDP_PC_USD, GDP_PC_PPP])]
    check_years = set(check.pivot(index="year", columns="indicator", values="value").dropna().index)
    years = [y for y in wide.index if y in check_years] or list(wide.index)
    year = max(years)
    return wide.loc[year, PPP_FACTOR] / wide.loc[year, EXCHANGE_RATE], int(year)


class FakeDataset:
    """Only ``value()`` and ``sites``: the latest-value fallback path, no series."""

    def __init__(self, values: dict[tuple[str, str], tuple[int, float]]):
        self._values = values
        self.sites = pd.DataFrame(
            [
                {"site_id": "AAA-alpha", "name": "Alpha", "iso3": "AAA"},
                {"site_id": "BBB-beta", "name": "Béta", "iso3": "BBB"},
                {"site_id": "USA-ref", "name": "Ref", "iso3": "USA"},
            ]
        )

    def value(self, iso3, code):
        hit = self._values.get((iso3, code))
        if hit is None:
            return None
        return Observation(iso3, code, hit[0], hit[1], "test")


def _fake_values():
    return {
        ("USA", PRODUCTIVITY): (2024, 100_000.0),
        ("USA", PPP_FACTOR): (2024, 1.0),
        ("USA", EXCHANGE_RATE): (2024, 1.0),
        ("AAA", PRODUCTIVITY): (2024, 50_000.0),
        ("AAA", PPP_FACTOR): (2024, 2.0),
        ("AAA", EXCHANGE_RATE): (2024, 4.0),
        ("BBB", PRODUCTIVITY): (2024, 40_000.0),
        ("BBB", PPP_FACTOR): (2024, 1.0),
        ("BBB", EXCHANGE_RATE): (2024, 2.0),
    }


# ------------------------------------------------------------- scaling on real data


@pytest.mark.parametrize("iso3,site", [("ESP", "ESP-madrid"), ("VNM", "VNM-hanoi")])
def test_salary_scaling_matches_hand_computation(ds, iso3, site):
    prod_h = ds.value(iso3, PRODUCTIVITY)
    prod_us = ds.value("USA", PRODUCTIVITY)
    p_h, year_h = _by_hand_price_level(ds, iso3)
    p_us, _ = _by_hand_price_level(ds, "USA")
    expected_salary = (prod_h.value * p_h) / (prod_us.value * p_us)
    expected_level = p_h / p_us

    f = economy_factors(ds, iso3)
    assert f.salary_factor == pytest.approx(expected_salary, rel=1e-12)
    assert f.price_level_factor == pytest.approx(expected_level, rel=1e-12)
    assert 0 < f.salary_factor < 1 and f.gaps == []

    est = estimate_cost(ds, site, "offshore_rd_center")
    a = default_assumptions()
    researcher = next(line for line in est.lines if line.item == "researcher")
    assert researcher.unit_cost == pytest.approx(
        a.roles["researcher"].base_cost * expected_salary, abs=0.01
    )
    office = next(line for line in est.lines if line.item == "office")
    assert office.unit_cost == pytest.approx(a.rent_per_m2_year * expected_level, abs=0.01)
    expat = next(line for line in est.lines if line.item == "expatriate")
    assert expat.unit_cost == a.roles["expatriate"].base_cost  # not scaled

    # Every data input carries the year and source it came with.
    inputs = {i.name: i for i in est.inputs if i.kind == "data"}
    prod_input = inputs[f"{PRODUCTIVITY} {iso3}"]
    assert (prod_input.value, prod_input.year, prod_input.source) == (
        prod_h.value,
        prod_h.year,
        prod_h.source,
    )
    assert inputs[f"{PPP_FACTOR} {iso3}"].year == inputs[f"{EXCHANGE_RATE} {iso3}"].year == year_h
    assert inputs[f"{PPP_FACTOR} {iso3}"].source == "wdi"
    assert est.currency == "USD" and est.price_year == a.price_year


def test_price_level_uses_one_year_for_both_indicators(ds):
    # The latest PPP factor of Spain (2025) is newer than its latest exchange rate.
    assert ds.value("ESP", PPP_FACTOR).year != ds.value("ESP", EXCHANGE_RATE).year
    level = price_level(ds, "ESP")
    years = {o.year for o in level.inputs}
    assert len(years) == 1 and level.year in years and level.problem is None


def test_inconsistent_price_level_is_a_gap(ds):
    level = price_level(ds, "LBR")
    assert level.value is None and "disagrees" in level.problem
    est = estimate_cost(ds, "LBR-monrovia", "joint_lab")
    assert est.annual_cost is None and est.npv is None and "LBR" in est.gap


def test_reference_economy_is_an_assumption(ds):
    a = assumptions_from_dict({"reference_iso3": "CHN"})
    assert economy_factors(ds, "CHN", a).salary_factor == pytest.approx(1.0)
    assert economy_factors(ds, "USA", a).salary_factor > 1
    half = assumptions_from_dict({"salary_elasticity": 0.5})
    full = economy_factors(ds, "VNM").salary_factor
    assert economy_factors(ds, "VNM", half).salary_factor == pytest.approx(full**0.5)


# ------------------------------------------------------------------------- gaps


def test_missing_productivity_is_a_gap_with_reason():
    values = _fake_values()
    del values[("AAA", PRODUCTIVITY)]
    est = estimate_cost(FakeDataset(values), "AAA-alpha", "joint_lab")
    assert est.salary_factor is None
    assert est.annual_cost is None and est.npv is None and est.after_tax is None
    assert est.gap == f"no {PRODUCTIVITY} for AAA in the dataset"
    # Parts that need no data are still shown; the scaled ones are gaps.
    amounts = {line.item: line.amount for line in est.lines}
    assert amounts["expatriate"] == 120_000.0 and amounts["researcher"] is None


def test_mismatched_years_are_a_gap_not_a_mix():
    values = _fake_values()
    values[("AAA", EXCHANGE_RATE)] = (2019, 4.0)
    est = estimate_cost(FakeDataset(values), "AAA-alpha", "joint_lab")
    assert est.price_level_factor is None and est.setup_cost is None
    assert "no year with both" in est.gap


def test_missing_value_via_monkeypatch(ds, monkeypatch):
    real = ds.value

    def without_productivity(iso3, code):
        return None if (iso3, code) == ("DEU", PRODUCTIVITY) else real(iso3, code)

    monkeypatch.setattr(ds, "value", without_productivity)
    est = estimate_cost(ds, "DEU-berlin", "offshore_incubator")
    assert est.annual_cost is None and PRODUCTIVITY in est.gap


def test_fake_dataset_hand_values():
    est = estimate_cost(FakeDataset(_fake_values()), "alpha", "offshore_incubator")
    # AAA: price level 2/4 = 0.5; market productivity 50000 x 0.5 = 25000 vs 100000.
    assert est.salary_factor == pytest.approx(0.25)
    assert est.price_level_factor == pytest.approx(0.5)
    manager = next(line for line in est.lines if line.item == "manager")
    assert manager.amount == pytest.approx(200_000 * 0.25)
    # Setup: 300000 x (0.5 + 0.5 x 0.5).
    assert est.setup_cost == pytest.approx(225_000.0)


# ----------------------------------------------------------------------- inputs


def test_site_lookup_by_id_or_name(ds):
    assert find_site(ds, "esp-madrid")["site_id"] == "ESP-madrid"
    assert find_site(ds, "sao paulo")["site_id"] == "BRA-sao-paulo"
    assert find_site(FakeDataset(_fake_values()), "BETA")["iso3"] == "BBB"
    with pytest.raises(InputError) as err:
        find_site(ds, "Valencia")
    assert err.value.field == "site" and "VEN-valencia" in str(err.value)
    with pytest.raises(InputError) as err:
        find_site(ds, "Atlantis")
    assert err.value.field == "site"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"headcount": -1}, "headcount"),
        ({"headcount": 0}, "headcount"),
        ({"headcount": 2.5}, "headcount"),
        ({"rent_per_m2_year": -10}, "rent_per_m2_year"),
        ({"domestic_rd": -1}, "domestic_rd"),
    ],
)
def test_negative_inputs_rejected(ds, kwargs, field):
    with pytest.raises(InputError) as err:
        estimate_cost(ds, "ESP-madrid", "joint_lab", **kwargs)
    assert err.value.field == field


def test_unknown_mode_rejected(ds):
    with pytest.raises(InputError) as err:
        estimate_cost(ds, "ESP-madrid", "space_station")
    assert err.value.field == "mode" and "offshore_rd_center" in err.value.message


@pytest.mark.parametrize(
    "data,field",
    [
        ({"travel_per_head": -1}, "travel_per_head"),
        ({"fx_cost_share": 1.5}, "fx_cost_share"),
        ({"roles": {"admin": {"base_cost": -5}}}, "roles.admin"),
        (
            {"modes": {"joint_lab": {"staff": {"researcher": -2}}}},
            "modes.joint_lab.staff.researcher",
        ),
        ({"modes": {"joint_lab": {"staff": {"wizard": 1}}}}, "modes.joint_lab"),
        ({"salary": 1}, "salary"),
    ],
)
def test_bad_assumptions_rejected(data, field):
    with pytest.raises(InputError) as err:
        assumptions_from_dict(data)
    assert err.value.field == field


def test_assumptions_yaml_round_trip(tmp_path):
    a = default_assumptions()
    path = tmp_path / "a.yaml"
    path.write_text(a.to_yaml(), encoding="utf-8")
    assert load_assumptions(path).to_dict() == a.to_dict()
    path.write_text("modes:\n  joint_lab:\n    setup_cost: 1000\n", encoding="utf-8")
    b = load_assumptions(path)
    assert b.modes["joint_lab"].setup_cost == 1000.0
    assert b.modes["joint_lab"].staff == a.modes["joint_lab"].staff
    assert str(path) in b.origin


def test_city_rent_replaces_scaled_rent(ds):
    a = assumptions_from_dict({"city_rents": {"ESP-madrid": 321}})
    est = estimate_cost(ds, "ESP-madrid", "joint_lab", assumptions=a)
    office = next(line for line in est.lines if line.item == "office")
    assert office.unit_cost == 321.0 and "user" in office.basis
    assert any(i.kind == "user" and i.value == 321 for i in est.inputs)


def test_staff_mix_sums_to_headcount():
    for profile in default_assumptions().modes.values():
        for n in (1, 3, 7, 40):
            mix = staff_mix(profile, n)
            assert sum(mix.values()) == n and all(v >= 0 for v in mix.values())


def test_modes_match_the_domain():
    from oicplan.domain import MODE_KEYS

    assert list(default_assumptions().modes) == list(MODE_KEYS)
    sizes = {m: p.headcount for m, p in default_assumptions().modes.items()}
    assert max(sizes, key=sizes.get) == "offshore_rd_center"
    assert min(sizes, key=sizes.get) == "offshore_incubator"


def test_assumptions_are_labelled(ds):
    est = estimate_cost(ds, "ESP-madrid", "corridor_hub")
    kinds = {i.kind for i in est.inputs}
    assert {"data", "assumption", "derived"} <= kinds
    for item in est.inputs:
        if item.kind == "assumption":
            assert item.year is None and item.source is None
            assert "not a sourced figure" in item.note
        if item.kind == "data":
            assert item.year is not None and item.source == "wdi"


# -------------------------------------------------------------- tax and NPV


def test_after_tax_and_npv_consistent_with_tax_module(ds):
    a = default_assumptions()
    est = estimate_cost(ds, "ESP-madrid", "offshore_rd_center", start_year=2025)
    after = est.after_tax
    rd_share = a.modes["offshore_rd_center"].rd_share
    annual, setup = est.annual_cost, est.setup_cost
    assert len(after["years"]) == a.horizon_years and after["years"][0] == 2025
    assert after["gross"][0] == pytest.approx(annual + setup, abs=0.02)
    assert after["gross"][1] == pytest.approx(annual, abs=0.01)
    for g, o, i, n in zip(
        after["gross"],
        after["ordinary_saving"],
        after["incentive_saving"],
        after["net"],
        strict=True,
    ):
        assert n == pytest.approx(g - o - i, abs=0.03)
        assert o == pytest.approx(g * 0.25, abs=0.02)
    # Cap not binding by default: the incentive is 80 % x 100 % x 25 % of the R&D part.
    expected = rd_tax_incentive(annual * rd_share, 1e12, policy_year=2025).tax_saving
    assert after["incentive_saving"][1] == pytest.approx(expected, abs=0.01)
    assert est.npv_gross == pytest.approx(npv(after["gross"], a.discount_rate), abs=0.5)
    assert est.npv == pytest.approx(npv(after["net"], a.discount_rate), abs=0.5)
    assert est.npv < est.npv_gross


def test_domestic_cap_and_combined_declaration(ds):
    base = estimate_cost(ds, "ESP-madrid", "joint_lab")
    rd = base.annual_cost * default_assumptions().modes["joint_lab"].rd_share
    capped = estimate_cost(ds, "ESP-madrid", "joint_lab", domestic_rd=rd * 0.3)
    expected = rd_tax_incentive(rd, rd * 0.3, policy_year=2025).tax_saving
    assert capped.after_tax["incentive_saving"][0] == pytest.approx(expected, abs=0.01)
    combined = estimate_cost(ds, "ESP-madrid", "joint_lab", combined_declaration=True)
    assert combined.after_tax["incentive_saving"][0] == pytest.approx(rd * 0.25, abs=0.01)
    assert combined.npv < base.npv < capped.npv


def test_high_tech_rate(ds):
    est = estimate_cost(ds, "ESP-madrid", "joint_lab", high_tech=True)
    assert est.after_tax["tax_rate"] == 0.15


# ------------------------------------------------------------ comparison table


def test_site_mode_costs_table(ds):
    table = site_mode_costs(ds, ["ESP-madrid", "VNM-hanoi", "LBR-monrovia"])
    assert len(table) == 3 * 5
    for column in ("site_id", "mode", "setup_cost", "annual_cost", "npv", "currency", "price_year"):
        assert column in table.columns
    row = table[(table["site_id"] == "VNM-hanoi") & (table["mode"] == "joint_lab")].iloc[0]
    single = estimate_cost(ds, "VNM-hanoi", "joint_lab")
    assert row["annual_cost"] == single.annual_cost and row["npv"] == single.npv
    assert row["currency"] == "USD"
    liberia = table[table["iso3"] == "LBR"]
    assert liberia["npv"].isna().all() and liberia["gap"].notna().all()
    assert table.loc[table["iso3"] != "LBR", "gap"].isna().all()
    madrid = table[table["site_id"] == "ESP-madrid"].set_index("mode")
    assert (
        madrid.loc["offshore_rd_center", "annual_cost"]
        > madrid.loc["offshore_incubator", "annual_cost"]
    )


def test_site_mode_costs_all_sites_is_fast(ds):
    table = site_mode_costs(ds, modes=["joint_lab"])
    assert len(table) == len(ds.sites)
    assert table["gap"].notna().sum() < len(table) // 5
