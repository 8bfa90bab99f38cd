"""The innovation network a plan's report shows: its chosen centers with the enterprise sample.

Real enterprise lists are not public, so the network of a plan is built with the
labelled SYNTHETIC enterprise sample (:func:`oicplan.network.build_network` with
``enterprises="sample"``). The plan service computes it once, while the plan's
frontier solves run, and hands it to the report, which only renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oicplan.network import InnovationNetwork
    from oicplan.plan import Plan

__all__ = ["plan_network"]


def plan_network(plan: Plan) -> InnovationNetwork | None:
    """The network of ``plan``'s centers with the synthetic sample; None if it cannot be read."""
    from oicplan.network import build_network

    try:
        return build_network(enterprises="sample", plan=plan)
    except (OSError, LookupError):
        return None
