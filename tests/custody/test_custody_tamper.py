"""Edits behind the library's back: refused by the database, or caught by ``verify``."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from gbt15311 import custody
from gbt15311.custody.store._events import Kind
from gbt15311.exceptions import LedgerCorrupt


def behind_the_back(ledger: custody.Ledger, *statements: str) -> None:
    with ledger.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def drop_guards(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TRIGGER events_no_update"))
        connection.execute(text("DROP TRIGGER events_no_delete"))
    else:
        connection.execute(text("DROP TRIGGER events_no_update_delete ON events"))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET actor = 'x' WHERE seq = 3", "DELETE FROM events WHERE seq = 3"],
)
def test_the_database_refuses_to_change_events(stocked: custody.Ledger, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        behind_the_back(stocked, statement)
    custody.verify(stocked)


def test_postgresql_refuses_to_truncate_events(stocked: custody.Ledger) -> None:
    if stocked.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        behind_the_back(stocked, "TRUNCATE events CASCADE")


def test_an_edited_event_is_named(stocked: custody.Ledger) -> None:
    with stocked.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(
            text("UPDATE events SET payload = replace(payload, 'chen', 'liu') WHERE seq = 13")
        )
    with pytest.raises(
        LedgerCorrupt, match=r"event 13 \(issued_out by li .*does not match its hash"
    ):
        custody.verify(stocked)


def test_a_payload_rewritten_to_the_same_meaning_is_named(stocked: custody.Ledger) -> None:
    """The hash covers the payload's text as stored: spaces added to its JSON, which reads
    back the same, are an edit all the same."""
    with stocked.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(
            text(
                "UPDATE events SET payload = replace(payload, '\"head\":', '\"head\": ') "
                "WHERE seq = 13"
            )
        )
    with pytest.raises(
        LedgerCorrupt, match=r"event 13 \(issued_out by li .*does not match its hash"
    ):
        custody.verify(stocked)


def test_a_deleted_event_is_named(stocked: custody.Ledger) -> None:
    with stocked.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(text("DELETE FROM events WHERE seq = 5"))
    with pytest.raises(LedgerCorrupt, match="event 5 is missing"):
        custody.verify(stocked)


def test_a_dropped_last_event_is_caught_by_the_head(stocked: custody.Ledger) -> None:
    with stocked.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(text("DELETE FROM events WHERE seq = 13"))
    with pytest.raises(LedgerCorrupt, match="chain head says event 13"):
        custody.verify(stocked)


def test_an_edited_state_row_is_named(stocked: custody.Ledger) -> None:
    behind_the_back(
        stocked,
        "UPDATE certificates SET state = 'in_store', terminal_code = NULL "
        "WHERE serial = '00000007'",
    )
    with pytest.raises(
        LedgerCorrupt, match="serial 00000007 of type IL: the state table says in_store"
    ):
        custody.verify(stocked)


def test_an_inserted_state_row_is_named(stocked: custody.Ledger) -> None:
    behind_the_back(
        stocked,
        "INSERT INTO certificates (type_code, serial, box_no, state, office_code, seq) "
        "VALUES ('IL', '00000101', 'B1', 'in_store', 'SH', 12)",
    )
    with pytest.raises(LedgerCorrupt, match=r"serial 00000101 .* the events say nothing"):
        custody.verify(stocked)


def test_a_changed_custodian_is_named(stocked: custody.Ledger) -> None:
    behind_the_back(stocked, "UPDATE terminals SET custodian = 'liu' WHERE code = 'T1'")
    with pytest.raises(LedgerCorrupt, match="terminal T1"):
        custody.verify(stocked)


def test_a_forged_event_with_a_valid_hash_is_caught_by_the_replay(
    stocked: custody.Ledger,
) -> None:
    custody.report_loss(stocked, ["00000003"], by="li", note="gone")
    with stocked.write() as writer:
        writer.append(
            Kind.USED,
            "chen",
            {"type": "IL", "serial": "00000003", "terminal": "T1", "licence_no": "26-31-000009"},
        )
    with pytest.raises(LedgerCorrupt, match=r"event 15 .*cannot go from lost to used"):
        custody.verify(stocked)


def test_an_edited_balance_is_named(stocked: custody.Ledger) -> None:
    """The balances ``stock`` reads are checked against the events like every state row."""
    behind_the_back(
        stocked,
        "UPDATE balances SET count = count + 1 WHERE state = 'in_store' AND office_code = 'SH'",
    )
    assert custody.stock(stocked)["IL"]["in_store"] == 91
    with pytest.raises(
        LedgerCorrupt, match="balance of IL in_store in office SH: the state table says 91, "
    ):
        custody.verify(stocked)


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        (
            "DELETE FROM event_ranges WHERE seq = 13",
            r"range 1 of event 13 in the index of ranges: the table says nothing, "
            r"the events say IL 00000001\.\.00000010",
        ),
        (
            "UPDATE event_ranges SET last_serial = '00000009' WHERE seq = 13",
            r"range 1 of event 13 in the index of ranges: the table says IL "
            r"00000001\.\.00000009, the events say IL 00000001\.\.00000010",
        ),
        (
            "INSERT INTO event_ranges VALUES (12, 1, 'IL', '00000200', '00000300')",
            r"range 2 of event 12 in the index of ranges: the table says IL "
            r"00000200\.\.00000300, the events say nothing",
        ),
    ],
)
def test_an_edited_index_of_ranges_is_named(
    stocked: custody.Ledger, statement: str, said: str
) -> None:
    """The ranges ``where`` reads through are checked against the events they index."""
    behind_the_back(stocked, statement)
    with pytest.raises(LedgerCorrupt, match=said):
        custody.verify(stocked)


def test_balances_follow_every_change_of_the_certificates(stocked: custody.Ledger) -> None:
    custody.void(stocked, ["00000011", "00000012"], reason="fire", by="li", policy={})
    custody.transfer_to_office(
        stocked, serials=["00000020"], to_office="NB", approval="函57", by="wang"
    )
    reserved = custody.allocate(stocked, "T1")
    custody.use(stocked, reserved.serial, licence_no="26-31-000001")
    assert custody.stock(stocked) == {
        "IL": {"in_store": 88, "with_terminal": 9, "used": 1, "void": 2}
    }
    assert custody.stock(stocked, office="NB") == {"IL": {"in_store": 1}}
    custody.verify(stocked)
