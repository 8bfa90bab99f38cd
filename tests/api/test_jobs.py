"""The job runner (oicplan.api.jobs): states, cancel, failures, recovery after a restart, Dask.

Jobs whose timing a test must control run a stand-in task (a gate the test
opens) in place of the real use case; the ranking jobs and the failing
scenario run the real services. The database is SQLite, and PostgreSQL when
``OICPLAN_TEST_POSTGRES_URL`` is set (``tests/api/backends.py``).
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from oicplan.api import jobs
from oicplan.services.runs import (
    CreateRunRequest,
    GetRunRequest,
    StartRunRequest,
    create_run,
    get_run,
    start_run,
)
from tests.api import backends

database_url = backends.database_url  # the fixture: SQLite, and PostgreSQL when there is one


class Gate:
    """A stand-in task: reports a stage, waits for the test to open the gate, reports another."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.opened = threading.Event()
        self.calls: list[str] = []
        self.finished: list[str] = []

    def __call__(self, context, job):
        self.calls.append(context.run_id)
        context.stage(0.1, "waiting at the gate")
        context.folder.mkdir(parents=True, exist_ok=True)
        (context.folder / "partial.txt").write_text("half done", encoding="utf-8")
        self.started.set()
        assert self.opened.wait(30), "the test never opened the gate"
        context.stage(0.5, "through the gate")  # a cancelled run stops here
        self.finished.append(context.run_id)
        return {"ok": True}, jobs.report_files(context.folder)


@pytest.fixture()
def gate(monkeypatch):
    stand_in = Gate()
    monkeypatch.setitem(jobs._TASKS, "ranking", stand_in)
    yield stand_in
    stand_in.opened.set()


@pytest.fixture()
def one_worker(app, tmp_path):
    """The app's runner with a single worker thread (so a second job waits in the queue)."""
    app.state.jobs = jobs.JobRunner(app.state.settings.database_url, tmp_path / "data",
                                    workers=1, scheduler="")
    return app.state.jobs


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _start(client, auth, **body):
    response = client.post("/api/runs", json={"kind": "ranking", "scenario": "zhejiang", **body},
                           headers=auth("editor"))
    assert response.status_code == 202, response.text
    return response.json()["run"]


def test_a_ranking_run_goes_queued_running_done(client, auth, database_url):
    response = client.post("/api/runs", json={"kind": "ranking", "scenario": "zhejiang",
                                              "method": "topsis"}, headers=auth("editor"))
    assert response.status_code == 202, response.text
    run = response.json()["run"]
    assert response.headers["location"] == f"/api/runs/{run['id']}"
    assert run["status"] in ("queued", "running")
    assert (run["kind"], run["created_by"], run["scenario"]) == ("ranking", "editor1", "zhejiang")
    assert run["dataset_version"]
    done = client.app.state.jobs.wait(run["id"], timeout=300)
    assert (done.status, done.progress, done.error) == ("done", 1.0, None)
    assert done.started_at is not None and done.finished_at >= done.started_at
    # The stored result is the ranking service's, for the same inputs.
    from oicplan.services.planning import RankRequest, rank

    expected = rank(RankRequest(scenario="zhejiang", method="topsis"))
    assert done.results["method"] == "topsis"
    assert [s["site_id"] for s in done.results["sites"][:10]] == [
        s.site_id for s in expected.sites[:10]]


def test_cancelling_a_queued_job_means_it_never_starts(client, auth, gate, one_worker):
    first = _start(client, auth)
    assert gate.started.wait(30)
    second = _start(client, auth)
    assert second["status"] == "queued"
    cancelled = client.post(f"/api/runs/{second['id']}/cancel", headers=auth("editor"))
    assert cancelled.status_code == 200, cancelled.text
    gate.opened.set()
    assert one_worker.wait(first["id"], timeout=30).status == "done"
    _wait_for(lambda: not one_worker.pending())
    after = client.get(f"/api/runs/{second['id']}", headers=auth("viewer")).json()["run"]
    assert (after["status"], after["started_at"], after["results"]) == ("cancelled", None, None)
    assert gate.calls == [first["id"]]


def test_cancelling_a_running_job_stops_it_at_its_next_stage(client, auth, gate, one_worker):
    run = _start(client, auth)
    assert gate.started.wait(30)
    running = client.get(f"/api/runs/{run['id']}", headers=auth("viewer")).json()["run"]
    assert (running["status"], running["progress"], running["message"]) == (
        "running", 0.1, "waiting at the gate")
    folder = jobs.run_folder(one_worker.data_dir, run["id"])
    assert (folder / "partial.txt").is_file()
    response = client.post(f"/api/runs/{run['id']}/cancel", headers=auth("editor"),
                           json={"reason": "wrong weights"})
    assert response.status_code == 200, response.text
    gate.opened.set()
    _wait_for(lambda: not one_worker.pending())
    after = one_worker.wait(run["id"])
    assert (after.status, after.results, after.error) == (
        "cancelled", None, "cancelled by editor1: wrong weights")
    assert gate.finished == []  # it never got past the stage after the cancel
    assert not folder.exists()  # its partial files are gone


def test_a_bad_scenario_fails_the_job_with_one_line(client, auth):
    run = _start(client, auth, scenario="no-such-scenario")
    failed = client.app.state.jobs.wait(run["id"], timeout=60)
    assert failed.status == "failed"
    assert failed.error.startswith("field scenario: unknown scenario 'no-such-scenario'")
    assert "\n" not in failed.error and "Traceback" not in failed.error
    shown = client.get(f"/api/runs/{run['id']}", headers=auth("viewer")).json()["run"]
    assert shown["error"] == failed.error


def test_an_unexpected_error_fails_the_job_without_its_details(client, auth, monkeypatch):
    def broken(context, job):
        raise RuntimeError("secret detail at /srv/oicplan/x.py")

    monkeypatch.setitem(jobs._TASKS, "ranking", broken)
    run = _start(client, auth)
    failed = client.app.state.jobs.wait(run["id"], timeout=30)
    assert failed.status == "failed"
    assert "RuntimeError" in failed.error and "server log" in failed.error
    assert "secret detail" not in failed.error


def test_a_stored_scenario_runs_at_its_latest_version(client, auth, database_url):
    from oicplan.scenario import scenario_yaml
    from oicplan.services.scenarios import SaveScenarioRequest, save_scenario

    text = scenario_yaml("balanced")
    save_scenario(SaveScenarioRequest(database_url=database_url, name="coast", yaml_text=text,
                                      author="editor1"))
    save_scenario(SaveScenarioRequest(database_url=database_url, name="coast", yaml_text=text,
                                      author="editor1", base_version=1, message="again"))
    run = _start(client, auth, scenario="coast")
    assert (run["scenario"], run["scenario_version"]) == ("coast", 2)
    done = client.app.state.jobs.wait(run["id"], timeout=300)
    assert done.status == "done", done.error
    assert done.results["scenario"] == "coast"


def test_recovery_after_a_restart_fails_the_old_servers_runs(database_url, tmp_path):
    from fastapi.testclient import TestClient

    from oicplan.api import create_app

    gone = f"{socket.gethostname()}:{os.getpid()}:0123456789ab"  # this pid, another token
    running = create_run(CreateRunRequest(database_url=database_url, kind="plan",
                                          inputs={"scenario": "zhejiang"}, owner=gone)).run
    start_run(StartRunRequest(database_url=database_url, run_id=running.id, owner=gone))
    queued = create_run(CreateRunRequest(database_url=database_url, kind="ranking",
                                         inputs={"scenario": "zhejiang"}, owner=gone)).run
    ours = create_run(CreateRunRequest(database_url=database_url, kind="ranking",
                                       inputs={"scenario": "zhejiang"})).run
    start_run(StartRunRequest(database_url=database_url, run_id=ours.id))

    app = create_app(database_url, secret="s" * 40)
    app.state.jobs = jobs.JobRunner(database_url, tmp_path / "data", workers=1, scheduler="")
    with TestClient(app):  # the lifespan runs: the new server starts
        def status(run_id):
            return get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run

        for run_id in (running.id, queued.id):
            after = status(run_id)
            assert after.status == "failed"
            assert "stopped before it ended" in after.error
        assert status(ours.id).status == "running"  # this server's own run is alive


def test_shutdown_fails_jobs_that_have_not_started(database_url, gate, tmp_path):
    runner = jobs.JobRunner(database_url, tmp_path / "data", workers=1, scheduler="")
    first = runner.submit(jobs.job_inputs({"kind": "ranking"}))
    assert gate.started.wait(30)
    second = runner.submit(jobs.job_inputs({"kind": "ranking"}))
    runner.shutdown()
    gate.opened.set()
    after_first = runner.wait(first.id, timeout=30)
    after_second = runner.wait(second.id, timeout=30)
    assert after_second.status == "failed" and "before this job started" in after_second.error
    assert after_first.status == "failed" and "server stopped" in after_first.error
    assert gate.calls == [first.id]


def test_a_job_on_a_dask_cluster(client, auth, monkeypatch, tmp_path):
    distributed = pytest.importorskip("distributed")

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv(jobs.DASK_SCHEDULER_ENV, cluster.scheduler_address)
        runner = jobs.JobRunner(client.app.state.settings.database_url, tmp_path / "data")
        assert runner.scheduler == cluster.scheduler_address
        client.app.state.jobs = runner
        try:
            run = _start(client, auth, weights={"innovation": 0.5})
            done = runner.wait(run["id"], timeout=300)
            assert done.status == "done", done.error
            assert done.results["sites"][0]["rank"] == 1
            # The task ran on the cluster: the scheduler saw its key.
            assert cluster.scheduler.task_prefixes.get("oicplan-run") is not None
        finally:
            runner.shutdown()


def test_an_unreachable_dask_scheduler_is_503_and_the_run_fails(client, auth, tmp_path):
    runner = jobs.JobRunner(client.app.state.settings.database_url, tmp_path / "data",
                            scheduler="tcp://127.0.0.1:9", connect_timeout=1)
    client.app.state.jobs = runner
    response = client.post("/api/runs", json={"kind": "ranking"}, headers=auth("editor"))
    assert response.status_code == 503, response.text
    assert "worker" in response.json()["detail"]
    failed = client.get("/api/runs?status=failed", headers=auth("viewer")).json()["runs"]
    assert len(failed) == 1 and "could not be handed to a worker" in failed[0]["error"]


def test_a_sensitivity_run_of_a_stored_scenario(client, auth, database_url):
    from oicplan.scenario import scenario_yaml
    from oicplan.services.scenarios import SaveScenarioRequest, save_scenario
    from oicplan.services.sensitivity import SensitivityRequest, sensitivity

    save_scenario(SaveScenarioRequest(database_url=database_url, name="coast",
                                      yaml_text=scenario_yaml("balanced"), author="editor1"))
    run = _start(client, auth, kind="sensitivity", scenario="coast", samples=300, seed=7)
    assert run["scenario_version"] == 1
    done = client.app.state.jobs.wait(run["id"], timeout=300)
    assert done.status == "done", done.error
    assert done.report_files == ("scenario.yaml",)  # the stored version it analysed
    # The same analysis as the built-in scenario the stored one copies, same seed.
    expected = sensitivity(SensitivityRequest(scenario="balanced", samples=300, seed=7)).document
    got = done.results["sensitivity"]
    assert got["samples"] == 300
    assert got["alternatives"] == expected["alternatives"]
    assert got["base_rank"] == expected["base_rank"]


def test_an_optimize_run_with_a_bad_limit_fails_naming_it(client, auth):
    run = _start(client, auth, kind="optimize", annual_budget=10.0)
    failed = client.app.state.jobs.wait(run["id"], timeout=120)
    assert (failed.status, failed.error) == ("failed", "field annual_budget: annual_budget "
                                                       "needs horizon")
    assert failed.report_files == ()


def test_a_run_left_running_by_a_server_process_that_exited_is_failed_on_start(
        database_url, tmp_path):
    """A real restart: another process starts a run and exits; a new app recovers it."""
    import subprocess
    import sys

    from fastapi.testclient import TestClient

    from oicplan.api import create_app

    script = (
        "import sys\n"
        "from oicplan.services.runs import CreateRunRequest, StartRunRequest, "
        "create_run, start_run\n"
        "url = sys.argv[1]\n"
        "run = create_run(CreateRunRequest(database_url=url, kind='plan', inputs={})).run\n"
        "start_run(StartRunRequest(database_url=url, run_id=run.id))\n"
        "print(run.id)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, database_url], capture_output=True,
                          text=True, timeout=120, check=True)
    run_id = done.stdout.strip().splitlines()[-1]
    before = get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run
    assert before.status == "running"  # the process is gone, the run says running
    app = create_app(database_url, secret="s" * 40)
    app.state.jobs = jobs.JobRunner(database_url, tmp_path / "data", workers=1, scheduler="")
    with TestClient(app):
        after = get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run
    assert after.status == "failed" and "start the run again" in after.error


def test_a_real_sensitivity_job_stops_between_monte_carlo_chunks(tmp_path):
    """Cancelled while its Monte Carlo runs, the job stops at the next chunk's progress."""
    from oicplan.services.runs import CancelRunRequest, cancel_run

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    runner = jobs.JobRunner(url, tmp_path / "data", workers=1, scheduler="")
    try:
        run = runner.submit(jobs.job_inputs({"kind": "sensitivity", "samples": 100_000,
                                             "seed": 1}))

        def in_monte_carlo():
            message = get_run(GetRunRequest(database_url=url, run_id=run.id)).run.message
            return bool(message and message.startswith("Monte Carlo"))

        _wait_for(in_monte_carlo, timeout=120)
        cancel_run(CancelRunRequest(database_url=url, run_id=run.id, reason="enough"))
        _wait_for(lambda: not runner.pending(), timeout=120)
        after = runner.wait(run.id)
        assert (after.status, after.results, after.error) == ("cancelled", None, "enough")
        assert after.progress < 0.95 and not after.message.startswith("storing")
    finally:
        runner.shutdown()


def test_a_stage_that_runs_long_keeps_its_heartbeat(client, auth, gate, one_worker,
                                                    monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.2)
    run = _start(client, auth)
    assert gate.started.wait(30)

    def beat():
        return get_run(GetRunRequest(database_url=one_worker.database_url,
                                     run_id=run["id"])).run

    first = beat()
    _wait_for(lambda: beat().heartbeat_at > first.heartbeat_at, timeout=10)
    later = beat()
    assert (later.status, later.progress, later.message) == (
        "running", 0.1, "waiting at the gate")  # the beat keeps the stage's progress
    gate.opened.set()
    assert one_worker.wait(run["id"], timeout=30).status == "done"


def test_a_run_stored_by_hand_runs_with_the_kind_of_its_record(database_url, tmp_path):
    """execute_run (the task a Dask worker runs) needs only the database and the run id."""
    run = create_run(CreateRunRequest(database_url=database_url, kind="ranking",
                                      inputs={"scenario": "balanced", "method": "wsm"})).run
    assert jobs.execute_run(database_url, run.id, str(tmp_path)) == "done"
    done = get_run(GetRunRequest(database_url=database_url, run_id=run.id)).run
    assert (done.results["scenario"], done.results["method"]) == ("balanced", "wsm")
    assert jobs.execute_run(database_url, run.id, str(tmp_path)) == "done"  # not run twice
    bad = create_run(CreateRunRequest(database_url=database_url, kind="ranking",
                                      inputs={"samples": 5})).run
    assert jobs.execute_run(database_url, bad.id, str(tmp_path)) == "failed"
    failed = get_run(GetRunRequest(database_url=database_url, run_id=bad.id)).run
    assert failed.error.startswith("field samples:")


def test_cancelling_a_queued_job_on_dask_cancels_its_future(client, auth, gate, tmp_path):
    distributed = pytest.importorskip("distributed")

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        runner = jobs.JobRunner(client.app.state.settings.database_url, tmp_path / "data",
                                scheduler=cluster.scheduler_address)
        client.app.state.jobs = runner
        try:
            first = _start(client, auth)
            assert gate.started.wait(60)
            second = _start(client, auth)
            future = runner._futures[second["id"]]
            response = client.post(f"/api/runs/{second['id']}/cancel", headers=auth("editor"))
            assert response.status_code == 200, response.text
            _wait_for(lambda: future.status == "cancelled", timeout=30)
            gate.opened.set()
            assert runner.wait(first["id"], timeout=60).status == "done"
            after = runner.wait(second["id"], timeout=5)
            assert (after.status, after.started_at) == ("cancelled", None)
            assert gate.calls == [first["id"]]
        finally:
            gate.opened.set()
            runner.shutdown()


def test_a_broken_stored_scenario_fails_without_naming_server_paths(database_url, tmp_path,
                                                                    monkeypatch):
    from oicplan.services import scenarios

    class Version:
        yaml_text = "name: broken\nweights: [1, 2\n"

    class Found:
        version = Version()

    monkeypatch.setattr(scenarios, "get_scenario_version", lambda request: Found())
    run = create_run(CreateRunRequest(database_url=database_url, kind="sensitivity",
                                      inputs={"scenario": "broken", "samples": 50})).run
    assert jobs.execute_run(database_url, run.id, str(tmp_path)) == "failed"
    failed = get_run(GetRunRequest(database_url=database_url, run_id=run.id)).run
    assert "scenario.yaml" in failed.error
    assert str(tmp_path) not in failed.error
    assert not jobs.run_folder(tmp_path, run.id).exists()


def test_an_optimize_run_takes_known_closures_only(client, auth):
    response = client.post("/api/runs", json={"kind": "optimize", "avoid": ["atlantis"]},
                           headers=auth("editor"))
    assert response.status_code in (400, 422), response.text
    assert "avoid" in response.text and "atlantis" in response.text
    run = _start(client, auth, kind="optimize", max_centers=2, avoid=["suez", "Yiwu-Madrid"],
                 time_limit=60)
    assert run["inputs"]["avoid"] == ["suez", "Yiwu–Madrid"]
    done = client.app.state.jobs.wait(run["id"], timeout=300)
    assert done.status == "done", done.error
    assert done.results["optimize"]["avoid"] == ["suez", "Yiwu–Madrid"]
