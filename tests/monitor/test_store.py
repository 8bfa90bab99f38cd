"""Registry storage: migrations, seed, centers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from oicplan.errors import InputError
from oicplan.store import Registry, default_database_path, resolve_database_url
from oicplan.store.seed import MODES, mode_for_type, seed_site_ids, snapshot_centers


def test_fresh_database_is_migrated_and_seeded(registry):
    centers = registry.list_centers()
    assert len(centers) == len(snapshot_centers())
    assert {c["mode"] for c in centers} <= set(MODES)
    assert all(c["source"] for c in centers)
    by_id = {c["id"]: c for c in centers}
    melbourne = by_id["zhejiang-australia-melbourne-overseas-innovation-incubation-center"]
    assert melbourne["opening_year"] == 2019 and melbourne["iso3"] == "AUS"
    assert melbourne["name_zh"] == "浙江澳大利亚墨尔本海外创新孵化中心"
    boston = by_id["zhejiang-usa-boston-haina-incubator"]
    assert boston["opening_year"] is None
    assert boston["opening_year_text"] == "2018 or earlier"
    assert boston["operator"] is None
    # Revision 0004 links the seeded centers whose host site the snapshot lists.
    assert sum(1 for c in centers if c["site_id"]) == len(seed_site_ids())
    assert by_id["alibaba-damo-academy-lab-moscow"]["site_id"] == "RUS-moscow"
    assert boston["site_id"] == "USA-boston"
    with registry.engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == _head()


def test_reopening_does_not_reseed(db_url):
    reg = Registry(db_url)
    with reg.engine.begin() as conn:
        conn.execute(sa.text("delete from centers where iso3 = 'RUS'"))
    reg.dispose()
    reg = Registry(db_url)
    russian = sum(row["iso3"] == "RUS" for row in snapshot_centers())
    assert len(reg.list_centers()) == len(snapshot_centers()) - russian
    assert reg.list_centers(iso3="rus") == []
    reg.dispose()


def test_add_center_and_filters(registry):
    c = registry.add_center(
        name="Zhejiang–Hungary Joint Lab",
        iso3="hun",
        mode="joint_lab",
        host_city="Budapest",
        opening_year=2023,
        source="test",
    )
    assert c["id"] == "zhejiang-hungary-joint-lab"
    assert registry.get_center(c["id"])["host_city"] == "Budapest"
    assert [x["id"] for x in registry.list_centers(mode="joint_lab")] == [c["id"]]
    with pytest.raises(InputError) as err:
        registry.add_center(name="Zhejiang–Hungary Joint Lab", iso3="HUN", mode="joint_lab")
    assert err.value.field == "id"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "iso3": "HUN", "mode": "joint_lab"}, "name"),
        ({"name": "x", "iso3": "XXX", "mode": "joint_lab"}, "iso3"),
        ({"name": "x", "iso3": "HU", "mode": "joint_lab"}, "iso3"),
        ({"name": "x", "iso3": "HUN", "mode": "lab"}, "mode"),
        ({"name": "x", "iso3": "HUN", "mode": "joint_lab", "id": "Bad Id"}, "id"),
        ({"name": "x", "iso3": "HUN", "mode": "joint_lab", "opening_year": 3000}, "opening_year"),
    ],
)
def test_add_center_errors(registry, kwargs, field):
    with pytest.raises(InputError) as err:
        registry.add_center(**kwargs)
    assert err.value.field == field
    assert len(registry.list_centers()) == len(snapshot_centers())


def test_set_target_replaces(registry):
    cid = registry.list_centers()[0]["id"]
    registry.set_target(cid, "patents", 5)
    registry.set_target(cid, "patents", 7)
    registry.set_target(cid, "patents", 9, year=2023)
    stored = {(t["year"], t["target"]) for t in registry.targets(cid)}
    assert stored == {(2023, 9.0), (None, 7.0)}
    with pytest.raises(InputError) as err:
        registry.set_target("nope", "patents", 1)
    assert err.value.field == "center_id"
    with pytest.raises(InputError) as err:
        registry.set_target(cid, "patents", -1)
    assert err.value.field == "target"


def test_url_resolution(monkeypatch, tmp_path):
    env = {"OICPLAN_DATABASE_URL": "postgresql+psycopg://u@h/db"}
    assert resolve_database_url(environ=env) == env["OICPLAN_DATABASE_URL"]
    assert resolve_database_url("sqlite:///a.db", environ=env) == "sqlite:///a.db"
    assert default_database_path({"HOME": "/h"}).name == "oicplan.sqlite"
    assert resolve_database_url(environ={"XDG_DATA_HOME": "/x"}) == (
        "sqlite:////x/oicplan/oicplan.sqlite"
    )
    # The default file is created where OICPLAN_DATA_DIR points (set by conftest).
    reg = Registry()
    assert reg.url.endswith("data-dir/oicplan.sqlite")
    assert (tmp_path / "data-dir" / "oicplan.sqlite").is_file()
    reg.dispose()


def test_snapshot_modes_and_errors():
    rows = snapshot_centers()
    # Every "... incubat..." type of the facts table is an offshore incubator.
    incubators = [r for r in rows if "incubat" in (r["type_text"] or "").lower()]
    assert incubators and all(r["mode"] == "offshore_incubator" for r in incubators)
    with pytest.raises(InputError) as err:
        mode_for_type("tea house")
    assert err.value.field == "type"


def test_add_center_with_site_id(registry):
    c = registry.add_center(
        name="Zhejiang Hungary Lab", iso3="HUN", mode="joint_lab", site_id=" hun-BUDAPEST "
    )
    assert c["site_id"] == "HUN-budapest"  # stored as the dataset spells it
    assert registry.get_center(c["id"])["site_id"] == "HUN-budapest"
    plain = registry.add_center(name="Another Lab", iso3="HUN", mode="joint_lab")
    assert plain["site_id"] is None


def test_add_center_site_id_errors(registry):
    with pytest.raises(InputError) as err:
        registry.add_center(name="x", iso3="DEU", mode="joint_lab", site_id="DEU-raunhiem")
    assert err.value.field == "site_id"
    assert "DEU-raunheim" in err.value.message  # the close id as a hint
    with pytest.raises(InputError) as err:
        # Budapest is a known site, but not in Germany.
        registry.add_center(name="x", iso3="DEU", mode="joint_lab", site_id="HUN-budapest")
    assert err.value.field == "site_id" and "HUN" in err.value.message
    with pytest.raises(InputError) as err:
        registry.add_center(name="x", iso3="HUN", mode="joint_lab", site_id="Atlantis")
    assert err.value.field == "site_id" and "HUN-budapest" in err.value.message
    assert len(registry.list_centers()) == len(snapshot_centers())


def test_target_year_before_opening_year(registry):
    c = registry.add_center(name="New Lab", iso3="HUN", mode="joint_lab", opening_year=2023)
    with pytest.raises(InputError) as err:
        registry.set_target(c["id"], "patents", 3, year=2022)
    assert err.value.field == "year" and "2023" in err.value.message
    assert registry.targets(c["id"]) == []
    registry.set_target(c["id"], "patents", 3, year=2023)
    assert [t["year"] for t in registry.targets(c["id"])] == [2023]


def _head() -> str:
    """The newest revision of the migrations (the registry's schema is always upgraded to it)."""
    from alembic.script import ScriptDirectory

    from oicplan.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head
