"""The rendered PDF puts every character on the grid cells its placement says."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import time

import pdfplumber
import pikepdf
import pikepdf.pdfa
import pytest
from pdfcheck import assert_on_grid, data_glyphs, expected_cells, glyphs

from gbt15311.exceptions import InvalidFormat, TemplateError
from gbt15311.forms import Licence
from gbt15311.layout import lay_out, serial_placement
from gbt15311.model import ImportLicence
from gbt15311.printers import PrinterProfile
from gbt15311.render import MODES, Mode, RenderOptions, render_licence
from gbt15311.templates import Template, default_template
from gbt15311.typeset import SIZE_PT

SERIAL = "0012345"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["licence", "mixed", "export_licence"])
def test_every_character_sits_in_its_cells_on_every_part(
    mode: Mode, name: str, request: pytest.FixtureRequest
) -> None:
    licence: Licence = request.getfixturevalue(name)
    template = default_template(licence.form)
    pdf = render_licence(licence, serial=SERIAL, options=RenderOptions(mode=mode))
    pages = glyphs(pdf)
    placements = lay_out(licence, template)
    if mode != "overlay":
        placements = [serial_placement(template, SERIAL), *placements]
    fronts = pages if mode == "overlay" else [pages[0], *pages[2:]]  # page 2: the back
    assert len(fronts) == 4
    for page in fronts:
        assert_on_grid(page, expected_cells(template, placements), template)


def test_full_width_characters_take_two_columns(licence: ImportLicence) -> None:
    page = glyphs(render_licence(licence, options=RenderOptions(parts=[1])))[0]
    name = [g for g in data_glyphs(page) if g.text in "中国机"][:3]
    steps = [round(b.centre_mm - a.centre_mm, 3) for a, b in itertools.pairwise(name)]
    assert steps == [5.08, 5.08]


def test_ambiguous_characters_are_centred_in_their_two_cells(
    licence: ImportLicence, template: Template
) -> None:
    quoted = licence.model_copy(update={"use_of_goods": "“样品”"})
    pdf = render_licence(quoted, options=RenderOptions(parts=[1]))
    placements = lay_out(quoted, template)
    assert_on_grid(glyphs(pdf)[0], expected_cells(template, placements), template)


def test_overlay_draws_no_lines_and_no_captions(licence: ImportLicence, template: Template) -> None:
    pdf = render_licence(licence, serial=SERIAL)
    placements = lay_out(licence, template)
    currency = "".join(p.text for p in placements if p.field == "currency")  # at caption size
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            assert (page.lines, page.rects, page.curves) == ([], [], [])
            small = [c for c in page.chars if round(c["size"], 2) != SIZE_PT]
            assert "".join(c["text"] for c in small) == f"核对空白证 No.{SERIAL}" + currency
            data = "".join(c["text"] for c in page.chars if round(c["size"], 2) == SIZE_PT)
            assert data == "".join(p.text for p in placements if p.field != "currency")


def test_the_stamp_can_be_switched_off(licence: ImportLicence, template: Template) -> None:
    page = glyphs(
        render_licence(licence, serial=SERIAL, options=RenderOptions(stamp=False, parts=[1]))
    )[0]
    printed = "".join(g.text for g in page)
    assert printed == "".join(p.text for p in lay_out(licence, template))  # the data, all of it
    assert SERIAL not in printed
    assert "".join(g.text for g in page if g.size != SIZE_PT) == licence.currency * 2


def test_proof_and_archive_draw_the_form_the_serial_and_their_mark(licence: ImportLicence) -> None:
    cases: list[tuple[Mode, str]] = [("proof", "校样 PROOF"), ("archive", "存档副本")]
    for mode, mark in cases:
        pdf = render_licence(licence, serial=SERIAL, options=RenderOptions(mode=mode, parts=[1, 3]))
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            assert len(document.pages) == 3  # part 1, its back, part 3
            first = document.pages[0]
            text = "".join(c["text"] for c in first.chars)
            assert first.rects or first.lines
            for printed in ("进口商", f"No.{SERIAL}", mark):
                assert printed in text
            assert "第一联（正本）" in text
            assert "海关签注栏" in "".join(c["text"] for c in document.pages[1].chars)
            assert "第三联（副本）" in "".join(c["text"] for c in document.pages[2].chars)


def test_carbon_set_is_one_page(licence: ImportLicence) -> None:
    assert len(glyphs(render_licence(licence, options=RenderOptions(carbon_set=True)))) == 1
    archive = glyphs(
        render_licence(licence, options=RenderOptions(carbon_set=True, mode="archive"))
    )
    assert len(archive) == 1
    assert "第一联" not in "".join(g.text for g in archive[0])


@pytest.mark.parametrize(
    ("dx", "dy", "sx", "sy"), [(1.5, -2.25, 1.0, 1.0), (-3, 4, 1.0, 1.0), (0.5, 0.5, 1.01, 0.99)]
)
def test_printer_offsets_move_everything_by_exactly_dx_dy(
    licence: ImportLicence, dx: float, dy: float, sx: float, sy: float
) -> None:
    plain = glyphs(render_licence(licence, serial=SERIAL, options=RenderOptions(parts=[1])))[0]
    printer = PrinterProfile("test", dx_mm=dx, dy_mm=dy, sx=sx, sy=sy)
    moved = glyphs(
        render_licence(licence, serial=SERIAL, options=RenderOptions(parts=[1], printer=printer))
    )[0]
    assert len(plain) == len(moved)
    for a, b in zip(plain, moved, strict=True):
        expected = printer.place(a.centre_mm, a.baseline_mm)
        assert (b.centre_mm, b.baseline_mm) == pytest.approx(expected, abs=1e-3)


def test_printer_offsets_move_the_form_too(licence: ImportLicence) -> None:
    def rects(printer: PrinterProfile | None) -> list[tuple[float, float]]:
        pdf = render_licence(
            licence, options=RenderOptions(mode="archive", parts=[1], printer=printer)
        )
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            return [(r["x0"], r["top"]) for r in document.pages[0].rects]

    k = 72 / 25.4
    for (x0, top0), (x1, top1) in zip(rects(None), rects(PrinterProfile("p", 2, 3)), strict=True):
        assert (x1 - x0, top1 - top0) == pytest.approx((2 * k, 3 * k), abs=1e-3)


def test_the_pdf_is_exactly_the_paper_unscaled_with_a_subset_font_and_metadata(
    licence: ImportLicence,
) -> None:
    pdf = render_licence(licence, options=RenderOptions(mode="proof"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            assert (round(page.width / 72 * 25.4, 3), round(page.height / 72 * 25.4, 3)) == (
                210.0,
                297.0,
            )
        assert "26-AA-000123" in document.metadata["Title"]
        assert document.metadata["Creator"].startswith("gbt15311")
    assert b"/PrintScaling /None" in pdf
    fonts = set(re.findall(rb"/BaseFont /([A-Z]{6}\+WenQuanYiZenHeiMono)", pdf))
    assert fonts
    assert len(pdf) < 200_000  # a subset, not the 11 MB font
    assert b"/FontFile2" in pdf


def test_bad_parts_and_serials_are_refused(licence: ImportLicence) -> None:
    with pytest.raises(TemplateError, match=r"parts \[5\]"):
        render_licence(licence, options=RenderOptions(parts=[5]))
    with pytest.raises(InvalidFormat, match="serial '12a45'"):
        render_licence(licence, serial="12a45")
    with pytest.raises(InvalidFormat, match="serial"):
        render_licence(licence, serial="1234567890", options=RenderOptions(mode="proof"))


def test_a_short_serial_is_zero_padded(licence: ImportLicence) -> None:
    page = glyphs(
        render_licence(licence, serial="12345", options=RenderOptions(mode="archive", parts=[2]))
    )[0]
    assert "No.0012345" in "".join(g.text for g in page)


def fonts(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sorted(
            {str(font.BaseFont) for page in document.pages for font in page.Resources.Font.values()}
        )


@pytest.mark.parametrize("mode", MODES)
def test_no_page_selects_a_font_it_does_not_embed(licence: ImportLicence, mode: Mode) -> None:
    pdf = render_licence(licence, serial=SERIAL, options=RenderOptions(mode=mode, parts=[1]))
    assert [name.split("+")[1] for name in fonts(pdf)] == ["WenQuanYiZenHeiMono"]


def test_the_archive_copy_is_pdfa_2b_and_names_the_licence_office_and_blank(
    licence: ImportLicence,
) -> None:
    pdf = render_licence(licence, serial=SERIAL, options=RenderOptions(mode="archive"))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert pikepdf.pdfa.check(document, "2b").verdict == "pass"
        assert all("/Trans" not in page.obj for page in document.pages)
        meta = document.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert licence.licence_no in meta["dc:title"]
        assert f"No.{SERIAL}" in meta["dc:description"]
        assert "Issuing office AA" in str(document.docinfo.Author)
        assert str(document.docinfo.CreationDate) == "D:20261122000000+08'00"


def test_the_archive_copy_is_the_same_bytes_in_another_process_later(
    licence: ImportLicence,
) -> None:
    code = (
        "import sys; from gbt15311.model import EXAMPLE; "
        "from gbt15311.loading import load_licence; "
        "from gbt15311.render import RenderOptions, render_licence; sys.stdout.buffer.write("
        f"render_licence(load_licence(EXAMPLE), serial={SERIAL!r}, "
        "options=RenderOptions(mode='archive')))"
    )
    mine = render_licence(licence, serial=SERIAL, options=RenderOptions(mode="archive"))
    time.sleep(1.1)  # the clock has moved on: no date of the run may show
    theirs = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert theirs == mine
