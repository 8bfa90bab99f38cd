"""The snapshot's precomputed access: each candidate site's best route from the home hubs.

``oicplan data build`` passes :func:`write_site_access` to
:func:`oicplan.data.build.build_snapshot`, which calls it on the new snapshot
folder before moving it into place (the data layer itself does not route).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_site_access"]


def write_site_access(snapshot: Path) -> None:
    """Each site's best route from the home hubs, from the transport graph of ``snapshot``."""
    from oicplan.data.dataset import Dataset
    from oicplan.geo.graph import build_graph
    from oicplan.geo.routing import access_table

    table = access_table(build_graph(dataset=Dataset(snapshot)))
    table = table.rename(
        columns={
            "best_mode": "access_mode",
            "best_from": "access_from",
            "best_km": "access_km",
            "best_days": "access_days",
            "best_cost": "access_cost",
            "best_estimated": "access_estimated",
            "rail_route": "rail_corridor",
        }
    )
    columns = [
        "site_id",
        "access_mode",
        "access_from",
        "access_km",
        "access_days",
        "access_cost",
        "access_estimated",
        "rail_days",
        "sea_days",
        "air_days",
        "rail_corridor",
        "sea_lane",
    ]
    table[columns].to_csv(snapshot / "site_access.csv", index=False)
