"""Recognise document headings and take them apart (type, sender, addressee, topic, date tail).

Headings come in four dialects:

* title case, one line: ``<Type> from <Sender>, to <Addressee> [(Copy to …)] <On … topic>
  [Urgent. Secret.] [Place,] <date>[, <time>]`` — **no punctuation** between title, topic and the
  dateline, so the topic is found by its capitalised opening word (``On``, ``Outlining``, …) and
  the dateline right-to-left from the end.  A heading may be split over two paragraphs.
* plain line: ``Note from <sender> to <addressee>.``, ``From the Report of …``.
* name to name: ``G. V. Chicherin to I. V. Stalin`` — no type word at all (a letter).
* a book converted from PDF to markdown: bold paragraphs, optionally ``#``-prefixed, with hard
  breaks (``"  \\n"``), footnote markers (``\\*``), a leading date or a trailing ``. <date>``;
  ``<Type> of/from <sender> to|in <addressee>``; ``Recording of the conversation of <A> with
  <B>``; excerpts ``From: …``, ``From; …``, ``From the diary of …``.

Everything is pure and offset-preserving: the input is mapped to a same-length *shadow* (markdown
``**``, leading ``#``, escaped ``\\*`` and newlines become spaces) so every span returned is an
exact slice of the caller's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from ..patterns import EditionPattern, Pattern

__all__ = [
    "DOC_TYPES",
    "PRESET_TYPE_WORDS",
    "Heading",
    "TypeWord",
    "Vocabulary",
    "vocabulary",
    "parse_heading",
    "is_type_word_heading",
    "is_plain_heading_continuation",
    "is_bold_heading",
    "is_bold_heading_continuation",
]


Span = tuple[int, int]


@dataclass(frozen=True)
class Heading:
    """A parsed heading.  All spans index the text given to :func:`parse_heading`.

    ``sender``/``addressee`` are the phrases as printed (office + name), without the linking
    ``from``/``of``/``to``/``in`` and without surrounding punctuation.  ``participants`` holds
    the persons of a conversation record (``of <A> with <B>``, ``between <A> and <B>``) and the
    parties of a treaty/agreement.  ``tail_start`` is where a detachable trailing dateline
    (classification, place, date, time) begins; it is ``None`` when there is none or when the
    date is grammatically part of the title (``… at a meeting … on June 17, 1920``).
    ``date`` is the document date printed anywhere in the heading (leading, trailing or governed
    by ``on``), ``place`` a place of origin (``Baku,`` in a title-case tail, ``from Geneva`` in a
    bold heading, ``Telegram from Baku, a member of …``), ``copy_to`` the ``(Copy to …)``
    addressee of a title-case heading.
    """

    doc_type: str
    excerpt: bool
    sender: Span | None
    addressee: Span | None
    participants: list[Span]
    topic: Span | None
    tail_start: int | None
    date: Span | None = None
    place: Span | None = None
    copy_to: Span | None = None


# --------------------------------------------------------------------------------------------
# shared patterns
# --------------------------------------------------------------------------------------------

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
# Full dates only (a bare year is too weak to cut a heading on).  ``\s+`` because bold markdown
# headings break lines inside a date (``1  \nFebruary 1937``).
_DATE = (rf"(?:{_MONTH}\s+\d{{1,2}}(?:\s*-\s*\d{{1,2}})?\s*,\s*\d{{4}}"
         rf"|\d{{1,2}}(?:\s*-\s*\d{{1,2}})?\s+{_MONTH}\s+\d{{4}}"
         rf"|{_MONTH}\s+\d{{4}})")
_DATE_RE = re.compile(_DATE, re.I)
_TIME = r"\d{1,2}:\d{2}"
_CLASSIF = r"(?:(?:Extremely\s+)?(?:Urgent|Top\s+Secret|Secret|Immediately)\s*\.?\s+)"

# Same-length shadow: bold/italic stars, escaped footnote stars, leading hashes, newlines.
_SHADOW_RE = re.compile(r"\\\*|\*+|^[ \t]*#+|\n", re.M)

# Leading "Month D, YYYY ," of some bold headings.
_LEAD_DATE_RE = re.compile(rf"^\s*(?P<date>{_DATE})\s*,\s*", re.I)

# Trailing dateline, anchored at the end: ``Urgent. Secret. Moscow, 8 November 1920``,
# ``Baku, 5 November 1920, 22:15``; ``…, from Geneva. May 25, 1937`` and ``…. June 2, 1937``.
# A place needs either ``from`` or a comma before the date — otherwise a name ending the
# addressee (``… Turkey Aras. June 11, 1937``) would be read as a place.
_TAIL_RE = re.compile(
    rf"(?P<tail>{_CLASSIF}*"
    rf"(?:(?P<from>from\s+)(?P<place1>(?-i:[A-Z][a-z]+))\s*[.,]?\s+|(?P<place2>(?-i:[A-Z][a-z]+)),\s+)?"
    rf"(?P<date>{_DATE})(?:\s*,\s*{_TIME})?)[\s.]*$",
    re.I,
)
_TAIL_PLACE_ONLY_RE = re.compile(r",?\s+(?P<tail>from\s+(?P<place>[A-Z][a-z]+))[\s.]*$")
_ON_BEFORE_RE = re.compile(r"\bon\s*$", re.I)



@dataclass(frozen=True)
class TypeWord:
    """Words that name a document type in a heading (type-words.yaml, a layout's
    `heading: type_words:`): `words` anywhere a heading names its type, `line` (optional)
    opening a plain one-line heading."""

    type: str
    words: str
    line: str | None = None
    # where an edition wrote them (its patterns run under a time limit, pipeline/patterns.py)
    path: str | None = field(default=None, compare=False)
    at: int | None = field(default=None, compare=False)
    seconds: float | None = field(default=None, compare=False)


def _preset_type_words() -> tuple[TypeWord, ...]:
    data = yaml.safe_load((resources.files("pipeline.recognise") / "type-words.yaml").read_text(encoding="utf-8"))
    return tuple(TypeWord(str(d["type"]), str(d["words"]), d.get("line")) for d in data)


PRESET_TYPE_WORDS = _preset_type_words()
DOC_TYPES: tuple[str, ...] = (*dict.fromkeys(w.type for w in PRESET_TYPE_WORDS), "other")
# ``From`` / ``From:`` / ``From;`` (a semicolon typo) / ``From a`` / ``From the``.
_EXCERPT = r"(?P<excerpt>from\s*[:;]?\s+(?:(?:a|an|the)\s+)?)"
# ``November 6, 1920, from Stalin report delivered …``: the author precedes the type.
_FROM_AUTHOR_REPORT_RE = re.compile(
    r"\s*(?P<excerpt>from\s+)(?!annual\b)(?P<author>(?-i:[A-Z])\w+)\s+(?P<type>report)\b", re.I)
# ``G. V. Chicherin to I. V. Stalin``, ``G. A. Astakhov to the people's …``.
_INITIALS = r"(?:[A-Z][a-z]?\.\s*){1,3}"
_NAME_TO_RE = re.compile(rf"\s*(?P<sender>{_INITIALS}[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+to\s+")

# Title-case topic clauses start with a capitalised participle/preposition glued to the
# addressee (``… B. Legran On Stalin's Rejection …``, ``… to V. Lenin Outlining …``) or, in a few
# headings, a lower-case ``on the`` before a title-case noun (``, on the Conditions of …``).
_TOPIC_WORDS = ("On", "Outlining", "Explaining", "Regarding", "Conveying", "Prohibiting",
                "Including", "Concerning", "Informing", "Reporting", "Requesting", "Proposing",
                "Transmitting", "Containing", "About")
_TOPIC_RE = re.compile(rf"(?<=\s)(?:{'|'.join(_TOPIC_WORDS)})\s+(?=\S)"
                       r"|(?:,\s*|\s)(?P<low>on\s+the\s+)(?=[A-Z])")

# Noise between the type word and the sender.
_PRE_SENDER_NOISE_RE = re.compile(
    r"\s*(?:Transmitted\s+)?via\s+Direct\s+Line\s+(?:of\s+the\s+Text\s+of\s+an?\s+(?:Secret\s+)?\w+\s+)?",
    re.I)
# ``From Protocol No. 2 of the Joint Session …``: a document number may come first.
_SENDER_INTRO_RE = re.compile(r"\s*(?:No\.\s*\S+\s+)?(?:of|from|by)\s+", re.I)
# ``Telegram from Baku, a member of …``: a bare place name after ``from``.
_FROM_PLACE_RE = re.compile(r"\s*from\s+(?P<place>[A-Z][a-z]+),\s+(?=(?:a|an|the)\s)")
# Where a sender phrase ends and the addressee begins.  ``in the NKID`` / ``in the people's
# commissariat`` mean "to"; ``to`` inside offices (``ambassador of Turkey to the
# RSFSR``) only ever occurs after the first ``to``, so the first one is the separator.
_APOS = "['’ʹ]"
_ADDRESSEE_MARK_RE = re.compile(
    rf",?\s+(?:to\s+|in\s+(?=(?:the\s+)?(?:NKID|people{_APOS}s\s+commissariat)))", re.I)
# Sender stops that are not an addressee marker.
_SENDER_STOP_RE = re.compile(r"\s+(?:at\s+a\s+meeting\b|delivered\b|Via\s+(?=[A-Z]))|\s*\(Copy\s+to\b")
_COPY_TO_RE = re.compile(r"\(\s*Copy\s+to\s+(?P<cc>[^)]*)\)", re.I)
_PERIOD_FOR_RE = re.compile(r"\s+for\s+\d{4}(?:\s*-\s*\d{4})?\s*$")

# Conversation records: ``of the conversation(s) of``, ``of a Direct-Line Conversation Between``,
# ``of the talks between``.
_RECORD_OBJECT_RE = re.compile(r"\s*of\s+(?:the|a)\s+(?:[\w-]+\s+)?(?:conversations?|talks?)\b", re.I)
_PARTY_INTRO_RE = re.compile(r"\s*(?P<kind>of|between|with)\s+", re.I)
_WITH_RE = re.compile(r"\s+with\s+", re.I)
_AND_THE_RE = re.compile(r",?\s+and\s+(?=the\s)", re.I)
_BETWEEN_AND_RE = re.compile(r",?\s+and\s+(?=the\s|[A-Z])")
# Trailing circumstances of a conversation, not part of the person.
_CIRCUMSTANCE_RE = re.compile(r"\s+(?:in\s+the\s+Kremlin\b|at\s+the\s+[\w\s-]*?conference\b).*$", re.I)

_BETWEEN_RE = re.compile(r"\bbetween\s+", re.I)
_TREATY_TAIL_RE = re.compile(r",\s*(?:concluded|article|signed)\b.*$", re.I)
_ONE_HAND_RE = re.compile(r",?\s*on\s+the\s+one\s+hand,?\s+and\s+", re.I)
_OTHER_HAND_RE = re.compile(r",?\s*on\s+the\s+other\b.*$", re.I)
_AGREEMENT_TOPIC_RE = re.compile(r"\s*on\s+(?P<topic>.+?)\s+concluded\b", re.I)
# ``Statement of the Soviet government of respect for …`` (Russian "о" = about → "of").
_STATEMENT_TOPIC_RE = re.compile(r"\s+(?:on|about|of(?=\s+respect\b))\s+(?=\w)", re.I)
_REPORT_TOPIC_RE = re.compile(r"\s+(?:on|about)\s+(?=the\s)", re.I)
_LAST_BY_RE = re.compile(r".*\bby\s+", re.I | re.S)
_DIRECTIVE_TOPIC_RE = re.compile(r"\s*(?:to|for|on)\s+", re.I)

_STRIP_CHARS = " \t\n\xa0,;:.\"“”'ʺ"
_INITIAL_END_RE = re.compile(r"(?:^|[\s.])[A-Za-z][a-z]?\.$")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _shadow(text: str) -> str:
    """Same-length copy with markdown and line breaks blanked, so offsets stay valid."""
    return _SHADOW_RE.sub(lambda m: " " * len(m.group()), text)


def _trim(shadow: str, start: int, end: int) -> Span | None:
    """Shrink [start, end) past spaces and punctuation; keep the period of an initial."""
    while start < end and shadow[start] in _STRIP_CHARS:
        start += 1
    while end > start and shadow[end - 1] in _STRIP_CHARS:
        # "G. Chicherin." loses its sentence period, "… to I. V." keeps the initial's.
        if shadow[end - 1] == "." and _INITIAL_END_RE.search(shadow[start:end]):
            break
        end -= 1
    return (start, end) if end > start else None


def _type_of(m: re.Match[str], vocab: Vocabulary) -> str:
    for i, word in enumerate(vocab.words):
        if m.group(f"t{i}") is not None:
            return word.type
    return "other"


def _find_tail(sh: str, lo: int) -> tuple[int | None, Span | None, Span | None, int]:
    """Trailing dateline after *lo* → (tail_start, date, place, end of the title region)."""
    m = _TAIL_RE.search(sh, lo)
    if m is None:
        p = _TAIL_PLACE_ONLY_RE.search(sh, lo)
        if p is None:
            return None, None, None, len(sh)
        return p.start("tail"), None, p.span("place"), p.start()
    place: Span | None = None
    if m.group("place1"):
        place = m.span("place1")
    elif m.group("place2"):
        place = m.span("place2")
    start = m.start("from") if m.group("from") else m.start("tail")
    if start == m.start("date") and _ON_BEFORE_RE.search(sh, lo, start):
        # "… at a meeting … on June 17, 1920": the date belongs to the title, nothing to move.
        return None, m.span("date"), place, len(sh)
    return start, m.span("date"), place, start


def _topic_start(sh: str, lo: int, hi: int) -> tuple[int, int] | None:
    """(start of topic phrase, where the preceding region ends) — leftmost topic opener."""
    m = _TOPIC_RE.search(sh, lo, hi)
    if m is None:
        return None
    if m.group("low") is not None:
        return m.start("low"), m.start()
    return m.start(), m.start()


def _split(sh: str, start: int, end: int, sep: re.Pattern[str]) -> list[Span]:
    """Split [start, end) on every match of *sep*, trimming each piece."""
    spans: list[Span] = []
    pos = start
    for m in sep.finditer(sh, start, end):
        piece = _trim(sh, pos, m.start())
        if piece:
            spans.append(piece)
        pos = m.end()
    piece = _trim(sh, pos, end)
    if piece:
        spans.append(piece)
    return spans


def _cut_circumstance(sh: str, start: int, end: int) -> int:
    m = _CIRCUMSTANCE_RE.search(sh, start, end)
    return m.start() if m else end


def _participants(sh: str, pos: int, end: int) -> list[Span]:
    """Persons of ``of <A> [and the <A2>] with <B> [and the <B2>]`` / ``between <A> and <B>``."""
    m = _RECORD_OBJECT_RE.match(sh, pos, end)
    if m:
        pos = m.end()
    intro = _PARTY_INTRO_RE.match(sh, pos, end)
    if intro is None:
        span = _trim(sh, pos, end)
        return [span] if span else []
    pos = intro.end()
    end = _cut_circumstance(sh, pos, end)
    if intro.group("kind").lower() == "between":
        sep = _BETWEEN_AND_RE.search(sh, pos, end)
        if sep is None:
            span = _trim(sh, pos, end)
            return [span] if span else []
        return [s for s in (_trim(sh, pos, sep.start()), _trim(sh, sep.end(), end)) if s]
    w = _WITH_RE.search(sh, pos, end)
    if w is None:
        return _split(sh, pos, end, _AND_THE_RE)
    return _split(sh, pos, w.start(), _AND_THE_RE) + _split(sh, w.end(), end, _AND_THE_RE)


def _parties(sh: str, pos: int, end: int) -> list[Span]:
    """Treaty/agreement parties: ``between <A>[, on the one hand,] and <B>[, on the other]``."""
    b = _BETWEEN_RE.search(sh, pos, end)
    if b is None:
        return []
    start = b.end()
    tail = _TREATY_TAIL_RE.search(sh, start, end)
    stop = tail.start() if tail else end
    hand = _ONE_HAND_RE.search(sh, start, stop)
    if hand:
        other = _OTHER_HAND_RE.search(sh, hand.end(), stop)
        second_end = other.start() if other else stop
        return [s for s in (_trim(sh, start, hand.start()), _trim(sh, hand.end(), second_end)) if s]
    sep = _BETWEEN_AND_RE.search(sh, start, stop)
    if sep is None:
        return []
    return [s for s in (_trim(sh, start, sep.start()), _trim(sh, sep.end(), stop)) if s]


def _sender_addressee(
    sh: str, pos: int, end: int,
) -> tuple[Span | None, Span | None, Span | None, Span | None]:
    """(sender, addressee, place, copy_to) in the region [pos, end) after the type word."""
    place: Span | None = None
    noise = _PRE_SENDER_NOISE_RE.match(sh, pos, end)
    if noise:
        pos = noise.end()
    fp = _FROM_PLACE_RE.match(sh, pos, end)
    if fp:
        place = fp.span("place")
        pos = fp.end()
    else:
        intro = _SENDER_INTRO_RE.match(sh, pos, end)
        if intro is None:
            return None, None, None, None
        pos = intro.end()
    copy_to: Span | None = None
    cc = _COPY_TO_RE.search(sh, pos, end)
    if cc:
        copy_to = _trim(sh, cc.start("cc"), cc.end("cc"))
    mark = _ADDRESSEE_MARK_RE.search(sh, pos, end)
    stop = _SENDER_STOP_RE.search(sh, pos, mark.start() if mark else end)
    sender_end = stop.start() if stop else (mark.start() if mark else end)
    sender = _trim(sh, pos, sender_end)
    addressee: Span | None = None
    if mark:
        a_end = cc.start() if cc and cc.start() > mark.end() else end
        period = _PERIOD_FOR_RE.search(sh, mark.end(), a_end)
        if period:
            a_end = period.start()
        addressee = _trim(sh, mark.end(), a_end)
    return sender, addressee, place, copy_to


# --------------------------------------------------------------------------------------------
# parse_heading
# --------------------------------------------------------------------------------------------

@dataclass
class _Parts:
    """Mutable scratch record filled by the type-specific analysers below."""

    sender: Span | None = None
    addressee: Span | None = None
    participants: list[Span] | None = None
    topic: Span | None = None
    place: Span | None = None
    copy_to: Span | None = None


# Types whose titles are sentence case or have no "<On …>" clause: no topic-opener search.
_NO_TOPIC_OPENER = frozenset({"addendum", "treaty", "agreement", "speech", "directive", "statement", "report"})


def _analyse(doc_type: str, sh: str, body: int, end: int) -> _Parts:
    """Sender/addressee/participants/topic of the title region [body, end) after the type word."""
    parts = _Parts()
    if doc_type in ("record", "conversation"):
        parts.participants = _participants(sh, body, end)
    elif doc_type in ("treaty", "agreement"):
        parts.participants = _parties(sh, body, end)
        at = _AGREEMENT_TOPIC_RE.match(sh, body, end) if doc_type == "agreement" else None
        if at:
            parts.topic = _trim(sh, *at.span("topic"))
    elif doc_type == "addendum":
        pass  # "First Addendum to the Draft Peace Treaty …": "to" is not an addressee
    elif doc_type == "speech":
        by = _LAST_BY_RE.match(sh, body, end)  # "… was delivered on <date> by <speaker>."
        if by:
            parts.sender = _trim(sh, by.end(), end)
    elif doc_type == "directive":
        dt = _DIRECTIVE_TOPIC_RE.match(sh, body, end)
        if dt:
            parts.topic = _trim(sh, dt.end(), end)
    else:
        if doc_type in ("statement", "report"):
            topic_re = _STATEMENT_TOPIC_RE if doc_type == "statement" else _REPORT_TOPIC_RE
            intro = _SENDER_INTRO_RE.match(sh, body, end)
            tm = topic_re.search(sh, intro.end() if intro else body, end)
            if tm:
                parts.topic = _trim(sh, tm.end(), end)
                end = tm.start()
        parts.sender, parts.addressee, parts.place, parts.copy_to = _sender_addressee(sh, body, end)
    return parts


def _type_word(sh: str, pos: int, vocab: Vocabulary) -> tuple[str, bool, int, Span | None] | None:
    """(doc_type, excerpt, end of the type phrase, author printed before the type) at *pos*."""
    fr = _FROM_AUTHOR_REPORT_RE.match(sh, pos)
    if fr:
        return "report", True, fr.end(), fr.span("author")
    tm = vocab.type_re.match(sh, pos)
    if tm:
        return _type_of(tm, vocab), tm.group("excerpt") is not None, tm.end(), None
    return None


def parse_heading(text: str, vocab: Vocabulary | None = None) -> Heading:
    """Take a heading apart.  Multi-paragraph headings should be joined by the caller (any
    whitespace) before parsing; spans may then cross the markdown between the paragraphs.
    Text that is no heading gives ``doc_type="other"``. ``vocab``: the type words of the
    source's layout (the preset's by default)."""
    vocab = vocab or PRESET
    sh = _shadow(text)
    lead = _LEAD_DATE_RE.match(sh)
    pos = lead.end() if lead else 0
    lead_date = lead.span("date") if lead else None

    found = _type_word(sh, pos, vocab)
    if found is None:
        nt = _NAME_TO_RE.match(sh, pos)
        if nt is None:
            return Heading("other", False, None, None, [], None, None, date=lead_date)
        # No type word: "<Sender> to <Addressee>" is a letter.
        tail_start, date, place, region_end = _find_tail(sh, nt.end())
        return Heading("letter", False, _trim(sh, *nt.span("sender")), _trim(sh, nt.end(), region_end),
                       [], None, tail_start, date=lead_date or date, place=place)
    doc_type, excerpt, body, author = found

    tail_start, date, place, region_end = _find_tail(sh, body)
    topic: Span | None = None
    ts = None if doc_type in _NO_TOPIC_OPENER else _topic_start(sh, body, region_end)
    if ts is not None:
        topic = _trim(sh, ts[0], region_end)
        region_end = ts[1]
    parts = _analyse(doc_type, sh, body, region_end)
    return Heading(doc_type, excerpt, author or parts.sender, parts.addressee, parts.participants or [],
                   parts.topic or topic, tail_start, date=lead_date or date, place=place or parts.place,
                   copy_to=parts.copy_to)


# --------------------------------------------------------------------------------------------
# Bold markdown heading paragraphs (a book converted from PDF)
# --------------------------------------------------------------------------------------------

_LEADING_HASHES_RE = re.compile(r"^\s*#+\s*")
_ESCAPED_STAR_RE = re.compile(r"\\\*")
_WS_RE = re.compile(r"\s+")
# Whole-paragraph bold, optionally after a date outside the bold
# (``May 12, 1938, from **telegram of …**``).
_BOLD_PARA_RE = re.compile(rf"^(?P<pre>(?:{_DATE})\s*,\s*(?:from\s+)?)?\*\*(?P<body>.*)\*\*$", re.I | re.S)
# After the type word a heading continues with a linking word; this is what separates a heading
# ("**Note of …**") from bold body text and from labels like "**Note.**".
_LINK = r"\s+(?:of|from|between|on|at|to|by|about|via|transmitted)\b"

_MAX_HEADING = 400


def _clean(paragraph: str) -> str:
    """Paragraph without leading hashes and escaped footnote stars, whitespace collapsed."""
    s = _LEADING_HASHES_RE.sub("", paragraph.strip())
    s = _ESCAPED_STAR_RE.sub("", s)
    return _WS_RE.sub(" ", s).strip()


def _whole_bold(cleaned: str) -> str | None:
    """De-bolded text if the paragraph is one bold span (after an optional date), else None."""
    m = _BOLD_PARA_RE.match(cleaned)
    if m is None or "**" in m.group("body"):
        return None
    return (m.group("pre") or "") + m.group("body")


def is_bold_heading(paragraph: str, vocab: Vocabulary | None = None) -> bool:
    """A bold markdown heading (PHENOMENA §2.4) for a paragraph after the table of contents."""
    vocab = vocab or PRESET
    s = _clean(paragraph)
    if not s or len(s) >= _MAX_HEADING:
        return False
    inner = _whole_bold(s)
    if inner is not None:
        return vocab.bold_start_re.match(inner.strip()) is not None
    if "**" in s:
        return False  # inline bold (speaker labels, emphasis) — headings are bold throughout
    # Non-bold: only the tight excerpt form, as a title (no sentence punctuation at the end).
    return (vocab.plain_from_re.match(s) is not None and s[-1] not in ".:;!?"
            and re.search(r"\s(?:to|with|and)\s", s) is not None)


_YEAR_END_RE = re.compile(r"\b\d{4}\W*$")
_DANGLING_RE = re.compile(r"\b(?:of|the|in|to|for|and|with|from|a|an|foreign)$", re.I)
_NAME_START_RE = re.compile(rf"^{_INITIALS}[A-Z][a-z]+")
_CLASSIF_WORDS_RE = re.compile(r"\b(?:secret|immediately|urgent|special\s+folder|out\s+of\s+(?:line|turn))\b",
                               re.I)
_SPEAKER_RE = re.compile(r"^\*\*[^*]+\*\*\s*[-—–:(]|^\*\*[^*]+:\*\*")
_ROMAN_SECTION_RE = re.compile(r"^(?:[IVXLC]+|\d+)[.,]\s", re.I)
_NOT_CONTINUATION_START = ("Sent ", "Sent out", "[", "*", "(", "\\", "Publ", "Print")


def _heading_complete(prev: str) -> bool:
    """A heading ending in sentence punctuation or a year does not continue."""
    p = _clean(prev).replace("**", "").rstrip()
    return not p or p[-1] in ".!?" or _YEAR_END_RE.search(p) is not None


def is_bold_heading_continuation(prev_heading: str, paragraph: str, vocab: Vocabulary | None = None) -> bool:
    """Does *paragraph* continue the bold heading *prev_heading* (all paragraphs so far, joined)?

    Four cases: a bold tail (``**of the government … Ahmed Mukhtar.**``), a
    ``###`` bold tail (``### **USSR representations in Germany Ivanova**``) and two
    non-bold tails carrying the missing name (``A. Tereityeva in the people's
    commissariat of foreign`` + ``USSR affairs``; ``A. Aktaem``).  A dateline,
    distribution line, italic volume reference or first body sentence is rejected: they carry a
    date or a classification, start with a known marker, or read as a sentence.
    """
    raw = paragraph.strip()
    s = _clean(paragraph)
    if not s or len(s) > 120 or is_bold_heading(paragraph, vocab):
        return False
    if _heading_complete(prev_heading):
        return False
    if _DATE_RE.search(s) or _CLASSIF_WORDS_RE.search(s) or re.search(r"\d", s):
        return False
    if _SPEAKER_RE.match(_LEADING_HASHES_RE.sub("", raw)):
        return False
    inner = _whole_bold(s)
    if inner is not None:
        body = inner.strip()
        return not (body.startswith(_NOT_CONTINUATION_START) or _ROMAN_SECTION_RE.match(body)
                    or body.isupper())
    if "**" in s or s.startswith(_NOT_CONTINUATION_START) or s[-1] in ".:;!?\"":
        return False
    if len(s.split()) > 8:
        return False
    prev = _clean(prev_heading).replace("**", "").rstrip()
    return _NAME_START_RE.match(s) is not None or _DANGLING_RE.search(prev) is not None


# --------------------------------------------------------------------------------------------
# Plain heading lines (web pages)
# --------------------------------------------------------------------------------------------

_NAME_TO_NAME_RE = re.compile(rf"^{_INITIALS}[A-Z][a-z]+\s+to\s+{_INITIALS}[A-Z][a-z]+\.?$")
# Body paragraphs may end with an archival citation; headings never contain one. Its shape
# (a fond, then an opis or a delo) is enough: the archives themselves are the registers' data.
_ARCHIVE_RE = re.compile(r"\b[fF]\.?\s*\d+[a-z]?\s*[,.]\s*(?:[oO][pn]|[dD])\.")
_TRAILING_DATE_RE = re.compile(rf"(?:{_DATE})(?:\s*,\s*{_TIME})?[\s.\xa0]*$", re.I)
_TOPIC_OPENER_RE = re.compile(rf"^(?:{'|'.join(_TOPIC_WORDS)})\s+\S")


def is_type_word_heading(paragraph: str, vocab: Vocabulary | None = None) -> bool:
    """A plain heading line (title case, also ``Note from …``, ``A to B``, ``From the
    Report …``): opens with a type word and a linking word, is short and cites no archive."""
    vocab = vocab or PRESET
    s = paragraph.strip()
    if not s or len(s) > 700 or "\n" in s or _ARCHIVE_RE.search(s):
        return False
    return (vocab.line_re is not None and vocab.line_re.match(s) is not None) or _NAME_TO_NAME_RE.match(s) is not None


# --------------------------------------------------------------------------------------------
# The type words as compiled patterns
# --------------------------------------------------------------------------------------------


class Vocabulary:
    """A layout's type words compiled into the patterns the heading recognisers use."""

    def __init__(self, words: tuple[TypeWord, ...]) -> None:
        self.words = words
        own = [w for w in words if w.path]
        shown = " | ".join(dict.fromkeys(p for w in own for p in (w.words, w.line) if p))
        compile: Callable[[str, int], Pattern] = (
            (lambda text, flags: EditionPattern(text, flags, path=own[0].path, line=own[0].at, seconds=own[0].seconds,
                                           shown=shown))
            if own else re.compile)
        alt = "|".join(f"(?P<t{i}>{w.words})" for i, w in enumerate(words))
        any_ = "|".join(f"(?:{w.words})" for w in words)
        self.type_re: Pattern = compile(rf"\s*{_EXCERPT}?(?:{alt})\b", re.I)
        self.bold_start_re = compile(
            rf"^(?:(?P<date>{_DATE})\s*,\s*)?"
            rf"(?:from\s*[:;]?\s+(?:(?:a|an|the)\s+)?(?:{any_}){_LINK}"
            rf"|from\s*[:;]\s+\w"                                   # "From: …" / "From; …" always
            rf"|from\s+(?-i:[A-Z])\w+\s+report\b"                   # the author before the type
            rf"|(?:{any_}){_LINK}"
            rf"|(?:some\]?\s+)?dir\s*\[ekti\]"                      # a garbled "directives"
            rf"|(?-i:{_INITIALS}[A-Z][a-z]+)\s+to\s+)",            # "G. A. Astakhov to …"
            re.I,
        )
        # A non-bold heading is only accepted in its tight excerpt form — body sentences
        # begin "From the conversation it was …", "From conversations with others …".
        self.plain_from_re = compile(
            rf"^From\s+(?:(?:a|an|the)\s+)?(?:{any_})\s+(?:of|from|by|between)\s+", re.I)
        lines = "|".join(f"(?:{w.line})" for w in words if w.line)
        self.line_re: Pattern | None = compile(
            rf"^(?:From\s+(?:(?:a|an|the)\s+)?)?(?:{lines})\s+(?:from|of|to|by|between|Transmitted|via|No\.)\s",
            re.I) if lines else None


@lru_cache(maxsize=32)
def vocabulary(extra: tuple[TypeWord, ...] = ()) -> Vocabulary:
    """The preset type words with a layout's own before them (they win where both match)."""
    return Vocabulary(extra + PRESET_TYPE_WORDS)


PRESET = vocabulary()


def is_plain_heading_continuation(prev_heading: str, paragraph: str) -> bool:
    """Second paragraph of a split title-case heading: the previous heading has no
    date yet, and this paragraph opens with a topic word and ends with the date."""
    prev = prev_heading.strip()
    s = paragraph.strip()
    if not prev or not s or len(s) > 700 or _ARCHIVE_RE.search(s):
        return False
    if _TRAILING_DATE_RE.search(prev):
        return False
    return _TOPIC_OPENER_RE.match(s) is not None and _TRAILING_DATE_RE.search(s) is not None
