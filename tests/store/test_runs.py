"""Runs (migration 0006, :class:`oicplan.store.runs.RunStore`) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
import os
import socket
import subprocess
import sys

import pytest

from oicplan.errors import ConflictError, InputError
from oicplan.store.runs import RunStore, owner_alive, process_owner
from tests.store.test_scenarios import db_url  # noqa: F401 - the fixture

HOST = socket.gethostname()


@pytest.fixture()
def runs(db_url):  # noqa: F811
    store = RunStore(db_url)
    yield store
    store.dispose()


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_goes_queued_running_done(runs):
    run = runs.create("plan", {"scenario": "coast", "centers": 10}, dataset_version="2026.11",
                      scenario="coast", scenario_version=3, created_by="li")
    assert run["status"] == "queued" and run["progress"] == 0.0
    assert run["owner"] == process_owner() and run["started_at"] is None
    assert len(run["id"]) == 32
    started = runs.start(run["id"])
    assert started["status"] == "running" and started["started_at"] is not None
    moving = runs.progress(run["id"], 0.25, "ranking the candidates")
    assert (moving["progress"], moving["message"]) == (0.25, "ranking the candidates")
    done = runs.finish(run["id"], {"chosen": ["DEU-raunheim"], "gap": math.nan},
                       report_files=["runs/x/report.html", "runs/x/plan.xlsx"])
    assert done["status"] == "done" and done["progress"] == 1.0
    assert done["results"] == {"chosen": ["DEU-raunheim"], "gap": None}  # NaN is stored as null
    assert done["report_files"] == ["runs/x/report.html", "runs/x/plan.xlsx"]
    assert done["finished_at"] >= done["started_at"] >= done["created_at"]
    assert done["finished_at"].tzinfo is not None
    again = runs.get(run["id"])
    assert again == done
    assert (again["inputs"], again["dataset_version"], again["scenario_version"]) == (
        {"scenario": "coast", "centers": 10}, "2026.11", 3
    )


def test_fail_keeps_the_error(runs):
    run = runs.create("optimize", {})
    runs.start(run["id"])
    failed = runs.fail(run["id"], "field budget: must be positive")
    assert failed["status"] == "failed" and failed["error"] == "field budget: must be positive"


def test_cancel_a_running_run_then_the_job_sees_it_and_cannot_finish(runs):
    run = runs.create("sensitivity", {"samples": 1000})
    runs.start(run["id"])
    cancelled = runs.cancel(run["id"], "asked by li")
    assert cancelled["status"] == "cancelled" and cancelled["error"] == "asked by li"
    seen = runs.progress(run["id"], 0.9, "still going")
    assert seen["status"] == "cancelled" and seen["progress"] == 0.0  # unchanged
    with pytest.raises(ConflictError, match="is cancelled"):
        runs.finish(run["id"], {"x": 1})
    with pytest.raises(ConflictError):
        runs.cancel(run["id"])
    assert runs.get(run["id"])["results"] is None


def test_a_queued_run_can_be_cancelled_or_failed_but_a_finished_one_cannot(runs):
    queued = runs.create("ranking", {})
    assert runs.cancel(queued["id"])["status"] == "cancelled"
    with pytest.raises(ConflictError, match="cannot be started"):
        runs.start(queued["id"])
    other = runs.create("ranking", {})
    runs.start(other["id"])
    with pytest.raises(ConflictError, match="cannot be started"):
        runs.start(other["id"])
    runs.finish(other["id"], {})
    for change in (lambda: runs.fail(other["id"], "late"), lambda: runs.cancel(other["id"])):
        with pytest.raises(ConflictError, match="is done"):
            change()
    assert runs.get(other["id"])["status"] == "done"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r: r.create("report", {}), "kind"),
        (lambda r: r.create("plan", ["not", "a", "mapping"]), "inputs"),
        (lambda r: r.create("plan", {"when": dt.date(2026, 1, 1)}), "inputs"),
        (lambda r: r.get("nope"), "run_id"),
        (lambda r: r.start("nope"), "run_id"),
        (lambda r: r.progress(r.create("plan", {})["id"], 1.5), "progress"),
        (lambda r: r.list_runs(status="sleeping"), "status"),
        (lambda r: r.list_runs(kind="report"), "kind"),
        (lambda r: r.list_runs(limit=0), "limit"),
    ],
)
def test_bad_calls_name_the_field(runs, call, field):
    with pytest.raises(InputError) as caught:
        call(runs)
    assert caught.value.field == field


def test_list_newest_first_and_filtered(runs):
    first = runs.create("plan", {}, scenario="coast", created_by="li")
    second = runs.create("ranking", {}, scenario="inland", created_by="wang")
    third = runs.create("plan", {}, scenario="coast", created_by="wang")
    runs.start(third["id"])
    assert [r["id"] for r in runs.list_runs()] == [third["id"], second["id"], first["id"]]
    assert [r["id"] for r in runs.list_runs(kind="plan")] == [third["id"], first["id"]]
    assert [r["id"] for r in runs.list_runs(status="running")] == [third["id"]]
    assert [r["id"] for r in runs.list_runs(scenario="inland")] == [second["id"]]
    assert [r["id"] for r in runs.list_runs(created_by="wang", limit=1)] == [third["id"]]
    assert [r["id"] for r in runs.list_runs(limit=1, offset=1)] == [second["id"]]


# ------------------------------------------------------------- stale-run recovery


def test_owner_alive():
    assert owner_alive(process_owner()) is True
    assert owner_alive(f"{HOST}:{_dead_pid()}:abc") is False
    assert owner_alive(f"{HOST}:{os.getpid()}:another-token") is False  # restarted server
    assert owner_alive(f"{HOST}:{os.getppid()}:abc") is True
    assert owner_alive("elsewhere.example:1:abc") is None
    assert owner_alive("not an owner") is None


def test_runs_of_a_dead_server_are_failed_with_the_reason_and_the_rest_is_kept(runs):
    dead = f"{HOST}:{_dead_pid()}:0123456789ab"
    restarted = f"{HOST}:{os.getpid()}:0123456789ab"  # this pid, an earlier process
    left_running = runs.create("plan", {}, owner=dead)
    runs.start(left_running["id"], owner=dead)
    left_queued = runs.create("optimize", {}, owner=restarted)
    mine = runs.create("plan", {})
    runs.start(mine["id"])
    elsewhere = runs.create("plan", {}, owner="other-host:42:abc")
    finished = runs.create("ranking", {}, owner=dead)
    runs.finish(finished["id"], {"ok": True})
    recovered = runs.recover_stale_runs()
    assert sorted(r["id"] for r in recovered) == sorted([left_running["id"], left_queued["id"]])
    for record in recovered:
        assert record["status"] == "failed"
        assert "stopped before it ended" in record["error"]
        assert record["finished_at"] is not None
    assert runs.get(mine["id"])["status"] == "running"
    assert runs.get(elsewhere["id"])["status"] == "queued"  # recent: the other host may be alive
    assert runs.get(finished["id"])["status"] == "done"
    assert runs.recover_stale_runs() == []  # nothing left to recover


def test_runs_of_another_host_are_stale_after_a_silence(runs):
    quiet = runs.create("plan", {}, owner="other-host:42:abc")
    runs.start(quiet["id"], owner="other-host:42:abc")
    talking = runs.create("plan", {}, owner="other-host:43:abc")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert runs.recover_stale_runs(stale_after=None, now=later) == []
    runs.progress(talking["id"], 0.1)
    recovered = runs.recover_stale_runs(stale_after=3600, now=later)
    assert {r["id"] for r in recovered} == {quiet["id"], talking["id"]}
    assert "no sign of life" in recovered[0]["error"]
    fresh = runs.create("plan", {}, owner="other-host:44:abc")
    assert runs.recover_stale_runs(stale_after=3600) == []
    assert runs.get(fresh["id"])["status"] == "queued"


def test_recovery_reason_can_be_given(runs):
    run = runs.create("plan", {}, owner=f"{HOST}:{_dead_pid()}:x")
    [recovered] = runs.recover_stale_runs(reason="server restarted at 03:00")
    assert recovered["id"] == run["id"] and recovered["error"] == "server restarted at 03:00"


def test_recovery_after_a_real_restart(db_url):  # noqa: F811
    """A run started by another process that then exits is failed by the next server."""
    code = (
        "import sys; from oicplan.store.runs import RunStore; s = RunStore(sys.argv[1]); "
        "r = s.create('plan', {}); s.start(r['id']); print(r['id']); s.dispose()"
    )
    out = subprocess.run([sys.executable, "-c", code, db_url], capture_output=True, text=True,
                         check=True, env={**os.environ})
    run_id = out.stdout.strip().splitlines()[-1]
    store = RunStore(db_url)
    try:
        assert store.get(run_id)["status"] == "running"
        [recovered] = store.recover_stale_runs()
        assert recovered["id"] == run_id and recovered["status"] == "failed"
    finally:
        store.dispose()
