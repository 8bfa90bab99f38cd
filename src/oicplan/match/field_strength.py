"""Host strength by technology field from the NCSES field tables (issue 12).

For every economy the match uses the **most specific** field data it has, in tiers
(:data:`TIERS`):

1. ``patent_families`` — granted patent families by the 35 WIPO fields (36
   economies); the USPTO patents by the same 35 fields (``uspto``) are shown beside
   each value as a cross-check (the two files cover the same 36 economies, so USPTO
   is never needed as a second choice);
2. ``pct`` — PCT applications by the 5 WIPO areas (121 economies), **except for the
   states of the European Patent Convention** (:data:`EPC_STATES`): PCT counts are
   allocated to the receiving office, and EPC applicants mostly file through the
   EPO, whose filings NCSES does not attribute to member states (Germany shows
   1,570 in 2022 against about 17,000 by applicant origin). An EPC state without
   patent-family data therefore goes to publications. Turkey is the one exception
   (:data:`PCT_EPC_EXCEPTIONS`): the data's README names it among the national-office
   filers for which the PCT file is usable;
3. ``articles`` — S&E articles by 14 disciplines, fractional count (200 economies);
4. none — the national proxy of :mod:`oicplan.match.matrix` (aggregate WDI/GII
   signals), and the explanation says so.

An economy uses a tier only when its all-fields total over the window is at least
:data:`MIN_WINDOW_TOTAL` (shares of a few dozen filings are noise); below it the
next tier is tried.

Measures (one source, economy *c*, field *f*, summed over the window *W* = the
source's last :data:`WINDOW` years):

* ``rta`` (revealed technological advantage, Balassa):
  ``(x_cf / T_c) / (Σ_j x_jf / Σ_j T_j)`` with ``T`` the source's own all-fields
  total row (as :mod:`oicplan.techwatch.trends`), sums over every economy of the file;
* ``share`` of the world: ``x_cf / Σ_j x_jf``;
* ``scale``: ``log(1 + x_cf) / log(1 + max_j x_jf)`` in [0, 1] (1 = the largest
  producer of the field): raw counts compare badly (patent families include
  domestic-only families, so China's count dominates), the logarithm keeps size
  without letting it swamp specialization;
* ``strength = (1 − SCALE_WEIGHT) · rta/(1 + rta) + SCALE_WEIGHT · scale``, in [0, 1]
  (an RTA of 1 gives 0.5 on the first term).

>>> values = load_field_values()
>>> measures = field_measures(values, "pct")
>>> row = measures[(measures["iso3"] == "KOR") & (measures["field"] == "Electrical engineering")]
>>> row[["first_year", "last_year"]].iloc[0].tolist()
[2020, 2022]
>>> economy_tier("KOR", tier_table(values))[0], economy_tier("DEU", tier_table(values))[0]
('patent_families', 'patent_families')
>>> economy_tier("POL", tier_table(values))
('articles', 'EPC state: PCT counts omit filings through the EPO, so publications are used')
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.data.fields import FIELD_SOURCES, field_name, load_field_values
from oicplan.errors import InputError
from oicplan.textfile import load_yaml

__all__ = [
    "CROSS_CHECK",
    "EPC_STATES",
    "FieldEvidence",
    "FIELD_MAP_FILE",
    "MIN_WINDOW_TOTAL",
    "PCT_EPC_EXCEPTIONS",
    "SCALE_WEIGHT",
    "SECTOR_AREAS",
    "TIERS",
    "TOTAL_FIELDS",
    "WINDOW",
    "economy_tier",
    "evidence",
    "field_map",
    "field_measures",
    "load_field_values",
    "ncses_field",
    "relevance_weights",
    "tier_table",
    "window_label",
]

TIERS = ("patent_families", "pct", "articles")
CROSS_CHECK = {"patent_families": "uspto"}
WINDOW = 3
SCALE_WEIGHT = 0.5
MIN_WINDOW_TOTAL = {"patent_families": 100.0, "uspto": 100.0, "pct": 100.0, "articles": 100.0}

# Each source's own all-fields row (the RTA denominator), as oicplan.techwatch.trends.
TOTAL_FIELDS = {
    "patent_families": "All technologies",
    "uspto": "All technologies",
    "pct": "All technologies",
    "articles": "All S&E fields",
}
_NOT_A_FIELD = {"Unassigned (no WIPO field)"}

# The 39 contracting states of the European Patent Convention (EPO, member states,
# 2022: Montenegro joined on 1 October 2022), ISO 3166 alpha-3.
EPC_STATES = frozenset({
    "ALB", "AUT", "BEL", "BGR", "CHE", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN",
    "FRA", "GBR", "GRC", "HRV", "HUN", "IRL", "ISL", "ITA", "LIE", "LTU", "LUX", "LVA",
    "MCO", "MKD", "MLT", "MNE", "NLD", "NOR", "POL", "PRT", "ROU", "SMR", "SRB", "SVK",
    "SVN", "SWE", "TUR",
})
PCT_EPC_EXCEPTIONS = {
    "TUR": "EPC state whose applicants file PCT mostly at the Turkish office; the data's "
    "README lists Turkey among the national-office filers the PCT file suits",
}

FIELD_MAP_FILE = Path(__file__).resolve().parent / "field_map.yaml"
_RELEVANCE = ("core", "supporting")


def _window_years(frame: pd.DataFrame, window: int) -> list[int]:
    last = int(frame["year"].max())
    return list(range(last - window + 1, last + 1))


def field_measures(values: pd.DataFrame, source: str, window: int = WINDOW) -> pd.DataFrame:
    """RTA, world share, scale and strength of every economy and field of ``source``.

    Columns: iso3, field, first_year, last_year, value (the window's sum), total (the
    economy's all-fields sum), rta, share, scale, strength, unit, source_table,
    edition. Rows with no value in the window are left out (a gap); an economy whose
    all-fields total is 0 has no RTA and no strength (NaN).

    >>> m = field_measures(load_field_values(), "articles")
    >>> bool(m["strength"].dropna().between(0, 1).all()), sorted(set(m["last_year"]))
    (True, [2022])
    """
    if source not in TOTAL_FIELDS:
        raise InputError(f"no field measures for source {source!r}", field="source")
    own = values[(values["source"] == source) & values["value"].notna()]
    years = _window_years(own, window)
    own = own[own["year"].isin(years)]
    total_name = TOTAL_FIELDS[source]
    totals = own[own["field"] == total_name].groupby("iso3")["value"].sum()
    parts = own[(own["field"] != total_name) & ~own["field"].isin(_NOT_A_FIELD)]
    grouped = parts.groupby(["iso3", "field"], sort=True)
    frame = grouped.agg(value=("value", "sum"), first_year=("year", "min"),
                        last_year=("year", "max"), unit=("unit", "first"),
                        source_table=("source_table", "first"),
                        edition=("edition", "first")).reset_index()
    frame["total"] = frame["iso3"].map(totals)
    usable = frame["total"] > 0
    world_total = float(totals[totals > 0].sum())
    world_field = frame[usable].groupby("field")["value"].sum()
    largest = frame.groupby("field")["value"].max()
    world = frame["field"].map(world_field)
    frame["share"] = np.where(world > 0, frame["value"] / world, np.nan)
    frame["rta"] = np.where(usable & (world > 0),
                            (frame["value"] / frame["total"]) / (world / world_total), np.nan)
    top = frame["field"].map(largest)
    frame["scale"] = np.where(top > 0, np.log1p(frame["value"]) / np.log1p(top), np.nan)
    specialization = frame["rta"] / (1.0 + frame["rta"])
    frame["strength"] = (1.0 - SCALE_WEIGHT) * specialization + SCALE_WEIGHT * frame["scale"]
    columns = ["iso3", "field", "first_year", "last_year", "value", "total", "rta", "share",
               "scale", "strength", "unit", "source_table", "edition"]
    return frame[columns]


def tier_table(values: pd.DataFrame, window: int = WINDOW) -> dict[str, pd.DataFrame]:
    """:func:`field_measures` of every tier source and cross-check source."""
    return {source: field_measures(values, source, window)
            for source in (*TIERS, *CROSS_CHECK.values())}


def economy_tier(iso3: str, measures: dict[str, pd.DataFrame]) -> tuple[str | None, str]:
    """The tier an economy uses (a source of :data:`TIERS`, or None) and why.

    >>> measures = tier_table(load_field_values())
    >>> economy_tier("KAZ", measures)[0], economy_tier("TUR", measures)[0]
    ('articles', 'pct')
    >>> economy_tier("ZZZ", measures)
    (None, 'no field data (NCSES): the national proxy is used')
    """
    return _tier(iso3, _window_totals(measures))


def _window_totals(measures: dict[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    """Each tier source's all-fields window total per economy."""
    return {source: {str(k): float(v) for k, v in
                     measures[source].groupby("iso3")["total"].first().items()}
            for source in TIERS}


def _tier(iso3: str, totals: dict[str, dict[str, float]]) -> tuple[str | None, str]:
    skipped = []
    for source in TIERS:
        if source == "pct" and iso3 in EPC_STATES and iso3 not in PCT_EPC_EXCEPTIONS:
            skipped.append("EPC state: PCT counts omit filings through the EPO")
            continue
        if iso3 not in totals[source]:
            continue
        total = totals[source][iso3]
        if not total >= MIN_WINDOW_TOTAL[source]:
            skipped.append(f"{source}: {total:g} in the window, below {MIN_WINDOW_TOTAL[source]:g}")
            continue
        reason = {
            "patent_families": "the 35 WIPO fields (granted patent families)",
            "pct": "the 5 WIPO areas (PCT applications); no patent-family data",
            "articles": "publications by discipline; no patent-family data",
        }[source]
        if source == "pct" and iso3 in PCT_EPC_EXCEPTIONS:
            reason += "; " + PCT_EPC_EXCEPTIONS[iso3]
        if skipped:
            reason = "; ".join(skipped) + ", so " + (
                "publications are used" if source == "articles" else reason)
        return source, reason
    if skipped:
        return None, "; ".join(skipped) + "; no other field data: the national proxy is used"
    return None, "no field data (NCSES): the national proxy is used"


@lru_cache(maxsize=2)
def _read_map(path: str, stamp: float) -> tuple[tuple[dict[str, Any], ...], dict[str, float]]:
    raw = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    weights = {str(k): float(v) for k, v in (raw.get("relevance_weights") or {}).items()}
    if set(weights) != set(_RELEVANCE):
        raise InputError("relevance_weights must give core and supporting", file=path,
                         field="relevance_weights")
    rows = []
    for number, item in enumerate(raw.get("map") or [], start=1):
        missing = [k for k in ("industry", "source", "field", "relevance", "reason")
                   if not item.get(k)]
        if missing:
            raise InputError(f"map row {number} has no {missing[0]}", file=path, field=missing[0])
        if item["source"] not in FIELD_SOURCES:
            raise InputError(f"map row {number}: unknown source {item['source']!r}", file=path,
                             field="source")
        if item["relevance"] not in _RELEVANCE:
            raise InputError(f"map row {number}: relevance must be core or supporting",
                             file=path, field="relevance")
        rows.append({k: str(item[k]) for k in ("industry", "source", "field", "relevance",
                                                "reason")})
    return tuple(rows), weights


def field_map(path: str | Path = FIELD_MAP_FILE) -> list[dict[str, Any]]:
    """The industry -> field map rows (industry, source, field, relevance, reason).

    >>> rows = field_map()
    >>> {row["source"] for row in rows} >= set(TIERS)
    True
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("field map not found", file=str(path))
    return [dict(row) for row in _read_map(str(path), path.stat().st_mtime)[0]]


def relevance_weights(path: str | Path = FIELD_MAP_FILE) -> dict[str, float]:
    """Weight of a core and a supporting field in the match (from the map file).

    >>> relevance_weights()
    {'core': 1.0, 'supporting': 0.5}
    """
    path = Path(path)
    return dict(_read_map(str(path), path.stat().st_mtime)[1])


def _clean(value: Any, digits: int = 6) -> Any:
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else round(float(value), digits)
    if isinstance(value, np.integer):
        return int(value)
    return value


def evidence(row: pd.Series, source: str, lang_names: bool = True) -> dict[str, Any]:
    """One field's evidence for an explanation: indicator, source, years, SEI table, edition."""
    out = {
        "source": source,
        "field": str(row["field"]),
        "indicator": f"RTA and world share, {window_label(source)}",
        "years": [int(row["first_year"]), int(row["last_year"])],
        "value": _clean(row["value"]),
        "unit": str(row["unit"]),
        "rta": _clean(row["rta"]),
        "share": _clean(row["share"]),
        "scale": _clean(row["scale"]),
        "strength": _clean(row["strength"]),
        "source_table": str(row["source_table"]),
        "edition": str(row["edition"]),
    }
    if lang_names:
        out["field_zh"] = field_name(str(row["field"]), "zh", source=source)
    return out


def window_label(source: str) -> str:
    """What a source counts, for the evidence's ``indicator``.

    >>> window_label("pct")
    'PCT applications (NCSES, SEI)'
    """
    return {
        "patent_families": "granted patent families (NCSES, SEI)",
        "uspto": "USPTO patents (NCSES, SEI)",
        "pct": "PCT applications (NCSES, SEI)",
        "articles": "S&E articles, fractional count (NCSES, SEI)",
    }[source]


# --------------------------------------------------------------------------- the match

# Taxonomy names that NCSES spells otherwise, and the taxonomy's sectors as PCT areas.
_NCSES_NAME = {"Micro-structural and nano-technology": "Microstructural technology, nanotechnology"}
SECTOR_AREAS = {
    "electrical_engineering": "Electrical engineering",
    "instruments": "Instruments",
    "chemistry": "Chemistry",
    "mechanical_engineering": "Mechanical engineering",
    "other_fields": "Other fields",
}


def ncses_field(taxonomy_field: dict[str, Any], source: str) -> str:
    """The NCSES field of ``source`` that holds a taxonomy (WIPO) field.

    >>> ncses_field({"name": "Micro-structural and nano-technology", "sector": "chemistry"},
    ...             "patent_families")
    'Microstructural technology, nanotechnology'
    >>> ncses_field({"name": "Control", "sector": "instruments"}, "pct")
    'Instruments'
    """
    if source == "pct":
        return SECTOR_AREAS[str(taxonomy_field["sector"])]
    name = str(taxonomy_field["name"])
    return _NCSES_NAME.get(name, name)


class FieldEvidence:
    """The field measures the match needs, indexed for a set of economies.

    ``tiers``: iso3 -> (tier source or None, reason); ``rows(source, iso3, field)``
    the measure row as a dict (None = gap).
    """

    def __init__(self, values: pd.DataFrame, economies: list[str], home_iso3: str,
                 window: int = WINDOW) -> None:
        measures = tier_table(values, window)
        wanted = set(economies) | {home_iso3}
        self.home_iso3 = home_iso3
        self.index: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for source, frame in measures.items():
            own = frame[frame["iso3"].isin(wanted)]
            self.index[source] = {(str(r["iso3"]), str(r["field"])): r
                                  for r in own.to_dict(orient="records")}
        totals = _window_totals(measures)
        self.tiers = {iso3: _tier(iso3, totals) for iso3 in dict.fromkeys(economies)}
        self.map = field_map()
        self.weights = relevance_weights()

    def row(self, source: str, iso3: str, field: str) -> dict[str, Any] | None:
        found = self.index.get(source, {}).get((iso3, field))
        if found is None or found["strength"] is None or pd.isna(found["strength"]):
            return None
        return found

    def evidence(self, source: str, iso3: str, field: str) -> dict[str, Any] | None:
        """:func:`evidence` of one measure, with the USPTO cross-check of patent families."""
        found = self.row(source, iso3, field)
        if found is None:
            return None
        out = evidence(pd.Series(found), source)
        check = CROSS_CHECK.get(source)
        other = self.row(check, iso3, field) if check else None
        if other is not None:
            out["cross_check"] = {key: value for key, value in evidence(
                pd.Series(other), str(check), lang_names=False).items()
                if key in ("source", "indicator", "years", "rta", "share", "strength",
                           "source_table", "edition")}
        return out

    def homes(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Home strength per source and mapped field, its relative position and the
        preset factors (as :func:`oicplan.match.matrix._home` for the proxy fields)."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for source in TIERS:
            fields = list(dict.fromkeys(r["field"] for r in self.map if r["source"] == source))
            found = {f: self.row(source, self.home_iso3, f) for f in fields}
            known = [float(r["strength"]) for r in found.values() if r is not None]
            low, high = (min(known), max(known)) if known else (0.0, 0.0)
            out[source] = {}
            for field in fields:
                row = found[field]
                value = None if row is None else float(row["strength"])
                relative = None
                if value is not None:
                    relative = (value - low) / (high - low) if high > low else 0.5
                out[source][field] = {
                    "strength": _clean(value),
                    "economy": self.home_iso3 if value is not None else None,
                    "relative": _clean(relative),
                    "factor": {
                        "near": 1.0 if relative is None else max(relative, 0.05),
                        "balanced": 1.0,
                        "far": 1.0 if relative is None else max(1.0 - relative, 0.05),
                    },
                }
        return out

    def explain(self, industry: str, iso3: str, preset: str,
                homes: dict[str, dict[str, dict[str, Any]]]) -> tuple[float | None, dict]:
        """The match cell of an economy that has field data: score and explanation."""
        tier, reason = self.tiers[iso3]
        assert tier is not None
        fields = []
        numerator = denominator = 0.0
        for spec in self.map:
            if spec["industry"] != industry or spec["source"] != tier:
                continue
            weight = self.weights[spec["relevance"]]
            home = homes[tier][spec["field"]]
            factor = float(home["factor"][preset])
            found = self.evidence(tier, iso3, spec["field"])
            entry: dict[str, Any] = {
                "field": spec["field"],
                "field_zh": field_name(spec["field"], "zh", source=tier),
                "source": tier,
                "relevance": spec["relevance"],
                "weight": weight,
                "home_strength": home["strength"],
                "effective_weight": round(weight * factor, 6),
                "strength": None,
                "basis": "field_data" if found else "gap",
            }
            if found:
                entry.update({k: v for k, v in found.items()
                              if k not in ("source", "field", "field_zh")})
                exact = self.row(tier, iso3, spec["field"])  # not rounded
                assert exact is not None
                numerator += weight * factor * float(exact["strength"])
                denominator += weight * factor
            fields.append(entry)
        score = numerator / denominator if denominator > 0 else None
        years = [y for f in fields if f.get("years") for y in f["years"]]
        cell = {
            "score": _clean(score),
            "preset": preset,
            "economy": iso3,
            "tier": tier,
            "tier_reason": reason,
            "fields": fields,
            "signals": {},
            "years": [min(years), max(years)] if years else None,
            "note": f"field data, {reason}; national: every site in this economy has the "
            "same value" if score is not None
            else "gap: no mapped field of this industry has data for this economy",
        }
        return score, cell

    def substitute(self, strength: pd.DataFrame, basis: pd.DataFrame,
                   taxonomy_fields: dict[str, dict[str, Any]]) -> None:
        """Put field data into the economies × WIPO fields table (in place) where an
        economy's tier resolves WIPO fields: the field itself (patent families) or its
        area (PCT). Publications do not resolve WIPO fields: the proxy stays."""
        for iso3, (tier, _) in self.tiers.items():
            if tier not in ("patent_families", "pct") or iso3 not in strength.index:
                continue
            for field_id, spec in taxonomy_fields.items():
                if field_id not in strength.columns or basis.at[iso3, field_id] == "user":
                    continue
                found = self.row(tier, iso3, ncses_field(spec, tier))
                if found is not None:
                    strength.at[iso3, field_id] = float(found["strength"])
                    basis.at[iso3, field_id] = f"field_data:{tier}"
