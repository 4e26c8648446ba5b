"""gbt15311: print Chinese import licences (GB/T 15311.1-2008) and keep custody of the blanks.

The public names are re-exported here; the modules behind them are the implementation.
The licence model (pydantic, the code lists) is imported on first use of its names, so that
importing the package, or starting the command line, costs next to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gbt15311.exceptions import (
    CalendarError,
    CustodyError,
    Gbt15311Error,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    LedgerCorrupt,
    LicenceInvalid,
    NoStock,
    PrinterFailed,
    PrinterProfileError,
    Problem,
    Refused,
    TemplateError,
    ValidationError,
)

if TYPE_CHECKING:
    from gbt15311.model import ImportLicence, Item, Totals, load_licence

_FROM_MODEL = frozenset({"ImportLicence", "Item", "Totals", "load_licence"})


def __getattr__(name: str) -> Any:
    """The model's names and ``__version__``, looked up when first asked for."""
    if name in _FROM_MODEL:
        from gbt15311 import model

        return getattr(model, name)
    if name == "__version__":
        from importlib.metadata import version

        return version("gbt15311")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CalendarError",
    "CustodyError",
    "Gbt15311Error",
    "ImportLicence",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "Item",
    "LedgerCorrupt",
    "LicenceInvalid",
    "NoStock",
    "PrinterFailed",
    "PrinterProfileError",
    "Problem",
    "Refused",
    "TemplateError",
    "Totals",
    "ValidationError",
    "load_licence",
]
