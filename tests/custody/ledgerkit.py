"""Helpers for the custody tests: fresh databases, a seeded registry, stock, snapshots."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from gbt15311 import custody
from gbt15311.custody.store._schema import certificates, chain_head, events, terminals

_SESSION = uuid.uuid4().hex[:8]
_schemas = itertools.count()


def fresh_postgres_schema(base_url: str) -> tuple[str, str]:
    """A new empty schema; returns it and a URL whose connections use it."""
    schema = f"custody_{_SESSION}_{next(_schemas)}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    url = make_url(base_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def drop_postgres_schema(base_url: str, schema: str) -> None:
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def database_maker(
    engine: str, request: pytest.FixtureRequest, prefix: str
) -> Callable[[], tuple[str, Callable[[], None]]]:
    """For a state machine: make a fresh ledger database per example, and its clean-up."""
    base = request.getfixturevalue("postgres_url") if engine == "postgresql" else ""

    def make_database() -> tuple[str, Callable[[], None]]:
        if engine == "sqlite":
            folder = tempfile.mkdtemp(prefix=prefix)
            return f"sqlite:///{folder}/ledger.sqlite3", lambda: shutil.rmtree(folder)
        schema, url = fresh_postgres_schema(base)
        return url, lambda: drop_postgres_schema(base, schema)

    return make_database


def seed(ledger: custody.Ledger) -> None:
    """Two offices, three terminals, a type, and people in every role."""
    custody.add_person(ledger, "wang", "王主任", ["head"], by="wang")
    custody.add_office(ledger, "SH", "上海市商务委员会", by="wang")
    custody.add_office(ledger, "NB", "宁波特办", by="wang")
    for code, name, roles in [
        ("li", "李保管", ["keeper", "checker"]),
        ("zhao", "赵核对", ["checker"]),
        ("chen", "陈操作", ["operator"]),
        ("liu", "刘操作", ["operator"]),
    ]:
        custody.add_person(ledger, code, name, roles, by="wang", office="SH")
    custody.add_terminal(ledger, "T1", "一号窗口", office="SH", by="wang")
    custody.add_terminal(ledger, "T2", "二号窗口", office="SH", by="wang")
    custody.add_terminal(ledger, "N1", "宁波窗口", office="NB", by="wang")
    custody.add_type(ledger, "IL", "进口许可证", serial_width=8, by="wang")


def receive(ledger: custody.Ledger, box: str, first: int, last: int, office: str = "SH") -> None:
    custody.receive_shipment(
        ledger,
        office=office,
        shipment=f"W-{box}",
        boxes_found=[custody.Box(box, f"{first:08d}", f"{last:08d}")],
        checkers=["li", "zhao"],
        by="li",
    )


def give(ledger: custody.Ledger, box: str, terminal: str = "T1", count: int | None = None) -> None:
    custody.issue_out(
        ledger, box=box, terminal=terminal, by="li", receiver="chen", head="wang", count=count
    )


def snapshot(ledger: custody.Ledger) -> tuple[Any, ...]:
    """Everything an operation could change: events, chain head, certificates, terminals."""
    with ledger.read() as connection:
        return (
            connection.execute(select(func.count()).select_from(events)).scalar_one(),
            tuple(connection.execute(select(chain_head))),
            tuple(connection.execute(select(certificates).order_by(*certificates.primary_key))),
            tuple(connection.execute(select(terminals).order_by(terminals.c.code))),
        )
