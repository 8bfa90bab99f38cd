"""Host strength by technology field (NCSES tiers) and the industry -> field map (issue 12).

Expectations are recomputed here from the shared CSVs, read with the csv module.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from oicplan.data.fields import FIELD_SOURCES, load_field_values
from oicplan.match.field_strength import (
    EPC_STATES,
    FIELD_MAP_FILE,
    MIN_WINDOW_TOTAL,
    SCALE_WEIGHT,
    TIERS,
    WINDOW,
    economy_tier,
    field_map,
    field_measures,
    tier_table,
)
from oicplan.match.taxonomy import load_taxonomy

SHARED_FIELDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "fields"
needs_shared = pytest.mark.skipif(not SHARED_FIELDS.is_dir(),
                                  reason="shared/data/fields not beside the clone")
TOTALS = {"patent_families": "All technologies", "pct": "All technologies",
          "articles": "All S&E fields", "uspto": "All technologies"}


def _raw(source):
    with open(SHARED_FIELDS / FIELD_SOURCES[source], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _independent(source):
    """(iso3, field) -> (rta, share, scale, strength), and iso3 -> window total."""
    rows = [r for r in _raw(source) if r["value"] != ""]
    last = max(int(r["year"]) for r in rows)
    years = set(range(last - WINDOW + 1, last + 1))
    x = defaultdict(float)
    total = defaultdict(float)
    for r in rows:
        if int(r["year"]) not in years:
            continue
        if r["field"] == TOTALS[source]:
            total[r["iso3"]] += float(r["value"])
        elif not r["field"].startswith("Unassigned"):
            x[(r["iso3"], r["field"])] += float(r["value"])
    world_total = sum(t for t in total.values() if t > 0)
    world = defaultdict(float)
    largest = defaultdict(float)
    for (iso3, field), value in x.items():
        if total.get(iso3, 0) > 0:
            world[field] += value
        largest[field] = max(largest[field], value)
    out = {}
    for (iso3, field), value in x.items():
        if not total.get(iso3, 0) > 0:
            continue
        rta = (value / total[iso3]) / (world[field] / world_total)
        scale = math.log1p(value) / math.log1p(largest[field])
        strength = (1 - SCALE_WEIGHT) * rta / (1 + rta) + SCALE_WEIGHT * scale
        out[(iso3, field)] = (rta, value / world[field], scale, strength)
    return out, dict(total)


# --------------------------------------------------------------------------- the map


def test_map_covers_every_priority_industry_in_every_tier():
    taxonomy = load_taxonomy()
    rows = field_map()
    for industry in taxonomy.industry_ids:
        for source in (*TIERS, "uspto"):
            own = [r for r in rows if r["industry"] == industry and r["source"] == source]
            assert any(r["relevance"] == "core" for r in own), (industry, source)
    assert {r["industry"] for r in rows} == set(taxonomy.industry_ids)


def test_map_rows_name_real_fields_with_reasons_and_say_it_is_an_assumption():
    values = load_field_values()
    present = set(zip(values["source"], values["field"], strict=True))
    rows = field_map()
    for row in rows:
        assert (row["source"], row["field"]) in present, row
        assert row["relevance"] in ("core", "supporting") and len(row["reason"]) > 10
    text = FIELD_MAP_FILE.read_text(encoding="utf-8")
    assert "ASSUMPTION, NOT DATA" in text and yaml.safe_load(text)["assumption"] is True
    pairs = [(r["industry"], r["source"], r["field"]) for r in rows]
    assert len(pairs) == len(set(pairs))


# --------------------------------------------------------------------------- the measures


@needs_shared
@pytest.mark.parametrize("source, iso3, field", [
    ("patent_families", "KOR", "Semiconductors"),
    ("patent_families", "DEU", "Transport"),
    ("pct", "THA", "Chemistry"),
    ("articles", "KAZ", "Engineering"),
    ("articles", "VNM", "Materials science"),
])
def test_rta_share_and_scale_equal_an_independent_computation(source, iso3, field):
    expected, _ = _independent(source)
    measures = field_measures(load_field_values(), source)
    row = measures[(measures["iso3"] == iso3) & (measures["field"] == field)].iloc[0]
    rta, share, scale, strength = expected[(iso3, field)]
    assert row["rta"] == pytest.approx(rta, rel=1e-9)
    assert row["share"] == pytest.approx(share, rel=1e-9)
    assert row["scale"] == pytest.approx(scale, rel=1e-9)
    assert row["strength"] == pytest.approx(strength, rel=1e-9)
    assert 0 <= row["strength"] <= 1


# --------------------------------------------------------------------------- the tiers


@needs_shared
def test_tiers_follow_the_data_each_economy_has():
    measures = tier_table(load_field_values())
    have = {source: {r["iso3"] for r in _raw(source)} for source in TIERS}
    _, pct_totals = _independent("pct")
    # WIPO-35 data: the 35 fields.
    assert economy_tier("KOR", measures)[0] == "patent_families"
    # Only publications (no patent families, no PCT row at all).
    only_articles = sorted(have["articles"] - have["pct"] - have["patent_families"])
    assert only_articles
    code = next(c for c in only_articles if _independent("articles")[1].get(c, 0) >= 100)
    tier, reason = economy_tier(code, measures)
    assert tier == "articles" and "publications" in reason
    # PCT, not an EPC state, enough filings: the 5 areas.
    code = next(c for c in sorted(have["pct"] - have["patent_families"] - EPC_STATES)
                if pct_totals.get(c, 0) >= MIN_WINDOW_TOTAL["pct"])
    assert economy_tier(code, measures)[0] == "pct"
    # An EPC state without patent families skips PCT (filings through the EPO).
    tier, reason = economy_tier("POL", measures)
    assert tier == "articles" and "EPO" in reason
    # No field data at all.
    assert economy_tier("XXX", measures) == (None, "no field data (NCSES): the national "
                                                   "proxy is used")


def test_an_economy_without_field_data_falls_back_to_the_proxy_and_says_so(balanced):
    proxied = [c for c, t in balanced.tiers.items() if t["tier"] == "proxy"]
    assert proxied
    site = balanced.sites.loc[balanced.sites["iso3"] == proxied[0], "site_id"].iloc[0]
    cell = balanced.explanations["information_technology"][site]
    assert cell["tier"] == "proxy" and "proxy" in cell["tier_reason"]
    assert all(f["basis"] in ("proxy", "gap") for f in cell["fields"])
    assert any("national proxy" in note for note in balanced.notes)


@needs_shared
@pytest.mark.parametrize("iso3, tier", [("KOR", "patent_families"), ("KAZ", "articles"),
                                        ("THA", "pct")])
def test_match_cell_is_the_weighted_mean_of_the_mapped_fields(balanced, iso3, tier):
    expected, _ = _independent(tier)
    with open(FIELD_MAP_FILE, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    weights = spec["relevance_weights"]
    site = balanced.sites.loc[balanced.sites["iso3"] == iso3, "site_id"].iloc[0]
    assert balanced.tiers[iso3]["tier"] == tier
    for industry in balanced.industries:
        rows = [r for r in spec["map"] if r["industry"] == industry and r["source"] == tier]
        pairs = [(weights[r["relevance"]], expected[(iso3, r["field"])][3]) for r in rows
                 if (iso3, r["field"]) in expected]
        score = sum(w * s for w, s in pairs) / sum(w for w, _ in pairs)
        assert balanced.matrix.at[industry, site] == pytest.approx(score, rel=1e-9)
        cell = balanced.explanations[industry][site]
        assert cell["tier"] == tier and {f["field"] for f in cell["fields"]} == {
            r["field"] for r in rows}
        for entry in cell["fields"]:
            assert entry["source_table"] and entry["edition"] and entry["indicator"]
            if tier == "patent_families":
                assert entry["cross_check"]["source"] == "uspto"


def test_presets_weigh_field_tiers_by_chinas_strength_in_the_same_source(dataset):
    from oicplan.match.matrix import match_matrix

    near = match_matrix("zhejiang", "near", dataset=dataset)
    far = match_matrix("zhejiang", "far", dataset=dataset)
    site = near.sites.loc[near.sites["iso3"] == "KOR", "site_id"].iloc[0]
    for industry in near.industries:
        for result, rule in ((near, lambda z: max(z, 0.05)), (far, lambda z: max(1 - z, 0.05))):
            cell = result.explanations[industry][site]
            for entry in cell["fields"]:
                home = result.home_fields["patent_families"][entry["field"]]
                assert home["economy"] == "CHN"
                assert entry["home_strength"] == home["strength"]
                assert entry["effective_weight"] == pytest.approx(
                    entry["weight"] * rule(home["relative"]), abs=1e-6)
    # China's strongest and weakest mapped fields get relative 1 and 0.
    relative = [h["relative"] for h in near.home_fields["patent_families"].values()]
    assert max(relative) == 1.0 and min(relative) == 0.0
