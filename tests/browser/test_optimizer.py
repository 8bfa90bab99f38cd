"""An optimize run from the optimizer page in Chromium: the portfolio and its charts."""

from __future__ import annotations

import re

from oicplan.web.messages import translate
from tests.browser.conftest import sign_in

RUN_SECONDS = 600

CHART_PAINTED = """
id => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  return painted;
}
"""


def test_optimize_run_shows_portfolio_pareto_and_phasing(page, recorder):
    sign_in(page, "editor", "/optimizer")
    page.select_option("#opt-scenario", "zhejiang")
    page.fill("#opt-max-centers", "5")
    page.fill("#opt-horizon", "3")
    page.fill("#opt-points", "3")
    page.fill("#opt-time-limit", "60")
    page.click("#optimize-start")
    page.wait_for_function(
        "() => document.getElementById('optimize-status').textContent.trim()")
    page.wait_for_url(re.compile(r"/optimizer\?run="), timeout=RUN_SECONDS * 1000)
    assert page.locator("[data-testid=portfolio]").is_visible(), page.inner_text("#run-card")
    chosen = page.locator("#portfolio tbody tr")
    years = page.eval_on_selector_all("#portfolio tbody tr",
                                      "rs => rs.map(r => r.cells[3].textContent.trim())")
    new = [year for year in years if year != translate("zh", "optimizer.existing")]
    assert 1 <= len(new) <= 5  # at most 5 new centers; existing ones stay open
    horizon = {translate("zh", "optimizer.plan_year", year=year) for year in (1, 2, 3)}
    assert set(new) <= horizon  # each opens within the 3-year horizon
    # Every chosen site links to its profile.
    links = page.eval_on_selector_all("#portfolio tbody a", "as => as.map(a => a.pathname)")
    assert len(links) == chosen.count() and all(p.startswith("/sites/") for p in links)
    for chart in ("pareto-chart", "timeline-chart"):
        page.wait_for_function(f"() => document.querySelector('#{chart} canvas')")
        page.wait_for_timeout(300)
        assert page.evaluate(CHART_PAINTED, chart) > 1000, f"{chart} is blank"
    assert not recorder.page_errors
    assert not recorder.console_errors
