"""Page furniture: the running heads and page numbers a text converted from printed pages
repeats through itself, which are neither text nor document starts.

`detect` finds them from how they recur, never from what they say:

* bracketed page-head labels that recur (`[Pageheading: …]`);
* bare page numbers that rise through the text (`17`, `18` …);
* a title printed with the page number, on the left or the right page (`26 Signal copy`,
  `Signal copy 27`), its numbers rising;
* a title line that recurs next to the page numbers.

It gives patterns for the layout's `running_heads` and whether `page_numbers` applies, with
the reasons; `layout: auto` always runs it, another layout with
`boilerplate: detect_running_heads: true` (docs/layouts.md).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

BRACKETED_LABEL = re.compile(r"^\[(?P<label>[A-Z][A-Za-z ]{2,30}):")
_PAGE_LABEL = re.compile(r"(?i)page|head|folio|running")
PAGE_LINE = re.compile(r"^\s*\d{1,4}\s*$")
# A short line with a page number before or after a title: "26 Signal copy", "Signal copy 27".
_NUMBERED_TITLE = re.compile(r"^(?:(?P<a>\d{1,4})\s+(?P<t1>[^\d\s].{2,60}?)|(?P<t2>[^\d\s].{2,60}?)\s+(?P<b>\d{1,4}))$")
# Titles with a number that are document or section numbers, not page furniture.
_NUMBERING_WORDS = re.compile(
    r"(?i)^(?:\W*(?:no|nr|nos|n°|№|number|doc(?:ument)?s?|item|annex|appendix|enclosure|chapter|part|section|"
    r"article|art|vol(?:ume)?|book|letter|telegram|despatch|dispatch|memorandum|note|paper|exhibit|table|"
    r"fig(?:ure)?|plate|series)\b\W*)+$")
# A title that ends in a numbering word ("FEDERALIST No. 10", "Despatch No 4") numbers a
# document: the number after it is not a page number.
_ENDS_IN_NUMBERING_WORD = re.compile(r"(?i)(?:^|\s)(?:no|nr|nos|n°|№|number)\.?$")
_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")

MIN_REPEATS = 3


@dataclass
class Furniture:
    running_heads: list[re.Pattern[str]] = field(default_factory=list)
    page_numbers: bool = False
    why: list[str] = field(default_factory=list)


def _rising(numbers: list[int]) -> bool:
    """Numbers that go up through the text (a few out of order are misreadings)."""
    if len(numbers) < 2:
        return False
    up = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b > a)
    return up >= 0.8 * (len(numbers) - 1) and numbers[-1] - numbers[0] <= 4 * len(numbers) + 50


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _is_title(title: str) -> bool:
    """A running title: two words or more with letters, not a numbering word, not a date."""
    words = title.split()
    return (len(words) >= 2 and sum(ch.isalpha() for ch in title) >= 4
            and not _NUMBERING_WORDS.match(title) and not _MONTHS.search(title))


def detect(lines: Sequence[str]) -> Furniture:
    found = Furniture()
    labels = Counter(m.group("label") for x in lines if (m := BRACKETED_LABEL.match(x.strip())))
    # Only a label that says it is a page's head is furniture; "[Music: …]", "[Illustration: …]",
    # "[Sidenote: …]" describe the text's own content and stay (as the compilers' notes).
    heads = sorted(label for label, n in labels.items() if n >= MIN_REPEATS and _PAGE_LABEL.search(label))
    if heads:
        found.running_heads.extend(re.compile(rf"^\[{re.escape(h)}:.*\]$") for h in heads)
        found.why.append(f"running heads [{', '.join(heads)}: …] dropped")

    pages = [int(x) for x in lines if PAGE_LINE.match(x)]
    if len(pages) >= 4 and _rising(pages):
        found.page_numbers = True
        found.why.append("page numbers dropped")

    numbered: dict[str, list[int]] = defaultdict(list)
    printed: dict[str, str] = {}
    for x in lines:
        s = x.strip()
        if len(s) > 70 or not s or not s[0].isalnum() and s[0] not in "*_":
            continue
        m = _NUMBERED_TITLE.match(s)
        if m is None:
            continue
        title = (m.group("t1") or m.group("t2")).strip()
        if not _is_title(title) or m.group("t2") and _ENDS_IN_NUMBERING_WORD.search(title):
            continue
        key = _title_key(title)
        numbered[key].append(int(m.group("a") or m.group("b")))
        printed.setdefault(key, title)
    titled = sorted(k for k, nums in numbered.items() if len(nums) >= MIN_REPEATS and _rising(nums))
    for key in titled:
        words = r"\s+".join(re.escape(w) for w in printed[key].split())
        found.running_heads.append(re.compile(rf"(?i)^(?:\d{{1,4}}\s+)?{words}(?:\s+\d{{1,4}})?$"))
    if titled:
        found.why.append("running heads with page numbers dropped: " + ", ".join(repr(printed[k]) for k in titled))

    if found.page_numbers:
        beside = _titles_beside_page_numbers(lines, set(titled))
        for title in beside:
            words = r"\s+".join(re.escape(w) for w in title.split())
            found.running_heads.append(re.compile(rf"(?i)^{words}$"))
        if beside:
            found.why.append("running titles beside the page numbers dropped: " + ", ".join(map(repr, beside)))
    return found


def _titles_beside_page_numbers(lines: Sequence[str], known: set[str]) -> list[str]:
    """Short lines that recur, most of the time within two lines of a bare page number."""
    counts: Counter[str] = Counter()
    near: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for i, x in enumerate(lines):
        s = x.strip()
        if not s or len(s) > 70 or PAGE_LINE.match(s) or not _is_title(s):
            continue
        key = _title_key(s)
        if key in known:
            continue
        counts[key] += 1
        printed.setdefault(key, s)
        window = [*lines[max(0, i - 2):i], *lines[i + 1:i + 3]]
        if any(PAGE_LINE.match(w) for w in window):
            near[key] += 1
    return [printed[k] for k in sorted(counts) if counts[k] >= MIN_REPEATS + 1 and near[k] >= 0.75 * counts[k]]
