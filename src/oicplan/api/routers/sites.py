"""``GET /api/sites/{site_id}``: a candidate site's profile in a built-in or stored scenario.

The answer is the service's :class:`~oicplan.services.sites.SiteProfileResult`
(:func:`oicplan.services.sites.site_profile`): the site, its economy's values
with year and source, its score, rank, rank interval and pillar scores, its
strengths and weaknesses, access by rail, sea and air from the scenario's hubs,
and the industry match with its evidence. ``scenario`` is a built-in scenario or
one stored in the database, in its latest version unless ``version`` says which
(as ``GET /api/rankings``). Profiles are kept in memory keyed by the database,
scenario and version: the built-in scenarios and the data do not change while the
server runs, and a stored version is never changed once saved.
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Query, status

from oicplan.api.routers.rankings import _stored_version, builtin_scenarios
from oicplan.api.security import api_router, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.errors import InputError
from oicplan.services.sites import SiteProfileRequest, SiteProfileResult, site_profile

__all__ = ["router"]

router = api_router(tags=["sites"], dependencies=[Depends(require_viewer)])


@functools.lru_cache(maxsize=256)
def _profile(site_id: str, scenario: str, preset: str, version: int | None = None,
             database_url: str | None = None) -> SiteProfileResult:
    return site_profile(SiteProfileRequest(
        site_id=site_id, scenario=scenario, preset=preset, scenario_version=version,
        database_url=database_url))


@router.get(
    "/sites/{site_id}",
    operation_id="get_site_profile",
    response_model=SiteProfileResult,
    responses={
        401: {"description": "not signed in"},
        400: {"description": "a version of a built-in scenario"},
        404: {"description": "no such site, scenario or version"},
    },
)
def get_site_profile(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    site_id: Annotated[str, Path(min_length=1, max_length=200, description="a site_id")],
    scenario: Annotated[
        str, Query(max_length=120, description="built-in or stored scenario name")
    ] = "zhejiang",
    preset: Annotated[
        Literal["near", "balanced", "far"], Query(description="industry match preset")
    ] = "balanced",
    version: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="a stored scenario's version (default: latest)"),
    ] = None,
) -> SiteProfileResult:
    """A site's values, rank interval, strengths and weaknesses, access and match."""
    try:
        if scenario in builtin_scenarios():
            if version is not None:
                raise InputError("a built-in scenario has no versions", field="version")
            return _profile(site_id, scenario, preset)
        stored = _stored_version(settings.database_url, scenario, version)
        return _profile(site_id, scenario, preset, stored, settings.database_url)
    except InputError as error:
        if error.field == "site_id":
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
        raise
