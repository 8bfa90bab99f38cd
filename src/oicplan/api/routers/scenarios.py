"""``/api/scenarios``: stored scenarios, their versions and the diff between two.

Viewers read; editors create scenarios and save versions. The signed-in user is
the author of what they save (never a field of the body). A save names the
version the editor opened (``base_version``); if someone saved in between the
answer is 409 and nothing is stored (:func:`oicplan.services.scenarios.save_scenario`).
The answers are the service's results
(:class:`~oicplan.services.scenarios.ScenarioVersionResult` ...).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from oicplan.api.security import Principal, api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.scenarios import (
    GetScenarioVersionRequest,
    ListStoredScenariosRequest,
    SaveScenarioRequest,
    ScenarioDiffRequest,
    ScenarioDiffResult,
    ScenarioHistoryRequest,
    ScenarioHistoryResult,
    ScenarioVersionResult,
    StoredScenariosResult,
    get_scenario_version,
    list_stored_scenarios,
    save_scenario,
    scenario_diff,
    scenario_history,
)

__all__ = ["NewScenario", "ScenarioEdit", "router"]

router = api_router(tags=["scenarios"])

MAX_YAML = 200_000

_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such stored scenario or version"},
}
_WRITE: dict[int | str, dict[str, Any]] = {
    **_READ,
    400: {"description": "the text is not a valid scenario (the field is named)"},
    403: {"description": "the role is too low (editor needed)"},
    409: {"description": "someone saved a newer version; nothing was stored"},
}

ScenarioName = Annotated[str, Path(min_length=1, max_length=120, description="stored name")]


class NewScenario(BaseModel):
    """A new stored scenario: its name and YAML text (version 1)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120,
                      description="letters, digits, - and _; not a built-in scenario's name")
    yaml_text: str = Field(max_length=MAX_YAML, description="the scenario's YAML")
    message: str | None = Field(None, max_length=500, description="what it is for")


class ScenarioEdit(BaseModel):
    """A new version of a stored scenario, saved on top of the version the editor opened."""

    model_config = ConfigDict(extra="forbid")

    yaml_text: str = Field(max_length=MAX_YAML, description="the scenario's YAML")
    base_version: int = Field(ge=1, description="the version the editor opened")
    message: str | None = Field(None, max_length=500, description="what changed")


@router.get(
    "/scenarios",
    operation_id="list_scenarios",
    response_model=StoredScenariosResult,
    responses={401: _READ[401]},
    dependencies=[Depends(require_viewer)],
)
def list_scenarios(settings: Annotated[ApiSettings, Depends(settings_of)]) -> StoredScenariosResult:
    """The stored scenarios by name, with their latest version."""
    return list_stored_scenarios(ListStoredScenariosRequest(database_url=settings.database_url))


@router.post(
    "/scenarios",
    operation_id="create_scenario",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioVersionResult,
    responses={**_WRITE, 409: {"description": "a stored scenario of that name exists"}},
)
def create_scenario(
    body: NewScenario,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> ScenarioVersionResult:
    """Store a new scenario as version 1, written by the signed-in user."""
    return save_scenario(SaveScenarioRequest(
        database_url=settings.database_url, name=body.name, yaml_text=body.yaml_text,
        author=principal.name, base_version=None, message=body.message,
    ))


@router.get(
    "/scenarios/{name}",
    operation_id="get_scenario",
    response_model=ScenarioVersionResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def get_scenario(
    name: ScenarioName,
    settings: Annotated[ApiSettings, Depends(settings_of)],
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1,
                                         description="the version; the latest if absent")] = None,
) -> ScenarioVersionResult:
    """One version of a stored scenario with its YAML text (the latest by default)."""
    return get_scenario_version(GetScenarioVersionRequest(
        database_url=settings.database_url, name=name, version=version))


@router.get(
    "/scenarios/{name}/versions",
    operation_id="list_scenario_versions",
    response_model=ScenarioHistoryResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def list_scenario_versions(
    name: ScenarioName, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> ScenarioHistoryResult:
    """The versions of a stored scenario, oldest first: number, author, time, message."""
    return scenario_history(ScenarioHistoryRequest(database_url=settings.database_url, name=name))


@router.post(
    "/scenarios/{name}/versions",
    operation_id="save_scenario_version",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioVersionResult,
    responses=_WRITE,
)
def save_scenario_version(
    name: ScenarioName,
    body: ScenarioEdit,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> ScenarioVersionResult:
    """Save the text as version ``base_version + 1``; 409 if ``base_version`` is not the latest.

    On a conflict nothing is stored and every earlier version stays as it was;
    the answer says which version exists now, so the editor can reload it and
    redo the change.
    """
    return save_scenario(SaveScenarioRequest(
        database_url=settings.database_url, name=name, yaml_text=body.yaml_text,
        author=principal.name, base_version=body.base_version, message=body.message,
    ))


@router.get(
    "/scenarios/{name}/diff",
    operation_id="diff_scenario_versions",
    response_model=ScenarioDiffResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def diff_scenario_versions(
    name: ScenarioName,
    old: Annotated[int, Query(ge=1, le=2**31 - 1, description="the older version")],
    new: Annotated[int, Query(ge=1, le=2**31 - 1, description="the newer version")],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> ScenarioDiffResult:
    """The unified diff of two versions' YAML and the scenario fields that changed."""
    return scenario_diff(ScenarioDiffRequest(
        database_url=settings.database_url, name=name, old=old, new=new))
