"""``/api/centers``: the registry of established centers, their KPIs, targets and alerts.

Viewers read (the centers, one center with its KPI values and targets, the
traffic lights); editors add centers, link them to candidate sites, set KPI
targets and import KPI files. Every route calls :mod:`oicplan.services.registry`,
the use cases of ``oicplan centers``, so a KPI upload gets the command's checks:
the first bad row is a 400 naming the file, the row (as a spreadsheet numbers
it) and the field, and nothing is stored. A CSV upload may be UTF-8 (with or
without BOM), UTF-16 or GB18030/GBK (:mod:`oicplan.textfile`); an upload
over :data:`MAX_KPI_UPLOAD` bytes is refused with 413 before it is read.

``/api/centers/alerts`` and ``/api/centers/kpis`` are routes of their own: they
come before ``/api/centers/{center_id}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, File, Path, Query, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field

from oicplan import assumptions
from oicplan.api.security import api_router, require_editor, require_viewer
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.services.registry import (
    AddCenterRequest,
    CenterAlertsRequest,
    CenterAlertsResult,
    CenterDetailResult,
    CenterResult,
    CentersResult,
    GetCenterRequest,
    ImportKpisResult,
    ImportKpisUploadRequest,
    ListCentersRequest,
    NewCenter,
    NewTarget,
    SetSiteRequest,
    SetTargetRequest,
    TargetResult,
    add_center,
    center_alerts,
    get_center,
    import_kpis_upload,
    list_centers,
    set_site,
    set_target,
)

__all__ = ["MAX_KPI_UPLOAD", "SiteLink", "router"]

router = api_router(tags=["centers"])

MAX_KPI_UPLOAD = 4 * 1_048_576
"""Largest KPI upload (4 MiB, multipart overhead included); larger ones get 413."""

_READ: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such center"},
}
_WRITE: dict[int | str, dict[str, Any]] = {
    **_READ,
    400: {"description": "a value the registry refuses (the field is named)"},
    403: {"description": "the role is too low (editor needed)"},
}

CenterId = Annotated[
    str, Path(min_length=1, max_length=80, description="the center's id (see GET /api/centers)")
]


class SiteLink(BaseModel):
    """The candidate site a center is at (``null`` removes the link)."""

    model_config = ConfigDict(extra="forbid")

    site_id: str | None = Field(
        max_length=200, description="a candidate site in the center's country, e.g. RUS-moscow"
    )


@router.get(
    "/centers",
    operation_id="list_centers",
    response_model=CentersResult,
    responses={401: _READ[401]},
    dependencies=[Depends(require_viewer)],
)
def get_centers(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    mode: Annotated[str | None, Query(max_length=40, description="only this mode")] = None,
    iso3: Annotated[
        str | None, Query(max_length=3, description="only this host country (ISO3)")
    ] = None,
) -> CentersResult:
    """The registry's centers, sorted by id, optionally of one mode or host country."""
    return list_centers(
        ListCentersRequest(database_url=settings.database_url, mode=mode, iso3=iso3)
    )


@router.post(
    "/centers",
    operation_id="create_center",
    status_code=status.HTTP_201_CREATED,
    response_model=CenterResult,
    responses={k: v for k, v in _WRITE.items() if k != 404},
    dependencies=[Depends(require_editor)],
)
def new_center(
    body: NewCenter, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> CenterResult:
    """Add a center (its id a slug of the name unless given; 400 if the id is taken)."""
    return add_center(
        AddCenterRequest(database_url=settings.database_url, **body.model_dump())
    )


@router.get(
    "/centers/alerts",
    operation_id="list_center_alerts",
    response_model=CenterAlertsResult,
    responses={401: _READ[401]},
    dependencies=[Depends(require_viewer)],
)
def alerts(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    years: Annotated[
        int, Query(ge=1, le=50, description="red after this many years below target in a row")
    ] = int(assumptions.default("alerts.below_target_years")),
    min_rise: Annotated[
        float,
        Query(ge=0, le=10, allow_inf_nan=False,
              description="amber when the host's risk rose by more than this (WGI units)"),
    ] = assumptions.default("alerts.risk_min_rise"),
) -> CenterAlertsResult:
    """Every center's traffic light (red, amber, green) with the alerts behind it."""
    return center_alerts(
        CenterAlertsRequest(database_url=settings.database_url, years=years, min_rise=min_rise)
    )


@router.post(
    "/centers/kpis",
    operation_id="import_center_kpis",
    response_model=ImportKpisResult,
    responses={
        **{k: v for k, v in _WRITE.items() if k != 404},
        400: {"description": "a bad row (file, row and field named); nothing was stored"},
        413: {"description": "the upload is too large"},
    },
    dependencies=[Depends(require_editor)],
    max_body_size=MAX_KPI_UPLOAD,
)
def import_kpis(
    file: Annotated[
        UploadFile,
        File(description="CSV or XLSX with center_id, year, kpi, value, unit (header row 1)"),
    ],
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> ImportKpisResult:
    """Import yearly KPI values from a CSV or Excel file, all or nothing.

    Values for a center, year and KPI already stored are replaced.
    """
    content = file.file.read()
    return import_kpis_upload(
        ImportKpisUploadRequest(
            database_url=settings.database_url,
            content=content,
            file_name=(file.filename or "upload.csv")[-255:],
        )
    )


@router.get(
    "/centers/{center_id}",
    operation_id="get_center",
    response_model=CenterDetailResult,
    responses=_READ,
    dependencies=[Depends(require_viewer)],
)
def read_center(
    center_id: CenterId, settings: Annotated[ApiSettings, Depends(settings_of)]
) -> CenterDetailResult:
    """One center with its reported KPI values and its targets."""
    return get_center(GetCenterRequest(database_url=settings.database_url, center_id=center_id))


@router.put(
    "/centers/{center_id}/site",
    operation_id="set_center_site",
    response_model=CenterResult,
    responses=_WRITE,
    dependencies=[Depends(require_editor)],
)
def put_site(
    center_id: CenterId,
    body: SiteLink,
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> CenterResult:
    """Link a center to a candidate site in its country, or remove the link (``null``)."""
    return set_site(SetSiteRequest(
        database_url=settings.database_url, center_id=center_id, site_id=body.site_id))


@router.put(
    "/centers/{center_id}/targets",
    operation_id="set_center_target",
    response_model=TargetResult,
    responses=_WRITE,
    dependencies=[Depends(require_editor)],
)
def put_target(
    center_id: CenterId,
    body: NewTarget,
    settings: Annotated[ApiSettings, Depends(settings_of)],
) -> TargetResult:
    """Set (or replace) a KPI target of a center, for one year or every year."""
    return set_target(SetTargetRequest(
        database_url=settings.database_url, center_id=center_id, **body.model_dump()))
