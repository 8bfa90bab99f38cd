"""``GET /api/watch/rising``: the economies rising fastest in a technology field.

The answer is :class:`oicplan.services.watch.WatchRisingResult` (what ``oicplan
watch rising --json`` prints): the field, source, window, size filter and the rows
ranked by compound annual growth, with world shares and RTA (docs/watch.md).
Viewers read. The snapshot is always the server's own (no path is taken).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from oicplan.api.security import api_router, require_viewer
from oicplan.services.watch import WatchRisingRequest, WatchRisingResult, watch_rising

__all__ = ["router"]

router = api_router(tags=["watch"], dependencies=[Depends(require_viewer)])


@router.get(
    "/watch/rising",
    operation_id="watch_rising",
    response_model=WatchRisingResult,
    responses={
        400: {"description": "unknown field or source, or a window outside the data (named)"},
        401: {"description": "not signed in"},
    },
)
def rising(
    field: Annotated[str, Query(min_length=1, max_length=200,
                                description="field name in English or Chinese, any case")],
    source: Annotated[str | None, Query(max_length=40, description="NCSES source key")] = None,
    since: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    until: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    min_size: Annotated[float | None, Query(ge=0)] = None,
    top: Annotated[int, Query(ge=1, le=500)] = 10,
) -> WatchRisingResult:
    """Economies ranked by growth in the field, with shares and RTA at both ends."""
    return watch_rising(WatchRisingRequest(field=field, source=source, since=since,
                                           until=until, min_size=min_size, top=top))
