"""Finding the register's names in a text: pure functions, no files, no TEI.

The register (tei/registers.xml) lists for every person, place and organisation the forms
in which the sources print its name. This module turns those forms into a matcher and
finds them in a text:

- whole words only: a form never matches inside a word, nor as one half of a hyphenated
  compound ("Veli" is not found in "Veli-dag");
- the longest form wins ("Yusuf Kemal" before "Kemal"), leftmost first, no overlaps;
- case: a form matches as written; a capitalised word of a form also matches in lower
  case (the sources' sentence-case damage: "berlin", "angora", "v. M. Molotov") unless
  the lower-case word is a common English word ("turkey", "grand", "union"); initials
  ("V.") match in either case;
- initials printed before a matched surname ("V. M. Molotov", "ca. Vinogradova",
  "al. Shkvartsev") are taken into the mention;
- a form listed under several entries is ambiguous: its mentions are returned with all
  candidates and are never linked by guesswork. So is a form the register marks
  `subtype="ambiguous"` under one entry only: it may also mean no entry at all (the
  ordinary phrase "international life" besides the journal of that name).

Office forms ("people's commissar for foreign affairs of the RSFSR", valid for a period)
are not searched in running text; `OfficeIndex` resolves a correspondent who is named only
by office in a document's heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Words: letters and digits (the modifier primes ʹ ʺ of the web sources are punctuation);
# anything else that is not a space is a one-character token.
TOKEN = re.compile(r"[^\W_ʹʺ]+|[^\s]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HYPHENS = "-‐‑"
# Honorifics that the sources join to a name with a hyphen ("Kemal-bey", "Sami-bey"): the
# name before them is still a whole word.
HONORIFICS = frozenset({"bey", "bek", "pasha", "pasa", "khan", "effendi", "aga", "agha"})

# Lower-case words that must not be taken for a name when a source lower-cases a
# register form. Editors: a form word that is also an ordinary English word belongs here.
COMMON_WORDS = _words("""
a about after against air all and anti army art assembly at bank bay bey black border
bureau by central china chief city committee commission common conference congress
council court de der die east eastern empire entente executive far field foreign front
general german good government grand great gulf head headquarters high home house
in independent islands joint kingdom lake land law league little lord major may middle
military minor ministry mission mount national nations navy near new north northern
of office on old pact pacific party people peoples permanent persian plenipotentiary
popular republic revolutionary river rose royal sea secretariat soviet state states
strait straits supreme the times trade turkey union united upper van von west western
white world young
""")

# Tokens that look like an initial but are not one when they stand before a name: titles
# and short words (any case), and "c."/"t." for "comrade" (lower case only).
NOT_INITIALS = _words("""
mr mrs ms dr st no nos op on of to in is it at by up as an or if be do go he me my so
us we am ok vs cf ed eg ie pp gen col cde lt sr jr fr
""")
NOT_INITIALS_LOWER = _words("c t")

KINDS = ("person", "place", "org")


@dataclass(frozen=True)
class Office:
    """A dated form: the entry is meant by this office in the period [start, end]."""

    text: str
    key: tuple[str, ...]
    start: str | None
    end: str | None

    def covers(self, when: str | None) -> bool:
        """Whether a date (YYYY, YYYY-MM or YYYY-MM-DD) falls in the period; dates of
        different precision are compared on their common part."""
        if not when:
            return False
        when = when[:10]
        return (self.start is None or _compare(when, self.start) >= 0) and \
            (self.end is None or _compare(when, self.end) <= 0)


def _compare(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return (a[:n] > b[:n]) - (a[:n] < b[:n])


@dataclass(frozen=True)
class Entry:
    """A register entry as the matcher needs it."""

    id: str
    kind: str  # person | place | org
    preferred: str
    forms: tuple[str, ...]  # every form that may be searched in the text, preferred included
    ambiguous: frozenset[str] = frozenset()  # forms the register marks as shared with other entries
    offices: tuple[Office, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A form found in a text: [start, end) in the text, the form, the candidate entries."""

    start: int
    end: int
    text: str
    form: str
    ids: tuple[str, ...]
    kind: str  # kind of the first candidate; "mixed" when candidates differ in kind
    marked: bool = False  # the register marks the form ambiguous (it may mean none of the ids)

    @property
    def ambiguous(self) -> bool:
        return self.marked or len(self.ids) != 1


@dataclass
class _Form:
    text: str
    tokens: tuple[str, ...]
    initial: tuple[bool, ...]
    ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    marked: bool = False  # an entry marks the form subtype="ambiguous"


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The tokens of a text with their offsets."""
    return [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _form_tokens(form: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    toks = [t for t, _, _ in tokens(form)]
    initial = tuple(len(t) == 1 and t.isalpha() and i + 1 < len(toks) and toks[i + 1] == "."
                    for i, t in enumerate(toks))
    return tuple(toks), initial


def strip_qualifier(name: str) -> str:
    """'Ivanov (chargé d'affaires in France)' → 'Ivanov': qualifiers are not printed forms."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


PUNCT_EQUIV = str.maketrans({"ʹ": "'", "’": "'", "‘": "'", "ʺ": '"', "“": '"', "”": '"', "‐": "-", "‑": "-",
                             "–": "-"})


def word_matches(form_tok: str, text_tok: str, initial: bool, single: bool = True) -> bool:
    """Whether a text token matches a form token. `single`: the form is one word (then a
    lower-cased common word is not taken for it)."""
    if form_tok == text_tok:
        return True
    if initial:
        return form_tok.lower() == text_tok.lower()
    if not form_tok[:1].isalpha():
        return len(form_tok) == 1 and form_tok.translate(PUNCT_EQUIV) == text_tok.translate(PUNCT_EQUIV)
    lower = form_tok.lower()
    if form_tok[0].isupper() and form_tok[1:] == form_tok[1:].lower():
        # a capitalised form word also matches in lower case; for a one-word form, not when
        # the lower-case word is a common word ("turkey"), a phrase ("black sea") always
        return text_tok == lower and (not single or lower not in COMMON_WORDS)
    if form_tok == lower:
        # a lower-case form word also matches capitalised (at the start of a sentence)
        return text_tok == form_tok[:1].upper() + form_tok[1:]
    return False


def _is_initial(tok: str) -> bool:
    return tok.isalpha() and 1 <= len(tok) <= 2 and tok.lower() not in NOT_INITIALS \
        and tok not in NOT_INITIALS_LOWER and (len(tok) == 1 or tok[1:].islower())


class Matcher:
    """Finds the forms of a set of register entries in texts."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        forms: dict[str, _Form] = {}
        for entry in entries:
            self.entries[entry.id] = entry
            for text in entry.forms:
                text = " ".join(text.split())
                if not text:
                    continue
                toks, initial = _form_tokens(text)
                if not toks:
                    continue
                f = forms.setdefault(text, _Form(text, toks, initial))
                if entry.id not in f.ids:
                    f.ids.append(entry.id)
                    f.kinds.append(entry.kind)
                f.marked = f.marked or text in {" ".join(a.split()) for a in entry.ambiguous}
        self.forms = forms
        self._by_first: dict[str, list[_Form]] = {}
        for f in forms.values():
            self._by_first.setdefault(f.tokens[0].lower(), []).append(f)
        for lst in self._by_first.values():
            lst.sort(key=lambda f: (-len(f.tokens), f.text))

    # -- searching ---------------------------------------------------------------------------

    def find(self, text: str) -> list[Mention]:
        """All mentions in `text`, leftmost-longest, not overlapping; ambiguous ones included."""
        toks = tokens(text)
        out: list[Mention] = []
        i = 0
        last_end = 0
        while i < len(toks):
            best = self._longest_at(text, toks, i)
            if best is None:
                i += 1
                continue
            f, j = best  # tokens i..j-1
            start, end = toks[i][1], toks[j - 1][2]
            if set(f.kinds) == {"person"}:  # printed initials belong to a person's name
                start = self._extend_initials(text, toks, i, last_end)
            kinds = set(f.kinds)
            kind = f.kinds[0] if len(kinds) == 1 else "mixed"
            out.append(Mention(start, end, text[start:end], f.text, tuple(f.ids), kind, f.marked))
            last_end = end
            i = j
        return out

    def _longest_at(self, text: str, toks: list[tuple[str, int, int]], i: int) -> tuple[_Form, int] | None:
        cands = self._by_first.get(toks[i][0].lower())
        if not cands:
            return None
        start = toks[i][1]
        if start >= 2 and text[start - 1] in HYPHENS and text[start - 2].isalpha():
            return None  # second half of a hyphenated compound
        for f in cands:
            n = len(f.tokens)
            if i + n > len(toks):
                continue
            single = sum(1 for t, ini in zip(f.tokens, f.initial, strict=True) if t[:1].isalpha() and not ini) == 1
            if not all(word_matches(ft, toks[i + k][0], f.initial[k], single) for k, ft in enumerate(f.tokens)):
                continue
            end = toks[i + n - 1][2]
            if not self._spacing_ok(text, toks, i, n):
                continue
            if end + 1 < len(text) and text[end] in HYPHENS and text[end + 1].isalpha() \
                    and f.tokens[-1][-1:].isalpha():
                nxt = TOKEN.match(text, end + 1)
                if not nxt or nxt.group(0).lower() not in HONORIFICS:
                    continue  # first half of a hyphenated compound
            return f, i + n
        return None

    @staticmethod
    def _spacing_ok(text: str, toks: list[tuple[str, int, int]], i: int, n: int) -> bool:
        """The tokens of a form must not straddle a line of their own or a long gap."""
        for k in range(i, i + n - 1):
            gap = text[toks[k][2]:toks[k + 1][1]]
            if "\n\n" in gap or len(gap) > 3:
                return False
        return True

    @staticmethod
    def _extend_initials(text: str, toks: list[tuple[str, int, int]], i: int, floor: int) -> int:
        """Takes printed initials before the name into the mention: 'V. M. Molotov', 'ca. X'."""
        start = toks[i][1]
        k = i
        while k >= 2 and toks[k - 1][0] == "." and _is_initial(toks[k - 2][0]):
            init_start = toks[k - 2][1]
            if init_start < floor:
                break
            gap = text[toks[k - 1][2]:toks[k][1]]
            if len(gap) > 1 or "\n" in gap:
                break
            before = text[init_start - 1] if init_start > 0 else " "
            if before.isalnum() or before in HYPHENS or before in "'’ʹ":
                break
            start = init_start
            k -= 2
        return start


# -- offices and whole names -----------------------------------------------------------------

_ARTICLES = {"the", "a", "an"}
_SYNONYMS = {"commissioner": "commissar", "commissary": "commissar", "for": "of", "to": "in"}


def office_key(text: str) -> tuple[str, ...]:
    """A normalised key for comparing office descriptions and whole names: lower case,
    apostrophes unified, articles and punctuation dropped, 'commissioner'/'commissary' →
    'commissar', 'for' → 'of', 'to' → 'in', single letters dropped."""
    text = text.replace("ʹ", "'").replace("’", "'").replace("‐", "-")
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower())
    out = []
    for w in words:
        if w in _ARTICLES or len(w) == 1:  # articles and stray letters ("k- a. Mikhailov")
            continue
        out.append(_SYNONYMS.get(w, w))
    return tuple(out)


class OfficeIndex:
    """Resolves a description such as 'the plenipotentiary representative of the RSFSR in
    Turkey' on a given date to the entry that held the office then."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._offices: dict[tuple[str, ...], list[tuple[Office, str]]] = {}
        self._whole: dict[tuple[str, ...], set[str]] = {}
        for e in entries:
            for o in e.offices:
                self._offices.setdefault(o.key, []).append((o, e.id))
            for f in e.forms:
                self._whole.setdefault(office_key(f), set()).add(e.id)

    def by_office(self, description: str, when: str | None) -> list[str]:
        key = office_key(description)
        return sorted({eid for o, eid in self._offices.get(key, []) if o.covers(when)})

    def by_whole_name(self, description: str) -> list[str]:
        """Entries one of whose forms is the whole description (after normalisation)."""
        return sorted(self._whole.get(office_key(description), set()))


def split_mentions(text: str, mentions: Sequence[Mention]) -> list[tuple[str, Mention]]:
    """Cuts a description naming several entries ('I. Stalin and Member of …, G. Ordzhonikidze')
    into one part per mention: each part runs from the end of the previous part (less a
    joining 'and' or comma) to the end of its mention."""
    parts: list[tuple[str, Mention]] = []
    pos = 0
    for k, m in enumerate(mentions):
        end = m.end if k < len(mentions) - 1 else len(text)
        seg = text[pos:end]
        seg = re.sub(r"^\s*(?:,|and\b|&)?\s*", "", seg)
        parts.append((seg.strip(" ,;"), m))
        pos = m.end
    return parts


__all__ = ["COMMON_WORDS", "Entry", "Matcher", "Mention", "Office", "OfficeIndex", "office_key",
           "split_mentions", "strip_qualifier", "tokens", "word_matches"]
