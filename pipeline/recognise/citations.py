"""Recognise archival shelfmarks, document-state words and publication notes in source lines.

Pure functions over one string (a line or a paragraph); every result carries character offsets
into that string so callers can wrap the spans in TEI without re-searching.

Machine translations of OCR'd Russian bring shelfmark components with mangled labels ("on."
for оп., "n"/"I"/"L." for п., "a." for д.) and mangled values ("Oil" for 011, "About" for
Об = 0б = 06).  Components are therefore recognised by *position* in the fixed Russian order
фонд → опись → папка → дело → листы, not by label alone: "p." after the delo means pages
(листы), "l." before the delo means the papka.  See PHENOMENA §5, §6, §11.

The archives are the edition's data (the registers, `pipeline/archives.py`): `Archives` is the
matcher over their printed forms. Besides the Russian order, the parser knows the common
western shapes — ``[AA: A981, GER 42]``, ``Record Group 59, 861.00/1234``, ``FO 371/3333`` —
and an archive name the registers do not know by its shape. Examples of every shape are in
``tests/fixtures/citations/shapes.yaml`` and ``tests/test_citations.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..patterns import Pattern

__all__ = [
    "NO_ARCHIVES",
    "SHELFMARK_KINDS",
    "Archive",
    "ArchiveForm",
    "Archives",
    "Citation",
    "CitationShape",
    "Part",
    "Publication",
    "find_citations",
    "find_publications",
    "is_source_line",
    "shape_problem",
]


# The kinds of shelfmark parts, in the order a msIdentifier lists them: the Russian fond, opis,
# papka, delo; a record group and file; a series with its item or piece.
SHELFMARK_KINDS = ("fond", "opis", "papka", "delo", "record-group", "series", "file", "item", "piece")

# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One printed shelfmark component, e.g. ``f. 059``; span covers label and value."""

    kind: str  # one of SHELFMARK_KINDS or "folios"
    start: int
    end: int
    label: str  # as printed: "f.", "on.", "Op.", "p.", "d.", "l.", "pp.", "L.", "F '", "" if missing
    value: str  # as printed: "059", "Oil", "321a", "8–10", "35, 35a, 36"
    reading: str | None = None  # corrected value when the printed one is damaged
    cert: str | None = None  # "high" | "medium" | "low" for the reading (or for a flagged value)
    reason: str | None = None


@dataclass(frozen=True)
class Citation:
    """One archival shelfmark: archive name through the last part (state words excluded)."""

    start: int
    end: int
    archive: str  # the register's normalised name ("AVP RF"), or the unknown name as printed
    archive_printed: str  # as printed ("" when omitted and inherited from the previous citation)
    archive_cert: str | None  # None = clean name; "medium"/"high" when garbled/renamed/inferred
    parts: list[Part]
    folios_from: str | None
    folios_to: str | None
    states: list[tuple[int, int, str]] = field(default_factory=list)
    archive_reason: str | None = None
    archive_id: str | None = None  # the register entry ("arch-avprf"); None = not in the registers

    def part(self, kind: str) -> Part | None:
        """First component of the given kind, or None."""
        return next((p for p in self.parts if p.kind == kind), None)

    @property
    def unknown_archive(self) -> str | None:
        """The review item for an archive the registers do not know, else None."""
        if self.archive_id is not None or not self.archive:
            return None
        return _UNKNOWN_REASON.format(name=self.archive)


@dataclass(frozen=True)
class Publication:
    """A note saying where the document was printed/published."""

    start: int
    end: int
    kind: str  # "printed-from-archive" | "newspaper" | "newspaper-issue" | "journal" | "collection"
    #            | "brochure" | "volume" | "collected-works"
    text: str


# --------------------------------------------------------------------------------------------
# Archive names: the edition's data (the archive entries of tei/registers.xml), never code
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveForm:
    """One printed form of an archive's name and what reading it as the archive costs."""

    text: str  # as the register lists it ("AVP RF", "wua rf", "RTsKhIDNI")
    cert: str | None = None  # None = a clean form; "medium" a garble, "high" a former name
    reason: str | None = None


@dataclass(frozen=True)
class Archive:
    """An archive of the registers: its id, the short name citations are normalised to, its forms."""

    id: str  # the register id, "arch-avprf"
    key: str  # the normalised name written in repository: "AVP RF"
    forms: tuple[ArchiveForm, ...]


@dataclass(frozen=True)
class CitationShape:
    """A citation shape an edition teaches the parser (edition.yaml `citations:`): a pattern
    whose named groups are the parts — `archive`, a shelfmark kind (`record_group` for
    record-group) and `folios` — and the archive's name when the pattern prints none."""

    pattern: Pattern
    archive: str | None = None


# The group names a citation shape may use, and the part kind each becomes.
SHAPE_GROUPS = {k.replace("-", "_"): k for k in SHELFMARK_KINDS} | {"folios": "folios"}
_UNIT_KINDS = ("delo", "file", "item", "piece")


def shape_problem(pattern: Pattern, archive: str | None) -> str | None:
    """Why a citation shape cannot give a valid citation (None when it can)."""
    groups = set(pattern.groupindex)
    unknown = sorted(groups - set(SHAPE_GROUPS) - {"archive"})
    if unknown:
        return (f"the group (?P<{unknown[0]}>…) is not a part of a citation; name groups archive, "
                + ", ".join(sorted(SHAPE_GROUPS)))
    if not groups & {k.replace("-", "_") for k in _UNIT_KINDS}:
        return "the pattern needs a group for the unit it cites: (?P<delo>…), (?P<file>…), (?P<item>…) or (?P<piece>…)"
    if "archive" not in groups and not archive and not groups & {"series", "record_group"}:
        return "the pattern names no archive: add a group (?P<archive>…) or the key 'archive: NAME'"
    if pattern.match("") is not None:
        return "the pattern matches empty text"
    return None


class Archives:
    """The archives an edition knows, as one matcher over all their printed forms, and the
    citation shapes the edition teaches (`shapes`, tried before the built-in ones).

    Forms match whole words, case-insensitively, a space in a form standing for any run of
    white space; the longest form wins. Hashable by identity so that memoised callers can key
    on it."""

    def __init__(self, archives: Sequence[Archive] = (), shapes: Sequence[CitationShape] = ()) -> None:
        self.archives = tuple(archives)
        self.shapes = tuple(shapes)
        self._by_form: dict[str, tuple[Archive, ArchiveForm]] = {}
        for a in self.archives:
            for f in (ArchiveForm(a.key), *a.forms):
                self._by_form.setdefault(_form_key(f.text), (a, f))
        forms = sorted(self._by_form, key=lambda k: (-len(k), k))
        body = "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in forms)
        # The first letters up front: most positions fail on one character class.
        first = "".join(sorted({c for k in forms for c in (k[0].lower(), k[0].upper())}))
        self.pattern: re.Pattern[str] | None = (
            re.compile(f"(?=[{re.escape(first)}])" + r"(?<![A-Za-z])(?:" + body + r")(?![A-Za-z])", re.IGNORECASE)
            if forms else None)

    def __len__(self) -> int:
        return len(self.archives)

    def lookup(self, printed: str) -> tuple[Archive, ArchiveForm] | None:
        """The archive a printed name is a form of, or None."""
        return self._by_form.get(_form_key(printed))


def _form_key(text: str) -> str:
    return " ".join(text.split()).lower()


NO_ARCHIVES = Archives()

_UNKNOWN_REASON = "unknown archive {name!r}: add it to the registers (tei/registers.xml, see docs/registers.md)"

# An archive name the registers do not know, recognised by its shape: one to three words
# of which each has at least two capitals ("RGANI", "TsGA RA", "GA RF"), or a bracketed
# abbreviation before a colon. Only accepted where a full shelfmark follows.
_CAPS_WORD = r"(?=[A-Za-z]*[A-Z][a-z]*[A-Z])[A-Z][A-Za-z]{1,9}"
# Found from the labelled fond it stands before (a cheap search), then read backwards.
_FOND_LABEL_RE = re.compile(r"(?<![A-Za-z])[fF](?:\s?['-]|\.)?\s*\d")
_UNKNOWN_NAME_RE = re.compile(rf"(?<![\w.])(?:{_CAPS_WORD})(?:[ \t]+(?:{_CAPS_WORD})){{0,2}}[\s,.]*$")


# --------------------------------------------------------------------------------------------
# Shelfmark components.  Each pattern is anchored at the current position (``.match(text, pos)``)
# and captures ``label`` and ``value``.  A bare letter label must be followed by a period, a
# space or a digit so that prose words ("for", "on the") are never read as labels.
# --------------------------------------------------------------------------------------------

# Between components: commas, periods, spaces, line breaks; never ";" (that separates citations).
_SEP_RE = re.compile(r"[\s,.]*")

_NUM = r"\d+[a-z]?(?![A-Za-z0-9])"

_FOND_RE = re.compile(
    r"(?P<label>F\s?'|F\s?-|[fF](?:\.|\s|(?=\d)))\s*"
    r"(?P<value>" + _NUM + r"|[A-Z]-\d+[a-z]?(?![A-Za-z0-9])"   # a lettered fond: "f. R-5446"
    r"|[A-Z][a-z]+\s+-\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
    r"|'?[A-Za-z]{1,5}(?=[\s,.]|$))"
)
# Fond label lost altogether ("wua rf, 059, on. 1"): only a bare number is accepted.
_FOND_BARE_RE = re.compile(r"(?P<label>)(?P<value>\d+[a-z]?)(?=[\s,.])")
_OPIS_RE = re.compile(r"(?P<label>[oO][pn](?:\.|\s|(?=\d)))\s*(?P<value>" + _NUM + r"|I(?![A-Za-z]))")
_PAPKA_RE = re.compile(
    r"(?P<label>item\s|[pPnlLI](?:\.|\s|(?=\d)))\s*"
    r"(?P<value>" + _NUM + r"|[zZ](?![A-Za-z])|Po(?![A-Za-z])|I(?![A-Za-z]))"
)
_DELO_RE = re.compile(r"(?P<label>[dD]\.,?|[dD](?=\s|\d)|a\.)\s*(?P<value>" + _NUM + r")")
# "db" = "д. б": label d with the period lost and Cyrillic б (a look-alike of 6).
_DELO_GLUED_RE = re.compile(r"(?P<label>d)(?P<value>b)(?![A-Za-z])")

# A folio number: digits with an optional letter (35a), or a garbled number made of digit
# look-alikes (I/l=1, O/o=0, S/s=5) — accepted only as the left end of a range ("Is — 21").
_FNUM = r"(?:\d+[a-z]?(?![A-Za-z])|[IlOoSs0-9]{1,4}(?=\s*[-–—]\s*\d))"
_RANGE = _FNUM + r"(?:\s*[-–—]\s*" + _FNUM + r")?(?:\s+verso)?"
_FOLIOS_RE = re.compile(
    r"(?P<label>pp\.|p\.|[lL]l\.|[lL]\.|l,|I\.|[lL](?=\s))\s*"
    r"(?P<value>" + _RANGE + r"(?:\s*,\s*" + _RANGE + r")*)"
)
_FNUM_RE = re.compile(r"(\d+[a-z]?|[IlOoSs0-9]{1,4})(\s+verso)?")

_STATE_RE = re.compile(
    r"\s*[.;,]?\s*(?P<word>Certified copy|Copy|Original|Draft|Typescript|Autograph|Typewritten text"
    r"|As manuscript)(?=\s*[.;,)]|\s*$)"
)
_STATE_NORMAL = {
    "Certified copy": "certified-copy",
    "Copy": "copy",
    "Original": "original",
    "Draft": "draft",
    "Typescript": "typescript",
    "Autograph": "autograph",
    "Typewritten text": "typewritten",
    "As manuscript": "manuscript",
}
# A citation whose archive name is omitted continues the previous one after ";".
_CONTINUATION_RE = re.compile(r"\s*\.?\s*;\s*")

_LOOKALIKE_DIGITS = str.maketrans({"I": "1", "l": "1", "i": "1", "O": "0", "o": "0", "S": "5", "s": "5"})


# --------------------------------------------------------------------------------------------
# Readings of damaged values
# --------------------------------------------------------------------------------------------


def _fond_reading(value: str, opis: str | None) -> tuple[str | None, str | None, str | None]:
    """Reading, cert, reason for a fond value that is not a plain number."""
    if re.fullmatch(r"\d+[a-z]?|[A-Z]-\d+[a-z]?", value):
        return None, None, None
    bare = value.lstrip("'")
    low = bare.lower()
    if low == "oil":
        # O→0 and i/l→1 are the commonest OCR confusions: the same opis, papka and delo are
        # printed elsewhere with a clean f. 011.
        return "011", "medium", "OCR look-alikes O→0, i→1, l→1 (cf. the clean f. 011 with the same opis)"
    if low in ("about", "ob"):
        # "06" OCR'd as Cyrillic "Об" (б looks like 6), then translated "About" or transliterated
        # "ob": "F. About. On. 3. L. 22.d. 300" is printed elsewhere as "F- 06. On. 3. L. 22.d. 300".
        return "06", "medium", "Cyrillic 'Об' (0б = 06) translated 'About' / transliterated 'ob'"
    if low in ("oh", "ou"):
        # Two glyphs, first = 0, second unreadable: could be 06 or 011.  In the bundled edition's
        # AVP RF citations f. 011 only occurs with on. 4 and f. 06 with on. 1–3, so the opis
        # decides — weakly, hence cert="low".
        if opis == "4":
            return "011", "low", "garbled 0?; opis 4 goes with f. 011 in the clean citations"
        if opis in ("1", "2", "3"):
            return "06", "low", "garbled 0?; opis 1–3 goes with f. 06 in the clean citations"
        return None, None, "garbled fond number, unreadable"
    if " - " in value:
        # "f. For - Great Britain": a translated fond *name* (a referentura), not a number.
        return None, None, "fond given by (translated) name, kept as printed"
    return None, None, "unrecognised fond value"


def _small_reading(kind: str, value: str) -> tuple[str | None, str | None, str | None]:
    """Reading for opis/papka values that are letters standing for digits."""
    if value == "I":
        return "1", "medium", "OCR: capital I for digit 1"
    if kind == "papka" and value in ("z", "Z"):
        return "3", "medium", "Cyrillic з read for digit 3"
    if kind == "papka" and value == "Po":
        return None, None, "unreadable papka number ('По'?)"
    return None, None, None


def _folio_number(token: str) -> tuple[str, bool]:
    """Normalise one printed leaf number; returns (number, was_damaged)."""
    m = _FNUM_RE.fullmatch(token.strip())
    if m is None:
        return token.strip(), True
    num, verso = m.group(1), m.group(2)
    damaged = not re.fullmatch(r"\d+[a-z]?", num)
    if damaged:
        num = num.translate(_LOOKALIKE_DIGITS)
    return num + ("v" if verso else ""), damaged


def _folio_analysis(value: str) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(from, to, reading, cert, reason) for a printed folio value such as "35, 35a, 36" or "Is — 21"."""
    numbers = re.findall(r"[0-9A-Za-z]+(?:\s+verso)?", value)
    numbers = [n for n in numbers if n != "verso"]
    if not numbers:
        return None, None, None, None, None
    parsed = [_folio_number(n) for n in numbers]
    first, last = parsed[0][0], parsed[-1][0]
    reading = cert = reason = None
    if any(d for _, d in parsed):
        reading = re.sub(r"\s*[-–—]\s*", "-", value)
        for raw, (norm, damaged) in zip(numbers, parsed, strict=True):
            if damaged:
                reading = reading.replace(raw, norm, 1)
        cert, reason = "low", "OCR look-alikes in leaf number (I/l→1, O→0, S→5)"
    else:
        pair = re.fullmatch(r"(\d+)\s*[-–—]\s*(\d+)", value)
        if pair and int(pair.group(1)) > int(pair.group(2)):
            cert, reason = "low", "range printed in reverse order"
    return first, last, reading, cert, reason


# --------------------------------------------------------------------------------------------
# Parsing one shelfmark
# --------------------------------------------------------------------------------------------


def _match_after_sep(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    # _SEP_RE can match the empty string, so it always matches.
    sep = _SEP_RE.match(text, pos)
    return pattern.match(text, sep.end() if sep else pos)


def _match_delo(text: str, pos: int) -> re.Match[str] | None:
    return _match_after_sep(_DELO_RE, text, pos) or _match_after_sep(_DELO_GLUED_RE, text, pos)


def _plain_part(kind: str, m: re.Match[str]) -> Part:
    value = m.group("value")
    reading, cert, reason = _small_reading(kind, value)
    return Part(kind, m.start(), m.end(), m.group("label").strip(), value, reading, cert, reason)


def _parse_components(text: str, pos: int, *, require_label: bool) -> list[Part] | None:
    """Parse fond [opis] [papka] delo [folios] starting at ``pos``; None if no fond follows."""
    fm = _match_after_sep(_FOND_RE, text, pos)
    if fm is None and not require_label:
        fm = _match_after_sep(_FOND_BARE_RE, text, pos)
    if fm is None:
        return None
    parts: list[Part] = []
    cursor = fm.end()

    om = _match_after_sep(_OPIS_RE, text, cursor)
    opis: Part | None = None
    if om is not None:
        opis = _plain_part("opis", om)
        cursor = om.end()

    opis_value = (opis.reading or opis.value) if opis else None
    f_value = fm.group("value")
    reading, cert, reason = _fond_reading(f_value, opis_value)
    fond = Part("fond", fm.start(), fm.end(), fm.group("label").strip(), f_value, reading, cert, reason)
    parts.append(fond)
    if opis is not None:
        parts.append(opis)

    # Delo first: when a "p."/"l."/"I." follows the opis directly it is a papka only if a delo
    # comes after it (APRF shelfmarks have no papka: "on. 64, d. 675, I. 49-67").
    dm = _match_delo(text, cursor)
    if dm is None:
        pm = _match_after_sep(_PAPKA_RE, text, cursor)
        if pm is not None:
            dm = _match_delo(text, pm.end())
            if dm is not None:
                parts.append(_plain_part("papka", pm))
    if dm is None:
        return parts if not require_label else None
    if dm.re is _DELO_GLUED_RE:
        parts.append(Part("delo", dm.start(), dm.end(), "d", "b", "6", "low",
                          "'db' = д. б (Cyrillic б for 6)"))
    else:
        parts.append(_plain_part("delo", dm))

    lm = _match_after_sep(_FOLIOS_RE, text, dm.end())
    if lm is not None:
        value = lm.group("value").rstrip()
        _, _, reading, cert, reason = _folio_analysis(value)
        parts.append(Part("folios", lm.start(), lm.end(), lm.group("label"), value, reading, cert, reason))
    return parts


def _parse_states(text: str, pos: int) -> tuple[list[tuple[int, int, str]], int]:
    """Document-state words directly after a citation; returns them and the position after."""
    states: list[tuple[int, int, str]] = []
    while (m := _STATE_RE.match(text, pos)) is not None:
        states.append((m.start("word"), m.end("word"), _STATE_NORMAL[m.group("word")]))
        pos = m.end()
    return states, pos


def _build(start: int, printed: str, resolved: _Resolved, parts: list[Part],
           states: list[tuple[int, int, str]], end: int | None = None) -> Citation:
    folios = next((p for p in parts if p.kind == "folios"), None)
    f_from = f_to = None
    if folios is not None:
        f_from, f_to, _, _, _ = _folio_analysis(folios.value)
    archive, archive_id, cert, reason = resolved
    return Citation(start, parts[-1].end if end is None else end, archive, printed, cert, parts, f_from, f_to,
                    states, reason, archive_id)


# The archive a citation names: (normalised name, register id, cert, reason).
_Resolved = tuple[str, str | None, str | None, str | None]


def _resolve(printed: str, archives: Archives) -> _Resolved:
    """The register's reading of a printed archive name; an unknown name stays as printed."""
    found = archives.lookup(printed)
    if found is None:
        return " ".join(printed.split()), None, None, None
    archive, form = found
    return archive.key, archive.id, form.cert, form.reason


def _russian_citations(text: str, archives: Archives) -> list[Citation]:
    """Citations in the Russian order archive, fond, opis, [papka,] delo, folios; the archive
    a register form, or an unknown abbreviation before a labelled fond."""
    found: list[Citation] = []
    anchors: list[tuple[int, int, bool]] = []  # start, end, known
    if archives.pattern is not None:
        anchors.extend((m.start(), m.end(), True) for m in archives.pattern.finditer(text))
    for fm in _FOND_LABEL_RE.finditer(text):
        window = max(0, fm.start() - 40)
        nm = _UNKNOWN_NAME_RE.search(text, window, fm.start())
        if nm is not None:
            name = nm.group(0).rstrip(" \t\n,.")
            anchors.append((nm.start(), nm.start() + len(name), False))
    anchors.sort(key=lambda a: (a[0], not a[2]))
    pos = 0
    for start, end, known in anchors:
        if start < pos:
            continue
        parts = _parse_components(text, end, require_label=not known)
        if not parts:
            continue
        printed = text[start:end]
        resolved = _resolve(printed, archives)
        states, after = _parse_states(text, parts[-1].end)
        found.append(_build(start, printed, resolved, parts, states))
        pos = after
        # Continuations (behind a ";") inherit the archive of the citation they follow.
        while (cm := _CONTINUATION_RE.match(text, pos)) is not None:
            cparts = _parse_components(text, cm.end(), require_label=True)
            if not cparts or not any(p.kind == "delo" for p in cparts):
                break
            inherited = (resolved[0], resolved[1], "medium", "archive name omitted; continues the previous citation")
            states, after = _parse_states(text, cparts[-1].end)
            found.append(_build(cparts[0].start, "", inherited, cparts, states))
            pos = after
    return found


# [AA: A981, GER 42] — an archive's abbreviation, then series and item, in square brackets.
_BRACKET_RE = re.compile(
    r"\[[ \t]*(?P<name>[A-Z][A-Za-z]*(?:[ \t.]{1,2}[A-Za-z]+)*\.?)[ \t]*:[ \t]*"
    r"(?P<series>[A-Za-z0-9][\w./-]*(?:[ \t][\w./-]+)*?)[ \t]*,[ \t]*(?P<item>[^\[\]\n]*?[^\s\[\],;.])[ \t]*\.?\]"
)
# Record Group 59, 861.00/1234 — a record group, then a (decimal) file.
_RECORD_GROUP_RE = re.compile(r"(?<![\w])(?P<label>Record[ \t]+Group|RG)[ \t]*(?P<value>\d+[A-Z]?)(?![\w])")
_FILE_RE = re.compile(
    r"[ \t]*[,;:][ \t]*(?P<label>(?:(?:Central[ \t]+)?Decimal[ \t]+)?File(?:[ \t]+No\.)?[ \t]*)?"
    r"(?P<value>\d+(?:\.[\dA-Za-z]+)*/[\w.-]*\w|(?<=File )\d[\w.-]*\w)"
)
# FO 371/3333 — a department code and series, then the piece.
_SERIES_PIECE_RE = re.compile(
    r"(?<![\w/])(?P<series>[A-Z]{1,5}[ \t]+\d{1,4})[ \t]*/[ \t]*(?P<piece>\d{1,6}[A-Za-z]?)(?![\w/])"
)
# An archive named before a record group or a series/piece: a register form, or up to six
# capitalised words ("National Archives", "The National Archives, Kew", "TNA", "PRO").
_NAME_BEFORE_RE = re.compile(
    r"(?P<name>(?:[A-Z][A-Za-z]*)(?:[ \t]+(?:of|the|for|[A-Z][A-Za-z]*)){0,5})"
    r"(?:[ \t]*,[ \t]*[A-Z][a-z]+)?[ \t]*[,:.]?[ \t]*$"
)


def _name_before(text: str, pos: int, archives: Archives) -> tuple[int, str, _Resolved] | None:
    """The archive named right before ``pos``: (start, printed, resolved), or None."""
    window_start = max(0, pos - 90)
    window = text[window_start:pos]
    if archives.pattern is not None:
        for m in archives.pattern.finditer(window):
            if re.fullmatch(r"[ \t]*[,:.]?[ \t]*", window[m.end():]):
                return window_start + m.start(), m.group(0), _resolve(m.group(0), archives)
    nm = _NAME_BEFORE_RE.search(window)
    if nm is None:
        return None
    name = nm.group("name")
    # An abbreviation ("TNA", "PRO") or at least two capitalised words ("National Archives");
    # a single word ("See", "Source") is not an archive's name.
    capitalised = [w for w in name.split() if w[:1].isupper()]
    if not (re.search(_CAPS_WORD, name) or len(capitalised) >= 2):
        return None
    return window_start + nm.start("name"), name, _resolve(name, archives)


def _part(kind: str, m: re.Match[str], value: str = "value", label: str | None = "label") -> Part:
    lab = (m.group(label) or "").strip() if label else ""
    start = m.start(label) if label and m.group(label) else m.start(value)
    return Part(kind, start, m.end(value), lab, m.group(value))


def _looks_like_shelfmark(name: str, signature: str) -> bool:
    """An unregistered archive in brackets: an abbreviation ("AA", "NAA") or a name of two
    capitalised words, and a signature with a number in it."""
    words = [w for w in name.split() if w[:1].isupper()]
    return bool(re.search(r"\d", signature)) and (bool(re.fullmatch(_CAPS_WORD, name)) or len(words) >= 2)


def _western_citations(text: str, archives: Archives) -> list[Citation]:
    """Bracketed [archive: series, item], record group + file, and series/piece citations."""
    found: list[Citation] = []
    if "[" not in text and "/" not in text and "File" not in text:  # every western shape has one
        return found
    for m in _BRACKET_RE.finditer(text):
        printed = m.group("name").rstrip(".")
        if archives.lookup(printed) is None and not _looks_like_shelfmark(printed, m.group("series") + m.group("item")):
            continue  # "[Illustration: A map, 1914.]": a transcriber's label, not an archive
        parts = [_part("series", m, "series", None), _part("item", m, "item", None)]
        found.append(_build(m.start(), printed, _resolve(printed, archives), parts, [], end=m.end()))
    for m in _RECORD_GROUP_RE.finditer(text):
        fm = _FILE_RE.match(text, m.end())
        if fm is None:
            continue
        parts = [_part("record-group", m), _part("file", fm)]
        if (c := _with_name_before(text, m.start(), parts, archives)) is not None:
            found.append(c)
    for m in _SERIES_PIECE_RE.finditer(text):
        parts = [_part("series", m, "series", None), _part("piece", m, "piece", None)]
        # Without an archive name the shape is weak ("USSR 12/3" in prose): it must open the
        # text or follow a colon or semicolon.
        c = _with_name_before(text, m.start(), parts, archives, bare=_SOURCE_OPENING_RE.fullmatch(text[:m.start()]))
        if c is not None:
            found.append(c)
    return found


_SOURCE_OPENING_RE = re.compile(r"(?:.*[;:])?[\s(\[*\"]*", re.S)


def _with_name_before(text: str, start: int, parts: list[Part], archives: Archives,
                      bare: object = True) -> Citation | None:
    named = _name_before(text, start, archives)
    states, _ = _parse_states(text, parts[-1].end)
    if named is None:
        return _build(start, "", ("", None, None, None), parts, states) if bare else None
    nstart, printed, resolved = named
    return _build(nstart, printed, resolved, parts, states)


def _preset_shapes() -> tuple[CitationShape, ...]:
    """The citation shapes shipped with the pipeline (citation-shapes.yaml), checked like an
    edition's own."""
    from importlib import resources

    import yaml

    data = yaml.safe_load((resources.files("pipeline.recognise") / "citation-shapes.yaml").read_text(encoding="utf-8"))
    shapes = []
    for item in data:
        shape = CitationShape(re.compile(item["pattern"]), item.get("archive"))
        problem = shape_problem(shape.pattern, shape.archive)
        assert problem is None, (item["pattern"], problem)
        shapes.append(shape)
    return tuple(shapes)


PRESET_SHAPES = _preset_shapes()


def _shape_citations(text: str, archives: Archives) -> list[Citation]:
    """Citations in the shapes the edition teaches (edition.yaml `citations:`), then in the
    preset's (citation-shapes.yaml)."""
    found: list[Citation] = []
    for shape in archives.shapes + PRESET_SHAPES:
        for m in shape.pattern.finditer(text):
            if m.end() == m.start():
                continue
            parts = [Part(SHAPE_GROUPS[g], m.start(g), m.end(g), "", m.group(g).strip())
                     for g in shape.pattern.groupindex if g != "archive" and m.group(g) and m.group(g).strip()]
            if not any(p.kind in _UNIT_KINDS for p in parts):
                continue
            parts.sort(key=lambda p: p.start)
            if "archive" in shape.pattern.groupindex and m.group("archive"):
                printed = m.group("archive")
                resolved = _resolve(printed, archives)
            else:
                printed = ""
                resolved = _resolve(shape.archive, archives) if shape.archive else ("", None, None, None)
            states, _ = _parse_states(text, m.end())
            found.append(_build(m.start(), printed, resolved, parts, states, end=m.end()))
    return found


def find_citations(text: str, archives: Archives = NO_ARCHIVES) -> list[Citation]:
    """All archival citations in ``text``, left to right, not overlapping.

    ``start`` is always the first character of the printed archive name (or of the first part
    when no name is printed), so text before it on the line is a signature/recorder the caller
    can split off.

    Shapes: the Russian order (archive, fond, opis, [papka,] delo, folios: the archive a form
    of ``archives`` followed by at least a fond, or an unknown abbreviation followed by a
    labelled fond and a delo; continuations without an archive name only right after a
    citation, behind a ";"); ``[archive: series, item]``; ``Record Group N, file``; and
    ``SERIES N/piece``; before them, the shapes the edition teaches (``archives.shapes``)
    and the preset's (``PRESET_SHAPES``: PA AA, BArch, the French diplomatic archives), which
    win where they cover the same text. A name the registers do not know gives
    ``archive_id`` None.
    """
    candidates = _shape_citations(text, archives)
    candidates += _russian_citations(text, archives) + _western_citations(text, archives)
    candidates.sort(key=lambda c: (c.start, -c.end))  # stable: a taught shape wins a tie
    found: list[Citation] = []
    end = -1
    for c in candidates:
        if c.start >= end:
            found.append(c)
            end = max(c.end, max((e for _, e, _ in c.states), default=c.end))
    return found


# --------------------------------------------------------------------------------------------
# Publication references (PHENOMENA §6)
# --------------------------------------------------------------------------------------------

# "Печат. по арх." in its many renderings: "Print. By architect.", "Printed by architect.",
# "Print t. By architect.", "Pgchat. About arch.", "Pgkat. By arch", "Print. By srh.",
# "There is no print. By apx,", "It's a seal. By arch."
_PRINTED_ARCHIVE_RE = re.compile(
    r"(?<![A-Za-z])(?:There\s+is\s+no\s+print|It's\s+a\s+seal|Print(?:ed|\s*t)?|Pg[a-z]{2,3}t)"
    r"\s*\.?\s+(?:by|about)\s+(?:architect|arch|srh|apx)(?![A-Za-z])[.,]?",
    re.IGNORECASE,
)
# "Опубл. в газ." = "Publ. into gas.", "Print. By gas.", "The opoble. To the gas."; the rest of
# the line is the newspaper, issue and date, continued on the next line after a trailing comma.
_NEWSPAPER_RE = re.compile(
    r"(?<![A-Za-z])(?:Publ|Print|The\s+opoble)\s*\.\s*(?:into|by|to\s+the)\s+gas\s*\.[^\S\n]*"
    r"(?:[^*\n]*,[^\S\n]*\n[^*\n]*|[^*\n]*)",
    re.IGNORECASE,
)
# "Publ .: journal. - 1995. - no. 4. - p. 77-79." — ends at the page reference (p./s. = с.).
_JOURNAL_HEAD_RE = re.compile(r"(?<![A-Za-z])Publ\s*\.\s*:")
_COLLECTION_HEAD_RE = re.compile(r"(?<![A-Za-z])Publ\s*\.\s*in\s+the\s+[\"“]", re.IGNORECASE)
_PAGES_TAIL_RE = re.compile(r"(?<![A-Za-z])(?:pp|p|s)\s*\.\s*\d+(?:\s*-\s*\d+)?\.?")
_VOLUME_MARK_RE = re.compile(r"-\s*t\s*\.\s*(?:\d+|[IVX]+)\b")
_BROCHURE_RE = re.compile(
    r"(?<![A-Za-z])Print(?:ed)?\s*\.?\s+according\s+to\s+the\s+brochure\s+"
    r"(?:[\"“][^\"”ʺ]*[\"”ʺ]"
    r"(?:\s*,\s*(?:[A-Z][A-Za-z.]*\s*,\s*)?M\.\s*\d{4}\.?)?(?:\s*As\s+manuscript\.?)?"
    r"|[\"“][^\"”ʺ]*$)",  # quote left open: the line/paragraph was cut
    re.IGNORECASE,
)
# The issue line of a newspaper reference printed as its own paragraph after "Publ. Into gas.
# "news"": "No. 239 (1382), October 25, 1921" — the parenthesised
# running issue number makes it distinguishable from a dateline's outgoing number.
_NEWSPAPER_ISSUE_RE = re.compile(
    r"(?<![A-Za-z])No\.\s*\d+\s*\(\d[\d ]*\),\s*[A-Z][a-z]+\s+\d{1,2},\s*\d{4}"
)
# Collected works cited in a note: "(Stalin I.V. Op. T. 5. S. 424)" = Соч. Т. 5. С. 424.
_WORKS_RE = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z]+\s+(?:[A-Z]\.\s*){1,2}Op\.\s*T\.\s*\d+\.\s*S\.\s*\d+(?:\s*-\s*\d+)?"
)
# Source volume quoted at the top of a document.
_SOURCE_VOLUME_RE = re.compile(r"USSR\s+foreign\s+policy\s+documents\.\s*T\.\s*\d+[^*\n]*", re.IGNORECASE)


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _rstrip_span(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n\xa0":
        end -= 1
    return end


def _up_to_pages(text: str, head_end: int) -> int:
    """End of a Publ. reference: its page reference, else the end of the line."""
    line_end = _line_end(text, head_end)
    m = _PAGES_TAIL_RE.search(text, head_end, line_end)
    return m.end() if m else line_end


def find_publications(text: str) -> list[Publication]:
    """All publication references in ``text``, left to right, non-overlapping."""
    spans: list[tuple[int, int, str]] = []
    low = text.lower()
    # Each pattern needs a word the text must contain: most texts are skipped by that test.
    if "arch" in low or "srh" in low or "apx" in low:
        for m in _PRINTED_ARCHIVE_RE.finditer(text):
            spans.append((m.start(), m.end(), "printed-from-archive"))
    if "gas" in low:
        for m in _NEWSPAPER_RE.finditer(text):
            spans.append((m.start(), m.end(), "newspaper"))
    if "brochure" in low:
        for m in _BROCHURE_RE.finditer(text):
            spans.append((m.start(), m.end(), "brochure"))
    if "ussr" in low:
        for m in _SOURCE_VOLUME_RE.finditer(text):
            spans.append((m.start(), m.end(), "volume"))
    if "No." in text:
        for m in _NEWSPAPER_ISSUE_RE.finditer(text):
            spans.append((m.start(), m.end(), "newspaper-issue"))
    if "Op." in text:
        for m in _WORKS_RE.finditer(text):
            spans.append((m.start(), m.end(), "collected-works"))
    if "publ" in low:
        for m in _COLLECTION_HEAD_RE.finditer(text):
            spans.append((m.start(), _up_to_pages(text, m.end()), "collection"))
    for m in _JOURNAL_HEAD_RE.finditer(text) if "Publ" in text else ():
        end = _up_to_pages(text, m.end())
        kind = "volume" if _VOLUME_MARK_RE.search(text, m.end(), end) else "journal"
        spans.append((m.start(), end, kind))

    result: list[Publication] = []
    last_end = -1
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        end = _rstrip_span(text, start, end)
        if start < last_end or end <= start:
            continue
        result.append(Publication(start, end, kind, text[start:end]))
        last_end = end
    return result


# --------------------------------------------------------------------------------------------
# Whole-line classification
# --------------------------------------------------------------------------------------------

# What may remain of a source line once citations, states and publications are cut out:
# punctuation, markdown emphasis, an editor's remark, and a "Publ" whose ".: journal …" went
# to the next line.
_RESIDUE_RE = re.compile(
    r"(?:\((?:Emphasis|Italics)\s+(?:added|mine|ours)\b[^()\n]{0,30}\)|[\s.,;:*\\()\"”“]|Publ\s*$)*")
# A signature / recorder glued before the citation: a few words, no sentence boundary.
_SENTENCE_END_RE = re.compile(r"[a-z]{3,}[.!?]\s+\S|[!?]")
_MAX_PREFIX_WORDS = 12


def _is_signature(prefix: str) -> bool:
    stripped = prefix.strip(" \t\n\xa0*\\,")
    if not stripped:
        return True
    return len(stripped.split()) <= _MAX_PREFIX_WORDS and not _SENTENCE_END_RE.search(stripped)


def is_source_line(text: str, archives: Archives = NO_ARCHIVES) -> bool:
    """True if ``text`` is only (signature/recorder words +) citations, state words, publication refs."""
    covered: list[tuple[int, int]] = []
    for c in find_citations(text, archives):
        covered.append((c.start, c.end))
        covered.extend((s, e) for s, e, _ in c.states)
    covered.extend((p.start, p.end) for p in find_publications(text))
    if not covered:
        return False
    covered.sort()
    if not _is_signature(text[: covered[0][0]]):
        return False
    pos = covered[0][1]
    for start, end in covered[1:]:
        if start > pos and not _RESIDUE_RE.fullmatch(text, pos, start):
            return False
        pos = max(pos, end)
    return _RESIDUE_RE.fullmatch(text, pos) is not None
