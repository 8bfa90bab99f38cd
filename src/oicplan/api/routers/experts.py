"""``/api/experts``: expert panels, their AHP judgments and the panel's weights.

Viewers read (panels, the questionnaire, who has answered, the group weights);
editors create panels, answer them, withdraw their answer (admins anyone's) and
save a panel's weights into a stored scenario. The signed-in user is the panel's
creator and the expert of the judgment they submit (never a field of the body).
Answers carry the consistency ratio and the comparison that most hurts it
(:mod:`oicplan.services.panels`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from oicplan.api.security import Principal, api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.panels import (
    AssessJudgmentRequest,
    CreatePanelRequest,
    JudgmentConsistency,
    JudgmentResult,
    ListPanelsRequest,
    PanelAnswersRequest,
    PanelAnswersResult,
    PanelResult,
    PanelsResult,
    PanelWeightsRequest,
    PanelWeightsResult,
    QuestionnaireRequest,
    QuestionnaireResult,
    SavePanelWeightsRequest,
    SubmitJudgmentRequest,
    WithdrawJudgmentRequest,
    assess_judgment,
    create_panel,
    list_panels,
    panel_answers,
    panel_questionnaire,
    panel_weights,
    save_panel_weights,
    submit_judgment,
    withdraw_judgment,
)
from oicplan.services.scenarios import ScenarioVersionResult

__all__ = ["Judgment", "NewPanel", "PanelWeightsSave", "router"]

router = api_router(tags=["experts"])

MAX_CRITERIA = 15

_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such panel"},
}
_WRITE: dict[int | str, dict[str, Any]] = {
    **_READ,
    400: {"description": "a value the panel refuses (the field is named)"},
    403: {"description": "the role is too low (editor needed)"},
}

PanelName = Annotated[str, Path(min_length=1, max_length=120, description="the panel's name")]
ExpertName = Annotated[str, Path(min_length=1, max_length=80, description="the expert's user name")]
Matrix = list[Annotated[list[float], Field(max_length=MAX_CRITERIA)]]


class NewPanel(BaseModel):
    """A new panel over pillars of a scenario (all of them when ``criteria`` is absent)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, description="letters, digits, - and _")
    title: str | None = Field(None, max_length=300)
    criteria: list[Annotated[str, Field(max_length=80)]] | None = Field(
        None, max_length=MAX_CRITERIA, description="pillar ids, in questionnaire order")
    scenario: str = Field("zhejiang", max_length=120,
                          description="built-in or stored scenario whose pillars")


class Judgment(BaseModel):
    """The signed-in expert's pairwise matrix over the panel's criteria (1/9 .. 9)."""

    model_config = ConfigDict(extra="forbid")

    matrix: Matrix = Field(max_length=MAX_CRITERIA,
                           description="matrix[i][j]: importance of criterion i over j")


class MatrixCheck(BaseModel):
    """A matrix being answered, over the given criteria (nothing is stored)."""

    model_config = ConfigDict(extra="forbid")

    criteria: list[Annotated[str, Field(max_length=80)]] = Field(
        min_length=2, max_length=MAX_CRITERIA)
    matrix: Matrix = Field(max_length=MAX_CRITERIA)


class PanelWeightsSave(BaseModel):
    """Where the panel's group weights go: a stored scenario and the version they change."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(min_length=1, max_length=120, description="the stored scenario")
    base_version: int = Field(ge=1, le=2**31 - 1, description="the version the weights go into")
    message: str | None = Field(None, max_length=500)


@router.get(
    "/experts/panels",
    operation_id="list_panels",
    response_model=PanelsResult,
    responses={401: _READ[401]},
    dependencies=[Depends(require_viewer)],
)
def get_panels(settings: Annotated[ApiSettings, Depends(settings_of)]) -> PanelsResult:
    """The expert panels by name, with how many experts have answered."""
    return list_panels(ListPanelsRequest(database_url=settings.database_url))


@router.post(
    "/experts/panels",
    operation_id="create_panel",
    status_code=status.HTTP_201_CREATED,
    response_model=PanelResult,
    responses={**_WRITE, 409: {"description": "a panel of that name exists"}},
)
def new_panel(
    body: NewPanel,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> PanelResult:
    """Create a panel comparing pillars of a scenario; the signed-in user is its creator."""
    return create_panel(CreatePanelRequest(
        database_url=settings.database_url, name=body.name, created_by=principal.name,
        criteria=body.criteria, title=body.title, scenario=body.scenario,
    ))


@router.post(
    "/experts/panels/{panel}/judgments",
    operation_id="submit_judgment",
    response_model=JudgmentResult,
    responses=_WRITE,
)
def submit(
    panel: PanelName,
    body: Judgment,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> JudgmentResult:
    """Store the signed-in expert's matrix (replacing their earlier answer).

    The answer gives the matrix's weights, its consistency ratio (``cr``) and the
    comparison that most hurts it (``worst``: row, column, the value given, the
    suggested value and the CR it would give).
    """
    return submit_judgment(SubmitJudgmentRequest(
        database_url=settings.database_url, panel=panel, expert=principal.name,
        matrix=body.matrix, author=principal.name,
    ))


@router.post(
    "/experts/assess",
    operation_id="assess_judgment",
    response_model=JudgmentConsistency,
    responses={401: _READ[401], 400: {"description": "not a pairwise comparison matrix"}},
    dependencies=[Depends(require_viewer)],
)
def assess(body: MatrixCheck) -> JudgmentConsistency:
    """Weights, CR and the worst comparison of a matrix as it is answered (nothing stored)."""
    return assess_judgment(AssessJudgmentRequest(criteria=body.criteria, matrix=body.matrix))


@router.get(
    "/experts/panels/{panel}/weights",
    operation_id="get_panel_weights",
    response_model=PanelWeightsResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def get_panel_weights(
    panel: PanelName, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> PanelWeightsResult:
    """The panel's group AHP weights with CR, who has answered and each expert's consistency."""
    return panel_weights(PanelWeightsRequest(database_url=settings.database_url, panel=panel))


@router.post(
    "/experts/panels/{panel}/weights/save",
    operation_id="save_panel_weights",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioVersionResult,
    responses={**_WRITE, 404: {"description": "no such panel, stored scenario or version"},
               409: {"description": "base_version is not the latest; nothing was stored"}},
)
def save_weights(
    panel: PanelName,
    body: PanelWeightsSave,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> ScenarioVersionResult:
    """Save the panel's group weights into a stored scenario as its next version."""
    return save_panel_weights(SavePanelWeightsRequest(
        database_url=settings.database_url, panel=panel, scenario=body.scenario,
        base_version=body.base_version, author=principal.name, message=body.message,
    ))


@router.get(
    "/experts/panels/{panel}/questionnaire",
    operation_id="get_questionnaire",
    response_model=QuestionnaireResult,
    responses=_READ,
)
def questionnaire(
    panel: PanelName,
    principal: Annotated[Principal, Depends(require_viewer)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
    expert: Annotated[
        str | None,
        Query(max_length=80, description="whose earlier answer to fill in; default: yours"),
    ] = None,
) -> QuestionnaireResult:
    """The comparisons to answer, in order, with their wording, Saaty's scale and your answer.

    Question (row, column) is the cell ``matrix[row_index][column_index]`` of the
    matrix ``POST .../judgments`` takes; its reciprocal goes below the diagonal.
    """
    return panel_questionnaire(QuestionnaireRequest(
        database_url=settings.database_url, panel=panel, expert=expert or principal.name))


@router.get(
    "/experts/panels/{panel}",
    operation_id="get_panel",
    response_model=PanelResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def get_panel(
    panel: PanelName, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> PanelResult:
    """One panel: title, criteria, creator and how many experts have answered."""
    found = panel_answers(PanelAnswersRequest(database_url=settings.database_url, panel=panel))
    return PanelResult(panel=found.panel)


@router.get(
    "/experts/panels/{panel}/judgments",
    operation_id="list_judgments",
    response_model=PanelAnswersResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def answers(
    panel: PanelName, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> PanelAnswersResult:
    """Who has answered the panel, who entered each answer, when, and its consistency ratio."""
    return panel_answers(PanelAnswersRequest(database_url=settings.database_url, panel=panel))


@router.delete(
    "/experts/panels/{panel}/judgments/{expert}",
    operation_id="withdraw_judgment",
    response_model=PanelResult,
    responses={**_WRITE, 403: {"description": "the role is too low, or another expert's "
                                              "answer (admins only)"},
               404: {"description": "no such panel, or no answer by that expert"}},
)
def withdraw(
    panel: PanelName,
    expert: ExpertName,
    principal: Annotated[Principal, Depends(require_editor)],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> PanelResult:
    """Withdraw an answer: editors their own, admins anyone's. The panel as it is afterwards."""
    if expert != principal.name and principal.role != "admin":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"only {expert} or an admin can withdraw {expert}'s answer",
        )
    return withdraw_judgment(WithdrawJudgmentRequest(
        database_url=settings.database_url, panel=panel, expert=expert))
