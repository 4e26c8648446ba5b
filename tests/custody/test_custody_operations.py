"""Each operation of the lifecycle, and each refusal leaving the ledger exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgerkit import give, receive, seed, snapshot
from sqlalchemy import event

from gbt15311 import custody
from gbt15311.exceptions import NoStock, Refused


def refused(ledger: custody.Ledger, operation: Callable[[], Any], message: str) -> None:
    """The operation is refused with ``message`` and nothing is written."""
    before = snapshot(ledger)
    with pytest.raises(Refused, match=message):
        operation()
    assert snapshot(ledger) == before


def test_allocation_takes_the_lowest_serial_and_use_records_the_licence(
    stocked: custody.Ledger,
) -> None:
    first = custody.allocate(stocked, "T1")
    second = custody.allocate(stocked, "T1")
    assert (first.serial, second.serial) == ("00000001", "00000002")
    assert first.actor == "chen"
    custody.use(stocked, first.serial, licence_no="26-31-000001")
    custody.void(stocked, second.serial, reason="misprint", by="chen", note="paper jam")
    found = custody.where(stocked, "00000001")
    assert (found.state, found.licence_no, found.terminal) == ("used", "26-31-000001", "T1")
    assert [event.kind for event in found.history] == [
        "shipment_received",
        "issued_out",
        "reserved",
        "used",
    ]
    assert custody.where(stocked, "00000002").void_reason == "misprint"
    assert custody.verify(stocked).certificates == 100


def test_second_use_is_refused(stocked: custody.Ledger) -> None:
    serial = custody.allocate(stocked, "T1").serial
    custody.use(stocked, serial, licence_no="26-31-000001")
    refused(
        stocked,
        lambda: custody.use(stocked, serial, licence_no="26-31-000002"),
        "already used, for licence 26-31-000001",
    )


def test_one_licence_number_is_printed_on_one_blank(stocked: custody.Ledger) -> None:
    custody.use(stocked, custody.allocate(stocked, "T1").serial, licence_no="26-31-000001")
    serial = custody.allocate(stocked, "T1").serial
    refused(
        stocked,
        lambda: custody.use(stocked, serial, licence_no="26-31-000001"),
        "already printed on serial 00000001",
    )


def test_use_needs_a_reservation_and_a_licence_number(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.use(stocked, "00000005", licence_no="26-31-000001"),
        "not reserved",
    )
    serial = custody.allocate(stocked, "T1").serial
    refused(stocked, lambda: custody.use(stocked, serial, licence_no="26-31-00001"), "YY-OO")


def test_unknown_serial_is_refused(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.void(stocked, "99999999", reason="fire", by="li", policy={}),
        "not in the ledger",
    )


def test_keeper_and_receiver_must_differ(ledger: custody.Ledger) -> None:
    receive(ledger, "B1", 1, 10)
    custody.add_person(ledger, "sun", "孙", ["keeper", "operator"], by="wang")
    refused(
        ledger,
        lambda: custody.issue_out(
            ledger, box="B1", terminal="T1", by="sun", receiver="sun", head="wang"
        ),
        "keeper and receiver must be different",
    )


def test_receipt_needs_two_different_checkers(ledger: custody.Ledger) -> None:
    def receive_alone() -> None:
        custody.receive_shipment(
            ledger,
            office="SH",
            shipment="W1",
            boxes_found=[custody.Box("B1", "00000001", "00000010")],
            checkers=["li", "li"],
            by="li",
        )

    refused(ledger, receive_alone, "two different checkers")


def test_a_serial_is_received_once(ledger: custody.Ledger) -> None:
    receive(ledger, "B1", 1, 10)
    refused(ledger, lambda: receive(ledger, "B2", 10, 20), "00000010 of type IL is already")


def test_discrepancies_seal_the_box_and_sealed_stock_cannot_be_issued(
    ledger: custody.Ledger,
) -> None:
    receipt = custody.receive_shipment(
        ledger,
        office="SH",
        shipment="W1",
        boxes_found=[
            custody.Box("B1", "00000001", "00000010", missing=["00000004"]),
            custody.Box("B2", "00000011", "00000020"),
            custody.Box("B3", "00000021", "00000030", packing_damaged=True),
            custody.Box("B4", "00000031", "00000040", waybill_count=12),
        ],
        checkers=["li", "zhao"],
        by="li",
        head="wang",
        note="carton 3 wet",
    )
    assert receipt.received == 39
    assert receipt.sealed_boxes == ("B1", "B3", "B4")
    refused(ledger, lambda: give(ledger, "B1"), "sealed")
    give(ledger, "B2")
    custody.return_to_bureau(ledger, box="B1", by="li", note="missing 00000004")
    assert custody.where(ledger, "00000001").state == "returned"
    refused(ledger, lambda: custody.where(ledger, "00000004"), "not in the ledger")
    custody.verify(ledger)


def test_discrepancies_need_the_head_on_the_inspection_record(ledger: custody.Ledger) -> None:
    def receive_damaged() -> None:
        custody.receive_shipment(
            ledger,
            office="SH",
            shipment="W1",
            boxes_found=[custody.Box("B1", "00000001", "00000010", packing_damaged=True)],
            checkers=["li", "zhao"],
            by="li",
        )

    refused(ledger, receive_damaged, "needs the head")


def test_faults_in_the_counted_sequence_seal_the_box(ledger: custody.Ledger) -> None:
    receive(ledger, "B1", 1, 5)
    counted = ["00000001", "00000003", "00000002", "00000003", "00000005"]
    result = custody.issue_out(
        ledger, box="B1", terminal="T1", by="li", receiver="chen", head="wang", counted=counted
    )
    assert result.sealed
    assert [(f.kind, f.serial) for f in result.faults] == [
        ("out-of-order", "00000002"),
        ("duplicate", "00000003"),
        ("missing", "00000004"),
    ]
    assert custody.stock(ledger)["IL"]["sealed"] == 5
    custody.verify(ledger)


def test_no_stock_is_its_own_error(ledger: custody.Ledger) -> None:
    receive(ledger, "B1", 1, 2)
    give(ledger, "B1")
    custody.allocate(ledger, "T1")
    custody.allocate(ledger, "T1")
    with pytest.raises(NoStock, match="T1 has no blank"):
        custody.allocate(ledger, "T1")


def test_open_reservations_are_listed_until_resolved(stocked: custody.Ledger) -> None:
    held = custody.allocate(stocked, "T1")
    assert [r.serial for r in custody.open_reservations(stocked)] == [held.serial]
    custody.void(stocked, held.serial, reason="misprint", by="chen")
    assert custody.open_reservations(stocked) == []


def test_return_and_transfer_between_terminals(stocked: custody.Ledger) -> None:
    moved = custody.transfer(stocked, source="T1", target="T2", by="li", receiver="liu", count=3)
    assert moved == ("00000001", "00000002", "00000003")
    assert custody.allocate(stocked, "T2").actor == "liu"
    back = custody.return_to_store(stocked, terminal="T1", by="li", handed_by="chen")
    assert len(back) == 7
    assert custody.where(stocked, "00000004").state == "in_store"
    refused(
        stocked,
        lambda: custody.transfer(stocked, source="T2", target="N1", by="li", receiver="liu"),
        "different offices",
    )
    custody.verify(stocked)


def test_transfer_between_offices_needs_an_approval(stocked: custody.Ledger) -> None:
    serials = ["00000050", "00000051"]
    refused(
        stocked,
        lambda: custody.transfer_to_office(
            stocked, serials=serials, to_office="NB", approval=" ", by="li"
        ),
        "approval",
    )
    custody.transfer_to_office(
        stocked, serials=serials, to_office="NB", approval="许可证局函〔2026〕12号", by="li"
    )
    assert custody.where(stocked, "00000050").office == "NB"
    custody.verify(stocked)


def test_a_lost_serial_is_never_used(stocked: custody.Ledger) -> None:
    custody.report_loss(stocked, ["00000001"], by="li", note="missing after office move")
    assert custody.allocate(stocked, "T1").serial == "00000002"
    refused(
        stocked,
        lambda: custody.use(stocked, "00000001", licence_no="26-31-000001"),
        "lost, not reserved",
    )
    refused(
        stocked,
        lambda: custody.report_loss(stocked, ["00000001"], by="li", note="again"),
        "cannot be lost",
    )


def test_void_reasons_apply_to_their_states(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.void(stocked, "00000001", reason="not-collected", by="li"),
        "cannot be voided as not-collected",
    )
    refused(stocked, lambda: custody.void(stocked, "00000001", reason="rain", by="li"), "rain")
    custody.void(
        stocked, ["00000090", "00000091"], reason="water", by="li", note="pipe burst", policy={}
    )
    assert custody.stock(stocked)["IL"]["void"] == 2


def test_count_compares_with_the_ledger(stocked: custody.Ledger) -> None:
    store = custody.record_count(stocked, office="SH", counted=90, by="li")
    terminal = custody.record_count(stocked, office="SH", terminal="T1", counted=9, by="li")
    assert (store.difference, terminal.difference) == (0, -1)


def test_roles_are_enforced(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.issue_out(
            stocked, box="B1", terminal="T1", by="chen", receiver="liu", head="wang"
        ),
        "not keeper",
    )
    refused(stocked, lambda: custody.allocate(stocked, "T1", by="li"), "not operator")
    refused(
        stocked,
        lambda: custody.add_office(stocked, "BJ", "北京", by="li"),
        "not head",
    )


def test_a_terminal_acts_only_on_blanks_in_its_custody(stocked: custody.Ledger) -> None:
    custody.transfer(stocked, source="T1", target="T2", by="li", receiver="liu", count=1)
    held_by_t2 = custody.allocate(stocked, "T2").serial
    refused(
        stocked,
        lambda: custody.use(stocked, held_by_t2, licence_no="26-31-000001", terminal="T1"),
        "not in the custody of terminal T1",
    )
    refused(
        stocked,
        lambda: custody.void(stocked, held_by_t2, reason="misprint", by="chen", terminal="T1"),
        "not in the custody of terminal T1",
    )
    custody.use(stocked, held_by_t2, licence_no="26-31-000001", terminal="T2")


def test_a_terminal_with_two_types_needs_the_type_named(stocked: custody.Ledger) -> None:
    custody.add_type(stocked, "EL", "出口许可证", serial_width=8, prefix="E", by="wang")
    custody.receive_shipment(
        stocked,
        office="SH",
        shipment="W9",
        boxes_found=[custody.Box("E1", "E00000001", "E00000005", type="EL")],
        checkers=["li", "zhao"],
        by="li",
    )
    custody.issue_out(
        stocked, box="E1", type="EL", terminal="T1", by="li", receiver="chen", head="wang"
    )
    refused(stocked, lambda: custody.allocate(stocked, "T1"), "holds EL and IL; name the type")
    assert custody.allocate(stocked, "T1", type="IL").serial == "00000001"
    assert custody.allocate(stocked, "T1", type="EL").serial == "E00000001"


def test_staff_keep_custody_of_their_own_office_only(stocked: custody.Ledger) -> None:
    refused(
        stocked,
        lambda: custody.receive_shipment(
            stocked,
            office="NB",
            shipment="W2",
            boxes_found=[custody.Box("B2", "00000101", "00000110")],
            checkers=["li", "zhao"],
            by="li",
        ),
        "person 'li' works for office SH; the blanks are in the custody of office NB",
    )
    custody.transfer_to_office(
        stocked, serials=["00000050"], to_office="NB", approval="A1", by="li"
    )
    refused(
        stocked,
        lambda: custody.propose_void(stocked, "00000050", reason="fire", by="li"),
        "works for office SH",
    )
    custody.propose_void(
        stocked, "00000050", reason="fire", by="wang", note="a head without an office"
    )


def test_a_licence_not_collected_is_voided_only_after_its_20_working_days(
    engine_url: str,
) -> None:
    now = [datetime(2026, 2, 2, 1, 0, tzinfo=UTC)]  # 09:00 in China, a Monday
    ledger = custody.init_ledger(engine_url, clock=lambda: now[0])
    seed(ledger)
    receive(ledger, "B1", 1, 10)
    give(ledger, "B1")
    reservation = custody.allocate(ledger, "T1")
    custody.use(ledger, reservation.serial, licence_no="26-31-000001")

    def revoke() -> int:
        return custody.void(ledger, reservation.serial, reason="not-collected", by="li")

    # Spring Festival 2026 (15-23 February) is off: the 20th working day is 6 March.
    now[0] = datetime(2026, 3, 6, 15, 59, tzinfo=UTC)  # 23:59 on 6 March in China
    refused(ledger, revoke, "printed on 2026-02-02; .* may be voided from 2026-03-07")
    now[0] = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)  # midnight: 7 March in China
    revoke()
    assert custody.where(ledger, reservation.serial).void_reason == "not-collected"
    ledger.engine.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blank=st.text(st.characters(categories=["Zs", "Cc", "Zl", "Zp"]).filter(str.isspace)))
def test_blank_codes_and_names_are_refused_in_every_registration(
    stocked: custody.Ledger, blank: str
) -> None:
    for register in [
        lambda: custody.add_person(stocked, blank, "某人", ["operator"], by="wang"),
        lambda: custody.add_person(stocked, "ma", blank, ["operator"], by="wang"),
        lambda: custody.add_office(stocked, blank, "广州", by="wang"),
        lambda: custody.add_office(stocked, "GZ", blank, by="wang"),
        lambda: custody.add_terminal(stocked, blank, "九号", office="SH", by="wang"),
        lambda: custody.add_terminal(stocked, "T9", blank, office="SH", by="wang"),
        lambda: custody.add_type(stocked, blank, "出口", serial_width=6, by="wang"),
        lambda: custody.add_type(stocked, "EL", blank, serial_width=6, by="wang"),
    ]:
        refused(stocked, register, "is blank")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.one_of(st.integers(max_value=0), st.integers(min_value=10**6 + 1)))
def test_counts_out_of_range_are_refused_before_the_database_sees_them(
    stocked: custody.Ledger, count: int
) -> None:
    refused(
        stocked,
        lambda: custody.transfer(
            stocked, source="T1", target="T2", by="li", receiver="liu", count=count
        ),
        "the count of blanks to transfer must be 1 to 1,000,000",
    )
    refused(
        stocked,
        lambda: custody.issue_out(
            stocked, box="B1", terminal="T2", by="li", receiver="liu", head="wang", count=count
        ),
        "the count of blanks to issue must be",
    )
    if count < 0 or count > 10**6:
        refused(
            stocked,
            lambda: custody.record_count(stocked, office="SH", counted=count, by="li"),
            "the blanks counted must be 0 to",
        )


def test_a_waybill_count_is_checked_before_the_database_sees_it(ledger: custody.Ledger) -> None:
    box = custody.Box("B9", "00000001", "99999999", waybill_count=10**31)
    refused(
        ledger,
        lambda: custody.receive_shipment(
            ledger, office="SH", shipment="W9", boxes_found=[box], checkers=["li", "zhao"], by="li"
        ),
        "box B9: the waybill count must be 0 to 1,000,000, not a number of more than 30",
    )


def test_a_box_of_more_blanks_than_any_office_holds_is_refused_before_it_is_expanded(
    ledger: custody.Ledger,
) -> None:
    box = custody.Box("B9", "00000001", "99999999")
    refused(
        ledger,
        lambda: custody.receive_shipment(
            ledger, office="SH", shipment="W9", boxes_found=[box], checkers=["li", "zhao"], by="li"
        ),
        "box B9: the blanks in 00000001..99999999 must be 1 to 1,000,000, not 99999999",
    )


def test_a_ledger_closes_itself_as_a_context_manager(engine_url: str) -> None:
    closed: list[object] = []
    with custody.init_ledger(engine_url) as ledger:
        event.listen(ledger.engine, "close", lambda connection, _record: closed.append(connection))
        custody.add_person(ledger, "wang", "王主任", ["head"], by="wang")
        assert closed == []
    assert len(closed) == 1
    with custody.open_ledger(engine_url) as reopened:
        assert custody.verify(reopened).events == 1


def test_a_reservation_says_when_as_a_utc_datetime(stocked: custody.Ledger) -> None:
    reservation = custody.allocate(stocked, "T1")
    assert reservation.at.utcoffset() == timedelta(0)
    assert custody.open_reservations(stocked) == [reservation]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.builds(
        lambda before, unholdable, after: before + unholdable + after,
        st.text(max_size=5),
        st.one_of(st.characters(categories=["Cs"]), st.just("\x00")),
        st.text(max_size=5),
    )
)
def test_a_text_holding_a_lone_surrogate_or_a_nul_is_refused_and_writes_nothing(
    stocked: custody.Ledger, text: str
) -> None:
    """No record can hold a lone surrogate (it has no UTF-8) or, on PostgreSQL, a NUL:
    whichever text of an operation holds one, the operation is refused like any other on
    both engines, not failed with an encoding or driver error."""
    reserved = custody.open_reservations(stocked, terminal="T1")  # the examples share a ledger
    serial = reserved[0].serial if reserved else custody.allocate(stocked, "T1").serial
    for operation in [
        lambda: custody.add_person(stocked, "ma", text, ["operator"], by="wang"),
        lambda: custody.add_office(stocked, text, "广州", by="wang"),
        lambda: custody.add_terminal(stocked, "T9", text, office="SH", by="wang"),
        lambda: custody.void(stocked, serial, reason="misprint", by="li", note=text),
        lambda: custody.use(stocked, serial, licence_no="26-31-000001", by=text),
    ]:
        refused(stocked, operation, r"lone surrogate|U\+0000|is not registered")
