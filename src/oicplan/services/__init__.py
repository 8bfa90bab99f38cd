"""The service layer: one function per use case, typed requests in, immutable results out.

The command line (:mod:`oicplan.cli`), the REST API and notebooks call these
functions; none of them holds a use case of its own. Each module groups the use
cases of one area; every public name is importable from here on first use.
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "Request": "oicplan.services._base",
    "Result": "oicplan.services._base",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
