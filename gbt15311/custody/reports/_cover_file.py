"""The thresholds file of days of cover, as written (format in docs/custody.md). Imported
when the thresholds are read, so that custody commands that do not read them start without
pydantic."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import Field

from gbt15311.config import Strict, read_toml, validate
from gbt15311.exceptions import CustodyError

_DAYS = "days of cover, a number from 0 to 3650 without quotes, e.g. {} = {}"


class Limits(Strict):
    """One type's table: days of cover under which a balance is low, at each place."""

    terminal: float = Field(ge=0, le=3650, description=_DAYS.format("terminal", 3))
    office: float = Field(ge=0, le=3650, description=_DAYS.format("office", 60))


def read(path: Path, *, every_type: str) -> dict[str, Limits]:
    """The thresholds per type of the file at ``path``, which must hold the table
    ``every_type``; any problem raises ``CustodyError`` naming the file and the key."""
    source = str(path)
    data = read_toml(path, "the thresholds", CustodyError)
    found = {type_code: _limits(type_code, table, source) for type_code, table in data.items()}
    if every_type not in found:
        raise CustodyError(
            f"{source}: no [{json.dumps(every_type)}] table: the thresholds of every other type"
        )
    return found


def _limits(type_code: str, table: Any, source: str) -> Limits:
    key = type_code if re.fullmatch(r"[A-Za-z0-9_-]+", type_code) else json.dumps(type_code)
    if not isinstance(table, dict):
        raise CustodyError(
            f"{source}: {key}: expected a table [{key}] of terminal = DAYS and office = DAYS; "
            f"got {table!r}"
        )
    return validate(Limits, table, source, CustodyError, at=key)
