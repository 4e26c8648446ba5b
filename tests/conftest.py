from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def examples() -> Path:
    """The example licences shipped with the project."""
    return Path(__file__).parent.parent / "examples"
