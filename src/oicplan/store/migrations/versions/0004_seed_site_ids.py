"""Link the seeded centers to their candidate sites (fill centers.site_id).

The 15 seeded centers came without ``site_id`` (revision 0003 added the column);
13 of them sit at a candidate site whose ``center_name`` names them
(:func:`oicplan.store.seed.seed_site_ids`). Only rows still without a site are
filled, so a link a user set with ``centers set-site`` is kept; user centers
are not touched. Downgrade empties exactly the links this revision would set.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from oicplan.store.seed import seed_site_ids

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    update = sa.text("update centers set site_id = :site where id = :id and site_id is null")
    for center_id, site_id in sorted(seed_site_ids().items()):
        op.execute(update.bindparams(site=site_id, id=center_id))


def downgrade() -> None:
    clear = sa.text("update centers set site_id = null where id = :id and site_id = :site")
    for center_id, site_id in sorted(seed_site_ids().items()):
        op.execute(clear.bindparams(site=site_id, id=center_id))
