"""Write one file whole or not at all: a killed writer leaves the old file or the new one.

The content goes into a temporary file beside the target (same folder, so the
same file system), is flushed to disk (``os.fsync``) and moved over the target
with :func:`os.replace`, which POSIX and Windows make atomic. A process killed at
any point leaves the target as it was or complete, never cut; a failed write
removes its temporary file, and the temporary file of a killed writer (its
process id is in the name: ``.NAME.PID-RANDOM.tmp``) is removed by the next write
of the same target (:func:`remove_stale_temporaries`). The file gets the usual
permissions (0666 less the umask). The stored enterprise list
(``match.enterprises.save_enterprises``) is written this way too.
(A whole folder of outputs is replaced the same way by
:mod:`oicplan.report.outfiles`.)

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
import secrets
from pathlib import Path
from typing import Any

__all__ = ["remove_stale_temporaries", "write_figure", "write_whole"]


def _temporary(target: Path) -> Path:
    """A new temporary file name beside ``target``, with this process's id."""
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (as any user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove the temporary files of writers of ``path`` that were killed; the files removed.

    A temporary file whose process still runs (a writer at work) is left alone.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     stale = Path(d) / ".plan.csv.999999999-0a1b2c.tmp"
    ...     _ = stale.write_text("half a file")
    ...     [p.name for p in remove_stale_temporaries(Path(d) / "plan.csv")]
    ['.plan.csv.999999999-0a1b2c.tmp']
    """
    target = Path(path)
    removed = []
    for candidate in target.parent.glob(f".{target.name}.*.tmp"):
        pid = candidate.name[len(target.name) + 2:].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def write_whole(path: str | Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``content`` (text in ``encoding``, or bytes) to ``path`` atomically; the path.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_whole(Path(d) / "a.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    target = Path(path)
    data = content.encode(encoding) if isinstance(content, str) else bytes(content)
    remove_stale_temporaries(target)
    temporary = _temporary(target)
    # 0666 less the umask, as any file the user writes (mkstemp's 0600 would hide
    # an export from the user's group); O_EXCL: never another writer's file.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
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
