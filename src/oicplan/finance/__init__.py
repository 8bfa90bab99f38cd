"""Money side of an overseas innovation center: R&D tax incentives, NPV, after-tax cost.

>>> from oicplan.finance import rd_tax_incentive
>>> rd_tax_incentive(100, 300).tax_saving
20.0
"""

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
    "PolicyRow",
    "TaxResult",
    "after_tax_cost",
    "compare_combined_declaration",
    "load_policy_table",
    "npv",
    "policy_for_year",
    "rd_tax_incentive",
]
