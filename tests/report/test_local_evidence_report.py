"""The report's local evidence: one row per chosen site from plan.json's ``local`` (issue 13)."""

from __future__ import annotations

import pytest

from oicplan.report.local_rows import local_section


@pytest.fixture(scope="module")
def plan():
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    return make_plan(load_scenario("zhejiang"), frontiers=False)


def test_every_chosen_site_has_a_row_naming_its_main_research_organizations(plan):
    from oicplan.report.render import render_html, render_markdown, report_context

    document = plan.to_dict()
    titles = (("zh", "所选站点的周边证据"), ("en", "Local evidence around the chosen sites"))
    for lang, title in titles:
        context = report_context(plan, lang)
        local = context["local"]
        assert len(local["rows"]) == len(document["sites"])
        html = render_html(plan, lang, context)
        md = render_markdown(plan, lang, context)
        assert 'id="local-evidence"' in html and f"## {title}" in md
        assert "GeoNames" in local["note"] and "ROR" in local["note"]
        for site in document["sites"]:
            first = site["local"]["institutions"][:1]
            if first:  # the main organization's real ROR name is shown
                assert first[0]["name"] in md
        # Escaped like everything else in the HTML report.
        context["local"]["rows"][0]["hosts"] = "<script>alert(1)</script>"
        assert "<script>alert(1)</script>" not in render_html(plan, lang, context)


def test_a_site_without_airports_nearby_shows_the_nearest():
    local = {"radius_km": 50.0, "research_orgs": {"education": 0}, "research_orgs_total": 0,
             "ror_coverage": None, "gii_cluster_rank": 12, "institutions": [],
             "large_airports": {"radius_km": 100.0, "count": 0, "iata": [], "nearest_km": 124.2}}
    row = local_section({"sites": [{"site_id": "x", "local": local}]}, "en", {})["rows"][0]
    assert row == {"site": "x", "orgs": "0 (0 in all)", "airports": "0 (nearest 124.2 km)",
                   "cluster": "12", "hosts": "—", "coverage": "—"}
    assert local_section({"sites": [{"site_id": "x", "local": None}]}, "en", {}) is None
