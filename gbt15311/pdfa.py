"""Archive copies as PDF/A-2b (ISO 19005-2, level B; GB/T 23286): kept for years, readable
without the software that made them. Both the licence renderer's archive mode and the custody
registers write through here.

ReportLab's PDF is nearly there once the canvas starts with our embedded font (see
``gbt15311.render._document``) and the subset's advances are right (see
``gbt15311.typeset``); this removes the empty
``/Trans`` ReportLab gives every page, adds the XMP metadata and the sRGB output intent with
pikepdf, and has pikepdf's validator check the bytes it wrote: a document that does not pass
is an error, never a file. The dates are the caller's, and the document ID is derived from
the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, BinaryIO, cast

from gbt15311.exceptions import Gbt15311Error

FLAVOUR = "2b"


@dataclass(frozen=True, slots=True)
class ArchiveInfo:
    """What the archive's metadata says about it: title, subject, who issued it, when."""

    title: str
    subject: str
    author: str
    keywords: str
    date: datetime
    """Recorded as its creation, modification and metadata date: a date of the record (the
    licence date), not of the run, so the same record gives the same bytes."""


def pdfa(pdf: bytes | IO[bytes], info: ArchiveInfo, out: IO[bytes]) -> None:
    """Write ``pdf`` (ReportLab's) to ``out`` as PDF/A-2b with ``info``; checked after
    writing."""
    import pikepdf
    import pikepdf.pdfa

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pikepdf.open(cast(BinaryIO, source)) as document:
        for page in document.pages:
            transition = page.obj.get("/Trans")
            if transition is not None and len(transition.keys()) == 0:
                del page.obj["/Trans"]
        pikepdf.pdfa.prepare(document, FLAVOUR)
        stamp = info.date.isoformat()
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = info.title
            meta["dc:description"] = info.subject
            meta["dc:creator"] = [info.author]
            meta["pdf:Keywords"] = info.keywords
            meta["xmp:CreateDate"] = stamp
            meta["xmp:ModifyDate"] = stamp
            meta["xmp:MetadataDate"] = stamp
        if "/ID" in document.trailer:  # ReportLab's is of the time: let the content make it
            del document.trailer["/ID"]
        buffer = io.BytesIO()
        try:
            with no_collection():
                pikepdf.pdfa.save(document, buffer, FLAVOUR, repair=False, deterministic_id=True)
        except pikepdf.pdfa.PdfaError as error:
            raise Gbt15311Error(f"the archive copy is not PDF/A-{FLAVOUR}: {error}") from error
    out.write(buffer.getvalue())


@contextmanager
def no_collection() -> Iterator[None]:
    """Hold the garbage collector off while pikepdf checks the pages: its validator takes any
    warning raised meanwhile for a fault of the page, and the collector finishing some other
    object (an unclosed connection's ResourceWarning) would fail a good archive."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
