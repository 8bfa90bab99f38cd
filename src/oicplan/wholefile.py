"""Write one file whole or not at all: a killed writer leaves the old file or the new one.

The content goes into a temporary file beside the target (same folder, so the
same file system), is flushed to disk (``os.fsync``) and moved over the target
with :func:`os.replace`, which POSIX and Windows make atomic. A process killed at
any point leaves the target as it was or complete, never cut; a failed write
removes its temporary file. (A whole folder of outputs is replaced the same way
by :mod:`oicplan.report.outfiles`.)

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as d:
...     path = write_whole(Path(d) / "ranks.csv", "site,rank\\nKOR-seoul,1\\n")
...     path.read_text(), sorted(p.name for p in Path(d).iterdir())
('site,rank\\nKOR-seoul,1\\n', ['ranks.csv'])
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["write_figure", "write_whole"]


def write_whole(path: str | Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``content`` (text in ``encoding``, or bytes) to ``path`` atomically; the path.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_whole(Path(d) / "a.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    target = Path(path)
    data = content.encode(encoding) if isinstance(content, str) else bytes(content)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_figure(figure: Any, path: str | Path, **savefig: Any) -> Path:
    """Save a matplotlib figure to ``path`` whole (rendered in memory first); the path.

    ``savefig`` goes to :meth:`matplotlib.figure.Figure.savefig`; the format is the
    file's suffix unless given.
    """
    target = Path(path)
    savefig.setdefault("format", target.suffix.lstrip(".").lower() or "png")
    buffer = io.BytesIO()
    figure.savefig(buffer, **savefig)
    return write_whole(target, buffer.getvalue())
