"""Replace a folder's output files so that a killed run never leaves a half-written one.

``oicplan plan --out DIR`` renders everything first, then calls :func:`replace_files`:
each file is written whole into a temporary folder beside ``DIR`` (same file
system), flushed to disk (``os.fsync``) and moved over the old file with
:func:`os.replace`, which POSIX and Windows make atomic. A process killed at any
point (``SIGKILL``, a power cut after the flush) therefore leaves every file of
``DIR`` either the old version or the complete new one; the user's own files in
``DIR`` are never touched. The temporary folder of a killed run is removed by the
next run (its name carries the writer's process id, and only folders of
processes that no longer run are removed).

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as d:
...     out = replace_files(Path(d) / "plan", {"a.json": "{}", "b.bin": b"\\x00"})
...     sorted(p.name for p in out.iterdir()), (out / "a.json").read_text()
(['a.json', 'b.bin'], '{}')
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["TEMP_MARK", "replace_files", "remove_stale_temporaries"]

TEMP_MARK = ".oicplan-tmp-"
"""Part of the name of a temporary folder: ``.{DIR's name}{TEMP_MARK}{pid}-{random}``."""


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (a process of another user counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as someone else
        return True
    return True


def remove_stale_temporaries(out_dir: str | Path) -> list[Path]:
    """Remove temporary folders of writers of ``out_dir`` that no longer run.

    Only folders named by :func:`replace_files` for this ``out_dir`` are
    considered, beside it and inside it; a folder whose writer still runs is kept.

    Returns
    -------
    list of Path
        The folders removed.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     stale = Path(d) / f".plan{TEMP_MARK}999999999-x"
    ...     stale.mkdir()
    ...     [p.name for p in remove_stale_temporaries(Path(d) / "plan")], stale.exists()
    (['.plan.oicplan-tmp-999999999-x'], False)
    """
    out_dir = Path(out_dir)
    prefix = f".{out_dir.name}{TEMP_MARK}"
    removed = []
    for folder in (out_dir.parent, out_dir):
        if not folder.is_dir():
            continue
        for candidate in folder.glob(f"{prefix}*"):
            pid_text = candidate.name[len(prefix) :].split("-", 1)[0]
            if not candidate.is_dir() or not pid_text.isdigit() or _alive(int(pid_text)):
                continue
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def _temporary_folder(out_dir: Path) -> Path:
    prefix = f".{out_dir.name}{TEMP_MARK}{os.getpid()}-"
    try:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    except PermissionError:  # a folder we may write in, under a parent we may not
        return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir))


def _write_whole(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def replace_files(out_dir: str | Path, documents: Mapping[str, str | bytes]) -> Path:
    """Write ``documents`` (file name -> text or bytes) into ``out_dir``, each file atomically.

    Text is written as UTF-8. The folder is created if missing; files of
    ``out_dir`` not named in ``documents`` are left alone.

    Returns
    -------
    Path
        ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    resolved = out_dir.resolve()
    remove_stale_temporaries(resolved)
    tmp = _temporary_folder(resolved)
    try:
        for name, content in documents.items():
            _write_whole(tmp / name, content)
        for name in documents:
            os.replace(tmp / name, out_dir / name)
        _sync_folder(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries (the renames) to disk where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
