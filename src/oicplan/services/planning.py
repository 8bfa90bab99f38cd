"""Use cases of the scenario's ranking and plan: rank, plan, audit and scenarios.

Each function takes a typed request and returns an immutable result; the command
line (``oicplan rank|plan|audit|scenario``), the REST API and notebooks call the
same functions. A result carries JSON-ready data and, excluded from its dump, the
library object behind it (the :class:`~oicplan.ranking.RankedSites` of a ranking,
the :class:`~oicplan.plan.Plan` of a plan) for adapters that render more.

>>> result = scenario_list(ScenarioListRequest())
>>> [entry.name for entry in result.scenarios][:2]
['zhejiang', 'balanced']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.plan_document import LocalEvidence, PlanDocument, RankInterval
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    import pandas as pd

    from oicplan.plan import Plan
    from oicplan.ranking import RankedSites
    from oicplan.scenario import Scenario

__all__ = [
    "AuditRequest",
    "AuditResult",
    "PlanRequest",
    "PlanResult",
    "RankRequest",
    "RankResult",
    "RankedSite",
    "ScenarioEntry",
    "ScenarioListRequest",
    "ScenarioListResult",
    "ScenarioShowRequest",
    "ScenarioShowResult",
    "ScenarioValidateRequest",
    "ScenarioValidateResult",
    "audit",
    "load_request_scenario",
    "plan",
    "rank",
    "scenario_list",
    "scenario_show",
    "scenario_validate",
]


# ----------------------------------------------------------------------- shared inputs


class _ScenarioRequest(Request):
    """A request about one scenario: a built-in name or a YAML path, and its overrides."""

    scenario: str = Field("zhejiang", description="built-in scenario name or YAML path")
    avoid: list[str] = Field(
        default_factory=list,
        description="corridors to close on top of the scenario's transport.avoid",
    )
    weights: dict[str, float] | None = Field(
        None, description="pillar weights replacing the scenario's (re-rank)"
    )
    method: str | None = Field(None, description="ranking method replacing the scenario's")
    feedback: bool = Field(
        False, description="feed the registry's KPI performance back into the site scores"
    )
    database_url: str | None = Field(
        None, description="database of stored scenarios and of the registry (feedback)"
    )
    scenario_version: int | None = Field(
        None, ge=1, description="version of a stored scenario (default: its latest)"
    )


def _is_stored(name: str) -> bool:
    """A name that is neither a built-in scenario nor a YAML path names a stored scenario."""
    from oicplan.scenario import BUILTIN_SCENARIOS

    return name not in BUILTIN_SCENARIOS and not name.lower().endswith((".yaml", ".yml"))


def _load_scenario(request: _ScenarioRequest) -> Scenario:
    from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario

    if not _is_stored(request.scenario):
        return load_scenario(request.scenario)
    from oicplan.services.scenarios import load_stored_scenario

    try:
        return load_stored_scenario(
            request.scenario, request.scenario_version, database_url=request.database_url
        )
    except InputError as error:
        if error.field == "version":
            raise InputError(error.message, field="scenario_version") from None
        raise InputError(
            f"unknown scenario {request.scenario!r}: use one of {', '.join(BUILTIN_SCENARIOS)}, "
            "a path to a .yaml file or the name of a stored scenario",
            field="scenario",
        ) from None


def load_request_scenario(request: _ScenarioRequest) -> Scenario:
    """The request's scenario with its overrides applied (closures, weights, method).

    ``scenario`` is a built-in name, a YAML path, or the name of a scenario stored
    in the database (``scenario_version``: which version, the latest by default).
    Errors are :class:`~oicplan.errors.InputError` naming the field (``scenario``,
    ``scenario_version``, ``weights``, ``method``).

    >>> load_request_scenario(RankRequest(avoid=["suez"])).transport.avoid
    ['suez']
    """
    from oicplan.scenario import Ranking, Scenario

    scenario = _load_scenario(request)
    update: dict[str, Any] = {}
    if request.avoid:
        avoid = [*scenario.transport.avoid, *request.avoid]
        update["transport"] = scenario.transport.model_copy(update={"avoid": avoid})
    if request.weights is not None:
        unknown = sorted(set(request.weights) - set(scenario.weights))
        if unknown:
            raise InputError(
                f"unknown pillar {unknown[0]!r}; use {', '.join(scenario.weights)}",
                field="weights",
            )
        update["weights"] = {**scenario.weights, **request.weights}
    if request.method is not None:
        try:
            ranking = Ranking.model_validate(
                {**scenario.ranking.model_dump(), "method": request.method}
            )
        except ValueError:
            from typing import get_args

            methods = ", ".join(get_args(Ranking.model_fields["method"].annotation))
            raise InputError(
                f"unknown ranking method {request.method!r}; use {methods}", field="method"
            ) from None
        update["ranking"] = ranking
    if not update:
        return scenario
    changed = scenario.model_copy(update=update)
    Scenario.model_validate(changed.model_dump())  # the weights still pass their checks
    return changed


def _center_performance(request: _ScenarioRequest) -> pd.DataFrame | None:
    """Established centers' KPI performance per site from the registry, if asked."""
    if not request.feedback:
        return None
    from oicplan.data import load_dataset
    from oicplan.monitor.feedback import center_site_performance
    from oicplan.store import Registry

    return center_site_performance(Registry(request.database_url), load_dataset())


# ------------------------------------------------------------------------------- rank


class RankRequest(_ScenarioRequest):
    """Rank a scenario's candidate sites (optionally with other weights or method)."""

    intervals: bool = Field(
        True,
        description="also the Monte Carlo rank intervals (False: the ranking alone, faster; "
        "each site's rank_interval is then null)",
    )


class RankedSite(Result):
    """One ranked candidate site: score, rank, its interval and pillar scores."""

    site_id: str
    name: str
    name_zh: str | None = Field(
        None, description="the standard Chinese name (CLDR or GeoNames), else the original"
    )
    name_zh_source: str | None = Field(None, description="cldr, geonames or none")
    iso3: str
    site_type: str
    score: float
    rank: int
    rank_interval: RankInterval | None
    pillars: dict[str, float]
    local: LocalEvidence | None = Field(
        None,
        description="city-level evidence around the site, as in plan.json (research "
        "organizations, large airports, GII cluster; oicplan.data.cities)",
    )


class RankResult(Result):
    """The ranking of a scenario's candidates, best first."""

    scenario: str
    dataset: dict[str, str]
    method: str
    candidates: int
    pillars: list[str]
    sites: list[RankedSite]
    ranked: Any = Field(default=None, exclude=True, repr=False)

    def document(self, top: int | None = None) -> dict[str, Any]:
        """The ``oicplan rank --json`` document (the best ``top`` sites, all if None)."""
        sites = self.sites if top is None else self.sites[:top]
        return {
            "scenario": self.scenario,
            "dataset": self.dataset,
            "method": self.method,
            "candidates": self.candidates,
            "sites": [site.model_dump(mode="json") for site in sites],
        }


def _ranked_site(row: Any, pillars: list[str], local: dict[str, Any] | None = None) -> RankedSite:
    interval = None
    if hasattr(row, "median_rank"):
        interval = RankInterval(
            median=float(row.median_rank),
            p5=float(row.rank_p5),
            p95=float(row.rank_p95),
            top_k_frequency=round(float(row.top_k_frequency), 6),
        )
    return RankedSite(
        site_id=row.site_id,
        name=row.name,
        name_zh=getattr(row, "name_zh", None),
        name_zh_source=getattr(row, "name_zh_source", None),
        iso3=row.iso3,
        site_type=row.site_type,
        score=round(float(row.score), 6),
        rank=int(row.rank),
        rank_interval=interval,
        pillars={p: round(float(getattr(row, f"pillar_{p}")), 6) for p in pillars},
        local=None if local is None else LocalEvidence.model_validate(local),
    )


def rank_result(ranked: RankedSites) -> RankResult:
    """The :class:`RankResult` of a ranking made by :func:`oicplan.ranking.rank_sites`."""
    from oicplan.data.cities import local_objects

    pillars = list(ranked.pillar_ids)
    local = local_objects(ranked.table)
    return RankResult(
        scenario=ranked.scenario.name,
        dataset={"version": ranked.dataset_version},
        method=ranked.method,
        candidates=len(ranked.table),
        pillars=pillars,
        sites=[
            _ranked_site(row, pillars, local.get(str(row.site_id)))
            for row in ranked.table.itertuples()
        ],
        ranked=ranked,
    )


def rank(request: RankRequest) -> RankResult:
    """Rank a scenario's candidate sites, with the pillar scores behind each rank.

    >>> result = rank(RankRequest(scenario="zhejiang"))
    >>> result.sites[0].rank, result.candidates > 300
    (1, True)
    """
    from oicplan.ranking import rank_sites

    scenario = load_request_scenario(request)
    if not request.intervals:
        scenario = scenario.model_copy(
            update={"uncertainty": scenario.uncertainty.model_copy(update={"samples": 0})}
        )
    ranked = rank_sites(scenario, center_performance=_center_performance(request))
    return rank_result(ranked)


# ------------------------------------------------------------------------------- plan


class PlanRequest(_ScenarioRequest):
    """Choose a scenario's next centers."""

    centers: int | None = Field(None, ge=1, description="number of centers (overrides)")
    report: bool = Field(
        False, description="also compute the report's map layers and innovation network"
    )
    frontiers: bool = Field(
        True,
        description="compute the Pareto frontiers and robustness re-solves (False: a quick "
        "re-plan without them, said in the plan's notes)",
    )


class PlanResult(Result):
    """A plan: its document (``plan.json``), and for the report the plan, map and network."""

    document: PlanDocument
    plan: Any = Field(default=None, exclude=True, repr=False)
    map_layers: Any = Field(default=None, exclude=True, repr=False)
    network: Any = Field(default=None, exclude=True, repr=False)


def plan(
    request: PlanRequest,
    *,
    while_solving: Callable[[Any, Any, Any], object] | None = None,
) -> PlanResult:
    """Rank the scenario's candidates, choose its centers, and give the plan document.

    With ``request.report`` the result also carries what the report shows beyond
    the plan: the map's rail lines and sea lanes (:func:`oicplan.plan_map.map_layers`)
    and the innovation network (:func:`oicplan.plan_network.plan_network`),
    computed while the plan's frontier and robustness solves run in worker
    threads. The report (``report.html``, ``report.md``) is rendered from them by
    :func:`oicplan.report.write_plan`.

    ``while_solving(plan, map_layers, network)``, when given with ``request.report``, is
    called after those, while the solves may still run: an adapter's own work that
    does not need their results, such as :func:`oicplan.report.prepare_report`
    (``oicplan plan`` draws the report's charts there). Its result is not kept.
    """
    from oicplan.plan import make_plan

    made: Plan = make_plan(
        load_request_scenario(request),
        centers=request.centers,
        center_performance=_center_performance(request),
        frontiers=request.frontiers,
        background=request.report,
    )
    layers = network = None
    if request.report:
        from oicplan.plan_map import map_layers
        from oicplan.plan_network import plan_network

        try:
            layers = map_layers(made)
            network = plan_network(made)
            # While the solves still run: the parts of the document they do not change,
            # and the libraries the report will need (time the caller would wait anyway).
            made.mode_profiles()
            made.technology_watch()
            made.note_vocabulary()
            made.ranked.sobol  # noqa: B018 - the report's Sobol indices, made on first use
            if while_solving is not None:
                while_solving(made, layers, network)
            if made.solving():
                _import_quietly(_REPORT_LIBRARIES)
        finally:
            made.complete()
    return PlanResult(document=made.document(), plan=made, map_layers=layers, network=network)


#: Third-party libraries the report renders with (charts, HTML, Excel, Word). A plan
#: made for a report imports them while its frontier solves run in worker threads
#: (HiGHS releases the GIL), instead of when the report starts after them.
_REPORT_LIBRARIES = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "jinja2",
    "openpyxl",
    "docx",
)


def _import_quietly(modules: tuple[str, ...]) -> None:
    """Import ``modules`` now if they are installed (a missing one is left to its user)."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


# ------------------------------------------------------------------------------ audit


class AuditRequest(Request):
    """Audit the composite index behind a scenario's ranking."""

    scenario: str = "zhejiang"
    site: str | None = Field(None, description="a site_id: its strongest and weakest indicators")
    compare: dict[str, Any] = Field(
        default_factory=dict,
        description="build settings to change, e.g. {'imputation': 'group_mean'}",
    )
    top: int = Field(15, ge=1, description="rows of rank changes")


class AuditResult(Result):
    """Pillar coherence, a site's strengths and weaknesses, and rank changes."""

    scenario: str
    pillars: list[dict[str, Any]]
    site: dict[str, list[dict[str, Any]]] | None = None
    compare: dict[str, Any] | None = None

    def document(self) -> dict[str, Any]:
        """The ``oicplan audit --json`` document (``site`` and ``compare`` when asked)."""
        document: dict[str, Any] = {"scenario": self.scenario, "pillars": self.pillars}
        if self.site is not None:
            document["site"] = self.site
        if self.compare is not None:
            document["compare"] = self.compare
        return document


def _records(frame: Any) -> list[dict[str, Any]]:
    import json

    return json.loads(frame.to_json(orient="records"))  # type: ignore[no-any-return]


def audit(request: AuditRequest) -> AuditResult:
    """Cronbach's alpha and PC1 share per pillar, a site's profile, rank changes.

    Errors name the field: ``site`` (unknown or screened out), ``compare`` (an
    unknown build setting).
    """
    from oicplan.indicators.audit import audit as audit_index
    from oicplan.indicators.audit import strengths_weaknesses
    from oicplan.indicators.engine import compare as compare_builds
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    ranked = rank_sites(load_scenario(request.scenario))
    index = ranked.scores.index
    summary = audit_index(index).summary()
    site = None
    if request.site:
        if request.site not in index.units:
            raise InputError(f"unknown or screened-out site {request.site!r}", field="site")
        parts = strengths_weaknesses(index, request.site)
        site = {
            name: _records(frame.reset_index(names="indicator")) for name, frame in parts.items()
        }
    compared = None
    if request.compare:
        try:
            variant = index.rebuild(**request.compare)
        except TypeError as error:
            raise InputError(f"unknown build setting ({error})", field="compare") from None
        table = compare_builds(index, variant)
        moved = table[table["rank_change"].fillna(0) != 0]
        moved = moved.reindex(moved["rank_change"].abs().sort_values(ascending=False).index)
        compared = {
            "changes": dict(request.compare),
            "units_moved": int(len(moved)),
            "rank_changes": _records(moved.head(request.top).reset_index()),
        }
    return AuditResult(
        scenario=ranked.scenario.name,
        pillars=_records(summary.reset_index()),
        site=site,
        compare=compared,
    )


# -------------------------------------------------------------------------- scenarios


class ScenarioListRequest(Request):
    """List the built-in scenarios."""


class ScenarioEntry(Result):
    """A built-in scenario's name and titles."""

    name: str
    title_en: str
    title_zh: str


class ScenarioListResult(Result):
    """The built-in scenarios, in their preset order."""

    scenarios: list[ScenarioEntry]


def scenario_list(request: ScenarioListRequest) -> ScenarioListResult:
    """The built-in scenario and the layout-strategy presets."""
    from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario

    entries = []
    for name in BUILTIN_SCENARIOS:
        scenario = load_scenario(name)
        entries.append(
            ScenarioEntry(name=name, title_en=scenario.title_en, title_zh=scenario.title_zh)
        )
    return ScenarioListResult(scenarios=entries)


class ScenarioShowRequest(Request):
    """A scenario's YAML text, to copy and edit."""

    name: str


class ScenarioShowResult(Result):
    """The scenario's YAML text (checked to load)."""

    name: str
    yaml: str


def scenario_show(request: ScenarioShowRequest) -> ScenarioShowResult:
    """The YAML of a built-in scenario or a file, after checking that it loads.

    >>> "selection:" in scenario_show(ScenarioShowRequest(name="zhejiang")).yaml
    True
    """
    from oicplan.scenario import load_scenario, scenario_yaml

    load_scenario(request.name)
    return ScenarioShowResult(name=request.name, yaml=scenario_yaml(request.name))


class ScenarioValidateRequest(Request):
    """Check a scenario file as plan and optimize would."""

    path: str


class ScenarioValidateResult(Result):
    """A valid scenario and how many candidate sites it has."""

    path: str
    candidates: int


def scenario_validate(request: ScenarioValidateRequest) -> ScenarioValidateResult:
    """Check a scenario file: its fields, then what plan and optimize would reject later.

    Besides the fields, checks the center modes of ``selection.capacity``, the
    ``selection.enterprises`` file (read and validated) and the regions of
    ``selection.min_per_region``. Errors name the file and the field.
    """
    from oicplan.data import load_dataset
    from oicplan.plan import check_selection
    from oicplan.ranking import candidate_sites
    from oicplan.scenario import load_scenario

    scenario = load_scenario(request.path)
    dataset = load_dataset()
    check_selection(scenario, dataset, read_enterprises=True)
    sites = candidate_sites(dataset, scenario)
    return ScenarioValidateResult(path=request.path, candidates=len(sites))
