"""Every error the library raises on bad input, in one tree.

Callers catch ``Gbt15311Error`` to catch them all, or a branch for one concern::

    Gbt15311Error
    ├── ValidationError (also ValueError)   one value breaks a format or code-list rule
    │   ├── InvalidFormat                   wrong characters or shape
    │   ├── InvalidLength                   too short or too long
    │   └── InvalidComponent                a code that is not in its list
    ├── LicenceInvalid (also ValueError)    a licence with problems; ``.problems`` lists them all
    ├── TemplateError                       a form template that cannot be used
    ├── PrinterProfileError                 a printer profile that cannot be used
    ├── CalendarError                       a working-day question for a year nobody scheduled
    └── CustodyError                        the custody ledger refuses an operation
        ├── Refused                         the custody rules forbid it
        ├── NoStock                         a terminal has no blank left to allocate
        ├── LedgerCorrupt                   the ledger does not verify
        └── PrinterFailed                   every blank tried was spoilt; the printer needs a person

Messages name what is wrong and where, in words a clerk understands.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class Gbt15311Error(Exception):
    """The root of every error this library raises on bad input."""


class ValidationError(Gbt15311Error, ValueError):
    """A value breaks a format or code-list rule."""

    message = "the value is not valid"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidFormat(ValidationError):
    """The value has characters or a shape its format does not allow."""

    message = "the value has an invalid format"


class InvalidLength(ValidationError):
    """The value is too short or too long."""

    message = "the value has an invalid length"


class InvalidComponent(ValidationError):
    """The value is well formed but not in its code list."""

    message = "the value is not in its code list"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a licence, located for software and worded for people."""

    field: int | None
    name_zh: str
    name_en: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.name_zh} {self.name_en}"
        if self.field is not None:
            where = f"第{self.field}项 {where}"
        return f"{where} ({self.path}): {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class LicenceInvalid(Gbt15311Error, ValueError):
    """A licence failed validation; ``problems`` holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateError(Gbt15311Error):
    """A form template is malformed or does not fit the licence fields."""


class PrinterProfileError(Gbt15311Error):
    """A printer profile is malformed, unknown or out of range."""


class CalendarError(Gbt15311Error):
    """A working-day calculation reached a year whose holiday schedule is unknown."""


class CustodyError(Gbt15311Error):
    """The custody ledger refuses an operation or cannot be read."""


class Refused(CustodyError):
    """The custody rules forbid the operation; nothing was written."""


class NoStock(CustodyError):
    """The terminal has no blank in its custody to allocate."""


class LedgerCorrupt(CustodyError):
    """The hash chain or the state rebuilt from the events does not match."""


class PrinterFailed(CustodyError):
    """Printing failed on several blanks in a row; they are voided and nothing was issued."""
