"""The one segmenter: a source's paragraphs → boilerplate + document units, as its layout
(layout.py) says. Presets, `auto` and edition.yaml blocks all run through here.

Order: paragraphs (by blank line or by line; running heads and page numbers dropped),
site header / front matter / table of contents, footer / back matter, starts inside a
line, a trailing number, then the walk that opens a unit at every start paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from ..config import Source
from ..errors import EditionError
from ..patterns import Pattern
from ..recognise import headings as hd
from ..recognise.markers import in_text_pattern
from ..sources import Para, SourceText
from . import Boilerplate, Segmentation, Unit
from .layout import Layout, match_dateline

# A cheap test before the date parser: a month name or a four-digit year.
MAYBE_DATE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b1[5-9]\d\d\b|\b20\d\d\b"
                        r"|\d\.[IVX]+\.\d")

_ITALIC = re.compile(r"(?<![\w*\\])_(?=[^\s_])((?:[^_]|_(?=\w))*?[^\s_])_(?!\w)", re.S)
_PAGE_NUMBER = re.compile(r"^\s*(?:\[?(?:Page|p\.)\s*)?\d{1,4}\]?\s*$", re.I)
_CAPS_WORD = re.compile(r"[A-Z][A-Z'’.\-]+|Mc[A-Z]+|&")
_SIGNATURE_CAPS = re.compile(r"^(?:[A-Z]\.\s*)+[A-Z][A-Za-z'’-]+[.,]?(?:\s+[A-Z][a-z]+\.?)?$")


def underscore_italics(text: str) -> str:
    """`_italic_` → `*italic*`, character for character (offsets and lines stay right)."""
    return _ITALIC.sub(lambda m: "*" + m.group(1) + "*", text)


def is_all_caps_heading(text: str) -> bool:
    """A heading set in capitals: `TELEGRAM TO GENERAL I. McDOWELL.`; not a signature
    (`A. LINCOLN.`), not a single word, not a date alone."""
    t = text.strip().strip("*_#").strip()
    if not t or len(t) > 300 or "\n\n" in t:
        return False
    letters = [c for c in t if c.isalpha()]
    if len(letters) < 6:
        return False
    upper = sum(1 for c in letters if c.isupper())
    if upper / len(letters) < 0.9:
        return False
    if _SIGNATURE_CAPS.match(t) or len(_CAPS_WORD.findall(t)) < 2:
        return False
    return not re.fullmatch(r"[A-Z]+\.?\s+\d{1,2}\W+\d{4}\W*", t)


HEADING_RULE: dict[str, Callable[[str], bool]] = {
    "type-phrase-heading": hd.is_type_word_heading,
    "bold-document-heading": hd.is_bold_heading,
    "all-caps-heading": is_all_caps_heading,
}
CONTINUATION_RULE: dict[str, Callable[[str, str], bool]] = {
    "type-phrase-heading": lambda prev, p: hd.is_plain_heading_continuation(prev.strip(), p.strip()),
    "bold-document-heading": hd.is_bold_heading_continuation,
    "all-caps-heading": lambda prev, p: is_all_caps_heading(p) and len(p) < 200 and not _is_dateline(p),
}


_USES_VOCABULARY = {"type-phrase-heading", "bold-document-heading"}


def _with_vocabulary(rule: Callable[..., bool], vocab: hd.Vocabulary, text: str) -> bool:
    return rule(text, vocab)


def _is_dateline(text: str) -> bool:
    from ..recognise import dates as dt

    first = text.strip().split("\n")[0]
    return bool(MAYBE_DATE.search(first)) and dt.looks_like_dateline(first.strip("*_"))


def paragraphs(src: SourceText, layout: Layout, first: int = 1, last: int | None = None
               ) -> tuple[list[Para], list[int], list[Boilerplate]]:
    """The paragraphs between two lines, the blank lines before each, and the running heads
    dropped."""
    out: list[Para] = []
    gaps: list[int] = []
    dropped: list[Boilerplate] = []
    run: list[str] = []
    start = 0
    blank = 0
    by_line = layout.paragraphs == "line"

    def close(last: int) -> None:
        nonlocal run
        if run:
            text = "\n".join(run)
            if layout.emphasis == "underscore":
                text = underscore_italics(text)
            out.append(Para(start, last, text))
            run = []

    last = len(src.lines) if last is None else last
    for number in range(first, last + 1):
        line = src.lines[number - 1]
        stripped = line.strip()
        if stripped and (any(p.search(stripped) for p in layout.running_heads)
                         or (layout.page_numbers and _PAGE_NUMBER.match(stripped))):
            close(number - 1)
            dropped.append(Boilerplate("running head" if not _PAGE_NUMBER.match(stripped) else "page number",
                                       number, number, line))
            blank += 1
            continue
        if not stripped:
            close(number - 1)
            blank += 1
            continue
        if by_line:
            close(number - 1)
        if not run:
            start = number
            gaps.append(blank)
            blank = 0
        run.append(line)
    close(last)
    return out, gaps, dropped


FRONT_MATTER_KEYS = ("title", "date", "number")


def _front_matter(src: SourceText, first: int, last: int) -> tuple[dict[str, str], dict[str, int], int]:
    """A file's YAML front matter (`---` … `---` at its top): the metadata, the line of each
    key, and the first line after it (`first` when there is none)."""
    from .. import yamlsafe

    if first > last or src.lines[first - 1].strip() != "---":
        return {}, {}, first
    end = next((n for n in range(first + 1, last + 1) if src.lines[n - 1].strip() in ("---", "...")), None)
    name, _ = src.locate(first)
    if end is None:
        raise EditionError("YAML front matter is not closed with '---'", path=f"{src.path}/{name}", line=1)
    block = "\n".join(src.lines[first:end - 1])
    data = yamlsafe.load(block, f"{src.path}/{name}", offset=1) or {}
    if not isinstance(data, dict):
        raise EditionError("front matter must be a mapping of keys (title, date, number)",
                           path=f"{src.path}/{name}", line=1)
    meta = {str(k): str(v) for k, v in data.items() if v is not None and str(k) in FRONT_MATTER_KEYS}
    lines = {k: next((n for n in range(first + 1, end) if src.lines[n - 1].lstrip().startswith(f"{k}:")), first)
             for k in meta}
    return meta, lines, end + 1


def segment_files(src: SourceText, layout: Layout) -> Segmentation:
    """A folder source: each file is one document; its front matter is metadata."""
    starts = _Starts(layout)
    units: list[Unit] = []
    boiler: list[Boilerplate] = []
    flags: list[tuple[int, str]] = []
    for name, first, last in src.file_ranges():
        meta, key_lines, body_first = _front_matter(src, first, last)
        if body_first > first:
            boiler.append(Boilerplate("front matter (metadata)", first, body_first - 1,
                                      "\n".join(src.lines[first - 1:body_first - 1])))
        paras, _, dropped = paragraphs(src, layout, body_first, last)
        boiler.extend(dropped)
        unit = Unit(head=[], body=[], meta=meta, span=(first, last))
        if meta.get("number"):
            unit.number = meta["number"]
        if meta.get("title"):
            line = key_lines.get("title", first)
            unit.head.append(Para(line, line, meta["title"]))
        elif paras and (starts.heading(paras[0]) or paras[0].text.lstrip().startswith("#")):
            unit.head.append(paras.pop(0))
        num = starts.number(paras[0]) if paras and unit.number is None else None
        if num is not None and not unit.head:
            unit.number, unit.number_para = number_of(num), paras.pop(0)
            if paras:
                unit.head.append(paras.pop(0))
        unit.body = paras
        if not unit.head and not unit.body:
            flags.append((first, f"the file {name} holds no text: no document"))
            continue
        units.append(unit)
    boiler.sort(key=lambda b: (b.first, b.col))
    return Segmentation(units=units, boilerplate=boiler, flags=flags)


class _Starts:
    """Which paragraphs open a document, by the layout's start keys."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        vocab = layout.vocabulary
        self.rules = [partial(_with_vocabulary, HEADING_RULE[r], vocab) if r in _USES_VOCABULARY else HEADING_RULE[r]
                      for r in layout.heading_rules]

    def number(self, p: Para) -> re.Match[str] | None:
        if self.layout.number is None:
            return None
        return self.layout.number.match(p.text.strip())

    def heading(self, p: Para) -> bool:
        text = p.text.strip()
        if len(text) >= self.layout.max_chars:
            return False
        return any(rx.match(text) for rx in self.layout.headings) or any(rule(text) for rule in self.rules)

    def dateline(self, p: Para) -> bool:
        if not self.layout.dateline_starts:
            return False
        from ..recognise import dates as dt

        first = p.text.strip().split("\n")[0]
        if match_dateline(self.layout, first) is not None:
            return True
        return len(first) < 120 and bool(MAYBE_DATE.search(first)) and dt.looks_like_dateline(first)


def number_of(m: re.Match[str]) -> str:
    if "n" in m.re.groupindex and m.group("n"):
        return m.group("n")
    return next((g for g in m.groups() if g), m.group(0).strip())


def _joined(paras: list[Para]) -> str:
    return "\n".join(p.text for p in paras)


def _header_end(paras: list[Para], layout: Layout, starts: _Starts) -> int:
    """Index of the first paragraph after a site header (0 when the page has none)."""
    nav = layout.navigation
    if nav is None or not paras or not any(nav.search(p.text) for p in paras[:3]):
        return 0
    i = 0
    while i < len(paras) and not starts.heading(paras[i]):
        p = paras[i]
        header = layout.header_lines is not None and layout.header_lines.match(p.text.strip())
        if not (nav.search(p.text) or header or i < layout.header_paragraphs):
            break
        i += 1
    return i


def _footer_start(paras: list[Para], layout: Layout, source: Source) -> int:
    """Index of the first footer paragraph (len(paras) when there is none)."""
    markers: set[str] = set()
    if layout.footer_names_collection:
        markers.add(source.collection.title.lower())
        if source.site:
            markers.add(source.site.lower())
    i = len(paras)
    while i > 0:
        text = paras[i - 1].text.strip()
        low = text.lower()
        if (layout.footer_lines is not None and layout.footer_lines.match(text)) or \
                (len(text) < 200 and any(m in low for m in markers)):
            i -= 1
            continue
        break
    return i


def segment(src: SourceText, source: Source, layout: Layout) -> Segmentation:
    if src.files:
        return segment_files(src, layout)
    paras, gap_list, dropped = paragraphs(src, layout)
    if not paras:
        raise EditionError("the source has no text", path=str(src.path))
    gaps = {id(p): g for p, g in zip(paras, gap_list, strict=True)}
    starts = _Starts(layout)
    boiler: list[Boilerplate] = list(dropped)
    flags: list[tuple[int, str]] = []
    toc: list[Para] = []

    start = _header_end(paras, layout, starts)
    if start:
        boiler.append(Boilerplate("site header and collection data", paras[0].first, paras[start - 1].last,
                                  _joined(paras[:start])))
    end = _footer_start(paras, layout, source)
    if end < len(paras):
        boiler.append(Boilerplate("footer: attribution, site name, comment form", paras[end].first,
                                  paras[-1].last, _joined(paras[end:])))

    def is_start(i: int, p: Para) -> bool:
        if layout.gap and i > 0 and gaps.get(id(p), 0) < layout.gap:
            return False
        return bool(starts.number(p)) or starts.heading(p) or starts.dateline(p)

    if layout.contents is not None:
        contents = next((i for i in range(start, end) if layout.contents.match(paras[i].text.strip())), None)
    else:
        contents = None
    if layout.before_first_start == "front-matter" or layout.front_matter_until is not None:
        search_from = contents + 1 if contents is not None else start
        if layout.front_matter_until is not None:
            until = next((i for i in range(search_from, end)
                          if layout.front_matter_until.search(paras[i].text)), None)
            search_from = until if until is not None else search_from
        first = next((i for i in range(search_from, end) if is_start(i, paras[i])), None)
        if first is None:
            raise EditionError("no document start found in this source", path=str(src.path),
                               hint="check its layout in edition.yaml (`edition inspect` shows what is found; "
                                    "docs/layouts.md)")
        front_end = contents if contents is not None else first
        if front_end > start:
            boiler.append(Boilerplate("title pages and source data", paras[start].first, paras[front_end - 1].last,
                                      _joined(paras[start:front_end])))
        if contents is not None:
            toc = paras[contents + 1:first]
            boiler.append(Boilerplate("table of contents", paras[contents].first, paras[first - 1].last,
                                      _joined(paras[contents:first])))
        start = first
    if layout.back_matter is not None:
        back = end
        for i in range(end - 1, start, -1):
            if layout.back_matter.match(paras[i].text.strip()):
                back = i
                break
        if back < end and back - 1 > start and layout.back_matter_keeps is not None and \
                layout.back_matter_keeps.match(paras[back - 1].text.strip()):
            back -= 1
        if back < end:
            boiler.append(Boilerplate("back matter and licence", paras[back].first, paras[end - 1].last,
                                      _joined(paras[back:end])))
        end = back
    body = paras[start:end]
    if not body:
        raise EditionError("no document found in this source", path=str(src.path),
                           hint="check its layout in edition.yaml (docs/layouts.md)")

    # A start inside a line: split the paragraph there before looking for starts.
    glued: set[int] = set()
    if layout.inside_line is not None:
        split: list[Para] = []
        for p in body:
            m = layout.inside_line.search(p.text)
            if m and "\n" not in p.text[m.start():]:
                split.extend([p.slice(0, m.start()), p.slice(m.start())])
                glued.add(id(split[-1]))
                flags.append((p.first, "document boundary inside a line: a heading glued to the end of the "
                                       "previous document's source line was split off"))
            else:
                split.append(p)
        body = split

    # A number at the very end starts nothing: the page lacks its document.
    if layout.trailing_number is not None:
        last = body[-1]
        m = layout.trailing_number.search(last.text)
        if m and "\n" not in last.text[m.start():]:
            body[-1] = last.slice(0, m.start())
            piece = last.slice(m.start())
            n = m.group(1) if m.groups() else m.group(0).strip()
            boiler.append(Boilerplate(f"dangling document number {n} whose text the page lacks",
                                      piece.first, piece.last, piece.text, piece.col))
            flags.append((piece.first, f"number {n} at the end of the page starts no document "
                                       "(its text is not on the page)"))

    body = _join_split_datelines(body, gaps)
    continues = CONTINUATION_RULE.get(layout.continues or "")
    if layout.continues == "bold-document-heading" and layout.type_words:
        vocab = layout.vocabulary
        continues = lambda prev, p: hd.is_bold_heading_continuation(prev, p, vocab)  # noqa: E731
    units: list[Unit] = []
    i = 0
    while i < len(body):
        p = body[i]
        text = p.text.strip()
        divider = next((d for d in layout.dividers if d.pattern.match(text)), None)
        if divider is not None:
            boiler.append(Boilerplate(divider.kind, p.first, p.last, p.text))
            i += 1
            continue
        num = starts.number(p) if not layout.gap or i == 0 or gaps.get(id(p), 0) >= layout.gap else None
        opens = num is not None or is_start(i, p) or id(p) in glued or not units
        if not opens:
            units[-1].body.append(p)
            i += 1
            continue
        unit = Unit(head=[], body=[])
        if num is not None:
            unit.number, unit.number_para = number_of(num), p
            rest = text[num.end():].strip()
            if rest:
                p = p.slice(p.text.index(rest)) if rest in p.text else p  # "No. 5. Heading …": the rest is the heading
            else:
                i += 1
                if i >= len(body):
                    break
                p = body[i]
        if num is None and not starts.heading(p) and starts.dateline(p):
            # A headless document that opens with its dateline: the dateline line is the
            # first line of its text (what follows on the paragraph's next lines, too).
            nl = p.text.find("\n")
            unit.body.extend([p.slice(0, nl), p.slice(nl + 1)] if nl > 0 else [p])
            unit.flags.append((p.first, "headless document: boundary inferred from its dateline"))
            units.append(unit)
            i += 1
            continue
        unit.head.append(p)
        i += 1
        limit = layout.max_paragraphs or 10_000
        # (a heading goes on over close paragraphs only: never across the gap that starts a document)
        while (continues is not None and len(unit.head) < limit and i < len(body)
               and not (layout.gap and gaps.get(id(body[i]), 0) >= layout.gap)
               and continues(_joined(unit.head), body[i].text)):
            unit.head.append(body[i])
            i += 1
        if num is None:
            what = "headless fragment: the page starts inside a document" \
                if not units and start == 0 and layout.before_first_start == "document" \
                else "unnumbered document: boundary inferred from its heading"
            unit.flags.append((p.first, what))
        units.append(unit)
    _prose_is_no_heading(units)
    units = _section_headings(units, boiler)
    if layout.notes_heading is not None:
        flags.extend(move_end_notes(units, layout.notes_heading, boiler, layout.note_styles))
    boiler.sort(key=lambda b: (b.first, b.col))
    return Segmentation(units=units, boilerplate=boiler, toc=toc, flags=flags)


def _join_split_datelines(body: list[Para], gaps: dict[int, int]) -> list[Para]:
    """A dateline printed over two paragraphs, its place's first part alone ("EXECUTIVE
    MANSION," then "WASHINGTON, D. C., November 11, 1863."): one dateline paragraph."""
    out: list[Para] = []
    i = 0
    while i < len(body):
        p = body[i]
        text = p.text.strip()
        if (i + 1 < len(body) and len(text) < 60 and text.endswith(",") and "\n" not in text
                and not MAYBE_DATE.search(text) and _is_dateline(body[i + 1].text)
                and "\n" not in body[i + 1].text.strip()):
            nxt = body[i + 1]
            joined = Para(first=p.first, last=nxt.last, text=f"{text} {nxt.text.strip()}", col=p.col)
            if _is_dateline(joined.text):
                gaps[id(joined)] = gaps.get(id(p), 0)
                out.append(joined)
                i += 2
                continue
        out.append(p)
        i += 1
    return out


def _section_headings(units: list[Unit], boiler: list[Boilerplate]) -> list[Unit]:
    """A heading with no text and no number, followed by a document: the heading of a
    section of documents ("SPECIAL MESSAGES.") or the source's title, not a document."""
    kept: list[Unit] = []
    for k, u in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if u.head and not u.body and u.number is None and nxt is not None:
            boiler.append(Boilerplate("section heading", u.head[0].first, u.head[-1].last, _joined(u.head)))
            continue
        kept.append(u)
    return kept


def _prose_is_no_heading(units: list[Unit]) -> None:
    """A numbered document whose text follows its number directly: the paragraph taken for
    its heading is prose, far longer than the source's headings (more than three times the
    usual heading's words, and over 30). It goes back to the text; the document is headless."""
    sizes = sorted(len(" ".join(p.text for p in u.head).split()) for u in units if u.number and u.head)
    if len(sizes) < 5:
        return
    usual = sizes[len(sizes) // 2]
    for u in units:
        words = len(" ".join(p.text for p in u.head).split())
        if u.number and len(u.head) == 1 and words > max(30, 3 * usual):
            u.body.insert(0, u.head.pop())
            u.flags.append((u.body[0].first, "headless document: its text follows the number directly"))


def move_end_notes(units: list[Unit], heading: Pattern, boiler: list[Boilerplate],
                   styles: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Note texts printed in a block after the documents (at the end of the source or of a
    chapter, under a heading such as "NOTES"): each goes to a document of the block's chapter
    that prints its marker — the first one from the previous note's document on, since a
    block lists its notes in the documents' order (numbers may start again in each
    document) — and is linked there like a note printed there."""
    from ..recognise import memo

    flags: list[tuple[int, str]] = []
    chapter = 0  # the first document after the previous notes block
    for k, unit in enumerate(units):
        at = next((j for j, p in enumerate(unit.body) if heading.match(p.text.strip())), None)
        if at is None:
            continue
        hp = unit.body[at]
        boiler.append(Boilerplate("heading of the notes block", hp.first, hp.last, hp.text))
        block, unit.body = unit.body[at + 1:], unit.body[:at]
        taken: dict[int, set[str]] = {}
        current: Unit | None = None
        since = chapter
        for p in block:
            found = memo.split_note_paragraph(p.text.strip(), styles)
            if not found:
                (current or unit).body.append(p)  # a note's next paragraph stays with it
                continue
            n = found[0].n
            marker = in_text_pattern(n)
            order = [*range(since, k + 1), *range(since - 1, chapter - 1, -1), *range(chapter - 1, -1, -1)]
            j = next((j for j in order if n not in taken.get(j, set())
                      and any(marker.search(q.text) for q in units[j].head + units[j].body if q not in block)), None)
            if j is None:
                current = unit
                flags.append((p.first, f"note {n} of the notes block: no document prints its marker"))
            else:
                current, since = units[j], j
                taken.setdefault(j, set()).add(n)
            current.body.append(p)
        chapter = k + 1
    return flags
