"""Run use cases (``oicplan.services.runs``) against the store called directly.

Every test runs on SQLite and, with ``OICPLAN_TEST_POSTGRES_URL``, on PostgreSQL.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pydantic
import pytest

from oicplan.errors import ConflictError, InputError
from oicplan.services.runs import (
    CancelRunRequest,
    CreateRunRequest,
    FailRunRequest,
    FinishRunRequest,
    GetRunRequest,
    ListRunsRequest,
    RecoverStaleRunsRequest,
    RunProgressRequest,
    StartRunRequest,
    cancel_run,
    create_run,
    fail_run,
    finish_run,
    get_run,
    list_runs,
    recover_stale_runs,
    run_progress,
    start_run,
)
from oicplan.store.runs import RunStore
from tests.store.test_scenarios import db_url  # noqa: F401 - the fixture


@pytest.fixture()
def runs(db_url):  # noqa: F811
    store = RunStore(db_url)
    yield store
    store.dispose()


def test_a_run_through_the_services_is_the_stores(db_url, runs):  # noqa: F811
    created = create_run(CreateRunRequest(
        database_url=db_url, kind="plan", inputs={"scenario": "coast", "centers": 10},
        dataset_version="2026.11", scenario="coast", scenario_version=2, created_by="li",
    )).run
    assert created.status == "queued"
    run_id = created.id
    assert start_run(StartRunRequest(database_url=db_url, run_id=run_id)).run.status == "running"
    moving = run_progress(RunProgressRequest(database_url=db_url, run_id=run_id, progress=0.5,
                                             message="solving")).run
    assert (moving.progress, moving.message) == (0.5, "solving")
    done = finish_run(FinishRunRequest(database_url=db_url, run_id=run_id,
                                       results={"chosen": 10}, report_files=["r/plan.docx"])).run
    assert done.model_dump() == {**runs.get(run_id), "report_files": ("r/plan.docx",)}
    assert get_run(GetRunRequest(database_url=db_url, run_id=run_id)).run == done
    listed = list_runs(ListRunsRequest(database_url=db_url, status="done"))
    assert [r.id for r in listed.runs] == [r["id"] for r in runs.list_runs(status="done")]
    document = done.model_dump(mode="json")
    assert document["inputs"] == {"scenario": "coast", "centers": 10}
    assert document["finished_at"].endswith("Z")


def test_fail_and_cancel(db_url):  # noqa: F811
    one = create_run(CreateRunRequest(database_url=db_url, kind="optimize")).run
    failed = fail_run(FailRunRequest(database_url=db_url, run_id=one.id, error="infeasible"))
    assert (failed.run.status, failed.run.error) == ("failed", "infeasible")
    with pytest.raises(ConflictError):
        cancel_run(CancelRunRequest(database_url=db_url, run_id=one.id))
    two = create_run(CreateRunRequest(database_url=db_url, kind="sensitivity")).run
    assert cancel_run(CancelRunRequest(database_url=db_url, run_id=two.id)).run.status == (
        "cancelled"
    )
    with pytest.raises(ConflictError):
        finish_run(FinishRunRequest(database_url=db_url, run_id=two.id, results={}))


def test_unknown_run_and_bad_requests(db_url):  # noqa: F811
    with pytest.raises(InputError) as caught:
        get_run(GetRunRequest(database_url=db_url, run_id="0" * 32))
    assert caught.value.field == "run_id"
    with pytest.raises(pydantic.ValidationError):
        CreateRunRequest(kind="report")
    with pytest.raises(pydantic.ValidationError):
        RunProgressRequest(run_id="x", progress=1.2)
    with pytest.raises(pydantic.ValidationError):
        ListRunsRequest(status="sleeping")


def test_recover_stale_runs_after_a_restart(db_url):  # noqa: F811
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = f"{socket.gethostname()}:{child.pid}:abc"
    left = create_run(CreateRunRequest(database_url=db_url, kind="plan", owner=dead)).run
    start_run(StartRunRequest(database_url=db_url, run_id=left.id, owner=dead))
    alive = create_run(CreateRunRequest(database_url=db_url, kind="plan")).run
    recovered = recover_stale_runs(RecoverStaleRunsRequest(database_url=db_url)).runs
    assert [r.id for r in recovered] == [left.id]
    assert recovered[0].status == "failed" and "stopped before it ended" in recovered[0].error
    assert get_run(GetRunRequest(database_url=db_url, run_id=alive.id)).run.status == "queued"
    assert recover_stale_runs(RecoverStaleRunsRequest(database_url=db_url)).runs == ()
