"""A document unit (heading + paragraphs with line numbers) → one TEI document.

The paragraphs of a unit are classified in reading order by the small recognisers in
`pipeline.recognise`, then built into the TEI structure of docs/encoding.md:
opener (dateline, marks, salutation), text (paragraphs, lists, speakers, articles),
closer (signatures), source note (archival citations, publication references), notes
linked to their markers, embedded replies as nested divs. Every guess is recorded as a
flag with its source line for the review report.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from lxml import etree

from .config import Edition, Source
from .recognise import citations as cit
from .recognise import dates as dt
from .recognise import headings as hd
from .recognise import memo
from .recognise import notes as nt
from .recognise import structure as st
from .recognise.inline import Token, tokenize
from .segment import Unit, layout_of
from .segment.layout import Layout, match_dateline
from .sources import Para
from .tei import EDITION, PIPELINE, InlineContext, T, add_text, append_spans, append_tokens, iso_when, sub
from .tei import E as el

TERMINAL = re.compile(r"[.?!:;\"”»)\]*…ʺ]\s*$")
JOIN_WORDS = re.compile(r"(?:^|\s)(of|the|and|to|in|a|an|on|with|by|for|from|that|which|at|as|or|is|are|was|his|her|"
                        r"their|our|its|this|these|between|into|against|about|under|comrade|mr\.)\s*$", re.I)
HARD_BREAK = re.compile(r"[ \t]*\n")
# In markdown, a backslash before a space or at the end of a line is the converter's markup
# (an escaped, non-breaking space; a hard line break), never text.
MARKDOWN_SPACE = re.compile(r"(?<!\\)\\(?=[ \t\n]|$)")
LONGEST_SOURCE_NOTE = 10_000  # characters; a longer paragraph is read as text, never as a note of sources
BRACKETED_REMARK = re.compile(r"\[[^\[\]\d]{3,60}\]")
STRONG_INTRO = re.compile(r"\b(repl(y|ied)|answer(ed)?|the following note)\b", re.I)


@dataclass
class Flag:
    line: int
    kind: str
    message: str


@dataclass
class PendingNote:
    """A note text found in the source, waiting to be placed at its marker."""

    note: nt.NoteText
    text: str  # the printed note, its marker included
    host: etree._Element | None  # where an unanchored note stays (notes glued to a paragraph)
    line: int
    continuations: list[tuple[str, int]] = field(default_factory=list)
    placeholder: etree._Element | None = None  # where the note text stands, if no marker claims it


@dataclass
class Built:
    """A converted document before it gets its id and file."""

    div: etree._Element
    head_text: str
    doc_type: str
    date: dt.DateMatch | None
    citations: list[cit.Citation]
    publications: list[cit.Publication]
    flags: list[Flag]
    sender: str | None = None
    addressee: str | None = None
    place: str | None = None
    text_for_comparison: str = ""
    notes: list[etree._Element] = field(default_factory=list)
    doc_refs: list[nt.DocRef] = field(default_factory=list)
    number: str | None = None  # a document number printed inside the heading


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _strip_heading_markup(text: str) -> str:
    """The heading's own markdown (leading #s, the bold that sets it as a heading) is
    layout, not emphasis: drop it, keep bold that starts inside the line."""
    lines = [re.sub(r"^#+\s*", "", line.strip()) for line in text.split("\n")]
    joined = " ".join(line for line in lines if line)
    joined = re.sub(r"\*\*\s+\*\*", " ", joined)  # "…RFSR** **to the …" across hard breaks
    if joined.startswith("**") and joined.endswith("**") and "**" not in joined[2:-2]:
        joined = joined[2:-2]
    return joined.strip()


def _markdown_spaces(p: Para) -> Para:
    """A paragraph of a markdown source without the backslashes of escaped spaces and hard
    breaks (the space or the line break stays)."""
    return dataclasses.replace(p, text=MARKDOWN_SPACE.sub("", p.text)) if "\\" in p.text else p


def _para_text(p: Para) -> str:
    """A paragraph's text with markdown hard breaks folded to spaces."""
    text = p.text.strip()
    return HARD_BREAK.sub(" ", text) if "\n" in text else text


def _wants_join(prev: str, nxt: str) -> bool:
    """A paragraph split by a page break: no terminal punctuation before, and a lower-case
    continuation or a dangling function word."""
    ends_with_initial = bool(re.search(r"(?:^|\s)[A-Z]\.$", prev))
    if not prev or not nxt or (TERMINAL.search(prev) and not ends_with_initial) or len(prev) < 40:
        return False
    if st.signature(prev) or st.salutation(nxt) or dt.looks_like_dateline(prev) or st.speaker_label(nxt):
        return False
    if prev.lstrip().startswith("#") or st.list_item(nxt.strip()) or st.article_heading(nxt.strip()):
        return False
    first = nxt.lstrip()[:1]
    unclosed_quote = prev.count("“") > prev.count("”") + prev.count("ʺ")
    # An initial ("J. V." / "Stalin") never ends a paragraph; a comma does not
    # either, unless what follows is closing material or opens a sentence of its own
    # ("…the proposed date," / "While waiting for your answer, please accept …").
    dangling = ends_with_initial or (prev.endswith(",") and not _opens_sentence(nxt))
    return first.islower() or first in "‐-" or bool(JOIN_WORDS.search(prev)) or unclosed_quote or dangling


SENTENCE_OPENERS = frozenset({
    "While", "Then", "Speaking", "I", "He", "She", "They", "We", "You", "It", "All", "In", "On",
    "At", "As", "After", "Before", "When", "If", "But", "And", "Please", "With", "This", "That",
    "These", "Those", "There", "Today", "Yesterday", "The", "A",
})


def _opens_sentence(text: str) -> bool:
    t = text.strip()
    first = t.split(" ", 1)[0].strip("\"“*") if t else ""
    return (first in SENTENCE_OPENERS or st.closing_formula(t) or st.signature(t) or st.salutation(t)
            or memo.is_source_line(t) or bool(memo.find_citations(t)))


class Assembler:
    """Builds one document. Construct per unit; call `build()`."""

    def __init__(self, unit: Unit, source: Source, edition: Edition, context_year: int | None = None,
                 layout: Layout | None = None) -> None:
        self.unit = unit
        self.source = source
        self.edition = edition
        self.resp = f"{EDITION}#compilers-{source.id}"
        self.ctx = InlineContext(resp_compilers=self.resp)
        self.flags: list[Flag] = list(Flag(line, "boundary", msg) for line, msg in unit.flags)
        layout = layout or layout_of(source)
        self.layout = layout
        self.star_markers = layout.star_markers
        self.note_styles = layout.note_styles
        self.markdown_escapes = layout.markdown_escapes
        if self.markdown_escapes:
            self.unit = dataclasses.replace(unit, head=[_markdown_spaces(p) for p in unit.head],
                                            body=[_markdown_spaces(p) for p in unit.body])
        self.note_texts: list[PendingNote] = []
        self.citations: list[cit.Citation] = []
        self.publications: list[cit.Publication] = []
        self.doc_refs: list[nt.DocRef] = []
        self.note_numbers: frozenset[str] = frozenset()
        self.commentary: set[int] = set()  # ids of paragraphs that are the compilers' commentary
        self.context_year = context_year  # the previous document's year, for dates printed without one

    # -- inline -----------------------------------------------------------------------
    def tokens(self, text: str) -> list[Token]:
        return tokenize(text, note_numbers=self.note_numbers, star_markers=self.star_markers,
                        markdown=self.markdown_escapes, styles=self.note_styles)

    def note_paragraph(self, text: str) -> list[nt.NoteText] | None:
        """The note texts the paragraph consists of (notes.split_note_paragraph)."""
        return memo.split_note_paragraph(text, self.note_styles)

    def inline(self, parent: etree._Element, text: str, line: int) -> None:
        self.ctx.line = line
        remarks = memo.find_remarks(text)
        if not remarks:
            append_tokens(parent, self.tokens(text), self.ctx)
            return

        def remark(piece: str) -> etree._Element:
            note = el("note", type_="editorial", place="inline", resp=self.resp)
            append_tokens(note, self.tokens(piece), self.ctx)
            return note

        append_spans(parent, text, [(r.start, r.end, remark) for r in remarks],
                     plain=lambda par, piece: append_tokens(par, self.tokens(piece), self.ctx))

    # -- heading ----------------------------------------------------------------------
    def heading(self, div: etree._Element, *, dateline_follows: bool
                ) -> tuple[str, hd.Heading, dt.Dateline | None, str]:
        """The heading; a dateline printed at its end moves to the opener, unless the
        document has a dateline paragraph of its own (some sources repeat the date in both)."""
        raw = " ".join(_strip_heading_markup(p.text) for p in self.unit.head)
        parsed = hd.parse_heading(raw, self.layout.vocabulary)
        tail: dt.Dateline | None = None
        tail_text = ""
        head_part = raw
        if parsed.tail_start is not None and not dateline_follows:
            head_part, tail_text = raw[: parsed.tail_start].rstrip(), raw[parsed.tail_start:].strip()
            tail = dt.parse_dateline(tail_text)
            if tail is None:
                head_part, tail_text = raw, ""
        if not self.unit.head:
            return "", parsed, None, ""  # a headless document (it opens with its dateline)
        head = sub(div, "head")
        self.inline(head, head_part, self.unit.head[0].first)
        return head_part, parsed, tail, tail_text

    def day_from_heading(self, line: dt.Dateline, head_text: str, lineno: int) -> dt.Dateline:
        """A dateline giving only month and year ("*February 1937*") while the
        heading prints the full date ("… 1 February 1937"): the heading supplies the day."""
        d = line.date
        if d is None or d.when is None or len(d.when) != 7:
            return line
        full = [h for h in dt.find_dates(head_text) if h.when and h.when.startswith(d.when + "-")]
        if not full:
            return line
        self.flags.append(Flag(lineno, "uncertain date",
                               f"dateline prints {d.text!r}; the day ({full[0].when}) is taken from the heading"))
        better = dataclasses.replace(d, when=full[0].when, cert="high",
                                     reason="day taken from the heading")
        return dataclasses.replace(line, date=better)

    def layout_dateline(self, text: str) -> dt.Dateline | None:
        """A dateline in a form the layout names (`dateline: patterns:`), its parts from the
        pattern's groups `place`, `date` and `time`."""
        m = match_dateline(self.layout, text) if self.layout.dateline_patterns else None
        if m is None:
            return None
        offset = len(text) - len(text.lstrip())
        found = dt.find_dates(m.group("date"), context_year=self.context_year, allow_no_year=True)
        if not found:
            return None
        d = dataclasses.replace(found[0], start=found[0].start + offset + m.start("date"),
                                end=found[0].end + offset + m.start("date"))
        groups = m.re.groupindex

        def span(name: str) -> tuple[int, int] | None:
            return (offset + m.start(name), offset + m.end(name)) if name in groups and m.group(name) else None

        return dt.Dateline(date=d, place=span("place"), time=None, classifications=[], outgoing_number=None,
                           prefix=None, span=(offset + m.start(), offset + m.end()))

    def date_from_metadata(self, opener: etree._Element, value: str) -> dt.DateMatch | None:
        """The date a file's front matter gives (ISO `1939-09-29`, or as printed)."""
        m = re.fullmatch(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\s*", value)
        if m:
            when = "-".join(x for x in m.groups() if x)
            d = dt.DateMatch(0, len(value), value, when=when)
        else:
            found = [x for x in dt.find_dates(value) if x.when or x.from_]
            if not found:
                self.flags.append(Flag(self.unit.first, "uncertain date",
                                       f"front matter date {value!r} could not be read"))
                return None
            d = found[0]
        sub(sub(opener, "dateline"), "date", when=iso_when(d.when), from_=d.from_, to=d.to, evidence="external")
        return d

    # -- dateline ---------------------------------------------------------------------
    def dateline(self, parent: etree._Element, text: str, parsed: dt.Dateline) -> etree._Element:
        rend = None
        inner = text
        m = re.fullmatch(r"(\*{1,2})(.+?)\1", text.strip(), re.S)
        if m:
            rend = "bold" if len(m.group(1)) == 2 else "italic"
            inner = m.group(2)
            reparsed = dt.parse_dateline(inner)
            if reparsed is not None:
                # Offsets now refer to the text inside the wrapper; keep a day the heading supplied.
                if parsed.date and reparsed.date and parsed.date.when != reparsed.date.when:
                    reparsed = dataclasses.replace(reparsed, date=dataclasses.replace(
                        reparsed.date, when=parsed.date.when, cert=parsed.date.cert, reason=parsed.date.reason))
                parsed = reparsed
        line = sub(parent, "dateline", rend=rend)
        spans: list[tuple[int, int, object]] = []
        d = parsed.date
        if d is not None:
            def make_date(piece: str, d: dt.DateMatch = d) -> etree._Element:
                return el("date", piece, when=iso_when(d.when), from_=d.from_, to=d.to, notBefore=d.not_before,
                          notAfter=d.not_after, cert=d.cert, resp=PIPELINE if d.cert else None)
            end = d.end
            if parsed.time and parsed.time[0] >= d.end and not inner[d.end:parsed.time[0]].strip(" ,"):
                end = parsed.time[1]
            spans.append((d.start, end, make_date))
        if parsed.place:
            spans.append((parsed.place[0], parsed.place[1], lambda piece: el("placeName", piece)))
        if parsed.outgoing_number:
            s, e = parsed.outgoing_number
            spans.append((s, e, lambda piece: el("idno", piece, type_="outgoing")))
        for s, e, level in parsed.classifications:
            spans.append((s, e, lambda piece, level=level: el("seg", piece, type_="classification",
                                                             subtype=level)))
        spans = [s for s in spans if s[0] < s[1]]
        append_spans(line, inner, _non_overlapping(spans))  # type: ignore[arg-type]
        if "*" in "".join(str(t) for t in line.itertext()):
            # Emphasis that cuts a dateline in two ("*Vienna, July 28*, 1914."): the signs are
            # markup, not text; the dateline keeps its words.
            for node in line.iter():
                node.text = node.text.replace("*", "") if node.text else node.text
                node.tail = node.tail.replace("*", "") if node.tail and node is not line else node.tail
        if d is not None and (d.cert or d.when is None and d.from_ is None):
            self.flags.append(Flag(self.line, "uncertain date", f"{_one_line(text)!r}: {d.reason or 'date repaired'}"))
        return line

    line = 0

    # -- source notes -----------------------------------------------------------------
    def source_note(self, parent: etree._Element, text: str, line: int) -> None:
        """A paragraph of archival citations / publication references / state words."""
        cites = memo.find_citations(text)
        pubs = memo.find_publications(text)
        note = sub(parent, "note", type_="source")
        spans: list[tuple[int, int, object]] = []
        for c in cites:
            self.citations.append(c)
            spans.append((c.start, c.end, lambda piece, c=c: self.citation_bibl(piece, c)))
            for s, e, state in c.states:
                spans.append((s, e, lambda piece, state=state: el("seg", piece, type_="state", subtype=state)))
            for part in c.parts:
                if part.cert or part.reading:
                    self.flags.append(Flag(line, "damaged citation part",
                                           f"{part.kind} printed {part.value!r} read as {part.reading!r} "
                                           f"({part.cert}): {part.reason or ''}"))
            if c.unknown_archive:
                self.flags.append(Flag(line, "unknown archive", c.unknown_archive))
            if c.archive_cert:
                self.flags.append(Flag(line, "damaged citation part",
                                       f"archive printed {c.archive_printed!r} read as {c.archive} "
                                       f"({c.archive_cert}): {c.archive_reason or ''}"))
        for p in pubs:
            self.publications.append(p)
            spans.append((p.start, p.end, lambda piece, p=p: self.publication_bibl(piece, p)))
        append_spans(note, text, _non_overlapping(spans),  # type: ignore[arg-type]
                     plain=lambda par, piece: self.inline(par, piece, line))

    def citation_bibl(self, text: str, c: cit.Citation) -> etree._Element:
        bibl = el("bibl", type_="archival")
        spans: list[tuple[int, int, object]] = []
        offset = c.start
        if c.archive_printed:
            a = text.find(c.archive_printed)
            if a >= 0:
                spans.append((a, a + len(c.archive_printed),
                              lambda piece: el("orgName", piece, type_="archive")))
        for part in c.parts:
            s, e = part.start - offset, part.end - offset
            spans.append((s, e, lambda piece, part=part: self.part_element(piece, part)))
        append_spans(bibl, text, _non_overlapping(spans))  # type: ignore[arg-type]
        for wrapper in bibl.findall(T + "seg"):
            _unwrap(wrapper)
        return bibl

    def part_element(self, printed: str, part: cit.Part) -> etree._Element:
        """A shelfmark part as printed. A damaged value keeps what is printed and gives the
        converter's reading in a choice; idno holds text only, so a damaged part is the
        label followed by the choice (the header's msDesc has the normalised idno)."""
        vpos = printed.rfind(part.value) if part.value else -1
        damaged = bool(part.reading and part.reading != part.value and vpos >= 0)
        if part.kind == "folios":
            ranges = _folio_range(part)
            node = el("citedRange", unit="folio", from_=ranges[0], to=ranges[1])
        elif damaged:
            node = el("seg", type_="shelfmark-part")  # replaced by its children below
        else:
            node = el("idno", type_=part.kind)
        if damaged:
            add_text(node, printed[:vpos])
            choice = sub(node, "choice")
            sub(choice, "sic", part.value)
            sub(choice, "corr", part.reading, cert=part.cert or "medium", resp=PIPELINE)
            add_text(node, printed[vpos + len(part.value):])
        else:
            add_text(node, printed)
        return node

    def publication_bibl(self, text: str, p: cit.Publication) -> etree._Element:
        bibl = el("bibl", type_="publication", subtype=p.kind)
        append_tokens(bibl, self.tokens(text), self.ctx)
        return bibl

    # -- the whole unit ---------------------------------------------------------------
    def build(self) -> Built:
        div = el("div", type_="document")
        paras = self.join_split_paragraphs(self.unit.body)
        dateline_follows = any(dt.looks_like_dateline(_para_text(p)) for p in paras[:4])
        head_text, parsed, tail, tail_text = self.heading(div, dateline_follows=dateline_follows)
        div.set("subtype", parsed.doc_type)
        opener = el("opener")
        date: dt.DateMatch | None = None
        if tail is not None:
            self.line = self.unit.head[-1].last
            self.dateline(opener, tail_text, tail)
            date = tail.date

        # Note texts are known before the text is built so inline digit markers can be
        # recognised only where a note with that number exists ("delegation 1" is no marker).
        numbers: set[str] = set()
        for p in paras:
            found = self.note_paragraph(p.text.strip())
            if found:
                numbers.update(n.n for n in found)
        self.note_numbers = frozenset(x for x in numbers if x.isdigit())

        i = 0
        # Opener zone: distribution lines, dateline, marks, top-of-page source volume, salutation.
        while i < len(paras):
            p = paras[i]
            text = _para_text(p)
            self.line = p.first
            if st.distribution_line(text):
                seg = sub(opener, "seg", type_="distribution")
                self.inline(seg, text.strip("*"), p.first)
                add_text(seg, "")
            elif date is None and (parsed_line := self.layout_dateline(text)) is not None:
                self.dateline(opener, text, parsed_line)
                date = parsed_line.date
            elif date is None and dt.looks_like_dateline(text) and (parsed_line := dt.parse_dateline(
                    text, context_year=_year_hint(head_text) or self.context_year)) is not None:
                parsed_line = self.day_from_heading(parsed_line, head_text, p.first)
                self.dateline(opener, text, parsed_line)
                date = parsed_line.date
            elif _only_classification(text):
                # A line of handling marks ("Top secret special folder"): each mark a seg; an
                # italic line ("*Immediately*") keeps its italic as hi.
                inner, rend = _whole_emphasis(text)
                spans = [(s, e, lambda piece, lv=lv: el("seg", piece, type_="classification", subtype=lv))
                         for s, e, lv in dt.find_classifications(inner)]
                add_text(opener, " " if len(opener) else "")
                holder = sub(opener, "hi", rend=rend) if rend else opener
                append_spans(holder, inner, spans)  # type: ignore[arg-type]
            elif date is None and i <= 2 and BRACKETED_REMARK.fullmatch(text.strip()):
                # The editors' remark before the dateline ("[Sent in cipher.]").
                self.inline(sub(opener, "note", type_="editorial", place="inline", resp=self.resp), text, p.first)
            elif i <= 2 and _whole_emphasis(text)[1] and memo.find_publications(_whole_emphasis(text)[0]):
                # The source volume printed at the top of a document.
                self.source_note(opener, _whole_emphasis(text)[0], p.first)
            elif st.salutation(text):
                # An address line and a salutation may follow each other.
                self.inline(sub(opener, "salute"), text, p.first)
                if not (i + 1 < len(paras) and st.salutation(_para_text(paras[i + 1]))):
                    i += 1
                    break
            else:
                break
            i += 1
        if date is None and self.unit.meta.get("date"):
            date = self.date_from_metadata(opener, self.unit.meta["date"])
        if date is None:
            hdates = [d for d in dt.find_dates(head_text) if d.when or d.from_]
            if not hdates and self.context_year is None:
                # The first document of a source, its heading dated without a year ("July 25."):
                # the year its text prints, with low certainty.
                m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", " ".join(_para_text(p) for p in paras[:6]))
                year = int(m.group(1)) if m else None
                hdates = [d for d in dt.find_dates(head_text, context_year=year, allow_no_year=True)
                          if d.when] if year else []
            if not hdates and i < len(paras):
                # "May 17, 1862. You will retain …": the text opens with its date.
                opening = _para_text(paras[i]).lstrip("*_ ")
                opens = dt.find_dates(opening[:60])
                if opens and opens[0].start == 0 and opens[0].when and len(opens[0].when) >= 10 \
                        and not opens[0].cert and opening[opens[0].end:].startswith("."):
                    hdates = opens[:1]
            dl = sub(opener, "dateline")
            if hdates:
                d = hdates[-1]
                date = d
                sub(dl, "date", when=iso_when(d.when), from_=d.from_, to=d.to, evidence="internal", cert=d.cert,
                    resp=PIPELINE if d.cert else None)
            else:
                sub(dl, "date", type_="undated")
                self.flags.append(Flag(self.unit.first, "uncertain date",
                                       "no date printed in the dateline or heading: marked undated"))
        div.append(opener)
        if tail is None and date is not None and date.when and len(date.when) >= 10:
            printed = [h.when for h in dt.find_dates(head_text) if h.when and len(h.when) >= 10]
            if printed and date.when[:10] not in {w[:10] for w in printed}:
                # A dateline "10 august 1938" under a heading "August 11, 1938".
                self.flags.append(Flag(self.unit.first, "uncertain date",
                                       f"the dateline gives {date.when[:10]} but the heading prints "
                                       f"{', '.join(sorted(set(printed)))}; the dateline is followed"))
        _order_opener(opener)

        self.body(div, paras[i:])
        self.link_notes(div)
        if not self.unit.head:
            # Nothing printed as a heading (a message that opens with its dateline): the
            # edition supplies one in brackets from the first line, as an editor would.
            first = next((_para_text(p) for p in self.unit.body if p.text.strip()), "")
            label = re.sub(r"[*_]", "", first.split("\n")[0]).strip()
            label = label if len(label) <= 80 else label[:77].rsplit(" ", 1)[0] + " …"
            head = el("head", f"[{label or 'Untitled document'}]", type_="editorial")
            div.insert(0, head)
            self.flags.append(Flag(self.unit.first, "supplied heading",
                                   "no heading is printed: the heading in brackets is taken from the first line"))
        comparison = " ".join(_para_text(p) for p in self.unit.head + self.unit.body)
        return Built(div=div, head_text=_plain(div.find(T + "head")), doc_type=parsed.doc_type, date=date,
                     citations=self.citations, publications=self.publications, flags=self.flags,
                     sender=_span(head_text, parsed.sender), addressee=_span(head_text, parsed.addressee),
                     place=_heading_place(head_text, parsed), text_for_comparison=comparison, doc_refs=self.doc_refs)

    def join_split_paragraphs(self, paras: list[Para]) -> list[Para]:
        out: list[Para] = []
        for p in paras:
            note_continues = bool(out) and self.note_paragraph(out[-1].text.strip()) is not None \
                and p.text.strip()[:1].islower()
            if out and _wants_join(out[-1].text.rstrip(), p.text) and (note_continues or (
                    not _structural(out[-1].text, self.note_styles) and not _structural(p.text, self.note_styles))):
                prev = out[-1]
                out[-1] = Para(prev.first, p.last, prev.text.rstrip() + " " + p.text.strip(), prev.col)
                self.flags.append(Flag(p.first, "joined paragraph",
                                       f"paragraph split by a page break re-joined with line {prev.first}"))
            else:
                out.append(p)
        return out

    # -- body -------------------------------------------------------------------------
    def body(self, div: etree._Element, paras: list[Para]) -> None:
        """Splits the body into the document's own text and embedded texts (replies,
        quoted documents, articles), then fills each."""
        sections: list[tuple[str, Para | None, list[Para]]] = [("main", None, [])]
        # After an end note, an introduction of a quoted text ("… said:") continues
        # the note; only an announced reply or note starts an embedded text.
        in_long_note = False
        closed = False
        paras = [piece for p in paras for piece in _split_glued_appendix(p)]
        for p in paras:
            text = _para_text(p)
            kind = self.kind(p)
            if kind in ("source", "closing"):
                closed, in_long_note = True, False
            elif kind == "note":
                in_long_note = closed
            art = st.article_heading(p.text.strip())
            if st.reply_intro(text) and (not in_long_note or STRONG_INTRO.search(text)):
                sections.append(("reply", p, []))
            elif art is not None:
                sections.append((art[0], p, []))
            elif re.fullmatch(r"(?i)appendix|application", text.strip()):
                sections.append(("annex", p, []))  # the attachment split off a signature
            else:
                sections[-1][2].append(p)
        # A reference to an annex inside an article ("Appendix iv: map.") opens no
        # annex: with nothing of its own before the next heading, it is a line of the text.
        for k in range(len(sections) - 1, 0, -1):
            kind, head_para, content = sections[k]
            if kind == "annex" and not content and head_para is not None and ":" in head_para.text \
                    and k + 1 < len(sections):
                sections[k - 1][2].append(head_para)
                del sections[k]
        if len(sections) == 1:
            self.fill(div, sections[0][2])
            return
        main_kind, _, main_paras = sections[0]
        nested = [s for s in sections[1:]]
        has_closer = self.fill(el("div"), main_paras, dry_run=True)
        if has_closer:
            holder = sub(div, "div", type_="main")
            self.fill(holder, main_paras)
        else:
            self.fill(div, main_paras)
        for kind, head_para, content in nested:
            assert head_para is not None
            sect = sub(div, "div", type_=kind if kind != "reply" else _reply_kind(head_para))
            if kind in ("article", "annex", "section"):
                label = st.article_heading(head_para.text.strip())
                if label and label[1]:
                    sect.set("n", label[1])
                h = sub(sect, "head")
                self.inline(h, _strip_heading_markup(head_para.text), head_para.first)
            else:
                h = sub(sect, "head", type_="editorial")
                self.inline(h, _para_text(head_para), head_para.first)
            self.fill(sect, content, nested_text=True)

    def closing_zone(self, paras: list[Para]) -> int:
        """Index where the closing material starts: signatures, closing formulas, source
        lines and notes, with unmarked continuation paragraphs of a note that stands there.
        Everything before it is the text."""
        kinds = [self.kind(p) for p in paras]
        # The compilers' narrative printed after the source line at the very end
        # ("The exchange of instruments …") is commentary, not the document's text.
        k = len(kinds)
        while k > 0 and kinds[k - 1] == "body":
            k -= 1
        if 0 < k < len(kinds) and kinds[k - 1] == "source":
            for j in range(k, len(kinds)):
                kinds[j] = "commentary"
        self.commentary = {id(paras[j]) for j in range(len(kinds)) if kinds[j] == "commentary"}
        zone = len(paras)
        for k in range(len(paras) - 1, -1, -1):
            if kinds[k] == "elision" and k > 0 and kinds[k - 1] != "body":
                zone = k
                continue
            if kinds[k] == "commentary":
                zone = k
                continue
            if kinds[k] in ("body", "elision"):
                # A body paragraph belongs to the closing zone only as a note's continuation.
                j = k - 1
                while j >= 0 and kinds[j] == "body":
                    j -= 1
                if j >= 0 and kinds[j] == "note" and any(x in ("source", "closing") for x in kinds[:j]):
                    continue
                break
            zone = k
        return zone

    def kind(self, p: Para) -> str:
        text = p.text.strip()
        if self.note_paragraph(text) is not None or memo.is_note_label(text):
            return "note"
        if self.is_closing(p):
            return "source" if (memo.find_citations(text) or memo.find_publications(text)) else "closing"
        if st.dots_only(text):
            return "elision"  # a stray dot line after the source does not end the closing zone
        return "body"

    def fill(self, parent: etree._Element, paras: list[Para], *, dry_run: bool = False,
             nested_text: bool = False) -> bool:
        """Builds text, closer and source notes of one text into `parent`. Returns whether a
        closer was made (the caller wraps texts with a closer before nested divs)."""
        zone = self.closing_zone(paras)
        has_closer = any(self.is_signature_like(p) for p in paras[zone:])
        if dry_run:
            return has_closer
        if nested_text and paras and st.salutation(_para_text(paras[0])):
            opener = sub(parent, "opener")
            self.inline(sub(opener, "salute"), _para_text(paras[0]), paras[0].first)
            paras = paras[1:]
            zone = max(0, zone - 1)
        current_list: etree._Element | None = None
        for p in paras[:zone]:
            text = _para_text(p)
            self.line = p.first
            notes = self.note_paragraph(p.text.strip())
            if notes is not None or memo.is_note_label(p.text.strip()):
                self.collect_notes(parent, p, notes or [])
                continue
            lines = p.text.strip().split("\n")
            if st.list_item(lines[0]) is not None and all(st.list_item(x) for x in lines):
                current_list = current_list if current_list is not None else sub(parent, "list")
                for k, line_text in enumerate(lines):
                    dash = re.match(r"^\s*-\s+", line_text)
                    item = sub(current_list, "item", rend="dash" if dash else None)
                    self.para_content(item, Para(p.first + k, p.first + k, line_text),
                                      line_text[dash.end():] if dash else line_text.strip())
                continue
            current_list = None
            turns = st.speaker_turns(text)
            if turns:
                # One paragraph may hold several turns.
                starts = [0] + [ls - (1 if text[ls - 1:ls] == "(" else 0) for ls, _, _ in turns[1:]]
                for k, (_, _, ts) in enumerate(turns):
                    end = starts[k + 1] if k + 1 < len(turns) else len(text)
                    sp = sub(parent, "sp")
                    # The bold that sets a speaker label is layout, not emphasis.
                    self.inline(sub(sp, "speaker"), text[starts[k]:ts].replace("**", "").strip(), p.first)
                    self.para_content(sub(sp, "p"), p, text[ts:end].strip())
                continue
            if st.separator(text):
                sub(parent, "milestone", unit="section", rend=text.replace("\\", "").strip())
                continue
            if st.dots_only(text):
                sub(parent, "gap", reason="omitted", resp=self.resp, rend=text.strip())
                continue
            if memo.is_source_line(text) and (memo.find_citations(text) or memo.find_publications(text)):
                self.source_note(parent, text, p.first)
                continue
            if nt.is_unmarked_reference_note(text):
                # "See doc. No. 264." between two paragraphs: a compilers' note without marker.
                note = sub(parent, "note", type_="compiler", subtype="unanchored", place="foot", resp=self.resp)
                refs = memo.find_doc_refs(text)
                self.doc_refs.extend(refs)
                spans = [(r.start, r.end, lambda piece, r=r: el("ref", piece, type_="document", n=r.target_doc))
                         for r in refs if r.kind == "doc"]
                append_spans(note, text, spans)  # type: ignore[arg-type]
                self.flags.append(Flag(p.first, "note without marker", f"{text!r} kept as a note where it stands"))
                continue
            # A markdown heading inside a document is a numbered point: its
            # "#" signs are layout.
            self.para_content(sub(parent, "p"), p, re.sub(r"^#+\s*", "", text))
        # Closing zone.
        closer: etree._Element | None = None
        last_note: PendingNote | None = None
        for p in paras[zone:]:
            text = _para_text(p)
            self.line = p.first
            notes = self.note_paragraph(p.text.strip())
            if notes is not None or memo.is_note_label(p.text.strip()):
                last_note = self.collect_notes(parent, p, notes or [])
                continue
            cites = memo.find_citations(text)
            pubs = memo.find_publications(text)
            if cites or pubs:
                last_note = None
                inner, _ = _whole_emphasis(text)  # an italic source line: layout only
                if inner != text:
                    text = inner
                    cites, pubs = memo.find_citations(text), memo.find_publications(text)
                start = min([c.start for c in cites] + [x.start for x in pubs])
                if text[:start].strip():
                    # A signature glued to the citation ("O. Nikitnikova avp rf, …");
                    # connector words ("Plenipotentiary of wua rf") stay as text in the closer.
                    closer = closer if closer is not None else sub(parent, "closer")
                    span = st.signature_prefix(text, start)
                    s0, s1 = span if span else (0, len(text[:start].rstrip()))
                    add_text(closer, text[:s0])
                    self.inline(sub(closer, "signed"), text[s0:s1], p.first)
                    add_text(closer, text[s1:start].rstrip())
                self.source_note(parent, text[start:], p.first)
                continue
            if st.dots_only(text):
                sub(parent, "gap", reason="omitted", resp=self.resp, rend=text.strip())
                continue
            if id(p) in self.commentary:
                comment = sub(parent, "note", type_="editorial", subtype="commentary", resp=self.resp)
                self.inline(comment, text, p.first)
                self.flags.append(Flag(p.first, "commentary", "paragraph after the source line kept as the "
                                                              "compilers' commentary"))
                continue
            if last_note is not None and not self.is_signature_like(p):
                last_note.continuations.append((text, p.first))  # an unmarked continuation
                continue
            last_note = None
            if st.postscript(text):
                ps = sub(parent, "postscript")
                self.inline(sub(ps, "p"), text, p.first)
                continue
            signing = dt.parse_signing_dateline(text, self.context_year)
            if signing is not None:  # "Done in duplicate at Moscow on …": where it was signed
                closer = closer if closer is not None else sub(parent, "closer")
                self.dateline(closer, text, signing)
                continue
            closer = closer if closer is not None else sub(parent, "closer")
            if st.closing_formula(text):
                self.inline(sub(closer, "salute"), text, p.first)
            else:
                self.inline(sub(closer, "signed"), text, p.first)
        _order_bottom(parent)
        return has_closer

    def para_content(self, parent: etree._Element, p: Para, text: str) -> None:
        """A body paragraph: glued note texts split off, the rest inline."""
        cut, glued = memo.split_glued_notes(text)
        if glued:
            self.inline_with_citations(parent, text[:cut].rstrip(), p.first)
            for n in glued:
                self.note_texts.append(PendingNote(n, text[n.start:n.end].strip(), parent, p.first))
            return
        self.inline_with_citations(parent, text, p.first)

    def inline_with_citations(self, parent: etree._Element, text: str, line: int) -> None:
        """Citations glued to the end of the last body paragraph: they become a source
        note at their place."""
        cites = memo.find_citations(text)
        if not cites or parent.tag not in (T + "p", T + "item"):
            self.inline(parent, text, line)
            return
        start = cites[0].start
        self.inline(parent, text[:start].rstrip() + " ", line)
        self.source_note(parent, text[start:], line)

    def collect_notes(self, parent: etree._Element, p: Para, notes: list[nt.NoteText]) -> PendingNote | None:
        text = p.text.strip()
        if not notes:  # a label line such as "*Document note:*"
            label = sub(parent, "note", type_="compiler", subtype="label", resp=self.resp)
            self.inline(label, text, p.first)
            return None
        for n in notes:
            # A placeholder where the note text stands: used if no marker claims the note.
            self.note_texts.append(PendingNote(n, text[n.start:n.end].strip(), None, p.first,
                                               placeholder=sub(parent, "note")))
        return self.note_texts[-1]

    # -- notes ------------------------------------------------------------------------
    def link_notes(self, div: etree._Element) -> None:
        """Each note text goes to the nearest unused marker with the same sign before it."""
        markers = list(self.ctx.markers)
        used: set[int] = set()
        for pending in self.note_texts:
            n, line = pending.note, pending.line
            target = None
            for k in range(len(markers) - 1, -1, -1):
                note_el, marker, mline = markers[k]
                if k in used or marker.n != n.n or mline > line:
                    continue
                target = k
                break
            if target is None:
                # A note text with no marker in the text: kept where it stands.
                if pending.placeholder is not None:
                    note_el = pending.placeholder
                    pending.placeholder = None
                else:
                    note_el = sub(pending.host if pending.host is not None else div, "note")
                for key, value in (("type", "compiler"), ("subtype", "unanchored"), ("n", n.n),
                                   ("place", "foot"), ("resp", self.resp)):
                    note_el.set(key, value)
                self.flags.append(Flag(line, "note without marker",
                                       f"note {n.n!r} has no marker in the text; kept where it stands"))
            else:
                used.add(target)
                if pending.placeholder is not None:
                    pending.placeholder.getparent().remove(pending.placeholder)  # type: ignore[union-attr]
                    pending.placeholder = None
                note_el = markers[target][0]
                note_el.set("type", "compiler")
                note_el.set("resp", self.resp)
            self.fill_note(note_el, pending, line)
        for k, (note_el, marker, mline) in enumerate(markers):
            if k in used:
                continue
            # One note serving two markers: point to the note with the same sign.
            shared = next((markers[j][0] for j in used if markers[j][1].n == marker.n and j > k), None) \
                if self.star_markers else None  # else a reused star is a different, lost note
            if shared is not None:
                note_el.set("type", "compiler")
                note_el.set("subtype", "shared")
                note_el.set("resp", self.resp)
                continue
            note_el.set("type", "unresolved")
            note_el.set("resp", self.resp)  # the compilers' marker; its text is missing
            self.flags.append(Flag(mline, "marker without note",
                                   f"note marker {marker.printed!r}: its text is not in the source"))

    def end_note_holder(self, div: etree._Element) -> etree._Element:
        return div

    def fill_note(self, note_el: etree._Element, pending: PendingNote, line: int) -> None:
        """The note's text with its printed label (the marker as printed at the note), its
        references to other documents, and continuation paragraphs."""
        n = pending.note
        printed = pending.text
        label_len = n.text_start - n.start
        label, body = printed[:label_len].strip(), printed[label_len:].strip()
        if label:
            # The marker as printed at the note, markdown escapes and tags dropped.
            sup = "<sup>" in label
            sub(note_el, "label", re.sub(r"</?sup>|\\", "", label), rend="sup" if sup else None)
            add_text(note_el, " ")
        refs = memo.find_doc_refs(body)
        self.doc_refs.extend(refs)
        remarks = memo.find_remarks(body)
        if remarks and remarks[0].start <= 1 and remarks[-1].end >= len(body.rstrip()) - 1:
            # The note is itself a compilers' remark ("The document mistakenly reads …").
            note_el.set("type", "editorial")
            if not note_el.get("subtype"):
                note_el.set("subtype", remarks[0].kind)
            append_tokens(note_el, self.tokens(body), self.ctx)
        elif refs:
            spans = [(r.start, r.end, lambda piece, r=r: el("ref", piece, type_="document", n=r.target_doc))
                     for r in refs if r.kind == "doc"]  # "see gas. Izvestia", "see note 113" are not documents
            append_spans(note_el, body, spans,  # type: ignore[arg-type]
                         plain=lambda par, piece: append_tokens(par, self.tokens(piece), self.ctx))
        else:
            self.inline(note_el, body, line)
        for text, cline in pending.continuations:
            self.inline(sub(note_el, "p"), text, cline)
        repeated = _repeated_passage(body)
        if repeated:
            # A passage printed several times over; kept as printed, reported.
            self.flags.append(Flag(line, "repeated text", f"the note prints a passage {repeated[1]} times: "
                                                          f"{repeated[0][:80]!r}… (only the first is likely genuine)"))

    def is_closing(self, p: Para) -> bool:
        text = _para_text(p)
        if self.note_paragraph(p.text.strip()) is not None or memo.is_note_label(p.text.strip()):
            return True
        if len(text) > LONGEST_SOURCE_NOTE:  # a page of text is not a note of its sources
            return self.is_signature_like(p)
        cites = memo.find_citations(text)
        if cites and (len(text[:cites[0].start].strip()) <= 100 or memo.is_source_line(text)):
            return True
        if memo.find_publications(text) and memo.is_source_line(text):
            return True
        return self.is_signature_like(p)

    def is_signature_like(self, p: Para) -> bool:
        text = _para_text(p)
        return (st.closing_formula(text) or st.signature(text) or st.recorder_line(text)
                or st.postscript(text) or dt.parse_signing_dateline(text) is not None)


def _plain(el_: etree._Element | None) -> str:
    """An element's text without its notes and markdown signs, on one line (for titles)."""
    if el_ is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == T + "supplied":
                parts.append("[")  # the compilers' brackets, as printed
                walk(child)
                parts.append("]")
            elif child.tag != T + "note":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el_)
    return _one_line("".join(parts).replace("\\", "").replace("**", ""))


GLUED_APPENDIX = re.compile(r"^(?P<sig>\S.*?\S)\s+(?P<word>appendix|application)\s*$", re.I)


def _split_glued_appendix(p: Para) -> list[Para]:
    """A signature with an attachment's heading glued to it ("A. Vyshinsky appendix"): split
    so that the signature closes the text and "appendix" heads the annex."""
    m = GLUED_APPENDIX.match(p.text)
    if m is None or "\n" in p.text or not st.signature(m.group("sig")):
        return [p]
    return [p.slice(0, m.end("sig")), p.slice(m.start("word"))]


def _repeated_passage(text: str, size: int = 200) -> tuple[str, int] | None:
    """A passage of at least `size` characters that the text prints more than once."""
    if len(text) < 2 * size:
        return None
    probe = text[len(text) - size:]  # the note's end is inside the repeated block when it repeats
    count = text.count(probe)
    return (probe, count) if count > 1 else None


def _whole_emphasis(text: str) -> tuple[str, str | None]:
    """A paragraph set wholly in italic or bold ("*Immediately*"): its inside and the rend."""
    m = re.fullmatch(r"(\*{1,2})([^*].*?[^*\\]|[^*])\1", text.strip(), re.S)
    if not m:
        return text, None
    return m.group(2), "bold" if len(m.group(1)) == 2 else "italic"


def _span(text: str, span: tuple[int, int] | None) -> str | None:
    return _one_line(text[span[0]:span[1]]) if span else None


def _heading_place(head_text: str, parsed: hd.Heading) -> str | None:
    """The place of sending a heading prints ("…, from Geneva. May 25, 1937", "Telegram from
    Baku, a member of …"), when it stays in the heading (else the dateline holds it)."""
    if parsed.place is None or parsed.place[1] > len(head_text):
        return None
    return _span(head_text, parsed.place) or None


def _structural(text: str, styles: frozenset[str] = frozenset()) -> bool:
    """Paragraphs that a page-split join must not swallow or extend."""
    t = text.strip()
    return bool(st.article_heading(t) or st.dots_only(t) or t.startswith("#")
                or memo.split_note_paragraph(t, styles) is not None or memo.is_note_label(t))


def _only_classification(text: str) -> bool:
    marks = dt.find_classifications(text)
    if not marks:
        return False
    rest = text
    for s, e, _ in sorted(marks, reverse=True):
        rest = rest[:s] + rest[e:]
    return not re.sub(r"[\s.,*;:]+", "", rest)


def _year_hint(text: str) -> int | None:
    m = re.search(r"\b(19[1-4]\d)\b", text)
    return int(m.group(1)) if m else None


def _reply_kind(p: Para) -> str:
    return "reply" if "repl" in p.text.lower() else "related"


def _folio_range(part: cit.Part) -> tuple[str | None, str | None]:
    nums = re.findall(r"\d+[a-z]?", part.reading or part.value)
    if not nums:
        return None, None
    last = nums[-1] + ("v" if "verso" in part.value else "")
    return nums[0], last


def _non_overlapping(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    out: list[tuple[int, int, object]] = []
    end = -1
    for s in sorted(spans, key=lambda x: (x[0], -x[1])):
        if s[0] >= end:
            out.append(s)
            end = s[1]
    return out


def _unwrap(node: etree._Element) -> None:
    """Replaces an element by its content (text, children, tail), in place."""
    parent = node.getparent()
    assert parent is not None

    def append_text(after: etree._Element | None, text: str) -> None:
        if after is None:
            parent.text = (parent.text or "") + text
        else:
            after.tail = (after.tail or "") + text

    last = node.getprevious()
    append_text(last, node.text or "")
    idx = parent.index(node)
    for k, child in enumerate(list(node)):
        parent.insert(idx + k, child)  # moving a child keeps its tail
        last = child
    tail = node.tail or ""
    parent.remove(node)
    append_text(last, tail)


def _order_opener(opener: etree._Element) -> None:
    """Drops an empty opener; keeps its children in printed order."""
    if not len(opener) and not (opener.text or "").strip():
        parent = opener.getparent()
        if parent is not None:
            parent.remove(opener)


def _order_bottom(parent: etree._Element) -> None:
    """TEI wants closer/postscript after all text: move any body element that the
    builder put after a closer in front of it (it is a misdetected signature otherwise)."""
    children = list(parent)
    bottom_tags = {T + "closer", T + "postscript"}
    first_bottom = next((k for k, c in enumerate(children) if c.tag in bottom_tags), None)
    if first_bottom is None:
        return
    allowed_after = bottom_tags | {T + "note", T + "milestone"}
    for c in children[first_bottom:]:
        if c.tag not in allowed_after:
            # A body element after the closer: turn the closer into paragraphs instead.
            for cl in [x for x in children[first_bottom:] if x.tag == T + "closer"]:
                idx = parent.index(cl)
                for k, part in enumerate(list(cl)):
                    p = el("p")
                    p.text = part.text
                    for sub_el in part:
                        p.append(sub_el)
                    parent.insert(idx + k, p)
                parent.remove(cl)
            return

