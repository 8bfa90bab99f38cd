"""Command ``oicplan cost``: what a center of a given mode costs at a given site.

The lead registers the plain function :func:`cost` on the main app with
``app.command("cost")(cost.cost)``.

>>> import json, typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> _ = app.command("cost")(cost)
>>> @app.callback()
... def main() -> None:
...     pass
>>> out = CliRunner().invoke(app, ["cost", "--site", "ESP-madrid", "--mode", "joint_lab", "--json"])
>>> data = json.loads(out.stdout)
>>> data["currency"], data["price_year"], data["headcount"]
('USD', 2024, 10)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from oicplan.cli.runtime import Table
from oicplan.errors import InputError
from oicplan.finance.tax import DEFAULT_START_YEAR

if TYPE_CHECKING:
    from oicplan.finance.cost import CostAssumptions, CostEstimate
    from oicplan.services.finance import CostRequest

__all__ = ["cost"]


def _join_paragraphs(text: str) -> str:
    """Unwrap each blank-line-separated paragraph into one line."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))


_HELP = _join_paragraphs(
    """
Estimate what an overseas innovation center costs at one candidate site: staff by role,
office rent, travel and exchange, currency conversion and the one-off setup, then the
cost after China's corporate income tax (ordinary deduction plus the R&D super-deduction)
and its net present value over the horizon. Amounts are in US$ of the price year of the
assumptions (2024 by default).

How salaries and rents follow the economy: the host's GDP per person employed (WDI, PPP $)
is converted to market US$ with its price level, PPP conversion factor / official exchange
rate of the same year, and compared with the reference economy (the United States); pay
scales with that ratio, rent and local setup costs with the price level. Every data value
is shown with its year and source.

The role costs, headcount mix, office area, rent, setup cost, travel, R&D share, discount
rate and horizon are ASSUMPTIONS (planning placeholders, not sourced figures). Print them
with --show-assumptions, copy to a file, edit, and pass --assumptions FILE.

A missing or inconsistent indicator makes the cost a gap with the reason, never a guess.

Examples: oicplan cost --site ESP-madrid --mode offshore_rd_center ;
oicplan cost --site "Sao Paulo" --mode joint_lab --headcount 6 --rent 250 --json ;
oicplan cost --show-assumptions > my.yaml

Modes: offshore_rd_center, offshore_incubator, joint_lab, zone_upgrade, corridor_hub.
Method and assumptions: docs/cost.md.
"""
)


def _money(value: float | None) -> str:
    return "gap" if value is None else f"{value:,.0f}"


def _render(est: CostEstimate, a: CostAssumptions, console: Console) -> None:
    title = (
        f"{est.mode} at {est.site_name} ({est.site_id}, {est.iso3}): "
        f"{est.headcount} staff, {est.currency} of {est.price_year}"
    )
    table = Table(title=title)
    for name, justify in (
        ("Part", "left"),
        ("Item", "left"),
        ("Quantity", "right"),
        ("Unit cost", "right"),
        ("Amount", "right"),
        ("Basis", "left"),
    ):
        table.add_column(name, justify=justify)
    for line in est.lines:
        quantity = "" if line.quantity is None else f"{line.quantity:,.0f} {line.unit}"
        unit_cost = "gap" if line.unit_cost is None else f"{line.unit_cost:,.2f}"
        if line.component == "currency" and line.unit_cost is not None:
            unit_cost = f"{line.unit_cost:.1%}"
        table.add_row(
            line.component,
            f"{line.item} ({line.timing})",
            quantity,
            unit_cost,
            _money(line.amount),
            line.basis,
        )
    console.print(table)
    console.print(f"Setup cost (once): {_money(est.setup_cost)}")
    console.print(f"Yearly cost: {_money(est.annual_cost)}")
    if est.after_tax is not None:
        after = est.after_tax
        console.print(
            f"After tax, a full year: {_money(after['net'][-1])} "
            f"(ordinary deduction {_money(after['ordinary_saving'][-1])}, "
            f"super-deduction {_money(after['incentive_saving'][-1])})"
        )
        console.print(
            f"NPV over {after['horizon_years']} years from {est.start_year} at "
            f"{after['discount_rate']:.1%} (real): {_money(est.npv_gross)} before tax, "
            f"{_money(est.npv)} after tax"
        )
    factor = "gap" if est.salary_factor is None else f"{est.salary_factor:.3f}"
    level = "gap" if est.price_level_factor is None else f"{est.price_level_factor:.3f}"
    console.print(f"Salary factor {factor}, price-level factor {level} (vs {a.reference_iso3})")
    data = Table(title="Data used (value, year, source)")
    for name in ("Input", "Value", "Unit", "Year", "Source"):
        data.add_column(name)
    for item in est.inputs:
        if item.kind not in ("data", "derived"):
            continue
        value = "missing" if item.value is None else f"{item.value:,.6g}"
        source = item.source or item.note
        data.add_row(item.name, value, item.unit, str(item.year or ""), source)
    console.print(data)
    for note in est.notes:
        console.print(f"Note: {note}")


def cost(
    site: str | None = typer.Option(
        None,
        "--site",
        help="Candidate site: a site_id such as ESP-madrid, or a site name (case and "
        "accents ignored). 'oicplan rank --json' lists the ids.",
    ),
    mode: str | None = typer.Option(
        None,
        "--mode",
        help="Center mode: offshore_rd_center, offshore_incubator, joint_lab, zone_upgrade "
        "or corridor_hub.",
    ),
    headcount: int | None = typer.Option(
        None,
        "--headcount",
        help="Total staff; the mode's role mix is scaled to it (default: the mode's own "
        "headcount, e.g. 25 for an R&D center, 6 for an incubator).",
    ),
    year: int = typer.Option(
        DEFAULT_START_YEAR,
        "--year",
        help="First year of operation; each year of the horizon uses that year's tax rules.",
    ),
    assumptions_file: Path | None = typer.Option(
        None,
        "--assumptions",
        help="YAML file overriding any assumption (start from --show-assumptions).",
    ),
    rent: float | None = typer.Option(
        None,
        "--rent",
        help="Office rent of this city in US$ per m² and year, instead of the reference "
        "rent scaled by the price level.",
    ),
    domestic_rd: float | None = typer.Option(
        None,
        "--domestic-rd",
        help="The parent's qualifying domestic R&D per year (US$); caps the super-deduction "
        "at two thirds. Default: assume the cap does not bind.",
    ),
    high_tech: bool = typer.Option(
        False, "--high-tech", help="Parent is a certified high-tech enterprise (15% tax)."
    ),
    combined_declaration: bool = typer.Option(
        False,
        "--combined-declaration",
        help="Apply the proposed combined declaration (overseas R&D counts in full).",
    ),
    show_assumptions: bool = typer.Option(
        False,
        "--show-assumptions",
        help="Print the assumptions table as YAML (with any --assumptions file applied) and stop.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    from oicplan.services.finance import (
        CostAssumptionsRequest,
        CostRequest,
        cost_assumptions,
    )
    from oicplan.services.finance import cost as cost_service

    if show_assumptions:
        shown = cost_assumptions(CostAssumptionsRequest(assumptions_file=assumptions_file))
        typer.echo(shown.yaml)
        return
    request = CostRequest(
        site=site or None,
        mode=mode or None,
        headcount=headcount,
        start_year=year,
        assumptions_file=assumptions_file,
        rent_per_m2_year=rent,
        domestic_rd=domestic_rd,
        combined_declaration=combined_declaration,
        high_tech=high_tech,
    )
    try:
        result = cost_service(request)
    except InputError as exc:
        translated = _with_flags(exc, request)
        if translated is exc:
            raise
        raise translated from None
    if as_json:
        typer.echo(json.dumps(result.document(), ensure_ascii=False, indent=2))
        return
    _render(result.cost_estimate, result.cost_assumptions, Console(width=140))


def _with_flags(exc: InputError, request: CostRequest) -> InputError:
    """A missing site or mode in the words of the command line (its options)."""
    if exc.field == "site" and not request.site:
        return InputError("give --site, e.g. --site ESP-madrid", field="site")
    if exc.field == "mode" and not request.mode:
        from oicplan.domain import MODE_KEYS

        return InputError(f"give --mode, one of {', '.join(MODE_KEYS)}", field="mode")
    return exc


# Typer reads the help from the docstring; the text lives in _HELP to keep it readable.
cost.__doc__ = _HELP
