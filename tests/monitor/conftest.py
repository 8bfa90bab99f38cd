"""Database fixtures: every registry test runs on SQLite and, when configured, PostgreSQL.

PostgreSQL tests need ``OICPLAN_TEST_POSTGRES_URL`` (for example
``postgresql+psycopg://postgres:postgres@localhost/oicplan_test``). Without it
they skip, unless ``OICPLAN_REQUIRE_SERVICES=1``, in which case a missing or
unreachable server is a failure: CI must not pass by silently skipping.
"""

from __future__ import annotations

import pytest

from tests.conftest import empty_postgres_url

BACKENDS = ("sqlite", "postgresql")


def fresh_database_url(backend: str, folder) -> str:
    """A fresh, empty database URL on ``backend`` (a SQLite file in ``folder``).

    PostgreSQL skips (or fails, see above) when no test server is configured.
    """
    if backend == "sqlite":
        return f"sqlite:///{folder / 'registry.sqlite'}"
    return empty_postgres_url()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend."""
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture()
def registry(db_url):
    from oicplan.store import Registry

    reg = Registry(db_url)
    yield reg
    reg.dispose()


@pytest.fixture(autouse=True)
def _no_user_database(monkeypatch, tmp_path):
    # Never touch the developer's real registry from a test.
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
