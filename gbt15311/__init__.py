"""gbt15311: print Chinese import and export licences (GB/T 15311.1/.2-2008), keep custody of
the blanks.

The public names are re-exported here; the modules behind them are the implementation.
"""

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
from gbt15311.export_licence import ExportLicence
from gbt15311.model import ImportLicence, Item, Totals, load_licence

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
