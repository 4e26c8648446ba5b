"""The chain head keeps its event's time.

On PostgreSQL the append is one statement whose snapshot predates the head lock it waits for,
so it cannot read the newest event; the locked head row is read fresh, and with the time on it
each append keeps ``at`` from going back.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chain_head", sa.Column("at", sa.String(32), nullable=False, server_default=""))
    op.execute(
        "UPDATE chain_head SET at = COALESCE("
        "(SELECT at FROM events WHERE events.seq = chain_head.seq), '')"
    )
