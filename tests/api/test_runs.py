"""REST routes of runs: list, get, cancel (runs are created through the service)."""

from __future__ import annotations

import pytest

from oicplan.services.runs import (
    CreateRunRequest,
    FinishRunRequest,
    create_run,
    finish_run,
)


def _run(database_url, created_by="editor1", kind="ranking", scenario="zhejiang"):
    return create_run(CreateRunRequest(
        database_url=database_url, kind=kind, inputs={"scenario": scenario},
        scenario=scenario, created_by=created_by, dataset_version="test",
    )).run


def test_list_and_get(client, auth, database_url):
    first = _run(database_url)
    second = _run(database_url, created_by="admin1", kind="plan", scenario="balanced")
    listed = client.get("/api/runs", headers=auth("viewer"))
    assert listed.status_code == 200, listed.text
    assert [run["id"] for run in listed.json()["runs"]] == [second.id, first.id]
    plans = client.get("/api/runs?kind=plan", headers=auth("viewer")).json()["runs"]
    assert [run["id"] for run in plans] == [second.id]
    mine = client.get("/api/runs?created_by=editor1&status=queued", headers=auth("viewer"))
    assert [run["id"] for run in mine.json()["runs"]] == [first.id]
    assert client.get("/api/runs?limit=1&offset=1",
                      headers=auth("viewer")).json()["runs"][0]["id"] == first.id

    one = client.get(f"/api/runs/{first.id}", headers=auth("viewer"))
    assert one.status_code == 200
    run = one.json()["run"]
    assert (run["status"], run["kind"], run["inputs"], run["created_by"]) == (
        "queued", "ranking", {"scenario": "zhejiang"}, "editor1")


def test_editor_cancels_their_run(client, auth, database_url):
    run = _run(database_url)
    response = client.post(f"/api/runs/{run.id}/cancel", headers=auth("editor"),
                           json={"reason": "wrong scenario"})
    assert response.status_code == 200, response.text
    cancelled = response.json()["run"]
    assert cancelled["status"] == "cancelled"
    assert cancelled["error"] == "cancelled by editor1: wrong scenario"


def test_cancel_without_a_body(client, auth, database_url):
    run = _run(database_url)
    response = client.post(f"/api/runs/{run.id}/cancel", headers=auth("editor"))
    assert response.status_code == 200, response.text
    assert response.json()["run"]["error"] == "cancelled by editor1"


def test_editor_cannot_cancel_another_users_run_but_admin_can(client, auth, database_url):
    run = _run(database_url, created_by="admin1")
    refused = client.post(f"/api/runs/{run.id}/cancel", headers=auth("editor"))
    assert refused.status_code == 403
    assert client.get(f"/api/runs/{run.id}",
                      headers=auth("viewer")).json()["run"]["status"] == "queued"
    other = _run(database_url, created_by="editor1")
    assert client.post(f"/api/runs/{other.id}/cancel", headers=auth("admin")).status_code == 200


def test_cancelling_an_ended_run_is_a_conflict(client, auth, database_url):
    run = _run(database_url)
    finish_run(FinishRunRequest(database_url=database_url, run_id=run.id, results={"n": 1}))
    response = client.post(f"/api/runs/{run.id}/cancel", headers=auth("editor"))
    assert response.status_code == 409, response.text
    assert "done" in response.json()["detail"]
    after = client.get(f"/api/runs/{run.id}", headers=auth("viewer")).json()["run"]
    assert after["status"] == "done" and after["results"] == {"n": 1}


@pytest.mark.parametrize("method,path", [
    ("get", "/api/runs/0123456789abcdef"), ("post", "/api/runs/0123456789abcdef/cancel"),
])
def test_unknown_run_is_404(client, auth, method, path):
    response = client.request(method, path, headers=auth("admin"))
    assert response.status_code == 404, response.text
    assert "no run" in response.json()["detail"]


@pytest.mark.parametrize("method,path", [
    ("get", "/api/runs"), ("get", "/api/runs/abc"), ("post", "/api/runs/abc/cancel"),
])
def test_anonymous_gets_401(client, method, path):
    response = client.request(method, path, content=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 401


@pytest.mark.parametrize("content", [b"{not json", b'{"reason": 5}', b"{}"])
def test_viewer_cancel_gets_403_whatever_the_body(client, auth, database_url, content):
    run = _run(database_url, created_by="viewer1")
    response = client.post(f"/api/runs/{run.id}/cancel", content=content,
                           headers={**auth("viewer"), "Content-Type": "application/json"})
    assert response.status_code == 403
    assert client.get(f"/api/runs/{run.id}",
                      headers=auth("viewer")).json()["run"]["status"] == "queued"


@pytest.mark.parametrize("content", [b"{not json", b'{"reason": 5}', b'{"why": "x"}', b"[1]"])
def test_malformed_cancel_is_422(client, auth, database_url, content):
    run = _run(database_url)
    response = client.post(f"/api/runs/{run.id}/cancel", content=content,
                           headers={**auth("editor"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("query", ["kind=moon", "status=sleeping", "limit=0", "limit=x",
                                   "offset=-1"])
def test_bad_list_query_is_422(client, auth, query):
    assert client.get(f"/api/runs?{query}", headers=auth("viewer")).status_code == 422


def test_overlong_run_id_is_422(client, auth):
    assert client.get("/api/runs/" + "a" * 65, headers=auth("viewer")).status_code == 422


# ----------------------------------------------------------- starting runs, events, files


def _runs_count(client, auth):
    return len(client.get("/api/runs?limit=1000", headers=auth("viewer")).json()["runs"])


@pytest.mark.parametrize("content", [b"{not json", b'{"kind": "moon"}',
                                     b'{"kind": "ranking", "scenario": "zhejiang"}'])
def test_starting_a_run_needs_an_editor_whatever_the_body(client, auth, content):
    anonymous = client.post("/api/runs", content=content,
                            headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 401
    viewer = client.post("/api/runs", content=content,
                         headers={**auth("viewer"), "Content-Type": "application/json"})
    assert viewer.status_code == 403
    assert _runs_count(client, auth) == 0


@pytest.mark.parametrize("body,field", [
    ({"kind": "moon"}, "kind"),
    ({"scenario": "zhejiang"}, "kind"),
    ({"kind": "ranking", "scenario": "/etc/passwd"}, "scenario"),
    ({"kind": "ranking", "scenario": "../scenarios/x.yml"}, "scenario"),
    ({"kind": "ranking", "scenario": ""}, "scenario"),
    ({"kind": "sensitivity", "samples": 5}, "samples"),
    ({"kind": "sensitivity", "samples": "many"}, "samples"),
    ({"kind": "sensitivity", "matrix": "/etc/passwd"}, "matrix"),
    ({"kind": "sensitivity", "scheduler": "tcp://evil:8786"}, "scheduler"),
    ({"kind": "optimize", "time_limit": 99999}, "time_limit"),
    ({"kind": "optimize", "costs": "/etc/shadow"}, "costs"),
    ({"kind": "optimize", "chart": "/tmp/x.svg"}, "chart"),
    ({"kind": "plan", "centers": 0}, "centers"),
    ({"kind": "plan", "weights": {"innovation": "lots"}}, "weights"),
    ({"kind": "ranking", "scenario_version": 0}, "scenario_version"),
])
def test_bad_run_bodies_are_422_naming_the_field(client, auth, body, field):
    response = client.post("/api/runs", json=body, headers=auth("editor"))
    assert response.status_code == 422, response.text
    located = [problem["loc"] for problem in response.json()["detail"]]
    assert any(field in map(str, loc) or (field == "kind" and loc[-1:] == ["body"])
               for loc in located), located
    assert _runs_count(client, auth) == 0


def test_events_follow_a_run_until_it_ends(client, auth, monkeypatch, app, tmp_path):
    import json
    import threading

    from oicplan.api import jobs

    gate = threading.Event()
    started = threading.Event()

    def task(context, job):
        context.stage(0.25, "first half")
        started.set()
        gate.wait(30)
        context.stage(0.75, "second half")
        return {"n": 2}, []

    monkeypatch.setitem(jobs._TASKS, "ranking", task)
    app.state.jobs = jobs.JobRunner(app.state.settings.database_url, tmp_path / "data",
                                    workers=1, scheduler="")
    run = client.post("/api/runs", json={"kind": "ranking"}, headers=auth("editor")).json()["run"]
    assert started.wait(30)
    events = []
    with client.stream("GET", f"/api/runs/{run['id']}/events",
                       headers=auth("viewer")) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                events.append((event, json.loads(line[6:])))
                gate.set()  # the job goes on once the first event has arrived
    assert events[0][1]["status"] == "running" and events[0][1]["message"] == "first half"
    assert events[-1][0] == "end" and events[-1][1]["status"] == "done"
    progress = [data["progress"] for _, data in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert any(data["message"] == "second half" for _, data in events)


def test_events_and_files_of_an_unknown_run_are_404(client, auth):
    for path in ("/api/runs/0123456789abcdef/events",
                 "/api/runs/0123456789abcdef/files/plan.json"):
        response = client.get(path, headers=auth("viewer"))
        assert response.status_code == 404, response.text
        assert "no run" in response.json()["detail"]


def test_a_run_without_files_has_none_to_download(client, auth, database_url):
    run = _run(database_url)
    finish_run(FinishRunRequest(database_url=database_url, run_id=run.id, results={"n": 1}))
    response = client.get(f"/api/runs/{run.id}/files/plan.json", headers=auth("viewer"))
    assert response.status_code == 404
    assert "has no file 'plan.json'" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/runs/abc/events", "/api/runs/abc/files/plan.json"])
def test_anonymous_cannot_follow_or_download(client, path):
    assert client.get(path).status_code == 401


def test_the_list_leaves_results_out_unless_asked(client, auth, database_url):
    run = _run(database_url)
    finish_run(FinishRunRequest(database_url=database_url, run_id=run.id, results={"n": 1}))
    listed = client.get("/api/runs", headers=auth("viewer")).json()["runs"]
    assert listed[0]["id"] == run.id and listed[0]["results"] is None
    assert listed[0]["status"] == "done"
    full = client.get("/api/runs?results=true", headers=auth("viewer")).json()["runs"]
    assert full[0]["results"] == {"n": 1}
    assert client.get(f"/api/runs/{run.id}",
                      headers=auth("viewer")).json()["run"]["results"] == {"n": 1}
