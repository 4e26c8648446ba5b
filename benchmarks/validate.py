"""Licences validated per second, against a bare pydantic model with the same fields (the floor).

Both run in this process on the same inputs, round after round, so a noisy machine slows both
alike; the figures are medians and the ratio is per round. Two input sets: the examples repeated
(issuing traffic repeats importers, units and countries, and validation caches per value) and
licences that differ in every name and number (no cache helps). The examples include a USCC, an
``iso:`` country and the 备注 clauses of a next-year licence, so the issuing rules
(validity policy, clauses fitting 备注) are measured too. Target: >= 40,000 licences/s and
within 3x of the floor.

    .venv/bin/python benchmarks/validate.py
"""

from __future__ import annotations

import copy
import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gbt15311.loading import load_licence

EXAMPLES = Path(__file__).parent.parent / "examples"
ROUNDS = 15
PER_ROUND = 3000


class _Name(BaseModel):
    name: str | list[str]
    code: str | None = None


class _Item(BaseModel):
    specification_in_remarks: bool = False
    specification: str | list[str]
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal | None = None
    amount_usd: Decimal


class _Clauses(BaseModel):
    multiple_use: bool = False
    next_year: bool = False
    original_licence_no: str | None = None
    text: str | list[str] = ""


class BareLicence(BaseModel):
    """The same fields and types, none of the rules: what pydantic costs by itself."""

    licence_no: str
    importer: _Name
    consignee: _Name
    expiry_date: date
    trade_mode: _Name
    foreign_exchange: str
    place_of_clearance: _Name
    country_of_exportation: str
    country_of_origin: str
    use_of_goods: str
    goods: dict[str, str]
    currency: str
    items: list[_Item]
    remarks: str | list[str] | _Clauses
    licence_date: date


def _per_second(validate: Callable[[Any], object], inputs: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for data in inputs:
        validate(data)
    return len(inputs) / (time.perf_counter() - start)


def _distinct(samples: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Licences that differ in every name, number and amount, so no cache can help."""
    inputs = []
    for i in range(count):
        data = copy.deepcopy(samples[i % len(samples)])
        data["licence_no"] = f"26-AA-{i:06d}"
        data["importer"]["name"] = f"第{i}号进出口贸易有限公司"
        data["consignee"]["name"] = f"上海第{i}机床厂"
        data["goods"]["description"] = f"立式加工中心 型{i}"
        if isinstance(data["remarks"], dict):
            data["remarks"]["text"] = f"第{i}批"
        else:
            data["remarks"] = f"第{i}批"
        for item in data["items"]:
            item["specification"] = f"VMC-{i} 三轴"
            item["unit_price"] = str(Decimal(item["unit_price"]) - Decimal(i % 97) / 100)
            item.pop("amount", None)
        inputs.append(data)
    return inputs


def _compare(label: str, inputs: list[dict[str, Any]]) -> None:
    load_licence(inputs[0])  # warm: code tables, font coverage
    ours, floor, ratios = [], [], []
    for _ in range(ROUNDS):
        rate = _per_second(load_licence, inputs)
        bare = _per_second(BareLicence.model_validate, inputs)
        ours.append(rate)
        floor.append(bare)
        ratios.append(bare / rate)
    print(f"{label}: {len(inputs)} licences a round, {ROUNDS} rounds")
    print(f"  gbt15311 load_licence  median {statistics.median(ours):>10,.0f} licences/s")
    print(f"  bare pydantic (floor)  median {statistics.median(floor):>10,.0f} licences/s")
    print(f"  floor / ours           median {statistics.median(ratios):>10.2f}x")


def main() -> None:
    examples = [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    samples = [s for s in examples if s.get("form", "import") == "import"]  # the floor's fields
    print("target: >= 40,000 licences/s, within 3x of the floor")
    _compare("the examples, repeated", [samples[i % len(samples)] for i in range(PER_ROUND)])
    _compare("every licence different", _distinct(samples, PER_ROUND))


if __name__ == "__main__":
    main()
