"""Layouts as data: presets, edition.yaml blocks, `auto`, folder sources, `edition inspect`,
and the review items of missed boundaries. Fixtures in tests/fixtures/layouts/ are
synthetic texts of the kinds the converter must handle (written for these tests)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from lxml import etree

from pipeline.assemble import Assembler
from pipeline.config import Collection, Edition, Licence, Source, load_config
from pipeline.errors import EditionError
from pipeline.segment import encoding_of, segment_source
from pipeline.segment.layout import Layout, layout_from_node, preset, preset_names, to_yaml
from pipeline.sources import read_source

FIX = Path(__file__).parent / "fixtures" / "layouts"
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
TEI = "{http://www.tei-c.org/ns/1.0}"


def source_for(path: Path, layout: Layout | str = "auto") -> Source:
    return Source(id="x", file=path, profile=layout if isinstance(layout, str) else layout.name,
                  collection=Collection(title="A collection"), layout=layout)


def segment(path: Path, layout: Layout | str = "auto"):  # type: ignore[no-untyped-def]
    source = source_for(path, layout)
    return segment_source(read_source(path, encoding_of(source)), source)


def block(text: str) -> Layout:
    node = yaml.compose(textwrap.dedent(text), Loader=yaml.SafeLoader)
    result = layout_from_node(node, "edition.yaml")
    assert isinstance(result, Layout)
    return result


# -- presets and blocks -----------------------------------------------------------------

def test_presets_are_package_files_with_their_keys() -> None:
    assert {"web-page", "markdown-from-pdf"} <= set(preset_names())
    web = preset("web-page")
    assert web.number is not None and web.number.match("No. 555")
    assert web.star_markers and "type-phrase-heading" in web.heading_rules
    book = preset("markdown-from-pdf")
    assert book.contents is not None and not book.star_markers
    assert [d.kind for d in book.dividers] == ["year divider"]


def test_a_block_overrides_a_preset_and_prints_back_as_yaml() -> None:
    layout = block("""
        preset: web-page
        start:
          number: '^DOCUMENT NO\\. (?P<n>\\d+)$'
        notes:
          markers: [bracket]
    """)
    assert layout.number is not None and layout.number.match("DOCUMENT NO. 3")
    assert not layout.star_markers
    assert layout.navigation == preset("web-page").navigation  # kept from the preset
    again = block(to_yaml(layout))  # what inspect prints reads back to the same layout
    assert again.number is not None and again.number.pattern == layout.number.pattern
    assert again.heading_rules == layout.heading_rules


@pytest.mark.parametrize(("text", "message"), [
    ("start:\n  numbr: 'x'\n", "unknown layout key start.numbr"),
    ("start:\n  number: '(unclosed'\n", "does not compile"),
    ("paragraphs: sometimes\n", "not one of"),
    ("preset: nonesuch\n", "unknown layout preset"),
    ("notes:\n  markers: [asterisk]\n", "unknown value 'asterisk'"),
])
def test_a_wrong_block_names_the_line(text: str, message: str) -> None:
    node = yaml.compose("x: 1\n" + text, Loader=yaml.SafeLoader)
    mapping = yaml.MappingNode(node.tag, node.value[1:], node.start_mark, node.end_mark)
    with pytest.raises(EditionError, match=message) as info:
        layout_from_node(mapping, "edition.yaml")
    assert info.value.line is not None and info.value.line >= 2


def test_edition_yaml_takes_layout_and_profile(tmp_path: Path) -> None:
    (tmp_path / "edition.yaml").write_text(textwrap.dedent("""
        edition: {id: e, title: E, publisher: P, licence: {name: CC0}}
        sources:
          - {id: a, file: a.txt, profile: web-page, collection: {title: A}}
          - {id: b, file: b.txt, layout: auto, collection: {title: B}}
          - {id: c, file: c.txt, collection: {title: C}}
          - id: d
            file: d.txt
            collection: {title: D}
            layout:
              preset: markdown-from-pdf
              boilerplate:
                running_heads: ['^\\[Page \\d+\\]$']
    """))
    ed = load_config(tmp_path / "edition.yaml")
    a, b, c, d = ed.sources
    assert a.profile == "web-page" and isinstance(a.layout, Layout)
    assert b.layout == "auto" and c.layout == "auto" and encoding_of(c) == "auto"
    assert isinstance(d.layout, Layout) and d.layout.running_heads[0].match("[Page 12]")
    assert d.layout.contents is not None  # from the preset


# -- auto -----------------------------------------------------------------------------

def test_auto_finds_numbered_documents_after_front_matter() -> None:
    seg = segment(FIX / "numbered.txt")
    assert seg.layout is not None and "number lines" in seg.layout.chosen
    assert [u.number for u in seg.units] == ["4", "7", "8", "12", "15", "21"]
    assert seg.units[0].head[0].text.startswith("*Sir A. Smith")  # _italics_ read as *italics*
    assert any(b.kind == "title pages and source data" for b in seg.boilerplate)


def test_auto_finds_headingless_messages_by_their_datelines_in_latin1() -> None:
    seg = segment(FIX / "messages.txt")
    assert seg.layout is not None and "datelines" in seg.layout.chosen
    assert len(seg.units) == 6
    assert all(not u.head for u in seg.units)
    assert seg.units[0].body[0].text.startswith("Washington City, *March 3")
    assert "chargé" in seg.units[0].body[2].text  # Latin-1 decoded


def test_auto_tells_all_caps_headings_from_all_caps_signatures() -> None:
    seg = segment(FIX / "telegrams.txt")
    assert seg.layout is not None and "all-caps" in seg.layout.chosen and seg.layout.gap >= 3
    assert [u.head[0].text for u in seg.units][:2] == ["TELEGRAM TO GENERAL A. BROWN.", "TELEGRAM TO COLONEL C. DAVIS."]
    assert len(seg.units) == 5


def build_all(path: Path, layout: Layout | str = "auto") -> list:  # type: ignore[type-arg]
    source = source_for(path, layout)
    seg = segment_source(read_source(path, encoding_of(source)), source)
    edition = Edition(id="e", title="E", editors=(), licence=Licence("CC0"), publisher="P", sources=(source,))
    return [Assembler(u, source, edition, layout=seg.layout).build() for u in seg.units]


def test_numbered_despatches_give_dates_places_and_linked_footnotes() -> None:
    built = build_all(FIX / "numbered.txt")
    assert [b.date.when for b in built] == [f"1901-05-0{k}" for k in range(1, 7)]
    place = built[0].div.find(f".//{TEI}dateline/{TEI}placeName")
    assert place is not None and place.text == "Berlin"
    for b in built:
        notes = [n for n in b.div.iter(f"{TEI}note") if n.get("type") == "compiler"]
        assert len(notes) == 1 and notes[0].get("subtype") is None  # linked at its marker
        assert notes[0].getparent().tag == f"{TEI}p"
        assert not "".join(notes[0].itertext()).rstrip().endswith("]")


def test_telegram_datelines_with_clock_times() -> None:
    built = build_all(FIX / "telegrams.txt")
    dl = built[0].div.find(f".//{TEI}dateline")
    assert dl is not None
    assert dl.find(f"{TEI}placeName").text == "WAR DEPARTMENT"  # type: ignore[union-attr]
    assert dl.find(f"{TEI}date").get("when") == "1863-06-03"  # type: ignore[union-attr]
    assert "2.30 P.M." in "".join(dl.itertext())


# -- a folder of files --------------------------------------------------------------------

def test_a_folder_is_one_document_per_file_with_front_matter_as_metadata() -> None:
    seg = segment(FIX / "folder")
    assert len(seg.units) == 3
    first, second, third = seg.units
    assert first.number == "12" and first.head[0].text == "The Ambassador in London to the Minister"
    assert not any("---" in p.text or "title:" in p.text for u in seg.units for p in u.body)
    assert third.head[0].text.startswith("# Note by")
    assert [b.kind for b in seg.boilerplate] == ["front matter (metadata)"] * 2


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--config", str(project / "edition.yaml")],
                          capture_output=True, text=True, cwd=project, timeout=300)


def test_a_folder_source_converts_with_each_file_as_origin(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIX / "folder", tmp_path / "sources" / "volume")
    (tmp_path / "edition.yaml").write_text(textwrap.dedent("""
        edition: {id: e, title: E, publisher: P, licence: {name: CC0}}
        sources:
          - {id: v, file: sources/volume, collection: {title: A volume}}
    """))
    out = run(tmp_path, "convert", "-q")
    assert out.returncode == 0, out.stderr
    doc = etree.parse(str(tmp_path / "tei" / "v" / "v-12.xml"))
    origin = doc.find(f".//{TEI}ref[@type='origin']")
    assert origin is not None and origin.get("target") == "../../sources/volume/01-first.md#line=0,11"
    date = doc.find(f".//{TEI}opener//{TEI}date")
    assert date is not None and date.get("when") == "1939-09-29"
    assert "title:" not in "".join(doc.getroot().itertext())


# -- edition inspect ------------------------------------------------------------------------

def test_inspect_prints_a_layout_to_paste_and_the_documents_and_writes_nothing(tmp_path: Path) -> None:
    import shutil

    shutil.copy(FIX / "numbered.txt", tmp_path / "numbered.txt")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "inspect", "numbered.txt"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    text = out.stdout
    assert "number lines" in text.split("\n")[1]
    yaml_part = text[text.index("\nlayout:") + 1:text.index("\n\n")]
    layout = block(yaml.safe_dump(yaml.safe_load(yaml_part)["layout"]))
    assert layout.number is not None and layout.emphasis == "underscore"
    rows = [line.split() for line in text.split("\n") if line[:6].strip().isdigit()]
    assert [r[1] for r in rows] == ["4", "7", "8", "12", "15", "21"]
    assert "1901-05-01" in text and "Berlin" in text


def test_inspect_of_a_missing_file_is_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "inspect", "no/such/file.txt"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


# -- review items for missed boundaries ---------------------------------------------------------

def test_review_flags_inner_number_lines_and_repeated_numbers(tmp_path: Path) -> None:
    from pipeline.review import boundary_flags

    text = ["No. 1.", "", "A to B.", "", "London, 1 May 1900.", "", "Text.", "", "No. 2", "", "Text.", "",
            "No. 1.", "", "C to D.", "", "Text."]
    (tmp_path / "t.txt").write_text("\n".join(text) + "\n")
    layout = block("start:\n  number: '^No\\. (?P<n>\\d+)\\.$'\n")
    seg = segment(tmp_path / "t.txt", layout)
    kinds = {(f.line, f.kind) for f in boundary_flags(seg, None)}
    assert (9, "missed boundary?") in kinds  # "No. 2" without its full stop starts nothing
    assert (13, "number repeats") in kinds


# -- the practice corpus (../shared/corpus; skipped where it is absent) ---------------------------

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


@needs_corpus
@pytest.mark.parametrize("name", ["bluebook_1914_app2", "victoria_letters_1840", "lincoln_telegrams_1862",
                                  "jackson_messages_1831"])
def test_corpus_targets(name: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus_score
    finally:
        sys.path.pop(0)
    auto = corpus_score.score(name, "auto")
    assert auto.f1 >= 0.90, auto
    hand = corpus_score.score(name, corpus_score.layout_block(corpus_score.hand_blocks()[name]))
    assert hand.f1 >= 0.98 and hand.dates >= 0.95, hand
    if hand.notes != "n/a":
        assert float(hand.notes.split()[0]) >= 0.95, hand


@needs_corpus
def test_a_corpus_text_builds_with_no_hand_edit(tmp_path: Path) -> None:
    import shutil

    (tmp_path / "sources").mkdir()
    shutil.copy(CORPUS / "jackson_messages_1831.txt", tmp_path / "sources")
    (tmp_path / "edition.yaml").write_text(textwrap.dedent("""
        edition:
          id: messages
          title: Special messages
          publisher: P
          licence: {name: CC0}
        sources:
          - {id: m, file: sources/jackson_messages_1831.txt, layout: auto, collection: {title: Messages}}
    """))
    out = run(tmp_path, "build")
    assert out.returncode == 0, out.stderr[-3000:]
    gold = json.loads((CORPUS / "jackson_messages_1831.gold.json").read_text())
    assert len(list((tmp_path / "tei" / "m").glob("*.xml"))) == len(gold["documents"])


def test_notes_block_after_the_documents_and_a_dateline_form_of_the_layout() -> None:
    layout = block(r"""
        start:
          headings: ['^The [A-Z]\w+ to the [A-Z]\w+\.$']
        notes:
          heading: '^NOTES$'
        dateline:
          patterns: ['^(?P<place>[A-Z]+) • (?P<date>\d+\w\w \w+ \d{4}) • (?P<time>\w+)$']
    """)
    built = build_all(FIX / "endnotes.txt", layout)
    assert len(built) == 2
    linked = [[n for n in b.div.iter(f"{TEI}note") if n.get("type") == "compiler"] for b in built]
    assert [len(x) for x in linked] == [2, 1]
    assert all(n.getparent().tag == f"{TEI}p" for x in linked for n in x)  # at their markers
    assert "It was signed in April." in "".join(linked[0][1].itertext())  # the note's second paragraph
    second = built[1]
    assert second.date is not None and second.date.when == "1850-05-05"
    assert second.div.find(f".//{TEI}dateline/{TEI}placeName").text == "PARIS"  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "numbers"), [
    ("numbered-letters.txt", [str(n) for n in range(40, 48)]),  # "40. TO JOHN ADAMS." (numbered points inside)
    ("roman-numbers.txt", ["CXX", "CXXI", "CXXII", "CXXIII", "CXXIV", "CXXV"]),
])
def test_auto_reads_bare_and_roman_document_numbers(name: str, numbers: list[str]) -> None:
    seg = segment(FIX / name)
    assert [u.number for u in seg.units] == numbers
    assert all(u.head for u in seg.units)


# -- note-marker styles ------------------------------------------------------------------------

MARKER_STYLES = ["caret", "paren", "superscript", "sup", "markdown-footnote", "symbol"]


def linked_notes(built: list) -> list[list[str]]:  # type: ignore[type-arg]
    """Per document, the signs of the compilers' notes that stand at their marker in the text."""
    return [[n.get("n") or "" for n in b.div.iter(f"{TEI}note")
             if n.get("type") == "compiler" and n.get("subtype") is None and n.getparent().tag != f"{TEI}div"]
            for b in built]


@pytest.mark.parametrize("style", MARKER_STYLES)
def test_note_markers_of_each_style_link_to_their_texts(style: str) -> None:
    path = FIX / "markers" / f"{style}.txt"
    explicit = block(f"""
        start:
          number: '^No\\. (?P<n>\\d+)\\.$'
        notes:
          markers: [{style}]
    """)
    for layout in (explicit, "auto"):
        assert [u.number for u in segment(path, layout).units] == ["1", "2", "3"]
        built = build_all(path, layout)
        signs = ["†", "‡"] if style == "symbol" else ["1", "2"]
        assert linked_notes(built) == [signs, [], signs], layout
        assert not [f for b in built for f in b.flags if "note" in f.kind], layout
        # the numbered clauses "(1) the frontier …" of a document without notes stay text
        assert "(1) the frontier" in "".join(built[1].div.itertext())


@pytest.mark.parametrize("style", ["caret", "paren", "superscript", "markdown-footnote", "symbol"])
def test_auto_names_the_marker_style_it_found(style: str) -> None:
    seg = segment(FIX / "markers" / f"{style}.txt")
    assert seg.layout is not None and style in seg.layout.note_markers
    assert f"note markers {style}" in seg.layout.chosen


def test_a_style_the_layout_does_not_list_is_text() -> None:
    layout = block(r"""
        start:
          number: '^No\. (?P<n>\d+)\.$'
    """)
    built = build_all(FIX / "markers" / "paren.txt", layout)
    assert linked_notes(built) == [[], [], []]
    assert "yesterday(1)" in "".join(built[0].div.itertext())


def test_marker_styles_convert_to_valid_tei(tmp_path: Path) -> None:
    import shutil

    (tmp_path / "sources").mkdir()
    entries = []
    for style in MARKER_STYLES:
        shutil.copy(FIX / "markers" / f"{style}.txt", tmp_path / "sources")
        entries.append(f"  - {{id: {style.replace('-', '')}, file: sources/{style}.txt, collection: {{title: T}}}}")
    (tmp_path / "edition.yaml").write_text("edition: {id: e, title: E, publisher: P, licence: {name: CC0}}\n"
                                           "sources:\n" + "\n".join(entries) + "\n")
    out = run(tmp_path, "convert", "-q")
    assert out.returncode == 0, out.stderr
    out = run(tmp_path, "validate", "tei")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    rends = {n.get("rend") for f in (tmp_path / "tei").rglob("*.xml") if f.name != "edition.xml"
             for n in etree.parse(str(f)).iter(f"{TEI}note") if n.get("type") == "compiler"}
    assert {"sup", "parens", "symbol"} <= rends


# -- page furniture ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["running-heads.txt", "page-numbers-and-title.txt"])
def test_auto_drops_recurring_running_heads_and_page_numbers(name: str) -> None:
    built = build_all(FIX / name)
    assert len(built) == 6
    for b in built:
        text = " ".join("".join(b.div.itertext()).split())
        assert "FRONTIER PAPERS" not in text.upper().replace("PAPERS RESPECTING THE FRONTIER", "")
        assert "RESPECTING THE FRONTIER" not in text
        # the paragraph the page break cut is one paragraph again
        assert any("the question was settled" in " ".join("".join(p.itertext()).split())
                   for p in b.div.iter(f"{TEI}p"))


def test_running_head_detection_is_a_layout_key() -> None:
    number = r"""
        start:
          number: '^No\. (?P<n>\d+)\.$'
    """
    off = build_all(FIX / "running-heads.txt", block(number))
    assert "PAPERS RESPECTING THE FRONTIER" in "".join(off[0].div.itertext())
    on = block(number + """
        boilerplate:
          detect_running_heads: true
    """)
    seg = segment(FIX / "running-heads.txt", on)
    assert seg.layout is not None and seg.layout.running_heads
    assert "running heads with page numbers" in seg.layout.chosen
    assert "detect_running_heads" not in to_yaml(seg.layout)  # the patterns found are printed instead
    assert "PAPERS RESPECTING" not in "".join(build_all(FIX / "running-heads.txt", on)[0].div.itertext())


@pytest.mark.parametrize("lines", [
    ["No. 1.", "No. 2.", "No. 3.", "No. 4."],                        # document numbers
    ["Document 12", "Document 13", "Document 14", "Document 15"],
    ["Letter 3", "Letter 4", "Letter 5"],
    ["May 3", "May 4", "May 5", "May 6"],                            # dates
    ["I have, &c.", "GREY.", "I have, &c.", "GREY.", "I have, &c.", "GREY.", "I have, &c."],
    ["Article 1 Sanitary posts", "Article 2 Sanitary posts", "Article 3 Sanitary posts"],
    ["CORRESPONDENT No. 1", "CORRESPONDENT No. 2", "CORRESPONDENT No. 3"],  # a series' numbers
    ["[Illustration: A map.]", "[Illustration: A ship.]", "[Illustration: A town.]"],  # content, described
])
def test_recurring_lines_that_are_not_furniture_stay(lines: list[str]) -> None:
    from pipeline.segment.furniture import detect

    text = [x for line in lines for x in (line, "", "Some text of the document follows here.", "")]
    found = detect(text)
    assert found.running_heads == [] and not found.page_numbers


# -- type words of headings ----------------------------------------------------------------

DESPATCHES = """\
Précis of a despatch from Sir A. Smith to the Marquess of Lansdowne.

Berlin, May 1, 1901.

The commission met on the frontier yesterday.

Paraphrase of a telegram from Mr. Grey on the frontier question.

London, May 3, 1901.

The question is settled.

Précis of a despatch from Sir A. Smith to the Marquess of Lansdowne.

Berlin, May 5, 1901.

The posts were moved.
"""


def test_type_words_of_headings_are_a_layout_key(tmp_path: Path) -> None:
    path = tmp_path / "precis.txt"
    path.write_text(DESPATCHES, encoding="utf-8")
    plain = block("""
        start:
          heading_rules: [type-phrase-heading]
    """)
    with pytest.raises(EditionError, match="no document start"):  # "Précis", "Paraphrase": not in the preset
        segment(path, plain)
    taught = block(r"""
        start:
          heading_rules: [type-phrase-heading]
        heading:
          type_words:
            - {type: precis, words: 'pr[ée]cis', line: true}
            - {type: paraphrase, words: 'paraphrases?', line: 'Paraphrase'}
    """)
    built = build_all(path, taught)
    assert [b.doc_type for b in built] == ["precis", "paraphrase", "precis"]
    assert "type_words" in to_yaml(taught) and "precis" in to_yaml(taught)
    assert preset("web-page").vocabulary is preset("markdown-from-pdf").vocabulary  # the bundled list


def test_preset_type_words_name_the_kinds_of_diplomatic_editions() -> None:
    from pipeline.recognise.headings import is_type_word_heading, parse_heading

    for heading, kind in [("Despatch from Sir A. Smith to the Marquess of Lansdowne.", "despatch"),
                          ("Minute by Mr. Grey on the frontier question.", "minute"),
                          ("Circular telegram of the Foreign Office to the Embassies.", "circular"),
                          ("Aide-mémoire of the British Embassy to the Foreign Office.", "aide-memoire")]:
        assert is_type_word_heading(heading) and parse_heading(heading).doc_type == kind


@pytest.mark.parametrize(("entry", "message"), [
    ("{type: Despatch, words: 'despatch'}", "is not a lower-case word"),
    ("{type: despatch, words: 'despatch('}", "does not compile"),
    ("{type: despatch, words: '(?P<t>despatch)'}", "name no group"),
    ("{type: despatch}", "each entry is"),
])
def test_a_wrong_type_word_names_the_line(entry: str, message: str) -> None:
    with pytest.raises(EditionError) as err:
        block(f"""
            heading:
              type_words:
                - {entry}
        """)
    assert message in str(err.value) and "edition.yaml" in str(err.value)


def test_auto_finds_a_notes_block_after_the_documents_with_numbers_starting_again() -> None:
    seg = segment(FIX / "endnotes-superscript.txt")
    assert seg.layout is not None and seg.layout.notes_heading is not None
    assert "note texts in a block after the documents" in seg.layout.chosen
    built = build_all(FIX / "endnotes-superscript.txt")
    assert linked_notes(built) == [["1", "2"], [], ["1", "2"]]  # each note with its own document, in order
    assert "the customs house" in "".join(built[0].div.itertext())
    assert "annex to this volume" in "".join(built[2].div.itertext())


def test_a_series_word_before_the_number_publication_lines_and_described_content() -> None:
    """"CORRESPONDENT No. 2" starts a document (not a running head); "For the Daily
    Advertiser. Saturday, …" dates it without a place; "(1)" markers link to notes printed
    "1. …"; "[Music: …]" is the transcriber's description, neither supplied text nor a citation."""
    path = FIX / "series-papers.txt"
    seg = segment(path)
    assert [u.number for u in seg.units] == ["1", "2", "3"]
    built = build_all(path)
    assert [b.date.when if b.date else None for b in built] == ["1787-10-27", "1787-10-31", "1787-11-03"]
    assert [h.text for b in built for h in b.div.iter(f"{TEI}head")] == [
        "On the Harbour Dues", "The Same Subject Continued", "On the Lighthouse"]
    assert all(b.div.find(f".//{TEI}dateline/{TEI}placeName") is None for b in built)
    assert linked_notes(built) == [["1"], [], ["1", "2"]]
    first = built[0].div
    assert first.find(f".//{TEI}supplied") is None and first.find(f".//{TEI}bibl") is None
    described = [n for n in first.iter(f"{TEI}note") if n.get("type") == "editorial"]
    assert ["".join(n.itertext()) for n in described] == ["Music: A bar of the street song, two staves."]


def _letters(numbers: list[str]) -> str:
    return "".join(f"\n\n{n}\n\nTO A FRIEND.\n\nDEAR FRIEND,--\n\nI write to you about the garden, {k}.\n\n"
                   "Your friend,\n\nL.\n" for k, n in enumerate(numbers))


def test_year_lines_between_numbered_letters_are_dividers(tmp_path: Path) -> None:
    path = tmp_path / "letters.txt"
    path.write_text("LETTERS\n" + _letters(["12.", "13.", "14."]) + "\n\n1818.\n" + _letters(["15.", "16.", "17."])
                    + "\n\n1819.\n" + _letters(["18.", "19."]), encoding="utf-8")
    seg = segment(path)
    assert [u.number for u in seg.units] == [str(n) for n in range(12, 20)]
    assert [b.kind for b in seg.boilerplate].count("year divider") == 2
    assert not any("1818" in p.text for u in seg.units for p in u.head + u.body)


def test_years_that_number_every_document_are_its_numbers(tmp_path: Path) -> None:
    path = tmp_path / "annual.txt"
    path.write_text("REPORTS\n" + _letters(["1816.", "1817.", "1818.", "1819."]), encoding="utf-8")
    seg = segment(path)
    assert [u.number for u in seg.units] == ["1816", "1817", "1818", "1819"]


def test_a_numbered_document_whose_text_follows_its_number_is_headless(tmp_path: Path) -> None:
    prose = ("The first violin is from this day forth sent to the provinces, and the second is to keep "
             "the accounts of the society until the end of the season, when the members will meet again "
             "to decide what is to be done with the instruments.")
    path = tmp_path / "letters.txt"
    path.write_text("LETTERS\n" + _letters(["1.", "2.", "3."]) + f"\n\n4.\n\n{prose}\n\nL.\n"
                    + _letters(["5.", "6."]), encoding="utf-8")
    seg = segment(path)
    assert [u.number for u in seg.units] == ["1", "2", "3", "4", "5", "6"]
    fourth = seg.units[3]
    assert fourth.head == [] and fourth.body[0].text.startswith("The first violin")
    assert any("headless" in what for _, what in fourth.flags)
    assert all(u.head for i, u in enumerate(seg.units) if i != 3)


TELEGRAMS_SPLIT = """\
TELEGRAMS




TELEGRAM TO GENERAL SMITH.

WAR DEPARTMENT,

WASHINGTON, D. C., November 13, 1863.

GENERAL SMITH, Knoxville:

Your despatch of this morning is received. Hold the bridge at all costs until the
relief arrives, and report each evening by the wire.

A. LINCOLN.




TELEGRAM TO J. BROWN.

   [Cipher.]

EXECUTIVE MANSION, WASHINGTON, D. C., November 14, 1863.

J. BROWN, Peru, Ind.:

I cannot comprehend the object of your dispatch. I do not often decline seeing people
who call upon me, and will see you if you call.

A. LINCOLN.




TELEGRAM TO GENERAL GRANT.

WAR DEPARTMENT,

WASHINGTON, D. C., November 15, 1863.

GENERAL GRANT, Chattanooga:

Well done. Many thanks to all, and remember the army of the Potomac in your plans.

A. LINCOLN.
"""


def test_a_dateline_over_two_paragraphs_and_one_below_a_label(tmp_path: Path) -> None:
    """"WAR DEPARTMENT," then "WASHINGTON, D. C., November 13, 1863.": one dateline, not a
    second heading line; a dateline below "[Cipher.]" is the document's own, not a boundary."""
    from pipeline.review import boundary_flags

    path = tmp_path / "telegrams.txt"
    path.write_text(TELEGRAMS_SPLIT, encoding="utf-8")
    layout = block("""
        start:
          heading_rules: [all-caps-heading]
          gap: 3
        heading:
          continues: all-caps-heading
          max_paragraphs: 3
    """)
    seg = segment(path, layout)
    assert [" ".join(p.text for p in u.head) for u in seg.units] == [
        "TELEGRAM TO GENERAL SMITH.", "TELEGRAM TO J. BROWN.", "TELEGRAM TO GENERAL GRANT."]
    built = build_all(path, layout)
    places = [b.div.find(f".//{TEI}dateline/{TEI}placeName") for b in built]
    printed = [" ".join("".join(p.itertext()).split()) if p is not None else None for p in places]
    assert printed == ["WAR DEPARTMENT, WASHINGTON, D. C.", "EXECUTIVE MANSION, WASHINGTON, D. C.",
                       "WAR DEPARTMENT, WASHINGTON, D. C."]
    assert [b.date.when if b.date else None for b in built] == ["1863-11-13", "1863-11-14", "1863-11-15"]
    assert not [f for f in boundary_flags(seg, None) if f.kind == "missed boundary?"]


def test_a_text_that_opens_with_its_date_is_dated_by_it(tmp_path: Path) -> None:
    text = TELEGRAMS_SPLIT + ("\n\n\n\nMEMORANDUM OF ADDITIONS TO THE INSTRUCTIONS.\n\n"
                              "November 17, 1863. You will keep the separate command of the forces taken\n"
                              "with you, and report to this department each day.\n\nA. LINCOLN.\n")
    path = tmp_path / "telegrams.txt"
    path.write_text(text, encoding="utf-8")
    built = build_all(path, block("""
        start:
          heading_rules: [all-caps-heading]
          gap: 3
    """))
    memo = built[-1]
    assert memo.date is not None and memo.date.when == "1863-11-17"
    date = memo.div.find(f".//{TEI}opener/{TEI}dateline/{TEI}date")
    assert date is not None and date.get("when") == "1863-11-17" and date.get("evidence") == "internal"


def test_exhibit_and_enclosure_lines_number_documents_in_arabic_or_roman(tmp_path: Path) -> None:
    path = tmp_path / "exhibits.txt"
    path.write_text("THE WHITE BOOK\n" + _letters(["EXHIBIT I.", "EXHIBIT 2.", "EXHIBIT 2a.", "EXHIBIT 3.",
                                                   "Enclosure 4."]), encoding="utf-8")
    seg = segment(path)
    assert [u.number for u in seg.units] == ["I", "2", "2a", "3", "4"]
    epistles = _letters(["LETTER X.", "LETTER XI.", "LETTER XII.", "LETTER XIII."])
    path.write_text("EPISTLES\n" + epistles, encoding="utf-8")
    assert [u.number for u in segment(path).units] == ["X", "XI", "XII", "XIII"]


def test_headed_documents_and_a_section_of_messages_that_open_with_their_dates() -> None:
    """All-caps headings start some documents and datelines others; a heading with no text
    over the dated messages ("SPECIAL MESSAGES.") heads a section and is no document."""
    seg = segment(FIX / "headed-and-dated.txt")
    heads = [" ".join(p.text for p in u.head) or None for u in seg.units]
    assert heads == ["LETTER FROM THE PRESIDENT ELECT.", "INAUGURAL ADDRESS.", None, None, None, "EXECUTIVE ORDER."]
    assert any(b.kind == "section heading" and "SPECIAL MESSAGES." in b.text for b in seg.boilerplate)
    built = build_all(FIX / "headed-and-dated.txt")
    assert [b.date.when if b.date else None for b in built][2:] == ["1829-03-06", "1829-03-09", "1829-03-11",
                                                                    "1829-04-08"]
