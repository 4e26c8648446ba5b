"""Rendering licences to PDF with ReportLab (overlay, proof and archive copies, batches,
calibration sheets, PNG previews) and to ESC/P2 for dot-matrix printers.

This is the face: the names of ``__all__`` are the API (``docs/rendering.md``); the
underscored modules behind it are the implementation and may change.

    >>> from gbt15311.model import EXAMPLE
    >>> from gbt15311.loading import load_licence
    >>> from gbt15311.render import RenderOptions, render_licence
    >>> proof = RenderOptions(mode="proof", parts=[1])
    >>> pdf = render_licence(load_licence(EXAMPLE), serial="0012345", options=proof)
    >>> pdf[:8]
    b'%PDF-1.3'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gbt15311.render._batch import render_batch
    from gbt15311.render._calibration import render_calibration
    from gbt15311.render._document import PdfWriter, render_licence
    from gbt15311.render._escp import render_escp, render_escp_batch, render_escp_calibration
    from gbt15311.render._jobs import Job
    from gbt15311.render._options import MODES, Mode, RenderOptions
    from gbt15311.render._preview import png

_LAZY = {
    "MODES": "_options",
    "Job": "_jobs",
    "Mode": "_options",
    "PdfWriter": "_document",
    "RenderOptions": "_options",
    "png": "_preview",
    "render_batch": "_batch",
    "render_calibration": "_calibration",
    "render_escp": "_escp",
    "render_escp_batch": "_escp",
    "render_escp_calibration": "_escp",
    "render_licence": "_document",
}
"""Each public name with the module behind it, imported when first asked for, so that a
command rendering one PDF does not load the batch, ESC/P and calibration renderers."""


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for."""
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MODES",
    "Job",
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
