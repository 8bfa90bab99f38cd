"""The FastAPI application: :func:`create_app` builds it, ``oicplan serve`` runs it.

Every route is under ``/api``; the OpenAPI schema is ``/api/openapi.json`` (each
operation with a stable ``operation_id``). The interactive docs pages are off:
they would load scripts from the internet, and the app must work without it.

>>> import os, tempfile
>>> from fastapi.testclient import TestClient
>>> with tempfile.TemporaryDirectory() as folder:
...     app = create_app("sqlite:///" + os.path.join(folder, "db.sqlite"), secret="s" * 32)
...     TestClient(app).get("/api/health").json()["status"]
'ok'
"""

from __future__ import annotations

from fastapi import FastAPI

from oicplan.api.errors import install_error_handlers
from oicplan.api.jobs import JobRunner, job_lifespan
from oicplan.api.limits import LoginLimiter
from oicplan.api.routers import assumptions as assumptions_router
from oicplan.api.routers import auth, experts, health, rankings, runs, scenarios, users
from oicplan.api.routers import centers as centers_router
from oicplan.api.routers import data as data_router
from oicplan.api.routers import plans as plans_router
from oicplan.api.routers import sites as sites_router
from oicplan.api.routers import watch as watch_router
from oicplan.api.settings import ApiSettings, load_secret
from oicplan.web import install_web

__all__ = ["MAX_BODY_BYTES", "create_app"]

MAX_BODY_BYTES = 1_048_576
"""Largest request body (1 MiB) unless a route allows more; larger ones get 413."""


def create_app(
    database_url: str | None = None,
    secret: str | None = None,
    *,
    token_minutes: int = 60,
    limiter: LoginLimiter | None = None,
) -> FastAPI:
    """The oicplan REST API.

    Parameters
    ----------
    database_url : str, optional
        SQLAlchemy URL of the database (users, and later scenarios and runs);
        default ``$OICPLAN_DATABASE_URL`` or the SQLite file in the data folder.
        It is migrated to the latest schema here.
    secret : str, optional
        Secret signing the bearer tokens; default ``$OICPLAN_SECRET_KEY`` or the
        one generated into the data folder (:func:`oicplan.api.settings.load_secret`).
    token_minutes : int
        How long a token is valid.
    limiter : LoginLimiter, optional
        Failed sign-in limits (default: 5 per name and client, 20 per client, a minute).
    """
    from oicplan.store.db import open_engine, resolve_database_url

    url = resolve_database_url(database_url)
    open_engine(url).dispose()  # migrate now: the first request should not wait for it
    app = FastAPI(
        title="oicplan",
        summary="Plan overseas innovation centers: rankings, plans, scenarios and users.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        max_body_size=MAX_BODY_BYTES,
        lifespan=job_lifespan,  # recover stale runs on start, stop the job runner on shutdown
    )
    app.state.settings = ApiSettings(
        database_url=url,
        secret=load_secret(secret),
        token_minutes=token_minutes,
        limiter=limiter or LoginLimiter(),
    )
    install_error_handlers(app)
    for module in (health, auth, users, rankings, scenarios, runs, experts):
        app.include_router(module.router, prefix="/api")
    for module in (sites_router, data_router):
        app.include_router(module.router, prefix="/api")
    app.include_router(centers_router.router, prefix="/api")
    app.include_router(assumptions_router.router, prefix="/api")
    app.include_router(watch_router.router, prefix="/api")
    app.state.jobs = JobRunner(url)  # background runs (oicplan.api.jobs)
    app.include_router(plans_router.router, prefix="/api")
    install_web(app)  # the pages at / (sessions, /static, HTML errors): oicplan.web
    return app
