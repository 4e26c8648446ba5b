"""The events vocabulary, their canonical form and the hash chain.

Each event is ``(seq, at, kind, actor, payload)``: a gapless sequence number, a UTC
timestamp, what happened, the registered person who did it, and a JSON payload saying to
what and why. Its canonical form is that tuple as JSON with sorted keys and no spaces; its
hash is SHA-256 over the previous event's hash followed by the canonical form, so changing,
dropping or reordering any event breaks every hash after it. Serials in payloads are written
as ``[first, last]`` ranges of one certificate type (see ``serials``), so receiving a box of a
thousand blanks is one short event.

    >>> china_date("2026-03-31T16:30:00.000000Z")
    datetime.date(2026, 4, 1)
    >>> chain_hash(GENESIS_HASH, canonical(1, "2026-01-05T01:00:00.000000Z", Kind.OFFICE_ADDED,
    ...     "wang", {"office": "SH", "name": "上海"}))[:16]
    '67d40c2db8090180'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from gbt15311.custody.lifecycle import Kind
from gbt15311.custody.store._schema import GENESIS_HASH, events
from gbt15311.exceptions import LedgerCorrupt

__all__ = [
    "CHINA",
    "GENESIS_HASH",
    "Event",
    "Kind",
    "canonical",
    "chain_hash",
    "china_date",
    "china_time",
    "dumps",
    "moment",
    "ranges_named",
    "read_events",
]

CHINA = timezone(timedelta(hours=8), "CST")
"""China Standard Time: no daylight saving since 1991, so a fixed offset is exact."""


@dataclass(frozen=True, slots=True)
class Event:
    """One stored event, as read back from the ledger."""

    seq: int
    at: str
    kind: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    stored: str | None = field(default=None, compare=False, repr=False)
    """The payload's text as the ledger holds it, when read from there."""

    def canonical(self) -> str:
        """The text the hash covers: from the payload as stored when there is one (its own
        canonical JSON, so it need not be written out again; a text that is not would no
        longer match the hash)."""
        if self.stored is not None:
            return composed(self.seq, self.at, self.kind, self.actor, self.stored)
        return canonical(self.seq, self.at, self.kind, self.actor, self.payload)


def canonical(seq: int, at: str, kind: str, actor: str, payload: dict[str, Any]) -> str:
    """The one text form of an event that its hash covers."""
    return dumps({"seq": seq, "at": at, "kind": str(kind), "actor": actor, "payload": payload})


def composed(seq: int, at: str, kind: str, actor: str, payload_text: str) -> str:
    """``canonical`` around a payload already in canonical JSON: the same text, as the keys
    sort (actor, at, kind, payload, seq) and the payload's own keys are sorted within it."""
    return (
        f'{{"actor":{dumps(actor)},"at":{dumps(at)},"kind":{dumps(str(kind))},'
        f'"payload":{payload_text},"seq":{seq}}}'
    )


def dumps(value: object) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, canonical_form: str) -> str:
    return hashlib.sha256((prev_hash + canonical_form).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1024)
def china_date(at: str) -> date:
    """The day in China of an event's UTC timestamp (cached: every blank an event moves
    asks for its day)."""
    return moment(at).astimezone(CHINA).date()


def china_time(at: datetime | str) -> str:
    """A time (or an event's UTC stamp) as people read it on screen: China time, saying so,
    since the papers' dates follow China's day."""
    when = moment(at) if isinstance(at, str) else at
    return f"{when.astimezone(CHINA):%Y-%m-%d %H:%M:%S} China time (UTC+8)"


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", re.ASCII)
"""An event's stamp as ``timestamp`` writes it: checked here, then read by ``fromisoformat``
(far quicker than ``strptime``, and reports read one stamp per event)."""


def moment(at: str) -> datetime:
    """An event's UTC timestamp (its canonical text) as a timezone-aware ``datetime``."""
    if not _STAMP.fullmatch(at):
        raise ValueError(f"{at!r} is not an event time (YYYY-MM-DDTHH:MM:SS.ffffffZ)")
    return datetime.fromisoformat(at)


def read_events(
    connection: Connection, where: ColumnElement[bool] | None = None
) -> Iterator[Event]:
    """Every event in sequence order (or those ``where`` picks), streamed."""
    query = select(events).order_by(events.c.seq)
    if where is not None:
        query = query.where(where)
    for row in connection.execute(query).yield_per(2000):
        try:
            payload = json.loads(row.payload)
        except ValueError:
            raise LedgerCorrupt(f"event {row.seq} ({row.kind}): payload is not JSON") from None
        yield Event(
            row.seq, row.at, row.kind, row.actor, payload, row.prev_hash, row.hash, row.payload
        )


def ranges_named(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The ``(type, first, last)`` runs of serials an event names: a receipt's boxes (whose
    missing serials ``where`` leaves out itself), or the ranges of an event naming no single
    blank. What ``event_ranges`` holds for the event, in the payload's order."""
    if "boxes" in payload:
        return [(box["type"], box["first"], box["last"]) for box in payload["boxes"]]
    if "serial" in payload or "type" not in payload:
        return []
    return [(payload["type"], first, last) for first, last in payload.get("ranges", ())]
