"""Render options are one frozen value; a printed serial is formatted in one place."""

from __future__ import annotations

import dataclasses
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfcheck import glyphs

from gbt15311.exceptions import InvalidFormat
from gbt15311.layout import serial_digits, serial_text
from gbt15311.model import ImportLicence
from gbt15311.render import RenderOptions, render_batch, render_escp, render_escp_batch
from gbt15311.render._escp import EscpWriter, escp_placements
from gbt15311.templates import Template


def test_options_are_a_frozen_hashable_value() -> None:
    options = RenderOptions(mode="proof", parts=[1, 3])
    assert options.parts == (1, 3)  # any iterable in, a tuple kept
    assert options == RenderOptions(mode="proof", parts=(1, 3))
    assert len({options, RenderOptions(mode="proof", parts=(1, 3))}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.mode = "archive"  # type: ignore[misc]
    assert dataclasses.replace(options, stamp=False).stamp is False


@given(st.text())
def test_a_mode_outside_the_modes_is_refused_naming_them(mode: str) -> None:
    if mode in ("overlay", "proof", "archive"):
        assert RenderOptions(mode=mode).mode == mode  # type: ignore[arg-type]
        return
    with pytest.raises(ValueError, match="mode must be one of overlay, proof, archive"):
        RenderOptions(mode=mode)  # type: ignore[arg-type]


def test_one_value_renders_a_batch_as_it_renders_one_licence(licence: ImportLicence) -> None:
    options = RenderOptions(mode="proof", parts=[2])
    out = io.BytesIO()
    assert render_batch([(licence, "0012345"), licence], out, options=options) == 2
    pages = glyphs(out.getvalue())
    assert len(pages) == 2  # part 2 of each, and no back (that is part 1's)
    assert "No.0012345" in "".join(g.text for g in pages[0])


def test_esc_p_prints_the_overlay_only(licence: ImportLicence) -> None:
    out = io.BytesIO()
    for mode in ("proof", "archive"):
        with pytest.raises(ValueError, match="overlay only"):
            render_escp(licence, options=RenderOptions(mode=mode))
        with pytest.raises(ValueError, match="overlay only"):
            render_escp_batch([licence], out, options=RenderOptions(mode=mode))
    assert out.getvalue() == b""


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=12))
def test_every_printed_serial_is_the_one_formatter(template: Template, digits: str) -> None:
    """The serial's place, the PDF's stamp and the ESC/P stamp print the same digits, or
    all refuse the same text."""
    slot = template.serial
    assert slot is not None
    assert slot.stamp is not None
    try:
        printed = serial_digits(slot, digits)
    except InvalidFormat:
        with pytest.raises(InvalidFormat):
            serial_text(slot, digits)
        return
    assert printed.isascii()
    assert printed.isdigit()
    assert int(printed) == int(digits)
    assert len(printed) == max(len(digits), slot.digits)
    assert serial_text(slot, digits) == slot.prefix + printed
    assert slot.stamp.text.format(serial=printed) in _escp_stamp(template, digits)


def _escp_stamp(template: Template, digits: str) -> str:
    from gbt15311.loading import load_licence
    from gbt15311.model import EXAMPLE

    writer = EscpWriter(io.BytesIO(), template=template)
    placements = escp_placements(load_licence(EXAMPLE), digits, stamp=True, writer=writer)
    return next(p.text for p in placements if p.field == "stamp")
