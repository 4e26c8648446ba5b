"""Moving blanks between terminals, back to the store and between offices; losses; counts.

Transfers between terminals of one office are the office's own business (Art. 29); between
offices they need a bureau approval (Art. 28). A lost serial (Art. 30) stays lost, even if the
paper turns up later. A count (Art. 31) records the ledger's figure beside the one found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from gbt15311.custody.lifecycle import AT_TERMINAL, IN_STORE, RULES, Kind
from gbt15311.custody.store import ledger as _ledger
from gbt15311.custody.store.ledger import Ledger
from gbt15311.custody.store.schema import balances, certificates, terminals
from gbt15311.exceptions import Refused

MOST_BLANKS = 10**6
"""More blanks than any office holds: a larger count is a slip of the keyboard."""


def checked_count(value: int, what: str, *, least: int = 1) -> int:
    """``value`` if it is a whole number of blanks from ``least`` to ``MOST_BLANKS``; checked
    here, before the database sees it (a negative LIMIT means "all" to SQLite)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"{what} must be a whole number, not {type(value).__name__}")
    if not least <= value <= MOST_BLANKS:
        shown = str(value) if abs(value) <= 10**30 else "a number of more than 30 digits"
        raise Refused(f"{what} must be {least} to {MOST_BLANKS:,}, not {shown}")
    return value


def return_to_store(
    ledger: Ledger,
    *,
    terminal: str,
    by: str,
    handed_by: str,
    serials: Sequence[str] | None = None,
    type: str | None = None,
) -> tuple[str, ...]:
    """Take blanks back from a terminal into the store (all of them unless ``serials``)."""
    if by == handed_by:
        raise Refused(f"keeper and operator must be different people, both are {by!r}")
    with ledger.write() as writer:
        connection = writer.connection
        here = [_ledger.terminal(connection, terminal).office_code]
        rule = RULES[Kind.RETURNED_TO_STORE]
        _ledger.person(connection, by, *rule.actor, offices=here)
        _ledger.person(connection, handed_by, *rule.parties["handed_by"], offices=here)
        type_code = _ledger.type_code(connection, type)
        chosen = _terminal_stock(connection, type_code, terminal, serials, None)
        payload = {
            "type": type_code,
            "terminal": terminal,
            "handed_by": handed_by,
            "ranges": _ledger.ranges(connection, type_code, chosen),
        }
        seq = writer.append(Kind.RETURNED_TO_STORE, by, payload)
        _ledger.move(connection, Kind.RETURNED_TO_STORE, payload, chosen, seq)
        return tuple(chosen)


def transfer(
    ledger: Ledger,
    *,
    source: str,
    target: str,
    by: str,
    receiver: str,
    serials: Sequence[str] | None = None,
    count: int | None = None,
    type: str | None = None,
) -> tuple[str, ...]:
    """Move blanks between two terminals of one office (Art. 29): named serials, the lowest
    ``count``, or all."""
    if count is not None:
        checked_count(count, "the count of blanks to transfer")
    with ledger.write() as writer:
        connection = writer.connection
        source_row = _ledger.terminal(connection, source)
        target_row = _ledger.terminal(connection, target)
        if source == target:
            raise Refused(f"terminal {source} cannot transfer to itself")
        if source_row.office_code != target_row.office_code:
            raise Refused(
                f"terminals {source} and {target} belong to different offices; "
                "transfer to the office store first"
            )
        rule = RULES[Kind.TRANSFERRED]
        _ledger.person(connection, by, *rule.actor, offices=[source_row.office_code])
        _ledger.person(
            connection, receiver, *rule.parties["receiver"], offices=[target_row.office_code]
        )
        type_code = _ledger.type_code(connection, type)
        chosen = _terminal_stock(connection, type_code, source, serials, count)
        payload = {
            "type": type_code,
            "source": source,
            "target": target,
            "receiver": receiver,
            "ranges": _ledger.ranges(connection, type_code, chosen),
        }
        seq = writer.append(Kind.TRANSFERRED, by, payload)
        _ledger.move(connection, Kind.TRANSFERRED, payload, chosen, seq)
        connection.execute(
            update(terminals).where(terminals.c.code == target).values(custodian=receiver)
        )
        return tuple(chosen)


def transfer_to_office(
    ledger: Ledger,
    *,
    serials: Sequence[str],
    to_office: str,
    approval: str,
    by: str,
    type: str | None = None,
) -> int:
    """Lend store blanks to another office of this ledger, under a bureau approval (Art. 28)."""
    if not approval.strip():
        raise Refused("a transfer between offices needs the bureau's approval reference")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.office(connection, to_office)
        type_code = _ledger.type_code(connection, type)
        rows = _ledger.certificates_in(connection, type_code, sorted(set(serials)))
        source = {row.office_code for row in rows}
        _ledger.person(connection, by, *RULES[Kind.TRANSFERRED_OFFICE].actor, offices=source)
        for row in rows:
            if row.state not in RULES[Kind.TRANSFERRED_OFFICE].moves().sources:
                raise Refused(f"serial {row.serial} is {row.state}, not in store")
        if len(source) > 1 or to_office in source:
            raise Refused(f"the serials must all be in one office's store other than {to_office}")
        chosen = [row.serial for row in rows]
        payload = {
            "type": type_code,
            "source": source.pop(),
            "target": to_office,
            "approval": approval,
            "ranges": _ledger.ranges(connection, type_code, chosen),
        }
        seq = writer.append(Kind.TRANSFERRED_OFFICE, by, payload)
        _ledger.move(connection, Kind.TRANSFERRED_OFFICE, payload, chosen, seq)
        return seq


def report_loss(
    ledger: Ledger, serials: Sequence[str], *, by: str, note: str, type: str | None = None
) -> int:
    """Record blanks as lost (Art. 30); they can never be used afterwards."""
    if not note.strip():
        raise Refused("a loss report needs a note saying what happened")
    with ledger.write() as writer:
        connection = writer.connection
        rows = rows_for(connection, serials, type)
        losing = RULES[Kind.LOST]
        _ledger.person(connection, by, *losing.actor, offices={row.office_code for row in rows})
        for row in rows:
            if row.state not in losing.moves().sources:
                raise Refused(f"serial {row.serial} is {row.state}; it cannot be lost")
        type_code = rows[0].type_code
        chosen = [row.serial for row in rows]
        payload = {
            "type": type_code,
            "note": note,
            "ranges": _ledger.ranges(connection, type_code, chosen),
        }
        seq = writer.append(Kind.LOST, by, payload)
        _ledger.move(connection, Kind.LOST, payload, chosen, seq)
        return seq


@dataclass(frozen=True)
class Count:
    """A physical count against the ledger's balance (Art. 31)."""

    expected: int
    counted: int
    seq: int

    @property
    def difference(self) -> int:
        return self.counted - self.expected


def record_count(
    ledger: Ledger,
    *,
    office: str,
    counted: int,
    by: str,
    terminal: str | None = None,
    type: str | None = None,
    note: str = "",
) -> Count:
    """Record a physical count of a store (sealed boxes included) or of a terminal."""
    checked_count(counted, "the blanks counted", least=0)
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.office(connection, office)
        _ledger.person(connection, by, *RULES[Kind.COUNTED].actor, offices=[office])
        type_code = _ledger.type_code(connection, type)
        query = select(func.count()).where(
            certificates.c.type_code == type_code, certificates.c.office_code == office
        )
        if terminal is None:
            query = query.where(certificates.c.state.in_(IN_STORE))
        else:
            if _ledger.terminal(connection, terminal).office_code != office:
                raise Refused(f"terminal {terminal} is not a terminal of office {office}")
            query = query.where(
                certificates.c.terminal_code == terminal,
                certificates.c.state.in_(AT_TERMINAL),
            )
        expected = connection.execute(query).scalar_one()
        seq = writer.append(
            Kind.COUNTED,
            by,
            {
                "type": type_code,
                "office": office,
                "terminal": terminal,
                "counted": counted,
                "expected": expected,
                "note": note,
            },
        )
        return Count(expected=expected, counted=counted, seq=seq)


def stock(
    ledger: Ledger, *, office: str | None = None, terminal: str | None = None
) -> dict[str, Counter[str]]:
    """Blanks per type and state (optionally of one office): the ledger's balance; with
    ``terminal``, the blanks that terminal holds."""
    if terminal is not None:
        return _terminal_balance(ledger, terminal)
    query = (
        select(balances.c.type_code, balances.c.state, func.sum(balances.c.count))
        .where(balances.c.count > 0)
        .group_by(balances.c.type_code, balances.c.state)
    )
    if office is not None:
        query = query.where(balances.c.office_code == office)
    balance: dict[str, Counter[str]] = {}
    with ledger.read() as connection:
        for type_code, state, number in connection.execute(query):
            balance.setdefault(type_code, Counter())[state] = number
    return balance


def _terminal_balance(ledger: Ledger, terminal: str) -> dict[str, Counter[str]]:
    query = (
        select(certificates.c.type_code, certificates.c.state, func.count())
        .where(certificates.c.terminal_code == terminal, certificates.c.state.in_(AT_TERMINAL))
        .group_by(certificates.c.type_code, certificates.c.state)
    )
    balance: dict[str, Counter[str]] = {}
    with ledger.read() as connection:
        known = connection.execute(select(terminals.c.code).where(terminals.c.code == terminal))
        if known.first() is None:
            raise Refused(f"terminal {terminal!r} is not registered")
        for type_code, state, number in connection.execute(query):
            balance.setdefault(type_code, Counter())[state] = number
    return balance


_LEAVING_TERMINAL = RULES[Kind.RETURNED_TO_STORE].moves().sources
"""The unused blanks a terminal holds, which it may hand back or pass on."""


def rows_for(connection: Connection, serials: Sequence[str], type: str | None) -> list[Row[Any]]:
    """The certificates named, locked; without a type, the first serial's type for all."""
    if not serials:
        raise Refused("name at least one serial")
    type_code = type if type is not None else _ledger.certificate(connection, serials[0]).type_code
    return _ledger.certificates_in(connection, type_code, sorted(set(serials)))


def _terminal_stock(
    connection: Connection,
    type_code: str,
    terminal: str,
    serials: Sequence[str] | None,
    count: int | None,
) -> list[str]:
    if serials is not None:
        rows = _ledger.certificates_in(connection, type_code, sorted(set(serials)))
        for row in rows:
            if row.terminal_code != terminal or row.state not in _LEAVING_TERMINAL:
                raise Refused(f"serial {row.serial} is not unused with terminal {terminal}")
        return [row.serial for row in rows]
    query = (
        select(certificates.c.serial)
        .where(
            certificates.c.type_code == type_code,
            certificates.c.terminal_code == terminal,
            certificates.c.state.in_(_LEAVING_TERMINAL),
        )
        .order_by(certificates.c.serial)
        .with_for_update()
    )
    if count is not None:
        query = query.limit(count)
    chosen = list(connection.execute(query).scalars())
    if not chosen or (count is not None and len(chosen) < count):
        raise Refused(f"terminal {terminal} holds {len(chosen)} unused blanks of {type_code}")
    return chosen
