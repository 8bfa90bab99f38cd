"""The ``oicplan`` console entry point, and the one-line error handling every command uses.

Start-up matters for the heavy one-shot commands (a 100,000-draw sensitivity run
takes well under a second; importing every command module takes longer). So
``oicplan sensitivity``, ``oicplan mcda`` and ``oicplan locate`` load only their own
module; every other command (and ``oicplan --help``) loads the full app in
:mod:`oicplan.cli`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
from collections.abc import Callable, Iterator

import typer
from rich.console import Console
from rich.markup import escape

from oicplan.errors import OicplanError

__all__ = ["handle_errors", "main", "working"]

# Commands that can run from their own module alone: name -> (module, function).
STANDALONE = {
    "sensitivity": ("oicplan.cli_sensitivity", "sensitivity"),
    "mcda": ("oicplan.cli_mcda", "mcda"),
    "locate": ("oicplan.cli_locate", "locate"),
}

err_console = Console(stderr=True)


@contextlib.contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while a step runs, when stderr is a terminal.

    Piped or captured output (``--json`` into a file, tests) gets nothing extra.

    >>> with working("ranking 435 sites"):
    ...     pass
    """
    if not err_console.is_terminal:
        yield
        return
    with err_console.status(f"{message} ..."):
        yield


def handle_errors(command: Callable) -> Callable:
    """Wrap a command so a user error prints one line and exits with code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OicplanError as error:
            # escape: a message such as "a[x,y] = 3" must not be read as Rich markup.
            err_console.print(
                f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(error.exit_code) from None

    return wrapper


def main(argv: list[str] | None = None) -> None:
    """Run ``oicplan`` with ``argv`` (default: the process's arguments)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in STANDALONE:
        module, name = STANDALONE[args[0]]
        command = getattr(importlib.import_module(module), name)
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(args[0])(handle_errors(command))
        single(args=args[1:], prog_name=f"oicplan {args[0]}")
        return
    from oicplan.cli import app

    app(args=args, prog_name="oicplan")


if __name__ == "__main__":
    main()
