"""The industry × site match matrix, with an explanation for every cell.

Host strength comes from the most specific field data an economy has
(:mod:`oicplan.match.field_strength`: the 35 WIPO fields of the NCSES patent-family
table, else the 5 WIPO areas of PCT applications, else publications by discipline),
through the industry -> field map ``match/field_map.yaml`` (an assumption): the
cell is the weighted mean of the mapped fields' strengths, core fields weighing 1
and supporting ones 0.5, each times the preset factor below. Each cell says which
tier it used (``tier``, ``tier_reason``) and gives every field's evidence
(indicator, years, SEI table, edition).

An economy without field data (and one the user's field data cover) uses the
national proxy: ``H[c, f]`` of each taxonomy (WIPO) field is the weighted mean of
the field's signal strengths (:mod:`oicplan.match.signals`), over the signals that
have data; a field whose signals cover less than half of its weight is a gap. A
user's field data replace the proxy for the cells they give. Home strength ``Z[f]``
is China's (or Zhejiang's own, code ``CN-ZJ``, when the user's field data give it).

The preset decides how far a center may reach beyond Zhejiang's own strengths
(in the spirit of the Atlas of Economic Complexity's near and far strategies).
Each field of an industry gets the effective weight

    w'[i, f] = w[i, f] · max(g(z[f]), 0.05)

where ``z[f] = (Z[f] − min Z) / (max Z − min Z)`` is Zhejiang's relative strength
among the fields the industries use (1 = its strongest field, 0 = its weakest),
and ``g(z) = z`` for ``near`` (favour hosts strong where Zhejiang is strong),
``g(z) = 1`` for ``balanced`` and ``g(z) = 1 − z`` for ``far`` (favour hosts strong
where Zhejiang is weak). The cell is

    M[i, s] = Σ_f w'[i, f] · H[c(s), f] / Σ_f w'[i, f]

over the fields with data, so it lies in [0, 1]; a cell with no field data is a
gap (None). For the field-data tiers ``f`` runs over the map's fields of the
tier's source and ``Z`` is China's strength in the same source. The data are
national: every site of an economy has the same column.

>>> result = match_matrix(scenario="zhejiang", preset="balanced")
>>> values = result.matrix.stack()
>>> bool(values.min() >= 0.0 and values.max() <= 1.0)
True
>>> cell = result.explanations["information_technology"][result.site_ids[0]]
>>> [key for key in ('score', 'fields', 'signals', 'years') if key in cell]
['score', 'fields', 'signals', 'years']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from oicplan.data.dataset import Dataset, load_dataset
from oicplan.errors import InputError
from oicplan.match.field_strength import FieldEvidence
from oicplan.match.signals import field_data_index, load_field_data, signal_table, strength
from oicplan.match.taxonomy import Taxonomy, load_taxonomy
from oicplan.notes import note
from oicplan.scenario import Scenario, load_scenario

__all__ = ["PRESETS", "FieldStrengths", "MatchResult", "field_strengths", "match_matrix"]

PRESETS = {
    "near": "w' = w * max(z, 0.05), z = home strength min-max scaled over fields: "
    "favour hosts strong in fields where Zhejiang is strong",
    "balanced": "w' = w: every field of the industry as the taxonomy weighs it",
    "far": "w' = w * max(1 - z, 0.05): favour hosts strong in fields where Zhejiang is weak",
}

_WEIGHT_FLOOR = 0.05
_MIN_SIGNAL_COVERAGE = 0.5


def _clean(value: object, digits: int = 6) -> object:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, digits)
    return value


@dataclass
class FieldStrengths:
    """Host strength per economy and field, with where each value came from."""

    strength: pd.DataFrame  # economies × fields, NaN = gap
    basis: pd.DataFrame  # economies × fields: "proxy", "user", "field_data:<source>" or "gap"
    signals: pd.DataFrame  # tidy signal table (signals.signal_table)
    user: pd.DataFrame | None = None  # validated user rows with their index

    def cell(self, iso3: str, field_id: str) -> float | None:
        value = self.strength.at[iso3, field_id] if iso3 in self.strength.index else float("nan")
        return None if pd.isna(value) else float(value)


def field_strengths(
    dataset: Dataset,
    economies: list[str],
    reference_economies: list[str],
    taxonomy: Taxonomy | None = None,
    user: pd.DataFrame | None = None,
    evidence: FieldEvidence | None = None,
) -> FieldStrengths:
    """Strength of each economy in every field: the proxy mix, replaced by user data.

    ``user`` is a validated field-data frame with an ``index`` column
    (:func:`~oicplan.match.signals.field_data_index`); its ``CN-ZJ`` rows are
    kept as a pseudo-economy for the home side. ``evidence`` (the NCSES field data)
    replaces the proxy of the WIPO fields an economy's tier resolves (the field's
    patent families, or its area's PCT applications); user data win over it.
    """
    taxonomy = taxonomy or load_taxonomy()
    signals = signal_table(dataset, economies, reference_economies, taxonomy)
    by_signal = {
        (iso3, signal): value
        for iso3, signal, value in zip(
            signals["iso3"], signals["signal"], signals["strength"], strict=True
        )
        if value is not None and not pd.isna(value)
    }
    fields = taxonomy.field_ids
    rows = list(dict.fromkeys(economies))
    proxied = len(rows)
    if user is not None:
        rows += [c for c in dict.fromkeys(user["iso3"]) if c not in rows]
    table = np.full((len(rows), len(fields)), np.nan)
    kinds = np.full((len(rows), len(fields)), "gap", dtype=object)
    by_column = {
        signal_id: np.array(
            [by_signal.get((iso3, signal_id), np.nan) for iso3 in rows[:proxied]], dtype=float
        )
        for signal_id in taxonomy.signal_ids
    }
    for position, field_id in enumerate(fields):
        # Accumulated signal by signal, in the taxonomy's order (the same sums as one
        # economy at a time): the weighted strengths and the weight they cover.
        total = np.zeros(proxied)
        covered = np.zeros(proxied)
        for signal_id, weight in taxonomy.field_signals(field_id).items():
            column = by_column.get(signal_id)
            if column is None:
                continue
            present = ~np.isnan(column)
            total = np.where(present, total + weight * np.where(present, column, 0.0), total)
            covered = np.where(present, covered + weight, covered)
        enough = covered >= _MIN_SIGNAL_COVERAGE - 1e-9
        table[:proxied, position] = np.divide(
            total, covered, out=np.full(proxied, np.nan), where=enough
        )
        kinds[:proxied, position] = np.where(enough, "proxy", "gap")
    values = pd.DataFrame(table, index=rows, columns=fields)
    basis = pd.DataFrame(kinds, index=rows, columns=fields)
    if user is not None:
        for record in user.itertuples(index=False):
            values.at[record.iso3, record.field] = strength(float(record.index))
            basis.at[record.iso3, record.field] = "user"
    if evidence is not None:
        evidence.substitute(values, basis, taxonomy.raw["fields"])
    return FieldStrengths(values, basis, signals, user)


@dataclass
class MatchResult:
    """Industries × sites match scores in [0, 1] with explanations (see module docstring)."""

    preset: str
    industries: list[str]
    sites: pd.DataFrame  # site_id, name, iso3 in column order
    matrix: pd.DataFrame  # industries × site ids; NaN = gap
    explanations: dict[str, dict[str, dict]]
    home: dict[str, dict]
    strengths: FieldStrengths
    taxonomy: Taxonomy
    dataset_version: str
    notes: list[str] = field(default_factory=list)
    # The field-data side (oicplan.match.field_strength): each economy's tier and why,
    # and the home strength per source and mapped field.
    tiers: dict[str, dict[str, str | None]] = field(default_factory=dict)
    home_fields: dict[str, dict[str, dict]] = field(default_factory=dict)

    @property
    def site_ids(self) -> list[str]:
        return list(self.sites["site_id"])

    def site_field_strength(self) -> pd.DataFrame:
        """Sites × fields host strength (each site takes its economy's row)."""
        table = self.strengths.strength.reindex(self.sites["iso3"])
        table.index = self.sites["site_id"]
        return table

    def signal_info(self) -> dict[str, dict]:
        """Each signal's name and reference level (e.g. the candidate median)."""
        notes = self.strengths.signals.drop_duplicates("signal").set_index("signal")["reference"]
        return {
            signal: {"name": spec["name"], "reference": str(notes.get(signal, ""))}
            for signal, spec in self.taxonomy.raw["signals"].items()
        }

    def to_dict(self, explanations: bool = True) -> dict:
        """The JSON document: industries, sites, matrix (rows = industries), explanations."""
        out = {
            "industries": self.industries,
            "sites": self.site_ids,
            "matrix": [
                [_clean(float(v)) for v in self.matrix.loc[industry]]
                for industry in self.industries
            ],
            "preset": self.preset,
            "formula": PRESETS[self.preset],
            "industry_names": {
                i: {
                    "en": self.taxonomy.industry(i)["name_en"],
                    "zh": self.taxonomy.industry(i)["name_zh"],
                }
                for i in self.industries
            },
            "site_names": dict(zip(self.sites["site_id"], self.sites["name"], strict=True)),
            "site_iso3": dict(zip(self.sites["site_id"], self.sites["iso3"], strict=True)),
            "home": self.home,
            "field_names": {
                f: self.taxonomy.field(f)["name"]
                for i in self.industries
                for f in self.taxonomy.industry_fields(i)
            },
            "signal_info": self.signal_info(),
            "tiers": self.tiers,
            "home_fields": self.home_fields,
            "dataset_version": self.dataset_version,
            "notes": self.notes,
        }
        if explanations:
            out["explanations"] = self.explanations
        return out


def _signal_details(strengths: FieldStrengths) -> dict[str, dict[str, dict]]:
    """Per economy, per signal: value, index, strength, year, inputs and source."""
    out: dict[str, dict[str, dict]] = {}
    for record in strengths.signals.itertuples(index=False):
        if record.index is None or pd.isna(record.index):
            continue
        out.setdefault(record.iso3, {})[record.signal] = {
            "value": _clean(record.value),
            "index": _clean(record.index),
            "strength": _clean(record.strength),
            "year": int(record.year),
            "inputs": record.inputs,
            "source": record.source,
        }
    return out


def _user_details(strengths: FieldStrengths) -> dict[tuple[str, str], dict]:
    if strengths.user is None:
        return {}
    return {
        (str(r.iso3), str(r.field)): {
            "value": float(r.value),
            "index": _clean(float(r.index)),
            "year": int(r.year),
            "source": str(r.source),
            "file": str(r.file),
            "row": int(r.row),
        }
        for r in strengths.user.itertuples(index=False)
    }


def _explain(
    industry: str,
    iso3: str,
    preset: str,
    taxonomy: Taxonomy,
    strengths: dict[str, dict[str, float | None]],
    basis: dict[str, dict[str, str]],
    home: dict[str, dict],
    signal_details: dict[str, dict[str, dict]],
    user_details: dict[tuple[str, str], dict],
) -> tuple[float | None, dict]:
    fields = []
    numerator = denominator = 0.0
    signal_ids: set[str] = set()
    for field_id, weight in taxonomy.industry_fields(industry).items():
        host = strengths.get(iso3, {}).get(field_id)
        kind = basis.get(iso3, {}).get(field_id, "gap")
        factor = home[field_id]["factor"][preset]
        entry = {
            "field": field_id,
            "weight": weight,
            "home_strength": home[field_id]["strength"],
            "effective_weight": round(weight * factor, 6),
            "strength": _clean(host),
            "basis": kind,
        }
        if kind == "user":
            entry["user_data"] = user_details[(iso3, field_id)]
        elif kind == "proxy":
            entry["signals"] = sorted(taxonomy.field_signals(field_id))
            signal_ids.update(entry["signals"])
        fields.append(entry)
        if host is not None:
            numerator += weight * factor * host
            denominator += weight * factor
    score = numerator / denominator if denominator > 0 else None
    details = signal_details.get(iso3, {})
    used = {k: details[k] for k in sorted(signal_ids) if k in details}
    years = [d["year"] for d in used.values()] + [
        f["user_data"]["year"] for f in fields if "user_data" in f
    ]
    cell = {
        "score": _clean(score),
        "preset": preset,
        "economy": iso3,
        "fields": fields,
        "signals": used,
        "years": [min(years), max(years)] if years else None,
        "note": "national signals: every site in this economy has the same value"
        if score is not None
        else "gap: no field of this industry has data for this economy",
    }
    return score, cell


def _home(taxonomy: Taxonomy, strengths: FieldStrengths) -> dict[str, dict]:
    """Home strength per field, its relative position among the industries' fields,
    and the preset factors (module docstring)."""
    out = {}
    for field_id in taxonomy.field_ids:
        for code in (taxonomy.home_region, taxonomy.home_iso3):
            if code not in strengths.strength.index:
                continue
            value = strengths.cell(code, field_id)
            basis = str(strengths.basis.at[code, field_id])
            if value is None or (code == taxonomy.home_region and basis != "user"):
                continue
            out[field_id] = {"strength": round(value, 6), "economy": code, "basis": basis}
            break
        else:
            out[field_id] = {"strength": None, "economy": None, "basis": "gap"}
    used = {f for i in taxonomy.industry_ids for f in taxonomy.industry_fields(i)}
    known = [out[f]["strength"] for f in used if out[f]["strength"] is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    for entry in out.values():
        value = entry["strength"]
        relative = None
        if value is not None:
            relative = (value - low) / (high - low) if high > low else 0.5
        entry["relative"] = _clean(relative)
        entry["factor"] = {
            "near": 1.0 if relative is None else max(relative, _WEIGHT_FLOOR),
            "balanced": 1.0,
            "far": 1.0 if relative is None else max(1.0 - relative, _WEIGHT_FLOOR),
        }
    return out


def match_matrix(
    scenario: str | Scenario = "zhejiang",
    preset: str = "balanced",
    *,
    dataset: Dataset | None = None,
    field_data: str | Path | pd.DataFrame | None = None,
    field_data_kind: str = "counts",
    taxonomy: Taxonomy | None = None,
    sites: pd.DataFrame | None = None,
) -> MatchResult:
    """Match every priority industry to every candidate site of a scenario.

    Parameters
    ----------
    scenario : str or Scenario
        A built-in scenario name, a YAML path, or a loaded scenario; its candidate
        sites (:func:`oicplan.data.candidates.candidate_sites`) are the columns.
    preset : {"near", "balanced", "far"}
        How far beyond Zhejiang's strengths to reach (module docstring).
    field_data : path or DataFrame, optional
        User field data (``iso3, field, value, year, source``) replacing the proxy.
    field_data_kind : {"counts", "index"}
        Counts become a Balassa RCA over the file; indices are used as given.
    sites : DataFrame, optional
        Restrict or replace the columns (needs ``site_id, name, iso3``).
    """
    from oicplan.data.candidates import candidate_sites

    if preset not in PRESETS:
        raise InputError(f"unknown preset {preset!r}; use {', '.join(PRESETS)}", field="preset")
    dataset = dataset or load_dataset()
    taxonomy = taxonomy or load_taxonomy()
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(str(scenario))
    candidates = candidate_sites(dataset, scenario)
    if sites is None:
        sites = candidates
    if sites.empty:
        raise InputError("no candidate sites", field="sites")
    sites = sites[["site_id", "name", "iso3"]].reset_index(drop=True)
    user = None
    if field_data is not None:
        frame = (
            field_data
            if isinstance(field_data, pd.DataFrame)
            else load_field_data(field_data, taxonomy, dataset)
        )
        user = field_data_index(frame, field_data_kind)
    reference = sorted(set(candidates["iso3"]))
    economies = list(dict.fromkeys(list(sites["iso3"]) + [taxonomy.home_iso3]))
    evidence = _field_evidence(dataset, economies, taxonomy)
    strengths = field_strengths(dataset, economies, reference, taxonomy, user, evidence)
    home = _home(taxonomy, strengths)
    cells = {
        iso3: {f: (None if pd.isna(v) else float(v)) for f, v in row.items()}
        for iso3, row in strengths.strength.to_dict(orient="index").items()
    }
    basis = strengths.basis.to_dict(orient="index")
    signal_details = _signal_details(strengths)
    user_details = _user_details(strengths)
    industries = taxonomy.industry_ids
    site_ids = list(sites["site_id"])
    site_iso3 = list(sites["iso3"])
    scores = np.full((len(industries), len(site_ids)), np.nan)
    explanations: dict[str, dict[str, dict]] = {}
    users = set() if user is None else set(user["iso3"])
    tiers = _tiers(evidence, site_iso3, users)
    home_fields = evidence.homes() if evidence is not None else {}
    for row, industry in enumerate(industries):
        by_economy = {}
        for iso3 in dict.fromkeys(site_iso3):
            if evidence is not None and tiers[iso3]["tier"] not in ("proxy", "user"):
                by_economy[iso3] = evidence.explain(industry, iso3, preset, home_fields)
                continue
            score, cell = _explain(industry, iso3, preset, taxonomy, cells, basis, home,
                                   signal_details, user_details)
            cell["tier"], cell["tier_reason"] = tiers[iso3]["tier"], tiers[iso3]["reason"]
            by_economy[iso3] = (score, cell)
        explanations[industry] = {}
        for column, (site_id, iso3) in enumerate(zip(site_ids, site_iso3, strict=True)):
            score, cell = by_economy[iso3]
            if score is not None:
                scores[row, column] = score
            explanations[industry][site_id] = cell
    matrix = pd.DataFrame(scores, index=industries, columns=site_ids)
    notes = [_tier_note(tiers),
             f"home strengths: {taxonomy.home_iso3} national values stand in for Zhejiang "
             f"unless field data give {taxonomy.home_region}"]
    if evidence is not None:
        notes.append(note("match_field_map"))
    gaps = int(matrix.isna().any(axis=0).sum())
    if gaps:
        notes.append(f"{gaps} site(s) have gaps (no data for some industry)")
    if user is not None:
        notes.append(f"user field data: {len(user)} cell(s) replace the proxy ({field_data_kind})")
    return MatchResult(
        preset=preset,
        industries=industries,
        sites=sites,
        matrix=matrix,
        explanations=explanations,
        home=home,
        strengths=strengths,
        taxonomy=taxonomy,
        dataset_version=dataset.version,
        notes=notes,
        tiers=tiers,
        home_fields=home_fields,
    )


def _field_evidence(dataset: Dataset, economies: list[str],
                    taxonomy: Taxonomy) -> FieldEvidence | None:
    """The NCSES field data of the dataset's snapshot (None when it has none)."""
    from oicplan.data.fields import FIELD_SNAPSHOT_FILE, load_field_values

    folder = getattr(dataset, "folder", None)
    if folder is None or not (Path(folder) / FIELD_SNAPSHOT_FILE).is_file():
        return None
    return FieldEvidence(load_field_values(folder), economies, taxonomy.home_iso3)


def _tiers(evidence: FieldEvidence | None, economies: list[str],
           users: set[str]) -> dict[str, dict[str, str | None]]:
    """Each economy's tier: a field source, ``user`` (the user's field data) or ``proxy``."""
    out: dict[str, dict[str, str | None]] = {}
    for iso3 in dict.fromkeys(economies):
        if iso3 in users:
            out[iso3] = {"tier": "user", "reason": "the user's field data (proxy elsewhere)"}
            continue
        tier, reason = (None, "the snapshot has no field data: the national proxy is used")
        if evidence is not None:
            tier, reason = evidence.tiers[iso3]
        out[iso3] = {"tier": tier or "proxy", "reason": reason}
    return out


def _tier_note(tiers: dict[str, dict[str, str | None]]) -> str:
    counts: dict[str, int] = {}
    for entry in tiers.values():
        counts[str(entry["tier"])] = counts.get(str(entry["tier"]), 0) + 1
    labels = {"patent_families": "the 35 WIPO fields (patent families)",
              "pct": "the 5 WIPO areas (PCT)", "articles": "publications by discipline",
              "user": "the user's field data",
              "proxy": "the national proxy (aggregate WDI/GII signals, no field data)"}
    parts = [f"{counts[k]} {labels[k]}" for k in labels if counts.get(k)]
    return ("host strengths by economy (NCSES field data, most specific first): "
            + "; ".join(parts))
