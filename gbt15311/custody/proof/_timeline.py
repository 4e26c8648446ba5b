"""Every blank's story, folded from the events: where it is after each event, and each move.

The ledger's own ``replay`` rebuilds only the end state, for ``verify``; reports need each
transition with its date and event (a void's day starts its retention clock, a quarter's
flows are the moves inside it), so they fold the events again here, through the same
``lifecycle.RULES``. The fold trusts the
events (the chain is checked by ``source.read``; the rules by the operations and ``verify``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from gbt15311.custody.lifecycle import RULES, Kind, Transition, received_state
from gbt15311.custody.store._events import Event, china_date
from gbt15311.custody.store._serials import SerialFormat, from_ranges
from gbt15311.exceptions import CustodyError

Key = tuple[str, str]
"""``(type, serial)``."""


@dataclass(frozen=True, slots=True)
class Blank:
    """One blank after some event."""

    box: str
    state: str
    office: str
    terminal: str | None = None
    licence_no: str | None = None
    void_reason: str | None = None


class Move(NamedTuple):
    """One blank changed by one event: ``before`` is ``None`` when it was received. A tuple:
    a fold of a big ledger makes one per blank received, and a tuple is the quickest made."""

    event: Event
    day: date
    key: Key
    before: Blank | None
    after: Blank


@dataclass(frozen=True, slots=True)
class Sealing:
    """Voids sealed together in a register (附件5 ``expired`` or 附件6 ``voids``)."""

    event: Event
    day: date
    register: str
    type: str
    office: str
    serials: tuple[str, ...]


@dataclass
class Timeline:
    """The blanks as the events have left them; ``moves`` yields each change on the way."""

    formats: dict[str, SerialFormat] = field(default_factory=dict)
    type_names: dict[str, str] = field(default_factory=dict)
    offices: dict[str, str] = field(default_factory=dict)
    people: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    terminals: dict[str, str] = field(default_factory=dict)
    blanks: dict[Key, Blank] = field(default_factory=dict)
    sealings: list[Sealing] = field(default_factory=list)
    sealed: dict[Key, Sealing] = field(default_factory=dict)
    destroyed: dict[Key, Event] = field(default_factory=dict)
    archived: dict[str, Event] = field(default_factory=dict)
    """Receipts archived, by shipment."""

    def run(self, events: Iterable[Event]) -> Iterator[Move]:
        """Apply ``events`` in order, yielding every blank each one changed."""
        for event in events:
            yield from self._apply(event)

    def settle(self, events: Iterable[Event]) -> Timeline:
        """Apply ``events`` without looking at the moves (a receipt's are then never made:
        most of the blanks of a big ledger)."""
        for event in events:
            self._apply(event)
        return self

    def office(self, code: str | None) -> str:
        """``code`` if registered; when omitted, the only office."""
        if code is None and len(self.offices) == 1:
            return next(iter(self.offices))
        if code is None or code not in self.offices:
            known = ", ".join(sorted(self.offices)) or "none registered"
            given = "name the office" if code is None else f"office {code!r} is not registered"
            raise CustodyError(f"{given}; offices at the cut-off: {known}")
        return code

    def type_code(self, code: str | None) -> str:
        """``code`` if registered; when omitted, the only certificate type."""
        if code is None and len(self.formats) == 1:
            return next(iter(self.formats))
        if code is None or code not in self.formats:
            known = ", ".join(sorted(self.formats)) or "none registered"
            given = "name the type" if code is None else f"type {code!r} is not registered"
            raise CustodyError(f"{given}; certificate types at the cut-off: {known}")
        return code

    def _apply(self, event: Event) -> Iterable[Move]:
        """Apply ``event`` at once, and give the blanks it changed (made when looked at)."""
        p, kind = event.payload, event.kind
        if kind == Kind.PERSON_ADDED:
            self.people[p["person"]] = (p["name"], tuple(p["roles"]))
        elif kind == Kind.OFFICE_ADDED:
            self.offices[p["office"]] = p["name"]
        elif kind == Kind.TERMINAL_ADDED:
            self.terminals[p["terminal"]] = p["office"]
        elif kind == Kind.TYPE_ADDED:
            self.formats[p["type"]] = SerialFormat(prefix=p["prefix"], width=p["serial_width"])
            self.type_names[p["type"]] = p["name"]
        elif kind == Kind.SHIPMENT_RECEIVED:
            return self._receive(event)
        elif (transition := RULES[Kind(kind)].transition) is not None:
            return self._move(event, p, transition)
        elif kind == Kind.VOIDS_SEALED:
            serials = tuple(from_ranges(self.formats[p["type"]], p["ranges"]))
            sealing = Sealing(
                event, china_date(event.at), p["register"], p["type"], p["office"], serials
            )
            self.sealings.append(sealing)
            self.sealed.update(((p["type"], serial), sealing) for serial in serials)
        elif kind == Kind.RECEIPT_ARCHIVED:
            self.archived[p["shipment"]] = event
        return ()

    def _receive(self, event: Event) -> Iterable[Move]:
        p = event.payload
        day = china_date(event.at)
        received: list[tuple[list[Key], Blank]] = []
        for box in p["boxes"]:
            blank = Blank(box["box"], received_state(box["discrepancies"]), p["office"])
            missing = set(box["missing"])
            type_code = box["type"]
            keys = [
                (type_code, serial)
                for serial in self.formats[type_code].expand(box["first"], box["last"])
                if serial not in missing
            ]
            self.blanks.update(dict.fromkeys(keys, blank))  # the box's blanks share one
            received.append((keys, blank))
        return (Move(event, day, key, None, blank) for keys, blank in received for key in keys)

    def _move(self, event: Event, p: dict[str, Any], transition: Transition) -> list[Move]:
        values = transition.changes(p)
        day = china_date(event.at)
        if transition.one:
            key = (p["type"], p["serial"])
            before = self.blanks[key]
            after = self.blanks[key] = replace(before, **values)
            return [Move(event, day, key, before, after)]
        alike: dict[Blank, Blank] = {}  # blanks alike before the event are alike after it
        destroys = event.kind == Kind.DESTROYED
        moves = []
        for serial in from_ranges(self.formats[p["type"]], p["ranges"]):
            key = (p["type"], serial)
            if destroys:
                self.destroyed[key] = event
            before = self.blanks[key]
            if before not in alike:
                alike[before] = replace(before, **values)
            after = self.blanks[key] = alike[before]
            moves.append(Move(event, day, key, before, after))
        return moves
