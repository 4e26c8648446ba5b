"""The ledger handle, its transactions, and the one way events get written.

Every operation runs in one transaction that appends its event(s) and changes the state rows
together: a refusal, an error or a crash leaves nothing behind. ``Writer.append`` locks the
chain head row, so concurrent writers on PostgreSQL still produce one linear chain (on
SQLite ``BEGIN IMMEDIATE`` has already serialised them). Operations take the head lock as
late as they can, after their checks, to keep it short, and always after the certificate rows
they change: one lock order for every writer, so PostgreSQL writers cannot deadlock. The lock
is held until the commit, so on PostgreSQL the append is one statement (the database hashes
the event) and can move the allocator's one certificate too: the head is then locked for one
round trip and the commit. ``at_once`` builds the allocator's whole operation on that
statement, committing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Row,
    String,
    Table,
    TextClause,
    bindparam,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

import gbt15311.custody.store._database as database
from gbt15311.custody.lifecycle import RULES, Kind
from gbt15311.custody.store._events import canonical, chain_hash, dumps, ranges_named
from gbt15311.custody.store._schema import (
    certificate_types,
    certificates,
    chain_head,
    event_ranges,
    events,
    offices,
    people,
    terminals,
)
from gbt15311.custody.store._serials import SerialFormat, to_ranges
from gbt15311.exceptions import CustodyError, Refused


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """UTC, microseconds, ``Z``: sorts as text, so reports can cut off by comparing strings."""
    if moment.tzinfo is None:
        raise CustodyError("the ledger clock must give timezone-aware times")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Ledger:
    """An open custody ledger: the database engine and the clock events are stamped with.

    Close it when done (``close()``), or use it as a context manager:
    ``with open_ledger(url) as ledger: ...`` closes its connections on the way out.
    """

    engine: Engine
    clock: Callable[[], datetime] = field(default=utc_now)

    def close(self) -> None:
        """Close the ledger's pooled connections; the database stays as it is."""
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One write transaction: all of it is committed, or none of it."""
        with self._refusing(), self.engine.begin() as connection:
            yield Writer(connection, self.clock)

    @contextmanager
    def at_once(self) -> Iterator[Connection]:
        """A connection whose every statement commits itself: an operation that is a single
        statement saves the round trips of BEGIN and COMMIT, and holds its locks only while
        the database runs it."""
        with (
            self._refusing(),
            self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
        ):
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One consistent read-only snapshot: every statement sees the same moment, so the
        chain, its head and the state tables agree while writers go on appending. SQLite's
        deferred transaction keeps its first read's snapshot; PostgreSQL's default (READ
        COMMITTED) takes a new one per statement, so its readers ask for REPEATABLE READ."""
        with (
            self._refusing(),
            self.engine.connect().execution_options(**database.snapshot(self.engine)) as connection,
            connection.begin(),
        ):
            yield connection

    @contextmanager
    def _refusing(self) -> Iterator[None]:
        """Database errors as the library's: a constraint's veto refuses the change."""
        try:
            yield
        except IntegrityError as error:
            raise Refused(f"the ledger refuses a conflicting change: {error.orig}") from None
        except DBAPIError as error:
            if isinstance(error.orig, UnicodeEncodeError):
                raise _unrecordable(error.orig) from None
            raise database.describe(error, self.engine) from None
        except UnicodeEncodeError as error:  # a lone surrogate, met by the driver or the hash
            raise _unrecordable(error) from None


def recordable(text: str) -> str:
    """``text`` as a record can hold it: a NUL or a lone surrogate (in a message the ledger did
    not write, such as a driver's error kept as a note) as its escape, the rest unchanged."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _unrecordable(error: UnicodeEncodeError) -> Refused:
    """A text the ledger cannot hold (a lone surrogate: no UTF-8 for it), shown around it."""
    bad = error.object[error.start]
    around = error.object[max(0, error.start - 20) : error.start + 20]
    shown = around.encode("utf-8", "backslashreplace").decode("utf-8")
    return Refused(
        f"a text given contains U+{ord(bad):04X}, a lone surrogate, which no record can hold "
        f"(near {shown!r}); nothing was written"
    )


def open_ledger(url: str | None = None, *, clock: Callable[[], datetime] = utc_now) -> Ledger:
    """The ledger at ``url`` (default: ``GBT15311_DB`` or the user data file); must exist."""
    engine = database.connect(url)
    database.check_version(engine)
    return Ledger(engine, clock)


def init_ledger(url: str | None = None, *, clock: Callable[[], datetime] = utc_now) -> Ledger:
    """Create the ledger at ``url``, or migrate it to this version; safe to repeat."""
    engine = database.connect(url, create=True)
    database.migrate(engine)
    return Ledger(engine, clock)


# Built once: the allocator appends twice per blank, and building statements costs more
# than running them. SQLite's append runs these under the write lock of ``BEGIN IMMEDIATE``:
_HEAD = select(chain_head.c.seq, chain_head.c.hash, chain_head.c.at).where(chain_head.c.id == 1)
_ADD_EVENT = insert(events)
_MOVE_HEAD = update(chain_head).where(chain_head.c.id == 1)
_MOVE = update(certificates).where(
    certificates.c.type_code == bindparam("m_type"), certificates.c.serial == bindparam("m_serial")
)


def appending(subject: str, then: str) -> TextClause:
    """PostgreSQL's append as one statement: lock the head, hash and insert the event, move the
    head, then ``then`` (which may read the CTEs ``event`` and ``subject``).

    ``subject`` is a query of one row (or none: then nothing is written) giving the event's
    ``actor`` and ``payload`` (its canonical JSON text), and whatever ``then`` needs. The head
    is locked only once ``subject`` has given its row, so certificate rows ``subject`` locks
    come first: the one lock order of every writer. The database hashes the canonical form,
    composed as ``events.canonical`` composes it (JSON with sorted keys: actor, at, kind,
    payload, seq). The statement's snapshot predates the head lock it may wait for, so it
    cannot see the event just before; the locked head row is read fresh, and it carries that
    event's hash and time.
    """
    return text(
        f"""
WITH subject AS ({subject}),
head AS (
    SELECT chain_head.seq, chain_head.hash, chain_head.at FROM chain_head, subject
    WHERE chain_head.id = 1 FOR UPDATE OF chain_head
),
event AS (
    INSERT INTO events (seq, at, kind, actor, payload, prev_hash, hash)
    SELECT seq, at, CAST(:kind AS text), actor, payload, prev_hash, encode(sha256(convert_to(
        prev_hash || '{{"actor":' || CAST(to_json(actor) AS text) || ',"at":"' || at
        || '","kind":"' || CAST(:kind AS text) || '","payload":' || payload
        || ',"seq":' || CAST(seq AS text) || '}}', 'UTF8')), 'hex')
    FROM (
        SELECT head.seq + 1 AS seq, head.hash AS prev_hash,
            GREATEST(head.at COLLATE "C", :at) AS at, subject.actor, subject.payload
        FROM head, subject
    ) AS next
    RETURNING seq, at, hash
),
moved_head AS (
    UPDATE chain_head SET seq = event.seq, hash = event.hash, at = event.at
    FROM event WHERE chain_head.id = 1
)
{then}"""
    )


MOVING = """UPDATE certificates
SET state = CAST(:state AS text), licence_no = CAST(:licence_no AS text), seq = event.seq
FROM event, subject
WHERE certificates.type_code = subject.type_code AND certificates.serial = subject.serial
RETURNING event.seq, event.at, subject.actor, subject.type_code, subject.serial"""
"""The end of an append that moves the subject's certificate and stamps it with the event."""
_GIVEN = "SELECT CAST(:actor AS text) AS actor, CAST(:payload AS text) AS payload"
_APPEND = appending(_GIVEN, "SELECT seq, at FROM event")
_APPEND_MOVING = appending(
    _GIVEN + ", CAST(:m_type AS text) AS type_code, CAST(:m_serial AS text) AS serial", MOVING
)


@dataclass
class Writer:
    """The connection of a write transaction, with the chain append."""

    connection: Connection
    clock: Callable[[], datetime]
    last_at: str = ""

    def append(self, kind: Kind, actor: str, payload: dict[str, Any]) -> int:
        """Append one event to the chain; an event naming one blank (``lifecycle``: ``one``)
        also moves that blank and stamps it with the event, and one naming ranges indexes
        them (``event_ranges``). Returns the sequence number.

        The event's time is the clock's, or the previous event's if that is later: another
        writer may take the head between reading the clock and locking it (or a clock may lag),
        and reports cut off by time, so times never go back along the chain.
        """
        at = timestamp(self.clock())
        transition = RULES[kind].transition
        moves_one = transition is not None and transition.one
        moved = one_blank(kind, payload) if moves_one else {}
        if self.connection.dialect.name == "postgresql":
            row = self.connection.execute(
                _APPEND_MOVING if moves_one else _APPEND,
                {"at": at, "kind": str(kind), "actor": actor, "payload": dumps(payload), **moved},
            ).one()
            self.last_at = row.at
            self._index_ranges(int(row.seq), payload)
            return int(row.seq)
        head = self.connection.execute(_HEAD).one()
        seq: int = head.seq + 1
        self.last_at = max(at, head.at)
        event_hash = chain_hash(head.hash, canonical(seq, self.last_at, kind, actor, payload))
        self.connection.execute(
            _ADD_EVENT,
            {
                "seq": seq,
                "at": self.last_at,
                "kind": str(kind),
                "actor": actor,
                "payload": dumps(payload),
                "prev_hash": head.hash,
                "hash": event_hash,
            },
        )
        self.connection.execute(_MOVE_HEAD, {"seq": seq, "hash": event_hash, "at": self.last_at})
        if moves_one:
            self.connection.execute(_MOVE, {**moved, "seq": seq})
        self._index_ranges(seq, payload)
        return seq

    def _index_ranges(self, seq: int, payload: dict[str, Any]) -> None:
        named = ranges_named(payload)
        if named:
            insert_rows(
                self.connection,
                event_ranges,
                ("seq", "position", "type_code", "first_serial", "last_serial"),
                [(seq, n, *run) for n, run in enumerate(named)],
            )


def one_blank(kind: Kind, payload: dict[str, Any]) -> dict[str, Any]:
    """The parameters of ``MOVING`` for an event naming one blank: the blank, its new state
    and the licence printed on it (none when reserved), as the lifecycle says."""
    changes = RULES[kind].moves().changes(payload)
    return {
        "m_type": payload["type"],
        "m_serial": payload["serial"],
        "state": str(changes["state"]),
        "licence_no": changes.get("licence_no"),
    }


def person(connection: Connection, code: str, *roles: str, offices: Iterable[str] = ()) -> Row[Any]:
    """The registered person ``code``, who must hold one of ``roles`` (if any are given) and,
    when registered with an office, act only on the blanks of that office (``offices``): staff
    keep custody of their own office's stock; people without an office act for any."""
    row = connection.execute(select(people).where(people.c.code == code)).one_or_none()
    if row is None:
        raise Refused(f"person {code!r} is not registered")
    for office_code in offices:
        if row.office_code is not None and row.office_code != office_code:
            raise Refused(
                f"person {code!r} works for office {row.office_code}; "
                f"the blanks are in the custody of office {office_code}"
            )
    if roles and not set(roles) & set(row.roles.split()):
        wanted = " or ".join(roles)
        raise Refused(f"person {code!r} has the roles {row.roles}, not {wanted}")
    return row


def refuse_unfit(column: Column[str], value: str, what: str) -> None:
    """Refuse a code or name that names nothing on paper (empty or white space only), or that
    is longer than ``column`` holds: PostgreSQL refuses it, SQLite would keep it, and both
    engines must refuse alike, saying what is wrong before the database sees it."""
    if not value.strip():
        raise Refused(f"{what} {value!r} is blank")
    refuse_too_long(column, value, what)


def refuse_too_long(column: Column[str], value: str, what: str) -> None:
    """Refuse a text longer than ``column`` holds (see ``refuse_unfit``)."""
    longest = column.type.length if isinstance(column.type, String) else None
    if longest is not None and len(value) > longest:
        raise Refused(f"{what} {value[:20]!r}... is {len(value)} characters; at most {longest}")


def office(connection: Connection, code: str) -> Row[Any]:
    row = connection.execute(select(offices).where(offices.c.code == code)).one_or_none()
    if row is None:
        raise Refused(f"office {code!r} is not registered")
    return row


def terminal(connection: Connection, code: str) -> Row[Any]:
    row = connection.execute(select(terminals).where(terminals.c.code == code)).one_or_none()
    if row is None:
        raise Refused(f"terminal {code!r} is not registered")
    return row


def type_code(connection: Connection, code: str | None) -> str:
    """``code`` if registered; when omitted, the only registered type."""
    codes: list[str] = list(connection.execute(select(certificate_types.c.code)).scalars())
    if code is None:
        if len(codes) == 1:
            return codes[0]
        raise Refused(f"name the certificate type, one of: {', '.join(sorted(codes)) or 'none'}")
    if code not in codes:
        raise Refused(f"certificate type {code!r} is not registered")
    return code


def serial_format(connection: Connection, code: str) -> SerialFormat:
    row = connection.execute(
        select(certificate_types).where(certificate_types.c.code == code)
    ).one()
    return SerialFormat(prefix=row.prefix, width=row.serial_width)


def ranges(connection: Connection, code: str, serials: Iterable[str]) -> list[list[str]]:
    """The serials of type ``code`` as the ``[first, last]`` ranges an event's payload holds."""
    return to_ranges(serial_format(connection, code), serials)


def certificate(
    connection: Connection, serial: str, type_code: str | None = None, *, lock: bool = False
) -> Row[Any]:
    """The certificate with this serial; the type may be omitted when the serial is unique."""
    query = select(certificates).where(certificates.c.serial == serial)
    if type_code is not None:
        query = query.where(certificates.c.type_code == type_code)
    if lock:
        query = query.with_for_update()
    rows = connection.execute(query).all()
    if not rows:
        raise Refused(f"serial {serial!r} is not in the ledger")
    if len(rows) > 1:
        kinds = ", ".join(sorted(row.type_code for row in rows))
        raise Refused(f"serial {serial!r} exists in several types ({kinds}); name the type")
    return rows[0]


def certificates_in(
    connection: Connection, type_code: str, serials: Sequence[str], *, lock: bool = True
) -> list[Row[Any]]:
    """The certificates with these serials, all of which must exist, in serial order."""
    rows: list[Row[Any]] = []
    for start in range(0, len(serials), 500):
        chunk = serials[start : start + 500]
        query = select(certificates).where(
            certificates.c.type_code == type_code, certificates.c.serial.in_(chunk)
        )
        if lock:
            query = query.with_for_update()
        rows.extend(connection.execute(query))
    missing = sorted(set(serials) - {row.serial for row in rows})
    if missing:
        raise Refused(f"serial {missing[0]!r} of type {type_code} is not in the ledger")
    return sorted(rows, key=lambda row: row.serial)


_COLUMNS = {"terminal": "terminal_code", "office": "office_code"}
"""A blank's attributes in ``lifecycle`` by their column names, where these differ."""


def move(
    connection: Connection, kind: Kind, payload: dict[str, Any], serials: Sequence[str], seq: int
) -> None:
    """Move the blanks of an event's ``ranges`` as the lifecycle says, stamped with the event."""
    changes = RULES[kind].moves().changes(payload)
    values = {_COLUMNS.get(name, name): value for name, value in changes.items()}
    set_state(connection, payload["type"], serials, seq, **values)


def set_state(
    connection: Connection,
    type_code: str,
    serials: Sequence[str],
    seq: int,
    **values: str | None,
) -> None:
    """Change these certificates' state columns, stamping them with the event that did it."""
    for start in range(0, len(serials), 500):
        connection.execute(
            update(certificates)
            .where(
                certificates.c.type_code == type_code,
                certificates.c.serial.in_(serials[start : start + 500]),
            )
            .values(seq=seq, **values)
        )


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert many rows through the driver's executemany: a box of 100,000 serials in a
    second, where building SQLAlchemy parameters row by row costs several."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})",
        list(rows),
    )
