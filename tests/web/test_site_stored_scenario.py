"""The site page ``/sites/{id}?scenario=`` of a stored scenario (and of an unknown one)."""

from __future__ import annotations

from oicplan.scenario import scenario_yaml
from oicplan.services.planning import RankRequest, rank
from oicplan.store.scenarios import replace_weights

SITE = "KOR-seoul"


def test_the_site_page_of_a_stored_scenario(client, signed_in):
    weights = {"innovation": 0.02, "market": 0.6}
    token = signed_in("editor")
    saved = client.post("/api/scenarios", headers={"X-CSRF-Token": token}, json={
        "name": "coast-page", "yaml_text": replace_weights(scenario_yaml("zhejiang"), weights)})
    assert saved.status_code == 201, saved.text
    stored_ranking = rank(RankRequest(scenario="zhejiang", weights=weights)).sites
    expected = next(s for s in stored_ranking if s.site_id == SITE)
    builtin = next(s for s in rank(RankRequest(scenario="zhejiang")).sites if s.site_id == SITE)
    assert expected.rank != builtin.rank  # the stored weights move the site

    page = client.get(f"/sites/{SITE}", params={"scenario": "coast-page"})
    assert page.status_code == 200, page.text
    assert f"第 {expected.rank} 名（共 {len(stored_ranking)} 个）" in page.text
    versioned = client.get(f"/sites/{SITE}", params={"scenario": "coast-page", "version": 1})
    assert versioned.status_code == 200
    assert f"第 {expected.rank} 名" in versioned.text
    assert client.get(f"/sites/{SITE}", params={"scenario": "coast-page", "version": 5}
                      ).status_code == 404
    assert client.get(f"/sites/{SITE}", params={"scenario": "no-such-stored"}).status_code == 404
    # The built-in scenario's page is unchanged.
    assert f"第 {builtin.rank} 名" in client.get(f"/sites/{SITE}").text
