"""``POST /api/auth/token``: sign in with a user name and password, get a bearer token.

The body is an OAuth2 password form (``application/x-www-form-urlencoded``:
``username``, ``password``). Failed sign-ins are limited per user name and
client (:class:`oicplan.api.limits.LoginLimiter`): past the limit the answer is
429 with ``Retry-After``, whatever the password.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from oicplan.api.security import api_router, issue_token
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.users import AuthenticateRequest, Role, authenticate

__all__ = ["Token", "router"]

router = api_router(tags=["auth"])

_MAX_NAME = 200
_MAX_PASSWORD = 1024


class Token(BaseModel):
    """A bearer token: send it as ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    name: str
    role: Role


@router.post(
    "/auth/token",
    operation_id="create_token",
    response_model=Token,
    responses={401: {"description": "wrong name or password"}, 429: {"description": "wait"}},
)
def create_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> Token:
    """Sign in: a bearer token for a user name and password (OAuth2 password form)."""
    client = request.client.host if request.client else "unknown"
    name = form.username
    wait = settings.limiter.retry_after(name, client)
    if wait is not None:
        seconds = math.ceil(wait)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"too many failed sign-ins; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
    user = None
    if len(name) <= _MAX_NAME and len(form.password) <= _MAX_PASSWORD:
        user = authenticate(
            AuthenticateRequest(
                database_url=settings.database_url, name=name, password=form.password
            )
        ).user
    if user is None:
        settings.limiter.failed(name, client)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings.limiter.succeeded(name, client)
    token = issue_token(user.name, user.role, settings.secret, settings.token_minutes)
    return Token(
        access_token=token,
        expires_in=settings.token_minutes * 60,
        name=user.name,
        role=user.role,
    )
