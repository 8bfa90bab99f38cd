"""Commands ``oicplan match`` and ``oicplan enterprises``: industry–site matching.

The lead registers the plain function :func:`match` with
``app.command("match")(match.match)`` and the sub-app with
``app.add_typer(match.enterprises_app, name="enterprises")``. Both print a
user error as one line and exit with code 2 on their own.

>>> import json, typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> _ = app.command("match")(match)
>>> @app.callback()
... def main() -> None:
...     pass
>>> out = CliRunner().invoke(app, ["match", "--scenario", "zhejiang", "--json",
...                                "--site", "SGP-singapore"])
>>> data = json.loads(out.stdout)
>>> data["sites"], len(data["matrix"]) == len(data["industries"])
(['SGP-singapore'], True)
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console

from oicplan.cli.runtime import Table, working
from oicplan.errors import InputError

__all__ = ["enterprises_app", "match"]

enterprises_app = typer.Typer(
    help="Enterprises to send abroad: import your list (CSV/XLSX), list it, or see the "
    "SYNTHETIC illustrative sample. Format: docs/match.md.",
    no_args_is_help=True,
)


@contextlib.contextmanager
def in_option_words(
    fields: dict[str, str], messages: dict[tuple[str, str], str] | None = None
) -> Iterator[None]:
    """Say a service's input errors in the command's words, as the command always did.

    ``fields`` renames a request field to the option's name; ``messages`` maps
    ``(field, start of the service's message)`` to the command's own message.
    (:func:`oicplan.cli._flags.as_flag_error` rewrites messages that start with
    the field's name; these commands' messages never did.) Used by
    :mod:`oicplan.cli.network` too.

    >>> with in_option_words({"sites": "site"}):
    ...     raise InputError("bad", field="sites")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field site: bad
    """
    try:
        yield
    except InputError as error:
        field = error.field or ""
        message = next(
            (
                text
                for (name, start), text in (messages or {}).items()
                if name == field and error.message.startswith(start)
            ),
            None,
        )
        if field not in fields and message is None:
            raise
        raise InputError(
            message or error.message,
            file=error.file,
            row=error.row,
            field=fields.get(field, field),
        ) from None


def _echo_json(document: object) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def match(
    scenario: str = typer.Option(
        "zhejiang", "--scenario", help="Built-in scenario name or a scenario YAML file."
    ),
    preset: str = typer.Option(
        "balanced",
        "--preset",
        help="near: hosts strong where Zhejiang is strong; far: hosts strong where Zhejiang "
        "is weak; balanced: the taxonomy's field weights.",
    ),
    field_data: Path | None = typer.Option(
        None,
        "--field-data",
        help="CSV/XLSX iso3, field, value, year, source (e.g. WIPO patent publications by "
        "field) replacing the proxy where given; iso3 CN-ZJ gives Zhejiang's own values.",
    ),
    field_data_kind: str = typer.Option(
        "counts", "--field-data-kind", help="counts (turned into RCA) or index (1 = reference)."
    ),
    sites: list[str] | None = typer.Option(
        None, "--site", help="Only these site ids (repeat the option); default: all candidates."
    ),
    top: int = typer.Option(5, "--top", help="Sites shown per industry in the table view."),
    as_json: bool = typer.Option(
        False, "--json", help="Print {industries, sites, matrix, explanations, ...} as JSON."
    ),
) -> None:
    """Match Zhejiang's priority industries to the scenario's candidate sites.

    Each cell is in [0, 1]: the host's strength in the industry's technology fields,
    weighted by the preset. Host strengths are proxies from aggregate WDI and GII
    indicators (the data have no field-level counts) unless --field-data replaces them.
    Every cell's explanation names its signals, values, years and sources.

    Examples: oicplan match --scenario zhejiang ;
    oicplan match --preset far --json > match.json ;
    oicplan match --field-data wipo_patents_by_field.csv
    Method: docs/match.md.
    """
    from oicplan.match.matrix import PRESETS
    from oicplan.services.matching import MatchRequest
    from oicplan.services.matching import match as match_service

    request = MatchRequest(
        scenario=scenario,
        preset=preset,
        field_data=field_data,
        field_data_kind=field_data_kind,
        sites=sites or None,
    )
    with in_option_words({"sites": "site"}), working(
        f"matching Zhejiang's industries to the sites of {scenario}"
    ):
        answer = match_service(request)
    result = answer.result
    if as_json:
        _echo_json(answer.document)
        return
    console = Console(width=140)
    console.print(
        f"Match of {len(result.industries)} industries × {len(result.site_ids)} sites, "
        f"preset {preset}: {PRESETS[preset]}"
    )
    table = Table(title=f"Best {top} sites per industry (score in [0, 1])")
    for name in ("Industry", "Site", "Score", "Strongest field", "Data years"):
        table.add_column(name)
    for industry in result.industries:
        column = result.matrix.loc[industry].dropna().sort_values(ascending=False)
        label = result.taxonomy.industry(industry)["name_en"]
        for position, (site_id, score) in enumerate(column.head(top).items()):
            cell = result.explanations[industry][site_id]
            fields = [f for f in cell["fields"] if f["strength"] is not None]
            best = max(fields, key=lambda f: f["strength"])
            years = cell["years"] or ["", ""]
            table.add_row(
                label if position == 0 else "",
                site_id,
                f"{score:.3f}",
                f"{best['field']} {best['strength']:.2f} ({best['basis']})",
                f"{years[0]}–{years[1]}",
            )
    console.print(table)
    for note in result.notes:
        console.print(f"Note: {note}")


def _summary(frame, title: str, synthetic: bool, limit: int) -> None:
    from oicplan.match.enterprises import SYNTHETIC_NOTE

    console = Console(width=140)
    if synthetic:
        console.print(f"[bold yellow]{SYNTHETIC_NOTE}[/]")
    console.print(f"{title}: {len(frame)} enterprises")
    counts = Table(title="By industry and category")
    counts.add_column("Industry")
    for category in sorted(frame["category"].unique()):
        counts.add_column(category, justify="right")
    for industry, group in frame.groupby("industry"):
        numbers = group["category"].value_counts()
        counts.add_row(
            industry, *[str(int(numbers.get(c, 0))) for c in sorted(frame["category"].unique())]
        )
    console.print(counts)
    rows = Table(title=f"First {min(limit, len(frame))} rows")
    for name in ("name", "industry", "size", "home_city", "category", "tech_needs", "synthetic"):
        rows.add_column(name)
    for record in frame.head(limit).itertuples(index=False):
        rows.add_row(
            record.name,
            record.industry,
            record.size,
            record.home_city,
            record.category,
            record.tech_needs,
            "yes" if record.synthetic else "no",
        )
    console.print(rows)
    if synthetic:
        console.print(f"[bold yellow]Note: {SYNTHETIC_NOTE}[/]")


def _stored_path() -> str:
    from oicplan.match.enterprises import enterprises_path

    return str(enterprises_path())


@enterprises_app.command("import")
def enterprises_import(
    file: Path = typer.Argument(..., help="CSV or XLSX: name, industry, size, home_city, ..."),
    append: bool = typer.Option(False, "--append", help="Add to the stored list, not replace."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored enterprises as JSON."),
) -> None:
    """Validate an enterprise file and keep it in your data folder.

    The file is accepted whole or not at all: the first bad row stops the import with
    its row (header = row 1) and field, and nothing is stored. Stored in
    $OICPLAN_DATA_DIR/enterprises.csv, else ~/.local/share/oicplan/enterprises.csv.
    """
    from oicplan.match.enterprises import SYNTHETIC_NOTE
    from oicplan.services.matching import EnterprisesImportRequest
    from oicplan.services.matching import enterprises_import as import_service

    result = import_service(EnterprisesImportRequest(file=file, append=append))
    if as_json:
        _echo_json(result.document())
        return
    typer.echo(f"imported {result.count} enterprises into {result.stored}")
    if result.synthetic:
        typer.echo(f"Note: some rows are marked synthetic. {SYNTHETIC_NOTE}")


@enterprises_app.command("list")
def enterprises_list(
    sample: bool = typer.Option(False, "--sample", help="List the synthetic sample instead."),
    limit: int = typer.Option(10, "--limit", help="Rows shown in the table view."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the stored enterprises (from the last import), or the sample."""
    from oicplan.services.matching import EnterprisesListRequest
    from oicplan.services.matching import enterprises_list as list_service

    result = list_service(EnterprisesListRequest(sample=sample))
    if result.count == 0:
        typer.echo(
            f"no enterprises stored at {result.path}; run 'oicplan enterprises import "
            "FILE' (or see 'oicplan enterprises sample')"
        )
        return
    if as_json:
        _echo_json(result.document())
        return
    _summary(result.frame, "sample" if sample else str(result.path), result.synthetic, limit)


@enterprises_app.command("sample")
def enterprises_sample(
    out: Path | None = typer.Option(
        None, "--out", help="Write the sample as CSV (a template for your own file)."
    ),
    limit: int = typer.Option(10, "--limit", help="Rows shown in the table view."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the SYNTHETIC illustrative sample: 146 backbone, 3,973 high-tech enterprises.

    The counts follow the paper (section 3.3); names, industries, cities and sizes are
    invented from assumed uniform shares. No real company is listed.
    """
    from oicplan.services.matching import EnterprisesSampleRequest
    from oicplan.services.matching import enterprises_sample as sample_service

    result = sample_service(EnterprisesSampleRequest(out=out))
    if result.written is not None:
        typer.echo(f"wrote {result.count} SYNTHETIC enterprises to {result.written}")
        return
    if as_json:
        _echo_json(result.document())
        return
    _summary(result.frame, "Illustrative sample", True, limit)


@enterprises_app.command("assign")
def enterprises_assign(
    scenario: str = typer.Option(
        "zhejiang", "--scenario", help="Built-in scenario name or a scenario .yaml file."
    ),
    sample: bool = typer.Option(
        False, "--sample", help="Assign the synthetic sample instead of the stored enterprises."
    ),
    capacity: int | None = typer.Option(
        None, "--capacity", min=1, help="Enterprises per center (default: shared evenly)."
    ),
    limit: int = typer.Option(5, "--limit", help="Enterprises shown per center in the table."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Assign enterprises to the scenario's planned centers, by match and access.

    Plans the scenario (oicplan plan), then solves a capacitated assignment: each
    enterprise goes to the center whose host best matches its industry and
    technology needs, nearer (fewer days from Zhejiang by the best mode) preferred.
    Each center lists the enterprises it would serve. Example:
    oicplan enterprises assign --sample --capacity 400
    """
    from oicplan.services.matching import AssignRequest
    from oicplan.services.matching import enterprises_assign as assign_service

    request = AssignRequest(scenario=scenario, sample=sample, capacity=capacity)
    stored = _stored_path()
    no_list = (
        f"no enterprises stored at {stored}; run 'oicplan enterprises "
        "import FILE' or use --sample"
    )
    with in_option_words({}, {("enterprises", "no enterprises stored"): no_list}), working(
        f"planning {scenario} to find its centers"
    ):
        result = assign_service(request)
    if as_json:
        _echo_json(result.document)
        return
    console = Console()
    table = Table(title=f"{scenario}: enterprises per planned center")
    for column in ("center", "capacity", "assigned", "first enterprises"):
        table.add_column(column)
    for site, names in result.by_site.items():
        table.add_row(site, str(result.capacities[site]), str(len(names)), "; ".join(names[:limit]))
    console.print(table)
    if result.unassigned:
        console.print(f"unassigned: {len(result.unassigned)}")
    if result.synthetic:
        console.print(
            "Note: SYNTHETIC illustrative enterprises (not real companies)", style="bold yellow"
        )
