"""The innovation network a plan's report shows: its chosen centers with their enterprises.

Real enterprise lists are not public, so unless the scenario names its own
(``selection.enterprises``), the network of a plan is built with the labelled
SYNTHETIC enterprise sample (:func:`oicplan.network.build_network` with
``enterprises="sample"``; :func:`oicplan.plan_selection.network_enterprises` decides,
and ``plan.json``'s ``synthetic_inputs`` says so). The plan service computes it once,
while the plan's frontier solves run, and hands it to the report, which only renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oicplan.network import InnovationNetwork
    from oicplan.plan import Plan

__all__ = ["plan_network"]


def plan_network(plan: Plan) -> InnovationNetwork | None:
    """The network of ``plan``'s centers and enterprises; None if they cannot be read.

    Built with the plan's ``assumptions`` in force (the assignment weights), in whatever
    thread the caller runs it. What the report needs of it and that depends on neither
    language nor names is computed here too and kept with the network (its betweenness
    and the picture's layout: :func:`oicplan.network.picture.network_layout`), so the
    plan service computes it while the solves run, not when the report is drawn.
    """
    from oicplan.assumptions import applied
    from oicplan.network import build_network
    from oicplan.network.picture import network_layout
    from oicplan.plan_selection import network_enterprises, served_enterprises

    source = network_enterprises(plan.scenario)
    try:
        enterprises = source if source == "sample" else served_enterprises(source)
        with applied(plan.scenario.assumptions):
            network = build_network(enterprises=enterprises, plan=plan)
    except (OSError, LookupError):
        return None
    network.measures()
    network_layout(network)
    return network
