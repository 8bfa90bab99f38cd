"""``GET /api/health``: the server answers (no sign-in; nothing read from the database)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from oicplan.api.security import api_router

__all__ = ["Health", "router"]

router = api_router(tags=["health"])


class Health(BaseModel):
    """The server is up."""

    status: Literal["ok"] = "ok"
    version: str


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("oicplan")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


@router.get("/health", operation_id="health", response_model=Health)
def health() -> Health:
    """Whether the server answers, and its version."""
    return Health(version=_version())
