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

A database that cannot be reached or opened (a server that does not answer, a
SQLite file whose folder cannot be created or that cannot be written) is a
:class:`DatabaseUnavailableError`: one line naming the URL without its password.
The command line prints it with exit code 2; the REST API answers 503.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from oicplan.errors import InputError, OicplanError

__all__ = [
    "DatabaseUnavailableError",
    "database_errors",
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "MIGRATIONS_DIR",
    "default_database_path",
    "resolve_database_url",
    "alembic_config",
    "make_engine",
    "upgrade_schema",
    "open_engine",
    "write_engine",
    "SQLITE_BUSY_TIMEOUT_MS",
    "WRITE_OPTION",
]

DATABASE_URL_ENV = "OICPLAN_DATABASE_URL"
DATA_DIR_ENV = "OICPLAN_DATA_DIR"
DATABASE_FILE = "oicplan.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailableError(OicplanError):
    """The database cannot be reached or opened; nothing was read or written.

    One line (the driver's first line, the URL without its password); the command
    line exits with code 2 and the REST API answers 503 (the request may succeed
    once the database is back).

    >>> str(DatabaseUnavailableError("connection refused", url="postgresql://u:pw@h/db"))
    "cannot use the database 'postgresql://u:***@h/db': connection refused"
    """

    field = "database-url"

    def __init__(self, reason: str, *, url: str | URL | None = None) -> None:
        self.reason = _first_line(reason)
        self.url = None if url is None else _shown(make_url(url) if isinstance(url, str) else url)
        where = f" {self.url}" if self.url else ""
        super().__init__(f"cannot use the database{where}: {self.reason}")


def _first_line(text: object) -> str:
    """The first non-empty line of a driver's message (psycopg adds hints on more lines)."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return "the database did not answer"


@contextmanager
def database_errors(url: str | URL | None = None) -> Iterator[None]:
    """A lost or refused connection inside the block as :class:`DatabaseUnavailableError`.

    Only SQLAlchemy's ``OperationalError`` and ``InterfaceError`` (connection refused,
    server gone, file that cannot be opened, database locked too long) are turned;
    integrity errors and the like pass unchanged.

    >>> with database_errors("sqlite:///x.sqlite"):
    ...     raise OperationalError("SELECT 1", {}, Exception("unable to open database file"))
    Traceback (most recent call last):
    ...
    oicplan.store.db.DatabaseUnavailableError: cannot use the database 'sqlite:///x.sqlite': ...
    """
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnavailableError(str(error.orig or error), url=url) from None


SQLITE_BUSY_TIMEOUT_MS = 60_000
"""How long a SQLite writer waits for another process's write to finish before it fails.

Longer than the longest write transaction (a KPI import of some 10,000 rows takes
5-10 s on a loaded machine), so two processes writing at once both succeed.
"""
WRITE_OPTION = "oicplan_sqlite_begin"
"""Execution option naming how a SQLite transaction begins (``"IMMEDIATE"``).

``engine.execution_options(oicplan_sqlite_begin="IMMEDIATE")`` gives an engine whose
transactions take SQLite's write lock at their start, so that what a writer checks
(a free id, the current schema revision) cannot change before it writes. Other
transactions keep the driver's own behaviour. PostgreSQL ignores the option.
"""


def _configure_sqlite(dbapi_connection, _record) -> None:
    """Per connection: foreign keys, a long busy timeout and write-ahead logging.

    SQLite ignores foreign keys unless asked per connection; without this a KPI
    value could point at a center that does not exist. Write-ahead logging lets
    readers go on while a writer works (one writer at a time; the others wait up
    to :data:`SQLITE_BUSY_TIMEOUT_MS`). A file whose journal mode cannot be
    changed (read-only, on a network share) keeps its own.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        with contextlib.suppress(sqlite3.Error):  # see docstring: the default journal works
            cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _begin_sqlite(connection) -> None:
    """Begin a transaction as the connection's :data:`WRITE_OPTION` asks (BEGIN IMMEDIATE).

    Python's sqlite3 begins a transaction only before INSERT, UPDATE and DELETE:
    CREATE TABLE (the migrations) would run outside any transaction and a killed
    first run would leave half a schema; a check before the first write would read
    outside the writer's lock. An explicit BEGIN makes both part of one
    transaction.
    """
    mode = connection.get_execution_options().get(WRITE_OPTION)
    if mode:
        connection.exec_driver_sql(f"BEGIN {mode}")


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
        folder = Path(parsed.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailableError(
                f"cannot create the folder {str(folder)!r}: {error.strerror or error}", url=parsed
            ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
    return engine


def write_engine(engine: Engine) -> Engine:
    """``engine`` whose transactions take the write lock at their start (SQLite).

    On SQLite each transaction begins with ``BEGIN IMMEDIATE``: writers queue one
    after the other (waiting up to :data:`SQLITE_BUSY_TIMEOUT_MS`), and what a
    writer read in its transaction stays true until it commits. On other databases
    it is ``engine`` with an option they ignore.

    >>> from sqlalchemy import text
    >>> engine = make_engine("sqlite://")
    >>> with write_engine(engine).begin() as connection:
    ...     connection.execute(text("SELECT 1")).scalar()
    1
    """
    return engine.execution_options(**{WRITE_OPTION: "IMMEDIATE"})


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
    # One transaction that holds the write lock from its start (SQLite): a run killed
    # half-way leaves the schema as it was, and a second process starting at the same
    # time waits, then finds the schema at its revision and changes nothing.
    with write_engine(engine).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def open_engine(url: str | None = None) -> Engine:
    """Engine with the schema migrated to the latest revision (first use creates it).

    Raises
    ------
    DatabaseUnavailableError
        The server does not answer, or the SQLite file cannot be created or opened.
    """
    engine = make_engine(url)
    try:
        with database_errors(engine.url):
            upgrade_schema(engine)
    except DatabaseUnavailableError:
        engine.dispose()
        raise
    return engine
