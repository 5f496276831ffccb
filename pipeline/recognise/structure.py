"""Classify one paragraph of document text by its structural role.

Each function looks at a single paragraph (markdown as in the sources: ``**bold**``, ``*italic*``,
``\\*`` footnote stars, ``#`` heading prefixes) and answers a yes/no question or returns spans into
that same paragraph.  Nothing here looks at neighbouring paragraphs; sequencing (a signature only
after the closer, a reply intro only after the signature, …) is the caller's business.

The phenomena and their frequencies are catalogued in PHENOMENA §7.4 (editorial intros), §9.3
(lists), §9.4 (treaty articles), §9.5 (salutations, closers, signatures) and §9.6 (records and
speaker turns).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "salutation",
    "closing_formula",
    "closing_span",
    "signature",
    "signature_prefix",
    "speaker_label",
    "speaker_turns",
    "distribution_line",
    "recorder_line",
    "reply_intro",
    "article_heading",
    "list_item",
    "list_labels",
    "postscript",
    "separator",
    "dots_only",
]

Span = tuple[int, int]

_WS_RE = re.compile(r"\s+")
# Quotes that open/close quoted replies: “ … ʺ (U+02BA) in some web pages, " in others.
_QUOTES = "\"“”ʺ«»'"
_MARKUP_RE = re.compile(r"\\\*|\*+|^\s*#+\s*")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


@lru_cache(maxsize=32768)  # every classifier asks for it, several times per paragraph
def _plain(p: str) -> str:
    """Paragraph without markdown, quotes at the edges and with whitespace collapsed."""
    s = _MARKUP_RE.sub("", p.strip())
    return _WS_RE.sub(" ", s).strip().strip(_QUOTES).strip()


# --------------------------------------------------------------------------------------------
# salutations
# --------------------------------------------------------------------------------------------

# "Lord commissioner," / "Lord ambassador," are "Господин" mistranslated (PHENOMENA §11).
_SALUTATION_RE = re.compile(
    r"^(?:Mr\.|Mrs\.|Mister|Lord|Dear|Comrade|Citizen|Sir|Madam|Your\s+Excellency|Monsieur|Gentlemen)"
    r"(?:\s+[\w.'’ʹ-]+){0,4}\s*[,!]$",
    re.I,
)
# Address line above the salutation: "Comrade Stalin."
_ADDRESS_LINE_RE = re.compile(r"^(?:Comrade|Cde\.|To\s+comrade)\s+[A-Z][\w.'’ʹ-]*(?:\s+[A-Z][\w'’ʹ-]*)?\.$")


def salutation(p: str) -> bool:
    """Salutation (``Mr. Ambassador,``, ``“Mr. Plenipotentiary representative,``, ``Dear comrade,``)
    or the address line above it (``Comrade Stalin.``)."""
    s = _plain(p)
    if not s or len(s) > 60:
        return False
    return _SALUTATION_RE.match(s) is not None or _ADDRESS_LINE_RE.match(s) is not None


# --------------------------------------------------------------------------------------------
# closers
# --------------------------------------------------------------------------------------------

_CLOSER_SENTENCE_RE = re.compile(
    r"(?:\baccept\b.{0,120}?\bassurances?\b|\bassurances?\s+of\s+(?:my|our)\b)"
    r".{0,80}?\b(?:consideration|respect|esteem|devotion|regards)\b"
    r"|^with\s+(?:communist|comradely|fraternal|best|kind)\s+greetings\b"
    r"|^long\s+live\b[^.?]*!",
    re.I,
)
# Sentence boundary: terminal punctuation, space, capital / quote — but not after a title or an
# initial ("Please accept, Mr. Commissioner, …" is one sentence).
_SENTENCE_END_RE = re.compile(r"(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bCde)"
                              r"[.!?][\"”ʺ]?\s+(?=[A-Z\"“])")
_MAX_CLOSER = 250


def closing_span(p: str) -> Span | None:
    """Span of the closing formula sentence when it ends the paragraph (a paragraph may have
    two body sentences and then ``… I ask you to accept, Mr. Commissioner, the assurances of my highest
    esteem.``).  The span starts at the sentence and ends before trailing quotes/space."""
    end = len(p.rstrip().rstrip(_QUOTES).rstrip())
    if end == 0:
        return None
    starts = [0] + [m.end() for m in _SENTENCE_END_RE.finditer(p, 0, end)]
    start = starts[-1]
    sentence = p[start:end]
    lead = len(sentence) - len(sentence.lstrip().lstrip(_QUOTES).lstrip())
    if _CLOSER_SENTENCE_RE.search(sentence.strip().strip(_QUOTES).strip()) is None:
        return None
    return start + lead, end


def closing_formula(p: str) -> bool:
    """The whole paragraph is a closer: ``Please accept, Mr. Commissioner, the assurance of my
    highest consideration.``, ``With communist greetings [Chicherin].``, ``Long live …!`` — one
    sentence, not a closer sentence at the end of body text."""
    s = p.strip()
    if not s or len(_plain(s)) > _MAX_CLOSER:
        return False
    span = closing_span(s)
    return span is not None and not s[: span[0]].strip(" " + _QUOTES)


# --------------------------------------------------------------------------------------------
# signatures
# --------------------------------------------------------------------------------------------

# Words that make a short capitalised line something other than a name.
_NOT_NAME_WORDS = _wordset("""
    a an and the of in on to for from with by at as is was were are be been has have had will would
    it this that these those there here he she we they i you his her our their my your not no
    top secret special folder stick immediately urgent out line turn highly important especially
    soviet january february march april may june july august september october november december
    article appendix annex section application territory zone print printed publ source notes note
    document read leave download comrade mr dear lord long live with sent recorded translated
    conversation meeting about yes
""")
_HONORIFICS = _wordset("mr mrs ms")  # "Mr." would pass as an initial
_GLUED_INITIALS_RE = re.compile(r"^(?:[A-Z]\.)+[A-Z][a-z]+$")  # "V.Molotov" (from "V.M [olotov]")
_NAME_PARTICLES = _wordset("von van de der da di la le bey pasha khan ol el al ibn")
# An initial: "A.", "Sh.", "Ia.", lower-cased "a." (sentence-case damage), garbled "D,".
_INITIAL_RE = re.compile(r"^[A-Za-z][a-z]?[.,]$|^(?:[A-Z]\.){2,3}$")
_NAME_WORD_RE = re.compile(r"^[A-Z][\w'’ʹ-]*$")
_OFFICE_RE = re.compile(
    r"^(?:(?:temporary|interim|acting|first|deputy|extraordinary)\s+)*"
    r"(?:people[’'ʹ]s\s+commiss\w+|plenipotentiary|representative|charg[eé]\s+d[’'ʹ]affaires|ambassador"
    r"|envoy|consul|secretary|chairman|minister|commiss(?:ar|ioner)|narkomindel|(?:pre-)?revolutionary\s+committee"
    r"|military\s+commissar|chief\s+of|head\s+of|member\s+of|attorney|advisor|counsel+or)\b",
    re.I,
)
# Verbs/sentence words that never occur in an office title.
_SENTENCE_WORD_RE = re.compile(
    r"\b(?:is|was|were|are|has|have|had|will|would|said|says|replied|asked|informed|stated|ended|"
    r"lasted|present|concludes?|that|which|we|you)\b|\bI\b(?!\.)")  # "I" but not the initial "I."
_BRACKETS_RE = re.compile(r"\s*\[([^\]]*)\]")
# The place part of an office title printed on a line of its own ("Charge d'affaires of the
# USSR" / "In Turkey" / "*G. Zalkind*").
_OFFICE_PLACE_RE = re.compile(r"^[Ii]n\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?$")
_MAX_SIGNATURE = 80


def _signature_text(p: str) -> str:
    """Plain text of a signature candidate: markup and supplied-letter brackets removed
    (``V.M [olotov]`` → ``V.Molotov``, ``[Chicherin]`` → ``Chicherin``), edge punctuation off."""
    s = _plain(p).replace("\\", "")
    s = _BRACKETS_RE.sub(lambda m: m.group(1), s)
    return s.strip().strip(",.;").strip()


def _is_name(s: str) -> bool:
    """One to six tokens, each an initial, a capitalised name or a name particle."""
    tokens = s.split()
    if not tokens or len(tokens) > 6:
        return False
    has_name = has_initial = False
    for i, raw in enumerate(tokens):
        w = raw.strip(".,")
        if w.lower() in _HONORIFICS:
            return False
        if _INITIAL_RE.match(raw):
            has_initial = True
            continue
        if raw.startswith(".") and _NAME_WORD_RE.match(w):
            has_name = True  # "*Dr. Riza Noor .Ali Fuad.*": a stray dot glued to "Ali"
            continue
        if w.lower() in _NOT_NAME_WORDS:
            return False
        if _NAME_WORD_RE.match(w) or _GLUED_INITIALS_RE.match(w):
            has_name = True
        elif w.lower() in _NAME_PARTICLES:
            continue
        elif has_name and i == len(tokens) - 1 and w.isalpha() and w.islower() and (
                has_initial or re.fullmatch(r"[A-Z][a-z]+", tokens[i - 1].strip(".,"))):
            # Sentence-case damage to the last name: "B. Shahtakhtiisky mukhtar" (second name of a
            # treaty pair), "*Jelal korkmasov.*" -- not "USSR affairs".
            continue
        else:
            return False
    return has_name


def signature(p: str) -> bool:
    """Short signature line: a name (``Natsarenus``, ``I. Narimanov``, ``*M. Karsky*``,
    ``*Georgy Chicherin.*``, ``D, Huseynov``, ``[Chicherin]``) or an office with or without a name
    (``People's commissioner for foreign affairs``, ``Plenipotentiary of the USSR in Turkey
    a. Terentyev``, ``Pre-revolutionary committee``) — not a short sentence, classification,
    date or heading."""
    s = _signature_text(p)
    if not s or len(s) > _MAX_SIGNATURE or re.search(r"\d|[!?:;]", s):
        return False
    if p.strip().startswith(("**", "#", "\\*", "- ", "(")):
        return False  # bold labels, markdown headings, note lines, list items, "(...)"
    if _OFFICE_RE.match(s):
        return _SENTENCE_WORD_RE.search(s) is None
    if _OFFICE_PLACE_RE.match(s) and not p.rstrip().rstrip("*").endswith("."):
        return True  # "In Turkey": the office line "Charge d'affaires of the USSR" broken
    return _is_name(s)


# An archival citation glued to the signature (PHENOMENA §5.2), e.g.
# "O. Nikitnikova avp rf, …", "Charge d'affaires of the RF WUA, …", "Recorded subcerob of the rf wua".
_PREFIX_TAIL_RE = re.compile(r"(?:[\s,\\]+(?:of\s+(?:the\s+)?)?)$", re.I)
_RECORDER_PREFIX_RE = re.compile(r"^(?:The\s+conversation\s+was\s+)?Recorded\s+(?:by\s+)?\S+(?:\s+\S+)?$",
                                 re.I)


def signature_prefix(p: str, citation_start: int) -> Span | None:
    """Span of a signature (or recorder line) printed before an archival citation in the same
    paragraph: ``O. Nikitnikova avp rf, …`` → ``O. Nikitnikova``; ``Recorded by v. Pavlov archive
    of …`` → ``Recorded by v. Pavlov``; ``Recorded subcerob of the rf wua, …`` →
    ``Recorded subcerob``.  *citation_start* is where the caller found the archive name."""
    head = p[:citation_start]
    tail = _PREFIX_TAIL_RE.search(head)
    end = tail.start() if tail else len(head)
    start = len(head) - len(head.lstrip())
    if end <= start:
        return None
    text = p[start:end]
    if signature(text) or _RECORDER_PREFIX_RE.match(text.strip()):
        return start, end
    return None


# --------------------------------------------------------------------------------------------
# speaker turns (records of conversation, PHENOMENA §9.6)
# --------------------------------------------------------------------------------------------

_NAME = r"[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)?"  # "Stalin", "Comrade Stalin", "Beaverbrook and Harriman"
_STAGE = r"(?:\s*\([^)]{1,60}\))?"  # "(throwing up his hands)", "(remark)"
_DASH = r"\s*[-—–]\s*"
# Bold labels: "**Stalin:** …", "**Saracoglu** - …", "**Comrade Stalin.** - …",
# "**Beaverbrook** (throwing up his hands): …", "**Comrade Molotov**- …".
_BOLD_LABEL_RE = re.compile(
    rf"^\*\*(?P<name>{_NAME})\.?(?::\*\*|\*\*(?P<stage>{_STAGE})\s*(?::|{_DASH}))\s*"
    r"(?P<stage2>\([^)]{1,40}\)\s*[-—–]\s*)?")  # "**Comrade Stalin** — (remark) —it is …"
# Plain labels: "Beaverbrook: …", "Stalin: …", "L[egran]: …", "(Gelman): …".
_PLAIN_LABEL = rf"(?P<name>{_NAME}|[A-Z][a-z]?\[[a-z]+\]|\([A-Z][a-z]+\))\s*:\s+"
_PLAIN_LABEL_RE = re.compile(rf"^{_PLAIN_LABEL}(?=\S)")
_INLINE_LABEL_RE = re.compile(rf"(?<=[.?!…\"”])\s+{_PLAIN_LABEL}(?=\S)")
_NOT_SPEAKERS = _wordset("""
    note notes publ print source attention document read leave we they it this that the there
    appendix article annex section application top secret mr example question answer conclusion
    result reason subject text attachment
""")


def _label_ok(name: str) -> bool:
    first = name.strip("()").split()[0].split("[")[0].lower()
    return first not in _NOT_SPEAKERS


def speaker_label(p: str) -> tuple[int, int, int] | None:
    """Speaker label opening a turn → (label_start, label_end, text_start).  The label span is
    the speaker's name as printed (no ``**``, colon or dash); a stage direction such as
    ``(throwing up his hands)`` lies between label_end and text_start."""
    m = _BOLD_LABEL_RE.match(p)
    if m is not None and _label_ok(m.group("name")):
        return m.start("name"), m.end("name"), m.end()
    m = _PLAIN_LABEL_RE.match(p)
    if m is not None and _label_ok(m.group("name")):
        return m.start("name"), m.end("name"), m.end()
    return None


def speaker_turns(p: str) -> list[tuple[int, int, int]]:
    """All turns of a paragraph, first the opening label, then labels following a sentence end:
    ``Stalin: how much? Harriman: I'll have to ask.`` gives two turns."""
    first = speaker_label(p)
    if first is None:
        return []
    turns = [first]
    for m in _INLINE_LABEL_RE.finditer(p, first[2]):
        if _label_ok(m.group("name")):
            turns.append((m.start("name"), m.end("name"), m.end()))
    return turns


# --------------------------------------------------------------------------------------------
# routing, recorder and editorial lines
# --------------------------------------------------------------------------------------------

_DISTRIBUTION_RE = re.compile(r"^Sent(?:\s+out)?\s+to\s+(?P<list>.+)$", re.I)
# Each addressee: "comrade Molotov", "c. Stalin", "Dekanozov", "gen. Secretariat", "general secretariat".
_RECIPIENT_RE = re.compile(
    r"^(?:(?:comrade|c\.|cde\.|comrades)\s+)?[A-Z][\w-]*$|^(?:gen\.|general)\s+secretariat$", re.I)


def distribution_line(p: str) -> bool:
    """Routing line under a heading (PHENOMENA §3.2): ``Sent to comrade Molotov, comrade Dekanozov,
    gen. Secretariat``, ``**Sent to comrade Stalin, …**``, ``Sent out to …``."""
    s = _plain(p)
    m = _DISTRIBUTION_RE.match(s)
    if m is None or len(s) > 300:
        return False
    items = [i.strip() for i in m.group("list").rstrip(".").split(",")]
    return all(_RECIPIENT_RE.match(i) for i in items if i)


_RECORDER_RE = re.compile(
    r"^(?:The\s+conversation\s+was\s+recorded\s+by\s+\S.*"
    r"|Recorded\s+(?:by\s+)?\S+(?:\s+\S+)?"           # "Recorded by v. Pavlov", "Recorded subcerob"
    r"|Translated\s+by\s+\S+(?:\s+\S+)?"
    r"|(?:Comrades?\s+)?[A-Z][\w.]*(?:\s+(?:and\s+)?[A-Z][\w.]*)*\s+(?:was|were)\s+present\s+(?:at|during)\s+the\s+"
    r"(?:conversation|talks?|meeting)"
    r"|The\s+(?:conversation|talks?|meeting)\s+lasted\b.*"
    r"|The\s+(?:conversation|talks?|meeting)\s+ended\s+at\s+\d.*)[.\s]*$",
)
_MAX_RECORDER = 120


def recorder_line(p: str) -> bool:
    """Closing line of a record: recorder (``The conversation was recorded by Potrubach``,
    ``Recorded by v. Pavlov``, ``Recorded subcerob`` = garbled "Записал Подцероб"), translator
    (``Translated by Maisky``), presence (``Comrade Chumakova was present at the conversation.``)
    or duration (``The conversation lasted 1 hour and 45 minutes.``).  The whole paragraph must
    be that line; a glued citation is split off first with :func:`signature_prefix`."""
    s = _plain(p)
    return bool(s) and len(s) <= _MAX_RECORDER and _RECORDER_RE.match(s) is not None


# Editorial narrative that introduces a quoted related document (PHENOMENA §7.4): third person,
# names a document, reports it, ends with a colon.
_DOC_NOUN_RE = re.compile(r"\b(?:note|reply|answer|letter|telegram|memorandum|speech|address|message|"
                          r"declaration|statement|radiogram)s?\b", re.I)
_REPORTING_RE = re.compile(
    r"\b(?:said|was\s+said|was\s+received|were\s+received|received\s+a\s+reply|was\s+sent|sent\b[^:]*\bnote"
    r"|the\s+following\s+(?:reply|note|letter|telegram|answer)|in\s+particular)\b",
    re.I,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:I|me|my|we|us|our)\b")
_NOTE_START_RE = re.compile(r"^(?:\[\d+\]|(?:\\\*)+|\*(?!\*)|<sup>)")
_MAX_INTRO = 400
_QUOTED_SALUTATION_RE = re.compile(r":\s*[\"“«](?P<salute>[^\"“”«»]{1,60})$")


def reply_intro(p: str) -> bool:
    """Editorial paragraph introducing a quoted related document: ``The following reply was
    received to this note from Yusuf Kemal on 28 august 1921:``, ``This note was sent in
    connection with the following note by Ahmet Mukhtar to Chicherin dated March 21, 1921:``,
    ``In his speech G.V. Chicherin, in particular, said:``."""
    if _NOTE_START_RE.match(p.strip()):
        return False  # a note text ("[1] this refers to the speech of …, said:")
    s = _plain(p)
    quoted = _QUOTED_SALUTATION_RE.search(s)
    if quoted is not None and salutation(quoted.group("salute").rstrip(".") + ","):
        # The quoted letter starts on the intro's own line with its salutation ("… it was said:
        # "Mr. Plenipotentiary representative.").
        s = s[: quoted.start() + 1]
    if not s.endswith(":") or len(s) > _MAX_INTRO:
        return False
    if _FIRST_PERSON_RE.search(s):
        return False  # "I asked Kocaturk …", "Today Saracoglu … read me …" are the document's own voice
    return _DOC_NOUN_RE.search(s) is not None and _REPORTING_RE.search(s) is not None


# --------------------------------------------------------------------------------------------
# treaty articles, lists, small blocks
# --------------------------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^[IVXLC]+$", re.I)
_ARTICLE_RE = re.compile(
    r"^(?P<word>Article|Art\.|Appendix|Annex|Application|Section|§)"
    r"(?:\s+the)?"                                       # "Article the v ." (garble)
    r"(?:\s*(?P<num>[IVXLC]+|\d+)\b(?:\s*(?P<sub>\([a-z]\)))?)?"
    r"\s*[.:]?\s*(?P<rest>.*)$",
    re.I,
)
_KINDS = {"article": "article", "art.": "article", "appendix": "annex", "annex": "annex",
          "application": "annex", "section": "section", "§": "section"}
# Allowed after the number: nothing, an elision "<…>" or a short caption ("map.").
_ARTICLE_REST_RE = re.compile(r"^(?:<…>|\[\.\.\.\]|[a-z][\w\s-]{0,20}\.?)?$", re.I)


def article_heading(p: str) -> tuple[str, str] | None:
    """Treaty article/annex/section heading → (kind, number).  Kind is ``article``, ``annex``
    (Appendix/Annex/Application) or ``section`` (Section/§); roman numerals are upper-cased
    (``ii`` → ``II``), a letter suffix kept (``I (a)``).  ``Article 4 is mistakenly indicated in
    the original.`` is a sentence, not a heading."""
    s = _plain(p)
    m = _ARTICLE_RE.match(s)
    if m is None or len(s) > 60:
        return None
    word = m.group("word").lower()
    num = m.group("num") or ""
    if not num and word != "application":
        return None
    if word == "application" and (num or m.group("rest")):
        return None  # only the bare "#### Application" (= Приложение)
    rest = m.group("rest").strip()
    if rest and not _ARTICLE_REST_RE.match(rest):
        return None
    if rest and word in ("article", "art.") and not rest.startswith(("<", "[")):
        return None
    if _ROMAN_RE.match(num):
        num = num.upper()
    if m.group("sub"):
        num = f"{num} {m.group('sub').lower()}"
    return _KINDS[word], num


# "- 1) …", "7) …", "  1. …", "A) …"; "#### 4. …" is a
# markdown heading and left to the caller.
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*]\s+)?(?P<label>\d{1,2}\)|\d{1,2}\.(?=\s+\D)|[A-Za-z]\))\s*(?=\S)")


def list_item(p: str) -> Span | None:
    """Span of a list label (``1)``, ``1.``, ``A)``) at the start of the paragraph."""
    m = _LIST_ITEM_RE.match(p)
    return m.span("label") if m else None


def list_labels(p: str) -> list[Span]:
    """Labels at the start of every line: a converted book runs items on consecutive lines
    inside one paragraph (``- 1) …\n- 2) …``; ``1. …\n2. …``)."""
    spans: list[Span] = []
    pos = 0
    for line in p.split("\n"):
        m = _LIST_ITEM_RE.match(line)
        if m:
            spans.append((pos + m.start("label"), pos + m.end("label")))
        pos += len(line) + 1
    return spans


_POSTSCRIPT_RE = re.compile(r"^(?:P\.\s*[Ss]\.|PS\b|P\.S\b)\s*[:.]?\s*\S")


def postscript(p: str) -> bool:
    """``P.s.: transferred on behalf of the instance.``, ``P.s. It is …``."""
    return _POSTSCRIPT_RE.match(p.strip()) is not None


_SEPARATOR_RE = re.compile(r"^(?:\\?\*\s*){3}$")


def separator(p: str) -> bool:
    """Section separator ``\\* \\* \\*``."""
    return _SEPARATOR_RE.match(p.strip()) is not None


_DOTS_RE = re.compile(r"^[.…\s]*[.…][.…\s]*$")


def dots_only(p: str) -> bool:
    """Elision paragraph made of dots only: ``.....``, ``..``, ``.``, ``...``."""
    return _DOTS_RE.match(p.strip()) is not None
