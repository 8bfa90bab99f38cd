"""The site profile in Chinese: source titles and hub names, the ids kept as attributes."""

from __future__ import annotations

import html
import re

_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_site_profile_names_sources_and_hubs_in_chinese(client, signed_in):
    from oicplan.data import load_dataset

    known = {source["id"] for source in load_dataset().sources}
    signed_in("viewer")
    page = client.get("/sites/KOR-seoul").text
    cells = re.findall(r'<td class="small" data-source="([^"]*)">([^<]*)</td>', page)
    assert cells
    for source, text in cells:
        if source in known:
            assert _HAN.search(text) and source not in text, (source, text)
    access = re.search(r'id="site-access".*?</section>', page, re.S).group(0)
    origins = re.findall(r'<tr data-mode="\w+">\s*<td>[^<]*</td>\s*<td>([^<]*)</td>', access)
    assert origins and all(_HAN.search(html.unescape(o)) for o in origins), origins
    english = client.get("/sites/KOR-seoul", params={"lang": "en"}).text
    assert "World Bank, World Development Indicators" in english
    assert "世界银行" not in english


def test_site_profile_names_cost_inputs_and_assumptions_in_chinese(client, signed_in):
    signed_in("viewer")
    page = client.get("/sites/KOR-seoul").text
    costs = re.search(r'id="site-costs".*?</section>', page, re.S).group(0)
    inputs = re.findall(r'<td data-input="([^"]*)">([^<]*)</td>', costs)
    assert inputs
    for name, shown in inputs:
        assert _HAN.search(shown) and name.split(" ")[0] not in shown, (name, shown)
    assert "官方汇率（韩国）" in [shown for _, shown in inputs]
    assumptions = re.search(r"所依据的假设：[^<]*", costs).group(0)
    assert "研究人员基准人力成本" in assumptions and "base cost" not in assumptions
    english = client.get("/sites/KOR-seoul", params={"lang": "en"}).text
    assert ">PA.NUS.FCRF KOR<" in english and "base cost researcher" in english


def test_the_maps_hubs_and_sea_lanes_carry_chinese_names(client, signed_in):
    signed_in("viewer")
    body = client.get("/map/layers", params={"scenario": "zhejiang"}).json()
    hubs = {hub["name"]: hub["name_zh"] for hub in body["hubs"]}
    assert hubs["Ningbo-Zhoushan"] == "宁波-舟山" and hubs["Yiwu"] == "义乌"
    assert all(_HAN.search(name) for name in hubs.values())
    assert body["sea_lanes"]
    for lane in body["sea_lanes"]:
        assert lane["hub_zh"] == hubs[lane["hub"]]
