"""``oicplan rank``, ``oicplan plan`` and ``oicplan audit``: the scenario's ranking and plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from oicplan.cli.runtime import AVOID_HELP, SCENARIO_HELP, print_json, steps, working

console = Console()

__all__ = ["audit_command", "plan_command", "rank_command"]

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

def _with_avoid(scenario, avoid: str | None):
    """The scenario with the closures of ``--avoid`` added to its transport settings."""
    names = [name.strip() for name in (avoid or "").split(",") if name.strip()]
    if not names:
        return scenario
    transport = scenario.transport.model_copy(update={"avoid": [*scenario.transport.avoid, *names]})
    return scenario.model_copy(update={"transport": transport})


def rank_command(
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
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
        print_json(
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


def plan_command(
    scenario: Annotated[str, typer.Option(help=SCENARIO_HELP)] = "zhejiang",
    out: Annotated[
        Path, typer.Option(help="Output folder for plan.json, report.html, report.md.")
    ] = Path("out/plan"),
    lang: Annotated[str, typer.Option(help="Report language: zh (中文) or en.")] = "zh",
    centers: Annotated[
        int | None, typer.Option(min=1, help="Number of centers (overrides the scenario).")
    ] = None,
    feedback: Annotated[bool, typer.Option("--feedback", help=_FEEDBACK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=_DATABASE_HELP)] = None,
    avoid: Annotated[str | None, typer.Option(help=AVOID_HELP)] = None,
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
    with steps() as progress:
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
        print_json(document)
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


