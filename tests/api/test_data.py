"""``/api/data``: economies, one economy's values and the sources, against the services."""

from __future__ import annotations

import pytest

from oicplan.services.data import DataShowRequest, DataSourcesRequest, data_show, data_sources
from oicplan.services.sites import EconomyListRequest, economy_list


def test_economies(client, auth):
    response = client.get("/api/data/economies", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    economies = response.json()["economies"]
    assert economies == [e.model_dump(mode="json")
                         for e in economy_list(EconomyListRequest()).economies]
    kaz = next(e for e in economies if e["iso3"] == "KAZ")
    assert (kaz["name_en"], kaz["name_zh"]) == ("Kazakhstan", "哈萨克斯坦")


@pytest.mark.parametrize("code", ["KAZ", "kaz"])
def test_one_economy_is_data_show(client, auth, code):
    response = client.get(f"/api/data/economies/{code}", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == data_show(DataShowRequest(iso3="KAZ")).model_dump(mode="json")
    assert body["iso3"] == "KAZ" and body["name_zh"] == "哈萨克斯坦"
    assert body["values"] and body["values"][0].keys() == {
        "indicator", "title", "title_zh", "value", "year", "source", "age", "max_age", "stale"}
    titles = {row["indicator"]: row["title_zh"] for row in body["values"]}
    assert titles["SP.POP.TOTL"] == "人口总数"


def test_sources(client, auth):
    response = client.get("/api/data/sources", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    sources = response.json()["sources"]
    assert sources == data_sources(DataSourcesRequest()).document()
    assert sources and all({"id", "licence", "as_of"} <= set(s) for s in sources)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/data/economies/XXX", 404),
        ("/api/data/economies/ZZZ", 404),
        ("/api/data/economies/KAZAKH", 422),
        ("/api/data/economies/K", 422),
        ("/api/data/economy", 404),
    ],
)
def test_bad_requests(client, auth, path, status):
    response = client.get(path, headers=auth("viewer"))
    assert response.status_code == status, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/api/data/economies", "/api/data/economies/KAZ", "/api/data/sources"]
)
def test_needs_a_token(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_operations_are_in_the_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert paths["/api/data/economies"]["get"]["operationId"] == "list_economies"
    assert paths["/api/data/economies/{iso3}"]["get"]["operationId"] == "get_economy"
    assert paths["/api/data/sources"]["get"]["operationId"] == "list_data_sources"


def _framework_file() -> dict:
    """The default framework read from its YAML file (the oracle of pillar and direction)."""
    from importlib import resources

    import yaml

    text = resources.files("oicplan.indicators").joinpath("default_framework.yaml").read_text(
        encoding="utf-8")
    return yaml.safe_load(text)


def test_indicators_are_the_frameworks(client, auth):
    from oicplan.data import load_dataset

    response = client.get("/api/data/indicators", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    framework = _framework_file()
    expected = [(spec["code"], pillar["id"], pillar["name_zh"], spec.get("direction", "max"),
                 spec.get("unit", ""))
                for pillar in framework["pillars"] for spec in pillar["indicators"]]
    got = [(i["code"], i["pillar"], i["pillar_zh"], i["direction"], i["unit"])
           for i in body["indicators"]]
    assert got == expected
    by_code = {i["code"]: i for i in body["indicators"]}
    assert by_code["SITE.ACCESS_COST"]["direction"] == "min"
    # Every row has a Chinese title: the framework's name_zh (issue 10).
    assert all(i["title_zh"] == (i["name_zh"] or i["title_zh"]) for i in body["indicators"])
    assert all(any("\u4e00" <= c <= "\u9fff" for c in i["title_zh"]) for i in body["indicators"])

    series = load_dataset().series
    rd = series[series["indicator"] == "GB.XPD.RSDV.GD.ZS"]
    entry = by_code["GB.XPD.RSDV.GD.ZS"]
    assert (entry["first_year"], entry["last_year"], entry["economies"]) == (
        int(rd["year"].min()), int(rd["year"].max()), rd["entity"].nunique())
    assert entry["source"] == "wdi" and entry["source_title"].startswith("World Bank")
    # Site-level indicators are computed by the planner: no years are claimed for them.
    site = by_code["SITE.GII_CLUSTER"]
    assert site["source"] == "facts/gii_clusters" and site["first_year"] is None
    assert body["dataset"]["version"]


def test_indicators_need_a_token(client):
    assert client.get("/api/data/indicators").status_code == 401
