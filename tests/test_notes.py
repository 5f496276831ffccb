"""Tests for pipeline.recognise.notes, with verbatim snippets from the sources (file:line).

``src`` checks each snippet against its source line; ``line`` returns a whole source line (a
whole paragraph where the paragraph is one line).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipeline.recognise.notes import (
    DocRef,
    NoteText,
    Remark,
    find_doc_refs,
    find_remarks,
    is_note_label,
    is_unmarked_reference_note,
    split_glued_notes,
    split_note_paragraph,
)

SOURCES = Path(__file__).resolve().parents[1] / "sources"


@cache
def _lines(file_id: str) -> list[str]:
    (path,) = SOURCES.glob(f"{file_id}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


def line(file_id: str, number: int) -> str:
    return _lines(file_id)[number - 1]


def src(file_id: str, number: int, snippet: str) -> str:
    assert snippet in line(file_id, number), f"{file_id}:{number} does not contain {snippet!r}"
    return snippet


def bodies(para: str, notes: list[NoteText]) -> list[tuple[str, str]]:
    return [(n.n, para[n.text_start : n.end]) for n in notes]


def paragraphs(file_id: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    run: list[str] = []
    first = 0
    for number, text in enumerate(_lines(file_id), 1):
        if text == "":
            if run:
                out.append((first, "\n".join(run)))
            run = []
        else:
            first = first if run else number
            run.append(text)
    if run:
        out.append((first, "\n".join(run)))
    return out


# --- split_note_paragraph -------------------------------------------------------------------------


def test_escaped_star_note() -> None:
    para = line("003", 1385)
    assert para == r"\* see doc. No. 187"
    assert split_note_paragraph(para) == [NoteText("*", r"\*", 0, len(para), 3, "star")]


def test_bare_star_note() -> None:
    para = line("001", 55)
    assert para == "* see doc. No. 187"
    (note,) = split_note_paragraph(para) or []
    assert (note.n, note.printed_marker, note.system) == ("*", "*", "star")
    assert para[note.text_start : note.end] == "see doc. No. 187"


def test_marker_glued_to_note_text() -> None:
    para = line("003", 1727)
    assert para == r"\*cm. Doc. No. 264"
    assert bodies(para, split_note_paragraph(para) or []) == [("*", "cm. Doc. No. 264")]


def test_several_notes_on_one_line() -> None:
    para = line("003", 2830)
    assert para == r'\* see doc. Chg 183. \*\* see vol. Xix doc. L "236. \*\*\* see doc. L? 180.'
    notes = split_note_paragraph(para) or []
    assert bodies(para, notes) == [
        ("*", "see doc. Chg 183."), ("**", 'see vol. Xix doc. L "236.'), ("***", "see doc. L? 180."),
    ]
    assert [para[n.start : n.text_start] for n in notes] == [r"\* ", r"\*\* ", r"\*\*\* "]
    # only whitespace between the notes: cutting them out loses nothing
    assert para[notes[0].end : notes[1].start] == " "


def test_three_notes_with_remark() -> None:
    para = line("003", 2910)
    notes = split_note_paragraph(para) or []
    assert [n.n for n in notes] == ["*", "**", "***"]
    assert para[notes[0].text_start : notes[0].end] == "so, in the document."


def test_bracket_note() -> None:
    para = line("003", 2347)
    assert para == "[1] suburban area near Tehran."
    assert split_note_paragraph(para) == [NoteText("1", "[1]", 0, len(para), 4, "bracket")]


def test_sup_note() -> None:
    para = line("003", 2048)
    assert para.startswith("<sup>1</sup> Enver pasha is a former war minister")
    (note,) = split_note_paragraph(para) or []
    assert (note.n, note.printed_marker, note.system, note.text_start) == ("1", "<sup>1</sup>", "sup", 13)
    assert note.end == len(para.rstrip())


def test_number_word_fused_to_note_text() -> None:
    para = line("002", 31)
    assert para.startswith("oneWe are talking about the Turkish delegation")
    (note,) = split_note_paragraph(para) or []
    assert (note.n, note.printed_marker, note.system, note.text_start) == ("1", "one", "word", 3)


def test_note_fragment_starting_with_marker() -> None:
    para = line("003", 2848)
    assert bodies(para, split_note_paragraph(para) or []) == [("**", ". About everything that will be")]


@pytest.mark.parametrize(("file_id", "number"), [("003", 934), ("002", 29)])
def test_label_lines(file_id: str, number: int) -> None:
    para = line(file_id, number)
    assert para in ("*Document note:*", "Notes:")
    assert is_note_label(para)
    assert split_note_paragraph(para) == []


@pytest.mark.parametrize(("file_id", "number"), [
    ("003", 904),   # *Georgy Chicherin.*  (italic signature)
    ("003", 4495),  # \* \* \*             (separator)
    ("003", 1375),  # body paragraph with a marker inside
    ("003", 2257),  # See doc. No. 264.    (note without marker: not a marked note paragraph)
    ("000", 106),   # Required fields are marked *
    ("003", 696),   # (...)
    ("003", 4324),  # [November 9, 1940]
    ("000", 57),    # Note: “via the duty political controller.” …
])
def test_not_note_paragraphs(file_id: str, number: int) -> None:
    para = line(file_id, number)
    assert split_note_paragraph(para) is None
    assert not is_note_label(para)


def test_note_paragraph_inventory_matches_the_catalogue() -> None:
    """PHENOMENA §7.2: 003 has 21 star lines with 30 notes, 21 [N] lines, 7 <sup> lines and
    1 label; 001 has 1 note line, 002 a label and 1 note."""
    counts: dict[tuple[str, str], int] = {}
    for file_id in ("000", "001", "002", "003", "004"):
        for _, para in paragraphs(file_id):
            notes = split_note_paragraph(para)
            if notes is None:
                continue
            key = (file_id, notes[0].system if notes else "label")
            counts[key] = counts.get(key, 0) + len(notes) if notes else counts.get(key, 0) + 1
    assert counts == {
        ("001", "star"): 1,
        ("002", "label"): 1, ("002", "word"): 1,
        ("003", "label"): 1, ("003", "sup"): 7, ("003", "star"): 30, ("003", "bracket"): 21,
    }


# --- split_glued_notes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "marker", "body"), [
    (45, "*", "This sentence is underlined in the original document."),
    (51, "*", "The document mistakenly reads “begins.”"),
    (60, "**", "Ellipsis in the original text."),
    (84, "*", "Present: Members of the Central Committee—Narimanov, Kaminsky, Egorov, Kuliyev, "
              "Sarkis, Buniatzade, Stalin, Ordzhonikidze, Stasova, Pavlovich, Legran, Mdivani, "
              "Gabrielyan, and others."),
])
def test_glued_notes(number: int, marker: str, body: str) -> None:
    para = line("000", number)
    index, notes = split_glued_notes(para)
    assert para[:index].rstrip().endswith("(Emphasis added – Y.B.)")
    assert bodies(para, notes) == [(marker, body)]
    assert notes[0].start == index and notes[0].end == len(para)


def test_glued_note_in_multi_line_paragraph() -> None:
    para = line("000", 59) + "\n" + line("000", 60)
    index, notes = split_glued_notes(para)
    assert [n.n for n in notes] == ["**"] and para[index:] == "**Ellipsis in the original text."


@pytest.mark.parametrize(("file_id", "number"), [
    ("000", 106),  # Required fields are marked *
    ("000", 96),   # Kemal’s* advance … (marker glued to a word, no note text)
    ("000", 41),   # Armenia* and Georgia
    ("000", 5),    # ends with the remark, no note
    ("003", 2914), # "… porch of his house. **More sincerely …**": bold, not a note
    ("003", 804),  # "Dr. *Riza Nur bey*": italic, not a note
])
def test_no_glued_notes(file_id: str, number: int) -> None:
    para = line(file_id, number)
    assert split_glued_notes(para) == (len(para), [])


def test_glued_notes_several() -> None:
    para = "Copy. (Emphasis added – Y.B.) *First note. **Second note."
    index, notes = split_glued_notes(para)
    assert index == para.index("*First")
    assert bodies(para, notes) == [("*", "First note."), ("**", "Second note.")]


# --- find_remarks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_id", "number", "snippet", "kind", "remark"), [
    ("000", 23, "d. 21, p. 136. Copy. (Emphasis added – Y.B.)", "emphasis-added", "(Emphasis added – Y.B.)"),
    ("000", 45, "*This sentence is underlined in the original document.", "underlined",
     "This sentence is underlined in the original document."),
    ("000", 51, "*The document mistakenly reads “begins.”", "mistake",
     "The document mistakenly reads “begins.”"),
    ("000", 60, "**Ellipsis in the original text.", "ellipsis-original", "Ellipsis in the original text."),
    ("003", 2910, r"\* so, in the document. \*\* minister", "sic", "so, in the document."),
    ("003", 2321, "[1] the text is wrong - to the ambassador.", "mistake",
     "the text is wrong - to the ambassador."),
    ("003", 1909, r"\*\* in the original - entre les governments (between governments).", "original-reading",
     "in the original - entre les governments (between governments)."),
    ("003", 6508, "Article 4 is mistakenly indicated in the original.", "mistake",
     "Article 4 is mistakenly indicated in the original."),
    ("003", 1937, "on the map of the 1899 edition (note, doc.)", "document-note", "(note, doc.)"),
    ("000", 66, "Marked “Extremely urgent. Out of turn.” At the Baku", "archival-description",
     "Marked “Extremely urgent. Out of turn.”"),
    ("000", 57, "Note: “via the duty political controller.” Message", "archival-description",
     "Note: “via the duty political controller.”"),
])
def test_remarks(file_id: str, number: int, snippet: str, kind: str, remark: str) -> None:
    text = src(file_id, number, snippet)
    (found,) = find_remarks(text)
    assert found.kind == kind
    assert text[found.start : found.end] == remark


def test_emphasis_added_carries_initials() -> None:
    text = src("000", 5, "Copy certified by the Secretary of the Permanent Mission of the RSFSR in Armenia, "
                         "L. Schiffers. (Emphasis added – Y.B.)")
    (found,) = find_remarks(text)
    assert found == Remark(text.index("("), len(text), "emphasis-added", "Y.B.")


def test_emphasis_added_count() -> None:
    """PHENOMENA §7.4: 11× in 000, all by Y.B."""
    remarks = [r for _, p in paragraphs("000") for r in find_remarks(p) if r.kind == "emphasis-added"]
    assert len(remarks) == 11 and {r.resp for r in remarks} == {"Y.B."}


def test_glued_note_paragraph_has_remark_then_note_remark() -> None:
    para = line("000", 51)
    kinds = [r.kind for r in find_remarks(para)]
    assert kinds == ["emphasis-added", "mistake"]


def test_prose_is_not_a_remark() -> None:
    text = src("003", 614, "But we were not mistaken when we expected from such a large industrial center")
    assert find_remarks(text) == []


# --- find_doc_refs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_id", "number", "snippet", "ref", "target", "volume"), [
    ("001", 55, "* see doc. No. 187", "see doc. No. 187", "187", None),
    ("003", 1727, r"\*cm. Doc. No. 264", "cm. Doc. No. 264", "264", None),
    ("003", 1907, "of October 13, 1921 (see doc. No. 264).", "see doc. No. 264", "264", None),
    ("003", 2257, "See doc. No. 264.", "See doc. No. 264", "264", None),
    ("003", 2830, r'\*\* see vol. Xix doc. L "236.', 'see vol. Xix doc. L "236', "236", "XIX"),
    ("003", 2830, r"\*\*\* see doc. L? 180.", "see doc. L? 180", "180", None),
    ("003", 2830, r"\* see doc. Chg 183.", "see doc. Chg 183", "183", None),
    ("003", 2818, r"\* see doc. .49 152.170. ", "see doc. .49 152.170", None, None),
    ("003", 2864, r"\*\* see. Doc. Ne 358.", "see. Doc. Ne 358", "358", None),
    ("003", 2864, r"\*\*\* see. Vol. X, doc. No. 227.", "see. Vol. X, doc. No. 227", "227", "X"),
    ("003", 3714, r"\* see doc. 808.", "see doc. 808", "808", None),
    ("003", 1903, "(see vol. III, document no. 342)", "see vol. III, document no. 342", "342", "III"),
])
def test_doc_refs(file_id: str, number: int, snippet: str, ref: str, target: str | None,
                  volume: str | None) -> None:
    text = src(file_id, number, snippet)
    (found,) = find_doc_refs(text)
    assert (found.printed, found.target_doc, found.volume, found.kind) == (ref, target, volume, "doc")
    assert text[found.start : found.end] == found.printed


def test_doc_ref_with_several_numbers() -> None:
    text = src("003", 2864, r"\* see. Doc. No. 337, 413, 422.")
    (found,) = find_doc_refs(text)
    assert (found.target_doc, found.targets) == ("337", ("337", "413", "422"))


def test_note_refs() -> None:
    (approx,) = find_doc_refs(src("003", 1313, "[see. Approx. 66]"))
    assert (approx.kind, approx.printed, approx.targets) == ("note", "see. Approx. 66", ("66",))
    assert approx.target_doc is None
    (note,) = find_doc_refs(src("003", 1741, "(see note 48)"))
    assert (note.kind, note.targets) == ("note", ("48",))


def test_newspaper_refs() -> None:
    text = src("003", 2690, "[2] see gas. Izvestia, June 17, 1937")
    expected = DocRef(4, len(text), None, None, "see gas. Izvestia, June 17, 1937", "newspaper")
    assert find_doc_refs(text) == [expected]
    text = line("003", 2886)
    first, second = find_doc_refs(text)
    assert first.printed == 'see. Gas. " Izvestia ", 29, 30 September, 2, 4 October 1938 city of'
    assert (second.printed, second.targets) == ("see. Doc. Le 357, 368", ("357", "368"))


def test_minutes_ref_with_volume() -> None:
    text = line("003", 5110)
    (found,) = find_doc_refs(text)
    assert found.kind == "minutes"
    assert found.printed == "see minutes of December 17, 1929 (documents ... - t. Xii. - doc. 377.)"
    assert (found.target_doc, found.volume) == ("377", "XII")


def test_doc_ref_inventory_matches_the_catalogue() -> None:
    """PHENOMENA §7.3: 24 references (1 in 001, 23 in 003)."""
    files = ("000", "001", "002", "003", "004")
    counts = {f: sum(len(find_doc_refs(p)) for _, p in paragraphs(f)) for f in files}
    assert counts == {"000": 0, "001": 1, "002": 0, "003": 23, "004": 0}


def test_unmarked_reference_note() -> None:
    assert is_unmarked_reference_note(line("003", 2257))
    assert not is_unmarked_reference_note(line("003", 1907))
    assert not is_unmarked_reference_note(line("003", 1385))  # marked: a note paragraph
