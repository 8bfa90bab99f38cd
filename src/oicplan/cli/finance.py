"""Command ``oicplan tax``: what China's R&D super-deduction is worth for an overseas center.

The lead registers the plain function :func:`tax` on the main app with
``app.command("tax")(finance.tax)``.

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> _ = app.command("tax")(tax)
>>> @app.callback()
... def main() -> None:
...     pass
>>> out = CliRunner().invoke(app, ["tax", "--overseas-rd", "100", "--domestic-rd", "300", "--json"])
>>> import json; json.loads(out.stdout)["tax_saving"]
20.0
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from oicplan.cli.runtime import Table

__all__ = ["tax"]


def _join_paragraphs(text: str) -> str:
    """Unwrap each blank-line-separated paragraph into one line."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))


# One line per paragraph: Typer's rich help keeps single newlines, so the
# paragraphs are joined here and wrapped by the terminal.
_HELP = _join_paragraphs(
    """
Estimate the corporate-income-tax saving from China's R&D super-deduction on the R&D
cost of an overseas innovation center commissioned by a Zhejiang enterprise.

How it works (policy year 2023 onwards): 80% of the overseas R&D cost counts, but no
more than two thirds of the enterprise's qualifying domestic R&D; the enterprise then
deducts an ADDITIONAL 100% of the counted amount, which saves that amount times the tax
rate (25%, or 15% for high-tech enterprises).

The additional deduction and the tax saving refer to the overseas R&D only. The domestic
R&D sets the cap; its own deduction is shown separately for reference.

--combined-declaration models the proposal of a combined tax declaration of the overseas
institution and its parent: the overseas cost counts in full, with no 80% factor and no
cap. The table always shows both rules side by side.

Example: overseas 100 and domestic 300 in 2024 give 80 qualifying, an additional
deduction of 80 and a tax saving of 20, all in the unit you use (e.g. CNY 10k):
oicplan tax --overseas-rd 100 --domestic-rd 300

Amounts must be zero or positive. Results assume enough taxable profit to use the
deduction in the same year. Rates and the documents behind them: docs/tax.md.
"""
)

_ROWS = (
    ("overseas_rd", "Overseas R&D cost"),
    ("overseas_share", "Share that counts"),
    ("cap", "Cap (2/3 of domestic R&D)"),
    ("qualifying_overseas_rd", "Qualifying overseas R&D"),
    ("deduction_rate", "Additional deduction rate"),
    ("additional_deduction", "Additional deduction (overseas)"),
    ("tax_rate", "Corporate income tax rate"),
    ("tax_saving", "Tax saving (overseas)"),
)


def _fmt(key: str, value: object) -> str:
    if value is None:
        return "no cap"
    if key in ("overseas_share", "deduction_rate", "tax_rate"):
        return f"{float(value):.0%}"
    return f"{float(value):,.2f}"


def _render(result: dict, comparison: dict, console: Console) -> None:
    current, combined = comparison["current"], comparison["combined"]
    chosen = "combined declaration" if result["combined_declaration"] else "current rule"
    table = Table(
        title=f"R&D super-deduction, policy year {result['policy_year']} (result: {chosen})"
    )
    table.add_column("")
    table.add_column("Current rule", justify="right")
    table.add_column("Combined declaration (proposal)", justify="right")
    table.add_column("Difference", justify="right")
    for key, label in _ROWS:
        a, b = current[key], combined[key]
        diff = ""
        if key in ("qualifying_overseas_rd", "additional_deduction", "tax_saving"):
            diff = f"{b - a:+,.2f}"
        table.add_row(label, _fmt(key, a), _fmt(key, b), diff)
    console.print(table)
    if current["capped"]:
        console.print("The two-thirds cap binds under the current rule.")
    console.print(
        f"Domestic R&D {result['domestic_rd']:,.2f}: its own additional deduction "
        f"{result['domestic_additional_deduction']:,.2f} saves "
        f"{result['domestic_tax_saving']:,.2f} (not included above)."
    )
    console.print(f"Policy: {current['policy']}")


def tax(
    overseas_rd: float = typer.Option(
        ...,
        "--overseas-rd",
        help="R&D cost of the overseas institution in the year, e.g. 100 (CNY 10k).",
    ),
    domestic_rd: float = typer.Option(
        ...,
        "--domestic-rd",
        help="The enterprise's qualifying domestic R&D expenses in the same year; "
        "sets the cap of two thirds.",
    ),
    policy_year: int = typer.Option(
        2024,
        "--policy-year",
        help="Tax year whose rules apply: 50% from 2008, 75% from 2018, 100% for "
        "manufacturing from 2021 and for all from 2023.",
    ),
    combined_declaration: bool = typer.Option(
        False,
        "--combined-declaration",
        help="Use the proposed combined declaration (overseas cost counts in full).",
    ),
    high_tech: bool = typer.Option(
        False, "--high-tech", help="Certified high-tech enterprise: 15% tax instead of 25%."
    ),
    manufacturing: bool = typer.Option(
        False,
        "--manufacturing",
        help="Manufacturing enterprise (100% additional rate already in 2021-2022).",
    ),
    policy_file: Path | None = typer.Option(
        None,
        "--policy-file",
        help="CSV with your own policy table (columns as in docs/tax.md) instead of "
        "the built-in one.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    from oicplan.services.finance import TaxRequest
    from oicplan.services.finance import tax as tax_service

    outcome = tax_service(
        TaxRequest(
            overseas_rd=overseas_rd,
            domestic_rd=domestic_rd,
            policy_year=policy_year,
            combined_declaration=combined_declaration,
            high_tech=high_tech,
            manufacturing=manufacturing,
            policy_file=policy_file,
        )
    )
    if as_json:
        typer.echo(json.dumps(outcome.document(), ensure_ascii=False, indent=2))
        return
    _render(outcome.result, outcome.comparison, Console())


# Typer reads the help from the docstring; the text lives in _HELP to keep it readable.
tax.__doc__ = _HELP
