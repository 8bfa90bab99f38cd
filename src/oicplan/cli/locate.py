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
from rich.table import Table

from oicplan.errors import InputError

if TYPE_CHECKING:
    from oicplan.optimize._base import LocationModel

__all__ = ["Model", "locate", "run_locate"]


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


def run_locate(
    model: Model | str,
    costs: Path,
    demand_weights: Path | None = None,
    p: int | None = None,
    radius: float | None = None,
    predefined: str | None = None,
    time_limit: float | None = None,
) -> LocationModel:
    """Read the files, build and solve ``model``; return the solved model.

    >>> import os, tempfile
    >>> c = os.path.join(tempfile.mkdtemp(), "c.csv")
    >>> _ = open(c, "w").write("demand,F1,F2\\nd1,1,5\\nd2,4,1\\nd3,2,6\\n")
    >>> run_locate("pmedian", c, p=1).facilities
    ['F1']
    """
    from oicplan.optimize import LSCP, MCLP, PCenter, PMedian, read_costs, read_weights

    model = Model(model)
    given = {"p": p, "radius": radius}
    for name in _NEEDS[model]:
        if given[name] is None:
            raise InputError(f"{model.value} needs --{name}", field=name)
    for name, value in given.items():
        if value is not None and name not in _NEEDS[model]:
            raise InputError(f"{model.value} does not use --{name}", field=name)
    matrix = read_costs(costs)
    weights = None if demand_weights is None else read_weights(demand_weights, matrix)
    pre = _split_ids(predefined)
    if model is Model.pmedian:
        built: LocationModel = PMedian.from_cost_matrix(matrix, weights, p=p, predefined=pre)
    elif model is Model.mclp:
        built = MCLP.from_cost_matrix(matrix, weights, p=p, radius=radius, predefined=pre)
    elif model is Model.lscp:
        built = LSCP.from_cost_matrix(matrix, weights, radius=radius, predefined=pre)
    else:
        built = PCenter.from_cost_matrix(matrix, weights, p=p, predefined=pre)
    return built.solve(time_limit=time_limit)


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

    Example: oicplan locate pmedian --costs costs.csv --demand-weights w.csv
    --p 3 --predefined HZ --json
    """
    result = run_locate(model, costs, demand_weights, p, radius, predefined, time_limit)
    if json_out:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_summary(result, Console(), time_limit)
