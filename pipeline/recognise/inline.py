"""Tokenise the text of one paragraph into inline phenomena: emphasis, note markers, elisions,
supplied text and stray brackets.

The tokeniser is *lossless*: ``printed(tokenize(s)) == s`` for every input, so the TEI builder
can account for every character of the source.  Tokens carry the characters exactly as printed;
normalisation (``n`` of a marker) is kept in separate fields.

Decisions (see also the tests):

* ``\\*`` runs (markdown-escaped stars) are always note markers (``n`` = that many ``*``), except
  the separator ``\\* \\* \\*`` which stays text.
* Bare ``*`` runs are markdown emphasis delimiters unless the caller says the source uses bare
  stars as note markers (``star_markers=True``: web pages, which have no italics).  In
  that mode a star run is a marker when it is glued to the preceding character (``Armenia*``,
  ``…**``) or when text follows it (``Moscow * about``, ``*This sentence …`` at a note start);
  a star after a space at the very end (``Required fields are marked *``) stays text.
* ``<sup>N</sup>`` and ``<sup>\\*\\*\\*</sup>`` are markers (system ``sup``); any other
  ``<sup>…</sup>`` is ``Emph(rend="sup")`` (``1<sup>st</sup>``).
* ``[N]`` (1–3 digits) is a marker (system ``bracket``); any other balanced ``[…]`` is
  ``Supplied`` -- including the compilers' bracketed cross-reference ``[see. Approx. 66]`` (it
  is their text; ``notes.find_doc_refs`` recognises the reference inside it).
* Elisions ``<…>``, ``[...]``, ``[.. .]``, ``[...}``, ``(...)``, ``(...]`` are ``Gap``.  A bare
  ``…`` is a ``Gap`` at the start of the paragraph or before a new sentence/number (``…An``,
  ``Army… 29 October``); before a note marker (``…**``, whose note says "Ellipsis in the
  original text") or inside a sentence it is text.  Three ASCII dots are always text (the
  dot-only paragraphs are the caller's business).
* A plain number after a word (``delegation 1 declared``) is a marker (system ``digit``) only
  when it is one of ``note_numbers``; its printed form includes the space before it, because the
  space only exists as the separator of what was a superscript.  Other markers do not absorb
  surrounding spaces.
* Unbalanced ``]``, unclosed ``[`` and unpaired emphasis delimiters are ``Stray`` (printed
  unchanged, flagged for review with a reason).
* In markdown (``markdown=True``) a backslash before ASCII punctuation other than ``*`` is the
  converter's escape, not text: ``Escaped`` (``\\$ 45`` is "$ 45", ``\\_\\_\\_`` is "___").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

from . import markers as mk


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    rend: str  # "bold" | "italic" | "sup"
    children: tuple[Token, ...]
    printed_open: str  # "**", "*", "<sup>"
    printed_close: str  # "**", "*", "</sup>"


@dataclass(frozen=True)
class Marker:
    n: str  # normalised: "*", "**", "1", "129"
    printed: str  # exactly as in the source: "\\*\\*", "<sup>129</sup>", "[1]", "*", " 1"
    system: str  # "star" | "sup" | "bracket" | "digit" | "word"


@dataclass(frozen=True)
class Gap:
    printed: str


@dataclass(frozen=True)
class Supplied:
    text: str
    printed_open: str = "["
    printed_close: str = "]"


@dataclass(frozen=True)
class Stray:
    printed: str
    reason: str


@dataclass(frozen=True)
class Escaped:
    """A markdown-escaped character: ``char`` is the text, printed with its backslash."""

    char: str

    @property
    def printed(self) -> str:
        return "\\" + self.char


Token: TypeAlias = Text | Emph | Marker | Gap | Supplied | Stray | Escaped

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- lexer -----------------------------------------------------------------------------------

# Alternatives are tried left to right at each position, so the order encodes precedence:
# the separator before escaped stars, <sup>-markers before <sup>-emphasis, elisions before
# brackets, escaped stars before bare stars (so "\***" is a marker followed by a bold closer).
_LEX_ALTERNATIVES = r"""
    | (?P<supmark><sup>(?P<supn>\d{1,4}|(?:\\\*){1,5}|\*{1,5})</sup>)
    | (?P<supopen><sup>)
    | (?P<supclose></sup>)
    | (?P<escstars>(?:\\\*)+)
    | (?P<mdesc>\\[!"#$%&'()+,\-./:;<=>?@\[\\\]^_`{|}~])
    | (?P<gap><…>|[\[(][ ]?(?:\.[ ]?){2,}[\])}]|[\[(]…[\])])
    | (?P<brmark>\[(?P<brn>\d{1,3})\])
    | (?P<lbr>\[)
    | (?P<rbr>\])
    | (?P<stars>\*+)
    | (?P<ellipsis>…)
"""
_SEPARATOR = r"(?P<sep>(?<!\S)\\\*(?:[ ]\\\*){2,}(?!\S))"  # "\* \* \*" separator


@lru_cache(maxsize=64)
def _lexer(styles: frozenset[str]) -> re.Pattern[str]:
    """The lexer for a source whose layout lists these optional marker styles (markers.py):
    their alternatives come right after the separator, before brackets and elisions."""
    chosen = [style for style in mk.IN_TEXT if style in styles]
    optional = "".join(f"\n    | {mk.IN_TEXT[style]}" for style in chosen)
    # Every alternative opens with one of these characters: a position without one fails at
    # once instead of trying each alternative (most of a paragraph is plain text).
    first = "\\\\<[\\]()*…" + "".join(mk.FIRST_CHARS[style] for style in chosen)
    return re.compile(f"(?=[{first}])(?:" + _SEPARATOR + optional + _LEX_ALTERNATIVES + ")", re.VERBOSE)


_LEX = _lexer(frozenset())

# After a bare "…": a new sentence or a number follows -> the compiler cut text here.
_ELLIPSIS_BEFORE_NEW = re.compile(r"\s*[A-Z0-9]")
# After a bare "…": a note marker follows -> the note comments on the ellipsis.
_ELLIPSIS_BEFORE_MARKER = re.compile(r"\\?\*")

# A candidate digit marker: " 1" after a word, before a space, punctuation or the end (not
# before ",000" or ".5": thousands and decimals).
_DIGIT_MARKER = re.compile(r"(?<=[A-Za-z]) (?P<n>\d{1,3})(?=[ ;:)]|[.,](?!\d)|$)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_CLAUSE_END_AFTER = re.compile(r"[.,;:)]|$")
_WORD_AFTER = re.compile(r" ([A-Za-z]+)")
_MONTHS = "january february march april may june july august september october november december"
# Words after which a number is a quantity, date or reference, never a note marker.
_NOT_BEFORE_MARKER = _words(
    f"""
    a an and or the of on to in at by for from with within about approximately over under than
    only every each after before since until till per no nos number page pages p pp l f d op
    art article articles item items point points paragraph section chapter part vol volume doc
    document appendix annex annexes note notes table year years {_MONTHS}
    """
)
# Words after which a number is a quantity or a date ("1 hour", "2 more", "29 October").
_NOT_AFTER_MARKER = _words(
    f"""
    and or of to per am pm more new light heavy infantry aircraft mm m km sq lei rubles tons
    hour minute day week month year time percent million thousand hundred {_MONTHS}
    """
)
# Verbs in -s that may follow a marker ("the ambassador 1 says"); other -s words are plurals.
_VERBS_IN_S = _words(
    """
    says declares notes reports asks believes thinks considers replies writes informs stresses
    insists proposes agrees explains adds continues remarks emphasizes suggests
    """
)


@dataclass(frozen=True)
class _Atom:
    """A lexed piece of the paragraph before pairing: a finished token or a delimiter."""

    kind: str  # "tok" | "stars" | "supopen" | "supclose" | "lbr" | "rbr"
    printed: str
    start: int
    token: Token | None = None


def tokenize(
    text: str, *, note_numbers: frozenset[str] = frozenset(), star_markers: bool = False,
    markdown: bool = False, styles: frozenset[str] = frozenset(),
) -> list[Token]:
    """Tokenise one paragraph; ``printed(tokenize(text)) == text`` always holds.

    ``note_numbers``: numbers of notes known to exist (enables ``digit`` markers, and
    ``(12)`` markers standing after a space).
    ``star_markers``: the source uses bare ``*`` as note markers, not as markdown emphasis.
    ``markdown``: the text is markdown, whose backslash escapes are not text.
    ``styles``: the optional note-marker styles the source uses (``markers.STYLES``).
    """
    atoms = list(_lex(text, star_markers, markdown, styles, note_numbers))
    tree = _build_tree(atoms, text)
    return _finish(tree, note_numbers)


def printed(tokens: Sequence[Token]) -> str:
    """The source text the tokens came from (inverse of ``tokenize``)."""
    return "".join(_printed_one(t) for t in tokens)


def _printed_one(token: Token) -> str:
    if isinstance(token, Text):
        return token.text
    if isinstance(token, Emph):
        return token.printed_open + printed(token.children) + token.printed_close
    if isinstance(token, Supplied):
        return token.printed_open + token.text + token.printed_close
    return token.printed


def iter_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    """All tokens depth-first, including those inside emphasis."""
    for t in tokens:
        yield t
        if isinstance(t, Emph):
            yield from iter_tokens(t.children)


def _lex(text: str, star_markers: bool, markdown: bool = False, styles: frozenset[str] = frozenset(),
         note_numbers: frozenset[str] = frozenset()) -> Iterator[_Atom]:
    pos = 0
    lexer = _lexer(styles & frozenset(mk.IN_TEXT)) if styles else _LEX
    for m in lexer.finditer(text):
        if m.start() > pos:
            yield _Atom("tok", text[pos : m.start()], pos, Text(text[pos : m.start()]))
        yield _classify(m, text, star_markers, markdown, note_numbers)
        pos = m.end()
    if pos < len(text):
        yield _Atom("tok", text[pos:], pos, Text(text[pos:]))


def _classify(m: re.Match[str], text: str, star_markers: bool, markdown: bool = False,
              note_numbers: frozenset[str] = frozenset()) -> _Atom:
    kind = m.lastgroup
    s, start = m.group(), m.start()
    if kind in _OPTIONAL:
        return _Atom("tok", s, start, _optional_marker(kind, m, text, note_numbers))
    if kind == "mdesc":
        return _Atom("tok", s, start, Escaped(s[1]) if markdown else Text(s))
    if kind == "sep":
        return _Atom("tok", s, start, Text(s))
    if kind == "supmark":
        raw = m.group("supn")
        n = raw if raw[0].isdigit() else "*" * raw.count("*")
        return _Atom("tok", s, start, Marker(n, s, "sup"))
    if kind == "escstars":
        return _Atom("tok", s, start, Marker("*" * s.count("*"), s, "star"))
    if kind == "gap":
        return _Atom("tok", s, start, Gap(s))
    if kind == "brmark":
        return _Atom("tok", s, start, Marker(m.group("brn"), s, "bracket"))
    if kind == "ellipsis":
        return _Atom("tok", s, start, _ellipsis(text, start))
    if kind == "stars" and star_markers:
        return _Atom("tok", s, start, _bare_star(text, start, s))
    return _Atom(kind or "", s, start)


# Lexer groups of the optional marker styles → (style, group of the sign).
_OPTIONAL = {"mdfn": ("markdown-footnote", "mdfnn"), "caret": ("caret", "caretn"), "paren": ("paren", "parenn"),
             "supdigits": ("superscript", "supdigits"), "symbol": ("symbol", "symbol")}


def _optional_marker(kind: str, m: re.Match[str], text: str, note_numbers: frozenset[str]) -> Token:
    style, group = _OPTIONAL[kind]
    s, start = m.group(), m.start()
    n = m.group(group)
    if style == "superscript":
        n = mk.superscript_value(n)
    glued = start > 0 and not text[start - 1].isspace()
    if style == "paren" and not ((glued and text[start - 1] not in "([") or (start > 0 and n in note_numbers)):
        return Text(s)  # "(2) the frontier …": a numbered clause, not a note
    if style in ("superscript", "symbol") and not glued and not text[start + len(s):start + len(s) + 1].isspace():
        return Text(s)  # a sign standing before a word is no marker
    return Marker(n, s, style)


# Matched from a position, never on a slice: slicing a long line at every ellipsis or star
# would make a line of many of them quadratic.
_NON_SPACE = re.compile(r"\S")


def _ellipsis(text: str, start: int) -> Token:
    if _ELLIPSIS_BEFORE_MARKER.match(text, start + 1):
        return Text("…")
    if not _NON_SPACE.search(text, 0, start) or _ELLIPSIS_BEFORE_NEW.match(text, start + 1):
        return Gap("…")
    return Text("…")


def _bare_star(text: str, start: int, s: str) -> Token:
    glued = start > 0 and not text[start - 1].isspace()
    followed = _NON_SPACE.search(text, start + len(s)) is not None
    if glued or followed:
        return Marker("*" * len(s), s, "star")
    # A lone star after a space at the end has nothing to attach to (web-form "marked *").
    return Text(s)


# --- pairing -------------------------------------------------------------------------------


def _build_tree(atoms: list[_Atom], text: str) -> list[_Atom | Emph]:
    """Pair emphasis delimiters and <sup> tags; unpaired delimiters become Stray tokens."""
    pairs = _sup_pairs(atoms) + _star_pairs(atoms, text)
    pairs = _drop_crossing(pairs)
    closer_of = dict(pairs)
    out: list[_Atom | Emph] = []
    stack: list[tuple[int, list[_Atom | Emph]]] = []
    current = out
    for i, atom in enumerate(atoms):
        if i in closer_of:
            stack.append((i, current))
            current = []
        elif stack and closer_of[stack[-1][0]] == i:
            opener_index, parent = stack.pop()
            opener = atoms[opener_index]
            parent.append(_emph(opener, atom, current))
            current = parent
        elif atom.kind in ("stars", "supopen", "supclose"):
            current.append(_Atom("tok", atom.printed, atom.start, _unpaired(atom)))
        else:
            current.append(atom)
    return out


def _emph(opener: _Atom, closer: _Atom, inner: list[_Atom | Emph]) -> Emph:
    rend = "sup" if opener.kind == "supopen" else ("bold" if len(opener.printed) == 2 else "italic")
    return Emph(rend, tuple(_merge_text(_as_tokens(inner))), opener.printed, closer.printed)


def _unpaired(atom: _Atom) -> Stray:
    if atom.kind == "stars":
        return Stray(atom.printed, "unpaired emphasis delimiter")
    return Stray(atom.printed, "unpaired <sup> tag")


def _sup_pairs(atoms: list[_Atom]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, atom in enumerate(atoms):
        if atom.kind == "supopen":
            open_at = i  # <sup> does not nest; a second opener replaces an unclosed one
        elif atom.kind == "supclose" and open_at is not None:
            pairs.append((open_at, i))
            open_at = None
    return pairs


def _star_pairs(atoms: list[_Atom], text: str) -> list[tuple[int, int]]:
    """Simplified CommonMark delimiter matching: runs of 1 (italic) or 2 (bold) stars.

    A run can open if a non-space follows it, close if a non-space precedes it; a closer takes
    the nearest opener of the same length, openers in between stay unpaired.
    """
    pairs: list[tuple[int, int]] = []
    openers: list[int] = []
    for i, atom in enumerate(atoms):
        if atom.kind != "stars":
            continue
        end = atom.start + len(atom.printed)
        can_open = end < len(text) and not text[end].isspace()
        can_close = atom.start > 0 and not text[atom.start - 1].isspace()
        if can_close:
            match = next(
                (j for j in range(len(openers) - 1, -1, -1)
                 if atoms[openers[j]].printed == atom.printed),
                None,
            )
            if match is not None:
                pairs.append((openers[match], i))
                del openers[match:]
                continue
        if can_open and len(atom.printed) <= 2:
            openers.append(i)
    return pairs


def _drop_crossing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep only properly nested pairs (a later pair that crosses an earlier one is dropped)."""
    kept: list[tuple[int, int]] = []
    active: list[int] = []  # closers of the enclosing pairs
    for a, b in sorted(pairs):
        while active and active[-1] < a:
            active.pop()
        if active and b > active[-1]:
            continue
        kept.append((a, b))
        active.append(b)
    return kept


# --- brackets, digit markers, merging ------------------------------------------------------


def _as_tokens(items: list[_Atom | Emph]) -> list[Token]:
    """Resolve square brackets at one nesting level into Supplied / Stray tokens."""
    out: list[Token] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Emph):
            out.append(item)
        elif item.kind == "lbr":
            close, reason = _closing_bracket(items, i)
            if close is None:
                out.append(Stray("[", reason))
            else:
                inner = "".join(_atom_text(x) for x in items[i + 1 : close])
                out.append(Supplied(inner))
                i = close
        elif item.kind == "rbr":
            out.append(Stray("]", "unbalanced closing bracket"))
        else:
            assert item.token is not None
            out.append(item.token)
        i += 1
    return out


def _closing_bracket(items: list[_Atom | Emph], i: int) -> tuple[int | None, str]:
    """Index of the "]" closing the "[" at i if only plain text lies between them, else the
    reason why the "[" stays unclosed."""
    for j in range(i + 1, len(items)):
        item = items[j]
        if isinstance(item, _Atom) and item.kind == "rbr":
            return j, ""
        if isinstance(item, _Atom) and item.kind == "lbr":
            return None, "unclosed bracket"  # "k [okaTurk1 … [": a new "[" before any "]"
        if not (isinstance(item, _Atom) and isinstance(item.token, Text)):
            return None, "bracket encloses markup"  # Supplied holds plain text only
    return None, "unclosed bracket"


def _atom_text(item: _Atom | Emph) -> str:
    assert isinstance(item, _Atom) and isinstance(item.token, Text)
    return item.token.text


def _finish(tree: list[_Atom | Emph], note_numbers: frozenset[str]) -> list[Token]:
    tokens = _as_tokens(tree)
    return _merge_text(_digit_markers(tokens, note_numbers))


def _digit_markers(tokens: list[Token], note_numbers: frozenset[str]) -> list[Token]:
    if not note_numbers:
        return tokens
    out: list[Token] = []
    for t in tokens:
        if isinstance(t, Text):
            out.extend(_split_digit_markers(t.text, note_numbers))
        elif isinstance(t, Emph):
            children = _merge_text(_digit_markers(list(t.children), note_numbers))
            out.append(Emph(t.rend, tuple(children), t.printed_open, t.printed_close))
        else:
            out.append(t)
    return out


def _split_digit_markers(text: str, note_numbers: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in _DIGIT_MARKER.finditer(text):
        if m.group("n") not in note_numbers or not _digit_context_ok(text, m):
            continue
        if m.start() > pos:
            out.append(Text(text[pos : m.start()]))
        out.append(Marker(m.group("n"), m.group(), "digit"))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return out


def _digit_context_ok(text: str, m: re.Match[str]) -> bool:
    """A number after a preposition, month or abbreviation, or before a unit, a plural noun or
    a capitalised word ("24 Bristol bombers"), is a quantity or date, not a note marker."""
    before = _WORD_BEFORE.search(text[: m.start()])
    if before is None or len(before.group(1)) < 3 or before.group(1).lower() in _NOT_BEFORE_MARKER:
        return False
    after = text[m.end() :]
    if _CLAUSE_END_AFTER.match(after):
        return True
    word_match = _WORD_AFTER.match(after)
    if word_match is None:
        return False  # "1 / 210.000", "13 11-inch": a number or symbol follows
    word = word_match.group(1)
    if word[0].isupper() or word.lower() in _NOT_AFTER_MARKER:
        return False
    return not (word.endswith("s") and word not in _VERBS_IN_S)


def _merge_text(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        if isinstance(t, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + t.text)
        elif not (isinstance(t, Text) and not t.text):
            out.append(t)
    return out
