"""Licence + template → placements: which text starts on which grid cell. Pure, no PDF.

A placement is plain data, so a layout can be tested, dumped as JSON (``gbt15311 layout``) and
fed to another backend (an ESC/P driver for a dot-matrix printer) without ReportLab. The
licence's form (``forms``) says what each slot prints. Lines and columns are 1-based and counted
from the form's frame, as the standard numbers them.

    >>> from gbt15311.model import EXAMPLE
    >>> from gbt15311.loading import load_licence
    >>> from gbt15311.templates import default_template
    >>> placements = lay_out(load_licence(EXAMPLE), default_template())
    >>> [p for p in placements if p.field == "items[0].amount"]
    [Placement(field='items[0].amount', line=29, column=51, text='*250000.00*', width=11)]
    >>> [(p.column, p.text) for p in placements if p.field == "expiry_date"]
    [(39, '2027年03月31日')]
"""

from __future__ import annotations

from dataclasses import dataclass

from gbt15311.cells import cell_len
from gbt15311.exceptions import InvalidFormat, TemplateError
from gbt15311.forms import Licence, form_of
from gbt15311.grid import Area
from gbt15311.templates import Box, Serial, Slot, Template

__all__ = [
    "Placement",
    "lay_out",
    "serial_digits",
    "serial_placement",
    "serial_text",
]


@dataclass(frozen=True, slots=True)
class Placement:
    """``text`` printed from ``line``/``column`` rightwards over ``width`` print positions."""

    field: str
    line: int
    column: int
    text: str
    width: int


def lay_out(licence: Licence, template: Template) -> list[Placement]:
    """Every value of the licence on its slot's cells, in template order; fills included.

    The template must be of the licence's form: an export licence on the import form would
    print its values under the other form's captions."""
    form = form_of(licence)
    if template.form != form.name:
        raise TemplateError(
            f"{template.source}: a template of the {template.form} form; the licence "
            f"{licence.licence_no} is of the {form.name} form"
        )
    printed, item_printed = form.printed, form.item
    placements: list[Placement] = []
    fill = template.fill
    table = template.table
    for box, slot in template.slots():
        if slot.is_item:
            name = slot.key.removeprefix("items.")
            for row, item in enumerate(licence.items):
                placements += _placed(
                    f"items[{row}].{name}",
                    item_printed[slot.key](item),
                    table.shift(slot.area, row),
                    slot,
                    template,
                    box,
                )
            if fill.enabled and fill.after_last_item and len(licence.items) < table.rows:
                area = table.shift(slot.area, len(licence.items))
                placements.append(
                    Placement(
                        "fill",
                        area.first_line,
                        area.first_column,
                        fill.char * area.width,
                        area.width,
                    )
                )
        else:
            lines = printed[slot.key](licence)
            if not lines and fill.enabled and slot.key in fill.when_empty:
                area = slot.area
                run = fill.char * area.width
                placements.append(
                    Placement("fill", area.first_line, area.first_column, run, area.width)
                )
                continue
            placements += _placed(slot.key, lines, slot.area, slot, template, box)
    return placements


def _placed(
    field: str, lines: list[str], area: Area, slot: Slot, template: Template, box: Box
) -> list[Placement]:
    """A value's lines in its slot, aligned and filled; never beyond the slot (the template
    check makes that impossible for a valid licence; this is the guard)."""
    if template.fill.enabled and slot.fill:
        char = template.fill.char
        lines = [f"{char}{line}{char}" for line in lines]
    if len(lines) > area.height:
        raise TemplateError(
            f"{template.source}: {box.label}: {field} has {len(lines)} lines; "
            f"{area} holds {area.height}"
        )
    placements = []
    for offset, text in enumerate(lines):
        width = cell_len(text)
        if width > area.width:
            raise TemplateError(
                f"{template.source}: {box.label}: {field} {text!r} takes "
                f"{width} positions; {area} holds {area.width}"
            )
        column = area.first_column
        if slot.align == "right":
            column = area.last_column - width + 1
        elif slot.align == "center":
            column += (area.width - width) // 2
        placements.append(Placement(field, area.first_line + offset, column, text, width))
    return placements


def serial_digits(serial: Serial, digits: str) -> str:
    """The blank's serial digits as printed, zero-padded to the template's length (``12345``
    → ``0012345``); longer serials print too, as far as the template's serial place has room
    for them after its label. The one place a printed serial is formatted."""
    room = serial.area.last_column - serial.area.first_column + 1 - cell_len(serial.prefix)
    if not digits.isascii() or not digits.isdigit() or len(digits) > room:
        raise InvalidFormat(
            f"serial {digits!r} must be 1 to {room} digits, such as "
            f"{'0' * (serial.digits - 5)}12345"
        )
    return digits.zfill(serial.digits)


def serial_text(serial: Serial, digits: str) -> str:
    """``No.0012345``: the template's label and the serial's digits (``serial_digits``)."""
    return f"{serial.prefix}{serial_digits(serial, digits)}"


def serial_placement(template: Template, digits: str) -> Placement:
    """The blank's printed serial at its place right of the title, right-aligned."""
    if template.serial is None:
        raise TemplateError(f"{template.source}: the template has no [serial] place")
    text = serial_text(template.serial, digits)
    area = template.serial.area
    width = cell_len(text)
    return Placement("serial", area.first_line, area.last_column - width + 1, text, width)
