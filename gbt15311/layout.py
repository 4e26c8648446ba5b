"""Licence + template → placements: which text starts on which grid cell. Pure, no PDF.

A placement is plain data, so a layout can be tested, dumped as JSON (``gbt15311 layout``)
and fed to another backend (an ESC/P driver for a dot-matrix printer) without ReportLab.
Lines and columns are 1-based and counted from the form's frame, as the standard numbers them.

>>> from gbt15311.model import EXAMPLE, load_licence
>>> from gbt15311.templates import default_template
>>> placements = lay_out(load_licence(EXAMPLE), default_template())
>>> [p for p in placements if p.field == "items[0].amount"]
[Placement(field='items[0].amount', line=29, column=51, text='*250000.00*', width=11)]
>>> [(p.column, p.text) for p in placements if p.field == "expiry_date"]
[(39, '2027年03月31日')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gbt15311.cells import cell_len
from gbt15311.codes import country
from gbt15311.exceptions import InvalidFormat, TemplateError
from gbt15311.grid import Area
from gbt15311.model import ImportLicence, Item
from gbt15311.templates import Box, Serial, Slot, Template

__all__ = ["Placement", "lay_out", "printed_date", "serial_placement", "serial_text"]


@dataclass(frozen=True, slots=True)
class Placement:
    """``text`` printed from ``line``/``column`` rightwards over ``width`` print positions."""

    field: str
    line: int
    column: int
    text: str
    width: int


def printed_date(day: date) -> str:
    """Dates print ``YYYY年MM月DD日`` (14 positions), as issuing systems print them."""
    return f"{day.year:04d}年{day.month:02d}月{day.day:02d}日"


def _number(value: Decimal | None) -> list[str]:
    return [] if value is None else [format(value, "f")]


def _country(code: str) -> list[str]:
    return [country.lookup(code).name_zh]


_LICENCE: dict[str, Callable[[ImportLicence], list[str]]] = {
    "importer.name": lambda lic: lic.importer.lines,
    "importer.code": lambda lic: [lic.importer.code],
    "consignee.name": lambda lic: lic.consignee.lines,
    "licence_no": lambda lic: [lic.licence_no],
    "expiry_date": lambda lic: [printed_date(lic.expiry_date)],
    "trade_mode": lambda lic: [lic.trade_mode.name],
    "foreign_exchange": lambda lic: [lic.foreign_exchange],
    "place_of_clearance": lambda lic: [lic.place_of_clearance.name],
    "country_of_exportation": lambda lic: _country(lic.country_of_exportation),
    "country_of_origin": lambda lic: _country(lic.country_of_origin),
    "use_of_goods": lambda lic: [lic.use_of_goods],
    "goods.description": lambda lic: [lic.goods.description],
    "goods.code": lambda lic: [lic.goods.code],
    "currency": lambda lic: [lic.currency],
    "totals.unit": lambda lic: lic.totals.unit_lines,
    "totals.quantity": lambda lic: _number(lic.totals.quantity),
    "totals.amount": lambda lic: _number(lic.totals.amount),
    "totals.amount_usd": lambda lic: _number(lic.totals.amount_usd),
    "remarks": lambda lic: lic.remarks_lines,
    "licence_date": lambda lic: [printed_date(lic.licence_date)],
}
"""What each slot of the form prints, as lines of text."""

_ITEM: dict[str, Callable[[Item], list[str]]] = {
    "items.specification": lambda item: item.specification_lines,
    "items.unit": lambda item: item.unit_lines,
    "items.quantity": lambda item: _number(item.quantity),
    "items.unit_price": lambda item: _number(item.unit_price),
    "items.amount": lambda item: _number(item.amount),
    "items.amount_usd": lambda item: _number(item.amount_usd),
}


def lay_out(licence: ImportLicence, template: Template) -> list[Placement]:
    """Every value of the licence on its slot's cells, in template order; fills included."""
    placements: list[Placement] = []
    fill = template.fill
    table = template.table
    for box, slot in template.slots():
        if slot.is_item:
            name = slot.key.removeprefix("items.")
            for row, item in enumerate(licence.items):
                placements += _placed(
                    f"items[{row}].{name}",
                    _ITEM[slot.key](item),
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
            lines = _LICENCE[slot.key](licence)
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


def serial_text(serial: Serial, digits: str) -> str:
    """``No.0012345`` from the blank's serial digits, zero-padded to the template's length;
    longer serials print too, as far as the template's serial place has room for them."""
    room = serial.area.last_column - serial.area.first_column + 1 - cell_len(serial.prefix)
    if not digits.isascii() or not digits.isdigit() or len(digits) > room:
        raise InvalidFormat(
            f"serial {digits!r} must be 1 to {room} digits, such as "
            f"{'0' * (serial.digits - 5)}12345"
        )
    return f"{serial.prefix}{digits.zfill(serial.digits)}"


def serial_placement(template: Template, digits: str) -> Placement:
    """The blank's printed serial at its place right of the title, right-aligned."""
    if template.serial is None:
        raise TemplateError(f"{template.source}: the template has no [serial] place")
    text = serial_text(template.serial, digits)
    area = template.serial.area
    width = cell_len(text)
    return Placement("serial", area.first_line, area.last_column - width + 1, text, width)
