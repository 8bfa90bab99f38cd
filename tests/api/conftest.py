"""An API app on a fresh SQLite database with one user of each role."""

from __future__ import annotations

import pytest

PASSWORD = "correct horse battery"
SECRET = "test-secret-" + "x" * 40


@pytest.fixture()
def database_url(tmp_path, monkeypatch) -> str:
    # Never touch the developer's data folder or database from a test.
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("OICPLAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    return f"sqlite:///{tmp_path / 'api.sqlite'}"


@pytest.fixture()
def app(database_url):
    from oicplan.api import create_app
    from oicplan.services.users import AddUserRequest, add_user

    for name in ("viewer", "editor", "admin"):
        add_user(AddUserRequest(database_url=database_url, name=f"{name}1", role=name,
                                password=PASSWORD))
    return create_app(database_url, secret=SECRET)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


def sign_in(client, name: str, password: str = PASSWORD):
    return client.post("/api/auth/token", data={"username": name, "password": password})


@pytest.fixture()
def auth(client):
    """``auth("viewer")``: headers with a bearer token of that role's user."""
    tokens: dict[str, str] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in tokens:
            response = sign_in(client, f"{role}1")
            assert response.status_code == 200, response.text
            tokens[role] = response.json()["access_token"]
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers
