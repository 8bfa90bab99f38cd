"""The site profile lists the main research organizations nearby (issue 13)."""

from __future__ import annotations

import html
import re

from oicplan.data.cities import local_evidence


def test_site_page_lists_the_main_research_organizations_nearby(client, signed_in):
    from oicplan.data import load_dataset

    sites = load_dataset().sites.set_index("site_id")
    site = sites.loc["AUT-vienna"]
    local = local_evidence(float(site["lat"]), float(site["lon"]), "AUT")
    signed_in("viewer")
    headings = (("zh", "周边科研组织与机场"), ("en", "Research organizations and airports"))
    for lang, heading in headings:
        page = client.get("/sites/AUT-vienna", params={"lang": lang}).text
        section = re.search(r'id="site-local".*?</section>', page, re.S).group(0)
        assert heading in section
        ids = re.findall(r'data-ror-id="([^"]+)"', section)
        assert ids == [item["ror_id"] for item in local["institutions"]]
        names = [html.unescape(n) for n in re.findall(r'data-ror-id="[^"]+"><td>([^<]*)</td>',
                                                       section)]
        assert "University of Vienna" in names
        assert "VIE" in section and "GeoNames" in section


def test_site_profile_api_carries_local(client, signed_in):
    signed_in("viewer")
    response = client.get("/api/sites/AUT-graz")
    assert response.status_code == 200, response.text
    local = response.json()["local"]
    assert local["radius_km"] == 50.0 and local["large_airports"]["radius_km"] == 100.0
