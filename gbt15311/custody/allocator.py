"""The serial allocator that feeds the printer: reserve, then use or void.

``allocate`` reserves the lowest blank in a terminal's custody; the reservation ends only by
``use`` (the licence number printed on it) or ``void`` (with a reason). A crash between the
two leaves the reservation open, never silently released: ``open_reservations`` lists it, and
someone who looks at the paper resolves it. On PostgreSQL concurrent allocators skip rows
another transaction holds (``FOR UPDATE SKIP LOCKED``) instead of queueing for the same one;
on SQLite the up-front write lock serialises them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select, update

from gbt15311.custody import ledger as _ledger
from gbt15311.custody.events import Kind
from gbt15311.custody.ledger import Ledger
from gbt15311.custody.schema import State, certificates, events, terminals
from gbt15311.custody.serials import to_ranges
from gbt15311.custody.stock import rows_for
from gbt15311.exceptions import NoStock, Refused

VOID_REASONS: dict[str, tuple[State, ...]] = {
    "printing-fault": (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED),
    "fire": (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED),
    "water": (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED),
    "insects": (State.IN_STORE, State.SEALED, State.WITH_TERMINAL, State.RESERVED),
    "misprint": (State.RESERVED, State.USED),
    "not-collected": (State.USED,),
    "expired-edition": (State.IN_STORE, State.SEALED, State.WITH_TERMINAL),
}
"""Void reason codes (ours, after Art. 26 and 34) and the states each may void from.

``printing-fault`` is a fault of the blank as made (印制错误); ``misprint`` is our own print
gone wrong (打印错误); ``not-collected`` revokes a licence not collected within 20 working
days of issue.
"""

_LICENCE_NO = re.compile(r"\d{2}-\d{2}-\d{6}")


@dataclass(frozen=True)
class Reservation:
    """A blank reserved for printing, until it is used or voided."""

    type_code: str
    serial: str
    terminal: str
    actor: str
    at: str
    seq: int


def allocate(
    ledger: Ledger, terminal: str, *, type: str | None = None, by: str | None = None
) -> Reservation:
    """Reserve the lowest blank in ``terminal``'s custody (of ``type``, if it holds several)."""
    with ledger.write() as writer:
        connection = writer.connection
        row = _ledger.terminal(connection, terminal)
        actor = _actor(connection, by, row.custodian, terminal)
        query = (
            select(certificates.c.type_code, certificates.c.serial)
            .where(
                certificates.c.terminal_code == terminal,
                certificates.c.state == State.WITH_TERMINAL,
            )
            .order_by(certificates.c.type_code, certificates.c.serial)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if type is not None:
            query = query.where(certificates.c.type_code == type)
        chosen = connection.execute(query).first()
        if chosen is None:
            raise NoStock(f"terminal {terminal} has no blank left to print on")
        if type is None:
            _refuse_mixed_types(connection, terminal, chosen.type_code)
        seq = writer.append(
            Kind.RESERVED,
            actor,
            {"type": chosen.type_code, "serial": chosen.serial, "terminal": terminal},
        )
        connection.execute(
            update(certificates)
            .where(
                certificates.c.type_code == chosen.type_code,
                certificates.c.serial == chosen.serial,
            )
            .values(state=State.RESERVED, seq=seq)
        )
        at = connection.execute(select(events.c.at).where(events.c.seq == seq)).scalar_one()
    return Reservation(chosen.type_code, chosen.serial, terminal, actor, at, seq)


def use(
    ledger: Ledger,
    serial: str,
    *,
    licence_no: str,
    type: str | None = None,
    by: str | None = None,
) -> int:
    """Register that the reserved blank ``serial`` now carries licence ``licence_no``."""
    number = canonical_licence_no(licence_no)
    with ledger.write() as writer:
        connection = writer.connection
        row = _ledger.certificate(connection, serial, type, lock=True)
        if row.state != State.RESERVED:
            raise Refused(_not_reserved(row.serial, row.state, row.licence_no))
        custodian = connection.execute(
            select(terminals.c.custodian).where(terminals.c.code == row.terminal_code)
        ).scalar()
        actor = _actor(connection, by, custodian, row.terminal_code)
        printed_on = connection.execute(
            select(certificates.c.serial).where(
                and_(certificates.c.licence_no == number, certificates.c.state == State.USED)
            )
        ).scalar()
        if printed_on is not None:
            raise Refused(f"licence {number} is already printed on serial {printed_on}")
        seq = writer.append(
            Kind.USED,
            actor,
            {
                "type": row.type_code,
                "serial": row.serial,
                "terminal": row.terminal_code,
                "licence_no": number,
            },
        )
        connection.execute(
            update(certificates)
            .where(certificates.c.type_code == row.type_code, certificates.c.serial == row.serial)
            .values(state=State.USED, licence_no=number, seq=seq)
        )
        return seq


def void(
    ledger: Ledger,
    serials: str | Sequence[str],
    *,
    reason: str,
    by: str,
    note: str = "",
    type: str | None = None,
) -> int:
    """Void blanks for ``reason`` (one of ``VOID_REASONS``): a spoilt reservation, a revoked
    licence, or stock destroyed in storage."""
    if reason not in VOID_REASONS:
        raise Refused(f"void reason {reason!r} is not one of {', '.join(VOID_REASONS)}")
    named = [serials] if isinstance(serials, str) else list(serials)
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.person(connection, by)
        rows = rows_for(connection, named, type)
        for row in rows:
            if row.state not in VOID_REASONS[reason]:
                raise Refused(
                    f"serial {row.serial} is {row.state}; it cannot be voided as {reason}"
                )
        type_code = rows[0].type_code
        chosen = [row.serial for row in rows]
        seq = writer.append(
            Kind.VOIDED,
            by,
            {
                "type": type_code,
                "reason": reason,
                "note": note,
                "ranges": to_ranges(_ledger.serial_format(connection, type_code), chosen),
            },
        )
        _ledger.set_state(connection, type_code, chosen, seq, state=State.VOID, void_reason=reason)
        return seq


def open_reservations(ledger: Ledger, *, terminal: str | None = None) -> list[Reservation]:
    """Reservations neither used nor voided: after a crash, each needs a look at the paper."""
    query = (
        select(
            certificates.c.type_code,
            certificates.c.serial,
            certificates.c.terminal_code,
            events.c.actor,
            events.c.at,
            events.c.seq,
        )
        .join(events, events.c.seq == certificates.c.seq)
        .where(certificates.c.state == State.RESERVED)
        .order_by(events.c.seq)
    )
    if terminal is not None:
        query = query.where(certificates.c.terminal_code == terminal)
    with ledger.read() as connection:
        return [Reservation(*row) for row in connection.execute(query)]


def canonical_licence_no(value: str) -> str:
    """The licence number ``YY-OO-NNNNNN``, refused if it is not one."""
    number = value.strip()
    if not _LICENCE_NO.fullmatch(number):
        raise Refused(f"licence number {value!r} is not of the form YY-OO-NNNNNN")
    return number


def _actor(connection: Connection, by: str | None, custodian: str | None, terminal: str) -> str:
    """Who acts at a terminal: the person named, else the terminal's custodian."""
    if by is not None:
        _ledger.person(connection, by, "operator")
        return by
    if custodian is None:
        raise NoStock(f"terminal {terminal} has never been issued any blanks")
    return custodian


def _refuse_mixed_types(connection: Connection, terminal: str, type_code: str) -> None:
    other = connection.execute(
        select(certificates.c.type_code)
        .where(
            certificates.c.terminal_code == terminal,
            certificates.c.state == State.WITH_TERMINAL,
            certificates.c.type_code != type_code,
        )
        .limit(1)
    ).scalar()
    if other is not None:
        raise Refused(f"terminal {terminal} holds {type_code} and {other}; name the type")


def _not_reserved(serial: str, state: str, licence_no: str | None) -> str:
    if state == State.USED:
        return f"serial {serial} is already used, for licence {licence_no}"
    return f"serial {serial} is {state}, not reserved; allocate it first"
