"""A year's holiday schedule file, as written (format in docs/working-days.md). Imported when
a schedule file is read, so that custody commands start without pydantic; what the dates
must satisfy together (the year's window, weekends) is ``workdays``' to check."""

from __future__ import annotations

import os
from datetime import date

from pydantic import Field

from gbt15311.config import Strict, read_toml, validate
from gbt15311.exceptions import CalendarError

_DATE = "a date without quotes, e.g. 2027-02-05"


class Holiday(Strict):
    """One ``[[holiday]]``: its days off, and the weekend days it turns into working days."""

    name: str = Field(pattern=r"\S", description='the holiday\'s name, e.g. name = "春节"')
    off_from: date = Field(description=_DATE)
    off_to: date | None = Field(None, description=_DATE)
    days: int | None = Field(None, description="the number of days off, e.g. days = 8")
    work: list[date] = Field(
        [], description="a list of dates without quotes, e.g. work = [2027-02-07]"
    )


class ScheduleFile(Strict):
    year: int = Field(
        ge=2000, le=2999, description="the year as a number from 2000 to 2999, e.g. year = 2027"
    )
    holiday: list[Holiday] = Field(
        min_length=1, description="[[holiday]] tables: a year's schedule lists its holidays"
    )


def read(path: str | os.PathLike[str]) -> ScheduleFile:
    """The schedule file at ``path``; any problem raises ``CalendarError`` naming the key."""
    source = os.fspath(path)
    return validate(
        ScheduleFile, read_toml(source, "the schedule", CalendarError), source, CalendarError
    )
