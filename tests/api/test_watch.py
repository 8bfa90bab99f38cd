"""``GET /api/watch/rising``: the same object as ``oicplan watch rising --json``."""

from __future__ import annotations

from oicplan.services.watch import WatchRisingRequest, watch_rising


def test_rising_answers_what_the_service_returns(client, auth):
    response = client.get("/api/watch/rising", headers=auth("viewer"),
                          params={"field": "半导体", "source": "uspto", "since": 2015,
                                  "until": 2020, "top": 3})
    assert response.status_code == 200, response.text
    expected = watch_rising(WatchRisingRequest(field="Semiconductors", source="uspto",
                                               since=2015, until=2020, top=3))
    assert response.json() == expected.document()


def test_an_unknown_field_is_named_and_anonymous_is_refused(client, auth):
    response = client.get("/api/watch/rising", headers=auth("viewer"),
                          params={"field": "semiconductr"})
    assert response.status_code in (400, 422)
    assert "Semiconductors" in response.text and "field" in response.text
    assert client.get("/api/watch/rising", params={"field": "Chemistry"}).status_code == 401
