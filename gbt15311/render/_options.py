"""How to render: one frozen value passed whole, instead of the same keywords through every
renderer's signature (as httpx passes a ``Timeout``).

    >>> RenderOptions(mode="proof", parts=[1])  # doctest: +NORMALIZE_WHITESPACE
    RenderOptions(mode='proof', parts=(1,), carbon_set=False, stamp=True, printer=None,
    template=None)
    >>> RenderOptions(mode="draft")
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of overlay, proof, archive; got 'draft'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gbt15311.printers import PrinterProfile
    from gbt15311.templates import Template

__all__ = ["MODES", "Mode", "RenderOptions"]

Mode = Literal["overlay", "proof", "archive"]
MODES: tuple[Mode, ...] = ("overlay", "proof", "archive")


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer prints and how, the same for every licence of a batch.

    ``mode``: ``overlay`` (the data alone, for the pre-printed blank), ``proof`` or
    ``archive`` (the whole form). ``parts``: parts of the four-part set, one page each;
    ``carbon_set=True`` prints one page instead, for one pass through a carbon set.
    ``stamp=False`` leaves out the overlay's control stamp of the serial. ``printer``: a
    printer profile's correction. ``template``: the form template, else the bundled
    template of the licence's form. ESC/P prints the overlay in one pass: it reads
    ``stamp``, ``printer`` and ``template``, and refuses any other mode.
    """

    mode: Mode = "overlay"
    parts: tuple[int, ...] = (1, 2, 3, 4)
    carbon_set: bool = False
    stamp: bool = True
    printer: PrinterProfile | None = None
    template: Template | None = None

    def __init__(
        self,
        *,
        mode: Mode = "overlay",
        parts: Iterable[int] = (1, 2, 3, 4),
        carbon_set: bool = False,
        stamp: bool = True,
        printer: PrinterProfile | None = None,
        template: Template | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
        for name, value in (
            ("mode", mode),
            ("parts", tuple(parts)),
            ("carbon_set", carbon_set),
            ("stamp", stamp),
            ("printer", printer),
            ("template", template),
        ):
            object.__setattr__(self, name, value)
