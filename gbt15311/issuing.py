"""Issuing a licence: draw the terminal's next blank, print on it, register the use.

Issuing sits above custody and render and joins them; neither of those imports the other.

Issuing software calls ``issue_licence`` with the validated licence and a ``printer``
callable that sends the PDF to the terminal's printer and raises if printing failed. A failed
print spoils the blank: it is voided as ``misprint`` with the error as note, and the next
blank is drawn.

Everything that can be checked is checked before a blank is reserved: the licence number, that
no blank carries it yet, that the template can print the type's serials, and the licence itself
(the PDF is rendered first, with the serial the terminal will most likely get, and rendered
again if another process took that blank). A refusal therefore costs no blank.

Issuing software retries after time-outs, so a retry must never print twice: a licence already
printed raises ``AlreadyIssued`` naming its blank, and prints nothing. Retries of one licence
running at the same moment take turns (a PostgreSQL advisory lock; on SQLite, a lock within
the process), so the second sees the first's blank.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, select

from gbt15311.custody import ledger as _ledger
from gbt15311.custody.allocator import allocate, canonical_licence_no, use, void
from gbt15311.custody.ledger import Ledger
from gbt15311.custody.schema import State, certificates
from gbt15311.custody.serials import SerialFormat
from gbt15311.exceptions import NoStock, PrinterFailed, Refused
from gbt15311.templates import Template, default_template

__all__ = ["AlreadyIssued", "Issued", "Printer", "Renderer", "issue_licence"]


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
    pdf: bytes = field(repr=False)
    voided: tuple[str, ...]


class AlreadyIssued(Refused):
    """The licence is already printed on a blank: a retry learns which, and nothing prints."""

    def __init__(self, licence_no: str, type_code: str, serial: str) -> None:
        super().__init__(
            f"licence {licence_no} is already printed on {type_code} serial {serial}; "
            "it was not printed again"
        )
        self.licence_no = licence_no
        self.type_code = type_code
        self.serial = serial


def issue_licence(
    ledger: Ledger,
    licence: Licence,
    *,
    terminal: str,
    printer: Printer,
    by: str | None = None,
    type: str | None = None,
    render: Renderer | None = None,
    template: Template | None = None,
    attempts: int = 3,
    forms: Mapping[str, str] | None = None,
) -> Issued:
    """Print ``licence`` on ``terminal``'s next blank and register the use.

    ``render`` defaults to ``gbt15311.render.render_licence`` (overlay, all four parts) on
    ``template`` (the bundled one by default); pass ``functools.partial(render_licence,
    printer=profile)`` to use a printer profile, and the ``template`` it prints on. The renderer
    gets the serial's digits (``fmt.digits``); the template prints its own label before them.
    After ``attempts`` failed prints in a row, ``PrinterFailed`` is raised: the printer needs a
    person. A licence already printed raises ``AlreadyIssued`` and prints nothing.

    ``forms`` binds certificate types to the forms printed on their blanks (``{"IL":
    "import", "EL": "export"}``): a licence prints only on a blank of a type bound to its form
    (``licence.form``), and without ``type`` on the one type bound to it; any other is refused
    before a blank is reserved. The default template is that of the licence's form.
    """
    if attempts < 1:
        raise Refused(f"attempts must be at least 1, not {attempts}")
    licence_form: str = getattr(licence, "form", "import")
    if forms is not None:
        type = _type_of_form(forms, licence_form, type, licence.licence_no)
    form = template if template is not None else default_template(licence_form)
    draw = render if render is not None else _default_renderer(form)
    licence_no = canonical_licence_no(licence.licence_no)
    with _one_at_a_time(ledger, licence_no):
        peeked, fmt = _next_blank(ledger, licence_no, terminal, type)
        if form.serial is not None:
            fmt.refuse_unprintable(form.serial)
        pdf = draw(licence, serial=fmt.digits(peeked))
        voided: list[str] = []
        for _attempt in range(attempts):
            reservation = allocate(ledger, terminal, type=type, by=by)
            if reservation.serial != peeked:
                peeked = reservation.serial
                pdf = draw(licence, serial=fmt.digits(peeked))
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


def _type_of_form(forms: Mapping[str, str], form: str, type: str | None, licence_no: str) -> str:
    """The certificate type to print a licence of ``form`` on: ``type``, if bound to ``form``,
    or else the one type bound to it."""
    bound = sorted(code for code, printed in forms.items() if printed == form)
    if type is None and len(bound) == 1:
        return bound[0]
    if type is not None and type in bound:
        return type
    if type is None:
        raise Refused(
            f"licence {licence_no} is of the {form} form; name the certificate type to print "
            f"it on: {', '.join(bound) if bound else 'no type is bound to that form'}"
        )
    raise Refused(
        f"licence {licence_no} is of the {form} form; blanks of type {type} are for the "
        f"{forms.get(type, 'unbound')} form: nothing was reserved"
    )


def _next_blank(
    ledger: Ledger, licence_no: str, terminal: str, type: str | None
) -> tuple[str, SerialFormat]:
    """The blank the terminal will most likely get, and its type's serial format; refuses a
    licence already printed."""
    printed = select(certificates.c.type_code, certificates.c.serial).where(
        certificates.c.licence_no == licence_no, certificates.c.state == State.USED
    )
    query = (
        select(certificates.c.type_code, certificates.c.serial)
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
        earlier = connection.execute(printed).first()
        if earlier is not None:
            raise AlreadyIssued(licence_no, earlier.type_code, earlier.serial)
        _ledger.terminal(connection, terminal)
        blank = connection.execute(query).first()
        if blank is None:
            raise NoStock(f"terminal {terminal} has no blank left to print on")
        return blank.serial, _ledger.serial_format(connection, blank.type_code)


_STRIPES = [threading.Lock() for _ in range(64)]
"""Within one process, issuing of one licence on one SQLite ledger takes turns."""


@contextmanager
def _one_at_a_time(ledger: Ledger, licence_no: str) -> Iterator[None]:
    """Hold a lock on ``licence_no`` while it is checked, printed and registered."""
    if ledger.engine.dialect.name == "postgresql":
        key = func.hashtext(f"gbt15311 issue {licence_no}")
        with ledger.engine.connect() as connection:
            connection.execute(select(func.pg_advisory_lock(key)))
            try:
                yield
            finally:
                connection.execute(select(func.pg_advisory_unlock(key)))
        return
    url = ledger.engine.url.render_as_string(hide_password=False)
    with _STRIPES[hash((url, licence_no)) % len(_STRIPES)]:
        yield


def _default_renderer(template: Template) -> Renderer:
    from gbt15311.render import render_licence

    return functools.partial(render_licence, template=template)
