"""Create the centers, kpi_values and kpi_targets tables.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centers",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_zh", sa.String(300), nullable=True),
        sa.Column("host_city", sa.String(200), nullable=True),
        sa.Column("iso3", sa.String(3), nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
        sa.Column("operator", sa.String(300), nullable=True),
        sa.Column("opening_year", sa.Integer, nullable=True),
        sa.Column("opening_year_text", sa.String(100), nullable=True),
        sa.Column("partners", sa.Text, nullable=True),
        sa.Column("type_text", sa.String(300), nullable=True),
        sa.Column("status", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("as_of", sa.String(40), nullable=True),
    )
    op.create_index("ix_centers_iso3", "centers", ["iso3"])
    op.create_table(
        "kpi_values",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "center_id",
            sa.String(80),
            sa.ForeignKey("centers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kpi", sa.String(60), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.UniqueConstraint("center_id", "year", "kpi", name="uq_kpi_values"),
    )
    op.create_index("ix_kpi_values_center_id", "kpi_values", ["center_id"])
    op.create_table(
        "kpi_targets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "center_id",
            sa.String(80),
            sa.ForeignKey("centers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kpi", sa.String(60), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("target", sa.Float, nullable=False),
        sa.UniqueConstraint("center_id", "kpi", "year", name="uq_kpi_targets"),
    )
    op.create_index("ix_kpi_targets_center_id", "kpi_targets", ["center_id"])


def downgrade() -> None:
    op.drop_table("kpi_targets")
    op.drop_table("kpi_values")
    op.drop_table("centers")
