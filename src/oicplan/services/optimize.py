"""Use cases: the exact layout model for a scenario, and classic location models.

:func:`optimize` loads the scenario, checks its selection, ranks its candidate
sites, builds and solves :class:`~oicplan.optimize.layout.Layout`, and optionally
traces the Pareto frontier and writes its chart. The result's ``document`` is the
JSON that ``oicplan optimize --json`` prints. :func:`locate` solves a
p-median, MCLP, LSCP or p-center model from a cost file (``oicplan locate``).

Errors are :class:`~oicplan.errors.InputError` naming the request field
(``max_centers``, ``annual_budget``, ...) or, for the scenario's own settings,
the scenario file and the ``selection.*`` field; an infeasible request raises
:class:`~oicplan.errors.InfeasibleError` naming the constraint groups that conflict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from oicplan.assumptions import applied
from oicplan.errors import InputError
from oicplan.services._base import Request, Result

__all__ = [
    "LocateRequest",
    "LocateResult",
    "OptimizeRequest",
    "OptimizeResult",
    "Step",
    "locate",
    "optimize",
]

#: Shows one long step while it runs (the command line passes a spinner).
Step = Callable[[str], AbstractContextManager[Any]]


class OptimizeRequest(Request):
    """What to optimize: a scenario and the limits that override its ``selection``.

    ``None`` means "the scenario's value" (or no limit where the scenario has none).
    """

    scenario: str = "zhejiang"
    avoid: list[str] = Field(
        default_factory=list,
        description="corridors to close on top of the scenario's transport.avoid "
        "(sea passages, border crossings, rail routes: oicplan.services.closures)",
    )
    max_centers: int | None = None
    budget: float | None = None
    horizon: int | None = None
    annual_budget: float | None = None
    costs: Path | None = None
    pareto: bool = False
    against: Literal["cost", "risk"] = "cost"
    points: int = 7
    chart: Path | None = None
    time_limit: float | None = None
    mip_gap: float | None = None
    first_year: int | None = None
    min_per_strategy: int | dict[str, int] | None = None
    min_per_region: dict[str, int] | None = None
    per_country_cap: int | None = None
    max_mean_risk: float | None = None
    max_total_risk: float | None = None
    enterprises: str | None = None
    capacity: int | dict[str, int] | None = None


class OptimizeResult(Result):
    """The solved layout.

    ``document`` is JSON-ready (what ``oicplan optimize --json`` prints: the
    model's :meth:`~oicplan.optimize.layout.Layout.to_dict` with site names,
    the scenario, the enterprises served, the cost file and, when asked, the
    Pareto points and the chart path). ``layout`` and ``pareto_table`` are the
    library objects behind it (not dumped).
    """

    document: dict[str, Any]
    layout: Any = Field(default=None, exclude=True)
    pareto_table: Any = Field(default=None, exclude=True)


def _clean(value: Any) -> Any:
    """JSON-safe native value (NaN -> None)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _check(request: OptimizeRequest) -> None:
    """The checks that need no data, before any (long) step."""
    r = request
    if r.max_centers is not None and r.max_centers < 1:
        raise InputError(f"max_centers must be >= 1, got {r.max_centers}", field="max_centers")
    if r.horizon is not None and not 1 <= r.horizon <= 30:
        raise InputError(f"horizon must be 1..30 years, got {r.horizon}", field="horizon")
    if r.annual_budget is not None and r.horizon is None:
        raise InputError("annual_budget needs horizon", field="annual_budget")
    if r.chart is not None and not r.pareto:
        raise InputError("chart needs pareto", field="chart")
    if r.chart is not None:
        # Before the (long) solve: a chart path that cannot be written fails at once.
        if r.chart.is_dir():
            raise InputError(f"{r.chart} is a folder; give the SVG file to write", field="chart")
        r.chart.parent.mkdir(parents=True, exist_ok=True)
    if r.points < 2:
        raise InputError(f"points must be >= 2, got {r.points}", field="points")
    if r.per_country_cap is not None and r.per_country_cap < 1:
        raise InputError(
            f"per_country_cap must be >= 1, got {r.per_country_cap}", field="per_country_cap"
        )


def _capacity_setting(option: Any, scenario_value: Any) -> Any:
    """``from_ranking``'s capacity: the request's, else the scenario's, else none."""
    chosen = scenario_value if option is None else option
    if chosen is None:
        return False
    if chosen == 0 and not isinstance(chosen, dict):
        raise InputError("capacity must be at least 1", field="capacity")
    return chosen


def optimize(request: OptimizeRequest, *, step: Step | None = None) -> OptimizeResult:
    """Rank the scenario, build and solve the layout model (and its Pareto frontier).

    Parameters
    ----------
    request : OptimizeRequest
        The scenario and the limits.
    step : callable, optional
        ``step(message)`` gives a context manager shown while a long step runs
        (ranking, solving); nothing by default.

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> out = optimize(OptimizeRequest(max_centers=3)).document
    >>> out["status"], len([s for s in out["chosen"] if not s["existing"]])
    ('optimal', 3)
    """
    from oicplan.domain import CENTER_MODES
    from oicplan.optimize.layout import Layout, pareto_figure, read_layout_costs, save_svg
    from oicplan.plan import check_selection, served_enterprises
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario
    from oicplan.services.closures import check_closures

    step = step or (lambda message: nullcontext())
    r = request
    _check(r)
    closed = check_closures(r.avoid)
    scenario = load_scenario(r.scenario)
    if closed:
        # As oicplan plan --avoid: the closures add to the scenario's own, and the
        # ranking recomputes each site's access on the disrupted transport graph.
        avoid = [*scenario.transport.avoid,
                 *(name for name in closed if name not in scenario.transport.avoid)]
        scenario = scenario.model_copy(
            update={"transport": scenario.transport.model_copy(update={"avoid": avoid})})
    check_selection(scenario)
    if isinstance(r.min_per_strategy, dict):
        unknown = sorted(set(r.min_per_strategy) - set(scenario.strategies))
        if unknown:
            raise InputError(
                f"min_per_strategy: unknown strategy {', '.join(map(repr, unknown))}; "
                f"this scenario's strategies are {', '.join(scenario.strategies)}",
                field="min_per_strategy",
            )
    selection = scenario.selection
    for name in ("max_mean_risk", "max_total_risk"):
        value = getattr(r, name)
        if value is not None and value < 0:
            raise InputError(f"{name} must be >= 0, got {value}", field=name)
    source = r.enterprises if r.enterprises is not None else selection.enterprises
    served = served_enterprises(source)
    with step(f"ranking the candidate sites of {scenario.name}"):
        ranked = rank_sites(scenario)
    cost_table = None
    if r.costs is not None:
        cost_table = read_layout_costs(r.costs, ranked.table["site_id"], list(CENTER_MODES))
    with applied(scenario.assumptions):  # its stated numbers: admissible modes, factors
        model = Layout.from_ranking(
            ranked,
            max_centers=r.max_centers,
            budget=r.budget,
            horizon=r.horizon,
            annual_budget=r.annual_budget,
            costs=cost_table,
            first_year=r.first_year,
            min_per_strategy=(
                selection.min_per_strategy if r.min_per_strategy is None else r.min_per_strategy
            )
            or None,
            min_per_region=(selection.min_per_region if r.min_per_region is None
                            else r.min_per_region) or None,
            per_country_cap=r.per_country_cap,
            max_mean_risk=selection.max_mean_risk if r.max_mean_risk is None else r.max_mean_risk,
            max_total_risk=(selection.max_total_risk if r.max_total_risk is None
                            else r.max_total_risk),
            enterprises=served,
            capacity=_capacity_setting(r.capacity, selection.capacity),
        )
    with step("solving the layout model (HiGHS)"):
        model.solve(time_limit=r.time_limit, mip_gap=r.mip_gap)
    out = model.to_dict()
    info = ranked.table.set_index("site_id")
    for site in out["chosen"]:
        site["name"] = str(info.at[site["site_id"], "name"])
        site["iso3"] = str(info.at[site["site_id"], "iso3"])
        site["score"] = round(float(info.at[site["site_id"], "score"]), 6)
    out["scenario"] = ranked.scenario.name
    out["avoid"] = list(scenario.transport.avoid)
    if served is not None:
        flags = served.get("synthetic", [])
        out["enterprises"] = {
            "source": str(source),
            "count": len(served),
            "synthetic": bool(any(flags)),
        }
    out["cost_file"] = None if r.costs is None else str(r.costs)
    table = None
    if r.pareto:
        table = model.pareto(r.against, points=r.points, time_limit=r.time_limit,
                             mip_gap=r.mip_gap)
        out["pareto"] = [
            {k: _clean(v) for k, v in row.items()} for row in table.to_dict(orient="records")
        ]
        if r.chart is not None:
            title = f"{ranked.scenario.name}: benefit against {table.attrs['against']}"
            save_svg(pareto_figure(table, title=title), r.chart)
            out["chart"] = str(r.chart)
    return OptimizeResult(document=out, layout=model, pareto_table=table)


# ---------------------------------------------------------------------------
# classic facility-location models (oicplan locate)
# ---------------------------------------------------------------------------

#: The parameters each classic model needs.
LOCATE_NEEDS: dict[str, tuple[str, ...]] = {
    "pmedian": ("p",),
    "mclp": ("p", "radius"),
    "lscp": ("radius",),
    "pcenter": ("p",),
}


class LocateRequest(Request):
    """A classic model, its cost file (demands x facilities) and its parameters.

    ``p`` (facilities to open) for pmedian, mclp and pcenter; ``radius`` (in cost
    units) for mclp and lscp; ``predefined`` facility ids must open.
    """

    model: Literal["pmedian", "mclp", "lscp", "pcenter"]
    costs: Path
    demand_weights: Path | None = None
    p: int | None = None
    radius: float | None = None
    predefined: list[str] = []
    time_limit: float | None = None


class LocateResult(Result):
    """The solved model: ``document`` as ``oicplan locate --json`` prints it;
    ``solved`` the :class:`~oicplan.optimize._base.LocationModel` (not dumped)."""

    document: dict[str, Any]
    solved: Any = Field(default=None, exclude=True)


def locate(request: LocateRequest) -> LocateResult:
    """Read the files, build and solve a p-median, MCLP, LSCP or p-center model.

    Examples
    --------
    >>> import os, tempfile
    >>> c = os.path.join(tempfile.mkdtemp(), "c.csv")
    >>> _ = open(c, "w").write("demand,F1,F2\\nd1,1,5\\nd2,4,1\\nd3,2,6\\n")
    >>> locate(LocateRequest(model="pmedian", costs=c, p=1)).document["facilities"]
    ['F1']
    """
    from oicplan.optimize._inputs import read_costs, read_weights
    from oicplan.optimize.center import PCenter
    from oicplan.optimize.covering import LSCP, MCLP
    from oicplan.optimize.pmedian import PMedian

    r = request
    given = {"p": r.p, "radius": r.radius}
    for name in LOCATE_NEEDS[r.model]:
        if given[name] is None:
            raise InputError(f"{r.model} needs {name}", field=name)
    for name, value in given.items():
        if value is not None and name not in LOCATE_NEEDS[r.model]:
            raise InputError(f"{r.model} does not use {name}", field=name)
    matrix = read_costs(r.costs)
    weights = None if r.demand_weights is None else read_weights(r.demand_weights, matrix)
    pre = list(r.predefined)
    p: Any = r.p  # present where the model needs it (checked above)
    radius: Any = r.radius
    if r.model == "pmedian":
        built: Any = PMedian.from_cost_matrix(matrix, weights, p=p, predefined=pre)
    elif r.model == "mclp":
        built = MCLP.from_cost_matrix(matrix, weights, p=p, radius=radius, predefined=pre)
    elif r.model == "lscp":
        built = LSCP.from_cost_matrix(matrix, weights, radius=radius, predefined=pre)
    else:
        built = PCenter.from_cost_matrix(matrix, weights, p=p, predefined=pre)
    solved = built.solve(time_limit=r.time_limit)
    return LocateResult(document=solved.to_dict(), solved=solved)
