"""Users of the web app and the REST API: add, get, list and authenticate.

A :class:`UserStore` wraps the same database as the registry (see
:mod:`oicplan.store.db`; the ``users`` table comes from migration 0005).
Passwords are stored only as argon2 hashes made by `pwdlib`_ (argon2id, its
recommended parameters); :meth:`UserStore.authenticate` verifies with the
library's constant-time comparison, spends the same work on an unknown or
inactive name as on a known one, and re-hashes a password whose stored hash
uses older parameters.

.. _pwdlib: https://frankie567.github.io/pwdlib/

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     users = UserStore("sqlite:///" + os.path.join(d, "u.sqlite"))
...     added = users.add("mei", "editor", "correct horse")
...     good = users.authenticate("mei", "correct horse")
...     bad = users.authenticate("mei", "wrong horse")
...     users.dispose()
>>> added.name, added.role, good == added, bad
('mei', 'editor', True, None)
"""

from __future__ import annotations

import datetime as _dt
import functools
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.store.db import database_errors, open_engine, resolve_database_url
from oicplan.store.models import ROLES, User

if TYPE_CHECKING:
    from pwdlib import PasswordHash

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "UserExistsError",
    "UserInfo",
    "UserStore",
    "check_name",
    "check_password",
    "check_role",
    "hash_password",
]

MAX_NAME_LENGTH = 80
MIN_PASSWORD_LENGTH = 8
"""Shortest password accepted (characters)."""
MAX_PASSWORD_LENGTH = 1024
"""Longest password accepted: hashing is deliberately slow, so its input is bounded."""


class UserExistsError(InputError):
    """A user of that name exists already (the REST API answers 409)."""


@dataclass(frozen=True)
class UserInfo:
    """A stored user without the password hash; ``created_at`` is in UTC."""

    name: str
    role: str
    created_at: _dt.datetime
    active: bool


def check_name(name: str) -> str:
    """The user name, NFC-normalized and checked: 1-80 printable characters, no spaces.

    Names are compared exactly (``Mei`` and ``mei`` are two users). Raises
    :class:`~oicplan.errors.InputError` (field ``name``).

    >>> check_name("wang.li")
    'wang.li'
    >>> check_name("王丽")
    '王丽'
    >>> check_name("wang li")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field name: a user name has no spaces or control characters
    """
    text = unicodedata.normalize("NFC", str(name))
    if not text:
        raise InputError("a user name cannot be empty", field="name")
    if len(text) > MAX_NAME_LENGTH:
        raise InputError(f"longer than {MAX_NAME_LENGTH} characters", field="name")
    if not text.isprintable() or any(char.isspace() for char in text):
        raise InputError("a user name has no spaces or control characters", field="name")
    return text


def check_role(role: str) -> str:
    """The role if it is one of :data:`ROLES` (field ``role`` otherwise).

    >>> check_role("admin")
    'admin'
    >>> check_role("owner")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field role: unknown role 'owner'; use viewer, editor or admin
    """
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use viewer, editor or admin", field="role")
    return role


def check_password(password: str) -> str:
    """The password if it is long enough and not too long (field ``password`` otherwise).

    >>> check_password("")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field password: the password is empty
    """
    if not password:
        raise InputError("the password is empty", field="password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is shorter than {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(
            f"the password is longer than {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    return password


@functools.cache
def _hasher() -> PasswordHash:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    return PasswordHash((Argon2Hasher(),))


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so both take the same time."""
    return str(_hasher().hash("not a password of anyone"))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted: two hashes of one password differ)."""
    return str(_hasher().hash(password))


def _utc(moment: _dt.datetime) -> _dt.datetime:
    # SQLite keeps no time zone; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.UTC)


def _info(user: User) -> UserInfo:
    return UserInfo(
        name=user.name, role=user.role, created_at=_utc(user.created_at), active=user.active
    )


class UserStore:
    """The users of one database (``url`` resolved as :func:`resolve_database_url` says).

    Opening migrates a new or old database to the latest schema. Every method
    runs in its own transaction.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_database_url(url)
        self.engine: Engine = open_engine(self.url)

    def dispose(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with database_errors(self.engine.url), Session(self.engine) as session, session.begin():
            yield session

    def add(self, name: str, role: str, password: str) -> UserInfo:
        """Add an active user; the password is stored as an argon2 hash.

        Raises
        ------
        InputError
            A bad name, role or password (the field named);
            :class:`UserExistsError` if the name is taken.
        """
        name = check_name(name)
        check_role(role)
        check_password(password)
        user = User(
            name=name,
            role=role,
            password_hash=hash_password(password),
            created_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0),
            active=True,
        )
        try:
            with self._session() as session:
                if session.scalar(select(User.id).where(User.name == name)) is not None:
                    raise UserExistsError(f"a user named {name!r} exists", field="name")
                session.add(user)
                session.flush()
                info = _info(user)
        except IntegrityError:  # added by someone else between the check and the insert
            raise UserExistsError(f"a user named {name!r} exists", field="name") from None
        return info

    def get(self, name: str) -> UserInfo | None:
        """The user of that name, None if there is none."""
        with self._session() as session:
            user = session.scalar(select(User).where(User.name == name))
            return None if user is None else _info(user)

    def list(self) -> list[UserInfo]:
        """Every user, sorted by name."""
        with self._session() as session:
            return [_info(user) for user in session.scalars(select(User).order_by(User.name))]

    def set_active(self, name: str, active: bool) -> UserInfo:
        """Allow or refuse a user's sign-in (field ``name`` if there is no such user)."""
        return self.update(name, active=active)

    @staticmethod
    def _keep_an_admin(session: Session, user: User, what: str) -> None:
        """Refuse to leave the database without an active admin (:class:`ConflictError`)."""
        if user.role != "admin" or not user.active:
            return
        others = session.scalar(
            select(func.count()).select_from(User).where(
                User.role == "admin", User.active.is_(True), User.id != user.id
            )
        )
        if not others:
            raise ConflictError(
                f"{user.name} is the only active admin; make another admin before you {what}"
            )

    def update(self, name: str, *, role: str | None = None,
               active: bool | None = None) -> UserInfo:
        """Change a user's role and/or allow or refuse their sign-in.

        Raises
        ------
        NotFoundError
            No such user (field ``name``).
        InputError
            An unknown role (field ``role``).
        ConflictError
            The change would leave no active admin.
        """
        if role is not None:
            check_role(role)
        with self._session() as session:
            user = session.scalar(select(User).where(User.name == name).with_for_update())
            if user is None:
                raise NotFoundError(f"no user named {name!r}", field="name")
            demoted = role is not None and role != "admin"
            if demoted or active is False:
                self._keep_an_admin(session, user, "demote or disable this one")
            if role is not None:
                user.role = role
            if active is not None:
                user.active = active
            session.flush()
            return _info(user)

    def delete(self, name: str) -> None:
        """Delete a user (what they wrote keeps their name as its author).

        Raises
        ------
        NotFoundError
            No such user (field ``name``).
        ConflictError
            The user is the only active admin.
        """
        with self._session() as session:
            user = session.scalar(select(User).where(User.name == name).with_for_update())
            if user is None:
                raise NotFoundError(f"no user named {name!r}", field="name")
            self._keep_an_admin(session, user, "delete this one")
            session.delete(user)

    def authenticate(self, name: str, password: str) -> UserInfo | None:
        """The user if ``password`` is theirs and they are active, else None.

        The comparison is argon2's constant-time one, and an unknown name, an
        inactive user or an oversized password cost one verification like a
        known name, so the answer's timing tells nothing about which users
        exist. A hash made with older parameters is replaced by a new one.
        """
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            _hasher().verify("", _dummy_hash())
            return None
        with self._session() as session:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                _hasher().verify(password, _dummy_hash())
                return None
            valid, updated = _hasher().verify_and_update(password, user.password_hash)
            if not valid or not user.active:
                return None
            if updated is not None:
                user.password_hash = str(updated)
            return _info(user)
