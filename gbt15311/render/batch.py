"""Many licences into one PDF with flat memory: rendered in chunks, streamed to the output.

ReportLab holds a document's pages until it saves it, so a batch is rendered ``chunk``
licences at a time, and each chunk's pages are copied to the output as soon as the chunk is
done (``concat``). Memory stays that of one chunk, whatever the number of licences.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO

from gbt15311.exceptions import Gbt15311Error
from gbt15311.model import ImportLicence
from gbt15311.printers import PrinterProfile
from gbt15311.render.concat import PdfConcatenator
from gbt15311.render.document import Mode, PdfWriter, creator
from gbt15311.templates import Template, default_template

CHUNK = 100
"""Licences per chunk: about 2 MB of pages in memory; each chunk embeds its own font subset."""

Job = ImportLicence | tuple[ImportLicence, str | None]
"""A licence, or a licence and the serial of the blank it goes onto."""


def render_batch(
    jobs: Iterable[Job],
    out: IO[bytes],
    *,
    mode: Mode = "overlay",
    parts: Sequence[int] = (1, 2, 3, 4),
    carbon_set: bool = False,
    stamp: bool = True,
    printer: PrinterProfile | None = None,
    template: Template | None = None,
    chunk: int = CHUNK,
) -> int:
    """Render every licence of ``jobs`` into one PDF written to ``out``; return how many.

    ``jobs`` is consumed lazily, so it can read and validate records as they are needed. The
    first licence is rendered on its own, so that a bad template or serial fails at once.
    """
    template = template or default_template()
    output: PdfConcatenator | None = None
    count = 0
    buffer = io.BytesIO()
    writer: PdfWriter | None = None
    for job in jobs:
        licence, serial = job if isinstance(job, tuple) else (job, None)
        if writer is None:
            writer = PdfWriter(buffer, template=template, printer=printer)
        writer.add(
            licence, serial=serial, mode=mode, parts=parts, carbon_set=carbon_set, stamp=stamp
        )
        count += 1
        if count % chunk == 0 or output is None:
            writer.close()
            output = output or PdfConcatenator(
                out, title=f"{template.title} (batch)", creator=creator()
            )
            output.append(buffer.getvalue())
            buffer = io.BytesIO()
            writer = None
    if output is None:
        raise Gbt15311Error("nothing to render: the batch has no licence")
    if writer is not None:
        writer.close()
        output.append(buffer.getvalue())
    output.close()
    return count
