"""Void proposals still waiting for a second person: read from the events alone."""

from __future__ import annotations

from collections.abc import Iterable

from gbt15311.custody.lifecycle import Kind
from gbt15311.custody.store._events import Event

CLOSING = (Kind.VOIDED, Kind.VOID_DECLINED)
"""The kinds that close a proposal, by naming it in their payload's ``proposal``."""


def still_open(events: Iterable[Event]) -> dict[int, Event]:
    """The ``void_proposed`` events among ``events`` that no later approval (``voided``) or
    ``void_declined`` names, by sequence number, oldest first."""
    found: dict[int, Event] = {}
    for event in events:
        if event.kind == Kind.VOID_PROPOSED:
            found[event.seq] = event
        elif event.kind in CLOSING:
            found.pop(event.payload.get("proposal", 0), None)
    return found
