"""Expert panels: AHP judgments of the pillars, one matrix per expert, and the group weights.

A panel names the criteria its experts compare (pillar ids, 2 to 15 of them).
Each expert gives one pairwise comparison matrix over them on Saaty's 1-9 scale
(a new answer replaces the expert's earlier one); the panel's weights are the
group AHP of :func:`oicplan.mcda.group_ahp_weights` (the principal eigenvector of
the element-wise geometric mean of the experts' matrices, Aczél & Saaty 1983)
with its consistency ratio. :func:`judgment_consistency` gives one matrix's
weights and consistency ratio and the comparison that most hurts its consistency.

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     panels = PanelStore("sqlite:///" + os.path.join(d, "p.sqlite"))
...     _ = panels.create("pillars", ["innovation", "talent"], created_by="chen")
...     _ = panels.submit("pillars", "li", [[1, 4], [1 / 4, 1]])
...     _ = panels.submit("pillars", "wang", [[1, 1], [1, 1]])
...     result = panels.results("pillars")
...     panels.dispose()
>>> {k: round(w, 4) for k, w in result["weights"].items()}, result["answered"]
({'innovation': 0.6667, 'talent': 0.3333}, ['li', 'wang'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.store.models import Panel, PanelJudgment
from oicplan.store.scenarios import StoreBase, as_utc, check_name, check_person, utc_now

__all__ = ["MAX_CRITERIA", "PanelStore", "check_matrix", "judgment_consistency"]

MAX_CRITERIA = 15
"""Most criteria a panel compares: Saaty's random index is tabulated up to n = 15."""


def _check_criteria(criteria: Sequence[str]) -> list[str]:
    names = [str(c).strip() for c in criteria]
    if not 2 <= len(names) <= MAX_CRITERIA:
        raise InputError(
            f"a panel compares 2 to {MAX_CRITERIA} criteria, got {len(names)}", field="criteria"
        )
    if any(not name or len(name) > 80 for name in names):
        raise InputError("a criterion id is 1-80 characters", field="criteria")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"criterion {twice[0]!r} is listed twice", field="criteria")
    return names


def check_matrix(matrix: Any, criteria: Sequence[str]) -> np.ndarray:
    """A pairwise matrix over ``criteria``, checked by :func:`oicplan.mcda.validate_pairwise`.

    Errors name the comparison as ``matrix.ROW.COLUMN`` (criterion ids).

    >>> check_matrix([[1, 3], [1 / 3, 1]], ["a", "b"]).tolist()
    [[1.0, 3.0], [0.3333333333333333, 1.0]]
    >>> try:
    ...     check_matrix([[1, 3], [3, 1]], ["a", "b"])
    ... except InputError as error:
    ...     print(error.field)
    matrix.a.b
    """
    from oicplan.mcda import validate_pairwise

    names = list(criteria)
    n = len(names)
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise InputError("the matrix must contain numbers only", field="matrix") from None
    if a.shape != (n, n):
        raise InputError(
            f"the matrix must be {n} x {n} (criteria {', '.join(names)}), got shape {a.shape}",
            field="matrix",
        )
    try:
        return validate_pairwise(a, names)
    except InputError as error:
        field = "matrix"
        if error.row is not None and error.field is not None:
            field = f"matrix.{names[error.row - 2]}.{error.field}"
        raise InputError(error.message, field=field) from None


def judgment_consistency(matrix: Any, criteria: Sequence[str]) -> dict[str, Any]:
    """One expert's weights, consistency ratio and the comparison that most hurts consistency.

    The worst comparison is found by this rule, on top of
    :func:`oicplan.mcda.ahp_weights`: for each pair ``(i, j)`` above the diagonal,
    replace ``a_ij`` by the value consistent with the matrix's own weights,
    ``w_i / w_j`` (and ``a_ji`` by its reciprocal), and recompute CR; the pair
    whose replacement lowers CR most is the worst (ties: the first in row
    order). It is None when the matrix is already consistent (CR 0, or n <= 2).

    Returns
    -------
    dict
        ``weights`` (criterion -> weight), ``lambda_max``, ``ci``, ``cr``,
        ``consistent`` (CR <= 0.10) and ``worst``: ``row``, ``column``,
        ``value`` (the expert's), ``suggested`` (``w_row / w_column``) and
        ``cr_after`` (CR with the suggested value).

    A consistent matrix (weights 8 : 4 : 2 : 1) with one comparison turned
    round (a is judged half as important as d instead of 8 times as important):

    >>> w = [8, 4, 2, 1]
    >>> m = [[wi / wj for wj in w] for wi in w]
    >>> m[0][3], m[3][0] = 1 / 2, 2
    >>> report = judgment_consistency(m, ["a", "b", "c", "d"])
    >>> round(report["cr"], 3), report["worst"]["row"], report["worst"]["column"]
    (0.403, 'a', 'd')
    >>> round(report["worst"]["cr_after"], 3)
    0.121
    """
    from oicplan.mcda import ahp_weights

    names = _check_criteria(criteria)
    a = check_matrix(matrix, names)
    result = ahp_weights(a, names, warn=False)
    weights = result.weights
    worst = None
    if result.cr > 1e-12:
        best_cr = result.cr
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                trial = a.copy()
                trial[i, j] = weights[i] / weights[j]
                trial[j, i] = 1.0 / trial[i, j]
                cr_after = ahp_weights(trial, names, warn=False).cr
                if cr_after < best_cr - 1e-12:
                    best_cr = cr_after
                    worst = {
                        "row": names[i], "column": names[j], "value": float(a[i, j]),
                        "suggested": float(trial[i, j]), "cr_after": float(cr_after),
                    }
    return {
        "weights": {name: float(w) for name, w in zip(names, weights, strict=True)},
        "lambda_max": float(result.lambda_max),
        "ci": float(result.ci),
        "cr": float(result.cr),
        "consistent": bool(result.consistent),
        "worst": worst,
    }


def _panel_record(panel: Panel, answered: int) -> dict[str, Any]:
    return {
        "name": panel.name,
        "title": panel.title,
        "criteria": list(panel.criteria),
        "created_by": panel.created_by,
        "created_at": as_utc(panel.created_at),
        "answered": answered,
    }


def _judgment_record(judgment: PanelJudgment) -> dict[str, Any]:
    return {
        "expert": judgment.expert,
        "author": judgment.author,
        "created_at": as_utc(judgment.created_at),
        "matrix": [list(map(float, row)) for row in judgment.matrix],
    }


class PanelStore(StoreBase):
    """Expert panels and their judgments in one database."""

    def _panel(self, session: Session, name: str) -> Panel:
        panel = session.scalar(select(Panel).where(Panel.name == name))
        if panel is None:
            raise NotFoundError(f"no expert panel {name!r}", field="panel")
        return panel

    def create(
        self, name: str, criteria: Sequence[str], *, created_by: str, title: str | None = None
    ) -> dict[str, Any]:
        """A new panel comparing ``criteria`` (pillar ids).

        Raises
        ------
        InputError
            A bad name (field ``name``), criteria (``criteria``: 2 to 15 distinct
            ids), creator (``created_by``) or title over 300 characters (``title``).
        ConflictError
            A panel of that name exists.
        """
        name = check_name(name, what="panel")
        names = _check_criteria(criteria)
        creator = check_person(created_by, "created_by")
        if title is not None and len(title) > 300:
            raise InputError("a title has at most 300 characters", field="title")
        panel = Panel(name=name, title=title, criteria=names, created_by=creator,
                      created_at=utc_now())
        try:
            with self.session() as session:
                if session.scalar(select(Panel.id).where(Panel.name == name)) is not None:
                    raise ConflictError(f"an expert panel {name!r} already exists")
                session.add(panel)
                session.flush()
                return _panel_record(panel, 0)
        except IntegrityError:
            raise ConflictError(f"an expert panel {name!r} already exists") from None

    def list_panels(self) -> list[dict[str, Any]]:
        """Panels by name, with the number of experts who have answered."""
        counts = (
            select(PanelJudgment.panel_id, func.count().label("n"))
            .group_by(PanelJudgment.panel_id)
            .subquery()
        )
        query = (
            select(Panel, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.panel_id == Panel.id)
            .order_by(Panel.name)
        )
        with self.session() as session:
            return [_panel_record(panel, int(n)) for panel, n in session.execute(query)]

    def get(self, name: str) -> dict[str, Any]:
        """A panel with its judgments (oldest answer first)."""
        with self.session() as session:
            panel = self._panel(session, name)
            judgments = list(
                session.scalars(
                    select(PanelJudgment)
                    .where(PanelJudgment.panel_id == panel.id)
                    .order_by(PanelJudgment.created_at, PanelJudgment.expert)
                )
            )
            record = _panel_record(panel, len(judgments))
            record["judgments"] = [_judgment_record(j) for j in judgments]
            return record

    def submit(
        self, name: str, expert: str, matrix: Any, *, author: str | None = None
    ) -> dict[str, Any]:
        """Store ``expert``'s pairwise matrix for panel ``name``, replacing an earlier answer.

        Parameters
        ----------
        matrix : array_like, shape (n, n)
            ``matrix[i][j]``: how much more important criterion i is than j
            (Saaty's 1/9 ... 9), in the panel's criteria order; reciprocal.
        author : str, optional
            Who entered it (a moderator typing a paper questionnaire); the expert
            by default.

        Raises
        ------
        InputError
            Unknown panel (field ``panel``), a bad expert or author name, or a
            matrix that is not a reciprocal positive n x n matrix (field
            ``matrix`` or ``matrix.ROW.COLUMN``).
        """
        who = check_person(expert, "expert")
        by = check_person(author, "author") if author is not None else who
        with self.session() as session:
            panel = self._panel(session, name)
            a = check_matrix(matrix, panel.criteria)
            rows = a.tolist()
            judgment = session.scalar(
                select(PanelJudgment).where(
                    PanelJudgment.panel_id == panel.id, PanelJudgment.expert == who
                )
            )
            if judgment is None:
                judgment = PanelJudgment(panel_id=panel.id, expert=who, matrix=rows,
                                         author=by, created_at=utc_now())
                session.add(judgment)
            else:
                judgment.matrix = rows
                judgment.author = by
                judgment.created_at = utc_now()
            try:
                session.flush()
            except IntegrityError:
                raise ConflictError(
                    f"{who}'s answer to panel {name!r} was saved at the same time; send it again"
                ) from None
            return _judgment_record(judgment)

    def withdraw(self, name: str, expert: str) -> None:
        """Remove ``expert``'s answer from panel ``name``.

        Raises
        ------
        InputError
            Unknown panel (field ``panel``) or no answer by ``expert`` (field ``expert``).
        """
        with self.session() as session:
            panel = self._panel(session, name)
            judgment = session.scalar(
                select(PanelJudgment).where(
                    PanelJudgment.panel_id == panel.id, PanelJudgment.expert == expert
                )
            )
            if judgment is None:
                raise NotFoundError(f"{expert!r} has not answered panel {name!r}", field="expert")
            session.delete(judgment)

    def results(self, name: str) -> dict[str, Any]:
        """The panel's group weights and each expert's consistency.

        Returns
        -------
        dict
            ``name``, ``criteria``, ``answered`` (experts, by name), ``experts``
            (per expert: ``expert, author, created_at, matrix`` and
            :func:`judgment_consistency`'s fields), and the group's ``weights``
            (criterion -> weight), ``lambda_max``, ``ci``, ``cr``, ``consistent``
            and ``aggregated`` (the geometric-mean matrix), from
            :func:`oicplan.mcda.group_ahp_weights`; these are None while no
            expert has answered.
        """
        from oicplan.mcda import group_ahp_weights

        panel = self.get(name)
        criteria = panel["criteria"]
        judgments = sorted(panel["judgments"], key=lambda j: j["expert"])
        experts = [
            {**judgment, **judgment_consistency(judgment["matrix"], criteria)}
            for judgment in judgments
        ]
        out: dict[str, Any] = {
            "name": panel["name"],
            "title": panel["title"],
            "criteria": criteria,
            "answered": [judgment["expert"] for judgment in judgments],
            "experts": experts,
            "weights": None, "lambda_max": None, "ci": None, "cr": None,
            "consistent": None, "aggregated": None,
        }
        if judgments:
            group = group_ahp_weights(
                [j["matrix"] for j in judgments], criteria, warn=False
            )
            out.update(
                weights={c: float(w) for c, w in zip(criteria, group.weights, strict=True)},
                lambda_max=float(group.lambda_max), ci=float(group.ci), cr=float(group.cr),
                consistent=bool(group.consistent),
                aggregated=None if group.aggregated is None else group.aggregated.tolist(),
            )
        return out
