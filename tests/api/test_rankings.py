"""``GET /api/rankings`` against the planning service called directly.

Stored scenarios are ranked from the database (the PostgreSQL store is tested by
``test_scenarios.py``; ranking does not depend on the back end).
"""

from __future__ import annotations

import pytest

from oicplan.scenario import scenario_yaml
from oicplan.services.planning import RankRequest, rank
from oicplan.store.scenarios import replace_weights

PILLARS = ("innovation", "talent", "market", "cooperation", "connectivity", "services", "risk",
           "policy", "match")


def _rows(result) -> list[dict]:
    return [
        {key: site[key] for key in ("site_id", "name", "iso3", "score", "rank", "pillars")}
        for site in result
    ]


def test_the_default_ranking_is_the_services(client, auth):
    response = client.get("/api/rankings", headers=auth("viewer"))
    assert response.status_code == 200
    body = response.json()
    direct = rank(RankRequest(scenario="zhejiang"))
    assert body["scenario"] == "zhejiang" and body["method"] == direct.method
    assert body["candidates"] == direct.candidates
    assert _rows(body["sites"]) == _rows(s.model_dump(mode="json") for s in direct.sites)


@pytest.mark.parametrize(
    "weights",
    ['{"innovation": 0.45, "risk": 0.02}', "innovation=0.45, risk=0.02"],
)
def test_weights_re_rank_as_the_service_does(client, auth, weights):
    direct = rank(RankRequest(scenario="zhejiang", weights={"innovation": 0.45, "risk": 0.02},
                              method="wsm"))
    default = rank(RankRequest(scenario="zhejiang"))
    response = client.get(
        "/api/rankings",
        params={"weights": weights, "method": "wsm", "top": 25},
        headers=auth("viewer"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "wsm" and len(body["sites"]) == 25
    assert _rows(body["sites"]) == _rows(s.model_dump(mode="json") for s in direct.sites[:25])
    assert _rows(body["sites"]) != _rows(s.model_dump(mode="json") for s in default.sites[:25])


def test_another_built_in_scenario(client, auth):
    response = client.get("/api/rankings", params={"scenario": "balanced", "top": 3},
                          headers=auth("viewer"))
    assert response.status_code == 200
    assert response.json()["scenario"] == "balanced"


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"scenario": "atlantis"}, 404, "unknown scenario"),
        ({"scenario": "/etc/passwd"}, 404, "unknown scenario"),
        ({"scenario": "../src/oicplan/scenarios/zhejiang.yaml"}, 404, "unknown scenario"),
        ({"method": "astrology"}, 400, "unknown ranking method"),
        ({"weights": '{"moon": 1}'}, 400, "unknown pillar"),
        ({"weights": "innovation"}, 400, "pillar=value"),
        ({"weights": "innovation=lots"}, 400, "not a number"),
        ({"weights": "innovation=nan"}, 400, "finite"),
        ({"weights": "innovation=-1"}, 400, ">= 0"),
        ({"weights": '{"innovation": '}, 400, "not a JSON object"),
        ({"weights": "[0.5]"}, 400, "pillar=value"),
        ({"weights": '{"innovation": true}'}, 400, "not a number"),
        ({"weights": ""}, 400, "no pillar weights"),
        ({"weights": "innovation=0.4,innovation=0.5"}, 400, "given twice"),
        ({"weights": ",".join(f"{p}=0" for p in PILLARS)}, 400, "must not all be zero"),
        ({"top": "ten"}, 422, "integer"),
        ({"top": "0"}, 422, "greater than"),
        ({"scenario": "z" * 500}, 422, "at most"),
    ],
)
def test_bad_input_gets_4xx_with_a_message(client, auth, params, status, says):
    response = client.get("/api/rankings", params=params, headers=auth("viewer"))
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    text = detail if isinstance(detail, str) else " ".join(p["msg"] for p in detail)
    assert says in text


V1 = {"innovation": 0.5, "risk": 0.02}
V2 = {"innovation": 0.02, "market": 0.5}


def _store(client, auth, weights, base=None, name="coast"):
    text = replace_weights(scenario_yaml("zhejiang"), weights)
    if base is None:
        response = client.post("/api/scenarios", headers=auth("editor"),
                               json={"name": name, "yaml_text": text})
    else:
        response = client.post(f"/api/scenarios/{name}/versions", headers=auth("editor"),
                               json={"yaml_text": text, "base_version": base})
    assert response.status_code == 201, response.text
    return response.json()["version"]["version"]


def test_a_stored_scenario_is_ranked_in_its_latest_version(client, auth):
    # The oracle: the built-in scenario the stored one was made from, re-weighted directly.
    first = rank(RankRequest(scenario="zhejiang", weights=V1))
    second = rank(RankRequest(scenario="zhejiang", weights=V2))
    assert _rows(s.model_dump(mode="json") for s in first.sites[:20]) != _rows(
        s.model_dump(mode="json") for s in second.sites[:20])

    assert _store(client, auth, V1) == 1
    response = client.get("/api/rankings", params={"scenario": "coast", "top": 20},
                          headers=auth("viewer"))
    assert response.status_code == 200, response.text
    assert response.json()["scenario"] == "coast"
    assert _rows(response.json()["sites"]) == _rows(
        s.model_dump(mode="json") for s in first.sites[:20])

    # A new save is a new version: ranked afresh, not served from memory.
    assert _store(client, auth, V2, base=1) == 2
    latest = client.get("/api/rankings", params={"scenario": "coast", "top": 20},
                        headers=auth("viewer"))
    assert _rows(latest.json()["sites"]) == _rows(
        s.model_dump(mode="json") for s in second.sites[:20])
    old = client.get("/api/rankings", params={"scenario": "coast", "top": 20, "version": 1},
                     headers=auth("viewer"))
    assert _rows(old.json()["sites"]) == _rows(response.json()["sites"])

    # Weights and method re-rank a stored scenario too.
    both = {**V2, "talent": 0.4}
    direct = rank(RankRequest(scenario="zhejiang", weights=both, method="wsm"))
    reranked = client.get("/api/rankings", headers=auth("viewer"), params={
        "scenario": "coast", "weights": "talent=0.4", "method": "wsm", "top": 20})
    assert reranked.status_code == 200, reranked.text
    assert reranked.json()["method"] == "wsm"
    assert _rows(reranked.json()["sites"]) == _rows(
        s.model_dump(mode="json") for s in direct.sites[:20])


def test_two_databases_do_not_share_a_cached_ranking(client, auth, tmp_path):
    from fastapi.testclient import TestClient

    from oicplan.api import create_app
    from oicplan.services.users import AddUserRequest, add_user

    _store(client, auth, V1)
    other_url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    add_user(AddUserRequest(database_url=other_url, name="li", role="viewer",
                            password="correct horse battery"))
    other = TestClient(create_app(other_url, secret="o" * 40))
    token = other.post("/api/auth/token", data={"username": "li",
                                                "password": "correct horse battery"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert other.get("/api/rankings", params={"scenario": "coast"},
                     headers=headers).status_code == 404
    ours = client.get("/api/rankings", params={"scenario": "coast", "top": 1},
                      headers=auth("viewer"))
    assert ours.status_code == 200


@pytest.mark.parametrize(("params", "status", "field"), [
    ({"scenario": "coast", "version": 9}, 404, "version"),
    ({"scenario": "zhejiang", "version": 1}, 400, "version"),
    ({"scenario": "no-such-stored"}, 404, None),
])
def test_unknown_stored_scenario_or_version(client, auth, params, status, field):
    _store(client, auth, V1)
    response = client.get("/api/rankings", params=params, headers=auth("viewer"))
    assert response.status_code == status, response.text
    assert response.json().get("field") == field


def test_intervals_false_gives_the_same_ranking_without_the_monte_carlo(client, auth):
    weights = '{"innovation": 0.5, "market": 0.1}'
    full = client.get("/api/rankings", headers=auth("viewer"),
                      params={"weights": weights}).json()["sites"]
    quick = client.get("/api/rankings", headers=auth("viewer"),
                       params={"weights": weights, "intervals": "false"}).json()["sites"]
    assert [s["site_id"] for s in quick] == [s["site_id"] for s in full]
    assert [s["score"] for s in quick] == [s["score"] for s in full]
    assert all(s["rank_interval"] is None for s in quick)
    assert all(s["rank_interval"] is not None for s in full)
