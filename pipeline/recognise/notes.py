"""Recognise note texts, the compilers' editorial remarks and cross-references to other documents.

All functions are pure and work on the text of one paragraph (hard-break lines joined by the
caller); they return character spans into that text, so the caller can cut it losslessly.

* ``split_note_paragraph``: a paragraph that *is* one or more note texts, each opened by its
  marker: ``\\* see doc. No. 187``, ``* see doc. No. 187``, several notes on one
  line, ``[1] …``, ``<sup>1</sup> …``, ``oneWe are …``
  (the number written as a word fused to the text).  A label line (``*Document note:*``,
  ``Notes:``) gives ``[]``; anything else ``None``.
* ``split_glued_notes``: note texts glued to the end of a body paragraph.
* ``find_remarks``: compilers' remarks such as ``(Emphasis added – Y.B.)``.
* ``find_doc_refs``: ``see doc. No. 187`` and its OCR-damaged variants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import markers as mk


@dataclass(frozen=True)
class NoteText:
    """One note inside a paragraph: ``para[start:text_start]`` is the marker (plus the space
    after it), ``para[text_start:end]`` the note body (trailing whitespace excluded)."""

    n: str  # normalised like inline.Marker.n: "*", "**", "1"
    printed_marker: str  # as printed: "\\*\\*", "*", "[1]", "<sup>1</sup>", "one"
    start: int
    end: int
    text_start: int
    system: str = ""  # "star" | "bracket" | "sup" | "word" | an optional style of markers.py


@dataclass(frozen=True)
class Remark:
    start: int
    end: int
    kind: str  # see _REMARKS
    resp: str | None  # initials of the compiler when printed ("Y.B."), else None


@dataclass(frozen=True)
class DocRef:
    start: int
    end: int
    target_doc: str | None  # first readable document number ("187"), None when garbled/absent
    volume: str | None  # volume of the source collection, roman numerals upper-cased ("XIX")
    printed: str
    kind: str = "doc"  # "doc" | "note" | "newspaper" | "minutes"
    targets: tuple[str, ...] = ()  # every readable number: ("337", "413", "422"); note numbers too


# --- note paragraphs ---------------------------------------------------------------------------

# Label lines that announce notes without being one: "*Document note:*", "Notes:".
_NOTE_LABEL = re.compile(r"\s*\*?(?:Document note|Notes?)\s*:\s*\*?\s*", re.IGNORECASE)

# A marker opening a note paragraph.  Bare stars need a following space, otherwise "*Georgy
# Chicherin.*" (an italic signature) would be a note; "\* \* \*" is a separator, not a note.
_LEAD_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # A transcriber's footnote block: "[Footnote 26: On the 15th …]"; the closing bracket
    # belongs to the block, not to the note's text.
    ("footnote", re.compile(r"(?P<m>\[(?:Footnote|Note|Fn\.?)\s*(?P<n>\d{1,3}|\*{1,3})\s*[:.])\s*", re.I)),
    ("star", re.compile(r"(?P<m>(?:\\\*){1,5})(?!\s*\\\*)\s*(?=\S)")),
    ("star", re.compile(r"(?P<m>\*{1,5})\s+(?=\S)")),
    ("bracket", re.compile(r"(?P<m>\[(?P<n>\d{1,3})\])\s*")),
    ("sup", re.compile(r"(?P<m><sup>(?P<n>\d{1,3}|(?:\\\*){1,5})</sup>)\s*")),
)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
# "oneWe are talking …": a number word fused to the capital that starts the note.
_WORD_MARKER = re.compile(r"(?P<m>" + "|".join(_NUMBER_WORDS) + r")(?=[A-Z])")

_DIGITS = re.compile(r"\d+")

# Further markers of the same system later in the same paragraph, after whitespace.
_NEXT_MARKER = {
    "star": re.compile(r"(?<=\s)(?P<m>(?:\\\*){1,5}|\*{1,5})\s+(?=\S)"),
    "bracket": re.compile(r"(?<=\s)(?P<m>\[(?P<n>\d{1,3})\])\s*"),
    "sup": re.compile(r"(?<=\s)(?P<m><sup>(?P<n>\d{1,3})</sup>)\s*"),
}


def is_note_label(para: str) -> bool:
    """True for a line that only announces notes ("*Document note:*", "Notes:")."""
    return _NOTE_LABEL.fullmatch(para) is not None


def split_note_paragraph(para: str, styles: frozenset[str] = frozenset()) -> list[NoteText] | None:
    """The notes a note paragraph consists of; ``[]`` for a label line, ``None`` otherwise.

    Several notes may share the paragraph; a later marker only starts a new note if it belongs
    to the same system and its number is higher than the previous one ("\\*", "\\*\\*", …), so
    a stray star inside a note text does not split it. ``styles``: the optional marker styles
    the source uses (markers.py), whose signs may open a note text too (``^1 …``, ``(1) …``,
    ``¹ …``, ``[^1]: …``, ``† …``).
    """
    if is_note_label(para):
        return []
    lead = _lead_marker(para)
    if lead is None:
        return _optional_lead(para, styles) if styles else None
    system, m = lead
    starts = [(m.start("m"), m.end(), m.group("m"), _marker_n(m.group("m")))]
    if system in _NEXT_MARKER:
        for nm in _NEXT_MARKER[system].finditer(para, m.end()):
            n = _marker_n(nm.group("m"))
            if _is_higher(n, starts[-1][3]) and _same_style(nm.group("m"), starts[0][2]):
                starts.append((nm.start("m"), nm.end(), nm.group("m"), n))
    return _note_texts(para, starts, system)


def _optional_lead(para: str, styles: frozenset[str]) -> list[NoteText] | None:
    """A note paragraph opened by the sign of one of the optional styles; further notes of
    the same style follow on new lines, each with a later sign."""
    for style, rx in mk.LEAD.items():
        if style not in styles:
            continue
        m = rx.match(para)
        if m is None:
            continue
        starts = [(m.start("m"), m.end(), m.group("m"), mk.lead_n(style, m))]
        for nm in mk.NEXT[style].finditer(para, m.end()):
            n = mk.lead_n(style, nm)
            if _is_later(n, starts[-1][3]):
                starts.append((nm.start("m"), nm.end(), nm.group("m"), n))
        return _note_texts(para, starts, style)
    return None


def _is_later(n: str, previous: str) -> bool:
    if n.isdigit() and previous.isdigit():
        return int(n) > int(previous)
    if mk.symbol_rank(n) >= 0 and mk.symbol_rank(previous) >= 0:
        return mk.symbol_rank(n) > mk.symbol_rank(previous)
    return n != previous  # markdown footnote labels need not be numbers


def _lead_marker(para: str) -> tuple[str, re.Match[str]] | None:
    for system, rx in _LEAD_MARKERS:
        m = rx.match(para)
        if m is not None:
            return system, m
    m = _WORD_MARKER.match(para)
    return ("word", m) if m is not None else None


def _marker_n(printed_marker: str) -> str:
    if printed_marker in _NUMBER_WORDS:
        return _NUMBER_WORDS[printed_marker]
    digits = _DIGITS.search(printed_marker)
    return digits.group() if digits else "*" * printed_marker.count("*")


def _is_higher(n: str, previous: str) -> bool:
    if n.isdigit() and previous.isdigit():
        return int(n) > int(previous)
    return n.startswith("*") and previous.startswith("*") and len(n) > len(previous)


def _same_style(printed_marker: str, first: str) -> bool:
    """An escaped-star note line continues with escaped stars, a bare-star one with bare stars."""
    return printed_marker.startswith("\\") == first.startswith("\\")


def _note_texts(
    para: str, starts: list[tuple[int, int, str, str]], system: str
) -> list[NoteText]:
    notes: list[NoteText] = []
    for i, (start, text_start, printed_marker, n) in enumerate(starts):
        limit = starts[i + 1][0] if i + 1 < len(starts) else len(para)
        end = len(para[:limit].rstrip())
        if system == "footnote" and para[:end].endswith("]") and \
                para[text_start:end].count("]") > para[text_start:end].count("["):
            end = len(para[:end - 1].rstrip())
        notes.append(NoteText(n, printed_marker, start, max(end, text_start), text_start, system))
    return notes


# --- notes glued to the end of a body paragraph ------------------------------------------

# "… Copy. (Emphasis added – Y.B.) *This sentence is underlined …": a bare star run after the
# end of a sentence or a bracket and a space, with the note text starting right after it.  A
# star glued to a word ("Kemal’s*") or ending the paragraph ("marked *") is not a note start.
_GLUED_NOTE = re.compile(r"(?<=[.)”\"»])\s+(?P<m>\*{1,5})(?=[A-Z“\"])")
_BARE_STARS = re.compile(r"(?<![\\*])\*+")


def split_glued_notes(para: str) -> tuple[int, list[NoteText]]:
    """Note texts glued at the end of a body paragraph.

    Returns the index where the first glued note's marker starts (``len(para)`` when there is
    none; the body is ``para[:index].rstrip()``) and the notes, in order.  Later notes must have
    longer star runs than earlier ones ("*…", "**…").  Every bare star after the first note must
    itself start a note: otherwise the star run is a markdown emphasis delimiter
    ("… house. **More sincerely …**"), not a note marker.
    """
    candidates = list(_GLUED_NOTE.finditer(para))
    for i, first in enumerate(candidates):
        starts: list[tuple[int, int, str, str]] = []
        for m in candidates[i:]:
            n = "*" * len(m.group("m"))
            if not starts or len(n) > len(starts[-1][3]):
                starts.append((m.start("m"), m.end("m"), m.group("m"), n))
        marker_starts = {s[0] for s in starts}
        later_stars = (r.start() for r in _BARE_STARS.finditer(para, first.start("m")))
        if all(pos in marker_starts for pos in later_stars):
            return starts[0][0], _note_texts(para, starts, "star")
    return len(para), []


# --- editorial remarks ------------------------------------------------------------------------

# (kind, pattern); a group named "resp" holds the compiler's initials when printed.
_REMARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "(Emphasis added – Y.B.)"
    ("emphasis-added",
     re.compile(r"\(\s*Emphasis added\s*(?:[–—-]\s*(?P<resp>(?:[A-Z]\.\s?){1,3}))?\s*\)", re.I)),
    ("underlined", re.compile(r"This sentence is underlined in the original(?: document)?\.?", re.I)),
    # "The document mistakenly reads “begins.”"
    ("mistake", re.compile(r"The document mistakenly reads\s*[“\"][^”\"]*[”\"]\.?", re.I)),
    # "Article 4 is mistakenly indicated in the original."
    ("mistake", re.compile(r"(?:\b[A-Z][a-z]*\s+\w+\s+)?is mistakenly indicated in the original\.?")),
    # "[1] the text is wrong - to the ambassador." (the reading after the dash)
    ("mistake", re.compile(r"\bthe text is wrong\s*[-–—]\s*[^.\n]*\.?", re.I)),
    # "**Ellipsis in the original text."
    ("ellipsis-original", re.compile(r"\bEllipsis in the original(?: text)?\.?", re.I)),
    # "\* so, in the document." (Russian "так в документе" = sic)
    ("sic", re.compile(r"\bso,? in the (?:document|original)\b\.?", re.I)),
    # "\*\* in the original - entre les governments (between governments)."
    ("original-reading", re.compile(r"\bin the original\s*[-–—]\s*[^\n]*?(?:\.(?=\s|$)|$)", re.I)),
    # "… (note, doc.)": the note belongs to the document itself, not to the compilers.
    ("document-note", re.compile(r"\(\s*note,?\s*doc\.?\s*\)", re.I)),
    # A transcriber's description of what the text cannot reproduce, inside its brackets:
    # "[Music: Treble clef.]", "[Illustration: A map.]" (a label in title case, then a colon).
    ("description", re.compile(r"(?<=\[)[A-Z][a-z’']+(?: [A-Za-z’']+){0,2}: [^\[\]\n]{1,400}(?=\])")),
    # the compilers describe marks on the archival original.
    ("archival-description", re.compile(r"^(?:Note|Marked):?\s*“[^”]*”")),
)


def find_remarks(text: str) -> list[Remark]:
    """Editorial remarks of the compilers in ``text``, in order, without overlaps."""
    found: list[Remark] = []
    for kind, rx in _REMARKS:
        for m in rx.finditer(text):
            resp = m.groupdict().get("resp")
            found.append(Remark(m.start(), m.end(), kind, resp.strip() if resp else None))
    return _without_overlaps(sorted(found, key=lambda r: (r.start, -r.end)))


def _without_overlaps(remarks: list[Remark]) -> list[Remark]:
    kept: list[Remark] = []
    for r in remarks:
        if not kept or r.start >= kept[-1].end:
            kept.append(r)
    return kept


# --- references to other documents --------------------------------------------------------------

# "see", "See", "see." and the Russian "см." transliterated as "cm.".
_LEAD = r"(?<![A-Za-z])(?:see|cm)\.?\s*"
# OCR renderings of "№" in front of a number: No, Ne, Le, Chg, L ", L?, M, lq, Jtè.
_SIGN = r"(?:(?:Nos?|Ne|Le|Chg|Jtè|lq|L|M|N|№)\.?[\s\"'?]{0,3})?"
_NUMS = r"(?P<nums>\d+(?:-?[a-z])?(?:,\s*\d+\b)*)"
_GARBLED = r"(?P<garbled>\.[\d. ]*\d)"
_DOC_REF = re.compile(
    _LEAD
    + r"""(?:
        (?P<minutes>minutes\s+of\s+[^()\n]*?\s*\((?P<paren>[^)]*)\))
      | vol\.?\s*(?P<vol>[IVXLC]+\b|\d+),?\s*(?:document|doc\.?)\s*(?:""" + _GARBLED + "|" + _SIGN
    + _NUMS.replace("nums", "vnums") + r""")?
      | (?:document|doc\.?)\s*(?:""" + _GARBLED.replace("garbled", "dgarbled") + "|" + _SIGN
    + _NUMS.replace("nums", "dnums") + r""")?
      | (?:note|approx\.)\s*(?P<note>\d+)
      | (?P<gas>gas\.\s*[^\n]*?\b1[89]\d\d\b(?:\s+city\s+of)?)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_PAREN_VOLUME = re.compile(r"\bt\.\s*(?P<vol>[IVXLC]+\b|\d+)", re.I)
_PAREN_DOC = re.compile(r"\bdoc\.\s*(?P<n>\d+)", re.I)


def find_doc_refs(text: str) -> list[DocRef]:
    """Cross-references in ``text`` ("see doc. No. 187"), in order.

    The span excludes a sentence-final period.  ``target_doc`` is the first readable number;
    OCR-garbled numbers (".49 152.170") give ``None`` but the reference is still reported.
    """
    return [_doc_ref(m) for m in _DOC_REF.finditer(text)]


def _doc_ref(m: re.Match[str]) -> DocRef:
    volume: str | None = None
    kind = "doc"
    numbers: tuple[str, ...] = ()
    if m.group("minutes"):
        kind = "minutes"
        vol = _PAREN_VOLUME.search(m.group("paren"))
        volume = vol.group("vol") if vol else None
        numbers = tuple(d.group("n") for d in _PAREN_DOC.finditer(m.group("paren")))
    elif m.group("vol"):
        volume = m.group("vol")
        numbers = _split_numbers(m.group("vnums"))
    elif m.group("note"):
        kind = "note"
        numbers = (m.group("note"),)
    elif m.group("gas"):
        kind = "newspaper"
    else:
        numbers = _split_numbers(m.group("dnums"))
    target = numbers[0] if numbers and kind in ("doc", "minutes") else None
    volume = volume.upper() if volume else None
    return DocRef(m.start(), m.end(), target, volume, m.group(), kind, numbers)


def _split_numbers(nums: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in nums.split(",")) if nums else ()


def is_unmarked_reference_note(para: str) -> bool:
    """A paragraph that is nothing but a cross-reference ("See doc. No. 264."): a note
    whose marker is lost; the caller decides where it belongs."""
    refs = find_doc_refs(para)
    return len(refs) == 1 and not para[: refs[0].start].strip() and para[refs[0].end :].strip() in ("", ".")
