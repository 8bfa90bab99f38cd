"""What the dashboard, the map and the site profile show, checked against the services."""

from __future__ import annotations

import json
import re

import pytest

from tests.web.conftest import login


def _json_block(html: str, block_id: str):
    found = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', html,
                      re.S)
    assert found, block_id
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def ranking():
    from oicplan.services.planning import RankRequest, rank

    return rank(RankRequest(scenario="zhejiang"))


def test_the_dashboard_shows_the_scenarios_ranking_and_weights(client, signed_in, ranking):
    from oicplan.scenario import load_scenario

    signed_in("viewer")
    html = client.get("/").text
    data = _json_block(html, "dashboard-data")
    assert [row["site_id"] for row in data["ranking"]["sites"]] == [
        site.site_id for site in ranking.sites
    ]
    weights = load_scenario("zhejiang").weights
    sliders = {
        pillar: float(value)
        for value, pillar in re.findall(r'value="([\d.]+)"\s+id="weight-(\w+)"', html)
    }
    assert sliders == {pillar: weights[pillar] for pillar in ranking.pillars}
    for method in ("topsis", "vikor", "promethee2", "wsm", "wpm"):
        assert f'<option value="{method}"' in html
    # Chinese names where the data has one; the rank interval of each row.
    first = ranking.sites[0]
    rows = re.findall(r'<tr data-site-id="([^"]+)">\s*<td class="num">(\d+)</td>\s*<td><a [^>]*>'
                      r"([^<]+)</a>", html)
    assert rows[0] == (first.site_id, "1", first.name_zh or first.name)
    interval = f"{first.rank_interval.p5:.0f}–{first.rank_interval.p95:.0f}"
    assert interval in html


def test_the_dashboard_in_english_shows_the_original_names(client, signed_in, ranking):
    signed_in("viewer")
    html = client.get("/", params={"lang": "en"}).text
    second = ranking.sites[1]
    assert f">{second.name}</a>" in html


def test_another_built_in_scenario_and_an_unknown_one(client, signed_in):
    signed_in("viewer")
    balanced = _json_block(client.get("/", params={"scenario": "balanced"}).text,
                           "dashboard-data")
    assert balanced["scenario"] == "balanced"
    unknown = client.get("/", params={"scenario": "<script>x</script>"})
    assert unknown.status_code == 200
    assert "<script>x</script>" not in unknown.text
    assert _json_block(unknown.text, "dashboard-data")["scenario"] == "zhejiang"


def test_the_dashboards_rerank_request_works_with_the_session(client, signed_in, ranking):
    """The request dashboard.js sends: every pillar's weight as JSON, the session cookie."""
    signed_in("viewer")
    weights = {pillar: 0.0 for pillar in ranking.pillars}
    weights["innovation"] = 1.0
    response = client.get("/api/rankings", params={"scenario": "zhejiang",
                                                    "weights": json.dumps(weights)})
    assert response.status_code == 200, response.text
    top = response.json()["sites"][0]
    # With one pillar weighted, the best site is the one best on that pillar (its pillar
    # scores do not depend on the weights).
    best = max(site.pillars["innovation"] for site in ranking.sites)
    assert top["pillars"]["innovation"] == pytest.approx(best)


def test_the_map_reads_the_newest_done_plan_run(client, signed_in, database_url):
    from oicplan.services.runs import (
        CreateRunRequest,
        FinishRunRequest,
        StartRunRequest,
        create_run,
        finish_run,
        start_run,
    )

    signed_in("viewer")
    data = _json_block(client.get("/map").text, "map-data")
    assert data["run_id"] is None
    assert data["layers_url"] == "/map/layers?scenario=zhejiang"

    layers = {"scenario": "zhejiang", "candidates": [], "chosen": [], "existing_centers": [],
              "zones": [], "hubs": [], "rail_lines": [], "sea_lanes": []}
    run = create_run(CreateRunRequest(database_url=database_url, kind="plan",
                                      scenario="zhejiang")).run
    start_run(StartRunRequest(database_url=database_url, run_id=run.id))
    finish_run(FinishRunRequest(database_url=database_url, run_id=run.id,
                                results={"plan": {"scenario": "zhejiang"}, "map": layers}))
    html = client.get("/map").text
    data = _json_block(html, "map-data")
    assert data["run_id"] == run.id
    assert data["layers_url"] == f"/api/plans/{run.id}/map"
    assert run.id in html  # "from plan run ..."
    answer = client.get(data["layers_url"])  # the script's request, with the session
    assert answer.status_code == 200 and answer.json()["run_id"] == run.id


def test_the_maps_own_layers_are_the_plans(client, signed_in):
    from oicplan.services.planning import PlanRequest, plan

    signed_in("viewer")
    layers = client.get("/map/layers", params={"scenario": "zhejiang"})
    assert layers.status_code == 200
    body = layers.json()
    document = plan(PlanRequest(scenario="zhejiang", frontiers=False)).document
    assert [site["site_id"] for site in body["chosen"]] == [s.site_id for s in document.sites]
    assert {site["mode"] for site in body["chosen"]} == {s.mode for s in document.sites}
    assert body["rail_lines"] and body["sea_lanes"] and len(body["candidates"]) > 300
    client.cookies.clear()
    assert client.get("/map/layers").status_code == 303


def test_the_site_profile_shows_the_services_profile(client, signed_in):
    from oicplan.services.sites import SiteProfileRequest, site_profile

    profile = site_profile(SiteProfileRequest(site_id="KOR-seoul"))
    signed_in("viewer")
    html = client.get("/sites/KOR-seoul").text
    assert f'data-site-id="KOR-seoul">{profile.site.name_zh}' in html
    assert f"第 {profile.ranking.rank} 名（共 {profile.ranking.candidates} 个）" in html
    assert html.count("data-indicator=") == len(profile.values)
    for value in profile.values[:5]:
        row = re.search(rf'<tr data-indicator="{re.escape(value.indicator)}">(.*?)</tr>', html,
                        re.S).group(1)
        assert (str(value.year) if value.year is not None else "–") in row
        assert (value.source or "") in row
    costs = re.search(r'id="site-costs".*?</section>', html, re.S).group(0)
    assert costs.count("<tr data-mode=") == len(profile.costs) == 5
    assert "海外研发中心" in costs  # the center modes in Chinese
    access = re.search(r'id="site-access".*?</section>', html, re.S).group(0)
    assert access.count("<tr data-mode=") == len(profile.access)
    match = re.search(r'id="site-match".*?</section>', html, re.S).group(0)
    assert profile.match and profile.match[0].name_zh in match
    english = client.get("/sites/KOR-seoul", params={"lang": "en"}).text
    assert 'data-site-id="KOR-seoul">Seoul<' in english
    assert "Offshore R&amp;D center" in english


def test_a_site_outside_the_ranking_still_has_a_page(client, signed_in):
    from oicplan.data.dataset import load_dataset
    from oicplan.services.planning import RankRequest, rank

    ranked = {site.site_id for site in rank(RankRequest(scenario="zhejiang")).sites}
    outside = next((s for s in load_dataset().sites["site_id"] if s not in ranked), None)
    if outside is None:
        pytest.skip("every site of the dataset is ranked")
    signed_in("viewer")
    response = client.get(f"/sites/{outside}")
    assert response.status_code == 200
    assert 'id="site-not-ranked"' in response.text


def test_login_then_every_page_for_a_plain_user(client):
    assert login(client, "editor1").status_code == 303
    for path in ("/", "/map", "/sites/KOR-seoul"):
        assert client.get(path).status_code == 200
