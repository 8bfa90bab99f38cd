"""The ``oicplan`` console entry point, and the one-line error handling every command uses.

Start-up matters (a 100,000-draw sensitivity run takes well under a second;
importing every command module takes longer). So a command that lives in its own
module (:data:`STANDALONE`, :data:`STANDALONE_GROUPS`: ``oicplan optimize``,
``oicplan sensitivity``, ``oicplan centers ...`` and the others) loads only that
module, for running and for its ``--help``; the remaining commands (and
``oicplan --help``) load the full app in :mod:`oicplan.cli`.
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
    "optimize": ("oicplan.cli_optimize", "optimize"),
    "tax": ("oicplan.cli_finance", "tax"),
    "cost": ("oicplan.cli_cost", "cost"),
    "access": ("oicplan.cli_geo", "access"),
    "corridors": ("oicplan.cli_geo", "corridors"),
    "match": ("oicplan.cli_match", "match"),
    "network": ("oicplan.cli_network", "network"),
}

# Command groups that can run from their own module: name -> (module, Typer app).
STANDALONE_GROUPS = {
    "weights": ("oicplan.cli_mcda", "weights_app"),
    "centers": ("oicplan.cli_centers", "centers_app"),
    "enterprises": ("oicplan.cli_match", "enterprises_app"),
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


def _os_error_line(error: OSError) -> str:
    """``<path>: <reason>`` for a file-system error (the reason alone if it names no path).

    >>> _os_error_line(FileNotFoundError(2, "No such file or directory", "/nodir/c.svg"))
    '/nodir/c.svg: No such file or directory'
    >>> _os_error_line(OSError("Cannot save file into a non-existent directory: 'x'"))
    "Cannot save file into a non-existent directory: 'x'"
    """
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError) and error.filename is not None:
        # mkdir(exist_ok=True) fails so only when a file stands where a folder must be.
        reason = "exists and is a file, not a folder"
    if error.filename is None:
        return reason
    path = f"{error.filename}"
    if error.filename2 is not None:
        path += f" -> {error.filename2}"
    return f"{path}: {reason}"


def handle_errors(command: Callable) -> Callable:
    """Wrap a command so a user error prints one line and exits with code 2.

    Besides :class:`~oicplan.errors.OicplanError`, an :class:`OSError` (a missing
    folder, a file where a folder must be, a folder where a file must be, no
    permission: ``FileNotFoundError``, ``FileExistsError``, ``NotADirectoryError``,
    ``IsADirectoryError``, ``PermissionError`` ...) is reported the same way, as
    ``error: <path>: <reason>``: these come from the user's paths and machine, not
    from a bug in oicplan, so a traceback would only hide the one line that matters.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OicplanError as error:
            _print_error(str(error))
            raise typer.Exit(error.exit_code) from None
        except OSError as error:
            _print_error(_os_error_line(error))
            raise typer.Exit(2) from None

    return wrapper


def _print_error(message: str) -> None:
    # escape: a message such as "a[x,y] = 3" must not be read as Rich markup.
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def guarded(sub_app: typer.Typer) -> typer.Typer:
    """A copy of a module's Typer app whose commands go through :func:`handle_errors`.

    The module's own app is left as it is, so its tests see the raw exceptions.
    """
    import copy

    out = typer.Typer()
    out.info = sub_app.info
    out.registered_groups = list(sub_app.registered_groups)
    callback = sub_app.registered_callback
    if callback is not None and callback.callback is not None:
        callback = copy.copy(callback)
        callback.callback = handle_errors(callback.callback)
    out.registered_callback = callback
    for command in sub_app.registered_commands:
        command = copy.copy(command)
        command.callback = handle_errors(command.callback)
        out.registered_commands.append(command)
    return out


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
    from oicplan.cli import app

    app(args=args, prog_name="oicplan")


if __name__ == "__main__":
    main()
