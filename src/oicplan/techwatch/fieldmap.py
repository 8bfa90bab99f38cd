"""The fields that matter to Zhejiang's priority industries, and each economy's trends in them.

The industry -> field map is the match's own (``src/oicplan/match/field_map.yaml``,
an assumption documented there) when that file exists. Until then it is derived
from the taxonomy (:mod:`oicplan.match.taxonomy`): each industry's WIPO fields
(patent families, USPTO), their WIPO areas (PCT) and the publication disciplines
of :data:`ARTICLE_FIELDS`, a modelling choice of oicplan (not data; see
docs/watch.md).

For one economy the watch uses the most specific technology data it has (the 35
WIPO fields of the patent-family file, else the 5 PCT areas) and, beside it, the
publication disciplines (science).

>>> rows = priority_fields()
>>> {"patent_families", "pct", "articles"} <= {row["source"] for row in rows}
True
>>> watch = economy_watch(load_field_values(), ["KOR"])
>>> watch["KOR"]["tier"]
'patent_families'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from oicplan.match.taxonomy import load_taxonomy
from oicplan.techwatch.trends import economies_with, field_trends, load_field_values

__all__ = [
    "ARTICLE_FIELDS",
    "FIELD_MAP_FILE",
    "SITE_SPAN",
    "TECH_TIERS",
    "economy_watch",
    "load_field_values",
    "priority_fields",
]

FIELD_MAP_FILE = Path(__file__).resolve().parent.parent / "match" / "field_map.yaml"

# The technology sources tried in turn for an economy (most specific first), and the
# science source always shown beside it.
TECH_TIERS = ("patent_families", "pct")
SCIENCE_SOURCE = "articles"

# Default window of a site's trends: the last year with data and 10 years before it.
SITE_SPAN = 10

# WIPO area (taxonomy sector) -> the PCT field of that area.
_AREA_FIELDS = {
    "electrical_engineering": "Electrical engineering",
    "instruments": "Instruments",
    "chemistry": "Chemistry",
    "mechanical_engineering": "Mechanical engineering",
    "other_fields": "Other fields",
}

# Industry -> the NCSES publication disciplines closest to it (an oicplan choice,
# used only while the match's own map is absent).
ARTICLE_FIELDS = {
    "information_technology": ("Computer and information sciences",),
    "software_information_services": ("Computer and information sciences",),
    "biotech_new_medicine": ("Biological and biomedical sciences", "Health sciences"),
    "new_materials": ("Materials science",),
    "high_end_equipment": ("Engineering",),
    "new_energy_energy_internet": ("Engineering", "Physics"),
    "digital_creativity": ("Computer and information sciences",),
    "energy_saving_environmental": ("Natural resources and conservation",),
    "new_energy_vehicles": ("Engineering",),
    "marine_engineering": ("Engineering", "Geosciences, atmospheric sciences, and ocean sciences"),
    "green_petrochemicals": ("Chemistry",),
    "fashion_textiles": ("Materials science",),
}


def _from_taxonomy() -> list[dict[str, Any]]:
    taxonomy = load_taxonomy()
    fields = taxonomy.raw["fields"]
    rows = []
    for industry in taxonomy.industries:
        base = {"industry": industry["id"], "industry_en": industry["name_en"],
                "industry_zh": industry["name_zh"]}
        areas: list[str] = []
        for field_id, weight in industry["fields"].items():
            spec = fields[field_id]
            for source in ("patent_families", "uspto"):
                rows.append({**base, "source": source, "field": spec["name"],
                             "relevance": "core" if weight >= 0.3 else "supporting"})
            area = _AREA_FIELDS[spec["sector"]]
            if area not in areas:
                areas.append(area)
        rows += [{**base, "source": "pct", "field": a, "relevance": "core"} for a in areas]
        rows += [{**base, "source": "articles", "field": f, "relevance": "core"}
                 for f in ARTICLE_FIELDS.get(industry["id"], ())]
    return rows


def _from_map_file(path: Path) -> list[dict[str, Any]] | None:
    """The match's industry -> field map, read leniently (None when it has no rows)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = raw.get("map", raw.get("rows", raw.get("fields"))) if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        return None
    names = {i["id"]: i for i in load_taxonomy().industries}
    rows = []
    for item in items:
        if not isinstance(item, dict) or not {"industry", "source", "field"} <= set(item):
            continue
        industry = names.get(item["industry"], {})
        rows.append({
            "industry": str(item["industry"]),
            "industry_en": industry.get("name_en", str(item["industry"])),
            "industry_zh": industry.get("name_zh", str(item["industry"])),
            "source": str(item["source"]),
            "field": str(item["field"]),
            "relevance": str(item.get("relevance", "core")),
        })
    return rows or None


@lru_cache(maxsize=2)
def _priority_fields(path: str, stamp: float) -> tuple[dict[str, Any], ...]:
    rows = _from_map_file(Path(path)) if stamp else None
    return tuple(rows or _from_taxonomy())


def priority_fields() -> list[dict[str, Any]]:
    """Rows ``industry, industry_en, industry_zh, source, field, relevance`` of the map.

    >>> rows = priority_fields()
    >>> sorted({row["industry"] for row in rows}) == sorted(load_taxonomy().industry_ids)
    True
    """
    stamp = FIELD_MAP_FILE.stat().st_mtime if FIELD_MAP_FILE.is_file() else 0.0
    return [dict(row) for row in _priority_fields(str(FIELD_MAP_FILE), stamp)]


def economy_watch(
    values: pd.DataFrame,
    economies: list[str],
    *,
    span: int = SITE_SPAN,
    until: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Each economy's trends in the fields of Zhejiang's priority industries.

    Returns ``iso3 -> {iso3, economy, tier, fields}``: ``tier`` is the technology
    source used (the first of :data:`TECH_TIERS` with data for the economy, else
    None), ``fields`` the trend rows of :func:`oicplan.techwatch.trends.field_trends`
    (technology tier first, then publications), each with ``industries`` (the ids
    of the industries that need the field). An economy without field data has an
    empty list: a gap stays a gap.
    """
    rows = priority_fields()
    present = {source: economies_with(values, source) for source in TECH_TIERS}
    out: dict[str, dict[str, Any]] = {}
    by_tier: dict[str | None, list[str]] = {}
    for iso3 in dict.fromkeys(economies):
        tier = next((s for s in TECH_TIERS if iso3 in present[s]), None)
        by_tier.setdefault(tier, []).append(iso3)
        out[iso3] = {"iso3": iso3, "economy": None, "tier": tier, "fields": []}
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
