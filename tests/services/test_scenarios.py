"""Stored-scenario use cases (``oicplan.services.scenarios``) against the store called directly.

Every test runs on SQLite and, with ``OICPLAN_TEST_POSTGRES_URL``, on PostgreSQL.
"""

from __future__ import annotations

import pydantic
import pytest

from oicplan.errors import ConflictError, InputError
from oicplan.scenario import load_scenario, scenario_yaml
from oicplan.services.scenarios import (
    GetScenarioVersionRequest,
    ListStoredScenariosRequest,
    SaveScenarioRequest,
    ScenarioDiffRequest,
    ScenarioHistoryRequest,
    get_scenario_version,
    list_stored_scenarios,
    load_stored_scenario,
    save_scenario,
    scenario_diff,
    scenario_history,
)
from oicplan.store.scenarios import ScenarioStore
from tests.store.test_scenarios import db_url  # noqa: F401 - the fixture

ZHEJIANG = scenario_yaml("zhejiang")
TEN = ZHEJIANG.replace("centers: 12\n", "centers: 10\n")
EIGHT = ZHEJIANG.replace("centers: 12\n", "centers: 8\n")


@pytest.fixture()
def store(db_url):  # noqa: F811
    opened = ScenarioStore(db_url)
    yield opened
    opened.dispose()


def _save(url: str, text: str, base: int | None, author: str = "li"):
    return save_scenario(SaveScenarioRequest(
        database_url=url, name="coast", yaml_text=text, author=author, base_version=base
    ))


def test_save_history_get_and_list_are_the_stores(db_url, store):  # noqa: F811
    saved = _save(db_url, ZHEJIANG, None)
    second = save_scenario(SaveScenarioRequest(
        database_url=db_url, name="coast", yaml_text=TEN, author="wang", base_version=1,
        message="ten centers",
    ))
    assert saved.version.model_dump() == store.get("coast", 1)
    assert second.version.model_dump() == store.get("coast", 2)
    history = scenario_history(ScenarioHistoryRequest(database_url=db_url, name="coast"))
    versions = [v.model_dump(exclude={"yaml_text"}) for v in history.versions]
    assert versions == store.versions("coast")
    assert all(v.yaml_text is None for v in history.versions)
    latest = get_scenario_version(GetScenarioVersionRequest(database_url=db_url, name="coast"))
    assert (latest.version.version, latest.version.yaml_text) == (2, TEN)
    listed = list_stored_scenarios(ListStoredScenariosRequest(database_url=db_url))
    assert [s.model_dump() for s in listed.scenarios] == store.list_scenarios()
    document = listed.model_dump(mode="json")
    assert document["scenarios"][0]["updated_at"].endswith("Z")  # UTC, JSON-ready


def test_two_saves_from_the_same_base_second_conflicts_and_both_texts_are_intact(db_url, store):  # noqa: F811
    _save(db_url, ZHEJIANG, None)
    _save(db_url, TEN, 1, author="li")
    with pytest.raises(ConflictError):
        _save(db_url, EIGHT, 1, author="wang")
    texts = [store.get("coast", v)["yaml_text"] for v in (1, 2)]
    assert texts == [ZHEJIANG, TEN]
    assert [v["version"] for v in store.versions("coast")] == [1, 2]


def test_diff_is_the_stores(db_url, store):  # noqa: F811
    _save(db_url, ZHEJIANG, None)
    _save(db_url, TEN, 1)
    result = scenario_diff(ScenarioDiffRequest(database_url=db_url, name="coast", old=1, new=2))
    expected = store.diff("coast", 1, 2)
    assert result.unified == expected["unified"]
    assert [c.model_dump() for c in result.changes] == expected["changes"]
    assert [c.model_dump() for c in result.changes] == [
        {"path": "centers", "kind": "changed", "old": 12, "new": 10}
    ]


def test_errors_name_the_field(db_url):  # noqa: F811
    with pytest.raises(InputError) as caught:
        _save(db_url, ZHEJIANG.replace("centers: 12\n", "centers: many\n"), None)
    assert caught.value.field == "centers"
    with pytest.raises(InputError) as caught:
        scenario_history(ScenarioHistoryRequest(database_url=db_url, name="nowhere"))
    assert caught.value.field == "name"
    _save(db_url, ZHEJIANG, None)
    with pytest.raises(InputError) as caught:
        get_scenario_version(GetScenarioVersionRequest(database_url=db_url, name="coast",
                                                       version=9))
    assert caught.value.field == "version"


def test_requests_are_checked_and_results_frozen(db_url):  # noqa: F811
    with pytest.raises(pydantic.ValidationError):
        SaveScenarioRequest(name="coast", yaml_text="x", author="li", base_version=-1)
    with pytest.raises(pydantic.ValidationError):
        SaveScenarioRequest(name="coast", yaml_text="x", author="li", colour="red")
    saved = _save(db_url, ZHEJIANG, None)
    with pytest.raises(pydantic.ValidationError):
        saved.version.version = 3


def test_a_stored_scenario_ranks_like_the_builtin_with_its_changes(db_url):  # noqa: F811
    from oicplan.ranking import rank_sites
    from oicplan.services.planning import RankRequest, rank, rank_result

    edited = ZHEJIANG.replace("  talent: 0.15\n", "  talent: 0.30\n")
    _save(db_url, ZHEJIANG, None)
    _save(db_url, edited, 1)
    first = load_stored_scenario("coast", 1, database_url=db_url)
    assert first.name == "coast"
    assert first.model_copy(update={"name": "zhejiang"}) == load_scenario("zhejiang")
    stored = rank_result(rank_sites(load_stored_scenario("coast", database_url=db_url)))
    builtin = rank(RankRequest(scenario="zhejiang", weights={"talent": 0.30}))
    assert stored.scenario == "coast"
    assert [s.model_dump() for s in stored.sites] == [s.model_dump() for s in builtin.sites]
