"""Where a serial is now, and every event that touched it: what ``custody where`` shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import Event, read_events
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import SerialNamed, event_ranges, events


@dataclass(frozen=True)
class Whereabouts:
    type: str
    serial: str
    box: str
    state: str
    office: str
    terminal: str | None
    licence_no: str | None
    void_reason: str | None
    history: tuple[Event, ...]


def where(ledger: Ledger, serial: str, *, type: str | None = None) -> Whereabouts:
    """The serial's current state and its history, oldest first."""
    with ledger.read() as connection:
        row = _ledger.certificate(connection, serial, type)
        history = tuple(
            event
            for event in read_events(connection, _mentioning(row.type_code, row.serial))
            if touches(event.payload, row.type_code, row.serial)
        )
    return Whereabouts(
        row.type_code,
        row.serial,
        row.box_no,
        row.state,
        row.office_code,
        row.terminal_code,
        row.licence_no,
        row.void_reason,
        history,
    )


def _mentioning(type_code: str, serial: str) -> ColumnElement[bool]:
    """Events that may touch ``serial``: those naming it as their one blank (found through the
    index of ``SerialNamed``), and those naming a range that holds it (``event_ranges``)."""
    r = event_ranges.c
    holding = select(r.seq).where(
        r.type_code == type_code, r.first_serial <= serial, r.last_serial >= serial
    )
    return or_(SerialNamed(events.c.payload) == serial, events.c.seq.in_(holding))


def touches(payload: dict[str, Any], type_code: str, serial: str) -> bool:
    """Whether an event's payload names this serial (fixed width: ranges compare as text)."""
    if "boxes" in payload:
        return any(
            box["type"] == type_code
            and box["first"] <= serial <= box["last"]
            and serial not in box["missing"]
            for box in payload["boxes"]
        )
    if payload.get("type") != type_code:
        return False
    if "serial" in payload:
        return bool(payload["serial"] == serial)
    return any(first <= serial <= last for first, last in payload.get("ranges", ()))
