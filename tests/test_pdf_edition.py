"""The whole bundled edition in print: every document heading and every note text is in
the PDF (found with pypdf on the pages of its document), the index gives page numbers
where the entries are, one bookmark per document, no missing glyphs; sample pages are
rendered to PNG under out/test-artifacts/pdf/ for a visual check."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from pipeline import pdf

from .test_pdf_support import (
    ARTIFACTS,
    NS,
    ROOT,
    TEI,
    Pdf,
    find_in_order,
    index_entries,
    is_printed_note,
    markers_by_document,
    norm,
    printed_segments,
)


@pytest.fixture(scope="module")
def edition() -> tuple[Pdf, str, list[Path]]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    [result] = pdf.make_pdfs(ROOT / "edition.yaml", out_dir=ARTIFACTS)
    assert result.warnings == [], result.warnings
    config = pdf.load_config(ROOT / "edition.yaml")
    docs = pdf.find_documents(config, ROOT / "tei")
    return Pdf.read(result.pdf_path), (ARTIFACTS / "edition.typ").read_text(encoding="utf-8"), docs


def doc_pages(doc: Pdf) -> list[int]:
    """The 0-based page where each document begins, in volume order (from its bookmark)."""
    return [page for _, title, page in doc.bookmarks() if re.match(r"\d+\. ", title)]


def test_one_bookmark_per_document(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, _, docs = edition
    starts = doc_pages(doc)
    assert len(starts) == len(docs) > 150
    assert starts == sorted(starts)


def test_every_heading_is_printed_on_its_page(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, _, docs = edition
    missing = []
    for path, start in zip(docs, doc_pages(doc), strict=True):
        head = etree.parse(str(path)).find(".//t:div[@type='document']/t:head", NS)
        hay = norm("".join(doc.pages[start:start + 2]))
        rest = find_in_order(printed_segments(head), hay)
        if rest is not None:
            missing.append(f"{path.name}: …{rest[:60]}")
    assert not missing, missing


def test_every_note_text_is_printed_with_its_document(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, _, docs = edition
    starts = doc_pages(doc) + [len(doc.pages)]
    checked, missing = 0, []
    for i, path in enumerate(docs):
        # the document's pages, and the next one: a long footnote may run over
        hay = norm("".join(doc.pages[starts[i]:starts[i + 1] + 2]))
        for note in etree.parse(str(path)).iterfind(f".//{TEI}text//{TEI}note"):
            if not is_printed_note(note):
                continue
            checked += 1
            rest = find_in_order(printed_segments(note), hay)
            if rest is not None:
                missing.append(f"{path.name} {note.get('{http://www.w3.org/XML/1998/namespace}id')}: …{rest[:60]}")
    assert checked > 50
    assert not missing, missing


def test_every_footnote_is_on_the_page_of_its_marker(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, typ, docs = edition
    marks = dict((label, mark) for mark, label in re.findall(r'#fn\("([^"]+)"\)\[.*?\]<([\w.-]+)>', typ))
    starts = doc_pages(doc) + [len(doc.pages)]
    pages = [norm(t) for t in doc.pages]
    checked, wrong = 0, []
    for i, path in enumerate(docs):
        span = range(starts[i], min(starts[i + 1] + 2, len(pages)))
        for note in etree.parse(str(path)).iterfind(f".//{TEI}text//{TEI}note[@{{http://www.w3.org/XML/1998/namespace}}id]"):
            label = note.get("{http://www.w3.org/XML/1998/namespace}id")
            if label not in marks or not is_printed_note(note):
                continue
            before = note.getprevious().tail if note.getprevious() is not None else note.getparent().text
            context, text = norm(before or "")[-12:], norm("".join(printed_segments(note)[:1]))[:30]
            if len(context) < 8 or len(text) < 10:
                continue
            marker_pages = [p for p in span if context + norm(marks[label]) in pages[p]]
            entry_pages = [p for p in span if text in pages[p]]
            if len(marker_pages) != 1 or not entry_pages:
                continue  # the context is not unique, or is cut by a page break
            checked += 1
            if entry_pages[0] != marker_pages[0]:
                wrong.append(f"{path.name} {label}: marker p. {marker_pages[0] + 1}, note p. {entry_pages[0] + 1}")
    assert checked > 25
    assert not wrong, wrong


def test_index_page_numbers_point_to_the_documents_named(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, typ, docs = edition
    labels = doc.reader.page_labels
    starts = doc_pages(doc) + [len(doc.pages)]
    marked = markers_by_document(typ)
    ids = [p.stem for p in docs]
    titles = {"person": "Index of persons", "place": "Index of places", "org": "Index of organisations"}
    opening = {kind: next((i for i, t in enumerate(doc.pages) if t.startswith(title)), None)
               for kind, title in titles.items()}
    ends = sorted([i for i in opening.values() if i is not None]
                  + [next(i for i, t in enumerate(doc.pages) if t.startswith("Concordance of archival citations"))])
    # each section's text without its folios: at the foot of its opening page, in the
    # running head of the others
    sections = {kind: norm(doc.pages[i].rsplit("\n", 1)[0] + "".join(t.split("\n", 1)[-1] for t in
                                                                   doc.pages[i + 1:next(e for e in ends if e > i)]))
                for kind, i in opening.items() if i is not None}
    entries = index_entries(typ)
    assert entries
    checked = 0
    for key, kind, name in entries:
        name = name.replace('\\"', '"').replace("\\\\", "\\")
        holders = [i for i, d in enumerate(ids) if key in marked.get(d, set())]
        if not holders:
            continue
        # the entry: its name right after the previous entry's last page number
        after = r"(?:(?<=\d)|(?<=pages\.)|(?<=persons)|(?<=places)|(?<=organisations))"
        found = re.search(after + re.escape(norm(name)) + r"(\d[\d,–]*)", sections[kind])
        assert found, name
        numbers: list[int] = []
        for part in found.group(1).strip(",").split(","):
            a, _, b = part.partition("–")
            numbers.extend(range(int(a), int(b or a) + 1))
        for n in numbers:
            physical = labels.index(str(n))
            # the page lies within one of the documents that name the entry
            assert any(starts[i] <= physical <= starts[i + 1] for i in holders), (name, n)
            checked += 1
    assert checked >= len([e for e in entries if e[1] in ("person", "place")]) * 0.9


def test_no_missing_glyphs(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, _, docs = edition
    text = "".join(doc.pages)
    assert "\x00" not in text and "\ufffd" not in text
    wanted = set()
    for path in docs:
        tree = etree.parse(str(path))
        for el in tree.iterfind(f".//{TEI}body"):
            wanted |= {c for c in "".join(el.itertext()) if ord(c) > 127 and not c.isspace()}
    assert wanted - set(text) == set()
    assert {"ı", "ö", "ü", "é"} <= wanted  # the Turkish and other letters of the sources


def test_running_heads_and_folios(edition: tuple[Pdf, str, list[Path]]) -> None:
    doc, _, _ = edition
    labels = doc.reader.page_labels
    body = [i for i, label in enumerate(labels) if label.isdigit()]
    recto_heads = [doc.pages[i].split("\n", 1)[0] for i in body if int(labels[i]) % 2 == 1]
    with_doc = [h for h in recto_heads if re.match(r"Nos?\. \d+", h)]
    assert len(with_doc) > len(recto_heads) * 0.8
    # the document numbers in the running heads are ascending through the volume
    first_numbers = [int(re.match(r"Nos?\. (\d+)", h).group(1)) for h in with_doc]
    assert first_numbers == sorted(first_numbers)
    assert labels[0] == "i" and "1" in labels


def _render(pdf_path: Path, page: int, name: str) -> Path:
    target = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", "-f", str(page + 1), "-l", str(page + 1),
                    str(pdf_path), str(target)], check=True, capture_output=True)
    return target.with_suffix(".png")


def test_sample_pages_rendered_for_a_visual_check(edition: tuple[Pdf, str, list[Path]]) -> None:
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run scripts/setup.sh test (installs poppler-utils)"
    doc, _, _ = edition
    texts = doc.pages

    def first(pred) -> int:  # noqa: ANN001 - a small local predicate
        return next(i for i, t in enumerate(texts) if pred(t))

    starts = doc_pages(doc)
    samples = {
        "01-title": 0,
        "02-imprint": 1,
        "03-contents": first(lambda t: t.startswith("Contents")),
        "04-principles": first(lambda t: t.startswith("Editorial principles")),
        "05-abbreviations": first(lambda t: t.startswith("Abbreviations")),
        "06-list-of-documents": first(lambda t: t.startswith("List of documents")),
        "07-part-opening": starts[0],
        "08-footnotes": first(lambda t: "mistakenly reads" in t),
        "09-dialogue": first(lambda t: "Legran on the line" in t),
        "10-reply": first(lambda t: "The following reply was received" in t),
        "11-treaty": first(lambda t: "Article ii" in t),
        "12-index-of-persons": first(lambda t: t.startswith("Index of persons")),
        "13-concordance": first(lambda t: t.startswith("Concordance of archival citations")),
    }
    for name, page in samples.items():
        png = _render(doc.path, page, name)
        assert png.exists() and png.stat().st_size > 5000, png
