"""``/api/data``: the embedded dataset's economies, one economy's values, and the sources.

* ``GET /api/data/economies``: every economy (ISO3, names in English and Chinese),
  :func:`oicplan.services.sites.economy_list`;
* ``GET /api/data/economies/{iso3}``: its latest values with year and source, as
  ``oicplan data show`` (:func:`oicplan.services.data.data_show`); 404 for an
  unknown code;
* ``GET /api/data/indicators``: the framework's indicators with pillar, direction,
  unit, source and the years of their data (:func:`oicplan.services.data.data_indicators`);
* ``GET /api/data/sources``: the sources with licence and as-of date
  (:func:`oicplan.services.data.data_sources`).
"""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import Depends, HTTPException, Path, status

from oicplan.api.security import api_router, require_viewer
from oicplan.errors import InputError
from oicplan.services.data import (
    DataIndicatorsRequest,
    DataIndicatorsResult,
    DataShowRequest,
    DataShowResult,
    DataSourcesRequest,
    DataSourcesResult,
    data_indicators,
    data_show,
    data_sources,
)
from oicplan.services.sites import EconomyListRequest, EconomyListResult, economy_list

__all__ = ["router"]

router = api_router(tags=["data"], dependencies=[Depends(require_viewer)])


@functools.cache
def _economies() -> EconomyListResult:
    return economy_list(EconomyListRequest())


@functools.cache
def _sources() -> DataSourcesResult:
    return data_sources(DataSourcesRequest())


@functools.cache
def _indicators() -> DataIndicatorsResult:
    return data_indicators(DataIndicatorsRequest())


@router.get(
    "/data/economies",
    operation_id="list_economies",
    response_model=EconomyListResult,
    responses={401: {"description": "not signed in"}},
)
def list_economies() -> EconomyListResult:
    """Every economy of the dataset: ISO3, names in English and Chinese, candidate or not."""
    return _economies()


@router.get(
    "/data/economies/{iso3}",
    operation_id="get_economy",
    response_model=DataShowResult,
    responses={
        401: {"description": "not signed in"},
        404: {"description": "no such economy"},
    },
)
def get_economy(
    iso3: Annotated[
        str, Path(min_length=3, max_length=3, description="ISO 3166 alpha-3 code (any case)")
    ],
) -> DataShowResult:
    """An economy's latest values, each with its year and source."""
    try:
        return data_show(DataShowRequest(iso3=iso3))
    except InputError as error:
        if error.field == "iso3":
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
        raise


@router.get(
    "/data/sources",
    operation_id="list_data_sources",
    response_model=DataSourcesResult,
    responses={401: {"description": "not signed in"}},
)
def list_data_sources() -> DataSourcesResult:
    """The data sources with their licence and as-of date."""
    return _sources()


@router.get(
    "/data/indicators",
    operation_id="list_indicators",
    response_model=DataIndicatorsResult,
    responses={401: {"description": "not signed in"}},
)
def list_indicators() -> DataIndicatorsResult:
    """The framework's indicators: pillar, direction, unit, source and the years of the data."""
    return _indicators()
