"""``GET /api/assumptions``: the stated numbers that drive a plan, with their reasons.

The answer is :class:`oicplan.services.assumptions.AssumptionsResult` (what
``oicplan assumptions --json`` prints): every assumption's name, value, stated
default, unit and reason in English and Chinese, source, where it is used, whether
it can move a plan and whether the named scenario set it. Viewers read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from oicplan.api.security import api_router, require_viewer
from oicplan.errors import InputError
from oicplan.scenario import BUILTIN_SCENARIOS
from oicplan.services.assumptions import AssumptionsRequest, AssumptionsResult, assumptions

__all__ = ["router"]

router = api_router(tags=["assumptions"], dependencies=[Depends(require_viewer)])


@router.get(
    "/assumptions",
    operation_id="list_assumptions",
    response_model=AssumptionsResult,
    responses={
        400: {"description": "the scenario cannot be read (the field is named)"},
        401: {"description": "not signed in"},
    },
)
def list_assumptions(
    scenario: Annotated[
        str | None,
        Query(max_length=120, description="a built-in scenario: show the values it sets"),
    ] = None,
    plan_only: Annotated[
        bool, Query(description="only the numbers that can move a plan")
    ] = False,
) -> AssumptionsResult:
    """Every stated assumption (threshold, weight, factor) with its value and reason."""
    if scenario is not None and scenario not in BUILTIN_SCENARIOS:  # no server file paths
        raise InputError(
            f"unknown scenario {scenario!r}; use one of {', '.join(BUILTIN_SCENARIOS)}",
            field="scenario",
        )
    return assumptions(AssumptionsRequest(scenario=scenario, plan_only=plan_only))
