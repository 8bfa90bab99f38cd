"""The fields that matter to Zhejiang's priority industries, and each economy's trends in them.

One source for each rule: the industry -> field map is the match's
(``src/oicplan/match/field_map.yaml``, an assumption documented there and in
docs/match.md, read by :func:`oicplan.match.field_strength.field_map`), and so is
the choice of an economy's technology data
(:func:`oicplan.match.field_strength.economy_tier`: the 35 WIPO fields of granted
patent families, else the 5 PCT areas except for EPC states, else publications).
The watch shows the fields of the economy's technology tier (patent families or
PCT) and, beside them, the publication disciplines (science), for every economy.

>>> rows = priority_fields()
>>> {"patent_families", "pct", "articles"} <= {row["source"] for row in rows}
True
>>> watch = economy_watch(load_field_values(), ["KOR", "CZE"])
>>> watch["KOR"]["tier"], watch["CZE"]["tier"], watch["CZE"]["fields"][0]["source"]
('patent_families', None, 'articles')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from oicplan.match.field_strength import economy_tier, field_map, tier_table
from oicplan.match.taxonomy import load_taxonomy
from oicplan.techwatch.trends import field_trends, load_field_values

__all__ = [
    "SCIENCE_SOURCE",
    "SITE_SPAN",
    "TECH_TIERS",
    "economy_watch",
    "load_field_values",
    "priority_fields",
]

# The technology tiers of the match the watch shows (an economy whose tier is
# publications has no technology rows), and the science source always shown.
TECH_TIERS = ("patent_families", "pct")
SCIENCE_SOURCE = "articles"

# Default window of a site's trends: the last year with data and 10 years before it.
SITE_SPAN = 10

_LAST: list[tuple[pd.DataFrame, dict[str, pd.DataFrame]]] = []  # the last tier table


def _tiers(values: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if _LAST and _LAST[0][0] is values:
        return _LAST[0][1]
    measures = tier_table(values)
    _LAST[:] = [(values, measures)]
    return measures


def priority_fields() -> list[dict[str, Any]]:
    """The map's rows with the industries' names: ``industry, industry_en, industry_zh,
    source, field, relevance``.

    >>> rows = priority_fields()
    >>> sorted({row["industry"] for row in rows}) == sorted(load_taxonomy().industry_ids)
    True
    """
    names = {item["id"]: item for item in load_taxonomy().industries}
    return [
        {
            "industry": row["industry"],
            "industry_en": names.get(row["industry"], {}).get("name_en", row["industry"]),
            "industry_zh": names.get(row["industry"], {}).get("name_zh", row["industry"]),
            "source": row["source"],
            "field": row["field"],
            "relevance": row["relevance"],
        }
        for row in field_map()
    ]


def economy_watch(
    values: pd.DataFrame,
    economies: list[str],
    *,
    span: int = SITE_SPAN,
    until: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Each economy's trends in the fields of Zhejiang's priority industries.

    Returns ``iso3 -> {iso3, economy, tier, tier_reason, fields}``: ``tier`` is the
    technology source used (the match's tier when it is one of :data:`TECH_TIERS`,
    else None) and ``tier_reason`` the match's words for the choice, ``fields`` the
    trend rows of :func:`oicplan.techwatch.trends.field_trends`
    (technology tier first, then publications), each with ``industries`` (the ids
    of the industries that need the field). An economy without field data has an
    empty list: a gap stays a gap.
    """
    rows = priority_fields()
    measures = _tiers(values)
    out: dict[str, dict[str, Any]] = {}
    by_tier: dict[str | None, list[str]] = {}
    for iso3 in dict.fromkeys(economies):
        source, reason = economy_tier(iso3, measures)
        tier = source if source in TECH_TIERS else None
        by_tier.setdefault(tier, []).append(iso3)
        out[iso3] = {"iso3": iso3, "economy": None, "tier": tier, "tier_reason": reason,
                     "fields": []}
    for tier, codes in by_tier.items():
        sources = [s for s in (tier, SCIENCE_SOURCE) if s]
        industries: dict[tuple[str, str], list[str]] = {}
        for row in rows:
            if row["source"] in sources:
                needs = industries.setdefault((row["source"], row["field"]), [])
                if row["industry"] not in needs:
                    needs.append(row["industry"])
        pairs = sorted(industries, key=lambda p: (sources.index(p[0]), p[1]))
        trends = field_trends(values, codes, pairs, span=span, until=until)
        for iso3, found in trends.items():
            for trend in found:
                trend["industries"] = industries[(trend["source"], trend["field"])]
                out[iso3]["economy"] = out[iso3]["economy"] or trend["economy"]
            out[iso3]["fields"] = found
    return out
