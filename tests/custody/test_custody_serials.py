"""Ranges of serials expanded without formatting each one through ``format``: the same text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gbt15311.custody.store._serials import SerialFormat


@given(
    st.text(max_size=3),
    st.integers(min_value=1, max_value=12),
    st.data(),
)
def test_a_range_expands_to_each_serial_as_format_writes_it(
    prefix: str, width: int, data: st.DataObject
) -> None:
    fmt = SerialFormat(prefix=prefix, width=width)
    low = data.draw(st.integers(min_value=0, max_value=10**width - 1))
    high = data.draw(st.integers(min_value=low, max_value=min(low + 50, 10**width - 1)))
    assert fmt.expand(fmt.format(low), fmt.format(high)) == [
        fmt.format(n) for n in range(low, high + 1)
    ]
