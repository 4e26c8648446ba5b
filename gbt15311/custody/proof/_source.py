"""The events a report reads: those up to a cut-off, with the chain checked on the way.

A report is a pure function of these events, so the same cut-off gives the same report years
later. A cut-off is an event sequence number, or a date: the last event of that day in China
(UTC+8; events are stamped in UTC). The chain is recomputed up to the cut-off so a register
never pins a head hash the events do not lead to.

    >>> parse_cutoff("2026-03-31"), parse_cutoff("#120")
    (datetime.date(2026, 3, 31), 120)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from gbt15311.custody.lifecycle import YEARS, YEARS_SPAN
from gbt15311.custody.store._events import GENESIS_HASH, Event, chain_hash, china_date
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import events
from gbt15311.exceptions import CustodyError, LedgerCorrupt

Cutoff = date | int | None
"""A date (the end of that day in China), an event sequence number, or ``None`` for all."""
_LARGEST_SEQ = 2**31 - 1
"""The largest event number the events' column holds on both engines (a 32-bit integer on
PostgreSQL): a cut-off beyond it is beyond the ledger, and is refused as such, not sent to
the database."""


def parse_cutoff(text: str) -> date | int:
    """``YYYY-MM-DD`` or ``#SEQ`` (an event sequence number), as typed on the command line."""
    value = text.strip()
    if value.startswith("#"):
        digits = value[1:]
        if digits.isascii() and digits.isdigit():
            return int(digits)
        raise CustodyError(f"cut-off {text!r}: write an event number as #123")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CustodyError(
            f"cut-off {text!r} is neither a date (2026-03-31) nor an event number (#123)"
        ) from None
    if day.year not in YEARS:
        raise CustodyError(f"cut-off {text!r} is not a day of the years {YEARS_SPAN}")
    return day


@dataclass(frozen=True)
class Record:
    """The events up to a cut-off, and the sequence number and hash of the last of them."""

    events: tuple[Event, ...]
    seq: int
    head: str
    fault: str | None = None
    """The first break in the chain, when read without ``check``."""

    def through(self, day: date) -> Record:
        """The events up to the end of ``day``, when the cut-off is later than that."""
        kept = tuple(event for event in self.events if china_date(event.at) <= day)
        if len(kept) == len(self.events):
            return self
        return Record(kept, len(kept), kept[-1].hash if kept else GENESIS_HASH)


def read(ledger: Ledger, cutoff: Cutoff = None, *, check: bool = True) -> Record:
    """The events with ``seq`` up to the cut-off, their chain verified from the first:
    a break raises ``LedgerCorrupt``, or without ``check`` is noted in ``fault``."""
    with ledger.read() as connection:
        return read_in(connection, cutoff, check=check)


def read_in(connection: Connection, cutoff: Cutoff = None, *, check: bool = True) -> Record:
    """``read`` in the snapshot of ``connection`` (one of ``Ledger.read``), so a caller can
    compare the events with the state tables of the same moment."""
    query = select(events).order_by(events.c.seq)
    if isinstance(cutoff, int):
        if cutoff < 0:
            raise CustodyError(f"cut-off #{cutoff}: event numbers start at 1")
        query = query.where(events.c.seq <= min(cutoff, _LARGEST_SEQ))
    found: list[Event] = []
    prev = GENESIS_HASH
    fault = None
    for row in connection.execute(query).yield_per(2000):
        if isinstance(cutoff, date) and china_date(row.at) > cutoff:
            break
        try:
            payload = json.loads(row.payload)
        except ValueError:
            payload = {}
            fault = fault or f"event {row.seq}: payload is not JSON"
        event = Event(
            row.seq, row.at, row.kind, row.actor, payload, row.prev_hash, row.hash, row.payload
        )
        if row.seq != len(found) + 1 or row.prev_hash != prev:
            fault = fault or f"event {len(found) + 1}: the chain is broken there"
        elif chain_hash(prev, event.canonical()) != event.hash:
            fault = fault or f"event {row.seq}: its content does not match its hash"
        if fault and check:
            raise LedgerCorrupt(fault)
        found.append(event)
        prev = event.hash
    if isinstance(cutoff, int) and cutoff > len(found):
        raise CustodyError(f"cut-off #{cutoff}: the ledger has only {len(found)} events")
    return Record(tuple(found), len(found), prev, fault)
