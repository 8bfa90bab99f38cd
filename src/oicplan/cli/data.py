"""``oicplan data``: the embedded dataset's sources, values, export and rebuild."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from oicplan.cli.runtime import handle_errors, print_json, steps

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
    from oicplan.data.build import SNAPSHOT_DIR, build_snapshot

    with steps() as progress:
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
        print_json(sources)
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
        print_json(
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


