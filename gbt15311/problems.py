"""Turn validation errors into problems a clerk can act on and software can read.

Each problem names the field by number and by its Chinese and English names, the JSON path, and
what is wrong in plain words, e.g. ``第1项 进口商 Importer (importer.name): line 2 takes 38 print
positions; at most 35 fit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gbt15311.exceptions import Problem, ValidationError
from gbt15311.fields import IMPORT_FIELDS, Catalogue
from gbt15311.rules import safe_text

_ITEM_TABLE = ("商品明细（第12—17项）", "Item table (fields 12-17)")

_PLAIN_WORDS = {
    "missing": "is required",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be a JSON object with its own keys",
    "dict_type": "must be a JSON object with its own keys",
    "model_attributes_type": "must be a JSON object with its own keys",
    "none_required": "must be left out",
    "decimal_parsing": 'must be a number written as a string, e.g. "125000.00"',
    "decimal_type": 'must be a number written as a string, e.g. "125000.00"',
    "finite_number": "must be a finite number",
    "string_unicode": "has a key holding a lone surrogate (U+D800 to U+DFFF), which is not text",
}


def json_path(location: Sequence[int | str]) -> str:
    """``("items", 0, "amount")`` → ``items[0].amount``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def problem(
    path: str, message: str, field: int | None = None, fields: Catalogue = IMPORT_FIELDS
) -> Problem:
    """A problem at ``path`` of a licence of the form of ``fields``; the field is found from
    the path unless given."""
    path, message = _shortened(safe_text(path)), _shortened(safe_text(message))
    row = fields.by_number[field] if field is not None else fields.field_for_path(path)
    if row is None:
        names = _ITEM_TABLE if path == "items" else fields.whole
        return Problem(None, names[0], names[1], path, message)
    return Problem(row.number, row.name_zh, row.name_en, path, message)


_LONGEST = 400
"""Characters of a message or path shown whole; a longer one (a 100 kB value quoted by its
rule) keeps its start, where the value begins, and its end, where the rule says what is
wrong, so a list of problems stays readable and a log line stays a line."""


def _shortened(text: str) -> str:
    if len(text) <= _LONGEST:
        return text
    head, tail = text[: _LONGEST // 2], text[-_LONGEST // 4 :]
    return f"{head}…[{len(text) - len(head) - len(tail):,} characters left out]…{tail}"


def problems_from_errors(errors: Iterable[Any], fields: Catalogue = IMPORT_FIELDS) -> list[Problem]:
    """Problems from pydantic's error records of a licence of the form of ``fields``, in the
    order pydantic found them."""
    found = []
    for error in errors:
        context = error.get("ctx") or {}
        path = context.get("path") or json_path(error["loc"])
        kind = error["type"]
        if kind == "value_error" and isinstance(context.get("error"), ValidationError):
            message = str(context["error"])
        elif kind == "extra_forbidden":
            message = f"'{error['loc'][-1]}' is not a field of the {fields.whole[1].lower()}"
        else:
            message = context.get("message") or _PLAIN_WORDS.get(kind) or error["msg"]
        found.append(problem(path, message, context.get("field"), fields))
    return found
