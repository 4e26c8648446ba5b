"""The new editions the bureau has announced, read from the events: per certificate type,
the day its new edition starts (Art. 34). The latest ``edition_set`` of a type stands, so a
corrected notice is recorded as a new event, not an edit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from gbt15311.custody.lifecycle import Kind
from gbt15311.custody.store._events import Event, read_events
from gbt15311.custody.store._schema import events as stored


@dataclass(frozen=True)
class Edition:
    """A type's new edition: the day it starts, the bureau's notice, the event recording it."""

    type: str
    starts: date
    notice: str
    seq: int


def editions(events: Iterable[Event]) -> dict[str, Edition]:
    """The edition standing for each type among ``events``, by type."""
    found: dict[str, Edition] = {}
    for event in events:
        if event.kind == Kind.EDITION_SET:
            p = event.payload
            found[p["type"]] = Edition(
                p["type"], date.fromisoformat(p["starts"]), p["notice"], event.seq
            )
    return found


def recorded(connection: Connection) -> dict[str, Edition]:
    """The editions standing in the ledger, read on ``connection`` (inside a writer's
    transaction, for the operations that check them)."""
    return editions(read_events(connection, stored.c.kind == Kind.EDITION_SET))
