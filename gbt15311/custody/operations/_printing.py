"""The serial allocator that feeds the printer: reserve, then use or void.

``allocate`` reserves the lowest blank in a terminal's custody; the reservation ends only by
``use`` (the licence number printed on it) or ``void`` (with a reason). A crash between the
two leaves the reservation open, never silently released: ``open_reservations`` lists it, and
someone who looks at the paper resolves it. On PostgreSQL concurrent allocators skip rows
another transaction holds (``FOR UPDATE SKIP LOCKED``) instead of queueing for the same one;
on SQLite the up-front write lock serialises them. On PostgreSQL the common case of
``allocate`` and ``use`` is one statement that commits itself (``at_once``); the transactions
here are the general path, which also says why anything is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

import gbt15311.custody.operations._at_once as at_once
import gbt15311.custody.proof._editions as editions
from gbt15311.custody import lifecycle
from gbt15311.custody.lifecycle import (
    EXPIRED_EDITION,
    NOT_COLLECTED,
    RULES,
    VOID_APPROVAL,
    VOID_REASONS,
    Kind,
)
from gbt15311.custody.operations._movements import rows_for
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import CHINA, china_date, moment
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import State, certificates, events, terminals
from gbt15311.custody.workdays import WorkingCalendar, collection_deadline, default_calendar
from gbt15311.exceptions import NoStock, Refused, ValidationError

_VOIDING = RULES[Kind.VOIDED]


@dataclass(frozen=True)
class Reservation:
    """A blank reserved for printing, until it is used or voided: its type and serial, the
    terminal and person it is reserved for, when (UTC), and the event that reserved it."""

    type: str
    serial: str
    terminal: str
    actor: str
    at: datetime
    seq: int


_RESERVING = RULES[Kind.RESERVED].moves()
_USING = RULES[Kind.USED].moves()
_CUSTODIAN = select(terminals.c.custodian).where(terminals.c.code == bindparam("terminal"))
_NEXT_BLANK = (
    select(certificates.c.type_code, certificates.c.serial)
    .where(
        certificates.c.terminal_code == bindparam("terminal"),
        certificates.c.state.in_(_RESERVING.sources),
    )
    .order_by(certificates.c.type_code, certificates.c.serial)
    .limit(1)
    .with_for_update(skip_locked=True)
)
_NEXT_BLANK_OF_TYPE = _NEXT_BLANK.where(certificates.c.type_code == bindparam("type"))
_OTHER_TYPE = (
    select(certificates.c.type_code)
    .where(
        certificates.c.terminal_code == bindparam("terminal"),
        certificates.c.state.in_(_RESERVING.sources),
        certificates.c.type_code > bindparam("type"),
    )
    .limit(1)
)
"""Another type in the terminal's custody; only higher ones can exist, the lowest was chosen
(and ``>`` is an index seek where ``!=`` would scan the whole stock)."""
_BLANK = (
    select(
        certificates.c.type_code,
        certificates.c.serial,
        certificates.c.state,
        certificates.c.licence_no,
        certificates.c.terminal_code,
        terminals.c.custodian,
    )
    .select_from(certificates.outerjoin(terminals))
    .where(certificates.c.serial == bindparam("serial"))
    .with_for_update(of=certificates)
)
_BLANK_OF_TYPE = _BLANK.where(certificates.c.type_code == bindparam("type"))
_PRINTED_ON = select(certificates.c.serial).where(
    certificates.c.licence_no == bindparam("licence_no"), certificates.c.state == State.USED
)
# The statements of the hot path are built once: building costs more than running them.


def allocate(
    ledger: Ledger, terminal: str, *, type: str | None = None, by: str | None = None
) -> Reservation:
    """Reserve the lowest blank in ``terminal``'s custody (of ``type``, if it holds several)."""
    if ledger.engine.dialect.name == "postgresql":
        reserved = at_once.allocate(ledger, terminal, type, by)
        if reserved is not None:
            return Reservation(
                reserved.type_code,
                reserved.serial,
                terminal,
                reserved.actor,
                moment(reserved.at),
                reserved.seq,
            )
    with ledger.write() as writer:
        connection = writer.connection
        custodian = connection.execute(_CUSTODIAN, {"terminal": terminal}).first()
        if custodian is None:
            raise Refused(f"terminal {terminal!r} is not registered")
        actor = _actor(connection, by, custodian.custodian, terminal)
        if type is None:
            chosen = connection.execute(_NEXT_BLANK, {"terminal": terminal}).first()
        else:
            chosen = connection.execute(
                _NEXT_BLANK_OF_TYPE, {"terminal": terminal, "type": type}
            ).first()
        if chosen is None:
            raise NoStock(f"terminal {terminal} has no blank left to print on")
        if type is None:
            other = connection.execute(
                _OTHER_TYPE, {"terminal": terminal, "type": chosen.type_code}
            ).scalar()
            if other is not None:
                raise Refused(
                    f"terminal {terminal} holds {chosen.type_code} and {other}; name the type"
                )
        seq = writer.append(
            Kind.RESERVED,
            actor,
            lifecycle.reserved(type=chosen.type_code, serial=chosen.serial, terminal=terminal),
        )
    return Reservation(
        chosen.type_code, chosen.serial, terminal, actor, moment(writer.last_at), seq
    )


def use(
    ledger: Ledger,
    serial: str,
    *,
    licence_no: str,
    type: str | None = None,
    by: str | None = None,
    terminal: str | None = None,
) -> int:
    """Register that the reserved blank ``serial`` now carries licence ``licence_no``;
    with ``terminal``, the blank must be reserved at that terminal. Returns the sequence
    number of the ``used`` event (what ``where`` and the registers cite)."""
    number = canonical_licence_no(licence_no)
    if ledger.engine.dialect.name == "postgresql":
        used = at_once.use(ledger, serial, number, type, by, terminal)
        if used is not None:
            return int(used.seq)
    with ledger.write() as writer:
        connection = writer.connection
        if type is None:
            rows = connection.execute(_BLANK, {"serial": serial}).all()
        else:
            rows = connection.execute(_BLANK_OF_TYPE, {"serial": serial, "type": type}).all()
        if len(rows) != 1:
            _ledger.certificate(connection, serial, type)  # raises: unknown or ambiguous
        row = rows[0]
        _refuse_elsewhere(row.serial, row.terminal_code, terminal)
        if row.state not in _USING.sources:
            raise Refused(_not_reserved(row.serial, row.state, row.licence_no))
        actor = _actor(connection, by, row.custodian, row.terminal_code)
        printed_on = connection.execute(_PRINTED_ON, {"licence_no": number}).scalar()
        if printed_on is not None:
            raise Refused(f"licence {number} is already printed on serial {printed_on}")
        return writer.append(
            Kind.USED,
            actor,
            lifecycle.used(
                type=row.type_code,
                serial=row.serial,
                terminal=row.terminal_code,
                licence_no=number,
            ),
        )


def void(
    ledger: Ledger,
    serials: str | Sequence[str],
    *,
    reason: str,
    by: str,
    note: str = "",
    type: str | None = None,
    terminal: str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: Mapping[str, tuple[str, ...]] = VOID_APPROVAL,
) -> int:
    """Void blanks for ``reason`` (one of ``VOID_REASONS``): a spoilt reservation, a revoked
    licence, or stock destroyed in storage; with ``terminal``, only blanks of that terminal.

    A reason the ``policy`` says needs a second person's approval is refused here: propose it
    (``voiding.propose_void``). A ``not-collected`` void is refused until the 20 working days
    to collect the licence have passed (``calendar``: the ``chinesecalendar`` one by default),
    naming the day it may. Returns the sequence number of the one ``voided`` event."""
    if reason in policy:
        raise Refused(
            f"a {reason} void takes effect only when a second person "
            f"({' or '.join(policy[reason])}) approves it: propose it instead"
        )
    with ledger.write() as writer:
        connection = writer.connection
        payload, chosen = checked_void(
            connection,
            serials,
            reason=reason,
            by=by,
            note=note,
            type=type,
            terminal=terminal,
            today=today_for(ledger, reason),
            calendar=calendar,
        )
        seq = writer.append(Kind.VOIDED, by, payload)
        _ledger.move(connection, Kind.VOIDED, payload, chosen, seq)
        return seq


def checked_void(
    connection: Connection,
    serials: str | Sequence[str],
    *,
    reason: str,
    by: str,
    note: str,
    type: str | None,
    terminal: str | None,
    today: date | None,
    calendar: WorkingCalendar | None,
) -> tuple[dict[str, Any], list[str]]:
    """The payload of a void of these blanks and their serials, once the table allows it:
    what a void and a void's proposal both check and record."""
    if reason not in VOID_REASONS:
        raise Refused(f"void reason {reason!r} is not one of {', '.join(VOID_REASONS)}")
    named = [serials] if isinstance(serials, str) else list(serials)
    rows = rows_for(connection, named, type)
    _ledger.person(connection, by, *_VOIDING.actor, offices={row.office_code for row in rows})
    allowed = _VOIDING.moves().allowed({"reason": reason})
    for row in rows:
        _refuse_elsewhere(row.serial, row.terminal_code, terminal)
        if row.state not in allowed:
            raise Refused(f"serial {row.serial} is {row.state}; it cannot be voided as {reason}")
        if today is not None:
            _refuse_before_collection_ends(connection, row, today, calendar)
    type_code = rows[0].type_code
    if reason == EXPIRED_EDITION and type_code not in editions.recorded(connection):
        raise Refused(
            f"no new edition of {type_code} is recorded: record the bureau's notice first "
            f"(custody edition {type_code} --starts DATE --notice REFERENCE --by HEAD)"
        )
    chosen = [row.serial for row in rows]
    payload = {
        "type": type_code,
        "reason": reason,
        "note": note,
        "ranges": _ledger.ranges(connection, type_code, chosen),
    }
    return payload, chosen


def today_for(ledger: Ledger, reason: str) -> date | None:
    """Today in China, for a void whose reason has a deadline to check."""
    return ledger.clock().astimezone(CHINA).date() if reason == NOT_COLLECTED else None


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
        return [
            Reservation(
                row.type_code, row.serial, row.terminal_code, row.actor, moment(row.at), row.seq
            )
            for row in connection.execute(query)
        ]


def canonical_licence_no(value: str) -> str:
    """The licence number in its canonical form ``YY-OO-NNNNNN``, refused if it is not one."""
    from gbt15311.codes import licence_no  # the code lists: not at every command's start

    try:
        return licence_no.validate(value)
    except ValidationError as error:
        raise Refused(str(error)) from None


def _actor(connection: Connection, by: str | None, custodian: str | None, terminal: str) -> str:
    """Who acts at a terminal: the person named, else the terminal's custodian."""
    if by is not None:
        here = [_ledger.terminal(connection, terminal).office_code]
        _ledger.person(connection, by, *RULES[Kind.RESERVED].actor, offices=here)
        return by
    if custodian is None:
        raise NoStock(f"terminal {terminal} has never been issued any blanks")
    return custodian


def _refuse_elsewhere(serial: str, holder: str | None, terminal: str | None) -> None:
    """Refuse a serial that is not in the custody of the terminal acting, if one is named."""
    if terminal is not None and holder != terminal:
        raise Refused(f"serial {serial} is not in the custody of terminal {terminal}")


def _refuse_before_collection_ends(
    connection: Connection, row: Row[Any], today: date, calendar: WorkingCalendar | None
) -> None:
    """A licence may be revoked as not collected only after the 20 working days to collect it
    (Art. 26), counted from the day it was printed, China time."""
    printed_at = connection.execute(select(events.c.at).where(events.c.seq == row.seq)).scalar_one()
    printed_on = china_date(printed_at)
    last_day = collection_deadline(printed_on, calendar or default_calendar())
    if today <= last_day:
        raise Refused(
            f"serial {row.serial} was printed on {printed_on.isoformat()}; a licence not "
            f"collected may be voided from {(last_day + timedelta(days=1)).isoformat()} "
            f"(Art. 26: 20 working days); it is {today.isoformat()}"
        )


def _not_reserved(serial: str, state: str, licence_no: str | None) -> str:
    if state == State.USED:
        return f"serial {serial} is already used, for licence {licence_no}"
    return f"serial {serial} is {state}, not reserved; allocate it first"
