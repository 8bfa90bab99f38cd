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
    "SAATY_SCALE",
    "AnswerRecord",
    "AssessJudgmentRequest",
    "Criterion",
    "CreatePanelRequest",
    "ExpertJudgment",
    "JudgmentConsistency",
    "JudgmentResult",
    "ListPanelsRequest",
    "PanelRecord",
    "PanelResult",
    "PanelWeightsRequest",
    "PairwiseQuestion",
    "PanelAnswersRequest",
    "PanelAnswersResult",
    "PanelWeightsResult",
    "PanelsRequest",
    "PanelsResult",
    "QuestionnaireRequest",
    "QuestionnaireResult",
    "SavePanelWeightsRequest",
    "ScaleStep",
    "SubmitJudgmentRequest",
    "WithdrawJudgmentRequest",
    "WorstComparison",
    "assess_judgment",
    "create_panel",
    "list_panels",
    "panel_answers",
    "panel_questionnaire",
    "panel_weights",
    "save_panel_weights",
    "submit_judgment",
    "withdraw_judgment",
]

Matrix = list[list[float]]

SAATY_SCALE: tuple[tuple[int, str, str], ...] = (
    (1, "equally important", "同等重要"),
    (2, "between equal and moderate", "介于同等与稍微重要之间"),
    (3, "moderately more important", "稍微重要"),
    (4, "between moderate and strong", "介于稍微与明显重要之间"),
    (5, "strongly more important", "明显重要"),
    (6, "between strong and very strong", "介于明显与强烈重要之间"),
    (7, "very strongly more important", "强烈重要"),
    (8, "between very strong and extreme", "介于强烈与极端重要之间"),
    (9, "extremely more important", "极端重要"),
)
"""Saaty's 1-9 scale of AHP with its verbal labels (Saaty 1980, Table 1; the usual Chinese
wording of 层次分析法 questionnaires); the reciprocals 1/2 ... 1/9 say the opposite."""


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


class Criterion(Result):
    """A criterion of a questionnaire: the pillar id and its names (the id where none is known)."""

    id: str
    name_en: str
    name_zh: str


class PairwiseQuestion(Result):
    """One comparison an expert answers: ``row`` against ``column`` (the matrix cell).

    ``answer`` is the value the signed-in expert gave last time (None: not yet).
    """

    number: int
    row: str
    column: str
    row_index: int
    column_index: int
    question_en: str
    question_zh: str
    answer: float | None = None


class ScaleStep(Result):
    """A value of Saaty's scale and its meaning."""

    value: int
    label_en: str
    label_zh: str


class AnswerRecord(Result):
    """Who answered a panel, who entered it, when, and how consistent the answer is."""

    expert: str
    author: str
    created_at: _dt.datetime
    cr: float
    consistent: bool


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


class QuestionnaireRequest(PanelsRequest):
    """The comparisons of a panel, in order; ``expert``'s earlier answers filled in."""

    panel: str
    expert: str | None = Field(None, description="whose earlier answer to fill in")


class PanelAnswersRequest(PanelsRequest):
    """Who has answered a panel."""

    panel: str


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


class QuestionnaireResult(Result):
    """The AHP questionnaire of a panel.

    ``questions`` are the n(n-1)/2 comparisons above the diagonal, row by row, in
    the panel's criteria order; the answer to question (row, column) is the
    matrix cell ``[row_index][column_index]`` (its reciprocal goes below the
    diagonal). ``matrix`` is the expert's stored answer, None if they have not
    answered.
    """

    panel: str
    title: str | None = None
    criteria: tuple[Criterion, ...]
    questions: tuple[PairwiseQuestion, ...]
    scale: tuple[ScaleStep, ...]
    expert: str | None = None
    matrix: Matrix | None = None


class PanelAnswersResult(Result):
    """A panel and its answers, by expert name."""

    panel: PanelRecord
    answers: tuple[AnswerRecord, ...]


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


def _criterion_names(criteria: list[str]) -> list[Criterion]:
    """Names of pillars from the default framework (the id for a pillar it does not have)."""
    from oicplan.indicators.framework import load_framework

    framework = load_framework("default")
    known = {pillar.id: pillar for pillar in framework.pillars}
    named: list[Criterion] = []
    for criterion in criteria:
        pillar = known.get(criterion)
        named.append(Criterion(
            id=criterion,
            name_en=(pillar.name_en if pillar and pillar.name_en else criterion),
            name_zh=(pillar.name_zh if pillar and pillar.name_zh else criterion),
        ))
    return named


def panel_questionnaire(request: QuestionnaireRequest) -> QuestionnaireResult:
    """The pairwise comparisons an expert answers for a panel, in order, with their wording.

    Names come from the default framework's pillars (``name_en``, ``name_zh``).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     url = "sqlite:///" + os.path.join(folder, "oicplan.sqlite")
    ...     _ = create_panel(CreatePanelRequest(database_url=url, name="p", created_by="chen",
    ...                                         criteria=["talent", "market", "risk"]))
    ...     form = panel_questionnaire(QuestionnaireRequest(database_url=url, panel="p"))
    >>> [(q.row, q.column) for q in form.questions]
    [('talent', 'market'), ('talent', 'risk'), ('market', 'risk')]
    >>> form.questions[0].question_zh
    '相对于“市场与贸易联系”，“人才集聚”的重要程度如何？'

    Raises
    ------
    NotFoundError
        Unknown panel (field ``panel``).
    """
    with _opened(request.database_url) as store:
        record = store.get(request.panel)
    criteria = list(record["criteria"])
    named = _criterion_names(criteria)
    matrix = None
    if request.expert is not None:
        for judgment in record["judgments"]:
            if judgment["expert"] == request.expert:
                matrix = judgment["matrix"]
    questions: list[PairwiseQuestion] = []
    for i in range(len(criteria)):
        for j in range(i + 1, len(criteria)):
            row, column = named[i], named[j]
            questions.append(PairwiseQuestion(
                number=len(questions) + 1, row=row.id, column=column.id, row_index=i,
                column_index=j,
                question_en=f"How much more important is “{row.name_en}” than "
                f"“{column.name_en}”?",
                question_zh=f"相对于“{column.name_zh}”，“{row.name_zh}”的重要程度如何？",
                answer=None if matrix is None else float(matrix[i][j]),
            ))
    return QuestionnaireResult(
        panel=record["name"], title=record["title"], criteria=tuple(named),
        questions=tuple(questions),
        scale=tuple(ScaleStep(value=v, label_en=en, label_zh=zh) for v, en, zh in SAATY_SCALE),
        expert=request.expert, matrix=matrix,
    )


def panel_answers(request: PanelAnswersRequest) -> PanelAnswersResult:
    """Who has answered a panel (by name), who entered each answer, when, and its CR.

    Raises
    ------
    NotFoundError
        Unknown panel (field ``panel``).
    """
    from oicplan.store.panels import judgment_consistency

    with _opened(request.database_url) as store:
        record = store.get(request.panel)
    answers: list[AnswerRecord] = []
    for judgment in sorted(record["judgments"], key=lambda j: j["expert"]):
        report = judgment_consistency(judgment["matrix"], record["criteria"])
        answers.append(AnswerRecord(
            expert=judgment["expert"], author=judgment["author"],
            created_at=judgment["created_at"], cr=report["cr"],
            consistent=report["consistent"],
        ))
    panel = PanelRecord.model_validate({k: v for k, v in record.items() if k != "judgments"})
    return PanelAnswersResult(panel=panel, answers=tuple(answers))
