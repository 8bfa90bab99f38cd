"""Two plan runs side by side on the scenarios page in Chromium: who enters, who leaves, why."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import sign_in

RUN_SECONDS = 600

START_PLAN = """
async (centers) => (await window.oic.api("/api/plans", { method: "POST",
  body: { scenario: "zhejiang", centers, frontiers: false, pdf: false } })).run.id
"""


def wait_done(page, run_id: str) -> None:
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        run = page.request.get(f"/api/runs/{run_id}").json()["run"]
        if run["status"] in ("done", "failed", "cancelled"):
            assert run["status"] == "done", run
            return
        time.sleep(2)
    raise AssertionError(f"plan run {run_id} did not finish in {RUN_SECONDS} s")


def names_in(page, testid: str) -> list[str]:
    return page.eval_on_selector_all(
        f"[data-testid={testid}] tbody tr a",
        "links => links.map(a => decodeURIComponent(a.pathname.split('/').pop()))")


@pytest.mark.slow
def test_two_plan_runs_compared(page):
    sign_in(page, "editor", "/scenarios")
    # Two quick plan runs (no frontiers, no PDF) started through the pages' API helper.
    fewer = page.evaluate(START_PLAN, 6)
    more = page.evaluate(START_PLAN, 10)
    wait_done(page, fewer)
    wait_done(page, more)

    page.reload()
    page.select_option("#compare-a", fewer)
    page.select_option("#compare-b", more)
    with page.expect_navigation():
        page.click("#compare-submit")
    page.wait_for_selector("[data-testid=comparison]")

    expected = page.request.get("/api/plans/compare", params={"a": fewer, "b": more})
    assert expected.ok, expected.text()
    comparison = expected.json()
    entered = [c["site_id"] for c in comparison["entered"]]
    left = [c["site_id"] for c in comparison["left"]]
    # Ten chosen sites instead of six: four more enter than leave.
    assert len(entered) - len(left) == 4
    assert sorted(names_in(page, "scenarios-entered")) == sorted(entered)
    assert sorted(names_in(page, "scenarios-left")) == sorted(left)
    # Every site that enters says why.
    reasons = page.eval_on_selector_all(
        "[data-testid=scenarios-entered] tbody tr",
        "rows => rows.map(r => r.querySelectorAll('li').length)")
    assert reasons and all(count >= 1 for count in reasons)
