"""``GET /api/rankings``: the ranking of a built-in or stored scenario, optionally re-ranked.

``scenario`` is a built-in scenario or one stored in the database
(``/api/scenarios``), ranked in its latest version unless ``version`` says
which. Rankings are kept in memory keyed by the database, name, version,
weights and method: a built-in scenario never changes while the server runs and
a stored version is never changed once saved, so a new save (a new version) is
ranked afresh and an old answer is never served for it.

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
from oicplan.api.settings import ApiSettings, settings_of
from oicplan.errors import InputError, NotFoundError
from oicplan.services.planning import RankRequest, RankResult, rank
from oicplan.services.scenarios import GetScenarioVersionRequest, get_scenario_version

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
    scenario: str,
    weights: tuple[tuple[str, float], ...] | None,
    method: str | None,
    version: int | None = None,
    database_url: str | None = None,
    intervals: bool = True,
) -> RankResult:
    """The ranking of a built-in scenario (``version`` None) or a stored scenario's version.

    Neither changes while the server runs, so the answer is kept.
    """
    request = RankRequest(
        scenario=scenario, weights=None if weights is None else dict(weights), method=method,
        scenario_version=version, database_url=database_url, intervals=intervals,
    )
    # Kept without the library object behind it: the rows are what the API answers.
    return rank(request).model_copy(update={"ranked": None})


def _unknown(scenario: str) -> HTTPException:
    return HTTPException(
        status.HTTP_404_NOT_FOUND,
        detail=f"unknown scenario {scenario!r}; built-in: {', '.join(builtin_scenarios())}, "
        "or the name of a stored scenario",
    )


def _stored_version(database_url: str, scenario: str, version: int | None) -> int:
    """The version of a stored scenario to rank: ``version`` if it exists, else the latest."""
    try:
        found = get_scenario_version(GetScenarioVersionRequest(
            database_url=database_url, name=scenario, version=version))
    except NotFoundError as error:
        if error.field == "version":
            raise
        raise _unknown(scenario) from None
    except InputError:  # not even a valid name: no such scenario
        raise _unknown(scenario) from None
    return found.version.version


@router.get(
    "/rankings",
    operation_id="get_rankings",
    response_model=RankResult,
    responses={
        400: {"description": "bad weights or method"},
        401: {"description": "not signed in"},
        404: {"description": "no such scenario or version"},
    },
)
def get_rankings(
    settings: Annotated[ApiSettings, Depends(settings_of)],
    scenario: Annotated[
        str, Query(max_length=120, description="built-in or stored scenario name")
    ] = "zhejiang",
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
    version: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="a stored scenario's version (default: latest)"),
    ] = None,
    intervals: Annotated[
        bool,
        Query(description="also the Monte Carlo rank intervals (false: the ranking alone, "
              "faster; rank_interval is then null)"),
    ] = True,
) -> RankResult:
    """The ranked candidate sites of a built-in or stored scenario, best first.

    A page that re-ranks as a slider moves asks with ``intervals=false`` first and
    for the intervals after.
    """
    parsed = None if weights is None else tuple(sorted(parse_weights(weights).items()))
    if scenario in builtin_scenarios():
        if version is not None:
            raise InputError("a built-in scenario has no versions", field="version")
        result = _ranking(scenario, parsed, method, intervals=intervals)
    else:
        stored = _stored_version(settings.database_url, scenario, version)
        result = _ranking(scenario, parsed, method, stored, settings.database_url, intervals)
    if top is not None:
        result = result.model_copy(update={"sites": result.sites[:top]})
    return result
