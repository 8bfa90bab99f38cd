"""The ``oicplan`` console entry point (``[project.scripts]``); nothing imports it.

Start-up matters (a 100,000-draw sensitivity run takes well under a second;
importing every command module takes longer). So a command that lives in its own
module (:data:`STANDALONE`, :data:`STANDALONE_GROUPS`: ``oicplan optimize``,
``oicplan sensitivity``, ``oicplan centers ...`` and the others) loads only that
module, for running and for its ``--help``; the remaining commands (and
``oicplan --help``) load the full app in :mod:`oicplan.cli.application`.
"""

from __future__ import annotations

import importlib
import sys

import typer

from oicplan.cli.runtime import guarded, handle_errors

__all__ = ["STANDALONE", "STANDALONE_GROUPS", "main"]

# Commands that can run from their own module alone: name -> (module, function).
STANDALONE = {
    "sensitivity": ("oicplan.cli.sensitivity", "sensitivity"),
    "assumptions": ("oicplan.cli.assumptions", "assumptions"),
    "mcda": ("oicplan.cli.mcda", "mcda"),
    "locate": ("oicplan.cli.locate", "locate"),
    "optimize": ("oicplan.cli.optimize", "optimize"),
    "tax": ("oicplan.cli.finance", "tax"),
    "cost": ("oicplan.cli.cost", "cost"),
    "access": ("oicplan.cli.geo", "access"),
    "corridors": ("oicplan.cli.geo", "corridors"),
    "match": ("oicplan.cli.match", "match"),
    "network": ("oicplan.cli.network", "network"),
    "serve": ("oicplan.cli.serve", "serve"),
    "plan": ("oicplan.cli.plan", "plan_command"),
}

# Command groups that can run from their own module: name -> (module, Typer app).
STANDALONE_GROUPS = {
    "weights": ("oicplan.cli.mcda", "weights_app"),
    "centers": ("oicplan.cli.centers", "centers_app"),
    "enterprises": ("oicplan.cli.match", "enterprises_app"),
    "users": ("oicplan.cli.users", "users_app"),
    "watch": ("oicplan.cli.watch", "watch_app"),
}


def main(argv: list[str] | None = None) -> None:
    """Run ``oicplan`` with ``argv`` (default: the process's arguments)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in STANDALONE:
        module, name = STANDALONE[args[0]]
        command = getattr(importlib.import_module(module), name)
        single = typer.Typer(
            add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="rich"
        )
        single.command(args[0])(handle_errors(command))
        single(args=args[1:], prog_name=f"oicplan {args[0]}")
        return
    if args and args[0] in STANDALONE_GROUPS:
        module, name = STANDALONE_GROUPS[args[0]]
        group = guarded(getattr(importlib.import_module(module), name))
        group.pretty_exceptions_enable = False
        group(args=args[1:], prog_name=f"oicplan {args[0]}")
        return
    from oicplan.cli.application import app

    app(args=args, prog_name="oicplan")


if __name__ == "__main__":
    main()
