"""Working days: the State Council schedule, the counting rule, office schedule files."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.custody import workdays
from gbt15311.custody.workdays import (
    DEADLINE_WORKING_DAYS,
    WorkingCalendar,
    collection_deadline,
    default_calendar,
    load_schedule,
    shipment_deadline,
    supplementary_order_latest_filing,
)
from gbt15311.exceptions import CalendarError

CAL = default_calendar()
EXAMPLE = Path(workdays.__file__).parent / "holidays" / "example-2025.toml"
DOCS = Path(__file__).parent.parent / "docs" / "working-days.md"
D = date


def days(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


def first_unknown_year() -> int:
    """The first year after 2025 the installed chinesecalendar does not know."""
    year = 2026
    while True:
        try:
            CAL.is_working_day(D(year, 6, 1))
        except CalendarError:
            return year
        year += 1


# --- the State Council schedule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("off", "make_up"),
    [
        # National Day 2024: 1-7 October off; Sunday 29 September and Saturday 12 October worked
        ((D(2024, 10, 1), D(2024, 10, 7)), [D(2024, 9, 29), D(2024, 10, 12)]),
        # Spring Festival 2024: 10-17 February off; Sundays 4 and 18 February worked
        ((D(2024, 2, 10), D(2024, 2, 17)), [D(2024, 2, 4), D(2024, 2, 18)]),
        # Spring Festival 2025: 28 January to 4 February off; 26 January and 8 February worked
        ((D(2025, 1, 28), D(2025, 2, 4)), [D(2025, 1, 26), D(2025, 2, 8)]),
        # National Day and Mid-autumn 2025: 1-8 October off; 28 September and 11 October worked
        ((D(2025, 10, 1), D(2025, 10, 8)), [D(2025, 9, 28), D(2025, 10, 11)]),
    ],
)
def test_holidays_and_make_up_days(off: tuple[date, date], make_up: list[date]) -> None:
    assert not any(CAL.is_working_day(day) for day in days(*off))
    assert all(day.weekday() >= 5 and CAL.is_working_day(day) for day in make_up)
    assert CAL.is_working_day(off[0] - timedelta(days=7)) == (off[0].weekday() < 5)


def test_an_ordinary_week() -> None:
    week = [CAL.is_working_day(day) for day in days(D(2024, 11, 4), D(2024, 11, 10))]
    assert week == [True] * 5 + [False] * 2


# --- the counting rule ------------------------------------------------------------------


def test_the_start_day_is_not_counted() -> None:
    monday = D(2024, 11, 4)
    assert CAL.add_working_days(monday, 0) == monday
    assert CAL.add_working_days(monday, 1) == D(2024, 11, 5)
    assert CAL.add_working_days(monday, 5) == D(2024, 11, 11)  # the weekend skipped
    assert CAL.working_days_between(monday, monday) == 0
    assert CAL.working_days_between(monday, D(2024, 11, 5)) == 1


@pytest.mark.parametrize("start", [D(2024, 10, 1), D(2024, 10, 5), D(2024, 9, 28)])
def test_a_start_on_a_day_off(start: date) -> None:
    # 1-7 October 2024 are off; Saturday 28 September is an ordinary Saturday
    expected = D(2024, 9, 29) if start.month == 9 else D(2024, 10, 8)
    assert CAL.add_working_days(start, 1) == expected
    assert CAL.working_days_between(start, expected) == 1


def test_counting_backwards() -> None:
    assert CAL.add_working_days(D(2024, 10, 8), -1) == D(2024, 9, 30)
    assert CAL.add_working_days(D(2024, 10, 8), -2) == D(2024, 9, 29)  # a make-up Sunday
    assert CAL.working_days_between(D(2024, 10, 8), D(2024, 9, 29)) == -2


def test_a_datetime_is_refused() -> None:
    # a datetime never equals a date, so 1 October would look like a working day
    with pytest.raises(TypeError, match="give a date"):
        CAL.is_working_day(datetime(2024, 10, 1, 9, 30))
    with pytest.raises(TypeError, match="give a date"):
        collection_deadline(datetime(2024, 10, 1, 9, 30), CAL)


# --- the deadlines ----------------------------------------------------------------------


def test_the_deadline_is_twenty_working_days() -> None:
    assert DEADLINE_WORKING_DAYS == 20


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (D(2024, 9, 30), D(2024, 11, 1)),  # over National Day; Saturday 12 October counts
        (D(2024, 10, 3), D(2024, 11, 1)),  # issued on a holiday: counting starts on 8 October
        (D(2025, 1, 24), D(2025, 2, 27)),  # Sunday 26 January is the first working day
        (D(2025, 1, 27), D(2025, 3, 3)),  # over the Spring Festival
        (D(2024, 11, 4), D(2024, 12, 2)),  # no holiday: four weeks
    ],
)
def test_collection_and_shipment_deadlines(start: date, deadline: date) -> None:
    assert collection_deadline(start, CAL) == deadline
    assert shipment_deadline(start, CAL) == deadline
    assert CAL.working_days_between(start, deadline) == 20


@pytest.mark.parametrize(
    ("needed_by", "latest"),
    [
        (D(2024, 10, 31), D(2024, 9, 29)),  # the latest day is a make-up Sunday
        (D(2025, 2, 10), D(2025, 1, 7)),  # over the Spring Festival
        (D(2025, 2, 14), D(2025, 1, 13)),  # a Friday
        (D(2025, 2, 15), D(2025, 1, 13)),  # a Saturday: the Friday before counts
        (D(2025, 2, 16), D(2025, 1, 13)),  # a Sunday
    ],
)
def test_supplementary_order_latest_filing(needed_by: date, latest: date) -> None:
    assert supplementary_order_latest_filing(needed_by, CAL) == latest
    assert CAL.working_days_between(latest, needed_by) == 20


# --- unknown years ----------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2003, 6, 2), D(2099, 6, 1)])
def test_an_unknown_year_is_refused(day: date) -> None:
    with pytest.raises(CalendarError, match=rf"schedule for {day.year} is not known"):
        CAL.is_working_day(day)
    with pytest.raises(CalendarError, match=str(day.year)):
        CAL.add_working_days(day, 0)
    with pytest.raises(CalendarError, match=str(day.year)):
        CAL.working_days_between(D(2024, 1, 2), day)


def test_a_deadline_running_into_an_unknown_year_is_refused() -> None:
    year = first_unknown_year()
    start = D(year - 1, 12, 1)
    with pytest.raises(CalendarError, match=rf"schedule for {year} is not known"):
        collection_deadline(start, CAL)


def test_the_last_week_of_december_needs_the_next_year() -> None:
    # 2018-12-29 was worked and 2018-12-31 was off, by the 2019 New Year arrangement
    assert CAL.is_working_day(D(2018, 12, 29))
    assert not CAL.is_working_day(D(2018, 12, 31))
    year = first_unknown_year()
    assert CAL.is_working_day(D(year - 1, 12, 24)) in (True, False)
    with pytest.raises(CalendarError, match=rf"{year - 1}-12-25: .* for {year} .*New Year"):
        CAL.is_working_day(D(year - 1, 12, 25))


def test_a_partial_year_in_the_library_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # a release that knew only New Year's Day of 2099 must not make 2099 a known year
    holidays = dict(chinese_calendar.holidays)
    holidays[D(2099, 1, 1)] = chinese_calendar.Holiday.new_years_day.value
    monkeypatch.setattr(chinese_calendar, "holidays", holidays)
    workdays._library_schedules.cache_clear()
    try:
        with pytest.raises(CalendarError, match="2099"):
            WorkingCalendar().is_working_day(D(2099, 3, 2))
    finally:
        workdays._library_schedules.cache_clear()


# --- schedule files ---------------------------------------------------------------------

SCHEDULE_2099 = """\
year = 2099

[[holiday]]
name = "元旦"
off_from = 2098-12-31   # the last week of December belongs to the next year's notice
off_to = 2099-01-02
days = 3
work = [2098-12-27]

[[holiday]]
name = "国庆节"
off_from = 2099-10-01
off_to = 2099-10-07
work = [2099-09-26, 2099-10-10]
"""


def test_a_schedule_file_makes_an_unknown_year_work(tmp_path: Path) -> None:
    path = tmp_path / "2099.toml"
    path.write_text(SCHEDULE_2099, encoding="utf-8")
    cal = default_calendar([path])
    assert not cal.is_working_day(D(2099, 10, 1))
    assert cal.is_working_day(D(2099, 10, 10))  # a make-up Saturday
    assert cal.is_working_day(D(2099, 3, 2))  # an ordinary Monday
    assert cal.is_working_day(D(2098, 12, 27))  # a make-up Saturday of the 2099 notice
    assert not cal.is_working_day(D(2098, 12, 31))
    assert cal.add_working_days(D(2099, 9, 30), 1) == D(2099, 10, 8)
    with pytest.raises(CalendarError, match="2098"):
        cal.is_working_day(D(2098, 12, 24))


def test_a_schedule_file_replaces_the_library_for_its_year(tmp_path: Path) -> None:
    path = tmp_path / "2025.toml"
    path.write_text('year = 2025\n[[holiday]]\nname = "元旦"\noff_from = 2025-01-01\n', "utf-8")
    cal = default_calendar([path])
    assert not cal.is_working_day(D(2025, 1, 1))
    assert cal.is_working_day(D(2025, 10, 8))  # not in this file, so an ordinary Wednesday
    assert not cal.is_working_day(D(2024, 10, 1))  # other years keep the library's schedule


def test_the_example_file_agrees_with_the_library() -> None:
    cal = default_calendar([EXAMPLE])
    for day in days(D(2024, 12, 25), D(2025, 12, 24)):
        assert cal.is_working_day(day) == CAL.is_working_day(day), day


def test_the_documented_example_loads(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for number, block in enumerate(blocks):
        path = tmp_path / f"{number}.toml"
        path.write_text(block, encoding="utf-8")
        assert load_schedule(path).days_off


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SCHEDULE_2099.encode())
    assert load_schedule(path).year == 2099


def test_two_files_for_one_year_are_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    for path in (first, second):
        path.write_text(SCHEDULE_2099, encoding="utf-8")
    with pytest.raises(CalendarError, match=r"two schedules for 2099: .*a\.toml and .*b\.toml"):
        default_calendar([first, second])


_HOLIDAY = '[[holiday]]\nname = "春节"\noff_from = 2099-01-21\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year = 2099\n[[holiday]\n", r"not valid TOML: .*line 2"),
        (_HOLIDAY, r"year: missing; expected the year as a number"),
        ('year = "2099"\n' + _HOLIDAY, r"year: expected the year as a number.*; got '2099'"),
        (
            "year = 20999\n" + _HOLIDAY,
            r"year: expected the year as a number from 2000 to 2999.*; got 20999",
        ),
        ("year = 2099\nyaer = 2099\n" + _HOLIDAY, r"yaer: unknown key \(expected holiday, year\)"),
        ("year = 2099\n", r"holiday: missing; expected \[\[holiday\]\] tables"),
        (
            "year = 2099\n[holiday]\nname = 'x'\n",
            r"holiday: expected \[\[holiday\]\] tables.*; got \{",
        ),
        (
            "year = 2099\n[[holiday]]\noff_from = 2099-01-21\n",
            r"name: missing; expected the holiday's name",
        ),
        (
            "year = 2099\n[[holiday]]\nname = ' '\noff_from = 2099-01-21\n",
            r"name: expected the holiday's",
        ),
        (
            "year = 2099\n" + _HOLIDAY + "days = nan\n",
            r"days: expected the number of days off.*; got nan",
        ),
        (
            "year = 2099\n" + _HOLIDAY + "wrok = []\n",
            r"wrok: unknown key \(expected days, name, off_from, off_to, work\)",
        ),
        ("year = 2099\n" + _HOLIDAY.replace("off_from", "off_form"), r"off_form: unknown key"),
        ("year = 2099\n[[holiday]]\nname = 'x'\n", r"off_from: missing"),
        (
            "year = 2099\n" + _HOLIDAY.replace("2099-01-21", '"2099-01-21"'),
            r"off_from: expected a date without quotes, .*; got '2099-01-21'",
        ),
        (
            "year = 2099\n" + _HOLIDAY.replace("2099-01-21", "2099-01-21T08:00:00"),
            r"off_from: expected a date without quotes, .*; got datetime",
        ),
        (
            "year = 2099\n" + _HOLIDAY.replace("2099", "2098"),
            r"off_from: 2098-01-21 is outside this schedule, "
            r"which covers 2098-12-25 to 2099-12-24",
        ),
        ("year = 2099\n" + _HOLIDAY + "off_to = 2099-01-20\n", r"off_to: 2099-01-20 comes before"),
        ("year = 2099\n" + _HOLIDAY + "off_to = 2099-01-27\ndays = 8\n", r"days: 8, but .* 7"),
        (
            "year = 2099\n" + _HOLIDAY + "days = 'one'\n",
            r"days: expected the number of days off.*; got 'one'",
        ),
        ("year = 2099\n" + _HOLIDAY + "work = 2099-01-17\n", r"work: expected a list of dates"),
        (
            "year = 2099\n" + _HOLIDAY + "work = [2099-01-17, 2099-01-14]\n",
            r"work\[2\]: 2099-01-14 is a Wednesday; a make-up working day",
        ),
        (
            "year = 2099\n" + _HOLIDAY + "off_to = 2099-01-27\nwork = [2099-01-24]\n",
            r"work\[1\]: 2099-01-24 is also listed as a day off",
        ),
    ],
)
def test_a_malformed_file_names_the_file_and_the_place(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "office-2099.toml"
    path.write_text(text, encoding="utf-8")
    where = r"(holiday\[1\]\.)?"
    with pytest.raises(CalendarError, match=rf"office-2099\.toml: {where}{message}"):
        load_schedule(path)


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match=r"missing\.toml: cannot read"):
        load_schedule(tmp_path / "missing.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes("year = 2099\n# 春节\n".encode("gbk"))
    with pytest.raises(CalendarError, match=r"gbk\.toml: not UTF-8"):
        load_schedule(path)
    path = tmp_path / "utf16.toml"
    path.write_text(SCHEDULE_2099, encoding="utf-16")
    with pytest.raises(CalendarError, match=r"utf16\.toml: UTF-16 text, not UTF-8; save"):
        load_schedule(path)


# --- properties -------------------------------------------------------------------------

known_days = st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 6, 30))
steps = st.integers(min_value=-250, max_value=250)


@given(known_days, steps)
def test_counting_inverts_adding(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(known_days, steps.filter(bool))
def test_adding_lands_on_a_working_day(start: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(start, n))


@given(known_days, steps, steps)
def test_adding_is_monotonic(start: date, n: int, m: int) -> None:
    if n < m:
        assert CAL.add_working_days(start, n) < CAL.add_working_days(start, m)


@given(
    st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 5, 1)),
    st.integers(0, 300),
    st.integers(0, 300),
)
def test_counting_is_additive(start: date, a: int, b: int) -> None:
    """(The start is early enough that 600 days on stay in the years chinesecalendar knows.)"""
    middle, end = start + timedelta(days=a), start + timedelta(days=a + b)
    assert CAL.working_days_between(start, middle) + CAL.working_days_between(
        middle, end
    ) == CAL.working_days_between(start, end)


@given(known_days, st.integers(1, 60), st.integers(0, 90))
def test_a_deadline_is_met_exactly_when_enough_working_days_pass(
    start: date, n: int, span: int
) -> None:
    end = start + timedelta(days=span)
    assert (CAL.add_working_days(start, n) <= end) == (CAL.working_days_between(start, end) >= n)


@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 12, 24)))
def test_the_latest_filing_day_is_the_last_one_that_works(needed_by: date) -> None:
    latest = supplementary_order_latest_filing(needed_by, CAL)
    assert CAL.is_working_day(latest)
    assert CAL.working_days_between(latest, needed_by) >= DEADLINE_WORKING_DAYS
    assert CAL.working_days_between(CAL.add_working_days(latest, 1), needed_by) < 20


@st.composite
def schedules_2099(draw: st.DrawFn) -> tuple[str, set[date], set[date]]:
    """A random 2099 schedule as file text, with its days off and make-up working days."""
    window = list(days(D(2098, 12, 25), D(2099, 12, 24)))
    off: set[date] = set()
    text = "year = 2099\n"
    for number in range(draw(st.integers(1, 6))):
        first = draw(st.sampled_from(window))
        length = draw(st.integers(1, min(10, (window[-1] - first).days + 1)))
        last = first + timedelta(days=length - 1)
        off.update(days(first, last))
        text += f'[[holiday]]\nname = "h{number}"\noff_from = {first}\noff_to = {last}\n'
    weekends = [day for day in window if day.weekday() >= 5 and day not in off]
    work = set(draw(st.lists(st.sampled_from(weekends), max_size=4)))
    text += f"work = [{', '.join(map(str, sorted(work)))}]\n"
    return text, off, work


@given(schedules_2099())
def test_a_schedule_file_means_what_it_says(schedule: tuple[str, set[date], set[date]]) -> None:
    text, off, work = schedule
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2099.toml"
        path.write_text(text, encoding="utf-8")
        cal = default_calendar([path])
    for day in days(D(2098, 12, 25), D(2099, 12, 24)):
        expected = day in work or (day.weekday() < 5 and day not in off)
        assert cal.is_working_day(day) == expected, day
