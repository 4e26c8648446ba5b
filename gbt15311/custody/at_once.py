"""The allocator's common case on PostgreSQL: allocate, and use, each one statement that
commits itself.

Terminals sharing one stock queue for the chain head, and a transaction holds it from its
append to its commit. Here the whole operation (find the blank, check who acts, append the
event, move the blank) is one statement in autocommit, so the head is held only while the
database runs it and flushes the commit, and an operation costs one round trip. The
statement writes nothing when anything is out of the ordinary (no stock, a person refused, a
serial not reserved, a licence number already printed); the allocator then takes its general
path, which says exactly what is wrong. The event's payload is written as JSON by the
database (``to_json`` escapes a string exactly as ``events.dumps`` does), with its keys in
sorted order, so ``verify`` recomputes the same hash.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, TextClause

from gbt15311.custody.events import Kind
from gbt15311.custody.ledger import MOVING, Ledger, appending, timestamp
from gbt15311.custody.schema import State


def _json(value: str) -> str:
    """``value`` (SQL of a string) as the text of a JSON string."""
    return f"CAST(to_json({value}) AS text)"


_ACTING = "COALESCE(CAST(:by AS text), terminals.custodian)"
_MAY_ACT = f"""{_ACTING} IS NOT NULL AND (CAST(:by AS text) IS NULL OR EXISTS (
    SELECT 1 FROM people WHERE people.code = CAST(:by AS text)
    AND (people.office_code IS NULL OR people.office_code = terminals.office_code)
    AND position(' operator ' IN ' ' || people.roles || ' ') > 0
))"""
"""Who acts at the terminal: the person named, if an operator of its office (or of none),
else its custodian."""

_BLANK_OF = """FROM certificates JOIN terminals ON terminals.code = certificates.terminal_code"""


def _next_blank(condition: str) -> str:
    """The terminal's lowest free blank meeting ``condition``, with the event about it."""
    return f"""SELECT certificates.type_code, certificates.serial, {_ACTING} AS actor,
    '{{"serial":' || {_json("certificates.serial")}
    || ',"terminal":' || {_json("CAST(:terminal AS text)")}
    || ',"type":' || {_json("certificates.type_code")} || '}}' AS payload
{_BLANK_OF}
WHERE certificates.terminal_code = CAST(:terminal AS text) AND certificates.state = 'with_terminal'
    AND {_MAY_ACT} {condition}
ORDER BY certificates.type_code, certificates.serial LIMIT 1
FOR UPDATE OF certificates SKIP LOCKED"""


_ONE_TYPE_HELD = """AND (
    SELECT min(type_code) FROM certificates
    WHERE terminal_code = CAST(:terminal AS text) AND state = 'with_terminal'
) = (
    SELECT max(type_code) FROM certificates
    WHERE terminal_code = CAST(:terminal AS text) AND state = 'with_terminal'
)"""
_ALLOCATE = appending(_next_blank(_ONE_TYPE_HELD), MOVING)
_ALLOCATE_OF_TYPE = appending(
    _next_blank("AND certificates.type_code = CAST(:type AS text)"), MOVING
)


def _reserved_blank(condition: str) -> str:
    """The reserved blank ``serial`` meeting ``condition``, with the event about it."""
    return f"""SELECT certificates.type_code, certificates.serial, {_ACTING} AS actor,
    '{{"licence_no":' || {_json("CAST(:licence_no AS text)")}
    || ',"serial":' || {_json("certificates.serial")}
    || ',"terminal":' || {_json("certificates.terminal_code")}
    || ',"type":' || {_json("certificates.type_code")} || '}}' AS payload
{_BLANK_OF}
WHERE certificates.serial = CAST(:serial AS text) AND certificates.state = 'reserved'
    AND (CAST(:terminal AS text) IS NULL OR certificates.terminal_code = CAST(:terminal AS text))
    AND NOT EXISTS (
        SELECT 1 FROM certificates AS printed
        WHERE printed.licence_no = CAST(:licence_no AS text) AND printed.state = 'used'
    )
    AND {_MAY_ACT} {condition}
FOR UPDATE OF certificates"""


_USE = appending(
    _reserved_blank(
        """AND NOT EXISTS (
        SELECT 1 FROM certificates AS twin
        WHERE twin.serial = certificates.serial AND twin.type_code <> certificates.type_code
    )"""
    ),
    MOVING,
)
_USE_OF_TYPE = appending(
    _reserved_blank("AND certificates.type_code = CAST(:type AS text)"), MOVING
)


def allocate(ledger: Ledger, terminal: str, type: str | None, by: str | None) -> Row[Any] | None:
    """Reserve the terminal's next blank; the event's row (seq, at, actor, type_code, serial),
    or None when the general path must decide."""
    return _run(
        ledger,
        _ALLOCATE if type is None else _ALLOCATE_OF_TYPE,
        Kind.RESERVED,
        State.RESERVED,
        {"terminal": terminal, "type": type, "by": by, "licence_no": None},
    )


def use(
    ledger: Ledger,
    serial: str,
    licence_no: str,
    type: str | None,
    by: str | None,
    terminal: str | None,
) -> Row[Any] | None:
    """Register the reserved blank as printed with ``licence_no`` (canonical); the event's
    row, or None when the general path must decide."""
    return _run(
        ledger,
        _USE if type is None else _USE_OF_TYPE,
        Kind.USED,
        State.USED,
        {"serial": serial, "licence_no": licence_no, "type": type, "by": by, "terminal": terminal},
    )


def _run(
    ledger: Ledger, statement: TextClause, kind: Kind, state: State, parameters: dict[str, Any]
) -> Row[Any] | None:
    """Run one of the statements above, stamped with the ledger's clock."""
    stamped = {
        **parameters,
        "at": timestamp(ledger.clock()),
        "kind": str(kind),
        "state": str(state),
    }
    with ledger.at_once() as connection:
        return connection.execute(statement, stamped).first()
