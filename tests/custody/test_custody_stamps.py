"""Event times read back: every stamp the ledger writes, and nothing else.

``moment`` reads one stamp per event in every report, so it checks the stamp's shape and
lets ``fromisoformat`` (far quicker than ``strptime``) read it; these pin that it still
refuses whatever is not a stamp as ``timestamp`` writes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbt15311.custody.store._events import CHINA, china_date, moment
from gbt15311.custody.store._ledger import timestamp

_AWARE = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)
)


@given(_AWARE, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_every_stamp_reads_back_as_its_moment(when: datetime, minutes: int) -> None:
    local = when.astimezone(timezone(timedelta(minutes=minutes)))
    stamp = timestamp(local)
    assert moment(stamp) == when
    assert china_date(stamp) == when.astimezone(CHINA).date()


@given(st.text())
def test_text_that_is_not_a_stamp_is_refused(text: str) -> None:
    try:
        read = moment(text)
    except ValueError:
        return
    assert timestamp(read) == text


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-31T16:30:00Z",
        "2026-03-31 16:30:00.000000Z",
        "2026-03-31T16:30:00.000000+08:00",
        "2026-03-31",
        "２０26-03-31T16:30:00.000000Z",
        "2026-03-31T16:30:00.000000Z\n",
    ],
)
def test_near_stamps_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an event time"):
        moment(text)
