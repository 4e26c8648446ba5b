"""Moving blanks between terminals, back to the store and between offices; losses; counts.

Transfers between terminals of one office are the office's own business (Art. 29); between
offices they need a bureau approval (Art. 28). A lost serial (Art. 30) stays lost, even if the
paper turns up later. A count (Art. 31) records the ledger's figure beside the one found; a
variance is counted again by others (``lifecycle.RECOUNTS``), and a terminal holding blanks
changes hands only after a handover count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, func, select, update

from gbt15311.custody.lifecycle import (
    AT_TERMINAL,
    CADENCES,
    HANDOVER,
    IN_STORE,
    RECOUNTS,
    RULES,
    Kind,
    State,
)
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._events import read_events
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import balances, certificates, events, terminals
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
        refuse_unhanded(connection, target, receiver)
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
    """A physical count against the ledger's balance (Art. 31): why it was made, which round
    of a variance it is, and the last serial used there when it was made."""

    expected: int
    counted: int
    seq: int
    round: int = 1
    cadence: str = "ad-hoc"
    last_used: str | None = None

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def recount(self) -> tuple[str, ...] | None:
        """After a variance, the roles of whoever counts next (empty: any other person);
        ``None`` when no recount is due."""
        if not self.difference or self.round > len(RECOUNTS):
            return None
        return RECOUNTS[self.round - 1]


def record_count(
    ledger: Ledger,
    *,
    office: str,
    counted: int,
    by: str,
    terminal: str | None = None,
    type: str | None = None,
    note: str = "",
    cadence: str = "ad-hoc",
    handed_to: str | None = None,
) -> Count:
    """Record a physical count of a store (sealed boxes included) or of a terminal.

    After a count that differs, the next count of the place is the variance's second round,
    by a person who has not counted it yet, then a third by a head (``RECOUNTS``). A
    ``handover`` count is of a terminal, counted by the person handing it over and naming
    the person taking it (``handed_to``)."""
    checked_count(counted, "the blanks counted", least=0)
    if cadence not in CADENCES:
        raise Refused(f"count cadence {cadence!r} is not one of {', '.join(CADENCES)}")
    if (cadence == HANDOVER) != (handed_to is not None) or (cadence == HANDOVER and not terminal):
        raise Refused("a handover count is of a terminal and names the person taking it over")
    with ledger.write() as writer:
        connection = writer.connection
        _ledger.office(connection, office)
        _ledger.person(connection, by, *RULES[Kind.COUNTED].actor, offices=[office])
        type_code = _ledger.type_code(connection, type)
        place: list[ColumnElement[bool]] = [
            certificates.c.type_code == type_code,
            certificates.c.office_code == office,
        ]
        if terminal is None:
            place.append(certificates.c.state.in_(IN_STORE))
        else:
            if _ledger.terminal(connection, terminal).office_code != office:
                raise Refused(f"terminal {terminal} is not a terminal of office {office}")
            place.append(certificates.c.terminal_code == terminal)
            place.append(certificates.c.state.in_(AT_TERMINAL))
        if handed_to is not None:
            if handed_to == by:
                raise Refused(f"{by!r} cannot hand terminal {terminal} over to themselves")
            receiving = RULES[Kind.ISSUED_OUT].parties["receiver"]
            _ledger.person(connection, handed_to, *receiving, offices=[office])
        earlier = _variance(connection, (office, terminal, type_code))
        if earlier:
            roles = RECOUNTS[len(earlier) - 1]
            if by in earlier:
                raise Refused(
                    f"{by!r} has counted this variance already (count events "
                    f"{', '.join(map(str, earlier.values()))}); another person counts again"
                )
            _ledger.person(connection, by, *roles, offices=[office])
        expected = connection.execute(select(func.count()).where(*place)).scalar_one()
        last_used = _last_used(connection, type_code, office, terminal)
        payload = {
            "type": type_code,
            "office": office,
            "terminal": terminal,
            "counted": counted,
            "expected": expected,
            "note": note,
            "cadence": cadence,
            "round": len(earlier) + 1,
            "last_used": last_used,
            "handed_to": handed_to,
        }
        seq = writer.append(Kind.COUNTED, by, payload)
        return Count(expected, counted, seq, len(earlier) + 1, cadence, last_used)


def _variance(connection: Connection, place: tuple[str, str | None, str]) -> dict[str, int]:
    """The rounds so far of a variance at ``place`` still open to a recount: who counted it,
    with their count events; empty when the last count agreed or the recounts are done."""
    rounds: dict[str, int] = {}
    for event in read_events(connection, events.c.kind == Kind.COUNTED):
        p = event.payload
        if (p["office"], p["terminal"], p["type"]) != place:
            continue
        if not rounds or len(rounds) > len(RECOUNTS):
            rounds = {}
        rounds[event.actor] = event.seq
        if p["counted"] == p["expected"]:
            rounds = {}
    return rounds if len(rounds) <= len(RECOUNTS) else {}


def _last_used(
    connection: Connection, type_code: str, office: str, terminal: str | None
) -> str | None:
    """The serial of the last licence printed at the place counted (the office, or one of its
    terminals): recorded with each count, so a count also dates the paper."""
    query = (
        select(certificates.c.serial)
        .where(
            certificates.c.type_code == type_code,
            certificates.c.office_code == office,
            certificates.c.state == State.USED,
        )
        .order_by(certificates.c.seq.desc())
        .limit(1)
    )
    if terminal is not None:
        query = query.where(certificates.c.terminal_code == terminal)
    return connection.execute(query).scalar()


def refuse_unhanded(connection: Connection, terminal: str, receiver: str) -> list[int]:
    """Refuse to change a terminal's custodian while it holds blanks, unless each type it
    holds was counted at a handover to ``receiver``, agreeing with the ledger, since the last
    blank moved there; the count events it rests on (none for a terminal holding nothing)."""
    custodian = _ledger.terminal(connection, terminal).custodian
    if custodian is None or custodian == receiver:
        return []
    held: dict[str, int] = dict(
        connection.execute(
            select(certificates.c.type_code, func.count())
            .where(certificates.c.terminal_code == terminal, certificates.c.state.in_(AT_TERMINAL))
            .group_by(certificates.c.type_code)
        ).all()
    )
    if not held:  # nothing at the terminal: no blanks to count at the handover
        return []
    moved = connection.execute(
        select(func.max(certificates.c.seq)).where(certificates.c.terminal_code == terminal)
    ).scalar_one()
    last: dict[str, dict[str, Any]] = {}
    for event in read_events(connection, events.c.kind == Kind.COUNTED):
        if event.payload["terminal"] == terminal and event.seq > moved:
            last[event.payload["type"]] = {**event.payload, "seq": event.seq}
    for type_code, holding in sorted(held.items()):
        count = last.get(type_code, {})
        if not (
            count.get("cadence") == HANDOVER
            and count.get("handed_to") == receiver
            and count["counted"] == count["expected"]
        ):
            raise Refused(
                f"terminal {terminal} holds {holding} blanks of {type_code} in the custody of "
                f"{custodian}: count them at the handover to {receiver} first (count "
                f"--terminal {terminal} --type {type_code} --cadence handover "
                f"--handed-to {receiver})"
            )
    return [last[type_code]["seq"] for type_code in sorted(held)]


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
