"""Wording in both languages, the language switch, escaping, headers and offline assets."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, login

WEB = Path(__file__).resolve().parents[2] / "src" / "oicplan" / "web"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    from oicplan.web.messages import LANGUAGES, MESSAGES

    assert set(MESSAGES) == set(LANGUAGES)
    assert set(MESSAGES["zh"]) == set(MESSAGES["en"])
    for key, chinese in MESSAGES["zh"].items():
        assert _fields(chinese) == _fields(MESSAGES["en"][key]), key
        assert chinese.strip() and MESSAGES["en"][key].strip(), key


def test_every_key_the_templates_and_scripts_use_is_in_the_catalog():
    from oicplan.web.messages import MESSAGES

    used: set[str] = set()
    for path in [*(WEB / "templates").glob("*.html"), *(WEB / "static" / "js").glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        # Whole keys only: t("run.status." + status) builds its key at run time.
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""", text))
    assert used, "no t('...') call found"
    assert used <= set(MESSAGES["zh"]), sorted(used - set(MESSAGES["zh"]))


def test_no_template_style_or_script_loads_anything_from_another_site():
    own = [*(WEB / "templates").rglob("*"), *(WEB / "static").rglob("*")]
    own = [path for path in own if path.is_file() and "vendor" not in path.parts]
    assert any(path.suffix == ".js" for path in own) and any(path.suffix == ".html" for path in own)
    for path in own:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)\b(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), path
        assert "@import" not in text and "@font-face" not in text, path
    # Scripts and styles a template loads are the app's own (/static/...).
    for path in (WEB / "templates").glob("*.html"):
        for target in re.findall(r"""(?:src|href)=["']([^"'{]+)["']""", path.read_text("utf-8")):
            assert target.startswith(("/", "?", "data:")), (path.name, target)


def test_chinese_is_the_default_and_english_is_remembered(client):
    page = client.get("/login")
    assert '<html lang="zh-CN">' in page.text
    assert "登录" in page.text
    english = client.get("/login", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    login(client, "viewer1")
    dashboard = client.get("/")
    assert '<html lang="en">' in dashboard.text  # remembered in the session across sign-in
    assert "Dashboard" in dashboard.text and "排名总览" not in dashboard.text
    back = client.get("/map", params={"lang": "zh"})
    assert "地图" in back.text and '<html lang="zh-CN">' in back.text
    assert '<html lang="zh-CN">' in client.get("/").text
    assert '<html lang="zh-CN">' in client.get("/", params={"lang": "klingon"}).text


def test_every_page_has_a_language_switch(client, signed_in):
    signed_in("viewer")
    for path in ("/", "/map"):
        text = client.get(path).text
        assert 'data-testid="language-switch"' in text
        assert f'href="{path}?lang=en"' in text and f'href="{path}?lang=zh"' in text


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_every_page_answers_a_signed_in_user(client, signed_in, role):
    signed_in(role)
    first = client.get("/api/rankings", params={"top": 1}).json()["sites"][0]["site_id"]
    for path in ("/", "/map", f"/sites/{first}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


def test_user_supplied_text_is_escaped(client, database_url):
    from oicplan.services.users import AddUserRequest, add_user

    evil = "<script>alert('x')</script>"
    add_user(AddUserRequest(database_url=database_url, name=evil, role="viewer",
                            password=PASSWORD))
    assert login(client, evil).status_code == 303
    page = client.get("/map").text
    assert evil not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    # A name that fails to sign in is shown back in the form, escaped.
    client.cookies.clear()
    failed = login(client, '"><script>x()</script>', "wrong password")
    assert "<script>x()" not in failed.text
    # An unknown site id in the address comes back escaped on the 404 page.
    login(client, "viewer1")
    missing = client.get("/sites/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert missing.status_code == 404
    assert "<script>alert(1)" not in missing.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in missing.text


def test_unknown_pages_are_html_404_and_api_errors_stay_json(client, signed_in):
    signed_in("viewer")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_the_shared_script_and_style_are_served(client):
    for path, kind in (("/static/js/app.js", "javascript"), ("/static/css/app.css", "css")):
        response = client.get(path)
        assert response.status_code == 200 and kind in response.headers["content-type"]


def test_the_pages_are_not_in_the_api_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert all(path.startswith("/api/") for path in paths)
