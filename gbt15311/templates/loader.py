"""Read a form template (TOML) and check that every licence its form accepts prints on it.

A template names its form (``form = "export"``; ``import`` when left out). It is only useful if
it can never overprint: so loading checks that every printed field of the form has a slot, that
slots lie inside their boxes and on no caption or other slot, and that the widest value the
form's model accepts (``Form.capacity``), with its anti-alteration fill, fits its slot. Any
problem is a ``TemplateError`` naming the file, the box and the slot.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard, cast

from gbt15311.cells import cell_len
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
_ALIGNS = ("left", "center", "right")


@cache
def default_template(form: str = "import") -> Template:
    """The bundled template of ``form`` (read and checked once per process)."""
    name = FORMS[form].template
    source = resources.files("gbt15311.templates").joinpath(name)
    return parse_template(source.read_text(encoding="utf-8"), source=name)


def load_template(path: str | Path | None = None, *, form: str = "import") -> Template:
    """The template in ``path``, or the bundled template of ``form`` when ``None``."""
    if path is None:
        return default_template(form)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(f"{path}: cannot read the template: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise TemplateError(f"{path}: the template is not UTF-8 text: {error}") from error
    return parse_template(text, source=str(path))


def parse_template(
    text: str, *, source: str = "<template>", capacity: Mapping[str, Capacity] | None = None
) -> Template:
    """Read a template from TOML text and check it against ``capacity``, by default its
    form's (the widest value the form's model accepts in each slot)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{source}: not valid TOML: {error}") from error
    _check_keys(data, "", source)
    template = _Reader(source).template(data)
    _Checker(template, FORMS[template.form].capacity if capacity is None else capacity).check()
    return template


_TEXT = {"area", "text", "scale", "align"}
_BOX = {"number", "area", "border", "dividers", "rules", "captions", "slots"}
_KEYS: dict[str, set[str]] = {
    "": {
        "name",
        "form",
        "title",
        "paper",
        "frame",
        "style",
        "fill",
        "serial",
        "marks",
        "calibration",
        "headings",
        "table",
        "parts",
        "boxes",
        "back",
    },
    "paper": {"width_mm", "height_mm"},
    "frame": {"left_mm", "top_mm", "top_lines", "lines", "columns"},
    "style": {"caption_scale", "caption_inset"},
    "fill": {"enabled", "char", "after_last_item", "when_empty"},
    "serial": {"area", "prefix", "digits", "stamp"},
    "serial.stamp": _TEXT,
    "marks": {"area", "proof", "archive"},
    "calibration": {"notes"},
    "table": {"first_line", "rows", "row_lines"},
    "headings": _TEXT,
    "parts": _TEXT | {"number"},
    "boxes": _BOX,
    "boxes.captions": _TEXT,
    "boxes.slots": {"key", "area", "align", "fill", "scale"},
    "back": {"headings", "boxes"},
}
"""The keys each table of a template may have, so that a misspelt key is an error, not a
silently missing rule."""


def _check_keys(data: Mapping[str, Any], path: str, source: str, where: str = "") -> None:
    allowed = _KEYS[path]
    for key, value in data.items():
        name = f"{where}.{key}" if where else key
        if key not in allowed:
            raise TemplateError(
                f"{source}: {where or 'the template'}: unknown key {key!r} "
                f"(expected {', '.join(sorted(allowed))})"
            )
        inner = f"{path}.{key}" if path else key
        inner = inner.removeprefix("back.")  # the back has headings and boxes like the front
        if isinstance(value, dict) and inner in _KEYS:
            _check_keys(value, inner, source, name)
        elif isinstance(value, list) and inner in _KEYS:
            for i, entry in enumerate(value):
                if isinstance(entry, dict):
                    _check_keys(entry, inner, source, f"{name}[{i + 1}]")


@dataclass(frozen=True, slots=True)
class _Style:
    scale: float
    inset: float


def _finite(value: object) -> TypeGuard[int | float]:
    """A TOML number that is a number: TOML also allows ``nan`` and ``inf``."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


class _Reader:
    """Turns the TOML tables into the template's data, naming the key of any bad value."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> TemplateError:
        return TemplateError(f"{self.source}: {where}: {message}")

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(where, f"needs a table [{key}]")
        return value

    def optional(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        """A table that may be left out (as empty); anything but a table is an error."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"[{key}] must be a table")
        return value

    def tables(self, data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(where, f"'{key}' must be a list of tables")
        return cast(list[Mapping[str, Any]], value)

    def string(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"'{key}' must be a non-empty string")
        return value

    def integer(
        self, data: Mapping[str, Any], key: str, where: str, default: int | None = None
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"'{key}' must be a whole number")
        return value

    def number(
        self, data: Mapping[str, Any], key: str, where: str, default: float | None = None
    ) -> float:
        value = data.get(key, default)
        if not _finite(value) or value <= 0:
            raise self.fail(where, f"'{key}' must be a positive number")
        return float(value)

    def keys(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"'{key}' must be a list of slot keys")
        return tuple(value)

    def slot_scale(self, data: Mapping[str, Any], where: str) -> float:
        scale = self.number(data, "scale", where, 1.0)
        if scale > 1:
            raise self.fail(where, "'scale' must be at most 1: a value never prints larger")
        return scale

    def boolean(self, data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"'{key}' must be true or false")
        return value

    def area(self, data: Mapping[str, Any], where: str, key: str = "area") -> Area:
        text = self.string(data, key, where)
        try:
            return Area.parse(text)
        except ValueError as error:
            raise self.fail(where, str(error)) from None

    def align(self, data: Mapping[str, Any], where: str, default: Align) -> Align:
        value = data.get("align", default)
        if value not in _ALIGNS:
            raise self.fail(where, f"'align' must be one of {', '.join(_ALIGNS)}; got {value!r}")
        return cast(Align, value)

    def text(self, data: Mapping[str, Any], where: str, style: _Style) -> Text:
        area = self.area(data, where)
        where = f"{where} {area}"
        return Text(
            area,
            self.string(data, "text", where),
            self.number(data, "scale", where, style.scale),
            self.align(data, where, "left"),
            style.inset,
        )

    def template(self, data: Mapping[str, Any]) -> Template:
        paper = self.table(data, "paper", "paper")
        frame = self.table(data, "frame", "frame")
        style_data = self.optional(data, "style")
        inset = style_data.get("caption_inset", 0.0)
        if not _finite(inset) or not 0 <= inset < 1:
            raise self.fail("style", "'caption_inset' must be a number of columns from 0 to 1")
        style = _Style(self.number(style_data, "caption_scale", "style", 0.7), float(inset))
        top_lines = self.integer(frame, "top_lines", "frame", 0)
        grid = Grid(
            left_mm=self.mm(frame, "left_mm", "frame"),
            top_mm=self.mm(frame, "top_mm", "frame") + top_lines * LINE_PITCH_MM,
        )
        fill = self.optional(data, "fill")
        table = self.table(data, "table", "table")
        back = self.optional(data, "back")
        form = self.string(data, "form", "the template") if "form" in data else "import"
        if form not in FORMS:
            raise self.fail(
                "the template", f"'form' must be one of {', '.join(FORMS)}; got {form!r}"
            )
        return Template(
            name=self.string(data, "name", "the template"),
            form=form,
            title=self.string(data, "title", "the template"),
            source=self.source,
            paper_mm=(self.mm(paper, "width_mm", "paper"), self.mm(paper, "height_mm", "paper")),
            grid=grid,
            lines=self.integer(frame, "lines", "frame"),
            columns=self.integer(frame, "columns", "frame"),
            top_lines=top_lines,
            fill=Fill(
                self.boolean(fill, "enabled", "fill", False),
                self.string(fill, "char", "fill") if "char" in fill else "*",
                self.boolean(fill, "after_last_item", "fill", False),
                self.keys(fill, "when_empty", "fill"),
            ),
            serial=self.serial(self.optional(data, "serial"), style),
            marks=self.marks(self.optional(data, "marks"), style),
            table=Table(
                self.integer(table, "first_line", "table"),
                self.integer(table, "rows", "table"),
                self.integer(table, "row_lines", "table"),
            ),
            calibration_notes=self.area(
                self.table(data, "calibration", "the template"), "calibration", key="notes"
            ),
            front=self.page(data, "the front", style),
            parts=tuple(
                Part(
                    self.integer(entry, "number", f"part {i + 1}"),
                    self.text(entry, f"part {i + 1}", style),
                )
                for i, entry in enumerate(self.tables(data, "parts", "the template"))
            ),
            back=self.page(back, "the back", style) if back else None,
        )

    def mm(self, data: Mapping[str, Any], key: str, where: str) -> Fraction:
        value = data.get(key)
        if not _finite(value) or value < 0:
            raise self.fail(where, f"'{key}' must be a distance in mm, 0 or more")
        return to_fraction(value)

    def serial(self, data: Mapping[str, Any], style: _Style) -> Serial | None:
        if not data:
            return None
        stamp = self.optional(data, "stamp")
        return Serial(
            self.area(data, "serial"),
            self.string(data, "prefix", "serial") if "prefix" in data else "",
            self.integer(data, "digits", "serial"),
            self.text(stamp, "serial stamp", style) if stamp else None,
        )

    def marks(self, data: Mapping[str, Any], style: _Style) -> dict[str, Text]:
        if not data:
            return {}
        area = self.area(data, "marks")
        return {
            mode: Text(area, self.string(data, mode, "marks"), style.scale, "center")
            for mode in ("proof", "archive")
            if mode in data
        }

    def page(self, data: Mapping[str, Any], where: str, style: _Style) -> Page:
        return Page(
            tuple(
                self.text(h, f"{where}, heading {i + 1}", style)
                for i, h in enumerate(self.tables(data, "headings", where))
            ),
            tuple(
                self.box(b, f"{where}, box {i + 1}", style)
                for i, b in enumerate(self.tables(data, "boxes", where))
            ),
        )

    def box(self, data: Mapping[str, Any], where: str, style: _Style) -> Box:
        number = data.get("number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise self.fail(where, "'number' must be a whole number")
        area = self.area(data, where)
        where = f"box {number} ({area})" if number else f"box {area}"
        slots = []
        for i, entry in enumerate(self.tables(data, "slots", where)):
            slot_where = f"{where}, slot {i + 1}"
            slots.append(
                Slot(
                    self.string(entry, "key", slot_where),
                    self.area(entry, slot_where),
                    self.align(entry, slot_where, "left"),
                    self.boolean(entry, "fill", slot_where, False),
                    self.slot_scale(entry, slot_where),
                )
            )
        return Box(
            number,
            area,
            self.boolean(data, "border", where, True),
            self.columns(data, "dividers", where),
            self.columns(data, "rules", where),
            tuple(
                self.text(c, f"{where}, caption", style)
                for c in self.tables(data, "captions", where)
            ),
            tuple(slots),
        )

    def columns(self, data: Mapping[str, Any], key: str, where: str) -> tuple[int, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise self.fail(where, f"'{key}' must be a list of whole numbers")
        return tuple(value)


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
                raise self.fail(
                    f"serial {serial.area}",
                    f"{serial.prefix}{'0' * serial.digits} "
                    f"needs {printed} positions; the area has {serial.area.width}",
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
            yield "serial stamp", "the serial stamp", replace(serial.stamp, text=sample)

    def check_texts(self) -> None:
        width_mm, height_mm = self.t.paper_mm
        for where, _, text in self.texts():
            missing = missing_glyphs(text.text)
            if missing:
                raise self.fail(where, f"the printing font has no glyph for {''.join(missing)!r}")
            needed = math.ceil(text.columns - 1e-9)
            if needed > text.area.width:
                raise self.fail(
                    where,
                    f"needs {needed} columns at scale {text.scale:g}; "
                    f"{text.area} has {text.area.width}",
                )
            if text.scale > text.area.height:
                raise self.fail(where, f"scale {text.scale:g} is taller than {text.area}")
            _, top, right, bottom = self.t.grid.box(text.area)
            if top < 0 or right > width_mm or bottom > height_mm:
                raise self.fail(where, f"{text.area} lies off the paper")

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
