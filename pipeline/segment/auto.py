"""`layout: auto`: the layout inferred from the text itself.

Candidate start patterns (number lines, heading shapes, datelines), each alone and with a
minimum number of blank lines before it, are tried on the source's paragraphs and scored
by how regular the documents they cut look: printed numbers rising, a date soon after
each start, starts standing after a wider gap than the paragraphs do, documents neither
one paragraph long nor swallowing the source. The best candidate becomes the layout;
`chosen` says which and why (`edition inspect` prints it as YAML to refine).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..recognise import dates as dt
from ..recognise import markers as mk
from ..sources import Para, SourceText
from . import furniture
from .engine import MAYBE_DATE
from .layout import Divider, Layout

# A line that is only a document number: "No. 12", "No. 13.", "DOCUMENT NO. 3", "№ 5",
# "**No. 7**", "## Document 4", "EXHIBIT 10a.", "Enclosure II.", "LETTER XII.", or the
# series' word before it: "FEDERALIST No. 10".
NUMBER_LINE = (r"^(?:#+\s*)?[\[(]?(?:\*\*|__)?\s*(?:[A-Z][A-Za-z]{1,20}\s+)?"
               r"(?i:document\s+no\.?|document|no\.|nr\.|№|n°|exhibit|annex|enclosure|inclosure|item|letter|message)\s*"
               r"(?P<n>\d{1,4}[a-z]?|[IVXLC]{1,7}(?![a-z]))\s*\.?\s*(?:\*\*|__)?[\])]?\s*$")
# A bare number, arabic or roman, alone on its line: "17.", "CXXIII."
BARE_NUMBER_LINE = r"^(?:\*\*|__)?(?P<n>\d{1,4}|[IVXLCDM]{1,9})\.(?:\*\*|__)?\s*$"
# A bare number before the heading on the same line: "17. TO JOHN ADAMS."
BARE_NUMBER_HEADING = r"^(?P<n>\d{1,4}|[IVXLCDM]{1,9})\.\s+(?=[A-Z][A-Z.’' -]{3,}\b)"
# A number followed by the heading on the same line: "№5 Letter of …", "**No. 7.** Telegram …".
NUMBER_HEADING = (r"^(?:#+\s*)?(?:\*\*|__)?\s*(?i:document\s+no\.?|no\.|№|n°)\s*(?P<n>\d{1,4}[a-z]?)\s*\.?\s*"
                  r"(?:\*\*|__)?\s*[.:—–-]?\s+(?=[A-Z\"“*«])")
ITALIC_X_TO_Y = r"^\*[A-Z][^*\n]{2,150}\bto\b[^*\n]{2,150}\*(?:\[\d{1,3}\])?\s*$"
PLAIN_X_TO_Y = r"^[A-Z][\w .,'’-]{2,80} to [A-Z][\w .,'’-]{2,80}\.?\s*$"
MARKDOWN_HEADING = r"^#{1,3}\s+\S"

@dataclass
class _Text:
    """What the candidates are scored on, computed once."""

    paras: list[Para]
    gaps: list[int]
    dated: list[bool]  # the paragraph's first line holds a date
    opens_dated: list[bool]  # ... and is short enough to be a dateline
    words: list[int]
    big_gap: int


def _prepare(src: SourceText, base: Layout) -> _Text:
    from .engine import paragraphs

    paras, gaps, _ = paragraphs(src, base)
    dated: list[bool] = []
    opens: list[bool] = []
    for p in paras:
        line = p.text.strip().split("\n")[0]
        first = line[:160] if len(line) <= 320 else line[:160] + " … " + line[-160:]
        has = bool(MAYBE_DATE.search(first)) and bool(dt.find_dates(first))
        dated.append(has)
        opens.append(has and len(first) < 120)
    common = Counter(gaps[1:]).most_common(1)
    modal = common[0][0] if common else 1
    return _Text(paras, gaps, dated, opens, [len(p.text.split()) for p in paras], max(modal + 1, 2))


def _base_layout(src: SourceText) -> tuple[Layout, list[str]]:
    lines = src.lines
    why: list[str] = []
    nonblank = sum(1 for x in lines if x.strip())
    blank = len(lines) - nonblank
    layout = Layout(name="auto", before_first_start="front-matter")
    if nonblank > 40 and blank < nonblank * 0.03:
        layout = replace(layout, paragraphs="line")
        why.append("few blank lines: a paragraph is a line")
    text = "\n".join(lines)
    underscores = len(re.findall(r"(?<![\w*])_[^\s_][^_\n]{0,80}_(?!\w)", text))
    stars = len(re.findall(r"(?<![\w*])\*[^\s*][^*\n]{0,80}\*(?!\w)", text))
    if underscores >= 5 and underscores > stars:
        layout = replace(layout, emphasis="underscore")
        why.append("_underscores_ mark italics")
    escapes = len(re.findall(r"\\[\\`*_{}\[\]()#+\-.!$]", text))
    if escapes >= 3:
        layout = replace(layout, markdown_escapes=True)
        why.append("markdown backslash escapes")
    styles = mk.detect(text)
    if styles:
        layout = replace(layout, note_markers=layout.note_markers + tuple(s for s, _ in styles))
        why.append("note markers " + ", ".join(f"{s} ({k} with their note)" for s, k in styles))
    heading = _notes_heading(lines, layout.note_styles)
    if heading is not None:
        layout = replace(layout, notes_heading=re.compile(rf"^{re.escape(heading)}$"))
        why.append(f"note texts in a block after the documents, under {heading!r}")
    years = _year_dividers(lines)
    if years is not None:
        layout = replace(layout, dividers=(*layout.dividers, years))
        why.append("year lines between the documents are dividers")
    found = furniture.detect(lines)
    if found.running_heads or found.page_numbers:
        layout = replace(layout, running_heads=tuple(found.running_heads), page_numbers=found.page_numbers)
        why.extend(found.why)
    return layout, why


# A year alone on its line ("1818.", "**1921**"): between numbered documents, a divider.
YEAR_LINE = r"^(?:\*\*|__)?\s*(?P<year>1[4-9]\d\d|20\d\d)\.?\s*(?:\*\*|__)?\s*$"
_BARE_NUMBER = re.compile(r"^(?:\*\*|__)?\s*(?P<n>\d{1,4})\.?\s*(?:\*\*|__)?\s*$")


def _year_dividers(lines: list[str] | tuple[str, ...]) -> Divider | None:
    """Year lines that divide documents numbered otherwise: at least two, their years never
    falling, and at least twice as many other bare numbers (the documents' own) beside them;
    where every bare number is a year, the years may be the documents' numbers."""
    rx = re.compile(YEAR_LINE)
    years: list[int] = []
    others = 0
    for line in lines:
        s = line.strip()
        if (m := rx.match(s)) is not None:
            years.append(int(m.group("year")))
        elif _BARE_NUMBER.match(s):
            others += 1
    if len(years) < 2 or others < 2 * len(years) or any(b < a for a, b in zip(years, years[1:], strict=False)):
        return None
    return Divider("year divider", rx)


# The heading of a block of note texts printed after the documents.
NOTES_HEADING = re.compile(r"^(?:#{1,4}\s*)?(?:\*\*)?(?:NOTES|Notes|ENDNOTES|Endnotes|End\s?notes|FOOTNOTES|Footnotes)"
                           r"(?:\*\*)?:?$")


def _notes_heading(lines: list[str] | tuple[str, ...], styles: frozenset[str]) -> str | None:
    """A notes heading in the last half of the text, followed by at least two note texts
    (in any marker style the text uses): the line as printed, else None."""
    from ..recognise import notes as nt

    start = len(lines) // 2
    for i in range(len(lines) - 1, start - 1, -1):
        line = lines[i].strip()
        if not NOTES_HEADING.match(line):
            continue
        after = [x.strip() for x in lines[i + 1:i + 200] if x.strip()]
        texts = sum(1 for x in after if nt.split_note_paragraph(x, styles))
        if texts >= 2 and texts >= 0.3 * len(after):
            return line
    return None


@dataclass
class _Candidate:
    label: str
    layout: Layout
    kind: str  # which start predicate; candidates of one kind share its per-paragraph results


def _candidates(base: Layout) -> list[_Candidate]:
    c = re.compile
    kinds: list[tuple[str, str, Layout]] = [
        ("number", "number lines", replace(base, number=c(NUMBER_LINE))),
        ("number-heading", "number + heading lines", replace(base, number=c(NUMBER_HEADING))),
        ("italic", "italic 'X to Y.' headings", replace(base, headings=(c(ITALIC_X_TO_Y),))),
        ("plain", "'X to Y.' heading lines", replace(base, headings=(c(PLAIN_X_TO_Y),))),
        ("markdown", "markdown headings", replace(base, headings=(c(MARKDOWN_HEADING),))),
        ("caps", "all-caps headings", replace(base, heading_rules=("all-caps-heading",),
                                              continues="all-caps-heading", max_paragraphs=3)),
        ("type", "document-type headings", replace(base, heading_rules=("type-phrase-heading",))),
        ("bold", "bold document headings", replace(base, heading_rules=("bold-document-heading",),
                                                   continues="bold-document-heading")),
        ("dateline", "datelines", replace(base, dateline_starts=True)),
        ("caps+dateline", "all-caps headings and datelines", replace(
            base, heading_rules=("all-caps-heading",), continues="all-caps-heading", max_paragraphs=3,
            dateline_starts=True)),
        ("bare-number", "bare number lines", replace(base, number=c(BARE_NUMBER_LINE))),
        ("bare-number-heading", "numbers before capital headings", replace(base, number=c(BARE_NUMBER_HEADING))),
        ("number+type", "number lines and document-type headings", replace(
            base, number=c(NUMBER_LINE), heading_rules=("type-phrase-heading",))),
        ("number+bold", "number lines and bold document headings", replace(
            base, number=c(NUMBER_LINE), heading_rules=("bold-document-heading",), continues="bold-document-heading")),
        ("number+markdown", "number lines and markdown headings", replace(
            base, number=c(NUMBER_LINE), headings=(c(MARKDOWN_HEADING),))),
    ]
    out: list[_Candidate] = []
    for gap in (0, 2, 3):
        g = f", after ≥ {gap} blank lines" if gap else ""
        out.extend(_Candidate(label + g, replace(layout, gap=gap), kind) for kind, label, layout in kinds)
    return out


def _matches(t: _Text, cand: _Candidate, cache: dict[str, list[str | bool]]) -> list[str | bool]:
    """Per paragraph: the number it prints (a string), True for another start, False."""
    if cand.kind not in cache:
        from .engine import _Starts, number_of

        s = _Starts(replace(cand.layout, gap=0))
        out: list[str | bool] = []
        for i, p in enumerate(t.paras):
            m = s.number(p)
            if m is not None:
                out.append(number_of(m))
            elif cand.kind == "dateline":
                out.append(t.opens_dated[i] and s.dateline(p))
            elif cand.layout.dateline_starts:
                out.append(s.heading(p) or (t.opens_dated[i] and s.dateline(p)))
            else:
                out.append(s.heading(p))
        cache[cand.kind] = out
    return cache[cand.kind]


def _starts(t: _Text, cand: _Candidate, cache: dict[str, list[str | bool]]) -> tuple[list[int], list[str]]:
    found: list[int] = []
    numbers: list[str] = []
    gap = cand.layout.gap
    for i, hit in enumerate(_matches(t, cand, cache)):
        if hit is False or (gap and i > 0 and t.gaps[i] < gap):
            continue
        found.append(i)
        if isinstance(hit, str):
            numbers.append(hit)
    return found, numbers


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _number_value(printed: str) -> int:
    """A printed document number as a number: "17", "17a" → 17; "CXXIII" → 123."""
    if printed and all(ch in ROMAN for ch in printed):
        total = 0
        for a, b in zip(printed, printed[1:] + " ", strict=True):
            total += -ROMAN[a] if b in ROMAN and ROMAN[b] > ROMAN[a] else ROMAN[a]
        return total
    return int(re.sub(r"\D", "", printed) or 0)


def _score(t: _Text, starts: list[int], numbers: list[str], gap: int = 0) -> tuple[float, str]:
    k = len(starts)
    if k < 2:
        return 0.0, ""
    date_soon = sum(1 for i in starts if any(t.dated[i:i + 4])) / k
    gap_align = sum(1 for i in starts if i == 0 or t.gaps[i] >= t.big_gap) / k
    sizes = [sum(t.words[a:b]) for a, b in zip(starts, starts[1:] + [len(t.paras)], strict=True)]
    paras_per_doc = (len(t.paras) - starts[0]) / k
    if paras_per_doc < 2.0:
        return 0.0, ""
    total = sum(t.words[starts[0]:]) or 1
    coverage = sum(t.words[starts[0]:]) / (sum(t.words) or 1)
    biggest = max(sizes) / total
    balance = 1.0 - max(0.0, biggest - 0.5)  # one document holding most of the source is suspect
    if numbers:
        ints = [_number_value(n) for n in numbers]
        rising = sum(1 for a, b in zip(ints, ints[1:], strict=False) if b > a) / max(1, k - 1)
    else:
        rising = 0.5
    # The wide gaps this candidate leaves unexplained: a layout that sets documents apart by
    # blank lines has a start after (nearly) every wide gap.
    wide_at = max(gap, t.big_gap)
    wide = [i for i in range(starts[0], len(t.paras)) if t.gaps[i] >= wide_at]
    explained = len(set(wide) & set(starts)) / len(wide) if wide else 1.0
    quality = 0.25 * date_soon + 0.3 * gap_align + 0.2 * rising + 0.1 * coverage + 0.15 * explained
    score = quality * balance * min(1.0, k / 6)
    why = (f"{k} starts, a date soon after {date_soon:.0%}, after a wide gap {gap_align:.0%}"
           + (f", numbers rising {rising:.0%}" if numbers else ""))
    return score, why


def rank(src: SourceText) -> tuple[Layout, list[str], list[tuple[float, str, Layout]]]:
    """The base layout, what was decided about the text, and every candidate scored, best first."""
    base, why = _base_layout(src)
    if src.files:
        return base, why + ["a folder: each file is one document"], []
    t = _prepare(src, base)
    cache: dict[str, list[str | bool]] = {}
    unrestricted: dict[str, list[int]] = {}
    ranked: list[tuple[float, str, Layout]] = []
    for cand in _candidates(base):
        starts, numbers = _starts(t, cand, cache)
        score, reason = _score(t, starts, numbers, cand.layout.gap)
        if cand.layout.gap == 0:
            unrestricted[cand.kind] = starts
        elif score > 0 and cand.kind in unrestricted:
            # Starts the blank-line rule leaves out, but that look like documents too (a date
            # right after them): the rule is too strict for this text.
            kept = set(starts)
            left = [i for i in unrestricted[cand.kind] if i not in kept and (i == 0 or t.gaps[i] > 0)]
            if len(left) >= 3:
                # a dateline start is itself dated, but one right below a heading is that heading's
                here = 0 if cand.layout.dateline_starts else 1
                heads = set(unrestricted[cand.kind]) if cand.layout.dateline_starts else set()
                dated = sum(1 for i in left if any(t.dated[i + here:i + 3]) and not (i and t.dated[i - 1])
                            and not (i - 1 in heads and t.gaps[i] <= 1)) / len(left)
                share = len(left) / len(unrestricted[cand.kind])
                if dated >= 0.5:
                    score *= 1.0 - 0.8 * dated * share
        if score > 0:
            ranked.append((score, f"{cand.label}: {reason}", cand.layout))
    ranked.sort(key=lambda r: -r[0])  # stable: among equal scores the earlier candidate wins
    return base, why, ranked


def infer(src: SourceText) -> Layout:
    """The best-scoring layout for this text (`chosen` says which and why)."""
    base, why, ranked = rank(src)
    if src.files:
        return replace(base, chosen="; ".join(why))
    if not ranked:
        reason = "no regular document starts found: the whole text is one document"
        return replace(base, before_first_start="document", chosen="; ".join(why + [reason]))
    score, reason, layout = ranked[0]
    return replace(layout, chosen="; ".join(why + [reason, f"score {score:.2f}"]))
