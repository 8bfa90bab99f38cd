"""A database that stops answering: the API says 503 in one line, never a 500 traceback."""

from __future__ import annotations

import dataclasses

import pytest

UNREACHABLE = "postgresql+psycopg://oic:secret-pw@127.0.0.1:1/oicplan"


def _point_at(app, url: str) -> None:
    app.state.settings = dataclasses.replace(app.state.settings, database_url=url)


def _one_line_503(response) -> str:
    assert response.status_code == 503, response.text
    body = response.json()
    detail = body["detail"]
    assert isinstance(detail, str) and "\n" not in detail
    assert "Traceback" not in response.text
    assert "secret-pw" not in response.text  # the password is never shown
    assert body["field"] == "database-url"
    return detail


def test_server_that_does_not_answer_is_503(app, client, auth):
    headers = auth("viewer")
    assert client.get("/api/centers", headers=headers).status_code == 200
    _point_at(app, UNREACHABLE)
    detail = _one_line_503(client.get("/api/centers", headers=headers))
    assert "127.0.0.1:1" in detail and "cannot use the database" in detail
    _one_line_503(client.post("/api/auth/token", data={"username": "viewer1", "password": "x"}))


def test_sqlite_folder_that_cannot_be_created_is_503(app, client, auth, tmp_path):
    headers = auth("editor")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _point_at(app, f"sqlite:///{blocker / 'sub' / 'oicplan.sqlite'}")
    detail = _one_line_503(client.get("/api/centers", headers=headers))
    assert "cannot create the folder" in detail


def test_raw_driver_error_in_a_route_is_503(app, client, auth, monkeypatch):
    """An OperationalError that escapes the store (a server lost mid-request) is 503 too."""
    from sqlalchemy.exc import OperationalError

    import oicplan.api.routers.centers as centers

    def lost(_request):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection\nhint"))

    headers = auth("viewer")
    monkeypatch.setattr(centers, "list_centers", lost)
    detail = _one_line_503(client.get("/api/centers", headers=headers))
    assert detail.endswith("server closed the connection")


def test_create_app_on_unreachable_server_names_it():
    from oicplan.api import create_app
    from oicplan.store import DatabaseUnavailableError

    with pytest.raises(DatabaseUnavailableError) as caught:
        create_app(UNREACHABLE, secret="s" * 40)
    assert "secret-pw" not in str(caught.value) and "\n" not in str(caught.value)
