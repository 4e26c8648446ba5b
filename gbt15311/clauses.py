"""The clauses of 备注 (field 19): fixed wording the issuing system writes, never the clerk.

Customs clears against the paper 备注 and reads a short list of clauses there. Issuing
software states the licence's intent (a flag, a date, a number); this table turns it into
the wording, in a fixed order, before any free text. Each row says where its rule and its
wording come from.

    >>> compose(["非一批一证", "本证书自2027年1月1日起生效"], "", 32)
    ['非一批一证；本证书自2027年1月1日', '起生效']
    >>> compose([], ["第一行", "第二行"], 32)
    ['第一行', '第二行']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gbt15311 import cells

__all__ = ["CLAUSES", "MAX_USES", "SEE_REMARKS", "SEPARATOR", "Clause", "compose"]


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of 备注: the JSON key that asks for it, its wording, and its provenance."""

    key: str
    wording: str
    """A format string over the clause's value (``{year}``, ``{licence_no}``…)."""
    provenance: str


CLAUSES = (
    Clause("multiple_use", "非一批一证", "MOFCOM practice, confirmed (wording quoted)"),
    Clause(
        "next_year",
        "本证书自{year}年1月1日起生效",
        "MOFCOM practice, confirmed; the wording follows the notice's example",
    ),
    Clause(
        "original_licence_no",
        "原证号：{licence_no}",
        "MOFCOM practice, likely (a reissue across a year end); the wording is ours",
    ),
    Clause(
        "specification_in_remarks",
        "规格{row}：{specification}",
        "MOFCOM practice, confirmed (见备注 in field 12); the wording is ours",
    ),
)
"""The clauses in the order they print; the item specifications come in row order."""

SEE_REMARKS = "见备注"
"""What field 12 prints when the item's specification is in 备注 (MOFCOM practice)."""

SEPARATOR = "；"
"""Between clauses, and between the clauses and free text given as one string (ours)."""

MAX_USES = 12
"""A 非一批一证 licence clears at most 12 declarations, each endorsed on the back of part 1
(MOFCOM practice, confirmed); the count is customs' business, not printed."""


def compose(clauses: list[str], text: str | list[str], width: int) -> list[str]:
    """The printed lines of 备注: the clauses joined and wrapped into lines of ``width``,
    followed by free text given as one string (joined with them) or as lines (kept).

    Wrapping is greedy and the separator is full-width, so the clauses' lines do not depend
    on the text after them: they are wrapped once per wording and the text continues the
    last line."""
    head = list(_wrapped(tuple(clauses), width)) if clauses else []
    if isinstance(text, list):
        return head + text
    if not text.strip(" "):
        return head
    if not head:
        return cells.wrap(text, width)
    tail = head.pop() + SEPARATOR + text
    return head + ([tail] if cells.cell_len(tail) <= width else cells.wrap(tail, width))


@lru_cache(maxsize=1024)
def _wrapped(clauses: tuple[str, ...], width: int) -> tuple[str, ...]:
    return tuple(cells.wrap(SEPARATOR.join(clauses), width))
