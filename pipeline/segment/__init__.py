"""Segmentation: a source's paragraphs → boilerplate + document units.

Each profile (web page, markdown from PDF) is one module with one `segment` function;
both return the same `Segmentation`, so the rest of the pipeline never asks which
profile a source had.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sources import Para


@dataclass(frozen=True)
class Boilerplate:
    """Text that is not part of any document, with why it was dropped."""

    kind: str  # "site header", "comment form", "title page", "table of contents", ...
    first: int
    last: int
    text: str
    col: int = 0


@dataclass
class Unit:
    """One document as found in the source: its heading paragraphs and its content."""

    head: list[Para]
    body: list[Para]
    number: str | None = None
    number_para: Para | None = None
    flags: list[tuple[int, str]] = field(default_factory=list)  # (line, what the editor should check)

    @property
    def first(self) -> int:
        paras = ([self.number_para] if self.number_para else []) + self.head + self.body
        return min(p.first for p in paras)

    @property
    def last(self) -> int:
        paras = self.head + self.body
        return max(p.last for p in paras)


@dataclass
class Segmentation:
    units: list[Unit]
    boilerplate: list[Boilerplate]
    toc: list[Para] = field(default_factory=list)  # table-of-contents entries, for cross-checks
    flags: list[tuple[int, str]] = field(default_factory=list)
