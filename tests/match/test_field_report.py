"""The report's match section shows the field evidence of the field-data tiers (issue 12)."""

from __future__ import annotations

import pytest

from oicplan.plan import make_plan
from oicplan.report.render import _match_rows
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_match_rows_name_field_tier_year_table_and_edition(plan, lang):
    match = plan.ranked.match
    rows = _match_rows(plan, lang)
    assert rows
    chosen = [s for s in plan.chosen.itertuples() if s.site_id in match.matrix.columns]
    checked = 0
    for site, row in zip(chosen, rows, strict=False):
        best = match.matrix[site.site_id].dropna().sort_values(ascending=False).index[0]
        cell = match.explanations[best][site.site_id]
        if cell["tier"] in ("proxy", "user"):
            continue
        checked += 1
        for entry in cell["fields"]:
            if entry["basis"] != "field_data":
                continue
            name = entry["field_zh"] if lang == "zh" else entry["field"]
            first, last = entry["years"]
            assert name in row["evidence"]
            assert f"{first}–{last}" in row["evidence"]
            assert entry["source_table"] in row["evidence"] and entry["edition"] in row["evidence"]
    assert checked, "no chosen site uses field data"
