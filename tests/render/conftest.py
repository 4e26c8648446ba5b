from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import strategies as st

from gbt15311.export_licence import ExportLicence
from gbt15311.forms import FORMS, Licence
from gbt15311.grid import POINTS_PER_MM
from gbt15311.loading import load_licence
from gbt15311.model import ImportLicence
from gbt15311.templates import Template, default_template

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
K = float(POINTS_PER_MM)
TOLERANCE_MM = 0.2


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Printer profiles of the tests go to a temporary configuration directory."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture(scope="session")
def template() -> Template:
    return default_template()


@pytest.fixture(scope="session")
def licence() -> ImportLicence:
    return load_licence(
        (EXAMPLES / "import-licence.json").read_text(encoding="utf-8"), form="import"
    )


@pytest.fixture(scope="session")
def mixed() -> ImportLicence:
    return load_licence((EXAMPLES / "mixed-units.json").read_text(encoding="utf-8"), form="import")


@pytest.fixture(scope="session")
def export_licence() -> ExportLicence:
    text = (EXAMPLES / "export-licence.json").read_text(encoding="utf-8")
    return load_licence(text, form="export")


def valid_licences(form: str) -> st.SearchStrategy[Licence]:
    """Valid licences of ``form``, as Hypothesis draws them for its model."""
    return st.from_type(FORMS[form].model)


BOTH_FORMS = pytest.mark.parametrize("form", list(FORMS))
"""A test of valid licences runs for every form."""


@pytest.fixture(autouse=True)
def archives_are_checked_as_pdfa(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every archive PDF the suite makes is checked with pikepdf's PDF/A-2b validator, apart
    from the check the library makes itself."""
    import pikepdf
    import pikepdf.pdfa

    from gbt15311 import pdfa as module
    from gbt15311.render import _batch as batch
    from gbt15311.render import _document as document

    original = module.pdfa

    def checked(pdf: Any, info: Any, out: IO[bytes]) -> None:
        written = io.BytesIO()
        original(pdf, info, written)
        with pikepdf.open(io.BytesIO(written.getvalue())) as archive, module.no_collection():
            report = pikepdf.pdfa.check(archive, "2b")
            assert report.verdict == "pass", report.findings
        out.write(written.getvalue())

    monkeypatch.setattr(document, "pdfa", checked)
    monkeypatch.setattr(batch, "pdfa", checked)
