"""Create the scenarios, scenario_versions, runs, panels and panel_judgments tables.

Stored scenarios keep every saved version (YAML text, author, time); the unique
(scenario_id, version) pair refuses the second of two saves from the same base.
Runs are the jobs of the web app (plan, ranking, sensitivity, optimize) with their
inputs, status, progress, results and report files. Expert panels hold the
criteria (pillar ids) and one AHP pairwise matrix per expert. People are named by
their user name (``users.name``), without a foreign key, so history outlives a
removed user. See docs/store.md.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_scenarios_name"),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "scenario_id",
            sa.Integer,
            sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("yaml_text", sa.Text, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("message", sa.String(500), nullable=True),
        sa.UniqueConstraint("scenario_id", "version", name="uq_scenario_versions"),
    )
    op.create_index("ix_scenario_versions_scenario_id", "scenario_versions", ["scenario_id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("scenario", sa.String(120), nullable=True),
        sa.Column("scenario_version", sa.Integer, nullable=True),
        sa.Column("dataset_version", sa.String(80), nullable=True),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("message", sa.String(500), nullable=True),
        sa.Column("results", sa.JSON, nullable=True),
        sa.Column("report_files", sa.JSON, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("heartbeat_at", _TZ, nullable=True),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("started_at", _TZ, nullable=True),
        sa.Column("finished_at", _TZ, nullable=True),
        sa.CheckConstraint(
            "kind in ('plan', 'ranking', 'sensitivity', 'optimize')", name="ck_runs_kind"
        ),
        sa.CheckConstraint(
            "status in ('queued', 'running', 'done', 'failed', 'cancelled')",
            name="ck_runs_status",
        ),
    )
    op.create_index("ix_runs_status", "runs", ["status"])
    op.create_index("ix_runs_created_at", "runs", ["created_at"])
    op.create_table(
        "panels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_panels_name"),
    )
    op.create_table(
        "panel_judgments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "panel_id", sa.Integer, sa.ForeignKey("panels.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("expert", sa.String(80), nullable=False),
        sa.Column("matrix", sa.JSON, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("panel_id", "expert", name="uq_panel_judgments"),
    )
    op.create_index("ix_panel_judgments_panel_id", "panel_judgments", ["panel_id"])


def downgrade() -> None:
    op.drop_table("panel_judgments")
    op.drop_table("panels")
    op.drop_table("runs")
    op.drop_table("scenario_versions")
    op.drop_table("scenarios")
