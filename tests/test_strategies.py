"""The exported strategies, including st.from_type through Hypothesis' entry point."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gbt15311 import cells
from gbt15311.export_licence import ExportLicence
from gbt15311.model import ImportLicence
from gbt15311.strategies import texts


@given(st.from_type(ImportLicence))
@settings(max_examples=20, deadline=None)
def test_from_type_draws_validated_licences(licence: ImportLicence) -> None:
    assert isinstance(licence, ImportLicence)
    assert 1 <= len(licence.items) <= 5


@given(st.from_type(ExportLicence))
@settings(max_examples=20, deadline=None)
def test_from_type_draws_validated_export_licences(licence: ExportLicence) -> None:
    assert isinstance(licence, ExportLicence)
    assert licence.form == "export"


@given(st.integers(2, 40).flatmap(lambda width: st.tuples(st.just(width), texts(width))))
def test_texts_fit_their_width(case: tuple[int, str]) -> None:
    width, text = case
    assert text.strip()
    assert cells.cell_len(text) <= width
