"""The API's settings: the database, the token secret and how long a token lives.

The secret that signs bearer tokens is ``$OICPLAN_SECRET_KEY`` when set (at least
32 characters), else a random one generated on first start into the data folder
(``$OICPLAN_DATA_DIR``, else ``~/.local/share/oicplan``) as ``secret_key``, readable
by its owner only (mode 0600), and read from there on every later start. It is
never written into the repository or the package.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     first = load_secret(environ={"OICPLAN_DATA_DIR": folder})
...     again = load_secret(environ={"OICPLAN_DATA_DIR": folder})
>>> first == again, len(first) >= 64
(True, True)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from oicplan.api.limits import LoginLimiter
from oicplan.errors import InputError
from oicplan.store.db import default_database_path

__all__ = [
    "MIN_SECRET_LENGTH",
    "SECRET_ENV",
    "SECRET_FILE",
    "ApiSettings",
    "load_secret",
    "secret_path",
    "settings_of",
]

SECRET_ENV = "OICPLAN_SECRET_KEY"
SECRET_FILE = "secret_key"
MIN_SECRET_LENGTH = 32


@dataclass
class ApiSettings:
    """What every route of one app shares (``app.state.settings``)."""

    database_url: str
    secret: str = field(repr=False)
    token_minutes: int = 60
    limiter: LoginLimiter = field(default_factory=LoginLimiter)


def secret_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where a generated secret is kept: ``secret_key`` in the data folder.

    >>> secret_path({"OICPLAN_DATA_DIR": "/srv/oic"}).as_posix()
    '/srv/oic/secret_key'
    """
    return default_database_path(environ).parent / SECRET_FILE


def _checked(secret: str, source: str) -> str:
    secret = secret.strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise InputError(
            f"the token secret needs at least {MIN_SECRET_LENGTH} characters "
            f"(python -c 'import secrets; print(secrets.token_urlsafe(48))')",
            field=source,
        )
    return secret


def _read_secret(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        os.chmod(path, 0o600)  # readable by others: tighten before use
    return _checked(path.read_text(encoding="utf-8"), str(path))


def load_secret(secret: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The token secret: ``secret``, else ``$OICPLAN_SECRET_KEY``, else the data folder's file.

    The file is made on first use with a random 64-byte secret (mode 0600; the
    folder 0700 when made here). Two servers starting at once agree on one
    secret: the file appears whole (written aside, then linked into place) and
    the second reads the first's.

    Raises
    ------
    InputError
        A secret shorter than 32 characters (the field names where it came from).
    """
    if secret:
        return _checked(secret, "secret")
    env = os.environ if environ is None else environ
    if env.get(SECRET_ENV):
        return _checked(env[SECRET_ENV], SECRET_ENV)
    path = secret_path(env)
    if path.exists():
        return _read_secret(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(64) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another server made it first: use it
            os.link(aside, path)
    finally:
        aside.unlink(missing_ok=True)
    return _read_secret(path)


def settings_of(request: Request) -> ApiSettings:
    """The settings of the app serving ``request`` (a FastAPI dependency)."""
    settings: ApiSettings = request.app.state.settings
    return settings
