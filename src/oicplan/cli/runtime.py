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
from rich.table import Table as RichTable

from oicplan.errors import OicplanError

__all__ = [
    "AVOID_HELP",
    "COLUMNS_HELP",
    "FORMAT_HELP",
    "SCENARIO_HELP",
    "Table",
    "columns_that_fit",
    "err_console",
    "guarded",
    "handle_errors",
    "parse_columns",
    "print_json",
    "print_rows",
    "steps",
    "working",
]

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


# ------------------------------------------------------------------------------ tables

TABLE_FORMATS = ("table", "csv", "json")
FORMAT_HELP = "Output format: table (the columns that fit the terminal), csv or json."
COLUMNS_HELP = (
    "Columns to show, comma-separated (default: as many as fit, in order); "
    "csv and json give every column unless this is set."
)


class Table(RichTable):
    """A Rich table whose cells wrap (and fold long words) instead of ending in "…".

    Every table of the command line is one of these, so nothing a user reads is
    cut in an 80-column terminal or a pipe; a column may still ask for another
    overflow.

    >>> Table("site").columns[0].overflow
    'fold'
    """

    def add_column(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)  # type: ignore[arg-type]


def parse_columns(text: str | None, known: list[str]) -> list[str] | None:
    """The columns of ``--columns`` in the order given, or None for the default.

    >>> parse_columns("score, site", ["rank", "site", "score"])
    ['score', 'site']
    >>> parse_columns(None, ["rank"]) is None
    True
    """
    from oicplan.errors import InputError

    if text is None or not text.strip():
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InputError(f"unknown column {unknown[0]!r}; use {', '.join(known)}", field="columns")
    return names


def _cell_width(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.splitlines()), default=0)


def columns_that_fit(
    columns: list[str],
    rows: list[dict[str, str]],
    width: int,
    keep: int = 1,
    fold: dict[str, int] | None = None,
) -> list[str]:
    """The leading columns whose full text fits in ``width`` terminal cells.

    A Rich table with borders takes, per column, its widest cell plus three cells
    (a rule and two of padding), and one more at the end. A column in ``fold``
    (name -> narrowest width) may wrap its long cells over several lines, so it
    needs only that width. At least ``keep`` columns are kept.

    >>> rows = [{"rank": "1", "site": "Singapore", "score": "0.812"}]
    >>> columns_that_fit(["rank", "site", "score"], rows, 80)
    ['rank', 'site', 'score']
    >>> columns_that_fit(["rank", "site", "score"], rows, 20)
    ['rank', 'site']
    """
    used = 1
    chosen: list[str] = []
    fold = fold or {}
    for column in columns:
        if column in fold:
            widest = _fold_width(column, rows, fold)
        else:
            widest = max([_cell_width(column)] + [_cell_width(row[column]) for row in rows])
        need = widest + 3
        if used + need > width and len(chosen) >= keep:
            break
        chosen.append(column)
        used += need
    return chosen


def _fold_width(column: str, rows: list[dict[str, str]], fold: dict[str, int]) -> int:
    """The width of a folded column: its widest cell, at most its narrowest width."""
    widest = max([_cell_width(column)] + [_cell_width(row[column]) for row in rows])
    return min(widest, max(fold[column], _cell_width(column)))


def print_rows(
    rows: list[dict[str, str]],
    columns: list[str],
    *,
    fmt: str = "table",
    selected: list[str] | None = None,
    title: str | None = None,
    right: tuple[str, ...] = (),
    console: Console | None = None,
    fold: dict[str, int] | None = None,
) -> list[str]:
    """Print rows of text cells as a table that fits the terminal, as CSV or as JSON.

    ``table`` shows ``selected`` (default: the leading ``columns`` that fit the
    terminal, 80 cells in a pipe, never cut to "Si…") and says which columns it
    left out; columns in ``fold`` (name -> narrowest width) wrap long cells over
    lines instead, never cut. ``csv`` and ``json`` write ``selected`` or every
    column to standard output, whole. Returns the columns written.
    """
    import csv

    from oicplan.errors import InputError

    if fmt not in TABLE_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use {', '.join(TABLE_FORMATS)}", field="format")
    shown = selected or columns
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(shown)
        for row in rows:
            writer.writerow([row[column] for column in shown])
        return shown
    if fmt == "json":
        print_json([{column: row[column] for column in shown} for row in rows])
        return shown
    console = console or Console()
    fold = fold or {}
    if selected is None:
        shown = columns_that_fit(columns, rows, console.width, fold=fold)
    table = Table(title=title)
    for column in shown:
        table.add_column(
            column,
            justify="right" if column in right else "left",
            no_wrap=column not in fold,
            overflow="fold",
            # A folded column gets its width (Rich would size it by its longest word).
            width=_fold_width(column, rows, fold) if column in fold else None,
        )
    for row in rows:
        table.add_row(*[row[column] for column in shown])
    console.print(table)
    left_out = [column for column in columns if column not in shown]
    if left_out and selected is None:
        console.print(
            f"not shown (terminal {console.width} columns wide): {', '.join(left_out)}; "
            "use --columns or --format csv",
            style="dim",
            highlight=False,
        )
    return shown
