"""``GET /api/assumptions``: the stated numbers, as the service lists them."""

from __future__ import annotations

import pytest

from oicplan.assumptions import ASSUMPTIONS, plan_assumptions
from oicplan.services.assumptions import AssumptionsRequest, assumptions


def test_viewer_reads_every_assumption(client, auth):
    response = client.get("/api/assumptions", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == assumptions(AssumptionsRequest()).model_dump(mode="json")
    assert [row["name"] for row in body["assumptions"]] == list(ASSUMPTIONS)
    first = body["assumptions"][0]
    assert first["reason"] and first["reason_zh"] and first["used_by"]


def test_plan_only_and_a_built_in_scenario(client, auth):
    response = client.get("/api/assumptions", params={"plan_only": True, "scenario": "zhejiang"},
                          headers=auth("viewer"))
    assert response.status_code == 200, response.text
    rows = response.json()["assumptions"]
    assert [row["name"] for row in rows] == list(plan_assumptions())
    assert not any(row["overridden"] for row in rows)


def test_anonymous_is_refused(client):
    assert client.get("/api/assumptions").status_code == 401


@pytest.mark.parametrize("scenario", ["/etc/passwd.yaml", "../x.yaml", "nowhere"])
def test_only_built_in_scenarios(client, auth, scenario):
    response = client.get("/api/assumptions", params={"scenario": scenario},
                          headers=auth("viewer"))
    assert response.status_code in (400, 422), response.text
    assert "scenario" in response.text
