"""``oicplan scenario``: list, show and validate scenarios."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from oicplan.cli.runtime import Table, handle_errors

console = Console()

__all__ = ["scenario_app"]

scenario_app = typer.Typer(
    help="Scenarios: built-in presets and your own YAML files.", no_args_is_help=True
)

# ----------------------------------------------------------------------- scenario


@scenario_app.command("list")
@handle_errors
def scenario_list() -> None:
    """List the built-in scenario and the layout-strategy presets."""
    from oicplan.services.planning import ScenarioListRequest, scenario_list

    table = Table(title="built-in scenarios")
    table.add_column("name")
    table.add_column("title")
    for entry in scenario_list(ScenarioListRequest()).scenarios:
        table.add_row(entry.name, f"{entry.title_en}\n{entry.title_zh}")
    console.print(table)


@scenario_app.command("show")
@handle_errors
def scenario_show(
    name: Annotated[
        str, typer.Argument(help="A built-in name (zhejiang, balanced, ...) or a YAML path.")
    ],
) -> None:
    """Print a scenario's YAML, to copy and edit: oicplan scenario show zhejiang > my.yaml"""
    from oicplan.services.planning import ScenarioShowRequest, scenario_show

    sys.stdout.write(scenario_show(ScenarioShowRequest(name=name)).yaml)


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
    from oicplan.services.planning import ScenarioValidateRequest, scenario_validate

    result = scenario_validate(ScenarioValidateRequest(path=path))
    console.print(f"{path}: valid; {result.candidates} candidate sites")


