"""Datasets with provenance: importers, validation, the embedded snapshot."""

from __future__ import annotations

import importlib

# Public name -> module that defines it (imported on first use, for a fast start-up).
_EXPORTS = {
    "Dataset": "oicplan.data.dataset",
    "Observation": "oicplan.data.dataset",
    "build_snapshot": "oicplan.data.build",
    "load_dataset": "oicplan.data.dataset",
    "read_wdi_dir": "oicplan.data.worldbank",
    "read_wdi_file": "oicplan.data.worldbank",
    "read_wgi_file": "oicplan.data.worldbank",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
