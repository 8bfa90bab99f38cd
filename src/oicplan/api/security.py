"""Bearer tokens and roles: who is calling, and may they?

A token is a JWT signed with HS256 (PyJWT) by the app's secret
(:mod:`oicplan.api.settings`), naming the user (``sub``) and role, and expiring
after ``token_minutes``. Roles are ordered viewer < editor < admin.

A route states the least role it needs with a dependency, ``require_viewer``,
``require_editor`` or ``require_admin`` (on the route or on its ``APIRouter``).
Routers made by :func:`api_router` use :class:`GuardedRoute`, which checks that
role **before** FastAPI reads and validates the body: an anonymous write gets
401 and a viewer's write 403 whatever was sent, malformed JSON included.

The web pages call the API with their session instead of a token: a request
without an ``Authorization`` header whose session cookie names a user
(:mod:`oicplan.web.session`) is that user; an unsafe one (POST, PUT, PATCH,
DELETE) must also send the session's CSRF token as ``X-CSRF-Token``, else 403.
A request with an ``Authorization`` header is judged by its token alone.

>>> token = issue_token("mei", "editor", "s" * 32, minutes=5)
>>> read_token(token, "s" * 32)
Principal(name='mei', role='editor')
>>> read_token(token, "t" * 32) is None
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, ConfigDict

from oicplan.services.users import Role
from oicplan.web.accounts import AccountCheck, account_check
from oicplan.web.session import CSRF_HEADER, SAFE_METHODS, csrf_matches, session_user

__all__ = [
    "AccountCheck",
    "ROLE_ORDER",
    "GuardedRoute",
    "Principal",
    "account_check",
    "RoleGuard",
    "api_router",
    "issue_token",
    "read_token",
    "require_admin",
    "require_editor",
    "require_viewer",
]

ROLE_ORDER: dict[str, int] = {"viewer": 0, "editor": 1, "admin": 2}
ISSUER = "oicplan"
ALGORITHM = "HS256"
_PRINCIPAL_KEY = "oicplan.principal"

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


class Principal(BaseModel):
    """The signed-in user a token names."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role


def issue_token(name: str, role: str, secret: str, minutes: int = 60) -> str:
    """A signed bearer token for ``name`` with ``role``, valid for ``minutes``."""
    import jwt

    now = _dt.datetime.now(_dt.UTC)
    claims = {
        "sub": name,
        "role": role,
        "iss": ISSUER,
        "iat": now,
        "exp": now + _dt.timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> Principal | None:
    """The principal of a valid, unexpired token signed by ``secret``; None otherwise."""
    import jwt

    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "role", "iss"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("role") not in ROLE_ORDER or not isinstance(claims.get("sub"), str):
        return None
    return Principal(name=claims["sub"], role=claims["role"])


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"}
    )


def _session_principal(request: Request) -> Principal | None:
    """The pages' session user (no ``Authorization`` header); 403 for a write without CSRF."""
    if "authorization" in request.headers:
        return None
    user = session_user(request.scope)
    if user is None:
        return None
    if request.method.upper() not in SAFE_METHODS and not csrf_matches(
        request.scope.get("session"), request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"a write with the session cookie needs the session's {CSRF_HEADER} header",
        )
    return Principal(name=user.name, role=user.role)  # type: ignore[arg-type]


def _current(request: Request, principal: Principal) -> Principal:
    """``principal`` with the user's current role; 401 when disabled or deleted since."""
    role = account_check(request).role_of(request.app.state.settings.database_url, principal.name)
    if role is None:
        raise _unauthorized(f"{principal.name} is no longer an active user; sign in again")
    if role != principal.role:
        return Principal(name=principal.name, role=role)  # type: ignore[arg-type]
    return principal


class RoleGuard:
    """A dependency that needs a user of at least ``role``; gives the principal.

    The user is the valid bearer token's, else the pages' session's (with the CSRF
    token for a write). 401 without either, or with an invalid or expired token;
    403 when the role is too low or a session's write lacks its CSRF token.
    """

    def __init__(self, role: Role) -> None:
        self.role = role

    def __repr__(self) -> str:
        return f"RoleGuard({self.role!r})"

    def authorize(self, request: Request) -> Principal:
        """Check the request's bearer token (or session) against :attr:`role`."""
        principal = request.scope.get(_PRINCIPAL_KEY)
        if principal is None:
            principal = _session_principal(request)
            if principal is not None:
                principal = _current(request, principal)
                request.scope[_PRINCIPAL_KEY] = principal
        if principal is None:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise _unauthorized("sign in first: send Authorization: Bearer <token>")
            principal = read_token(token.strip(), request.app.state.settings.secret)
            if principal is None:
                raise _unauthorized("the token is invalid or has expired; sign in again")
            principal = _current(request, principal)
            request.scope[_PRINCIPAL_KEY] = principal
        if ROLE_ORDER[principal.role] < ROLE_ORDER[self.role]:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"this needs the {self.role} role; {principal.name} is {principal.role}",
            )
        return principal  # type: ignore[no-any-return]

    def __call__(
        self, request: Request, token: Annotated[str | None, Depends(bearer)] = None
    ) -> Principal:
        # ``token`` only makes OpenAPI show the bearer scheme; the header is read above.
        return self.authorize(request)


require_viewer = RoleGuard("viewer")
require_editor = RoleGuard("editor")
require_admin = RoleGuard("admin")


def _guards(dependant: Dependant) -> Iterator[RoleGuard]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, RoleGuard):
            yield dependency.call
        yield from _guards(dependency)


class GuardedRoute(APIRoute):
    """A route that runs its :class:`RoleGuard` before FastAPI reads the body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        guards = list(_guards(self.dependant))
        if not guards:
            return handler

        async def guarded(request: Request) -> Response:
            for guard in guards:
                guard.authorize(request)
            return await handler(request)

        return guarded


def api_router(**options: Any) -> APIRouter:
    """An ``APIRouter`` whose routes check their role before the body (:class:`GuardedRoute`)."""
    return APIRouter(route_class=GuardedRoute, **options)
