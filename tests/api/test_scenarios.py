"""REST routes of stored scenarios: list, create, get, history, save a version, diff.

Run on SQLite and PostgreSQL (``tests/api/backends.py``): the 409 of a stale save
is the database's unique (scenario, version) pair at work.
"""

from __future__ import annotations

import pytest

from oicplan.scenario import scenario_yaml
from tests.api.backends import database_url  # noqa: F401  (SQLite and PostgreSQL)

TEXT = scenario_yaml("zhejiang")
TEXT_10 = TEXT.replace("\ncenters: 12", "\ncenters: 10")


def _create(client, auth, name="coast", text=TEXT, role="editor"):
    return client.post("/api/scenarios", headers=auth(role),
                       json={"name": name, "yaml_text": text, "message": "first"})


def test_create_list_get_history_and_diff(client, auth):
    created = _create(client, auth)
    assert created.status_code == 201, created.text
    version = created.json()["version"]
    assert (version["name"], version["version"], version["author"]) == ("coast", 1, "editor1")

    saved = client.post("/api/scenarios/coast/versions", headers=auth("admin"),
                        json={"yaml_text": TEXT_10, "base_version": 1, "message": "fewer"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"]["version"] == 2
    assert saved.json()["version"]["author"] == "admin1"

    listed = client.get("/api/scenarios", headers=auth("viewer"))
    assert listed.status_code == 200
    [row] = listed.json()["scenarios"]
    assert (row["name"], row["latest_version"], row["created_by"], row["updated_by"]) == (
        "coast", 2, "editor1", "admin1")

    latest = client.get("/api/scenarios/coast", headers=auth("viewer")).json()["version"]
    assert latest["version"] == 2 and latest["yaml_text"] == TEXT_10
    first = client.get("/api/scenarios/coast?version=1", headers=auth("viewer"))
    assert first.status_code == 200 and first.json()["version"]["yaml_text"] == TEXT

    history = client.get("/api/scenarios/coast/versions", headers=auth("viewer")).json()
    assert [(v["version"], v["author"], v["message"]) for v in history["versions"]] == [
        (1, "editor1", "first"), (2, "admin1", "fewer")]

    diff = client.get("/api/scenarios/coast/diff?old=1&new=2", headers=auth("viewer"))
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert body["changes"] == [{"path": "centers", "kind": "changed", "old": 12, "new": 10}]
    assert "-centers: 12" in body["unified"] and "+centers: 10" in body["unified"]


def test_author_is_the_signed_in_user_not_the_body(client, auth):
    response = client.post("/api/scenarios", headers=auth("editor"),
                           json={"name": "coast", "yaml_text": TEXT, "author": "mallory"})
    assert response.status_code == 422  # unknown fields are refused
    assert client.get("/api/scenarios", headers=auth("viewer")).json()["scenarios"] == []


def test_stale_save_is_a_conflict_and_nothing_is_lost(client, auth):
    assert _create(client, auth).status_code == 201
    first = client.post("/api/scenarios/coast/versions", headers=auth("editor"),
                        json={"yaml_text": TEXT_10, "base_version": 1})
    assert first.status_code == 201
    stale_text = TEXT.replace("\ncenters: 12", "\ncenters: 8")
    second = client.post("/api/scenarios/coast/versions", headers=auth("admin"),
                         json={"yaml_text": stale_text, "base_version": 1})
    assert second.status_code == 409, second.text
    assert "version 2" in second.json()["detail"]
    history = client.get("/api/scenarios/coast/versions", headers=auth("viewer")).json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    v1 = client.get("/api/scenarios/coast?version=1", headers=auth("viewer")).json()
    v2 = client.get("/api/scenarios/coast?version=2", headers=auth("viewer")).json()
    assert v1["version"]["yaml_text"] == TEXT and v2["version"]["yaml_text"] == TEXT_10


def test_creating_an_existing_name_is_a_conflict(client, auth):
    assert _create(client, auth).status_code == 201
    again = _create(client, auth, text=TEXT_10)
    assert again.status_code == 409
    latest = client.get("/api/scenarios/coast", headers=auth("viewer")).json()["version"]
    assert latest["version"] == 1 and latest["yaml_text"] == TEXT


@pytest.mark.parametrize("path", [
    "/api/scenarios/nowhere", "/api/scenarios/nowhere/versions",
    "/api/scenarios/nowhere/diff?old=1&new=2", "/api/scenarios/coast?version=9",
    "/api/scenarios/coast/diff?old=1&new=9",
])
def test_unknown_scenario_or_version_is_404(client, auth, path):
    assert _create(client, auth).status_code == 201
    response = client.get(path, headers=auth("viewer"))
    assert response.status_code == 404, response.text
    assert response.json()["detail"]


def test_saving_a_version_of_an_unknown_scenario_is_404(client, auth):
    response = client.post("/api/scenarios/nowhere/versions", headers=auth("editor"),
                           json={"yaml_text": TEXT, "base_version": 1})
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("method,path", [
    ("get", "/api/scenarios"), ("get", "/api/scenarios/coast"),
    ("get", "/api/scenarios/coast/versions"), ("get", "/api/scenarios/coast/diff?old=1&new=1"),
    ("post", "/api/scenarios"), ("post", "/api/scenarios/coast/versions"),
])
def test_anonymous_gets_401(client, method, path):
    response = client.request(method, path, content=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/api/scenarios", "/api/scenarios/coast/versions"])
@pytest.mark.parametrize("content", [b"{not json", b'{"name": 3}', None])
def test_viewer_write_gets_403_whatever_the_body(client, auth, path, content):
    if content is None:
        response = client.post(path, headers=auth("viewer"),
                               json={"name": "coast", "yaml_text": TEXT, "base_version": 1})
    else:
        response = client.post(path, content=content,
                               headers={**auth("viewer"), "Content-Type": "application/json"})
    assert response.status_code == 403, response.text
    assert client.get("/api/scenarios", headers=auth("viewer")).json()["scenarios"] == []


@pytest.mark.parametrize("body", [
    b"{not json",
    b'{"name": "coast", "yaml_text": 5}',
    b'{"name": ["coast"], "yaml_text": "x"}',
    b'{"yaml_text": "x"}',
    b"[]",
])
def test_malformed_create_is_422(client, auth, body):
    response = client.post("/api/scenarios", content=body,
                           headers={**auth("editor"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("body", [
    b"{not json",
    b'{"yaml_text": "x", "base_version": "one"}',
    b'{"yaml_text": "x", "base_version": 0}',
    b'{"yaml_text": "x"}',
])
def test_malformed_save_is_422(client, auth, body):
    assert _create(client, auth).status_code == 201
    response = client.post("/api/scenarios/coast/versions", content=body,
                           headers={**auth("editor"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("name,text,field", [
    ("coast", "centers: [unclosed", "yaml_text"),
    ("bad/name", TEXT, "name"),
    ("zhejiang", TEXT, "name"),
    ("coast", TEXT.replace("\ncenters: 12", "\ncenters: many"), "centers"),
])
def test_bad_scenario_text_or_name_is_400_naming_the_field(client, auth, name, text, field):
    response = _create(client, auth, name=name, text=text)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["version=x", "version=0", "version=99999999999999"])
def test_bad_version_query_is_422(client, auth, query):
    assert _create(client, auth).status_code == 201
    response = client.get(f"/api/scenarios/coast?{query}", headers=auth("viewer"))
    assert response.status_code == 422


def test_diff_needs_both_versions(client, auth):
    assert _create(client, auth).status_code == 201
    response = client.get("/api/scenarios/coast/diff?old=1", headers=auth("viewer"))
    assert response.status_code == 422
