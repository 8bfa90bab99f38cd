"""Read the text of a user's file in the encodings Chinese and Western spreadsheets write.

Excel and WPS on a Chinese Windows save "CSV" in the ANSI code page (GBK, read
here as its superset GB18030), "CSV UTF-8" with a byte-order mark, and "Unicode
text" as UTF-16 with a mark (tab-separated); other tools write plain UTF-8. The
set of encodings is closed and each is recognised without guessing: a byte-order
mark first (UTF-32, UTF-8, UTF-16), then strict UTF-8, then UTF-16 without a mark
(recognised by its zero bytes), then strict GB18030. A statistical detector
(charset-normalizer and the like) is not used on purpose: on short files it
guesses, and a wrong guess would silently store wrong text. Anything else, or a
binary file, is an :class:`~oicplan.errors.InputError` naming the file.

>>> decode_text("城市,值\\n".encode("gb18030"))
'城市,值\\n'
>>> decode_text("\\ufeffa,b\\n".encode("utf-8")), decode_text("a\\tb\\n".encode("utf-16"))
('a,b\\n', 'a\\tb\\n')
>>> text_encoding("site,首尔".encode("utf-16-le"))
'utf-16-le'
>>> decode_text(b"PK\\x03\\x04\\x00\\x00\\xff", file="kpis.csv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
oicplan.errors.InputError: kpis.csv: not a text file (UTF-8, UTF-16 or GB18030/GBK); ...
>>> decode_text(b"\\xff\\xfec", file="cut.csv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
oicplan.errors.InputError: cut.csv: ...; the UTF-16 text breaks at byte offset 2
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Any

from oicplan.errors import InputError

__all__ = [
    "ENCODINGS",
    "csv_delimiter",
    "csv_source",
    "decode_text",
    "load_yaml",
    "read_text",
    "text_encoding",
]

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32", "gb18030")
"""The encodings :func:`decode_text` recognises (GB18030 includes GBK and GB2312)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UNREADABLE = (
    "not a text file (UTF-8, UTF-16 or GB18030/GBK); save it as CSV UTF-8 "
    "(Excel: 另存为 CSV UTF-8)"
)


def _utf16_without_mark(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when every other byte is mostly zero (ASCII-heavy text)."""
    if len(raw) < 2 or len(raw) % 2:
        return None
    even, odd = raw[0::2], raw[1::2]
    half = len(raw) // 2
    if odd.count(0) > half * 0.3 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > half * 0.3 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def text_encoding(raw: bytes) -> str | None:
    """The encoding of ``raw`` among :data:`ENCODINGS`, None when it is none of them.

    >>> text_encoding(b"plain"), text_encoding("城市".encode("gbk")), text_encoding(b"\\x81")
    ('utf-8', 'gb18030', None)
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    candidates = ["utf-8"]
    guessed = _utf16_without_mark(raw)
    if guessed:
        candidates.append(guessed)
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # zero bytes in 8-bit text: a binary file
            continue
        return encoding
    return None


def _first_bad_byte(raw: bytes) -> int:
    """Offset of the first byte where strict UTF-8 decoding fails (0 when it does not)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return int(error.start)
    return raw.find(b"\x00") if b"\x00" in raw else 0


def decode_text(raw: bytes, *, file: str | None = None) -> str:
    """The text of ``raw`` (see the module docstring), without a byte-order mark.

    Raises
    ------
    InputError
        Not text in one of :data:`ENCODINGS` (``file`` names it).
    """
    encoding = text_encoding(raw)
    if encoding is None:
        raise InputError(f"{_UNREADABLE}; the first byte that is not UTF-8 is at offset "
                         f"{_first_bad_byte(raw)}", file=file)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:  # a byte-order mark, then bytes that do not follow it
        raise InputError(f"{_UNREADABLE}; the {encoding.upper()} text breaks at byte offset "
                         f"{error.start}", file=file) from None
    if "\x00" in text:
        zero = raw.find(bytes(1))
        raise InputError(f"{_UNREADABLE}; a zero byte at offset {zero}", file=file)
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: str | Path) -> str:
    """The text of the file at ``path`` as :func:`decode_text` reads it (errors name the path).

    Raises
    ------
    InputError
        A missing or unreadable file, or one in another encoding.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", file=str(path)) from None
    return decode_text(raw, file=str(path))


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV text: a tab when the header has tabs and no commas, else ``,``.

    Excel's "Unicode text" is tab-separated; semicolons (European Excel) are
    accepted the same way.

    >>> csv_delimiter("a\\tb\\n1\\t2"), csv_delimiter("a,b"), csv_delimiter("a;b")
    ('\\t', ',', ';')
    """
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return ","


def csv_source(path: str | Path) -> tuple[io.StringIO, str]:
    """The CSV file at ``path`` as text to parse, and its delimiter (:func:`csv_delimiter`).

    For ``csv.reader(source, delimiter=...)`` or ``pandas.read_csv(source, sep=...)``:
    the file is read in any encoding :func:`decode_text` knows.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "m.csv")
    ...     _ = open(path, "wb").write("城市\\t值\\n华沙\\t1\\n".encode("utf-16"))
    ...     source, delimiter = csv_source(path)
    >>> delimiter, source.read().splitlines()[1]
    ('\\t', '华沙\\t1')
    """
    text = read_text(path)
    return io.StringIO(text, newline=""), csv_delimiter(text)


def load_yaml(text: str) -> Any:
    """The data of YAML ``text``, read by PyYAML's safe loader.

    libyaml's C version of the safe loader (``yaml.CSafeLoader``) is used when PyYAML
    was built with it, as its wheels are: the same safe subset of YAML, read about ten
    times faster (the field map of :mod:`oicplan.match.field_strength`: 0.19 s in pure
    Python). Errors are :class:`yaml.YAMLError` either way.

    >>> load_yaml("fields: [ai, batteries]\\nweight: 0.5\\n")
    {'fields': ['ai', 'batteries'], 'weight': 0.5}
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
