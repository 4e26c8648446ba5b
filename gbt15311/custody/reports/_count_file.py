"""The count file of a quarter's reconciliation, as written (format in
docs/custody-reports.md). Imported when a count file is read, so that custody commands start
without pydantic."""

from __future__ import annotations

import os
from datetime import date

from pydantic import Field

from gbt15311.config import Strict, read_toml, validate
from gbt15311.exceptions import CustodyError


class Entry(Strict):
    """One ``[[count]]``: what was found at one place (a box of it, if given)."""

    type: str | None = Field(None, description='the licence type as text, e.g. type = "import"')
    place: str | None = Field(
        None, min_length=1, description='"store" (left out) or a terminal code, in quotes'
    )
    box: str | None = Field(None, description="the box as text in quotes")
    counted: int = Field(ge=0, description="the number found, e.g. counted = 100")
    serials: list[str] | None = Field(
        None, description='a list of serials or ranges, e.g. serials = ["00000101..00000150"]'
    )


class CountFile(Strict):
    office: str | None = Field(None, description='the office code as text, e.g. office = "SH"')
    counted_on: date | None = Field(
        None, description="a date without quotes, e.g. counted_on = 2026-03-31"
    )
    counted_by: list[str] = Field(
        [], description='a list of people, e.g. counted_by = ["li", "zhao"]'
    )
    count: list[Entry] = Field(
        min_length=1, description="[[count]] tables, one per type and place counted"
    )


def read(path: str | os.PathLike[str]) -> CountFile:
    """The count file at ``path``; any problem raises ``CustodyError`` naming file and key."""
    source = os.fspath(path)
    return validate(
        CountFile, read_toml(source, "the count file", CustodyError), source, CustodyError
    )
