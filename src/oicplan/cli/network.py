"""Command ``oicplan network``: the innovation network of enterprises, centers and partners.

The lead registers the plain function :func:`network` with
``app.command("network")(network.network)``. It prints a user error as one
line and exits with code 2 on its own.

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> _ = app.command("network")(network)
>>> @app.callback()
... def main() -> None:
...     pass
>>> CliRunner().invoke(app, ["network", "--help"]).exit_code
0
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from oicplan.cli.runtime import Table, working

__all__ = ["network"]


def _print(net, top: int) -> None:
    console = Console(width=140)
    if net.synthetic:
        from oicplan.match.enterprises import SYNTHETIC_NOTE

        console.print(f"[bold yellow]{SYNTHETIC_NOTE}[/]")
    m = net.measures()
    counts = ", ".join(f"{kind} {n}" for kind, n in m["counts"].items())
    console.print(f"Nodes: {counts}")
    two_mode = m["bipartite_density"]
    console.print(
        f"Actor graph: {m['nodes']} nodes, {m['edges']} ties, density {m['density']:.5f}"
        + ("" if two_mode is None else f", enterprise–center density {two_mode:.4f}")
    )
    sizes = m["components"]["sizes"]
    console.print(
        f"Components: {len(sizes)} (largest {m['components']['largest']}, "
        f"isolated {m['components']['isolated']}); sizes {sizes[:12]}"
        + (" ..." if len(sizes) > 12 else "")
    )
    brokers = Table(title=f"Top {top} brokers (betweenness; ties by degree)")
    for name in ("Id", "Name", "Kind", "Betweenness", "Degree"):
        brokers.add_column(name)
    for b in net.brokers(top):
        brokers.add_row(b["id"], b["name"], b["kind"], f"{b['betweenness']:.4f}", str(b["degree"]))
    console.print(brokers)
    links = Table(title=f"Suggested links (first {top})")
    for name in ("Enterprise", "Industry", "Center", "Match", "Seats left", "Why"):
        links.add_column(name)
    for s in net.suggest_links(top):
        links.add_row(
            s["enterprise_name"],
            s["industry"],
            s["center_name"],
            "" if s["match"] is None else f"{s['match']:.3f}",
            "" if s["capacity_left"] is None else str(s["capacity_left"]),
            s["reason"],
        )
    console.print(links)
    for gap in net.gaps:
        console.print(f"Gap: {gap}")
    for note in net.notes:
        console.print(f"Note: {note}")


def network(
    scenario: str = typer.Option(
        "zhejiang",
        "--scenario",
        help="Scenario whose plan gives the planned centers (and the match preset).",
    ),
    enterprises: Path | None = typer.Option(
        None,
        "--enterprises",
        help="Enterprise file (CSV/XLSX: name, industry, size, home_city, ...; docs/match.md). "
        "Default: the list stored by 'oicplan enterprises import'.",
    ),
    sample: bool = typer.Option(
        False, "--sample", help="Use the SYNTHETIC illustrative sample (4,119 invented rows)."
    ),
    limit: int | None = typer.Option(
        None, "--limit", help="Use only the first N enterprises (a quick look)."
    ),
    nodes: Path | None = typer.Option(
        None,
        "--nodes",
        help="Your actors (CSV/XLSX: id, kind, name, iso3, city, industries, fields, "
        "service_type): universities, institutes, law/IP/finance/incubator services.",
    ),
    edges: Path | None = typer.Option(
        None,
        "--edges",
        help="Your ties (CSV/XLSX: source, target, relation, weight, year, source_note).",
    ),
    use_plan: bool = typer.Option(
        True, "--plan/--no-plan", help="Add the scenario plan's chosen sites and assign to them."
    ),
    use_registry: bool = typer.Option(
        True, "--registry/--no-registry", help="Add the registry's established centers."
    ),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="OICPLAN_DATABASE_URL",
        help="SQLAlchemy URL of the registry; default: the SQLite file in your data dir.",
    ),
    capacity: int | None = typer.Option(
        None, "--capacity", help="Seats per planned center in the assignment (default: all fit)."
    ),
    serve_top: int = typer.Option(
        3, "--serve-top", help="A center serves its N best-matched industries."
    ),
    serve_threshold: float | None = typer.Option(
        None, "--serve-threshold", help="...and every industry with a match at least this."
    ),
    top: int = typer.Option(10, "--top", help="Brokers and suggested links shown."),
    svg: Path | None = typer.Option(None, "--svg", help="Write the network picture (SVG) here."),
    as_json: bool = typer.Option(
        False,
        "--json",
        help="Print {synthetic, nodes, edges, density, components, brokers, suggested_links, "
        "gaps, ...} as JSON.",
    ),
) -> None:
    """Map the innovation network: enterprises, centers, universities, institutes, services.

    Enterprises come from your file or the SYNTHETIC sample; centers from the registry
    (real, sourced) and the scenario's plan; universities, institutes and service
    providers only from your --nodes file (no public list exists, none is invented:
    their absence is reported as a gap). Enterprises are tied to planned centers by
    the capacitated assignment; a center serves its best-matched industries.

    Shows density, components, the brokers (highest betweenness) and suggested links:
    enterprises not yet tied to a center that serves their industry.

    Examples: oicplan network --sample --limit 300 ;
    oicplan network --enterprises firms.xlsx --nodes partners.csv --edges ties.csv ;
    oicplan network --sample --svg network.svg --json > network.json
    File formats and method: docs/network.md.
    """
    from oicplan.cli.match import in_option_words
    from oicplan.services.network import NetworkRequest
    from oicplan.services.network import network as network_service

    request = NetworkRequest(
        scenario=scenario,
        enterprises=enterprises,
        sample=sample,
        limit=limit,
        nodes=nodes,
        edges=edges,
        use_plan=use_plan,
        use_registry=use_registry,
        database_url=database_url,
        capacity=capacity,
        serve_top=serve_top,
        serve_threshold=serve_threshold,
        top=top,
        svg=svg,
    )
    messages = {
        ("enterprises", "give an enterprises file or the sample"): (
            "give --enterprises FILE or --sample, not both"
        ),
        ("limit", "limit must be"): f"--limit must be 1 or more, got {limit}",
    }
    building = (
        f"planning {scenario} and building the innovation network"
        if use_plan
        else "building the innovation network"
    )
    with in_option_words({}, messages), working(building):
        result = network_service(request)
    if as_json:
        typer.echo(json.dumps(result.document, ensure_ascii=False, indent=2))
        return
    net = result.network
    _print(net, top)
    if svg is not None:
        typer.echo(f"wrote the network picture to {svg}")
