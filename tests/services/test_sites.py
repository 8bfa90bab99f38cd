"""The site profile use case against the services and library it composes."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.services.data import DataShowRequest, data_show
from oicplan.services.planning import AuditRequest, RankRequest, audit, rank
from oicplan.services.sites import (
    EconomyListRequest,
    SiteProfileRequest,
    economy_list,
    site_profile,
)
from oicplan.services.transport import AccessRequest, access

SITE = "RUS-saint-petersburg"


@pytest.fixture(scope="module")
def profile():
    return site_profile(SiteProfileRequest(site_id=SITE))


def test_the_site_and_its_values_are_data_shows(profile):
    assert profile.site.name == "Saint Petersburg" and profile.site.iso3 == "RUS"
    assert profile.site.economy_zh == "俄罗斯" and profile.site.types == ["major_city"]
    shown = data_show(DataShowRequest(iso3="RUS"))
    assert [v.model_dump() for v in profile.values] == [v.model_dump() for v in shown.values]
    # zhejiang sets no max_age of its own: each value is marked by the framework's rule
    assert profile.max_age is None
    assert all(v.stale == (None if v.max_age is None else v.age > v.max_age)
               for v in profile.values)


def test_rank_and_interval_are_the_rankings(profile):
    direct = next(s for s in rank(RankRequest(scenario="zhejiang")).sites if s.site_id == SITE)
    assert profile.ranking is not None
    assert (profile.ranking.rank, profile.ranking.score) == (direct.rank, direct.score)
    assert profile.ranking.rank_interval == direct.rank_interval
    assert profile.ranking.pillars == direct.pillars


def test_strengths_and_weaknesses_are_audits(profile):
    parts = audit(AuditRequest(scenario="zhejiang", site=SITE)).site
    assert profile.strengths == parts["strengths"] and profile.weaknesses == parts["weaknesses"]


def test_access_is_the_cheapest_route_per_mode_from_the_hubs(profile):
    assert [a.mode for a in profile.access] == ["rail", "sea", "air"]
    hubs = ["Hangzhou", "Ningbo-Zhoushan", "Yiwu", "Jinhua", "Wenzhou"]
    for entry in profile.access:
        routes = [access(AccessRequest(origin=h, to=SITE, mode=entry.mode)).route for h in hubs]
        best = min(routes, key=lambda r: r["cost"])
        assert (entry.origin, entry.km, entry.days) == (best["from"], best["km"], best["days"])


def test_the_match_has_every_industry_with_its_evidence(profile):
    assert profile.match is not None and len(profile.match) == 12
    scores = [m.score for m in profile.match]
    assert scores == sorted(scores, reverse=True)
    top = profile.match[0]
    assert top.name_zh and top.evidence["economy"] == "RUS" and top.evidence["fields"]


def test_a_site_the_scenario_does_not_rank_has_a_partial_profile():
    ranked = {s.site_id for s in rank(RankRequest(scenario="zhejiang")).sites}
    from oicplan.data.dataset import load_dataset

    other = next(s for s in load_dataset().sites["site_id"] if s not in ranked)
    result = site_profile(SiteProfileRequest(site_id=other))
    assert result.ranking is None and result.match is None and result.strengths is None
    assert "not ranked" in result.notes[0]


def test_stale_values_follow_the_max_age_rule():
    from oicplan.services.sites import _values

    max_age, values = _values("RUS", {"max_age": 2, "reference_year": 2025})
    assert max_age == 2
    for value in values:
        if value.year is not None:
            assert value.stale is (2025 - value.year > 2)
    assert any(v.stale for v in values) and any(v.stale is False for v in values)


def test_unknown_site_and_preset_name_their_field():
    with pytest.raises(InputError) as error:
        site_profile(SiteProfileRequest(site_id="XXX-atlantis"))
    assert error.value.field == "site_id"
    with pytest.raises(InputError) as error:
        site_profile(SiteProfileRequest(site_id=SITE, preset="sideways"))
    assert error.value.field == "preset"


def test_economy_list():
    economies = economy_list(EconomyListRequest()).economies
    codes = [e.iso3 for e in economies]
    assert codes == sorted(codes) and len(codes) == len(set(codes)) > 150
    kaz = next(e for e in economies if e.iso3 == "KAZ")
    assert (kaz.name_en, kaz.name_zh, kaz.candidate) == ("Kazakhstan", "哈萨克斯坦", True)
