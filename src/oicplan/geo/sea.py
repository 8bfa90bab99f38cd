"""Sea legs through the ``searoute`` maritime network, with the passages they use.

``searoute`` (Eurostat's SeaRoute network packaged for Python, Apache-2.0) finds
the shortest sea path between two points on its network of shipping lanes and
reports the named passages the path crosses. A closed passage is passed to its
``restrictions`` argument, so the path goes round it (Suez closed: round the Cape
of Good Hope) or, if there is no way round, there is no path.

searoute always keeps the Northwest Passage closed (its default); so does this module.

Whether a site is a sea port, and which places a truck can link, is read
from ``global-land-mask`` (a 1 km land/sea raster of the GLOBE elevation data):
:func:`landmass` as a quick first filter, then :func:`crosses_open_sea` along each
truck leg's own great circle.

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
    "crosses_open_sea",
    "is_coastal",
    "landmass",
    "passage_key",
    "sea_leg",
    "sea_stretches",
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


# Step (km) between the points read along a truck leg: twice the land mask's 1 km grid.
_STEP_KM = 2.0
# Cells along the longer side of the window read round a stretch of sea: cells of
# 2 km for windows up to 600 km, coarser beyond but never over an eighth of the
# water a truck may cross (5 km for 40 km).
_WINDOW_CELLS = 300
# Water driven round within 1.5 times its width is skirted close by: the leg's road
# circuity is taken to cover it. A longer detour is measured (see crosses_open_sea).
_CLOSE_DETOUR = 1.5
_EARTH_KM = 6371.0088


def _km(lat1, lon1, lat2, lon2):
    """Great-circle km (haversine); works on arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (np.sin((p2 - p1) / 2) ** 2
         + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _great_circle_points(lat1, lon1, lat2, lon2, step_km: float):
    """Points (lat, lon arrays) at most ``step_km`` apart along the great circle, ends included."""
    p = np.radians([[lat1, lon1], [lat2, lon2]])
    v = np.column_stack([np.cos(p[:, 0]) * np.cos(p[:, 1]), np.cos(p[:, 0]) * np.sin(p[:, 1]),
                         np.sin(p[:, 0])])
    angle = float(np.arccos(np.clip(v[0] @ v[1], -1.0, 1.0)))
    n = max(math.ceil(angle * _EARTH_KM / step_km), 1)
    t = np.linspace(0.0, 1.0, n + 1)[:, None]
    if angle < 1e-9:
        xyz = np.repeat(v[:1], n + 1, axis=0)
    else:
        xyz = (np.sin((1 - t) * angle) * v[0] + np.sin(t * angle) * v[1]) / math.sin(angle)
    lat = np.degrees(np.arcsin(np.clip(xyz[:, 2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    return lat, lon


def sea_stretches(lat1: float, lon1: float, lat2: float, lon2: float) -> list[tuple]:
    """The stretches of sea on the great circle, each as its two shores ``(lat, lon)``.

    The line is read every 2 km on global-land-mask (inland lakes count as land);
    a shore is the last point on land before the stretch or the first after it
    (an end of the line if that end is at sea).

    >>> [round(_km(*a, *b)) for a, b in sea_stretches(51.51, -0.13, 53.35, -6.26)]
    [30, 117]
    >>> sea_stretches(40.42, -3.70, 41.39, 2.17)  # Madrid to Barcelona: all land
    []
    """
    lat, lon = _great_circle_points(lat1, lon1, lat2, lon2, _STEP_KM)
    edges = np.diff(np.concatenate([[0], _ocean(lat, lon).astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)

    def shore(i):
        return round(float(lat[i]), 2), round(float(lon[i]), 2)

    return [(shore(max(i - 1, 0)), shore(min(j, len(lat) - 1)))
            for i, j in zip(starts, stops, strict=True)]


def _to_plane(centre: tuple, lat, lon):
    """Azimuthal equidistant projection about ``centre``: km east and north (arrays)."""
    p0, l0 = math.radians(centre[0]), math.radians(centre[1])
    p, dl = np.radians(lat), np.radians(lon) - l0
    cos_c = np.clip(math.sin(p0) * np.sin(p) + math.cos(p0) * np.cos(p) * np.cos(dl), -1, 1)
    c = np.arccos(cos_c)
    scale = _EARTH_KM * np.where(c > 1e-9, c / np.sin(np.maximum(c, 1e-9)), 1.0)
    x = scale * np.cos(p) * np.sin(dl)
    y = scale * (math.cos(p0) * np.sin(p) - math.sin(p0) * np.cos(p) * np.cos(dl))
    return x, y


def _from_plane(centre: tuple, x, y):
    """Inverse of :func:`_to_plane`: (lat, lon) in degrees, lon in [-180, 180)."""
    p0, l0 = math.radians(centre[0]), math.radians(centre[1])
    rho = np.hypot(x, y)
    c = rho / _EARTH_KM
    safe = np.maximum(rho, 1e-9)
    lat = np.arcsin(np.clip(np.cos(c) * math.sin(p0) + y * np.sin(c) * math.cos(p0) / safe,
                            -1, 1))
    lon = l0 + np.arctan2(x * np.sin(c), safe * math.cos(p0) * np.cos(c)
                          - y * math.sin(p0) * np.sin(c))
    return np.degrees(lat), (np.degrees(lon) + 180.0) % 360.0 - 180.0


def _box(f1, f2, span):
    """Axis-aligned box (x0, x1, y0, y1) round the ellipse with foci f1, f2 (km) and ``span``."""
    a = span / 2
    d = math.hypot(f2[0] - f1[0], f2[1] - f1[1]) / 2
    b = math.sqrt(max(a * a - d * d, 0.0))
    cos_t = (f2[0] - f1[0]) / (2 * d) if d else 1.0
    sin_t = (f2[1] - f1[1]) / (2 * d) if d else 0.0
    hx, hy = math.hypot(a * cos_t, b * sin_t), math.hypot(a * sin_t, b * cos_t)
    cx, cy = (f1[0] + f2[0]) / 2, (f1[1] + f2[1]) / 2
    return cx - hx, cx + hx, cy - hy, cy + hy


def _land_window(a: tuple, b: tuple, gap_km: float, ellipses: tuple):
    """The land a truck may use between ``a`` and ``b``, on a grid round them.

    Water up to ``gap_km`` wide counts as land (a bridge, tunnel or short ferry).
    Each ellipse is ``(focus, focus, span)``: the points whose distances to the two
    foci add up to at most ``span`` km; the land is kept inside all of them. The
    land mask is read on square cells in an azimuthal equidistant projection
    centred between ``a`` and ``b``. Returns ``(usable, cell_km, cell_a, cell_b)``.
    """
    from global_land_mask import globe
    from scipy import ndimage

    centre = ((a[0] + b[0]) / 2, a[1] + ((b[1] - a[1] + 180.0) % 360.0 - 180.0) / 2)
    plane = [(tuple(map(float, _to_plane(centre, f1[0], f1[1]))),
              tuple(map(float, _to_plane(centre, f2[0], f2[1]))), span)
             for f1, f2, span in ellipses]
    boxes = [_box(*e) for e in plane]
    margin = gap_km / 2
    x0, x1 = max(bx[0] for bx in boxes) - margin, min(bx[1] for bx in boxes) + margin
    y0, y1 = max(bx[2] for bx in boxes) - margin, min(bx[3] for bx in boxes) + margin
    cell = max(2.0, min(max(x1 - x0, y1 - y0) / _WINDOW_CELLS, gap_km / 8))
    x, y = np.meshgrid(np.arange(x0, x1 + cell, cell), np.arange(y1, y0 - cell, -cell))
    inside = np.ones(x.shape, dtype=bool)
    near = np.ones(x.shape, dtype=bool)  # the land mask is read only here
    for f1, f2, span in plane:
        total = np.hypot(x - f1[0], y - f1[1]) + np.hypot(x - f2[0], y - f2[1])
        inside &= total <= span
        near &= total <= span + gap_km
    lat, lon = _from_plane(centre, x[near], y[near])
    land = np.zeros(x.shape, dtype=bool)
    land[near] = globe.is_land(np.clip(lat, -89.99, 89.99), lon)
    ends = []
    for point in (a, b):
        px, py = _to_plane(centre, point[0], point[1])
        ends.append((min(max(round((y1 - float(py)) / cell), 0), land.shape[0] - 1),
                     min(max(round((float(px) - x0) / cell), 0), land.shape[1] - 1)))
        land[ends[-1]] = inside[ends[-1]] = True
    bridged = ndimage.distance_transform_edt(~land, sampling=cell) <= gap_km / 2
    return bridged & inside, cell, ends[0], ends[1]


@lru_cache(maxsize=4096)
def _shores_joined(a: tuple, b: tuple, gap_km: float, ellipses: tuple) -> bool:
    """True if land joins ``a`` and ``b`` without leaving any of ``ellipses`` (see
    :func:`_land_window`)."""
    from scipy import ndimage

    usable, _, end_a, end_b = _land_window(a, b, gap_km, ellipses)
    labels, _ = ndimage.label(usable, structure=np.ones((3, 3), dtype=bool))
    return bool(labels[end_a] and labels[end_a] == labels[end_b])


# Steps of the land route between grid cells: the 8 neighbours and 8 knight's moves,
# so a route's length is within about 3 % of the straight line's where it is straight.
_MOVES = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
          if (dy, dx) != (0, 0) and max(abs(dy), abs(dx)) <= 2 and min(abs(dy), abs(dx)) <= 1
          and (abs(dy), abs(dx)) != (2, 0) and (abs(dy), abs(dx)) != (0, 2)]


@lru_cache(maxsize=1024)
def _land_route_km(a: tuple, b: tuple, gap_km: float, span: float) -> float:
    """Length (km) of the shortest land route from ``a`` to ``b`` no longer than ``span``.

    Water up to ``gap_km`` counts as land; the route is sought on the grid of
    :func:`_land_window` inside the ellipse of the points it can reach within
    ``span`` km. Returns ``inf`` if there is no such route.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    usable, cell, end_a, end_b = _land_window(a, b, gap_km, ((a, b, span),))
    index = np.full(usable.shape, -1, dtype=np.int64)
    index[usable] = np.arange(int(usable.sum()))
    rows, cols, weights = [], [], []
    height, width = usable.shape
    for dy, dx in _MOVES:
        here = index[max(-dy, 0):height - max(dy, 0), max(-dx, 0):width - max(dx, 0)]
        there = index[max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)]
        both = (here >= 0) & (there >= 0)
        rows.append(here[both])
        cols.append(there[both])
        weights.append(np.full(int(both.sum()), cell * math.hypot(dy, dx)))
    n = int(usable.sum())
    graph = coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(n, n)).tocsr()
    distance = dijkstra(graph, indices=int(index[end_a]), limit=span)
    return float(distance[index[end_b]])


def crosses_open_sea(
    lat1: float, lon1: float, lat2: float, lon2: float, max_sea_km: float = 40.0, *,
    detour: float = 3.0, circuity: float = 1.3,
) -> bool:
    """True if a truck cannot drive between the two points without crossing open sea.

    The great circle between them is read on the land mask (:func:`sea_stretches`).
    Water at most ``max_sea_km`` across is crossed (a bridge, tunnel or short
    ferry). Wider water must be driven round on land, where water up to
    ``max_sea_km`` counts as land:

    * land must join the two shores of the water inside the ellipse of points
      whose distances to them add up to at most ``detour`` times its width (a bay,
      a gulf, a strait bridged nearby), and inside the leg's own ellipse of
      ``circuity`` times the great circle (the road km a truck leg is given);
    * if some water is driven round only further than 1.5 times its width (not
      close by: the Channel through the Dover Strait, the Baltic through Denmark),
      the leg's shortest land route is measured on the grid and must be at most
      ``circuity`` times the great circle.

    Otherwise the leg crosses open sea. Inland lakes count as land (global-land-mask
    knows only the sea).

    >>> crosses_open_sea(51.51, -0.13, 53.35, -6.26)  # London-Dublin: Irish Sea
    True
    >>> crosses_open_sea(35.69, 51.39, 25.20, 55.27)  # Tehran-Dubai: the Gulf
    True
    >>> crosses_open_sea(41.39, 2.17, 39.47, -0.38)  # Barcelona-Valencia: round the bay
    False
    >>> crosses_open_sea(51.51, -0.13, 48.86, 2.35)  # London-Paris: Dover Strait, 33 km
    False
    >>> crosses_open_sea(51.51, -0.13, 48.86, 2.35, max_sea_km=25)  # no Channel Tunnel
    True
    """
    ends = tuple(sorted([(round(lat1, 4), round(lon1, 4)), (round(lat2, 4), round(lon2, 4))]))
    return _crosses_open_sea(ends, float(max_sea_km), float(detour), float(circuity))


@lru_cache(maxsize=8192)
def _crosses_open_sea(ends: tuple, max_sea_km: float, detour: float, circuity: float) -> bool:
    span = circuity * float(_km(*ends[0], *ends[1]))
    leg = (ends[0], ends[1], span)
    close = min(detour, _CLOSE_DETOUR)
    far = False
    for shore_a, shore_b in sea_stretches(*ends[0], *ends[1]):
        width = float(_km(*shore_a, *shore_b))
        if width <= max_sea_km:
            continue
        if _shores_joined(shore_a, shore_b, max_sea_km, ((shore_a, shore_b, close * width), leg)):
            continue
        if detour > close and _shores_joined(
            shore_a, shore_b, max_sea_km, ((shore_a, shore_b, detour * width), leg)
        ):
            far = True
            continue
        return True
    return far and _land_route_km(ends[0], ends[1], max_sea_km, span) > span
