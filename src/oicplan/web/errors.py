"""Error answers of the pages: a redirect to sign in, and HTML error pages.

An anonymous visitor of a page is sent to ``/login?next=...`` (303). An HTTP error
of a page (404, 403 ...) is an HTML page in the visitor's language; under ``/api``
the answer stays FastAPI's JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from oicplan.web.guard import LoginRequired, login_url
from oicplan.web.templating import render

__all__ = ["install_page_errors"]

_MESSAGES = {403: "error.forbidden", 404: "error.not_found"}


async def _login_required(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    return RedirectResponse(login_url(error.next_path), status_code=303)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    path = request.url.path
    if path == "/api" or path.startswith(("/api/", "/static/")):
        return await http_exception_handler(request, error)
    key = _MESSAGES.get(error.status_code, "error.title")
    detail: dict[str, Any] = error.detail if isinstance(error.detail, dict) else {}
    return render(
        request,
        "error.html",
        status_code=error.status_code,
        message_key=str(detail.get("key", key)),
        message_values=dict(detail.get("values", {})),
        headers=dict(error.headers or {}),
    )


def install_page_errors(app: FastAPI) -> None:
    """Register the redirect to sign in and the HTML error pages on ``app``."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
