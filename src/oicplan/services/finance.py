"""Use cases of the money side: what a center costs, and what the R&D tax incentive is worth.

What ``oicplan cost`` and ``oicplan tax`` do. Results carry JSON-ready data;
``result.document()`` is what the command's ``--json`` option prints, and the
library objects behind a cost (:class:`~oicplan.finance.cost.CostEstimate`,
:class:`~oicplan.finance.cost.CostAssumptions`) ride along for printing, left out
of dumps.

>>> result = tax(TaxRequest(overseas_rd=100, domestic_rd=300))
>>> result.result["tax_saving"], result.comparison["extra_tax_saving"]
(20.0, 5.0)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.finance.tax import DEFAULT_START_YEAR
from oicplan.services._base import Request, Result

__all__ = [
    "AssumptionsNote",
    "CostAssumptionsRequest",
    "CostAssumptionsResult",
    "CostRequest",
    "CostResult",
    "TaxRequest",
    "TaxResult",
    "cost",
    "cost_assumptions",
    "tax",
]

_ASSUMPTIONS_NOTE = (
    "planning placeholders, not sourced figures; every input with "
    "kind 'assumption' comes from this table"
)


def _assumptions(file: Path | None, overrides: dict[str, Any] | None) -> Any:
    """The defaults, then the file's overrides, then the mapping's."""
    from oicplan.finance.assumptions import (
        assumptions_from_dict,
        default_assumptions,
        load_assumptions,
    )

    table = default_assumptions()
    if file is not None:
        table = load_assumptions(file, table)
    if overrides is not None:
        table = assumptions_from_dict(overrides, table)
    return table


# ------------------------------------------------------------------- assumptions


class CostAssumptionsRequest(Request):
    """The assumptions table, with an optional YAML file and mapping of overrides applied.

    ``assumptions`` has the layout of the file
    (:class:`~oicplan.finance.assumptions.AssumptionsFile`) and applies after it.
    """

    assumptions_file: Path | None = None
    assumptions: dict[str, Any] | None = None


class CostAssumptionsResult(Result):
    """The table as data (``table``), as commented YAML (``yaml``) and where it came from."""

    table: dict[str, Any]
    yaml: str
    origin: str
    cost_assumptions: Any = Field(default=None, exclude=True, repr=False)

    def document(self) -> dict[str, Any]:
        """The table in the layout an assumptions file uses."""
        return dict(self.table)


def cost_assumptions(request: CostAssumptionsRequest) -> CostAssumptionsResult:
    """The cost assumptions (planning placeholders, not data) after the overrides.

    What ``oicplan cost --show-assumptions`` prints.

    Parameters
    ----------
    request : CostAssumptionsRequest

    Returns
    -------
    CostAssumptionsResult

    Raises
    ------
    InputError
        An unreadable file or a bad value, naming the file and the field.

    Examples
    --------
    >>> r = cost_assumptions(CostAssumptionsRequest(assumptions={"horizon_years": 5}))
    >>> r.table["horizon_years"], r.origin, "NOT sourced" in r.yaml
    (5, 'built-in defaults', True)
    """
    table = _assumptions(request.assumptions_file, request.assumptions)
    return CostAssumptionsResult(
        table=table.to_dict(), yaml=table.to_yaml(), origin=table.origin, cost_assumptions=table
    )


# -------------------------------------------------------------------------- cost


class CostRequest(Request):
    """A center of ``mode`` at ``site``, its options, and the assumptions to price it with.

    ``site`` is a site id (``ESP-madrid``) or a site name; ``mode`` a center
    mode key. The other fields are those of
    :func:`~oicplan.finance.cost.estimate_cost` (``start_year`` is the first
    year of operation); ``assumptions_file`` and ``assumptions`` override the
    assumptions as in :class:`CostAssumptionsRequest`.
    """

    site: str | None = None
    mode: str | None = None
    headcount: int | None = None
    start_year: int = DEFAULT_START_YEAR
    rent_per_m2_year: float | None = None
    domestic_rd: float | None = None
    combined_declaration: bool = False
    high_tech: bool = False
    assumptions_file: Path | None = None
    assumptions: dict[str, Any] | None = None


class AssumptionsNote(Result):
    """Which assumptions a cost used: where the table came from and the parts read."""

    origin: str
    reference_iso3: str
    note: str = _ASSUMPTIONS_NOTE
    parts: tuple[str, ...]


class CostResult(Result):
    """The cost of one center: ``estimate`` is :meth:`CostEstimate.to_dict`.

    ``cost_estimate`` and ``cost_assumptions`` are the library objects behind
    it, for printing; they are not dumped.
    """

    estimate: dict[str, Any]
    assumptions: AssumptionsNote
    cost_estimate: Any = Field(default=None, exclude=True, repr=False)
    cost_assumptions: Any = Field(default=None, exclude=True, repr=False)

    def document(self) -> dict[str, Any]:
        """The document ``oicplan cost --json`` prints: the estimate and its assumptions."""
        return {**self.estimate, "assumptions": self.assumptions.model_dump(mode="json")}


def cost(request: CostRequest) -> CostResult:
    """What a center of a given mode costs at a given site, before and after tax.

    Staff by role, office rent, travel, currency conversion and the one-off
    setup, from the dataset's price data and the assumptions; then the cost
    after China's corporate income tax and its NPV (see
    :mod:`oicplan.finance.cost`).

    Parameters
    ----------
    request : CostRequest

    Returns
    -------
    CostResult

    Raises
    ------
    InputError
        Naming the field: ``site`` or ``mode`` missing or unknown, ``headcount``
        below 1, a negative ``rent_per_m2_year`` or ``domestic_rd``, a bad
        assumption (with the file).

    Examples
    --------
    >>> r = cost(CostRequest(site="ESP-madrid", mode="joint_lab"))
    >>> r.estimate["site_id"], r.estimate["headcount"], r.assumptions.origin
    ('ESP-madrid', 10, 'built-in defaults')
    """
    from oicplan.data.dataset import load_dataset
    from oicplan.finance.estimate import estimate_cost

    table = _assumptions(request.assumptions_file, request.assumptions)
    if not request.site:
        raise InputError("give a site id such as ESP-madrid or a site name", field="site")
    if not request.mode:
        raise InputError(f"give a mode, one of {', '.join(table.modes)}", field="mode")
    estimate = estimate_cost(
        load_dataset(),
        request.site,
        request.mode,
        headcount=request.headcount,
        start_year=request.start_year,
        assumptions=table,
        rent_per_m2_year=request.rent_per_m2_year,
        domestic_rd=request.domestic_rd,
        combined_declaration=request.combined_declaration,
        high_tech=request.high_tech,
    )
    note = AssumptionsNote(
        origin=table.origin,
        reference_iso3=table.reference_iso3,
        parts=tuple(sorted({i.name for i in estimate.inputs if i.kind == "assumption"})),
    )
    return CostResult(
        estimate=estimate.to_dict(),
        assumptions=note,
        cost_estimate=estimate,
        cost_assumptions=table,
    )


# --------------------------------------------------------------------------- tax


class TaxRequest(Request):
    """Overseas and domestic R&D of one year and the rules to apply.

    The fields are those of :func:`~oicplan.finance.tax.rd_tax_incentive`;
    ``policy_file`` is a CSV policy table replacing the built-in one
    (:func:`~oicplan.finance.tax.load_policy_table`).
    """

    overseas_rd: float
    domestic_rd: float
    policy_year: int = 2024
    combined_declaration: bool = False
    high_tech: bool = False
    manufacturing: bool = False
    policy_file: Path | None = None


_COMPARED = ("qualifying_overseas_rd", "additional_deduction", "tax_saving")


class TaxResult(Result):
    """The super-deduction under the chosen rule and both rules side by side.

    ``result`` is :meth:`oicplan.finance.tax.TaxResult.to_dict` for the rule
    asked for; ``comparison`` is
    :func:`~oicplan.finance.tax.compare_combined_declaration` (``current``,
    ``combined`` and the ``extra_*`` the proposal adds).
    """

    result: dict[str, Any]
    comparison: dict[str, Any]

    def document(self) -> dict[str, Any]:
        """The document ``oicplan tax --json`` prints: the result and a short comparison."""
        out = dict(self.result)
        out["comparison"] = {
            "current_rule": {k: self.comparison["current"][k] for k in _COMPARED},
            "combined_declaration": {k: self.comparison["combined"][k] for k in _COMPARED},
            "extra_tax_saving": self.comparison["extra_tax_saving"],
        }
        return out


def tax(request: TaxRequest) -> TaxResult:
    """What China's R&D super-deduction saves on an overseas center's R&D cost.

    Parameters
    ----------
    request : TaxRequest

    Returns
    -------
    TaxResult

    Raises
    ------
    InputError
        A negative or non-finite amount (field ``overseas_rd`` or
        ``domestic_rd``), a year before the policy table (``policy_year``) or a
        bad policy file (naming the file, row and field).

    Examples
    --------
    >>> r = tax(TaxRequest(overseas_rd=100, domestic_rd=60, combined_declaration=True))
    >>> r.result["qualifying_overseas_rd"], r.document()["comparison"]["current_rule"]["tax_saving"]
    (100.0, 10.0)
    """
    from oicplan.finance.tax import (
        compare_combined_declaration,
        load_policy_table,
        rd_tax_incentive,
    )

    policies = None if request.policy_file is None else load_policy_table(request.policy_file)
    result = rd_tax_incentive(
        request.overseas_rd,
        request.domestic_rd,
        combined_declaration=request.combined_declaration,
        policy_year=request.policy_year,
        high_tech=request.high_tech,
        manufacturing=request.manufacturing,
        policies=policies,
    )
    comparison = compare_combined_declaration(
        request.overseas_rd,
        request.domestic_rd,
        policy_year=request.policy_year,
        high_tech=request.high_tech,
        manufacturing=request.manufacturing,
        policies=policies,
    )
    return TaxResult(result=result.to_dict(), comparison=comparison)
