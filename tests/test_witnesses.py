"""One document, several witnesses: detection, collation and the merged TEI."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.config import load_config
from pipeline.convert import convert_all
from pipeline.errors import EditionError
from pipeline.witnesses.collate import Normalisation, align
from pipeline.witnesses.detect import Candidate, classify, find_pairs
from pipeline.witnesses.merge import merge_documents

ROOT = Path(__file__).resolve().parent.parent
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
NORM = Normalisation(equivalents=(("ʹ", "'"),))


def document(doc_id: str, source: str, body: str) -> etree._Element:
    return etree.fromstring(f"""<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><publisher>P</publisher></publicationStmt><sourceDesc>
<bibl type="collection" corresp="../edition.xml#coll-{source}"><title level="m">{source}</title></bibl>
</sourceDesc></fileDesc><revisionDesc><change>converted</change></revisionDesc></teiHeader>
<text><body><div type="document" subtype="letter" xml:id="{doc_id}">{body}</div></body></text></TEI>""")


BASE = """<head>Letter to the ambassador</head>
<p>The government of Turkey accepts the proposal. It will send its delegates to Kars in September.</p>
<p>The conference will open on the 26th.<note type="compiler" n="*" place="foot"><label>*</label>The date
was later changed.</note> Both sides agree.</p>
<note type="source">AVP RF, f. 04, op. 39, d. 232, l. 12.</note>"""

OTHER = """<head>Letter to the Ambassador.</head>
<p>The government of Turkey rejects the proposal. It will send its delegates to Kars in September.</p>
<p>The conference will open on the 26th. Both sides agree.</p>
<note type="source">AVP RF, f. 04, op. 39, d. 232, l. 12.</note>"""


def merged(base: str = BASE, other: str = OTHER) -> etree._Element:
    trees = {"a-1": document("a-1", "a", base), "b-1": document("b-1", "b", other)}
    return merge_documents(trees, ["a-1", "b-1"], {"b-1": 0.9}, NORM, {"a-1": "a/a-1.xml", "b-1": "b/b-1.xml"})


def readings(root: etree._Element) -> list[tuple[str, str, str, str]]:
    out = []
    for app in root.iter(f"{{{TEI}}}app"):
        lem = app.find("t:lem", NS)
        [rdg] = app.findall("t:rdg", NS)
        assert lem is not None
        out.append((app.get("type", ""), " ".join("".join(lem.itertext()).split()),
                    " ".join("".join(rdg.itertext()).split()), rdg.get("wit", "")))
    return out


def test_synthetic_pair_gives_exactly_its_differences() -> None:
    """A word changed, a sentence omitted, a note only in one witness; case and punctuation
    of the heading are not variants."""
    other = OTHER.replace(" It will send its delegates to Kars in September.", "")
    root = merged(other=other)
    assert readings(root) == [
        ("substantive", "accepts", "rejects", "#a-1-w-b-1"),
        ("omission", "It will send its delegates to Kars in September.", "", "#a-1-w-b-1"),
        ("omission", "*The date was later changed.", "", "#a-1-w-b-1"),
    ]
    note_app = root.findall(".//t:app", NS)[2]
    assert note_app.find("t:lem/t:note", NS) is not None  # the note itself is the base's reading
    assert [w.get("n") for w in root.iterfind(".//t:listWit/t:witness", NS)] == ["a-1", "b-1"]
    for app in root.iter(f"{{{TEI}}}app"):
        assert app.find("t:lem", NS).get("wit") == "#a-1-w-a-1"  # type: ignore[union-attr]


def test_note_only_in_the_other_witness_is_its_reading() -> None:
    root = merged(base=OTHER, other=BASE)
    [(kind, lem, rdg, wit)] = [r for r in readings(root) if r[0] == "addition"]
    assert (lem, rdg, wit) == ("", "*The date was later changed.", "#a-1-w-b-1")
    note = root.find(".//t:rdg/t:note", NS)
    assert note is not None and note.get("{http://www.w3.org/XML/1998/namespace}id") == "a-1-fn1"


def test_each_witness_reads_whole() -> None:
    """Reading the lems gives the base text, reading a witness's rdgs gives that witness."""
    root = merged()
    div = root.find(".//t:div", NS)
    assert div is not None

    def read(wit: str) -> str:
        words: list[str] = []

        def walk(el: etree._Element) -> None:
            if el.tag == f"{{{TEI}}}note":
                return
            if el.tag == f"{{{TEI}}}app":
                for r in el:
                    if wit in r.get("wit", "").split():
                        walk(r)
            else:
                words.extend((el.text or "").split())
                for child in el:
                    walk(child)
                    words.extend((child.tail or "").split())
        walk(div)
        return " ".join(words)

    original = document("b-1", "b", OTHER).find(".//t:div", NS)
    assert original is not None
    for note in original.iter(f"{{{TEI}}}note"):
        note.getparent().remove(note)  # type: ignore[union-attr]
    assert NORM.key(read("#a-1-w-b-1")) == NORM.key(" ".join("".join(original.itertext()).split()))


def test_transposition_is_found() -> None:
    base = BASE.replace("in September.", "early in September.")
    other = OTHER.replace("It will send its delegates to Kars in September.",
                          "Early in September it will send its delegates to Kars.")
    found = readings(merged(base=base, other=other))
    assert ("transposition", "", "Early in September", "#a-1-w-b-1") in found
    assert ("transposition", "early in September.", "", "#a-1-w-b-1") in found


def _stretches(columns: list[tuple[str | None, str | None]]) -> set[tuple[str, str]]:
    """Consecutive columns where the witnesses differ, joined: (A's words, B's words)."""
    out: set[tuple[str, str]] = set()
    a: list[str] = []
    b: list[str] = []
    for x, y in [*columns, ("", "")]:
        if x is not None and x == y:
            if a or b:
                out.add((" ".join(a), " ".join(b)))
            a, b = [], []
        else:
            a.extend([x] if x else [])
            b.extend([y] if y else [])
    return out


def test_alignment_matches_collatex() -> None:
    """Our alignment gives the same variant readings as CollateX on pairs with changed,
    added and omitted words (CollateX is a test dependency only: it needs over a minute
    for two 2,000-word witnesses, benchmarks/collate_bench.py)."""
    collatex = pytest.importorskip("collatex")
    import json

    pairs = [
        ("the cat sat on the mat today", "the black cat sat on a mat"),
        ("we accept the proposal of the government of turkey", "we reject the proposal of the turkish government"),
        ("one two three four five six seven", "one two four five six seven eight"),
        ("the commissar sent a note to ankara on the fifth of june and asked for a reply",
         "the commissar sent a long note to angora on the fifth and asked for an early reply"),
    ]
    for a, b in pairs:
        wa, wb = a.split(), b.split()
        ours = set()
        for tag, i1, i2, j1, j2 in align(wa, wb):
            if tag != "equal":
                ours.add((" ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
        c = collatex.Collation()
        c.add_plain_witness("A", a)
        c.add_plain_witness("B", b)
        table = json.loads(collatex.collate(c, output="json", segmentation=False, near_match=False))["table"]
        columns = [(ca[0]["n"] if ca else None, cb[0]["n"] if cb else None) for ca, cb in zip(*table, strict=True)]
        assert ours == _stretches(columns), (a, b)


def test_detection_kinds() -> None:
    a, b = Candidate("a", "", "1920-06-17"), Candidate("b", "", "1920-06-17")
    assert classify(a, b, 0.95, 0.93, 100, merge_at=0.8, review_at=0.2, min_shingles=20).merge  # type: ignore[union-attr]
    excerpt = classify(a, b, 0.95, 0.2, 100, merge_at=0.8, review_at=0.2, min_shingles=20)
    assert excerpt is not None and excerpt.kind == "excerpt" and not excerpt.merge
    overlap = classify(a, b, 0.4, 0.3, 100, merge_at=0.8, review_at=0.2, min_shingles=20)
    assert overlap is not None and overlap.kind == "overlap" and not overlap.merge
    assert classify(a, b, 0.1, 0.05, 100, merge_at=0.8, review_at=0.2, min_shingles=20) is None
    short = classify(a, b, 1.0, 1.0, 5, merge_at=0.8, review_at=0.2, min_shingles=20)
    assert short is not None and not short.merge
    other_day = classify(a, Candidate("b", "", "1920-06-18"), 1.0, 1.0, 100, merge_at=0.8, review_at=0.2,
                         min_shingles=20)
    assert other_day is not None and not other_day.merge


def test_excerpt_is_found_with_its_share() -> None:
    words = " ".join(f"word{i} is followed by another sentence number {i}." for i in range(60))
    excerpt = "From the report: " + " ".join(words.split()[100:200])
    [pair] = find_pairs([Candidate("whole", words), Candidate("part", excerpt)])
    assert pair.kind == "excerpt" and not pair.merge
    assert pair.share_b > 0.9 and pair.share_a < 0.3


@pytest.fixture(scope="module")
def conversion():  # type: ignore[no-untyped-def]
    return convert_all(load_config(ROOT / "edition.yaml"))


# The documents the issue names as printed twice (issue 14): three Kars notes in sdn and ssd,
# two sdr documents again in ssd, one record of a conversation printed twice in ssd.
KNOWN_PAIRS = {frozenset(p) for p in (
    ("sdn-19210820", "ssd-19210820"), ("sdn-19210820b", "ssd-19210820b"), ("sdn-19210824", "ssd-19210824"),
    ("sdr-19200617", "ssd-19200617"), ("sdr-19201106", "ssd-19201106"), ("ssd-19401115", "ssd-19401115c"))}


def test_the_six_known_pairs_are_merged(conversion) -> None:  # type: ignore[no-untyped-def]
    """The six known pairs, and nothing else, are merged; the printings of a merge link each
    other (one detection: there is no second search for duplicates)."""
    plan = conversion.witnesses
    assert {frozenset(g.witnesses) for g in plan.groups} == KNOWN_PAIRS
    linked = {frozenset((d.id, o.id)) for d in conversion.documents for o, _ in d.related}
    assert linked == KNOWN_PAIRS
    assert not [f for _, f in conversion.flags if f.kind == "duplicate"]
    for g in plan.groups:
        assert g.shares[g.witnesses[1]] >= 0.9
        sources = [next(d.source.id for d in conversion.documents if d.id == w) for w in g.witnesses]
        rank = list(conversion.edition.witnesses.base)
        assert rank.index(sources[0]) <= rank.index(sources[1])  # the base by the preferred order
    merges = [f for _, f in conversion.flags if f.kind == "witness merge"]
    assert len(merges) == 6 and all("shared text" in f.message for f in merges)


def test_unrelated_documents_of_one_day_are_not_merged(conversion) -> None:  # type: ignore[no-untyped-def]
    by_day: dict[str, list[str]] = {}
    for d in conversion.documents:
        if d.built.date is not None and d.built.date.when:
            by_day.setdefault(d.built.date.when[:10], []).append(d.id)
    merged_ids = {w for g in conversion.witnesses.groups for w in g.witnesses}
    same_day = [ids for ids in by_day.values() if len(ids) > 1 and not set(ids) & merged_ids]
    assert len(same_day) > 5
    for g in conversion.witnesses.groups:
        assert len(g.witnesses) == 2


def test_merged_tei_of_the_edition(converted: Path) -> None:
    """The converted edition holds one file per document: the merged-away printings are gone,
    the merged document lists both witnesses and carries the 20-page report's variants."""
    tei = converted / "tei"
    assert not (tei / "ssd" / "ssd-19200617.xml").exists()
    root = etree.parse(str(tei / "sdr" / "sdr-19200617.xml")).getroot()
    wits = root.findall(".//t:listWit/t:witness", NS)
    assert [w.get("n") for w in wits] == ["sdr-19200617", "ssd-19200617"]
    assert wits[1].find("t:bibl/t:ref[@type='origin']", NS) is not None
    apps = {("".join(a.find("t:lem", NS).itertext()), "".join(a.find("t:rdg", NS).itertext()))  # type: ignore[union-attr]
            for a in root.iter(f"{{{TEI}}}app")}
    assert ("Tsentrosoyuz,", "Tsentosoyuz,") in apps
    assert root.find(".//t:relatedItem", NS) is None  # the link to the other printing became the listWit
    from pipeline import validate as v

    schemas = v.Schemas.load(ROOT / "pipeline" / "schemas")
    files = [tei / "sdr" / "sdr-19200617.xml", *sorted((tei / "sdn").glob("*.xml")), tei / "ssd" / "ssd-19401115.xml"]
    findings = [f for f in v.validate_files(files, schemas).findings
                if f.rule != "xml-model" and "registers.xml" not in f.message]  # no schemas/registers here
    assert not [f for f in findings if f.severity == "error"], findings


def test_overrides_split_and_force(tmp_path: Path, conversion) -> None:  # type: ignore[no-untyped-def]
    from .conftest import make_project

    project = make_project(tmp_path / "p")
    (project / "tei").mkdir(exist_ok=True)
    (project / "tei" / "witnesses.yaml").write_text(
        "merge:\n  - witnesses: [ssd-19210316, ssd-19211013]\n    base: ssd-19211013\n"
        "split:\n  - [ssd-19401115, ssd-19401115c]\n", encoding="utf-8")
    conv = convert_all(load_config(project / "edition.yaml"))
    groups = {g.witnesses for g in conv.witnesses.groups}
    assert ("ssd-19211013", "ssd-19210316") in groups
    assert not any("ssd-19401115c" in g for g in groups)
    assert any("kept apart" in f.message for _, f in conv.flags)
    (project / "tei" / "witnesses.yaml").write_text("merge:\n  - witnesses: [ssd-19210316, nope]\n",
                                                    encoding="utf-8")
    with pytest.raises(EditionError) as err:
        convert_all(load_config(project / "edition.yaml"))
    assert err.value.line == 2 and "nope" in str(err.value)


def test_bad_rule_in_edition_yaml_names_its_line(tmp_path: Path) -> None:
    from .conftest import make_project

    project = make_project(tmp_path / "p")
    text = (project / "edition.yaml").read_text(encoding="utf-8").replace("merge_at: 0.8", "merge_at: lots")
    (project / "edition.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as err:
        load_config(project / "edition.yaml")
    assert "merge_at" in str(err.value) and err.value.line


def test_overrides_outside_the_project_are_refused(tmp_path: Path) -> None:
    from .conftest import make_project

    project = make_project(tmp_path / "p")
    text = (project / "edition.yaml").read_text(encoding="utf-8")
    (project / "edition.yaml").write_text(text.replace("overrides: tei/witnesses.yaml", "overrides: ../../x.yaml"),
                                          encoding="utf-8")
    with pytest.raises(EditionError) as err:
        convert_all(load_config(project / "edition.yaml"))
    assert "inside the project" in str(err.value)
