"""The PDF stage on a small real edition (tests/fixtures/pdf/project: documents cut from
tei/, a hostile document, a small tei/registers.xml): the command, the index from the
registers and without them, footnote numbering, PDF/A and determinism, and errors
reported as one clear line naming the document."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import pdf
from pipeline.errors import EditionError
from pipeline.pdf.arrange import roman

from .test_pdf_support import ROOT, Pdf, copy_fixture, norm


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--config", str(project / "edition.yaml")],
                          capture_output=True, text=True, cwd=project)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "project")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pdf]:
    project = copy_fixture(tmp_path_factory.mktemp("stage") / "project")
    out = run(project, "pdf")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert re.match(r"pdf: out/pdf/edition\.pdf: \d+ pages", out.stdout)
    return project, Pdf.read(project / "out" / "pdf" / "edition.pdf")


def test_command_writes_the_pdf_and_its_source(built: tuple[Path, Pdf]) -> None:
    project, doc = built
    assert (project / "out" / "pdf" / "edition.typ").exists()
    assert len(doc.pages) > 20
    assert not list((project / "out" / "pdf").glob(".*.tmp"))


def test_pdf_a_2b_tagged_with_fixed_date_and_embedded_fonts(built: tuple[Path, Pdf]) -> None:
    _, doc = built
    xmp = doc.reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*2", raw) and re.search(r"pdfaid:conformance[^A-Z]*B", raw)
    assert doc.reader.metadata["/CreationDate"].startswith("D:20260101")
    catalog = doc.reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    fonts = set()
    for page in doc.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            obj = font.get_object()
            fonts.add(str(obj["/BaseFont"]))
            descendant = obj.get("/DescendantFonts")
            if descendant:
                descriptor = descendant[0].get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), obj["/BaseFont"]
    assert fonts and all("Libertinus" in f for f in fonts), fonts


def test_same_input_same_bytes(built: tuple[Path, Pdf], tmp_path: Path) -> None:
    project, doc = built
    [again] = pdf.make_pdfs(project / "edition.yaml", out_dir=tmp_path)
    assert again.pdf_path.read_bytes() == doc.path.read_bytes()


def test_one_bookmark_per_document_under_its_part(built: tuple[Path, Pdf]) -> None:
    project, doc = built
    marks = doc.bookmarks()
    docs = [(depth, title) for depth, title, _ in marks if re.match(r"\d+\. ", title)]
    n_docs = len(list((project / "tei").glob("*/*-*.xml")))
    assert len(docs) == n_docs and all(depth == 1 for depth, _ in docs)
    assert [int(t.split(".")[0]) for _, t in docs] == list(range(1, n_docs + 1))
    assert {"Contents", "Editorial principles", "Abbreviations", "List of documents", "Index of persons",
            "Index of places", "Concordance of archival citations"} <= {t for d, t, _ in marks if d == 0}


def test_index_from_the_registers(built: tuple[Path, Pdf]) -> None:
    project, doc = built
    index = next(i for i, t in enumerate(doc.pages) if t.startswith("Index of persons"))
    persons = doc.pages[index]
    # preferred names of the register, never its offices, nor entries not mentioned
    assert "Chicherin, Georgy Vasilyevich" in persons and "Mustafa Kemal #Pasha" in persons
    assert "Nobody Mentioned" not in persons and "commissar" not in persons
    pages = [int(p) for p in re.search(r"Chicherin, Georgy Vasilyevich\s+([\d, –]+)", persons).group(1)
             .replace("–", ",").split(",") if p.strip()]
    assert pages == sorted(pages)
    # each page number is a page where Chicherin is named (found by the PDF's page labels)
    labels = doc.reader.page_labels
    for p in pages:
        assert "Chicherin" in doc.pages[labels.index(str(p))], p
    places = doc.pages[index + 1]
    assert re.search(r"Baku\s+\d", places) and re.search(r"Kars\s+\d", places)


def test_index_without_registers_uses_printed_names(project: Path) -> None:
    (project / "tei" / "registers.xml").unlink()
    [result] = pdf.make_pdfs(project / "edition.yaml")
    doc = Pdf.read(result.pdf_path)
    index = next(i for i, t in enumerate(doc.pages) if t.startswith("Index of persons"))
    text = doc.pages[index]
    assert "Built from the correspondents named in the document headings" in text
    assert norm("the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin") in norm(text)
    assert "registers of persons and places are not yet part of the edition" in "".join(doc.pages[:8])


def test_footnotes_numbered_per_document(built: tuple[Path, Pdf]) -> None:
    project, doc = built
    typ = (project / "out" / "pdf" / "edition.typ").read_text(encoding="utf-8")
    hostile = typ[typ.index('#doc-start(id: "hx-1"'):]
    # star markers too are numbered, as on the web pages (ed:note-sign)
    assert '#fn("1")[' in hostile and '#fn("2")[' in hostile and '#fn("*")' not in hostile
    # every document that has notes numbers them 1, 2, … in the order of their markers
    for block in typ.split("#doc-start(")[1:]:
        numbers = [int(n) for n in re.findall(r'#fn(?:-missing|-mark)?\("(\d+)"', block)]
        assert list(dict.fromkeys(numbers)) == list(range(1, len(set(numbers)) + 1))
    # a marker whose note the source lacks: the marker, and an editorial note saying so
    assert "The source prints a note marker (#9) here but not the text of the note." in "\n".join(doc.pages)
    assert "⟨" not in "".join(doc.pages)
    # the shared marker of nk-19201105 refers to its note, not to a new one
    assert re.search(r'#fn-again\("[^"]+", <nk-19201105-[\w.-]+>\)', typ)


def test_documents_on_new_pages_by_setting(project: Path) -> None:
    out = run(project, "pdf", "-q", "--document-break", "page")
    assert out.returncode == 0 and out.stdout == "", out.stderr
    doc = Pdf.read(project / "out" / "pdf" / "edition.pdf")
    starts = [page for _, title, page in doc.bookmarks() if re.match(r"\d+\. ", title)]
    assert len(set(starts)) == len(starts)  # no two documents begin on one page


def test_draft_marks_the_converters_guesses(project: Path) -> None:
    out = run(project, "pdf", "-q", "--draft")
    assert out.returncode == 0, out.stderr
    doc = Pdf.read(project / "out" / "pdf" / "edition.pdf")
    assert "DRAFT" in "".join(doc.pages[2:])
    assert "#draft-flag()" in (project / "out" / "pdf" / "edition.typ").read_text(encoding="utf-8")


def test_build_hook_writes_the_edition_volume(project: Path) -> None:
    args = argparse.Namespace(config=str(project / "edition.yaml"), quiet=True, draft=False, force=False,
                              deposit=False)
    assert pdf.build(args) == 0
    assert (project / "out" / "pdf" / "edition.pdf").read_bytes().startswith(b"%PDF")


def test_one_volume_per_collection(project: Path) -> None:
    out = run(project, "pdf", "--by-collection")
    assert out.returncode == 0, out.stderr
    made = sorted(p.name for p in (project / "out" / "pdf").glob("*.pdf"))
    assert made == ["blc.pdf", "hx.pdf", "nk.pdf", "sdn.pdf", "ssd.pdf"]
    nk = Pdf.read(project / "out" / "pdf" / "nk.pdf")
    assert "Nagorno-Karabakh in International Law and Global Politics" in nk.pages[0]
    assert [t for _, t, _ in nk.bookmarks() if re.match(r"\d+\. ", t)][0].startswith("1. ")


def test_volumes_share_a_concordance_in_the_index_volume(project: Path) -> None:
    """Volumes of five documents: the index volume's concordance gives every archival
    citation of the edition with the document's number, its web page's name, and the volume
    and page where the document begins (read from the volumes' bookmarks)."""
    out = run(project, "pdf", "--volume-size", "5")
    assert out.returncode == 0, out.stderr
    folder = project / "out" / "pdf"
    volumes = sorted(folder.glob("edition-0*.pdf"))
    assert len(volumes) == 3
    where: dict[str, str] = {}  # number → "II 4"
    for v, path in enumerate(volumes):
        doc = Pdf.read(path)
        labels = doc.reader.page_labels
        for _, title, page in doc.bookmarks():
            if re.match(r"\d+\. ", title):
                where[title.split(".")[0]] = f"{roman(v + 1)} {labels[page]}"
    index = subprocess.run(["pdftotext", "-layout", str(folder / "edition-index.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    rows = re.findall(r"\s(\d+)\s+([a-z]+-[\w-]+)\s+([IVX]+)\s*(\d+)\s*$",
                      index.split("Concordance of archival citations")[-1], re.MULTILINE)
    citations = sum(len(re.findall(r"<msDesc\b", p.read_text(encoding="utf-8")))
                    for p in (project / "tei").glob("*/*.xml"))
    assert len(rows) == citations > 5
    for num, doc_id, volume, page in rows:
        assert where[num] == f"{volume} {page}", (num, doc_id)
        assert (project / "tei" / doc_id.split("-")[0] / f"{doc_id}.xml").exists()


def test_volumes_from_the_project_folder(project: Path) -> None:
    """`edition pdf` run in the project with its edition.yaml (a relative path, as editors
    run it) typesets every volume and the shared index."""
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "pdf", "--volume-size", "5"],
                         capture_output=True, text=True, cwd=project)
    assert out.returncode == 0 and "left out" not in out.stderr, out.stderr
    made = sorted(p.name for p in (project / "out" / "pdf").glob("*.pdf"))
    assert made == ["edition-01.pdf", "edition-02.pdf", "edition-03.pdf", "edition-index.pdf"]


def _break_document(body: str, doc_id: str, where: str, code: str) -> str:
    marker = f"// @ {doc_id} {where}\n"
    assert marker in body
    return body.replace(marker, marker + code + "\n", 1)


def test_typesetting_error_names_document_and_place(project: Path) -> None:
    edition = pdf.load_config(project / "edition.yaml")
    volume = pdf.volumes(edition, project / "tei", False)[0]
    source = pdf.render_source(edition, volume, pdf.Transformer(), tei_root=project / "tei",
                               body_filter=lambda b: _break_document(b, "nk-562", "p[1]", "#no-such-function()"))
    with pytest.raises(EditionError) as err:
        pdf.typeset(source)
    message = str(err.value)
    assert "tei/nk/nk-562.xml (document nk-562, p[1])" in message
    assert "unknown variable: no-such-function" in message
    assert "┌─" not in message and "\n" not in message


def test_error_inside_a_template_function_is_traced_to_the_document(project: Path) -> None:
    edition = pdf.load_config(project / "edition.yaml")
    volume = pdf.volumes(edition, project / "tei", False)[0]
    # a wrong argument fails inside reading() of the page design, called from the document
    source = pdf.render_source(edition, volume, pdf.Transformer(), tei_root=project / "tei",
                               body_filter=lambda b: _break_document(b, "ssd-19370618", "closer[1]",
                                                                     '#reading("1", sure: "x")'))
    with pytest.raises(EditionError) as err:
        pdf.typeset(source)
    assert "tei/ssd/ssd-19370618.xml (document ssd-19370618, closer[1])" in str(err.value)


def test_failure_leaves_the_previous_pdf_untouched(project: Path) -> None:
    assert run(project, "pdf", "-q").returncode == 0
    before = (project / "out" / "pdf" / "edition.pdf").read_bytes()
    target = project / "tei" / "nk" / "nk-562.xml"
    target.write_text(target.read_text(encoding="utf-8").replace("</div>", "</dvi>", 1), encoding="utf-8")
    out = run(project, "pdf")
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "nk-562.xml" in out.stderr
    assert (project / "out" / "pdf" / "edition.pdf").read_bytes() == before


def test_missing_tei_is_a_clear_error(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path / "p")
    (project / "tei" / "edition.xml").unlink()
    out = run(project, "pdf")
    assert out.returncode == 1 and "edition convert" in out.stderr and "Traceback" not in out.stderr


def test_title_page_names_the_editors(built: tuple[Path, Pdf]) -> None:
    _, doc = built
    title, imprint = norm(doc.pages[0]), norm(doc.pages[1])
    assert norm("Edited by Editor #one and Editor [two]") in title
    assert norm("Edited by Editor #one and Editor [two].") in imprint


def test_no_editor_placeholder_on_the_title_page(project: Path) -> None:
    """Only the publisher and a placeholder as editors: the title page and the imprint name
    no editor, and the review report says that the edition names none."""
    from pipeline.config import load_config
    from pipeline.review import edition_rows

    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('    - "Editor #one"\n    - "Editor [two]"\n',
                                   '    - "<editor>"\n    - "Fixture \\\\Press/"\n'), encoding="utf-8")
    edition = load_config(config)
    assert edition.editors == ("<editor>", "Fixture \\Press/") and edition.named_editors == ()
    out = run(project, "pdf")
    assert out.returncode == 0, out.stderr
    doc = Pdf.read(project / "out" / "pdf" / "edition.pdf")
    for page in doc.pages[:2]:
        assert "Edited by" not in page and "editor>" not in page
    rows = edition_rows(edition)
    assert [r["kind"] for r in rows] == ["edition", "edition"]
    assert "placeholder" in str(rows[0]["message"]) and "names no editors" in str(rows[1]["message"])
    assert rows[0]["source"] == "edition.yaml" and rows[0]["line"] == 8


def test_bundled_edition_review_notes_that_it_names_no_editors() -> None:
    from pipeline.config import load_config
    from pipeline.review import edition_rows

    edition = load_config(ROOT / "edition.yaml")
    assert edition.named_editors == ()
    [row] = edition_rows(edition)
    assert "names no editors" in str(row["message"]) and row["line"] > 0


def test_title_page_credits_persons_with_their_roles(project: Path) -> None:
    """edition.yaml's editors with their roles: the title page and the imprint print each
    role with its persons (initials spaced), never the publisher as an editor; the
    compilers of the sources are credited for their collections only."""
    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('    - "Editor #one"\n    - "Editor [two]"\n',
                                   '    - "Editor #one"\n    - "Fixture \\\\Press/"\n'
                                   '    - name: "A.B.Translator"\n      role: translator\n'), encoding="utf-8")
    out = run(project, "pdf")
    assert out.returncode == 0, out.stderr
    doc = Pdf.read(project / "out" / "pdf" / "edition.pdf")
    title, imprint = norm(doc.pages[0]), norm(doc.pages[1])
    assert norm("Edited by Editor #one Translated by A. B. Translator") in title
    assert norm("Edited by Editor #one. Translated by A. B. Translator.") in imprint
    assert norm("From the collections compiled by A. V. Kvashonkin and L. P. Kosheleva Svitlana M and "
                "Erdogan A Compiler \\ #1 and edited by Yuri Barsegov") in title
    assert norm("From the collections compiled by A. V. Kvashonkin and L. P. Kosheleva; Svitlana M and "
                "Erdogan A; Compiler \\ #1; and edited by Yuri Barsegov.") in imprint


def test_an_unknown_role_is_named_with_its_line(project: Path) -> None:
    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('    - "Editor [two]"\n', '    - name: "Editor [two]"\n      role: ghost\n'),
                      encoding="utf-8")
    out = run(project, "pdf")
    assert out.returncode == 1 and "edition.yaml:11" in out.stderr and "unknown role 'ghost'" in out.stderr
    assert "editor, compiler, translator" in out.stderr and "Traceback" not in out.stderr


def test_imprint_names_a_collection_once(project: Path) -> None:
    """Two sources that are pages of one collection (the same description): the imprint's
    list of the sources of the texts names the collection once."""
    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    second = ('  - id: sdr\n    file: sources/001_26e6649a398a80c0.txt\n    profile: web-page\n'
              '    site: "Marx-Engels | Lenin | Stalin"\n    collection:\n'
              '      title: "Selected Secret Documents from Soviet Foreign Policy Documents Archives - 1919 to 1941"\n')
    config.write_text(text.replace("  - id: blc\n", second + "  - id: blc\n", 1), encoding="utf-8")
    out = run(project, "pdf")
    assert out.returncode == 0, out.stderr
    imprint = norm(Pdf.read(project / "out" / "pdf" / "edition.pdf").pages[1])
    # set in house style: "Archives – 1919 to 1941" (pdf.house_dashes)
    printed = pdf.house_dashes("Selected Secret Documents from Soviet Foreign Policy Documents Archives - 1919 to 1941")
    title = norm(printed or "")
    assert "–" in title
    assert imprint.count(title) == 1


def test_shared_index_divides_an_entry_of_many_pages() -> None:
    """The shared index gives an entry of more than 15 pages the subentries a volume's
    index gives: documents from and to, then the other pages, by year where they are many."""
    from pipeline.pdf import _shared_refs

    few = {"1920": {1: {3, 4}}, "from": {2: {7}}}
    assert _shared_refs(few) == {"refs": "I 3–4; II 7", "subs": []}
    many = {"from": {1: {3, 4}}, "1920": {1: set(range(10, 20))}, "1921": {2: set(range(1, 10))}, "": {2: {40}}}
    assert _shared_refs(many) == {"refs": "", "subs": [
        {"label": "from", "refs": "I 3–4"}, {"label": "1920", "refs": "I 10–19"},
        {"label": "1921", "refs": "II 1–9"}, {"label": "", "refs": "II 40"}]}
    # the other pages few enough: on the entry's line, after the documents it sent
    some = {"from": {1: set(range(1, 15))}, "1920": {1: {30}}, "1921": {2: {5}}}
    assert _shared_refs(some) == {"refs": "I 30; II 5", "subs": [{"label": "from", "refs": "I 1–14"}]}
