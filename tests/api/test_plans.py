"""REST routes of plan runs: start, plan, map, report files, events, compare; 401/403/404/409.

Two real plan runs (the built-in ``zhejiang`` scenario, without the Pareto
frontiers to keep them quick; the second with 8 centers and more weight on
innovation) are made once for the module and shared by its tests.
"""

from __future__ import annotations

import json

import pytest

from oicplan.services.runs import (
    CreateRunRequest,
    FinishRunRequest,
    StartRunRequest,
    create_run,
    finish_run,
    start_run,
)
from tests.api.conftest import PASSWORD, SECRET

WEIGHTS_B = {"innovation": 0.5}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An app, a client and its users' headers, on a module-wide SQLite database."""
    from fastapi.testclient import TestClient

    from oicplan.api import create_app
    from oicplan.services.users import AddUserRequest, add_user

    folder = tmp_path_factory.mktemp("plans")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("OICPLAN_DATABASE_URL", raising=False)
        patch.delenv("OICPLAN_DASK_SCHEDULER", raising=False)
        patch.setenv("OICPLAN_DATA_DIR", str(folder / "data"))
        url = f"sqlite:///{folder / 'plans.sqlite'}"
        for role in ("viewer", "editor", "admin"):
            add_user(AddUserRequest(database_url=url, name=f"{role}1", role=role,
                                    password=PASSWORD))
        app = create_app(url, secret=SECRET)
        with TestClient(app) as client:
            headers = {}
            for role in ("viewer", "editor", "admin"):
                token = client.post("/api/auth/token", data={
                    "username": f"{role}1", "password": PASSWORD}).json()["access_token"]
                headers[role] = {"Authorization": f"Bearer {token}"}
            yield client, headers, url


@pytest.fixture(scope="module")
def plans(served):
    """Two finished plan runs: (a, b) as the runs' JSON."""
    client, headers, _url = served
    started = []
    for body in ({"scenario": "zhejiang", "frontiers": False, "lang": "en"},
                 {"scenario": "zhejiang", "frontiers": False, "centers": 8,
                  "weights": WEIGHTS_B, "pdf": False}):
        response = client.post("/api/plans", json=body, headers=headers["editor"])
        assert response.status_code == 202, response.text
        started.append(response.json()["run"])
    assert started[0]["kind"] == "plan" and started[0]["status"] in ("queued", "running")
    runner = client.app.state.jobs
    done = [runner.wait(run["id"], timeout=600) for run in started]
    for run in done:
        assert run.status == "done", run.error
    return tuple(client.get(f"/api/runs/{run.id}", headers=headers["viewer"]).json()["run"]
                 for run in done)


def test_a_plan_run_lists_its_report_files_and_they_download(served, plans):
    client, headers, _url = served
    run, _ = plans
    assert {"plan.json", "report.html", "report.md", "plan.xlsx", "plan.docx",
            "plan.pdf"} <= set(run["report_files"])
    for name in run["report_files"]:
        response = client.get(f"/api/runs/{run['id']}/files/{name}", headers=headers["viewer"])
        assert response.status_code == 200, (name, response.text)
        assert response.headers["content-disposition"].startswith("attachment;")
        assert name in response.headers["content-disposition"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert len(response.content) > 0
    html = client.get(f"/api/runs/{run['id']}/files/report.html", headers=headers["viewer"])
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert "<html" in html.text.lower()
    stored = client.get(f"/api/runs/{run['id']}/files/plan.json", headers=headers["viewer"])
    assert stored.headers["content-type"] == "application/json"
    assert json.loads(stored.content)["sites"] == run["results"]["plan"]["sites"]
    for name, media, magic in (("plan.xlsx", "spreadsheetml", b"PK"),
                               ("plan.docx", "wordprocessingml", b"PK"),
                               ("plan.pdf", "application/pdf", b"%PDF")):
        response = client.get(f"/api/runs/{run['id']}/files/{name}", headers=headers["viewer"])
        assert media in response.headers["content-type"]
        assert response.content.startswith(magic)


def test_a_plan_run_without_pdf_has_no_pdf(served, plans):
    client, headers, _url = served
    _, run = plans
    assert "plan.pdf" not in run["report_files"] and "plan.docx" in run["report_files"]
    response = client.get(f"/api/runs/{run['id']}/files/plan.pdf", headers=headers["viewer"])
    assert response.status_code == 404


def test_the_plan_of_a_run_is_its_plan_json(served, plans):
    client, headers, _url = served
    run, _ = plans
    response = client.get(f"/api/plans/{run['id']}", headers=headers["viewer"])
    assert response.status_code == 200, response.text
    document = response.json()
    stored = client.get(f"/api/runs/{run['id']}/files/plan.json", headers=headers["viewer"])
    on_disk = json.loads(stored.content)
    assert document["scenario"] == "zhejiang"
    assert [s["site_id"] for s in document["sites"]] == [s["site_id"] for s in on_disk["sites"]]
    assert document["dataset"]["version"] == run["dataset_version"]


def test_the_map_of_a_run(served, plans):
    client, headers, _url = served
    run, _ = plans
    response = client.get(f"/api/plans/{run['id']}/map", headers=headers["viewer"])
    assert response.status_code == 200, response.text
    layers = response.json()
    plan = run["results"]["plan"]
    chosen = {s["site_id"]: s["mode"] for s in plan["sites"]}
    assert {s["site_id"]: s["mode"] for s in layers["chosen"]} == chosen
    assert len(layers["candidates"]) == plan["candidates"]
    assert {c["site_id"] for c in layers["candidates"] if c["chosen"]} == set(chosen)
    assert {c["site_id"] for c in layers["existing_centers"]} == {
        e["site_id"] for e in plan["existing_centers"]}
    zones = {c["site_id"] for c in layers["candidates"] if "zone" in c["types"]}
    assert zones and {z["site_id"] for z in layers["zones"]} == zones
    assert {c["site_id"] for c in layers["candidates"] if c["zone"]} == zones
    assert layers["rail_lines"] and all(len(line) >= 2 for line in layers["rail_lines"])
    assert {lane["site_id"] for lane in layers["sea_lanes"]} <= set(chosen)
    for point in layers["candidates"]:
        assert -90 <= point["lat"] <= 90 and -180 <= point["lon"] <= 180
        assert point["name_zh"]
    names_zh = {s["site_id"]: s["name_zh"] for s in plan["sites"] if s.get("name_zh")}
    assert {s["site_id"]: s["name_zh"] for s in layers["chosen"]
            if s["site_id"] in names_zh} == names_zh


def test_compare_two_plan_runs(served, plans):
    client, headers, _url = served
    a, b = plans
    response = client.get(f"/api/plans/compare?a={a['id']}&b={b['id']}",
                          headers=headers["viewer"])
    assert response.status_code == 200, response.text
    comparison = response.json()
    chosen_a = {s["site_id"] for s in a["results"]["plan"]["sites"]}
    chosen_b = {s["site_id"] for s in b["results"]["plan"]["sites"]}
    assert {s["site_id"] for s in comparison["entered"]} == chosen_b - chosen_a
    assert {s["site_id"] for s in comparison["left"]} == chosen_a - chosen_b
    assert {s["site_id"] for s in comparison["kept"]} == chosen_a & chosen_b
    assert comparison["a"]["centers"] == len(chosen_a) and comparison["b"]["centers"] == 8
    settings = {c["setting"]: c for c in comparison["settings"]}
    assert settings["centers"]["b"] == 8
    assert settings["weights.innovation"]["b"] > settings["weights.innovation"]["a"]

    # The ranks it gives are those of the ranking service for each run's weights.
    from oicplan.services.planning import RankRequest, rank

    rank_a = {s.site_id: s.rank for s in rank(RankRequest(scenario="zhejiang")).sites}
    rank_b = {s.site_id: s.rank
              for s in rank(RankRequest(scenario="zhejiang", weights=WEIGHTS_B)).sites}
    for site in comparison["entered"] + comparison["left"] + comparison["kept"]:
        assert (site["rank_a"], site["rank_b"]) == (rank_a[site["site_id"]],
                                                    rank_b[site["site_id"]])
    for site in comparison["entered"] + comparison["left"]:
        codes = [reason["code"] for reason in site["reasons"]]
        expected = ("rank_up" if site["rank_b"] < site["rank_a"] else "rank_down"
                    if site["rank_b"] > site["rank_a"] else "rank_same")
        assert expected in codes and "centers_changed" in codes
        assert all(reason["text"] and reason["text_zh"] for reason in site["reasons"])
    for site in comparison["left"]:
        assert site["mode_a"] and site["mode_b"] is None


def test_events_of_a_finished_run_end_at_once(served, plans):
    client, headers, _url = served
    run, _ = plans
    with client.stream("GET", f"/api/runs/{run['id']}/events",
                       headers=headers["viewer"]) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [block for block in text.split("\n\n") if block.strip()]
    assert [line for line in events[-1].splitlines() if line.startswith("event:")] == [
        "event: end"]
    data = json.loads(next(line[6:] for line in events[-1].splitlines()
                           if line.startswith("data: ")))
    assert (data["status"], data["progress"]) == ("done", 1.0)
    assert data["report_files"] == run["report_files"]


@pytest.mark.parametrize("name", [
    "secret_key", "oicplan.sqlite", "...", "%2e%2e", "%2e%2e%2fplans.sqlite",
    "..%2F..%2Fsecret_key", "plan.json%00", "report.html.", ".hidden",
])
def test_path_traversal_and_unknown_files_are_404(served, plans, name):
    client, headers, _url = served
    run, _ = plans
    response = client.get(f"/api/runs/{run['id']}/files/{name}", headers=headers["viewer"])
    assert response.status_code == 404, (name, response.status_code, response.text[:200])
    assert not response.headers.get("content-disposition")


def test_a_name_in_report_files_outside_the_folder_is_refused(served, plans):
    """Even a stored file list naming a path cannot reach outside the run's folder."""
    client, headers, url = served
    run = create_run(CreateRunRequest(database_url=url, kind="plan",
                                      inputs={"scenario": "zhejiang"})).run
    start_run(StartRunRequest(database_url=url, run_id=run.id))
    finish_run(FinishRunRequest(database_url=url, run_id=run.id, results={"x": 1},
                                report_files=["../../secret_key", "/etc/passwd", "plan.json"]))
    for name in ("..%2F..%2Fsecret_key", "%2Fetc%2Fpasswd", "plan.json"):
        response = client.get(f"/api/runs/{run.id}/files/{name}", headers=headers["viewer"])
        assert response.status_code == 404, (name, response.text)


def test_plans_of_other_runs_and_unfinished_plans(served):
    client, headers, url = served
    ranking = create_run(CreateRunRequest(database_url=url, kind="ranking", inputs={})).run
    queued = create_run(CreateRunRequest(database_url=url, kind="plan", inputs={})).run
    for path in (f"/api/plans/{ranking.id}", f"/api/plans/{ranking.id}/map",
                 "/api/plans/0123456789abcdef", "/api/plans/0123456789abcdef/map"):
        response = client.get(path, headers=headers["viewer"])
        assert response.status_code == 404, (path, response.text)
    for path in (f"/api/plans/{queued.id}", f"/api/plans/{queued.id}/map"):
        response = client.get(path, headers=headers["viewer"])
        assert response.status_code == 409, (path, response.text)
        assert "queued" in response.json()["detail"]


def test_compare_refuses_runs_that_are_not_finished_plans(served, plans):
    client, headers, url = served
    a, _ = plans
    ranking = create_run(CreateRunRequest(database_url=url, kind="ranking", inputs={})).run
    queued = create_run(CreateRunRequest(database_url=url, kind="plan", inputs={})).run
    cases = [(f"a={a['id']}&b={ranking.id}", 400), (f"a={a['id']}&b={queued.id}", 409),
             (f"a=0123456789abcdef&b={a['id']}", 404), (f"a={a['id']}", 422), ("", 422)]
    for query, code in cases:
        response = client.get(f"/api/plans/compare?{query}", headers=headers["viewer"])
        assert response.status_code == code, (query, response.text)


@pytest.mark.parametrize("body", [
    {"scenario": "../../etc/passwd"}, {"scenario": "x.yaml"}, {"centers": 0},
    {"lang": "fr"}, {"weights": {"innovation": -1}}, {"kind": "ranking"}, {"planet": "mars"},
])
def test_bad_plan_bodies_are_422_and_start_nothing(served, body):
    client, headers, _url = served
    before = len(client.get("/api/runs?limit=1000", headers=headers["viewer"]).json()["runs"])
    response = client.post("/api/plans", json=body, headers=headers["editor"])
    assert response.status_code == 422, response.text
    after = len(client.get("/api/runs?limit=1000", headers=headers["viewer"]).json()["runs"])
    assert after == before


@pytest.mark.parametrize("method,path", [
    ("post", "/api/plans"), ("get", "/api/plans/abc"), ("get", "/api/plans/abc/map"),
    ("get", "/api/plans/compare?a=x&b=y"),
])
def test_anonymous_gets_401(served, method, path):
    client, _headers, _url = served
    response = client.request(method, path, content=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 401


@pytest.mark.parametrize("content", [b"{not json", b'{"scenario": 5}', b'{"scenario": "zhejiang"}'])
def test_viewer_cannot_start_a_plan_whatever_the_body(served, content):
    client, headers, _url = served
    before = len(client.get("/api/runs?limit=1000", headers=headers["viewer"]).json()["runs"])
    response = client.post("/api/plans", content=content,
                           headers={**headers["viewer"], "Content-Type": "application/json"})
    assert response.status_code == 403
    after = len(client.get("/api/runs?limit=1000", headers=headers["viewer"]).json()["runs"])
    assert after == before
