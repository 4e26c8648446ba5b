"""The allocator's one-statement path on PostgreSQL: it takes the common case, writes nothing
in any other (the general path then decides and says why), and the JSON and hash it makes in
the database are the ones ``verify`` recomputes in Python."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledgerkit import drop_postgres_schema, fresh_postgres_schema, give, receive, seed, snapshot
from sqlalchemy import Engine, create_engine, event, select, text

import gbt15311.custody.operations._at_once as at_once
from gbt15311 import custody
from gbt15311.custody.store._events import dumps
from gbt15311.custody.store._schema import certificates
from gbt15311.exceptions import CustodyError, NoStock, Refused


@pytest.fixture
def shared(postgres_url: str) -> Iterator[custody.Ledger]:
    """A PostgreSQL ledger: B1's first 10 blanks with T1, whose custodian is chen."""
    schema, url = fresh_postgres_schema(postgres_url)
    ledger = custody.init_ledger(url)
    seed(ledger)
    custody.add_person(ledger, "sun", "孙操作", ["operator"], by="wang", office="NB")
    custody.add_person(ledger, "zhou", "周流动", ["operator"], by="wang")
    receive(ledger, "B1", 1, 100)
    give(ledger, "B1", count=10)
    yield ledger
    ledger.engine.dispose()
    drop_postgres_schema(postgres_url, schema)


def test_the_common_case_takes_one_statement_each(shared: custody.Ledger) -> None:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(shared.engine, "before_cursor_execute", count)
    try:
        for number, by in enumerate((None, "liu", "zhou")):
            statements.clear()
            reserved = custody.allocate(shared, "T1", by=by)
            assert reserved.actor == (by or "chen")
            assert len(statements) == 1, statements
            statements.clear()
            seq = custody.use(shared, reserved.serial, licence_no=f"26-31-00000{number}", by=by)
            assert seq == reserved.seq + 1
            assert len(statements) == 1, statements
    finally:
        event.remove(shared.engine, "before_cursor_execute", count)
    with shared.read() as connection:
        states = {row.serial: row.state for row in connection.execute(select(certificates))}
    assert [states[f"{n:08d}"] for n in (1, 2, 3, 4)] == ["used", "used", "used", "with_terminal"]
    assert custody.verify(shared).events > 0


Operation = Callable[[custody.Ledger], Any]


def _allocate(
    terminal: str = "T1", type: str | None = None, by: str | None = None
) -> tuple[Operation, Operation]:
    """The one statement, and the library's operation, for the same allocation."""
    return (
        lambda ledger: at_once.allocate(ledger, terminal, type, by),
        lambda ledger: custody.allocate(ledger, terminal, type=type, by=by),
    )


def _use(
    serial: str = "00000001",
    licence_no: str = "26-31-000001",
    type: str | None = None,
    by: str | None = None,
    terminal: str | None = None,
) -> tuple[Operation, Operation]:
    """The one statement, and the library's operation, for the same use."""
    return (
        lambda ledger: at_once.use(ledger, serial, licence_no, type, by, terminal),
        lambda ledger: custody.use(
            ledger, serial, licence_no=licence_no, type=type, by=by, terminal=terminal
        ),
    )


OUT_OF_THE_ORDINARY = {
    "unknown terminal": _allocate("T9"),
    "terminal without stock": _allocate("T2"),
    "no blank of the type": _allocate(type="XL"),
    "unknown person": _allocate(by="nobody"),
    "person without the operator role": _allocate(by="li"),
    "operator of another office": _allocate(by="sun"),
    "serial not reserved": _use("00000002"),
    "unknown serial": _use("99999999"),
    "serial of another type named": _use(type="XL"),
    "reserved at another terminal": _use(terminal="T2"),
    "licence already printed": _use(licence_no="26-31-000009"),
    "use by a non-operator": _use(by="zhao"),
}


@pytest.mark.parametrize("case", OUT_OF_THE_ORDINARY)
def test_anything_else_writes_nothing_and_the_general_path_decides(
    shared: custody.Ledger, case: str
) -> None:
    custody.allocate(shared, "T1")  # 00000001 reserved
    custody.use(shared, custody.allocate(shared, "T1").serial, licence_no="26-31-000009")
    one_statement, operation = OUT_OF_THE_ORDINARY[case]
    before = snapshot(shared)
    assert one_statement(shared) is None
    assert snapshot(shared) == before
    with pytest.raises((Refused, NoStock)):
        operation(shared)
    assert snapshot(shared) == before


def test_two_types_held_need_the_type_named(shared: custody.Ledger) -> None:
    custody.add_type(shared, "XL", "出口许可证", serial_width=8, by="wang")
    box = custody.Box("X1", "00000001", "00000005", type="XL")
    custody.receive_shipment(
        shared, office="SH", shipment="W-X1", boxes_found=[box], checkers=["li", "zhao"], by="li"
    )
    custody.issue_out(
        shared, box="X1", terminal="T1", by="li", receiver="chen", head="wang", type="XL"
    )
    before = snapshot(shared)
    assert at_once.allocate(shared, "T1", None, None) is None
    assert snapshot(shared) == before
    reserved = at_once.allocate(shared, "T1", "XL", None)
    assert reserved is not None
    assert (reserved.type_code, reserved.serial) == ("XL", "00000001")
    assert at_once.use(shared, "00000001", "26-31-000001", None, None, None) is None
    assert at_once.use(shared, "00000001", "26-31-000001", "XL", None, None) is not None


AWKWARD = '终"端\\1,"at":"\u2028😀'
"""A code with a quote, a backslash, what the canonical form's ``at`` key looks like, a line
separator JSON leaves alone and a character beyond the basic plane."""
PREFIX = '"\\/\x7f'
"""A serial prefix of the ASCII characters JSON escapes, or might."""


def test_awkward_codes_are_written_as_json_and_hashed_as_verify_does(
    shared: custody.Ledger,
) -> None:
    custody.add_person(shared, AWKWARD, "名", ["operator"], by="wang", office="SH")
    custody.add_type(shared, AWKWARD, "类型", serial_width=4, prefix=PREFIX, by="wang")
    custody.add_terminal(shared, AWKWARD, "窗口", office="SH", by="wang")
    box = custody.Box("A", PREFIX + "0001", PREFIX + "0004", type=AWKWARD)
    custody.receive_shipment(
        shared, office="SH", shipment="W-A", boxes_found=[box], checkers=["li", "zhao"], by="li"
    )
    custody.issue_out(
        shared, box="A", terminal=AWKWARD, by="li", receiver=AWKWARD, head="wang", type=AWKWARD
    )
    for by in (None, AWKWARD):
        reserved = at_once.allocate(shared, AWKWARD, AWKWARD, by)
        assert reserved is not None
        assert reserved.actor == AWKWARD
        licence_no = f"26-31-00000{reserved.seq % 10}"
        assert at_once.use(shared, reserved.serial, licence_no, AWKWARD, by, AWKWARD) is not None
    assert custody.verify(shared).events > 0


@pytest.fixture(scope="module")
def server(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


@settings(max_examples=300, deadline=None)
@given(value=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
def test_the_database_writes_a_string_as_json_exactly_as_python_does(
    server: Engine, value: str
) -> None:
    with server.connect() as connection:
        written = connection.execute(
            text("SELECT CAST(to_json(CAST(:value AS text)) AS text)"), {"value": value}
        ).scalar_one()
    assert written == dumps(value)


def test_a_database_error_on_this_path_is_described(shared: custody.Ledger) -> None:
    with pytest.raises(CustodyError, match="cannot be used"), shared.at_once() as connection:
        connection.execute(text("SELECT no_such_column FROM certificates"))
