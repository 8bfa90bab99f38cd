"""The API tests' database on both back ends: SQLite, and PostgreSQL when there is one.

Import :func:`database_url` into a test module to run its tests on both:
``from tests.api.backends import database_url  # noqa: F401`` replaces the
SQLite-only fixture of ``tests/api/conftest.py``. The PostgreSQL case uses
``OICPLAN_TEST_POSTGRES_URL`` with an emptied schema (``tests/conftest.py``
:func:`~tests.conftest.empty_postgres_url`): it skips on a machine without it and
fails in CI (``OICPLAN_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import pytest

from tests.conftest import empty_postgres_url

__all__ = ["database_url"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, monkeypatch) -> str:
    # Never touch the developer's data folder or database from a test.
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("OICPLAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    if request.param == "postgresql":
        return empty_postgres_url()
    return f"sqlite:///{tmp_path / 'api.sqlite'}"
