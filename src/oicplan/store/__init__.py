"""Storage of the registry of established overseas innovation centers.

SQLite by default, any SQLAlchemy URL via ``OICPLAN_DATABASE_URL``; the schema
is managed by Alembic migrations that run on first use.

>>> from oicplan.store import MODES
>>> "joint_lab" in MODES
True
"""

from oicplan.store.db import (
    DATABASE_URL_ENV,
    DatabaseUnavailableError,
    default_database_path,
    open_engine,
    resolve_database_url,
    upgrade_schema,
)
from oicplan.store.models import Center, KpiTarget, KpiValue
from oicplan.store.registry import FIRST_YEAR, Registry
from oicplan.store.seed import MODES, snapshot_centers

__all__ = [
    "DATABASE_URL_ENV",
    "FIRST_YEAR",
    "MODES",
    "Center",
    "DatabaseUnavailableError",
    "KpiTarget",
    "KpiValue",
    "Registry",
    "default_database_path",
    "open_engine",
    "resolve_database_url",
    "snapshot_centers",
    "upgrade_schema",
]
