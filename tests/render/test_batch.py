"""Batches: many licences into one PDF, chunk by chunk, every page still on the grid."""

from __future__ import annotations

import gc
import io
import tracemalloc
import warnings
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfcheck import assert_on_grid, expected_cells, glyphs

from gbt15311.exceptions import Gbt15311Error
from gbt15311.layout import lay_out
from gbt15311.model import ImportLicence
from gbt15311.printers import PrinterProfile
from gbt15311.render import Job, RenderOptions, render_batch
from gbt15311.templates import Template


def test_a_batch_across_chunks_is_one_valid_pdf_in_order(
    licence: ImportLicence, mixed: ImportLicence, template: Template
) -> None:
    out = io.BytesIO()
    jobs: list[Job] = [(licence, "0000001"), mixed, (mixed, None), (licence, "0000004"), mixed]
    count = render_batch(jobs, out, chunk=2, options=RenderOptions(parts=[1, 3]))
    pdf = out.getvalue()
    assert count == 5
    pages = glyphs(pdf)
    assert len(pages) == 10
    for index, job in enumerate(jobs):
        current = job[0] if isinstance(job, tuple) else job
        expected = expected_cells(template, lay_out(current, template))
        for page in pages[2 * index : 2 * index + 2]:
            assert_on_grid(page, expected, template)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "(batch)" in document.metadata["Title"]
    assert b"/PrintScaling /None" in pdf
    document = pypdfium2.PdfDocument(pdf)  # a second, stricter reader opens it too
    assert len(document) == 10
    document.close()


def test_a_batch_in_proof_mode_with_a_printer(licence: ImportLicence) -> None:
    out = io.BytesIO()
    render_batch(
        [licence] * 3,
        out,
        chunk=2,
        options=RenderOptions(mode="proof", printer=PrinterProfile("p", dx_mm=1, dy_mm=1)),
    )
    with pdfplumber.open(io.BytesIO(out.getvalue())) as document:
        assert len(document.pages) == 15  # four parts and the original's back, three times
        assert all(page.rects for page in document.pages)


def test_an_empty_batch_is_refused_before_anything_is_written() -> None:
    out = io.BytesIO()
    with pytest.raises(Gbt15311Error, match="nothing to render"):
        render_batch([], out)
    assert out.getvalue() == b""


def test_memory_stays_flat_in_the_number_of_licences(
    licence: ImportLicence, tmp_path: Path
) -> None:
    def peak(count: int) -> int:
        gc.collect()
        tracemalloc.start()
        with (tmp_path / "batch.pdf").open("wb") as out:
            render_batch(
                (licence for _ in range(count)), out, chunk=5, options=RenderOptions(parts=[1])
            )
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    peak(5)  # warm the caches
    small, large = peak(10), peak(110)
    # One document would keep about 4 kB a page; chunks keep only the page tree's numbers.
    assert large - small < 100 * 1_000


def test_an_archive_batch_is_one_pdfa_2b_document_reproduced_byte_for_byte(
    licence: ImportLicence, mixed: ImportLicence
) -> None:
    import pikepdf
    import pikepdf.pdfa

    outputs = []
    for _ in range(2):
        out = io.BytesIO()
        render_batch(
            [(licence, "0000001"), licence, mixed],
            out,
            chunk=2,
            options=RenderOptions(mode="archive"),
        )
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    with pikepdf.open(io.BytesIO(outputs[0])) as document:
        assert pikepdf.pdfa.check(document, "2b").verdict == "pass"
        assert len(document.pages) == 15  # three licences: four parts and the original's back
        subject = str(document.docinfo.Subject)
        assert f"3 import licences, {licence.licence_no} to {mixed.licence_no}" in subject


class _Leaky:
    """An object that, like an unclosed connection, warns when the collector takes it."""

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        warnings.warn("a connection was deleted while still open", ResourceWarning, stacklevel=1)


def test_the_collector_warning_about_some_other_object_does_not_fail_the_archive(
    licence: ImportLicence,
) -> None:
    """pikepdf's PDF/A check takes any warning raised while it parses a page for the page's
    fault: unrelated garbage collected meanwhile (here each collection leaves some for the
    next) must not make a good archive an error."""

    def litter(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            _Leaky()

    threshold = gc.get_threshold()
    gc.set_threshold(1)
    gc.callbacks.append(litter)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            out = io.BytesIO()
            render_batch([licence], out, options=RenderOptions(mode="archive"))
    finally:
        gc.callbacks.remove(litter)
        gc.set_threshold(*threshold)
    assert out.getvalue().startswith(b"%PDF-")
