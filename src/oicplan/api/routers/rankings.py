"""``GET /api/rankings``: the ranking of a scenario, optionally re-ranked.

``weights`` re-weights pillars, as JSON (``{"innovation": 0.4}``) or as pairs
(``innovation=0.4,market=0.3``); pillars not named keep the scenario's weight.
``method`` replaces the ranking method. The answer is the service's
:class:`~oicplan.services.planning.RankResult` (rows with ``site_id``, ``name``,
``iso3``, ``score``, ``rank``, ``pillars`` ...), best first; ``top`` keeps the
best rows only.

>>> parse_weights('{"innovation": 0.4}'), parse_weights("innovation=0.4, market=1")
({'innovation': 0.4}, {'innovation': 0.4, 'market': 1.0})
"""

from __future__ import annotations

import functools
import json
import math
from typing import Annotated

from fastapi import Depends, HTTPException, Query, status

from oicplan.api.security import api_router, require_viewer
from oicplan.errors import InputError
from oicplan.services.planning import RankRequest, RankResult, rank

__all__ = ["builtin_scenarios", "parse_weights", "router"]

router = api_router(tags=["rankings"], dependencies=[Depends(require_viewer)])


def parse_weights(text: str) -> dict[str, float]:
    """Pillar weights from JSON or ``pillar=value`` pairs (field ``weights`` on error)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"not a JSON object: {error.msg}", field="weights") from None
        if not isinstance(loaded, dict):
            raise InputError("not a JSON object", field="weights")
        pairs = list(loaded.items())
    else:
        pairs = []
        for part in filter(None, (piece.strip() for piece in text.split(","))):
            name, equals, value = part.partition("=")
            if not equals:
                raise InputError(f"{part!r} is not pillar=value", field="weights")
            pairs.append((name.strip(), value.strip()))
    if not pairs:
        raise InputError("no pillar weights given", field="weights")
    weights: dict[str, float] = {}
    for name, value in pairs:
        if str(name) in weights:
            raise InputError(f"the weight of {name!r} is given twice", field="weights")
        try:
            if isinstance(value, bool):
                raise TypeError
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"the weight of {name!r} is not a number", field="weights") from None
        if not math.isfinite(number) or number < 0:
            raise InputError(
                f"the weight of {name!r} must be a finite number >= 0", field="weights"
            )
        weights[str(name)] = number
    return weights


@functools.cache
def builtin_scenarios() -> tuple[str, ...]:
    """Names of the built-in scenarios."""
    from oicplan.services.planning import ScenarioListRequest, scenario_list

    return tuple(entry.name for entry in scenario_list(ScenarioListRequest()).scenarios)


@functools.lru_cache(maxsize=128)
def _ranking(
    scenario: str, weights: tuple[tuple[str, float], ...] | None, method: str | None
) -> RankResult:
    """The ranking of a built-in scenario (they never change while the server runs)."""
    request = RankRequest(
        scenario=scenario, weights=None if weights is None else dict(weights), method=method
    )
    # Kept without the library object behind it: the rows are what the API answers.
    return rank(request).model_copy(update={"ranked": None})


@router.get(
    "/rankings",
    operation_id="get_rankings",
    response_model=RankResult,
    responses={
        400: {"description": "bad weights or method"},
        401: {"description": "not signed in"},
        404: {"description": "no such scenario"},
    },
)
def get_rankings(
    scenario: Annotated[str, Query(max_length=120, description="scenario name")] = "zhejiang",
    weights: Annotated[
        str | None,
        Query(
            max_length=2000,
            description='pillar weights: JSON {"innovation": 0.4} or innovation=0.4,market=0.3',
        ),
    ] = None,
    method: Annotated[
        str | None, Query(max_length=40, description="ranking method (as in scenario files)")
    ] = None,
    top: Annotated[int | None, Query(ge=1, le=10_000, description="only the best rows")] = None,
) -> RankResult:
    """The ranked candidate sites of a built-in scenario, best first."""
    if scenario not in builtin_scenarios():
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"unknown scenario {scenario!r}; built-in: {', '.join(builtin_scenarios())}",
        )
    parsed = None if weights is None else tuple(sorted(parse_weights(weights).items()))
    result = _ranking(scenario, parsed, method)
    if top is not None:
        result = result.model_copy(update={"sites": result.sites[:top]})
    return result
