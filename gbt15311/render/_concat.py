"""Streaming concatenation of the PDFs ReportLab writes, so a batch never sits in memory whole.

ReportLab keeps every page of a document until it saves, so a batch of thousands of licences
is rendered in chunks, each its own small PDF, and each chunk's objects are renumbered and
copied to the output as soon as it is done. Only the page numbers are kept to the end, for the
page tree. This reads the classic cross-reference table ReportLab writes, nothing more general:
it is not a PDF merger for arbitrary files.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from datetime import UTC, datetime
from typing import IO

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REFERENCE = re.compile(rb"(\d+) 0 R\b")
_CATALOG, _PAGES, _INFO = 1, 2, 3


class PdfConcatenator:
    """Appends ReportLab PDFs page by page to ``out``; ``close()`` writes the page tree."""

    def __init__(
        self,
        out: IO[bytes],
        *,
        title: str,
        creator: str,
        viewer_preferences: bytes = b"<< /PrintScaling /None >>",
    ) -> None:
        self._out = out
        self._position = 0
        # Arrays, not lists: a few bytes per object is all a batch keeps.
        self._offsets = array("Q")  # of objects _INFO + 1, _INFO + 2, … in writing order
        self._kids = array("Q")
        self._title = title
        self._creator = creator
        self._preferences = viewer_preferences
        self._digest = hashlib.md5(usedforsecurity=False)
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)

    def append(self, pdf: bytes) -> None:
        """Copy the pages of ``pdf`` (written by ReportLab) and what they use."""
        offsets, root, info = _objects(pdf)
        catalog = _head(pdf, offsets, root)
        pages = _reference(catalog, b"/Pages")
        skipped = {root, info, *(int(m[1]) for m in _REFERENCE.finditer(catalog))}
        spans = [span for span in _spans(pdf, offsets) if span[0] not in skipped]
        first = _INFO + 1 + len(self._offsets)
        numbers = {old: first + i for i, (old, _, _) in enumerate(spans)}
        numbers[pages] = _PAGES
        for old, start, end in spans:
            head, separator, data = pdf[start:end].partition(b"stream\n")
            head = _REFERENCE.sub(lambda m: b"%d 0 R" % numbers[int(m[1])], head)
            head = re.sub(rb"^\d+ 0 obj", b"%d 0 obj" % numbers[old], head)
            self._offsets.append(self._position)
            self._write(head + separator + data)
        kids = _head(pdf, offsets, pages)
        kids_array = re.search(rb"/Kids \[([^\]]*)\]", kids)
        if kids_array is None:
            raise RuntimeError("a rendered chunk has no page list; this is a bug")
        self._kids.extend(numbers[int(m[1])] for m in _REFERENCE.finditer(kids_array[1]))
        self._digest.update(pdf[-200:])

    def close(self) -> None:
        """The page tree, catalogue, document information and cross-reference table."""
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)  # the one list a batch keeps
        now = datetime.now(UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
        objects = {
            _PAGES: b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self._kids), kids),
            _CATALOG: b"<< /Type /Catalog /Pages %d 0 R /ViewerPreferences %s >>"
            % (_PAGES, self._preferences),
            _INFO: b"<< /Title %s /Creator %s /Producer (ReportLab, gbt15311) "
            b"/CreationDate (%s) /ModDate (%s) >>"
            % (_text(self._title), _text(self._creator), now, now),
        }
        reserved = {}
        for number, body in objects.items():
            reserved[number] = self._position
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        start = self._position
        size = _INFO + 1 + len(self._offsets)
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        self._write(b"".join(b"%010d 00000 n \n" % reserved[n] for n in sorted(reserved)))
        for at in range(0, len(self._offsets), 4096):  # the table in slices, not all at once
            self._write(
                b"".join(b"%010d 00000 n \n" % offset for offset in self._offsets[at : at + 4096])
            )
        identifier = self._digest.hexdigest().encode()
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (size, _CATALOG, _INFO, identifier, identifier, start)
        )


def _objects(pdf: bytes) -> tuple[dict[int, int], int, int]:
    """Object offsets from the cross-reference table, and the catalogue's and info's numbers."""
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    trailer = pdf.index(b"trailer", start)
    entries = _XREF_ENTRY.findall(pdf, start, trailer)
    offsets = {n: int(e[0]) for n, e in enumerate(entries) if e[2] == b"n"}
    tail = pdf[trailer:]
    return offsets, _reference(tail, b"/Root"), _reference(tail, b"/Info")


def _spans(pdf: bytes, offsets: dict[int, int]) -> list[tuple[int, int, int]]:
    """Each object's bytes: from its offset to the next object or the cross-reference table."""
    order = sorted(offsets, key=offsets.__getitem__)
    ends = [offsets[n] for n in order[1:]] + [pdf.rindex(b"xref", 0, pdf.rindex(b"startxref"))]
    return [(n, offsets[n], end) for n, end in zip(order, ends, strict=True)]


def _head(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    start = offsets[number]
    return pdf[start : pdf.index(b"endobj", start)]


def _reference(data: bytes, key: bytes) -> int:
    match = re.search(re.escape(key) + rb"\s+(\d+) 0 R", data)
    if match is None:
        raise RuntimeError(f"a rendered chunk has no {key.decode()}; this is a bug")
    return int(match[1])


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"
