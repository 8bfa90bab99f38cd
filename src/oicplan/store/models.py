"""SQLAlchemy models of the registry of established overseas innovation centers.

Three tables: ``centers`` (one row per center, keyed by a stable slug, optionally
linked to a candidate site by ``site_id``),
``kpi_values`` (one value per center, year and KPI) and ``kpi_targets`` (a target
per center and KPI, for one year or, with ``year`` null, for every year).
Revision 0006 adds the web app's ``scenarios`` and ``scenario_versions``,
``runs``, ``panels`` and ``panel_judgments`` (docs/store.md).
The schema is created by the Alembic migrations in ``oicplan/store/migrations``,
never by ``create_all``, so databases on every machine share one history.

>>> {'centers', 'kpi_targets', 'kpi_values', 'users'} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "Center", "KpiValue", "KpiTarget", "CENTER_COLUMNS", "ROLES", "User",
           "StoredScenario", "ScenarioVersion", "Run", "Panel", "PanelJudgment"]

CENTER_COLUMNS = (
    "id",
    "name",
    "name_zh",
    "host_city",
    "iso3",
    "mode",
    "operator",
    "opening_year",
    "opening_year_text",
    "partners",
    "type_text",
    "status",
    "source",
    "as_of",
    "site_id",
)
"""Column order used when centers are listed or exported (``site_id`` last: added in 0003)."""


class Base(DeclarativeBase):
    """Declarative base of the registry tables."""


class Center(Base):
    """An established overseas innovation center."""

    __tablename__ = "centers"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    host_city: Mapped[str | None] = mapped_column(String(200))
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    mode: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str | None] = mapped_column(String(300))
    opening_year: Mapped[int | None] = mapped_column(Integer)
    # The source often gives no clean year ("2018 or earlier"); keep its words.
    opening_year_text: Mapped[str | None] = mapped_column(String(100))
    partners: Mapped[str | None] = mapped_column(Text)
    type_text: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[str | None] = mapped_column(String(40))
    # Candidate site of the planning dataset (``sites.csv``) where the center is,
    # e.g. "DEU-raunheim"; optional, added by migration 0003.
    site_id: Mapped[str | None] = mapped_column(String(80))

    def to_dict(self) -> dict:
        """The center as a plain dictionary in :data:`CENTER_COLUMNS` order."""
        return {c: getattr(self, c) for c in CENTER_COLUMNS}


class KpiValue(Base):
    """A reported KPI value of a center in a year."""

    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("center_id", "year", "kpi", name="uq_kpi_values"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("centers.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    kpi: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))


class KpiTarget(Base):
    """A KPI target of a center; ``year`` null means every year."""

    __tablename__ = "kpi_targets"
    __table_args__ = (UniqueConstraint("center_id", "kpi", "year", name="uq_kpi_targets"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("centers.id", ondelete="CASCADE"), index=True
    )
    kpi: Mapped[str] = mapped_column(String(60))
    year: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[float] = mapped_column(Float)



# -- scenarios, runs and expert panels (revision 0006; see docs/store.md) -----------------
# People are referenced by their user name (``users.name``), not by a foreign key:
# a scenario's history keeps its authors even when a user is removed.


class StoredScenario(Base):
    """A scenario saved in the database; its YAML lives in :class:`ScenarioVersion` rows."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("name", name="uq_scenarios_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


class ScenarioVersion(Base):
    """One saved version of a stored scenario; versions are numbered 1, 2, ... and never change.

    The unique (scenario, version) pair is what refuses the second of two saves
    made from the same base version, on every backend.
    """

    __tablename__ = "scenario_versions"
    __table_args__ = (
        UniqueConstraint("scenario_id", "version", name="uq_scenario_versions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    message: Mapped[str | None] = mapped_column(String(500))


class Run(Base):
    """A job (plan, ranking, sensitivity, optimize): inputs, status, progress, results."""

    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(
            "kind in ('plan', 'ranking', 'sensitivity', 'optimize')", name="ck_runs_kind"
        ),
        CheckConstraint(
            "status in ('queued', 'running', 'done', 'failed', 'cancelled')",
            name="ck_runs_status",
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    inputs: Mapped[dict] = mapped_column(JSON)
    scenario: Mapped[str | None] = mapped_column(String(120))
    scenario_version: Mapped[int | None] = mapped_column(Integer)
    dataset_version: Mapped[str | None] = mapped_column(String(80))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(String(500))
    results: Mapped[dict | None] = mapped_column(JSON)
    report_files: Mapped[list] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(80))
    # The server process that owns the run (host:pid:token) and its last sign of life.
    owner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[_dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    started_at: Mapped[_dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[_dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Panel(Base):
    """An expert panel: the criteria (pillar ids) its experts compare pairwise."""

    __tablename__ = "panels"
    __table_args__ = (UniqueConstraint("name", name="uq_panels_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(300))
    criteria: Mapped[list] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


class PanelJudgment(Base):
    """One expert's AHP pairwise matrix over the panel's criteria (a new answer replaces it)."""

    __tablename__ = "panel_judgments"
    __table_args__ = (UniqueConstraint("panel_id", "expert", name="uq_panel_judgments"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    panel_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    expert: Mapped[str] = mapped_column(String(80))
    matrix: Mapped[list] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))


ROLES = ("viewer", "editor", "admin")
"""User roles, least to most allowed: viewers read, editors also write, admins also manage users."""


class User(Base):
    """A person who signs in to the web app and the API (added by migration 0005).

    ``password_hash`` is an argon2 hash (see :mod:`oicplan.store.users`), never the
    password; ``created_at`` is in UTC; an inactive user cannot sign in.
    """

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("name", name="uq_users_name"),
        CheckConstraint("role in ('viewer', 'editor', 'admin')", name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
