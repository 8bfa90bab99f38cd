"""matplotlib settings for one drawing, safe when several threads draw at once.

matplotlib keeps its settings (``rcParams``) in one dictionary per process, and
:func:`matplotlib.rc_context` sets some for a block and puts back what it found
when the block ends. Two threads inside such blocks at the same time put back
each other's settings, so one setting of a drawing can stay for good: two
threads drawing the report's charts with ``font.family`` set to
``['DejaVu Sans']`` left it so for the rest of the process, and every later
network picture named only that font. The web app and the API make plans and
reports in threads, and a plan draws while its solves run.

So every drawing of oicplan, from making the figure to writing it out, runs in
:func:`drawing`: one lock for the process (re-entrant: a drawing may call
another) and the drawing's settings inside it. Drawing is Python work that holds
the interpreter's lock anyway, so little is lost by drawing one at a time.

>>> import matplotlib
>>> before = list(matplotlib.rcParams["font.family"])
>>> with drawing({"font.family": ["DejaVu Sans"]}):
...     matplotlib.rcParams["font.family"]
['DejaVu Sans']
>>> matplotlib.rcParams["font.family"] == before
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["drawing"]

_LOCK = threading.RLock()


@contextmanager
def drawing(settings: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Hold the drawing lock with ``settings`` (``rcParams`` names) in force.

    Also a decorator (``@drawing()``) for a function that makes a figure: the
    figure's texts take their font when they are made, so the whole function
    runs under the lock.
    """
    import matplotlib

    with _LOCK, matplotlib.rc_context(dict(settings or {})):
        yield
