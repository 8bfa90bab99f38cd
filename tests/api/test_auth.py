"""Health, sign-in, roles, the sign-in limiter and bad input on the API core."""

from __future__ import annotations

import os
import stat

import pytest

from tests.api.conftest import PASSWORD, SECRET, sign_in

JSON = {"content-type": "application/json"}


def test_health_needs_no_sign_in(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_operation_ids_are_stable(client):
    spec = client.get("/api/openapi.json").json()
    operations = {
        (path, method): operation["operationId"]
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert {
        ("/api/health", "get"): "health",
        ("/api/auth/token", "post"): "create_token",
        ("/api/users", "get"): "list_users",
        ("/api/users", "post"): "create_user",
        ("/api/users/me", "get"): "read_current_user",
        ("/api/rankings", "get"): "get_rankings",
    }.items() <= operations.items()
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]
    # The request body of POST /api/users is the service's model, without its database.
    body = spec["paths"]["/api/users"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/NewUser")


def test_a_good_password_gives_a_token_and_a_bad_one_401(client):
    good = sign_in(client, "editor1")
    assert good.status_code == 200
    token = good.json()
    assert token["token_type"] == "bearer" and token["role"] == "editor"
    assert token["expires_in"] == 3600
    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json() == {"name": "editor1", "role": "editor"}

    for name, password in [("editor1", "wrong password"), ("nobody", PASSWORD), ("", "")]:
        bad = sign_in(client, name, password)
        assert bad.status_code in (401, 422), (name, bad.text)
    bad = sign_in(client, "editor1", "wrong password")
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in bad.json()


def test_a_missing_form_field_and_json_instead_of_a_form_are_4xx(client):
    assert client.post("/api/auth/token", data={"username": "editor1"}).status_code == 422
    response = client.post("/api/auth/token", json={"username": "editor1", "password": PASSWORD})
    assert response.status_code == 422


def test_no_token_a_bad_token_and_an_expired_token_get_401(client):
    from oicplan.api.security import issue_token

    assert client.get("/api/users/me").status_code == 401
    assert client.get("/api/rankings").status_code == 401
    for header in ["Bearer nonsense", "Basic abc", "Bearer ", "bearer"]:
        response = client.get("/api/users/me", headers={"Authorization": header})
        assert response.status_code == 401, header
    forged = issue_token("admin1", "admin", "another-secret-" + "y" * 40)
    response = client.get("/api/users", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    expired = issue_token("admin1", "admin", SECRET, minutes=-1)
    response = client.get("/api/users", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "new1", "role": "viewer", "password": "correct horse"}',
        b"{not json",
        b'{"name": 5, "role": "emperor"}',
        b"[]",
        b"",
    ],
)
def test_the_role_is_checked_before_the_body(client, auth, body):
    anonymous = client.post("/api/users", content=body, headers=JSON)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    for role in ("viewer", "editor"):
        response = client.post("/api/users", content=body, headers={**JSON, **auth(role)})
        assert response.status_code == 403, (role, response.text)
        assert "admin role" in response.json()["detail"]
    assert client.get("/api/users", headers=auth("editor")).status_code == 403


def test_an_admin_creates_and_lists_users(client, auth):
    body = {"name": "王丽", "role": "editor", "password": "a long passphrase"}
    created = client.post("/api/users", json=body, headers=auth("admin"))
    assert created.status_code == 201
    assert created.json()["name"] == "王丽" and created.json()["role"] == "editor"
    assert "password" not in created.text and "hash" not in created.text
    assert sign_in(client, "王丽", "a long passphrase").status_code == 200

    listed = client.get("/api/users", headers=auth("admin")).json()["users"]
    assert [user["name"] for user in listed] == sorted(["admin1", "editor1", "viewer1", "王丽"])

    again = client.post("/api/users", json=body, headers=auth("admin"))
    assert again.status_code == 409
    assert again.json()["field"] == "name"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 422),
        (b'{"name": "x", "password": 5}', 422),
        (b'{"name": "x", "password": "correct horse", "role": "emperor"}', 422),
        (b'{"name": "x", "password": "correct horse", "database_url": "sqlite://"}', 422),
        (b'{"name": ["x"], "password": "correct horse"}', 422),
        (b"[1, 2]", 422),
        (b'{"name": "x y", "password": "correct horse"}', 400),
        (b'{"name": "short", "password": "short"}', 400),
    ],
)
def test_bad_bodies_get_4xx_with_a_message(client, auth, body, status):
    response = client.post("/api/users", content=body, headers={**JSON, **auth("admin")})
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert detail if isinstance(detail, str) else all(problem["msg"] for problem in detail)


def test_a_body_over_the_limit_gets_413(client, auth):
    from oicplan.api.app import MAX_BODY_BYTES

    big = b'{"name": "x", "password": "' + b"p" * MAX_BODY_BYTES + b'"}'
    response = client.post("/api/users", content=big, headers={**JSON, **auth("admin")})
    assert response.status_code == 413


def test_failed_sign_ins_are_limited_per_name_and_client(client):
    for _ in range(5):
        assert sign_in(client, "editor1", "wrong password").status_code == 401
    limited = sign_in(client, "editor1", PASSWORD)  # even the right password waits
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 60
    assert "try again" in limited.json()["detail"]
    assert sign_in(client, "viewer1").status_code == 200  # another name is not held up


def test_the_limit_lifts_after_the_window_and_a_success_clears_it(database_url):
    from fastapi.testclient import TestClient

    from oicplan.api import create_app
    from oicplan.api.limits import LoginLimiter
    from oicplan.services.users import AddUserRequest, add_user

    add_user(AddUserRequest(database_url=database_url, name="mei", password=PASSWORD))
    now = [0.0]
    limiter = LoginLimiter(per_name=2, window=60, per_client=3, clock=lambda: now[0])
    client = TestClient(create_app(database_url, secret=SECRET, limiter=limiter))
    assert sign_in(client, "mei", "wrong password").status_code == 401
    assert sign_in(client, "mei").status_code == 200  # clears mei's failures
    assert sign_in(client, "mei", "wrong password").status_code == 401
    assert sign_in(client, "mei", "wrong password").status_code == 401
    assert sign_in(client, "mei").status_code == 429
    now[0] = 61.0
    assert sign_in(client, "mei").status_code == 200
    # Three failures from one client, over any names, hold the client up.
    for name in ("a", "b", "c"):
        assert sign_in(client, name, "wrong password").status_code == 401
    assert sign_in(client, "mei").status_code == 429


def test_the_secret_is_generated_once_into_the_data_folder(database_url, tmp_path, monkeypatch):
    from oicplan.api import create_app
    from oicplan.api.security import issue_token, read_token
    from oicplan.api.settings import load_secret

    first = create_app(database_url).state.settings.secret
    path = tmp_path / "data-dir" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert create_app(database_url).state.settings.secret == first
    assert read_token(issue_token("mei", "viewer", first), load_secret()) is not None

    monkeypatch.setenv("OICPLAN_SECRET_KEY", "from-the-environment-" + "z" * 20)
    assert create_app(database_url).state.settings.secret.startswith("from-the-environment")


def test_a_short_secret_is_refused(database_url, monkeypatch):
    from oicplan.api import create_app
    from oicplan.errors import InputError

    monkeypatch.setenv("OICPLAN_SECRET_KEY", "short")
    with pytest.raises(InputError, match="at least 32") as caught:
        create_app(database_url)
    assert caught.value.field == "OICPLAN_SECRET_KEY"


def test_a_loose_secret_file_is_made_private(database_url, tmp_path):
    from oicplan.api.settings import load_secret

    folder = tmp_path / "data-dir"
    folder.mkdir()
    (folder / "secret_key").write_text("k" * 40, encoding="utf-8")
    os.chmod(folder / "secret_key", 0o644)
    assert load_secret() == "k" * 40
    assert stat.S_IMODE((folder / "secret_key").stat().st_mode) == 0o600
