"""The migrations build exactly the tables ``schema.py`` describes; the public API is pinned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from ledgerkit import seed
from sqlalchemy import text

from gbt15311 import custody
from gbt15311.custody.database import VERSION_TABLE
from gbt15311.custody.schema import metadata
from gbt15311.exceptions import CustodyError

DOCS = Path(__file__).parents[2] / "docs"


def test_migrations_match_the_schema(engine_url: str) -> None:
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
    custody.init_ledger(engine_url)
    custody.verify(custody.init_ledger(engine_url))


def test_a_ledger_of_another_version_must_be_migrated(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    with ledger.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0000'"))
    with pytest.raises(CustodyError, match="run `gbt15311 custody init` to migrate"):
        custody.open_ledger(engine_url)


def test_a_ledger_of_version_0001_keeps_its_head_time_when_migrated(engine_url: str) -> None:
    ledger = custody.init_ledger(engine_url)
    seed(ledger)
    with ledger.engine.begin() as connection:
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
