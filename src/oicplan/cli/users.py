"""Commands ``oicplan users add|list``: who may sign in to the web app and the REST API.

Registered on the full app as ``users`` (:mod:`oicplan.cli.application`) and run
on its own by the entry point (``STANDALONE_GROUPS`` in :mod:`oicplan.cli.main`).

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> app.add_typer(users_app, name="users")
>>> CliRunner().invoke(app, ["users", "--help"]).exit_code
0
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from oicplan.cli.runtime import FORMAT_HELP, print_json, print_rows
from oicplan.errors import InputError

__all__ = ["users_app", "read_password"]

_URL_KEY = "oicplan.users.database_url"
_ROLES = ("viewer", "editor", "admin")

users_app = typer.Typer(
    name="users",
    no_args_is_help=True,
    help=(
        "Users of the web app and the REST API (oicplan serve): add them and list them.\n\n"
        "Roles: viewer (reads), editor (also saves scenarios and starts runs), admin (also "
        "manages users). Passwords are stored only as argon2 hashes, in the same database as "
        "the registry of centers (OICPLAN_DATABASE_URL or the SQLite file in your data "
        "folder).\n\n"
        "Examples:\n\n"
        "  echo 'a long passphrase' | oicplan users add wang.li --role admin\n\n"
        "  oicplan users add mei --role editor      # asks for the password twice\n\n"
        "  oicplan users list"
    ),
)


def _database_url(ctx: typer.Context) -> str | None:
    return ctx.meta.get(_URL_KEY)


@contextmanager
def _errors() -> Iterator[None]:
    """A database that cannot be reached: one line and exit code 2; a bad request: exit 2."""
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:  # the store turns most into DatabaseUnavailableError
        from oicplan.store.db import DatabaseUnavailableError

        raise DatabaseUnavailableError(str(exc.orig or exc)) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        raise InputError(str(error["msg"]), field=field) from None


@users_app.callback()
def _main(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="OICPLAN_DATABASE_URL",
        help="SQLAlchemy URL of the database; default: the SQLite file in your data folder.",
        show_envvar=True,
    ),
) -> None:
    """Users of the web app and the REST API."""
    ctx.meta[_URL_KEY] = database_url


def read_password(stream: Any = None, prompt: bool | None = None) -> str:
    """The new password: typed twice without echo on a terminal, else the first line.

    From a pipe or a file only the line end is removed (spaces are part of the
    password). Raises :class:`~oicplan.errors.InputError` (field ``password``)
    when it is empty or, on a terminal, when the two entries differ.

    >>> import io
    >>> read_password(io.StringIO("correct horse \\nnext line\\n"), prompt=False)
    'correct horse '
    >>> read_password(io.StringIO(""), prompt=False)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field password: the password is empty; give it on standard input
    """
    stream = sys.stdin if stream is None else stream
    if prompt is None:
        prompt = bool(getattr(stream, "isatty", lambda: False)())
    if prompt:
        import getpass

        password = getpass.getpass("Password: ")
        if password and getpass.getpass("Repeat the password: ") != password:
            raise InputError("the two passwords differ", field="password")
    else:
        password = stream.readline().rstrip("\r\n")
    if not password:
        raise InputError("the password is empty; give it on standard input", field="password")
    return password


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., help="User name: printable characters without spaces (wang.li, 王丽)."
    ),
    role: str = typer.Option(
        "viewer", "--role", help="viewer (reads), editor (also writes) or admin (also users)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the new user as JSON."),
) -> None:
    """Add a user; the password is read from standard input.

    On a terminal the password is asked twice and not shown; from a pipe or a
    file the first line is the password. It needs at least 8 characters. An
    empty password, a name that exists and an unknown role are refused with one
    line and exit code 2.

    Examples: echo 'a long passphrase' | oicplan users add wang.li --role admin ;
    oicplan users add mei --role editor < password.txt
    """
    if role not in _ROLES:
        raise InputError(f"unknown role {role!r}; use viewer, editor or admin", field="role")
    password = read_password()
    from oicplan.services.users import AddUserRequest
    from oicplan.services.users import add_user as add

    with _errors():
        request = AddUserRequest(
            database_url=_database_url(ctx), name=name, role=role, password=password
        )
        user = add(request).user
    if as_json:
        print_json(user.model_dump(mode="json"))
        return
    typer.echo(f"added {user.name} ({user.role})")


@users_app.command("list")
def list_users(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    output_format: str = typer.Option("table", "--format", help=FORMAT_HELP),
) -> None:
    """List the users: name, role, when they were added and whether they may sign in.

    Examples: oicplan users list ; oicplan users list --format csv ; oicplan users list --json
    """
    from oicplan.services.users import ListUsersRequest
    from oicplan.services.users import list_users as listed

    with _errors():
        users = listed(ListUsersRequest(database_url=_database_url(ctx))).document()
    if as_json:
        print_json(users)
        return
    rows = [
        {
            "name": str(user["name"]),
            "role": str(user["role"]),
            "added (UTC)": str(user["created_at"]).replace("T", " ")[:16],
            "active": "yes" if user["active"] else "no",
        }
        for user in users
    ]
    print_rows(
        rows,
        ["name", "role", "added (UTC)", "active"],
        fmt=output_format,
        title=f"Users ({len(rows)})",
    )
