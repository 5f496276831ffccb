"""Helpers for the PDF tests (no tests here): text extraction with pypdf, normalisation
that survives line breaks and hyphenation, and what the TEI says should be printed."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "project"
ARTIFACTS = ROOT / "out" / "test-artifacts" / "pdf"
TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}

# Line breaks, hyphenation and the spaces Typst may add or drop: compare without them.
_DROP = re.compile(r"[\s\u00ad\u2010\u2011\-]+")


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "ʹ": "'"})


def norm(text: str) -> str:
    """Text for comparisons: without spaces and hyphenation, quotes straight (the print
    regularises them, docs/pdf.md)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


@dataclass
class Pdf:
    path: Path
    reader: pypdf.PdfReader
    pages: list[str]             # extracted text per page
    flat: str                    # norm() of all pages joined

    @classmethod
    def read(cls, path: Path) -> Pdf:
        reader = pypdf.PdfReader(str(path))
        pages = [p.extract_text() or "" for p in reader.pages]
        return cls(path, reader, pages, norm("".join(pages)))

    def bookmarks(self) -> list[tuple[int, str, int]]:
        """(depth, title, 0-based page) of every outline item."""
        out: list[tuple[int, str, int]] = []

        def walk(items: list, depth: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    out.append((depth, str(item.title), self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return out


def find_in_order(segments: list[str], hay: str, *, max_pieces: int = 4, start: int = 0) -> str | None:
    """Finds the normalised segments in `hay` in this order. Each segment may be cut
    into up to `max_pieces` pieces (a footnote or heading continued on the next page,
    with running heads and other text between). Returns None when found, else the part
    that was not found."""
    pos = start
    for seg in segments:
        rest = norm(seg)
        pieces = 0
        while rest:
            if pieces == max_pieces:
                return rest
            # the longest prefix of rest that occurs at or after pos (monotone: binary search)
            lo, hi = 0, len(rest)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if hay.find(rest[:mid], pos) >= 0:
                    lo = mid
                else:
                    hi = mid - 1
            if lo == 0 or (lo < min(6, len(rest)) and pieces > 0):
                return rest
            at = hay.find(rest[:lo], pos)
            pos = at + lo
            rest = rest[lo:]
            pieces += 1
    return None


def printed_segments(el: etree._Element) -> list[str]:
    """The text of a heading or note as printed, cut where a nested note stands (its
    marker is printed there, its text elsewhere). Supplied text is printed in brackets,
    gaps by their sign, a damaged reading with the edition's reading after it."""
    segments = [""]

    def walk(node: etree._Element) -> None:
        if node.text:
            segments[-1] += node.text
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == TEI + "note":
                if child.get("place") == "inline":
                    walk(child)
                else:
                    segments.append("")
            elif tag == TEI + "label" and node.tag == TEI + "note" and child is node[0]:
                pass  # a footnote's label is its marker, printed by the footnote
            elif tag == TEI + "supplied":
                segments[-1] += "["
                walk(child)
                segments[-1] += "]"
            elif tag == TEI + "gap":
                segments[-1] += child.get("rend") or "[…]"
            elif tag == TEI + "choice":
                segments.append("")
            elif tag == TEI + "rdg":
                pass  # another witness's reading: printed at the page foot, below the notes
            elif tag == TEI + "app":
                walk(child)
                segments.append("")  # the variant's letter marker follows the base's reading
            elif tag:
                walk(child)
            if child.tail:
                segments[-1] += child.tail

    walk(el)
    return [s for s in segments if norm(s)]


def is_printed_note(note: etree._Element) -> bool:
    """Notes whose text the PDF must contain: footnotes and notes printed where they stand."""
    return (note.get("type") not in ("source", "unresolved") and note.get("subtype") not in ("shared", "label")
            and note.get("place") != "inline" and bool(norm("".join(note.itertext()))))


def documents(tei_root: Path, source_ids: list[str]) -> list[Path]:
    return [p for sid in source_ids for p in sorted((tei_root / sid).glob("*.xml"))]


def index_entries(typ_source: str) -> list[tuple[str, str, str]]:
    """(key, kind, name) of the index entries in the generated Typst source."""
    block = typ_source[typ_source.index("#let index-entries = ("):]
    block = block[:block.index("\n)\n")]
    return re.findall(r'\(key: "((?:[^"\\]|\\.)*)", kind: "(\w+)", name: "((?:[^"\\]|\\.)*)"\)', block)


def markers_by_document(typ_source: str) -> dict[str, set[str]]:
    """Index keys marked in each document of the generated Typst source."""
    out: dict[str, set[str]] = {}
    current = None
    for line in typ_source.splitlines():
        m = re.match(r"#doc-start\(id: \"([^\"]+)\"", line)
        if m:
            current = m.group(1)
            out[current] = set()
        if current:
            for key in re.findall(r'#ix\("((?:[^"\\]|\\.)*)"\)', line):
                out[current].add(key.replace('\\"', '"').replace("\\\\", "\\"))
    return out


# ----- make-up read back from the PDF (issue 15): the positions of the lines -----

@dataclass
class Line:
    text: str
    top: float      # pt from the top of the page
    bottom: float
    left: float


def page_lines(path: Path) -> list[list[Line]]:
    """Every page's text lines with their positions (poppler's `pdftotext -bbox-layout`),
    from the top of the page down; lines of one baseline in separate blocks (a signature
    set to the right) stay separate."""
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for page in root.iter("{*}page"):
        lines = [Line(" ".join(w.text or "" for w in line.iter("{*}word")), float(line.get("yMin")),
                      float(line.get("yMax")), float(line.get("xMin"))) for line in page.iter("{*}line")]
        pages.append(sorted(lines, key=lambda ln: (ln.top, ln.left)))
    return pages


_CLOSING_CALLS = ("#closer[", "#signed[", "#closing-salute[", "#doc-tail[", "#source-note[", "#note-block[",
                  "#witnesses-note[")


def _typst_text(markup: str) -> str:
    """The printed words of a piece of the generated Typst markup, roughly: calls, index
    markers and escapes removed (enough to recognise a printed line as part of it)."""
    text = re.sub(r'#ix\("(?:[^"\\]|\\.)*"\)', "", markup)
    text = re.sub(r"#[\w-]+(\((?:[^()\"]|\"(?:[^\"\\]|\\.)*\")*\))?\[?", "", text)
    return norm(re.sub(r"(?<!\\)\]", "", text).replace("\\", ""))


def closing_texts(typ_source: str) -> list[str]:
    """Per document of the volume, in order: the normalised text of what follows its last
    block of text (closer, signature, closing salute, source notes, the witnesses' note)."""
    body = typ_source.split("<main-start>", 1)[1]
    out = []
    for chunk in re.split(r"\n#doc-start\(", body)[1:]:
        # the stylesheet writes the closing first, as the value `closing` (docs/pdf.md)
        held = re.search(r"\n#let closing = \(notes: \d+, body: \[(.*?)\]\)\n", chunk, re.DOTALL)
        if held:
            out.append(_typst_text(held.group(1)))
            continue
        closing: list[str] = []
        for line in chunk.splitlines()[1:]:
            if line.startswith(_CLOSING_CALLS):
                closing.append(line)
            elif closing and line[:1] not in ("", " ", "/", "#", "]") or line.startswith(("#fn-par", "#item", "#sp")):
                closing = []  # a block of text after a signature: the closing is further on
            elif closing:
                closing.append(line)
        out.append(_typst_text("\n".join(closing)))
    return out


@dataclass
class Makeup:
    closing_alone: list[int]     # pages (1-based, physical) that open with a document's closing lines
    lone_last_line: list[int]    # pages that open with one line of a document's text, then its closing
    gaps: list[int]              # pages with a white band over half the text area (not before a part)


TEXT_TOP, TEXT_BOTTOM = 62.4, 600.9   # the text area of the page design (22 mm margins, 234 mm page)


def makeup(path: Path, typ_source: str, starts: list[int], sections: list[int]) -> Makeup:
    """Reads the make-up of a volume: where each document's closing lines stand (from its
    "Printed from" line upwards, the lines that are part of its closing blocks), and pages
    with a large white band. `starts`: the 0-based page where each document begins,
    `sections`: where each part and section begins (a page before one may be short)."""
    pages = page_lines(path)
    closings = closing_texts(typ_source)
    provenance = [(i, j) for i, lines in enumerate(pages) for j, ln in enumerate(lines)
                  if ln.text.startswith("Printed from ") and ln.top > TEXT_TOP - 10]
    assert len(provenance) == len(closings) == len(starts), (len(provenance), len(closings), len(starts))
    alone, lone = [], []
    for (page, at), closing, start in zip(provenance, closings, starts, strict=True):
        if page == start:
            continue
        body = [ln for ln in pages[page][:at] if ln.top > TEXT_TOP - 10]
        c = len(body)
        while c > 0 and norm(body[c - 1].text) in closing:
            c -= 1
        # lines of one baseline count once (a signature beside the last words)
        text_lines = len({round(ln.top) for ln in body[:c]})
        if text_lines == 0:
            alone.append(page + 1)
        elif text_lines == 1:
            lone.append(page + 1)
    # the witnesses' note of a document alone on the next page
    for i, lines in enumerate(pages):
        body = [ln for ln in lines if ln.top > TEXT_TOP - 10]
        if body and body[0].text.startswith("Witnesses.") and i not in starts:
            alone.append(i + 1)
    gaps = []
    first, last = starts[0], max(p for p, _ in provenance)

    def body_of(i: int) -> list[Line]:
        return [ln for ln in pages[i] if ln.top > TEXT_TOP - 10 and ln.bottom < TEXT_BOTTOM + 5]

    for i in range(first, last + 1):
        body = body_of(i)
        after = next((s for s in sorted(sections) if s > i), len(pages))
        if not body or all(not body_of(j) for j in range(i + 1, after)):
            continue  # a blank page, or the last page before a part or section opens
        edges = [TEXT_TOP] + [y for ln in body for y in (ln.top, ln.bottom)] + [TEXT_BOTTOM]
        band = max(b - a for a, b in zip(edges[0::2], edges[1::2], strict=True))
        if band > (TEXT_BOTTOM - TEXT_TOP) / 2:
            gaps.append(i + 1)
    return Makeup(sorted(alone), lone, gaps)


if __name__ == "__main__":  # python -m tests.test_pdf_support out/pdf/edition.pdf: the make-up counts
    import sys

    pdf_path = Path(sys.argv[1])
    doc = Pdf.read(pdf_path)
    doc_starts = [p for _, title, p in doc.bookmarks() if re.match(r"\d+\. ", title)]
    parts = [p for depth, _, p in doc.bookmarks() if depth == 0]
    found = makeup(pdf_path, pdf_path.with_suffix(".typ").read_text(encoding="utf-8"), doc_starts, parts)
    print(f"{len(doc.pages)} pages, {len(doc_starts)} documents")
    print(f"closing lines alone at the top of a page: {len(found.closing_alone)} {found.closing_alone}")
    print(f"one last line of a document alone above its closing: {len(found.lone_last_line)} {found.lone_last_line}")
    print(f"pages with a white band over half the text area: {len(found.gaps)} {found.gaps}")
