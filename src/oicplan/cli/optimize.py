"""``oicplan optimize``: the exact layout model for a scenario (sites, modes, years).

The lead app registers the command with ``app.command("optimize")(optimize)``;
errors are raised as :class:`~oicplan.errors.OicplanError` subclasses (an
infeasible request names the constraint groups that conflict), which the main
app prints as one line with exit code 2.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from oicplan.cli.runtime import AVOID_HELP, Table, working
from oicplan.errors import InputError

__all__ = ["Against", "optimize", "parse_minimums"]


class Against(StrEnum):
    """What benefit is traded against on the Pareto frontier."""

    cost = "cost"
    risk = "risk"


def parse_minimums(text: str, option: str) -> int | dict[str, int]:
    """Read ``--min-per-strategy`` / ``--min-per-region``: ``N`` or ``NAME=N;NAME=N``.

    Pairs are separated by ``;`` (or ``,`` when no name contains a comma); a
    bad count is an :class:`InputError` naming the option.

    >>> parse_minimums("2", "min-per-strategy")
    2
    >>> parse_minimums("rail_corridor=2, zone_upgrade=2;st_leader=3", "min-per-strategy")
    {'rail_corridor': 2, 'zone_upgrade': 2, 'st_leader': 3}
    >>> parse_minimums("Europe & Central Asia=2", "min-per-region")
    {'Europe & Central Asia': 2}
    """

    def count(raw: str, name: str = "") -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            value = -1
        if value < 0:
            what = f" for {name!r}" if name else ""
            raise InputError(
                f"--{option}: the count{what} must be a whole number >= 0, got {raw.strip()!r}",
                field=option,
            )
        return value

    text = text.strip()
    if "=" not in text:
        return count(text)
    pairs: dict[str, int] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        if not sep or not name.strip():
            raise InputError(
                f"--{option}: expected NAME=N, got {part.strip()!r}", field=option
            )
        pairs[name.strip()] = count(raw, name.strip())
    return pairs


def _print_summary(out: dict[str, Any], console: Console) -> None:
    head = (
        f"[bold]layout[/bold] {out['scenario']}  status [bold]{out['status']}[/bold]"
        f"  objective {out['objective']:,.6g}  cost {out['cost']:,.6g}"
        f"  ({out['solve_seconds']:.2f} s)"
    )
    if out["status"] == "feasible" and out.get("gap") is not None:
        head += f"  gap {out['gap']:.2%}"
    console.print(head)
    table = Table("site", "name", "iso3", "mode", "year", "existing")
    for s in out["chosen"]:
        year = "" if s["year"] is None else str(s["year"])
        table.add_row(
            str(s["site_id"]), s["name"], s["iso3"], s["mode"], year, "yes" if s["existing"] else ""
        )
    console.print(table)
    if "pareto" in out:
        against = out["pareto"][0]["against"] if out["pareto"] else "cost"
        front = Table("epsilon", against, "benefit", "centers", "status")
        for row in out["pareto"]:
            front.add_row(
                f"{row['epsilon']:,.4g}",
                f"{row[against]:,.4g}",
                f"{row['benefit']:,.6g}",
                str(row["centers"]),
                row["status"],
            )
        console.print(front)
    for line in out["assumptions"]:
        console.print(f"[yellow]assumption:[/yellow] {line}")


def optimize(
    scenario: str = typer.Option(
        "zhejiang", "--scenario", help="Built-in scenario name or a scenario .yaml file."
    ),
    max_centers: int | None = typer.Option(
        None, "--max-centers", help="New centers to open (default: the scenario's 'centers')."
    ),
    budget: float | None = typer.Option(
        None,
        "--budget",
        help="Total budget over the plan, US$ million (the cost model's unit, as in --costs).",
    ),
    horizon: int | None = typer.Option(
        None, "--horizon", help="Plan years: phase the openings over this many years."
    ),
    annual_budget: float | None = typer.Option(
        None, "--annual-budget", help="Budget of every plan year (needs --horizon)."
    ),
    costs: Path | None = typer.Option(
        None,
        "--costs",
        help="CSV with site_id, mode, setup_cost, annual_cost (default: oicplan's cost model, "
        "US$ million; see oicplan cost).",
    ),
    pareto: bool = typer.Option(False, "--pareto", help="Also trace benefit against cost."),
    against: Against = typer.Option(
        Against.cost, "--against", help="Pareto trade-off against cost or risk."
    ),
    points: int = typer.Option(7, "--points", help="Number of epsilon caps on the frontier."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write the Pareto chart as SVG (needs --pareto)."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds per solve; stopped runs report 'feasible' + gap."
    ),
    mip_gap: float | None = typer.Option(
        None, "--mip-gap", help="Relative MIP gap at which the solver may stop."
    ),
    first_year: int | None = typer.Option(
        None, "--first-year", help="Calendar year of plan year 1 (labels only)."
    ),
    min_per_strategy: str | None = typer.Option(
        None,
        "--min-per-strategy",
        help="At least N centers per layout strategy: 'N' for every strategy, or per "
        "strategy 'rail_corridor=2;zone_upgrade=2;st_leader=3' (others need none). "
        "Default: the scenario's selection.min_per_strategy.",
    ),
    min_per_region: str | None = typer.Option(
        None,
        "--min-per-region",
        help="At least N centers per continent or World Bank region, e.g. "
        "'Europe=3;Africa=1' or 'Europe & Central Asia=2'. Default: the scenario's "
        "selection.min_per_region.",
    ),
    per_country_cap: int | None = typer.Option(
        None, "--per-country-cap", help="Most centers in one country (default: the scenario's)."
    ),
    max_mean_risk: float | None = typer.Option(
        None, "--max-mean-risk",
        help="Cap on the mean risk pillar score of the open centers (0-1; higher = riskier).",
    ),
    max_total_risk: float | None = typer.Option(
        None, "--max-total-risk", help="Cap on the summed risk pillar score of the open centers.",
    ),
    enterprises: str | None = typer.Option(
        None, "--enterprises",
        help="Serve enterprises instead of the industries: 'sample' (the labelled SYNTHETIC "
        "sample), 'stored' (the last 'oicplan enterprises import') or a CSV/XLSX file.",
    ),
    capacity: str | None = typer.Option(
        None, "--capacity",
        help="Most demands one center serves (enterprises with --enterprises, else "
        "industries): 'N' for every mode or 'joint_lab=50;offshore_incubator=80'.",
    ),
    avoid: str | None = typer.Option(None, "--avoid", help=AVOID_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Choose sites, center modes and opening years with an exact model (HiGHS).

    Every home industry is served by its best-matching open center; open
    centers also earn their ranking score. Limits: number of centers, budget,
    the per-country cap, at least N centers per layout strategy and region,
    existing centers kept open. Costs come from oicplan's cost model and the match
    from oicplan match (host strengths are proxies); every assumption is listed.

    Example: oicplan optimize --scenario zhejiang --max-centers 10 --budget 300
    --horizon 5 --annual-budget 120 --pareto --json

    The paper's example mix (at least 2 along the Yiwu rail corridor, 2 zone
    upgrades, 3 in S&T-leader economies): oicplan optimize --min-per-strategy
    "rail_corridor=2;zone_upgrade=2;st_leader=3"
    """
    from oicplan.cli._flags import as_flag_error
    from oicplan.services.optimize import OptimizeRequest
    from oicplan.services.optimize import optimize as optimize_layout

    request = OptimizeRequest(
        scenario=scenario,
        avoid=[name.strip() for name in (avoid or "").split(",") if name.strip()],
        max_centers=max_centers,
        budget=budget,
        horizon=horizon,
        annual_budget=annual_budget,
        costs=costs,
        pareto=pareto,
        against=against.value,
        points=points,
        chart=chart,
        time_limit=time_limit,
        mip_gap=mip_gap,
        first_year=first_year,
        min_per_strategy=None if min_per_strategy is None
        else parse_minimums(min_per_strategy, "min-per-strategy"),
        min_per_region=None if min_per_region is None else _region_minimums(min_per_region),
        per_country_cap=per_country_cap,
        max_mean_risk=max_mean_risk,
        max_total_risk=max_total_risk,
        enterprises=enterprises,
        capacity=None if capacity is None else parse_minimums(capacity, "capacity"),
    )
    try:
        out = optimize_layout(request, step=working).document
    except InputError as error:
        raise as_flag_error(error, _FLAGS) from None
    if json_out:
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        _print_summary(out, Console())


#: Request fields the command's messages name by their option.
_FLAGS = {
    name: name.replace("_", "-")
    for name in ("avoid", "max_centers", "horizon", "annual_budget", "chart", "pareto", "points",
                 "per_country_cap", "min_per_strategy", "max_mean_risk", "max_total_risk",
                 "capacity")
}


def _region_minimums(text: str) -> dict[str, int]:
    parsed = parse_minimums(text, "min-per-region")
    if isinstance(parsed, int):
        raise InputError(
            f"--min-per-region needs REGION=N pairs such as 'Europe=2', got {text!r}",
            field="min-per-region",
        )
    return parsed
