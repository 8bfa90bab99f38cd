"""Schema history: databases made by an earlier revision upgrade in place, keeping their rows."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from oicplan.store import Registry
from oicplan.store.db import alembic_config, make_engine, upgrade_schema
from oicplan.store.seed import seed_site_ids, snapshot_centers

OLD_CENTER = {
    "id": "old-lab",
    "name": "Old Lab",
    "host_city": "Budapest",
    "iso3": "HUN",
    "mode": "joint_lab",
    "opening_year": 2020,
    "opening_year_text": "2020",
    "source": "entered before revision 0003",
}


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def _version(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.text("select version_num from alembic_version")).scalar()


def _database_at_0002_with_rows(url: str) -> dict:
    """A database left at revision 0002 holding a user's center, a KPI value and a target."""
    engine = make_engine(url)
    upgrade_schema(engine, "0002")
    assert _version(engine) == "0002" and "site_id" not in _columns(engine, "centers")
    names = ", ".join(OLD_CENTER)
    params = ", ".join(f":{k}" for k in OLD_CENTER)
    with engine.begin() as conn:
        conn.execute(sa.text(f"insert into centers ({names}) values ({params})"), OLD_CENTER)
        conn.execute(
            sa.text(
                "insert into kpi_values (center_id, year, kpi, value, unit) "
                "values ('old-lab', 2021, 'patents', 4, 'patents')"
            )
        )
        conn.execute(
            sa.text(
                "insert into kpi_targets (center_id, kpi, year, target) "
                "values ('old-lab', 'patents', null, 6)"
            )
        )
        before = {
            row["id"]: dict(row)
            for row in conn.execute(sa.text("select * from centers")).mappings()
        }
    engine.dispose()
    return before


def test_upgrade_from_0002_keeps_rows(db_url):
    before = _database_at_0002_with_rows(db_url)
    assert len(before) == len(snapshot_centers()) + 1

    registry = Registry(db_url)  # opening the registry runs the pending migrations
    try:
        assert _version(registry.engine) == _head()
        after = {c["id"]: c for c in registry.list_centers()}
        assert set(after) == set(before)
        links = seed_site_ids()
        for center_id, old in before.items():
            new = dict(after[center_id])
            # 0004 links the seeded centers to their sites; the user's center stays unlinked.
            assert new.pop("site_id") == links.get(center_id)
            assert new == old
        assert after["alibaba-damo-academy-lab-moscow"]["site_id"] == "RUS-moscow"
        assert after["old-lab"]["site_id"] is None
        assert registry.kpi_values("old-lab") == [
            {"center_id": "old-lab", "year": 2021, "kpi": "patents", "value": 4.0,
             "unit": "patents"}
        ]  # fmt: skip
        assert registry.targets("old-lab")[0]["target"] == 6.0
        # The new column works on the upgraded database.
        added = registry.add_center(
            name="New Lab", iso3="HUN", mode="joint_lab", site_id="HUN-budapest"
        )
        assert registry.get_center(added["id"])["site_id"] == "HUN-budapest"
    finally:
        registry.dispose()


def test_downgrade_to_0002_keeps_kpis(db_url):
    registry = Registry(db_url)
    registry.add_center(name="New Lab", iso3="HUN", mode="joint_lab", site_id="HUN-budapest")
    registry.set_target("new-lab", "patents", 2)
    registry.dispose()
    engine = make_engine(db_url)  # on SQLite: foreign keys on, as in normal use
    try:
        cfg = alembic_config(db_url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        assert _version(engine) == "0002"
        assert "site_id" not in _columns(engine, "centers")
        with engine.connect() as conn:
            centers = conn.execute(sa.text("select count(*) from centers")).scalar()
            targets = conn.execute(sa.text("select count(*) from kpi_targets")).scalar()
        # No cascade through a rebuilt table.
        assert (centers, targets) == (len(snapshot_centers()) + 1, 1)
    finally:
        engine.dispose()


def test_a_site_the_user_set_survives_the_seed_links(db_url):
    engine = make_engine(db_url)
    upgrade_schema(engine, "0003")
    with engine.begin() as conn:
        conn.execute(sa.text("update centers set site_id = 'RUS-kazan' "
                             "where id = 'alibaba-damo-academy-lab-moscow'"))
    engine.dispose()
    registry = Registry(db_url)
    try:
        centers = {c["id"]: c for c in registry.list_centers()}
        assert centers["alibaba-damo-academy-lab-moscow"]["site_id"] == "RUS-kazan"
        assert centers["alibaba-damo-academy-lab-singapore"]["site_id"] == "SGP-singapore"
    finally:
        registry.dispose()


def _head() -> str:
    """The newest revision of the migrations (the registry's schema is always upgraded to it)."""
    from alembic.script import ScriptDirectory

    from oicplan.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head
