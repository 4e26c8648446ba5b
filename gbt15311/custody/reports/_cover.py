"""Days of cover: how long each terminal's and each office's blanks last at the recent rate
of use, and which balances fall under their type's threshold.

Use is the licences printed (``used`` events, whose payload names the terminal and the type)
in the window of days ending with the day asked for; cover is the blanks on hand divided by
the use per day. A place with no use in the window has no cover figure and no alert. The
thresholds are data (``gbt15311/custody/cover.toml``, replaceable by a file of the same keys):
days of cover per type, for terminals and for offices.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from importlib.resources import files
from pathlib import Path
from typing import Literal

from sqlalchemy import and_, func, select

from gbt15311.custody.lifecycle import AT_TERMINAL, ON_HAND, Kind, State
from gbt15311.custody.store._events import CHINA, read_events
from gbt15311.custody.store._ledger import Ledger, timestamp
from gbt15311.custody.store._schema import balances, certificates, events, terminals
from gbt15311.exceptions import CustodyError

Place = Literal["terminal", "office"]
PLACES: tuple[Place, ...] = ("terminal", "office")
WINDOW = 30
"""Days of recent use the rate is taken over."""
LONGEST_WINDOW = 3650
"""Ten years of use: any longer window reaches back before these rules (and past year 1)."""
ANY_TYPE = "*"
"""The table whose thresholds hold for every type not named."""
USABLE = ON_HAND - {State.SEALED}
"""Blanks an office can still print on: a sealed box waits to go back to the bureau."""


@dataclass(frozen=True)
class Cover:
    """One type at one place: on hand, used in the window, and the threshold it is held to."""

    place: Place
    code: str
    type: str
    on_hand: int
    used: int
    window: int
    threshold: Decimal

    @property
    def days(self) -> Decimal | None:
        """Days the blanks on hand last at the window's rate; ``None`` without use."""
        if not self.used:
            return None
        return (Decimal(self.on_hand * self.window) / self.used).quantize(
            Decimal("0.1"), ROUND_DOWN
        )

    @property
    def low(self) -> bool:
        return self.days is not None and self.days < self.threshold


Thresholds = dict[str, dict[Place, Decimal]]


SHIPPED = files("gbt15311.custody").joinpath("cover.toml")
"""The thresholds shipped, ours: held valid by a test through ``cover_file``'s reader."""


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The thresholds of ``path``, read through the project's config reader (``cover_file``),
    so a problem names the file, the key and what was expected; or the ones shipped."""
    if path is None:  # ours and tested: read without the reader's start-up cost (pydantic)
        shipped = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
        return {
            code: {place: _days(table[place]) for place in PLACES}
            for code, table in shipped.items()
        }
    import gbt15311.custody.reports._cover_file as cover_file

    return {
        code: {place: _days(getattr(limits, place)) for place in PLACES}
        for code, limits in cover_file.read(path, every_type=ANY_TYPE).items()
    }


def _days(value: float) -> Decimal:
    """Days as written: 3 stays 3 (TOML's integers arrive as floats), 2.5 stays 2.5."""
    days = Decimal(str(value))
    return days.quantize(Decimal(1)) if days == days.to_integral_value() else days


def covers(
    ledger: Ledger,
    day: date,
    *,
    window: int = WINDOW,
    thresholds: Thresholds | None = None,
    office: str | None = None,
    terminal: str | None = None,
) -> list[Cover]:
    """Each terminal's and office's cover on ``day`` (or one office's, or one terminal's)."""
    if not 1 <= window <= LONGEST_WINDOW:
        raise CustodyError(f"a window of {window} days: give 1 to {LONGEST_WINDOW} days")
    limits = thresholds if thresholds is not None else load_thresholds()
    start = datetime.combine(day - timedelta(days=window - 1), time(), CHINA)
    end = datetime.combine(day + timedelta(days=1), time(), CHINA)
    used: Counter[tuple[str, str]] = Counter()
    held: Counter[tuple[str, str]] = Counter()
    in_office: Counter[tuple[str, str]] = Counter()
    with ledger.read() as connection:
        rows = connection.execute(select(terminals.c.code, terminals.c.office_code))
        offices_of = {code: office for code, office in rows}
        recent = and_(
            events.c.kind == Kind.USED,
            events.c.at >= timestamp(start),
            events.c.at < timestamp(end),
        )
        for event in read_events(connection, recent):
            used[(event.payload["terminal"], event.payload["type"])] += 1
        query = (
            select(certificates.c.terminal_code, certificates.c.type_code, func.count())
            .where(certificates.c.state.in_(AT_TERMINAL), certificates.c.terminal_code.is_not(None))
            .group_by(certificates.c.terminal_code, certificates.c.type_code)
        )
        held.update({(t, k): n for t, k, n in connection.execute(query)})
        query = (
            select(balances.c.office_code, balances.c.type_code, func.sum(balances.c.count))
            .where(balances.c.state.in_(USABLE))
            .group_by(balances.c.office_code, balances.c.type_code)
        )
        in_office.update({(o, k): int(n) for o, k, n in connection.execute(query)})
    if terminal is not None and terminal not in offices_of:
        raise CustodyError(f"terminal {terminal!r} is not registered")
    office_used: Counter[tuple[str, str]] = Counter()
    for (code, type_code), number in used.items():
        office_used[(offices_of.get(code, ""), type_code)] += number

    def limit(type_code: str, place: Place) -> Decimal:
        return limits.get(type_code, limits[ANY_TYPE])[place]

    found = [
        Cover(
            "terminal",
            code,
            type_code,
            held[(code, type_code)],
            used[(code, type_code)],
            window,
            limit(type_code, "terminal"),
        )
        for code, type_code in sorted(set(held) | set(used))
        if (terminal is None or code == terminal)
        and (office is None or offices_of.get(code) == office)
    ]
    if terminal is None:
        found += [
            Cover(
                "office",
                code,
                type_code,
                in_office[(code, type_code)],
                office_used[(code, type_code)],
                window,
                limit(type_code, "office"),
            )
            for code, type_code in sorted(set(in_office) | set(office_used))
            if office is None or code == office
        ]
    return found
