"""Issuing a licence: draw the terminal's next blank, print on it, register the use.

Issuing software calls ``issue_licence`` with the validated licence and a ``printer``
callable that sends the PDF to the terminal's printer and raises if printing failed. A failed
print spoils the blank: it is voided as ``misprint`` with the error as note, and the next
blank is drawn. The PDF is rendered before anything is reserved, so a licence or template the
renderer refuses costs no blank; if the blank drawn is not the one peeked at (another process
took it), the PDF is rendered again for the right serial.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from gbt15311.custody.allocator import allocate, canonical_licence_no, use, void
from gbt15311.custody.ledger import Ledger
from gbt15311.custody.schema import State, certificates
from gbt15311.exceptions import NoStock, PrinterFailed


class Licence(Protocol):
    @property
    def licence_no(self) -> str: ...


class Renderer(Protocol):
    def __call__(self, licence: Any, /, *, serial: str) -> bytes: ...


Printer = Callable[[bytes], None]


@dataclass(frozen=True)
class Issued:
    """A licence printed and registered: on which blank, and the blanks spoilt on the way."""

    type_code: str
    serial: str
    licence_no: str
    pdf: bytes
    voided: tuple[str, ...]


def issue_licence(
    ledger: Ledger,
    licence: Licence,
    *,
    terminal: str,
    printer: Printer,
    by: str | None = None,
    type: str | None = None,
    render: Renderer | None = None,
    attempts: int = 3,
) -> Issued:
    """Print ``licence`` on ``terminal``'s next blank and register the use.

    ``render`` defaults to ``gbt15311.render.render_licence`` (overlay, all four parts); pass
    ``functools.partial(render_licence, printer=profile)`` to use a printer profile. After
    ``attempts`` failed prints in a row, ``PrinterFailed`` is raised: the printer needs a person.
    """
    draw = render if render is not None else _default_renderer()
    licence_no = canonical_licence_no(licence.licence_no)
    peeked = _next_serial(ledger, terminal, type)
    pdf = draw(licence, serial=peeked)
    voided: list[str] = []
    for _attempt in range(attempts):
        reservation = allocate(ledger, terminal, type=type, by=by)
        if reservation.serial != peeked:
            peeked = reservation.serial
            pdf = draw(licence, serial=peeked)
        try:
            printer(pdf)
        except Exception as error:  # any printer or driver failure spoils this blank
            void(
                ledger,
                reservation.serial,
                reason="misprint",
                by=reservation.actor,
                note=f"printing failed: {error}",
                type=reservation.type_code,
            )
            voided.append(reservation.serial)
            continue
        use(
            ledger,
            reservation.serial,
            licence_no=licence_no,
            type=reservation.type_code,
            by=reservation.actor,
        )
        return Issued(reservation.type_code, reservation.serial, licence_no, pdf, tuple(voided))
    raise PrinterFailed(
        f"printing licence {licence_no} failed {attempts} times on terminal {terminal}; "
        f"blanks {', '.join(voided)} are voided as misprints"
    )


def _next_serial(ledger: Ledger, terminal: str, type: str | None) -> str:
    query = (
        select(certificates.c.serial)
        .where(
            certificates.c.terminal_code == terminal,
            certificates.c.state == State.WITH_TERMINAL,
        )
        .order_by(certificates.c.type_code, certificates.c.serial)
        .limit(1)
    )
    if type is not None:
        query = query.where(certificates.c.type_code == type)
    with ledger.read() as connection:
        serial: str | None = connection.execute(query).scalar()
    if serial is None:
        raise NoStock(f"terminal {terminal} has no blank left to print on")
    return serial


def _default_renderer() -> Renderer:
    from gbt15311.render import render_licence

    return render_licence
