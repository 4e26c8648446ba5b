"""The codes package exports exactly its documented modules, each with the same verbs."""

from __future__ import annotations

import pytest

import gbt15311.codes as codes

MODULES = [
    "commodity",
    "country",
    "currency",
    "customs_district",
    "enterprise",
    "licence_no",
    "trade_mode",
    "units",
]


def test_exports() -> None:
    assert sorted(codes.__all__) == MODULES
    for name in MODULES:
        assert f"``{name}``" in (codes.__doc__ or "")


@pytest.mark.parametrize("name", MODULES)
def test_verbs(name: str) -> None:
    module = getattr(codes, name)
    for verb in ("compact", "validate", "is_valid", "format"):
        assert callable(getattr(module, verb)), f"{name}.{verb}"
        assert verb in module.__all__
    assert sorted(module.__all__) == sorted(set(module.__all__))
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.{exported}"
