"""``oicplan rank``, ``oicplan plan`` and ``oicplan audit``: the scenario's ranking and plan.

Each command parses its options, calls :mod:`oicplan.services.planning` and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from oicplan.cli.runtime import (
    AVOID_HELP,
    COLUMNS_HELP,
    FORMAT_HELP,
    SCENARIO_HELP,
    Table,
    parse_columns,
    print_json,
    print_rows,
    steps,
    working,
)

console = Console()

__all__ = ["audit_command", "plan_command", "rank_command", "split_names"]

_FEEDBACK_HELP = (
    "Feed the established centers' KPI performance (oicplan centers) back into the site "
    "scores: a center below target makes its site a weaker base."
)
_DATABASE_HELP = "Registry database (default: OICPLAN_DATABASE_URL or the local SQLite file)."

_RANK_COLUMNS = ["rank", "site", "economy", "type", "score"]
_AUDIT_NODE = "node"  # the column of the pillar (or index) in the audit summary


def split_names(text: str | None) -> list[str]:
    """Comma-separated names, trimmed (``--avoid suez,hormuz``).

    >>> split_names(" suez, hormuz ,")
    ['suez', 'hormuz']
    """
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def _rank_rows(result, top: int) -> list[dict[str, str]]:
    rows = []
    for site in result.sites[:top]:
        rows.append(
            {
                "rank": str(site.rank),
                "site": site.name,
                "economy": site.iso3,
                "type": site.site_type,
                "score": f"{site.score:.3f}",
            }
            | {p: f"{site.pillars[p]:.2f}" for p in result.pillars}
        )
    return rows


def rank_command(
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
    top: Annotated[int, typer.Option(min=1, help="Show the best N sites.")] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    feedback: Annotated[bool, typer.Option("--feedback", help=_FEEDBACK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=_DATABASE_HELP)] = None,
    columns: Annotated[str | None, typer.Option(help=COLUMNS_HELP)] = None,
    output_format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Rank a scenario's candidate sites, with the pillar scores behind each rank.

    The table shows the columns that fit the terminal and names the others;
    --columns picks them, --format csv gives them all. Examples:

      oicplan rank --scenario st_leader --top 10

      oicplan rank --columns rank,site,score,innovation,talent

      oicplan rank --format csv > ranking.csv
    """
    from oicplan.services.planning import RankRequest, rank

    request = RankRequest(scenario=scenario, feedback=feedback, database_url=database_url)
    with working(f"ranking the candidate sites of {scenario}"):
        result = rank(request)
    if json_output or output_format == "json" and columns is None:
        print_json(result.document(top))
        return
    known = [*_RANK_COLUMNS, *result.pillars]
    count = min(top, len(result.sites))
    shown = print_rows(
        _rank_rows(result, top),
        known,
        fmt=output_format,
        selected=parse_columns(columns, known),
        title=f"{result.scenario}: top {count} of {result.candidates} ({result.method.upper()})",
        right=("rank", "score", *result.pillars),
        console=console,
    )
    if output_format == "table" and "risk" in shown:
        console.print("risk: lower is better", style="dim")


def plan_command(
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
    out: Annotated[
        Path,
        typer.Option(
            help="Output folder for plan.json, report.html, report.md, plan.xlsx and plan.docx."
        ),
    ] = Path("out/plan"),
    lang: Annotated[str, typer.Option(help="Report language: zh (中文) or en.")] = "zh",
    centers: Annotated[
        int | None, typer.Option(min=1, help="Number of centers (overrides the scenario).")
    ] = None,
    feedback: Annotated[bool, typer.Option("--feedback", help=_FEEDBACK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=_DATABASE_HELP)] = None,
    avoid: Annotated[str | None, typer.Option(help=AVOID_HELP)] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write plan.pdf (the report as a PDF).")
    ] = False,
) -> None:
    """Choose the next centers for a scenario and write the plan and its report.

    Writes OUT/plan.json (for other tools), OUT/report.html (self-contained, opens
    offline), OUT/report.md, OUT/plan.xlsx (every table, a sheet each), OUT/plan.docx
    (the report as an editable Word document) and, with --pdf, OUT/plan.pdf.
    Example: oicplan plan --scenario zhejiang --lang en --pdf
    """
    from oicplan.errors import InputError
    from oicplan.report import ReportAhead, write_plan
    from oicplan.services.planning import PlanRequest
    from oicplan.services.planning import plan as make_plan

    if lang not in ("zh", "en"):
        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    request = PlanRequest(
        scenario=scenario,
        centers=centers,
        feedback=feedback,
        database_url=database_url,
        avoid=split_names(avoid),
        report=True,
    )
    with steps() as progress:
        task = progress.add_task("ranking candidates and choosing sites", total=None)
        ahead = ReportAhead(lang)  # the report's charts, drawn while the frontier solves run
        result = make_plan(request, while_solving=ahead)
        progress.update(task, description="writing the report")
        write_plan(
            result.plan,
            out,
            lang,
            network=result.network,
            layers=result.map_layers,
            pdf=pdf,
            prepared=ahead.prepared,
            document=result.document.model_dump(mode="json"),
        )
    _print_plan_summary(result.plan, lang)
    names = ["plan.json", "report.html", "report.md", "plan.xlsx", "plan.docx"]
    names += ["plan.pdf"] if pdf else []
    console.print("wrote " + ", ".join(f"{out}/{name}" for name in names))


def _print_plan_summary(plan, lang: str) -> None:
    """The chosen centers as a table in the report's language; long names wrap, never cut."""
    from oicplan.report.messages import mode_name, strategy_name, text

    count = len(plan.chosen)
    title = f"{plan.scenario.name}: " + (f"{count} 个中心" if lang == "zh" else f"{count} centers")
    keys = ("rank", "site", "country", "strategy", "mode", "score")
    header = {key: text(key, lang) for key in keys}
    rows = [
        {
            header["rank"]: str(row.rank),
            header["site"]: getattr(row, "name_zh", None) or row.name if lang == "zh" else row.name,
            header["country"]: row.iso3,
            header["strategy"]: strategy_name(row.strategy, lang),
            header["mode"]: mode_name(row.mode, lang),
            header["score"]: f"{row.score:.3f}",
        }
        for row in plan.chosen.itertuples()
    ]
    print_rows(
        rows,
        [header[key] for key in keys],
        title=title,
        right=(header["rank"], header["score"]),
        console=console,
        fold={header["site"]: 12, header["strategy"]: 16, header["mode"]: 16},
    )
    _print_synthetic_inputs(plan, lang)


def _print_synthetic_inputs(plan, lang: str) -> None:
    """Say which of the plan's inputs are synthetic (plan.json's ``synthetic_inputs``)."""
    from oicplan.plan_selection import synthetic_inputs
    from oicplan.report.messages import text

    items = synthetic_inputs(plan.scenario)
    if not items:
        return
    key = "description_zh" if lang == "zh" else "description"
    console.print(f"[bold yellow]{text('synthetic_inputs', lang)}[/]")
    for item in items:
        console.print(f"  - {item[key]}", highlight=False, markup=False)


def audit_command(
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
    site: Annotated[
        str | None, typer.Option(help="A site_id: its strongest and weakest indicators.")
    ] = None,
    compare: Annotated[
        list[str] | None,
        typer.Option(
            help="Rebuild the index with one setting changed and show the rank changes, "
            "e.g. --compare imputation=group_mean or --compare normalization=zscore "
            "(repeat to change several)."
        ),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows of rank changes to show.")] = 15,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Statistical audit of the composite index behind a scenario's ranking.

    Cronbach's alpha and the first principal component's share of variance per
    pillar (is each pillar one coherent concept?), a site's strengths and weaknesses,
    and the rank changes when one build setting changes (imputation, outlier
    treatment, normalization, weighting, aggregation). Example:
    oicplan audit --site KOR-seoul --compare imputation=group_mean
    """
    from oicplan.errors import InputError
    from oicplan.services.planning import AuditRequest, audit

    changes = {}
    for item in compare or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"write KEY=VALUE, got {item!r}", field="compare")
        changes[key.strip()] = _setting_value(value.strip())
    request = AuditRequest(scenario=scenario, site=site, compare=changes, top=top)
    with working(f"building and auditing the index of {scenario}"):
        result = audit(request)
    document = result.document()
    if json_output:
        print_json(document)
        return
    table = Table(title=f"{result.scenario}: pillar coherence")
    for column in ("node", "indicators", "Cronbach's alpha", "PC1 share"):
        table.add_column(column, justify="left" if column == "node" else "right")
    for row in result.pillars:
        alpha = "—" if row["alpha"] is None else f"{row['alpha']:.2f}"
        share = "—" if row["pc1_share"] is None else f"{row['pc1_share']:.2f}"  # one indicator
        table.add_row(str(row[_AUDIT_NODE]), str(int(row["children"])), alpha, share)
    console.print(table)
    console.print("alpha ≥ 0.7 is the usual rule of thumb for a coherent pillar", style="dim")
    if result.site is not None:
        for name, rows in result.site.items():
            console.print(f"{site} {name}: " + ", ".join(r["indicator"] for r in rows))
    if result.compare is not None:
        info = result.compare
        console.print(f"{info['units_moved']} sites change rank with {info['changes']}")
        for row in info["rank_changes"]:
            console.print(f"  {row['site_id']}: {row['rank_a']} → {row['rank_b']}")


def _setting_value(text: str) -> object:
    """A build-setting value from the command line: number, true/false, none, or text."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


