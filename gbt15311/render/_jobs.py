"""What a batch renders: licences, each alone or with the serial of its blank, on one template."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from gbt15311.exceptions import Gbt15311Error
from gbt15311.forms import Licence
from gbt15311.templates import Template, default_template

Job = Licence | tuple[Licence, str | None]
"""A licence, or a licence and the serial of the blank it goes onto."""


def with_template(jobs: Iterable[Job], template: Template | None) -> tuple[Template, Iterator[Job]]:
    """The template a batch prints on, ``template`` or else the bundled template of its first
    licence's form, and the jobs, the first one still in them. A batch is of one form: a
    licence of another is refused when it is laid out, naming it."""
    jobs = iter(jobs)
    first = next(jobs, None)
    if first is None:
        raise Gbt15311Error("nothing to render: the batch has no licence")
    if template is None:
        licence = first[0] if isinstance(first, tuple) else first
        template = default_template(licence.form)
    return template, itertools.chain([first], jobs)
