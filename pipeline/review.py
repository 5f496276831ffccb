"""The review report: every guess the converter made, with source file and line, so an
editor can check them all in one pass (out/reports/review.html and review.csv)."""

from __future__ import annotations

import bisect
import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .write import csv_rows, write_atomic

if TYPE_CHECKING:
    from .assemble import Flag
    from .config import Edition
    from .convert import Conversion, Document
    from .segment import Segmentation

FIELDS = ["source", "line", "document", "kind", "message"]
BOILERPLATE_FIELDS = ["source", "first", "last", "kind"]

# What an archival reference looks like in any of the common shapes: fond/opis/delo
# ("F. 3. Op. 16. D. 294", "f. 195, op. 11"), a bracketed archive and series
# ("[AA: A981, GER 42]"), a record group or a class and piece ("RG 59", "FO 371/3333").
CITATION_SHAPE = re.compile(
    r"(?=[FfRCWAP\[])"  # the first letters of the shapes below: other positions fail at once
    r"(?:\b[Ff]\.\s*\d+[.,]?\s*[Oo]p\.\s*\d+|\[[A-Z]{2,6}:\s*[A-Z0-9]|\bRecord Group \d+|\bRG \d+\b"
    r"|\b(?:FO|CAB|WO|ADM|PREM|CO)\s?\d{1,4}/\d+)")


def boundary_flags(seg: Segmentation, docs: list[Document] | None) -> list[Flag]:
    """What a missed or false document boundary looks like: a line inside a document that
    matches the layout's number or start pattern, a document far longer than the source's
    others, front matter taken as a document, datelines left in the body, numbers that
    skip backwards or repeat."""
    from .assemble import Flag
    from .recognise import dates as dt
    from .recognise import memo
    from .segment.auto import NUMBER_LINE
    from .segment.engine import MAYBE_DATE

    layout = seg.layout
    flags: list[Flag] = []
    if layout is None or not seg.units:
        return flags
    number_rx = layout.number
    generic_number = re.compile(NUMBER_LINE)
    sizes = [sum(len(p.text.split()) for p in u.body) for u in seg.units]
    ordered = sorted(sizes)
    median = ordered[len(ordered) // 2] if ordered else 0
    previous: int | None = None
    seen: dict[str, int] = {}
    for k, unit in enumerate(seg.units):
        for p in unit.body:
            text = p.text.strip()
            if (number_rx is not None and number_rx.match(text)) or generic_number.match(text):
                flags.append(Flag(p.first, "missed boundary?", f"{text[:60]!r} inside a document looks like a "
                                                                "document number but starts nothing"))
            elif len(text) < 200 and any(rx.match(text) for rx in layout.headings):
                flags.append(Flag(p.first, "missed boundary?", f"{text[:60]!r} inside a document matches a "
                                                                "heading pattern of the layout but starts nothing"))
        if len(seg.units) >= 4 and median and sizes[k] > 6 * median and sizes[k] > 800:
            flags.append(Flag(unit.first, "missed boundary?",
                              f"this document has {sizes[k]} words, {sizes[k] // median}× the source's median "
                              f"({median}): check for documents run together"))
        if k == 0 and unit.number is None and len(seg.units) > 2 and \
                sum(1 for u in seg.units if u.number) > len(seg.units) // 2:
            flags.append(Flag(unit.first, "front matter?", "the first document has no number while most have "
                                                           "one: is it the source's front matter?"))
        if unit.number:
            if unit.number in seen:
                flags.append(Flag(unit.first, "number repeats",
                                  f"number {unit.number} was already used at line {seen[unit.number]}"))
            seen.setdefault(unit.number, unit.first)
            m = re.match(r"\d+", unit.number)
            if m:
                n = int(m.group(0))
                if previous is not None and n < previous:
                    flags.append(Flag(unit.first, "number out of order",
                                      f"number {n} follows {previous}: a missed document or a misread number?"))
                previous = n
    for unit in seg.units:
        for p in unit.body:
            if CITATION_SHAPE.search(p.text) and not memo.find_citations(" ".join(p.text.split())):
                flags.append(Flag(p.first, "unparsed citation?",
                                  f"{' '.join(p.text.split())[:70]!r} looks like an archival reference but was not "
                                  "parsed: check its form, or add the archive to the registers"))
        for k, p in enumerate(unit.body[1:], start=1):
            first_line = p.text.strip().split("\n")[0]
            # (after some text: a dateline below a label such as "[Cipher.]" is the document's own)
            if unit.number is None and number_rx is None and p.first > unit.first + 3 and \
                    any(len(q.text) > 80 for q in unit.body[:k]) and \
                    len(first_line) < 80 and MAYBE_DATE.search(first_line) and dt.looks_like_dateline(first_line) and \
                    dt.parse_dateline(first_line) is not None:
                flags.append(Flag(p.first, "missed boundary?", f"a dateline-shaped line {first_line[:60]!r} "
                                                                "inside the document: does a new document start here?"))
                break
    return flags


def review_rows(conv: Conversion) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    by_source: dict[tuple[int, str], list[Document]] = {}
    for d in conv.documents:
        by_source.setdefault((id(d.source), d.file), []).append(d)
    firsts = {key: [d.first for d in ds] for key, ds in by_source.items()}
    for source, flag in conv.flags:
        text = conv.texts.get(source.id)
        name, line = text.locate(flag.line) if text is not None else ("", flag.line)
        where = f"{source.file.as_posix()}/{name}" if name else source.file.as_posix()
        # the document whose lines hold the flag's line (documents are in source order)
        docs = by_source.get((id(source), name), [])
        k = bisect.bisect_right(firsts.get((id(source), name), []), line) - 1
        while k > 0 and docs[k - 1].last >= line:  # a line shared by two: the first one's
            k -= 1
        doc = docs[k].id if k >= 0 and docs[k].first <= line <= docs[k].last else ""
        rows.append({"source": where, "line": line, "document": doc,
                     "kind": flag.kind, "message": flag.message})
    for source, exc in conv.failures:
        rows.append({"source": source.file.as_posix(), "line": exc.line or 0, "document": "",
                     "kind": "source not converted", "message": str(exc)})
    rows.sort(key=lambda r: (str(r["source"]), int(r["line"]), str(r["kind"]), str(r["message"])))
    return rows + edition_rows(conv.edition)  # what edition.yaml lacks, after the sources' items


def edition_rows(edition: Edition) -> list[dict[str, str | int]]:
    """What edition.yaml lacks for the print edition's title page: the editors (the title
    page and the imprint name none rather than a placeholder)."""
    from .config import is_placeholder

    where = _relative(edition.config_path, edition.root)
    line = _key_line(edition.config_path, "editors")
    rows: list[dict[str, str | int]] = []
    for name in edition.editors:
        if is_placeholder(name):
            rows.append({"source": where, "line": line, "document": "", "kind": "edition",
                         "message": f"the editor {name!r} looks like a placeholder: it is not printed; "
                                    "give the names of the persons who edited the edition"})
    if not edition.named_editors:
        rows.append({"source": where, "line": line, "document": "", "kind": "edition",
                     "message": "the edition names no editors (edition: editors:, persons, not the publisher): "
                                "the title page and the imprint of the print edition name none"})
    return rows


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _key_line(path: Path, key: str) -> int:
    """The line of `key:` in a YAML file (0 when it is not there)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((i for i, ln in enumerate(lines, start=1) if pattern.match(ln)), 0)


def write_review(conv: Conversion, out_dir: Path, *, page: bool = True) -> list[tuple[str, int, int, str]]:
    """review.csv and boilerplate.csv, and with `page` the page made from them
    (review.html); returns the boilerplate's rows (the page shows them)."""
    rows = review_rows(conv)
    boiler = [(s.file.as_posix(), b.first, b.last, b.kind)
              for s in conv.sources for b in conv.segmentations[s.id].boilerplate]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(rows))
    write_atomic(out_dir / "review.csv", buf.getvalue().encode("utf-8"), root=out_dir)
    bbuf = io.StringIO()
    bwriter = csv.writer(bbuf, lineterminator="\n")
    bwriter.writerow(BOILERPLATE_FIELDS)
    bwriter.writerows(boiler)
    write_atomic(out_dir / "boilerplate.csv", bbuf.getvalue().encode("utf-8"), root=out_dir)
    # the page (pipeline/html/report.py renders it; `edition html` renders it again
    # with the name links and the register entries without documents)
    if page:
        from .html.report import write_report

        write_report(conv.edition.root, out_dir, conv.edition.title, boilerplate=boiler)
    return boiler
