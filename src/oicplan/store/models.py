"""SQLAlchemy models of the registry of established overseas innovation centers.

Three tables: ``centers`` (one row per center, keyed by a stable slug, optionally
linked to a candidate site by ``site_id``),
``kpi_values`` (one value per center, year and KPI) and ``kpi_targets`` (a target
per center and KPI, for one year or, with ``year`` null, for every year).
The schema is created by the Alembic migrations in ``oicplan/store/migrations``,
never by ``create_all``, so databases on every machine share one history.

>>> {'centers', 'kpi_targets', 'kpi_values', 'users'} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import (
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

__all__ = ["Base", "Center", "KpiValue", "KpiTarget", "CENTER_COLUMNS", "ROLES", "User"]

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
