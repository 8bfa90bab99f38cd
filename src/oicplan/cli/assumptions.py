"""Command ``oicplan assumptions``: the stated numbers that drive a plan, with their reasons.

It parses options, calls :func:`oicplan.services.assumptions.assumptions` and prints
a table (or ``--json``) in Chinese or English; docs/assumptions.md explains the table.

>>> from typer.testing import CliRunner
>>> import typer
>>> app = typer.Typer()
>>> _ = app.command("assumptions")(assumptions)
>>> CliRunner().invoke(app, ["--help"]).exit_code
0
"""

from __future__ import annotations

import typer

from oicplan.cli.runtime import COLUMNS_HELP, FORMAT_HELP, parse_columns, print_json, print_rows

__all__ = ["assumptions"]

#: Column keys (for --columns) and their headers.
_COLUMNS = ("name", "value", "unit", "reason", "used_by", "source")
_HEADERS = {
    "en": ("Name", "Value", "Unit", "Reason", "Used by", "Source"),
    "zh": ("名称", "取值", "单位", "理由", "使用位置", "依据"),
}


def assumptions(
    scenario: str | None = typer.Option(
        None, "--scenario", "-s",
        help="Built-in scenario name or a scenario YAML file: show the values it sets under "
        "'assumptions' (marked *). Default: the stated values.",
    ),
    plan_only: bool = typer.Option(
        False, "--plan-only", help="Only the numbers that can move a plan (a scenario may "
        "set these; plan.json records them; oicplan sensitivity --assumptions sweeps them).",
    ),
    lang: str = typer.Option("zh", "--lang", help="Language of units and reasons: zh or en."),
    columns: str | None = typer.Option(
        None, "--columns", help=COLUMNS_HELP + f" Columns: {', '.join(_COLUMNS)}."
    ),
    output_format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON: scenario and assumptions (name, value, default, "
        "unit, unit_zh, reason, reason_zh, source, used_by, plan, overridden).",
    ),
) -> None:
    """The stated numbers that drive a plan: name, value, unit, reason and where each is used.

    Every threshold, weight and factor the planner chose (not read from data) is in
    one table (oicplan.assumptions): the center-mode threshold, the top-quarter cut
    of strategy eligibility, the rule/fit mix of mode scores, the layout model's
    option factors, the enterprise assignment weights, the alert thresholds and the
    transport cost index. A scenario may change those that move a plan under
    'assumptions:'; plan.json records the values a plan used.

    Examples:

        oicplan assumptions

        oicplan assumptions --lang en --plan-only

        oicplan assumptions --columns name,value,reason --format csv

        oicplan assumptions --scenario zhejiang --json
    """
    from oicplan.errors import InputError
    from oicplan.services.assumptions import AssumptionsRequest
    from oicplan.services.assumptions import assumptions as list_assumptions

    if lang not in ("zh", "en"):
        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    result = list_assumptions(AssumptionsRequest(scenario=scenario, plan_only=plan_only))
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    zh = lang == "zh"
    header = dict(zip(_COLUMNS, _HEADERS[lang], strict=True))
    rows = [
        {
            header["name"]: row.name,
            header["value"]: f"{row.value:g}" + ("*" if row.overridden else ""),
            header["unit"]: row.unit_zh if zh else row.unit,
            header["reason"]: row.reason_zh if zh else row.reason,
            header["used_by"]: "; ".join(row.used_by),
            header["source"]: row.source,
        }
        for row in result.assumptions
    ]
    selected = parse_columns(columns, list(_COLUMNS))
    title = ("模型假设（标*者为情景修改的值）" if zh
             else "Stated assumptions (* = set by the scenario)")
    print_rows(
        rows, list(header.values()), fmt=output_format,
        selected=None if selected is None else [header[key] for key in selected],
        title=title, right=(header["value"],),
        fold={header["unit"]: 8, header["reason"]: 24, header["used_by"]: 16,
              header["source"]: 10},
    )
