"""Sourced reference facts: Belt and Road partners, GII, Zhejiang's zones and centers, rail.

The fact tables (``shared/data/facts``) carry a source and an as-of date on
every row. They are validated here, copied into the snapshot unchanged (so each
row keeps its source), and turned into a few indicators that the framework can
use. Each derived value names the table it came from.

Derived indicators (entity = ISO3):

============================  ==========================================================
``OIC.BRI_PARTNER``           1 member, 0.5 status unclear, 0 withdrawn or not listed
``OIC.CN_TAX_TREATY``         1 if a double-taxation treaty with China is in the list
``OIC.ZJ_ZONES``              number of Zhejiang overseas cooperation zones listed
``OIC.ZJ_CENTERS``            number of Zhejiang overseas centers listed (examples only)
``OIC.YIWU_RAIL``             1 a Yiwu/Jinhua train ends there, 0.5 passes through, else 0
``GII.SCORE`` and pillars     Global Innovation Index 2022 (the last complete edition here)
============================  ==========================================================
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from oicplan.data.validation import FACT_SCHEMAS, NUMBER_START, read_csv_checked

__all__ = [
    "FACT_TABLES",
    "FACT_INDICATORS",
    "GII_PILLARS",
    "bri_status",
    "derive_fact_indicators",
    "leading_number",
    "sourced_routes",
    "read_facts",
]

FACT_TABLES = tuple(FACT_SCHEMAS)

GII_PILLARS = {
    "GII.SCORE": "score",
    "GII.INSTITUTIONS": "institutions",
    "GII.HUMAN_CAPITAL_RESEARCH": "human_capital_research",
    "GII.INFRASTRUCTURE": "infrastructure",
    "GII.MARKET_SOPHISTICATION": "market_sophistication",
    "GII.BUSINESS_SOPHISTICATION": "business_sophistication",
    "GII.KNOWLEDGE_TECHNOLOGY_OUTPUTS": "knowledge_technology_outputs",
    "GII.CREATIVE_OUTPUTS": "creative_outputs",
}

# The 2024 and 2025 rows are partial (no pillar scores, a third of the economies):
# mixing editions would compare unlike scores, so the complete 2022 edition is used.
GII_EDITION_USED = 2022

FACT_INDICATORS = {
    "OIC.BRI_PARTNER": ("Belt and Road cooperation document with China (1/0.5/0)", "bri_countries"),
    "OIC.CN_TAX_TREATY": ("Double-taxation treaty with China listed (1/0)", "china_tax_treaties"),
    "OIC.ZJ_ZONES": ("Zhejiang overseas cooperation zones listed (count)", "zhejiang_zones"),
    "OIC.ZJ_CENTERS": (
        "Zhejiang overseas innovation centers listed (count; examples only)",
        "zhejiang_overseas_centers",
    ),
    "OIC.YIWU_RAIL": ("Yiwu/Jinhua China–Europe rail: terminus 1, transit 0.5", "yixinou_routes"),
    **{
        code: (f"Global Innovation Index 2022: {column.replace('_', ' ')} (0–100)", "gii_scores")
        for code, column in GII_PILLARS.items()
    },
}


def read_facts(facts_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read and validate every fact table of a folder; a broken file names file, row, field."""
    facts_dir = Path(facts_dir)
    return {
        name: read_csv_checked(facts_dir / f"{name}.csv", FACT_SCHEMAS[name], dtype=str)
        for name in FACT_TABLES
    }


def sourced_routes(routes: pd.DataFrame) -> pd.DataFrame:
    """The rail-route rows that cite a source (placeholder rows are a gap, not a route)."""
    return routes[routes["source"].notna()]


def bri_status(status: str) -> float:
    """Score a partner status text from ``bri_countries.csv``.

    >>> bri_status("member (per 2022-08 list)"), bri_status("unclear"), bri_status("withdrawn")
    (1.0, 0.5, 0.0)
    """
    text = status.lower()
    if text.startswith("withdrawn"):
        return 0.0
    if text.startswith("unclear"):
        return 0.5
    return 1.0


def leading_number(text: object) -> float | None:
    """The number a fact cell starts with, or None for an empty cell.

    The forms the fact tables' checks accept are read: a leading "~", "≈", "about",
    "approx.", "c.", "ca." or "circa" (an approximate figure), a thousands comma.

    >>> leading_number("29.7 (as printed)"), leading_number(None), leading_number("13052 (13,000+)")
    (29.7, None, 13052.0)
    >>> leading_number("~12000"), leading_number("about 13,052"), leading_number("11000+")
    (12000.0, 13052.0, 11000.0)
    """
    match = NUMBER_START.match(text) if isinstance(text, str) else None
    return float(match.group(1).replace(",", "") + (match.group(2) or "")) if match else None


def _year_in(text: str | float, default: int) -> int:
    years = re.findall(r"(?:19|20)\d{2}", str(text))
    return int(years[-1]) if years else default


def derive_fact_indicators(facts: dict[str, pd.DataFrame], economies: list[str]) -> pd.DataFrame:
    """Tidy rows ``entity, indicator, year, value, source`` derived from the fact tables.

    ``economies`` are the ISO3 codes for which "not listed" is itself a fact (0).
    """
    rows: list[dict] = []

    def add(entity: str, code: str, year: int, value: float) -> None:
        source = "facts/" + FACT_INDICATORS[code][1]
        rows.append(dict(entity=entity, indicator=code, year=year, value=value, source=source))

    bri = facts["bri_countries"]
    listed = {}
    for row in bri.itertuples():
        year = 2022
        if row.status.startswith("withdrawn"):
            year = _year_in(row.status_note, 2023) if isinstance(row.status_note, str) else 2023
        elif not row.status.startswith(("member (per", "unclear")):
            year = _year_in(row.date_signed, 2022)
        listed[row.iso3] = (bri_status(row.status), year)
    for iso3 in economies:
        value, year = listed.get(iso3, (0.0, 2025))
        add(iso3, "OIC.BRI_PARTNER", year, value)

    treaties = set(facts["china_tax_treaties"]["iso3"].dropna())
    for iso3 in economies:
        add(iso3, "OIC.CN_TAX_TREATY", 2018, 1.0 if iso3 in treaties else 0.0)

    zones = facts["zhejiang_zones"]["iso3"].value_counts()
    centers = facts["zhejiang_overseas_centers"]["iso3"].value_counts()
    for iso3 in economies:
        add(iso3, "OIC.ZJ_ZONES", 2023, float(zones.get(iso3, 0)))
        add(iso3, "OIC.ZJ_CENTERS", 2019, float(centers.get(iso3, 0)))

    routes = sourced_routes(facts["yixinou_routes"])
    termini = set(routes["iso3"])
    transit = {
        code for text in routes["transit_countries"].dropna() for code in text.split(";") if code
    }
    for iso3 in economies:
        value = 1.0 if iso3 in termini else 0.5 if iso3 in transit else 0.0
        add(iso3, "OIC.YIWU_RAIL", 2024, value)

    gii = facts["gii_scores"]
    gii = gii[gii["edition"].astype(int) == GII_EDITION_USED]
    for row in gii.itertuples():
        for code, column in GII_PILLARS.items():
            score = leading_number(getattr(row, column))
            if score is not None:
                add(row.iso3, code, GII_EDITION_USED, score)
    return pd.DataFrame(rows)
