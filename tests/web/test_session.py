"""Sign-in, sessions, CSRF and the API called with the pages' session."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.mark.parametrize("path", ["/", "/map", "/sites/KAZ-almaty"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    if path != "/":
        assert "next=" in response.headers["location"]


def test_signing_in_sets_a_secure_httponly_lax_session_cookie(client):
    response = login(client, "viewer1", next_path="/map")
    assert response.status_code == 303
    assert response.headers["location"] == "/map"
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("oicplan_session=")
    for flag in ("httponly", "samesite=lax", "secure", "path=/", "max-age=28800"):
        assert flag in cookie, flag
    assert client.get("/map").status_code == 200


def test_the_secure_flag_is_off_only_when_asked(database_url, monkeypatch):
    from fastapi.testclient import TestClient

    from oicplan.api import create_app

    monkeypatch.setenv("OICPLAN_INSECURE_COOKIES", "1")
    app = create_app(database_url, secret="s" * 40)
    with TestClient(app) as plain:
        cookie = plain.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


def test_a_wrong_password_is_401_and_keeps_the_visitor_out(client):
    response = login(client, "viewer1", "wrong password")
    assert response.status_code == 401
    assert 'id="login-error"' in response.text
    assert client.get("/").status_code == 303


def test_the_sign_in_form_without_its_token_is_refused(client):
    client.get("/login")
    for token in (None, "", "forged-token-" + "x" * 30):
        data = {"username": "viewer1", "password": PASSWORD}
        if token is not None:
            data["csrf_token"] = token
        response = client.post("/login", data=data)
        assert response.status_code == 403, token
    assert client.get("/").status_code == 303


def test_failed_page_sign_ins_share_the_api_limiter(client):
    for _ in range(5):
        assert login(client, "editor1", "wrong password").status_code == 401
    limited = login(client, "editor1", PASSWORD)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    # The same name is limited on the API's token endpoint too: one limiter.
    token = client.post("/api/auth/token", data={"username": "editor1", "password": PASSWORD})
    assert token.status_code == 429


def test_next_never_leaves_the_site(client):
    for target in ["//evil.example/x", "https://evil.example", "/\\evil.example"]:
        response = login(client, "viewer1", next_path=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/", target
        client.cookies.clear()


def test_sign_out_needs_the_token_and_forgets_the_user(client, signed_in):
    token = signed_in("viewer")
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf_token": "x" * 43}).status_code == 403
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/").status_code == 303


def test_signing_in_gives_a_new_csrf_token(client):
    before = csrf_of(client.get("/login").text)
    login(client, "viewer1")
    after = csrf_of(client.get("/").text)
    assert before != after


def test_the_api_accepts_the_session_for_reads(client, signed_in):
    assert client.get("/api/users/me").status_code == 401
    signed_in("viewer")
    me = client.get("/api/users/me")
    assert me.status_code == 200
    assert me.json() == {"name": "viewer1", "role": "viewer"}
    assert client.get("/api/rankings", params={"top": 3}).status_code == 200


def test_an_api_write_with_the_session_needs_the_csrf_header(client, signed_in):
    body = {"name": "new.user", "role": "viewer", "password": "a long passphrase"}
    token = signed_in("admin")
    refused = client.post("/api/users", json=body)
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = client.post("/api/users", json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    created = client.post("/api/users", json=body, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text


def test_the_role_is_still_checked_before_the_body_with_a_session(client, signed_in):
    token = signed_in("viewer")
    for body in (b"{not json", b"[]", b'{"name": "x", "password": "correct horse"}'):
        response = client.post("/api/users", content=body,
                               headers={"content-type": "application/json",
                                        "X-CSRF-Token": token})
        assert response.status_code == 403, body
        assert "admin role" in response.json()["detail"]


def test_an_authorization_header_wins_over_the_session(client, signed_in):
    signed_in("admin")
    response = client.get("/api/users", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_a_forged_session_cookie_is_ignored(client):
    client.cookies.set("oicplan_session", "eyJ1c2VyIjogImFkbWluMSIsICJyb2xlIjogImFkbWluIn0=.x.y",
                       domain="testserver")
    assert client.get("/").status_code == 303
    assert client.get("/api/users").status_code == 401
