"""``/api/users``: admins list, create, change and delete users; anyone sees who they are.

An admin changes a user's role or refuses their sign-in (``PATCH``, ``active:
false``) or deletes them; the last active admin cannot be demoted, disabled or
deleted (409). A user name that does not exist is 404. ``/api/users/me`` is the
signed-in user, so a user called ``me`` is reached through the list only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request, status

from oicplan.api.security import (
    Principal,
    account_check,
    api_router,
    require_admin,
    require_viewer,
)
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.users import (
    AddUserRequest,
    DeleteUserRequest,
    GetUserRequest,
    ListUsersRequest,
    NewUser,
    UpdateUserRequest,
    UserChange,
    UserRecord,
    UsersResult,
    add_user,
    delete_user,
    get_user,
    list_users,
    update_user,
)

__all__ = ["router"]

router = api_router(tags=["users"])

_NOT_PERMITTED: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    403: {"description": "the role is too low"},
}
_ONE_USER: dict[int | str, dict[str, Any]] = {
    **_NOT_PERMITTED,
    404: {"description": "no such user"},
}

UserName = Annotated[str, Path(min_length=1, max_length=200, description="the user's name")]


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


@router.get(
    "/users/{name}",
    operation_id="get_user",
    response_model=UserRecord,
    responses=_ONE_USER,
    dependencies=[Depends(require_admin)],
)
def read_user(name: UserName, settings: Annotated[ApiSettings, Depends(settings_of)]) -> UserRecord:
    """One user (admins only)."""
    return get_user(GetUserRequest(database_url=settings.database_url, name=name)).user


@router.patch(
    "/users/{name}",
    operation_id="update_user",
    response_model=UserRecord,
    responses={**_ONE_USER, 409: {"description": "it would leave no active admin"}},
    dependencies=[Depends(require_admin)],
)
def change_user(
    name: UserName,
    body: UserChange,
    request: Request,
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> UserRecord:
    """Change a user's role, or refuse (``active: false``) or allow their sign-in (admins only).

    It takes effect at once: every request is checked against the user's current
    role and state, whatever role their token or session names.
    """
    user = update_user(UpdateUserRequest(
        database_url=settings.database_url, name=name, role=body.role, active=body.active,
    )).user
    account_check(request).forget(name)
    return user


@router.delete(
    "/users/{name}",
    operation_id="delete_user",
    response_model=UserRecord,
    responses={**_ONE_USER, 409: {"description": "the only active admin"}},
    dependencies=[Depends(require_admin)],
)
def remove_user(
    name: UserName, request: Request, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> UserRecord:
    """Delete a user (admins only); the answer is the user as they were.

    What they wrote (scenario versions, panels, answers) keeps their name; their
    tokens and sessions stop working at once.
    """
    user = delete_user(DeleteUserRequest(database_url=settings.database_url, name=name)).user
    account_check(request).forget(name)
    return user
