"""``/login`` and ``/logout``: sign in to the pages with a user name and password.

The form posts the name, password and the session's CSRF token. Failed sign-ins
count in the same limiter as ``POST /api/auth/token`` (the app's
``settings.limiter``, :class:`oicplan.api.limits.LoginLimiter`): past the limit the
page answers 429 with ``Retry-After``, whatever the password. A good sign-in puts
the user into the session with a new CSRF token and returns to ``next`` (a path of
this site only). ``POST /logout`` (with the token) forgets the user.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oicplan.services.users import AuthenticateRequest, authenticate
from oicplan.web.guard import check_form_csrf, page_router, safe_next
from oicplan.web.session import CSRF_FIELD, csrf_matches, session_user, sign_in, sign_out
from oicplan.web.templating import render

__all__ = ["router"]

router = page_router()

_MAX_NAME = 200
_MAX_PASSWORD = 1024


def _login_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    values: dict[str, Any] = {
        "error": None, "notice": None, "username": "", "next": "/", "seconds": 0
    }
    values.update(context)
    return render(request, "login.html", status_code=status_code, **values)


@router.get("/login")
def login_form(request: Request, next: str = "/", bye: int = 0) -> Response:  # noqa: A002
    """The sign-in form (a signed-in user goes straight on)."""
    if session_user(request.scope) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next=safe_next(next), notice="login.signed_out" if bye else None)


@router.post("/login")
async def login_submit(request: Request) -> Response:
    """Check the form's token, the limiter and the password; sign in or say why not."""
    form = await request.form()
    name = form.get("username")
    password = form.get("password")
    target = form.get("next")
    name = name if isinstance(name, str) else ""
    password = password if isinstance(password, str) else ""
    target = safe_next(target if isinstance(target, str) else "/")
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not csrf_matches(request.scope.get("session"), sent):
        return _login_page(request, 403, error="login.csrf", username=name[:_MAX_NAME],
                           next=target)
    settings = request.app.state.settings
    client = request.client.host if request.client else "unknown"
    wait = settings.limiter.retry_after(name, client)
    if wait is not None:
        seconds = math.ceil(wait)
        return _login_page(request, 429, error="login.too_many", seconds=seconds,
                           username=name[:_MAX_NAME], next=target,
                           headers={"Retry-After": str(seconds)})
    user = None
    if name and password and len(name) <= _MAX_NAME and len(password) <= _MAX_PASSWORD:
        checked = await run_in_threadpool(
            authenticate,
            AuthenticateRequest(database_url=settings.database_url, name=name, password=password),
        )
        user = checked.user
    if user is None:
        settings.limiter.failed(name, client)
        return _login_page(request, 401, error="login.failed", username=name[:_MAX_NAME],
                           next=target)
    settings.limiter.succeeded(name, client)
    sign_in(request.scope["session"], user.name, user.role)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Forget the session's user (the form carries the CSRF token) and show the sign-in page."""
    await check_form_csrf(request)
    sign_out(request.scope["session"])
    return RedirectResponse("/login?bye=1", status_code=303)
