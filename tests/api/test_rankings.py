"""``GET /api/rankings`` against the planning service called directly."""

from __future__ import annotations

import pytest

from oicplan.services.planning import RankRequest, rank

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
