"""The app with its pages on a fresh SQLite database, a user of each role, and sign-in helpers.

The test client talks to ``https://testserver``: the session cookie is Secure, and
an HTTP client keeps Secure cookies for https only (as browsers do).
"""

from __future__ import annotations

import re

import pytest

PASSWORD = "correct horse battery"
SECRET = "web-test-secret-" + "x" * 40
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


@pytest.fixture()
def database_url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("OICPLAN_SECRET_KEY", raising=False)
    monkeypatch.delenv("OICPLAN_INSECURE_COOKIES", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    return f"sqlite:///{tmp_path / 'web.sqlite'}"


@pytest.fixture()
def app(database_url):
    from oicplan.api import create_app
    from oicplan.services.users import AddUserRequest, add_user

    for role in ("viewer", "editor", "admin"):
        add_user(AddUserRequest(database_url=database_url, name=f"{role}1", role=role,
                                password=PASSWORD))
    return create_app(database_url, secret=SECRET)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its ``<meta name="csrf-token">``."""
    found = CSRF_META.search(html)
    assert found, "the page has no csrf-token meta"
    return found.group(1)


def login(client, name: str, password: str = PASSWORD, next_path: str = "/"):
    """Open the sign-in page, then post the form with its token; the answer to the post."""
    page = client.get("/login")
    assert page.status_code == 200
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_of(page.text),
              "next": next_path},
    )


@pytest.fixture()
def signed_in(client):
    """``signed_in("viewer")``: the client signed in as that role's user; gives the CSRF token."""

    def sign(role: str) -> str:
        response = login(client, f"{role}1")
        assert response.status_code == 303, response.text
        return csrf_of(client.get("/map").text)

    return sign
