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
