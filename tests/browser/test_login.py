"""Signing in and out in Chromium: the form, a wrong password, the session cookie."""

from __future__ import annotations

from urllib.parse import urlsplit

from oicplan.web.messages import translate
from tests.browser.conftest import PASSWORD, sign_in


def test_anonymous_goes_to_sign_in_and_back(page):
    page.goto("/map")
    assert urlsplit(page.url).path == "/login"
    page.fill("#username", "viewer1")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    assert urlsplit(page.url).path == "/map"  # back where the user wanted to go
    whoami = page.inner_text("[data-testid=whoami]")
    assert whoami == translate("zh", "nav.signed_in_as", name="viewer1",
                               role=translate("zh", "role.viewer"))


def test_wrong_password_is_refused(page, context):
    page.goto("/login")
    page.fill("#username", "editor1")
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.inner_text("#login-error") == translate("zh", "login.failed")
    assert not [c for c in context.cookies() if c["name"] == "oicplan_session"
                and "editor1" in c["value"]]
    page.goto("/")
    assert urlsplit(page.url).path == "/login"  # still not signed in


def test_session_cookie_flags_and_sign_out(page, context):
    sign_in(page, "editor")
    cookie = next(c for c in context.cookies() if c["name"] == "oicplan_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # not readable by scripts
    with page.expect_navigation():
        page.click("#logout")
    assert urlsplit(page.url).path == "/login"
    assert page.inner_text("#login-notice") == translate("zh", "login.signed_out")
    page.goto("/")
    assert urlsplit(page.url).path == "/login"
