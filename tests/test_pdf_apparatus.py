"""The variants of a document printed more than once, in print (docs/witnesses.md,
docs/pdf.md): a second series of notes at the foot of the page, lettered a, b, … per
document, below the page's numbered notes.

Two documents of the small PDF project are given a second witness and many variants and
notes (words that occur once each: LW<k> the base's reading, RW<k> the other witness's,
NT<m> a note's text), the volume is typeset, and the words' positions on the pages are
read back with poppler's `pdftotext -bbox`: each variant's key and reading stand on the
page of its marker, below every numbered note of that page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from pipeline import pdf

from .test_pdf_support import copy_fixture, norm

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is needed: scripts/setup.d/pdf.sh test")

T = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# the documents that get a second witness, and the variants and notes put into each paragraph
DOCS = ("ssd/ssd-19370618.xml", "blc/blc-19210310.xml")
FILLER_TEXT = ("the delegation reported that the negotiations on the frontier had reached a point where "
               "both governments would have to consider the proposals of the commission once more")
FILLER = FILLER_TEXT.split(" ")


def _el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    e = etree.Element(f"{{{T}}}{tag}", {k.replace("_", ":") if k != "xml_id" else XML_ID: v
                                         for k, v in attrs.items()})
    e.text = text
    return e


def _add_witnesses(path: Path, counter: dict[str, int]) -> list[int]:
    """A second witness for the document, and variants and notes in every paragraph of its
    text. Returns the numbers k of its variants, in text order."""
    tree = etree.parse(str(path))
    doc_id = path.stem
    source_desc = tree.find(f".//{{{T}}}sourceDesc")
    assert source_desc is not None
    wits = _el("listWit")
    for wid, siglum in (("base", doc_id), ("other", f"{doc_id}x")):
        w = _el("witness", n=siglum, xml_id=f"{doc_id}-w-{wid}")
        bibl = _el("bibl", type="collection")
        bibl.append(_el("title", "Another printing"))
        w.append(bibl)
        wits.append(w)
    source_desc.append(wits)
    made = []
    for p in tree.iterfind(f".//{{{T}}}div[@type='document']//{{{T}}}p"):
        if any(a.tag == f"{{{T}}}note" for a in p.iterancestors()):
            continue
        last = p[-1] if len(p) else None
        for sentence in range(5):
            k = counter["app"]
            counter["app"] += 1
            made.append(k)
            words = " ".join(FILLER[(k + i) % len(FILLER)] for i in range(24))
            app = _el("app", type="substantive")
            app.append(_el("lem", f"LW{k}", wit=f"#{doc_id}-w-base"))
            app.append(_el("rdg", f"RW{k}", wit=f"#{doc_id}-w-other"))
            app.tail = f" {words}. "
            if last is None:
                p.text = (p.text or "") + f" {words} "
            else:
                last.tail = (last.tail or "") + f" {words} "
            p.append(app)
            last = app
            if sentence % 2 == 0:
                m = counter["note"]
                counter["note"] += 1
                note = _el("note", f"NT{m} " + " ".join(FILLER[:8 + m % 12]) + ".", place="foot",
                           type="compiler", xml_id=f"{doc_id}-tn{m}")
                note.tail = f" {words}. "
                p.append(note)
                last = note
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return made


@dataclass
class Word:
    page: int
    x: float
    y: float
    text: str


def _words(pdf_path: Path) -> list[Word]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                         check=True).stdout
    words = []
    for page, body in enumerate(out.split("<page ")[1:]):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            words.append(Word(page, float(x), float(y), text))
    return words


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Word], list[list[int]], str]:
    project = copy_fixture(tmp_path_factory.mktemp("apparatus") / "project")
    counter = {"app": 0, "note": 0}
    apps = [_add_witnesses(project / "tei" / d, counter) for d in DOCS]
    [result] = pdf.make_pdfs(project / "edition.yaml", jobs=1)
    assert result.warnings == [], result.warnings
    typ = result.pdf_path.with_suffix(".typ").read_text(encoding="utf-8")
    return _words(result.pdf_path), apps, typ


def test_variant_stands_on_its_markers_page_below_the_numbered_notes(
        typeset: tuple[list[Word], list[list[int]], str]) -> None:
    words, apps, _ = typeset
    body = {int(m.group(1)): w for w in words if (m := re.fullmatch(r"LW(\d+)[a-z]*", w.text))}
    entry_lem = {int(m.group(1)): w for w in words if (m := re.fullmatch(r"LW(\d+)\]", w.text))}
    reading = {int(m.group(1)): w for w in words if (m := re.fullmatch(r"RW(\d+)", w.text))}
    notes = [w for w in words if re.fullmatch(r"NT\d+", w.text)]
    every = [k for ks in apps for k in ks]
    assert sorted(body) == sorted(entry_lem) == sorted(reading) == every
    wrong, shared_pages = [], set()
    for k in every:
        page = body[k].page
        if reading[k].page != page or entry_lem[k].page != page:
            wrong.append(f"LW{k}: marker p. {page + 1}, variant p. {reading[k].page + 1}")
            continue
        above = [n for n in notes if n.page == page]
        if above:
            shared_pages.add(page)
        low = [n.text for n in above if n.y >= entry_lem[k].y]
        if low:
            wrong.append(f"LW{k} on p. {page + 1} stands above the notes {low}")
        # the key is on the reading's line, just before the base's reading
        if reading[k].y != pytest.approx(entry_lem[k].y, abs=0.5):
            wrong.append(f"LW{k}: reading not on its key's line")
    assert not wrong, wrong
    assert len(shared_pages) >= 3  # pages with both series: the order was really tested


def test_variants_are_lettered_per_document(typeset: tuple[list[Word], list[list[int]], str]) -> None:
    _, apps, typ = typeset
    marks = {int(k): mark for mark, k in re.findall(r'#vn\("([a-z]+)"\)\[LW(\d+)\\\]', typ)}
    for ks in apps:
        assert [marks[k] for k in ks[:3]] == ["a", "b", "c"]
    assert marks[apps[0][26]] == "aa"  # after z


def test_the_witnesses_are_named_after_the_document(typeset: tuple[list[Word], list[list[int]], str]) -> None:
    words, _, _ = typeset
    text = " ".join(w.text for w in words)
    assert norm("Witnesses. ssd-19370618: Another printing (base text); ssd-19370618x: Another printing.") in norm(text)
    # the readings are not repeated after the document
    assert len(re.findall(r"\bRW0\b", text)) == 1
    assert norm("Their variants are given at the foot of the page, lettered.") in norm(text)
