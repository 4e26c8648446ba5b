"""The state the events say the ledger is in, rebuilt in memory from the first event.

This is written apart from the operations on purpose (it imports none of them): ``verify``
compares what the events say with what the state tables say, so a bug or an edit in one shows
up against the other. Replay also refuses transitions the lifecycle table never allows, so a
forged event is caught even if someone recomputed the chain after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gbt15311.custody.lifecycle import (
    RULES,
    Kind,
    State,
    Transition,
    received_state,
    register_of,
)
from gbt15311.custody.store._events import Event
from gbt15311.custody.store._serials import SerialFormat, from_ranges


class ReplayError(Exception):
    """An event that cannot follow the ones before it."""


class Certificate(NamedTuple):
    """One blank as the events leave it: a tuple, so a stored row compares with it as is and
    the blanks of a box received together share one value."""

    box_no: str
    state: str
    office: str
    terminal: str | None
    licence_no: str | None
    void_reason: str | None
    seq: int


@dataclass
class Replay:
    """Registry, boxes and certificates as the events have left them."""

    types: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    offices: dict[str, str] = field(default_factory=dict)
    people: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    terminals: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    boxes: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    certificates: dict[tuple[str, str], Certificate] = field(default_factory=dict)
    sealed: dict[tuple[str, str], str] = field(default_factory=dict)
    """Voids sealed, with their register; sealing leaves the certificate's state as it is."""

    def apply(self, event: Event) -> None:
        try:
            self._apply(event.seq, Kind(event.kind), event.payload)
        except (KeyError, TypeError, ValueError) as error:
            raise ReplayError(f"its payload cannot be read ({error!r})") from None

    def _apply(self, seq: int, kind: Kind, p: dict[str, Any]) -> None:
        if kind is Kind.PERSON_ADDED:
            self.people[p["person"]] = (p["name"], p["office"], " ".join(p["roles"]))
        elif kind is Kind.OFFICE_ADDED:
            self.offices[p["office"]] = p["name"]
        elif kind is Kind.TERMINAL_ADDED:
            self.terminals[p["terminal"]] = (p["office"], p["name"], None)
        elif kind is Kind.TYPE_ADDED:
            self.types[p["type"]] = (p["name"], p["serial_width"], p["prefix"])
        elif kind is Kind.SHIPMENT_RECEIVED:
            self._receive(seq, p)
        elif kind is Kind.VOIDS_SEALED:
            self._seal(p)
        elif kind is Kind.DESTROYED:
            for key in self._serials(p):
                if self.sealed.get(key) != p["register"]:
                    raise ReplayError(f"serial {key[1]} is destroyed without being sealed")
        elif kind is Kind.VOID_REVERSED:
            for key in self._serials(p):
                if key in self.sealed:
                    raise ReplayError(f"serial {key[1]} is sealed; its void cannot be reversed")
        transition = RULES[kind].transition
        if transition is not None:
            self._move(seq, p, transition)
        if (hands := RULES[kind].hands) is not None:
            self._hand_to(p[hands[0]], p[hands[1]])

    def _format(self, type_code: str) -> SerialFormat:
        _name, width, prefix = self.types[type_code]
        return SerialFormat(prefix=prefix, width=width)

    def _receive(self, seq: int, p: dict[str, Any]) -> None:
        for box in p["boxes"]:
            type_code = box["type"]
            self.boxes[(type_code, box["box"])] = (p["shipment"], box["first"], box["last"])
            received = Certificate(
                box["box"], received_state(box["discrepancies"]), p["office"], None, None, None, seq
            )
            missing = set(box["missing"])
            for serial in self._format(type_code).expand(box["first"], box["last"]):
                if serial in missing:
                    continue
                if (type_code, serial) in self.certificates:
                    raise ReplayError(f"serial {serial} is received twice")
                self.certificates[(type_code, serial)] = received

    def _seal(self, p: dict[str, Any]) -> None:
        for key in self._serials(p):
            current = self.certificates.get(key)
            if current is None or current.state != State.VOID or key in self.sealed:
                raise ReplayError(f"serial {key[1]} is sealed but not an unsealed void")
            if register_of(current.void_reason) != p["register"]:
                raise ReplayError(f"serial {key[1]} is sealed in the wrong register")
            self.sealed[key] = p["register"]

    def _hand_to(self, terminal: str, receiver: str) -> None:
        office, name, _custodian = self.terminals[terminal]
        self.terminals[terminal] = (office, name, receiver)

    def _serials(self, p: dict[str, Any]) -> Iterator[tuple[str, str]]:
        type_code = p["type"]
        for serial in from_ranges(self._format(type_code), p["ranges"]):
            yield type_code, serial

    def _move(self, seq: int, p: dict[str, Any], transition: Transition) -> None:
        allowed = transition.allowed(p)
        changes = transition.changes(p)
        keys = [(p["type"], p["serial"])] if transition.one else self._serials(p)
        after: dict[Certificate, Certificate] = {}  # blanks alike before are alike after
        for key in keys:
            current = self.certificates.get(key)
            if current is None:
                raise ReplayError(f"serial {key[1]} of type {key[0]} was never received")
            if current.state not in allowed or not transition.returns_to(p, current.void_reason):
                raise ReplayError(
                    f"serial {key[1]} cannot go from {current.state} to {changes.get('state')}"
                )
            if current not in after:
                after[current] = current._replace(seq=seq, **changes)
            self.certificates[key] = after[current]
