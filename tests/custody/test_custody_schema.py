"""The migrations build exactly the tables ``_schema.py`` describes; the public API is pinned."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from ledgerkit import give, receive, seed, snapshot
from sqlalchemy import Connection, select, text

from gbt15311 import custody
from gbt15311.cli import main
from gbt15311.custody.proof._history import _mentioning
from gbt15311.custody.store._database import SCHEMA_HEAD, VERSION_TABLE
from gbt15311.custody.store._schema import events, metadata
from gbt15311.exceptions import CustodyError

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"


@pytest.mark.filterwarnings("ignore:.*expression-based index 'ix_events_serial'")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_schema(engine_url: str) -> None:
    """Tables, columns and indexes alike (SQLite cannot reflect the expression index of
    0004, so alembic leaves it out there)."""
    ledger = custody.init_ledger(engine_url)
    with ledger.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = [
            difference
            for difference in compare_metadata(context, metadata)
            if not (difference[0] == "remove_table" and difference[1].name == VERSION_TABLE)
        ]
    assert differences == []


def test_init_twice_changes_nothing(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 20)
    give(ledger, "B1", count=5)
    reserved = custody.allocate(ledger, "T1")
    custody.use(ledger, reserved.serial, licence_no="26-31-000001")
    custody.allocate(ledger, "T1")
    before = snapshot(ledger)
    ledger.engine.dispose()
    again = custody.init_ledger(engine_url)
    assert snapshot(again) == before
    assert custody.verify(again).events == before[0]
    again.engine.dispose()


def test_postgresql_without_its_driver_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    for url in ("postgresql://custody@ledger.example/custody", "postgresql+psycopg://x@h/db"):
        with pytest.raises(CustodyError, match=r"pip install 'gbt15311\[postgres\]'"):
            custody.open_ledger(url)


def test_postgresql_is_an_extra_and_what_changes_print_is_bounded() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {re.split(r"[\[<>=]", spec)[0]: spec for spec in project["dependencies"]}
    assert "psycopg" not in required
    assert project["optional-dependencies"]["postgres"] == ["psycopg[binary]>=3.1"]
    assert "postgres" in project["optional-dependencies"]["dev"][0]
    assert "pillow" in required
    for name in ("reportlab", "fonttools", "chinesecalendar"):
        assert "<" in required[name], f"{name} has no upper bound"
    # The printed country names are the shipped tables, which pycountry (for the tests that
    # hold them to it) only regenerates: a test dependency, bounded all the same.
    assert "pycountry" not in required
    tested = {
        re.split(r"[\[<>=]", spec)[0]: spec for spec in project["optional-dependencies"]["test"]
    }
    assert "<" in tested["pycountry"], "pycountry has no upper bound"


def test_the_schema_head_every_command_checks_is_the_newest_migration() -> None:
    config = Config()
    config.set_main_option(
        "script_location", str(ROOT / "gbt15311" / "custody" / "store" / "migrations")
    )
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_a_ledger_of_another_version_must_be_migrated(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    with ledger.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0005'"))
    with pytest.raises(CustodyError, match="run `gbt15311 custody init` to migrate"):
        custody.open_ledger(engine_url)


@pytest.mark.parametrize("newer", ["0007", "0100", "ffff0123"])
def test_a_ledger_of_a_newer_version_is_neither_opened_nor_migrated(
    engine_url: str, newer: str
) -> None:
    """``init`` cannot take it back (no migration here leads from it): it says so, and the
    command line says it without a traceback, leaving the ledger as it was."""
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '{newer}'"))
    before = snapshot(ledger)
    for attempt in (custody.open_ledger, custody.init_ledger):
        with pytest.raises(CustodyError, match=f"schema {newer}, which this version .* not know"):
            attempt(engine_url)
    for command in (["init"], ["verify"], ["stock"]):
        result = CliRunner().invoke(main, ["custody", *command, "--db", engine_url])
        assert result.exit_code == 1, result.output
        assert f"has ledger schema {newer}, which this version" in result.output
        assert "Traceback" not in result.output
    assert snapshot(ledger) == before
    with ledger.engine.connect() as connection:
        kept = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    assert kept == newer


def _undo_0003(connection: Connection) -> None:
    """Take a ledger back to version 0002: no balances, their triggers or the reserved index
    (nor the indexes of events by serial, of 0004, by kind and time, of 0005, and of ranges,
    of 0006)."""
    connection.execute(text("DROP TABLE event_ranges"))
    connection.execute(text("DROP INDEX ix_events_kind_at"))
    connection.execute(text("DROP INDEX ix_events_serial"))
    on = " ON certificates" if connection.dialect.name == "postgresql" else ""
    for trigger in ("certificates_balance_insert", "certificates_balance_update"):
        connection.execute(text(f"DROP TRIGGER {trigger}{on}"))
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION certificates_balance()"))
    connection.execute(text("DROP INDEX ix_certificates_reserved"))
    connection.execute(text("DROP TABLE balances"))
    connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0002'"))


def test_a_ledger_of_version_0002_gets_its_balances_when_migrated(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 100)
    give(ledger, "B1", count=10)
    with ledger.engine.begin() as connection:
        _undo_0003(connection)
    ledger.close()
    with custody.init_ledger(engine_url) as migrated:
        assert custody.stock(migrated) == {"IL": {"in_store": 90, "with_terminal": 10}}
        custody.allocate(migrated, "T1")
        assert custody.stock(migrated)["IL"]["reserved"] == 1
        custody.verify(migrated)


def test_a_ledger_of_version_0001_keeps_its_head_time_when_migrated(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    with ledger.engine.begin() as connection:
        _undo_0003(connection)
        connection.execute(text("ALTER TABLE chain_head DROP COLUMN at"))
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0001'"))
    ledger.engine.dispose()
    migrated = custody.init_ledger(engine_url)
    assert custody.verify(migrated).events == 11
    custody.add_office(migrated, "GZ", "广州", by="wang")
    assert custody.verify(migrated).events == 12
    migrated.engine.dispose()


def test_exported_names_are_the_documented_ones() -> None:
    documented = (DOCS / "custody.md").read_text(encoding="utf-8")
    section = documented.split("## Library API", 1)[1].split("\n## ", 1)[0]
    names = {
        name
        for line in section.splitlines()
        if line.startswith("- ")
        for name in re.findall(r"`(\w+)`", line.split(" — ")[0])
    }
    assert names == set(custody.__all__)


def test_where_reads_a_blanks_events_through_the_indexes(tmp_path: Path) -> None:
    """``where`` asks for the events naming the serial through ``ix_events_serial`` and those
    whose ranges hold it through ``ix_event_ranges_serials``, then each event by its number:
    it reads no table through, so its time does not grow with the ledger's history."""
    ledger = custody.init_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    query = select(events.c.seq).where(_mentioning("IL", "00000005"))
    with ledger.read() as connection:
        compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
        plan = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    ledger.close()
    steps = [step.detail for step in plan if step.detail.startswith(("SCAN", "SEARCH"))]
    assert not [step for step in steps if step.startswith("SCAN")], steps
    assert any("USING INDEX ix_events_serial" in step for step in steps), steps
    assert any("INDEX ix_event_ranges_serials" in step for step in steps), steps
    assert all("INDEX" in step or "PRIMARY KEY" in step for step in steps), steps


def _ranges_of(ledger: custody.Ledger) -> list[tuple[int, str, str, str]]:
    with ledger.read() as connection:
        query = text(
            "SELECT seq, type_code, first_serial, last_serial FROM event_ranges "
            "ORDER BY seq, position"
        )
        return [tuple(row) for row in connection.execute(query)]


def test_the_append_indexes_the_ranges_an_event_names(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 20)
    receive(ledger, "B2", 21, 30)
    give(ledger, "B1", count=5)
    reserved = custody.allocate(ledger, "T1")
    custody.use(ledger, reserved.serial, licence_no="26-31-000001")
    indexed = _ranges_of(ledger)
    with ledger.read() as connection:
        naming = {
            seq: kind for seq, kind in connection.execute(text("SELECT seq, kind FROM events"))
        }
    assert [(naming[seq], first, last) for seq, _type, first, last in indexed] == [
        ("shipment_received", "00000001", "00000020"),
        ("shipment_received", "00000021", "00000030"),
        ("issued_out", "00000001", "00000005"),
    ]
    history = custody.where(ledger, reserved.serial).history
    assert [event.kind for event in history] == [
        "shipment_received",
        "issued_out",
        "reserved",
        "used",
    ]
    assert [event.kind for event in custody.where(ledger, "00000003").history] == [
        "shipment_received",
        "issued_out",
    ]
    assert [event.kind for event in custody.where(ledger, "00000025").history] == [
        "shipment_received"
    ]
    custody.verify(ledger)
    ledger.close()


def test_a_ledger_of_version_0005_gets_its_index_of_ranges_when_migrated(
    engine_url: str,
) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    receive(ledger, "B1", 1, 20)
    give(ledger, "B1", count=5)
    before = _ranges_of(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(text("DROP TABLE event_ranges"))
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0005'"))
    ledger.close()
    with custody.init_ledger(engine_url) as migrated:
        assert len(before) == 2
        assert _ranges_of(migrated) == before
        custody.verify(migrated)
