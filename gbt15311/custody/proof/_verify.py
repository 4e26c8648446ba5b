"""Proof for an inspector: the chain is intact and the state is what the events say.

``verify`` recomputes every hash from the first event, then rebuilds the state from the
events in memory and compares it with the state tables, row by row. It names the first bad
event or the first row that differs. An edit that recomputes the whole chain after it is
only caught against a head hash kept elsewhere, so ``verify`` reports the head for offices to
note down (in the quarterly count, for instance).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select

from gbt15311.custody.proof._replay import Certificate, Replay, ReplayError
from gbt15311.custody.store._events import (
    GENESIS_HASH,
    Event,
    chain_hash,
    ranges_named,
    read_events,
)
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import (
    balances,
    boxes,
    certificate_types,
    certificates,
    chain_head,
    event_ranges,
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
        return verify_in(connection, read_events(connection))


def verify_in(
    connection: Connection, events: Iterable[Event], *, chained: bool = False
) -> Verified:
    """``verify`` of every event of the ledger, read in the snapshot of ``connection``:
    the self-check hands over the events it has read, their chain already checked
    (``chained``), so the history is read and hashed once."""
    replay = Replay()
    ranges: dict[tuple[int, int], tuple[str, str, str]] = {}
    expected_prev, count, last_at = GENESIS_HASH, 0, ""
    for event in events:
        count += 1
        where = f"event {event.seq} ({event.kind} by {event.actor} at {event.at})"
        if event.seq != count:
            raise LedgerCorrupt(f"event {count} is missing; the next is {event.seq}")
        if event.prev_hash != expected_prev:
            raise LedgerCorrupt(f"{where}: does not follow the event before it")
        if not chained and chain_hash(event.prev_hash, event.canonical()) != event.hash:
            raise LedgerCorrupt(f"{where}: its content does not match its hash")
        try:
            replay.apply(event)
        except ReplayError as error:
            raise LedgerCorrupt(f"{where}: {error}") from None
        for position, run in enumerate(ranges_named(event.payload)):
            ranges[(event.seq, position)] = run
        expected_prev, last_at = event.hash, event.at
    head = connection.execute(select(chain_head).where(chain_head.c.id == 1)).one()
    if (head.seq, head.hash, head.at) != (count, expected_prev, last_at):
        raise LedgerCorrupt(
            f"the chain head says event {head.seq} at {head.at or '-'}, "
            f"but the chain ends at event {count} at {last_at or '-'}"
        )
    _compare(connection, replay)
    _same_ranges(connection, ranges)
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
    c = certificates.c
    query = select(c.type_code, c.serial, c.box_no, c.state, c.office_code, c.terminal_code)
    stored_certificates = {  # tuples: as rebuilt
        (row[0], row[1]): row[2:]
        for row in _plain_rows(connection, query.add_columns(c.licence_no, c.void_reason, c.seq))
    }
    _same("serial", stored_certificates, replay.certificates, shown=_certificate)
    _same_balances(connection, replay)


def _plain_rows(connection: Connection, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` as the driver gives them, in the transaction's snapshot: plain
    tuples, without the per-row work of SQLAlchemy's ``Row`` (0.15 s of the 1 s that reading
    500,000 blanks takes)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(query.compile(connection)))  # a query without parameters
        while batch := cursor.fetchmany(5000):
            yield from batch
    finally:
        cursor.close()


def _same_balances(connection: Connection, replay: Replay) -> None:
    """The balances the triggers keep against the blanks the events leave in each state."""
    rebuilt = Counter(
        (key[0], certificate[2], certificate[1])  # type, office, state
        for key, certificate in replay.certificates.items()
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


def _same_ranges(
    connection: Connection, rebuilt: dict[tuple[int, int], tuple[str, str, str]]
) -> None:
    """The index of ranges ``where`` reads against the ranges the events name."""
    r = event_ranges.c
    query = select(r.seq, r.position, r.type_code, r.first_serial, r.last_serial)
    stored = {
        (seq, n): (code, first, last) for seq, n, code, first, last in connection.execute(query)
    }
    if stored == rebuilt:
        return
    for key in sorted(stored.keys() | rebuilt.keys()):
        if stored.get(key) != rebuilt.get(key):
            seq, position = key
            raise LedgerCorrupt(
                f"range {position + 1} of event {seq} in the index of ranges: the table says "
                f"{_run(stored.get(key))}, the events say {_run(rebuilt.get(key))}"
            )


def _run(run: tuple[str, str, str] | None) -> str:
    return "nothing" if run is None else f"{run[0]} {run[1]}..{run[2]}"


def _same(
    what: str,
    stored: dict[Any, Any],
    rebuilt: dict[Any, Any],
    shown: Callable[[Any], str] = repr,
) -> None:
    if stored == rebuilt:  # the usual case, decided without sorting every key
        return
    for key in sorted(stored.keys() | rebuilt.keys()):
        if stored.get(key) != rebuilt.get(key):
            raise LedgerCorrupt(
                f"{what} {_name(key)}: the state table says {_state(stored.get(key), shown)}, "
                f"the events say {_state(rebuilt.get(key), shown)}"
            )


def _name(key: Any) -> str:
    return " of type ".join(reversed(key)) if isinstance(key, tuple) else str(key)


def _state(value: Any, shown: Callable[[Any], str]) -> str:
    return "nothing" if value is None else shown(value)


def _certificate(value: tuple[Any, ...]) -> str:
    certificate = Certificate(*value)
    return (
        f"{certificate.state} (office {certificate.office}, terminal {certificate.terminal}, "
        f"licence {certificate.licence_no}, void reason {certificate.void_reason}, "
        f"event {certificate.seq})"
    )
