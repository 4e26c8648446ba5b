"""Many licences into one PDF with flat memory: rendered in chunks, streamed to the output.

ReportLab holds a document's pages until it saves it, so a batch is rendered ``chunk``
licences at a time, and each chunk's pages are copied to the output as soon as the chunk is
done (``concat``). Memory stays that of one chunk, whatever the number of licences.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, time
from typing import IO

from gbt15311.exceptions import Gbt15311Error
from gbt15311.forms import FORMS
from gbt15311.pdfa import ArchiveInfo, pdfa
from gbt15311.render._concat import PdfConcatenator
from gbt15311.render._document import CHINA, PdfWriter, creator
from gbt15311.render._jobs import Job, with_template
from gbt15311.render._options import RenderOptions
from gbt15311.templates import Template

CHUNK = 100
"""Licences per chunk: about 2 MB of pages in memory; each chunk embeds its own font subset."""


def render_batch(
    jobs: Iterable[Job],
    out: IO[bytes],
    *,
    options: RenderOptions | None = None,
    chunk: int = CHUNK,
) -> int:
    """Render every licence of ``jobs`` into one PDF written to ``out``, each as ``options``
    say; return how many.

    ``jobs`` is consumed lazily, so it can read and validate records as they are needed. The
    first licence is rendered on its own, so that a bad template or serial fails at once.
    An archive batch is one PDF/A-2b document, made from the whole: it is spooled to a
    temporary file first, and held in memory once at the end.
    """
    options = options or RenderOptions()
    template, jobs = with_template(jobs, options.template)
    options = replace(options, template=template)
    if options.mode != "archive":
        return _concatenate(jobs, out, options, template, chunk)
    seen = _Seen()
    with tempfile.TemporaryFile() as spool:
        count = _concatenate(seen.track(jobs), spool, options, template, chunk)
        spool.seek(0)
        numbers = " to ".join(dict.fromkeys((seen.first, seen.last)))
        form = FORMS[template.form]
        info = ArchiveInfo(
            title=f"{template.title} (batch)",
            subject=f"存档副本 Archive copies of {count} {form.fields.whole[1].lower()}s, "
            f"{numbers}; {form.standard}, template {template.name}",
            author="gbt15311",
            keywords=numbers,
            date=datetime.combine(seen.latest, time(), CHINA),
        )
        pdfa(spool, info, out)
    return count


class _Seen:
    """The first and last licence numbers of a batch and its latest licence date."""

    first = last = ""
    latest = date.min

    def track(self, jobs: Iterable[Job]) -> Iterator[Job]:
        for job in jobs:
            licence = job[0] if isinstance(job, tuple) else job
            self.first = self.first or licence.licence_no
            self.last = licence.licence_no
            self.latest = max(self.latest, licence.licence_date)
            yield job


def _concatenate(
    jobs: Iterable[Job],
    out: IO[bytes],
    options: RenderOptions,
    template: Template,
    chunk: int,
) -> int:
    output: PdfConcatenator | None = None
    count = 0
    buffer = io.BytesIO()
    writer: PdfWriter | None = None
    for job in jobs:
        licence, serial = job if isinstance(job, tuple) else (job, None)
        if writer is None:
            writer = PdfWriter(buffer, options=options)
        writer.add(licence, serial=serial)
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
