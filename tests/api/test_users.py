"""``/api/users/{name}``: an admin reads, changes (role, sign-in) and deletes users.

Run on SQLite and PostgreSQL (``tests/api/backends.py``). The effect of each
change is checked by signing in (``POST /api/auth/token``), not by reading the
answer back only.
"""

from __future__ import annotations

import pytest

from tests.api.backends import database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.conftest import PASSWORD, sign_in


def test_an_admin_reads_one_user(client, auth):
    response = client.get("/api/users/editor1", headers=auth("admin"))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "editor1" and response.json()["role"] == "editor"
    assert "password" not in response.text and "hash" not in response.text
    assert client.get("/api/users/nobody", headers=auth("admin")).status_code == 404
    assert client.get("/api/users/me", headers=auth("admin")).json()["name"] == "admin1"


def test_changing_a_role_shows_in_the_next_token(client, auth):
    changed = client.patch("/api/users/viewer1", headers=auth("admin"), json={"role": "editor"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["active"]) == ("editor", True)
    token = sign_in(client, "viewer1")
    assert token.status_code == 200 and token.json()["role"] == "editor"
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    panel = client.post("/api/experts/panels", headers=headers, json={"name": "by-viewer1"})
    assert panel.status_code == 201, panel.text


def test_a_disabled_user_cannot_sign_in_until_enabled(client, auth):
    off = client.patch("/api/users/editor1", headers=auth("admin"), json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert sign_in(client, "editor1").status_code == 401
    on = client.patch("/api/users/editor1", headers=auth("admin"), json={"active": True})
    assert on.status_code == 200 and on.json()["role"] == "editor"
    assert sign_in(client, "editor1").status_code == 200


def test_a_token_issued_before_a_change_follows_the_change_at_once(client, auth):
    editor = auth("editor")  # issued while editor1 is an editor
    created = client.post("/api/experts/panels", headers=editor, json={"name": "p1"})
    assert created.status_code == 201
    demoted = client.patch("/api/users/editor1", headers=auth("admin"), json={"role": "viewer"})
    assert demoted.status_code == 200
    refused = client.post("/api/experts/panels", headers=editor, json={"name": "p2"})
    assert refused.status_code == 403 and "viewer" in refused.json()["detail"]
    assert client.get("/api/users/me", headers=editor).json()["role"] == "viewer"
    client.patch("/api/users/editor1", headers=auth("admin"), json={"active": False})
    assert client.get("/api/users/me", headers=editor).status_code == 401
    viewer = auth("viewer")
    client.delete("/api/users/viewer1", headers=auth("admin"))
    gone = client.get("/api/rankings", headers=viewer, params={"top": 1})
    assert gone.status_code == 401 and "no longer an active user" in gone.json()["detail"]


def test_deleting_a_user(client, auth):
    deleted = client.delete("/api/users/viewer1", headers=auth("admin"))
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["name"] == "viewer1"
    names = [u["name"] for u in client.get("/api/users", headers=auth("admin")).json()["users"]]
    assert names == ["admin1", "editor1"]
    assert sign_in(client, "viewer1").status_code == 401
    assert client.delete("/api/users/viewer1", headers=auth("admin")).status_code == 404
    # The name is free again.
    again = client.post("/api/users", headers=auth("admin"),
                        json={"name": "viewer1", "password": PASSWORD})
    assert again.status_code == 201


def test_the_last_active_admin_stays(client, auth):
    for method, body in (("patch", {"role": "editor"}), ("patch", {"active": False}),
                         ("delete", None)):
        response = client.request(method, "/api/users/admin1", headers=auth("admin"), json=body)
        assert response.status_code == 409, response.text
        assert "only active admin" in response.json()["detail"]
    assert sign_in(client, "admin1").json()["role"] == "admin"
    # With a second admin, the first may step down.
    assert client.patch("/api/users/editor1", headers=auth("admin"),
                        json={"role": "admin"}).status_code == 200
    down = client.patch("/api/users/admin1", headers=auth("admin"), json={"role": "viewer"})
    assert down.status_code == 200 and down.json()["role"] == "viewer"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/users/nobody"), ("patch", "/api/users/nobody"),
    ("delete", "/api/users/nobody"),
])
def test_unknown_user_is_404(client, auth, method, path):
    response = client.request(method, path, headers=auth("admin"),
                              json={"role": "viewer"} if method == "patch" else None)
    assert response.status_code == 404, response.text
    assert response.json()["field"] == "name"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/users/viewer1"), ("patch", "/api/users/viewer1"),
    ("delete", "/api/users/viewer1"),
])
@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_manage_users_whatever_the_body(client, auth, method, path, role):
    response = client.request(method, path, headers={**auth(role),
                                                     "Content-Type": "application/json"},
                              content=b"{not json")
    assert response.status_code == 403, response.text
    assert client.request(method, path, content=b"{not json").status_code == 401
    assert sign_in(client, "viewer1").json()["role"] == "viewer"


@pytest.mark.parametrize("body", [
    {"role": "owner"}, {"active": "perhaps"}, {"password": "new one please"}, [1],
])
def test_a_bad_change_is_422(client, auth, body):
    response = client.patch("/api/users/viewer1", headers=auth("admin"), json=body)
    assert response.status_code == 422, response.text
    assert sign_in(client, "viewer1").json()["role"] == "viewer"
