"""An index of the ranges of serials each event names.

Receipts, issue-outs, returns, range voids and the like name their blanks as ``[first,
last]`` ranges in their payload, which no expression index can reach. ``event_ranges`` holds
one row per range, written by the append with its event; ``where`` reads through it only the
events whose ranges hold its serial. Existing events are indexed here, by the same reading of
their payloads as ``events.ranges_named`` (written out again: a migration does not change
when the code does). ``verify`` recomputes the table from the events.

Revision ID: 0006
Revises: 0005
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _ranges(text: str) -> list[tuple[str, str, str]]:
    """The ranges an event's payload names; none when it cannot be read (``verify`` names
    such an event)."""
    try:
        payload: dict[str, Any] = json.loads(text)
        return _named(payload)
    except (AttributeError, KeyError, TypeError, ValueError):
        return []


def _named(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    if "boxes" in payload:
        return [(box["type"], box["first"], box["last"]) for box in payload["boxes"]]
    if "serial" in payload or "type" not in payload:
        return []
    return [(payload["type"], first, last) for first, last in payload.get("ranges", ())]


def upgrade() -> None:
    table = op.create_table(
        "event_ranges",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("position", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("type_code", sa.String(16), nullable=False),
        sa.Column("first_serial", sa.String(40), nullable=False),
        sa.Column("last_serial", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("seq", "position", name="pk_event_ranges"),
    )
    op.create_index(
        "ix_event_ranges_serials",
        "event_ranges",
        ["type_code", "first_serial", "last_serial", "seq"],
    )
    connection = op.get_bind()
    rows = [
        {"seq": seq, "position": n, "type_code": code, "first_serial": first, "last_serial": last}
        for seq, payload in connection.execute(sa.text("SELECT seq, payload FROM events"))
        for n, (code, first, last) in enumerate(_ranges(payload))
    ]
    if rows:
        op.bulk_insert(table, rows)
