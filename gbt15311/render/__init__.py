"""Rendering licences to PDF with ReportLab: overlay, proof and archive, calibration sheets."""

from gbt15311.render.document import MODES, Mode, PdfWriter, render_licence

__all__ = ["MODES", "Mode", "PdfWriter", "render_licence"]
