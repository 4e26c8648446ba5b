"""The registers as PDFs: reproducible to the byte, pinned to the ledger, legible."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pdfplumber
import pikepdf
import pikepdf.pdfa
import pytest
from test_reports_kit import scripted

import gbt15311.custody.proof._source as source
import gbt15311.custody.reports._annual as annual
import gbt15311.custody.reports._pdf as pdf
import gbt15311.custody.reports._registers as registers
from gbt15311 import custody


@pytest.fixture(scope="module")
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[custody.Ledger]:
    with scripted("sqlite", request, tmp_path_factory.mktemp("history")) as ledger:
        yield ledger


def text_of(document: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(document)) as opened:
        return [page.extract_text() or "" for page in opened.pages]


def annual_pdf(ledger: custody.Ledger, cutoff: source.Cutoff) -> bytes:
    record = source.read(ledger, cutoff)
    report = annual.annual_usage(record, 2025, "SH")
    pin = pdf.Pin(report.record.seq, report.record.head, str(cutoff))
    return pdf.render([annual.sheet(report)], pin, title="annual")


def test_the_same_cut_off_gives_the_same_bytes(history: custody.Ledger) -> None:
    first = annual_pdf(history, date(2026, 1, 31))
    assert annual_pdf(history, date(2026, 1, 31)) == first
    with pikepdf.open(io.BytesIO(first)) as document:  # the cut-off's date, not the clock's
        assert str(document.docinfo.CreationDate).startswith("D:20260131000000")
        assert pikepdf.pdfa.check(document, "2b").verdict == "pass"


def test_a_later_cut_off_reproduces_the_year(history: custody.Ledger) -> None:
    """The report of 2025 reads only 2025's events: later events change nothing."""
    early = annual.annual_usage(source.read(history, date(2026, 1, 31)), 2025, "SH")
    late = annual.annual_usage(source.read(history), 2025, "SH")
    assert (early.record.seq, early.record.head) == (late.record.seq, late.record.head)
    assert annual.sheet(early) == annual.sheet(late)


def test_every_page_carries_the_event_the_head_and_its_number(history: custody.Ledger) -> None:
    record = source.read(history)
    sheets = registers.receipt(record, "W2")
    document = pdf.render(sheets, pdf.Pin(record.seq, record.head, "2026-03-31"), title="r")
    pages = text_of(document)
    assert len(pages) == 3
    for copy, page in zip(registers.RECEIPT_COPIES, pages, strict=True):
        assert record.head in page
        assert f"#{record.seq}" in page
        assert "Page 1 of 1" in page
        assert copy in page
        assert "商务部进出口许可证书签收单" in page


def test_a_long_register_breaks_into_numbered_pages_with_headings(
    history: custody.Ledger,
) -> None:
    columns = (pdf.Column("流水号", "Serial", 12), pdf.Column("数量", "Qty", 6, "right"))
    rows = tuple((f"{n:08d}", "1") for n in range(120))
    sheet = pdf.Sheet("长表", "A long register", (), (pdf.Table(columns, rows),), annex=3)
    pages = text_of(pdf.render([sheet], pdf.Pin(1, "0" * 64, "#1"), title="long"))
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Serial" in page  # the column headings again on every page
    assert "(continued)" in pages[1]
    found = [line.split()[0] for page in pages for line in page.splitlines()]
    assert [s for s in found if s.isdigit() and len(s) == 8] == [r[0] for r in rows]


def test_characters_the_font_lacks_print_as_question_marks() -> None:
    sheet = pdf.Sheet("表", "Sheet", (("备注 Note", "pipe burst \U0001f600"),), ())
    pages = text_of(pdf.render([sheet], pdf.Pin(1, "0" * 64, "#1"), title="t"))
    assert "pipe burst ??" in pages[0]


def test_a_register_renders_to_png(history: custody.Ledger, tmp_path: Path) -> None:
    from gbt15311.render import png

    record = source.read(history)
    sheet = registers.in_out_ledger(record, "SH", None, date(2025, 1, 1), date(2026, 3, 31))
    image = png(pdf.render([sheet], pdf.Pin(record.seq, record.head, "all"), title="l"), dpi=50)
    assert image.startswith(b"\x89PNG")
