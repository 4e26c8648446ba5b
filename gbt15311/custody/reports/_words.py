"""The bilingual words the registers print for the ledger's codes (the codes are ours)."""

from __future__ import annotations

from collections.abc import Iterable

from gbt15311.custody.lifecycle import VOID_WORDS
from gbt15311.custody.store._serials import SerialFormat, to_ranges


def reason(code: str | None) -> str:
    return VOID_WORDS.get(code or "", code or "")


def serial_ranges(fmt: SerialFormat, serials: Iterable[str], *, per_line: int = 1) -> str:
    """Serials as ``first..last`` runs, ``per_line`` runs to a line.

    >>> serial_ranges(SerialFormat("", 4), ["0001", "0002", "0003", "0007"], per_line=2)
    '0001..0003 0007'
    """
    runs = [
        first if first == last else f"{first}..{last}" for first, last in to_ranges(fmt, serials)
    ]
    lines = [" ".join(runs[i : i + per_line]) for i in range(0, len(runs), per_line)]
    return "\n".join(lines)


def person(names: dict[str, tuple[str, tuple[str, ...]]], code: str | None) -> str:
    """``王主任 (wang)``: the name a signature is checked against, and the ledger's code."""
    if not code:
        return ""
    name = names.get(code, (code, ()))[0]
    return f"{name} ({code})" if name != code else code
