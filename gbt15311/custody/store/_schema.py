"""The custody tables, one schema for SQLite and PostgreSQL.

``events`` is the record: append-only and hash-chained, guarded by triggers that refuse
UPDATE, DELETE (and on PostgreSQL TRUNCATE). ``chain_head`` holds the last event's sequence
number, hash and time (empty before the first event); writers lock it so the chain stays linear
and its times never go back. ``balances`` counts the blanks per type, office and state, kept
in step with ``certificates`` by triggers; ``event_ranges`` indexes the ranges of serials each
event names, written with it. Every other table is current state, kept in step
with the events in the same transaction and rebuildable from them (``verify`` does so).
The Alembic migrations in ``migrations/`` create exactly these tables; a test compares them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from gbt15311.custody.lifecycle import State

__all__ = [
    "GENESIS_HASH",
    "SerialNamed",
    "State",
    "balances",
    "boxes",
    "certificate_types",
    "certificates",
    "chain_head",
    "event_ranges",
    "events",
    "metadata",
    "offices",
    "people",
    "terminals",
]

GENESIS_HASH = "0" * 64


metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("actor", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)


class SerialNamed(FunctionElement[str]):
    """The serial an event's payload names as ``"serial"`` (an event moving one blank), or
    NULL: indexed, so ``where`` finds a blank's events without reading the others."""

    type = String()
    name = "serial_named"
    inherit_cache = True


@compiles(SerialNamed, "sqlite")
def _serial_named_sqlite(element: SerialNamed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$.serial')"


@compiles(SerialNamed, "postgresql")
def _serial_named_postgresql(element: SerialNamed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS jsonb) ->> 'serial')"


Index("ix_events_serial", SerialNamed(events.c.payload))
Index("ix_events_kind_at", events.c.kind, events.c.at)

event_ranges = Table(
    "event_ranges",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("type_code", String(16), nullable=False),
    Column("first_serial", String(40), nullable=False),
    Column("last_serial", String(40), nullable=False),
    Index("ix_event_ranges_serials", "type_code", "first_serial", "last_serial", "seq"),
)
"""The runs of serials each event names as ranges (a receipt's boxes, an issue's ranges), in
the order its payload names them: written by the append with its event (migration 0006), so
``where`` reads the few events whose ranges hold its serial, not every event naming ranges;
``verify`` recomputes it from the events."""

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("at", String(32), nullable=False, server_default=""),
)

certificate_types = Table(
    "certificate_types",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("serial_width", Integer, nullable=False),
    Column("prefix", String(8), nullable=False),
)

offices = Table(
    "offices",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("office_code", String(32), ForeignKey("offices.code"), nullable=True),
    Column("roles", String(64), nullable=False),
)

terminals = Table(
    "terminals",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("office_code", String(32), ForeignKey("offices.code"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("custodian", String(32), ForeignKey("people.code"), nullable=True),
)

boxes = Table(
    "boxes",
    metadata,
    Column("type_code", String(16), ForeignKey("certificate_types.code"), primary_key=True),
    Column("box_no", String(32), primary_key=True),
    Column("shipment", String(64), nullable=False),
    Column("first_serial", String(40), nullable=False),
    Column("last_serial", String(40), nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    Column("type_code", String(16), ForeignKey("certificate_types.code"), primary_key=True),
    Column("serial", String(40), primary_key=True),
    Column("box_no", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("office_code", String(32), ForeignKey("offices.code"), nullable=False),
    Column("terminal_code", String(32), ForeignKey("terminals.code"), nullable=True),
    Column("licence_no", String(16), nullable=True),
    Column("void_reason", String(32), nullable=True),
    Column("seq", Integer, nullable=False),
    ForeignKeyConstraint(
        ["type_code", "box_no"], ["boxes.type_code", "boxes.box_no"], name="fk_certificates_box"
    ),
    Index("ix_certificates_custody", "terminal_code", "state", "type_code", "serial"),
    Index("ix_certificates_box", "type_code", "box_no", "state"),
    Index("ix_certificates_serial", "serial"),
    Index(
        "ix_certificates_reserved",
        "seq",
        sqlite_where=text(f"state = '{State.RESERVED}'"),
        postgresql_where=text(f"state = '{State.RESERVED}'"),
    ),
    Index(
        "uq_certificates_used_licence",
        "licence_no",
        unique=True,
        sqlite_where=text(f"state = '{State.USED}'"),
        postgresql_where=text(f"state = '{State.USED}'"),
    ),
)

balances = Table(
    "balances",
    metadata,
    Column("type_code", String(16), primary_key=True),
    Column("office_code", String(32), primary_key=True),
    Column("state", String(16), primary_key=True),
    Column("count", Integer, nullable=False),
)
"""Blanks per type, office and state, kept in step with ``certificates`` by triggers (see
migration 0003), so the balance is a few rows to read, not every blank to count."""
