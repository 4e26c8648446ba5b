"""gbt15311: print Chinese import and export licences (GB/T 15311.1/.2-2008), keep custody of
the blanks.

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
    from gbt15311.export_licence import ExportLicence
    from gbt15311.loading import load_licence
    from gbt15311.model import ImportLicence, Item, Totals

_LAZY = {
    "ExportLicence": "gbt15311.export_licence",
    "ImportLicence": "gbt15311.model",
    "Item": "gbt15311.model",
    "Totals": "gbt15311.model",
    "load_licence": "gbt15311.loading",
}
"""The licence names, each with the module it lives in, imported when first asked for."""


def __getattr__(name: str) -> Any:
    """The licence names and ``__version__``, looked up when first asked for."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    if name == "__version__":
        from importlib.metadata import version

        return version("gbt15311")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CalendarError",
    "CustodyError",
    "ExportLicence",
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
