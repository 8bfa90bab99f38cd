"""The command line's shared runtime: one-line errors, progress, JSON and tables.

Every command module of :mod:`oicplan.cli` uses these, and none of them imports
the entry point (:mod:`oicplan.cli.main`) or the full app (:mod:`oicplan.cli.application`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from oicplan.errors import OicplanError

__all__ = [
    "AVOID_HELP",
    "SCENARIO_HELP",
    "err_console", "guarded", "handle_errors", "print_json", "steps", "working"]

err_console = Console(stderr=True)

AVOID_HELP = (
    "Close corridors, comma-separated: sea passages (malacca, sunda, hormuz, bab-el-mandeb, "
    "suez, bosporus, gibraltar, good-hope, panama, cape-horn, bering, northwest), border "
    "crossings (alashankou, khorgos, manzhouli) or rail segments (Yiwu-Madrid); access is "
    "recomputed before ranking."
)

SCENARIO_HELP = (
    "Built-in scenario (zhejiang, balanced, zone_upgrade, rail_corridor, "
    "backbone_enterprises, st_leader, standards_policy) or a path to a YAML file."
)


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


def print_json(document: object) -> None:
    """Write ``document`` to standard output as indented UTF-8 JSON (Chinese kept as is)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def steps() -> Progress:
    """A transient spinner with a changing description and elapsed time, on a terminal only."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
