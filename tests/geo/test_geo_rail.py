"""Rail routes: published figures kept, gaps estimated by a method computed from the data."""

from __future__ import annotations

import statistics

import pytest

from oicplan.geo import rail_estimates, rail_routes
from oicplan.geo.rail import border_id


@pytest.fixture(scope="module")
def routes():
    return rail_routes().set_index("route")


def test_yiwu_madrid_is_published(routes):
    madrid = routes.loc["Yiwu–Madrid"]
    assert (madrid.km, madrid.days) == (13052.0, 21.0)
    assert not madrid.km_estimated and not madrid.days_estimated
    assert madrid.border == "Alashankou"
    assert "published" in madrid.basis


def test_missing_figures_are_estimated_and_flagged(routes):
    almaty = routes.loc["Yiwu–Almaty"]
    assert almaty.km_estimated and almaty.days_estimated
    prague = routes.loc["Yiwu–Prague"]
    assert prague.km_estimated and not prague.days_estimated
    assert prague.days == 16.0  # "~16" as published
    vilnius = routes.loc["Yiwu–Vilnius"]
    assert not vilnius.km_estimated and vilnius.days_estimated
    assert "estimated" in almaty.basis


def test_estimates_are_medians_of_the_published_routes(routes):
    estimates = rail_estimates()
    table = estimates.table.dropna(subset=["ratio"])
    assert estimates.circuity == pytest.approx(statistics.median(table["ratio"]))
    assert estimates.n_distance == len(table)
    almaty = routes.loc["Yiwu–Almaty"]
    assert almaty.km == pytest.approx(almaty.gc_km * estimates.circuity)
    assert almaty.days == pytest.approx(almaty.km / estimates.km_per_day)
    assert "median" in estimates.describe()


def test_crossings_named_by_either_side():
    assert border_id("Altynkol (KAZ)") == border_id("Khorgos") == "khorgos"
    assert border_id("Manzhouli") == "manzhouli"
    assert border_id("nowhere") is None
