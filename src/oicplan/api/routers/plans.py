"""``/api/plans``: start a plan run, read its plan and map, compare two plan runs.

``POST /api/plans`` (editors) starts a plan run in the background
(:mod:`oicplan.api.jobs`) and answers 202 with the queued run (a plan run is a
run: follow it at ``/api/runs/{run_id}`` or its ``/events``, download its
report files at ``/api/runs/{run_id}/files/{name}``). When it is done, viewers
read its plan (``plan.json``), its map layers and the comparison of two plan
runs (which sites enter and leave, and why). A run that is not a plan run, or
an unknown id, is 404; a plan run that has not finished is 409. The answers are
the services' models (:mod:`oicplan.services.plan_runs`,
:class:`~oicplan.plan_document.PlanDocument`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Path, Query, Response

from oicplan.api.jobs import JobRunner, runner_of
from oicplan.api.routers.runs import STARTED_RESPONSES, start_job
from oicplan.api.security import Principal, api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.plan_document import PlanDocument
from oicplan.services.jobs import PlanJob
from oicplan.services.plan_runs import (
    ComparePlansRequest,
    PlanComparison,
    PlanMap,
    PlanRunRequest,
    compare_plans,
    map_of_run,
    plan_of_run,
)
from oicplan.services.runs import RunResult

__all__ = ["router"]

router = api_router(tags=["plans"])

RunId = Annotated[str, Path(min_length=1, max_length=64, description="a plan run's id")]
_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such plan run"},
    409: {"description": "the plan run has not finished"},
}


@router.post(
    "/plans",
    operation_id="start_plan",
    status_code=202,
    response_model=RunResult,
    responses=STARTED_RESPONSES,
)
def post_plan(
    job: Annotated[PlanJob, Body()],
    principal: Annotated[Principal, Depends(require_editor)],
    runner: Annotated[JobRunner, Depends(runner_of)],
    response: Response,
) -> RunResult:
    """Start a plan run: ``scenario`` (built-in or stored), ``centers``, ``lang``, ``avoid`` ...

    The answer is the queued run; its report files (``plan.json``,
    ``report.html`` and the others) are listed in ``report_files`` when it is done.
    """
    return start_job(job, principal, runner, response)


@router.get(
    "/plans/compare",
    operation_id="compare_plans",
    response_model=PlanComparison,
    responses={**_READ, 400: {"description": "a run that is not a plan run"}},
    dependencies=[Depends(require_viewer)],
)
def get_comparison(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    a: Annotated[str, Query(min_length=1, max_length=64, description="the reference plan run")],
    b: Annotated[str, Query(min_length=1, max_length=64, description="the plan run compared")],
) -> PlanComparison:
    """Which sites enter and leave between plan runs ``a`` and ``b``, and why, per site."""
    return compare_plans(ComparePlansRequest(database_url=settings.database_url, a=a, b=b))


@router.get(
    "/plans/{run_id}",
    operation_id="get_plan",
    response_model=PlanDocument,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def get_plan(run_id: RunId, settings: Annotated[ApiSettings, Depends(settings_of)]
             ) -> PlanDocument:
    """The plan of a finished plan run: the document ``plan.json`` holds."""
    return plan_of_run(PlanRunRequest(database_url=settings.database_url, run_id=run_id))


@router.get(
    "/plans/{run_id}/map",
    operation_id="get_plan_map",
    response_model=PlanMap,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def get_plan_map(run_id: RunId, settings: Annotated[ApiSettings, Depends(settings_of)]
                 ) -> PlanMap:
    """The map layers of a finished plan run: candidates, chosen sites by mode, routes ..."""
    return map_of_run(PlanRunRequest(database_url=settings.database_url, run_id=run_id))
