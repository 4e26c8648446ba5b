"""Write ``gbt15311/templates/_bundled.py``: each form's bundled template, read from its TOML
file and checked against the form, as the Python that builds it.

    .venv/bin/python scripts/generate_bundled_templates.py

A start then imports the checked template instead of reading, validating and checking the file
again (a tenth of the time ``gbt15311 render`` takes). Run it after changing a bundled template,
a form's model or a check of ``gbt15311.templates.loader``; ``tests/render/test_templates.py``
fails until the module matches the files again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gbt15311.forms import FORMS
from gbt15311.templates import Template, loader

TARGET = Path(loader.__file__).with_name("_bundled.py")

HEADER = '''\
"""The bundled templates, read from their TOML files and checked against their forms by
scripts/generate_bundled_templates.py: do not edit, run the script again.
tests/render/test_templates.py holds them to the files."""

from fractions import Fraction

from gbt15311.grid import Area, Grid
from gbt15311.templates.form import Box, Fill, Page, Part, Serial, Slot, Table, Template, Text

__all__ = ["TEMPLATES"]

'''


def read_bundled(name: str) -> Template:
    """The bundled template file ``name``, read and checked as a user's file would be."""
    return loader.parse_template(TARGET.with_name(name).read_text("utf-8"), source=name)


def module_text() -> str:
    """The module: ``TEMPLATES``, form name → its checked template, as constructor calls."""
    entries = "".join(
        f"    {name!r}: {read_bundled(form.template)!r},\n" for name, form in FORMS.items()
    )
    return f"{HEADER}TEMPLATES: dict[str, Template] = {{\n{entries}}}\n"


if __name__ == "__main__":
    TARGET.write_text(module_text(), "utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(TARGET)], check=True)
    print(f"wrote {TARGET}")
