"""``oicplan data``: the embedded dataset's sources, values, export and rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from oicplan.cli.runtime import Table, handle_errors, print_json, steps

console = Console()

__all__ = ["data_app"]

data_app = typer.Typer(
    help="The embedded dataset: sources, values with year and source, export, rebuild.",
    no_args_is_help=True,
)

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
    from oicplan.services.data import DataBuildRequest, data_build

    request = DataBuildRequest(wdi_dir=wdi_dir, wgi_dir=wgi_dir, facts_dir=facts_dir, out_dir=out)
    with steps() as progress:
        task = progress.add_task("starting", total=None)
        built = data_build(
            request, progress=lambda message: progress.update(task, description=message)
        )
    console.print(
        f"snapshot {built.version}: {built.economies} economies, "
        f"{built.indicators} indicators, {built.sites} sites"
    )
    for gap in built.gaps:
        console.print(f"  gap: {gap}", highlight=False)


@data_app.command("sources")
@handle_errors
def data_sources(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every data source with its licence and as-of date."""
    from oicplan.services.data import DataSourcesRequest, data_sources

    sources = data_sources(DataSourcesRequest()).document()
    if json_output:
        print_json(sources)
        return
    table = Table(title="oicplan data sources")
    for column in ("id", "title", "licence", "as of"):
        table.add_column(column)
    for source in sources:
        title = source["title"]
        if source.get("tables"):
            title += f" [{', '.join(source['editions'])}: {source['tables'][0]}"
            title += f" … {source['tables'][-1]}]" if len(source["tables"]) > 1 else "]"
        table.add_row(source["id"], title, source["licence"], source["as_of"])
    console.print(table)


@data_app.command("show")
@handle_errors
def data_show(
    iso3: Annotated[str, typer.Argument(help="Economy code, ISO 3166 alpha-3 (e.g. KAZ).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show an economy's latest values, each with its year, age and source.

    A value older than its indicator's maximum age (the framework's max_age) is
    marked with * : the index treats it as missing.

    Example: oicplan data show KAZ
    """
    from oicplan.services.data import DataShowRequest, data_show

    shown = data_show(DataShowRequest(iso3=iso3))
    if json_output:
        print_json(shown.document())
        return
    table = Table(title=f"{shown.name_en} {shown.name_zh or ''} ({shown.iso3})",
                  caption="age: years before the indicator's newest value; "
                          "* past the index's maximum age (treated as missing)")
    for column in ("indicator", "title", "value", "year", "age", "source"):
        table.add_column(column, justify="right" if column in ("value", "year", "age") else "left")
    for item in shown.values:
        age = "" if item.age is None else f"{item.age}{'*' if item.stale else ''}"
        value = "" if item.value is None else f"{item.value:,.4g}"
        table.add_row(item.indicator, str(item.title), value, str(item.year), age,
                      item.source or "")
    console.print(table)
    if shown.fields:
        fields = Table(title="technology fields and disciplines (NCSES, Science and Engineering "
                             "Indicators)")
        for column in ("source", "field", "value", "unit", "year", "SEI table", "edition"):
            fields.add_column(column, justify="right" if column in ("value", "year") else "left")
        for item in shown.fields:
            fields.add_row(item.source, f"{item.field} {item.name_zh or ''}",
                           "" if item.value is None else f"{item.value:,.4g}", item.unit or "",
                           str(item.year), item.source_table or "", item.edition or "")
        console.print(fields)


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
    from oicplan.services.data import DataExportRequest, data_export

    exported = data_export(DataExportRequest(out=out, series=series))
    console.print(f"wrote {exported.rows} rows to {exported.out}")


