"""Segmentation: a source's paragraphs → boilerplate + document units.

What differs between collections is data: a `Layout` (layout.py; presets in
pipeline/layouts/, `auto` in auto.py, blocks in edition.yaml). One segmenter
(engine.py) reads every layout and returns the same `Segmentation`, so the rest of the
pipeline never asks which layout a source had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..sources import Para, SourceText
from .layout import Layout

if TYPE_CHECKING:
    from ..config import Source


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
    meta: dict[str, str] = field(default_factory=dict)  # a file's YAML front matter: title, date, number

    span: tuple[int, int] | None = None  # the lines of a document that is a whole file

    @property
    def first(self) -> int:
        if self.span is not None:
            return self.span[0]
        paras = ([self.number_para] if self.number_para else []) + self.head + self.body
        return min(p.first for p in paras)

    @property
    def last(self) -> int:
        if self.span is not None:
            return self.span[1]
        paras = self.head + self.body
        return max(p.last for p in paras)


@dataclass
class Segmentation:
    units: list[Unit]
    boilerplate: list[Boilerplate]
    toc: list[Para] = field(default_factory=list)  # table-of-contents entries, for cross-checks
    flags: list[tuple[int, str]] = field(default_factory=list)
    layout: Layout | None = None


def layout_of(source: Source, src: SourceText | None = None) -> Layout:
    """The layout a source is segmented with: its block or preset, or, for `auto`, the
    one inferred from its text."""
    from .auto import infer
    from .layout import preset

    spec = source.layout
    if isinstance(spec, Layout):
        return spec
    if spec == "auto" or (spec is None and source.profile == "auto"):
        if src is None:
            raise ValueError("auto layout needs the source text")
        return infer(src)
    return preset(source.profile)


def encoding_of(source: Source) -> str:
    spec = source.layout
    if isinstance(spec, Layout):
        return spec.encoding
    if spec == "auto" or source.profile == "auto":
        return "auto"
    from .layout import preset

    return preset(source.profile).encoding


def with_furniture(layout: Layout, src: SourceText) -> Layout:
    """With `detect_running_heads`, the layout plus the running heads and page numbers that
    recur through this text (furniture.py), as patterns `inspect` prints."""
    if not layout.detect_running_heads:
        return layout
    from dataclasses import replace

    from .furniture import detect

    found = detect(src.lines)
    have = {p.pattern for p in layout.running_heads}
    heads = layout.running_heads + tuple(p for p in found.running_heads if p.pattern not in have)
    why = "; ".join(x for x in (layout.chosen, *found.why) if x)
    return replace(layout, running_heads=heads, page_numbers=layout.page_numbers or found.page_numbers,
                   detect_running_heads=False, chosen=why)


def segment_source(src: SourceText, source: Source, layout: Layout | None = None) -> Segmentation:
    from . import engine

    layout = with_furniture(layout or layout_of(source, src), src)
    seg = engine.segment(src, source, layout)
    seg.layout = layout
    return seg
