"""What a Chinese reader sees from the services: hub names in access and map layers."""

from __future__ import annotations

import re

from oicplan.services.sites import SiteProfileRequest, site_profile

_LATIN = re.compile(r"[A-Za-z]")


def test_access_names_its_hub_in_chinese():
    profile = site_profile(SiteProfileRequest(site_id="ESP-madrid"))
    routed = [a for a in profile.access if a.origin is not None]
    assert routed
    for access in routed:
        assert access.origin_zh and not _LATIN.search(access.origin_zh), access
    by_origin = {a.origin: a.origin_zh for a in routed}
    assert by_origin.get("Ningbo-Zhoushan", "宁波-舟山") == "宁波-舟山"


def test_an_access_route_names_its_hub_in_chinese():
    from oicplan.services.transport import AccessRequest, access

    route = access(AccessRequest(origin="Ningbo", to="ESP-madrid", mode="sea")).route
    assert route["from"] == "Ningbo-Zhoushan" and route["from_zh"] == "宁波-舟山"
