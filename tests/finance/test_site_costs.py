"""The column-wise cost table against the one-site cost model, site by site."""

from __future__ import annotations

import pandas as pd
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.finance.assumptions import assumptions_from_dict, default_assumptions
from oicplan.finance.estimate import estimate_cost
from oicplan.finance.prices import economy_factors
from oicplan.finance.site_costs import _TABLE_COLUMNS, site_mode_costs


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def sample(ds):
    """A fixed sample of candidate sites, with economies whose cost is a gap."""
    sites = ds.sites[["site_id", "iso3", "name"]]
    picked = sites.sample(n=20, random_state=9)
    gaps = sites[sites["site_id"].isin(["VEN-caracas", "LBR-monrovia"])]
    return pd.concat([picked, gaps]).drop_duplicates("site_id").reset_index(drop=True)


def one_by_one(ds, sites: pd.DataFrame, **options) -> pd.DataFrame:
    """The table built from estimate_cost, one site and mode at a time (the oracle)."""
    a = options.get("assumptions") or default_assumptions()
    factors = {}
    rows = []
    for record in sites.to_dict("records"):
        iso3 = record["iso3"]
        if iso3 not in factors:
            factors[iso3] = economy_factors(ds, iso3, a)
        for mode in a.modes:
            est = estimate_cost(ds, record, mode, _factors=factors[iso3], **options)
            after = est.after_tax
            rows.append(
                {
                    "site_id": est.site_id,
                    "name": est.site_name,
                    "iso3": est.iso3,
                    "mode": est.mode,
                    "headcount": est.headcount,
                    "setup_cost": est.setup_cost,
                    "annual_cost": est.annual_cost,
                    "annual_cost_after_tax": None
                    if after is None or len(after["net"]) < 2
                    else after["net"][1],
                    "npv_gross": est.npv_gross,
                    "npv": est.npv,
                    "currency": est.currency,
                    "price_year": est.price_year,
                    "start_year": est.start_year,
                    "horizon_years": int(a.horizon_years),
                    "discount_rate": float(a.discount_rate),
                    "salary_factor": est.salary_factor,
                    "price_level_factor": est.price_level_factor,
                    "gap": est.gap,
                }
            )
    frame = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    for column in ("setup_cost", "annual_cost", "annual_cost_after_tax", "npv_gross", "npv"):
        frame[column] = frame[column].astype(float)
    return frame


def test_defaults_match_estimate_cost_exactly(ds, sample):
    table = site_mode_costs(ds, sample)
    assert len(table) == len(sample) * 5 and table["gap"].notna().any()
    pd.testing.assert_frame_equal(table, one_by_one(ds, sample), check_exact=True)


@pytest.mark.parametrize(
    "options",
    [
        {"headcount": 7, "start_year": 2019, "high_tech": True},
        {"combined_declaration": True, "manufacturing": True, "start_year": 2021},
        {"domestic_rd": 150_000.0},
        {"domestic_rd": 0},
    ],
)
def test_options_match_estimate_cost_exactly(ds, sample, options):
    sites = sample.head(8)
    table = site_mode_costs(ds, sites, **options)
    pd.testing.assert_frame_equal(table, one_by_one(ds, sites, **options), check_exact=True)


def test_assumptions_match_estimate_cost_exactly(ds, sample):
    # City rents, another elasticity, a one-year horizon (no second year after
    # tax), and a mode of seconded staff only: where the price level is a gap
    # but the city rent is given, its yearly cost is known and its setup not.
    rents = {"LBR-monrovia": 50, "VEN-caracas": 100, sample.loc[0, "site_id"]: 321}
    a = assumptions_from_dict(
        {
            "city_rents": rents,
            "salary_elasticity": 0.7,
            "horizon_years": 1,
            "discount_rate": 0.03,
            "modes": {"corridor_hub": {"staff": {"expatriate": 3}}},
        }
    )
    table = site_mode_costs(ds, sample, assumptions=a)
    liberia = table[(table["site_id"] == "LBR-monrovia") & (table["mode"] == "corridor_hub")]
    assert liberia["annual_cost"].notna().all() and liberia["setup_cost"].isna().all()
    assert liberia["npv"].isna().all() and liberia["gap"].notna().all()
    pd.testing.assert_frame_equal(table, one_by_one(ds, sample, assumptions=a), check_exact=True)


def test_bad_options_name_the_field(ds):
    for options, field in (
        ({"headcount": 0}, "headcount"),
        ({"start_year": 1800}, "start_year"),
        ({"domestic_rd": -1}, "domestic_rd"),
    ):
        with pytest.raises(InputError) as err:
            site_mode_costs(ds, ["ESP-madrid"], **options)
        assert err.value.field == field
    with pytest.raises(InputError) as err:
        site_mode_costs(ds, pd.DataFrame({"site_id": ["x"]}))
    assert err.value.field == "sites"


def test_all_sites_and_modes_once_each(ds):
    """Every candidate site in every mode, once (its speed: benchmarks/vectorized.py)."""
    table = site_mode_costs(ds)
    modes = default_assumptions().modes
    assert len(table) == len(ds.sites) * len(modes)
    pairs = set(zip(table["site_id"], table["mode"], strict=True))
    assert pairs == {(site, mode) for site in ds.sites["site_id"] for mode in modes}
