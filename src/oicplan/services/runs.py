"""Use cases of runs (jobs): create, start, progress, finish, fail, cancel, get, list, recover.

A run is a plan, ranking, sensitivity or optimize job of the web app, stored
with its inputs, the dataset version, status, progress, results and report files
(:mod:`oicplan.store.runs`). The job runner (in process or on Dask) creates a run,
starts it, reports progress and finishes or fails it; a user cancels it; the
server calls :func:`recover_stale_runs` when it starts so that no run of a
server that stopped stays "running". Changing a run that has ended raises
:class:`~oicplan.errors.ConflictError` (the API's 409). Every request names the
database (``database_url``, as in :mod:`oicplan.services.registry`).

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "oicplan.sqlite")
...     run = create_run(CreateRunRequest(database_url=url, kind="ranking",
...                                       inputs={"scenario": "zhejiang"})).run
...     cancelled = cancel_run(CancelRunRequest(database_url=url, run_id=run.id)).run
>>> run.status, cancelled.status
('queued', 'cancelled')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.store.runs import RunStore

__all__ = [
    "CancelRunRequest",
    "CreateRunRequest",
    "FailRunRequest",
    "FinishRunRequest",
    "GetRunRequest",
    "ListRunsRequest",
    "RecoverStaleRunsRequest",
    "RunProgressRequest",
    "RunRecord",
    "RunResult",
    "RunsRequest",
    "RunsResult",
    "StartRunRequest",
    "cancel_run",
    "create_run",
    "fail_run",
    "finish_run",
    "get_run",
    "list_runs",
    "recover_stale_runs",
    "run_progress",
    "start_run",
]

RunKind = Literal["plan", "ranking", "sensitivity", "optimize"]
RunStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class RunRecord(Result):
    """A run as stored: inputs, status, progress, results, report files and times (UTC)."""

    id: str
    kind: RunKind
    status: RunStatus
    inputs: dict[str, Any]
    scenario: str | None = None
    scenario_version: int | None = None
    dataset_version: str | None = None
    progress: float
    message: str | None = None
    results: dict[str, Any] | None = None
    report_files: tuple[str, ...] = ()
    error: str | None = None
    created_by: str | None = None
    owner: str | None = None
    heartbeat_at: _dt.datetime | None = None
    created_at: _dt.datetime
    started_at: _dt.datetime | None = None
    finished_at: _dt.datetime | None = None


class RunsRequest(Request):
    """What every run request names: the database."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; None: $OICPLAN_DATABASE_URL or the "
        "SQLite file in the user's data directory.",
    )


class CreateRunRequest(RunsRequest):
    """A new queued run: its kind, inputs (JSON), the dataset version and the scenario."""

    kind: RunKind
    inputs: dict[str, Any] = Field(default_factory=dict)
    dataset_version: str | None = None
    scenario: str | None = Field(None, description="built-in or stored scenario it runs")
    scenario_version: int | None = Field(None, ge=1, description="stored scenario's version")
    created_by: str | None = None
    owner: str | None = Field(
        None, description="server process that owns it (host:pid:token); this one if None"
    )


class _OneRun(RunsRequest):
    run_id: str = Field(min_length=1, max_length=64)


class StartRunRequest(_OneRun):
    """Mark a queued run as running."""

    owner: str | None = None


class RunProgressRequest(_OneRun):
    """A running run's progress (0-1) and what it is doing."""

    progress: float = Field(ge=0, le=1)
    message: str | None = Field(None, max_length=500)


class FinishRunRequest(_OneRun):
    """A run's results (JSON) and report files."""

    results: dict[str, Any]
    report_files: list[str] = Field(default_factory=list)


class FailRunRequest(_OneRun):
    """A run that failed, and why (shown to the user)."""

    error: str


class CancelRunRequest(_OneRun):
    """Cancel a queued or running run."""

    reason: str | None = None


class GetRunRequest(_OneRun):
    """One run."""


class ListRunsRequest(RunsRequest):
    """Runs, newest first, optionally filtered."""

    kind: RunKind | None = None
    status: RunStatus | None = None
    scenario: str | None = None
    created_by: str | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class RecoverStaleRunsRequest(RunsRequest):
    """Fail the queued and running runs of servers that are gone.

    ``stale_after``: seconds without a sign of life after which a run whose
    server cannot be checked (another host) counts as stale; None: never by age.
    """

    stale_after: float | None = Field(3600.0, gt=0)
    reason: str | None = None


class RunResult(Result):
    """One run."""

    run: RunRecord


class RunsResult(Result):
    """Several runs."""

    runs: tuple[RunRecord, ...]


@contextmanager
def _opened(database_url: str | None) -> Iterator[RunStore]:
    from oicplan.store.runs import RunStore

    store = RunStore(database_url)
    try:
        yield store
    finally:
        store.dispose()


def _one(record: dict[str, Any]) -> RunResult:
    return RunResult(run=RunRecord.model_validate(record))


def create_run(request: CreateRunRequest) -> RunResult:
    """Store a new queued run. Raises InputError for inputs that are not JSON data."""
    with _opened(request.database_url) as store:
        return _one(store.create(
            request.kind, request.inputs, dataset_version=request.dataset_version,
            scenario=request.scenario, scenario_version=request.scenario_version,
            created_by=request.created_by, owner=request.owner,
        ))


def start_run(request: StartRunRequest) -> RunResult:
    """Mark a queued run running. Raises ConflictError if it is not queued."""
    with _opened(request.database_url) as store:
        return _one(store.start(request.run_id, owner=request.owner))


def run_progress(request: RunProgressRequest) -> RunResult:
    """Record progress; a run that has ended comes back unchanged (the job should stop)."""
    with _opened(request.database_url) as store:
        return _one(store.progress(request.run_id, request.progress, request.message))


def finish_run(request: FinishRunRequest) -> RunResult:
    """Mark a run done with results and report files. Raises ConflictError if it has ended."""
    with _opened(request.database_url) as store:
        return _one(store.finish(request.run_id, request.results, request.report_files))


def fail_run(request: FailRunRequest) -> RunResult:
    """Mark a run failed with an error message. Raises ConflictError if it has ended."""
    with _opened(request.database_url) as store:
        return _one(store.fail(request.run_id, request.error))


def cancel_run(request: CancelRunRequest) -> RunResult:
    """Cancel a queued or running run. Raises ConflictError if it has ended."""
    with _opened(request.database_url) as store:
        return _one(store.cancel(request.run_id, request.reason))


def get_run(request: GetRunRequest) -> RunResult:
    """One run. Raises InputError (field ``run_id``) for an unknown id."""
    with _opened(request.database_url) as store:
        return _one(store.get(request.run_id))


def list_runs(request: ListRunsRequest) -> RunsResult:
    """Runs, newest first, of one kind, status, scenario or user if asked."""
    with _opened(request.database_url) as store:
        rows = store.list_runs(
            kind=request.kind, status=request.status, scenario=request.scenario,
            created_by=request.created_by, limit=request.limit, offset=request.offset,
        )
    return RunsResult(runs=tuple(RunRecord.model_validate(row) for row in rows))


def recover_stale_runs(request: RecoverStaleRunsRequest) -> RunsResult:
    """Mark as failed the runs left queued or running by a server that is gone.

    See :meth:`oicplan.store.runs.RunStore.recover_stale_runs` for the rule.
    Returns the runs it marked failed.
    """
    with _opened(request.database_url) as store:
        rows = store.recover_stale_runs(stale_after=request.stale_after, reason=request.reason)
    return RunsResult(runs=tuple(RunRecord.model_validate(row) for row in rows))
