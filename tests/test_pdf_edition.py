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
    TEXT_BOTTOM,
    TEXT_TOP,
    Pdf,
    find_in_order,
    index_entries,
    is_printed_note,
    makeup,
    markers_by_document,
    norm,
    page_lines,
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


def test_variants_of_the_merged_printings_are_at_the_foot_of_their_pages(
        edition: tuple[Pdf, str, list[Path]]) -> None:
    """The documents merged from several printings (issue 14): every variant's reading
    ("Tsentrosoyuz,] Tsentosoyuz, ssd-19200617") is printed, keyed by its letter, on the
    pages of its document (its place below the numbered notes of the page of its marker is
    measured in tests/test_pdf_apparatus.py)."""
    doc, _, docs = edition
    starts = doc_pages(doc) + [len(doc.pages)]
    checked, wrong = 0, []
    for i, path in enumerate(docs):
        tree = etree.parse(str(path))
        wits = {w.get("{http://www.w3.org/XML/1998/namespace}id"): w.get("n")
                for w in tree.iterfind(f".//{TEI}witness")}
        for n, app in enumerate(tree.iterfind(f".//{TEI}text//{TEI}app")):
            lem = " ".join("".join(app.find(f"{TEI}lem").itertext()).split())
            rdg = app.find(f"{TEI}rdg")
            reading = " ".join("".join(rdg.itertext()).split()) or "om."
            sigla = [wits[w.lstrip("#")] for w in rdg.get("wit", "").split()]
            entry = "abcdefghijklmnopqrstuvwxyz"[n] + (f"{lem}] " if lem else "add. ") + f"{reading} {' '.join(sigla)}"
            checked += 1
            if not any(norm(entry) in norm(doc.pages[p]) for p in range(starts[i], starts[i + 1] + 1)):
                wrong.append(f"{path.stem}: {entry!r} not on the document's pages")
    assert checked >= 6
    assert not wrong, wrong


# an entry's pages, or its run-in subentries by document ("inNo.21:35,37;inNo.22:40")
# the pages of an entry: numbers and ranges, with the subentries' labels between them
_SUBENTRY = r"documentsfrom:|documentsto:|\d{4}:|undated:"
_PAGES = rf"((?:(?:{_SUBENTRY})?\d{{1,3}}(?:–\d{{1,3}})?(?=[,;]|\d{{4}}:|[^\d–]|$)[,;]?)+)"


def _index_text(text: str) -> str:
    """The index's text without its letter heads (a line of one capital)."""
    return "\n".join(line for line in text.split("\n") if not re.fullmatch(r"\s*[^\W\d_]\s*", line))


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
    sections = {kind: norm(_index_text(doc.pages[i].rsplit("\n", 1)[0] + "".join(
        "\n" + t.split("\n", 1)[-1] for t in doc.pages[i + 1:next(e for e in ends if e > i)])))
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
        found = re.search(after + re.escape(norm(name)) + _PAGES, sections[kind])
        assert found, name
        numbers: list[int] = []
        for part in filter(None, re.sub(_SUBENTRY + "|;", ",", found.group(1)).split(",")):
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
    wanted.discard("ʹ")  # printed as the apostrophe (the display regularisation of quotes)
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


# ----- what a press would send back (issue 15) -----

def test_imprint_states_the_release(edition: tuple[Pdf, str, list[Path]]) -> None:
    """The imprint names the release (edition.yaml version and date) as the web edition's
    citations do, in its own statement and in its example citation."""
    import datetime

    doc, _, _ = edition
    config = pdf.load_config(ROOT / "edition.yaml")
    assert config.version and config.date
    day = datetime.date.fromisoformat(config.date)
    release = f"version {config.version} ({day.day} {day:%B} {day.year})"
    imprint = norm(doc.pages[1])
    assert norm(f"{config.publisher}, {config.year}. V{release[1:]}.") in imprint
    assert norm(f"{config.title} ({config.publisher}, {config.year}), {release}, No. 12.") in imprint
    assert config.licence.url and config.licence.url in doc.pages[1]  # on one line, not broken at "by-"


def _initials(name: str) -> str:
    return "".join(re.sub(r"[^A-Z]", "", w) if re.match(r"[A-Z]{2,}", w) else w[:1].upper()
                   for w in re.split(r"[\s\-–]+", name) if w)


def test_abbreviations_expand_to_the_name_that_spells_them(edition: tuple[Pdf, str, list[Path]]) -> None:
    """An abbreviation of the texts that the register of abbreviations does not list is
    expanded by the register's name that spells it where the register has one (ASSR:
    Azerbaijan SSR, not Soviet Azerbaijan), and printed so."""
    doc, typ, _ = edition
    block = typ[typ.index("#let abbreviation-list = ("):]
    listed = re.findall(r'\(abbr: "([^"]*)", expansion: "([^"]*)"\)', block[:block.index("\n)\n")])
    assert listed
    registers = etree.parse(str(ROOT / "tei" / "registers.xml"))
    page = norm(_section(doc, "Abbreviations"))
    spelled = 0
    own = {" ".join("".join(a.itertext()).split())
           for a in registers.iterfind(".//t:list[@type='abbreviations']/t:item/t:abbr", NS)}
    for abbr, expansion in listed:
        assert norm(abbr + expansion) in page, abbr
        if abbr in own:
            continue  # the editors' expansion (test_list_of_abbreviations_holds_the_abbreviations_of_the_texts)
        letters = re.sub(r"[^A-Z]", "", abbr)
        entries = registers.xpath("//*[*[normalize-space() = $a]]", a=abbr)
        names = [" ".join(n.itertext()).strip() for e in entries for n in e
                 if n.tag.endswith("Name") and n.get("type") != "office"]
        if any(n.endswith(f"({abbr})") for n in names):
            continue  # the preferred name gives it in brackets: the rest of that name expands it
        if any(_initials(n) == letters for n in names if re.search(r"[a-z]", n)):
            assert _initials(expansion) == letters, (abbr, expansion)
            spelled += 1
    assert spelled >= 1


def test_double_barrelled_surnames_are_filed_first(edition: tuple[Pdf, str, list[Path]]) -> None:
    """A surname of two parts is filed first when its register id names either part
    ("Hughe Knatchbull-Hugessen", p_hugessen: "Knatchbull-Hugessen, Hughe")."""
    doc, _, _ = edition
    marks = {title: page for depth, title, page in doc.bookmarks() if depth == 0}
    persons = norm("".join(doc.pages[marks["List of persons"]:marks["List of documents"]]))
    registers = etree.parse(str(ROOT / "tei" / "registers.xml"))
    checked = 0
    for person in registers.iterfind(".//t:person", NS):
        key = person.get("{http://www.w3.org/XML/1998/namespace}id", "").removeprefix("p_").split("_")[0]
        preferred = person.find("t:persName[@type='preferred']", NS)
        words = " ".join("".join(preferred.itertext()).split()).split(" ") if preferred is not None else []
        at = next((i for i, w in enumerate(words) if i and "-" in w
                   and any(part.lower().startswith(key[:3]) for part in w.split("-"))), None)
        if at is None or len(key) < 3:
            continue
        filed = norm(" ".join(words[at:]) + ", " + " ".join(words[:at]))
        if filed in persons or norm(" ".join(words)) in persons:  # the volume lists the person
            assert filed in persons, words
            checked += 1
    assert checked >= 1


def test_no_machinery_in_print(edition: tuple[Pdf, str, list[Path]]) -> None:
    """No file paths, template placeholders, pipeline brackets or markdown escapes."""
    doc, _, _ = edition
    text = "\n".join(doc.pages)
    assert "sources/" not in text and ".txt, lines" not in text
    assert not re.findall(r"<[A-Za-z][\w ]*>", text)      # "<document heading>", "<id>"
    assert "⟨" not in text and "⟩" not in text
    assert not re.findall(r"\\[$_*#\[\]<>@`~]", text)     # "\$ 45", "\_\_\_"


def _opening_text(path: Path, want: int) -> list[str]:
    """The first `want` normalised characters of a document's text after its opening,
    as printed segments (cut where a note stands)."""
    div = etree.parse(str(path)).find(".//t:div[@type='document']", NS)
    opening = {id(e) for e in div.findall("t:head", NS)[:1]}
    for opener in div.iter(TEI + "opener"):
        opening |= {id(e) for e in opener if e.tag in (TEI + "dateline", TEI + "seg")}
    segments: list[str] = []
    got = 0
    for el in div.iter(TEI + "p", TEI + "item", TEI + "salute", TEI + "signed", TEI + "sp"):
        if id(el) in opening or any(a.tag in (TEI + "note", TEI + "head") for a in el.iterancestors()):
            continue
        if any(id(a) in opening for a in el.iterancestors()):
            continue
        for seg in printed_segments(el):
            n = norm(seg)
            segments.append(n[:want - got])
            got += len(segments[-1])
            if got >= want:
                return segments
        if el.tag == TEI + "sp":
            break  # a speech's paragraphs are its own
    return segments


def test_every_document_starts_with_three_lines_of_text(edition: tuple[Pdf, str, list[Path]]) -> None:
    """The number, heading and dateline are never at the foot of a page without at least
    three lines of the document's text below them: the start of the third line (some
    130 characters without spaces, two full lines) is on the opening's page."""
    doc, _, docs = edition
    pages = [norm(t) for t in doc.pages]
    checked, short = 0, []
    for path, start in zip(docs, doc_pages(doc), strict=True):
        segments = _opening_text(path, 130)
        if sum(len(s) for s in segments) < 130:
            continue  # a document shorter than three lines
        checked += 1
        if find_in_order(segments, pages[start]) is not None:
            short.append(f"{path.stem} (p. {start + 1})")
    assert checked > 150
    assert not short, short


def test_no_document_ends_alone_at_the_top_of_a_page(edition: tuple[Pdf, str, list[Path]]) -> None:
    """No page opens with a document's closing (closer, signature, source notes, the
    source line, the witnesses' note) nor with one line of its text above its closing;
    and keeping them together leaves no page of the documents half empty (a white band
    over half the text area, but before a part's opening)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed")
    doc, typ, _ = edition
    found = makeup(doc.path, typ, doc_pages(doc), [p for depth, _, p in doc.bookmarks() if depth == 0])
    assert not found.closing_alone, found.closing_alone
    assert not found.lone_last_line, found.lone_last_line
    assert not found.gaps, found.gaps


def test_blank_pages_are_blank_and_list_entries_keep_their_page(edition: tuple[Pdf, str, list[Path]]) -> None:
    """A page left blank before a recto has no running head; an entry of the list of
    documents is never broken across pages (its page number stays with its last line)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed")
    doc, _, _ = edition
    lines = page_lines(doc.path)
    heads_alone = [i + 1 for i, page in enumerate(lines) if page and all(ln.top < TEXT_TOP - 10 for ln in page)]
    assert not heads_alone, heads_alone
    assert any(not page for page in lines)  # there are blank pages (versos before a part)
    sections = sorted(p for depth, _, p in doc.bookmarks() if depth == 0)
    first = next(p for depth, title, p in doc.bookmarks() if depth == 0 and title == "List of documents")
    listed = range(first, next(p for p in sections if p > first))
    for i in listed:
        body = [ln for ln in lines[i] if TEXT_TOP - 10 < ln.top < TEXT_BOTTOM - 5]
        if not lines[i]:
            continue  # the blank verso before the documents' first part
        last = " ".join(ln.text for ln in body if abs(ln.top - body[-1].top) < 3)  # the last row
        assert re.search(r"[^\W\d].*\s\d+$", last), (i + 1, last)  # words, then the entry's page number
    assert len(listed) > 5


def test_note_markers_follow_their_words(edition: tuple[Pdf, str, list[Path]]) -> None:
    """No space before a note's marker ("year.¹", not "year. ¹"), whatever the source
    prints: in the Typst source no marker call follows a space."""
    _, typ, _ = edition
    body = typ.split("<main-start>", 1)[1]
    assert body.count("#fn(") + body.count("#fn-missing(") > 100
    spaced = re.findall(r".{20} #fn(?:-missing|-mark|-again)?\(", body)
    assert not spaced, spaced[:5]


def test_no_widow_but_beside_a_note(edition: tuple[Pdf, str, list[Path]]) -> None:
    """No page begins with the last line of a paragraph, list item or speech alone (a
    widow: a short line, then the next block indented), unless a note's marker stands in
    the last lines of that block (the stylesheet then turns the control off: docs/pdf.md)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed")
    doc, typ, _ = edition
    layout = subprocess.run(["pdftotext", "-layout", str(doc.path), "-"], capture_output=True, text=True,
                            check=True).stdout
    body = typ.split("<main-start>", 1)[1]
    blocks = []  # (how the block is set, its text)
    for line in body.splitlines():
        how = "paragraph" if line and not line.startswith(("#", "//")) else line.split("[", 1)[0]
        if how == "paragraph" or how.startswith(("#fn-par", "#item", "#sp")):
            blocks.append((how, " ".join(re.sub(r'#ix\("[^"]*"\)|#carry\[.*?\]\]|\\', "", line).split())))
    widows, beside_notes = [], []
    for number, page in enumerate(layout.split("\f"), start=1):
        lines = [ln for ln in page.split("\n") if ln.strip()]
        if len(lines) < 3:
            continue
        first, second = lines[1], lines[2]  # after the running head

        def indent(ln: str) -> int:
            return len(ln) - len(ln.lstrip())

        if len(first.strip()) >= 45 or indent(first) > indent(second) - 2:
            continue
        text = " ".join(first.split())
        hosts = [how for how, block in blocks if text in block]
        if len(hosts) == 1:
            (beside_notes if "widows: false" in hosts[0] else widows).append(f"p. {number}: {text}")
    assert not widows, widows
    assert len(beside_notes) <= 3, beside_notes


def test_note_numbers_are_the_web_pages(edition: tuple[Pdf, str, list[Path]], site: Path) -> None:
    """A sample of documents: every note has the same number in print as on its web page."""
    from lxml import html as lhtml

    _, typ, docs = edition
    printed = {label: num for num, label in re.findall(r'#fn(?:-missing)?\("(\d+)"[^\n]*?<([\w.-]+)>', typ)}
    with_notes = [p for p in docs if p.stem in {lab.rsplit("-fn", 1)[0] for lab in printed}]
    sample = with_notes[:: max(1, len(with_notes) // 25)]
    compared = 0
    for path in sample:
        page = site / "documents" / f"{path.stem}.html"
        assert page.exists(), page
        tree = lhtml.fromstring(page.read_bytes())
        for li in tree.xpath("//section[contains(@class, 'footnotes')]//li[@data-tei]"):
            label = li.get("data-tei")  # the web's anchors are note-<n>; the TEI id names the note
            if label not in printed:
                continue  # a note printed where it stands (no footnote)
            web = "".join(li.xpath(".//*[contains(@class, 'fn-num')][1]//text()")).strip()
            assert printed[label] == web, (path.stem, label, printed[label], web)
            compared += 1
    assert compared > 40


def test_index_pages_of_sampled_persons(edition: tuple[Pdf, str, list[Path]]) -> None:
    """A sample of persons: every page their index entry lists has one of their
    register's forms on it, and every document that names them has a listed page."""
    doc, typ, docs = edition
    labels = doc.reader.page_labels
    pages = [norm(t).casefold() for t in doc.pages]
    starts = doc_pages(doc) + [len(doc.pages)]
    ids = [p.stem for p in docs]
    index_start = next(i for i, t in enumerate(doc.pages) if t.startswith("Index of persons"))
    index_end = next(i for i, t in enumerate(doc.pages) if t.startswith("Index of places"))
    index_text = norm(_index_text(" ".join(t.split("\n", 1)[-1] for t in doc.pages[index_start:index_end])))
    registers = etree.parse(str(ROOT / "tei" / "registers.xml"))
    marked = markers_by_document(typ)
    entries = [e for e in index_entries(typ) if e[1] == "person"]
    sample = [e for e in entries if sum(e[0] in marked.get(d, set()) for d in ids) >= 3][::3][:12]
    assert len(sample) >= 8
    for key, _, name in sample:
        person = registers.find(f".//t:person[@xml:id='{key}']", {**NS, "xml": "http://www.w3.org/XML/1998/namespace"})
        forms = {norm("".join(n.itertext())).casefold() for n in person.iterfind("t:persName", NS)}
        found = re.search(re.escape(norm(name.replace('\\"', '"'))) + _PAGES, index_text)
        assert found, name
        listed: set[int] = set()
        for part in filter(None, re.sub(_SUBENTRY + "|;", ",", found.group(1)).split(",")):
            a, _, b = part.partition("–")
            listed.update(range(int(a), int(b or a) + 1))
        physical = {labels.index(str(n)) for n in listed}
        for page in physical:
            # a form on the page (or across the page break before it)
            assert any(f in pages[page] or f in pages[page - 1][-80:] + pages[page][:80] for f in forms), (name, page)
        for i, d in enumerate(ids):
            if key in marked.get(d, set()):
                assert any(starts[i] <= page <= starts[i + 1] for page in physical), (name, d)


def _section(doc: Pdf, title: str) -> str:
    """The text of a section of the front or back matter, from its bookmark to the next."""
    marks = sorted((page, t) for depth, t, page in doc.bookmarks() if depth == 0)
    start = next(page for page, t in marks if t == title)
    end = next((page for page, _ in marks if page > start), len(doc.pages))
    return "\n".join(doc.pages[start:end])


def _printed(form: str) -> str:
    """A regular expression for an abbreviation as the texts print it ("VKP (b)")."""
    return r"(?<![A-Za-z])" + re.escape(form).replace(r"\(", r"\s?\(") + r"(?![A-Za-z])"


def test_list_of_abbreviations_holds_the_abbreviations_of_the_texts(edition: tuple[Pdf, str, list[Path]]) -> None:
    """Every abbreviation of the register of abbreviations that the printed documents use
    is in the list with its expansion (not only archives: NKID, RSFSR, VKP(b), USSR); an
    abbreviation no register expands is not listed (the review report names it)."""
    doc, _, _ = edition
    page = norm(_section(doc, "Abbreviations"))
    marks = {t: p for depth, t, p in doc.bookmarks() if depth == 0}
    first = min(p for depth, t, p in doc.bookmarks() if re.match(r"\d+\. ", t))
    texts = "\n".join(doc.pages[first:marks["Index of persons"]])
    registers = etree.parse(str(ROOT / "tei" / "registers.xml"))
    checked = 0
    for item in registers.iterfind(".//t:list[@type='abbreviations']/t:item", NS):
        forms = [" ".join("".join(a.itertext()).split()) for a in item.iterfind("t:abbr", NS)]
        expansion = " ".join("".join(item.find("t:expan", NS).itertext()).split())
        if any(re.search(_printed(f), texts) for f in forms):
            assert norm(forms[0] + expansion) in page, forms[0]
            checked += 1
    assert checked >= 10
    for form in ("NKID", "RSFSR", "VKP(b)", "USSR", "RCP(b)"):
        assert norm(form) in page, form
    assert norm("OII") not in page  # in a text, but no register expands it


def test_list_of_persons_identifies_them(edition: tuple[Pdf, str, list[Path]]) -> None:
    """The list of persons gives each person the identification of the registers: the
    offices held (occupation), else the register's note."""
    doc, _, _ = edition
    listed = norm(_section(doc, "List of persons"))
    registers = etree.parse(str(ROOT / "tei" / "registers.xml"))
    by_office = by_note = 0
    for person in registers.iterfind(".//t:person", NS):
        ident = person.get("{http://www.w3.org/XML/1998/namespace}id", "").removeprefix("p_")
        if "_" in ident:
            continue  # a qualified id (p_ivanov_mechanic): the surname does not find the person
        surname = ident
        occupation = person.find("t:occupation", NS)
        note = person.find("t:note", NS)
        about = occupation if occupation is not None else note
        if about is None or len(surname) < 4:
            continue
        words = norm(" ".join("".join(about.itertext()).split()).rstrip("."))[:30]
        if norm(surname).casefold() not in listed.casefold():
            continue  # not named in the volume (or spelt otherwise)
        if "source" in words or "garble" in words:
            continue
        assert words in listed, (surname, words)
        if occupation is not None:
            by_office += 1
        else:
            by_note += 1
    assert by_office >= 50 and by_note >= 10, (by_office, by_note)


def test_index_subentries_of_entries_with_many_pages(edition: tuple[Pdf, str, list[Path]]) -> None:
    """An entry of more than 15 pages has subentries: the pages of the documents the person
    sent ("documents from") lie within documents whose sender is that person, and a place
    named on many pages is divided by year."""
    doc, typ, docs = edition
    labels = doc.reader.page_labels
    starts = doc_pages(doc) + [len(doc.pages)]
    senders = []
    for path in docs:
        tree = etree.parse(str(path))
        refs = tree.xpath("//t:correspDesc/t:correspAction[@type='sent']//@ref", namespaces=NS)
        senders.append({r.split("#")[-1] for ref in refs for r in ref.split()})
    persons = norm(_index_text(_section(doc, "Index of persons")))
    checked = 0
    for key, _, name in (e for e in index_entries(typ) if e[1] == "person"):
        found = re.search(re.escape(norm(name.replace('\\"', '"'))) + _PAGES, persons)
        if not found or "documentsfrom:" not in found.group(1):
            continue
        pages = re.split(r"documentsto:|\d{4}:|undated:", found.group(1).split("documentsfrom:", 1)[1])[0]
        for part in filter(None, pages.replace(";", ",").split(",")):
            a, _, b = part.partition("–")
            for n in range(int(a), int(b or a) + 1):
                physical = labels.index(str(n))
                assert any(key in senders[i] and starts[i] <= physical <= starts[i + 1]
                           for i in range(len(docs))), (name, n)
        checked += 1
    assert checked >= 3
    places = norm(_index_text(_section(doc, "Index of places")))
    assert len(re.findall(r"19[1-4]\d:\d", places)) >= 10  # year subentries


def test_source_notes_give_the_state_once(edition: tuple[Pdf, str, list[Path]]) -> None:
    """A source note whose normalised citation gives the document's state, "(copy)", does
    not print the source's "Copy." after it again; the other states stay."""
    doc, _, docs = edition
    text = " ".join(" ".join(doc.pages).split())
    twice = re.findall(r"\((copy|original|draft|certified copy|autograph)\)[.;]? \1\b", text, re.IGNORECASE)
    assert not twice, twice
    assert re.search(r"\((copy|original)\)", text)


def test_front_matter_reads_as_a_book(edition: tuple[Pdf, str, list[Path]]) -> None:
    """The front matter the editors write is set like the texts (typographic quotes and
    apostrophes: "People’s"), and speaks of the edition, not of the pipeline that made it."""
    doc, _, _ = edition
    front = "\n".join(_section(doc, title) for title in
                      ("Preface", "Note on the sources and the translation", "Editorial principles"))
    assert "’" in front and "'" not in front and '"' not in front
    assert "converter" not in front and "review report" not in front


def test_closing_quotes_follow_their_stop(edition: tuple[Pdf, str, list[Path]]) -> None:
    """A double quote the source sets apart after a full stop closes the quotation and
    follows the stop ("period.” after", not "period. ” after"): the display regularisation
    of quotes; the TEI keeps the source's spacing."""
    doc, _, docs = edition
    spaced = sum(len(re.findall(r'[.,;:!?] " ', p.read_text(encoding="utf-8"))) for p in docs)
    assert spaced > 20  # the sources print them so
    text = "\n".join(doc.pages)
    assert len(re.findall(r"[.,;:!?] ” ", text)) <= 1, re.findall(r".{30}[.,;:!?] ” .{10}", text)
