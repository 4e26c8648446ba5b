"""Import and export blanks at one window: each licence prints on a blank of its own form."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from ledgerkit import snapshot

from gbt15311 import custody
from gbt15311.exceptions import Refused
from gbt15311.forms import Licence
from gbt15311.loading import load_licence

EXAMPLES = Path(__file__).parents[2] / "examples"
FORMS = {"IL": "import", "EL": "export"}


@pytest.fixture
def both(stocked: custody.Ledger) -> custody.Ledger:
    """Window T1 holds import blanks (IL, from 00000001) and export blanks (EL, 00000501..)."""
    custody.add_type(stocked, "EL", "出口许可证", serial_width=8, by="wang")
    custody.receive_shipment(
        stocked,
        office="SH",
        shipment="W-E1",
        boxes_found=[custody.Box("E1", "00000501", "00000600", type="EL")],
        checkers=["li", "zhao"],
        by="li",
    )
    custody.issue_out(
        stocked, box="E1", terminal="T1", by="li", receiver="chen", head="wang", count=10, type="EL"
    )
    return stocked


def _licence(name: str) -> Licence:
    return load_licence((EXAMPLES / name).read_bytes())


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


def test_each_form_prints_on_a_blank_of_the_type_bound_to_it(both: custody.Ledger) -> None:
    exported = custody.issue_licence(
        both, _licence("export-licence.json"), terminal="T1", printer=lambda pdf: None, forms=FORMS
    )
    assert (exported.type, exported.serial) == ("EL", "00000501")
    imported = custody.issue_licence(
        both, _licence("import-licence.json"), terminal="T1", printer=lambda pdf: None, forms=FORMS
    )
    assert (imported.type, imported.serial) == ("IL", "00000001")
    assert "26SHEX-DE0417-003" in _text(exported.pdf)  # laid out on the export form
    assert custody.where(both, "00000501").licence_no == "26-SH-004512"


@pytest.mark.parametrize(
    ("name", "type", "message"),
    [
        ("export-licence.json", "IL", "of the export form; blanks of type IL are for the import"),
        ("import-licence.json", "EL", "of the import form; blanks of type EL are for the export"),
        ("export-licence.json", "XX", "blanks of type XX are for the unbound form"),
    ],
)
def test_a_licence_on_the_other_forms_blank_is_refused_before_anything_is_reserved(
    both: custody.Ledger, name: str, type: str, message: str
) -> None:
    before = snapshot(both)
    printed: list[bytes] = []
    with pytest.raises(Refused, match=message):
        custody.issue_licence(
            both, _licence(name), terminal="T1", printer=printed.append, type=type, forms=FORMS
        )
    assert printed == []
    assert snapshot(both) == before


def test_a_form_bound_to_no_type_is_refused(both: custody.Ledger) -> None:
    before = snapshot(both)
    with pytest.raises(Refused, match="no type is bound to that form"):
        custody.issue_licence(
            both,
            _licence("export-licence.json"),
            terminal="T1",
            printer=lambda pdf: None,
            forms={"IL": "import"},
        )
    assert snapshot(both) == before
