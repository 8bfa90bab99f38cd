"""Mode scores agree with plan.assign_mode; the park view is bounded and sourced."""

from __future__ import annotations

from oicplan.match.modes import mode_scores, park_view
from oicplan.plan import CENTER_MODES, assign_mode


def test_rule_mode_scores_highest_everywhere(ranked):
    scores = mode_scores(ranked.table)
    assert len(scores) == 5 * len(ranked.table)
    assert scores["score"].between(0, 1).all()
    best = scores.loc[scores.groupby("site_id", sort=False)["score"].idxmax()]
    expected = {site["site_id"]: assign_mode(site)[0] for _, site in ranked.table.iterrows()}
    assert dict(zip(best["site_id"], best["mode"], strict=True)) == expected
    assert set(scores["mode"]) == set(CENTER_MODES)


def test_reasons_name_zone_rail_and_pillars(ranked):
    scores = mode_scores(ranked.table)
    zones = ranked.table[ranked.table["types"].str.contains("zone")]["site_id"]
    assert len(zones) > 0
    for site in zones:
        row = scores[(scores["site_id"] == site) & (scores["mode"] == "zone_upgrade")].iloc[0]
        assert row["rule"] and row["score"] >= 0.7
        assert any("cooperation zone" in reason for reason in row["reasons"])
        assert any("cooperation pillar" in reason for reason in row["reasons"])
    rails = ranked.table[ranked.table["types"].str.contains("rail_node")]["site_id"]
    for site in rails:
        row = scores[(scores["site_id"] == site) & (scores["mode"] == "corridor_hub")].iloc[0]
        assert row["score"] >= 0.35  # its rule holds (first, or after an earlier rule)
        assert any("train" in reason for reason in row["reasons"])


def test_park_view(ranked, dataset):
    view = park_view(ranked.table, dataset)
    assert list(view["site_id"]) == list(ranked.table["site_id"])
    for column in ("talent", "community", "knowledge_ecology", "park_score"):
        assert view[column].dropna().between(0, 1).all()
    first = view.iloc[0]
    assert any("SP.POP.SCIE.RD.P6" in item and "wdi" in item for item in first["evidence"])
