"""Datasets with provenance: importers, validation, the embedded snapshot."""

from __future__ import annotations

from oicplan._lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
