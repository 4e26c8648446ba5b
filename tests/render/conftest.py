from __future__ import annotations

from pathlib import Path

import pytest

from gbt15311.grid import POINTS_PER_MM
from gbt15311.model import ImportLicence, load_licence
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
    return load_licence((EXAMPLES / "import-licence.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def mixed() -> ImportLicence:
    return load_licence((EXAMPLES / "mixed-units.json").read_text(encoding="utf-8"))
