"""Who is signed in to the pages, and the CSRF token that guards their writes.

The pages keep a signed cookie session (Starlette's ``SessionMiddleware``,
signed with :mod:`itsdangerous` by a key derived from the app's secret): the
cookie ``oicplan_session`` is HttpOnly, SameSite=Lax and Secure, and expires
:data:`SESSION_HOURS` hours after it was last written. It holds the user's name
and role, the language and a random CSRF token; nothing secret beyond that.

The ``Secure`` flag is on unless :data:`INSECURE_COOKIES_ENV` (``OICPLAN_INSECURE_COOKIES=1``)
says otherwise, or :func:`oicplan.web.install_web` is called with ``secure_cookies=False``.
Browsers keep Secure cookies on ``https://`` and on ``http://localhost``; turn the flag
off only for a plain-http test server reached by another name (``http://testserver``).

Every unsafe request (POST, PUT, PATCH, DELETE) that the session authenticates must
carry the session's CSRF token, in the form field :data:`CSRF_FIELD` (the pages'
forms) or the header :data:`CSRF_HEADER` (the pages' ``fetch()`` calls to ``/api``);
else 403. The API's role guard (:mod:`oicplan.api.security`) uses this module, so a
page's script calls the API with the session instead of a bearer token.

>>> scope = {"type": "http", "session": {}}
>>> session_user(scope) is None
True
>>> token = ensure_csrf(scope["session"])
>>> sign_in(scope["session"], "mei", "editor")
>>> session_user(scope), scope["session"]["csrf"] != token
(SessionUser(name='mei', role='editor'), True)
>>> csrf_matches(scope["session"], scope["session"]["csrf"]), csrf_matches(scope["session"], "x")
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping, MutableMapping
from typing import Any, NamedTuple

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "INSECURE_COOKIES_ENV",
    "SAFE_METHODS",
    "SESSION_COOKIE",
    "SESSION_HOURS",
    "SessionUser",
    "csrf_matches",
    "ensure_csrf",
    "secure_cookies_default",
    "session_key",
    "session_user",
    "sign_in",
    "sign_out",
]

SESSION_COOKIE = "oicplan_session"
SESSION_HOURS = 8
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
INSECURE_COOKIES_ENV = "OICPLAN_INSECURE_COOKIES"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_ROLES = ("viewer", "editor", "admin")


class SessionUser(NamedTuple):
    """The user a session names."""

    name: str
    role: str


def session_key(secret: str) -> str:
    """The key that signs session cookies, derived from the app's secret.

    A key of its own, so that a session cookie and a bearer token are never signed
    by the same key.

    >>> len(session_key("s" * 32)), session_key("s" * 32) == session_key("t" * 32)
    (64, False)
    """
    return hmac.new(secret.encode("utf-8"), b"oicplan web session", hashlib.sha256).hexdigest()


def secure_cookies_default(environ: Mapping[str, str] | None = None) -> bool:
    """Whether cookies get the ``Secure`` flag: yes unless ``OICPLAN_INSECURE_COOKIES=1``.

    >>> secure_cookies_default({}), secure_cookies_default({"OICPLAN_INSECURE_COOKIES": "1"})
    (True, False)
    """
    env = os.environ if environ is None else environ
    return env.get(INSECURE_COOKIES_ENV, "").strip().lower() not in {"1", "true", "yes"}


def _session(scope: Mapping[str, Any]) -> MutableMapping[str, Any] | None:
    session = scope.get("session")
    return session if isinstance(session, MutableMapping) else None


def session_user(scope: Mapping[str, Any]) -> SessionUser | None:
    """The signed-in user of a request's session (its ASGI scope or the request), or None."""
    session = _session(scope)
    if not session:
        return None
    name, role = session.get("user"), session.get("role")
    if not isinstance(name, str) or role not in _ROLES:
        return None
    return SessionUser(name, role)


def ensure_csrf(session: MutableMapping[str, Any]) -> str:
    """The session's CSRF token, made now when it has none."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_matches(session: Mapping[str, Any] | None, sent: str | None) -> bool:
    """Whether ``sent`` is the session's CSRF token (compared in constant time)."""
    expected = session.get("csrf") if session else None
    if not isinstance(expected, str) or not sent:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8"))


def sign_in(session: MutableMapping[str, Any], name: str, role: str) -> None:
    """Put a user into the session with a fresh CSRF token (the language stays)."""
    language = session.get("lang")
    session.clear()
    if language is not None:
        session["lang"] = language
    session["user"] = name
    session["role"] = role
    ensure_csrf(session)


def sign_out(session: MutableMapping[str, Any]) -> None:
    """Forget the user and the CSRF token (the language stays)."""
    language = session.get("lang")
    session.clear()
    if language is not None:
        session["lang"] = language
