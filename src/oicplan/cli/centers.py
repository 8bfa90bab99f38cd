"""Commands ``oicplan centers ...``: the registry of established overseas centers.

The lead registers :data:`centers_app` with
``app.add_typer(centers.centers_app, name="centers")``.

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> app.add_typer(centers_app, name="centers")
>>> CliRunner().invoke(app, ["centers", "--help"]).exit_code
0
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from oicplan import assumptions
from oicplan.cli.runtime import COLUMNS_HELP, FORMAT_HELP, Table, parse_columns, print_rows
from oicplan.errors import InputError

__all__ = ["centers_app"]

_URL_KEY = "oicplan.centers.database_url"
_LIST_COLUMNS = ("id", "host city", "iso3", "site", "mode", "operator", "opened")
# Columns whose long cells wrap (narrowest width); ids and sites are folded, never cut.
_LIST_FOLD = {"id": 20, "host city": 9, "site": 12, "operator": 10}
_LIGHT_STYLE = {"green": "green", "amber": "yellow", "red": "bold red"}

centers_app = typer.Typer(
    name="centers",
    no_args_is_help=True,
    help=(
        "Registry of Zhejiang's established overseas innovation centers: list and add "
        "centers, import yearly KPI values, set targets and see alerts.\n\n"
        "The registry is a SQLite file under your data directory "
        "(~/.local/share/oicplan/oicplan.sqlite), created and seeded with 15 sourced "
        "centers on first use. Set OICPLAN_DATABASE_URL (or --database-url) to use "
        "another file or a shared PostgreSQL server, e.g. "
        "postgresql+psycopg://user:password@host/oicplan."
    ),
)


def _database_url(ctx: typer.Context) -> str | None:
    return ctx.meta.get(_URL_KEY)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn a database that cannot be reached into one line and exit code 2.

    User errors (:class:`~oicplan.errors.OicplanError`) are left to the command line's
    shared handler (:func:`oicplan.cli.runtime.handle_errors`).
    """
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:  # the store turns most into DatabaseUnavailableError
        from oicplan.store.db import DatabaseUnavailableError

        raise DatabaseUnavailableError(str(exc.orig or exc)) from None


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@centers_app.callback()
def _main(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="OICPLAN_DATABASE_URL",
        help="SQLAlchemy URL of the registry; default: the SQLite file in your data dir.",
        show_envvar=True,
    ),
) -> None:
    """Registry of established centers."""
    ctx.meta[_URL_KEY] = database_url


@centers_app.command("list")
def list_centers(
    ctx: typer.Context,
    mode: str | None = typer.Option(
        None,
        "--mode",
        help="Only this mode: offshore_rd_center, offshore_incubator, joint_lab, "
        "zone_upgrade or corridor_hub.",
    ),
    iso3: str | None = typer.Option(None, "--iso3", help="Only this host country, e.g. USA."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (all fields, with sources)."),
    columns: str | None = typer.Option(None, "--columns", help=COLUMNS_HELP),
    output_format: str = typer.Option("table", "--format", help=FORMAT_HELP),
) -> None:
    """List the centers with host city, country, candidate site, mode, operator and opening year.

    Opening years come from the sources; where a source says only "2018 or
    earlier" the year is left empty and the text is kept (see --json). The site
    column shows the candidate site a center is linked to (centers add
    --site-id); it is empty for centers without a link.

    The table shows the columns that fit the terminal and names the others.
    Examples: oicplan centers list ; oicplan centers list --columns id,site,mode ;
    oicplan centers list --format csv > centers.csv ; oicplan centers list --json
    """
    from oicplan.services.registry import ListCentersRequest, list_centers

    request = ListCentersRequest(database_url=_database_url(ctx), mode=mode, iso3=iso3)
    with _errors():
        centers = list_centers(request).document()
    if as_json:
        _print_json(centers)
        return
    rows = [
        {
            "id": c["id"],
            "host city": c["host_city"] or "",
            "iso3": c["iso3"],
            "site": c.get("site_id") or "",
            "mode": c["mode"],
            "operator": c["operator"] or "",
            "opened": str(c["opening_year"] or c["opening_year_text"] or ""),
        }
        for c in centers
    ]
    # Whole cells only (ids and sites are typed in other commands): the columns that fit.
    print_rows(
        rows,
        list(_LIST_COLUMNS),
        fmt=output_format,
        selected=parse_columns(columns, list(_LIST_COLUMNS)),
        title=f"Established centers ({len(centers)})",
        console=Console(),
        fold=_LIST_FOLD,
    )


@centers_app.command("add")
def add_center(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="English name of the center."),
    iso3: str = typer.Option(..., "--iso3", help="Host country, ISO 3166 alpha-3 (DEU, ISR)."),
    mode: str = typer.Option(
        ...,
        "--mode",
        help="offshore_rd_center, offshore_incubator, joint_lab, zone_upgrade or corridor_hub.",
    ),
    center_id: str | None = typer.Option(
        None, "--id", help="Stable id (lower case, digits, '-'); default: made from the name."
    ),
    name_zh: str | None = typer.Option(None, "--name-zh", help="Chinese name."),
    host_city: str | None = typer.Option(None, "--host-city", help="Host city."),
    operator: str | None = typer.Option(
        None, "--operator", help="Zhejiang enterprise, city or body operating it."
    ),
    opening_year: int | None = typer.Option(
        None,
        "--opening-year",
        help="Year it opened (1900..this year). KPI values and year targets for earlier "
        "years are then refused.",
    ),
    partners: str | None = typer.Option(None, "--partners", help="Partners, free text."),
    source: str | None = typer.Option(
        None, "--source", help="Where the facts come from (URL or document); please give one."
    ),
    site_id: str | None = typer.Option(
        None,
        "--site-id",
        help="Candidate site where the center is, e.g. HUN-budapest (ISO3-city, as in "
        "'oicplan rank --json'); must be a known site in the --iso3 country. Links the "
        "center's performance to that site in plan/rank --feedback.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the stored center as JSON."),
) -> None:
    """Add a center to the registry.

    Example: oicplan centers add --name "Zhejiang-Hungary Joint Lab" --iso3 HUN
    --mode joint_lab --host-city Budapest --site-id HUN-budapest --opening-year 2023
    --source https://...
    """
    from oicplan.services.registry import AddCenterRequest, add_center

    request = AddCenterRequest(
        database_url=_database_url(ctx),
        id=center_id,
        name=name,
        iso3=iso3,
        mode=mode,
        name_zh=name_zh,
        host_city=host_city,
        operator=operator,
        opening_year=opening_year,
        partners=partners,
        source=source,
        site_id=site_id,
    )
    with _errors():
        center = add_center(request).document()
    if as_json:
        _print_json(center)
    else:
        site = f", site {center['site_id']}" if center.get("site_id") else ""
        typer.echo(f"Added {center['id']} ({center['mode']}, {center['iso3']}{site}).")


@centers_app.command("import-kpis")
def import_kpis_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV or XLSX with center_id, year, kpi, value, unit."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Import yearly KPI values from a CSV or Excel file, all or nothing.

    Columns: center_id, year, kpi, value, unit (header in row 1). KPIs and units:
    incubated_enterprises (enterprises), projects_landed_in_zhejiang (projects),
    patents (patents), talents_introduced (persons), tech_transfer_deals (deals),
    revenue (CNY 10k), partner_enterprises (enterprises). A blank unit means the
    KPI's unit. Values must be numbers of zero or more, whole numbers for counts;
    years 1990 to this year, and not before the center's opening year when the
    registry has one (centers add --opening-year). The first bad row stops the
    import with its row number and field, and nothing is stored. Existing values
    for the same center, year and KPI are replaced.

    Example (kpis.csv with a row "alibaba-damo-academy-lab-moscow,2024,patents,12,"):
    oicplan centers import-kpis kpis.csv
    """
    from oicplan.services.registry import ImportKpisRequest, import_kpis

    request = ImportKpisRequest(database_url=_database_url(ctx), file=file)
    with _errors():
        summary = import_kpis(request).document()
    if as_json:
        _print_json(summary)
    else:
        typer.echo(
            f"Imported {summary['rows']} KPI values for {len(summary['centers'])} centers "
            f"from {summary['file']}."
        )


@centers_app.command("set-site")
def set_site_cmd(
    ctx: typer.Context,
    center_id: str = typer.Argument(..., help="Center id (see 'centers list')."),
    site_id: str | None = typer.Argument(
        None, help="Candidate site in the center's country, e.g. RUS-moscow."
    ),
    clear: bool = typer.Option(False, "--clear", help="Remove the center's site link."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored center as JSON."),
) -> None:
    """Link an existing center to a candidate site (or remove the link with --clear).

    The same check as centers add --site-id: a known site id (ISO3-city, as in
    'oicplan rank --json') in the center's country. Plan and rank --feedback then
    place the center's performance at that site instead of matching its name.

    Examples: oicplan centers set-site alibaba-damo-academy-lab-moscow RUS-moscow ;
    oicplan centers set-site alibaba-damo-academy-lab-moscow --clear
    """
    if clear == (site_id is not None):
        raise InputError("give a SITE_ID or --clear (not both)", field="site_id")
    from oicplan.services.registry import SetSiteRequest, set_site

    request = SetSiteRequest(
        database_url=_database_url(ctx), center_id=center_id, site_id=None if clear else site_id
    )
    with _errors():
        center = set_site(request).document()
    if as_json:
        _print_json(center)
    else:
        typer.echo(f"{center['id']}: site {center['site_id'] or '(none)'}.")


@centers_app.command("set-target")
def set_target_cmd(
    ctx: typer.Context,
    center_id: str = typer.Argument(..., help="Center id (see 'centers list')."),
    kpi: str = typer.Argument(..., help="KPI name, e.g. patents."),
    target: float = typer.Argument(..., help="Target value in the KPI's unit."),
    year: int | None = typer.Option(
        None, "--year", help="Target for this year only; default: every year."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the stored target as JSON."),
) -> None:
    """Set the target of a KPI for a center (replaces the previous one).

    The alerts compare each reported value with the target for its year, or the
    every-year target if none is set for that year.

    Example: oicplan centers set-target alibaba-damo-academy-lab-moscow patents 10
    """
    from oicplan.services.registry import SetTargetRequest, set_target

    request = SetTargetRequest(
        database_url=_database_url(ctx), center_id=center_id, kpi=kpi, target=target, year=year
    )
    with _errors():
        stored = set_target(request)
    if as_json:
        _print_json(stored.document())
    else:
        when = "every year" if year is None else str(year)
        typer.echo(f"Target for {center_id} {kpi} ({when}): {target:g} {stored.unit}.")


@centers_app.command("alerts")
def alerts_cmd(
    ctx: typer.Context,
    years: int = typer.Option(
        int(assumptions.default("alerts.below_target_years")),
        "--years",
        min=1,
        help="Alert when a KPI is below target this many years in a row.",
    ),
    costs: Path | None = typer.Option(
        None,
        "--costs",
        help="CSV/XLSX with center_id, year, budget, actual: adds cost-overrun alerts.",
    ),
    risk: Path | None = typer.Option(
        None,
        "--risk",
        help="CSV/XLSX with iso3, year, score (higher = riskier) to use instead of the "
        "embedded governance data (WGI) for the host-risk alerts.",
    ),
    min_rise: float = typer.Option(
        assumptions.default("alerts.risk_min_rise"),
        "--min-rise",
        min=0,
        help="Host-risk alert when the risk score rose by more than this over the last 3 "
        "observations (years with all five WGI estimates; WGI units; WGI's own standard "
        "errors are about 0.2).",
    ),
    previous_snapshot: Path | None = typer.Option(
        None,
        "--previous-snapshot",
        help="An older snapshot build (oicplan data build --out ...): adds the technology "
        "watch's alerts for centers whose site moved in the ranking since that build "
        "(oicplan watch changes; thresholds watch.rank_move and watch.score_move).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Traffic light per center (green, amber, red) with the reasons.

    Red: a KPI below target for --years consecutive years, or cost more than 20%
    over budget. Amber: smaller cost overrun, host-country risk rising (from the
    embedded Worldwide Governance Indicators unless --risk is given), or no KPI
    values reported yet. Green: none of these. With --previous-snapshot, a center
    whose site fell in the ranking between that data build and the current one is
    amber too (a rise is listed, green).

    Examples: oicplan centers alerts ; oicplan centers alerts --years 3 --json ;
    oicplan centers alerts --costs costs.csv --risk my_risk.csv
    """
    from oicplan.services.registry import CenterAlertsRequest, center_alerts

    request = CenterAlertsRequest(
        database_url=_database_url(ctx),
        years=years,
        costs_file=costs,
        risk_file=risk,
        min_rise=min_rise,
        previous_snapshot=previous_snapshot,
    )
    with _errors():
        rows = center_alerts(request).document()
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Centers: traffic lights")
    table.add_column("light")
    table.add_column("id", overflow="fold", min_width=24)
    table.add_column("iso3")
    table.add_column("reasons")
    for r in rows:
        reasons = "; ".join(a["message"] for a in r["alerts"]) or "-"
        style = _LIGHT_STYLE[r["light"]]
        table.add_row(f"[{style}]{r['light']}[/]", r["center_id"], r["iso3"], reasons)
    Console().print(table)
