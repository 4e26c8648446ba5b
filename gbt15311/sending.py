"""Sending printed bytes to where they print: a file, a printer device, or a CUPS queue.

A ``Sender`` is written ``file:PATH``, ``device:PATH`` or ``cups:QUEUE``. ``check`` says
before a blank is reserved whether the destination can be used at all; ``send`` delivers one
job and raises ``PrinterFailed`` naming the destination and the cause when it cannot.
A PDF goes to CUPS at actual size (scaling off); ESC/P2 goes raw, past any driver.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from gbt15311.exceptions import PrinterFailed
from gbt15311.replacing import NOT_A_FILE, is_not_a_file, replacing

__all__ = ["CUPS_PDF_OPTIONS", "Sender"]

Kind = Literal["file", "device", "cups"]
KINDS: tuple[Kind, ...] = get_args(Kind)

CUPS_PDF_OPTIONS = ("-o", "print-scaling=none", "-o", "fit-to-page=false")
"""A PDF at actual size: ``print-scaling=none`` for CUPS 2 and its filters, ``fit-to-page``
off for older filters that still read it."""
CUPS_RAW_OPTIONS = ("-o", "raw")
"""ESC/P2 bytes straight to the printer: no filter, no driver."""
_CUPS_TIMEOUT_S = 60


@dataclass(frozen=True)
class Sender:
    """Where a job goes: a file (replaced whole), a device opened for writing, a CUPS queue."""

    kind: Kind
    target: str

    @classmethod
    def parse(cls, text: str) -> Sender:
        """``file:PATH``, ``device:PATH`` or ``cups:QUEUE``; anything else is refused."""
        kind, colon, target = text.partition(":")
        if not colon or kind not in KINDS:
            raise PrinterFailed(
                f"{text!r}: write the destination as file:PATH, device:PATH or cups:QUEUE"
            )
        if not target.strip() or target != target.strip() or "\x00" in target:
            raise PrinterFailed(f"{text!r}: the {kind} to send to is blank or malformed")
        if kind == "cups" and (target.startswith("-") or any(c.isspace() for c in target)):
            raise PrinterFailed(f"{text!r}: {target!r} is not a CUPS queue name")
        return cls(kind, target)

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"

    def check(self) -> None:
        """Refuse a destination that cannot take a job, before a blank is spent on it."""
        path = Path(self.target)
        if self.kind == "file":
            if path.is_dir():
                raise PrinterFailed(f"{self}: is a folder; give the name of the file to write")
            if not path.parent.is_dir():
                raise PrinterFailed(f"{self}: the folder {path.parent} does not exist")
            if is_not_a_file(path):
                raise PrinterFailed(f"{self}: {NOT_A_FILE}; write device:{self.target}")
        elif self.kind == "device":
            if not path.exists():
                raise PrinterFailed(f"{self}: no such device; is the printer plugged in?")
            if not os.access(path, os.W_OK):
                raise PrinterFailed(f"{self}: not writable by this user")
        elif shutil.which("lp") is None:
            raise PrinterFailed(f"{self}: CUPS is not installed here (no 'lp' command)")
        elif shutil.which("lpstat") is not None:
            self._refuse_unknown_queue()

    def send(self, data: bytes, *, raw: bool) -> None:
        """Deliver one job; ``raw`` for printer language (ESC/P2), else a PDF."""
        try:
            if self.kind == "file":
                with replacing(Path(self.target)) as out:
                    out.write(data)
            elif self.kind == "device":
                _write_device(Path(self.target), data)
            else:
                self._lp(data, raw=raw)
        except OSError as error:
            raise PrinterFailed(f"sending to {self} failed: {error.strerror or error}") from error

    def _refuse_unknown_queue(self) -> None:
        """``lpstat -p QUEUE`` fails for a queue CUPS does not have (or a scheduler that is
        down): a typo in the queue's name would otherwise spoil a blank."""
        try:
            done = subprocess.run(
                ["lpstat", "-p", self.target],
                capture_output=True,
                timeout=_CUPS_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrinterFailed(f"{self}: CUPS cannot be asked about the queue: {error}") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise PrinterFailed(f"{self}: CUPS cannot print there: {said}")

    def _lp(self, data: bytes, *, raw: bool) -> None:
        options = CUPS_RAW_OPTIONS if raw else CUPS_PDF_OPTIONS
        try:
            done = subprocess.run(
                ["lp", "-d", self.target, *options, "-"],
                input=data,
                capture_output=True,
                timeout=_CUPS_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrinterFailed(
                f"sending to {self} failed: lp did not answer in {_CUPS_TIMEOUT_S} s"
            ) from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise PrinterFailed(f"sending to {self} failed: {said}")


def _write_device(path: Path, data: bytes) -> None:
    """Open the device as it is (never creating a file in its place) and write every byte."""
    descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "wb") as device:
        device.write(data)
