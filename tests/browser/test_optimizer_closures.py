"""Closures chosen on the optimizer page reach the optimize run and are shown with its result."""

from __future__ import annotations

import re

from tests.browser.conftest import sign_in

RUN_SECONDS = 600


def test_closed_corridors_go_with_the_run_and_are_shown(page, recorder):
    sign_in(page, "editor", "/optimizer")
    page.select_option("#opt-scenario", "zhejiang")
    page.fill("#opt-max-centers", "2")
    page.uncheck("#opt-pareto")
    page.fill("#opt-time-limit", "60")
    page.select_option("#opt-avoid", ["suez", "alashankou"])
    with page.expect_request(
            lambda r: r.url.endswith("/api/runs") and r.method == "POST") as sent:
        page.click("#optimize-start")
    body = sent.value.post_data_json
    assert body["kind"] == "optimize" and body["avoid"] == ["suez", "alashankou"]
    page.wait_for_url(re.compile(r"/optimizer\?run="), timeout=RUN_SECONDS * 1000)
    closures = page.inner_text("[data-testid=run-closures]")
    assert closures == "关闭的通道：苏伊士运河、阿拉山口"
    assert page.locator("[data-testid=portfolio]").is_visible()
    assert not recorder.page_errors
    assert not recorder.console_errors
