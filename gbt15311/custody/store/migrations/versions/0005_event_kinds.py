"""An index of the events by kind and time.

``stock`` counts the licences each terminal printed in its recent window (days of cover):
with this index it reads that window's ``used`` events, not every event of the ledger.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_kind_at", "events", ["kind", "at"])
