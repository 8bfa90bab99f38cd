"""Money side of an overseas innovation center: cost by site and mode, R&D tax incentives, NPV.

>>> from oicplan.finance import rd_tax_incentive
>>> rd_tax_incentive(100, 300).tax_saving
20.0
"""

from oicplan.finance.cost import (
    CostAssumptions,
    CostEstimate,
    default_assumptions,
    economy_factors,
    estimate_cost,
    load_assumptions,
    site_mode_costs,
)
from oicplan.finance.tax import (
    POLICY_TABLE,
    AfterTaxCost,
    PolicyRow,
    TaxResult,
    after_tax_cost,
    compare_combined_declaration,
    load_policy_table,
    npv,
    policy_for_year,
    rd_tax_incentive,
)

__all__ = [
    "POLICY_TABLE",
    "AfterTaxCost",
    "CostAssumptions",
    "CostEstimate",
    "PolicyRow",
    "TaxResult",
    "after_tax_cost",
    "compare_combined_declaration",
    "default_assumptions",
    "economy_factors",
    "estimate_cost",
    "load_assumptions",
    "load_policy_table",
    "npv",
    "policy_for_year",
    "rd_tax_incentive",
    "site_mode_costs",
]
