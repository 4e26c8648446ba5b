"""The custody rules' paperwork, made from the ledger's events up to a cut-off: the six
registers as PDFs, the quarterly reconciliation, the annual usage report, the demand
forecast, working-day deadlines, retention, the morning check and the inspection self-check.

This is the face: the names of ``__all__`` are the API (``docs/api.md``); the underscored
modules behind it, one per concern, are the implementation and may change. Each report is a
pure function of the events it reads (``read``), so the same cut-off gives the same report,
and the same PDF bytes (``render_pdf``). See docs/custody-reports.md.

    >>> from datetime import date
    >>> from gbt15311.custody import default_calendar, reports
    >>> quarter = reports.Quarter.parse("2026Q1")
    >>> quarter.first_day, quarter.last_day
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    >>> cal = default_calendar()
    >>> reports.supplementary_order(date(2025, 10, 31), cal).day  # 28 September: a working Sunday
    datetime.date(2025, 9, 28)

A report of the ledger's history takes the ``Record`` that ``read(ledger, cutoff)`` gives, as
in ``reconcile(read(ledger, quarter.last_day), quarter)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gbt15311.custody.proof._source import Cutoff, Record, read
    from gbt15311.custody.reports._alerts import Alert, alerts
    from gbt15311.custody.reports._alerts import sheet as alerts_sheet
    from gbt15311.custody.reports._annual import AnnualUsage, annual_usage
    from gbt15311.custody.reports._annual import sheet as annual_sheet
    from gbt15311.custody.reports._cover import Cover, covers, load_thresholds
    from gbt15311.custody.reports._deadlines import (
        Deadline,
        Uncollected,
        collection,
        supplementary_order,
        supplementary_shipment,
    )
    from gbt15311.custody.reports._export import Export, export
    from gbt15311.custody.reports._forecast import Forecast, forecast
    from gbt15311.custody.reports._forecast import reasoning as forecast_reasoning
    from gbt15311.custody.reports._forecast import sheet as forecast_sheet
    from gbt15311.custody.reports._pdf import Pin, Sheet
    from gbt15311.custody.reports._pdf import render as render_pdf
    from gbt15311.custody.reports._proposals import Waiting, waiting
    from gbt15311.custody.reports._proposals import sheet as proposals_sheet
    from gbt15311.custody.reports._reconciliation import (
        Counts,
        Quarter,
        Reconciliation,
        load_counts,
        reconcile,
    )
    from gbt15311.custody.reports._reconciliation import sheets as reconciliation_sheets
    from gbt15311.custody.reports._registers import in_out_ledger, receipt, sealing_register
    from gbt15311.custody.reports._retention import Holding, holdings
    from gbt15311.custody.reports._selfcheck import SelfCheck, self_check
    from gbt15311.custody.reports._selfcheck import sheet as selfcheck_sheet
    from gbt15311.custody.reports._settlement import Settlement, settle
    from gbt15311.custody.reports._settlement import sheet as settlement_sheet
    from gbt15311.custody.reports._unaccounted import Unaccounted, unaccounted
    from gbt15311.custody.reports._unaccounted import sheet as unaccounted_sheet

_SOURCE = "gbt15311.custody.proof._source"

_LAZY: dict[str, tuple[str, str]] = {
    "Cutoff": (_SOURCE, "Cutoff"),
    "Record": (_SOURCE, "Record"),
    "read": (_SOURCE, "read"),
    "Alert": ("_alerts", "Alert"),
    "alerts": ("_alerts", "alerts"),
    "alerts_sheet": ("_alerts", "sheet"),
    "AnnualUsage": ("_annual", "AnnualUsage"),
    "annual_usage": ("_annual", "annual_usage"),
    "annual_sheet": ("_annual", "sheet"),
    "Cover": ("_cover", "Cover"),
    "covers": ("_cover", "covers"),
    "load_thresholds": ("_cover", "load_thresholds"),
    "Deadline": ("_deadlines", "Deadline"),
    "Uncollected": ("_deadlines", "Uncollected"),
    "collection": ("_deadlines", "collection"),
    "supplementary_order": ("_deadlines", "supplementary_order"),
    "supplementary_shipment": ("_deadlines", "supplementary_shipment"),
    "Export": ("_export", "Export"),
    "export": ("_export", "export"),
    "Forecast": ("_forecast", "Forecast"),
    "forecast": ("_forecast", "forecast"),
    "forecast_reasoning": ("_forecast", "reasoning"),
    "forecast_sheet": ("_forecast", "sheet"),
    "Pin": ("_pdf", "Pin"),
    "Sheet": ("_pdf", "Sheet"),
    "render_pdf": ("_pdf", "render"),
    "Waiting": ("_proposals", "Waiting"),
    "waiting": ("_proposals", "waiting"),
    "proposals_sheet": ("_proposals", "sheet"),
    "Counts": ("_reconciliation", "Counts"),
    "Quarter": ("_reconciliation", "Quarter"),
    "Reconciliation": ("_reconciliation", "Reconciliation"),
    "load_counts": ("_reconciliation", "load_counts"),
    "reconcile": ("_reconciliation", "reconcile"),
    "reconciliation_sheets": ("_reconciliation", "sheets"),
    "in_out_ledger": ("_registers", "in_out_ledger"),
    "receipt": ("_registers", "receipt"),
    "sealing_register": ("_registers", "sealing_register"),
    "Holding": ("_retention", "Holding"),
    "holdings": ("_retention", "holdings"),
    "SelfCheck": ("_selfcheck", "SelfCheck"),
    "self_check": ("_selfcheck", "self_check"),
    "selfcheck_sheet": ("_selfcheck", "sheet"),
    "Settlement": ("_settlement", "Settlement"),
    "settle": ("_settlement", "settle"),
    "settlement_sheet": ("_settlement", "sheet"),
    "Unaccounted": ("_unaccounted", "Unaccounted"),
    "unaccounted": ("_unaccounted", "unaccounted"),
    "unaccounted_sheet": ("_unaccounted", "sheet"),
}
"""Each public name with the module and the name behind it, imported when first asked for, so
that a custody command (``where``, ``stock``, ``verify``) starts without the reports, and a
report loads ReportLab only when it makes a PDF."""


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for."""
    if name in _LAZY:
        from importlib import import_module

        module, attribute = _LAZY[name]
        value = getattr(
            import_module(module if "." in module else f"{__name__}.{module}"), attribute
        )
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Alert",
    "AnnualUsage",
    "Counts",
    "Cover",
    "Cutoff",
    "Deadline",
    "Export",
    "Forecast",
    "Holding",
    "Pin",
    "Quarter",
    "Reconciliation",
    "Record",
    "SelfCheck",
    "Settlement",
    "Sheet",
    "Unaccounted",
    "Uncollected",
    "Waiting",
    "alerts",
    "alerts_sheet",
    "annual_sheet",
    "annual_usage",
    "collection",
    "covers",
    "export",
    "forecast",
    "forecast_reasoning",
    "forecast_sheet",
    "holdings",
    "in_out_ledger",
    "load_counts",
    "load_thresholds",
    "proposals_sheet",
    "read",
    "receipt",
    "reconcile",
    "reconciliation_sheets",
    "render_pdf",
    "sealing_register",
    "self_check",
    "selfcheck_sheet",
    "settle",
    "settlement_sheet",
    "supplementary_order",
    "supplementary_shipment",
    "unaccounted",
    "unaccounted_sheet",
    "waiting",
]
