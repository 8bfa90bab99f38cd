"""The map page and a site's profile in Chromium: drawn from this server only, no errors."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.conftest import sign_in

MAP_SECONDS = 300  # the first map of a scenario without a plan run makes its plan

# Pixels of the map's canvas that are not blank (ECharts draws on a transparent canvas).
PAINTED = """
() => {
  const canvases = Array.from(document.querySelectorAll('#map-chart canvas'));
  let painted = 0, total = 0;
  for (const canvas of canvases) {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    total += canvas.width * canvas.height;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  }
  return { canvases: canvases.length, painted, total };
}
"""


def test_map_draws_from_localhost_only(page, recorder):
    sign_in(page, "viewer", "/map")
    page.wait_for_function(
        "() => ['done', 'error'].includes(document.getElementById('map-status').dataset.state)",
        timeout=MAP_SECONDS * 1000,
    )
    assert page.get_attribute("#map-status", "data-state") == "done", page.inner_text(
        "#map-status")
    page.wait_for_timeout(500)  # the frame after setOption
    canvas = page.evaluate(PAINTED)
    assert canvas["canvases"] >= 1
    box = page.locator("#map-chart canvas").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert canvas["painted"] > 0.05 * canvas["total"], canvas  # countries and sites drawn

    # The shapes and the layers came from this server; nothing from anywhere else.
    paths = {urlsplit(url).path for url in recorder.requests}
    assert "/static/vendor/countries-50m.json" in paths
    assert "/static/vendor/echarts.min.js" in paths
    assert any(p == "/map/layers" or (p.startswith("/api/plans/") and p.endswith("/map"))
               for p in paths), paths
    assert not recorder.foreign_requests()
    assert not recorder.page_errors
    assert not recorder.console_errors


def test_site_profile_from_the_dashboard(page, recorder):
    sign_in(page, "viewer")
    first = page.locator("#ranking-body tr").first
    site_id = first.get_attribute("data-site-id")
    shown = first.locator("td").nth(1).inner_text()
    with page.expect_navigation():
        first.locator("a").click()
    assert urlsplit(page.url).path == f"/sites/{site_id}"
    assert page.get_attribute("#site-name", "data-site-id") == site_id
    assert page.inner_text("#site-name").startswith(shown)
    assert page.locator("#site-pillars tbody tr").count() >= 2
    assert not recorder.page_errors
    assert not recorder.console_errors


def test_unknown_site_is_a_page_not_a_traceback(page):
    sign_in(page, "viewer")
    answer = page.goto("/sites/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert answer.status == 404
    assert "<img src=x onerror=alert(1)>" in page.inner_text("main")  # the id, as text
    assert page.locator("main img").count() == 0
    assert "Traceback" not in page.content()
