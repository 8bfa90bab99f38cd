"""Each site's ``local`` object in plan.json and in ``oicplan rank --json`` (issue 13)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.data.cities import local_evidence
from oicplan.plan_document import LocalEvidence

LOCAL_KEYS = {
    "radius_km", "research_orgs", "research_orgs_total", "hosts", "host_share",
    "ror_coverage", "large_airports", "gii_cluster_rank", "institutions", "sources",
}
ROR_TYPES = {"education", "facility", "healthcare", "company", "government", "nonprofit",
             "funder", "archive", "other"}


def _check(local: dict, site: dict) -> None:
    assert set(local) == LOCAL_KEYS
    assert set(local["research_orgs"]) == ROR_TYPES
    assert local["radius_km"] == 50.0
    assert set(local["large_airports"]) == {"radius_km", "count", "iata", "nearest_km"}
    assert local["large_airports"]["radius_km"] == 100.0
    assert all(item["ror_id"] and item["name"] for item in local["institutions"])
    # The same numbers as the data layer computes from the site's coordinates.
    expected = local_evidence(site["lat"], site["lon"], site["iso3"], local["gii_cluster_rank"])
    assert local == json.loads(json.dumps(expected))
    LocalEvidence.model_validate(local)


def test_rank_json_rows_carry_the_local_object():
    result = CliRunner().invoke(app, ["rank", "--json", "--top", "5"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    from oicplan.data.dataset import load_dataset

    sites = load_dataset().sites.set_index("site_id")
    for row in document["sites"]:
        assert "local" in row
        site = sites.loc[row["site_id"]]
        _check(row["local"], {"lat": site["lat"], "lon": site["lon"], "iso3": site["iso3"]})
    ranks = [row["local"]["gii_cluster_rank"] for row in document["sites"]]
    assert any(rank is not None for rank in ranks)  # Singapore, Seoul ... are GII clusters


@pytest.fixture(scope="module")
def plan_document():
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    return make_plan(load_scenario("zhejiang"), frontiers=False).to_dict()


def test_plan_json_sites_carry_the_local_object(plan_document):
    assert plan_document["sites"]
    for site in plan_document["sites"]:
        _check(site["local"], site)


def test_gii_cluster_rank_is_null_where_the_site_has_no_cluster(plan_document):
    from oicplan.data.dataset import load_dataset

    sites = load_dataset().sites.set_index("site_id")
    for site in plan_document["sites"]:
        rank = sites.loc[site["site_id"], "gii_cluster_rank"]
        got = site["local"]["gii_cluster_rank"]
        assert (got is None) if rank != rank else got == int(rank)
