"""KPI upload on the centers page in Chromium: a GBK file imported, a bad row named."""

from __future__ import annotations

import datetime as _dt

from oicplan.web.messages import translate
from tests.browser.conftest import sign_in

LAST_YEAR = _dt.date.today().year - 1


def upload(page, name: str, content: bytes) -> str:
    """Choose the file in the form and send it; the status line the page shows."""
    page.set_input_files("#kpi-file", files=[{"name": name, "mimeType": "text/csv",
                                               "buffer": content}])
    page.click("#kpi-upload")
    page.wait_for_function(
        "saving => !['', saving].includes(document.getElementById('kpi-status').textContent)",
        arg=translate("zh", "work.saving"))
    return page.inner_text("#kpi-status")


def kpis(page, center_id: str) -> dict:
    answer = page.request.get(f"/api/centers/{center_id}")
    assert answer.ok, answer.text()
    return {(v["year"], v["kpi"]): v["value"] for v in answer.json()["kpis"]}


def test_kpi_upload_imports_and_names_the_bad_row(page):
    sign_in(page, "editor", "/centers")
    listed = page.request.get("/api/centers").json()
    centers = listed["centers"] if isinstance(listed, dict) else listed
    center = next(c for c in centers
                  if isinstance(c.get("opening_year"), int) and c["opening_year"] < LAST_YEAR)
    center_id = center["id"]
    assert page.locator(f"#center-table tr[data-center-id='{center_id}']").count() == 1
    before = kpis(page, center_id)

    # A file from a Chinese spreadsheet, saved as GBK: imported.
    good = f"center_id,year,kpi,value,unit\n{center_id},{LAST_YEAR},patents,7,件\n"
    with page.expect_navigation():  # the page reloads after a good import
        said = upload(page, "上报.csv", good.encode("gbk"))
    assert said == translate("zh", "centers.imported", file="上报.csv", rows=1, count=1)
    assert kpis(page, center_id)[(LAST_YEAR, "patents")] == 7.0

    # 2.5 patents in row 3: refused with the file, row and field named; nothing stored.
    bad = (f"center_id,year,kpi,value,unit\n{center_id},{LAST_YEAR},talents_introduced,4,\n"
           f"{center_id},{LAST_YEAR},patents,2.5,\n")
    said = upload(page, "坏.csv", bad.encode("utf-8"))
    assert said.startswith(translate("zh", "centers.import_error", detail="坏.csv, row 3, "
                                                                         "field value: "))
    after = kpis(page, center_id)
    assert (LAST_YEAR, "talents_introduced") not in after
    assert after == {**before, (LAST_YEAR, "patents"): 7.0}
