"""ESC/P2 for dot-matrix printers: replayed as a printer runs it, the stream gives back the
layout exactly, whatever the printer's origin, hanzi spacing and character set."""

from __future__ import annotations

import copy
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import BOTH_FORMS, EXAMPLES, valid_licences
from escp_decode import cells, expected, replay
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbt15311.cells import char_width
from gbt15311.exceptions import LicenceInvalid, TemplateError
from gbt15311.layout import Placement, lay_out
from gbt15311.loading import load_licence
from gbt15311.model import EXAMPLE, ImportLicence
from gbt15311.printers import PrinterProfile
from gbt15311.render import RenderOptions
from gbt15311.render._escp import (
    CALIBRATION_HANZI,
    escp_placements,
    render_escp,
    render_escp_batch,
    render_escp_calibration,
)
from gbt15311.templates import Template

GOLDEN = Path(__file__).parent / "golden" / "import-licence.escp"
SERIAL = "0012345"
PRINTERS = [
    PrinterProfile("default"),
    PrinterProfile(
        "lq-630k", escp_left=17, escp_top=113, escp_hanzi_spacing=(0, 12), escp_charset="GB2312"
    ),
]


def placements_of(
    licence: ImportLicence, template: Template, serial: str | None
) -> list[Placement]:
    from gbt15311.render._escp import EscpWriter

    writer = EscpWriter(io.BytesIO(), template=template)
    return escp_placements(licence, serial, stamp=True, writer=writer)


@pytest.mark.parametrize("printer", PRINTERS, ids=lambda p: p.name)
def test_the_example_replays_to_exactly_its_layout(
    licence: ImportLicence, template: Template, printer: PrinterProfile
) -> None:
    stream = render_escp(licence, serial=SERIAL, options=RenderOptions(printer=printer))
    run = replay(stream, printer.escp_charset.lower())
    assert run.resets == 1
    assert run.page_length == Fraction(4209, 360)  # A4: 296.97 mm
    assert run.hanzi_spacing == printer.escp_hanzi_spacing
    assert len(run.pages) == 1  # one pass through the carbon set
    placements = placements_of(licence, template, SERIAL)
    assert [p.field for p in placements][-1] == "stamp"
    assert cells(run.pages[0], template, printer) == expected(placements)
    starts = {(p.line, p.column) for p in placements}
    for cell, printed in zip(cells(run.pages[0], template, printer), run.pages[0], strict=True):
        if cell[:2] in starts:
            assert printed.positioned, cell  # every field line starts at an absolute position


def test_the_stamp_can_be_left_out(licence: ImportLicence, template: Template) -> None:
    printer = PRINTERS[0]
    run = replay(
        render_escp(licence, serial=SERIAL, options=RenderOptions(stamp=False, printer=printer))
    )
    assert cells(run.pages[0], template, printer) == expected(lay_out(licence, template))


def test_the_example_matches_its_golden_bytes(licence: ImportLicence) -> None:
    """Regenerate after a deliberate change: see docs/printers.md, "ESC/P"."""
    assert render_escp(licence, serial=SERIAL) == GOLDEN.read_bytes()


def test_a_batch_is_one_stream_with_one_page_per_licence(
    licence: ImportLicence, mixed: ImportLicence, template: Template
) -> None:
    out = io.BytesIO()
    assert render_escp_batch([licence, (mixed, "0000007")], out) == 2
    run = replay(out.getvalue())
    assert run.resets == 1
    printer = PrinterProfile("default")
    assert [cells(page, template, printer) for page in run.pages] == [
        expected(lay_out(licence, template)),
        expected(placements_of(mixed, template, "0000007")),
    ]


@BOTH_FORMS
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), printer=st.sampled_from(PRINTERS))
def test_every_licence_replays_to_its_layout_or_is_refused_naming_the_field(
    form: str, data: st.DataObject, printer: PrinterProfile
) -> None:
    from gbt15311.templates import default_template

    licence = data.draw(valid_licences(form))
    template = default_template(form)
    placements = lay_out(licence, template)
    charset = printer.escp_charset.lower()
    outside = [p.field for p in placements if not all(_in(ch, charset) for ch in p.text)]
    if outside:
        assert charset == "gb2312"  # GB18030 holds every character the model accepts
        with pytest.raises(LicenceInvalid, match="not in the printer's character set") as refused:
            render_escp(licence, options=RenderOptions(printer=printer))
        assert [p.path for p in refused.value.problems] == outside
        return
    stream = render_escp(licence, options=RenderOptions(printer=printer))
    run = replay(stream, printer.escp_charset.lower())
    assert cells(run.pages[0], template, printer) == expected(lay_out(licence, template))


def _in(ch: str, charset: str) -> bool:
    try:
        ch.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "charset", "message"),
    [
        ("中国镕钢有限公司", "GB2312", r"第1项 进口商 .*'镕' \(U\+9555\) is not in .* GB2312"),
        ("中国\U00020547钢有限公司", "GB2312", r"'\U00020547' \(U\+20547\) is not in"),
    ],
)
def test_a_character_outside_the_printers_set_is_refused_naming_the_field(
    licence: ImportLicence, text: str, charset: str, message: str
) -> None:
    data = copy.deepcopy(dict(EXAMPLE))
    data["importer"]["name"] = text
    changed = load_licence(data)
    printer = PrinterProfile("old", escp_charset=charset)
    out = io.BytesIO()
    with pytest.raises(LicenceInvalid, match=message):
        render_escp_batch([changed], out, options=RenderOptions(printer=printer))
    assert out.getvalue() == b""  # not even the set-up
    run = replay(render_escp(changed))  # GB18030 has it, in four bytes for U+20000
    assert text in "".join(p.text for p in run.pages[0])


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("payment", "第9项 付款方式 Payment conditions (payment)"),
        ("transport", "第10项 运输方式 Mode of transport (transport)"),
    ],
)
def test_an_export_licence_refused_by_the_printer_names_its_own_field(key: str, named: str) -> None:
    data = json.loads((EXAMPLES / "export-licence.json").read_text("utf-8"))
    data[key] = "海运镕"
    changed = load_licence(data, form="export")
    printer = PrinterProfile("old", escp_charset="GB2312")
    with pytest.raises(LicenceInvalid) as refused:
        render_escp(changed, options=RenderOptions(printer=printer))
    assert [str(p).split(": ")[0] for p in refused.value.problems] == [named]


def test_a_placement_left_of_the_printers_margin_is_refused(licence: ImportLicence) -> None:
    with pytest.raises(TemplateError, match="left of the printer's left margin"):
        render_escp(licence, options=RenderOptions(printer=PrinterProfile("far", escp_left=120)))


@pytest.mark.parametrize("printer", PRINTERS, ids=lambda p: p.name)
def test_the_calibration_sheet_marks_the_frame_corners(
    template: Template, printer: PrinterProfile
) -> None:
    run = replay(render_escp_calibration(printer=printer), printer.escp_charset.lower())
    found = cells(run.pages[0], template, printer)
    corners = {(1, 1), (1, 72), (61, 1), (61, 72)}
    assert {(line, column) for line, column, text in found if text == "+"} == corners
    hanzi = [(line, column) for line, column, text in found if text in CALIBRATION_HANZI]
    assert hanzi == [(30, 11 + 2 * i) for i in range(len(CALIBRATION_HANZI))]
    assert "".join(text for line, _, text in found if line == 0).startswith("CALIBRATION")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(PRINTERS))
def test_any_text_replays_to_its_cells_or_is_refused(text: str, printer: PrinterProfile) -> None:
    """Hostile text (controls, surrogates, any plane): never a stray command on the wire."""
    from gbt15311.render._escp import EscpWriter
    from gbt15311.templates import default_template

    template = default_template()
    out = io.BytesIO()
    writer = EscpWriter(out, template=template, printer=printer)
    if writer.unprintable(text) is not None or not text:
        return
    placement = Placement("remarks", 49, 3, text, sum(map(char_width, text)))
    writer.page([placement])
    run = replay(out.getvalue(), printer.escp_charset.lower())
    assert cells(run.pages[0], template, printer) == expected([placement])
