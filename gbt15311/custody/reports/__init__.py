"""The custody rules' paperwork, made from the ledger's events up to a cut-off: the six
registers as PDFs, the quarterly reconciliation, the annual usage report, the demand
forecast, working-day deadlines, retention and the inspection self-check.

One module per concern; each report is a pure function of the events it reads
(``source.read``), so the same cut-off gives the same report, and the same PDF bytes.
See docs/custody-reports.md.
"""
