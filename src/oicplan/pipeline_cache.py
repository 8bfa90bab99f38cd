"""Bounded caches of the pipeline's stages that do not depend on the pillar weights.

Re-planning after a weight change (what the web app does) re-runs only what the
weights change: the MCDA ranking, its uncertainty, the layout model and its
solves. The stages before them - the industry match matrix, the indicator build,
the eligible strategies and the cost model table - give the same result for the
same inputs, so they are kept here between runs of one process.

Every cache is keyed by everything its stage reads (the dataset's folder,
version and build, the scenario's view of it - hubs, home facts - and the
scenario parts the stage reads), so a change there computes the stage again. A
key part that cannot be stated (an object that is no snapshot dataset) skips the
cache. Each cache keeps its few most recent entries (least recently used out).
Callers receive copies (pandas copy-on-write shallow copies, new containers), so
changing a result never changes what the cache holds.

A stage made with ``disk=True`` is also kept on disk, so that a fresh process
(``oicplan plan`` run again) reads it instead of computing it: one pickle per
key in ``OICPLAN_CACHE_DIR/stages`` (default ``~/.cache/oicplan/stages``), its
name a hash of the stage, the key and :func:`code_version` - every file of the
installed package (code and shipped data) and the versions of Python and the
libraries that write and read the pickles. Any change of code, data, library
or input is therefore a miss, and a file that does not load (truncated, written
by other code) is a miss too: the stage is computed and written again. Files
are written whole and then renamed into place, so processes running side by
side never read a half-written one; each stage keeps its newest files (four
times its in-process size), older ones are removed when a new one is written.
Only stages that the pillar weights do not change are kept on disk (the weights
only change what follows them).

>>> cache = StageCache("demo", maxsize=2)
>>> cache.get(("a",), lambda: [1]), cache.get(("a",), lambda: [2])
([1], [1])
>>> with caching(False):
...     cache.get(("a",), lambda: [3])
[3]
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "FrozenDict",
    "FrozenList",
    "StageCache",
    "cache_folder",
    "caching",
    "clear_caches",
    "code_version",
    "dataset_key",
    "file_key",
    "frame_key",
    "freeze",
    "model_key",
]

_CACHES: list[StageCache] = []
_state = threading.local()


def _enabled() -> bool:
    return getattr(_state, "enabled", True)


@contextlib.contextmanager
def caching(enabled: bool) -> Iterator[None]:
    """Use the caches (``True``) or compute every stage afresh (``False``) in this thread."""
    before = _enabled()
    _state.enabled = enabled
    try:
        yield
    finally:
        _state.enabled = before


def clear_caches() -> None:
    """Empty every stage cache of the process."""
    for cache in _CACHES:
        cache.clear()


class StageCache:
    """A small least-recently-used cache of one stage, safe to share between threads.

    With ``disk=True`` an entry is also written to (and first looked up in) the
    disk cache of :func:`cache_folder` (see the module docstring); its key must
    then be made of plain values whose ``repr`` states them (text, numbers,
    tuples, None), as every key of this module's helpers is.
    """

    def __init__(self, name: str, maxsize: int = 4, *, disk: bool = False) -> None:
        self.name = name
        self.maxsize = maxsize
        self.disk = disk
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        _CACHES.append(self)

    def get(self, key: Hashable | None, compute: Callable[[], Any]) -> Any:
        """The value stored under ``key``, else ``compute()`` stored under it.

        ``key`` None (some input cannot be keyed) or caching switched off
        computes without storing. An error of ``compute`` is not stored.
        """
        found, value = self.lookup(key)
        if found:
            return value
        value = compute()
        if key is not None and _enabled():
            path = self._disk_file(key) if self.disk else None
            if path is not None:
                _write_pickle(path, value)
                _prune(path, keep=4 * self.maxsize)
            self._remember(key, value)
        return value

    def lookup(self, key: Hashable | None) -> tuple[bool, Any]:
        """``(True, value)`` when ``key`` is stored (here, else on disk), else ``(False, None)``.

        Computes nothing: for a caller that computes its misses together. ``key`` None
        or caching switched off is a miss.

        >>> cache = StageCache("demo lookup")
        >>> cache.lookup(("a",)), cache.get(("a",), lambda: 1), cache.lookup(("a",))
        ((False, None), 1, (True, 1))
        """
        if key is None or not _enabled():
            return False, None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return True, self._entries[key]
        path = self._disk_file(key) if self.disk else None
        value = _read_pickle(path) if path is not None else _MISSING
        if value is _MISSING:
            return False, None
        self._remember(key, value)
        return True, value

    def _remember(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def _disk_file(self, key: Hashable) -> Path | None:
        folder = cache_folder()
        if folder is None:
            return None
        digest = hashlib.sha256(f"{self.name}\n{key!r}\n{code_version()}".encode()).hexdigest()
        slug = "".join(c if c.isalnum() else "-" for c in self.name)
        return folder / "stages" / f"{slug}-{digest[:24]}.pickle"

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_MISSING = object()


def cache_folder() -> Path | None:
    """The disk cache's folder: ``OICPLAN_CACHE_DIR``, else ``~/.cache/oicplan``.

    None when there is no home folder to put it in (then nothing is kept on disk).
    """
    folder = os.environ.get("OICPLAN_CACHE_DIR")
    if folder:
        return Path(folder)
    try:
        return Path.home() / ".cache" / "oicplan"
    except RuntimeError:
        return None


_CODE_VERSION: list[str] = []


def code_version() -> str:
    """A hash of the installed oicplan (every file of the package) and of its environment.

    The environment is the Python version and the versions of the libraries whose
    objects the disk cache pickles or whose results it keeps (numpy, pandas, pyarrow,
    networkx, scipy, SALib, pydantic, highspy, searoute). Computed once per process
    (hashing the ~5 MB package takes ~15 ms).

    >>> len(code_version())
    64
    """
    if not _CODE_VERSION:
        import sys
        from importlib.metadata import PackageNotFoundError, version

        digest = hashlib.sha256()
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
        parts = [sys.version]
        for library in (
            "numpy", "pandas", "pyarrow", "networkx", "scipy", "SALib", "pydantic", "highspy",
            "searoute",
        ):
            try:
                parts.append(f"{library} {version(library)}")
            except PackageNotFoundError:
                parts.append(f"{library} absent")
        digest.update("; ".join(parts).encode())
        _CODE_VERSION.append(digest.hexdigest())
    return _CODE_VERSION[0]


def _read_pickle(path: Path) -> Any:
    """The value pickled at ``path``, or ``_MISSING`` if it is absent or does not load.

    Any failure is a miss: a cache file is disposable (truncated, or written by
    other code whose classes no longer load).
    """
    import pickle

    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - see docstring: every failure means "compute again"
        return _MISSING


def _prune(path: Path, keep: int) -> None:
    """Keep the ``keep`` newest files of ``path``'s stage (entries of older code go first).

    Every change of code, data or input writes new files; without this the folder
    would only grow. Errors (a file another process removed first) are ignored.
    """
    stage = path.name.rsplit("-", 1)[0]
    try:
        files = sorted(
            (f for f in path.parent.glob(f"{stage}-*.pickle") if f.name.rsplit("-", 1)[0] == stage),
            key=lambda f: f.stat().st_mtime_ns,
        )
        for old in files[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _write_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path`` whole, then rename it into place; failures are ignored.

    A read-only or full disk only means no disk cache (the value was computed).
    """
    import pickle
    import tempfile

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as out:
            temporary = Path(out.name)
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # noqa: BLE001 - see docstring
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def dataset_key(dataset: Any) -> tuple | None:
    """The snapshot behind ``dataset`` (folder, version, build time) and the scenario's view.

    The view is :func:`oicplan.ranking.scenario_dataset`'s (hubs, home facts);
    None for an object that is no snapshot dataset (nothing is cached for it).
    """
    base = getattr(dataset, "_base_dataset", dataset)
    manifest = getattr(base, "manifest", None)
    folder = getattr(base, "folder", None)
    if not isinstance(manifest, dict) or folder is None:
        return None
    return (
        str(Path(folder).resolve()),
        str(manifest.get("version")),
        str(manifest.get("built")),
        repr(getattr(dataset, "_scenario_view", None)),
    )


def file_key(path: str | os.PathLike | None) -> tuple | None:
    """A file by absolute path, modification time and size (None stays None)."""
    if path is None:
        return None
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return (str(resolved), None, None)
    return (str(resolved), stat.st_mtime_ns, stat.st_size)


def frame_key(frame: pd.DataFrame | pd.Series | None) -> tuple | None:
    """The content of a table: its shape, columns and a hash of its values and index."""
    if frame is None:
        return None
    hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    columns = tuple(frame.columns) if isinstance(frame, pd.DataFrame) else (frame.name,)
    return (frame.shape, columns, hashlib.sha1(hashed).hexdigest())


def model_key(value: Any) -> str:
    """A settings object (pydantic model, dict, list) as canonical JSON text."""
    return json.dumps(_plain(value), sort_keys=True, default=repr)


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
    raise TypeError(f"a cached {type(self).__name__} cannot be changed; copy it first")


class FrozenDict(dict):
    """A dict that refuses changes (JSON-ready and equal to the dict it holds)."""

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self),))


class FrozenList(list):
    """A list that refuses changes (JSON-ready and equal to the list it holds)."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = clear = extend = insert = pop = remove = reverse = sort = _refuse

    def __reduce__(self) -> tuple:
        return (type(self), (list(self),))


def freeze(value: Any, _seen: dict[int, Any] | None = None) -> Any:
    """``value`` with every dict and list in it made unchangeable (:class:`FrozenDict` ...).

    A dict or list that appears several times (the match explanations share one
    cell dict among all sites of an economy) is frozen once and shared again.

    >>> frozen = freeze({"a": [1, {"b": 2}]})
    >>> frozen == {"a": [1, {"b": 2}]}
    True
    >>> frozen["a"].append(3)
    Traceback (most recent call last):
    TypeError: a cached FrozenList cannot be changed; copy it first
    >>> shared = {"x": 1}
    >>> pair = freeze([shared, shared])
    >>> pair[0] is pair[1]
    True
    """
    if not isinstance(value, (dict, list)) or isinstance(value, (FrozenDict, FrozenList)):
        return value  # not a container, or frozen all the way down already
    seen = {} if _seen is None else _seen
    known = seen.get(id(value))
    if known is not None:
        return known[1]
    if isinstance(value, dict):
        frozen: Any = FrozenDict({key: freeze(item, seen) for key, item in value.items()})
    else:
        frozen = FrozenList(freeze(item, seen) for item in value)
    seen[id(value)] = (value, frozen)  # the original is kept so its id is not reused
    return frozen
