"""The allocator's common case on PostgreSQL: allocate, and use, each one statement that
commits itself.

Terminals sharing one stock queue for the chain head, and a transaction holds it from its
append to its commit. Here the whole operation (find the blank, check who acts, append the
event, move the blank) is one statement in autocommit, so the head is held only while the
database runs it and flushes the commit, and an operation costs one round trip. The
statement writes nothing when anything is out of the ordinary (no stock, a person refused, a
serial not reserved, a licence number already printed); the allocator then takes its general
path, which says exactly what is wrong.

Nothing here is written a second time: the states a blank moves from, the roles that may act
and the payload's keys come from ``lifecycle``, and the payload's text is the canonical form
(``events.dumps``: sorted keys, no spaces; ``to_json`` escapes a string exactly as it does),
composed by ``_json_object`` so ``verify`` recomputes the same hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Row, TextClause

from gbt15311.custody.lifecycle import RULES, Kind, reserved, used
from gbt15311.custody.store._events import dumps
from gbt15311.custody.store._ledger import MOVING, Ledger, appending, timestamp

_RESERVING = RULES[Kind.RESERVED]
_USING = RULES[Kind.USED]


def _json_object(fields: Mapping[str, str]) -> str:
    """SQL giving the canonical JSON text of an object whose values are the SQL strings
    ``fields`` maps its keys to."""
    members = [
        f"'{dumps(key)}:' || CAST(to_json({value}) AS text)"
        for key, value in sorted(fields.items())
    ]
    return "'{' || " + " || ',' || ".join(members) + " || '}'"


def _one_of(column: str, states: Iterable[object]) -> str:
    """SQL: ``column`` is one of ``states`` (the lifecycle's codes, never user text)."""
    listed = ", ".join(f"'{state}'" for state in sorted(map(str, states)))
    return f"{column} IN ({listed})"


_ACTING = "COALESCE(CAST(:by AS text), terminals.custodian)"


def _may_act(roles: Iterable[str]) -> str:
    """Who acts at the terminal: the person named, if they hold one of ``roles`` and work for
    its office (or for none), else its custodian."""
    held = " OR ".join(f"position(' {role} ' IN ' ' || people.roles || ' ') > 0" for role in roles)
    return f"""{_ACTING} IS NOT NULL AND (CAST(:by AS text) IS NULL OR EXISTS (
    SELECT 1 FROM people WHERE people.code = CAST(:by AS text)
    AND (people.office_code IS NULL OR people.office_code = terminals.office_code)
    AND ({held})
))"""


_BLANK_OF = """FROM certificates JOIN terminals ON terminals.code = certificates.terminal_code"""


def _next_blank(condition: str) -> str:
    """The terminal's lowest free blank meeting ``condition``, with the event about it."""
    payload = reserved(
        type="certificates.type_code",
        serial="certificates.serial",
        terminal="CAST(:terminal AS text)",
    )
    free = _one_of("certificates.state", _RESERVING.moves().sources)
    return f"""SELECT certificates.type_code, certificates.serial, {_ACTING} AS actor,
    {_json_object(payload)} AS payload
{_BLANK_OF}
WHERE certificates.terminal_code = CAST(:terminal AS text) AND {free}
    AND {_may_act(_RESERVING.actor)} {condition}
ORDER BY certificates.type_code, certificates.serial LIMIT 1
FOR UPDATE OF certificates SKIP LOCKED"""


_FREE = f"""FROM certificates WHERE terminal_code = CAST(:terminal AS text)
    AND {_one_of("state", _RESERVING.moves().sources)}"""
_ONE_TYPE_HELD = f"""AND (SELECT min(type_code) {_FREE}) = (SELECT max(type_code) {_FREE})"""
_ALLOCATE = appending(_next_blank(_ONE_TYPE_HELD), MOVING)
_ALLOCATE_OF_TYPE = appending(
    _next_blank("AND certificates.type_code = CAST(:type AS text)"), MOVING
)


def _reserved_blank(condition: str) -> str:
    """The reserved blank ``serial`` meeting ``condition``, with the event about it."""
    payload = used(
        type="certificates.type_code",
        serial="certificates.serial",
        terminal="certificates.terminal_code",
        licence_no="CAST(:licence_no AS text)",
    )
    printed = _one_of("printed.state", [_USING.moves().target])
    reserved_ = _one_of("certificates.state", _USING.moves().sources)
    return f"""SELECT certificates.type_code, certificates.serial, {_ACTING} AS actor,
    {_json_object(payload)} AS payload
{_BLANK_OF}
WHERE certificates.serial = CAST(:serial AS text) AND {reserved_}
    AND (CAST(:terminal AS text) IS NULL OR certificates.terminal_code = CAST(:terminal AS text))
    AND NOT EXISTS (
        SELECT 1 FROM certificates AS printed
        WHERE printed.licence_no = CAST(:licence_no AS text) AND {printed}
    )
    AND {_may_act(_USING.actor)} {condition}
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
        {"serial": serial, "licence_no": licence_no, "type": type, "by": by, "terminal": terminal},
    )


def _run(
    ledger: Ledger, statement: TextClause, kind: Kind, parameters: dict[str, Any]
) -> Row[Any] | None:
    """Run one of the statements above, stamped with the ledger's clock; the blank goes to
    the state the lifecycle says."""
    stamped = {
        **parameters,
        "at": timestamp(ledger.clock()),
        "kind": str(kind),
        "state": str(RULES[kind].moves().target),
    }
    with ledger.at_once() as connection:
        return connection.execute(statement, stamped).first()
