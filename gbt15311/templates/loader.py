"""Read a form template (TOML) and check that every licence its form accepts prints on it.

A template names its form (``form = "export"``; ``import`` when left out). It is only useful if
it can never overprint: so loading checks that every printed field of the form has a slot, that
slots lie inside their boxes and on no caption or other slot, and that the widest value the
form's model accepts (``Form.capacity``), with its anti-alteration fill, fits its slot. Any
problem is a ``TemplateError`` naming the file and the key (``boxes[3].slots[1].area``) when
the file is not shaped like a template, or the box and the slot when they do not fit together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, PlainValidator

from gbt15311.cells import cell_len
from gbt15311.config import Strict, parse_toml, read_toml, validate
from gbt15311.exceptions import TemplateError
from gbt15311.font import missing_glyphs
from gbt15311.forms import FORMS
from gbt15311.grid import LINE_PITCH_MM, Area, Grid, to_fraction
from gbt15311.model import MAX_ITEMS, Capacity
from gbt15311.templates.form import (
    Align,
    Box,
    Fill,
    Page,
    Part,
    Serial,
    Slot,
    Table,
    Template,
    Text,
)

MAX_PAPER_MM = 1200
"""Larger than A0's long side: a template's paper beyond it is a mistake."""


def read_template(path: str | Path) -> Template:
    """The template in the TOML file ``path``, checked against the form it names."""
    data = read_toml(path, "the template", TemplateError)
    return _template(validate(_File, data, str(path), TemplateError), str(path))


def parse_template(
    text: str, *, source: str = "<template>", capacity: Mapping[str, Capacity] | None = None
) -> Template:
    """Read a template from TOML text and check it against ``capacity``, by default its
    form's (the widest value the form's model accepts in each slot)."""
    data = parse_toml(text, source, TemplateError)
    return _template(validate(_File, data, source, TemplateError), source, capacity)


def _template(
    written: _File, source: str, capacity: Mapping[str, Capacity] | None = None
) -> Template:
    template = written.template(source)
    _Checker(template, FORMS[template.form].capacity if capacity is None else capacity).check()
    return template


# --- the template file, as written: its shape; what its parts must satisfy together is the
# checker's. Every table refuses a key it does not know, so a misspelt key is an error, not a
# silently missing rule.


def _area(value: object) -> Area:
    if not isinstance(value, str):
        raise ValueError(f"expected an area such as 'L7-12 P1-36'; got {value!r}")
    return Area.parse(value)


def _form(value: str) -> str:
    if value not in FORMS:
        raise ValueError(f"expected one of {', '.join(FORMS)}; got {value!r}")
    return value


_Area = Annotated[Area, PlainValidator(_area)]
_NAME = "a non-empty string"
_MM = "a distance in mm, 0 or more"
_WHOLE = "a whole number"
_ALIGN = "one of left, center, right"
_SCALE = "a positive number (of the line's height)"


class _Text(Strict):
    area: _Area
    text: str = Field(min_length=1, description=_NAME)
    scale: float | None = Field(None, gt=0, description=_SCALE)
    align: Align = Field("left", description=_ALIGN)

    def text_of(self, style: _Style) -> Text:
        scale = style.caption_scale if self.scale is None else self.scale
        return Text(self.area, self.text, scale, self.align, style.caption_inset)


class _Slot(Strict):
    key: str = Field(min_length=1, description="the key of a field of the licence")
    area: _Area
    align: Align = Field("left", description=_ALIGN)
    fill: bool = Field(False, description="true or false")
    scale: float = Field(
        1.0, gt=0, le=1, description="a positive number, at most 1: a value never prints larger"
    )


class _Box(Strict):
    number: int | None = Field(None, description=_WHOLE)
    area: _Area
    border: bool = Field(True, description="true or false")
    dividers: list[int] = Field([], description="a list of whole numbers (columns)")
    rules: list[int] = Field([], description="a list of whole numbers (lines)")
    captions: list[_Text] = Field([], description="a list of tables { area, text }")
    slots: list[_Slot] = Field([], description="a list of tables { key, area }")

    def box(self, style: _Style) -> Box:
        return Box(
            self.number,
            self.area,
            self.border,
            tuple(self.dividers),
            tuple(self.rules),
            tuple(caption.text_of(style) for caption in self.captions),
            tuple(Slot(s.key, s.area, s.align, s.fill, s.scale) for s in self.slots),
        )


class _Page(Strict):
    headings: list[_Text] = Field([], description="[[headings]] tables { area, text }")
    boxes: list[_Box] = Field([], description="[[boxes]] tables")

    def page(self, style: _Style) -> Page:
        return Page(
            tuple(heading.text_of(style) for heading in self.headings),
            tuple(box.box(style) for box in self.boxes),
        )


class _Paper(Strict):
    width_mm: float = Field(ge=0, description=_MM)
    height_mm: float = Field(ge=0, description=_MM)


class _Frame(Strict):
    left_mm: float = Field(ge=0, description=_MM)
    top_mm: float = Field(ge=0, description=_MM)
    top_lines: int = Field(0, description=_WHOLE)
    lines: int = Field(description=_WHOLE)
    columns: int = Field(description=_WHOLE)


class _Style(Strict):
    caption_scale: float = Field(0.7, gt=0, description=_SCALE)
    caption_inset: float = Field(
        0.0, ge=0, lt=1, description="a number of columns from 0 to 1 (not 1)"
    )


class _Fill(Strict):
    enabled: bool = Field(False, description="true or false")
    char: str = Field("*", min_length=1, description=_NAME)
    after_last_item: bool = Field(False, description="true or false")
    when_empty: list[str] = Field([], description="a list of slot keys")


class _Serial(Strict):
    area: _Area
    prefix: str = Field("", min_length=1, description=_NAME)
    digits: int = Field(description=_WHOLE)
    stamp: _Text | None = Field(None, description="a table [serial.stamp]")


class _Marks(Strict):
    area: _Area
    proof: str | None = Field(None, min_length=1, description=_NAME)
    archive: str | None = Field(None, min_length=1, description=_NAME)


class _Calibration(Strict):
    notes: _Area


class _Table(Strict):
    first_line: int = Field(description=_WHOLE)
    rows: int = Field(description=_WHOLE)
    row_lines: int = Field(description=_WHOLE)


class _Part(_Text):
    number: int = Field(description=_WHOLE)


class _File(_Page):
    name: str = Field(min_length=1, description=_NAME)
    form: Annotated[str, AfterValidator(_form)] = Field(
        "import", description=f"one of {', '.join(FORMS)}"
    )
    title: str = Field(min_length=1, description=_NAME)
    paper: _Paper = Field(description="a table [paper]")
    frame: _Frame = Field(description="a table [frame]")
    style: _Style = Field(default_factory=_Style, description="a table [style]")
    fill: _Fill = Field(default_factory=_Fill, description="a table [fill]")
    serial: _Serial | None = Field(None, description="a table [serial]")
    marks: _Marks | None = Field(None, description="a table [marks]")
    calibration: _Calibration = Field(description="a table [calibration]")
    table: _Table = Field(description="a table [table]")
    parts: list[_Part] = Field([], description="[[parts]] tables")
    back: _Page | None = Field(None, description="a table [back]")

    def template(self, source: str) -> Template:
        style, frame = self.style, self.frame
        serial = self.serial
        marks = self.marks
        return Template(
            name=self.name,
            form=self.form,
            title=self.title,
            source=source,
            paper_mm=(to_fraction(self.paper.width_mm), to_fraction(self.paper.height_mm)),
            grid=Grid(
                left_mm=to_fraction(frame.left_mm),
                top_mm=to_fraction(frame.top_mm) + frame.top_lines * LINE_PITCH_MM,
            ),
            lines=frame.lines,
            columns=frame.columns,
            top_lines=frame.top_lines,
            fill=Fill(
                self.fill.enabled,
                self.fill.char,
                self.fill.after_last_item,
                tuple(self.fill.when_empty),
            ),
            serial=None
            if serial is None
            else Serial(
                serial.area,
                serial.prefix,
                serial.digits,
                None if serial.stamp is None else serial.stamp.text_of(style),
            ),
            marks={}
            if marks is None
            else {
                mode: Text(marks.area, text, style.caption_scale, "center")
                for mode, text in (("proof", marks.proof), ("archive", marks.archive))
                if text is not None
            },
            table=Table(self.table.first_line, self.table.rows, self.table.row_lines),
            calibration_notes=self.calibration.notes,
            front=self.page(style),
            parts=tuple(Part(part.number, part.text_of(style)) for part in self.parts),
            back=None if self.back is None else self.back.page(style),
        )


class _Checker:
    """The promises a template makes to the layout, checked once at load time."""

    def __init__(self, template: Template, capacity: Mapping[str, Capacity]) -> None:
        self.t = template
        self.capacity = capacity

    def fail(self, where: str, message: str) -> TemplateError:
        return TemplateError(f"{self.t.source}: {where}: {message}")

    def check(self) -> None:
        t = self.t
        if t.lines < 1 or t.columns < 1 or t.top_lines < 0:
            raise self.fail("frame", "needs at least one line and one column")
        width, height = t.paper_mm
        if not (0 < width <= MAX_PAPER_MM and 0 < height <= MAX_PAPER_MM):
            raise self.fail(
                "paper",
                f"{float(width):g} × {float(height):g} mm is not a sheet "
                f"a printer takes (at most {MAX_PAPER_MM} mm a side)",
            )
        _, _, right, bottom = t.grid.box(t.frame)
        if right > width or bottom > height:
            raise self.fail(
                "frame",
                f"{t.columns} columns × {t.lines} lines from the frame origin run off "
                f"the {float(width):g} × {float(height):g} mm paper",
            )
        self.check_table()
        if not t.frame.contains(t.calibration_notes):
            raise self.fail("calibration", f"notes {t.calibration_notes} lie outside the frame")
        self.check_page(t.front, "the front")
        if t.back is not None:
            self.check_page(t.back, "the back")
        self.check_slots()
        self.check_parts()
        self.check_texts()
        self.check_overlaps()

    def check_table(self) -> None:
        table = self.t.table
        if table.rows < MAX_ITEMS or table.row_lines < 1:
            raise self.fail(
                "table",
                f"needs at least {MAX_ITEMS} rows of at least one line: "
                f"a licence has up to {MAX_ITEMS} items",
            )
        last = table.first_line + table.rows * table.row_lines - 1
        if table.first_line < 1 or last > self.t.lines:
            raise self.fail(
                "table",
                f"its rows run over lines {table.first_line}-{last}, "
                f"outside the frame's lines 1-{self.t.lines}",
            )

    def check_page(self, page: Page, where: str) -> None:
        for box in page.boxes:
            if not self.t.frame.contains(box.area):
                raise self.fail(box.label, f"lies outside the frame {self.t.frame}")
            for column in box.dividers:
                if not box.area.first_column < column <= box.area.last_column:
                    raise self.fail(box.label, f"divider at column {column} is not inside it")
            for line in box.rules:
                if not box.area.first_line < line <= box.area.last_line:
                    raise self.fail(box.label, f"rule at line {line} is not inside it")
            for caption in box.captions:
                if not box.area.contains(caption.area):
                    raise self.fail(
                        box.label,
                        f"caption {caption.text!r} at {caption.area} lies outside the box",
                    )
        for a in page.boxes:
            for b in page.boxes:
                if (
                    a is not b
                    and a.area.overlaps(b.area)
                    and not (a.area.contains(b.area) or b.area.contains(a.area))
                ):
                    raise self.fail(a.label, f"overlaps {b.label} without containing it ({where})")

    def check_slots(self) -> None:
        table, fill = self.t.table, self.t.fill
        seen = set()
        for box, slot in self.t.slots():
            where = f"{box.label}, slot {slot.key!r} at {slot.area}"
            capacity = self.capacity.get(slot.key)
            if capacity is None:
                raise self.fail(
                    where,
                    f"no field of the licence is called {slot.key!r}; "
                    f"the fields are {', '.join(sorted(self.capacity))}",
                )
            seen.add(slot.key)
            areas = [slot.area]
            if slot.is_item:
                row = Area(
                    table.first_line,
                    table.first_line + table.row_lines - 1,
                    slot.area.first_column,
                    slot.area.last_column,
                )
                if not row.contains(slot.area):
                    raise self.fail(
                        where, f"an item slot must lie in the table's first row ({row})"
                    )
                areas = [table.shift(slot.area, r) for r in range(table.rows)]
            for area in areas:
                if not box.area.contains(area):
                    raise self.fail(where, f"{area} lies outside the box")
            needed = capacity.width + (2 if fill.enabled and slot.fill else 0)
            if needed > slot.area.width:
                extra = " including the fill" if needed > capacity.width else ""
                raise self.fail(
                    where,
                    f"is {slot.area.width} positions wide; the widest valid "
                    f"value needs {needed}{extra}",
                )
            if capacity.lines > slot.area.height:
                raise self.fail(
                    where, f"has {slot.area.height} lines; the field takes up to {capacity.lines}"
                )
        missing = sorted(set(self.capacity) - seen)
        if missing:
            raise self.fail("the front", f"no slot for {', '.join(missing)}")
        for key in fill.when_empty:
            if key not in seen or key.startswith("items."):
                raise self.fail(
                    "fill",
                    f"when_empty: {key!r} is not a slot outside the item table "
                    "(item rows after the last take after_last_item)",
                )
        if fill.enabled and cell_len(fill.char) != 1:
            raise self.fail("fill", f"'char' must be one half-width character; got {fill.char!r}")

    def check_parts(self) -> None:
        numbers = [part.number for part in self.t.parts]
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise self.fail("parts", f"must be numbered 1, 2, 3, …; got {numbers}")
        serial = self.t.serial
        if serial is not None:
            if missing_glyphs(serial.prefix):
                raise self.fail(
                    f"serial {serial.area}",
                    "the printing font has no glyph for "
                    f"{''.join(missing_glyphs(serial.prefix))!r}",
                )
            printed = cell_len(serial.prefix) + serial.digits
            if serial.digits < 1 or printed > serial.area.width:
                sample = f"{serial.prefix}{'0' * serial.digits} " if printed <= 1000 else ""
                raise self.fail(
                    f"serial {serial.area}",
                    f"{sample}needs {printed} positions; the area has {serial.area.width}",
                )
            _, top, right, bottom = self.t.grid.box(serial.area)
            if top < 0 or right > self.t.paper_mm[0] or bottom > self.t.paper_mm[1]:
                raise self.fail(f"serial {serial.area}", "lies off the paper")
            if serial.stamp is not None and "{serial}" not in serial.stamp.text:
                raise self.fail("serial stamp", "its text must contain {serial}")

    def texts(self) -> Iterable[tuple[str, str, Text]]:
        """Every piece of printed form text: how to name it, who owns its cells, the text.

        Texts that never share a page (the parts' captions, the modes' marks) share an owner;
        the back's texts are owned by the back.
        """
        pages = [("the front", self.t.front)]
        if self.t.back is not None:
            pages.append(("the back", self.t.back))
        for where, page in pages:
            for heading in page.headings:
                name = f"{where}, heading {heading.text!r}"
                yield name, name if page is self.t.front else where, heading
            for box in page.boxes:
                for caption in box.captions:
                    name = f"{box.label}, caption {caption.text!r}"
                    yield name, name if page is self.t.front else where, caption
        for part in self.t.parts:
            yield f"part {part.number}, caption", "the part captions", part.caption
        for mode, mark in self.t.marks.items():
            yield f"{mode} mark", "the mode marks", mark
        serial = self.t.serial
        if serial is not None and serial.stamp is not None:
            sample = serial.stamp.text.format(serial="0" * serial.digits)
            yield "serial stamp", "the serial stamp", serial.stamp._replace(text=sample)

    def check_texts(self) -> None:
        width_mm, height_mm = self.t.paper_mm
        for where, _, text in self.texts():
            missing = missing_glyphs(text.text)
            if missing:
                raise self.fail(where, f"the printing font has no glyph for {''.join(missing)!r}")
            # On the paper, then no taller than its area: so its width is a finite number.
            _, top, right, bottom = self.t.grid.box(text.area)
            if top < 0 or right > width_mm or bottom > height_mm:
                raise self.fail(where, f"{text.area} lies off the paper")
            if text.scale > text.area.height:
                raise self.fail(where, f"scale {text.scale:g} is taller than {text.area}")
            needed = math.ceil(text.columns - 1e-9)
            if needed > text.area.width:
                raise self.fail(
                    where,
                    f"needs {needed} columns at scale {text.scale:g}; "
                    f"{text.area} has {text.area.width}",
                )

    def check_overlaps(self) -> None:
        """No cell of the front carries two things: slots, captions, titles, stamp."""
        owners: dict[tuple[int, int], str] = {}
        table = self.t.table
        items: list[tuple[str, Area]] = []
        for box, slot in self.t.slots():
            rows = range(table.rows) if slot.is_item else range(1)
            items += [
                (
                    f"{box.label}, slot {slot.key!r}",
                    table.shift(slot.area, r) if slot.is_item else slot.area,
                )
                for r in rows
            ]
        items += [(owner, text.area) for _, owner, text in self.texts() if owner != "the back"]
        if self.t.serial is not None:
            items.append(("the serial", self.t.serial.area))
        items.append(("the calibration notes", self.t.calibration_notes))
        for where, area in items:
            for line in range(area.first_line, area.last_line + 1):
                for column in range(area.first_column, area.last_column + 1):
                    other = owners.setdefault((line, column), where)
                    if other != where:
                        raise self.fail(where, f"overlaps {other} at L{line} P{column}")
