"""Sourced reference facts: Belt and Road partners, GII, Zhejiang's zones and centers, rail.

The fact tables (``shared/data/facts``) carry a source and an as-of date on
every row. They are validated here, copied into the snapshot unchanged (so each
row keeps its source), and turned into a few indicators that the framework can
use. Each derived value names the table it came from and carries the year of
its fact.

What a list does not say stays unsaid: only the Belt and Road list is complete
(its README says so), so only there does "not listed" mean 0. The treaty list
(May 2017 plus 2018 signings), the zones (8 of 16 named) and the centers
(examples only) give a value to the economies they list; every other economy
has no value (unknown), which the indicator engine treats as missing and fills
by the rule the framework states for that indicator (``imputation``), marked
as imputed. The rail list is incomplete too, but no train can reach an economy
off the Eurasian-African landmass; those get 0 with the reason.

Unconfirmed facts (a center only "announced" or closed, a zone whose level is
not confirmed) are left out of the default indicators; the ``*_ALL`` variants
count them, for a scenario that opts in (``facts: {include_unconfirmed: true}``).

Derived indicators (entity = ISO3):

============================  ==========================================================
``OIC.BRI_PARTNER``           1 member, 0.5 status unclear, 0 withdrawn or not listed
``OIC.CN_TAX_TREATY``         1 if a double-taxation treaty with China is listed, else unknown
``OIC.ZJ_ZONES``              confirmed Zhejiang overseas cooperation zones listed; unknown
                              where none is listed (``OIC.ZJ_ZONES_ALL`` counts every row)
``OIC.ZJ_CENTERS``            confirmed Zhejiang overseas centers listed (examples only);
                              unknown where none (``OIC.ZJ_CENTERS_ALL`` counts every row)
``OIC.YIWU_RAIL``             1 a Yiwu/Jinhua train ends there, 0.5 passes through, 0 no rail
                              link possible, else unknown
``GII.SCORE``                 Global Innovation Index score, newest edition with a score
``GII.*`` pillars             the GII 2022 pillar scores (the only edition with pillars here)
============================  ==========================================================
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from oicplan.data.validation import FACT_SCHEMAS, NUMBER_START, read_csv_checked
from oicplan.notes import note

__all__ = [
    "CONFIRMED_LEVEL",
    "FACT_TABLES",
    "FACT_INDICATORS",
    "GII_PILLARS",
    "NO_RAIL_REGIONS",
    "UNCONFIRMED_VARIANTS",
    "bri_status",
    "center_confirmed",
    "zone_confirmed",
    "derive_fact_indicators",
    "leading_number",
    "sourced_routes",
    "unconfirmed_gaps",
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

# The only edition with pillar scores in the table (and the only complete one). The
# overall score comes from the newest edition that gives an economy a score.
GII_EDITION_USED = 2022
GII_PILLAR_EDITION = GII_EDITION_USED

FACT_INDICATORS = {
    "OIC.BRI_PARTNER": ("Belt and Road cooperation document with China (1/0.5/0)", "bri_countries"),
    "OIC.CN_TAX_TREATY": (
        "Double-taxation treaty with China listed (1; unknown if not in the 2017/2018 list)",
        "china_tax_treaties",
    ),
    "OIC.ZJ_ZONES": (
        "Zhejiang overseas cooperation zones listed, confirmed (count; unknown if none listed)",
        "zhejiang_zones",
    ),
    "OIC.ZJ_ZONES_ALL": (
        "Zhejiang overseas cooperation zones listed, incl. unconfirmed level (count)",
        "zhejiang_zones",
    ),
    "OIC.ZJ_CENTERS": (
        "Zhejiang overseas innovation centers listed, confirmed (count of examples; "
        "unknown if none listed)",
        "zhejiang_overseas_centers",
    ),
    "OIC.ZJ_CENTERS_ALL": (
        "Zhejiang overseas innovation centers listed, incl. announced or closed (count)",
        "zhejiang_overseas_centers",
    ),
    "OIC.YIWU_RAIL": (
        "Yiwu/Jinhua China–Europe rail: terminus 1, transit 0.5, no rail link possible 0",
        "yixinou_routes",
    ),
    "GII.SCORE": (
        "Global Innovation Index: overall score, newest edition with a score (0–100)",
        "gii_scores",
    ),
    **{
        code: (f"Global Innovation Index 2022: {column.replace('_', ' ')} (0–100)", "gii_scores")
        for code, column in GII_PILLARS.items()
        if code != "GII.SCORE"
    },
}

# Indicators whose "all" variant counts unconfirmed rows (scenario facts.include_unconfirmed).
UNCONFIRMED_VARIANTS = {"OIC.ZJ_ZONES": "OIC.ZJ_ZONES_ALL", "OIC.ZJ_CENTERS": "OIC.ZJ_CENTERS_ALL"}

# Continents (as ``country_table`` names them) that no train from China can reach: no
# rail line links them to the Eurasian network.
NO_RAIL_REGIONS = ("Africa", "North America", "South America", "Oceania", "Antarctica")
# Economies of the other regions with no rail link to the Eurasian network: islands
# (and island groups) without a fixed rail crossing to the mainland.
NO_RAIL_ISLANDS = frozenset({
    "AUS", "BHR", "BRN", "CYP", "FJI", "FSM", "IDN", "IRL", "ISL", "JPN", "KIR", "LKA",
    "MDV", "MHL", "MLT", "NRU", "NZL", "PHL", "PLW", "PNG", "SLB", "TLS", "TON", "TUV",
    "VUT", "WSM", "COK", "NIU",
})


def read_facts(facts_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read and validate every fact table of a folder; a broken file names file, row, field."""
    facts_dir = Path(facts_dir)
    return {
        name: read_csv_checked(facts_dir / f"{name}.csv", FACT_SCHEMAS[name], dtype=str)
        for name in FACT_TABLES
    }


def sourced_routes(routes: pd.DataFrame) -> pd.DataFrame:
    """The rail-route rows that cite a source for the route.

    Placeholder rows (no source) are a gap, not a route; so is a row whose notes
    say the route was not found (Yiwu–Warsaw: its source lists the directions
    and Poland is not among them).

    >>> table = pd.DataFrame({"source": ["a", None, "b"], "notes": [None, None, "NOT FOUND. x"]})
    >>> len(sourced_routes(table))
    1
    """
    sourced = routes["source"].notna()
    if "notes" in routes:
        notes = routes["notes"].fillna("").astype(str).str.upper()
        sourced &= ~notes.str.startswith("NOT FOUND")
    return routes[sourced]


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


CONFIRMED_LEVEL = "national"


def zone_confirmed(level: object) -> bool:
    """Whether a zone row's ``level`` confirms it (a national zone, not marked unverified).

    >>> zone_confirmed("national"), zone_confirmed("national (MOFCOM 2016); UNVERIFIED")
    (True, False)
    >>> zone_confirmed("not confirmed (provincial?)"), zone_confirmed(None)
    (False, False)
    """
    text = str(level).lower() if isinstance(level, str) else ""
    return text.startswith(CONFIRMED_LEVEL) and "unverified" not in text


def center_confirmed(status: object) -> bool:
    """Whether a center row's status says it exists (not only announced, not closed).

    >>> center_confirmed("announced 2017-03"), center_confirmed("existing c.2012")
    (False, True)
    >>> center_confirmed("opened 2017; Canada ordered ... to cease operations in June 2025")
    False
    """
    text = str(status).lower() if isinstance(status, str) else ""
    return not (text.startswith("announced") or "cease operations" in text or "closed" in text)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def unconfirmed_gaps(facts: dict[str, pd.DataFrame]) -> list[str]:
    """Data-gap notes: each unconfirmed center and zone, and the lists that are incomplete.

    >>> facts = {"zhejiang_overseas_centers": pd.DataFrame(
    ...     {"name": ["Lab"], "status_or_batch": ["announced 2017"]}),
    ...     "zhejiang_zones": pd.DataFrame({"name_en": ["Park"], "level": ["national"]})}
    >>> unconfirmed_gaps(facts)[0]
    "center 'Lab': announced 2017; left out unless a scenario counts unconfirmed facts"
    """
    gaps = [
        note("gap_unconfirmed_center", center=row.name, status=_short(row.status_or_batch))
        for row in facts["zhejiang_overseas_centers"].itertuples()
        if not center_confirmed(row.status_or_batch)
    ]
    gaps += [
        note("gap_unconfirmed_zone", zone=row.name_en, level=_short(row.level))
        for row in facts["zhejiang_zones"].itertuples()
        if not zone_confirmed(row.level)
    ]
    for what in ("china_tax_treaties", "zhejiang_zones", "zhejiang_overseas_centers",
                 "yixinou_routes"):
        if what in facts:
            gaps.append(note("gap_unlisted_facts", what=f"facts/{what}"))
    return gaps


def _year_in(text: str | float, default: int) -> int:
    years = re.findall(r"(?:19|20)\d{2}", str(text))
    return int(years[-1]) if years else default


def _first_year(text: object, default: int) -> int:
    years = re.findall(r"(?:19|20)\d{2}", str(text)) if isinstance(text, str) else []
    return int(years[0]) if years else default


def derive_fact_indicators(
    facts: dict[str, pd.DataFrame],
    economies: list[str],
    regions: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Tidy rows ``entity, indicator, year, value, source`` derived from the fact tables.

    ``economies`` are the candidate ISO3 codes; only the complete Belt and Road list
    gives them a 0 when they are not listed. ``regions`` (ISO3 -> continent name)
    tells which economies no train can reach (0 for ``OIC.YIWU_RAIL``); without it
    every unlisted economy's rail value is unknown.
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

    for row in facts["china_tax_treaties"].dropna(subset=["iso3"]).itertuples():
        signed = row.latest_signed if isinstance(row.latest_signed, str) else row.first_signed
        add(row.iso3, "OIC.CN_TAX_TREATY", _first_year(signed, _first_year(row.as_of, 2017)), 1.0)

    zones = facts["zhejiang_zones"]
    _add_counts(add, zones, "OIC.ZJ_ZONES", zones["level"].map(zone_confirmed), "as_of")
    centers = facts["zhejiang_overseas_centers"]
    confirmed = centers["status_or_batch"].map(center_confirmed)
    _add_counts(add, centers, "OIC.ZJ_CENTERS", confirmed, "as_of")

    routes = sourced_routes(facts["yixinou_routes"])
    termini = set(routes["iso3"])
    transit = {
        code for text in routes["transit_countries"].dropna() for code in text.split(";") if code
    }
    route_year = max((_first_year(text, 2024) for text in routes["as_of"]), default=2024)
    for iso3 in economies:
        if iso3 in termini or iso3 in transit:
            add(iso3, "OIC.YIWU_RAIL", route_year, 1.0 if iso3 in termini else 0.5)
        elif regions is not None and (
            regions.get(iso3) in NO_RAIL_REGIONS or iso3 in NO_RAIL_ISLANDS
        ):
            add(iso3, "OIC.YIWU_RAIL", route_year, 0.0)

    _add_gii(add, facts["gii_scores"])
    return pd.DataFrame(rows)


def _add_counts(add, table: pd.DataFrame, code: str, confirmed: pd.Series, as_of: str) -> None:
    """Counts per economy of the confirmed rows (``code``) and of all rows (``code_ALL``)."""
    for variant, rows in ((code, table[confirmed.to_numpy()]), (code + "_ALL", table)):
        for iso3, group in rows.groupby("iso3"):
            year = max(_first_year(text, 2019) for text in group[as_of])
            add(str(iso3), variant, year, float(len(group)))


def _add_gii(add, gii: pd.DataFrame) -> None:
    """GII.SCORE from the newest edition with a score; the pillars from their one edition."""
    gii = gii.assign(edition=gii["edition"].astype(int))
    for iso3, rows in gii.sort_values("edition").groupby("iso3"):
        scored = [(row.edition, leading_number(row.score)) for row in rows.itertuples()]
        scored = [(edition, score) for edition, score in scored if score is not None]
        if scored:
            add(str(iso3), "GII.SCORE", *scored[-1])
        for row in rows[rows["edition"] == GII_PILLAR_EDITION].itertuples():
            for code, column in GII_PILLARS.items():
                score = leading_number(getattr(row, column))
                if code != "GII.SCORE" and score is not None:
                    add(row.iso3, code, GII_PILLAR_EDITION, score)
