"""Stored scenarios (migration 0006, :class:`oicplan.store.scenarios.ScenarioStore`).

Every test runs on SQLite and, when ``OICPLAN_TEST_POSTGRES_URL`` names a server,
on PostgreSQL (``OICPLAN_REQUIRE_SERVICES=1`` makes a missing server a failure).
The ``db_url`` fixture here is imported by the other store and service tests of
scenarios, runs and panels.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from oicplan.errors import ConflictError, InputError
from oicplan.scenario import load_scenario, scenario_yaml
from oicplan.store.db import make_engine, upgrade_schema
from tests.conftest import empty_postgres_url

ZHEJIANG = scenario_yaml("zhejiang")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch):
    """A fresh, empty database on SQLite and (when configured) PostgreSQL.

    PostgreSQL is emptied again afterwards, so that tests which drop only the
    tables they know (``tests/monitor/conftest.py``) start from scratch too.
    """
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'oicplan.sqlite'}"
        return
    yield empty_postgres_url()
    empty_postgres_url()


@pytest.fixture()
def store(db_url):
    from oicplan.store.scenarios import ScenarioStore

    opened = ScenarioStore(db_url)
    yield opened
    opened.dispose()


def _edited(text: str = ZHEJIANG, centers: int = 10) -> str:
    assert "centers: 12\n" in text
    return text.replace("centers: 12\n", f"centers: {centers}\n")


# ------------------------------------------------------------------ migration


def test_migration_0006_creates_the_tables_and_goes_down_to_0005(db_url):
    engine = make_engine(db_url)
    try:
        upgrade_schema(engine, "0005")
        assert "scenarios" not in sa.inspect(engine).get_table_names()
        upgrade_schema(engine)
        tables = set(sa.inspect(engine).get_table_names())
        assert {"scenarios", "scenario_versions", "runs", "panels", "panel_judgments"} <= tables
        assert {"users", "centers"} <= tables
        from alembic import command

        from oicplan.store.db import alembic_config

        cfg = alembic_config(db_url)
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0005")
        tables = set(sa.inspect(engine).get_table_names())
        assert "scenarios" not in tables and "runs" not in tables and "users" in tables
        upgrade_schema(engine)
        assert "panel_judgments" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


# ---------------------------------------------------------------------- saves


def test_every_save_adds_a_version_and_keeps_the_earlier_ones(store):
    first = store.save("coast", ZHEJIANG, author="li", base_version=None, message="copy")
    second = store.save("coast", _edited(), author="wang", base_version=1)
    assert (first["version"], second["version"]) == (1, 2)
    assert first["created_at"].tzinfo is not None
    history = store.versions("coast")
    assert [(v["version"], v["author"], v["message"]) for v in history] == [
        (1, "li", "copy"), (2, "wang", None),
    ]
    assert "yaml_text" not in history[0]
    assert store.get("coast", 1)["yaml_text"] == ZHEJIANG  # kept as written, comments too
    assert store.get("coast")["yaml_text"] == _edited()
    listed = store.list_scenarios()
    assert [(s["name"], s["latest_version"], s["created_by"], s["updated_by"]) for s in listed] == [
        ("coast", 2, "li", "wang")
    ]


def test_two_saves_from_the_same_base_the_second_is_refused_and_nothing_is_lost(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    mine, theirs = _edited(centers=10), _edited(centers=8)
    store.save("coast", mine, author="li", base_version=1)
    with pytest.raises(ConflictError, match="saved as version 2 since version 1"):
        store.save("coast", theirs, author="wang", base_version=1)
    assert [v["version"] for v in store.versions("coast")] == [1, 2]
    assert store.get("coast", 1)["yaml_text"] == ZHEJIANG
    assert store.get("coast", 2)["yaml_text"] == mine
    # the refused editor reloads version 2 and saves from it
    assert store.save("coast", theirs, author="wang", base_version=2)["version"] == 3


def test_simultaneous_saves_from_the_same_base_one_wins(db_url):
    """Eight threads save from version 1 at once: one version 2, seven conflicts."""
    from oicplan.store.scenarios import ScenarioStore

    setup = ScenarioStore(db_url)
    setup.save("coast", ZHEJIANG, author="li", base_version=None)
    setup.dispose()
    outcomes: list[object] = []
    barrier = threading.Barrier(8)

    def save(k: int) -> None:
        store = ScenarioStore(db_url)
        try:
            barrier.wait()
            outcomes.append(store.save("coast", _edited(centers=k + 2), author=f"u{k}",
                                       base_version=1)["version"])
        except Exception as error:  # noqa: BLE001 - collected and checked below
            outcomes.append(error)
        finally:
            store.dispose()

    threads = [threading.Thread(target=save, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wins = [o for o in outcomes if o == 2]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(wins) == 1 and len(conflicts) == 7, outcomes
    check = ScenarioStore(db_url)
    try:
        assert [v["version"] for v in check.versions("coast")] == [1, 2]
        assert check.get("coast", 1)["yaml_text"] == ZHEJIANG
    finally:
        check.dispose()


def test_creating_a_scenario_that_exists_is_a_conflict(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    with pytest.raises(ConflictError, match="already exists"):
        store.save("coast", _edited(), author="wang", base_version=None)
    assert store.get("coast")["yaml_text"] == ZHEJIANG


def test_a_base_ahead_of_the_latest_is_a_conflict(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    with pytest.raises(ConflictError):
        store.save("coast", _edited(), author="li", base_version=5)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (ZHEJIANG.replace("centers: 12\n", "centers: 0\n"), "centers"),
        (ZHEJIANG.replace("method: topsis", "method: magic"), "ranking.method"),
        (ZHEJIANG.replace("  budget: null", "  budget: -5"), "selection.budget"),
        ("name: [unclosed", "yaml_text"),
        ("- a list\n- not a mapping\n", "yaml_text"),
        (ZHEJIANG.replace("framework: default", "framework: /etc/passwd.yaml"), "framework"),
        (ZHEJIANG.replace("  enterprises: null", "  enterprises: /srv/firms.csv"),
         "selection.enterprises"),
        (ZHEJIANG.replace("  preset: balanced", "  preset: balanced\n  field_data: /x.csv"),
         "match.field_data"),
    ],
)
def test_invalid_text_is_refused_naming_the_field(store, text, field):
    with pytest.raises(InputError) as caught:
        store.save("coast", text, author="li", base_version=None)
    assert caught.value.field == field
    assert store.list_scenarios() == []


def test_the_text_is_validated_as_load_scenario_validates_a_file(tmp_path):
    from oicplan.store.scenarios import scenario_from_text

    bad = ZHEJIANG.replace("  budget: null", "  budget: -5")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as from_file:
        load_scenario(path)
    with pytest.raises(InputError) as from_text:
        scenario_from_text(bad)
    assert (from_text.value.field, from_text.value.message) == (
        from_file.value.field, from_file.value.message
    )
    assert scenario_from_text(ZHEJIANG) == load_scenario("zhejiang")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "zhejiang"}, "name"),
        ({"name": "../etc"}, "name"),
        ({"name": "my.yaml"}, "name"),
        ({"name": ""}, "name"),
        ({"author": " "}, "author"),
        ({"message": "x" * 501}, "message"),
        ({"base_version": -1}, "base_version"),
        ({"base_version": 1}, "name"),  # no such scenario to save version 2 of
    ],
)
def test_bad_requests_name_the_field(store, kwargs, field):
    arguments = {"name": "coast", "author": "li", "base_version": None, **kwargs}
    name = arguments.pop("name")
    with pytest.raises(InputError) as caught:
        store.save(name, ZHEJIANG, **arguments)
    assert caught.value.field == field


def test_unknown_scenario_and_version(store):
    with pytest.raises(InputError) as caught:
        store.get("nowhere")
    assert caught.value.field == "name"
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    with pytest.raises(InputError) as caught:
        store.get("coast", 7)
    assert caught.value.field == "version"
    with pytest.raises(InputError):
        store.versions("nowhere")


def test_unicode_text_round_trips(store):
    text = ZHEJIANG.replace("title_zh: 浙江省", "title_zh: 浙江省（修订）")
    assert text != ZHEJIANG
    store.save("coast", text, author="李明", base_version=None)
    assert store.get("coast")["yaml_text"] == text
    assert store.versions("coast")[0]["author"] == "李明"


# ---------------------------------------------------------------- diff, scenario


def test_diff_gives_the_unified_diff_and_the_changed_fields(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    edited = _edited().replace("  talent: 0.15\n", "  talent: 0.25\n")
    edited = edited.replace("include: []", "include: [USA]")
    store.save("coast", edited, author="li", base_version=1)
    diff = store.diff("coast", 1, 2)
    assert diff["unified"].startswith("--- coast v1\n+++ coast v2\n")
    assert "-centers: 12\n+centers: 10\n" in diff["unified"]
    assert diff["changes"] == [
        {"path": "candidates.include", "kind": "changed", "old": [], "new": ["USA"]},
        {"path": "weights.talent", "kind": "changed", "old": 0.15, "new": 0.25},
        {"path": "centers", "kind": "changed", "old": 12, "new": 10},
    ]
    back = store.diff("coast", 2, 1)["changes"]
    assert [(c["path"], c["old"], c["new"]) for c in back] == [
        ("candidates.include", ["USA"], []), ("weights.talent", 0.25, 0.15), ("centers", 10, 12)
    ]
    assert store.diff("coast", 1, 1) == {
        "name": "coast", "old": 1, "new": 1, "unified": "", "changes": []
    }


def test_changed_fields_of_added_keys_and_list_items():
    from oicplan.store.scenarios import changed_fields, scenario_from_text

    edited = ZHEJIANG.replace("  min_per_region: {}", "  min_per_region: {Europe: 2}")
    wenzhou = '"home of zone operators", modes: []}\n'
    assert wenzhou in edited
    edited = edited.replace(wenzhou, wenzhou + "  - {name: Taizhou, lat: 28.66, lon: 121.42}\n")
    old, new = scenario_from_text(ZHEJIANG), scenario_from_text(edited)
    changes = changed_fields(old, new)
    assert [(c["path"], c["kind"]) for c in changes] == [
        ("hubs.5", "added"), ("selection.min_per_region.Europe", "added")
    ]
    assert changes[0]["new"]["name"] == "Taizhou" and changes[0]["old"] is None
    assert [(c["path"], c["kind"], c["old"]) for c in changed_fields(new, old)] == [
        ("hubs.5", "removed", changes[0]["new"]), ("selection.min_per_region.Europe", "removed", 2)
    ]


def test_a_comment_only_change_has_a_diff_but_no_changed_field(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    store.save("coast", "# my copy\n" + ZHEJIANG, author="li", base_version=1)
    diff = store.diff("coast", 1, 2)
    assert "+# my copy\n" in diff["unified"]
    assert diff["changes"] == []


def test_a_stored_scenario_is_the_scenario_of_its_text_named_as_stored(store):
    store.save("coast", ZHEJIANG, author="li", base_version=None)
    store.save("coast", _edited(), author="li", base_version=1)
    scenario = store.scenario("coast", 1)
    builtin = load_scenario("zhejiang")
    assert scenario.name == "coast"
    assert scenario.model_copy(update={"name": "zhejiang"}) == builtin
    assert store.scenario("coast").centers == 10


def test_a_trusted_caller_may_store_a_scenario_naming_files(store):
    text = ZHEJIANG.replace("  enterprises: null", "  enterprises: sample")
    assert store.save("coast", text, author="li", base_version=None)["version"] == 1
    text = ZHEJIANG.replace("  enterprises: null", "  enterprises: /srv/firms.csv")
    saved = store.save("coast", text, author="admin", base_version=1, allow_files=True)
    assert saved["version"] == 2
