"""Where the embedded snapshot lives (a light module, so loading data imports no builder)."""

from pathlib import Path

__all__ = ["SNAPSHOT_DIR"]

SNAPSHOT_DIR = Path(__file__).parent / "snapshot"
