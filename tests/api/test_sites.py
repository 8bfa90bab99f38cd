"""``GET /api/sites/{site_id}`` against the site profile service called directly."""

from __future__ import annotations

import pytest

from oicplan.services.planning import RankRequest, rank
from oicplan.services.sites import SiteProfileRequest, site_profile

SITE = "RUS-saint-petersburg"


def test_the_profile_is_the_services(client, auth):
    response = client.get(f"/api/sites/{SITE}", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    direct = site_profile(SiteProfileRequest(site_id=SITE)).model_dump(mode="json")
    assert body == direct
    assert body["site"]["name"] == "Saint Petersburg" and body["scenario"] == "zhejiang"
    ranked = next(s for s in rank(RankRequest()).sites if s.site_id == SITE)
    assert body["ranking"]["rank"] == ranked.rank
    assert body["ranking"]["rank_interval"] == ranked.rank_interval.model_dump(mode="json")
    assert [a["mode"] for a in body["access"]] == ["rail", "sea", "air"]
    assert all(a["km"] > 0 and a["days"] > 0 for a in body["access"])
    assert body["values"][0].keys() >= {"indicator", "value", "year", "source"}
    assert body["strengths"] and body["weaknesses"] and body["match"][0]["evidence"]


def test_another_scenario_and_preset(client, auth):
    response = client.get(f"/api/sites/{SITE}", params={"scenario": "balanced", "preset": "far"},
                          headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    direct = site_profile(SiteProfileRequest(site_id=SITE, scenario="balanced", preset="far"))
    assert body["scenario"] == "balanced" and body["match_preset"] == "far"
    assert body["ranking"] == direct.ranking.model_dump(mode="json")


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/api/sites/XXX-atlantis", {}, 404, "unknown site"),
        (f"/api/sites/{SITE}", {"scenario": "atlantis"}, 404, "unknown scenario"),
        (f"/api/sites/{SITE}", {"scenario": "../etc/passwd.yaml"}, 404, "unknown scenario"),
        (f"/api/sites/{SITE}", {"preset": "sideways"}, 422, "preset"),
        (f"/api/sites/{SITE}", {"scenario": "x" * 500}, 422, "scenario"),
        ("/api/sites/" + "x" * 300, {}, 422, "site_id"),
    ],
)
def test_bad_requests(client, auth, path, params, status, says):
    response = client.get(path, params=params, headers=auth("viewer"))
    assert response.status_code == status, response.text
    assert says in response.text


def test_needs_a_token(client):
    response = client.get(f"/api/sites/{SITE}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    bad = client.get(f"/api/sites/{SITE}", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401


def test_the_operation_is_in_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["paths"]["/api/sites/{site_id}"]["get"]["operationId"] == "get_site_profile"


def test_the_profile_in_a_stored_scenario(client, auth):
    from tests.api.test_rankings import _store

    weights = {"innovation": 0.05, "market": 0.6}
    assert _store(client, auth, weights, name="coast-sites") == 1
    response = client.get(f"/api/sites/{SITE}", params={"scenario": "coast-sites"},
                          headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scenario"] == "coast-sites"
    # Ranked with the stored version's weights, not the built-in scenario's.
    direct = rank(RankRequest(scenario="zhejiang", weights=weights))
    expected = next(s for s in direct.sites if s.site_id == SITE)
    assert body["ranking"]["rank"] == expected.rank
    assert body["ranking"]["score"] == pytest.approx(expected.score)
    builtin = site_profile(SiteProfileRequest(site_id=SITE))
    assert builtin.ranking.score != pytest.approx(expected.score)
    assert body["match"], "the match of a stored scenario is computed too"
    # An explicit version, an unknown version and an unknown stored scenario.
    assert client.get(f"/api/sites/{SITE}", params={"scenario": "coast-sites", "version": 1},
                      headers=auth("viewer")).status_code == 200
    missing = client.get(f"/api/sites/{SITE}", params={"scenario": "coast-sites", "version": 7},
                         headers=auth("viewer"))
    assert missing.status_code == 404 and missing.json().get("field") == "version"
    unknown = client.get(f"/api/sites/{SITE}", params={"scenario": "no-such-stored"},
                         headers=auth("viewer"))
    assert unknown.status_code == 404 and "unknown scenario" in unknown.text
    builtin_version = client.get(f"/api/sites/{SITE}", params={"version": 1},
                                 headers=auth("viewer"))
    assert builtin_version.status_code == 400
