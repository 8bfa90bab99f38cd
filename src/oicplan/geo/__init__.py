"""Transport: how a scenario's hubs reach each candidate site by rail, sea and air.

A multimodal graph (``networkx``) from the home hubs of a scenario, each with the
transport modes it serves (default: Zhejiang's five, Hangzhou air, Ningbo-Zhoushan
sea and air, Yiwu and Jinhua rail, Wenzhou a feeder) to every candidate site:

* rail along the published Yiwu/Jinhua China–Europe routes where the hub is their
  origin, split at their border crossings, published figures where they exist and
  flagged estimates where they do not; from any other rail hub, estimated routes to
  the same terminals (:mod:`oicplan.geo.rail`);
* sea from each sea hub through ``searoute``, with the passages each lane uses
  (:mod:`oicplan.geo.sea`);
* air from each air hub; trucks and transfers between modes.

Ask for one route, every site's access by mode, the corridors and their most
important nodes, and what a closure (a crossing, a segment, a passage) changes.
Every assumption is in :mod:`oicplan.geo.assumptions`; see ``docs/transport.md``.

>>> from oicplan.geo import build_graph, find_place, shortest_route
>>> G = build_graph(sites=["ESP-madrid"])
>>> route = shortest_route(G, find_place(G, "Yiwu", kind="hub"), find_place(G, "Madrid"),
...                        mode="rail")
>>> route.as_dict()["km"], route.as_dict()["days"]
(13052.0, 21.0)
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it (imported on first use: the command line
# lists modes, passages and crossings without loading networkx or searoute).
_EXPORTS = {
    "Assumptions": "oicplan.geo.assumptions",
    "MODES": "oicplan.geo.assumptions",
    "BORDER_CROSSINGS": "oicplan.geo.crossings",
    "close": "oicplan.geo.disruption",
    "closure_plan": "oicplan.geo.disruption",
    "disruption_table": "oicplan.geo.disruption",
    "AIR_HUBS": "oicplan.geo.graph",
    "SEA_HUB": "oicplan.geo.graph",
    "HubSpec": "oicplan.geo.graph",
    "build_graph": "oicplan.geo.graph",
    "default_hubs": "oicplan.geo.graph",
    "find_place": "oicplan.geo.graph",
    "hub_id": "oicplan.geo.graph",
    "hub_modes": "oicplan.geo.graph",
    "hub_nodes": "oicplan.geo.graph",
    "hub_specs": "oicplan.geo.graph",
    "scenario_graph": "oicplan.geo.graph",
    "sea_lane": "oicplan.geo.graph",
    "transport_graph": "oicplan.geo.graph",
    "RailEstimates": "oicplan.geo.rail",
    "hub_rail_routes": "oicplan.geo.rail",
    "rail_estimates": "oicplan.geo.rail",
    "rail_routes": "oicplan.geo.rail",
    "Route": "oicplan.geo.routing",
    "access_table": "oicplan.geo.routing",
    "corridor_graph": "oicplan.geo.routing",
    "corridors": "oicplan.geo.routing",
    "node_importance": "oicplan.geo.routing",
    "shortest_route": "oicplan.geo.routing",
    "PASSAGES": "oicplan.geo.sea",
    "SeaLeg": "oicplan.geo.sea",
    "passage_key": "oicplan.geo.sea",
    "sea_leg": "oicplan.geo.sea",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
