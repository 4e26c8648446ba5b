"""The issuing workflow: draw a blank, print on it, register the use; spoil on failure."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from ledgerkit import snapshot

from gbt15311 import custody, issuing
from gbt15311.exceptions import CustodyError, PrinterFailed, Refused
from gbt15311.loading import load_licence

EXAMPLE = Path(__file__).parents[2] / "examples" / "import-licence.json"


@dataclass(frozen=True)
class FakeLicence:
    licence_no: str


def fake_render(licence: Any, /, *, serial: str) -> bytes:
    return f"%PDF {licence.licence_no} on {serial}".encode()


class FlakyPrinter:
    """Fails the first ``failures`` jobs, then prints; remembers what came out."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.printed: list[bytes] = []

    def __call__(self, pdf: bytes) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("paper jam")
        self.printed.append(pdf)


def test_a_licence_is_printed_on_the_next_blank_and_registered(
    stocked: custody.Ledger,
) -> None:
    printer = FlakyPrinter(0)
    issued = custody.issue_licence(
        stocked, FakeLicence("26-31-000001"), terminal="T1", printer=printer, render=fake_render
    )
    assert (issued.serial, issued.voided) == ("00000001", ())
    assert printer.printed == [b"%PDF 26-31-000001 on 00000001"]
    assert custody.where(stocked, "00000001").licence_no == "26-31-000001"


def test_a_failed_print_voids_the_blank_and_draws_the_next(stocked: custody.Ledger) -> None:
    printer = FlakyPrinter(2)
    issued = custody.issue_licence(
        stocked, FakeLicence("26-31-000001"), terminal="T1", printer=printer, render=fake_render
    )
    assert (issued.serial, issued.voided) == ("00000003", ("00000001", "00000002"))
    assert printer.printed == [b"%PDF 26-31-000001 on 00000003"]
    spoilt = custody.where(stocked, "00000001")
    assert (spoilt.state, spoilt.void_reason) == ("void", "misprint")
    assert "paper jam" in spoilt.history[-1].payload["note"]
    assert custody.open_reservations(stocked) == []
    custody.verify(stocked)


def test_a_printer_that_keeps_failing_stops_the_workflow(stocked: custody.Ledger) -> None:
    with pytest.raises(PrinterFailed, match="00000001, 00000002, 00000003 are voided"):
        custody.issue_licence(
            stocked,
            FakeLicence("26-31-000001"),
            terminal="T1",
            printer=FlakyPrinter(5),
            render=fake_render,
        )
    assert custody.open_reservations(stocked) == []


@pytest.mark.parametrize(
    ("error", "kept"),
    [
        ("paper out \x00 at tray 2", "paper out \\x00 at tray 2"),
        ("no device /dev/usb/lp\udcff", "no device /dev/usb/lp\\udcff"),
    ],
)
def test_a_printer_error_the_ledger_cannot_hold_still_voids_the_blank(
    stocked: custody.Ledger, error: str, kept: str
) -> None:
    """A driver's message with a NUL, or a path of bytes that are not UTF-8, made the void
    refuse its note: the blank stayed reserved and the terminal blocked."""

    def failing(pdf: bytes) -> None:
        raise OSError(error)

    with pytest.raises(PrinterFailed, match="00000001 is voided as a misprint"):
        custody.issue_licence(
            stocked,
            FakeLicence("26-31-000001"),
            terminal="T1",
            printer=failing,
            render=fake_render,
            attempts=1,
        )
    assert custody.open_reservations(stocked) == []
    spoilt = custody.where(stocked, "00000001")
    assert (spoilt.state, spoilt.history[-1].payload["note"]) == (
        "void",
        f"printing failed: {kept}",
    )
    custody.verify(stocked)


def test_a_licence_the_renderer_refuses_costs_no_blank(stocked: custody.Ledger) -> None:
    def refusing_render(licence: Any, /, *, serial: str) -> bytes:
        raise ValueError("field 3 is empty")

    before = custody.verify(stocked).events
    with pytest.raises(ValueError, match="field 3"):
        custody.issue_licence(
            stocked,
            FakeLicence("26-31-000001"),
            terminal="T1",
            printer=FlakyPrinter(0),
            render=refusing_render,
        )
    assert custody.verify(stocked).events == before


def test_a_bad_licence_number_is_refused_before_printing(stocked: custody.Ledger) -> None:
    with pytest.raises(Refused, match="licence number"):
        custody.issue_licence(
            stocked,
            FakeLicence("26-31"),
            terminal="T1",
            printer=FlakyPrinter(0),
            render=fake_render,
        )


def test_the_real_renderer_stamps_the_serial_of_the_default_type(
    stocked: custody.Ledger,
) -> None:
    licence = load_licence(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    printer = FlakyPrinter(0)
    issued = custody.issue_licence(stocked, licence, terminal="T1", printer=printer)
    assert issued.serial == "00000001"
    first_page = _first_page_text(issued.pdf)
    assert "No.00000001" in first_page
    assert licence.licence_no in first_page
    assert printer.printed == [issued.pdf]
    assert custody.where(stocked, issued.serial).licence_no == licence.licence_no


def test_a_type_whose_prefix_is_the_templates_label_prints_as_written(
    stocked: custody.Ledger,
) -> None:
    licence = load_licence(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    custody.add_type(stocked, "NO", "进口许可证", serial_width=7, prefix="No.", by="wang")
    _stock_terminal(stocked, "NO", "No.0012345", "No.0012354")
    issued = custody.issue_licence(stocked, licence, terminal="T2", printer=FlakyPrinter(0))
    assert issued.serial == "No.0012345"
    assert "No.0012345" in _first_page_text(issued.pdf)


@pytest.mark.parametrize(
    ("prefix", "width", "refusal"),
    [("E", 7, "prefix 'E' cannot be printed"), ("", 10, "10 digits cannot be printed")],
)
def test_a_type_the_template_cannot_print_is_refused_before_a_blank_is_reserved(
    stocked: custody.Ledger, prefix: str, width: int, refusal: str
) -> None:
    custody.add_type(stocked, "XL", "出口许可证", serial_width=width, prefix=prefix, by="wang")
    _stock_terminal(stocked, "XL", f"{prefix}{1:0{width}d}", f"{prefix}{9:0{width}d}")
    before = snapshot(stocked)
    printer = FlakyPrinter(0)
    with pytest.raises(Refused, match=refusal):
        custody.issue_licence(stocked, FakeLicence("26-31-000001"), terminal="T2", printer=printer)
    assert printer.printed == []
    assert snapshot(stocked) == before


def test_a_retry_of_a_licence_already_printed_prints_nothing_and_names_its_blank(
    stocked: custody.Ledger,
) -> None:
    printer = FlakyPrinter(0)
    first = custody.issue_licence(
        stocked, FakeLicence("26-31-000001"), terminal="T1", printer=printer, render=fake_render
    )
    before = snapshot(stocked)
    with pytest.raises(custody.AlreadyIssued, match="already printed on IL serial 00000001") as e:
        custody.issue_licence(
            stocked,
            FakeLicence("26-31-000001"),
            terminal="T1",
            printer=printer,
            render=fake_render,
        )
    assert (e.value.type, e.value.serial) == (first.type, first.serial)
    assert printer.printed == [b"%PDF 26-31-000001 on 00000001"]
    assert snapshot(stocked) == before


def test_two_retries_at_once_print_the_licence_once(stocked: custody.Ledger) -> None:
    printed: list[bytes] = []

    def slow_printer(pdf: bytes) -> None:
        time.sleep(0.3)
        printed.append(pdf)

    def attempt() -> str:
        try:
            issued = custody.issue_licence(
                stocked,
                FakeLicence("26-31-000001"),
                terminal="T1",
                printer=slow_printer,
                render=fake_render,
            )
        except custody.AlreadyIssued as refusal:
            return f"already on {refusal.serial}"
        return f"printed on {issued.serial}"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: attempt(), range(2)))
    assert outcomes == ["already on 00000001", "printed on 00000001"]
    assert len(printed) == 1
    assert custody.open_reservations(stocked) == []


def _stock_terminal(ledger: custody.Ledger, type_code: str, first: str, last: str) -> None:
    box = custody.Box("C1", first, last, type=type_code)
    custody.receive_shipment(
        ledger, office="SH", shipment="W7", boxes_found=[box], checkers=["li", "zhao"], by="li"
    )
    custody.issue_out(
        ledger, box="C1", type=type_code, terminal="T2", by="li", receiver="liu", head="wang"
    )


def _first_page_text(pdf: bytes) -> str:
    text: str = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    return text


def test_an_issued_licence_shows_its_blank_not_its_pdf(stocked: custody.Ledger) -> None:
    issued = custody.issue_licence(
        stocked,
        FakeLicence("26-31-000001"),
        terminal="T1",
        printer=FlakyPrinter(0),
        render=lambda licence, /, *, serial: b"%PDF" + bytes(20_000),
    )
    assert "00000001" in repr(issued)
    assert "PDF" not in repr(issued)
    assert len(repr(issued)) < 200


def test_issuing_lives_above_custody_and_render() -> None:
    from gbt15311 import issuing

    assert custody.issue_licence is issuing.issue_licence
    assert set(issuing.__all__) == {
        "AlreadyIssued",
        "Issued",
        "Printer",
        "Renderer",
        "ReservationOpen",
        "issue_licence",
    }
    assert custody.Issued is issuing.Issued
    assert custody.AlreadyIssued is issuing.AlreadyIssued
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        custody.nothing  # noqa: B018


def test_a_reservation_left_open_blocks_the_terminal_and_writes_nothing(
    stocked: custody.Ledger,
) -> None:
    left = custody.allocate(stocked, "T1")
    before = snapshot(stocked)
    printer = FlakyPrinter(0)
    with pytest.raises(issuing.ReservationOpen, match="terminal T1 is blocked") as blocked:
        custody.issue_licence(
            stocked, FakeLicence("26-31-000001"), terminal="T1", printer=printer, render=fake_render
        )
    assert blocked.value.reservations == (left,)
    assert printer.printed == []
    assert snapshot(stocked) == before


def test_a_licence_issued_while_another_prints_at_the_terminal_waits_its_turn(
    stocked: custody.Ledger,
) -> None:
    """The first issue's reservation is work in progress, not a crash: the second waits."""
    printing = threading.Event()
    printed: list[bytes] = []

    def slow_printer(pdf: bytes) -> None:
        printing.set()
        time.sleep(0.5)
        printed.append(pdf)

    def attempt(number: str) -> str:
        return custody.issue_licence(
            stocked, FakeLicence(number), terminal="T1", printer=slow_printer, render=fake_render
        ).serial

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(attempt, "26-31-000001")
        assert printing.wait(30)
        second = pool.submit(attempt, "26-31-000002")
        assert (first.result(), second.result()) == ("00000001", "00000002")
    assert printed == [b"%PDF 26-31-000001 on 00000001", b"%PDF 26-31-000002 on 00000002"]
    assert custody.open_reservations(stocked) == []


def test_a_use_registered_by_hand_while_printing_says_the_blank_printed_stays_reserved(
    stocked: custody.Ledger,
) -> None:
    """Someone registers the licence number on another blank by hand while it prints: the
    printed blank cannot take the number, and the clerk learns that it printed."""

    def printing_while_someone_registers(pdf: bytes) -> None:
        by_hand = custody.allocate(stocked, "T1")
        custody.use(stocked, by_hand.serial, licence_no="26-31-000001")

    with pytest.raises(CustodyError) as failed:
        custody.issue_licence(
            stocked,
            FakeLicence("26-31-000001"),
            terminal="T1",
            printer=printing_while_someone_registers,
            render=fake_render,
        )
    assert str(failed.value).startswith(
        "licence 26-31-000001 was printed on IL blank 00000001, but its use could not be "
        "registered: licence 26-31-000001 is already printed on serial 00000002;"
    )
    assert "stays reserved and terminal T1 blocked" in str(failed.value)
    assert [r.serial for r in custody.open_reservations(stocked)] == ["00000001"]
    custody.verify(stocked)
