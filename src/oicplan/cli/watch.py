"""Commands ``oicplan watch ...``: the technology watch (issue 12).

``rising`` (who grows fastest in a field), ``site`` (a site's economy in the
fields of Zhejiang's priority industries), ``fields`` (every field known) and
``changes`` (two snapshot builds compared). Each parses options, calls
:mod:`oicplan.services.watch` and prints; docs/watch.md explains the numbers.

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> app.add_typer(watch_app, name="watch")
>>> CliRunner().invoke(app, ["watch", "--help"]).exit_code
0
"""

from __future__ import annotations

from pathlib import Path

import typer

from oicplan.cli.runtime import print_json, print_rows

__all__ = ["watch_app"]

_SOURCES = (
    "articles|articles_whole|top1pct|ai_articles|pct|patent_families|uspto|uspto_areas|"
    "uspto_env|kti"
)

watch_app = typer.Typer(
    name="watch",
    no_args_is_help=True,
    help=(
        "Technology watch from NCSES field data (Science and Engineering Indicators): "
        "who is rising in a field, how a site's economy moves in the fields of Zhejiang's "
        "priority industries, and what changed between two data vintages.\n\n"
        "Examples: oicplan watch rising --field semiconductors --source uspto ; "
        "oicplan watch site KOR-seoul ; oicplan watch fields --source pct"
    ),
)


def _number(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


def _rta(row: object) -> str:
    """The RTA at the start and end of a trend row ("1.20 → 1.35"), blank without one."""
    start, end = getattr(row, "rta_start", None), getattr(row, "rta_end", None)
    return "" if end is None else f"{_number(start, 2)} → {_number(end, 2)}"


@watch_app.command("rising")
def rising(
    field: str = typer.Option(..., "--field", help="Field name in English or Chinese, any "
                              "case (see oicplan watch fields)."),
    source: str | None = typer.Option(
        None, "--source", help=f"Data source: {_SOURCES}. Default: the first that has the "
        "field (patent families, USPTO, PCT, ..., articles); 'articles' = fractional counts."),
    since: int | None = typer.Option(None, "--since", help="Start year (default: 5 years "
                                     "before the end year)."),
    until: int | None = typer.Option(None, "--until", help="End year (default: the last "
                                     "year with data)."),
    min_size: float | None = typer.Option(
        None, "--min-size", min=0, help="Smallest start value, in the source's unit "
        "(default per source: 100 articles, 50 PCT applications or patent families, "
        "20 USPTO patents, ...; see docs/watch.md)."),
    top: int = typer.Option(10, "--top", min=1, help="How many economies to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: field, source, since, "
                                 "until, min_size and rows."),
) -> None:
    """The economies rising fastest in a field: growth (CAGR), world share and RTA.

    Rows are ranked by compound annual growth between the start and end year,
    among economies whose start value is at least --min-size. Share: the value
    over the sum of all economies in the source; RTA: the field's share in the
    economy's all-fields total over the same share for all economies (empty
    where it means nothing: top1pct is a percent, ai_articles has one field).

    Examples: oicplan watch rising --field semiconductors --source uspto ;
    oicplan watch rising --field "materials science" --source articles --since 2012 --top 5 ;
    oicplan watch rising --field 电气工程 --source pct --json
    """
    from oicplan.services.watch import WatchRisingRequest, watch_rising

    result = watch_rising(WatchRisingRequest(
        field=field, source=source, since=since, until=until, min_size=min_size, top=top))
    if as_json:
        print_json(result.document())
        return
    rows = [
        {
            "iso3": row.iso3,
            "economy": row.economy,
            str(result.since): f"{row.start_value:g}",
            str(result.until): f"{row.end_value:g}",
            "growth/yr": _percent(row.cagr),
            "share": _percent(row.share_end).lstrip("+"),
            "RTA": _rta(row),
        }
        for row in result.rows
    ]
    columns = ["iso3", "economy", str(result.since), str(result.until), "growth/yr", "share",
               "RTA"]
    title = (f"{result.field} ({result.field_zh}), {result.source} ({result.unit}), "
             f"{result.since}-{result.until}: {len(result.rows)} of {result.eligible} economies "
             f"with at least {result.min_size:g} at the start")
    print_rows(rows, columns, title=title, right=tuple(columns[2:]))


@watch_app.command("fields")
def fields(
    source: str | None = typer.Option(None, "--source", help=f"Only this source: {_SOURCES}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
) -> None:
    """Every field of the NCSES data with its Chinese name, unit, years and economies.

    Examples: oicplan watch fields ; oicplan watch fields --source pct --json
    """
    from oicplan.services.watch import WatchFieldsRequest, watch_fields

    result = watch_fields(WatchFieldsRequest(source=source))
    if as_json:
        print_json(result.document())
        return
    rows = [
        {"source": r.source, "field": r.field, "name_zh": r.field_zh, "unit": r.unit,
         "years": f"{r.first_year}-{r.last_year}", "economies": str(r.economies)}
        for r in result.fields
    ]
    print_rows(rows, ["source", "field", "name_zh", "unit", "years", "economies"],
               title=f"{len(rows)} fields", right=("economies",), fold={"field": 24})


@watch_app.command("site")
def site(
    site_name: str | None = typer.Argument(None, metavar="SITE",
                                           help="Site id (KOR-seoul) or site name."),
    iso3: str | None = typer.Option(None, "--iso3", help="An economy instead of a site."),
    span: int = typer.Option(10, "--span", min=1, max=30, help="Years of the trend window."),
    until: int | None = typer.Option(None, "--until", help="End year (default: each "
                                     "field's last year with data)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON with the yearly series."),
) -> None:
    """A site's economy in the fields of Zhejiang's priority industries: trends over the window.

    Technology fields come from the most specific data the economy has (the 35 WIPO
    fields of granted patent families, else the 5 PCT areas), beside publications by
    discipline. Each row: start and end value, growth per year, world share and RTA
    at the start and end; the industries that need the field are in --json.

    Examples: oicplan watch site KOR-seoul ; oicplan watch site --iso3 HUN --span 5 ;
    oicplan watch site Tashkent --json
    """
    from oicplan.services.watch import WatchSiteRequest, watch_site

    result = watch_site(WatchSiteRequest(site=site_name, iso3=iso3, span=span, until=until))
    if as_json:
        print_json(result.document())
        return
    rows = [
        {
            "source": row.source,
            "field": row.field,
            "years": f"{row.start_year}-{row.end_year}",
            "start": f"{row.start_value:g}",
            "end": f"{row.end_value:g}",
            "growth/yr": _percent(row.cagr),
            "RTA": _rta(row),
        }
        for row in result.fields
    ]
    where = f"{result.site_name} ({result.site_id}), " if result.site_id else ""
    title = f"{where}{result.economy or result.iso3}: technology tier {result.tier or 'none'}"
    print_rows(rows, ["source", "field", "years", "start", "end", "growth/yr", "RTA"],
               title=title, right=("start", "end", "growth/yr", "RTA"), fold={"field": 22})
    for note in result.notes:
        typer.echo(f"Note: {note}")


@watch_app.command("changes")
def changes(
    to_dir: Path = typer.Option(..., "--to", help="The newer snapshot folder (oicplan data "
                                "build --out ...)."),
    from_dir: Path | None = typer.Option(None, "--from", help="The older snapshot folder "
                                         "(default: the snapshot shipped with oicplan)."),
    scenario: str = typer.Option("zhejiang", "--scenario", help="Scenario whose ranking and "
                                 "plan are compared."),
    plan_file: Path | None = typer.Option(None, "--plan", help="A plan.json whose chosen sites "
                                          "are watched (default: the scenario's plan on --from)."),
    rank_move: int | None = typer.Option(None, "--rank-move", min=1, help="Alert when a "
                                         "watched site moves this many places (default: the "
                                         "assumption watch.rank_move, 5)."),
    score_move: float | None = typer.Option(None, "--score-move", min=0, help="... or its "
                                            "score by this much (default watch.score_move, "
                                            "0.05)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Rows of each table shown."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: every changed value, "
                                 "site move and alert."),
) -> None:
    """Compare two snapshot builds: changed values, moved ranks and pillar scores, alerts.

    Values: latest.csv (economy, indicator) and fields.csv.gz (source, economy,
    field, year), changed, added or removed. Rankings: the scenario ranks its
    candidates on both builds. Alerts: chosen sites and sites of existing centers
    whose rank or score moved beyond the thresholds (oicplan assumptions).

    Examples: oicplan watch changes --from /path/old-snapshot --to /path/new-snapshot ;
    oicplan watch changes --to /path/new-snapshot --json
    """
    from oicplan.data.paths import SNAPSHOT_DIR
    from oicplan.services.watch import WatchChangesRequest, watch_changes

    result = watch_changes(WatchChangesRequest(
        from_dir=from_dir or SNAPSHOT_DIR, to_dir=to_dir, scenario=scenario,
        plan_file=plan_file, rank_move=rank_move, score_move=score_move))
    document = result.document()
    if as_json:
        print_json(document)
        return
    counts = document["counts"]
    typer.echo(f"From {document['from']['folder']} ({document['from']['version']}) "
               f"to {document['to']['folder']} ({document['to']['version']})")
    for table, kinds in counts.items():
        typer.echo(f"{table}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()))
    values = [
        {"economy": r["entity"], "indicator": r["indicator"], "kind": r["kind"],
         "old": _cell(r["old_value"], r["old_year"]), "new": _cell(r["new_value"], r["new_year"])}
        for r in document["latest"][:limit]
    ]
    if values:
        print_rows(values, ["economy", "indicator", "kind", "old", "new"],
                   title="Latest values that changed", fold={"indicator": 16})
    field_rows = [
        {"source": r["source"], "economy": r["iso3"], "field": r["field"], "year": str(r["year"]),
         "kind": r["kind"], "old": _cell(r["old_value"]), "new": _cell(r["new_value"])}
        for r in document["fields"][:limit]
    ]
    if field_rows:
        print_rows(field_rows, ["source", "economy", "field", "year", "kind", "old", "new"],
                   title="Field values that changed", fold={"field": 20})
    moved = sorted(document["sites"], key=lambda s: -abs((s["old_rank"] or 0)
                                                          - (s["new_rank"] or 0)))
    site_rows = [
        {"site": s["site_id"], "rank": f"{s['old_rank'] or '-'} → {s['new_rank'] or '-'}",
         "score": f"{_number(s['old_score'])} → {_number(s['new_score'])}"}
        for s in moved[:limit]
    ]
    if site_rows:
        print_rows(site_rows, ["site", "rank", "score"],
                   title=f"Sites that moved ({len(document['sites'])}), largest rank moves first")
    thresholds = document["thresholds"]
    typer.echo(f"Alerts (rank move >= {thresholds['rank_move']:g} places or score move >= "
               f"{thresholds['score_move']:g}) for {len(document['watched'])} watched sites: "
               f"{len(document['alerts']) or 'none'}")
    for alert in document["alerts"]:
        typer.echo(f"  [{alert['severity']}] {alert['site_id']} ({alert['role']}): "
                   f"{alert['kind']}, rank {alert['old_rank']} → {alert['new_rank']}")
    for note in document["notes"]:
        typer.echo(f"Note: {note}")


def _cell(value: object, year: object = None) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} ({year})" if year is not None else text
