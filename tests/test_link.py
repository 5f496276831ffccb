"""The linker: the matcher on verbatim snippets of the sources, linking a fresh conversion
(correspondents, cross-references, idempotence, hand edits, pointers), and its precision
on the hand-checked sample tests/fixtures/link_sample.yaml."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from lxml import etree

from pipeline.cli import main
from pipeline.link import link_edition, load_register
from pipeline.recognise.names import Entry, Matcher, Office, OfficeIndex, office_key, split_mentions
from pipeline.write import TeiStore

from .conftest import ROOT

NS = {"t": "http://www.tei-c.org/ns/1.0"}
T = "{http://www.tei-c.org/ns/1.0}"
NAMES = {T + "persName", T + "placeName", T + "orgName"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def register():
    return load_register(ROOT / "tei" / "registers.xml")


def found(register, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.ids) for m in register.matcher.find(text)]


# -- the matcher on snippets of the sources --------------------------------------------------

def test_inflected_and_garbled_forms(register) -> None:
    # 003 headings: Russian case endings and garbled initials
    assert found(register, "the plenipotentiary representative of the USSR in the Turkish republic ca. Vinogradova "
                           "in the NKID USSR")[-2] == ("ca. Vinogradova", ("p_vinogradov",))
    assert ("Agitlerom", ("p_hitler",)) in found(register, "V.M. Molotov with Reichscanzler of Germany Agitlerom")
    assert ("f. Schule n. Burg", ("p_schulenburg",)) in found(register, "the ambassador of Germany in the USSR "
                                                                         "f. Schule n. Burg")
    assert ("A. Shkvartsevu", ("p_shkvartsev",)) in found(register, "in Germany A. Shkvartsevu")
    assert ("Savinogradov", ("p_vinogradov",)) in found(register, "in the Turkish republic Savinogradov")


def test_variant_spellings_of_one_person(register) -> None:
    assert found(register, "Legran arrived with a draft treaty") == [("Legran", ("p_legran",))]
    assert ("B.V. Legrand", ("p_legran",)) in found(register, "in Armenia B.V. Legrand")
    assert found(register, "Natsarenus") == [("Natsarenus", ("p_natsarenus",))]
    assert found(register, "Natsarenius") == [("Natsarenius", ("p_natsarenus",))]


def test_lower_cased_initials_and_names(register) -> None:
    assert ("v. M. Molotov", ("p_molotov",)) in found(register, "foreign affairs of the USSR v. M. Molotov")
    assert ("m. M. Litvinov", ("p_litvinov",)) in found(register, "commissioner m. M. Litvinov")
    assert found(register, "made friends with angora.") == [("angora", ("pl_ankara",))]
    assert found(register, "has turned to berlin for help") == [("berlin", ("pl_berlin",))]
    assert ("black sea", ("pl_black_sea",)) in found(register, "ships from the black sea to the white sea")


def test_common_words_and_parts_of_words_are_not_names(register) -> None:
    assert found(register, "the turkey and the grand old union") == []
    assert found(register, "the Soviet-Iranian treaty of 1921") == []  # not "Iran" inside "Iranian"
    assert found(register, "Franco-Turkish relations") == []  # not Franco
    assert found(register, "Thomson-type stenautomatic rifles") == []
    assert ("Veli", ("p_veli",)) not in found(register, "Dagna mountains (3829) - Veli-dag (4121)")
    assert found(register, "the straits") == []


def test_hyphenated_honorific_and_possessive(register) -> None:
    assert found(register, "Memduh Shevket‐bey, the plenipotentiary") == [("Memduh Shevket", ("p_memduh_shevket",))]
    assert found(register, "Molotov's visit") == [("Molotov", ("p_molotov",))]
    assert found(register, "Mr. Frunzeʹs arrival") == [("Frunze", ("p_frunze",))]  # U+02B9 apostrophe


def test_longest_form_wins_and_titles_are_not_initials(register) -> None:
    assert found(register, "Mustafa Kemal Pasha") == [("Mustafa Kemal Pasha", ("p_ataturk",))]
    assert found(register, "Mr. Ali Fuad pasha") == [("Ali Fuad pasha", ("p_ali_fuad",))]
    assert found(register, "c. Molotov, c. Voroshilov") == [("Molotov", ("p_molotov",)),
                                                            ("Voroshilov", ("p_voroshilov",))]


def test_ambiguous_forms_return_every_candidate(register) -> None:
    (m,) = register.matcher.find("if Kemal reaches an agreement with the Entente,")[:1]
    assert m.text == "Kemal" and m.ambiguous and set(m.ids) == {"p_ataturk", "p_yusuf_kemal"}
    (m,) = register.matcher.find("mechanic Ivanov were put in a French military prison")
    assert m.ambiguous and "p_ivanov_mechanic" in m.ids


def test_a_form_marked_ambiguous_under_one_entry_is_ambiguous(register) -> None:
    # the journal Mezhdunarodnaya zhizn, and the ordinary phrase (blind sample, 003)
    (m,) = register.matcher.find("all phases of international life for such a long period")
    assert m.ids == ("org_mezhdunarodnaya_zhizn",) and m.ambiguous
    (m,) = register.matcher.find("Narkomindel")  # the NKID, or the Azerbaijani commissar's title
    assert m.ids == ("org_nkid",) and m.ambiguous
    e = [Entry("org_j", "org", "Life", ("Life", "daily life"), frozenset({"daily life"}))]
    assert [(x.text, x.ambiguous) for x in Matcher(e).find("Life on daily life")] == [("Life", False),
                                                                                      ("daily life", True)]


def test_small_register() -> None:
    entries = [Entry("p_a", "person", "Anna Berg", ("Anna Berg", "Berg")),
               Entry("pl_b", "place", "Bergen", ("Bergen",)),
               Entry("p_c", "person", "Carl Berg", ("Carl Berg", "Berg"), frozenset({"Berg"})),
               Entry("org_x", "org", "Grand Council", ("Grand Council",))]
    m = Matcher(entries)
    ms = m.find("Anna Berg met Berg in Bergen; the grand council, the Grand Council")
    assert [(x.text, x.ids) for x in ms] == [("Anna Berg", ("p_a",)), ("Berg", ("p_a", "p_c")),
                                            ("Bergen", ("pl_b",)), ("grand council", ("org_x",)),
                                            ("Grand Council", ("org_x",))]
    assert m.find("Bergenfield") == [] and [x.text for x in m.find("berg")] == ["berg"]


def test_offices_and_whole_names() -> None:
    e = [Entry("p_n", "person", "N", ("N",), offices=(
        Office("x", office_key("plenipotentiary representative of the RSFSR in Turkey"), "1921-05", "1921-12"),)),
        Entry("org_k", "org", "NKID", ("NKID", "people's commissariat of foreign affairs of the USSR"))]
    idx = OfficeIndex(e)
    assert idx.by_office("the plenipotentiary representative of the RSFSR in Turkey", "1921-09-18") == ["p_n"]
    assert idx.by_office("the plenipotentiary representative of the RSFSR in Turkey", "1922-03-07") == []
    assert idx.by_office("the plenipotentiary representative of the RSFSR in Turkey", "1921") == ["p_n"]
    assert idx.by_whole_name("the people's commissariat for foreign affairs of the USSR") == ["org_k"]
    assert office_key("the peopleʹs commissioner for foreign affairs") == ("people's", "commissar", "of",
                                                                          "foreign", "affairs")


def test_split_mentions_of_two_senders(register) -> None:
    text = ("I. Stalin and Member of the Caucasian Bureau of the Central Committee of the RCP(b) and the "
            "Revolutionary Military Council of the Caucasian Front, G. Ordzhonikidze")
    persons = [m for m in register.matcher.find(text) if m.kind == "person"]
    parts = split_mentions(text, persons)
    assert [p for p, _ in parts] == ["I. Stalin", text[len("I. Stalin and "):]]


# -- linking a fresh conversion --------------------------------------------------------------

@pytest.fixture(scope="module")
def linked(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the converted edition with the registers, linked once."""
    project = tmp_path_factory.mktemp("linked") / "project"
    shutil.copytree(converted, project)
    shutil.copy(ROOT / "tei" / "registers.xml", project / "tei" / "registers.xml")
    report = link_edition(project / "tei")
    assert report.documents > 190 and report.written  # one file per document (printings merged)
    return project


def docs(project: Path) -> list[tuple[Path, etree._ElementTree]]:
    return [(f, etree.parse(str(f))) for f in sorted((project / "tei").glob("*/*.xml"))]


def test_every_ref_resolves(linked: Path) -> None:
    reg = load_register(linked / "tei" / "registers.xml")
    n = 0
    for f, tree in docs(linked):
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("ref", "who"):
                for ptr in (el.get(attr) or "").split():
                    if "registers.xml#" in ptr:
                        assert (f.parent / ptr.split("#")[0]).resolve() == (linked / "tei" / "registers.xml")
                        assert ptr.split("#")[1] in reg.entries, f"{f.name}: {ptr}"
                        n += 1
            if el.tag == T + "ref" and el.get("type") == "document" and el.get("target"):
                path, _, frag = el.get("target").partition("#")
                assert (f.parent / path).exists(), f"{f.name}: {el.get('target')}"
                assert not frag or frag in reg.entries, f"{f.name}: {el.get('target')}"
    assert n > 8000


def test_every_correspondent_resolves(linked: Path) -> None:
    actions = 0
    for f, tree in docs(linked):
        for action in tree.iterfind(".//t:correspDesc/t:correspAction", NS):
            actions += 1
            assert action.find("t:name", NS) is None, f"{f.name}: unresolved {action.get('type')}"
            names = action.findall("t:persName", NS) + action.findall("t:orgName", NS)
            assert names and all(n.get("ref") for n in names), f.name
    assert actions > 200


def test_correspondents_on_examples(linked: Path) -> None:
    def refs(doc: str, kind: str) -> list[str]:
        tree = etree.parse(str(next((linked / "tei").glob(f"*/{doc}.xml"))))
        action = tree.find(f".//t:correspAction[@type='{kind}']", NS)
        return [c.get("ref").split("#")[1] for c in action if c.get("ref")]
    assert refs("nk-562", "sent") == ["p_stalin", "p_ordzhonikidze", "pl_baku"]  # two senders, dateline place
    assert refs("sdn-19210820", "sent") == ["p_natsarenus"]  # by the signature
    assert refs("ssd-19210918", "sent") == ["p_natsarenus"]  # no signature: by the dated office
    assert refs("ssd-19370602", "sent") == ["p_karsky"]  # by the dated office (Karakhan left in 1937)
    assert refs("ssd-19400319", "received") == ["org_nkid"]  # by the whole name
    assert refs("ssd-19401126", "sent") == ["p_vinogradov"]  # "ca. Vinogradova"


def test_names_are_linked_in_the_text_but_not_in_labels_dates_or_words(linked: Path) -> None:
    counts: Counter[str] = Counter()
    for f, tree in docs(linked):
        body = tree.find(".//t:text/t:body", NS)
        for el in body.iter(*NAMES):
            counts[el.tag] += 1
            assert not any(a.tag in (T + "label", T + "date", T + "idno", T + "ref") for a in el.iterancestors()), \
                f"{f.name}: a link inside a label, date, idno or ref"
            if el.get("type") != "archive":
                assert not any(a.tag in NAMES for a in el.iterancestors()), f"{f.name}: nested names"
        assert tree.find(".//t:teiHeader//t:titleStmt//t:persName", NS) is None, "the header title is left alone"
    assert counts[T + "persName"] > 2500 and counts[T + "placeName"] > 5000 and counts[T + "orgName"] > 300


def test_cross_references(linked: Path) -> None:
    seen = 0
    for f, tree in docs(linked):
        for ref in tree.iterfind(".//t:ref[@type='document'][@n]", NS):
            seen += 1
            # the notes of 001/003 cite documents of the printed series (DVP), not in the edition
            assert ref.get("target") == "../registers.xml#org_dvp", f.name
    assert seen >= 10
    rows = list(csv.DictReader((linked / "out" / "reports" / "links.csv").open(encoding="utf-8")))
    refs = [r for r in rows if r["kind"] == "cross-reference"]
    assert len(refs) == seen
    assert any("document 342 of volume III" in r["context"] for r in refs)  # "see vol. III, document no. 342"


def test_a_numbered_collection_citing_its_own_document_is_linked_inside(converted: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(converted, project)
    shutil.copy(ROOT / "tei" / "registers.xml", project / "tei" / "registers.xml")
    target = project / "tei" / "nk" / "nk-569.xml"
    # an editor adds a compilers' cross-reference, as 003 prints them, to the Barsegov collection
    text = target.read_text(encoding="utf-8").replace(
        "Speak with Gittis", 'Speak with Gittis (<ref type="document" n="568">see doc. No. 568</ref>)', 1)
    target.write_text(text, encoding="utf-8")
    link_edition(project / "tei")
    ref = etree.parse(str(target)).find(".//t:ref[@n='568']", NS)
    assert ref.get("target") == "../nk/nk-568.xml"


def test_a_periodical_is_linked_in_a_publication_reference_only(linked: Path) -> None:
    def refs(doc: str) -> list[tuple[str, str | None]]:
        tree = etree.parse(str(next((linked / "tei").glob(f"*/{doc}.xml"))))
        return [(el.text, (el.get("ref") or "").split("#")[-1]) for el in tree.iterfind(".//t:text//t:orgName", NS)]
    # "Publ. : international life. - 1991": the journal
    assert ("international life", "org_mezhdunarodnaya_zhizn") in refs("ssd-19401113b")
    # "the aggressive tendencies manifesting in international life": the phrase
    assert not any(t == "international life" for t, _ in refs("ssd-19370717"))


def test_report_lists_ambiguous_mentions(linked: Path) -> None:
    rows = list(csv.DictReader((linked / "out" / "reports" / "links.csv").open(encoding="utf-8")))
    assert rows and set(rows[0]) == {"file", "line", "kind", "text", "candidates", "context"}
    kemal = [r for r in rows if r["kind"] == "ambiguous" and r["text"] == "Kemal"]
    assert kemal and all("p_ataturk" in r["candidates"] and "p_yusuf_kemal" in r["candidates"] for r in kemal)


def test_linking_twice_changes_nothing(linked: Path) -> None:
    before = {p: p.read_bytes() for p in (linked / "tei").rglob("*") if p.is_file()}
    report = link_edition(linked / "tei")
    assert report.written == []
    assert {p: p.read_bytes() for p in (linked / "tei").rglob("*") if p.is_file()} == before


def test_linked_files_are_not_taken_for_hand_edits(linked: Path) -> None:
    store = TeiStore(linked / "tei")
    assert not [p for p in (linked / "tei").glob("*/*.xml") if store.is_hand_edited(p)]
    assert main(["link", "-q", "--config", str(linked / "edition.yaml")]) == 0


def test_hand_edits_are_kept_and_stay_recorded_as_hand_edits(converted: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(converted, project)
    shutil.copy(ROOT / "tei" / "registers.xml", project / "tei" / "registers.xml")
    target = project / "tei" / "nk" / "nk-562.xml"
    text = target.read_text(encoding="utf-8")
    # an editor identifies a person the register does not know, and corrects a word
    edited = text.replace("Legran arrived with a draft treaty",
                          'Legran arrived with a <persName ref="#x-courier">draft</persName> treaty, with Narimanov')
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    link_edition(project / "tei")
    after = target.read_text(encoding="utf-8")
    assert '<persName ref="#x-courier">draft</persName>' in after
    assert '<persName ref="../registers.xml#p_narimanov">Narimanov</persName>' in after  # links added
    assert TeiStore(project / "tei").is_hand_edited(target)
    # and the converter still refuses to overwrite it
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 1


# -- precision on the hand-checked sample ----------------------------------------------------

def document_file(project: Path, doc: str) -> Path:
    """The file of a document, or of the document a printing was merged into (its listWit)."""
    own = next((project / "tei").glob(f"*/{doc}.xml"), None)
    if own is not None:
        return own
    return next(p for p in (project / "tei").glob("*/*.xml") if f'<witness xml:id="{p.stem}-w-{doc}"' in p.read_text(
        encoding="utf-8"))


def linear(tree: etree._ElementTree) -> tuple[str, list[str | None]]:
    """The body's text, whitespace collapsed, with the register id each character is linked to."""
    chars: list[str] = []
    refs: list[str | None] = []

    def ref_of(el: etree._Element | None) -> str | None:
        while el is not None:
            if el.tag in NAMES and el.get("ref"):
                return el.get("ref").split("#")[-1]
            el = el.getparent()
        return None

    def add(text: str, ref: str | None) -> None:
        for ch in text:
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            refs.append(ref)

    def walk(el: etree._Element) -> None:
        if isinstance(el.tag, str) and el.text:
            add(el.text, ref_of(el))
        for child in el:
            if child.tag != f"{{{NS['t']}}}rdg":  # the base text: other witnesses' readings left out
                walk(child)
            if child.tail:
                add(child.tail, ref_of(el))

    walk(tree.find(".//t:text/t:body", NS))
    return "".join(chars), refs


def measure(sample: list[dict[str, str]], project: Path) -> dict[str, object]:
    """Precision (and recall) of the links in `project` on a sample of mentions: each item's
    text is found in its document's body and the entry its mention is linked to compared
    with the expected one. Items judged `unsure` are left out."""
    cache: dict[str, tuple[str, list[str | None]]] = {}
    made = correct = expected_links = recalled = unsure = 0
    missing, wrong = [], []
    for item in sample:
        doc = item["doc"]
        if doc not in cache:
            cache[doc] = linear(etree.parse(str(document_file(project, doc))))
        text, refs = cache[doc]
        before, rest = item["text"].split("[[", 1)
        mention, after = rest.split("]]", 1)
        at = text.find(before + mention + after)
        if at < 0:  # a printing merged into another document: the base's hyphens (same length)
            at = text.replace("\u2010", "-").find((before + mention + after).replace("\u2010", "-"))
        if at < 0:
            missing.append((doc, item["text"]))
            continue
        if item.get("verdict") == "unsure":
            unsure += 1
            continue
        span = refs[at + len(before):at + len(before) + len(mention)]
        ids = Counter(r for r in span if r)
        got = ids.most_common(1)[0][0] if ids and sum(ids.values()) * 2 >= len(span) else "none"
        exp = item["expected"]
        if exp != "none":
            expected_links += 1
            recalled += got == exp
        if got != "none":
            made += 1
            if got == exp:
                correct += 1
            else:
                wrong.append((doc, item["text"], exp, got))
    return {"checked": len(sample) - len(missing), "missing": missing, "unsure": unsure, "made": made,
            "correct": correct, "wrong": wrong, "recalled": recalled, "expected_links": expected_links}


@pytest.mark.parametrize(("fixture", "least"), [
    ("link_sample.yaml", 100),  # hand-checked, drawn after the register was tuned
    ("link_sample_blind.yaml", 200),  # blind: 200 links drawn at random (80 persons, 80 places, 40 orgs)
])
def test_precision_on_the_hand_checked_sample(linked: Path, fixture: str, least: int) -> None:
    sample = yaml.safe_load((ROOT / "tests" / "fixtures" / fixture).read_text(encoding="utf-8"))
    r = measure(sample, linked)
    assert r["checked"] >= least, f"the sample lost items (the text changed?): {r['missing']}"
    precision = r["correct"] / r["made"]
    print(f"\n{fixture}: {r['checked']} mentions ({r['unsure']} unsure, left out), {r['made']} links, "
          f"precision {precision:.3f} ({r['correct']}/{r['made']}), recall {r['recalled']}/{r['expected_links']}")
    assert precision >= 0.95, r["wrong"]
