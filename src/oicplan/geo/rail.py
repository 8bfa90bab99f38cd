"""China–Europe rail routes from Yiwu and Jinhua: published figures and estimates.

The routes come from the fact table ``yixinou_routes`` (each row with its source).
Where a route's distance or transit time is published, it is used as published.
Where it is missing, it is estimated:

* **distance** = great-circle distance along the route (origin → border crossing →
  terminal, or origin → terminal where the crossing is not stated) × a **rail
  circuity factor**, the median of published km / great-circle km over the routes
  that publish a distance;
* **days** = distance / the **median published speed** (km per day) over the routes
  that publish both a distance and a transit time.

Both factors are computed from the data each time (:func:`rail_estimates`), so a
new published figure changes them.

>>> estimates = rail_estimates()
>>> 1.1 < estimates.circuity < 1.6 and 500 < estimates.km_per_day < 900
True
>>> routes = rail_routes()
>>> madrid = routes.set_index("route").loc["Yiwu–Madrid"]
>>> float(madrid.km), float(madrid.days), madrid.border, bool(madrid.km_estimated)
(13052.0, 21.0, 'Alashankou', False)
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

import pandas as pd

from oicplan.data.dataset import load_dataset
from oicplan.data.facts import leading_number, sourced_routes
from oicplan.data.geography import great_circle_km
from oicplan.errors import InputError
from oicplan.geo.crossings import BORDER_CROSSINGS

__all__ = [
    "BORDER_CROSSINGS",
    "ESTIMATED_SOURCE",
    "RailEstimates",
    "border_id",
    "hub_rail_routes",
    "rail_estimates",
    "rail_routes",
]

_TABLE = "yixinou_routes"
#: The ``source`` of a route estimated from a rail hub that no published route starts at.
ESTIMATED_SOURCE = "estimate (oicplan.geo.rail): no published route from this hub"


def _plain(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def border_id(text: str) -> str | None:
    """The crossing key (``alashankou``, ``khorgos``, ``manzhouli``) a text names, or None.

    >>> border_id("Altynkol (KAZ)"), border_id("Khorgos"), border_id("Suez")
    ('khorgos', 'khorgos', None)
    """
    words = set(_plain(text).split())
    for key, crossing in BORDER_CROSSINGS.items():
        if words & set(crossing["aliases"]):
            return key
    return None


def _cell(text: object) -> tuple[float | None, str]:
    """Number of a fact cell and the cell's text (which keeps qualifiers such as '~', '+').

    A leading "~" (about) is dropped before reading the number, a thousands comma too.
    """
    if not isinstance(text, str) or not text.strip():
        return None, ""
    return leading_number(text.strip().lstrip("~≈").replace(",", "")), text.strip()


def _hub_coordinates() -> dict[str, tuple[float, float]]:
    from oicplan.scenario import load_scenario

    return {hub.name: (hub.lat, hub.lon) for hub in load_scenario("zhejiang").hubs}


def _published(dataset=None) -> pd.DataFrame:
    """One row per sourced route with its published figures (NaN where missing)."""
    dataset = dataset or load_dataset()
    table = dataset.fact_table(_TABLE)
    rows = sourced_routes(table)
    sites = dataset.sites[dataset.sites["rail_route"].notna()]
    hubs = _hub_coordinates()
    records = []
    for index, row in rows.iterrows():
        spreadsheet_row = int(index) + 2
        if row["origin"] not in hubs:
            raise InputError(
                f"origin {row['origin']!r} is not a Zhejiang hub",
                file=_TABLE, row=spreadsheet_row, field="origin",
            )
        # A site two routes end at names both ("Jinhua–Tashkent; Yiwu–Tashkent").
        carries = sites["rail_route"].map(
            lambda routes, origin=row["origin"]: any(
                route.startswith(f"{origin}–") for route in str(routes).split("; ")
            )
        )
        match = sites[(sites["iso3"] == row["iso3"]) & carries]
        if match.empty:
            raise InputError(
                f"no candidate site carries the route to {row['destination_city']!r}",
                file=_TABLE, row=spreadsheet_row, field="destination_city",
            )
        site = match.iloc[0]
        crossing_text = row["border_crossing"] if isinstance(row["border_crossing"], str) else ""
        border = border_id(crossing_text) if crossing_text else None
        if crossing_text and border is None:
            raise InputError(
                f"unknown border crossing {crossing_text!r}",
                file=_TABLE, row=spreadsheet_row, field="border_crossing",
            )
        km, km_text = _cell(row["distance_km"])
        days, days_text = _cell(row["transit_days"])
        olat, olon = hubs[row["origin"]]
        if border:
            crossing = BORDER_CROSSINGS[border]
            gc = great_circle_km(olat, olon, crossing["lat"], crossing["lon"]) + great_circle_km(
                crossing["lat"], crossing["lon"], site["lat"], site["lon"]
            )
        else:
            gc = great_circle_km(olat, olon, site["lat"], site["lon"])
        records.append(
            {
                # This row's own route (a site two routes end at lists both).
                "route": next(
                    route for route in str(site["rail_route"]).split("; ")
                    if route.startswith(f"{row['origin']}–")
                ),
                "origin": str(row["origin"]),
                "site_id": str(site["site_id"]),
                "destination": str(site["name"]),
                "iso3": str(row["iso3"]),
                "border_key": border,
                "border": BORDER_CROSSINGS[border]["name"] if border else None,
                "gc_km": float(gc),
                "published_km": km,
                "published_km_text": km_text,
                "published_days": days,
                "published_days_text": days_text,
                "transit_countries": row["transit_countries"]
                if isinstance(row["transit_countries"], str)
                else "",
                "source": str(row["source"]),
            }
        )
    return pd.DataFrame(records)


@dataclass(frozen=True)
class RailEstimates:
    """The two factors that fill the gaps of the rail table, and the routes behind them.

    ``table`` has one row per route with ``gc_km``, ``ratio`` (published km / gc km)
    and ``km_per_day`` where the figures exist.
    """

    circuity: float
    km_per_day: float
    n_distance: int
    n_speed: int
    table: pd.DataFrame

    def describe(self) -> str:
        """The method in one sentence, with the numbers."""
        return (
            f"rail circuity {self.circuity:.3f} = median of published km / great-circle km "
            f"over {self.n_distance} routes; speed {self.km_per_day:.0f} km/day = median "
            f"published km / days over {self.n_speed} routes"
        )


def rail_estimates(dataset=None) -> RailEstimates:
    """Rail circuity factor and median speed, computed from the published routes.

    A distance published as "11000+" or "~12000" counts with its number; a time
    published as "14 (planned)" counts as 14 days.
    """
    routes = _published(dataset)
    table = routes[["route", "gc_km", "published_km", "published_days"]].copy()
    table["ratio"] = table["published_km"] / table["gc_km"]
    table["km_per_day"] = table["published_km"] / table["published_days"]
    ratios = table["ratio"].dropna().tolist()
    speeds = table["km_per_day"].dropna().tolist()
    if not ratios or not speeds:
        raise InputError("no published rail distance and time to estimate from", file=_TABLE)
    return RailEstimates(
        circuity=float(statistics.median(ratios)),
        km_per_day=float(statistics.median(speeds)),
        n_distance=len(ratios),
        n_speed=len(speeds),
        table=table.reset_index(drop=True),
    )


def rail_routes(dataset=None) -> pd.DataFrame:
    """Every sourced rail route with its distance and days, published or estimated.

    Columns: ``route, origin, site_id, destination, iso3, border_key, border, km,
    days, km_estimated, days_estimated, basis, gc_km, transit_countries, source``.
    """
    routes = _published(dataset)
    estimates = rail_estimates(dataset)
    km_estimated = routes["published_km"].isna()
    km = routes["published_km"].where(~km_estimated, routes["gc_km"] * estimates.circuity)
    days_estimated = routes["published_days"].isna()
    days = routes["published_days"].where(~days_estimated, km / estimates.km_per_day)
    basis = []
    for row, est_km, est_days in zip(routes.itertuples(), km_estimated, days_estimated,
                                     strict=True):
        km_part = (
            f"km estimated: {row.gc_km:.0f} great-circle km x circuity {estimates.circuity:.3f}"
            if est_km
            else f"km published ({row.published_km_text})"
        )
        days_part = (
            f"days estimated: km / {estimates.km_per_day:.0f} km per day"
            if est_days
            else f"days published ({row.published_days_text})"
        )
        basis.append(f"{km_part}; {days_part}")
    out = routes.assign(
        km=km.astype(float),
        days=days.astype(float),
        km_estimated=km_estimated.astype(bool),
        days_estimated=days_estimated.astype(bool),
        basis=basis,
    )
    columns = [
        "route", "origin", "site_id", "destination", "iso3", "border_key", "border", "km",
        "days", "km_estimated", "days_estimated", "basis", "gc_km", "transit_countries",
        "source",
    ]
    return out[columns].reset_index(drop=True)


def _same_place(a: str, b: str) -> bool:
    return _plain(a) == _plain(b)


def hub_rail_routes(hubs, dataset=None) -> pd.DataFrame:
    """The rail routes from the rail hubs ``hubs``: published where a hub is their origin.

    ``hubs`` is a list of ``(name, lat, lon)``. A hub that is the origin of published
    routes (Yiwu, Jinhua) gets those routes as :func:`rail_routes` gives them. Any
    other rail hub gets one estimated route to each terminal of the published
    network, through the same border crossing: great-circle km (hub → crossing →
    terminal) x the rail circuity factor, at the median published speed
    (:func:`rail_estimates`), flagged estimated. Columns as :func:`rail_routes`.

    >>> routes = hub_rail_routes([("Dongguan", 23.01797, 113.74866)])
    >>> madrid = routes.set_index("route").loc["Dongguan–Madrid"]
    >>> madrid.border, bool(madrid.km_estimated), bool(madrid.days_estimated)
    ('Alashankou', True, True)
    >>> hub_rail_routes([("Yiwu", 29.31506, 120.07676)])["origin"].unique().tolist()
    ['Yiwu']
    """
    published = rail_routes(dataset)
    estimates = rail_estimates(dataset)
    parts = []
    for name, lat, lon in hubs:
        own = published[published["origin"].map(lambda origin, n=name: _same_place(origin, n))]
        if len(own):
            parts.append(own.assign(origin=name))
            continue
        terminals = published.drop_duplicates("site_id")
        sites = (dataset or load_dataset()).sites.set_index("site_id")
        records = []
        for row in terminals.itertuples():
            site = sites.loc[row.site_id]
            if isinstance(row.border_key, str):
                crossing = BORDER_CROSSINGS[row.border_key]
                gc = great_circle_km(lat, lon, crossing["lat"], crossing["lon"]) + great_circle_km(
                    crossing["lat"], crossing["lon"], site["lat"], site["lon"])
            else:
                gc = great_circle_km(lat, lon, site["lat"], site["lon"])
            km = gc * estimates.circuity
            records.append({
                "route": f"{name}–{row.destination}", "origin": name, "site_id": row.site_id,
                "destination": row.destination, "iso3": row.iso3,
                "border_key": row.border_key, "border": row.border, "km": float(km),
                "days": float(km / estimates.km_per_day), "km_estimated": True,
                "days_estimated": True,
                "basis": (f"km estimated: {gc:.0f} great-circle km x circuity "
                          f"{estimates.circuity:.3f}; days estimated: km / "
                          f"{estimates.km_per_day:.0f} km per day; no published route "
                          f"from {name}"),
                "gc_km": float(gc), "transit_countries": row.transit_countries,
                "source": ESTIMATED_SOURCE,
            })
        parts.append(pd.DataFrame(records, columns=published.columns))
    if not parts:
        return published.iloc[0:0]
    return pd.concat(parts, ignore_index=True)
