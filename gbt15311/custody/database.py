"""Where the ledger lives and how to reach it: URL, engine, locking, migrations.

SQLite (the default, a file in the user data directory) runs in WAL mode and every writer
takes the write lock up front with ``BEGIN IMMEDIATE``, so two terminals never both read
"lowest free serial" and then collide; readers begin a plain deferred transaction and see a
snapshot. PostgreSQL (by URL, psycopg 3) serves many terminals sharing one stock.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from gbt15311.exceptions import CustodyError

ENV_VAR = "GBT15311_DB"
VERSION_TABLE = "custody_schema_version"
READ_ONLY = "gbt15311_read_only"
"""Execution option that makes a SQLite transaction start deferred (a reader)."""

_MIGRATIONS = Path(__file__).parent / "migrations"


def default_url() -> str:
    """``GBT15311_DB`` if set, else ``custody.sqlite3`` in the user data directory."""
    if url := os.environ.get(ENV_VAR):
        return url
    path = Path(platformdirs.user_data_dir("gbt15311")) / "custody.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def connect(url: str | None = None, *, create: bool = False) -> Engine:
    """An engine for ``url`` (default: ``default_url()``), set up for safe concurrent writers.

    An SQLite file that does not exist is only created when ``create`` is set, so a mistyped
    path fails instead of leaving an empty database behind.
    """
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise CustodyError(f"database URL {url!r} cannot be read: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        if not create and parsed.database and not Path(parsed.database).exists():
            raise CustodyError(
                f"no ledger at {parsed.database}; run `gbt15311 custody init` to create one"
            )
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        _require_psycopg(parsed)
        # A terminal must not hang on an unreachable server; a URL can still set its own.
        waiting = {} if "connect_timeout" in parsed.query else {"connect_timeout": 10}
        try:
            return create_engine(parsed, connect_args=waiting)
        except (ArgumentError, NoSuchModuleError) as error:
            raise CustodyError(f"database URL {_shown(parsed)} cannot be used: {error}") from None
    raise CustodyError(
        f"database URL {_shown(parsed)}: only sqlite:/// and postgresql:// are supported"
    )


def _require_psycopg(url: URL) -> None:
    """PostgreSQL is optional: without its driver, say how to install it."""
    if url.drivername != "postgresql+psycopg":
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise CustodyError(
            f"database URL {_shown(url)} needs the PostgreSQL driver psycopg, which is not "
            "installed: pip install 'gbt15311[postgres]'"
        ) from None


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_engine(url: URL) -> Engine:
    if url.database in (None, "", ":memory:"):
        raise CustodyError("the custody ledger needs an SQLite file, not an in-memory database")
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin hook below decide how transactions start (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def describe(error: DBAPIError, engine: Engine) -> CustodyError:
    """A clerk-readable error for a database that cannot be reached or used."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return CustodyError(f"database {_shown(engine.url)} cannot be used: {reason}")


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Create the custody tables, or bring them up to the current version."""
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
    except DBAPIError as error:
        raise describe(error, engine) from None


def check_version(engine: Engine) -> None:
    """Refuse to work on a database that ``custody init`` has not created or migrated."""
    head = ScriptDirectory.from_config(_config(None)).get_current_head()
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
            context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            current = context.get_current_revision()
    except DBAPIError as error:
        raise describe(error, engine) from None
    if current is None:
        raise CustodyError(
            f"database {_shown(engine.url)} holds no custody ledger; "
            "run `gbt15311 custody init` first"
        )
    if current != head:
        raise CustodyError(
            f"database {_shown(engine.url)} has ledger schema {current}, this version needs "
            f"{head}; run `gbt15311 custody init` to migrate"
        )
