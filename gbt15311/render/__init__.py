"""Rendering licences to PDF with ReportLab (overlay, proof and archive copies, batches,
calibration sheets, PNG previews) and to ESC/P2 for dot-matrix printers.

>>> from gbt15311.model import EXAMPLE
>>> from gbt15311.loading import load_licence
>>> proof = RenderOptions(mode="proof", parts=[1])
>>> pdf = render_licence(load_licence(EXAMPLE), serial="0012345", options=proof)
>>> pdf[:8]
b'%PDF-1.3'
"""

from gbt15311.render.batch import render_batch
from gbt15311.render.calibration import render_calibration
from gbt15311.render.document import PdfWriter, render_licence
from gbt15311.render.escp import render_escp, render_escp_batch, render_escp_calibration
from gbt15311.render.options import MODES, Mode, RenderOptions
from gbt15311.render.preview import png

__all__ = [
    "MODES",
    "Mode",
    "PdfWriter",
    "RenderOptions",
    "png",
    "render_batch",
    "render_calibration",
    "render_escp",
    "render_escp_batch",
    "render_escp_calibration",
    "render_licence",
]
