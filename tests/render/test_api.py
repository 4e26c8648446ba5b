"""The public names of rendering are exactly the documented ones."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import gbt15311.layout
import gbt15311.render

DOCS = Path(__file__).parent.parent.parent / "docs" / "rendering.md"


def test_render_exports_exactly_the_documented_names() -> None:
    docs = DOCS.read_text("utf-8")
    assert set(gbt15311.render.__all__) == {
        "Job",
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
    }
    for name in gbt15311.render.__all__:
        assert re.search(rf"^\| `{name}\b", docs, re.MULTILINE) or f"`{name}`" in docs, name
        assert hasattr(gbt15311.render, name)


def test_the_modules_behind_the_face_are_private() -> None:
    package = Path(gbt15311.render.__file__).parent
    modules = {path.stem for path in package.glob("*.py")} - {"__init__"}
    assert modules
    assert all(name.startswith("_") for name in modules), modules


def test_layout_exports() -> None:
    assert set(gbt15311.layout.__all__) == {
        "Placement",
        "lay_out",
        "serial_digits",
        "serial_placement",
        "serial_text",
    }


def test_importing_the_library_reads_no_font_and_loads_no_reportlab() -> None:
    code = (
        "import sys, gbt15311, gbt15311.render, gbt15311.layout; "
        "print('reportlab.pdfgen.canvas' in sys.modules, 'fontTools.ttLib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
