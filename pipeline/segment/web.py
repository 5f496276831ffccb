"""Segmenter for web pages (profile `web-page`): sources 000, 001, 002, 004.

A page is: a site header (title, navigation, collection data), the documents, and a
footer (attribution, site name, comment form). Documents start at a `No. NNN` line, at
a heading paragraph that opens with a document-type phrase, or — once per page — at a
date-led heading glued to the end of the previous document's source line (004:119).
"""

from __future__ import annotations

import re

from ..config import Source
from ..errors import EditionError
from ..recognise.headings import is_plain_heading_continuation, is_type_word_heading
from ..sources import Para, SourceText
from . import Boilerplate, Segmentation, Unit

NUMBER_LINE = re.compile(r"^No\.\s*(\d+)\s*$")
NAV_LINE = re.compile(r"\|.*\|")  # "Marx-Engels | Lenin | Stalin | Home Page"
HEADER_LINE = re.compile(r"^(Download PDF|Compiled by:|Collection of documents)", re.I)
FOOTER_LINE = re.compile(r"^(Read Also:|Leave a Reply|Your email address will not be published)")
# "Note from …", "G. V. Chicherin to I. V. Stalin", "From the Report of …": plain-line headings.
WEB_HEADING = re.compile(
    r"^(Note|Letter|Telegram|Radiogram|Memorandum|Record|Transmission|Report)\s+(from|of|to|by)\b"
    r"|^From (the|a)\s+(Report|Letter|Protocol|Record|Speech)\b"
    r"|^[A-Z]\.\s?[A-Z]\.\s[A-Z][a-z]+ to [A-Z]\.\s?[A-Z]\.\s[A-Z][a-z]+\s*$"
)
# 004:119: "… NKID, M. 1920. November 6, 1920, from Stalin report delivered at …"
GLUED_HEADING = re.compile(
    r"(?<=[.!?”ʺ\"] )(?=(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, \d{4}, from \w)"
)
# 000:96 "… d. 80, p. 278. 570": the number of a document the page does not contain.
DANGLING_NUMBER = re.compile(r"(?<=\. )(\d{3,4})\s*$")


def _is_heading(p: Para) -> bool:
    text = p.text.strip()
    return len(text) < 700 and (bool(WEB_HEADING.match(text)) or is_type_word_heading(text))


def _header_end(paras: list[Para]) -> int:
    """Index of the first paragraph after the site header (0 when the page has none)."""
    if not paras or not any(NAV_LINE.search(p.text) for p in paras[:3]):
        return 0
    i = 0
    while i < len(paras) and not _is_heading(paras[i]):
        p = paras[i]
        if not (NAV_LINE.search(p.text) or HEADER_LINE.match(p.text.strip()) or i < 4):
            break
        i += 1
    return i


def _footer_start(paras: list[Para], source: Source) -> int:
    """Index of the first footer paragraph (len(paras) when there is none)."""
    markers = {source.collection.title.lower()}
    if source.site:
        markers.add(source.site.lower())
    i = len(paras)
    while i > 0:
        text = paras[i - 1].text.strip()
        low = text.lower()
        if FOOTER_LINE.match(text) or (len(text) < 200 and any(m in low for m in markers)):
            i -= 1
            continue
        break
    return i


def segment(src: SourceText, source: Source) -> Segmentation:
    paras = src.paragraphs()
    boiler: list[Boilerplate] = []
    start = _header_end(paras)
    end = _footer_start(paras, source)
    if start:
        boiler.append(Boilerplate("site header and collection data", paras[0].first, paras[start - 1].last,
                                  "\n".join(p.text for p in paras[:start])))
    if end < len(paras):
        boiler.append(Boilerplate("footer: attribution, site name, comment form", paras[end].first,
                                  paras[-1].last, "\n".join(p.text for p in paras[end:])))
    body = paras[start:end]
    if not body:
        raise EditionError("no document found in this web page", path=str(src.path),
                           hint="check the source's profile in edition.yaml")
    flags: list[tuple[int, str]] = []

    # Split paragraphs at a glued heading (004:119) before looking for starts.
    split: list[Para] = []
    glued_starts: set[int] = set()
    for p in body:
        m = GLUED_HEADING.search(p.text)
        if m and "\n" not in p.text[m.start():]:
            split.extend([p.slice(0, m.start()), p.slice(m.start())])
            glued_starts.add(id(split[-1]))
            flags.append((p.first, "document boundary inside a line: a heading glued to the end of the "
                                   "previous document's source line was split off"))
        else:
            split.append(p)
    body = split

    # The dangling number at the very end (000:96) starts nothing: list it as boilerplate.
    last = body[-1]
    m = DANGLING_NUMBER.search(last.text)
    if m and "\n" not in last.text[m.start():]:
        body[-1] = last.slice(0, m.start())
        piece = last.slice(m.start())
        boiler.append(Boilerplate(f"dangling document number {m.group(1)} whose text the page lacks",
                                  piece.first, piece.last, piece.text, piece.col))
        flags.append((piece.first, f"number {m.group(1)} at the end of the page starts no document "
                                   "(its text is not on the page)"))

    units: list[Unit] = []
    i = 0
    while i < len(body):
        p = body[i]
        num = NUMBER_LINE.match(p.text.strip())
        is_start = bool(num) or _is_heading(p) or (i == 0) or id(p) in glued_starts
        if not is_start:
            units[-1].body.append(p)
            i += 1
            continue
        unit = Unit(head=[], body=[])
        if num:
            unit.number, unit.number_para = num.group(1), p
            i += 1
            if i >= len(body):
                break
            p = body[i]
        unit.head.append(p)
        i += 1
        # A heading spread over two paragraphs (000:25+27, 37+39, 68+70).
        if i < len(body) and is_plain_heading_continuation(p.text.strip(), body[i].text.strip()):
            unit.head.append(body[i])
            i += 1
        if not num:
            what = "headless fragment: the page starts inside a document" if not units and start == 0 \
                else "unnumbered document: boundary inferred from its heading"
            unit.flags.append((p.first, what))
        units.append(unit)
    return Segmentation(units=units, boilerplate=boiler, flags=flags)
