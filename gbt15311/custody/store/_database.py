"""Where the ledger lives and how to reach it: URL, engine, locking, migrations.

SQLite (the default, a file in the user data directory) runs in WAL mode and every writer
takes the write lock up front with ``BEGIN IMMEDIATE``, so two terminals never both read
"lowest free serial" and then collide; readers begin a plain deferred transaction and see a
snapshot. PostgreSQL (by URL, psycopg 3) serves many terminals sharing one stock.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from gbt15311.exceptions import CustodyError, Refused

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "GBT15311_DB"
VERSION_TABLE = "custody_schema_version"
READ_ONLY = "gbt15311_read_only"
"""Execution option that makes a SQLite transaction start deferred (a reader)."""

_MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_HEAD = "0006"
"""The newest migration's revision, the one a ledger must be at. Every command checks it,
so it is read without alembic (importing alembic costs a tenth of a second);
``tests/custody/test_custody_schema.py`` holds it to the migrations."""
KNOWN_VERSIONS = frozenset(path.name[:4] for path in (_MIGRATIONS / "versions").glob("0*.py"))
"""The revisions of the migrations shipped, read from their file names: a ledger at any other
was made by a newer version of gbt15311 (or by none), and no migration here can take it."""


def default_url() -> str:
    """``GBT15311_DB`` if set, else ``custody.sqlite3`` in the user data directory."""
    if url := os.environ.get(ENV_VAR):
        return url
    path = Path(platformdirs.user_data_dir("gbt15311")) / "custody.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


HOW = (
    "write sqlite:///PATH (sqlite:////PATH for an absolute path) or "
    "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (postgresql+psycopg:// also), "
    "with an IPv6 host in brackets: postgresql://USER@[::1]:5432/DATABASE"
)
"""How to write a ledger URL, for every message about one that cannot be used."""

_DRIVERS = {"sqlite": ("sqlite", "sqlite+pysqlite"), "postgresql": ("postgresql+psycopg",)}


def parse(url: str) -> URL:
    """The ledger URL ``url``, checked without touching any database: one this library can
    open (SQLite through the standard library, PostgreSQL through psycopg 3), with a port
    that is a port. Raises ``CustodyError`` saying how to write it."""
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError):
        raise CustodyError(f"database URL {_masked(url)!r} cannot be read; {HOW}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in _DRIVERS:
        raise CustodyError(
            f"database URL {_shown(parsed)}: only SQLite and PostgreSQL ledgers are supported; "
            + HOW
        )
    if parsed.drivername not in _DRIVERS[backend]:
        raise CustodyError(
            f"database URL {_shown(parsed)}: the driver {parsed.get_driver_name()!r} is not "
            f"supported, only {' or '.join(_DRIVERS[backend])}; {HOW}"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise CustodyError(
            f"database URL {_shown(parsed)}: the custody ledger needs an SQLite file, "
            f"not an in-memory database; {HOW}"
        )
    if port is not None and not 0 < port < 65536:
        raise CustodyError(f"database URL {_shown(parsed)}: port {port} is not 1 to 65535; {HOW}")
    if backend == "postgresql" and importlib.util.find_spec("psycopg") is None:
        raise CustodyError("a PostgreSQL ledger needs psycopg 3: pip install 'gbt15311[postgres]'")
    return parsed


def connect(url: str | None = None, *, create: bool = False) -> Engine:
    """An engine for ``url`` (default: ``default_url()``), set up for safe concurrent writers.

    An SQLite file that does not exist is only created when ``create`` is set, so a mistyped
    path fails instead of leaving an empty database behind.
    """
    parsed = parse(default_url() if url is None else url)
    if parsed.get_backend_name() == "sqlite":
        return _refusing_nul(_sqlite_engine(parsed, create=create))
    # A terminal must not hang on an unreachable server; a URL can still set its own.
    waiting = {} if "connect_timeout" in parsed.query else {"connect_timeout": 10}
    try:
        return _refusing_nul(create_engine(parsed, connect_args=waiting))
    except (ArgumentError, ImportError, ValueError) as error:
        raise CustodyError(
            f"database URL {_shown(parsed)} cannot be used: {error}; {HOW}"
        ) from None


def _refusing_nul(engine: Engine) -> Engine:
    """Refuse, on either engine, a text holding U+0000 before any statement sends it.

    PostgreSQL can hold it neither in a text column nor in the JSON of a payload (the
    serial index reads it as ``jsonb``) and fails with a driver error; SQLite would keep
    it. A NUL means nothing on paper, so both refuse it alike, and nothing is written.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _check(
        _connection: Any, _cursor: Any, _statement: str, parameters: Any, *_rest: Any
    ) -> None:
        rows = parameters if isinstance(parameters, list) else [parameters]  # executemany
        for row in rows:
            for value in row.values() if isinstance(row, dict) else row:
                # The plain tests first: a receipt sends half a million values.
                if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                    found = _NUL.search(value)
                    if found:
                        raise _nul_refused(value, found.start())

    return engine


_NUL = re.compile(r"\x00|(?<!\\)(?:\\\\)*\\u0000")
"""U+0000 itself, or as the JSON escape of a payload's text (``\\u0000`` after an even number of
backslashes: a note that spells ``\\u0000`` out is dumped as ``\\\\u0000``, and holds none)."""


def _nul_refused(value: str, at: int) -> Refused:
    near = value[max(0, at - 20) : at + 26]
    return Refused(
        f"a text given contains U+0000, a NUL character, which no record can hold "
        f"(near {near!r}); nothing was written"
    )


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _masked(url: str) -> str:
    """A URL that did not parse, with anything that looks like a password hidden."""
    return re.sub(r"(://[^/@]*?:)[^/@]*@", r"\1***@", url)


SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_engine(url: URL, *, create: bool) -> Engine:
    _check_sqlite_file(Path(str(url.database)), create=create)
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin hook below decide how transactions start (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if create:  # WAL mode is kept in the file; setting it writes, so only ``init`` does
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def snapshot(engine: Engine) -> dict[str, Any]:
    """Execution options for a read-only transaction that sees one moment throughout."""
    if engine.dialect.name == "postgresql":
        return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    return {READ_ONLY: True}


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse, leaving it as it is, a file that is not a ledger to open: opening it would
    write an SQLite header into it. ``custody init`` may make a ledger of a missing or empty
    file (as ``touch`` leaves it), never of a file holding something else."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        if create:
            return
        raise CustodyError(
            f"no ledger at {path}; run `gbt15311 custody init` to create one"
        ) from None
    except OSError as error:
        raise CustodyError(f"the ledger file {path} cannot be read: {error.strerror}") from None
    if header == SQLITE_HEADER or (create and not header):
        return
    if not header:
        raise CustodyError(
            f"{path} is an empty file, not a ledger; run `gbt15311 custody init` first"
        )
    raise CustodyError(f"{path} is not an SQLite database, so not a ledger; name the ledger file")


def describe(error: DBAPIError, engine: Engine) -> CustodyError:
    """A clerk-readable error for a database that cannot be reached or used."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return CustodyError(f"database {_shown(engine.url)} cannot be used: {reason}")


def _config(connection: Any) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


_MIGRATING = threading.Lock()
"""Alembic keeps the running migration's context in module globals (``alembic.context``,
``alembic.op``): two ledgers migrated at once in one process would run on each other's
connection, so migrations in a process take turns."""


def migrate(engine: Engine) -> None:
    """Create the custody tables, or bring them up to the current version."""
    from alembic import command

    try:
        with _MIGRATING, engine.begin() as connection:
            _refuse_newer(_version(connection), engine)
            command.upgrade(_config(connection), "head")
    except DBAPIError as error:
        raise describe(error, engine) from None


def check_version(engine: Engine) -> None:
    """Refuse to work on a database that ``custody init`` has not created or migrated."""
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
            current = _version(connection)
    except DBAPIError as error:
        raise describe(error, engine) from None
    _refuse_newer(current, engine)
    if current is None:
        raise CustodyError(
            f"database {_shown(engine.url)} holds no custody ledger; "
            "run `gbt15311 custody init` first"
        )
    if current != SCHEMA_HEAD:
        raise CustodyError(
            f"database {_shown(engine.url)} has ledger schema {current}, this version needs "
            f"{SCHEMA_HEAD}; run `gbt15311 custody init` to migrate"
        )


def _version(connection: Connection) -> str | None:
    """The ledger schema's revision, or ``None`` where ``init`` has made no ledger."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    return ", ".join(versions.scalars()) or None


def _refuse_newer(current: str | None, engine: Engine) -> None:
    """A ledger of a revision no shipped migration knows, as a newer gbt15311 leaves it:
    neither opened nor migrated, since no migration here leads from it."""
    if current is not None and current not in KNOWN_VERSIONS:
        raise CustodyError(
            f"database {_shown(engine.url)} has ledger schema {current}, which this version of "
            f"gbt15311 does not know (it knows {min(KNOWN_VERSIONS)} to {SCHEMA_HEAD}): a newer "
            "version made or migrated it; use that version, or upgrade gbt15311"
        )
