"""``oicplan locate``: solve a classic facility-location model from CSV files.

The lead app registers the command with ``app.command("locate")(locate)``;
errors are raised as :class:`~oicplan.errors.OicplanError` subclasses, which the
main app prints as one line with exit code 2.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from oicplan.cli.runtime import Table
from oicplan.errors import InputError

if TYPE_CHECKING:
    from oicplan.optimize._base import LocationModel

__all__ = ["Model", "locate", "stop_reason"]


class Model(StrEnum):
    """Models the command can solve."""

    pmedian = "pmedian"
    mclp = "mclp"
    lscp = "lscp"
    pcenter = "pcenter"


_NEEDS = {
    Model.pmedian: ("p",),
    Model.mclp: ("p", "radius"),
    Model.lscp: ("radius",),
    Model.pcenter: ("p",),
}


def _split_ids(text: str | None) -> list[str]:
    return [] if not text else [t.strip() for t in text.split(",") if t.strip()]


def stop_reason(result: LocationModel, time_limit: float | None) -> str | None:
    """Why a run ended ``feasible`` rather than ``optimal`` (None when optimal).

    >>> from oicplan.optimize import PMedian
    >>> stop_reason(PMedian.from_cost_matrix([[1, 2]], p=1).solve(), None) is None
    True
    """
    if result.status != "feasible":
        return None
    if getattr(result, "stopped_by", None):
        return f"{result.stopped_by} reached"
    if getattr(result, "reduction", {}).get("skipped_mip"):
        return "model too large for HiGHS in bounded memory; Lagrangian bound"
    return "time limit reached" if time_limit is not None else "MIP gap reached"


def _print_summary(
    result: LocationModel, console: Console, time_limit: float | None = None
) -> None:
    head = (f"[bold]{result.model_name}[/bold]  status [bold]{result.status}[/bold]"
            f"  objective {result.objective:,.6g}  ({result.solve_seconds:.2f} s)")
    if result.status == "feasible":
        gap = "unknown" if result.gap is None else f"{result.gap:.2%}"
        head += f"  stopped: {stop_reason(result, time_limit)}, gap {gap}"
    console.print(head)
    if result.model_name == "MCLP":
        console.print(f"covered weight {result.covered_weight:,.6g}; "
                      f"{len(result.uncovered)} demand(s) uncovered")
    counts: dict[Any, list[float]] = {f: [0, 0.0] for f in result.facilities}
    weight = dict(zip(result.matrix.demand_ids, result.weights.tolist(), strict=True))
    for demand, facility in result.assignment.items():
        counts[facility][0] += 1
        counts[facility][1] += weight[demand]
    table = Table("facility", "demands served", "weight served")
    for facility, (k, w) in counts.items():
        table.add_row(str(facility), str(k), f"{w:,.6g}")
    console.print(table)


def locate(
    model: Model = typer.Argument(..., help="pmedian, mclp, lscp or pcenter."),
    costs: Path = typer.Option(
        ..., "--costs",
        help="CSV: header row of facility ids, first column of demand ids, costs >= 0.",
    ),
    demand_weights: Path | None = typer.Option(
        None, "--demand-weights", help="CSV with columns demand, weight (default: all 1)."
    ),
    p: int | None = typer.Option(None, "--p", help="Facilities to open (pmedian, mclp, pcenter)."),
    radius: float | None = typer.Option(
        None, "--radius", help="Coverage radius in cost units (mclp, lscp)."
    ),
    predefined: str | None = typer.Option(
        None, "--predefined", help="Comma-separated facility ids that must open."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds for the solver; stopped runs report 'feasible' + gap."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Choose facility locations with an exact model (solved by HiGHS).

    pmedian: where should p facilities go so that the total weighted cost from
    each demand to its nearest open facility is smallest? Needs --p.

    mclp: which p facilities cover the most demand weight within --radius?
    Needs --p and --radius.

    lscp: what is the smallest number of facilities so that every demand is
    within --radius of one? Needs --radius.

    pcenter: where should p facilities go so that the worst cost of any demand
    to its nearest open facility is smallest? Needs --p.

    Example (the files of docs/locate.md): oicplan locate pmedian --costs costs.csv
    --demand-weights weights.csv --p 2 --predefined Hangzhou --json
    """
    from oicplan.services.optimize import LocateRequest
    from oicplan.services.optimize import locate as solve_location

    given = {"p": p, "radius": radius}
    for name in _NEEDS[model]:
        if given[name] is None:
            raise InputError(f"{model.value} needs --{name}", field=name)
    for name, value in given.items():
        if value is not None and name not in _NEEDS[model]:
            raise InputError(f"{model.value} does not use --{name}", field=name)
    solved = solve_location(LocateRequest(
        model=model.value, costs=costs, demand_weights=demand_weights, p=p, radius=radius,
        predefined=_split_ids(predefined), time_limit=time_limit,
    ))
    result = solved.solved
    if json_out:
        typer.echo(json.dumps(solved.document, ensure_ascii=False))
    else:
        _print_summary(result, Console(), time_limit)
