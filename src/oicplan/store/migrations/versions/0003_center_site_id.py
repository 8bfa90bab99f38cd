"""Link a center to a candidate site: add the nullable column centers.site_id.

Existing rows keep all their data and get a null ``site_id``; a plain
``ADD COLUMN`` of a nullable string works in place on SQLite and PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("centers", sa.Column("site_id", sa.String(80), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL drop a column in place. No batch rebuild: on
    # SQLite with foreign keys on, dropping and recreating ``centers`` would
    # cascade-delete the KPI values and targets.
    op.drop_column("centers", "site_id")
