"""Sea legs through the ``searoute`` maritime network, with the passages they use.

``searoute`` (Eurostat's SeaRoute network packaged for Python, Apache-2.0) finds
the shortest sea path between two points on its network of shipping lanes and
reports the named passages the path crosses. A closed passage is passed to its
``restrictions`` argument, so the path goes round it (Suez closed: round the Cape
of Good Hope) or, if there is no way round, there is no path.

searoute always keeps the Northwest Passage closed (its default); so does this module.

Whether a site is a sea port, and which places a truck can link, is read
from ``global-land-mask`` (a 1 km land/sea raster of the GLOBE elevation data).

>>> leg = sea_leg((29.87, 121.56), (39.45, -0.32))  # Ningbo to Valencia
>>> 15000 < leg.km < 18000, leg.passages
(True, ('malacca', 'bab-el-mandeb', 'suez'))
>>> round(sea_leg((29.87, 121.56), (39.45, -0.32), closed=("suez",)).km, -3)
24000.0
>>> passage_key("Bab el Mandeb"), passage_key("ormuz"), passage_key("Cape of Good Hope")
('bab-el-mandeb', 'hormuz', 'good-hope')
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

__all__ = [
    "PASSAGES",
    "SeaLeg",
    "is_coastal",
    "landmass",
    "passage_key",
    "sea_leg",
]

# The passages searoute knows: our key -> (searoute's name, display name, aliases).
# Order is the usual order from East Asia westwards, used only to list them.
PASSAGES = {
    "malacca": ("malacca", "Strait of Malacca", ()),
    "sunda": ("sunda", "Sunda Strait", ()),
    "hormuz": ("ormuz", "Strait of Hormuz", ("ormuz", "hormuz strait")),
    "bab-el-mandeb": ("babalmandab", "Bab-el-Mandeb", ("babalmandab", "bab al mandab")),
    "suez": ("suez", "Suez Canal", ("suez canal",)),
    "bosporus": ("bosporus", "Bosporus", ("bosphorus",)),
    "gibraltar": ("gibraltar", "Strait of Gibraltar", ()),
    "good-hope": ("south_africa", "Cape of Good Hope", ("cape of good hope", "south africa")),
    "panama": ("panama", "Panama Canal", ("panama canal",)),
    "cape-horn": ("chili", "Cape Horn", ("chili", "magellan", "horn")),
    "bering": ("bering", "Bering Strait", ()),
    "northwest": ("northwest", "Northwest Passage", ("northwest passage",)),
}
_ALWAYS_CLOSED = ("northwest",)

# Ring radii (km) and bearings at which the land mask is read around a site.
_RING_KM = (2.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 75.0, 100.0)
_BEARINGS = 24
# Cell size (degrees) of the landmass grid used to decide where a truck can drive.
_CELL_DEG = 0.1


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


def passage_key(text: str) -> str | None:
    """Our key for a passage named in ``text`` (any spelling searoute or people use), or None."""
    wanted = _squash(text)
    for key, (searoute_name, display, aliases) in PASSAGES.items():
        names = (key, searoute_name, display, *aliases)
        if wanted in {_squash(name) for name in names}:
            return key
    return None


@dataclass(frozen=True)
class SeaLeg:
    """A sea path: its length in km and the passages it crosses, in order."""

    km: float
    passages: tuple[str, ...]


def _searoute_names(keys) -> list[str]:
    return sorted({PASSAGES[k][0] for k in keys} | set(_ALWAYS_CLOSED))


@lru_cache(maxsize=1)
def _passage_points() -> dict[str, np.ndarray]:
    """searoute passage name -> (lat, lon) array of its network nodes."""
    from searoute.searoute import setup_M

    points: dict[str, list] = {}
    for u, v, data in setup_M().edges(data=True):
        name = data.get("passage")
        if name:
            points.setdefault(name, []).extend([(u[1], u[0]), (v[1], v[0])])
    return {name: np.radians(np.array(pts)) for name, pts in points.items()}


def _order_along(line: list, names: list[str]) -> tuple[str, ...]:
    """Passages (searoute names) in the order the line meets them, as our keys."""
    coords = np.radians(np.array([(lat, lon) for lon, lat in line]))
    by_searoute = {value[0]: key for key, value in PASSAGES.items()}
    positions = []
    for name in names:
        pts = _passage_points()[name]
        # Angular distance between every line vertex and every passage node.
        dlat = coords[:, None, 0] - pts[None, :, 0]
        dlon = coords[:, None, 1] - pts[None, :, 1]
        a = (np.sin(dlat / 2) ** 2
             + np.cos(coords[:, None, 0]) * np.cos(pts[None, :, 0]) * np.sin(dlon / 2) ** 2)
        positions.append((int(np.argmin(a.min(axis=1))), by_searoute[name]))
    return tuple(key for _, key in sorted(positions))


@cache
def _sea_leg(origin: tuple, destination: tuple, closed: tuple) -> SeaLeg | None:
    import searoute

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        feature = searoute.searoute(
            [origin[1], origin[0]],
            [destination[1], destination[0]],
            units="km",
            append_orig_dest=True,
            restrictions=list(closed),
            return_passages=True,
        )
    blocked = any("No path found" in str(w.message) for w in caught)
    length = float(feature.properties["length"])
    if blocked or not math.isfinite(length):
        return None
    names = [n for n in feature.properties.get("traversed_passages", []) if n in
             {value[0] for value in PASSAGES.values()}]
    return SeaLeg(km=length, passages=_order_along(feature.geometry.coordinates, names))


def sea_leg(
    origin: tuple[float, float], destination: tuple[float, float], closed=()
) -> SeaLeg | None:
    """Shortest sea path between two ``(lat, lon)`` points, or None if closures block it.

    The length includes the short legs between each point and the nearest node of
    the shipping-lane network. ``closed`` names passages (any spelling
    :func:`passage_key` understands). Results are cached for the process.
    """
    keys = []
    for name in closed:
        key = passage_key(name)
        if key is None:
            raise ValueError(f"unknown sea passage {name!r}")
        keys.append(key)
    rounded_o = (round(float(origin[0]), 5), round(float(origin[1]), 5))
    rounded_d = (round(float(destination[0]), 5), round(float(destination[1]), 5))
    return _sea_leg(rounded_o, rounded_d, tuple(_searoute_names(keys)))


def _ocean(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    from global_land_mask import globe

    lat = np.clip(lat, -89.99, 89.99)
    lon = (lon + 180.0) % 360.0 - 180.0
    return np.asarray(globe.is_ocean(lat, lon), dtype=bool)


def is_coastal(lat: float, lon: float, within_km: float) -> bool:
    """True if open sea lies within ``within_km`` of the point (read on rings of 24 bearings).

    >>> is_coastal(39.47, -0.38, 50), is_coastal(40.42, -3.70, 50)  # Valencia, Madrid
    (True, False)
    """
    radii = [r for r in _RING_KM if r <= within_km] or [within_km]
    bearings = np.linspace(0, 2 * np.pi, _BEARINGS, endpoint=False)
    for radius in radii:
        dlat = radius / 111.2 * np.cos(bearings)
        dlon = radius / (111.2 * max(math.cos(math.radians(lat)), 0.01)) * np.sin(bearings)
        if _ocean(lat + dlat, lon + dlon).any():
            return True
    return False


@lru_cache(maxsize=1)
def _landmasses() -> np.ndarray:
    """Landmass labels on a 0.1-degree grid (row 0 at 90N, column 0 at 180W).

    A cell is land if any of 2 x 2 points read in it is land. Land is then grown
    by about 20 km (2 cells north-south, 3 east-west: 0.1 degree of longitude is
    7.9 km at 45 degrees), which joins shores across straits up to about 40 km
    wide (Dover, Oresund, Bosporus, Gibraltar), and the pieces are numbered.
    """
    from global_land_mask import globe
    from scipy import ndimage

    offsets = (_CELL_DEG / 4, 3 * _CELL_DEG / 4)
    rows, cols = int(180 / _CELL_DEG), int(360 / _CELL_DEG)
    land = np.zeros((rows, cols), dtype=bool)
    for dy in offsets:
        for dx in offsets:
            lats = 90 - np.arange(rows) * _CELL_DEG - dy
            lons = -180 + np.arange(cols) * _CELL_DEG + dx
            lon_grid, lat_grid = np.meshgrid(lons, lats)
            land |= np.asarray(globe.is_land(lat_grid, lon_grid), dtype=bool)
    yy, xx = np.mgrid[-2:3, -3:4]
    disk = (yy / 2.0) ** 2 + (xx / 3.0) ** 2 <= 1
    labels, _ = ndimage.label(ndimage.binary_dilation(land, structure=disk))
    return labels


def landmass(lat: float, lon: float) -> int:
    """Number of the landmass a point is on (straits up to about 40 km bridged); 0 at sea.

    Two places a truck can link have the same number.

    >>> landmass(51.51, -0.13) == landmass(48.86, 2.35)  # London, Paris: Dover Strait
    True
    >>> landmass(51.51, -0.13) == landmass(40.71, -74.01)  # London, New York
    False
    """
    labels = _landmasses()
    row = min(max(int((90 - lat) / _CELL_DEG), 0), labels.shape[0] - 1)
    col = int(((lon + 180) % 360) / _CELL_DEG) % labels.shape[1]
    return int(labels[row, col])
