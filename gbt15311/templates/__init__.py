"""Form templates as data: the bundled import and export licences (``import-licence.toml``,
``export-licence.toml``) or a user's own.

    >>> template = default_template()
    >>> template.name, template.lines, template.columns
    ('import-licence', 61, 72)
    >>> default_template("export").form
    'export'

The bundled templates come checked, as Python (``_bundled``, written from the files by
``scripts/generate_bundled_templates.py``): a start does not read, validate and check them
again. A user's file goes through ``loader``, imported when one is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gbt15311.templates.form import Box, Fill, Page, Part, Serial, Slot, Table, Template, Text

if TYPE_CHECKING:
    from gbt15311.templates.loader import parse_template

__all__ = [
    "Box",
    "Fill",
    "Page",
    "Part",
    "Serial",
    "Slot",
    "Table",
    "Template",
    "Text",
    "default_template",
    "load_template",
    "parse_template",
]


def default_template(form: str = "import") -> Template:
    """The bundled template of ``form``, as its file reads, checked against the form."""
    from gbt15311.templates._bundled import TEMPLATES

    return TEMPLATES[form]


def load_template(path: str | Path | None = None, *, form: str = "import") -> Template:
    """The template in ``path``, or the bundled template of ``form`` when ``None``."""
    if path is None:
        return default_template(form)
    from gbt15311.templates.loader import read_template

    return read_template(path)


def __getattr__(name: str) -> Any:
    """``parse_template``, from the loader, imported when first asked for."""
    if name == "parse_template":
        from gbt15311.templates import loader

        return loader.parse_template
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
