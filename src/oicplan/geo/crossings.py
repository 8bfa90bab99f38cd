"""The rail border crossings of China's westbound and northbound trains.

Kept apart from :mod:`oicplan.geo.rail` (which reads the route table with pandas)
so the command line can list the crossings in its help without loading data.

>>> sorted(BORDER_CROSSINGS)
['alashankou', 'khorgos', 'manzhouli']
"""

from __future__ import annotations

__all__ = ["BORDER_CROSSINGS"]

# Rail border crossings of the China–Europe and China–Central Asia trains, with the
# GeoNames coordinates of the Chinese border town. Khorgos (China) and Altynkol
# (Kazakhstan) are the two stations of one crossing, so they are one node; the
# fact table names it by either side.
BORDER_CROSSINGS = {
    "alashankou": {
        "name": "Alashankou",
        "aliases": ("alashankou", "alataw", "dostyk"),
        "lat": 45.17018,  # GeoNames 8521719
        "lon": 82.56981,
    },
    "khorgos": {
        "name": "Khorgos–Altynkol",
        "aliases": ("khorgos", "horgos", "altynkol", "altynkul"),
        "lat": 44.20276,  # GeoNames 1529377 (Khorgos, China)
        "lon": 80.41639,
    },
    "manzhouli": {
        "name": "Manzhouli",
        "aliases": ("manzhouli", "zabaikalsk"),
        "lat": 49.6,  # GeoNames 2035836
        "lon": 117.43333,
    },
}
