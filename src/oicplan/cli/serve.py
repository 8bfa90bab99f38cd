"""Command ``oicplan serve``: run the REST API (and, later, the pages) with uvicorn.

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
    """Serve the REST API (/api/...) with uvicorn until Ctrl+C.

    Sign in with a user made by 'oicplan users add'. Tokens are signed with
    OICPLAN_SECRET_KEY, or with a secret generated on first start into the data
    folder (OICPLAN_DATA_DIR). docs/api.md lists the endpoints.

    Examples: oicplan serve ; oicplan serve --port 8080 ;
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
