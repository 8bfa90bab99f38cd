"""Performance of established centers, fed back into the site scores (paper 2.5).

Government guidance and supervision close the loop: a center whose KPIs stay
below target makes its host site a weaker base for the next center. The
registry's alerts (:func:`oicplan.monitor.alerts.overview`) become a factor per
site, which scales the site-level indicator ``SITE.CENTER`` ("a Zhejiang center
is here") in the cooperation pillar:

=========================================================  ======
the center's light                                          factor
=========================================================  ======
green, or amber only because no KPI values are reported    1.0
amber for any other reason (cost overrun, risk rising)     0.5 (``feedback.amber_factor``)
red (below target for N years, or a large cost overrun)    0.0
=========================================================  ======

A site with several centers takes the best of their factors. A center is placed
at the candidate site its ``site_id`` names (``oicplan centers add --site-id``);
a center without one is found by name, in the ``center_name`` column of the
candidate sites (the snapshot's centers, listed there under their English names).

>>> performance_factor("red", ["below_target"]), performance_factor("amber", ["no_kpi_data"])
(0.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from oicplan.assumptions import default
from oicplan.monitor.alerts import YEARS_BELOW_TARGET

__all__ = ["FACTORS", "center_site_performance", "performance_factor"]

# Green keeps the indicator, red removes it; amber is a stated assumption.
FACTORS = {"green": 1.0, "amber": default("feedback.amber_factor"), "red": 0.0}


def performance_factor(light: str, alert_kinds: Iterable[str]) -> float:
    """Factor for one center from its traffic light and the kinds of its alerts."""
    kinds = set(alert_kinds)
    if light == "amber" and kinds <= {"no_kpi_data"}:
        return 1.0  # no evidence either way
    return FACTORS[light]


def center_site_performance(
    registry: Any, dataset: Any, *, years: int = YEARS_BELOW_TARGET
) -> pd.DataFrame:
    """Per site with a registered center: the factor and the centers behind it.

    A center goes to the site of its ``site_id`` when the registry has one and
    the dataset knows that site; otherwise to the site whose ``center_name``
    lists the center's name.

    Returns a DataFrame indexed by ``site_id`` with columns ``factor``,
    ``centers`` (ids) and ``lights``; sites whose centers cannot be placed are
    left out (a center with neither a ``site_id`` nor a name the sites list,
    such as one with no host city in the source, has no site).
    """
    from oicplan.monitor.alerts import overview
    from oicplan.store.seed import sites_by_center_name

    rows = overview(registry, years=years)
    # Every listed center, also one only announced (the registry keeps its status);
    # the factor only moves a site whose scenario counts the center.
    sites = getattr(dataset, "sites_with_unconfirmed", dataset.sites)
    known_sites = set(sites["site_id"].astype(str))
    by_name = sites_by_center_name(sites)
    records: dict[str, dict] = {}
    for row in rows:
        site_id = row.get("site_id")
        if site_id not in known_sites:
            site_id = by_name.get(str(row.get("name", "")).strip())
        if site_id is None:
            continue
        factor = performance_factor(row["light"], (a["kind"] for a in row["alerts"]))
        record = records.setdefault(site_id, {"factor": 0.0, "centers": [], "lights": []})
        record["factor"] = max(record["factor"], factor)
        record["centers"].append(row["center_id"])
        record["lights"].append(row["light"])
    return pd.DataFrame.from_dict(records, orient="index").rename_axis("site_id")
