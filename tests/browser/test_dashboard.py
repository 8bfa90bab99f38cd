"""The dashboard in Chromium: moving weight sliders re-ranks the candidates on screen."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import sign_in

ROWS = "#ranking-body tr"


def table_order(page, rows: int = 20) -> list[str]:
    """The site ids of the ranking table's first rows, top to bottom, read from the DOM."""
    return page.eval_on_selector_all(
        ROWS, f"rows => rows.slice(0, {rows}).map(r => r.dataset.siteId)"
    )


def slider_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#weights-form input[type=range]", "inputs => inputs.map(i => i.dataset.pillar)"
    )


def move_slider(page, pillar: str, key: str) -> None:
    """Move a pillar's slider with the keyboard, as a user does (End: its max, Home: 0)."""
    page.focus(f"#weight-{pillar}")
    page.keyboard.press(key)


def test_slider_moves_change_the_ranking(page, recorder):
    sign_in(page, "viewer")
    page.wait_for_selector(ROWS)
    before = table_order(page)
    assert len(before) == 20
    pillars = slider_ids(page)
    assert len(pillars) >= 2
    chosen = pillars[0]

    # All the weight on one pillar: this one to 1, the others to 0.
    move_slider(page, chosen, "End")
    for other in pillars[1:]:
        move_slider(page, other, "Home")
    top = page.eval_on_selector(f"#weight-{chosen}", "i => Number(i.max)")
    assert page.eval_on_selector(f"#weight-{chosen}", "i => Number(i.value)") == top > 0
    assert page.inner_text(f"#share-{chosen}") == "100%"

    # What the API answers for these weights (asked with the page's session) ...
    weights = {p: (top if p == chosen else 0.0) for p in pillars}
    answer = page.request.get(
        "/api/rankings",
        params={"scenario": "zhejiang", "weights": json.dumps(weights), "top": "20"},
    )
    assert answer.ok, answer.text()
    expected = [row["site_id"] for row in answer.json()["sites"]]
    assert expected != before, "one pillar alone should rank differently"
    # ... is what the table comes to show, read from the DOM.
    wait_for_order(page, expected)
    assert page.get_attribute("#rerank-status", "data-state") == "done"
    assert table_order(page) == expected != before
    assert not recorder.page_errors
    assert not recorder.console_errors


def wait_for_order(page, site_ids: list[str]) -> None:
    page.wait_for_function(
        "ids => Array.from(document.querySelectorAll('#ranking-body tr'))"
        ".slice(0, ids.length).map(r => r.dataset.siteId).join() === ids.join()",
        arg=site_ids,
    )


def test_reset_brings_back_the_scenario_ranking(page):
    sign_in(page, "viewer")
    page.wait_for_selector(ROWS)
    before = table_order(page)
    pillars = slider_ids(page)
    chosen = pillars[-1]
    move_slider(page, chosen, "End")
    for other in pillars[:-1]:
        move_slider(page, other, "Home")
    top = page.eval_on_selector(f"#weight-{chosen}", "i => Number(i.max)")
    weights = {p: (top if p == chosen else 0.0) for p in pillars}
    answer = page.request.get(
        "/api/rankings",
        params={"scenario": "zhejiang", "weights": json.dumps(weights), "top": "20"},
    )
    moved = [row["site_id"] for row in answer.json()["sites"]]
    assert moved != before
    wait_for_order(page, moved)
    page.click("#reset-weights")
    wait_for_order(page, before)  # the scenario's own weights again
    assert table_order(page) == before



OWN_METHOD = "topsis"  # the built-in scenario's


@pytest.mark.parametrize("method", ["vikor", "promethee2", "wsm"])
def test_each_method_offered_ranks_as_the_api_does(page, method):
    sign_in(page, "viewer")
    page.wait_for_selector(ROWS)
    offered = page.eval_on_selector_all(
        "#method-select option:not([disabled])", "os => os.map(o => o.value)")
    assert page.input_value("#method-select") == OWN_METHOD
    assert set(offered) == {OWN_METHOD, "vikor", "promethee2", "wsm"}  # all tested here
    page.select_option("#method-select", method)
    page.wait_for_function(
        "() => ['done', 'error'].includes(document.getElementById('rerank-status').dataset.state)")
    state = page.get_attribute("#rerank-status", "data-state")
    assert state == "done", page.inner_text("#rerank-status")
    answer = page.request.get("/api/rankings",
                              params={"scenario": "zhejiang", "method": method, "top": "20"})
    assert answer.ok, answer.text()
    expected = [row["site_id"] for row in answer.json()["sites"]]
    wait_for_order(page, expected)
    assert table_order(page) == expected


def test_wpm_is_shown_disabled_with_its_reason(page):
    """WPM's sum normalization refuses the scenario's zero pillar scores: the page says so."""
    sign_in(page, "viewer")
    page.wait_for_selector(ROWS)
    option = page.locator("#method-select option[value='wpm']")
    assert option.count() == 1
    assert option.get_attribute("disabled") is not None
    assert option.get_attribute("data-unavailable") == "sum"
    title = option.get_attribute("title") or ""
    assert "sum" in title and "严格为正" in title  # the reason, in Chinese
    # The page is honest: the API refuses the method for this scenario.
    answer = page.request.get("/api/rankings", params={"scenario": "zhejiang", "method": "wpm"})
    assert answer.status == 400, answer.text()
    # A disabled option cannot be chosen: the ranking stays the scenario's own.
    before = table_order(page)
    with pytest.raises(Exception, match="disabled|not enabled|Timeout"):
        page.select_option("#method-select", "wpm", timeout=2000)
    assert page.input_value("#method-select") == OWN_METHOD
    assert table_order(page) == before
