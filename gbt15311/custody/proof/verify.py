"""Proof for an inspector: the chain is intact and the state is what the events say.

``verify`` recomputes every hash from the first event, then rebuilds the state from the
events in memory and compares it with the state tables, row by row. It names the first bad
event or the first row that differs. An edit that recomputes the whole chain after it is
only caught against a head hash kept elsewhere, so ``verify`` reports the head for offices to
note down (in the quarterly count, for instance).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from gbt15311.custody.proof.replay import Certificate, Replay, ReplayError
from gbt15311.custody.store.events import GENESIS_HASH, chain_hash, read_events
from gbt15311.custody.store.ledger import Ledger
from gbt15311.custody.store.schema import (
    balances,
    boxes,
    certificate_types,
    certificates,
    chain_head,
    offices,
    people,
    terminals,
)
from gbt15311.exceptions import LedgerCorrupt


@dataclass(frozen=True)
class Verified:
    """A ledger that verified: how many events, and the head hash to note down."""

    events: int
    head: str
    certificates: int


def verify(ledger: Ledger) -> Verified:
    """Check the chain and the state; raises ``LedgerCorrupt`` naming the first fault."""
    with ledger.read() as connection:
        replay = Replay()
        expected_prev, count, last_at = GENESIS_HASH, 0, ""
        for event in read_events(connection):
            count += 1
            where = f"event {event.seq} ({event.kind} by {event.actor} at {event.at})"
            if event.seq != count:
                raise LedgerCorrupt(f"event {count} is missing; the next is {event.seq}")
            if event.prev_hash != expected_prev:
                raise LedgerCorrupt(f"{where}: does not follow the event before it")
            if chain_hash(event.prev_hash, event.canonical()) != event.hash:
                raise LedgerCorrupt(f"{where}: its content does not match its hash")
            try:
                replay.apply(event)
            except ReplayError as error:
                raise LedgerCorrupt(f"{where}: {error}") from None
            expected_prev, last_at = event.hash, event.at
        head = connection.execute(select(chain_head).where(chain_head.c.id == 1)).one()
        if (head.seq, head.hash, head.at) != (count, expected_prev, last_at):
            raise LedgerCorrupt(
                f"the chain head says event {head.seq} at {head.at or '-'}, "
                f"but the chain ends at event {count} at {last_at or '-'}"
            )
        _compare(connection, replay)
    return Verified(events=count, head=expected_prev, certificates=len(replay.certificates))


def _compare(connection: Connection, replay: Replay) -> None:
    tables: list[tuple[str, dict[Any, Any], Callable[[Any], tuple[Any, Any]]]] = [
        (
            "certificate type",
            replay.types,
            lambda r: (r.code, (r.name, r.serial_width, r.prefix)),
        ),
        ("office", replay.offices, lambda r: (r.code, r.name)),
        ("person", replay.people, lambda r: (r.code, (r.name, r.office_code, r.roles))),
        (
            "terminal",
            replay.terminals,
            lambda r: (r.code, (r.office_code, r.name, r.custodian)),
        ),
        (
            "box",
            replay.boxes,
            lambda r: ((r.type_code, r.box_no), (r.shipment, r.first_serial, r.last_serial)),
        ),
    ]
    for (what, rebuilt, row_of), table in zip(
        tables, (certificate_types, offices, people, terminals, boxes), strict=True
    ):
        stored = dict(row_of(row) for row in connection.execute(select(table)))
        _same(what, stored, rebuilt)
    stored_certificates = {
        (row.type_code, row.serial): Certificate(
            row.box_no,
            row.state,
            row.office_code,
            row.terminal_code,
            row.licence_no,
            row.void_reason,
            row.seq,
        )
        for row in connection.execute(select(certificates)).yield_per(5000)
    }
    _same("serial", stored_certificates, replay.certificates)
    _same_balances(connection, replay)


def _same_balances(connection: Connection, replay: Replay) -> None:
    """The balances the triggers keep against the blanks the events leave in each state."""
    rebuilt = Counter(
        (type_code, certificate.office, str(certificate.state))
        for (type_code, _serial), certificate in replay.certificates.items()
    )
    query = select(balances.c.type_code, balances.c.office_code, balances.c.state, balances.c.count)
    stored = {
        (type_code, office, state): n
        for type_code, office, state, n in connection.execute(query)
        if n
    }
    for key in sorted(stored.keys() | rebuilt.keys()):
        if stored.get(key, 0) != rebuilt.get(key, 0):
            type_code, office, state = key
            raise LedgerCorrupt(
                f"balance of {type_code} {state} in office {office}: the state table says "
                f"{stored.get(key, 0)}, the events say {rebuilt.get(key, 0)}"
            )


def _same(what: str, stored: dict[Any, Any], rebuilt: dict[Any, Any]) -> None:
    for key in sorted(stored.keys() | rebuilt.keys()):
        if stored.get(key) != rebuilt.get(key):
            raise LedgerCorrupt(
                f"{what} {_name(key)}: the state table says {_state(stored.get(key))}, "
                f"the events say {_state(rebuilt.get(key))}"
            )


def _name(key: Any) -> str:
    return " of type ".join(reversed(key)) if isinstance(key, tuple) else str(key)


def _state(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Certificate):
        return (
            f"{value.state} (office {value.office}, terminal {value.terminal}, "
            f"licence {value.licence_no}, void reason {value.void_reason}, event {value.seq})"
        )
    return repr(value)
