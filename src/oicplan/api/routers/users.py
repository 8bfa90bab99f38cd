"""``/api/users``: admins list and create users; anyone signed in sees who they are."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, status

from oicplan.api.security import Principal, api_router, require_admin, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.users import (
    AddUserRequest,
    ListUsersRequest,
    NewUser,
    UserRecord,
    UsersResult,
    add_user,
    list_users,
)

__all__ = ["router"]

router = api_router(tags=["users"])

_NOT_PERMITTED: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    403: {"description": "the role is too low"},
}


@router.get(
    "/users",
    operation_id="list_users",
    response_model=UsersResult,
    responses=_NOT_PERMITTED,
    dependencies=[Depends(require_admin)],
)
def get_users(settings: Annotated[ApiSettings, Depends(settings_of)]) -> UsersResult:
    """Every user, sorted by name (admins only)."""
    return list_users(ListUsersRequest(database_url=settings.database_url))


@router.post(
    "/users",
    operation_id="create_user",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRecord,
    responses={**_NOT_PERMITTED, 400: {"description": "bad name or password"},
               409: {"description": "the name is taken"}},
    dependencies=[Depends(require_admin)],
)
def create_user(
    body: NewUser, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> UserRecord:
    """Create a user (admins only)."""
    request = AddUserRequest(
        database_url=settings.database_url,
        name=body.name,
        role=body.role,
        password=body.password,
    )
    return add_user(request).user


@router.get(
    "/users/me",
    operation_id="read_current_user",
    response_model=Principal,
    responses={401: {"description": "not signed in"}},
)
def current_user(principal: Annotated[Principal, Depends(require_viewer)]) -> Principal:
    """The signed-in user's name and role."""
    return principal
