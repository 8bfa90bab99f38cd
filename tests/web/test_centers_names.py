"""The centers page names each center's site (Chinese in zh), also sites the ranking leaves out."""

from __future__ import annotations

import html
import re


def _links(page: str) -> dict[str, str]:
    return {site: html.unescape(text) for site, text in
            re.findall(r'<a href="/sites/([^"]+)">([^<]*)</a>', page)}


def test_the_centers_page_shows_site_names_not_ids(client, signed_in, database_url):
    from oicplan.data.dataset import load_dataset
    from oicplan.services.planning import RankRequest, rank
    from oicplan.services.registry import ListCentersRequest, list_centers

    sites = load_dataset().sites_with_unconfirmed.set_index("site_id")
    centers = [c for c in list_centers(ListCentersRequest(database_url=database_url)).centers
               if c.site_id]
    ranked = {s.site_id for s in rank(RankRequest(scenario="zhejiang")).sites}
    outside = [c.site_id for c in centers if c.site_id not in ranked]
    assert outside, "the registry has a center at a site the default ranking leaves out"
    signed_in("viewer")
    zh = _links(client.get("/centers").text)
    en = _links(client.get("/centers", params={"lang": "en"}).text)
    for center in centers:
        row = sites.loc[center.site_id]
        assert zh[center.site_id] == row["name_zh"], center.site_id
        assert en[center.site_id] == row["name"], center.site_id
    assert all(zh[site] != site for site in outside)
