"""The report's local evidence of each chosen site (plan.json's ``local``), in one language.

One row per chosen site: the research organizations within the radius by ROR type,
the large airports within theirs, the GII S&T cluster rank and the main research
organizations nearby (real ROR names). The numbers come from the plan document
(:class:`oicplan.plan_document.LocalEvidence`, made by :mod:`oicplan.data.cities`);
the wording from :mod:`oicplan.report.messages`.

>>> local = {"radius_km": 50.0, "research_orgs": {"education": 3, "facility": 1, "company": 0},
...          "research_orgs_total": 4, "ror_coverage": 0.44,
...          "large_airports": {"radius_km": 100.0, "count": 1, "iata": ["VIE"],
...                             "nearest_km": 18.3},
...          "gii_cluster_rank": None,
...          "institutions": [{"ror_id": "03prydq77", "name": "University of Vienna",
...                            "types": ["education"], "city": "Vienna", "km": 0.0}]}
>>> section = local_section({"sites": [{"site_id": "a", "local": local}]}, "en", {"a": "Vienna"})
>>> row = section["rows"][0]
>>> row["orgs"], row["airports"], row["cluster"], row["hosts"]
('education 3 · facility 1 (4 in all)', '1 (VIE)', '—', 'University of Vienna')
>>> zh = local_section({"sites": [{"site_id": "a", "local": local}]}, "zh", {"a": "维也纳"})
>>> zh["rows"][0]["orgs"]
'高校 3 · 科研设施 1（共 4 家）'
"""

from __future__ import annotations

from typing import Any

from oicplan.report.messages import text

__all__ = ["HOSTS_SHOWN", "local_section"]

HOSTS_SHOWN = 5
"""How many of the main research organizations a row names."""


def _orgs(local: dict[str, Any], lang: str) -> str:
    counts = [
        f"{text(f'ror_type_{kind}', lang)} {n}"
        for kind, n in local["research_orgs"].items()
        if n
    ]
    return text("local_orgs_cell", lang, counts=" · ".join(counts) or "0",
                total=local["research_orgs_total"])


def _airports(local: dict[str, Any], lang: str) -> str:
    airports = local["large_airports"]
    if not airports["count"]:
        nearest = airports.get("nearest_km")
        return "0" if nearest is None else text("local_airport_nearest", lang, km=f"{nearest:g}")
    sep = "、" if lang == "zh" else ", "
    return f"{airports['count']} ({sep.join(airports['iata'])})"


def local_section(
    document: dict[str, Any], lang: str, names: dict[str, str]
) -> dict[str, Any] | None:
    """Headers, one row per chosen site and the source note; None when no site has ``local``."""
    sites = [site for site in document["sites"] if site.get("local")]
    if not sites:
        return None
    first = sites[0]["local"]
    sep = "；" if lang == "zh" else "; "
    rows = []
    for site in sites:
        local = site["local"]
        rank = local.get("gii_cluster_rank")
        rows.append({
            "site": names.get(site["site_id"], site["site_id"]),
            "orgs": _orgs(local, lang),
            "airports": _airports(local, lang),
            "cluster": "—" if rank is None else str(rank),
            "hosts": sep.join(item["name"] for item in local["institutions"][:HOSTS_SHOWN])
            or "—",
            "coverage": "—" if local.get("ror_coverage") is None
            else f"{local['ror_coverage']:.2f}",
        })
    return {
        "headers": [
            text("site", lang),
            text("local_orgs", lang, radius=f"{first['radius_km']:g}"),
            text("local_airports", lang, radius=f"{first['large_airports']['radius_km']:g}"),
            text("local_cluster", lang),
            text("local_hosts", lang),
            text("local_coverage", lang),
        ],
        "rows": rows,
        "note": text("local_note", lang),
    }
