"""The plan's technology watch: plan.json's ``technology_watch`` and the report section.

The trend numbers are checked against the shared NCSES CSVs read here with the csv
module; the section must cover exactly the economies of the chosen sites and the
existing centers, and the report must show (and escape) it.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest

from oicplan.match.field_strength import economy_tier, field_map, tier_table
from oicplan.techwatch.section import shared_values, technology_watch

FIELDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "fields"
needs_shared = pytest.mark.skipif(
    not FIELDS_DIR.is_dir(), reason="shared/data/fields not beside the clone"
)


@pytest.fixture(scope="module")
def plan():
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    return make_plan(load_scenario("zhejiang"), frontiers=False)


def _raw(name):
    table = defaultdict(dict)  # (field, year) -> iso3 -> value
    with open(FIELDS_DIR / name, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["value"]:
                table[(row["field"], int(row["year"]))][row["iso3"]] = float(row["value"])
    return table


@needs_shared
def test_the_trends_of_an_economy_equal_the_raw_csv():
    section = technology_watch(None, [("KOR-seoul", "KOR", "chosen")])
    economy = section["economies"][0]
    assert economy["tier"] == "patent_families"
    mapped = {(r["source"], r["field"]) for r in field_map()
              if r["source"] in ("patent_families", "articles")}
    assert {(f["source"], f["field"]) for f in economy["fields"]} == mapped
    raw = {"patent_families": (_raw("ncses_ipf_granted_by_wipo_field.csv"), "All technologies"),
           "articles": (_raw("ncses_articles_by_field_fractional.csv"), "All S&E fields")}
    for row in economy["fields"]:
        table, total = raw[row["source"]]
        last = max(year for (field, year) in table if field == row["field"])
        assert row["end_year"] == last and row["start_year"] == last - 10
        start = table[(row["field"], row["start_year"])]
        end = table[(row["field"], row["end_year"])]
        assert row["start_value"] == start["KOR"] and row["end_value"] == end["KOR"]
        years = row["end_year"] - row["start_year"]
        assert math.isclose(row["cagr"], (end["KOR"] / start["KOR"]) ** (1 / years) - 1,
                            rel_tol=1e-6, abs_tol=1e-8)
        totals = table[(total, row["end_year"])]
        rta = (end["KOR"] / totals["KOR"]) / (sum(end.values()) / sum(totals.values()))
        assert math.isclose(row["rta_end"], rta, rel_tol=1e-6, abs_tol=1e-8)
        share = end["KOR"] / sum(end.values())
        assert math.isclose(row["share_end"], share, rel_tol=1e-6, abs_tol=1e-8)
        assert row["series"][0] == [row["start_year"], row["start_value"]]
        assert [y for y, _ in row["series"]] == list(range(row["start_year"], last + 1))


def test_an_economy_follows_the_match_tier():
    values = shared_values()
    measures = tier_table(values)
    codes = ["CZE", "TUR", "KOR"]
    section = technology_watch(None, [(f"{c}-x", c, "chosen") for c in codes])
    for economy in section["economies"]:
        tier, reason = economy_tier(economy["iso3"], measures)
        assert economy["tier_reason"] == reason
        assert economy["tier"] == (tier if tier in ("patent_families", "pct") else None)
        sources = {f["source"] for f in economy["fields"]}
        assert sources <= {economy["tier"], "articles"} and "articles" in sources


def test_an_economy_without_field_data_is_a_gap():
    section = technology_watch(None, [("ZZZ-x", "ZZZ", "existing_center")])
    assert section["economies"][0]["fields"] == []
    assert "ZZZ" in section["notes"][0]


def test_the_plan_watches_its_chosen_sites_and_existing_centers(plan):
    document = plan.to_dict()
    watch = document["technology_watch"]
    expected = {s["iso3"] for s in document["sites"]} | {
        c["iso3"] for c in document["existing_centers"]}
    assert {e["iso3"] for e in watch["economies"]} == expected
    for economy in watch["economies"]:
        own = {s["site_id"] for s in document["sites"] if s["iso3"] == economy["iso3"]}
        own |= {c["site_id"] for c in document["existing_centers"]
                if c["iso3"] == economy["iso3"]}
        assert set(economy["sites"]) == own


def test_the_report_shows_the_section_in_both_languages(plan):
    from oicplan.report.render import render_html, render_markdown, report_context

    for lang, title in (("zh", "技术观察"), ("en", "Technology watch")):
        context = report_context(plan, lang)
        section = context["technology_watch"]
        html = render_html(plan, lang, context)
        md = render_markdown(plan, lang, context)
        assert 'id="technology-watch"' in html and f"## {context['t']('watch_title')}" in md
        assert title in html
        shown = [e for e in section["economies"] if e["rows"]]
        assert shown and html.count('class="spark"') == sum(len(e["rows"]) for e in shown)
        first = shown[0]["rows"][0]
        assert first["field"] in md and first["spark_text"] in md
        # Every cell shows its row's value (a dict key named like a dict method,
        # "values", once printed the method in both reports).
        for row in (r for e in shown for r in e["rows"]):
            assert f"| {row['years']} | {row['values']} |" in md
        assert "built-in method" not in md and "built-in method" not in html
        shown[0]["rows"][0]["field"] = "<script>alert(1)</script>"
        assert "<script>alert(1)</script>" not in render_html(plan, lang, context)


def test_economies_seen_before_are_read_back_and_only_new_ones_computed(tmp_path, monkeypatch):
    """Each economy's watch is kept on disk: a new process reads it without computing.

    The first section computes KOR and DEU together; after the in-process caches are
    cleared (as in a fresh process), a section of KOR, DEU and JPN computes only JPN,
    and its economies equal those of a section computed with no cache at all.
    """
    from oicplan import pipeline_cache
    from oicplan.techwatch import section

    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    pipeline_cache.clear_caches()
    computed: list[list[str]] = []
    real = section.economy_watch

    def counting(values, economies, **kw):
        computed.append(list(economies))
        return real(values, economies, **kw)

    monkeypatch.setattr(section, "economy_watch", counting)
    sites = [("KOR-seoul", "KOR", "chosen"), ("DEU-berlin", "DEU", "existing_center")]
    first = technology_watch(None, sites)
    pipeline_cache.clear_caches()
    second = technology_watch(None, [*sites, ("JPN-tokyo", "JPN", "chosen")])
    assert computed == [["KOR", "DEU"], ["JPN"]]
    assert list((tmp_path / "stages").glob("technology-watch-economy-*.pickle"))
    with pipeline_cache.caching(False):
        fresh = technology_watch(None, [*sites, ("JPN-tokyo", "JPN", "chosen")])
    assert second == fresh
    assert second["economies"][:2] == first["economies"]
    assert all(economy["fields"] for economy in second["economies"])
