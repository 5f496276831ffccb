"""The registers (tei/registers.xml): well-formed TEI, ids unique and well formed, every form
unique across entries unless marked as ambiguous, offices dated, coverage of the edition."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from pipeline.link import load_register
from pipeline.recognise.names import COMMON_WORDS, office_key, strip_qualifier

from .conftest import ROOT

REGISTERS = ROOT / "tei" / "registers.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
KINDS = {"person": ("persName", "p_"), "place": ("placeName", "pl_"), "org": ("orgName", "org_")}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ARCHIVES = {"arch-avprf", "arch-aprf", "arch-rgaspi", "arch-rgva", "arch-nara"}


@pytest.fixture(scope="module")
def tree() -> etree._ElementTree:
    return etree.parse(str(REGISTERS))


def entries(tree: etree._ElementTree) -> list[tuple[str, etree._Element]]:
    return [(kind, el) for kind in KINDS for el in tree.iterfind(f".//t:{kind}", NS)]


def test_is_a_tei_file_with_the_edition_schemas(tree: etree._ElementTree) -> None:
    root = tree.getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    pis = [pi.text for pi in root.itersiblings(preceding=True) if isinstance(pi, etree._ProcessingInstruction)]
    assert any('href="../schemas/edition.rng"' in p for p in pis)
    assert any('href="../schemas/edition.sch"' in p for p in pis)
    assert REGISTERS.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    for name in ("listPerson", "listPlace", "listOrg"):
        assert tree.find(f".//t:text/t:body//t:{name}", NS) is not None, name


def test_ids_are_unique_and_follow_the_scheme(tree: etree._ElementTree) -> None:
    seen: set[str] = set()
    for kind, el in entries(tree):
        eid = el.get(XML_ID)
        assert eid, f"line {el.sourceline}: <{kind}> without xml:id"
        assert eid not in seen, f"{eid} is used twice"
        seen.add(eid)
        prefix = KINDS[kind][1]
        ok = eid.startswith(prefix) or (kind == "org" and eid in ARCHIVES)
        assert ok and re.fullmatch(r"[a-z][a-z0-9_-]*", eid), f"{eid}: ids are {prefix}<name> in lower case"
    assert seen >= ARCHIVES, "the archives the citations point to must be in the register"


def test_every_entry_has_one_preferred_name(tree: etree._ElementTree) -> None:
    for kind, el in entries(tree):
        name = KINDS[kind][0]
        preferred = el.findall(f"t:{name}[@type='preferred']", NS)
        assert len(preferred) == 1, f"{el.get(XML_ID)}: exactly one {name}[@type='preferred']"
        for n in el.findall(f"t:{name}", NS):
            assert n.get("type") in ("preferred", "variant", "office", "abbr", "former"), \
                f"{el.get(XML_ID)}: @type {n.get('type')}"
            assert " ".join("".join(n.itertext()).split()), f"{el.get(XML_ID)}: empty name"


def test_every_form_is_unique_unless_marked_ambiguous(tree: etree._ElementTree) -> None:
    owners: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for kind, el in entries(tree):
        name = KINDS[kind][0]
        marked = {" ".join("".join(n.itertext()).split()).lower()
                  for n in el.findall(f"t:{name}[@subtype='ambiguous']", NS)}
        for n in el.findall(f"t:{name}", NS):
            if n.get("type") == "office":
                continue
            text = " ".join("".join(n.itertext()).split())
            if n.get("type") == "preferred":
                text = strip_qualifier(text)  # "Ivanov (mechanic)" is the form "Ivanov"
            key = text.lower()
            if any(owner == el.get(XML_ID) for owner, _ in owners[key]):
                continue
            owners[key].append((el.get(XML_ID), key in marked))
    clashes = {form: who for form, who in owners.items() if len(who) > 1 and not all(amb for _, amb in who)}
    assert not clashes, f"forms listed under several entries without subtype='ambiguous': {clashes}"


def test_no_form_is_a_bare_common_word(tree: etree._ElementTree) -> None:
    for kind, el in entries(tree):
        for n in el.findall(f"t:{KINDS[kind][0]}[@type='variant']", NS):
            text = "".join(n.itertext()).strip()
            assert text.lower() not in COMMON_WORDS or text[:1].isupper(), f"{el.get(XML_ID)}: '{text}'"


def test_offices_are_dated_and_do_not_overlap(tree: etree._ElementTree) -> None:
    periods: dict[tuple[str, ...], list[tuple[str, str, str]]] = defaultdict(list)
    for kind, el in entries(tree):
        for n in el.findall(f"t:{KINDS[kind][0]}[@type='office']", NS):
            start, end = n.get("from"), n.get("to")
            assert start and end and DATE.match(start) and DATE.match(end), f"{el.get(XML_ID)}: from/to"
            assert start <= end, f"{el.get(XML_ID)}: {start} after {end}"
            periods[office_key("".join(n.itertext()))].append((start, end, el.get(XML_ID)))
    for key, spans in periods.items():
        spans.sort()
        for (_s1, e1, a), (s2, _e2, b) in zip(spans, spans[1:], strict=False):
            if a != b:
                n = min(len(e1), len(s2))
                assert e1[:n] < s2[:n] or (e1[:n] == s2[:n] and len(e1) != len(s2)), \
                    f"office {' '.join(key)}: {a} until {e1} overlaps {b} from {s2}"


def test_dates_and_authority_ids_are_well_formed(tree: etree._ElementTree) -> None:
    for _, el in entries(tree):
        for d in el.iter():
            for attr in ("from", "to", "when", "notBefore", "notAfter"):
                if d.get(attr):
                    assert DATE.match(d.get(attr)), f"{el.get(XML_ID)}: {attr}={d.get(attr)}"
        for idno in el.findall("t:idno", NS):
            assert idno.get("type") == "wikidata" and re.fullmatch(r"Q[1-9]\d*", idno.text or ""), el.get(XML_ID)


def test_coverage() -> None:
    reg = load_register(REGISTERS)
    kinds = [e.kind for e in reg.entries.values()]
    assert kinds.count("person") >= 80
    assert kinds.count("place") >= 40
    assert kinds.count("org") >= 20
    # archives, newspapers and published collections the sources cite
    for eid in ("org_izvestia", "org_pravda", "org_dvp", "org_mezhdunarodnaya_zhizn", "org_nni", "org_tass"):
        assert eid in reg.entries


def test_register_loads_into_a_matcher() -> None:
    reg = load_register(REGISTERS)
    ms = reg.matcher.find("ca. Vinogradova saw Agitlerom and f. Schule n. Burg in berlin")
    assert [(m.text, m.ids) for m in ms] == [
        ("ca. Vinogradova", ("p_vinogradov",)), ("Agitlerom", ("p_hitler",)),
        ("f. Schule n. Burg", ("p_schulenburg",)), ("berlin", ("pl_berlin",))]


def test_every_archive_a_citation_names_is_in_the_register() -> None:
    reg = load_register(REGISTERS)
    for f in sorted((ROOT / "tei").glob("*/*.xml")):
        for repo in etree.parse(str(f)).iterfind(".//t:msIdentifier/t:repository[@ref]", NS):
            eid = repo.get("ref").split("#", 1)[1]
            assert eid in reg.entries and reg.kind(eid) == "org", f"{Path(f).name}: {eid}"
