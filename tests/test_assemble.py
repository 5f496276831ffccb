"""The assembler on verbatim cuts of the sources (tests/fixtures/assemble/): each fixture
is one document, segmented by its profile and built into TEI."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.archives import load_archives
from pipeline.assemble import Assembler, Built
from pipeline.config import Collection, Edition, Licence, Source
from pipeline.recognise import memo
from pipeline.segment import segment_source
from pipeline.sources import read_source

FIX = Path(__file__).parent / "fixtures" / "assemble"
ARCHIVES = load_archives(Path(__file__).parent.parent / "tei" / "registers.xml")
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def build(name: str, profile: str = "web-page", sid: str = "x") -> Built:
    source = Source(id=sid, file=Path(name), profile=profile, collection=Collection(title="A collection"))
    edition = Edition(id="e", title="E", editors=(), licence=Licence("CC BY"), publisher="P", sources=(source,))
    src = read_source(FIX / name)
    seg = segment_source(src, source)
    assert len(seg.units) == 1, [u.head[0].text[:40] for u in seg.units]
    memo.use_archives(ARCHIVES)  # what convert does with the edition's registers
    return Assembler(seg.units[0], source, edition).build()


def text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def test_note_marker_linked_and_reply_nested() -> None:
    b = build("001-note-with-marker-and-embedded-reply.txt")
    div = b.div
    note = div.find(".//t:div[@type='main']//t:p/t:note[@n='*']", NS)
    assert note is not None and note.get("type") == "compiler"
    assert "see doc. No. 187" in text(note)
    ref = note.find("t:ref[@type='document']", NS)
    assert ref is not None and ref.get("n") == "187"
    assert text(div.find("t:div[@type='main']/t:closer/t:signed", NS)) == "Natsarenus"
    reply = div.find("t:div[@type='reply']", NS)
    assert reply is not None
    assert text(reply.find("t:head", NS)).startswith("The following reply was received")
    assert text(reply.find("t:opener/t:salute", NS)) == "“Mr. Plenipotentiary representative,"
    assert b.date is not None and b.date.when == "1921-08-20"
    assert div.find("t:opener/t:dateline/t:idno[@type='outgoing']", NS).text == "no. 863‐b"


def test_inline_digit_marker_gets_the_note_printed_as_the_word_one() -> None:
    b = build("002-inline-digit-marker-and-word-note.txt")
    note = b.div.find(".//t:p/t:note[@n='1']", NS)
    assert note is not None and note.get("rend") == "inline"
    assert note.find("t:label", NS).text == "one"
    assert text(note).startswith("one We are talking about the Turkish delegation")
    assert [text(s) for s in b.div.findall("t:opener/t:salute", NS)] == ["Comrade Stalin.", "Dear comrade,"]
    assert b.citations[0].archive == "RGASPI" and b.citations[0].archive_printed == "RTSKHIDNI"


def test_glued_citation_and_compilers_note() -> None:
    b = build("000-glued-citation-and-note.txt")
    assert b.div.find("t:opener/t:dateline/t:placeName", NS).text == "Baku"
    assert b.date is not None and b.date.when == "1920-11-05"
    assert "Baku, 5 November 1920" not in text(b.div.find("t:head", NS))
    note = b.div.find(".//t:note[@n='*']", NS)
    assert note.get("type") == "editorial" and "mistakenly reads" in text(note)
    cit = b.citations[0]
    assert (cit.archive, cit.part("fond").value, cit.part("delo").value) == ("RGASPI", "558", "5224")
    remark = b.div.find(".//t:note[@type='source']/t:note[@type='editorial']", NS)
    assert text(remark) == "(Emphasis added – Y.B.)"


def test_long_note_keeps_its_unmarked_continuation_paragraphs() -> None:
    b = build("003-note-with-continuation-paragraphs.txt", "markdown-from-pdf")
    note = b.div.find(".//t:note[@type='compiler'][@n='*']", NS)
    assert note is not None and note.getparent().tag.endswith("p")  # at its marker in the text
    paras = note.findall("t:p", NS)
    assert len(paras) >= 5 and text(paras[0]).startswith("The mission of Frunze")
    assert text(b.div.find(".//t:closer/t:signed[last()]", NS)) == "Kotsyubinsky"


def test_speaker_labels_become_speeches() -> None:
    b = build("003-speaker-labels.txt", "markdown-from-pdf")
    speakers = [text(s) for s in b.div.findall(".//t:sp/t:speaker", NS)]
    assert speakers[:3] == ["Saracoglu —", "Comrade Molotov-", "Saracoglu -"]
    marks = b.div.find("t:opener/t:dateline/t:seg[@type='classification']", NS)
    assert marks.get("subtype") == "top-secret"


def test_month_only_dateline_takes_the_day_from_the_heading() -> None:
    b = build("003-month-only-dateline-day-in-heading.txt", "markdown-from-pdf")
    assert b.date is not None and b.date.when == "1937-02-01"
    assert any("taken from the heading" in f.message for f in b.flags)


def test_attachment_glued_to_a_signature_becomes_an_annex() -> None:
    b = build("003-attachment-glued-to-signature.txt", "markdown-from-pdf")
    main = b.div.find("t:div[@type='main']", NS)
    assert text(main.findall("t:closer/t:signed", NS)[-1]) == "A. Vyshinsky"
    annex = b.div.find("t:div[@type='annex']", NS)
    assert text(annex.find("t:head", NS)) == "appendix"
    assert text(annex.find("t:opener/t:salute", NS)) == '"Mr. Ambassador,'


def test_markdown_escaped_space_is_not_text() -> None:
    """A signature glued to the source line by the converter's escaped space ("Surits\\ avp
    rf, …"): the signature and the citation, and no backslash left in the closer."""
    b = build("003-escaped-space-before-citation.txt", "markdown-from-pdf")
    closer = b.div.find(".//t:closer", NS)
    assert closer is not None and text(closer) == "Surits"
    assert "\\" not in "".join(b.div.itertext())
    assert b.citations and b.citations[0].archive == "AVP RF"
