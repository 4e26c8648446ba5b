"""Hypothesis' entry point: ``st.from_type(ImportLicence)`` and ``st.from_type(ExportLicence)``
draw valid licences of each form.

Hypothesis calls the hook while it is being imported, possibly from inside the import of
``gbt15311.strategies`` itself, so the strategy is looked up only when first drawn.
"""

from __future__ import annotations

import importlib


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from gbt15311.export_licence import ExportLicence
    from gbt15311.model import ImportLicence

    st.register_type_strategy(
        ImportLicence,
        st.deferred(lambda: importlib.import_module("gbt15311.strategies").licences()),
    )
    st.register_type_strategy(
        ExportLicence,
        st.deferred(lambda: importlib.import_module("gbt15311.strategies").export_licences()),
    )
