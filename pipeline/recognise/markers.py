"""Note-marker styles: the forms in which a source prints the sign that ties a place in the
text to a note, and the same sign opening the note's text.

A source's layout lists the styles it uses (`notes: markers:`, docs/layouts.md); `auto`
finds them in the text (`detect`). The styles always read, whatever the layout says, are
escaped stars ``\\*``, ``[12]`` and ``<sup>12</sup>``; the others are read only when listed:

=====================  ====================  ========================
style                  in the text           opening the note text
=====================  ====================  ========================
``star``               ``word*``, ``…**``    ``* text``
``bracket``            ``word[12]``          ``[12] text``
``sup``                ``<sup>12</sup>``     ``<sup>12</sup> text``
``digit``              ``word 12 said``      (a note whose number exists)
``caret``              ``word^12``, ``^12^`` ``^12 text``
``paren``              ``word(12)``          ``(12) text``
``superscript``        ``word¹²``            ``¹² text``
``markdown-footnote``  ``word[^12]``         ``[^12]: text``
``symbol``             ``word†``, ``‡``      ``† text``
=====================  ====================  ========================

``paren`` is never guessed for a text with ``(1)``-numbered clauses: a bare ``(12)`` after a
space is a marker only where a note text ``(12) …`` exists in the same document.
"""

from __future__ import annotations

import re
from collections import Counter

STYLES = ("star", "bracket", "sup", "digit", "caret", "paren", "superscript", "markdown-footnote", "symbol")

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# Reference marks in their traditional order: a later note on a page takes the next one.
SYMBOL_ORDER = ("*", "†", "‡", "§", "‖", "¶")
SYMBOL_RUN = r"†{1,3}|‡{1,3}|‖"


def superscript_value(printed: str) -> str:
    """``"¹²"`` → ``"12"``."""
    return printed.translate(_FROM_SUPERSCRIPT)


def symbol_rank(n: str) -> int:
    """Where a reference mark stands in the traditional order (doubled marks after single ones)."""
    if not n or any(ch != n[0] for ch in n) or n[0] not in SYMBOL_ORDER:
        return -1
    return SYMBOL_ORDER.index(n[0]) + len(SYMBOL_ORDER) * (len(n) - 1)


# In-text markers of the optional styles: lexer alternatives with one named group each for
# the whole marker and one for its sign. Order is precedence.
IN_TEXT: dict[str, str] = {
    "markdown-footnote": r"(?P<mdfn>\[\^(?P<mdfnn>[^\]\s^]{1,20})\](?!:))",
    "caret": r"(?P<caret>\^(?P<caretn>\d{1,3})\^?)",
    "paren": r"(?P<paren>\((?P<parenn>\d{1,2})\))",
    "superscript": rf"(?P<supdigits>[{SUPERSCRIPT_DIGITS}]{{1,3}})",
    "symbol": rf"(?P<symbol>{SYMBOL_RUN})",
}

# The characters each optional style's in-text marker opens with (for the lexer's fast path).
FIRST_CHARS: dict[str, str] = {
    "markdown-footnote": r"\[", "caret": r"\^", "paren": r"(", "superscript": SUPERSCRIPT_DIGITS, "symbol": "†‡‖",
}

# The sign opening a note text, per optional style: group ``m`` the printed marker, ``n``
# its number where it prints one.
LEAD: dict[str, re.Pattern[str]] = {
    "markdown-footnote": re.compile(r"(?P<m>\[\^(?P<n>[^\]\s^]{1,20})\]:)\s*"),
    "caret": re.compile(r"(?P<m>\^(?P<n>\d{1,3})\^?\.?)\s*(?=\S)"),
    "paren": re.compile(r"(?P<m>\((?P<n>\d{1,3})\)|(?P<dot>\d{1,3})\.)\s+(?=\S)"),
    "superscript": re.compile(rf"(?P<m>[{SUPERSCRIPT_DIGITS}]{{1,3}}\.?)\s*(?=\S)"),
    "symbol": re.compile(rf"(?P<m>{SYMBOL_RUN})\s*(?=\S)"),
}
# A further note of the same style later in the same paragraph: on a new line.
NEXT: dict[str, re.Pattern[str]] = {
    style: re.compile(r"(?<=\n)" + rx.pattern) for style, rx in LEAD.items()
}


def lead_n(style: str, m: re.Match[str]) -> str:
    """The normalised sign of a note text's opening marker."""
    if style == "superscript":
        return superscript_value(m.group("m").rstrip("."))
    if style == "symbol":
        return m.group("m")
    return m.group("n") or m.group("dot")  # a paren marker's note may open "(12)" or "12."


def in_text_pattern(n: str) -> re.Pattern[str]:
    """Any printed form of the marker with sign ``n`` in a text (for placing a block of notes
    printed after the documents with the document that prints its marker)."""
    e = re.escape(n)
    forms = [rf"\[{e}\]", rf"<sup>{e}</sup>", rf"\^{e}\b", rf"(?<=[A-Za-z.,;:”\"'])\(?{e}\)?(?=[\s.,;:]|$)",
             rf"\[\^{e}\]"]
    if n.isdigit():
        sup = n.translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))
        forms.append(rf"(?<![{SUPERSCRIPT_DIGITS}]){sup}(?![{SUPERSCRIPT_DIGITS}])")
    elif symbol_rank(n) > 0:
        forms.append(rf"(?<=\S){e}(?!{re.escape(n[0])})")
    return re.compile("|".join(forms))


# --- detection ---------------------------------------------------------------------------

_GLUED = r"(?<=[A-Za-z.,;:’'”\")])"
_SEEN: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # style: (marker in the text, note text opening a line)
    "markdown-footnote": (re.compile(r"\[\^([^\]\s^]{1,20})\](?!:)"), re.compile(r"^\[\^([^\]\s^]{1,20})\]:", re.M)),
    "caret": (re.compile(_GLUED + r"\^(\d{1,3})\^?"), re.compile(r"^\^(\d{1,3})\^?\.?\s", re.M)),
    "paren": (re.compile(r"(?<=[A-Za-z.,;:’'”\"])\((\d{1,2})\)"),
              re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})\.)\s+\S", re.M)),
    "superscript": (re.compile(_GLUED + rf"([{SUPERSCRIPT_DIGITS}]{{1,3}})"),
                    re.compile(rf"^([{SUPERSCRIPT_DIGITS}]{{1,3}})\.?\s*\S", re.M)),
    "symbol": (re.compile(_GLUED + rf"({SYMBOL_RUN})"), re.compile(rf"^({SYMBOL_RUN})\s*\S", re.M)),
}


def detect(text: str) -> list[tuple[str, int]]:
    """The optional marker styles a text uses unambiguously, with how many of its markers
    have a note text of the same sign: a style counts when at least two note texts open a
    line with its sign and most of them have a marker glued to a word before them."""
    found: list[tuple[str, int]] = []
    for style, (in_text, lead) in _SEEN.items():
        texts = Counter(_norm(style, m.group(1) or m.group(lead.groups)) for m in lead.finditer(text))
        if sum(texts.values()) < 2:
            continue
        marks = Counter(_norm(style, m.group(1)) for m in in_text.finditer(text))
        linked = sum(min(k, marks[n]) for n, k in texts.items())
        if linked >= 2 and linked >= 0.6 * sum(texts.values()):
            found.append((style, linked))
    return found


def _norm(style: str, sign: str) -> str:
    return superscript_value(sign) if style == "superscript" else sign
