"""The site profile's values table names every indicator in Chinese (issue 10), each by the
title of the series shown (a raw value in US$ is not called a ratio to GDP)."""

from __future__ import annotations

import html
import re

_HAN = re.compile(r"[\u4e00-\u9fff]")
_ROW = re.compile(r'<tr data-indicator="([^"]+)">\s*<td>([^<]*)</td>')


def _values(page: str) -> dict[str, str]:
    section = re.search(r'id="site-values".*?</section>', page, re.S).group(0)
    return {code: html.unescape(title) for code, title in _ROW.findall(section)}


def test_site_values_have_chinese_titles_and_english_ones_in_english(client, signed_in):
    from oicplan.data import load_dataset

    titles = load_dataset().indicators["title"]
    signed_in("viewer")
    chinese = _values(client.get("/sites/KOR-seoul").text)
    assert len(chinese) > 40
    for code, shown in chinese.items():
        assert _HAN.search(shown), (code, shown)
        assert titles[code] != shown
    assert chinese["SP.POP.TOTL"] == "人口总数"
    # the raw series in current US$, not the framework's scored ratio to GDP
    assert chinese["BX.GSR.ROYL.CD"] == "知识产权使用费，收入（国际收支，现价美元）"
    english = _values(client.get("/sites/KOR-seoul", params={"lang": "en"}).text)
    assert english.keys() == chinese.keys()
    assert all(english[code] == titles[code] for code in english)
