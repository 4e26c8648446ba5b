"""Registers as PDF: bilingual titled sheets of ruled tables on a fixed-pitch grid.

Every character sits on the library's fixed-pitch grid (``gbt15311.typeset``, the layer
the licence renderer sets its text with too), scaled down so a register's columns fit A4
landscape; a column is a whole number of print positions, so a Chinese heading and a serial
line up the same way on every page. Each page carries its page
number and the ledger's event number and head hash at the cut-off, so a signed paper copy
pins the electronic record. The PDF is PDF/A-2b (``gbt15311.pdfa``), its metadata naming the
registers and the ledger's head; ``invariant=1`` and the cut-off's date keep the dates and
ids fixed: the same sheets give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any, Literal

from gbt15311.cells import cell_len, char_width, wrap
from gbt15311.font import missing_glyphs
from gbt15311.grid import COLUMN_PITCH_MM, POINTS_PER_MM
from gbt15311.typeset import ASCENT, SIZE_PT, TextWriter

PAGE_MM = (297.0, 210.0)
"""A4 landscape."""
MARGIN_MM = 12.0
SCALE = 0.7
"""Body text: 7.56 pt, 1.778 mm a position, 151 positions across the page."""
LINE_MM = 4.0
WIDTH = int((PAGE_MM[0] - 2 * MARGIN_MM) / (float(COLUMN_PITCH_MM) * SCALE))
"""Print positions across a page at the body scale."""
_K = float(POINTS_PER_MM)

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Column:
    """A table column: its bilingual heading and its width in print positions (one of
    which is padding)."""

    zh: str
    en: str
    width: int
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Sheet:
    """One register or report: a new page, numbered on its own."""

    title_zh: str
    title_en: str
    fields: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    annex: int | None = None
    copy: str = ""
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pin:
    """The ledger state a document was made from."""

    seq: int
    head: str
    cutoff: str


@dataclass(frozen=True)
class _Text:
    text: str
    x: float
    top: float
    scale: float = SCALE


@dataclass(frozen=True)
class _Rule:
    x1: float
    y1: float
    x2: float
    y2: float


_Op = _Text | _Rule
_STEP = float(COLUMN_PITCH_MM) * SCALE
_FOOTER_MM = 2 * LINE_MM + 2


def render(sheets: Sequence[Sheet], pin: Pin, *, title: str) -> bytes:
    """The sheets as one PDF, each starting on a new page."""
    from reportlab.pdfgen.canvas import Canvas

    from gbt15311.font import register
    from gbt15311.pdfa import ArchiveInfo, pdfa

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_MM[0] * _K, PAGE_MM[1] * _K),
        invariant=1,
        initialFontName=register(),  # no page may select a font the PDF/A does not embed
    )
    for sheet in sheets:
        for ops in _paginate(sheet, pin):
            _draw(canvas, ops)
    canvas.save()
    archive = io.BytesIO()
    subject = f"custody ledger at {pin.cutoff}: event {pin.seq}, head {pin.head}"
    names = "; ".join(f"{sheet.title_zh} {sheet.title_en}" for sheet in sheets)
    info = ArchiveInfo(title, subject, "gbt15311 custody ledger", names, _date(pin.cutoff))
    pdfa(buffer.getvalue(), info, archive)
    return archive.getvalue()


def _date(cutoff: str) -> datetime:
    """The cut-off's date when it is one, else ReportLab's invariant date: never the clock."""
    try:
        return datetime.fromisoformat(cutoff).replace(tzinfo=None)
    except ValueError:
        return datetime(2000, 1, 1)


def _paginate(sheet: Sheet, pin: Pin) -> list[list[_Op]]:
    pages: list[list[_Op]] = []
    bottom = PAGE_MM[1] - MARGIN_MM - _FOOTER_MM
    ops: list[_Op] = []
    y = 0.0

    def new_page() -> None:
        nonlocal ops, y
        ops = []
        pages.append(ops)
        y = _heading(ops, sheet, first=len(pages) == 1)

    new_page()
    for table in sheet.tables:
        width = sum(column.width for column in table.columns)
        if width > WIDTH:
            raise ValueError(f"{sheet.title_en}: a table {width} positions wide, over {WIDTH}")
        rows = [_cells(table, row) for row in table.rows]
        head = _cells(table, tuple(f"{c.zh}\n{c.en}" for c in table.columns))
        caption = LINE_MM if table.caption else 0.0
        first_height = _height(rows[0]) if rows else 0.0
        if y + caption + _height(head) + first_height > bottom:
            new_page()
        if table.caption:
            ops.append(_Text(table.caption, MARGIN_MM, y))
            y += LINE_MM
        top = y
        y = _row(ops, table, head, y)
        for row in rows:
            if y + _height(row) > bottom:
                _verticals(ops, table, top, y)
                new_page()
                top = y
                y = _row(ops, table, head, y)
            y = _row(ops, table, row, y)
        _verticals(ops, table, top, y)
        y += LINE_MM
    for note in sheet.notes:
        lines = wrap(note, WIDTH) or [""]
        if y + len(lines) * LINE_MM > bottom:
            new_page()
        for line in lines:
            ops.append(_Text(line, MARGIN_MM, y))
            y += LINE_MM
    if sheet.signatures:
        needed = ((len(sheet.signatures) + 1) // 2) * 3 * LINE_MM + LINE_MM
        if y + needed > bottom:
            new_page()
        y += LINE_MM
        half = WIDTH // 2
        for index, role in enumerate(sheet.signatures):
            x = MARGIN_MM + (index % 2) * half * _STEP
            ops.append(_Text(f"{role}：", x, y + LINE_MM))
            line_x = x + (cell_len(role) + 2) * _STEP
            sign_end = x + (half - 22) * _STEP
            ops.append(_Rule(line_x, y + 2 * LINE_MM, sign_end, y + 2 * LINE_MM))
            ops.append(_Text("日期 Date：", sign_end + _STEP, y + LINE_MM))
            ops.append(
                _Rule(
                    sign_end + 12 * _STEP, y + 2 * LINE_MM, x + (half - 2) * _STEP, y + 2 * LINE_MM
                )
            )
            if index % 2:
                y += 3 * LINE_MM
    for number, page in enumerate(pages, start=1):
        _footer(page, pin, number, len(pages))
    return pages


def _heading(ops: list[_Op], sheet: Sheet, *, first: bool) -> float:
    y = MARGIN_MM
    if sheet.annex is not None or sheet.copy:
        annex = f"附件{sheet.annex} Annex {sheet.annex}" if sheet.annex is not None else ""
        ops.append(_Text(annex, MARGIN_MM, y))
        if sheet.copy:
            ops.append(_Text(sheet.copy, _right(sheet.copy, SCALE), y))
        y += LINE_MM
    title_scale = 1.3 if first else 1.0
    zh = sheet.title_zh if first else f"{sheet.title_zh}（续）"
    ops.append(_Text(zh, _centre(zh, title_scale), y, title_scale))
    y += 7.0 if first else 5.5
    en = sheet.title_en if first else f"{sheet.title_en} (continued)"
    ops.append(_Text(en, _centre(en, 0.9), y, 0.9))
    y += 6.0
    if first:
        line: list[str] = []
        for label, value in sheet.fields:
            item = f"{label}：{value}"
            if line and cell_len("    ".join([*line, item])) > WIDTH:
                ops.append(_Text("    ".join(line), MARGIN_MM, y))
                y += LINE_MM
                line = []
            line.append(item)
        if line:
            ops.append(_Text("    ".join(line), MARGIN_MM, y))
            y += LINE_MM
        y += LINE_MM / 2
    return y


def _footer(ops: list[_Op], pin: Pin, number: int, total: int) -> None:
    y = PAGE_MM[1] - MARGIN_MM - 2 * LINE_MM
    ops.append(_Rule(MARGIN_MM, y - 1, PAGE_MM[0] - MARGIN_MM, y - 1))
    ledger = f"账本截止 Ledger cut-off {pin.cutoff}：事件 event #{pin.seq}"
    ops.append(_Text(ledger, MARGIN_MM, y))
    page = f"第{number}页 共{total}页  Page {number} of {total}"
    ops.append(_Text(page, _right(page, SCALE), y))
    ops.append(_Text(f"链头 Head hash {pin.head}", MARGIN_MM, y + LINE_MM))


def _centre(text: str, scale: float) -> float:
    return (PAGE_MM[0] - cell_len(text) * float(COLUMN_PITCH_MM) * scale) / 2


def _right(text: str, scale: float) -> float:
    return PAGE_MM[0] - MARGIN_MM - cell_len(text) * float(COLUMN_PITCH_MM) * scale


def _cells(table: Table, row: tuple[str, ...]) -> list[list[str]]:
    """Each cell's lines, wrapped to its column (one position of padding)."""
    if len(row) != len(table.columns):
        raise ValueError(f"a row of {len(row)} cells in a table of {len(table.columns)} columns")
    out = []
    for text, column in zip(row, table.columns, strict=True):
        lines: list[str] = []
        for part in text.split("\n"):
            lines.extend(wrap(part, column.width - 1) or [""])
        out.append(lines)
    return out


def _height(cells: list[list[str]]) -> float:
    return max(len(lines) for lines in cells) * LINE_MM


def _row(ops: list[_Op], table: Table, cells: list[list[str]], y: float) -> float:
    x = MARGIN_MM
    for lines, column in zip(cells, table.columns, strict=True):
        inner = column.width - 1
        for index, line in enumerate(lines):
            free = inner - cell_len(line)
            shift = {"left": 0, "right": free, "center": free // 2}[column.align]
            ops.append(_Text(line, x + (0.5 + shift) * _STEP, y + index * LINE_MM))
        x += column.width * _STEP
    bottom = y + _height(cells)
    ops.append(_Rule(MARGIN_MM, y, x, y))
    ops.append(_Rule(MARGIN_MM, bottom, x, bottom))
    return bottom


def _verticals(ops: list[_Op], table: Table, top: float, bottom: float) -> None:
    x = MARGIN_MM
    ops.append(_Rule(x, top, x, bottom))
    for column in table.columns:
        x += column.width * _STEP
        ops.append(_Rule(x, top, x, bottom))


def _draw(canvas: Any, ops: list[_Op]) -> None:
    height = PAGE_MM[1]
    canvas.setLineWidth(0.4)
    path = canvas.beginPath()
    for op in ops:
        if isinstance(op, _Rule):
            path.moveTo(op.x1 * _K, (height - op.y1) * _K)
            path.lineTo(op.x2 * _K, (height - op.y2) * _K)
    canvas.drawPath(path, stroke=1, fill=0)
    writer = TextWriter(canvas, Fraction(PAGE_MM[1]))
    for op in ops:
        if isinstance(op, _Text) and op.text.strip():
            em = SIZE_PT * op.scale / _K
            line = LINE_MM * op.scale / SCALE
            writer.write(
                _printable(op.text), op.x, op.top + (line - em) / 2 + ASCENT * em, op.scale
            )
    writer.finish()
    canvas.showPage()


def _printable(text: str) -> str:
    """The text with characters the font lacks (a note typed with an emoji) shown as ``?``."""
    for ch in missing_glyphs(text):
        text = text.replace(ch, "?" * char_width(ch))
    return text
