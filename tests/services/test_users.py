"""The users service: what ``oicplan users`` and the API's sign-in call."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.services.users import (
    AddUserRequest,
    AuthenticateRequest,
    ListUsersRequest,
    NewUser,
    add_user,
    authenticate,
    list_users,
)


@pytest.fixture()
def url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    return f"sqlite:///{tmp_path / 'users.sqlite'}"


def test_add_list_and_authenticate_agree_with_the_store(url):
    from oicplan.store.users import UserStore

    added = add_user(AddUserRequest(database_url=url, name="mei", role="admin",
                                    password="correct horse"))
    add_user(AddUserRequest(database_url=url, name="an", password="battery staple"))
    listed = list_users(ListUsersRequest(database_url=url))
    store = UserStore(url)
    try:
        direct = store.list()
    finally:
        store.dispose()
    assert [(u.name, u.role, u.active) for u in listed.users] == [
        (u.name, u.role, u.active) for u in direct
    ] == [("an", "viewer", True), ("mei", "admin", True)]
    assert added.user == listed.users[1]
    assert listed.document()[1]["name"] == "mei"
    assert "password" not in str(listed.document())

    good = authenticate(AuthenticateRequest(database_url=url, name="mei",
                                            password="correct horse"))
    bad = authenticate(AuthenticateRequest(database_url=url, name="mei", password="wrong"))
    unknown = authenticate(AuthenticateRequest(database_url=url, name="zz", password="x"))
    assert good.user == added.user
    assert bad.user is None and unknown.user is None


def test_the_password_is_not_shown_when_a_request_is_printed():
    request = AddUserRequest(name="mei", password="correct horse")
    assert "correct horse" not in repr(request)
    assert "correct horse" not in str(request.model_dump())


def test_requests_refuse_a_bad_role_and_unknown_fields():
    with pytest.raises(ValueError, match="role"):
        NewUser(name="mei", role="owner", password="correct horse")
    with pytest.raises(ValueError, match="database_url"):
        NewUser(name="mei", password="correct horse", database_url="sqlite://")


def test_a_duplicate_name_and_a_short_password_are_input_errors(url):
    add_user(AddUserRequest(database_url=url, name="mei", password="correct horse"))
    with pytest.raises(InputError, match="exists") as caught:
        add_user(AddUserRequest(database_url=url, name="mei", password="correct horse"))
    assert caught.value.field == "name"
    with pytest.raises(InputError, match="shorter than 8") as caught:
        add_user(AddUserRequest(database_url=url, name="li", password="short"))
    assert caught.value.field == "password"
