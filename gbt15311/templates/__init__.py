"""Form templates as data: the bundled import and export licences (``import-licence.toml``,
``export-licence.toml``) or a user's own.

    >>> template = default_template()
    >>> template.name, template.lines, template.columns
    ('import-licence', 61, 72)
    >>> default_template("export").form
    'export'
"""

from gbt15311.templates.form import Box, Fill, Page, Part, Serial, Slot, Table, Template, Text
from gbt15311.templates.loader import default_template, load_template, parse_template

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
