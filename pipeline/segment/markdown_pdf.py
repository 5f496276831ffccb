"""Segmenter for books converted from PDF to markdown (profile `markdown-from-pdf`): 003.

A book is: title pages and source data, a `## CONTENTS` table, the documents (each
starting at a heading paragraph, PHENOMENA §2.4), year dividers between them, and back
matter (a top-level `# ` heading after the last document, with the licence lines).
"""

from __future__ import annotations

import re

from ..config import Source
from ..errors import EditionError
from ..recognise.headings import is_bold_heading, is_bold_heading_continuation
from ..sources import Para, SourceText
from . import Boilerplate, Segmentation, Unit

CONTENTS = re.compile(r"^#+\s*\**\s*CONTENTS\b", re.I)
YEAR_DIVIDER = re.compile(r"^\*\*\s*(1[89]\d\d)\s*\*\*$")
BACK_MATTER = re.compile(r"^#\s+\S")  # a top-level heading: the book's own apparatus
SOURCE_LINE = re.compile(r"^Source\b.{0,80}$")


def _joined(paras: list[Para]) -> str:
    return "\n".join(p.text for p in paras)


def segment(src: SourceText, source: Source) -> Segmentation:
    paras = src.paragraphs()
    if not paras:
        raise EditionError("the source has no text", path=str(src.path))
    boiler: list[Boilerplate] = []
    toc: list[Para] = []

    contents = next((i for i, p in enumerate(paras) if CONTENTS.match(p.text.strip())), None)
    search_from = contents + 1 if contents is not None else 0
    first = next((i for i in range(search_from, len(paras)) if is_bold_heading(paras[i].text)), None)
    if first is None:
        raise EditionError("no document heading found in this book", path=str(src.path),
                           hint="headings are bold paragraphs naming a document type (Telegram, Note, "
                                "Letter, Record …); check the source's profile in edition.yaml")
    front_end = contents if contents is not None else first
    if front_end > 0:
        boiler.append(Boilerplate("title pages and source data", paras[0].first, paras[front_end - 1].last,
                                  _joined(paras[:front_end])))
    if contents is not None:
        toc = paras[contents + 1:first]
        boiler.append(Boilerplate("table of contents", paras[contents].first, paras[first - 1].last,
                                  _joined(paras[contents:first])))

    back = len(paras)
    for i in range(len(paras) - 1, first, -1):
        if BACK_MATTER.match(paras[i].text.strip()):
            back = i
            break
    if back < len(paras) and back - 1 > first and SOURCE_LINE.match(paras[back - 1].text.strip()):
        back -= 1
    if back < len(paras):
        boiler.append(Boilerplate("back matter and licence", paras[back].first, paras[-1].last,
                                  _joined(paras[back:])))

    units: list[Unit] = []
    i = first
    while i < back:
        p = paras[i]
        text = p.text.strip()
        if YEAR_DIVIDER.match(text):
            boiler.append(Boilerplate("year divider", p.first, p.last, p.text))
            i += 1
            continue
        if is_bold_heading(p.text):
            unit = Unit(head=[p], body=[])
            i += 1
            while i < back and is_bold_heading_continuation(_joined(unit.head), paras[i].text):
                unit.head.append(paras[i])
                i += 1
            unit.flags.append((p.first, "unnumbered document: boundary inferred from its heading"))
            units.append(unit)
            continue
        units[-1].body.append(p)
        i += 1
    boiler.sort(key=lambda b: b.first)
    return Segmentation(units=units, boilerplate=boiler, toc=toc)
