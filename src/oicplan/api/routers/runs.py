"""``/api/runs``: the web app's jobs (plan, ranking, sensitivity, optimize).

Viewers list and read runs; editors cancel their own runs, admins anyone's.
Runs are created by the job runner through :mod:`oicplan.services.runs` (the
routes that start jobs come with it). Cancelling a run that has ended is a
conflict (409); an unknown id is 404. The answers are the service's results
(:class:`~oicplan.services.runs.RunResult`, :class:`~oicplan.services.runs.RunsResult`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, HTTPException, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from oicplan.api.security import Principal, api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.runs import (
    CancelRunRequest,
    GetRunRequest,
    ListRunsRequest,
    RunKind,
    RunResult,
    RunsResult,
    RunStatus,
    cancel_run,
    get_run,
    list_runs,
)

__all__ = ["CancelRun", "router"]

router = api_router(tags=["runs"])

_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such run"},
}

RunId = Annotated[str, Path(min_length=1, max_length=64, description="the run's id")]


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
) -> RunsResult:
    """Runs, newest first, optionally of one kind, status, scenario or user."""
    return list_runs(ListRunsRequest(
        database_url=settings.database_url, kind=kind, status=run_status, scenario=scenario,
        created_by=created_by, limit=limit, offset=offset,
    ))


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
    return cancel_run(CancelRunRequest(
        database_url=settings.database_url, run_id=run_id, reason=reason))
