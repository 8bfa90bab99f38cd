"""``oicplan scenario``: list, show and validate scenarios."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from oicplan.cli.runtime import handle_errors

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


