"""``/api/runs``: the web app's jobs (plan, ranking, sensitivity, optimize).

Editors start runs (``POST /api/runs``: 202 with the queued run; the job runner,
:mod:`oicplan.api.jobs`, runs it in the background) and cancel their own runs,
admins anyone's; viewers list and read runs, follow one's progress as
Server-Sent Events (``/events``) and download its report files (``/files/{name}``:
only the names in its ``report_files``). Cancelling a run that has ended is a
conflict (409); an unknown id is 404. The answers are the service's results
(:class:`~oicplan.services.runs.RunResult`, :class:`~oicplan.services.runs.RunsResult`).
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Body, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field

from oicplan.api.jobs import JobRunner, JobsUnavailable, run_folder, runner_of
from oicplan.api.security import Principal, api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.jobs import JobInputs
from oicplan.services.runs import (
    CancelRunRequest,
    GetRunRequest,
    ListRunsRequest,
    RunKind,
    RunRecord,
    RunResult,
    RunsResult,
    RunStatus,
    cancel_run,
    get_run,
    list_runs,
)

__all__ = [
    "EVENT_POLL_SECONDS", "MEDIA_TYPES", "STARTED_RESPONSES", "CancelRun", "router", "start_job",
]

EVENT_POLL_SECONDS = 0.5
"""How often the event stream reads the run (a change is sent at most this late)."""

MEDIA_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".yaml": "application/yaml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
"""Media types of the report files (others: guessed, else application/octet-stream)."""

_FINAL = ("done", "failed", "cancelled")

router = api_router(tags=["runs"])

_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such run"},
}

RunId = Annotated[str, Path(min_length=1, max_length=64, description="the run's id")]
STARTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "the run, queued (Location: its URL)"},
    400: {"description": "inputs the job cannot use (the field is named)"},
    401: {"description": "not signed in"},
    403: {"description": "the role is too low (editors start runs)"},
    503: {"description": "no worker can take the job (the Dask scheduler is unreachable)"},
}


class CancelRun(BaseModel):
    """Why the run is cancelled (optional; shown with the run)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=300)


@router.get(
    "/runs",
    operation_id="list_runs",
    response_model=RunsResult,
    responses={401: _READ[401]},
    dependencies=[Depends(require_viewer)],
)
def get_runs(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    kind: Annotated[RunKind | None, Query(description="only runs of this kind")] = None,
    run_status: Annotated[
        RunStatus | None, Query(alias="status", description="only runs in this status")
    ] = None,
    scenario: Annotated[str | None, Query(max_length=120, description="only this scenario")] = None,
    created_by: Annotated[str | None, Query(max_length=80, description="only this user's")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    results: Annotated[bool, Query(
        description="include each run's results (a plan run's are some 250 kB); "
        "default: results are null in the list (read them with GET /api/runs/{run_id})",
    )] = False,
) -> RunsResult:
    """Runs, newest first, optionally of one kind, status, scenario or user."""
    listed = list_runs(ListRunsRequest(
        database_url=settings.database_url, kind=kind, status=run_status, scenario=scenario,
        created_by=created_by, limit=limit, offset=offset,
    ))
    if results:
        return listed
    return RunsResult(runs=tuple(run.model_copy(update={"results": None}) for run in listed.runs))


def start_job(
    job: Any, principal: Principal, runner: JobRunner, response: Response
) -> RunResult:
    """Hand ``job`` to the runner as ``principal``; 202 with the run and its Location."""
    try:
        run = runner.submit(job, created_by=principal.name)
    except JobsUnavailable as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(error)) from None
    response.status_code = status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/api/runs/{run.id}"
    return RunResult(run=run)


@router.post(
    "/runs",
    operation_id="start_run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunResult,
    responses=STARTED_RESPONSES,
)
def post_run(
    job: Annotated[JobInputs, Body()],
    principal: Annotated[Principal, Depends(require_editor)],
    runner: Annotated[JobRunner, Depends(runner_of)],
    response: Response,
) -> RunResult:
    """Start a plan, ranking, sensitivity or optimize run in the background.

    The body names the ``kind`` and the job's inputs (``scenario``, a built-in
    or stored scenario's name, and those of the kind); the answer is the queued
    run. Follow it at ``/api/runs/{run_id}`` or ``/api/runs/{run_id}/events``.
    """
    return start_job(job, principal, runner, response)


@router.get(
    "/runs/{run_id}",
    operation_id="get_run",
    response_model=RunResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def read_run(run_id: RunId, settings: Annotated[ApiSettings, Depends(settings_of)]) -> RunResult:
    """One run: inputs, status, progress, results, report files and times (UTC)."""
    return get_run(GetRunRequest(database_url=settings.database_url, run_id=run_id))


@router.post(
    "/runs/{run_id}/cancel",
    operation_id="cancel_run",
    response_model=RunResult,
    responses={
        **_READ,
        403: {"description": "the role is too low, or another user's run (admins only)"},
        409: {"description": "the run has ended already"},
    },
)
def cancel(
    run_id: RunId,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
    runner: Annotated[JobRunner, Depends(runner_of)],
    body: Annotated[CancelRun | None, Body()] = None,
) -> RunResult:
    """Cancel a queued or running run (editors their own runs, admins any run)."""
    run = get_run(GetRunRequest(database_url=settings.database_url, run_id=run_id)).run
    if principal.role != "admin" and run.created_by != principal.name:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"run {run.id} was started by {run.created_by or 'the server'}; "
            "only they or an admin can cancel it",
        )
    reason = f"cancelled by {principal.name}"
    if body is not None and body.reason:
        reason += f": {body.reason}"
    cancelled = cancel_run(CancelRunRequest(
        database_url=settings.database_url, run_id=run_id, reason=reason))
    runner.cancel(run_id)  # a job not started never starts; a running one stops at its next stage
    return cancelled


def existing_run(
    run_id: RunId, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> RunRecord:
    """The run ``run_id`` (404 before any answer starts if there is none)."""
    return get_run(GetRunRequest(database_url=settings.database_url, run_id=run_id)).run


def _event(run: RunRecord) -> dict[str, Any]:
    return {
        "id": run.id, "kind": run.kind, "status": run.status, "progress": run.progress,
        "message": run.message, "error": run.error, "report_files": list(run.report_files),
    }


@router.get(
    "/runs/{run_id}/events",
    operation_id="run_events",
    response_class=EventSourceResponse,
    responses={
        200: {"description": "progress events (text/event-stream) until the run ends"},
        **_READ,
    },
    dependencies=[Depends(require_viewer)],
)
async def run_events(
    request: Request,
    run: Annotated[RunRecord, Depends(existing_run)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> AsyncIterator[ServerSentEvent]:
    """The run's progress as Server-Sent Events until it ends.

    An ``progress`` event (JSON: ``id, kind, status, progress, message, error,
    report_files``) whenever the status, progress or message changes, then one
    ``end`` event with the final state; the stream closes after it (at once for
    a run that has ended).
    """
    last: tuple[Any, ...] | None = None
    while True:
        current = (run.status, run.progress, run.message)
        if current != last:
            last = current
            yield ServerSentEvent(event="progress", id=f"{run.progress:.4f}", data=_event(run))
        if run.status in _FINAL:
            yield ServerSentEvent(event="end", data=_event(run))
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(EVENT_POLL_SECONDS)
        run = (await run_in_threadpool(
            get_run, GetRunRequest(database_url=settings.database_url, run_id=run.id))).run


def _media_type(name: str) -> str:
    suffix = "." + name.rpartition(".")[2].lower() if "." in name else ""
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@router.get(
    "/runs/{run_id}/files/{name}",
    operation_id="download_run_file",
    response_class=FileResponse,
    responses={
        200: {"description": "the file, as an attachment",
              "content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}},
        401: {"description": "not signed in"},
        404: {"description": "no such run, or the run has no such file"},
    },
    dependencies=[Depends(require_viewer)],
)
def download_file(
    run: Annotated[RunRecord, Depends(existing_run)],
    name: Annotated[str, Path(min_length=1, max_length=120, description="a report file's name")],
    runner: Annotated[JobRunner, Depends(runner_of)],
) -> FileResponse:
    """One of the run's report files (``plan.json``, ``report.html``, ``plan.xlsx`` ...).

    Only a name in the run's ``report_files`` is served, from the run's own
    folder; anything else (another name, a path) is 404.
    """
    missing = HTTPException(
        status.HTTP_404_NOT_FOUND,
        detail=f"run {run.id} has no file {name!r}; its files: "
        f"{', '.join(run.report_files) or 'none'}",
    )
    if name not in run.report_files or "/" in name or "\\" in name or name.startswith("."):
        raise missing
    folder = run_folder(runner.data_dir, run.id).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise missing
    return FileResponse(
        path, media_type=_media_type(name), filename=f"oicplan-{run.id[:8]}-{name}",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
