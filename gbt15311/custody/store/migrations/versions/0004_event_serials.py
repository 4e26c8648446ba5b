"""An index of the serial each one-blank event names.

Most events move one blank and name it as ``"serial"`` in their payload; indexing that
expression lets ``where`` read a blank's own events (and the few naming ranges) instead of
every event of the ledger. The index is the database's, kept by it with every insert.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE INDEX ix_events_serial ON events (json_extract(payload, '$.serial'))")
    else:
        op.execute(
            "CREATE INDEX ix_events_serial ON events ((CAST(payload AS jsonb) ->> 'serial'))"
        )
