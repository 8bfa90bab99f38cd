"""The innovation-network use case: enterprises, centers, universities, institutes, services.

:func:`network` gathers the enterprises (a file, the stored list or the SYNTHETIC
sample), the registry's established centers and the scenario plan's chosen
sites, adds the user's own nodes and ties, and builds and measures the network
(:func:`oicplan.network.build_network`). The result's ``document`` is what
``oicplan network --json`` prints; the :class:`~oicplan.network.InnovationNetwork`
rides along, left out of the dump, for the command line's tables.

>>> network(NetworkRequest(sample=True, limit=0))
Traceback (most recent call last):
...
oicplan.errors.InputError: field limit: limit must be 1 or more, got 0
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NetworkRequest", "NetworkResult", "network"]


class NetworkRequest(Request):
    """What goes into the network, and how centers serve industries.

    Parameters
    ----------
    scenario : str
        Scenario whose plan gives the planned centers (and the match preset).
    enterprises : Path, optional
        Enterprise file (CSV/XLSX, docs/match.md); default: the stored list.
    sample : bool
        Use the SYNTHETIC illustrative sample instead (not with ``enterprises``).
    limit : int, optional
        Use only the first ``limit`` enterprises (1 or more).
    nodes, edges : Path, optional
        The user's actors and ties (docs/network.md).
    use_plan : bool
        Add the scenario plan's chosen sites and assign the enterprises to them.
    use_registry : bool
        Add the registry's established centers.
    database_url : str, optional
        SQLAlchemy URL of the registry; default: the SQLite file in the data folder.
    capacity : int, optional
        Seats per planned center in the assignment (default: all fit).
    serve_top, serve_threshold : int, float, optional
        A center serves its ``serve_top`` best-matched industries, and every
        industry with a match at least ``serve_threshold``.
    top : int
        Brokers and suggested links in the document.
    svg : Path, optional
        Also write the network picture (SVG) here.
    """

    scenario: str = "zhejiang"
    enterprises: Path | None = None
    sample: bool = False
    limit: int | None = None
    nodes: Path | None = None
    edges: Path | None = None
    use_plan: bool = True
    use_registry: bool = True
    database_url: str | None = None
    capacity: int | None = None
    serve_top: int = 3
    serve_threshold: float | None = None
    top: int = 10
    svg: Path | None = None


class NetworkResult(Result):
    """The network as ``oicplan network --json`` prints it (``document``), and the network.

    ``document`` has ``synthetic, nodes, edges, counts, density,
    bipartite_density, components, brokers, suggested_links, gaps, notes,
    parameters`` (:meth:`oicplan.network.InnovationNetwork.to_dict`); ``svg`` is
    the picture's file when one was written.
    """

    synthetic: bool
    document: dict[str, Any]
    svg: str | None = None
    network: Any = Field(default=None, exclude=True)


def _enterprises(request: NetworkRequest) -> pd.DataFrame | None:
    from oicplan.match.enterprises import load_sample, load_stored, read_enterprises

    if request.enterprises is not None and request.sample:
        raise InputError("give an enterprises file or the sample, not both", field="enterprises")
    if request.limit is not None and request.limit < 1:
        raise InputError(f"limit must be 1 or more, got {request.limit}", field="limit")
    if request.sample:
        frame = load_sample()
    elif request.enterprises is not None:
        frame = read_enterprises(request.enterprises)
    else:
        frame = load_stored()
    if request.limit is not None:
        frame = frame.head(request.limit)
    return None if frame.empty else frame.reset_index(drop=True)


def _registry_centers(database_url: str | None) -> list[dict[str, Any]]:
    from oicplan.store.registry import Registry

    registry = Registry(database_url)
    try:
        return registry.list_centers()
    finally:
        registry.dispose()


def network(request: NetworkRequest) -> NetworkResult:
    """Build the innovation network and measure it: density, components, brokers, links.

    Universities, institutes and service providers come only from the user's
    ``nodes`` file (no public list exists, none is invented); their absence is
    reported as a gap. Raises :class:`~oicplan.errors.InputError` naming
    ``enterprises`` (a file and the sample both given), ``limit`` (below 1),
    ``serve_top``, or the file, row and field of a bad nodes, edges or enterprise file.
    """
    from oicplan.network import build_network

    frame = _enterprises(request)
    centers = _registry_centers(request.database_url) if request.use_registry else None
    plan = None
    if request.use_plan:
        from oicplan.plan import make_plan
        from oicplan.scenario import load_scenario

        plan = make_plan(load_scenario(request.scenario))
    net = build_network(
        frame,
        centers=centers,
        plan=plan,
        nodes=request.nodes,
        edges=request.edges,
        scenario=request.scenario,
        capacity=request.capacity,
        serve_top=request.serve_top,
        serve_threshold=request.serve_threshold,
    )
    svg = None
    if request.svg is not None:
        request.svg.parent.mkdir(parents=True, exist_ok=True)
        from oicplan.wholefile import write_whole

        write_whole(request.svg, net.svg(request.top))
        svg = str(request.svg)
    return NetworkResult(
        synthetic=net.synthetic, document=net.to_dict(request.top), svg=svg, network=net
    )
