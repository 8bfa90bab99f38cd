"""What an overseas innovation center costs, by site and mode, in US$ of a stated price year.

A center's cost is built from five parts:

* **staff**: headcount by role times a yearly employer cost per head;
* **office**: floor area (headcount times area per head) times a yearly rent per m²;
* **travel and exchange**: trips between Zhejiang and the host, visiting
  delegations, per head and year;
* **currency conversion**: a share of the money sent from China and spent in the
  host economy (salaries and rent), for conversion and hedging;
* **setup** (once): fit-out, equipment, legal and registration.

Two kinds of number enter, and every result says which is which.

**Data** (each with its year and source, from :func:`~oicplan.data.load_dataset`):
the host's and the reference economy's GDP per person employed
(``SL.GDP.PCAP.EM.KD``, constant 2021 PPP $), PPP conversion factor
(``PA.NUS.PPP``, LCU per international $) and official exchange rate
(``PA.NUS.FCRF``, LCU per US$).

**Assumptions** (:class:`CostAssumptions`, overridable from a YAML file with
:func:`load_assumptions`): the yearly cost per head of each role *in the
reference economy*, the headcount mix, office area and setup cost of each mode,
the reference rent, travel per head, the conversion share, the share of the cost
that is R&D for the super-deduction, the discount rate and the horizon. **These
are planning placeholders chosen for this tool, not sourced figures.** Replace
them with your own quotes before you rely on an amount.

Method (the same for every economy ``h``; ``ref`` is the reference economy,
the United States by default):

1. Price level ``p_h = PPP_h / XR_h``: what one international dollar of output
   costs in market US$. PPP factor and exchange rate are taken from the **same
   year** (the latest year that has both), so a new PPP estimate is not divided
   by an older exchange rate.
2. Labour productivity at market prices ``m_h = GDP per person employed_h × p_h``.
3. Salary factor ``s_h = (m_h / m_ref) ** elasticity`` (elasticity 1 by default:
   pay proportional to market-priced productivity). A role marked ``scaled:
   false`` (staff seconded from Zhejiang) keeps its reference cost.
4. Price-level factor ``q_h = p_h / p_ref`` scales the rent and the local share
   of the setup cost, unless the user gives the rent of the city.

The factors are ratios, so the amounts stay in US$ of the assumptions' price
year. A missing indicator makes the affected amounts, the totals and the NPV a
**gap** (None) with the reason; nothing is filled in.

After tax, the parent deducts the cost (ordinary deduction) and the R&D share
also earns China's super-deduction through :func:`~oicplan.finance.tax.after_tax_cost`.
The NPV discounts the yearly after-tax cost over the horizon (real terms: the
amounts stay in constant US$, so the discount rate is a real rate).

This module keeps the public names in one place; the code lives in
:mod:`oicplan.finance.assumptions` (the assumptions table and its file),
:mod:`oicplan.finance.prices` (price data, economy factors, sites),
:mod:`oicplan.finance.estimate` (one center) and :mod:`oicplan.finance.site_costs`
(every site and mode in one table).

>>> from oicplan.data import load_dataset
>>> est = estimate_cost(load_dataset(), "ESP-madrid", "offshore_incubator")
>>> est.currency, est.price_year, est.headcount, est.gap is None
('USD', 2024, 6, True)
>>> 0 < est.salary_factor < 1 and est.annual_cost > 0
True
"""

from __future__ import annotations

from oicplan.finance.assumptions import (
    CostAssumptions,
    ModeProfile,
    Role,
    assumptions_from_dict,
    default_assumptions,
    load_assumptions,
)
from oicplan.finance.estimate import CostEstimate, CostLine, check_mode, estimate_cost, staff_mix
from oicplan.finance.prices import (
    CURRENCY,
    EXCHANGE_RATE,
    GDP_PC_PPP,
    GDP_PC_USD,
    PPP_FACTOR,
    PRICE_LEVEL_TOLERANCE,
    PRODUCTIVITY,
    EconomyFactors,
    InputValue,
    PriceLevel,
    economy_factors,
    find_site,
    price_level,
)
from oicplan.finance.site_costs import site_mode_costs

__all__ = [
    "CURRENCY",
    "PRODUCTIVITY",
    "PPP_FACTOR",
    "EXCHANGE_RATE",
    "GDP_PC_USD",
    "GDP_PC_PPP",
    "Role",
    "ModeProfile",
    "CostAssumptions",
    "InputValue",
    "EconomyFactors",
    "CostLine",
    "CostEstimate",
    "default_assumptions",
    "assumptions_from_dict",
    "load_assumptions",
    "find_site",
    "check_mode",
    "staff_mix",
    "price_level",
    "PriceLevel",
    "PRICE_LEVEL_TOLERANCE",
    "economy_factors",
    "estimate_cost",
    "site_mode_costs",
]
