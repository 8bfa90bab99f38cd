"""The ``oicplan`` command line: thin Typer + Rich adapters over :mod:`oicplan.services`.

One module per command group (``data``, ``scenario``, ``plan`` with ``rank`` and
``audit``, ``optimize``, ``sensitivity``, ``centers`` ...), a shared runtime
(:mod:`oicplan.cli.runtime`: one-line errors, progress, JSON and tables), the full
app (:mod:`oicplan.cli.application`) and the entry point (:mod:`oicplan.cli.main`). A
command parses its options, calls a service and prints; nothing here holds a use
case. ``from oicplan.cli import app`` loads the full app on first use.
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

__all__ = ["app"]

__getattr__, __dir__ = lazy_exports(
    __name__, {"app": "oicplan.cli.application"}, globals()
)
