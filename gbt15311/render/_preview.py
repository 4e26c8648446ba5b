"""PNG previews of rendered PDFs (pypdfium2), to check a proof on screen or in the docs."""

from __future__ import annotations

import io

from gbt15311.exceptions import Gbt15311Error


def png(pdf: bytes, *, page: int = 1, dpi: int = 150) -> bytes:
    """Page ``page`` (1-based) of ``pdf`` as a PNG at ``dpi``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= page <= len(document):
            raise Gbt15311Error(f"page {page}: the PDF has {len(document)} pages")
        image = document[page - 1].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
