"""Reading a licence of any form: JSON decoded once, the form told apart, every problem at once.

``load_licence`` turns JSON or a dict into an ``ImportLicence`` (or, for a document whose
``form`` is ``"export"``, an ``ExportLicence``) or raises ``LicenceInvalid`` listing every
problem. It sits above the forms (``gbt15311.forms``) and their models, which never import it.

    >>> from gbt15311.exceptions import LicenceInvalid
    >>> from gbt15311.model import EXAMPLE
    >>> load_licence(EXAMPLE).licence_no
    '26-AA-000123'
    >>> try:
    ...     load_licence({**EXAMPLE, "form": "export"}, form="import")
    ... except LicenceInvalid as error:
    ...     print(error.problems[0].message)
    the document is of the export form; the import form is asked for
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, overload

import pydantic

from gbt15311.codes import trade_mode
from gbt15311.exceptions import LicenceInvalid
from gbt15311.export_licence import ExportLicence
from gbt15311.forms import FORMS, Form
from gbt15311.model import ImportLicence
from gbt15311.problems import problem, problems_from_errors
from gbt15311.rules import safe_text
from gbt15311.validity import ValidityPolicy

__all__ = ["load_licence", "read_json", "validate_licence"]


def read_json(text: str | bytes) -> Any:
    """The value a licence file's JSON text holds, decoded once; ``ValueError`` says why not.

    A surrogate encoded in UTF-8 (bytes ``ED A0 80``) is read as the lone surrogate it is, so
    the field holding it is named; an integer is kept whole whatever its length, so the field
    holding a 5,000-digit number says what it allows. A key given twice in one object is
    refused: JSON parsers disagree on which value counts."""
    try:
        if isinstance(text, bytes):  # UTF-8, with or without a BOM, or UTF-16/32, as JSON
            text = text.decode(json.detect_encoding(text), "surrogatepass")
        return json.loads(text, parse_int=_integer, object_pairs_hook=_object)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"is not {error.encoding.upper()} text: byte {error.object[error.start]:#04x} at "
            f"offset {error.start}"
        ) from None
    except RecursionError:
        raise ValueError("is nested too deeply to be a licence") from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are given once each, so the value validated and printed is
    the one any other system reading the file sees."""
    found = dict(pairs)
    if len(found) < len(pairs):
        counts = Counter(key for key, _ in pairs)
        twice = next(key for key, count in counts.items() if count > 1)
        raise ValueError(f"has the key {twice!r} twice in one object; which value is meant?")
    return found


def _integer(digits: str) -> int | Decimal:
    """A JSON integer: as ``int`` while Python can read it, else as ``Decimal``."""
    return int(digits) if len(digits) < _INTEGER_DIGITS else Decimal(digits)


_INTEGER_DIGITS = 4300
"""Python refuses to read longer integers (``sys.get_int_max_str_digits``)."""


@overload
def load_licence(
    data: Mapping[str, Any] | str | bytes,
    *,
    form: Literal["import"],
    trade_modes: trade_mode.TradeModeTable | None = None,
    validity: ValidityPolicy | None = None,
) -> ImportLicence: ...
@overload
def load_licence(
    data: Mapping[str, Any] | str | bytes,
    *,
    form: Literal["export"],
    trade_modes: trade_mode.TradeModeTable | None = None,
    validity: ValidityPolicy | None = None,
) -> ExportLicence: ...
@overload
def load_licence(
    data: Mapping[str, Any] | str | bytes,
    *,
    form: str | None = None,
    trade_modes: trade_mode.TradeModeTable | None = None,
    validity: ValidityPolicy | None = None,
) -> ImportLicence | ExportLicence: ...
def load_licence(
    data: Mapping[str, Any] | str | bytes,
    *,
    form: str | None = None,
    trade_modes: trade_mode.TradeModeTable | None = None,
    validity: ValidityPolicy | None = None,
) -> ImportLicence | ExportLicence:
    """Validate a licence given as JSON text or a dict; raise ``LicenceInvalid`` with every problem.

    The document names its form by its ``form`` key (``"import"``, the default, or
    ``"export"``); ``form`` given here requires that form. ``trade_modes`` is an official
    GB/T 15421 table the user loaded: trade-mode codes are then checked for membership, not
    only for form. ``validity`` replaces the form's validity policy
    (``validity.IMPORT_VALIDITY``, ``validity.EXPORT_VALIDITY``) with an office's own.
    """
    if isinstance(data, str | bytes):
        try:
            data = read_json(data)
        except ValueError as error:
            message = f"is not valid JSON: {error}"
            raise LicenceInvalid([problem("", message, fields=_asked(form).fields)]) from None
    return validate_licence(data, form=form, trade_modes=trade_modes, validity=validity)


def _asked(form: str | None) -> Form:
    """The form a problem found before validation is told in: the one asked for, if known,
    else the import licence, the form a document without a ``form`` key is of."""
    return FORMS.get(form, FORMS["import"]) if type(form) is str else FORMS["import"]


def validate_licence(
    data: Any,
    *,
    form: str | None = None,
    trade_modes: trade_mode.TradeModeTable | None = None,
    validity: ValidityPolicy | None = None,
) -> ImportLicence | ExportLicence:
    """Validate a value already decoded from JSON (``read_json``): a JSON string is a string,
    never decoded a second time, so every command gives a file the same verdict. The form is
    ``form`` if given, else the document's ``form`` key, else the import licence."""
    stated = data.get("form", "import") if type(data) is dict else "import"
    if form is not None and type(stated) is str and stated in FORMS and stated != form:
        message = f"the document is of the {stated} form; the {form} form is asked for"
        raise LicenceInvalid([problem("form", message, fields=_asked(form).fields)])
    name = form or stated
    chosen = FORMS.get(name) if type(name) is str else None
    if chosen is None:
        message = f"must be one of {', '.join(FORMS)}; got {safe_text(repr(name))}"
        raise LicenceInvalid([problem("form", message, fields=_asked(form).fields)])
    try:
        context = (
            None
            if trade_modes is None and validity is None
            else {"trade_modes": trade_modes, "validity": validity}
        )
        licence: ImportLicence | ExportLicence = chosen.model.model_validate(data, context=context)
        return licence
    except pydantic.ValidationError as error:
        raise LicenceInvalid(problems_from_errors(error.errors(), chosen.fields)) from None
