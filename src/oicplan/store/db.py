"""Where the registry lives and how its schema is brought up to date.

The database is a SQLite file under the user's data directory unless
``OICPLAN_DATABASE_URL`` names another SQLAlchemy URL (PostgreSQL for a shared
server, e.g. ``postgresql+psycopg://user:pw@host/oicplan``). The schema is created
and upgraded by the package's Alembic migrations on first use, so a fresh machine
needs no setup step.

>>> resolve_database_url("sqlite:///x.sqlite")
'sqlite:///x.sqlite'
>>> default_database_path({"OICPLAN_DATA_DIR": "/srv/oic"}).as_posix()
'/srv/oic/oicplan.sqlite'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from oicplan.errors import InputError

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "MIGRATIONS_DIR",
    "default_database_path",
    "resolve_database_url",
    "alembic_config",
    "make_engine",
    "upgrade_schema",
    "open_engine",
]

DATABASE_URL_ENV = "OICPLAN_DATABASE_URL"
DATA_DIR_ENV = "OICPLAN_DATA_DIR"
DATABASE_FILE = "oicplan.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    # SQLite ignores foreign keys unless asked per connection; without this a
    # KPI value could point at a center that does not exist.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def default_database_path(environ: Mapping[str, str] | None = None) -> Path:
    """Default SQLite file: ``$OICPLAN_DATA_DIR``, else the XDG data dir, + ``oicplan.sqlite``.

    Parameters
    ----------
    environ : mapping, optional
        Environment to read; ``os.environ`` by default.

    >>> default_database_path({"XDG_DATA_HOME": "/d"}).as_posix()
    '/d/oicplan/oicplan.sqlite'
    """
    env = os.environ if environ is None else environ
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV]).expanduser() / DATABASE_FILE
    base = env.get("XDG_DATA_HOME") or str(Path("~/.local/share").expanduser())
    return Path(base).expanduser() / "oicplan" / DATABASE_FILE


def resolve_database_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL: ``url`` if given, else ``$OICPLAN_DATABASE_URL``, else the SQLite default.

    >>> resolve_database_url(environ={"OICPLAN_DATABASE_URL": "postgresql+psycopg://h/db"})
    'postgresql+psycopg://h/db'
    """
    env = os.environ if environ is None else environ
    if url:
        return str(url)
    if env.get(DATABASE_URL_ENV):
        return env[DATABASE_URL_ENV]
    return "sqlite:///" + default_database_path(env).as_posix()


def alembic_config(url: str) -> Config:
    """Alembic configuration built in code, pointing at the package's migrations.

    Developers create a new revision with
    ``command.revision(alembic_config(url), "message", autogenerate=True)``.

    >>> alembic_config("sqlite://").get_main_option("script_location").endswith("migrations")
    True
    """
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS_DIR.as_posix())
    # ConfigParser interpolates '%'; URLs with escaped passwords need doubling.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def make_engine(url: str | None = None) -> Engine:
    """Engine for ``url`` (resolved as in :func:`resolve_database_url`); no migration.

    The directory of a SQLite file is created if missing.

    Raises
    ------
    InputError
        If the URL cannot be parsed, names an unknown scheme or a driver that is
        not installed (field ``database-url``).
    """
    resolved = resolve_database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise InputError(f"not a database URL: {resolved!r}", field="database-url") from None
    try:
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError):
        raise InputError(
            f"unknown database URL scheme {parsed.drivername!r} in {_shown(parsed)}; "
            "use e.g. sqlite:///path/oicplan.sqlite or postgresql+psycopg://host/db",
            field="database-url",
        ) from None
    except ImportError as error:
        raise InputError(
            f"the database driver for {parsed.drivername!r} is not installed ({error.name})",
            field="database-url",
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _shown(url: URL) -> str:
    """``url`` as text with its password hidden, for an error message."""
    return repr(url.render_as_string(hide_password=True))


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` unless the database is already there."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if revision == "head" and current == heads:
        return
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def open_engine(url: str | None = None) -> Engine:
    """Engine with the schema migrated to the latest revision (first use creates it)."""
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine
