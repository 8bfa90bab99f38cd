"""Transport use cases: one route (access), the corridors, and what a disruption does.

Each use case takes a typed request and returns a frozen result with JSON-ready
data (the documents ``oicplan access --json``, ``oicplan corridors --json`` and
``oicplan disrupt --json`` print); the library object behind it is kept in an
excluded field for the command line. The transport graph is the one of the
request's scenario hubs (:func:`oicplan.geo.transport_graph`, cached per hub set),
costed with the scenario's own cost index when it sets one (``assumptions:
{transport.cost_per_km.rail: 0.6}``).

>>> result = access(AccessRequest(origin="Yiwu", to="Madrid", mode="rail"))  # doctest: +SKIP
>>> result.route["km"], result.route["days"]  # doctest: +SKIP
(13052.0, 21.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "AccessRequest",
    "AccessResult",
    "CorridorsRequest",
    "CorridorsResult",
    "DisruptionRequest",
    "DisruptionResult",
    "access",
    "corridors",
    "disruption",
    "scenario_graph",
]

_MODES = ("rail", "sea", "air", "best")


def scenario_graph(scenario: str = "zhejiang") -> nx.MultiDiGraph:
    """The transport graph of a scenario's hubs (a built-in name or a YAML path).

    Costed with the scenario's cost index (its ``transport.*`` assumptions, else the
    stated ones), the same graph its plan reads. Built once per hub set and cached
    on disk (``OICPLAN_CACHE_DIR``); another cost index is applied in memory.
    """
    from oicplan.geo.graph import scenario_graph as graph_of
    from oicplan.scenario import load_scenario

    graph: nx.MultiDiGraph = graph_of(load_scenario(scenario))  # type: ignore[no-untyped-call]
    return graph


def _graph_with(scenario: str, avoid: list[str]) -> nx.MultiDiGraph:
    from oicplan.geo.disruption import close, closure_plan

    graph = scenario_graph(scenario)
    names = [name.strip() for name in avoid if name.strip()]
    if not names:
        return graph
    closed: nx.MultiDiGraph = close(graph, **closure_plan(names, field="avoid"))  # type: ignore[no-untyped-call]
    return closed


class AccessRequest(Request):
    """One route: from a hub of the scenario to a candidate site.

    Parameters
    ----------
    origin : str
        A hub of the scenario, by name (case and accents ignored; ``Ningbo`` works).
    to : str
        A candidate site: its name or site_id.
    mode : str
        ``rail``, ``sea``, ``air`` (that mode plus truck legs and transfers) or ``best``.
    weight : str
        What the route minimizes: ``cost`` (the cost index), ``days`` or ``km``.
    avoid : list of str
        Closures: sea passages, border crossings, rail segments (``A-B``).
    scenario : str
        Built-in scenario name or YAML path whose hubs build the graph.
    """

    origin: str
    to: str
    mode: str = "best"
    weight: str = "cost"
    avoid: list[str] = []
    scenario: str = "zhejiang"


class AccessResult(Result):
    """The route as ``oicplan access --json`` prints it, and the :class:`~oicplan.geo.Route`.

    ``route["from_zh"]`` is the hub's Chinese name (:func:`oicplan.data.names_zh.hub_name_zh`).
    """

    route: dict[str, Any]
    route_object: Any = Field(default=None, exclude=True)


def access(request: AccessRequest) -> AccessResult:
    """The lowest-cost (or fastest, or shortest) route from a hub to a site.

    Raises :class:`~oicplan.errors.InputError` naming ``mode``, ``from``, ``to``,
    ``weight`` or ``avoid``.

    Examples
    --------
    >>> access(AccessRequest(origin="Yiwu", to="Madrid", mode="ship"))
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field mode: unknown mode 'ship'; use one of rail, sea, air, best
    """
    from oicplan.data.names_zh import hub_name_zh
    from oicplan.geo.graph import find_place
    from oicplan.geo.routing import shortest_route

    mode = request.mode.strip().lower()
    if mode not in _MODES:
        raise InputError(f"unknown mode {mode!r}; use one of {', '.join(_MODES)}", field="mode")
    graph = _graph_with(request.scenario, request.avoid)
    source = find_place(graph, request.origin, kind="hub", field="from")
    target = find_place(graph, request.to, kind="site", field="to")
    route = shortest_route(graph, source, target, mode=mode,
                           weight=request.weight.strip().lower())
    document = route.as_dict()
    document["path"] = [{"node": s["node"], "mode": s["mode"], **{
        k: s[k] for k in ("km", "days", "estimated") if k in s}} for s in route.steps]
    document["avoid"] = [name.strip() for name in request.avoid if name.strip()]
    hub = graph.nodes[source]
    document["from_zh"] = hub_name_zh(str(hub["name"]), float(hub["lat"]), float(hub["lon"]))[0]
    return AccessResult(route=document, route_object=route)


class CorridorsRequest(Request):
    """The corridors of a scenario's transport graph, with optional closures."""

    avoid: list[str] = []
    scenario: str = "zhejiang"


class CorridorsResult(Result):
    """Each rail route and sea lane (``corridor, mode, nodes, sites`` ...), as JSON prints it."""

    corridors: list[dict[str, Any]]
    home_region: str = Field(default="Zhejiang", exclude=True)


def corridors(request: CorridorsRequest) -> CorridorsResult:
    """Every rail route and sea lane from the scenario's hubs, and the sites each serves."""
    from oicplan.geo.routing import corridors as corridor_list
    from oicplan.scenario import load_scenario

    items = corridor_list(_graph_with(request.scenario, request.avoid))
    return CorridorsResult(corridors=items,
                           home_region=load_scenario(request.scenario).home_region)


class DisruptionRequest(Request):
    """Plan a scenario with and without closures (``avoid``) and compare."""

    avoid: list[str]
    scenario: str = "zhejiang"
    top: int = Field(15, ge=1)


class DisruptionResult(Result):
    """The comparison as ``oicplan disrupt --json`` prints it, and the impact behind it."""

    avoid: list[str]
    document: dict[str, Any]
    impact: Any = Field(default=None, exclude=True)


def disruption(request: DisruptionRequest) -> DisruptionResult:
    """Access lost or slower, rank changes and plan changes under the closures."""
    from oicplan.disruption import disruption_impact
    from oicplan.scenario import load_scenario

    names = [name.strip() for name in request.avoid if name.strip()]
    impact = disruption_impact(load_scenario(request.scenario), names)
    return DisruptionResult(avoid=names, document=impact.to_dict(request.top), impact=impact)
