"""Abbreviations in a text: the words a reader needs the list of abbreviations for.

An abbreviation is a word of capitals, two at least and more capitals than small letters,
as the Russian initialisms are transliterated (a capital for each word, two letters for
one Cyrillic letter: "Ts", "Kh"): a party's suffix in brackets belongs to it, with or
without the space the sources print ("VKP (b)" is the form "VKP(b)"), and so do dots
between its parts. Not abbreviations: roman numerals, a person's initials (single letters
between dots), and the words of a run of capitals that is a heading set in capitals
rather than abbreviations side by side (a run in which a word of six letters or more is
not a known form). Forms the register knows are always found, whatever their case
("cc" for the Central Committee), as whole words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterator

_ROMAN = re.compile(r"^[IVXL]+$")
LONGEST_UNKNOWN = 6  # an unknown word of capitals longer than this is a word set in capitals


def normal_form(form: str) -> str:
    """The form an abbreviation is listed and looked up under: "VKP (b)" → "VKP(b)"."""
    form = " ".join(form.split())
    return form.replace(" (", "(") if "(" in form else form


def looks_like_abbreviation(form: str) -> bool:
    """A word of capitals as described above ("NKID", "VTsIK", "VKP(b)", "NK.ID"), not a
    roman numeral nor initials ("A.V")."""
    whole = re.fullmatch(r"([A-Za-z]+(?:\.[A-Za-z]+)*)(?:\([A-Za-z]\.?\))?", normal_form(form))
    if not whole:
        return False
    core = whole.group(1)
    letters = core.replace(".", "")
    caps = sum(ch.isupper() for ch in letters)
    if caps < 2 or caps <= len(letters) - caps or not core[0].isupper():
        return False
    if max(len(part) for part in core.split(".")) < 2:
        return False  # initials
    return not _ROMAN.match(letters)


def _all_caps(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word.split("(", 1)[0])
    return len(letters) >= 2 and letters.isupper()


@functools.lru_cache(maxsize=8)
def finder(known: frozenset[str]) -> Callable[[str], Iterator[tuple[int, str]]]:
    """abbreviations() for one set of known forms, its pattern compiled once: only words
    with two capitals ("NKID", "TsK"), and the known forms that have not, are looked at."""
    capitals = r"[A-Z][a-z]*[A-Z][A-Za-z]*(?:\.[A-Za-z]+)*"
    others = sorted((re.escape(k) for k in known if k and not re.match(capitals, k)), key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join([capitals, *others])
                         + r")(?:\s?\([A-Za-z]\))?(?![A-Za-z0-9])")

    def find(text: str) -> Iterator[tuple[int, str]]:
        words = [m for m in pattern.finditer(text)]
        for i, m in enumerate(words):
            form = normal_form(m.group(0))
            if form in known:
                yield m.start(), form
                continue
            if not looks_like_abbreviation(form):
                continue
            core = form.split("(", 1)[0]
            if len(core.replace(".", "")) > LONGEST_UNKNOWN:
                continue
            # a run of words in capitals around it: a heading set in capitals unless every
            # long word of it is known
            start = end = i
            while start > 0 and _all_caps(words[start - 1].group(0)) and \
                    text[words[start - 1].end():words[start].start()].strip(" ") == "":
                start -= 1
            while end + 1 < len(words) and _all_caps(words[end + 1].group(0)) and \
                    text[words[end].end():words[end + 1].start()].strip(" ") == "":
                end += 1
            run = [normal_form(w.group(0)) for w in words[start:end + 1]]
            if len(run) > 1 and any(len(w.split("(")[0]) >= LONGEST_UNKNOWN and w not in known for w in run):
                continue
            yield m.start(), form

    return find


def abbreviations(text: str, known: Collection[str] = ()) -> Iterator[tuple[int, str]]:
    """(offset, form) of each abbreviation in `text`, the form normalised (normal_form).
    `known`: the normal forms the register lists (found whatever they look like)."""
    return finder(frozenset(known))(text)
