"""The issuing workflow: draw a blank, print on it, register the use; spoil on failure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from gbt15311 import custody
from gbt15311.exceptions import PrinterFailed, Refused
from gbt15311.model import load_licence


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


def test_the_real_renderer_stamps_the_serial(stocked: custody.Ledger) -> None:
    example = Path(__file__).parents[2] / "examples" / "import-licence.json"
    licence = load_licence(json.loads(example.read_text(encoding="utf-8")))
    custody.add_type(stocked, "IL7", "进口许可证 (No. + 7 digits)", serial_width=7, by="wang")
    custody.receive_shipment(
        stocked,
        office="SH",
        shipment="W7",
        boxes_found=[custody.Box("C1", "0012345", "0012354", type="IL7")],
        checkers=["li", "zhao"],
        by="li",
    )
    custody.issue_out(
        stocked, box="C1", type="IL7", terminal="T2", by="li", receiver="liu", head="wang"
    )
    printer = FlakyPrinter(0)
    issued = custody.issue_licence(stocked, licence, terminal="T2", printer=printer)
    assert issued.serial == "0012345"
    pages = pypdfium2.PdfDocument(issued.pdf)
    first_page = pages[0].get_textpage().get_text_range()
    assert "No.0012345" in first_page
    assert licence.licence_no in first_page
    assert printer.printed == [issued.pdf]
    assert custody.where(stocked, issued.serial).licence_no == licence.licence_no
