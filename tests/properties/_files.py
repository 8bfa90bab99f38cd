"""Hypothesis strategies for the files users have, and the property every reader keeps.

A reader of a user's file either returns a result or raises
:class:`oicplan.errors.InputError` in one line naming the file; never another
exception (issue 11, "Any file a user has"). The strategies start from a valid
file and break it the ways real files are broken: random bytes, a file cut short,
another delimiter, spreadsheet formulas as text, huge numbers, NaN and infinity,
empty files, a header twice, other encodings, and Excel workbooks with merged
cells, several sheets, formulas, dates and empty first sheets.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from oicplan.errors import InputError

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here fails in CI too
    database=None,  # nothing written into the work tree
    phases=(Phase.explicit, Phase.generate, Phase.shrink),  # no "explain": it traces slowly
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
"""Bounded runs: a few seconds per reader on a busy machine."""

NASTY = [
    "", " ", "=SUM(A1)", "=1+1", "+1", "@x", "1e400", "-1e400", "1e308", "-1e308", "1e-320",
    "nan", "NaN", "inf", "-inf", "Infinity", "9" * 400, "-0", "0x10", "1/0", "0/0", "1/3",
    "None", "null", "True", "'1", "1,5", "1.000,5", "1 000", "１２", "٣", "-5", "00012",
    "中文", "城市,值", '"', '""', "a\nb", "a;b", "\t", "1e5", "-1", "0", "2024-01-01",
    "N/A", "—", "\u00a0", "x" * 300,
]
"""Cell values that have crashed readers elsewhere."""

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gb18030"]


def _serialise(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    for row in rows:
        cells = []
        for cell in row:
            text = str(cell)
            if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        out.write(delimiter.join(cells) + "\n")
    return out.getvalue()


@st.composite
def table_bytes(draw, valid: list[list[str]]) -> bytes:
    """The bytes of a CSV file: ``valid`` (a header and rows) broken in a few ways."""
    rows = [list(row) for row in valid]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(
            ["cell", "cell", "cell", "drop_row", "dup_header", "drop_column", "extra_cell",
             "short_row", "header_cell", "dup_row", "no_rows"]
        ))
        if kind == "cell" and rows:
            r = draw(st.integers(0, len(rows) - 1))
            if rows[r]:
                c = draw(st.integers(0, len(rows[r]) - 1))
                rows[r][c] = draw(st.sampled_from(NASTY) | st.text(max_size=8))
        elif kind == "drop_row" and len(rows) > 1:
            del rows[draw(st.integers(1, len(rows) - 1))]
        elif kind == "dup_header" and rows and rows[0]:
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0].append(rows[0][c])
            for row in rows[1:]:
                row.append(row[c] if c < len(row) else "")
        elif kind == "drop_column" and rows and rows[0]:
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows = [[cell for i, cell in enumerate(row) if i != c] for row in rows]
        elif kind == "extra_cell" and rows:
            rows[draw(st.integers(0, len(rows) - 1))].append(draw(st.sampled_from(NASTY)))
        elif kind == "short_row" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r] = rows[r][: draw(st.integers(0, max(len(rows[r]) - 1, 0)))]
        elif kind == "header_cell" and rows and rows[0]:
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][c] = draw(st.sampled_from(["", " ", "=A1", "中文", rows[0][c].upper(),
                                               f" {rows[0][c]} ", "value"]))
        elif kind == "dup_row" and len(rows) > 1:
            rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
        elif kind == "no_rows":
            rows = rows[:1]
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|", " "]))
    text = _serialise(rows, delimiter)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(ENCODINGS))
    raw = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]  # cut short
    return raw


def text_bytes(valid: str) -> st.SearchStrategy[bytes]:
    """A text file (YAML): ``valid`` cut short, spliced with junk, in another encoding."""

    @st.composite
    def build(draw) -> bytes:
        text = valid
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, len(text)))
            junk = draw(st.sampled_from(
                [*NASTY, ": :", "- -", "[", "{", "}", "]", "!!python/object:os.system", "*a",
                 "&a x", "\n  - 1\n", "\n\t", "%YAML 9.9\n", "---\n", "...\n", "? ", "|"]
            ) | st.text(max_size=6))
            text = text[:at] + junk + text[at:]
        raw = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
        if draw(st.integers(0, 3)) == 0:
            raw = raw[: draw(st.integers(0, len(raw)))]
        return raw

    return build()


def any_bytes(valid: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """``valid`` (broken files) or random bytes, an empty file, a lone byte-order mark."""
    return st.one_of(
        valid,
        valid,
        st.binary(max_size=600),
        st.sampled_from([b"", b"\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00", b"PK\x03\x04"]),
    )


@st.composite
def workbook_bytes(draw, valid: list[list[Any]]) -> bytes:
    """An XLSX workbook of ``valid`` with merged cells, more sheets, formulas, dates, gaps."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if draw(st.integers(0, 5)) == 0:  # the data on a second sheet, the first one empty
        sheet = book.create_sheet("data")
    rows = [list(row) for row in valid]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        if rows[r]:
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(st.sampled_from(
                [*NASTY, None, 1e308, float("nan"), float("inf"), -float("inf"), 10**30, True,
                 _dt.datetime(2024, 1, 1), _dt.date(2023, 5, 1), _dt.time(12, 0), 3.5, -7]
            ))
    for row in rows:
        cells = [cell if not isinstance(cell, str) or not cell.startswith("=") else cell
                 for cell in row]
        sheet.append(cells)
    if draw(st.booleans()) and sheet.max_row >= 2 and sheet.max_column >= 2:
        top = draw(st.integers(1, sheet.max_row - 1))
        left = draw(st.integers(1, sheet.max_column - 1))
        sheet.merge_cells(start_row=top, start_column=left, end_row=top + 1, end_column=left + 1)
    if draw(st.booleans()):
        extra = book.create_sheet("notes")
        extra.append(["note", "=SUM(A1:A3)"])
    if draw(st.integers(0, 5)) == 0:
        sheet.insert_rows(1)  # a blank first row above the header
    out = io.BytesIO()
    book.save(out)
    raw = out.getvalue()
    if draw(st.integers(0, 6)) == 0:
        # Cut short at a drawn share of the file, not a drawn byte count: the workbook's
        # length moves by a byte or so with the clock (its zip entries carry the time), and
        # hypothesis refuses a strategy whose bounds change between its runs of one example.
        raw = raw[: len(raw) * draw(st.integers(0, 1000)) // 1000]
    return raw


def check_reader(read: Callable[[Path], Any], path: Path, raw: bytes) -> Any:
    """Write ``raw`` to ``path`` and call ``read(path)``: a result, or a one-line InputError.

    Any other exception propagates, so hypothesis shows the file that caused it.
    """
    path.write_bytes(raw)
    try:
        return read(path)
    except InputError as error:
        text = str(error)
        assert "\n" not in text and "\r" not in text, f"error is not one line: {text!r}"
        assert path.name in text, f"error does not name the file: {text!r}"
        assert "Traceback" not in text
        return error
