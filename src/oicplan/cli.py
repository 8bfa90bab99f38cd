"""The ``oicplan`` command line: a thin Typer + Rich adapter over the library.

Every command turns an :class:`~oicplan.errors.OicplanError` (bad input, an
impossible request) into one line on standard error and exit code 2, with no
traceback. Output meant for other programs is available with ``--json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from oicplan import (
    cli_centers,
    cli_cost,
    cli_finance,
    cli_geo,
    cli_locate,
    cli_match,
    cli_mcda,
    cli_network,
    cli_optimize,
    cli_sensitivity,
)
from oicplan.console import err_console, handle_errors, working
from oicplan.console import guarded as _guarded

__all__ = ["app", "handle_errors", "main"]

console = Console()

app = typer.Typer(
    name="oicplan",
    help=(
        "Plan overseas innovation centers: where the next centers should go, of what kind, "
        "and why, from real data with provenance.\n\n"
        "Start here:\n\n"
        "  oicplan plan --scenario zhejiang --out out/zhejiang   # the main job\n\n"
        "  oicplan rank --scenario zhejiang --top 20              # ranked candidates\n\n"
        "  oicplan scenario show zhejiang > my.yaml               # copy a scenario, edit it\n\n"
        "  oicplan data sources                                   # where every value comes from"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    help="The embedded dataset: sources, values with year and source, export, rebuild.",
    no_args_is_help=True,
)
scenario_app = typer.Typer(
    help="Scenarios: built-in presets and your own YAML files.", no_args_is_help=True
)


def _steps(title: str) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def _print_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------- data


@data_app.command("build")
@handle_errors
def data_build(
    wdi_dir: Annotated[
        Path, typer.Option(help="Folder of WDI files: Country Name, Country Code, Year, Value.")
    ],
    wgi_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder with the WGI dataset wgidataset.csv (default: 'wgi' beside --wdi-dir, "
            "else the WGI values of the current snapshot)."
        ),
    ] = None,
    facts_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder of fact tables, CSV with source and as_of (default: 'facts' beside "
            "--wdi-dir, else the current snapshot's)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the snapshot (default: the package's own).")
    ] = None,
) -> None:
    """Rebuild the embedded snapshot from World Bank files and the fact tables.

    Example: oicplan data build --wdi-dir ../shared/data/wdi  (takes ../shared/data/wgi and
    ../shared/data/facts beside it). Your own WDI download in the same long format works too.
    """
    from oicplan.data.build import SNAPSHOT_DIR, build_snapshot

    with _steps("build") as progress:
        task = progress.add_task("starting", total=None)
        manifest = build_snapshot(
            wdi_dir,
            wgi_dir,
            facts_dir,
            out or SNAPSHOT_DIR,
            progress=lambda message: progress.update(task, description=message),
        )
    console.print(
        f"snapshot {manifest['version']}: {manifest['economies']} economies, "
        f"{manifest['indicators']} indicators, {manifest['sites']} sites"
    )
    for gap in manifest["gaps"]:
        console.print(f"  gap: {gap}", highlight=False)


@data_app.command("sources")
@handle_errors
def data_sources(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every data source with its licence and as-of date."""
    from oicplan.data import load_dataset

    sources = load_dataset().sources
    if json_output:
        _print_json(sources)
        return
    table = Table(title="oicplan data sources")
    for column in ("id", "title", "licence", "as of"):
        table.add_column(column)
    for source in sources:
        table.add_row(source["id"], source["title"], source["licence"], source["as_of"])
    console.print(table)


@data_app.command("show")
@handle_errors
def data_show(
    iso3: Annotated[str, typer.Argument(help="Economy code, ISO 3166 alpha-3 (e.g. KAZ).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show an economy's latest values, each with its year and source.

    Example: oicplan data show KAZ
    """
    from oicplan.data import load_dataset

    dataset = load_dataset()
    rows = dataset.economy_table(iso3)
    code = iso3.strip().upper()
    country = dataset.countries.loc[code]
    if json_output:
        _print_json(
            {
                "iso3": code,
                "name_en": country["name_en"],
                "name_zh": country["name_zh"],
                "values": json.loads(rows.to_json(orient="records", force_ascii=False)),
            }
        )
        return
    table = Table(title=f"{country['name_en']} {country['name_zh'] or ''} ({code})")
    for column in ("indicator", "title", "value", "year", "source"):
        table.add_column(column, justify="right" if column in ("value", "year") else "left")
    for row in rows.itertuples():
        table.add_row(row.indicator, str(row.title), f"{row.value:,.4g}", str(row.year), row.source)
    console.print(table)


@data_app.command("export")
@handle_errors
def data_export(
    out: Annotated[
        Path, typer.Option(help="CSV file to write: entity, indicator, year, value, source.")
    ],
    series: Annotated[
        bool, typer.Option(help="Export the yearly series instead of latest values.")
    ] = False,
) -> None:
    """Write the tidy table (entity = ISO3, indicator = WDI code for WDI series) to CSV."""
    from oicplan.data import load_dataset

    dataset = load_dataset()
    frame = dataset.series if series else dataset.latest
    out.parent.mkdir(parents=True, exist_ok=True)
    frame[["entity", "indicator", "year", "value", "source"]].to_csv(out, index=False)
    console.print(f"wrote {len(frame)} rows to {out}")


# ----------------------------------------------------------------------- scenario


@scenario_app.command("list")
@handle_errors
def scenario_list() -> None:
    """List the built-in scenario and the layout-strategy presets."""
    from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario

    table = Table(title="built-in scenarios")
    table.add_column("name")
    table.add_column("title")
    for name in BUILTIN_SCENARIOS:
        scenario = load_scenario(name)
        table.add_row(name, f"{scenario.title_en}\n{scenario.title_zh}")
    console.print(table)


@scenario_app.command("show")
@handle_errors
def scenario_show(
    name: Annotated[
        str, typer.Argument(help="A built-in name (zhejiang, balanced, ...) or a YAML path.")
    ],
) -> None:
    """Print a scenario's YAML, to copy and edit: oicplan scenario show zhejiang > my.yaml"""
    from oicplan.scenario import load_scenario, scenario_yaml

    load_scenario(name)
    sys.stdout.write(scenario_yaml(name))


@scenario_app.command("validate")
@handle_errors
def scenario_validate(
    path: Annotated[str, typer.Argument(help="Scenario YAML file to check.")],
) -> None:
    """Check a scenario file; errors name the file and the field.

    Besides the fields, checks what plan and optimize would reject later: the
    center modes of selection.capacity, the selection.enterprises file (read and
    validated) and the regions of selection.min_per_region.
    """
    from oicplan.data import load_dataset
    from oicplan.plan import check_selection
    from oicplan.ranking import candidate_sites
    from oicplan.scenario import load_scenario

    scenario = load_scenario(path)
    dataset = load_dataset()
    check_selection(scenario, dataset, read_enterprises=True)
    sites = candidate_sites(dataset, scenario)
    console.print(f"{path}: valid; {len(sites)} candidate sites")


# --------------------------------------------------------------------- rank, plan


def _center_performance(feedback: bool, database_url: str | None):
    """Established centers' KPI performance per site, from the registry (``--feedback``)."""
    if not feedback:
        return None
    from oicplan.data import load_dataset
    from oicplan.monitor.feedback import center_site_performance
    from oicplan.store import Registry

    return center_site_performance(Registry(database_url), load_dataset())


_FEEDBACK_HELP = (
    "Feed the established centers' KPI performance (oicplan centers) back into the site "
    "scores: a center below target makes its site a weaker base."
)
_DATABASE_HELP = "Registry database (default: OICPLAN_DATABASE_URL or the local SQLite file)."

_AVOID_HELP = (
    "Close corridors, comma-separated: sea passages (malacca, sunda, hormuz, bab-el-mandeb, "
    "suez, bosporus, gibraltar, good-hope, panama, cape-horn, bering, northwest), border "
    "crossings (alashankou, khorgos, manzhouli) or rail segments (Yiwu-Madrid); access is "
    "recomputed before ranking."
)


def _with_avoid(scenario, avoid: str | None):
    """The scenario with the closures of ``--avoid`` added to its transport settings."""
    names = [name.strip() for name in (avoid or "").split(",") if name.strip()]
    if not names:
        return scenario
    transport = scenario.transport.model_copy(update={"avoid": [*scenario.transport.avoid, *names]})
    return scenario.model_copy(update={"transport": transport})


_SCENARIO_HELP = (
    "Built-in scenario (zhejiang, balanced, zone_upgrade, rail_corridor, "
    "backbone_enterprises, st_leader, standards_policy) or a path to a YAML file."
)


@app.command("rank")
@handle_errors
def rank_command(
    scenario: Annotated[str, typer.Option(help=_SCENARIO_HELP)] = "zhejiang",
    top: Annotated[int, typer.Option(min=1, help="Show the best N sites.")] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    feedback: Annotated[bool, typer.Option("--feedback", help=_FEEDBACK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=_DATABASE_HELP)] = None,
) -> None:
    """Rank a scenario's candidate sites, with the pillar scores behind each rank.

    Example: oicplan rank --scenario st_leader --top 10
    """
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    with working(f"ranking the candidate sites of {scenario}"):
        ranked = rank_sites(
            load_scenario(scenario),
            center_performance=_center_performance(feedback, database_url),
        )
    rows = ranked.table.head(top)
    pillars = ranked.pillar_ids
    if json_output:
        _print_json(
            {
                "scenario": ranked.scenario.name,
                "dataset": {"version": ranked.dataset_version},
                "method": ranked.method,
                "candidates": len(ranked.table),
                "sites": [
                    {
                        "site_id": row.site_id,
                        "name": row.name,
                        "iso3": row.iso3,
                        "site_type": row.site_type,
                        "score": round(float(row.score), 6),
                        "rank": int(row.rank),
                        "rank_interval": None
                        if not hasattr(row, "median_rank")
                        else {
                            "median": float(row.median_rank),
                            "p5": float(row.rank_p5),
                            "p95": float(row.rank_p95),
                            "top_k_frequency": round(float(row.top_k_frequency), 6),
                        },
                        "pillars": {
                            p: round(float(getattr(row, f"pillar_{p}")), 6) for p in pillars
                        },
                    }
                    for row in rows.itertuples()
                ],
            }
        )
        return
    table = Table(
        title=f"{ranked.scenario.name}: top {len(rows)} of {len(ranked.table)} "
        f"({ranked.method.upper()})"
    )
    for column in ["rank", "site", "economy", "type", "score", *pillars]:
        table.add_column(
            column, justify="right" if column not in ("site", "economy", "type") else "left"
        )
    for row in rows.itertuples():
        table.add_row(
            str(row.rank),
            row.name,
            row.iso3,
            row.site_type,
            f"{row.score:.3f}",
            *[f"{getattr(row, f'pillar_{p}'):.2f}" for p in pillars],
        )
    console.print(table)
    console.print("risk: lower is better", style="dim")


@app.command("plan")
@handle_errors
def plan_command(
    scenario: Annotated[str, typer.Option(help=_SCENARIO_HELP)] = "zhejiang",
    out: Annotated[
        Path, typer.Option(help="Output folder for plan.json, report.html, report.md.")
    ] = Path("out/plan"),
    lang: Annotated[str, typer.Option(help="Report language: zh (中文) or en.")] = "zh",
    centers: Annotated[
        int | None, typer.Option(min=1, help="Number of centers (overrides the scenario).")
    ] = None,
    feedback: Annotated[bool, typer.Option("--feedback", help=_FEEDBACK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=_DATABASE_HELP)] = None,
    avoid: Annotated[str | None, typer.Option(help=_AVOID_HELP)] = None,
) -> None:
    """Choose the next centers for a scenario and write the plan and its report.

    Writes OUT/plan.json (for other tools), OUT/report.html (self-contained, opens
    offline) and OUT/report.md. Example: oicplan plan --scenario zhejiang --lang en
    """
    from oicplan.errors import InputError
    from oicplan.plan import make_plan
    from oicplan.report import write_plan
    from oicplan.scenario import load_scenario

    if lang not in ("zh", "en"):
        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    with _steps("plan") as progress:
        task = progress.add_task("loading scenario", total=None)
        loaded = _with_avoid(load_scenario(scenario), avoid)
        progress.update(task, description="ranking candidates and choosing sites")
        plan = make_plan(
            loaded,
            centers=centers,
            center_performance=_center_performance(feedback, database_url),
        )
        progress.update(task, description="writing the report")
        write_plan(plan, out, lang)
    _print_plan_summary(plan, lang)
    console.print(f"wrote {out}/plan.json, {out}/report.html, {out}/report.md")


def _print_plan_summary(plan, lang: str) -> None:
    """The chosen centers as a table, in the report's language."""
    from oicplan.report.messages import mode_name, strategy_name, text

    count = len(plan.chosen)
    title = f"{plan.scenario.name}: " + (f"{count} 个中心" if lang == "zh" else f"{count} centers")
    table = Table(title=title)
    for key in ("rank", "site", "country", "strategy", "mode", "score"):
        table.add_column(text(key, lang), justify="right" if key in ("rank", "score") else "left")
    for row in plan.chosen.itertuples():
        table.add_row(
            str(row.rank),
            row.name,
            row.iso3,
            strategy_name(row.strategy, lang),
            mode_name(row.mode, lang),
            f"{row.score:.3f}",
        )
    console.print(table)


@app.command("audit")
@handle_errors
def audit_command(
    scenario: Annotated[str, typer.Option(help=_SCENARIO_HELP)] = "zhejiang",
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
    from oicplan.indicators import audit, strengths_weaknesses
    from oicplan.indicators import compare as compare_builds
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    with working(f"building and auditing the index of {scenario}"):
        ranked = rank_sites(load_scenario(scenario))
        index = ranked.scores.index
        summary = audit(index).summary()
    document: dict = {
        "scenario": ranked.scenario.name,
        "pillars": json.loads(summary.reset_index().to_json(orient="records")),
    }
    if site:
        if site not in index.units:
            raise InputError(f"unknown or screened-out site {site!r}", field="site")
        parts = strengths_weaknesses(index, site)
        document["site"] = {
            name: json.loads(frame.reset_index(names="indicator").to_json(orient="records"))
            for name, frame in parts.items()
        }
    if compare:
        changes = {}
        for item in compare:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise InputError(f"write KEY=VALUE, got {item!r}", field="compare")
            changes[key.strip()] = _setting_value(value.strip())
        try:
            variant = index.rebuild(**changes)
        except TypeError as error:
            raise InputError(f"unknown build setting ({error})", field="compare") from None
        table = compare_builds(index, variant)
        moved = table[table["rank_change"].fillna(0) != 0]
        moved = moved.reindex(moved["rank_change"].abs().sort_values(ascending=False).index)
        document["compare"] = {
            "changes": changes,
            "units_moved": int(len(moved)),
            "rank_changes": json.loads(moved.head(top).reset_index().to_json(orient="records")),
        }
    if json_output:
        _print_json(document)
        return
    table = Table(title=f"{ranked.scenario.name}: pillar coherence")
    for column in ("node", "indicators", "Cronbach's alpha", "PC1 share"):
        table.add_column(column, justify="left" if column == "node" else "right")
    for node, row in summary.iterrows():
        alpha = "—" if row["alpha"] != row["alpha"] else f"{row['alpha']:.2f}"
        table.add_row(str(node), str(int(row["children"])), alpha, f"{row['pc1_share']:.2f}")
    console.print(table)
    console.print("alpha ≥ 0.7 is the usual rule of thumb for a coherent pillar", style="dim")
    if site:
        for name, rows in document["site"].items():
            console.print(f"{site} {name}: " + ", ".join(r["indicator"] for r in rows))
    if compare:
        info = document["compare"]
        console.print(f"{info['units_moved']} sites change rank with {info['changes']}")
        for row in info["rank_changes"]:
            console.print(f"  {row['site_id']}: {row['rank_a']} → {row['rank_b']}")


@app.command("disrupt")
@handle_errors
def disrupt_command(
    avoid: Annotated[str, typer.Option(help=_AVOID_HELP)],
    scenario: Annotated[str, typer.Option(help=_SCENARIO_HELP)] = "zhejiang",
    top: Annotated[int, typer.Option(min=1, help="Rows to show of each list.")] = 15,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What closing a corridor does: access lost or slower, rank changes, plan changes.

    Plans the scenario with and without the closures and compares them. Example:
    oicplan disrupt --avoid suez,bab-el-mandeb   or   oicplan disrupt --avoid alashankou
    """
    from oicplan.disruption import disruption_impact
    from oicplan.scenario import load_scenario

    names = [name.strip() for name in avoid.split(",") if name.strip()]
    with _steps("disrupt") as progress:
        progress.add_task("planning with and without the closures", total=None)
        impact = disruption_impact(load_scenario(scenario), names)
    document = impact.to_dict(top)
    if json_output:
        _print_json(document)
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


# ------------------------------------------------------------ commands from modules

app.add_typer(data_app, name="data")
app.add_typer(scenario_app, name="scenario")
app.command("mcda")(handle_errors(cli_mcda.mcda))
app.command("locate")(handle_errors(cli_locate.locate))
app.command("optimize")(handle_errors(cli_optimize.optimize))
app.command("tax")(handle_errors(cli_finance.tax))
app.command("cost")(handle_errors(cli_cost.cost))
app.command("access")(handle_errors(cli_geo.access))
app.command("corridors")(handle_errors(cli_geo.corridors))
app.command("match")(handle_errors(cli_match.match))
app.command("network")(handle_errors(cli_network.network))
app.command("sensitivity")(handle_errors(cli_sensitivity.sensitivity))
app.add_typer(_guarded(cli_mcda.weights_app), name="weights")
app.add_typer(_guarded(cli_centers.centers_app), name="centers")
app.add_typer(_guarded(cli_match.enterprises_app), name="enterprises")


def main() -> None:
    """Console entry point (see :mod:`oicplan.console` for the fast path)."""
    from oicplan.console import main as console_main

    console_main()


if __name__ == "__main__":
    main()
