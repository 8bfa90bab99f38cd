"""REST routes of the registry of centers: list, add, show, site, target, KPI upload, alerts.

Run on SQLite and on PostgreSQL (``tests/api/backends.py``). The registry seeds
the real centers of the snapshot; the checks compare the API with the registry
read directly (:class:`oicplan.store.Registry`) and with the import rules of
``oicplan centers import-kpis``.
"""

from __future__ import annotations

import datetime as _dt
import io

import pytest

from oicplan.store import Registry
from tests.api.backends import database_url  # noqa: F401  (SQLite and PostgreSQL)

LAB = {"name": "Zhejiang-Hungary Joint Lab", "iso3": "hun", "mode": "joint_lab",
       "opening_year": 2019, "host_city": "Budapest"}
LAST_YEAR = _dt.date.today().year - 1


def _add_lab(client, auth):
    response = client.post("/api/centers", headers=auth("editor"), json=LAB)
    assert response.status_code == 201, response.text
    return response.json()["center"]["id"]


def _upload(client, auth, content: bytes, name="kpis.csv", role="editor"):
    return client.post("/api/centers/kpis", headers=auth(role),
                       files={"file": (name, content, "text/csv")})


def _kpis(client, auth, center_id):
    response = client.get(f"/api/centers/{center_id}", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    return {(v["year"], v["kpi"]): v["value"] for v in response.json()["kpis"]}


def test_list_is_the_registry(client, auth, database_url):  # noqa: F811
    response = client.get("/api/centers", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    registry = Registry(database_url)
    try:
        expected = [c["id"] for c in registry.list_centers()]
        in_usa = [c["id"] for c in registry.list_centers(iso3="USA")]
    finally:
        registry.dispose()
    assert [c["id"] for c in response.json()["centers"]] == expected and len(expected) > 5
    filtered = client.get("/api/centers", params={"iso3": "usa"}, headers=auth("viewer"))
    assert [c["id"] for c in filtered.json()["centers"]] == in_usa and in_usa


def test_add_show_and_link_a_center(client, auth):
    center_id = _add_lab(client, auth)
    assert center_id == "zhejiang-hungary-joint-lab"
    shown = client.get(f"/api/centers/{center_id}", headers=auth("viewer"))
    assert shown.status_code == 200
    body = shown.json()
    assert (body["center"]["iso3"], body["center"]["opening_year"], body["kpis"],
            body["targets"]) == ("HUN", 2019, [], [])

    linked = client.put(f"/api/centers/{center_id}/site", headers=auth("editor"),
                        json={"site_id": "HUN-budapest"})
    assert linked.status_code == 200 and linked.json()["center"]["site_id"] == "HUN-budapest"
    abroad = client.put(f"/api/centers/{center_id}/site", headers=auth("editor"),
                        json={"site_id": "RUS-moscow"})
    assert abroad.status_code == 400 and abroad.json()["field"] == "site_id"
    cleared = client.put(f"/api/centers/{center_id}/site", headers=auth("editor"),
                         json={"site_id": None})
    assert cleared.status_code == 200 and cleared.json()["center"]["site_id"] is None

    again = client.post("/api/centers", headers=auth("editor"), json=LAB)
    assert again.status_code == 400 and again.json()["field"] == "id"


@pytest.mark.parametrize(("change", "field"), [
    ({"iso3": "XXX"}, "iso3"), ({"mode": "embassy"}, "mode"), ({"id": "Bad Id"}, "id"),
    ({"name": " "}, "name"),
])
def test_a_bad_center_names_the_field(client, auth, change, field):
    response = client.post("/api/centers", headers=auth("editor"), json={**LAB, **change})
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


def test_targets(client, auth):
    center_id = _add_lab(client, auth)
    url = f"/api/centers/{center_id}/targets"
    stored = client.put(url, headers=auth("editor"), json={"kpi": "patents", "target": 10})
    assert stored.status_code == 200, stored.text
    assert stored.json() == {"center_id": center_id, "kpi": "patents", "year": None,
                             "target": 10.0}
    yearly = client.put(url, headers=auth("admin"),
                        json={"kpi": "patents", "target": 12, "year": LAST_YEAR})
    assert yearly.status_code == 200
    targets = client.get(f"/api/centers/{center_id}", headers=auth("viewer")).json()["targets"]
    assert sorted((t["year"] or 0, t["target"]) for t in targets) == [(0, 10.0),
                                                                      (LAST_YEAR, 12.0)]
    for body, field in (({"kpi": "smiles", "target": 1}, "kpi"),
                        ({"kpi": "patents", "target": -1}, "target"),
                        ({"kpi": "patents", "target": 1, "year": 2010}, "year")):
        refused = client.put(url, headers=auth("editor"), json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["field"] == field


def test_unknown_center_is_404(client, auth):
    assert client.get("/api/centers/no-such-center", headers=auth("viewer")).status_code == 404
    site = client.put("/api/centers/no-such-center/site", headers=auth("editor"),
                      json={"site_id": "HUN-budapest"})
    assert site.status_code == 404 and site.json()["field"] == "center_id"
    target = client.put("/api/centers/no-such-center/targets", headers=auth("editor"),
                        json={"kpi": "patents", "target": 1})
    assert target.status_code == 404


CSV = f"center_id,year,kpi,value,unit\nzhejiang-hungary-joint-lab,{LAST_YEAR},patents,7,件\n" \
      f"zhejiang-hungary-joint-lab,{LAST_YEAR},revenue,\"1,250.5\",万元\n"


@pytest.mark.parametrize("encoded", [
    CSV.encode("utf-8"),
    CSV.encode("utf-8-sig"),
    CSV.encode("gbk"),
    CSV.encode("gb18030"),
    CSV.replace(",", "\t").replace('"1\t250.5"', "1250.5").encode("utf-16"),  # Excel Unicode text
], ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16-tabs"])
def test_kpi_upload_in_every_encoding(client, auth, encoded):
    center_id = _add_lab(client, auth)
    response = _upload(client, auth, encoded)
    assert response.status_code == 200, response.text
    assert response.json() == {"file": "kpis.csv", "rows": 2, "centers": [center_id]}
    assert _kpis(client, auth, center_id) == {(LAST_YEAR, "patents"): 7.0,
                                              (LAST_YEAR, "revenue"): 1250.5}


def test_kpi_upload_xlsx(client, auth):
    from openpyxl import Workbook

    center_id = _add_lab(client, auth)
    book = Workbook()
    sheet = book.active
    sheet.append(["center_id", "year", "kpi", "value", "unit"])
    sheet.append([center_id, LAST_YEAR, "talents_introduced", 4, "人"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, auth, buffer.getvalue(), name="kpis.xlsx")
    assert response.status_code == 200, response.text
    assert _kpis(client, auth, center_id) == {(LAST_YEAR, "talents_introduced"): 4.0}


@pytest.mark.parametrize(("content", "row", "field"), [
    (f"center_id,year,kpi,value,unit\nzhejiang-hungary-joint-lab,{LAST_YEAR},patents,7,\n"
     f"zhejiang-hungary-joint-lab,{LAST_YEAR},patents,2.5,\n", 3, "value"),  # 2.5 patents
    (f"center_id,year,kpi,value,unit\nzhejiang-hungary-joint-lab,{LAST_YEAR},patents,7,\n"
     f"nobody,{LAST_YEAR},patents,1,\n", 3, "center_id"),
    ("center_id,year,kpi,value,unit\nzhejiang-hungary-joint-lab,2015,patents,7,\n", 2, "year"),
    ("center_id,year,kpi,unit\n", 1, "value"),
])
def test_a_bad_row_names_file_row_and_field_and_stores_nothing(client, auth, content, row,
                                                                field):
    center_id = _add_lab(client, auth)
    response = _upload(client, auth, content.encode(), name="上报.csv")
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["field"] == field
    assert body["detail"].startswith(f"上报.csv, row {row}, field {field}: ")
    assert "/tmp" not in body["detail"]  # the server's temporary file is not shown
    assert _kpis(client, auth, center_id) == {}


@pytest.mark.parametrize(("content", "name", "needle"), [
    (b"PK\x03\x04\x00\x00\x00binary\x00\x00", "kpis.csv", "not a text file"),
    (b"\x81\x30\x81", "kpis.csv", "not a text file"),  # not UTF-8, not GB18030
    (b"center_id,year\n", "kpis.json", "use a .csv or .xlsx file"),
    (b"not a workbook", "kpis.xlsx", "cannot read as Excel"),
    (b"", "kpis.csv", "the file is empty"),
])
def test_an_unreadable_upload_is_400(client, auth, content, name, needle):
    response = _upload(client, auth, content, name=name)
    assert response.status_code == 400, response.text
    assert needle in response.json()["detail"]
    assert response.json()["detail"].startswith(name)


def test_an_oversized_upload_is_413_and_stores_nothing(client, auth):
    from oicplan.api.routers.centers import MAX_KPI_UPLOAD

    center_id = _add_lab(client, auth)
    row = f"{center_id},{LAST_YEAR},patents,1,\n"
    big = ("center_id,year,kpi,value,unit\n" + row * (MAX_KPI_UPLOAD // len(row) + 10)).encode()
    response = _upload(client, auth, big)
    assert response.status_code == 413, response.text[:200]
    assert _kpis(client, auth, center_id) == {}


def test_upload_needs_an_editor_before_the_body_is_read(client, auth):
    anonymous = client.post("/api/centers/kpis", files={"file": ("k.csv", b"x", "text/csv")})
    assert anonymous.status_code == 401
    viewer = client.post("/api/centers/kpis", headers=auth("viewer"), content=b"garbage",
                         )
    assert viewer.status_code == 403
    missing = client.post("/api/centers/kpis", headers=auth("editor"), content=b"garbage")
    assert missing.status_code == 422


def test_alerts_turn_red_below_target(client, auth):
    center_id = _add_lab(client, auth)
    url = f"/api/centers/{center_id}/targets"
    assert client.put(url, headers=auth("editor"),
                      json={"kpi": "patents", "target": 10}).status_code == 200
    rows = "".join(f"{center_id},{year},patents,3,\n" for year in (LAST_YEAR - 1, LAST_YEAR))
    assert _upload(client, auth, ("center_id,year,kpi,value,unit\n" + rows).encode()
                   ).status_code == 200
    response = client.get("/api/centers/alerts", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    lights = {c["center_id"]: c for c in response.json()["centers"]}
    assert lights[center_id]["light"] == "red"
    assert any(a["kind"] == "kpi_below_target" or a["kpi"] == "patents"
               for a in lights[center_id]["alerts"])
    lenient = client.get("/api/centers/alerts", params={"years": 3}, headers=auth("viewer"))
    lights = {c["center_id"]: c["light"] for c in lenient.json()["centers"]}
    assert lights[center_id] != "red"  # two years below target are not three
    bad = client.get("/api/centers/alerts", params={"years": 0}, headers=auth("viewer"))
    assert bad.status_code == 422


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/centers", b"{not json"),
    ("post", "/api/centers", b'{"name": 5, "iso3": "HUN", "mode": "joint_lab"}'),
    ("post", "/api/centers", b'{"name": "x", "iso3": "HUN", "mode": "joint_lab", "as_of": "1"}'),
    ("post", "/api/centers", b'{"name": "x", "iso3": "HUNGARY", "mode": "joint_lab"}'),
    ("put", "/api/centers/zhejiang-hungary-joint-lab/site", b"[]"),
    ("put", "/api/centers/zhejiang-hungary-joint-lab/targets", b'{"kpi": "patents"}'),
    ("put", "/api/centers/zhejiang-hungary-joint-lab/targets",
     b'{"kpi": "patents", "target": "ten"}'),
    ("put", "/api/centers/zhejiang-hungary-joint-lab/targets",
     b'{"kpi": "patents", "target": Infinity}'),
])
def test_malformed_bodies_are_422(client, auth, method, path, body):
    _add_lab(client, auth)
    response = client.request(method, path, content=body,
                              headers={**auth("editor"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    shown = client.get("/api/centers/zhejiang-hungary-joint-lab", headers=auth("viewer")).json()
    assert shown["targets"] == [] and shown["center"]["site_id"] is None
