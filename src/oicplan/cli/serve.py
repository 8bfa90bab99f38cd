"""Command ``oicplan serve``: run the web pages and the REST API with uvicorn.

>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> _ = app.command("serve")(serve)
>>> _ = app.command("other")(lambda: None)
>>> CliRunner().invoke(app, ["serve", "--help"]).exit_code
0
"""

from __future__ import annotations

import typer

__all__ = ["serve"]


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on; 0.0.0.0 listens on every network (put TLS in front).",
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="OICPLAN_DATABASE_URL",
        show_envvar=True,
        help="SQLAlchemy URL of the database; default: the SQLite file in your data folder.",
    ),
    log_level: str = typer.Option(
        "info", "--log-level", help="uvicorn's log level: critical, error, warning, info, debug."
    ),
) -> None:
    """Serve the web pages (/) and the REST API (/api/...) with uvicorn until Ctrl+C.

    Open http://127.0.0.1:8000/ in a browser and sign in with a user made by
    'oicplan users add' (pages in Chinese, English switchable). Long jobs (plans,
    sensitivity, optimize) run in the server's threads, or on a Dask cluster when
    OICPLAN_DASK_SCHEDULER names one. Sessions and tokens are signed with
    OICPLAN_SECRET_KEY, or with a secret generated on first start into the data
    folder (OICPLAN_DATA_DIR). Session cookies are Secure: browsers keep them on
    https and on http://localhost; for plain http under another name set
    OICPLAN_INSECURE_COOKIES=1. docs/web.md describes the pages, docs/api.md the API.

    Examples: echo 'a long password' | oicplan users add mei --role editor ;
    oicplan serve ; oicplan serve --port 8080 ;
    curl http://127.0.0.1:8000/api/health
    """
    import uvicorn

    from oicplan.api import create_app
    from oicplan.errors import InputError

    levels = ("critical", "error", "warning", "info", "debug")
    if log_level not in levels:
        raise InputError(f"unknown log level {log_level!r}; use {', '.join(levels)}",
                         field="log-level")
    app = create_app(database_url)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
