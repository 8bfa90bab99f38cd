"""Use cases: the stated numbers that drive a plan, and how far each one moves it.

:func:`assumptions` lists the table of :mod:`oicplan.assumptions` (name, value,
unit, reason, source, where it is used), with a scenario's overrides applied when
one is named; ``oicplan assumptions`` and ``GET /api/assumptions`` print it.

:func:`assumption_sweep` is the one-at-a-time sensitivity of a plan to those numbers
(``oicplan sensitivity --assumptions``): the scenario's plan is made once as stated,
then again with one assumption set to each value of its sweep (its stated value
times ``1 ± k·spread/steps``, k = 1..steps, kept within its range, or the values the
request gives), the others as stated. Each point says whether the chosen sites or
their center modes differ from the base plan. The re-plans skip the Pareto frontiers
and the robustness re-solves (``make_plan(frontiers=False)``) and reuse the cached
stages that the assumptions do not change, so a sweep of every plan assumption takes
seconds.

>>> rows = assumptions(AssumptionsRequest()).assumptions
>>> rows[0].name, rows[0].value
('mode.pillar_threshold', 0.5)
>>> sweep_values(0.5, spread=0.2, steps=2, low=0.0, high=1.0)
[0.4, 0.45, 0.55, 0.6]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

__all__ = [
    "AssumptionRow",
    "AssumptionSweepRequest",
    "AssumptionSweepResult",
    "AssumptionsRequest",
    "AssumptionsResult",
    "SweepPoint",
    "assumption_sweep",
    "assumptions",
    "expand_names",
    "sweep_values",
]

#: ``progress(stage, done, total)`` as the re-plans of a sweep run.
Progress = Callable[[str, int, int | None], None]


class AssumptionsRequest(Request):
    """Which assumptions to list: all, or those that move a plan; a scenario's values.

    ``scenario`` (a built-in name or a YAML file) shows the values its ``assumptions``
    set (``overridden`` true); without it, the stated values.
    """

    scenario: str | None = None
    plan_only: bool = False


class AssumptionRow(Result):
    """One stated number: value (as used), stated default, unit, reason, source, users."""

    name: str
    value: float
    default: float
    unit: str
    unit_zh: str
    reason: str
    reason_zh: str
    source: str
    used_by: list[str]
    plan: bool = Field(description="True: it can move a plan (a scenario may set it)")
    overridden: bool


class AssumptionsResult(Result):
    """The table of stated numbers, in the order of :data:`oicplan.assumptions.ASSUMPTIONS`."""

    scenario: str | None = None
    assumptions: tuple[AssumptionRow, ...]


class AssumptionSweepRequest(Request):
    """The one-at-a-time sweep: which scenario, which assumptions, over which values.

    ``names`` default to every assumption that can move a plan (a name with ``*``
    stands for those it matches: ``mode_fit.*``); ``spread`` and
    ``steps`` give each one's values (see the module docstring) unless ``values``
    names them (``{"mode.pillar_threshold": [0.4, 0.6]}``).
    """

    scenario: str = "zhejiang"
    names: list[str] | None = None
    spread: float = Field(0.2, gt=0, le=1)
    steps: int = Field(2, ge=1, le=10)
    values: dict[str, list[float]] = {}


class SweepPoint(Result):
    """The plan with one assumption at one value, compared with the base plan."""

    name: str
    value: float
    default: float
    status: str = Field(description="ok, or infeasible (the message in 'error')")
    error: str | None = None
    sites_added: list[str] = []
    sites_removed: list[str] = []
    modes_changed: list[dict[str, str]] = Field(
        [], description="site_id, base and new mode of each site kept with another mode"
    )
    changed: bool = Field(description="the chosen sites or a center mode differ")


class AssumptionSweepResult(Result):
    """The base plan's sites and modes and every point of the sweep.

    ``document`` is the JSON of ``oicplan sensitivity --assumptions --json``.
    """

    scenario: str
    base: dict[str, str] = Field(description="site_id -> center mode of the base plan")
    points: tuple[SweepPoint, ...]
    moved_by: list[str] = Field(description="the assumptions that changed the plan at some value")

    @property
    def document(self) -> dict[str, Any]:
        """JSON-ready dump."""
        return self.model_dump(mode="json")


def sweep_values(value: float, *, spread: float, steps: int, low: float, high: float,
                 integer: bool = False) -> list[float]:
    """The values of a one-at-a-time sweep around ``value``, within ``[low, high]``.

    ``value × (1 + k·spread/steps)`` for k = -steps..steps without 0, rounded to 6
    places (whole numbers for an integer assumption), clipped to the range, each once,
    the stated value left out.

    >>> sweep_values(0.75, spread=0.4, steps=2, low=0.0, high=1.0)
    [0.45, 0.6, 0.9, 1.0]
    >>> sweep_values(2, spread=0.5, steps=1, low=1, high=20, integer=True)
    [1.0, 3.0]
    """
    out: list[float] = []
    for k in [*range(-steps, 0), *range(1, steps + 1)]:
        number = min(max(value * (1 + k * spread / steps), low), high)
        number = float(round(number)) if integer else round(number, 6)
        if number != value and number not in out:
            out.append(number)
    return out


def assumptions(request: AssumptionsRequest) -> AssumptionsResult:
    """The stated numbers with their values, units, reasons and users.

    Raises :class:`~oicplan.errors.InputError` for a scenario that cannot be read.

    >>> result = assumptions(AssumptionsRequest(plan_only=True))
    >>> all(row.plan for row in result.assumptions)
    True
    """
    from oicplan.assumptions import records

    given: dict[str, float] = {}
    if request.scenario is not None:
        from oicplan.scenario import load_scenario

        given = load_scenario(request.scenario).assumptions
    rows = records(given, plan_only=request.plan_only)
    return AssumptionsResult(
        scenario=request.scenario,
        assumptions=tuple(AssumptionRow.model_validate(row) for row in rows),
    )


def expand_names(given: list[str]) -> list[str]:
    """The plan assumptions named, a name with ``*`` standing for those it matches.

    >>> expand_names(["mode_fit.joint_lab.*", "mode.pillar_threshold"])
    ['mode_fit.joint_lab.talent', 'mode_fit.joint_lab.innovation', 'mode.pillar_threshold']
    """
    from fnmatch import fnmatchcase

    from oicplan.assumptions import plan_assumptions

    names: list[str] = []
    for name in given:
        if "*" not in name:
            found = [name]
        else:
            found = [n for n in plan_assumptions() if fnmatchcase(n, name)]
            if not found:
                raise InputError(
                    f"{name!r} matches no assumption that can move a plan; use one of "
                    f"{', '.join(plan_assumptions())}", field="names",
                )
        names += [n for n in found if n not in names]
    return names


def _names(request: AssumptionSweepRequest) -> list[str]:
    from oicplan.assumptions import ASSUMPTIONS, plan_assumptions

    names = expand_names(request.names) if request.names else list(plan_assumptions())
    names += [name for name in request.values if name not in names]
    for name in names:
        if name not in ASSUMPTIONS:
            raise InputError(
                f"unknown assumption {name!r}; use one of {', '.join(plan_assumptions())}",
                field="names",
            )
        if not ASSUMPTIONS[name].plan:
            raise InputError(
                f"{name!r} does not move a plan; sweep one of {', '.join(plan_assumptions())}",
                field="names",
            )
    return names


def _point(name: str, number: float, stated: float, base: dict[str, str], plan: Any) -> SweepPoint:
    if isinstance(plan, str):
        return SweepPoint(name=name, value=number, default=stated, status="infeasible",
                          error=plan, changed=True)
    modes = dict(zip(plan.chosen["site_id"], plan.chosen["mode"], strict=True))
    added = sorted(set(modes) - set(base))
    removed = sorted(set(base) - set(modes))
    moved = [
        {"site_id": site, "base": base[site], "new": modes[site]}
        for site in sorted(set(base) & set(modes))
        if base[site] != modes[site]
    ]
    return SweepPoint(
        name=name, value=number, default=stated, status="ok", sites_added=added,
        sites_removed=removed, modes_changed=moved, changed=bool(added or removed or moved),
    )


def assumption_sweep(
    request: AssumptionSweepRequest, *, progress: Progress | None = None
) -> AssumptionSweepResult:
    """One-at-a-time sweep of the assumptions that can move a plan (module docstring).

    Errors are :class:`~oicplan.errors.InputError` naming ``names`` or
    ``values.NAME`` (an unknown name, a value out of the assumption's range).
    """
    from oicplan.assumptions import ASSUMPTIONS, check_overrides
    from oicplan.errors import InfeasibleError
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    report = progress or (lambda stage, done, total: None)
    names = _names(request)
    for name, numbers in request.values.items():
        for number in numbers:
            check_overrides({name: number}, field="values")
    scenario = load_scenario(request.scenario)
    stated = {name: scenario.assumptions.get(name, ASSUMPTIONS[name].value) for name in names}
    plan_of: dict[tuple[str, float], Any] = {}
    jobs = []
    for name in names:
        item = ASSUMPTIONS[name]
        numbers = request.values.get(name) or sweep_values(
            stated[name], spread=request.spread, steps=request.steps, low=item.low,
            high=item.high, integer=item.integer,
        )
        jobs += [(name, float(number)) for number in numbers]
    report("plans", 0, len(jobs) + 1)
    base_plan = make_plan(scenario, frontiers=False)
    base = dict(zip(base_plan.chosen["site_id"], base_plan.chosen["mode"], strict=True))
    points = []
    for done, (name, number) in enumerate(jobs, start=1):
        changed = scenario.model_copy(
            update={"assumptions": {**scenario.assumptions, name: number}}
        )
        try:
            plan_of[(name, number)] = make_plan(changed, frontiers=False)
        except InfeasibleError as error:
            plan_of[(name, number)] = str(error)
        points.append(_point(name, number, stated[name], base, plan_of[(name, number)]))
        report("plans", done + 1, len(jobs) + 1)
    moved = [name for name in names if any(p.changed for p in points if p.name == name)]
    return AssumptionSweepResult(
        scenario=scenario.name, base=base, points=tuple(points), moved_by=moved
    )
