"""Working days under the State Council's holiday schedule, for the custody deadlines.

The 2012 custody rules set three deadlines in working days (Art. 6, 14 and 26). A working
day is Monday to Friday, except the days off the State Council's yearly notice sets, plus
the weekend days the notice turns into working days (调休上班). The notices come from
``chinesecalendar``; an office enters a year it does not know yet in a TOML file
(``load_schedule``). A day whose year nobody scheduled raises ``CalendarError``: a deadline
is never guessed.

Counting: the start day is never counted (民法典 Art. 201: a period counted in days starts on
the next day), so "within 20 working days of X" ends on the 20th working day after X.

    >>> from datetime import date
    >>> cal = default_calendar()
    >>> cal.is_working_day(date(2024, 10, 1)), cal.is_working_day(date(2024, 10, 12))
    (False, True)
    >>> cal.add_working_days(date(2024, 9, 30), 1)  # 1-7 October 2024 are off
    datetime.date(2024, 10, 8)
    >>> cal.working_days_between(date(2024, 9, 30), date(2024, 10, 12))
    5
    >>> collection_deadline(date(2024, 9, 30), cal)
    datetime.date(2024, 11, 1)
    >>> cal.is_working_day(date(2099, 5, 6))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gbt15311.exceptions.CalendarError: 2099-05-06: the holiday schedule for 2099 is not known...

The last week of December follows the next year's notice, whose New Year arrangement has
moved days there (2018-12-29 was a working Saturday, 2018-12-31 a day off): from 25
December, a day needs the next year's schedule.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

from gbt15311.exceptions import CalendarError

__all__ = [
    "DEADLINE_WORKING_DAYS",
    "Schedule",
    "WorkingCalendar",
    "collection_deadline",
    "default_calendar",
    "load_schedule",
    "shipment_deadline",
    "supplementary_order_latest_filing",
]

DEADLINE_WORKING_DAYS = 20
"""The working days the custody rules allow in Art. 6, 14 and 26."""

# From this day of December on, a day follows the next year's notice (its New Year holiday).
_NEXT_NOTICE_FROM = (12, 25)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ONE_DAY = timedelta(days=1)


def _notice_year(day: date) -> int:
    """The year whose State Council notice decides whether ``day`` is a working day."""
    return day.year + 1 if (day.month, day.day) >= _NEXT_NOTICE_FROM else day.year


@dataclass(frozen=True, slots=True)
class Schedule:
    """One year's holiday notice: it decides the days from 25 December of the year before
    to 24 December of ``year``; a day it does not list is a working day from Monday to Friday.
    """

    year: int
    days_off: frozenset[date]
    working_days: frozenset[date]  # make-up working days (调休上班), all Saturdays or Sundays
    source: str  # where the schedule came from, for messages

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day not in self.days_off and day.weekday() < 5


@cache
def _library_schedules() -> dict[int, Schedule]:
    """The years ``chinesecalendar`` knows in full: those with a Spring Festival and a
    National Day (its newest year could be partial, e.g. only a New Year's Day)."""
    days_off: dict[int, set[date]] = {}
    names: dict[int, set[str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days_off.setdefault(_notice_year(day), set()).add(day)
        names.setdefault(_notice_year(day), set()).add(name)
    working: dict[int, set[date]] = {}
    for day in chinese_calendar.workdays:
        working.setdefault(_notice_year(day), set()).add(day)
    needed = {
        chinese_calendar.Holiday.spring_festival.value,
        chinese_calendar.Holiday.national_day.value,
    }
    source = f"chinesecalendar {chinese_calendar.__version__}"
    return {
        year: Schedule(year, frozenset(days_off[year]), frozenset(working.get(year, ())), source)
        for year in sorted(days_off)
        if needed <= names[year]
    }


class WorkingCalendar:
    """Working days from ``chinesecalendar``, with ``schedules`` an office entered replacing
    or extending it year by year.

    Every method raises ``CalendarError`` naming the year when a day it has to look at (its
    arguments included) belongs to a year neither source knows.
    """

    def __init__(self, schedules: Iterable[Schedule] = ()) -> None:
        entered: dict[int, Schedule] = {}
        for schedule in schedules:
            if schedule.year in entered:
                raise CalendarError(
                    f"two schedules for {schedule.year}: {entered[schedule.year].source} "
                    f"and {schedule.source}; keep one"
                )
            entered[schedule.year] = schedule
        self._schedules = _library_schedules() | entered

    def _schedule(self, day: date) -> Schedule:
        if isinstance(day, datetime):  # a datetime never equals a date: it would always "work"
            raise TypeError(
                f"{day!r}: give a date, taking the datetime's date in China's time zone"
            )
        year = _notice_year(day)
        try:
            return self._schedules[year]
        except KeyError:
            known = sorted(self._schedules)
            why = (
                " (from 25 December, days follow the next year's New Year arrangement)"
                if year != day.year
                else ""
            )
            raise CalendarError(
                f"{day.isoformat()}: the holiday schedule for {year} is not known{why}; "
                f"known years: {_ranges(known)}. Enter the State Council's {year} schedule "
                f"in a file (see the working-days documentation)"
            ) from None

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return self._schedule(day).is_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``, ``start`` not counted; for a negative
        ``n``, the ``-n``-th working day before it. ``n == 0`` gives ``start`` itself."""
        self._schedule(start)
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day, remaining = start, abs(n)
        while remaining:
            day += step
            remaining -= self.is_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to and including ``end``; negative when ``end``
        comes first (minus those from ``end`` up to but not including ``start``), so that
        ``working_days_between(d, add_working_days(d, n)) == n``."""
        self._schedule(start)
        self._schedule(end)
        first, last, sign = (start, end, 1) if start <= end else (end, start, -1)
        if sign < 0:  # count [end, start) instead of (start, end]
            first, last = first - _ONE_DAY, last - _ONE_DAY
        count, day = 0, first
        while day < last:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return sign * count


def _ranges(years: list[int]) -> str:
    """``2004-2026, 2099`` for a sorted list of years."""
    spans: list[list[int]] = []
    for year in years:
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans) or "none"


def supplementary_order_latest_filing(needed_by: date, cal: WorkingCalendar) -> date:
    """The last working day a supplementary order for blanks needed by ``needed_by`` can be
    filed (Art. 6: filed at least 20 working days ahead, 至少提前20个工作日).

    Filing on that day leaves 20 working days after it up to ``needed_by``; when
    ``needed_by`` is not a working day, the working day before it is what counts.
    """
    day = needed_by
    while not cal.is_working_day(day):
        day -= _ONE_DAY
    return cal.add_working_days(day, -DEADLINE_WORKING_DAYS)


def shipment_deadline(requested_on: date, cal: WorkingCalendar) -> date:
    """The last day to ship a supplementary order whose demand report the bureau received on
    ``requested_on`` (Art. 14: within 20 working days of receipt, 自收到报送单之日起20个工作日内).
    """
    return cal.add_working_days(requested_on, DEADLINE_WORKING_DAYS)


def collection_deadline(issued_on: date, cal: WorkingCalendar) -> date:
    """The last day a licence issued on ``issued_on`` can be collected; not collected by the
    end of it, the licence is due for revocation as void (Art. 26: 签发之日起20个工作日内未领取).
    """
    return cal.add_working_days(issued_on, DEADLINE_WORKING_DAYS)


def default_calendar(extra_schedules: Iterable[str | os.PathLike[str]] = ()) -> WorkingCalendar:
    """The ``chinesecalendar`` schedule with the office's schedule files added."""
    return WorkingCalendar(load_schedule(path) for path in extra_schedules)


# --- the schedule file -------------------------------------------------------------------


def load_schedule(path: str | os.PathLike[str]) -> Schedule:
    """Read a year's holiday schedule from a TOML file (UTF-8, a byte-order mark allowed).

    The format is in ``docs/working-days.md``; every problem raises ``CalendarError`` naming
    the file and the line (syntax) or key (content).
    """
    # pydantic only when a schedule file is read
    import gbt15311.custody._schedule_file as schedule_file

    source = os.fspath(path)
    written = schedule_file.read(path)
    year = written.year
    window = (date(year - 1, *_NEXT_NOTICE_FROM), date(year, *_NEXT_NOTICE_FROM) - _ONE_DAY)

    def problem(key: str, message: str) -> CalendarError:
        return CalendarError(f"{source}: {key}: {message}")

    def inside(day: date, key: str) -> date:
        if not window[0] <= day <= window[1]:
            raise problem(
                key, f"{day} is outside this schedule, which covers {window[0]} to {window[1]}"
            )
        return day

    days_off: set[date] = set()
    working: dict[date, str] = {}
    for number, holiday in enumerate(written.holiday, start=1):
        where = f"holiday[{number}]"
        first = inside(holiday.off_from, f"{where}.off_from")
        last = first if holiday.off_to is None else inside(holiday.off_to, f"{where}.off_to")
        if last < first:
            raise problem(f"{where}.off_to", f"{last} comes before off_from {first}")
        span = (last - first).days + 1
        if holiday.days is not None and holiday.days != span:
            raise problem(f"{where}.days", f"{holiday.days}, but {first} to {last} is {span} days")
        days_off.update(first + timedelta(days=i) for i in range(span))
        for index, value in enumerate(holiday.work, start=1):
            key = f"{where}.work[{index}]"
            day = inside(value, key)
            if day.weekday() < 5:
                raise problem(
                    key,
                    f"{day} is a {_WEEKDAYS[day.weekday()]}; a make-up working day "
                    "(调休上班) is a Saturday or a Sunday",
                )
            working[day] = key
    for day, key in sorted(working.items()):
        if day in days_off:
            raise problem(key, f"{day} is also listed as a day off")
    return Schedule(year, frozenset(days_off), frozenset(working), source)
