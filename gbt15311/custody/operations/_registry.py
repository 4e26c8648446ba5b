"""Who and what the ledger knows: people with roles, offices, terminals, certificate types,
and the day a type's new edition starts.

Registrations are events like any other, made by an office head. The very first person has
nobody to register them, so they must be a head registering themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, Table, exists, insert, select

from gbt15311.custody.lifecycle import ROLES, RULES, YEARS, YEARS_SPAN, Kind
from gbt15311.custody.store import _ledger
from gbt15311.custody.store._ledger import Ledger
from gbt15311.custody.store._schema import certificate_types, offices, people, terminals
from gbt15311.exceptions import Refused


def add_person(
    ledger: Ledger,
    code: str,
    name: str,
    roles: Iterable[str],
    *,
    by: str,
    office: str | None = None,
) -> None:
    """Register a person with their roles (head, keeper, operator, checker)."""
    _refuse_unfit(people, code, name, "person")
    role_list = sorted(set(roles))
    unknown = [role for role in role_list if role not in ROLES]
    if unknown or not role_list:
        raise Refused(f"roles must be some of {', '.join(ROLES)}; got {', '.join(unknown)}")
    with ledger.write() as writer:
        connection = writer.connection
        _refuse_duplicate(connection, people, code, "person")
        if connection.execute(select(exists().select_from(people))).scalar():
            _ledger.person(connection, by, *RULES[Kind.PERSON_ADDED].actor)
        elif by != code or not set(RULES[Kind.PERSON_ADDED].actor) & set(role_list):
            raise Refused("the first person registered must be a head registering themselves")
        if office is not None:
            _ledger.office(connection, office)
        writer.append(
            Kind.PERSON_ADDED,
            by,
            {"person": code, "name": name, "office": office, "roles": role_list},
        )
        connection.execute(
            insert(people).values(
                code=code, name=name, office_code=office, roles=" ".join(role_list)
            )
        )


def add_office(ledger: Ledger, code: str, name: str, *, by: str) -> None:
    """Register an issuing office (发证机构)."""
    _refuse_unfit(offices, code, name, "office")
    with ledger.write() as writer:
        _refuse_duplicate(writer.connection, offices, code, "office")
        _ledger.person(writer.connection, by, *RULES[Kind.OFFICE_ADDED].actor)
        writer.append(Kind.OFFICE_ADDED, by, {"office": code, "name": name})
        writer.connection.execute(insert(offices).values(code=code, name=name))


def add_terminal(ledger: Ledger, code: str, name: str, *, office: str, by: str) -> None:
    """Register a print terminal (延伸打印终端) of an office."""
    _refuse_unfit(terminals, code, name, "terminal")
    with ledger.write() as writer:
        _refuse_duplicate(writer.connection, terminals, code, "terminal")
        _ledger.person(writer.connection, by, *RULES[Kind.TERMINAL_ADDED].actor)
        _ledger.office(writer.connection, office)
        writer.append(Kind.TERMINAL_ADDED, by, {"terminal": code, "office": office, "name": name})
        writer.connection.execute(
            insert(terminals).values(code=code, office_code=office, name=name)
        )


def add_type(
    ledger: Ledger, code: str, name: str, *, serial_width: int, by: str, prefix: str = ""
) -> None:
    """Register a certificate type (a series of blanks) and how its serials are written."""
    _refuse_unfit(certificate_types, code, name, "certificate type")
    if not 1 <= serial_width <= 20:
        raise Refused(f"serial width must be 1 to 20 digits, not {serial_width}")
    if not prefix.isascii() or any(c.isdigit() or c.isspace() for c in prefix):
        raise Refused(f"serial prefix {prefix!r} must be ASCII without digits or spaces")
    _ledger.refuse_too_long(certificate_types.c.prefix, prefix, "the serial prefix")
    with ledger.write() as writer:
        _refuse_duplicate(writer.connection, certificate_types, code, "certificate type")
        _ledger.person(writer.connection, by, *RULES[Kind.TYPE_ADDED].actor)
        writer.append(
            Kind.TYPE_ADDED,
            by,
            {"type": code, "name": name, "serial_width": serial_width, "prefix": prefix},
        )
        writer.connection.execute(
            insert(certificate_types).values(
                code=code, name=name, serial_width=serial_width, prefix=prefix
            )
        )


def record_edition(
    ledger: Ledger, type: str, starts: date, *, by: str, notice: str, note: str = ""
) -> int:
    """Record the day ``type``'s new edition starts, from the bureau's ``notice`` (Art. 34):
    the morning check warns of the old edition's blanks from it, and only then may they be
    voided as ``expired-edition`` and sealed in 附件5. A later record of the type replaces
    it (a corrected notice). Returns the ``edition_set`` event's sequence number."""
    if not notice.strip():
        raise Refused("a new edition is recorded from the bureau's notice: give its reference")
    if starts.year not in YEARS:
        raise Refused(
            f"a new edition starting on {starts.isoformat()}: give a day of the years {YEARS_SPAN}"
        )
    with ledger.write() as writer:
        _ledger.person(writer.connection, by, *RULES[Kind.EDITION_SET].actor)
        type_code = _ledger.type_code(writer.connection, type)
        payload = {"type": type_code, "starts": starts.isoformat(), "notice": notice, "note": note}
        return writer.append(Kind.EDITION_SET, by, payload)


def _refuse_unfit(table: Table, code: str, name: str, what: str) -> None:
    """A code or name made of nothing, or of white space only, names nobody on paper; one
    longer than its column holds is refused alike on both engines."""
    _ledger.refuse_unfit(table.c.code, code, f"the {what} code")
    _ledger.refuse_unfit(table.c.name, name, f"{what} {code}: the name")


def _refuse_duplicate(connection: Connection, table: Table, code: str, what: str) -> None:
    if connection.execute(select(table.c.code).where(table.c.code == code)).first():
        raise Refused(f"{what} {code!r} is already registered")
