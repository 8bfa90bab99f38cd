"""Command-line front end for transport access, corridors and disruptions.

Plain command functions for the main application to register; each parses its
options, builds a request, calls :mod:`oicplan.services.transport` and prints:

* :func:`access` - ``oicplan access --from Yiwu --to Madrid``: the best route
  from a hub of the scenario (``--scenario``, default zhejiang) to a candidate
  site, by one mode or the best one, with closures (``--avoid suez,alashankou``).
* :func:`corridors` - ``oicplan corridors``: the rail routes and sea lanes from the
  scenario's hubs, their nodes and the sites each serves.
* :func:`disrupt_command` - ``oicplan disrupt --avoid suez``: access, rank and plan
  changes under closures.

Bad input raises :class:`oicplan.errors.InputError`; the main application turns
it into one line and exit code 2.

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> _ = app.command("access")(access)
>>> _ = app.command("corridors")(corridors)
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from oicplan.cli.runtime import AVOID_HELP, SCENARIO_HELP, Table, print_json, steps
from oicplan.errors import InputError
from oicplan.geo.assumptions import MODES
from oicplan.geo.crossings import BORDER_CROSSINGS
from oicplan.geo.sea import PASSAGES

__all__ = ["access", "corridors"]

_MODE_CHOICES = (*MODES, "best")
_AVOID_HELP = (
    "Comma-separated closures. Sea passages: "
    + ", ".join(PASSAGES)
    + ". Border crossings: "
    + ", ".join(BORDER_CROSSINGS)
    + " (altynkol = khorgos). Rail segments: a route or two nodes joined by a dash, "
    "e.g. Yiwu-Madrid or Yiwu-Alashankou."
)


def _graph(scenario: str = "zhejiang"):
    """Build the scenario's transport graph once, with a spinner when it is not cached."""
    from oicplan.geo.graph import graph_is_cached
    from oicplan.scenario import load_scenario
    from oicplan.services.transport import scenario_graph

    if graph_is_cached(load_scenario(scenario).hubs):
        return scenario_graph(scenario)
    with Console(stderr=True).status(
        "building the transport graph (sea routes for every site; cached afterwards)"
    ):
        return scenario_graph(scenario)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


_TRANSPORT_SCENARIO_HELP = (
    "Scenario whose hubs (and their modes) the routes start from: a built-in name or a "
    "YAML file."
)


def _number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def access(
    from_: str = typer.Option(
        ..., "--from",
        help="Home hub: Hangzhou, Ningbo-Zhoushan (or Ningbo), Yiwu, Jinhua or Wenzhou "
             "(zhejiang), or a hub of --scenario.",
    ),
    to: str = typer.Option(
        ..., "--to",
        help="Candidate site: its name (Madrid, Liège or Liege) or site_id (ESP-madrid). "
             "Case and accents are ignored; a name shared by several sites needs the site_id.",
    ),
    mode: str = typer.Option(
        "best", "--mode",
        help="rail, sea or air (that mode plus truck feeders, last legs and transfers), or "
             "best (the mode with the lowest total of --by).",
    ),
    avoid: str = typer.Option(None, "--avoid", help=_AVOID_HELP),
    by: str = typer.Option(
        "cost", "--by",
        help="What 'best' minimizes: cost (the cost index of docs/transport.md), days or km.",
    ),
    json_out: bool = typer.Option(
        False, "--json",
        help='Print {"from", "to", "mode", "km", "days", "path", ...} as JSON; path is the '
             'list of {"node", "mode"} steps (mode = how the step is reached).',
    ),
    scenario: str = typer.Option("zhejiang", "--scenario", help=_TRANSPORT_SCENARIO_HELP),
) -> None:
    """How a Zhejiang hub reaches a candidate site: km, days and the path.

    Rail uses the published Yiwu/Jinhua China–Europe figures where they exist
    (Yiwu–Madrid: 13,052 km, 21 days) and flags estimates where they do not; sea
    runs from Ningbo-Zhoushan through the searoute shipping lanes; air flies
    from Hangzhou or Ningbo. A closure with --avoid shows what a disruption does.

    Examples:

      oicplan access --from Yiwu --to Madrid --mode rail

      oicplan access --from Ningbo --to ESP-valencia --mode sea --avoid suez

      oicplan access --from Hangzhou --to ESP-madrid --by days --json

    With --scenario, the hubs and their modes (air, sea, rail) are the scenario's:

      oicplan access --scenario rail_corridor --from Jinhua --to Tashkent --mode rail
    """
    mode = mode.strip().lower()
    if mode not in _MODE_CHOICES:
        raise InputError(f"unknown mode {mode!r}; use one of {', '.join(_MODE_CHOICES)}",
                         field="mode")
    from oicplan.services.transport import AccessRequest
    from oicplan.services.transport import access as access_service

    _graph(scenario)
    result = access_service(AccessRequest(
        origin=from_, to=to, mode=mode, weight=by, avoid=_split(avoid), scenario=scenario))
    route = result.route_object
    if json_out:
        typer.echo(json.dumps(result.route, ensure_ascii=False))
        return
    console = Console()
    flag = "estimated" if route.estimated else "published"
    corridor = route.rail_route or route.sea_lane
    console.print(
        f"[bold]{route.source} → {route.target}[/] by {route.mode}: "
        f"{_number(route.km)} km, {_number(route.days, 1)} days, cost index "
        f"{_number(route.cost)} ({flag})" + (f", corridor {corridor}" if corridor else ""),
        highlight=False,
    )
    table = Table(show_header=True)
    for column in ("Node", "Reached by", "km", "days", ""):
        table.add_column(column, justify="right" if column in ("km", "days") else "left")
    for step in route.steps:
        if step["mode"] is None:
            table.add_row(step["node"], "start", "", "", "")
            continue
        table.add_row(step["node"], step["mode"], _number(step["km"]),
                      _number(step["days"], 1), "estimated" if step["estimated"] else "")
    console.print(table)


def corridors(
    avoid: str = typer.Option(None, "--avoid", help=_AVOID_HELP),
    json_out: bool = typer.Option(
        False, "--json",
        help='Print a list of {"corridor", "mode", "nodes", "sites", ...} as JSON.',
    ),
    scenario: str = typer.Option("zhejiang", "--scenario", help=_TRANSPORT_SCENARIO_HELP),
) -> None:
    """The transport corridors: each rail route and sea lane, its nodes and the sites it serves.

    A rail route runs from Yiwu or Jinhua through its border crossing (where the
    source names one) to its terminal; a sea lane is named after the passages its
    ships cross from Ningbo-Zhoushan (e.g. Malacca–Bab-el-Mandeb–Suez). A site
    belongs to the corridor of its best rail route and of its best sea route.

    Examples:

      oicplan corridors

      oicplan corridors --avoid suez --json

      oicplan corridors --scenario rail_corridor
    """
    from oicplan.services.transport import CorridorsRequest
    from oicplan.services.transport import corridors as corridors_service

    _graph(scenario)
    result = corridors_service(CorridorsRequest(avoid=_split(avoid), scenario=scenario))
    items = result.corridors
    if json_out:
        typer.echo(json.dumps(items, ensure_ascii=False))
        return
    table = Table(title=f"Transport corridors from {result.home_region}")
    for column in ("Corridor", "Mode", "Nodes", "km", "days", "Ports", "Sites served"):
        table.add_column(column, justify="right" if column in ("km", "days") else "left")
    for item in items:
        rail = item["mode"] == "rail"
        table.add_row(
            item["corridor"], item["mode"], " → ".join(item["nodes"]),
            _number(item["km"]) + (" (est.)" if item.get("estimated") else "") if rail else "",
            _number(item["days"], 1) if rail else "",
            "" if rail else str(len(item["ports"])),
            str(len(item["sites"])),
        )
    Console().print(table)


def disrupt_command(
    avoid: Annotated[str, typer.Option(help=AVOID_HELP)],
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
    top: Annotated[int, typer.Option(min=1, help="Rows to show of each list.")] = 15,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What closing a corridor does: access lost or slower, rank changes, plan changes.

    Plans the scenario with and without the closures and compares them. Example:
    oicplan disrupt --avoid suez,bab-el-mandeb   or   oicplan disrupt --avoid alashankou
    """
    from oicplan.services.transport import DisruptionRequest, disruption

    console = Console()
    names = [name.strip() for name in avoid.split(",") if name.strip()]
    with steps() as progress:
        progress.add_task("planning with and without the closures", total=None)
        document = disruption(DisruptionRequest(avoid=names, scenario=scenario, top=top)).document
    if json_output:
        print_json(document)
        return
    console.print(f"closed: {', '.join(names)}; access changes: {document['access_changes']}")
    table = Table(title="candidate sites hit")
    for column in ("site", "change", "days before", "days after", "corridor after"):
        table.add_column(column)
    for row in document["sites_hit"]:
        table.add_row(
            row["site_id"],
            row["change"],
            str(row["days_before"]),
            str(row["days_after"]),
            str(row["corridor_after"] or "—"),
        )
    console.print(table)
    for row in document["rank_changes"]:
        console.print(f"  {row['site_id']}: rank {row['rank_before']} → {row['rank_after']}")
    console.print(
        f"plan: entering {document['plan_entering'] or '—'}; "
        f"leaving {document['plan_leaving'] or '—'}"
    )
