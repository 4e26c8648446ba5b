"""Licences as Epson ESC/P2 for 24-pin dot-matrix printers in Chinese text mode (LQ-xxxK).

Four-part carbon sets need an impact printer, and text mode with absolute positions prints
them fast and exactly. The stream resets the printer once (``ESC @``), sets the page length
(``ESC ( C``, the template's paper in 1/360"), 10 cpi (``ESC P``), 1/6" lines (``ESC 2``),
Chinese mode (``FS &``) and the hanzi spacing (``FS S``) that makes a 24-dot hanzi exactly two
columns; then each licence is one page (one pass through the carbon set), ended by ``FF``.
Every placement of the layout starts at an absolute position, vertical (``ESC ( V``, 1/360")
and horizontal (``ESC $``, 1/60"), and so does every change between one-byte and two-byte
characters, so a printer whose widths differ a little drifts inside a run, never further.
Text goes out in the printer profile's character set; a character the set lacks, or one that
the printer would print wider or narrower than the layout counts it, is refused, naming the
field, before a byte is written.

    >>> from gbt15311.model import EXAMPLE
    >>> from gbt15311.loading import load_licence
    >>> render_escp(load_licence(EXAMPLE))[:9].hex(" ")
    '1b 40 1b 28 43 02 00 71 10'
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from fractions import Fraction
from typing import IO

from gbt15311.cells import char_width
from gbt15311.exceptions import LicenceInvalid, TemplateError
from gbt15311.forms import FORMS, Licence
from gbt15311.grid import MM_PER_INCH, Area
from gbt15311.layout import Placement, lay_out, serial_digits
from gbt15311.printers import PrinterProfile
from gbt15311.problems import problem
from gbt15311.render._jobs import Job, with_template
from gbt15311.render._options import RenderOptions
from gbt15311.templates import Template, Text, default_template

ESC, FS, FF = b"\x1b", b"\x1c", b"\x0c"
VERTICAL_UNITS = 360
"""``ESC ( V`` and ``ESC ( C`` count 1/360 inch."""
HORIZONTAL_UNITS = 60
"""``ESC $`` counts 1/60 inch: 6 units a column at 10 cpi."""
HANZI_DOTS, DOTS_PER_INCH = 24, 180
LINE_UNITS = VERTICAL_UNITS // 6
HANZI_DROP = (LINE_UNITS - HANZI_DOTS * VERTICAL_UNITS // DOTS_PER_INCH) // 2
"""The print head's top pin goes this far (1/360") below a line's top: the 24-dot hanzi is
centred in its 1/6" line."""


def render_escp(
    licence: Licence, *, serial: str | None = None, options: RenderOptions | None = None
) -> bytes:
    """One licence as an ESC/P2 byte stream: one page, for one pass through a carbon set.

    ``serial`` prints the overlay's control stamp (unless ``options.stamp`` is false);
    ``options.printer`` gives the printer's origin, hanzi spacing and character set.
    """
    buffer = io.BytesIO()
    render_escp_batch([(licence, serial)], buffer, options=options)
    return buffer.getvalue()


def render_escp_batch(
    jobs: Iterable[Job], out: IO[bytes], *, options: RenderOptions | None = None
) -> int:
    """Every licence of ``jobs`` as one page of one ESC/P2 stream on ``out``; how many.

    ESC/P prints the overlay in one pass through the carbon set: ``options.mode`` must be
    ``overlay``, and ``options.parts`` is not read. Each licence is checked whole before its
    page is written.
    """
    options = options or RenderOptions()
    if options.mode != "overlay":
        raise ValueError(f"ESC/P prints the data onto the blank: overlay only, not {options.mode}")
    template, jobs = with_template(jobs, options.template)
    writer = EscpWriter(out, template=template, printer=options.printer)
    count = 0
    for job in jobs:
        licence, serial = job if isinstance(job, tuple) else (job, None)
        writer.page(escp_placements(licence, serial, stamp=options.stamp, writer=writer))
        count += 1
    return count


def render_escp_calibration(
    *, printer: PrinterProfile | None = None, template: Template | None = None
) -> bytes:
    """The ESC/P calibration sheet: ``+`` on the frame's corners, column and line rulers,
    and hanzi over digits to show that a hanzi takes two columns. Printed on plain paper and
    held over a blank, it shows how far to move the printer's origin."""
    buffer = io.BytesIO()
    writer = EscpWriter(buffer, template=template, printer=printer)
    writer.page(calibration_placements(writer))
    return buffer.getvalue()


CALIBRATION_HANZI = "校准页汉字每字两列"


def calibration_placements(writer: EscpWriter) -> list[Placement]:
    """What the calibration sheet prints, on the template's grid."""
    template, printer = writer.template, writer.printer
    lines, columns = template.lines, template.columns
    name = printer.name if writer.unprintable(printer.name) is None else ascii(printer.name)
    header = (
        f"CALIBRATION {name}: escp_left {printer.escp_left}/60in, escp_top "
        f"{printer.escp_top}/360in, FS S {printer.escp_hanzi_spacing[0]} "
        f"{printer.escp_hanzi_spacing[1]}, {printer.escp_charset}"
    )
    ruler = "".join(str(c % 10) for c in range(2, columns))
    out = [Placement("calibration", 0, 1, header[:columns], min(len(header), columns))]
    for line in (1, lines):
        out.append(Placement("calibration", line, 1, f"+{ruler}+", columns))
    for line in range(2, lines):
        for column in (1, columns):
            out.append(Placement("calibration", line, column, str(line % 10), 1))
    middle, width = lines // 2, 2 * len(CALIBRATION_HANZI)
    out.append(Placement("calibration", middle, 11, CALIBRATION_HANZI, width))
    digits = "".join(str(c % 10) for c in range(1, width + 1))
    out.append(Placement("calibration", middle + 1, 11, digits, width))
    return out


def escp_placements(
    licence: Licence, serial: str | None, *, stamp: bool, writer: EscpWriter
) -> list[Placement]:
    """The licence's overlay placements (and control stamp), refused if the printer cannot
    print them as laid out."""
    template = writer.template
    placements = lay_out(licence, template)
    if serial is not None and template.serial is not None:
        digits = serial_digits(template.serial, serial)  # a bad serial fails before any byte
        if stamp and template.serial.stamp is not None:
            text = template.serial.stamp
            placements.append(aligned("stamp", text, text.text.format(serial=digits), template))
    fields = FORMS[licence.form].fields
    problems = [
        problem(p.field, message, fields=fields)
        for p in placements
        if (message := writer.unprintable(p.text)) is not None
    ]
    if problems:
        raise LicenceInvalid(problems)
    return placements


def aligned(field: str, text: Text, content: str, template: Template) -> Placement:
    """A template text at full size, aligned in its area on whole columns."""
    area = text.area
    width = sum(map(char_width, content))
    if width > area.width:
        raise TemplateError(
            f"{template.source}: {field} {content!r} takes {width} positions at full size; "
            f"{area} holds {area.width}"
        )
    free = area.width - width
    column = area.first_column + {"left": 0, "center": free // 2, "right": free}[text.align]
    return Placement(field, area.first_line, column, content, width)


class EscpWriter:
    """Pages of placements as one ESC/P2 stream on ``out``, the printer set up once, before
    the first page."""

    def __init__(
        self,
        out: IO[bytes],
        *,
        template: Template | None = None,
        printer: PrinterProfile | None = None,
    ) -> None:
        self.template = template or default_template()
        self.printer = printer or PrinterProfile("(none)")
        self._out = out
        self._encoding = self.printer.escp_charset.lower()
        self._started = False

    def _start(self) -> None:
        """Set the printer up, once, before the first page: nothing is written before."""
        left, right = self.printer.escp_hanzi_spacing
        length = round(self.template.paper_mm[1] / MM_PER_INCH * VERTICAL_UNITS)
        self._started = True
        self._out.write(
            ESC + b"@"  # reset, once: it also resets the page length
            + ESC + b"(C\x02\x00" + length.to_bytes(2, "little")
            + ESC + b"P"  # 10 cpi
            + ESC + b"2"  # 1/6" lines
            + FS + b"&"  # Chinese mode
            + FS + b"S" + bytes((left, right))
        )  # fmt: skip

    def unprintable(self, text: str) -> str | None:
        """Why ``text`` cannot print in the printer's character set as the layout counts it."""
        for ch in text:
            if not ch.isprintable():  # a control would go on the wire as a command
                return f"U+{ord(ch):04X} is a control or a space a printer cannot print"
            try:
                encoded = ch.encode(self._encoding)
            except UnicodeEncodeError:
                return (
                    f"{ch!r} (U+{ord(ch):04X}) is not in the printer's character set "
                    f"{self.printer.escp_charset}; a dot-matrix printer cannot print it"
                )
            if (len(encoded) == 1) != (char_width(ch) == 1):
                return (
                    f"{ch!r} (U+{ord(ch):04X}) counts {char_width(ch)} print positions but a "
                    f"dot-matrix printer prints it {1 if len(encoded) == 1 else 2} wide"
                )
        return None

    def page(self, placements: list[Placement]) -> None:
        """One page: every placement from the top down, each run at its absolute position."""
        chunks = []
        if not self._started:
            self._start()
        for p in sorted(placements, key=lambda p: (p.line, p.column)):
            chunks.append(ESC + b"(V\x02\x00" + self._vertical(p).to_bytes(2, "little"))
            column = p.column
            for run in _runs(p.text):
                chunks.append(ESC + b"$" + self._horizontal(p, column).to_bytes(2, "little"))
                chunks.append(run.encode(self._encoding))
                column += sum(map(char_width, run))
        chunks.append(FF)
        self._out.write(b"".join(chunks))

    def _vertical(self, p: Placement) -> int:
        top = self.template.grid.line_top(p.line) / MM_PER_INCH * VERTICAL_UNITS
        units = round(top - self.printer.escp_top) + HANZI_DROP
        return self._checked(units, p, "above the printer's top margin", VERTICAL_UNITS)

    def _horizontal(self, p: Placement, column: int) -> int:
        left = self.template.grid.column_left(column) / MM_PER_INCH * HORIZONTAL_UNITS
        return self._checked(
            round(left - self.printer.escp_left), p, "left of the printer's left margin", 60
        )

    def _checked(self, units: int, p: Placement, where: str, per_inch: int) -> int:
        if not 0 <= units < 1 << 16:
            at = Area(p.line, p.line, p.column, p.column + p.width - 1)
            raise TemplateError(
                f"printer {self.printer.name!r}: {p.field} at {at} lies {where} "
                f"({Fraction(units, per_inch)} inch); check escp_left and escp_top"
            )
        return units


def _runs(text: str) -> list[str]:
    """``text`` split where it changes between one-byte and two-byte characters."""
    runs: list[str] = []
    for ch in text:
        wide = char_width(ch) != 1
        if runs and (char_width(runs[-1][-1]) != 1) == wide:
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs
