"""Layout: every value on its own cells, inside its slot, whatever valid licence comes in."""

from __future__ import annotations

import re
from datetime import date

from conftest import BOTH_FORMS, valid_licences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfcheck import assert_on_grid, expected_cells, glyphs

from gbt15311.cells import cell_len
from gbt15311.forms import Licence, printed_date
from gbt15311.grid import Area
from gbt15311.layout import Placement, lay_out, serial_placement
from gbt15311.model import ImportLicence
from gbt15311.render import RenderOptions, render_licence
from gbt15311.templates import Template, default_template

_ITEM = re.compile(r"items\[(\d+)\]\.(\w+)")


def slot_areas(template: Template, placement: Placement) -> list[Area]:
    """The areas a placement may lie in."""
    table = template.table
    match = _ITEM.fullmatch(placement.field)
    areas = []
    for _, slot in template.slots():
        if match and slot.key == f"items.{match[2]}":
            areas.append(table.shift(slot.area, int(match[1])))
        elif placement.field == "fill" and (slot.is_item or slot.key in template.fill.when_empty):
            areas += [table.shift(slot.area, row) for row in range(table.rows)]
        elif slot.key == placement.field:
            areas.append(slot.area)
    return areas


def check(licence: Licence, template: Template) -> list[Placement]:
    placements = lay_out(licence, template)
    taken: dict[tuple[int, int], str] = {}
    for p in placements:
        assert p.width == cell_len(p.text)
        cells = Area(p.line, p.line, p.column, p.column + p.width - 1)
        assert any(area.contains(cells) for area in slot_areas(template, p)), p
        for column in range(cells.first_column, cells.last_column + 1):
            other = taken.setdefault((p.line, column), p.field)
            assert other == p.field, (p, other)
    return placements


def test_the_examples_lay_out_inside_their_slots(
    licence: ImportLicence, mixed: ImportLicence, template: Template
) -> None:
    check(licence, template)
    check(mixed, template)


def test_names_wrap_numbers_right_align_dates_print_in_chinese(
    mixed: ImportLicence, template: Template
) -> None:
    placements = {p.field: p for p in lay_out(mixed, template)}
    names = [p for p in lay_out(mixed, template) if p.field == "importer.name"]
    assert [(p.line, p.text) for p in names] == [
        (2, "深圳华南精密仪器进出口有限公司"),
        (3, "Shenzhen S. China Precision Instr."),
    ]
    amount = placements["items[1].amount"]
    assert amount.text == "*2400000.50*"
    assert amount.column + amount.width - 1 == 61  # flush with the column's right edge
    assert placements["expiry_date"].text == "2027年03月31日"
    assert placements["licence_date"].width == 14


def test_full_width_characters_take_two_columns(licence: ImportLicence, template: Template) -> None:
    name = next(p for p in lay_out(licence, template) if p.field == "importer.name")
    assert name.text == "中国机械进出口（集团）有限公司"
    assert name.width == 2 * len(name.text)


def test_the_fill_runs_across_the_row_after_the_last_item(
    mixed: ImportLicence, template: Template
) -> None:
    fills = [p for p in lay_out(mixed, template) if p.field == "fill" and p.line < 44]
    assert {p.line for p in fills} == {38}  # three items: rows 29, 32, 35
    assert sum(p.width for p in fills) == 72
    assert all(set(p.text) == {"*"} for p in fills)


def test_different_units_fill_the_total_quantity_and_unit_cells(
    mixed: ImportLicence, template: Template
) -> None:
    placements = lay_out(mixed, template)
    fields = {p.field for p in placements}
    assert "totals.quantity" not in fields
    assert "totals.unit" not in fields
    assert {"totals.amount", "totals.amount_usd"} <= fields
    totals = {(p.line, p.column, p.text) for p in placements if p.field == "fill" and p.line == 44}
    assert totals == {(44, 19, "*" * 6), (44, 25, "*" * 12)}  # no digit or unit can be added


def test_a_total_that_is_there_gets_no_run_of_fill(
    licence: ImportLicence, template: Template
) -> None:
    placements = {p.field: p for p in lay_out(licence, template) if p.line == 44}
    assert placements["totals.quantity"].text == "*2*"
    assert "fill" not in placements


def test_the_fill_is_a_template_option(licence: ImportLicence, template: Template) -> None:
    plain = template._replace(fill=template.fill._replace(enabled=False))
    placements = {p.field: p for p in lay_out(licence, plain)}
    assert placements["items[0].amount"].text == "250000.00"
    assert "fill" not in placements


def test_printed_dates_and_serials(template: Template) -> None:
    assert printed_date(date(2008, 11, 1)) == "2008年11月01日"
    serial = serial_placement(template, "12345")
    assert (serial.text, serial.line, serial.column + serial.width - 1) == ("No.0012345", -2, 72)


@BOTH_FORMS
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_licence_lays_out_without_overflow(form: str, data: st.DataObject) -> None:
    licence = data.draw(valid_licences(form))
    check(licence, default_template(form))


@BOTH_FORMS
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_licence_renders_on_the_grid(form: str, data: st.DataObject) -> None:
    licence: Licence = data.draw(valid_licences(form))
    template = default_template(form)
    pdf = render_licence(licence, options=RenderOptions(parts=[2], stamp=False))
    assert_on_grid(glyphs(pdf)[0], expected_cells(template, lay_out(licence, template)), template)
