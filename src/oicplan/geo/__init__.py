"""Transport: how Zhejiang's hubs reach each candidate site by rail, sea and air.

A multimodal graph (``networkx``) from the five home hubs (Hangzhou,
Ningbo-Zhoushan, Yiwu, Jinhua, Wenzhou) to every candidate site:

* rail along the published Yiwu/Jinhua China–Europe routes, split at their
  border crossings, published figures where they exist and flagged estimates
  where they do not (:mod:`oicplan.geo.rail`);
* sea from Ningbo-Zhoushan through ``searoute``, with the passages each lane uses
  (:mod:`oicplan.geo.sea`);
* air from Hangzhou and Ningbo; trucks and transfers between modes.

Ask for one route, every site's access by mode, the corridors and their most
important nodes, and what a closure (a crossing, a segment, a passage) changes.
Every assumption is in :mod:`oicplan.geo.assumptions`; see ``docs/transport.md``.

>>> G = build_graph(sites=["ESP-madrid"])
>>> route = shortest_route(G, find_place(G, "Yiwu", kind="hub"), find_place(G, "Madrid"),
...                        mode="rail")
>>> route.as_dict()["km"], route.as_dict()["days"]
(13052.0, 21.0)
"""

from oicplan.geo.assumptions import MODES, Assumptions
from oicplan.geo.disruption import close, closure_plan, disruption_table
from oicplan.geo.graph import (
    AIR_HUBS,
    SEA_HUB,
    build_graph,
    find_place,
    hub_id,
    sea_lane,
    transport_graph,
)
from oicplan.geo.rail import BORDER_CROSSINGS, RailEstimates, rail_estimates, rail_routes
from oicplan.geo.routing import (
    Route,
    access_table,
    corridor_graph,
    corridors,
    node_importance,
    shortest_route,
)
from oicplan.geo.sea import PASSAGES, SeaLeg, passage_key, sea_leg

__all__ = [
    "AIR_HUBS",
    "BORDER_CROSSINGS",
    "MODES",
    "PASSAGES",
    "SEA_HUB",
    "Assumptions",
    "RailEstimates",
    "Route",
    "SeaLeg",
    "access_table",
    "build_graph",
    "close",
    "closure_plan",
    "corridor_graph",
    "corridors",
    "disruption_table",
    "find_place",
    "hub_id",
    "node_importance",
    "passage_key",
    "rail_estimates",
    "rail_routes",
    "sea_lane",
    "sea_leg",
    "shortest_route",
    "transport_graph",
]
