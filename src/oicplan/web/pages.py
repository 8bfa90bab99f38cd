"""The pages: the dashboard ``/``, the map ``/map`` and a site's profile ``/sites/{site_id}``.

Each page needs a signed-in user (any role). A page renders what a service returns;
its script then asks the API (``/api/...``, with the session cookie) for what
changes while the planner works: a re-ranking after a slider move, the map layers.
"""

from __future__ import annotations

import functools

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from oicplan.errors import InputError
from oicplan.services.planning import RankRequest, RankResult, rank
from oicplan.services.sites import SiteProfileRequest, site_profile
from oicplan.web.guard import PageUser, page_router
from oicplan.web.templating import render

__all__ = ["router"]

router = page_router()

DEFAULT_SCENARIO = "zhejiang"


@functools.lru_cache(maxsize=16)
def _ranking(scenario: str) -> RankResult:
    """The ranking of a built-in scenario with its own weights (they never change)."""
    return rank(RankRequest(scenario=scenario)).model_copy(update={"ranked": None})


@router.get("/")
async def dashboard(request: Request, user: PageUser) -> Response:
    """The ranking of the built-in scenario, with weight sliders and the method."""
    ranking = await run_in_threadpool(_ranking, DEFAULT_SCENARIO)
    return render(request, "dashboard.html", script_keys=("dashboard.",), ranking=ranking,
                  page="dashboard")


@router.get("/map")
async def map_page(request: Request, user: PageUser) -> Response:
    """The map of candidates, chosen sites, routes, zones and existing centers."""
    return render(request, "map.html", script_keys=("map.",), scenario=DEFAULT_SCENARIO,
                  page="map")


@router.get("/sites/{site_id}")
async def site_page(request: Request, site_id: str, user: PageUser) -> Response:
    """A site's profile in the built-in scenario."""
    try:
        profile = await run_in_threadpool(
            site_profile, SiteProfileRequest(site_id=site_id[:200], scenario=DEFAULT_SCENARIO)
        )
    except InputError as error:
        if error.field == "site_id":
            raise HTTPException(
                404, detail={"key": "error.site_not_found", "values": {"site_id": site_id}}
            ) from None
        raise
    return render(request, "site.html", script_keys=("site.",), profile=profile, page="site")
