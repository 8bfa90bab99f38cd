"""Use cases of the users of the web app and the REST API: add, list, change, delete, sign in.

What ``oicplan users add|list`` and the API's ``POST /api/auth/token`` and
``/api/users`` do. Every request names the database (``database_url``; None means
``$OICPLAN_DATABASE_URL`` or the SQLite file under the user's data directory);
each call opens it (migrating a new database), does its work and closes it.
Passwords travel as :class:`pydantic.SecretStr`, so a request printed or logged
shows ``'**********'``; they are stored only as argon2 hashes
(:mod:`oicplan.store.users`).

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "users.sqlite")
...     added = add_user(AddUserRequest(
...         database_url=url, name="mei", role="editor", password="correct horse"))
...     signed_in = authenticate(AuthenticateRequest(
...         database_url=url, name="mei", password="correct horse"))
>>> added.user.name, signed_in.user.role if signed_in.user else None
('mei', 'editor')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr

from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.store.users import UserInfo, UserStore

__all__ = [
    "AddUserRequest",
    "AuthenticateRequest",
    "AuthenticateResult",
    "DeleteUserRequest",
    "GetUserRequest",
    "ListUsersRequest",
    "NewUser",
    "Role",
    "UpdateUserRequest",
    "UserChange",
    "UserRecord",
    "UserResult",
    "UsersRequest",
    "UsersResult",
    "add_user",
    "authenticate",
    "delete_user",
    "get_user",
    "list_users",
    "update_user",
]

Role = Literal["viewer", "editor", "admin"]
"""A user's role: viewers read; editors also save scenarios and start runs; admins also manage
users."""


class UserRecord(Result):
    """A user as the API and ``users list --json`` show it (never the password hash)."""

    name: str
    role: Role
    created_at: _dt.datetime
    active: bool


class UsersRequest(Request):
    """What every users request names: the database."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; None: $OICPLAN_DATABASE_URL or the "
        "SQLite file in the user's data directory.",
    )


class NewUser(Request):
    """A user to create: name, role and password (the body of ``POST /api/users``)."""

    name: str = Field(
        min_length=1,
        max_length=80,
        description="unique; printable characters without spaces (王丽 and wang.li are fine)",
    )
    role: Role = Field(default="viewer", description="viewer, editor or admin")
    password: SecretStr = Field(
        min_length=1, max_length=1024, description="at least 8 characters"
    )


class AddUserRequest(UsersRequest, NewUser):
    """Add a user to the database."""


class ListUsersRequest(UsersRequest):
    """List the users, sorted by name."""


class GetUserRequest(UsersRequest):
    """One user, by name."""

    name: str = Field(max_length=200)


class UserChange(Request):
    """What an admin changes about a user (the body of ``PATCH /api/users/{name}``).

    Absent fields stay as they are; ``active`` false refuses the user's sign-in.
    """

    role: Role | None = Field(None, description="viewer, editor or admin")
    active: bool | None = Field(None, description="false: the user can no longer sign in")


class UpdateUserRequest(UsersRequest, UserChange):
    """Change a user's role or whether they may sign in."""

    name: str = Field(max_length=200)


class DeleteUserRequest(UsersRequest):
    """Delete a user; what they wrote keeps their name as its author."""

    name: str = Field(max_length=200)


class AuthenticateRequest(UsersRequest):
    """A name and a password to check."""

    name: str = Field(max_length=200)
    password: SecretStr


class UserResult(Result):
    """One stored user."""

    user: UserRecord


class UsersResult(Result):
    """Users sorted by name."""

    users: tuple[UserRecord, ...]

    def document(self) -> list[dict[str, object]]:
        """The users as ``users list --json`` prints them."""
        return [user.model_dump(mode="json") for user in self.users]


class AuthenticateResult(Result):
    """The user when the name and password match an active user, else None."""

    user: UserRecord | None


@contextmanager
def _store(request: UsersRequest) -> Iterator[UserStore]:
    from oicplan.store.users import UserStore

    store = UserStore(request.database_url)
    try:
        yield store
    finally:
        store.dispose()


def _record(user: UserInfo) -> UserRecord:
    return UserRecord.model_validate(
        {"name": user.name, "role": user.role, "created_at": user.created_at, "active": user.active}
    )


def add_user(request: AddUserRequest) -> UserResult:
    """Add an active user with an argon2-hashed password.

    Errors are :class:`~oicplan.errors.InputError` naming the field: ``name``
    (not a valid name; :class:`~oicplan.store.users.UserExistsError` when it is
    taken), ``password`` (shorter than 8 characters).
    """
    with _store(request) as store:
        user = store.add(request.name, request.role, request.password.get_secret_value())
    return UserResult(user=_record(user))


def list_users(request: ListUsersRequest) -> UsersResult:
    """Every user, sorted by name."""
    with _store(request) as store:
        return UsersResult(users=tuple(_record(user) for user in store.list()))


def authenticate(request: AuthenticateRequest) -> AuthenticateResult:
    """Check a name and password (constant-time; an unknown name costs the same work).

    An inactive user, an unknown name and a wrong password all give ``user=None``.
    """
    with _store(request) as store:
        user = store.authenticate(request.name, request.password.get_secret_value())
    return AuthenticateResult(user=None if user is None else _record(user))


def get_user(request: GetUserRequest) -> UserResult:
    """One user.

    Raises
    ------
    NotFoundError
        No such user (field ``name``).
    """
    from oicplan.errors import NotFoundError

    with _store(request) as store:
        user = store.get(request.name)
    if user is None:
        raise NotFoundError(f"no user named {request.name!r}", field="name")
    return UserResult(user=_record(user))


def update_user(request: UpdateUserRequest) -> UserResult:
    """Change a user's role and/or whether they may sign in.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     url = "sqlite:///" + os.path.join(folder, "users.sqlite")
    ...     _ = add_user(AddUserRequest(database_url=url, name="an", role="admin",
    ...                                 password="correct horse"))
    ...     _ = add_user(AddUserRequest(database_url=url, name="mei", password="correct horse"))
    ...     changed = update_user(UpdateUserRequest(database_url=url, name="mei", role="editor"))
    >>> changed.user.role, changed.user.active
    ('editor', True)

    Raises
    ------
    NotFoundError
        No such user (field ``name``).
    ConflictError
        The change would leave no active admin.
    """
    with _store(request) as store:
        user = store.update(request.name, role=request.role, active=request.active)
    return UserResult(user=_record(user))


def delete_user(request: DeleteUserRequest) -> UserResult:
    """Delete a user; the answer is the user as they were.

    Raises
    ------
    NotFoundError
        No such user (field ``name``).
    ConflictError
        The user is the only active admin.
    """
    before = get_user(GetUserRequest(database_url=request.database_url, name=request.name))
    with _store(request) as store:
        store.delete(request.name)
    return before
