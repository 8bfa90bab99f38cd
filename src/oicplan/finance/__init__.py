"""Money side of an overseas innovation center: cost by site and mode, R&D tax incentives, NPV.

>>> from oicplan.finance import rd_tax_incentive
>>> rd_tax_incentive(100, 300).tax_saving
20.0
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it (imported on first use).
_EXPORTS = {
    "CostAssumptions": "oicplan.finance.assumptions",
    "CostEstimate": "oicplan.finance.estimate",
    "default_assumptions": "oicplan.finance.assumptions",
    "economy_factors": "oicplan.finance.prices",
    "estimate_cost": "oicplan.finance.estimate",
    "load_assumptions": "oicplan.finance.assumptions",
    "site_mode_costs": "oicplan.finance.site_costs",
    "AfterTaxCost": "oicplan.finance.tax",
    "DEFAULT_START_YEAR": "oicplan.finance.tax",
    "POLICY_TABLE": "oicplan.finance.tax",
    "PolicyRow": "oicplan.finance.tax",
    "TaxResult": "oicplan.finance.tax",
    "after_tax_cost": "oicplan.finance.tax",
    "compare_combined_declaration": "oicplan.finance.tax",
    "load_policy_table": "oicplan.finance.tax",
    "npv": "oicplan.finance.tax",
    "policy_for_year": "oicplan.finance.tax",
    "rd_tax_incentive": "oicplan.finance.tax",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
