"""Reaching the ledger: URLs that cannot be used, files that are not ledgers, and two
ledgers opened at once in one process."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from ledgerkit import drop_postgres_schema, fresh_postgres_schema, seed
from sqlalchemy import select

import gbt15311.custody.store._database as database
from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.store._schema import offices
from gbt15311.exceptions import CustodyError

BAD_URLS = [
    ("postgresql+psycopg://postgres:secret@127.0.0.1:notaport/x", "cannot be read"),
    ("postgresql+psycopg://postgres@[::1/x", "cannot be read"),
    ("postgresql+psycopg://postgres@127.0.0.1:70000/x", "port 70000"),
    ("postgresql+psycopg2://postgres@127.0.0.1/x", "driver 'psycopg2' is not supported"),
    ("postgresql+asyncpg://postgres@127.0.0.1/x", "driver 'asyncpg' is not supported"),
    ("sqlite+aiosqlite:///ledger.sqlite3", "driver 'aiosqlite' is not supported"),
    ("mysql://custody@127.0.0.1/custody", "only SQLite and PostgreSQL"),
    ("ledger.sqlite3", "cannot be read"),
    ("", "cannot be read"),
    ("sqlite://", "not an in-memory database"),
]


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_a_url_that_cannot_be_used_says_how_to_write_one(url: str, message: str) -> None:
    for opening in (custody.open_ledger, custody.init_ledger):
        with pytest.raises(CustodyError, match=message) as refused:
            opening(url)
        assert "postgresql://USER:PASSWORD@HOST:PORT/DATABASE" in str(refused.value)
        assert "secret" not in str(refused.value)


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
@pytest.mark.parametrize("where", ["before", "after"])
def test_the_command_line_refuses_such_a_url_as_usage(url: str, message: str, where: str) -> None:
    args = ["--db", url, "verify"] if where == "before" else ["verify", "--db", url]
    result = CliRunner().invoke(main, ["custody", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("content", [b"", b"not a ledger\n", b"\x00" * 100])
def test_a_file_that_is_no_ledger_is_refused_and_left_as_it_was(
    tmp_path: Path, content: bytes
) -> None:
    """Opening such a file with SQLite would write a database header into it."""
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(content)
    result = CliRunner().invoke(
        main,
        ["custody", "--db", f"sqlite:///{path}", "use", "00000001", "--licence-no", "26-01-000001"],
    )
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output
    with pytest.raises(CustodyError, match=r"empty file|not an SQLite database"):
        custody.open_ledger(f"sqlite:///{path}")
    if content:
        with pytest.raises(CustodyError, match="not an SQLite database"):
            custody.init_ledger(f"sqlite:///{path}")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite3"]


def test_another_programs_sqlite_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
        other.commit()
    content = path.read_bytes()
    with pytest.raises(CustodyError, match="holds no custody ledger"):
        custody.open_ledger(f"sqlite:///{path}")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]


def test_a_ledger_keeps_the_wal_mode_init_gave_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    custody.init_ledger(url).engine.dispose()
    ledger = custody.open_ledger(url)
    with ledger.read() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    ledger.engine.dispose()


@given(
    url=st.text()
    | st.builds(
        "{}://{}".format,
        st.sampled_from(["postgresql", "postgresql+psycopg", "sqlite", "postgresql+psycopg2", ""]),
        st.text(),
    )
)
def test_any_text_as_a_url_is_a_url_or_a_custody_error(url: str) -> None:
    """Hostile text (surrogates, brackets, colons, huge ports) never escapes as another
    exception; a refusal says how to write the URL."""
    try:
        parsed = database.parse(url)
    except CustodyError as error:
        message = str(error)
    else:
        assert parsed.get_backend_name() in ("sqlite", "postgresql")
        return
    assert database.HOW in message


def test_init_makes_a_ledger_of_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.touch()
    ledger = custody.init_ledger(f"sqlite:///{path}")
    assert custody.verify(ledger).events == 0
    ledger.engine.dispose()


def test_a_folder_is_not_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(CustodyError, match="cannot be read"):
        custody.open_ledger(f"sqlite:///{tmp_path}")


def _made_at_once(urls: dict[str, str]) -> tuple[dict[str, custody.Ledger], list[BaseException]]:
    """Each URL's ledger created, seeded and given an office named after its engine, in a
    thread of its own, all starting together."""
    start = threading.Barrier(len(urls))
    failures: list[BaseException] = []
    made: dict[str, custody.Ledger] = {}

    def make(engine: str, url: str) -> None:
        try:
            start.wait()
            made[engine] = ledger = custody.init_ledger(url)
            seed(ledger)
            custody.add_office(ledger, engine.upper(), engine, by="wang")
        except BaseException as error:  # reported by the test, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=make, args=item) for item in urls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return made, failures


def test_two_ledgers_made_at_once_in_two_threads_stay_apart(
    postgres_url: str, tmp_path: Path
) -> None:
    """Migrations run through alembic, whose context is process-wide: each thread must still
    create its own ledger on its own engine, and seed it there."""
    for round_no in range(4):
        schema, pg_url = fresh_postgres_schema(postgres_url)
        urls = {"sqlite": f"sqlite:///{tmp_path / f'r{round_no}.sqlite3'}", "postgresql": pg_url}
        made, failures = _made_at_once(urls)
        try:
            assert failures == []
            for engine, ledger in made.items():
                assert ledger.engine.dialect.name == engine
                custody.verify(ledger)
                with ledger.read() as connection:
                    codes = set(connection.execute(select(offices.c.code)).scalars())
                assert engine.upper() in codes
                assert not codes & {other.upper() for other in urls if other != engine}
        finally:
            for ledger in made.values():
                ledger.engine.dispose()
            drop_postgres_schema(postgres_url, schema)


COMMANDS = [
    (["init"], "custody ledger ready"),
    (["verify"], "verified: 11 events"),
    (["stock"], ""),
    (["add-office", "GZ", "--name", "广州", "--by", "wang"], ""),
    (["reservations"], ""),
    (["report", "forecast", "--office", "SH", "--on", "2026-12-01"], ""),
]


@pytest.mark.parametrize(("args", "shown"), COMMANDS)
def test_db_may_come_before_or_after_the_command(
    tmp_path: Path, args: list[str], shown: str
) -> None:
    """The same command with ``--db`` after the group, after the command, and with a wrong
    ledger before and the right one after (the later wins): each acts on the right ledger."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    elsewhere = f"sqlite:///{tmp_path / 'no-ledger-here.sqlite3'}"
    ways = [
        ["--db", url, *args],
        [*args, "--db", url],
        ["--db", elsewhere, *args, "--db", url],
    ]
    results = []
    for way in ways:
        ledger = custody.init_ledger(url)
        seed(ledger)
        before = custody.verify(ledger).events
        result = CliRunner().invoke(main, ["custody", *way])
        assert result.exit_code == 0, (way, result.output)
        assert shown in result.output
        results.append(custody.verify(ledger).events - before)
        ledger.engine.dispose()
        (tmp_path / "ledger.sqlite3").unlink()
    assert len(set(results)) == 1
    assert not (tmp_path / "no-ledger-here.sqlite3").exists()
