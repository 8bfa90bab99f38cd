"""The language switch in Chromium: zh by default, English on request, remembered."""

from __future__ import annotations

from urllib.parse import urlsplit

from oicplan.web.messages import translate
from tests.browser.conftest import sign_in


def test_switch_to_english_and_back(page):
    sign_in(page, "viewer")
    # Chinese by default: the page, its script's wording and the site names.
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text("h1") == translate("zh", "dashboard.title")
    zh_first = page.inner_text("#ranking-body tr:first-child td:nth-child(2)")

    with page.expect_navigation():
        page.click("#lang-en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == translate("en", "dashboard.title")
    assert page.inner_text("#nav-map") == translate("en", "nav.map")
    en_first = page.inner_text("#ranking-body tr:first-child td:nth-child(2)")
    site_id = page.get_attribute("#ranking-body tr:first-child", "data-site-id")
    answer = page.request.get("/api/rankings", params={"scenario": "zhejiang", "top": "1"})
    row = answer.json()["sites"][0]
    assert row["site_id"] == site_id
    assert en_first == row["name"]
    if row.get("name_zh"):
        assert zh_first == row["name_zh"] != en_first

    # The script's own wording follows the page's language (oic.t).
    page.focus("[data-testid^=weight-]")
    page.keyboard.press("Home")
    page.wait_for_function(
        "() => document.getElementById('rerank-status').dataset.state === 'done'")
    ms = page.get_attribute("#rerank-status", "data-ms")
    status = page.inner_text("#rerank-status")
    assert status.startswith(translate("en", "dashboard.updated", ms=ms))

    # Remembered in the session: another page is in English too, without ?lang=.
    with page.expect_navigation():
        page.click("#nav-map")
    assert urlsplit(page.url).query == ""
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == translate("en", "map.title")

    with page.expect_navigation():
        page.click("#lang-zh")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text("h1") == translate("zh", "map.title")
    page.goto("/")
    assert page.inner_text("h1") == translate("zh", "dashboard.title")


def test_sign_in_page_in_english(page):
    page.goto("/login?lang=en")
    assert page.inner_text("h1") == translate("en", "login.title")
    assert page.inner_text("#login-submit") == translate("en", "login.submit")
    page.fill("#username", "nobody")
    page.fill("#password", "wrong")
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.inner_text("#login-error") == translate("en", "login.failed")
