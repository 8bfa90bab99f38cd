"""Read decision matrices and pairwise comparison matrices from CSV files.

Both layouts have names along the top and down the left:

* decision matrix: header row ``alternative,<criterion 1>,<criterion 2>,...``
  then one row per alternative, its name first;
* pairwise matrix: header row ``,<criterion 1>,...`` then one row per
  criterion, in the same order, its name first. Cells may be written as
  fractions (``1/3``).

Errors name the file, the row as a spreadsheet shows it (header = row 1) and
the column.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "m.csv").write_text("site,cost,talent\\nA,3,7\\nB,5,9\\n")
>>> dm = read_decision_matrix(d / "m.csv", ["min", "max"])
>>> dm.alternatives, dm.criteria
(('A', 'B'), ('cost', 'talent'))
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from ..textfile import csv_delimiter, read_text
from .core import DecisionMatrix
from .weights import _RECIPROCAL_RTOL

__all__ = ["parse_number", "read_decision_matrix", "read_pairwise"]


def parse_number(text: str) -> float:
    """Parse ``"0.25"``, ``"3"`` or a fraction such as ``"1/3"``.

    Raises
    ------
    ValueError
        If ``text`` is not a number.

    Examples
    --------
    >>> parse_number(" 1/4 "), parse_number("2.5")
    (0.25, 2.5)
    """
    t = text.strip()
    if "/" in t:
        return float(Fraction(t))
    return float(t)


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with their 1-based line numbers."""
    try:
        if not Path(path).is_file():
            raise InputError("file not found", file=str(path))
        text = read_text(path)  # UTF-8, UTF-16 or GB18030/GBK; errors name the file
        with io.StringIO(text, newline="") as fh:
            rows = [
                (n, [c.strip() for c in row])
                for n, row in enumerate(csv.reader(fh, delimiter=csv_delimiter(text)), start=1)
                if any(c.strip() for c in row)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the file ({exc})", file=str(path)) from None
    if not rows:
        raise InputError("the file is empty", file=str(path))
    return rows


def _cells(
    rows: list[tuple[int, list[str]]], header: list[str], file: str
) -> tuple[list[str], list[list[str]], list[int]]:
    width = len(header)
    names, cells, lines = [], [], []
    for line, row in rows:
        if len(row) != width:
            raise InputError(
                f"{len(row)} cells but the header has {width}", file=file, row=line
            )
        names.append(row[0])
        cells.append(row[1:])
        lines.append(line)
    return names, cells, lines


def _numbers(
    cells: list[list[str]], lines: list[int], criteria: list[str], file: str
) -> np.ndarray:
    out = np.empty((len(cells), len(criteria)))
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            try:
                out[i, j] = parse_number(text)
            except (ValueError, ZeroDivisionError):
                raise InputError(
                    f"{text!r} is not a number", file=file, row=lines[i], field=criteria[j]
                ) from None
            if not np.isfinite(out[i, j]):
                raise InputError(
                    f"{text!r} is not a finite number", file=file, row=lines[i],
                    field=criteria[j],
                )
    return out


def read_decision_matrix(path: str | Path, types: ArrayLike) -> DecisionMatrix:
    """Read a decision matrix CSV (criteria across, alternatives down).

    Parameters
    ----------
    path : str or Path
    types : sequence
        One ``"max"``/``"min"`` per criterion column.

    Returns
    -------
    DecisionMatrix

    Raises
    ------
    InputError
        Empty file, ragged row, non-numeric cell, constant column, ...
    """
    path = Path(path)
    file = str(path)
    rows = _rows(path)
    (_, header), body = rows[0], rows[1:]
    if len(header) < 2:
        raise InputError(
            "the header needs a label cell and at least one criterion name", file=file, row=1
        )
    criteria = header[1:]
    names, cells, lines = _cells(body, header, file)
    values = _numbers(cells, lines, criteria, file)
    return DecisionMatrix(values, types, alternatives=names, criteria=criteria, file=file)


def _check_names(criteria: list[str], file: str) -> None:
    """Criterion names in a pairwise header: none blank, none repeated."""
    seen: dict[str, int] = {}
    for j, name in enumerate(criteria):
        if not name:
            raise InputError(
                f"the name of criterion column {j + 1} is empty", file=file, row=1,
                field=f"criterion {j + 1}",
            )
        if name in seen:
            raise InputError(
                f"criterion name appears twice (columns {seen[name] + 1} and {j + 1}); "
                "each criterion must be compared once",
                file=file, row=1, field=name,
            )
        seen[name] = j


def _check_pairwise(values: np.ndarray, criteria: list[str], lines: list[int],
                    file: str) -> None:
    """Positive cells, unit diagonal, ``a_ij * a_ji = 1``, reported on the file's own lines.

    Cell ``(i, j)`` is on the file's line ``lines[i]``, in the column headed
    ``criteria[j]``; it is written ``i/j`` (how much more important ``i`` is
    than ``j``) so that both cells of a non-reciprocal pair are named.
    """
    bad = values <= 0
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        raise InputError(
            f"comparison {criteria[i]}/{criteria[j]} = {values[i, j]:g} must be a positive "
            "number (Saaty's scale: 1/9 ... 9)",
            file=file, row=lines[i], field=criteria[j],
        )
    for i in range(len(criteria)):
        if abs(values[i, i] - 1.0) > 1e-9:
            raise InputError(
                f"diagonal entry {criteria[i]}/{criteria[i]} must be 1 (a criterion "
                f"compared with itself), got {values[i, i]:g}",
                file=file, row=lines[i], field=criteria[i],
            )
    off = np.abs(values * values.T - 1.0) > _RECIPROCAL_RTOL
    if off.any():
        i, j = (int(x) for x in np.argwhere(off)[0])
        a, b = criteria[i], criteria[j]
        raise InputError(
            f"not reciprocal: {a}/{b} = {values[i, j]:g} but {b}/{a} = {values[j, i]:g} "
            f"(row {lines[j]}, field {a}); {b}/{a} should be 1/{values[i, j]:g} = "
            f"{1 / values[i, j]:.4g}",
            file=file, row=lines[i], field=b,
        )


def read_pairwise(path: str | Path) -> tuple[list[str], np.ndarray]:
    """Read and check a square pairwise comparison CSV.

    Cell (row ``i``, column ``j``) says how much more important criterion
    ``i`` is than ``j``; messages write it ``i/j``.

    Returns
    -------
    (criteria, matrix)
        The names from the header and the matrix as floats: positive, with a
        unit diagonal and reciprocal (``a_ij * a_ji`` within 2 % of 1, so
        ``0.33`` passes for ``1/3``; the rule of
        :func:`oicplan.mcda.validate_pairwise`).

    Raises
    ------
    InputError
        Not square, a criterion name blank or repeated, row names not matching
        the header, non-numeric or non-positive cell, diagonal not 1, a pair
        of cells not reciprocal. Rows are the file's own lines (header = 1).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = f.write_text(",a,b\\na,1,3\\nb,0.5,1\\n")
    >>> read_pairwise(f)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: ...p.csv, row 2, field b: not reciprocal: a/b = 3 but b/a = 0.5 ...
    """
    path = Path(path)
    file = str(path)
    rows = _rows(path)
    (_, header), body = rows[0], rows[1:]
    criteria = header[1:]
    if not criteria:
        raise InputError("the header must list the criteria", file=file, row=1)
    _check_names(criteria, file)
    names, cells, lines = _cells(body, header, file)
    if len(names) != len(criteria):
        raise InputError(
            f"the matrix must be square: {len(criteria)} columns but {len(names)} rows",
            file=file,
        )
    for i, (row_name, col_name) in enumerate(zip(names, criteria, strict=True)):
        if row_name != col_name:
            raise InputError(
                f"row name {row_name!r} does not match column {i + 1} of the header "
                f"({col_name!r}); list the criteria in the same order down and across",
                file=file, row=lines[i],
            )
    values = _numbers(cells, lines, criteria, file)
    _check_pairwise(values, criteria, lines, file)
    return criteria, values
