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
