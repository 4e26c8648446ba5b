"""Shared helpers of the code lists: input cleaning and the CSV tables."""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from gbt15311.exceptions import InvalidFormat, InvalidLength

# Dashes that word processors put in place of a typed hyphen; a clerk means "-".
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def clean(value: object, what: str, remove: str = "") -> str:
    """Return ``value`` NFKC-normalised and stripped, with the characters in ``remove`` deleted.

    NFKC turns full-width digits, letters and punctuation (``２６－ＡＡ``) into ASCII; the
    dashes word processors substitute for a hyphen become ``-`` too. ``what`` names the
    value in the error raised when it is not a string at all.
    """
    if not isinstance(value, str):
        raise InvalidFormat(f"{what} must be given as text, not {type(value).__name__}")
    if value.isascii():  # nothing to normalise: the common case, kept cheap
        text = value.strip()
    else:
        text = unicodedata.normalize("NFKC", value).translate(_DASHES).strip()
    for char in remove:
        text = text.replace(char, "")
    return text


def digits(
    value: str,
    compact: Callable[[str], str],
    count: int,
    shape: str,
    hint: str = ", and nothing else",
) -> str:
    """Return ``value`` as exactly ``count`` ASCII digits, cleaning it with ``compact`` first.

    A value that already is those digits, as codes mostly are, is returned at once. ``shape``
    says what the code is ("a commodity code has 10 digits"); ``hint`` completes it when the
    value has other characters.
    """
    if isinstance(value, str) and len(value) == count and value.isascii() and value.isdigit():
        return value
    text = compact(value)
    if text and not (text.isascii() and text.isdigit()):
        raise InvalidFormat(f"{value!r}: {shape}{hint}")
    if len(text) != count:
        raise InvalidLength(f"{value!r}: {shape}; this one has {len(text)}")
    return text


def bundled(name: str) -> tuple[str, str]:
    """The text of a CSV table shipped in this package, and a name for it in messages.

    Read beside this module, as the font's metrics and the examples are (the package is
    installed as files): ``importlib.resources`` would cost every start its import."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8"), name


def user_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The text of a user's CSV file (UTF-8, a byte-order mark allowed), and its path."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read(), os.fspath(path)


def rows(table: tuple[str, str], columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(where, row)`` for each row of a CSV table that has at least ``columns``.

    Blank lines and lines starting with ``#`` are comments. ``where`` reads ``file, line n``
    for error messages. Raises ``InvalidFormat`` when the header lacks a column.
    """
    text, name = table
    numbered = [
        (n, line)
        for n, line in enumerate(io.StringIO(text), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise InvalidFormat(f"{name}: the table is empty; its header must be {','.join(columns)}")
    reader = csv.DictReader(line for _, line in numbered)
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidFormat(f"{name}: the header must name the columns {','.join(columns)}")
    for (n, _), row in zip(numbered[1:], reader, strict=False):
        yield f"{name}, line {n}", {c: (row[c] or "").strip() for c in columns}
