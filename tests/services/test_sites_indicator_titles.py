"""The site profile names every indicator it shows in Chinese (issue 10: no English title in zh)."""

from __future__ import annotations

import re

import pytest

from oicplan.services.data import DataIndicatorsRequest, DataShowRequest, data_indicators, data_show
from oicplan.services.sites import SiteProfileRequest, site_profile

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def profile():
    return site_profile(SiteProfileRequest(site_id="KOR-seoul"))


def test_every_indicator_the_profile_shows_has_a_chinese_name(profile):
    codes = {value.indicator for value in profile.values}
    for part in (profile.strengths or []) + (profile.weaknesses or []):
        codes.add(str(part["indicator"]))
    assert len(codes) > 40
    for code in codes:
        names = profile.indicator_names[code]
        assert CJK.search(names["zh"]), (code, names)
        assert names["zh"] != names["en"], code


def test_values_carry_the_series_chinese_title(profile):
    for value in profile.values:
        assert value.title_zh and CJK.search(value.title_zh), value.indicator
        assert value.title_zh != value.title
    by_code = {value.indicator: value for value in profile.values}
    # Not in the default framework: the data's title, translated.
    assert by_code["SP.POP.TOTL"].title_zh == "人口总数"
    assert profile.indicator_names["SP.POP.TOTL"] == {"en": "Population, total", "zh": "人口总数"}
    # In the framework: its own Chinese name stays first in the names.
    assert profile.indicator_names["GB.XPD.RSDV.GD.ZS"]["zh"] == "研发经费支出占GDP比重"
    # The value is the raw series (current US$), so its own title says so.
    assert "现价美元" in by_code["BX.GSR.ROYL.CD"].title_zh


def test_data_show_and_indicators_have_chinese_titles():
    shown = data_show(DataShowRequest(iso3="DEU"))
    assert all(v.title_zh and CJK.search(v.title_zh) for v in shown.values)
    assert "title_zh" in shown.document()["values"][0]
    records = data_indicators(DataIndicatorsRequest()).indicators
    assert all(CJK.search(record.title_zh) for record in records)
    rd = next(r for r in records if r.code == "GB.XPD.RSDV.GD.ZS")
    assert rd.title_zh == rd.name_zh == "研发经费支出占GDP比重"
