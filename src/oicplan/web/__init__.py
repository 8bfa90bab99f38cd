"""The web pages of oicplan: served at ``/`` by the same app as the REST API at ``/api``.

:func:`install_web` adds to an app made by :func:`oicplan.api.create_app` the
signed cookie sessions (:mod:`oicplan.web.session`), the static files at
``/static`` (the app's own scripts and styles, and the vendored ECharts,
topojson-client and world-atlas files that ``make install`` copies from npm into
``static/vendor``: nothing is loaded from another site), the page routers and the
error pages. Pages are Jinja2 templates (:mod:`oicplan.web.templating`) with their
wording in :mod:`oicplan.web.messages` (Chinese by default, English switchable).

The layer sits between the API and the report: the API imports it (its role
guard accepts the pages' session), it imports the services and never the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["PAGE_MODULES", "install_web"]

if TYPE_CHECKING:
    from fastapi import FastAPI

PAGE_MODULES = ("oicplan.web.login", "oicplan.web.pages", "oicplan.web.work_pages")
"""Modules with a page ``router``, included in this order by :func:`install_web`."""


def install_web(app: FastAPI, *, secure_cookies: bool | None = None) -> None:
    """Add the session middleware, ``/static``, the pages and the HTML error pages to ``app``.

    Parameters
    ----------
    app : FastAPI
        An app whose ``app.state.settings`` has the ``secret`` (the session key is
        derived from it) and the sign-in ``limiter`` and ``database_url``.
    secure_cookies : bool, optional
        Give the session cookie the ``Secure`` flag; default: yes unless
        ``OICPLAN_INSECURE_COOKIES=1`` (:func:`oicplan.web.session.secure_cookies_default`).
    """
    import importlib

    from fastapi.staticfiles import StaticFiles
    from starlette.middleware.sessions import SessionMiddleware

    from oicplan.web.errors import install_page_errors
    from oicplan.web.session import (
        SESSION_COOKIE,
        SESSION_HOURS,
        secure_cookies_default,
        session_key,
    )
    from oicplan.web.templating import STATIC_DIR

    secure = secure_cookies_default() if secure_cookies is None else secure_cookies
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(app.state.settings.secret),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for name in PAGE_MODULES:
        app.include_router(importlib.import_module(name).router)
    install_page_errors(app)
