"""Seed the centers from the snapshot of Zhejiang's overseas centers.

Seeding is a migration so it runs exactly once per database: centers a user
later deletes or edits are not brought back.

Revision ID: 0002
Revises: 0001
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from oicplan.store.seed import snapshot_centers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = (
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
)


def upgrade() -> None:
    centers = sa.table(
        "centers",
        *(sa.column(c, sa.Integer if c == "opening_year" else sa.Text) for c in _COLUMNS),
    )
    op.bulk_insert(centers, [{c: row[c] for c in _COLUMNS} for row in snapshot_centers()])


def downgrade() -> None:
    ids = [row["id"] for row in snapshot_centers()]
    centers = sa.table("centers", sa.column("id", sa.Text))
    op.execute(centers.delete().where(centers.c.id.in_(ids)))
