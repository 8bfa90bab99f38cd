"""Create the users table: name, role, argon2 password hash, created time, active.

Users sign in to the web app and the REST API (issue 10). The name is unique;
the role is one of viewer, editor and admin (a check constraint, so a database
edited by hand cannot hold another); the password is stored only as an argon2
hash (:mod:`oicplan.store.users`). No user is seeded: an administrator creates
the first one with ``oicplan users add NAME --role admin``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.UniqueConstraint("name", name="uq_users_name"),
        sa.CheckConstraint("role in ('viewer', 'editor', 'admin')", name="ck_users_role"),
    )


def downgrade() -> None:
    op.drop_table("users")
