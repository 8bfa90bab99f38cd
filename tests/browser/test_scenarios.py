"""Two people editing one stored scenario in Chromium: the later save is refused, text kept."""

from __future__ import annotations

from urllib.parse import urlsplit

from oicplan.web.messages import translate
from tests.browser.conftest import sign_in

NAME = "browser_scenario"


def append_line(page, line: str) -> str:
    """Add a YAML comment line at the end of the editor, as typed; the editor's new text."""
    page.click("#yaml-text")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n" + line)
    return page.input_value("#yaml-text")


def test_second_save_of_the_same_version_is_refused(new_context):
    first = new_context().new_page()
    sign_in(first, "editor", "/scenarios")
    first.fill("#new-scenario-name", NAME)
    first.select_option("#new-scenario-from", "zhejiang")
    with first.expect_navigation():
        first.click("#new-scenario-submit")
    assert urlsplit(first.url).query == f"name={NAME}"

    second = new_context().new_page()  # another person, signed in elsewhere
    sign_in(second, "admin", f"/scenarios?name={NAME}")

    append_line(first, "# the editor's change")
    with first.expect_navigation():
        first.click("#save-scenario")
    history = first.eval_on_selector_all("[data-testid=history] tbody tr td:first-child",
                                         "cells => cells.map(c => c.textContent.trim())")
    assert history == ["v2", "v1"]

    mine = append_line(second, "# the admin's change, made on version 1")
    second.click("#save-scenario")
    second.wait_for_function(
        "t => document.getElementById('save-status').textContent === t",
        arg=translate("zh", "scenarios.conflict"),
    )
    assert second.input_value("#yaml-text") == mine  # nothing the user typed is lost
    assert second.is_enabled("#save-scenario")

    stored = second.request.get(f"/api/scenarios/{NAME}/versions")
    assert stored.ok, stored.text()
    versions = [v["version"] for v in stored.json()["versions"]]
    assert sorted(versions) == [1, 2]  # the refused save made no version
    latest = second.request.get(f"/api/scenarios/{NAME}").json()["version"]
    assert latest["version"] == 2 and latest["yaml_text"].endswith("# the editor's change")
