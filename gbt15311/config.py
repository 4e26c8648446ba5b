"""Config files read one way: TOML text into a pydantic model, every problem one message.

Templates, printer profiles, count files and holiday schedules are each a ``Strict`` model;
``read_toml`` turns a file into a table and ``validate`` turns the table into the model. A
problem is the caller's error class with one message: the file, the key as a dotted path
(entries counted from 1, as a person counts them: ``boxes[3].slots[1].area``), and what was
expected there (the field's description) or the reason a validator gave.
"""

from __future__ import annotations

import codecs
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A config table: no unknown key, no conversion (a quoted number is not a number, a
    ``true`` is not 1), no ``nan`` or ``inf``. Built on first use, in one piece with its
    nested tables: a command that reads one file does not pay for every table's model."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, defer_build=True
    )


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(raw: bytes, source: str, error: type[Exception]) -> str:
    """The file's text: TOML is UTF-8 (a byte-order mark is tolerated); an editor that saved
    it as UTF-16 or in a legacy code page is named, not met with a decoding traceback."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise error(f"{source}: {encoding} text, not UTF-8; save the file as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw.count(b"\n", 0, problem.start) + 1
        raise error(
            f"{source}: not UTF-8 text (byte 0x{raw[problem.start]:02x} on line "
            f"{line}; GBK or another code page?); save the file as UTF-8"
        ) from None


def read_toml(path: str | Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """The tables of the TOML file at ``path`` (``what`` names it in messages)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as problem:
        raise error(f"{source}: cannot read {what}: {problem.strerror}") from problem
    return parse_toml(_decode(raw, source, error), source, error)


def parse_toml(text: str, source: str, error: type[Exception]) -> dict[str, Any]:
    """The tables of TOML ``text``; a syntax error names the line."""
    try:
        return tomllib.loads(text)
    except ValueError as problem:  # TOMLDecodeError, or a number of over 4,300 digits
        raise error(f"{source}: not valid TOML: {problem}") from None


def validate(
    model: type[M],
    data: Mapping[str, Any],
    source: str,
    error: type[Exception],
    *,
    at: str = "",
) -> M:
    """``data`` as ``model``; the first problem raises ``error`` naming ``source`` and the key
    (under ``at``, the path of ``data`` itself in the file)."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as problem:
        details = problem.errors(include_url=False)
        # A misspelt key is also a missing one: naming the misspelling says both.
        detail = next((d for d in details if d["type"] == "extra_forbidden"), details[0])
        raise error(f"{source}: {_describe(model, detail, at)}") from None


def _describe(model: type[BaseModel], detail: Any, at: str = "") -> str:
    """One pydantic error as ``key: what is wrong``."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    if kind == "extra_forbidden":
        parent, _ = _walk(model, loc[:-1])
        keys = ", ".join(sorted(parent.model_fields)) if parent else "none"
        return f"{_path(at, loc)}: unknown key (expected {keys})"
    _, field = _walk(model, loc)
    expected = field.description if field is not None else None
    if kind == "missing":
        return f"{_path(at, loc)}: missing; expected {expected or 'a value'}"
    if kind in ("value_error", "assertion_error"):
        reason = str(detail["ctx"]["error"])
        return f"{_path(at, loc)}: {reason}"
    wanted = expected or detail["msg"][0].lower() + detail["msg"][1:]
    return f"{_path(at, loc)}: expected {wanted}; got {_shown(detail['input'])}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(at: str, loc: tuple[Any, ...]) -> str:
    path = at
    for part in loc:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "the file"


def _walk(
    model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model reached at ``loc`` (``None`` past a plain value) and the field there; an
    index into a list keeps the list's field, whose description speaks for its entries."""
    current: type[BaseModel] | None = model
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None, None
        field = current.model_fields[part]
        current = _model_in(field.annotation)
    return current, field


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as ``list[Slot] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
