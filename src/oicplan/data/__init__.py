"""Datasets with provenance: importers, validation, the embedded snapshot."""

from oicplan.data.build import build_snapshot
from oicplan.data.dataset import Dataset, Observation, load_dataset
from oicplan.data.worldbank import read_wdi_dir, read_wdi_file, read_wgi_file

__all__ = [
    "Dataset",
    "Observation",
    "build_snapshot",
    "load_dataset",
    "read_wdi_dir",
    "read_wdi_file",
    "read_wgi_file",
]
