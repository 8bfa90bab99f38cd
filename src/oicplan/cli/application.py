"""The full ``oicplan`` app: every command group registered on one Typer app.

Only the entry point (:mod:`oicplan.cli.main`) and tests load this module; each
group lives in its own module of :mod:`oicplan.cli`, and every command turns an
:class:`~oicplan.errors.OicplanError` (bad input, an impossible request) into one
line on standard error and exit code 2. Output meant for other programs is
available with ``--json``.
"""

from __future__ import annotations

import typer

from oicplan.cli import (
    assumptions,
    centers,
    cost,
    data,
    finance,
    geo,
    locate,
    match,
    mcda,
    network,
    optimize,
    plan,
    scenario,
    sensitivity,
    serve,
    users,
    watch,
)
from oicplan.cli.runtime import guarded, handle_errors

__all__ = ["app"]

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


app.add_typer(data.data_app, name="data")
app.add_typer(scenario.scenario_app, name="scenario")
app.command("rank")(handle_errors(plan.rank_command))
app.command("plan")(handle_errors(plan.plan_command))
app.command("audit")(handle_errors(plan.audit_command))
app.command("disrupt")(handle_errors(geo.disrupt_command))
app.command("mcda")(handle_errors(mcda.mcda))
app.command("locate")(handle_errors(locate.locate))
app.command("optimize")(handle_errors(optimize.optimize))
app.command("tax")(handle_errors(finance.tax))
app.command("cost")(handle_errors(cost.cost))
app.command("access")(handle_errors(geo.access))
app.command("corridors")(handle_errors(geo.corridors))
app.command("match")(handle_errors(match.match))
app.command("network")(handle_errors(network.network))
app.command("sensitivity")(handle_errors(sensitivity.sensitivity))
app.command("assumptions")(handle_errors(assumptions.assumptions))
app.add_typer(guarded(mcda.weights_app), name="weights")
app.add_typer(guarded(centers.centers_app), name="centers")
app.add_typer(guarded(match.enterprises_app), name="enterprises")
app.add_typer(guarded(users.users_app), name="users")
app.add_typer(guarded(watch.watch_app), name="watch")
app.command("serve")(handle_errors(serve.serve))
