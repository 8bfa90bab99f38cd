"""What a second center in one economy adds: the same-economy pairs of a solved layout.

With the diminishing return (:mod:`oicplan.optimize.layout_diversify`) a second
center in an economy earns only part of its site quality, so a layout that
still keeps two should say why. :func:`same_economy_pairs` pairs every open
center after the first of its diversity group with that first center (the one
whose quality term counts in full) and lists what the later one adds:

* **mode** -- another center mode than the first;
* **industries** -- the demands (home industries or enterprise classes) it
  serves best in the layout (``Layout.assignment``), which the first does not;
* **pillars** -- the pillar scores (the score components, now with city-level
  evidence) in which it is stronger than the first by at least
  :data:`PILLAR_MARGIN`;
* **corridor** -- a rail corridor or sea lane the first is not on;
* **distance** -- how far apart the two are, and whether they share a city region.

Each reason is a note of :mod:`oicplan.notes` (English and Chinese).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oicplan.assumptions import default
from oicplan.notes import note, note_text
from oicplan.optimize._inputs import haversine_km

__all__ = ["PILLAR_MARGIN", "plan_pairs", "same_economy_pairs"]

#: A pillar counts as a strength of the second site when its score is at least this
#: much higher (pillar scores are 0-1): smaller gaps are within rounding of the data.
PILLAR_MARGIN = 0.02


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _corridors(site: Any, sites: pd.DataFrame | None) -> set[str]:
    if sites is None or site not in sites.index:
        return set()
    row = sites.loc[site]
    out = set()
    for column in ("rail_corridor", "sea_lane"):
        text = _text(row.get(column))
        if text:
            out |= {part.strip() for part in text.split(";") if part.strip()}
    return out


def same_economy_pairs(layout: Any, table: pd.DataFrame, sites: pd.DataFrame | None = None,
                       region_km: float | None = None,
                       vocabulary: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The pairs of open centers in one diversity group, with what the later one adds.

    Parameters
    ----------
    layout : oicplan.optimize.layout.Layout
        A solved model (its ``chosen`` has ``quality_factor``).
    table : pandas.DataFrame
        The ranked sites: ``site_id``, ``iso3``, ``lat``, ``lon``, ``score`` and the
        ``pillar_*`` columns.
    sites : pandas.DataFrame, optional
        The dataset's sites by ``site_id`` (for ``rail_corridor`` and ``sea_lane``).
    region_km : float, optional
        The city-region radius: pairs closer than this are flagged.
    vocabulary : dict, optional
        Chinese names of ids for the reasons in Chinese (:func:`oicplan.notes.note_text`).

    Returns
    -------
    list of dict
        One per pair, keys ``economy``, ``first``, ``second`` (site ids),
        ``first_existing``, ``second_existing``, ``distance_km``,
        ``same_city_region``, ``quality_factor`` (of the second), ``score_gap``
        (second minus first), ``distinct_mode``, ``modes``, ``industries``,
        ``pillars`` (pillar -> lead over the first), ``corridors``, ``reasons``
        and ``reasons_zh``. Empty without the diminishing return.
    """
    d = layout.inputs
    if d.diversity_group is None or layout.chosen is None or not len(layout.chosen):
        return []
    group_of = dict(zip(d.site_ids, d.diversity_group.tolist(), strict=True))
    chosen = layout.chosen.copy()
    chosen["group"] = chosen["site_id"].map(group_of)
    chosen["term"] = chosen["quality"] * chosen["quality_factor"]
    rows = table.set_index("site_id")
    pillars = [c for c in table.columns if c.startswith("pillar_")]
    served: dict[Any, list[str]] = {}
    for demand, where in layout.assignment.items():
        served.setdefault(where["site_id"], []).append(str(demand))
    indexed = None if sites is None else sites.set_index("site_id") if "site_id" in sites else sites
    terms = dict(vocabulary or {})
    if {"country_en", "country_zh"} <= set(table.columns):  # economies named in both languages
        terms.update(zip(table["country_en"].astype(str), table["country_zh"].astype(str),
                         strict=True))
    out = []
    for group, members in chosen.groupby("group", sort=True):
        if len(members) < 2:
            continue
        members = members.sort_values(["quality_factor", "term"], ascending=[False, False])
        first = members.iloc[0]
        for _, second in members.iloc[1:].iterrows():
            out.append(_pair(group, first, second, rows, pillars, served, indexed,
                             region_km, terms))
    return out


def _pair(group, first, second, rows, pillars, served, sites, region_km, vocabulary):
    a, b = first["site_id"], second["site_id"]
    ra, rb = rows.loc[a], rows.loc[b]
    km = float(haversine_km([[ra["lat"], ra["lon"]]], [[rb["lat"], rb["lon"]]])[0, 0])
    same_region = region_km is not None and km <= region_km
    lead = {p.removeprefix("pillar_"): round(float(rb[p] - ra[p]), 6) for p in pillars
            if np.isfinite(rb[p]) and np.isfinite(ra[p]) and rb[p] - ra[p] >= PILLAR_MARGIN}
    industries = sorted(set(served.get(b, [])) - set(served.get(a, [])))
    corridors = sorted(_corridors(b, sites) - _corridors(a, sites))
    economy = next((_text(r.get("country_en")) for r in (ra, rb) if r.get("iso3") == group),
                   None) or str(group)
    reasons = [note("pair_kept_region" if same_region else "pair_kept", second=b, first=a,
                    economy=economy, km=f"{km:.0f}", factor=f"{second['quality_factor']:g}")]
    if second["mode"] != first["mode"]:
        reasons.append(note("pair_mode", mode=second["mode"], other=first["mode"]))
    if industries:
        reasons.append(note("pair_industries", industries=", ".join(industries)))
    if lead:
        reasons.append(note("pair_pillars", first=a, pillars=", ".join(lead)))
    if corridors:
        reasons.append(note("pair_corridor", corridors=", ".join(corridors)))
    if len(reasons) == 1:
        reasons.append(note("pair_adds_little"))
    return {
        "economy": str(group),
        "first": a,
        "second": b,
        "first_existing": bool(first["existing"]),
        "second_existing": bool(second["existing"]),
        "distance_km": round(km, 1),
        "same_city_region": bool(same_region),
        "quality_factor": float(second["quality_factor"]),
        "score_gap": round(float(rb["score"] - ra["score"]), 6),
        "distinct_mode": bool(second["mode"] != first["mode"]),
        "modes": [str(first["mode"]), str(second["mode"])],
        "industries": industries,
        "pillars": lead,
        "corridors": corridors,
        "reasons": reasons,
        "reasons_zh": [note_text(r, "zh", vocabulary) for r in reasons],
    }


def plan_pairs(plan: Any, vocabulary: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """:func:`same_economy_pairs` of a plan (its ``layout``, ranking, sites and scenario).

    Duck-typed (this layer does not import the pipeline): ``plan.layout`` (None for a
    greedy plan: no pairs), ``plan.ranked.table``, ``plan.dataset.sites`` and
    ``plan.scenario.assumptions`` (for ``layout.city_region_km``).
    """
    if plan.layout is None:
        return []
    km = plan.scenario.assumptions.get("layout.city_region_km",
                                       default("layout.city_region_km"))
    return same_economy_pairs(plan.layout, plan.ranked.table, plan.dataset.sites, km,
                              vocabulary)
