"""``GET /api/sites/{site_id}``: a candidate site's profile in a built-in scenario.

The answer is the service's :class:`~oicplan.services.sites.SiteProfileResult`
(:func:`oicplan.services.sites.site_profile`): the site, its economy's values
with year and source, its score, rank, rank interval and pillar scores, its
strengths and weaknesses, access by rail, sea and air from the scenario's hubs,
and the industry match with its evidence. Profiles are kept in memory (the
built-in scenarios and the data do not change while the server runs).
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Query, status

from oicplan.api.routers.rankings import builtin_scenarios
from oicplan.api.security import api_router, require_viewer
from oicplan.errors import InputError
from oicplan.services.sites import SiteProfileRequest, SiteProfileResult, site_profile

__all__ = ["router"]

router = api_router(tags=["sites"], dependencies=[Depends(require_viewer)])


@functools.lru_cache(maxsize=256)
def _profile(site_id: str, scenario: str, preset: str) -> SiteProfileResult:
    return site_profile(SiteProfileRequest(site_id=site_id, scenario=scenario, preset=preset))


@router.get(
    "/sites/{site_id}",
    operation_id="get_site_profile",
    response_model=SiteProfileResult,
    responses={
        401: {"description": "not signed in"},
        404: {"description": "no such site or scenario"},
    },
)
def get_site_profile(
    site_id: Annotated[str, Path(min_length=1, max_length=200, description="a site_id")],
    scenario: Annotated[str, Query(max_length=120, description="scenario name")] = "zhejiang",
    preset: Annotated[
        Literal["near", "balanced", "far"], Query(description="industry match preset")
    ] = "balanced",
) -> SiteProfileResult:
    """A site's values, rank interval, strengths and weaknesses, access and match."""
    if scenario not in builtin_scenarios():
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"unknown scenario {scenario!r}; built-in: {', '.join(builtin_scenarios())}",
        )
    try:
        return _profile(site_id, scenario, preset)
    except InputError as error:
        if error.field == "site_id":
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
        raise
