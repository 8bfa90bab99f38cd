"""Errors that the command line turns into one clear line and exit code 2.

Every error a user can cause by bad input is an :class:`OicplanError`. It names
the file, the row (as a spreadsheet shows it: the header is row 1, so the first
data row is row 2) and the field, so the user can find the problem without a
traceback.

>>> str(InputError("bad number", file="m.csv", row=3, field="gdp"))
'm.csv, row 3, field gdp: bad number'
>>> str(InputError("unknown scenario 'x'", field="scenario"))
"field scenario: unknown scenario 'x'"
"""

from __future__ import annotations

__all__ = [
    "OicplanError",
    "InputError",
    "NotFoundError",
    "InfeasibleError",
    "ConflictError",
    "spreadsheet_row",
]


def _one_line(message: object) -> str:
    """``message`` with its line breaks (and the spaces around them) as one space.

    >>> _one_line("Error tokenizing data. Expected 4 fields in line 2, saw 5\\n")
    'Error tokenizing data. Expected 4 fields in line 2, saw 5'
    >>> _one_line("bad\\n  in <unicode string>, line 3")
    'bad in <unicode string>, line 3'
    """
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())


class OicplanError(Exception):
    """Base class for errors caused by the user's input or request."""

    exit_code = 2


class InputError(OicplanError):
    """Bad input: a file, a row or a field that cannot be used."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        # One line always: a library's message (pandas, YAML) may carry newlines and hints.
        self.message = _one_line(message)
        self.file = None if file is None else str(file)
        self.row = row
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class NotFoundError(InputError):
    """A named thing that does not exist: a stored scenario or version, a run, a panel.

    An :class:`InputError` (the command line treats it the same); the REST API
    answers 404.

    >>> isinstance(NotFoundError("no run 'x'", field="run_id"), InputError)
    True
    """


class InfeasibleError(OicplanError):
    """A request that no solution can satisfy (K larger than the candidates, ...)."""


class ConflictError(OicplanError):
    """A change based on a state that is no longer current (the API answers 409).

    Two people saved the same scenario version, or a run that has finished is
    updated again; nothing was changed.
    """


def spreadsheet_row(index: int) -> int:
    """Row number a spreadsheet shows for the 0-based data row ``index``.

    >>> spreadsheet_row(0)
    2
    """
    return int(index) + 2
