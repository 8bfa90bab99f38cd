"""The pages: the dashboard ``/``, the map ``/map`` and a site's profile ``/sites/{site_id}``.

Each page needs a signed-in user (any role). A page renders what a service returns;
its script then asks the API (``/api/...``, with the session cookie) for what
changes while the planner works: a re-ranking after a slider move, the map layers.
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from oicplan.errors import InputError
from oicplan.services.planning import RankRequest, RankResult, rank
from oicplan.services.ranking_options import (
    RankingOptionsRequest,
    RankingOptionsResult,
    ranking_options,
)
from oicplan.services.sites import (
    EconomyListRequest,
    SiteProfileRequest,
    SiteProfileResult,
    economy_list,
    site_profile,
)
from oicplan.web.guard import PageUser, page_router
from oicplan.web.templating import page_language, render

__all__ = ["router"]

router = page_router()

DEFAULT_SCENARIO = "zhejiang"


@functools.lru_cache(maxsize=16)
def _ranking(scenario: str) -> RankResult:
    """The ranking of a built-in scenario with its own weights (they never change)."""
    return rank(RankRequest(scenario=scenario)).model_copy(update={"ranked": None})


@functools.lru_cache(maxsize=16)
def _options(scenario: str) -> RankingOptionsResult:
    return ranking_options(RankingOptionsRequest(scenario=scenario))


@functools.cache
def economy_names() -> dict[str, dict[str, str]]:
    """ISO3 -> the economy's name in English (``en``) and Chinese (``zh``, else English)."""
    return {
        entry.iso3: {"en": entry.name_en, "zh": entry.name_zh or entry.name_en}
        for entry in economy_list(EconomyListRequest()).economies
    }


def _scenario_of(request: Request) -> str:
    """The built-in scenario named by ``?scenario=``; the default one otherwise."""
    asked = request.query_params.get("scenario", DEFAULT_SCENARIO)
    names = {entry.name for entry in _options(DEFAULT_SCENARIO).scenarios}
    return asked if asked in names else DEFAULT_SCENARIO


def _dashboard_data(
    options: RankingOptionsResult, ranking: RankResult, lang: str
) -> dict[str, Any]:
    """What the dashboard's script starts from: scenario, method, pillars, the ranking."""
    ranked = set(ranking.pillars)
    names = economy_names()
    economies = {
        site.iso3: names.get(site.iso3, {}).get(lang, site.iso3) for site in ranking.sites
    }
    pillars = [
        {"id": p.id, "name": p.name_zh if lang == "zh" else p.name_en, "weight": p.weight}
        for p in options.pillars
        if p.id in ranked
    ]
    return {
        "scenario": options.scenario,
        "method": options.method,
        "methods": list(options.methods),
        "pillars": pillars,
        "economies": economies,
        "ranking": ranking.model_dump(mode="json"),
    }


@router.get("/")
async def dashboard(request: Request, user: PageUser) -> Response:
    """The ranking of a built-in scenario, with weight sliders and the method.

    The page shows the scenario's own ranking; its script re-ranks through
    ``GET /api/rankings`` when a slider or the method changes.
    """
    scenario = await run_in_threadpool(_scenario_of, request)
    options = await run_in_threadpool(_options, scenario)
    ranking = await run_in_threadpool(_ranking, scenario)
    language = page_language(request)
    names = {p.id: (p.name_zh if language == "zh" else p.name_en) for p in options.pillars}
    return render(
        request,
        "dashboard.html",
        script_keys=("dashboard.",),
        options=options,
        ranking=ranking,
        pillar_names=names,
        data=_dashboard_data(options, ranking, language),
        # A slider reaches 1 or the largest weight of the scenario (weights need not sum to 1).
        slider_max=max([1.0, *(p.weight for p in options.pillars)]),
        page="dashboard",
    )


def _latest_plan_run(database_url: str, scenario: str) -> str | None:
    """The id of the newest finished plan run of ``scenario``, or None."""
    from oicplan.services.runs import ListRunsRequest, list_runs

    runs = list_runs(ListRunsRequest(database_url=database_url, kind="plan", status="done",
                                     scenario=scenario, limit=1)).runs
    return runs[0].id if runs and (runs[0].results or {}).get("map") else None


@functools.lru_cache(maxsize=4)
def _plan_map(scenario: str) -> dict[str, Any]:
    """The map layers of a built-in scenario's plan, planned here (no run of it yet)."""
    from oicplan.services.jobs import map_document
    from oicplan.services.planning import PlanRequest, plan

    made = plan(PlanRequest(scenario=scenario, report=True, frontiers=False))
    return map_document(made)


@functools.cache
def _place_terms() -> dict[str, str]:
    """Chinese names of the zones and centers the map names (not the sites: see names)."""
    from oicplan.data.dataset import load_dataset
    from oicplan.web.templating import note_vocabulary

    sites = load_dataset().sites_with_unconfirmed
    known = set(sites["site_id"]) | set(sites["name"])
    return {term: zh for term, zh in note_vocabulary().items() if term not in known}


def _site_names(scenario: str, lang: str) -> dict[str, str]:
    """site_id -> the name a reader of ``lang`` sees (Chinese where the data has one)."""
    from oicplan.web.templating import site_name

    return {row.site_id: site_name(row, lang) for row in _ranking(scenario).sites}


@router.get("/map")
async def map_page(request: Request, user: PageUser) -> Response:
    """The map of candidates, chosen sites by mode, routes, zones and existing centers.

    The layers are those of the newest finished plan run of the scenario (its
    script reads ``GET /api/plans/{run_id}/map``), or, when there is none, of the
    scenario's plan made here (``GET /map/layers``).
    """
    from oicplan.domain import CENTER_MODES

    scenario = await run_in_threadpool(_scenario_of, request)
    language = page_language(request)
    run_id = await run_in_threadpool(
        _latest_plan_run, request.app.state.settings.database_url, scenario
    )
    names = await run_in_threadpool(_site_names, scenario, language)
    data = {
        "scenario": scenario,
        "run_id": run_id,
        "terms": await run_in_threadpool(_place_terms) if language == "zh" else {},
        "layers_url": f"/api/plans/{run_id}/map" if run_id else f"/map/layers?scenario={scenario}",
        "names": names,
        "modes": {key: (zh if language == "zh" else en) for key, (en, zh) in CENTER_MODES.items()},
    }
    return render(request, "map.html", script_keys=("map.",), scenario=scenario, run_id=run_id,
                  data=data, page="map")


@router.get("/map/layers")
async def map_layers(request: Request, user: PageUser) -> JSONResponse:
    """The map layers of the scenario's plan (as ``/api/plans/{run_id}/map`` gives a run's)."""
    scenario = await run_in_threadpool(_scenario_of, request)
    layers = await run_in_threadpool(_plan_map, scenario)
    return JSONResponse(layers, headers={"Cache-Control": "private, max-age=300"})


@functools.lru_cache(maxsize=64)
def _profile(site_id: str, scenario: str, version: int | None = None,
             database_url: str | None = None) -> SiteProfileResult:
    """A site's profile in a built-in scenario or a stored scenario's version.

    Neither changes while the server runs (a stored version is never changed once
    saved), so the profile is kept.
    """
    return site_profile(SiteProfileRequest(
        site_id=site_id, scenario=scenario, scenario_version=version, database_url=database_url))


def _stored_version(database_url: str, name: str, version: int | None) -> int | None:
    """The version of the stored scenario ``name`` (``version`` or its latest), None: no such."""
    from oicplan.errors import NotFoundError
    from oicplan.services.scenarios import GetScenarioVersionRequest, get_scenario_version

    try:
        return get_scenario_version(GetScenarioVersionRequest(
            database_url=database_url, name=name, version=version)).version.version
    except (InputError, NotFoundError):
        return None


def _stored_top_k(database_url: str, name: str, version: int) -> int:
    """K of the stored scenario version's rank intervals (top-K frequency)."""
    from oicplan.services.scenarios import load_stored_scenario

    return load_stored_scenario(name, version, database_url=database_url).uncertainty.top_k


def _version_of(request: Request) -> int | None:
    text = request.query_params.get("version", "")
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def _source_titles(language: str) -> dict[str, str]:
    """Source id -> its title in ``language`` (the snapshot's sources.json, translated)."""
    from oicplan.data import load_dataset
    from oicplan.data.sources_zh import source_text

    return {str(source["id"]): source_text("title", str(source.get("title") or source["id"]),
                                           language)
            for source in load_dataset().sources}


@router.get("/sites/{site_id}")
async def site_page(request: Request, site_id: str, user: PageUser) -> Response:
    """A site's profile in a built-in scenario or a stored one (``?scenario=``, ``?version=``).

    The default is the default built-in scenario; a stored scenario is shown in its
    latest version unless ``?version=`` names one; an unknown one is a 404.
    """
    from oicplan.domain import CENTER_MODES
    from oicplan.report.messages import site_type_name

    asked = request.query_params.get("scenario", DEFAULT_SCENARIO)[:120]
    builtin = {entry.name for entry in _options(DEFAULT_SCENARIO).scenarios}
    database_url = request.app.state.settings.database_url
    version = None
    if asked in builtin:
        scenario = asked
    else:
        version = await run_in_threadpool(
            _stored_version, database_url, asked, _version_of(request))
        if version is None:
            raise HTTPException(404, detail={"key": "error.not_found", "values": {}})
        scenario = asked
    try:
        if version is None:
            profile = await run_in_threadpool(_profile, site_id[:200], scenario)
        else:
            profile = await run_in_threadpool(
                _profile, site_id[:200], scenario, version, database_url)
    except InputError as error:
        if error.field == "site_id":
            raise HTTPException(
                404, detail={"key": "error.site_not_found", "values": {"site_id": site_id}}
            ) from None
        raise
    language = page_language(request)
    # The pillars' names and the rank intervals' K: a stored scenario is shown with the
    # default scenario's framework names (its pillars are those of its framework).
    options = await run_in_threadpool(_options, scenario if version is None else DEFAULT_SCENARIO)
    top_k = options.top_k
    if version is not None:
        top_k = await run_in_threadpool(_stored_top_k, database_url, scenario, version)
    pillars = {p.id: (p.name_zh if language == "zh" else p.name_en) for p in options.pillars}
    modes = {key: (zh if language == "zh" else en) for key, (en, zh) in CENTER_MODES.items()}

    def indicator(code: str, title: str | None = None) -> str:
        names = profile.indicator_names.get(code, {})
        return names.get(language) or names.get("en") or title or code

    def site_type(kind: str) -> str:
        return site_type_name(kind, language)

    def term(key: str) -> str:
        names = profile.match_terms.get(key, {})
        return names.get(language) or names.get("en") or key

    source_titles = await run_in_threadpool(_source_titles, language)
    economies = economy_names()
    cost_terms = {**modes, **{iso3: names[language] for iso3, names in economies.items()}}

    def cost_name(name: str) -> str:
        """A cost input's or assumption's name in the page's language (oicplan.finance.words)."""
        from oicplan.finance.words import cost_term

        return cost_term(name, language, cost_terms)

    def cost_unit_name(unit: str | None) -> str:
        from oicplan.finance.words import cost_unit

        return cost_unit(unit, language)

    def source_name(source: str | None) -> str:
        """A source id's title in the page's language (oicplan.data.sources_zh), else as given."""
        return source_titles.get(source or "", source or "")

    return render(
        request,
        "site.html",
        indicator=indicator,
        site_type=site_type,
        term=term,
        source_name=source_name,
        cost_name=cost_name,
        cost_unit=cost_unit_name,
        script_keys=("site.",),
        profile=profile,
        pillar_names=pillars,
        mode_names=modes,
        top_k=top_k,
        economy=economies.get(profile.site.iso3, {}).get(language, profile.site.iso3),
        page="site",
    )
