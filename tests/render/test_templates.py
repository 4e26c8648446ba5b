"""Templates are data, and loading one checks that every valid licence prints on it."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from gbt15311.exceptions import TemplateError
from gbt15311.forms import FORMS
from gbt15311.grid import Area
from gbt15311.model import FILL
from gbt15311.templates import Template, default_template, load_template, parse_template

BUNDLED = (
    resources.files("gbt15311.templates")
    .joinpath("import-licence.toml")
    .read_text(encoding="utf-8")
)


def broken(old: str, new: str) -> str:
    assert BUNDLED.count(old) == 1, old
    return BUNDLED.replace(old, new)


EXPORT_BUNDLED = (
    resources.files("gbt15311.templates")
    .joinpath("export-licence.toml")
    .read_text(encoding="utf-8")
)


@pytest.mark.parametrize("form", list(FORMS))
def test_the_bundled_templates_are_their_files_read_and_checked(form: str) -> None:
    # Run scripts/generate_bundled_templates.py after changing a template, a model or a check.
    name = FORMS[form].template
    text = resources.files("gbt15311.templates").joinpath(name).read_text(encoding="utf-8")
    assert default_template(form) == parse_template(text, source=name)
    assert load_template(form=form) is default_template(form)


def test_a_form_without_a_bundled_template_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        default_template("transit")


@pytest.mark.parametrize("form", list(FORMS))
def test_every_printed_field_has_a_slot_that_holds_its_widest_value(form: str) -> None:
    template, capacities = default_template(form), FORMS[form].capacity
    assert template.form == form
    slots = {slot.key: slot for _, slot in template.slots()}
    assert set(slots) == set(capacities) == set(FORMS[form].printed) | set(FORMS[form].item)
    for key, capacity in capacities.items():
        slot = slots[key]
        fill = FILL if slot.fill else 0
        assert capacity.width + fill <= slot.area.width, key
        assert capacity.lines <= slot.area.height, key
        assert slot.fill == capacity.numeric, key


@pytest.mark.parametrize("form", list(FORMS))
def test_the_boxes_of_the_standard_are_where_the_standard_puts_them(form: str) -> None:
    boxes = {box.number: box.area for box in default_template(form).front.boxes}
    for number, field in FORMS[form].fields.by_number.items():
        if number in range(12, 18):  # the item columns start with their captions on L27
            area = Area.parse(field.area)
            assert boxes[number] == Area(27, 43, area.first_column, area.last_column)
        else:
            assert boxes[number] == Area.parse(field.area), number


def test_the_template_has_four_parts_and_the_originals_back(template: Template) -> None:
    assert [p.number for p in template.parts] == [1, 2, 3, 4]
    assert template.part(1).caption.text.startswith("第一联（正本）")
    assert template.back is not None
    assert "海关签注栏" in [h.text for h in template.back.headings]


def test_the_export_form_is_the_import_forms_frame_with_its_own_words() -> None:
    imports, exports = default_template("import"), default_template("export")
    assert exports.grid == imports.grid
    assert exports.frame == imports.frame
    assert [b.area for b in exports.front.boxes] == [b.area for b in imports.front.boxes]
    assert [h.text for h in exports.front.headings] == [
        "中华人民共和国出口许可证",
        "EXPORT LICENCE OF THE PEOPLE'S REPUBLIC OF CHINA",
    ]
    captions = [c.text for b in exports.front.boxes for c in b.captions]
    assert "6. 合同号 Contract No." in captions
    assert "12. 规格、等级" in captions
    assert not [c for c in captions if "进口商" in c or "外汇来源" in c]
    assert [p.number for p in exports.parts] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'key = "contract_no", area = "L19 P3-19"',
            'key = "contract_no", area = "L19 P3-18"',
            "'contract_no' at L19 P3-18: is 16 positions wide; the widest valid value needs 17",
        ),
        (
            'key = "payment"',
            'key = "country_of_origin"',
            "no field of the licence is called 'country_of_origin'",
        ),
        (
            'form = "export"',
            'form = "exprot"',
            "form: expected one of import, export; got 'exprot'",
        ),
        ('form = "export"', 'form = "import"', "no field of the licence is called 'exporter.name'"),
    ],
)
def test_the_export_template_is_checked_against_the_export_form(
    old: str, new: str, message: str
) -> None:
    assert EXPORT_BUNDLED.count(old) == 1, old
    with pytest.raises(TemplateError, match=re.escape(message)):
        parse_template(EXPORT_BUNDLED.replace(old, new), source="export.toml")


def test_load_template_reads_a_users_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(BUNDLED.replace('name = "import-licence"', 'name = "mine"'), "utf-8")
    assert load_template(path).name == "mine"
    assert load_template(path).source == str(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{ key = "items.unit_price", area = "L29 P37-49"',
            '{ key = "items.unit_price", area = "L29 P37-47"',
            r"box 15 \(L27-43 P37-49\), slot 'items.unit_price' at L29 P37-47: "
            r"is 11 positions wide; the widest valid value needs 13 including the fill",
        ),
        (
            '{ key = "importer.name", area = "L2-3 P2-36" }',
            '{ key = "importer.name", area = "L2 P2-36" }',
            r"box 1 .*'importer.name'.*has 1 lines; the field takes up to 2",
        ),
        (
            '{ key = "licence_no", area = "L3 P39-50" }',
            '{ key = "licence_no", area = "L1 P39-50" }',
            r"caption '3. 进口许可证号 Import licence No.': overlaps box 3 \(L1-6 P37-72\), slot "
            r"'licence_no' at L1 P39",
        ),
        (
            '{ key = "goods.code", area = "L25 P39-48" }',
            '{ key = "goods.code", area = "L27 P39-48" }',
            r"box 11 .*'goods.code'.*L27 P39-48 lies outside the box",
        ),
        ('{ key = "remarks", area = "L49-50 P3-34" }', "", r"no slot for remarks"),
        (
            '{ key = "use_of_goods", area = "L22 P39-54" }',
            '{ key = "use_of_goods", area = "L22 P39-54" },\n'
            '  { key = "colour", area = "L23 P39-54" }',
            r"no field of the licence is called 'colour'",
        ),
        (
            'area = "L21-23 P37-72"',
            'area = "L21-24 P37-72"',
            r"box 10 \(L21-24 P37-72\): overlaps box 11 \(L24-26 P1-72\) without containing it",
        ),
        (
            'area = "L7 P1-20", text = "2. 收货人 Consignee"',
            'area = "L7 P1-5", text = "2. 收货人 Consignee"',
            r"box 2 .*caption '2. 收货人 Consignee': needs 14 columns at scale 0.7; L7 P1-5 has 5",
        ),
        (
            'area = "L29-31 P1-18" }',
            'area = "L29-32 P1-18" }',
            r"box 12 .*an item slot must lie in the table's first row \(L29-31 P1-18\)",
        ),
        ("rows = 5", "rows = 4", r"table: needs at least 5 rows"),
        (
            'text = "2. 收货人 Consignee"',
            'text = "2. 收货人 \U0001f600"',
            r"box 2 .*caption '2. 收货人 "
            r".*': the printing font has no glyph for '\U0001F600'",
        ),
        ("width_mm = 210", "width_mm = 100000", r"paper: 100000 × 297 mm is not a sheet"),
        ("rows = 5", "rows = 1000000000", r"table: its rows run over lines 29-3000000028"),
        (
            'notes = "L49-58 P38-72"',
            'notes = "L49-99 P38-72"',
            r"calibration: notes L49-99 P38-72 "
            r"lie outside the frame",
        ),
        ('area = "L2-3 P2-36"', 'area = "L2-3 P2-99"', r"box 1 .*L2-3 P2-99 lies outside the box"),
        (
            'area = "L2-3 P2-36"',
            'area = "row 2"',
            r"boxes\[1\]\.slots\[1\]\.area: 'row 2' is not an area",
        ),
        (
            "columns = 72",
            "columns = 80",
            r"frame: 80 columns × 61 lines .* run off the 210 × 297 mm",
        ),
        (
            'text = "核对空白证 No.{serial}"',
            'text = "核对空白证"',
            r"serial stamp: its text must "
            r"contain \{serial\}",
        ),
        ('area = "L62 P49-72"', 'area = "L62 P30-72"', r"overlaps the part captions at L62 P30"),
        ('area = "L-2 P61-72"', 'area = "L-2 P71-82"', r"serial L-2 P71-82: lies off the paper"),
        ("[paper]", "[papier]", r"mine\.toml: papier: unknown key \(expected back, boxes, "),
        (
            '{ key = "remarks", area = "L49-50 P3-34" }',
            '{ key = "remarks", area = "L49-50 P3-34", allign = "right" }',
            r"boxes\[19\]\.slots\[1\]\.allign: unknown key "
            r"\(expected align, area, fill, key, scale\)",
        ),
        (
            "enabled = true",
            "enable = true",
            r"fill\.enable: unknown key \(expected after_last_item, char, enabled, ",
        ),
        (
            'when_empty = ["totals.unit", "totals.quantity"]',
            'when_empty = ["items.quantity"]',
            r"fill: when_empty: 'items.quantity' is not a slot outside the item table",
        ),
        (
            'when_empty = ["totals.unit", "totals.quantity"]',
            'when_empty = "totals.unit"',
            r"fill\.when_empty: expected a list of slot keys; got 'totals.unit'",
        ),
        (
            "caption_scale = 0.7 ",
            "caption_scale = -1 ",
            r"style\.caption_scale: expected a positive number .*; got -1",
        ),
        ('char = "*"', "char = 42", r"fill\.char: expected a non-empty string; got 42"),
        (
            '{ key = "currency", area = "L27 P44-46", scale = 0.7 }',
            '{ key = "currency", area = "L27 P44-46", scale = 1.2 }',
            r"boxes\[15\]\.slots\[1\]\.scale: expected .* at most 1.*; got 1\.2",
        ),
        (
            'area = "L1-61 P1-72"\ncaptions',
            'area = "L1-61 P1-72"\ncaption',
            r"back\.boxes\[1\]\.caption: unknown key \(expected area, border, captions, ",
        ),
        ("lines = 61 ", "lines = 'many' ", r"frame\.lines: expected a whole number; got 'many'"),
        ('char = "*"', 'char = "＊"', r"fill: 'char' must be one half-width character"),
        (
            'number = 4\narea = "L62',
            'number = 5\narea = "L62',
            r"parts: must be numbered 1, 2, 3, …; got \[1, 2, 3, 5\]",
        ),
    ],
)
def test_a_broken_template_is_refused_naming_the_box(old: str, new: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template(broken(old, new), source="mine.toml")


def test_a_table_given_as_a_value_is_refused() -> None:
    start = BUNDLED.index("[fill]")
    end = BUNDLED.index("[serial]")
    text = 'fill = "yes"\n' + BUNDLED[:start] + BUNDLED[end:]
    with pytest.raises(TemplateError, match=r"fill: expected a table \[fill\]; got 'yes'"):
        parse_template(text)


def test_not_toml_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"mine\.toml: not valid TOML"):
        parse_template("[paper\n", source="mine.toml")
    with pytest.raises(TemplateError, match="cannot read the template"):
        load_template(tmp_path / "missing.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("name = 'é'".encode("latin-1"))
    with pytest.raises(TemplateError, match="not UTF-8"):
        load_template(latin)


def test_a_template_in_another_encoding_is_named_and_a_byte_order_mark_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(BUNDLED, encoding="utf-16")
    with pytest.raises(TemplateError, match=r"mine\.toml: UTF-16 text, not UTF-8; save the file"):
        load_template(path)
    path.write_text(BUNDLED, encoding="gbk")
    with pytest.raises(TemplateError, match=r"mine\.toml: not UTF-8 text \(byte 0x.. on line \d+;"):
        load_template(path)
    path.write_text(BUNDLED, encoding="utf-8-sig")
    assert load_template(path).name == "import-licence"


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "+nan"])
@pytest.mark.parametrize(
    ("old", "key"),
    [
        ("left_mm = 20 ", "left_mm"),
        ("height_mm = 297", "height_mm"),
        ("caption_scale = 0.7 ", "caption_scale"),
        ("caption_inset = 0.3 ", "caption_inset"),
        ("scale = 1.5\n", "scale"),
    ],
)
def test_a_number_that_is_not_finite_is_refused_naming_the_key(
    old: str, key: str, number: str
) -> None:
    new = f"{key} = {number}" + ("\n" if old.endswith("\n") else " ")
    with pytest.raises(
        TemplateError,
        match=rf"mine\.toml: [\w.\[\]]*\b{key}: expected .*; got {number.lstrip('+')}$",
    ):
        parse_template(broken(old, new), source="mine.toml")


def test_a_one_line_value_keeps_a_line_between_it_and_its_boxs_bottom_rule(
    template: Template,
) -> None:
    """The data's em box fills most of its line: on a box's last line it sits on the rule.
    Box 21's two lines are the standard's, caption and date: there the rule stays."""
    for box, slot in template.slots():
        if slot.area.height == 1 and box.number != 21:
            assert slot.area.last_line < box.area.last_line, (box.label, slot.key)
