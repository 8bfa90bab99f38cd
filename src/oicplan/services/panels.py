"""Use cases of expert panels: create a panel, answer, withdraw, check an answer, group weights.

An expert panel compares a scenario's pillars pairwise (AHP, Saaty's 1-9 scale);
each expert's matrix is stored (:mod:`oicplan.store.panels`) and the panel's
weights are the group AHP of :func:`oicplan.mcda.group_ahp_weights` with its
consistency ratio. Each expert's own consistency ratio and the comparison that
most hurts it are reported (:func:`oicplan.store.panels.judgment_consistency`);
:func:`assess_judgment` gives the same for a matrix being answered, without
storing it. Every request names the database (``database_url``, as in
:mod:`oicplan.services.registry`).

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "oicplan.sqlite")
...     panel = create_panel(CreatePanelRequest(
...         database_url=url, name="talent-vs-market", criteria=["talent", "market"],
...         created_by="chen")).panel
...     _ = submit_judgment(SubmitJudgmentRequest(
...         database_url=url, panel=panel.name, expert="li", matrix=[[1, 3], [1 / 3, 1]]))
...     weights = panel_weights(PanelWeightsRequest(database_url=url, panel=panel.name))
>>> weights.answered, {k: round(v, 2) for k, v in weights.weights.items()}
(('li',), {'talent': 0.75, 'market': 0.25})
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.services.scenarios import ScenarioVersionResult
    from oicplan.store.panels import PanelStore

__all__ = [
    "AssessJudgmentRequest",
    "CreatePanelRequest",
    "ExpertJudgment",
    "JudgmentConsistency",
    "JudgmentResult",
    "ListPanelsRequest",
    "PanelRecord",
    "PanelResult",
    "PanelWeightsRequest",
    "PanelWeightsResult",
    "PanelsRequest",
    "PanelsResult",
    "SavePanelWeightsRequest",
    "SubmitJudgmentRequest",
    "WithdrawJudgmentRequest",
    "WorstComparison",
    "assess_judgment",
    "create_panel",
    "list_panels",
    "panel_weights",
    "save_panel_weights",
    "submit_judgment",
    "withdraw_judgment",
]

Matrix = list[list[float]]


# --------------------------------------------------------------------------- records


class PanelRecord(Result):
    """A panel: its criteria (pillar ids), creator and how many experts have answered."""

    name: str
    title: str | None = None
    criteria: tuple[str, ...]
    created_by: str
    created_at: _dt.datetime
    answered: int


class WorstComparison(Result):
    """The comparison whose replacement by ``suggested`` (= w_row / w_column) lowers CR most."""

    row: str
    column: str
    value: float
    suggested: float
    cr_after: float


class JudgmentConsistency(Result):
    """One matrix's weights, consistency ratio and worst comparison (None if consistent)."""

    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    consistent: bool
    worst: WorstComparison | None = None


class ExpertJudgment(JudgmentConsistency):
    """A stored answer: whose, entered by whom, when, the matrix and its consistency."""

    expert: str
    author: str
    created_at: _dt.datetime
    matrix: Matrix


# --------------------------------------------------------------------------- requests


class PanelsRequest(Request):
    """What every panel request names: the database."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; None: $OICPLAN_DATABASE_URL or the "
        "SQLite file in the user's data directory.",
    )


class CreatePanelRequest(PanelsRequest):
    """A new panel over pillars of ``scenario`` (all of its pillars when ``criteria`` is None)."""

    name: str
    created_by: str
    criteria: list[str] | None = Field(None, description="pillar ids, in questionnaire order")
    title: str | None = None
    scenario: str = Field("zhejiang", description="built-in or stored scenario whose pillars")


class ListPanelsRequest(PanelsRequest):
    """List the panels."""


class SubmitJudgmentRequest(PanelsRequest):
    """An expert's pairwise matrix over the panel's criteria (replaces an earlier answer)."""

    panel: str
    expert: str
    matrix: Matrix = Field(description="matrix[i][j]: importance of criterion i over j, 1/9..9")
    author: str | None = Field(None, description="who entered it; the expert if None")


class WithdrawJudgmentRequest(PanelsRequest):
    """Remove an expert's answer."""

    panel: str
    expert: str


class PanelWeightsRequest(PanelsRequest):
    """The panel's group weights and every expert's consistency."""

    panel: str


class SavePanelWeightsRequest(PanelsRequest):
    """Save the panel's group weights into a stored scenario as its next version."""

    panel: str
    scenario: str = Field(description="the stored scenario")
    base_version: int = Field(ge=1, description="the version the weights are put into")
    author: str
    message: str | None = None


class AssessJudgmentRequest(Request):
    """A matrix being answered (nothing is stored): its weights and consistency."""

    criteria: list[str] = Field(min_length=2)
    matrix: Matrix


# --------------------------------------------------------------------------- results


class PanelResult(Result):
    """One panel."""

    panel: PanelRecord


class PanelsResult(Result):
    """The panels by name."""

    panels: tuple[PanelRecord, ...]


class JudgmentResult(Result):
    """A stored answer with its consistency."""

    panel: str
    judgment: ExpertJudgment


class PanelWeightsResult(Result):
    """Group AHP of a panel: weights, CR, who has answered and each expert's consistency.

    The group fields (``weights`` ... ``aggregated``) are None while nobody has answered.
    """

    name: str
    title: str | None = None
    criteria: tuple[str, ...]
    answered: tuple[str, ...]
    experts: tuple[ExpertJudgment, ...]
    weights: dict[str, float] | None = None
    lambda_max: float | None = None
    ci: float | None = None
    cr: float | None = None
    consistent: bool | None = None
    aggregated: Matrix | None = None


# --------------------------------------------------------------------------- use cases


@contextmanager
def _opened(database_url: str | None) -> Iterator[PanelStore]:
    from oicplan.store.panels import PanelStore

    store = PanelStore(database_url)
    try:
        yield store
    finally:
        store.dispose()


def _pillars(scenario: str, database_url: str | None) -> list[str]:
    """The pillar ids (weights) of a built-in or stored scenario."""
    from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario
    from oicplan.services.scenarios import load_stored_scenario

    if scenario in BUILTIN_SCENARIOS:
        return list(load_scenario(scenario).weights)
    try:
        return list(load_stored_scenario(scenario, database_url=database_url).weights)
    except InputError as error:
        raise InputError(error.message, field="scenario") from None


def create_panel(request: CreatePanelRequest) -> PanelResult:
    """Create a panel comparing pillars of the scenario.

    Raises
    ------
    InputError
        A criterion that is not a pillar of the scenario (field ``criteria``), an
        unknown scenario (``scenario``), a bad name or creator.
    ConflictError
        A panel of that name exists.
    """
    pillars = _pillars(request.scenario, request.database_url)
    criteria = pillars if request.criteria is None else list(request.criteria)
    unknown = [c for c in criteria if c not in pillars]
    if unknown:
        raise InputError(
            f"{unknown[0]!r} is not a pillar of scenario {request.scenario!r}; "
            f"use {', '.join(pillars)}",
            field="criteria",
        )
    with _opened(request.database_url) as store:
        record = store.create(request.name, criteria, created_by=request.created_by,
                              title=request.title)
    return PanelResult(panel=PanelRecord.model_validate(record))


def list_panels(request: ListPanelsRequest) -> PanelsResult:
    """The panels by name with how many experts have answered."""
    with _opened(request.database_url) as store:
        rows = store.list_panels()
    return PanelsResult(panels=tuple(PanelRecord.model_validate(row) for row in rows))


def submit_judgment(request: SubmitJudgmentRequest) -> JudgmentResult:
    """Store an expert's matrix and give its consistency (CR and the worst comparison).

    Raises
    ------
    InputError
        Unknown panel (field ``panel``), or a matrix that is not a positive
        reciprocal n x n matrix over the panel's criteria (``matrix`` or
        ``matrix.ROW.COLUMN``).
    """
    from oicplan.store.panels import judgment_consistency

    with _opened(request.database_url) as store:
        stored = store.submit(request.panel, request.expert, request.matrix,
                              author=request.author)
        criteria = store.get(request.panel)["criteria"]
    report = judgment_consistency(stored["matrix"], criteria)
    return JudgmentResult(
        panel=request.panel, judgment=ExpertJudgment.model_validate({**stored, **report})
    )


def withdraw_judgment(request: WithdrawJudgmentRequest) -> PanelResult:
    """Remove an expert's answer; the panel as it is afterwards.

    Raises
    ------
    InputError
        Unknown panel (field ``panel``) or no answer by that expert (``expert``).
    """
    with _opened(request.database_url) as store:
        store.withdraw(request.panel, request.expert)
        record = store.get(request.panel)
    return PanelResult(panel=PanelRecord.model_validate(record))


def panel_weights(request: PanelWeightsRequest) -> PanelWeightsResult:
    """The panel's group AHP weights with CR, who has answered and each answer's consistency.

    Raises
    ------
    InputError
        Unknown panel (field ``panel``).
    """
    with _opened(request.database_url) as store:
        results = store.results(request.panel)
    return PanelWeightsResult.model_validate(results)


def assess_judgment(request: AssessJudgmentRequest) -> JudgmentConsistency:
    """Weights, CR and the worst comparison of a matrix, for the questionnaire as it is answered.

    >>> report = assess_judgment(AssessJudgmentRequest(
    ...     criteria=["a", "b", "c"], matrix=[[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]))
    >>> round(report.cr, 6), report.worst
    (0.0, None)
    """
    from oicplan.store.panels import judgment_consistency

    return JudgmentConsistency.model_validate(
        judgment_consistency(request.matrix, request.criteria)
    )


def save_panel_weights(request: SavePanelWeightsRequest) -> ScenarioVersionResult:
    """Put the panel's group weights into a stored scenario and save it as the next version.

    The weights replace the numbers of the scenario's ``weights`` mapping in the
    text of ``base_version`` (comments and every other line stay as written). When
    the panel compares only some of the scenario's pillars, those pillars share
    the total weight they had, in the panel's proportions; the others keep theirs.
    The save is an ordinary one: if ``base_version`` is not the latest version it
    raises :class:`~oicplan.errors.ConflictError` and nothing is stored.

    Raises
    ------
    InputError
        Unknown panel (field ``panel``) or one nobody has answered yet (``panel``),
        unknown stored scenario (``name``) or version (``version``), or a panel
        criterion that is not among the scenario's weights (``weights``).
    """
    from oicplan.services.scenarios import ScenarioVersionRecord, ScenarioVersionResult
    from oicplan.store.scenarios import ScenarioStore, replace_weights, scenario_from_text

    with _opened(request.database_url) as store:
        results = store.results(request.panel)
    group: dict[str, float] | None = results["weights"]
    if group is None:
        raise InputError(f"nobody has answered panel {request.panel!r} yet", field="panel")
    scenarios = ScenarioStore(request.database_url)
    try:
        base = scenarios.get(request.scenario, request.base_version)
        current = scenario_from_text(base["yaml_text"]).weights
        unknown = [pillar for pillar in group if pillar not in current]
        if unknown:
            raise InputError(
                f"panel criterion {unknown[0]!r} is not among the weights of scenario "
                f"{request.scenario!r} ({', '.join(current)})",
                field="weights",
            )
        share = 1.0 if set(group) == set(current) else sum(current[p] for p in group)
        text = replace_weights(base["yaml_text"], {p: w * share for p, w in group.items()})
        message = request.message or (
            f"weights of expert panel {request.panel} ({len(results['answered'])} experts, "
            f"CR {results['cr']:.3f})"
        )
        record = scenarios.save(
            request.scenario, text, author=request.author,
            base_version=request.base_version, message=message,
        )
    finally:
        scenarios.dispose()
    return ScenarioVersionResult(version=ScenarioVersionRecord.model_validate(record))
