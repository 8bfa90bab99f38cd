"""What every page route shares: its router, the signed-in user, and the CSRF check of forms.

A page route takes ``user: PageUser`` to need a signed-in user: an anonymous visitor
is sent to ``/login?next=<the page>`` (303), whatever the page. A form that writes
calls :func:`check_form_csrf` first; a wrong or missing token is 403.

>>> safe_next("/sites/KAZ-almaty?lang=en"), safe_next("//evil.example"), safe_next("https://x")
('/sites/KAZ-almaty?lang=en', '/', '/')
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, status

from oicplan.web.accounts import account_check
from oicplan.web.session import CSRF_FIELD, SessionUser, csrf_matches, session_user

__all__ = [
    "LoginRequired",
    "PageUser",
    "check_form_csrf",
    "current_user",
    "login_url",
    "page_router",
    "safe_next",
]


class LoginRequired(Exception):
    """Raised by :func:`current_user` for an anonymous visitor; answered with a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def page_router(**options: Any) -> APIRouter:
    """A router of HTML pages (kept out of the OpenAPI schema of ``/api``)."""
    return APIRouter(include_in_schema=False, **options)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path of this site, else ``/`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(char) < 32 for char in target):
        return "/"
    return target


def login_url(next_path: str) -> str:
    """The sign-in page that returns to ``next_path`` afterwards.

    >>> login_url("/map?lang=en")
    '/login?next=/map%3Flang%3Den'
    """
    next_path = safe_next(next_path)
    return "/login" if next_path == "/" else f"/login?next={quote(next_path, safe='/')}"


def current_user(request: Request) -> SessionUser:
    """The session's user with their current role; :class:`LoginRequired` when nobody is
    signed in, or when the session's user has since been disabled or deleted (the
    session is then cleared)."""
    user = session_user(request.scope)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if user is None:
        raise LoginRequired(target)
    role = account_check(request).role_of(request.app.state.settings.database_url, user.name)
    if role is None:
        request.session.clear()
        raise LoginRequired(target)
    return user if role == user.role else user._replace(role=role)


PageUser = Annotated[SessionUser, Depends(current_user)]
"""A page route's parameter that needs a signed-in user."""


async def check_form_csrf(request: Request) -> None:
    """403 unless the posted form's ``csrf_token`` is the session's token."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not csrf_matches(request.scope.get("session"), sent):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="csrf")
