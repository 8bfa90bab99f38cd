"""The users table (migration 0005) and :class:`oicplan.store.users.UserStore`.

Every test runs on SQLite and, when ``OICPLAN_TEST_POSTGRES_URL`` names a server,
on PostgreSQL (``OICPLAN_REQUIRE_SERVICES=1`` makes a missing server a failure,
as in ``tests/monitor/conftest.py``).
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from oicplan.errors import InputError
from tests.conftest import empty_postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'users.sqlite'}"
    return empty_postgres_url()


@pytest.fixture()
def users(db_url):
    from oicplan.store.users import UserStore

    store = UserStore(db_url)
    yield store
    store.dispose()


def test_migration_0005_creates_the_users_table(users):
    inspector = sa.inspect(users.engine)
    assert "users" in inspector.get_table_names()
    columns = {column["name"] for column in inspector.get_columns("users")}
    assert {"id", "name", "role", "password_hash", "created_at", "active"} <= columns
    indexes = sa.inspect(users.engine).get_unique_constraints("users")
    assert any(constraint["column_names"] == ["name"] for constraint in indexes)


def test_downgrade_to_0004_drops_users_and_upgrade_brings_it_back(db_url):
    from oicplan.store.db import make_engine, upgrade_schema

    engine = make_engine(db_url)
    try:
        upgrade_schema(engine, "0005")
        assert "users" in sa.inspect(engine).get_table_names()
        from alembic import command

        from oicplan.store.db import alembic_config

        with engine.begin() as connection:
            cfg = alembic_config(db_url)
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0004")
        assert "users" not in sa.inspect(engine).get_table_names()
        upgrade_schema(engine)
        assert "users" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_add_get_list(users):
    added = users.add("mei", "editor", "correct horse")
    users.add("an", "viewer", "battery staple")
    assert added.name == "mei" and added.role == "editor" and added.active
    assert added.created_at.tzinfo is not None
    assert abs(added.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert users.get("mei") == added
    assert users.get("nobody") is None
    assert [user.name for user in users.list()] == ["an", "mei"]


def test_the_password_is_stored_only_as_an_argon2_hash(users):
    users.add("mei", "admin", "correct horse")
    with users.engine.connect() as conn:
        stored = conn.execute(sa.text("select password_hash from users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_authenticate(users):
    users.add("mei", "admin", "correct horse")
    assert users.authenticate("mei", "correct horse").role == "admin"
    assert users.authenticate("mei", "Correct horse") is None
    assert users.authenticate("mei", "") is None
    assert users.authenticate("nobody", "correct horse") is None
    assert users.authenticate("mei", "x" * 5000) is None


def test_an_inactive_user_cannot_sign_in(users):
    users.add("mei", "viewer", "correct horse")
    assert users.set_active("mei", False).active is False
    assert users.authenticate("mei", "correct horse") is None
    users.set_active("mei", True)
    assert users.authenticate("mei", "correct horse") is not None
    with pytest.raises(InputError, match="no user named"):
        users.set_active("nobody", True)


def test_a_duplicate_name_is_refused_and_nothing_changes(users):
    from oicplan.store.users import UserExistsError

    users.add("mei", "viewer", "correct horse")
    with pytest.raises(UserExistsError) as caught:
        users.add("mei", "admin", "another password")
    assert caught.value.field == "name"
    assert users.get("mei").role == "viewer"
    assert users.authenticate("mei", "correct horse") is not None


def test_the_database_refuses_a_duplicate_name_and_an_unknown_role(users):
    insert = sa.text(
        "insert into users (name, role, password_hash, created_at, active) "
        "values (:name, :role, 'x', :now, true)"
    )
    now = dt.datetime.now(dt.UTC)
    with users.engine.begin() as conn:
        conn.execute(insert, {"name": "mei", "role": "viewer", "now": now})
    with pytest.raises(sa.exc.IntegrityError), users.engine.begin() as conn:
        conn.execute(insert, {"name": "mei", "role": "viewer", "now": now})
    with pytest.raises(sa.exc.IntegrityError), users.engine.begin() as conn:
        conn.execute(insert, {"name": "li", "role": "owner", "now": now})


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("", "viewer", "correct horse", "name"),
        ("wang li", "viewer", "correct horse", "name"),
        ("x" * 81, "viewer", "correct horse", "name"),
        ("mei", "owner", "correct horse", "role"),
        ("mei", "viewer", "", "password"),
        ("mei", "viewer", "short", "password"),
        ("mei", "viewer", "x" * 1025, "password"),
    ],
)
def test_bad_input_names_the_field(users, name, role, password, field):
    with pytest.raises(InputError) as caught:
        users.add(name, role, password)
    assert caught.value.field == field
    assert users.list() == []


def test_names_are_unicode_and_exact(users):
    users.add("王丽", "viewer", "correct horse")
    users.add("Mei", "viewer", "correct horse")
    users.add("mei", "viewer", "correct horse")
    assert users.authenticate("王丽", "correct horse").name == "王丽"
    assert [user.name for user in users.list()] == sorted(["王丽", "Mei", "mei"])
