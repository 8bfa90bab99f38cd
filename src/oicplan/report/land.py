"""The land/sea grid behind the report's world map, shipped precomputed with the package.

The map's land is :func:`global_land_mask.globe.is_land` sampled at the centre of every
cell of a 0.5° grid. Loading that package reads its whole 1 km raster (about 3 s and
1 GB of memory), so the 0.5° grid is computed once, at build time, from the same
package and shipped as ``report/data/land-0.5deg.npz`` (packed bits, a few kilobytes);
maps read it in milliseconds. Regenerate it after upgrading ``global-land-mask``::

    python -m oicplan.report.land

A test checks the shipped grid against the package. Other steps than 0.5° are
computed from the package at run time.

>>> grid = land_grid()
>>> grid.shape, grid.dtype.name, sorted(set(grid.ravel().tolist()))
((360, 720), 'float64', [0.0, 1.0])
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["LAND_FILE", "SHIPPED_STEP", "compute_land_grid", "land_grid", "write_land_grid"]

SHIPPED_STEP = 0.5
"""Grid step (degrees) of the shipped grid."""
LAND_FILE = Path(__file__).with_name("data") / "land-0.5deg.npz"
"""The shipped grid: packed bits, its shape and the global-land-mask version it came from."""


def compute_land_grid(step: float = SHIPPED_STEP) -> np.ndarray:
    """Land (1) and sea (0) on a lat/lon grid of ``step`` degrees, north up, from the package.

    Slow (loads global-land-mask's raster); :func:`land_grid` reads the shipped grid instead.
    """
    from global_land_mask import globe

    lats = np.arange(90 - step / 2, -90, -step)
    lons = np.arange(-180 + step / 2, 180, step)
    lon_grid, lat_grid = np.meshgrid(lons, lats)
    return globe.is_land(lat_grid, lon_grid).astype(float)


def write_land_grid(path: Path = LAND_FILE, step: float = SHIPPED_STEP) -> Path:
    """Compute the grid from global-land-mask and write it as packed bits (build time)."""
    from importlib.metadata import version

    grid = compute_land_grid(step).astype(bool)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        bits=np.packbits(grid, axis=None),
        shape=np.array(grid.shape),
        step=np.array(step),
        source=np.array(f"global-land-mask {version('global-land-mask')}"),
    )
    return path


def _read_land_file(path: Path) -> np.ndarray:
    with np.load(path) as data:
        shape = tuple(int(n) for n in data["shape"])
        bits = np.unpackbits(data["bits"], count=shape[0] * shape[1])
    return bits.reshape(shape).astype(float)


@lru_cache(maxsize=4)
def land_grid(step: float = SHIPPED_STEP) -> np.ndarray:
    """Land (1) and sea (0) on a lat/lon grid of ``step`` degrees, north up.

    The 0.5° grid is read from the shipped file; other steps (or a missing file) are
    computed with :func:`compute_land_grid`. The array is shared: do not change it.
    """
    if step == SHIPPED_STEP and LAND_FILE.is_file():
        grid = _read_land_file(LAND_FILE)
    else:
        grid = compute_land_grid(step)
    grid.flags.writeable = False
    return grid


if __name__ == "__main__":
    print(f"wrote {write_land_grid()}")
