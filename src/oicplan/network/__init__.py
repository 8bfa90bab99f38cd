"""The innovation network of enterprises, centers, universities, institutes and services.

Paper sections 2.2 (an innovation system of enterprises, research institutions
and talents) and 2.3 (intermediary service networks), project issue 6.

* :mod:`~oicplan.network.files` — the user's ``nodes`` and ``edges`` files;
* :mod:`~oicplan.network.build` — the graph, its measures, brokers and suggested links;
* :mod:`~oicplan.network.picture` — the network picture (SVG) for the report.

docs/network.md describes the method and the data gaps.

>>> from oicplan.network import KINDS
>>> KINDS
('enterprise', 'center', 'university', 'institute', 'service')
"""

from oicplan.network.build import (
    ACTOR_KINDS,
    SERVE_TOP,
    InnovationNetwork,
    betweenness,
    build_network,
)
from oicplan.network.files import (
    KINDS,
    SERVICE_TYPES,
    check_edges,
    check_nodes,
    read_edges,
    read_nodes,
)
from oicplan.network.picture import KIND_COLOURS, network_svg

__all__ = [
    "ACTOR_KINDS",
    "KINDS",
    "KIND_COLOURS",
    "SERVE_TOP",
    "SERVICE_TYPES",
    "InnovationNetwork",
    "betweenness",
    "build_network",
    "check_edges",
    "check_nodes",
    "network_svg",
    "read_edges",
    "read_nodes",
]
