"""On the drawn form, no data character touches a caption or crosses a rule."""

from __future__ import annotations

import io

import pdfplumber
from conftest import BOTH_FORMS, valid_licences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbt15311.export_licence import ExportLicence
from gbt15311.forms import Licence
from gbt15311.grid import POINTS_PER_MM
from gbt15311.model import ImportLicence
from gbt15311.render import RenderOptions, render_licence
from gbt15311.typeset import SIZE_PT

K = float(POINTS_PER_MM)
EPSILON = 0.05 * K  # boxes that only touch do not collide

Box = tuple[float, float, float, float]


def inside(a: Box, b: Box) -> bool:
    """Whether the interiors of two boxes (x0, top, x1, bottom) meet."""
    return (
        a[0] + EPSILON < b[2]
        and b[0] + EPSILON < a[2]
        and a[1] + EPSILON < b[3]
        and b[1] + EPSILON < a[3]
    )


def check_proof(licence: Licence) -> None:
    pdf = render_licence(licence, serial="0012345", options=RenderOptions(mode="proof", parts=[1]))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = [
            c
            for c in page.chars  # not the diagonal watermark
            if c["text"].strip() and c["matrix"][1] == 0
        ]
        data = [
            (c["x0"], c["top"], c["x1"], c["bottom"])
            for c in chars
            if round(c["size"], 2) == SIZE_PT
        ]
        form = [
            (c["x0"], c["top"], c["x1"], c["bottom"])
            for c in chars
            if round(c["size"], 2) != SIZE_PT
        ]
        rules = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges]
    assert data
    assert form
    assert rules
    for glyph in data:
        for caption in form:
            assert not inside(glyph, caption), (glyph, caption)
        for rule in rules:
            assert not inside(glyph, rule), (glyph, rule)


def test_the_examples_keep_clear_of_captions_and_rules(
    licence: ImportLicence, mixed: ImportLicence, export_licence: ExportLicence
) -> None:
    check_proof(licence)
    check_proof(mixed)
    check_proof(export_licence)


@BOTH_FORMS
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_licence_keeps_clear_of_captions_and_rules(
    form: str, data: st.DataObject
) -> None:
    check_proof(data.draw(valid_licences(form)))
