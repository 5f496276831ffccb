"""Fuzzing the recognisers, the segmenter and the TEI readers (hypothesis, derandomised, a
bounded number of examples: a few seconds). Whatever the text, a recogniser returns its
answer and never raises; the segmenter gives units or an EditionError; the XML reader gives
a tree or an EditionError, never another exception. (The converter as a whole is fuzzed by
tests/test_convert_property.py: any mixture of lines gives TEI that validates or a clear
error.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import xmlparse
from pipeline.config import Collection, Source
from pipeline.errors import EditionError
from pipeline.recognise import citations, dates, headings, inline, names, notes, structure
from pipeline.segment import segment_source
from pipeline.segment.layout import preset, preset_names
from pipeline.sources import SourceText

FUZZ = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces of the shapes the recognisers look for, so that random text reaches their deeper
# branches, mixed with any character at all (controls, surrogate-free astral, combining marks).
PIECES = ["No. ", "12", "1920", "1 May 1920", "May 1, 1920", "31.12.1920", "Moscow, ", "Telegram from ",
          "Letter of the People's Commissar to ", "F. 5. Op. 2. D. 315. L. 34", "RGVA, f. 109, op. 3, d. 80, p. 278.",
          "AVP RF", "Publ.: ", "Izvestia. 1920. No. 5", "Typewritten text.", "Original.", "Copy", "*", "**", "\\*",
          "[1]", "<sup>2</sup>", "[...]", "…", "<…>", "—", "Chicherin", "I. Stalin", "Comrade ", "Dear comrade,",
          "With communist greetings", "Secretary", "Note:", "Notes:", "1)", "a)", "# ", "**Bold**", "_it_",
          "Top secret", "Outgoing No. 4711", "Q. ", "A. ", "Mr. ", "Pasha", "(", ")", "\"", "“", "”", "ʹ",
          "\n", " ", "\t", "\xa0", "\u200b", "\u202e", "\x0b", "\x1b", "\U0001f600", "\u0301", "ı", "ß"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30).map("".join)

RECOGNISERS: list[Callable[[str], Any]] = [
    citations.find_citations, citations.find_publications, citations.is_source_line,
    dates.find_dates, dates.find_classifications, dates.find_outgoing_number, dates.parse_dateline,
    dates.looks_like_dateline, dates.find_trailing_dateline,
    headings.parse_heading, headings.is_bold_heading, headings.is_type_word_heading,
    lambda t: inline.printed(inline.tokenize(t, star_markers=True, note_numbers=frozenset({"1", "2"}))),
    lambda t: inline.tokenize(t, markdown=True),
    names.tokens, names.strip_qualifier, names.office_key,
    notes.is_note_label, notes.split_note_paragraph, notes.split_glued_notes, notes.find_remarks,
    notes.find_doc_refs, notes.is_unmarked_reference_note,
    structure.salutation, structure.closing_span, structure.closing_formula, structure.signature,
    structure.speaker_label, structure.speaker_turns, structure.distribution_line, structure.recorder_line,
    structure.reply_intro, structure.article_heading, structure.list_item,
]


@FUZZ
@given(TEXT)
def test_recognisers_answer_any_text(text: str) -> None:
    for recognise in RECOGNISERS:
        recognise(text)
    assert inline.printed(inline.tokenize(text)) == text  # the tokens give back the text


SOURCE = Source(id="fuzz", file=Path("fuzz.txt"), profile="auto", collection=Collection(title="Fuzz"))


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=25), st.sampled_from([*preset_names(), "auto"]))
def test_the_segmenter_takes_any_lines(lines: list[str], layout: str) -> None:
    src = SourceText(path=Path("fuzz.txt"), lines=tuple(line for text in lines for line in text.split("\n")))
    try:
        seg = segment_source(src, SOURCE, None if layout == "auto" else preset(layout))
    except EditionError:
        return
    for unit in seg.units:  # every unit lies inside the text
        assert 1 <= unit.first <= unit.last <= max(len(src.lines), 1)


TEI = (b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>'
       b"<fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader><text><body>"
       b'<div type="document" xml:id="d"><p>Text<note n="1" place="foot">n</note>.</p></div></body></text></TEI>\n')
HOSTILE = [b"<!DOCTYPE TEI>", b'<!ENTITY x SYSTEM "file:///etc/passwd">', b"&x;", b"&#0;", b"&#xD800;",
           b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>', b"<![CDATA[",
           b"]]>", b"<?pi x?>", b"<!--", b"-->", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80",
           b"<p>", b"</p>", b"<", b">", b"&", b'"', b"\r\n", b"\r"]


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(TEI)), st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=8))),
                max_size=6))
def test_the_xml_reader_gives_a_tree_or_a_clear_error(edits: list[tuple[int, bytes]]) -> None:
    data = TEI
    for position, insert in sorted(edits, reverse=True):
        data = data[:position] + insert + data[position:]
    try:
        tree = xmlparse.parse_bytes(data, path="fuzz.xml")
    except EditionError as exc:
        assert "fuzz.xml" in str(exc)
        return
    assert tree is not None
