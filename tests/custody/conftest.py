"""Fixtures for the custody tests: the same tests on SQLite and on PostgreSQL.

PostgreSQL comes from ``GBT15311_TEST_POSTGRES_URL``; each test gets its own schema, named
after this session so that parallel runs against one database never meet. Without a
reachable server the PostgreSQL half is skipped, or fails when ``GBT15311_REQUIRE_POSTGRES=1``
(as on CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from ledgerkit import drop_postgres_schema, fresh_postgres_schema, give, receive, seed
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from gbt15311 import custody

POSTGRES_URL = "GBT15311_TEST_POSTGRES_URL"
REQUIRE_POSTGRES = "GBT15311_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test server's URL, once checked to be reachable."""
    url = os.environ.get(POSTGRES_URL)
    problem = None
    if not url:
        problem = f"{POSTGRES_URL} is not set"
    else:
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 5})
            with engine.connect():
                pass
            engine.dispose()
        except (DBAPIError, ValueError) as error:
            problem = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}"
    if problem is None and url is not None:
        return url
    if os.environ.get(REQUIRE_POSTGRES) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES}=1 but {problem}")
    pytest.skip(f"PostgreSQL tests skipped: {problem}")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    base = request.getfixturevalue("postgres_url")
    schema, url = fresh_postgres_schema(base)
    yield url
    drop_postgres_schema(base, schema)


@pytest.fixture
def ledger(engine_url: str) -> Iterator[custody.Ledger]:
    """A seeded ledger with no stock yet."""
    opened = custody.init_ledger(engine_url)
    seed(opened)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def stocked(ledger: custody.Ledger) -> custody.Ledger:
    """Box B1 (00000001..00000100) received; its first 10 issued to terminal T1."""
    receive(ledger, "B1", 1, 100)
    give(ledger, "B1", count=10)
    return ledger
