"""Use cases of finished plan runs: a run's plan and map, and two runs side by side.

:func:`plan_of_run` gives a plan run's document (``plan.json``) and
:func:`map_of_run` its map layers, both kept in the run's results by the job
runner (:mod:`oicplan.api.jobs`). :func:`compare_plans` reads two finished plan
runs (their plan documents and rankings) and answers, per site
chosen in either run, whether it entered (chosen in ``b`` only), left (chosen
in ``a`` only) or stayed, with the reasons the two runs give: the rank and score
in each run, a change of center mode or strategy, a site screened out of one
ranking, and the settings that differ between the runs (weights, method,
number of centers, closures, dataset). Reasons carry a ``code`` and its values
for pages to word, and a sentence in English and Chinese.

>>> a = {"sites": [{"site_id": "s1", "name": "A", "iso3": "X", "rank": 1, "score": 0.9,
...                  "mode": "hub", "strategy": "tech"}], "screened_out": {}}
>>> b = {"sites": [{"site_id": "s2", "name": "B", "iso3": "Y", "rank": 1, "score": 0.8,
...                  "mode": "hub", "strategy": "tech"}], "screened_out": {}}
>>> ranks_a = [{"site_id": "s1", "rank": 1, "score": 0.9},
...            {"site_id": "s2", "rank": 3, "score": 0.5}]
>>> ranks_b = [{"site_id": "s2", "rank": 1, "score": 0.8},
...            {"site_id": "s1", "rank": 4, "score": 0.4}]
>>> changes = site_changes(a, b, ranks_a, ranks_b)
>>> [(c.site_id, c.change, c.reasons[0].code) for c in changes]
[('s2', 'entered', 'rank_up'), ('s1', 'left', 'rank_down')]
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from oicplan.errors import ConflictError, InputError
from oicplan.plan_document import PlanDocument
from oicplan.services._base import Request, Result

__all__ = [
    "ComparePlansRequest",
    "PlanMap",
    "PlanRunRequest",
    "PlanComparison",
    "PlanRunSummary",
    "SettingChange",
    "SiteChange",
    "SiteReason",
    "compare_plans",
    "map_of_run",
    "plan_of_run",
    "site_changes",
]

# One sentence per reason code, in English and Chinese (the pages may word the code
# themselves; these are what the API gives).
_REASONS: dict[str, tuple[str, str]] = {
    "rank_up": ("rank rose from {rank_a} to {rank_b} (score {score_a} → {score_b})",
                "排名由第{rank_a}位升至第{rank_b}位（得分 {score_a} → {score_b}）"),
    "rank_down": ("rank fell from {rank_a} to {rank_b} (score {score_a} → {score_b})",
                  "排名由第{rank_a}位降至第{rank_b}位（得分 {score_a} → {score_b}）"),
    "rank_same": ("rank {rank_b} in both runs (score {score_a} → {score_b}); the selection "
                  "rules decided",
                  "两次排名均为第{rank_b}位（得分 {score_a} → {score_b}），由选址规则决定"),
    "screened_out_a": ("screened out of run A's ranking ({why})", "在方案A的排名中被筛除（{why}）"),
    "screened_out_b": ("screened out of run B's ranking ({why})", "在方案B的排名中被筛除（{why}）"),
    "not_ranked_a": ("not a candidate in run A", "在方案A中不是候选地"),
    "not_ranked_b": ("not a candidate in run B", "在方案B中不是候选地"),
    "mode_changed": ("center mode changed from {mode_a} to {mode_b}",
                     "中心模式由 {mode_a} 改为 {mode_b}"),
    "strategy_changed": ("strategy changed from {strategy_a} to {strategy_b}",
                         "布局策略由 {strategy_a} 改为 {strategy_b}"),
    "centers_changed": ("the number of centers changed from {a} to {b}",
                        "中心数量由 {a} 个变为 {b} 个"),
}


def _shown(key: str, value: Any, lang: int) -> Any:
    """A value as a sentence shows it: a mode or strategy by its name, a gap as a dash."""
    from oicplan.domain import CENTER_MODES, STRATEGIES

    if value is None:
        return "–"
    if key.startswith("mode_") and value in CENTER_MODES:
        return CENTER_MODES[value][lang]
    if key.startswith("strategy_") and value in STRATEGIES:
        return STRATEGIES[value][lang]
    return value


def _reason(code: str, why_zh: str | None = None, **values: Any) -> SiteReason:
    english, chinese = _REASONS[code]
    shown_en = {key: _shown(key, value, 0) for key, value in values.items()}
    shown_zh = {key: _shown(key, value, 1) for key, value in values.items()}
    if why_zh:
        shown_zh["why"] = why_zh
    return SiteReason(code=code, values=values, text=english.format(**shown_en),
                      text_zh=chinese.format(**shown_zh))


class SiteReason(Result):
    """One reason a site entered, left or changed: a code, its values and a sentence."""

    code: str
    values: dict[str, Any]
    text: str
    text_zh: str


class SiteChange(Result):
    """A site chosen in one run or both: what changed, and why."""

    site_id: str
    name: str
    name_zh: str = Field(description="the Chinese name, else the original name")
    iso3: str
    change: Literal["entered", "left", "kept"]
    rank_a: int | None
    rank_b: int | None
    score_a: float | None
    score_b: float | None
    mode_a: str | None
    mode_b: str | None
    strategy_a: str | None
    strategy_b: str | None
    reasons: tuple[SiteReason, ...]


class SettingChange(Result):
    """A setting that differs between the two runs (a weight, the method, the centers ...)."""

    setting: str
    a: Any
    b: Any


class PlanRunSummary(Result):
    """Which plan run a side of the comparison is."""

    run_id: str
    scenario: str
    scenario_version: int | None
    dataset_version: str | None
    created: str | None
    centers: int


class ComparePlansRequest(Request):
    """Compare two finished plan runs (``a`` the earlier or reference one)."""

    database_url: str | None = Field(None, description="database of the runs")
    a: str = Field(min_length=1, max_length=64, description="the reference plan run's id")
    b: str = Field(min_length=1, max_length=64, description="the plan run compared with it")


class PlanRunRequest(Request):
    """One finished plan run."""

    database_url: str | None = Field(None, description="database of the runs")
    run_id: str = Field(min_length=1, max_length=64)


class PlanMap(Result):
    """A plan's map: candidates, chosen sites by mode, centers, zones, hubs, rail and sea lines.

    See :func:`oicplan.services.jobs.map_document` for the items.
    """

    run_id: str
    scenario: str
    candidates: list[dict[str, Any]]
    chosen: list[dict[str, Any]]
    existing_centers: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    hubs: list[dict[str, Any]]
    rail_lines: list[list[list[float | None]]]
    sea_lanes: list[dict[str, Any]]


class PlanComparison(Result):
    """The sites that enter, leave and stay between two plan runs, and the settings that differ."""

    a: PlanRunSummary
    b: PlanRunSummary
    settings: tuple[SettingChange, ...]
    entered: tuple[SiteChange, ...]
    left: tuple[SiteChange, ...]
    kept: tuple[SiteChange, ...]


def _score(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def _by_site(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(row["site_id"]): row for row in rows}


def _rank_reasons(
    site_id: str, ranked_a: dict[str, dict[str, Any]], ranked_b: dict[str, dict[str, Any]],
    plan_a: dict[str, Any], plan_b: dict[str, Any],
) -> list[SiteReason]:
    reasons = []
    for side, ranked, plan in (("a", ranked_a, plan_a), ("b", ranked_b, plan_b)):
        if site_id not in ranked:
            screened = plan.get("screened_out") or {}
            if site_id in screened:
                why_zh = (plan.get("screened_out_zh") or {}).get(site_id)
                reasons.append(_reason(f"screened_out_{side}", why_zh, why=screened[site_id]))
            else:
                reasons.append(_reason(f"not_ranked_{side}"))
    if site_id in ranked_a and site_id in ranked_b:
        rank_a, rank_b = int(ranked_a[site_id]["rank"]), int(ranked_b[site_id]["rank"])
        code = "rank_up" if rank_b < rank_a else "rank_down" if rank_b > rank_a else "rank_same"
        reasons.append(_reason(
            code, rank_a=rank_a, rank_b=rank_b, score_a=_score(ranked_a[site_id].get("score")),
            score_b=_score(ranked_b[site_id].get("score")),
        ))
    return reasons


def site_changes(
    plan_a: dict[str, Any],
    plan_b: dict[str, Any],
    ranking_a: list[dict[str, Any]] | None = None,
    ranking_b: list[dict[str, Any]] | None = None,
) -> list[SiteChange]:
    """The sites chosen in either plan document, entered first, then left, then kept.

    ``ranking_a`` / ``ranking_b``: every ranked candidate of each run
    (``site_id``, ``rank``, ``score``); without them only the chosen sites'
    ranks are known. Within each group, sites come in the order of their rank in
    the run that chose them.
    """
    chosen_a, chosen_b = _by_site(plan_a.get("sites", [])), _by_site(plan_b.get("sites", []))
    ranked_a = _by_site(ranking_a) if ranking_a else dict(chosen_a)
    ranked_b = _by_site(ranking_b) if ranking_b else dict(chosen_b)
    order = [*sorted(chosen_b, key=lambda s: chosen_b[s]["rank"]),
             *sorted(set(chosen_a) - set(chosen_b), key=lambda s: chosen_a[s]["rank"])]
    changes = []
    for site_id in order:
        a, b = chosen_a.get(site_id), chosen_b.get(site_id)
        change: Literal["entered", "left", "kept"] = (
            "kept" if a and b else "entered" if b else "left"
        )
        reasons = _rank_reasons(site_id, ranked_a, ranked_b, plan_a, plan_b)
        if a is not None and b is not None:
            reasons = [r for r in reasons if r.code != "rank_same"]
            if a.get("mode") != b.get("mode"):
                reasons.append(_reason("mode_changed", mode_a=a.get("mode"), mode_b=b.get("mode")))
            if a.get("strategy") != b.get("strategy"):
                reasons.append(_reason("strategy_changed", strategy_a=a.get("strategy"),
                                       strategy_b=b.get("strategy")))
        row = b or a
        assert row is not None
        in_a, in_b = ranked_a.get(site_id), ranked_b.get(site_id)
        changes.append(SiteChange(
            site_id=site_id, name=str(row.get("name", site_id)),
            name_zh=str(row.get("name_zh") or row.get("name", site_id)),
            iso3=str(row.get("iso3", "")),
            change=change,
            rank_a=None if in_a is None else int(in_a["rank"]),
            rank_b=None if in_b is None else int(in_b["rank"]),
            score_a=None if in_a is None else _score(in_a.get("score")),
            score_b=None if in_b is None else _score(in_b.get("score")),
            mode_a=None if a is None else a.get("mode"),
            mode_b=None if b is None else b.get("mode"),
            strategy_a=None if a is None else a.get("strategy"),
            strategy_b=None if b is None else b.get("strategy"),
            reasons=tuple(reasons),
        ))
    rank = {"entered": 0, "left": 1, "kept": 2}
    return sorted(changes, key=lambda c: rank[c.change])


def _settings(plan_a: dict[str, Any], plan_b: dict[str, Any], run_a: Any, run_b: Any
              ) -> list[SettingChange]:
    changes: list[SettingChange] = []

    def differ(setting: str, a: Any, b: Any) -> None:
        if a != b:
            changes.append(SettingChange(setting=setting, a=a, b=b))

    differ("scenario", run_a.scenario or plan_a.get("scenario"),
           run_b.scenario or plan_b.get("scenario"))
    differ("scenario_version", run_a.scenario_version, run_b.scenario_version)
    differ("dataset", (plan_a.get("dataset") or {}).get("version"),
           (plan_b.get("dataset") or {}).get("version"))
    differ("centers", len(plan_a.get("sites", [])), len(plan_b.get("sites", [])))
    method_a, method_b = plan_a.get("method") or {}, plan_b.get("method") or {}
    weights_a, weights_b = method_a.get("weights") or {}, method_b.get("weights") or {}
    for pillar in sorted(set(weights_a) | set(weights_b)):
        differ(f"weights.{pillar}", weights_a.get(pillar), weights_b.get(pillar))
    for key in ("ranking", "normalization", "selection", "per_country_cap", "transport"):
        differ(f"method.{key}", method_a.get(key), method_b.get(key))
    return changes


def _plan_run(database_url: str | None, run_id: str, field: str, wrong_kind: type = InputError
              ) -> Any:
    from oicplan.services.runs import GetRunRequest, get_run

    run = get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run
    if run.kind != "plan":
        raise wrong_kind(f"run {run_id} is a {run.kind} run, not a plan", field=field)
    if run.status != "done" or not run.results or "plan" not in run.results:
        raise ConflictError(
            f"run {run_id} is {run.status}; a plan run has its plan when it is done")
    return run


def _summary(run: Any) -> PlanRunSummary:
    plan = run.results["plan"]
    return PlanRunSummary(
        run_id=run.id, scenario=run.scenario or plan.get("scenario", ""),
        scenario_version=run.scenario_version,
        dataset_version=(plan.get("dataset") or {}).get("version") or run.dataset_version,
        created=plan.get("created"), centers=len(plan.get("sites", [])),
    )


def compare_plans(request: ComparePlansRequest) -> PlanComparison:
    """Which sites enter, leave and stay between plan runs ``a`` and ``b``, and why.

    Raises
    ------
    NotFoundError
        An unknown run id (field ``run_id``).
    InputError
        A run that is not a plan run (field ``a`` or ``b``).
    ConflictError
        A run that has not finished (queued, running, failed or cancelled).
    """
    run_a = _plan_run(request.database_url, request.a, "a")
    run_b = _plan_run(request.database_url, request.b, "b")
    plan_a, plan_b = run_a.results["plan"], run_b.results["plan"]
    changes = site_changes(plan_a, plan_b, run_a.results.get("ranking"),
                           run_b.results.get("ranking"))
    settings = _settings(plan_a, plan_b, run_a, run_b)
    centers = next((s for s in settings if s.setting == "centers"), None)
    if centers is not None:
        extra = _reason("centers_changed", a=centers.a, b=centers.b)
        changes = [
            c.model_copy(update={"reasons": (*c.reasons, extra)}) if c.change != "kept" else c
            for c in changes
        ]
    return PlanComparison(
        a=_summary(run_a), b=_summary(run_b), settings=tuple(settings),
        entered=tuple(c for c in changes if c.change == "entered"),
        left=tuple(c for c in changes if c.change == "left"),
        kept=tuple(c for c in changes if c.change == "kept"),
    )


def plan_of_run(request: PlanRunRequest) -> PlanDocument:
    """The plan document (``plan.json``) of a finished plan run.

    Raises
    ------
    NotFoundError
        An unknown run, or a run that is not a plan run (field ``run_id``).
    ConflictError
        A plan run that has not finished.
    """
    from oicplan.errors import NotFoundError

    run = _plan_run(request.database_url, request.run_id, "run_id", NotFoundError)
    return PlanDocument.model_validate(run.results["plan"])


def map_of_run(request: PlanRunRequest) -> PlanMap:
    """The map layers of a finished plan run (errors as :func:`plan_of_run`)."""
    from oicplan.errors import NotFoundError

    run = _plan_run(request.database_url, request.run_id, "run_id", NotFoundError)
    layers = run.results.get("map")
    if not layers:
        raise NotFoundError(f"run {run.id} kept no map", field="run_id")
    return PlanMap(run_id=run.id, **layers)
