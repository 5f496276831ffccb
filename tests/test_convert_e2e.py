"""End to end over the five bundled sources: counts, the contract, lossless conversion,
determinism, and the committed tei/ being what the converter writes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree

from pipeline.config import load_config
from pipeline.convert import convert_all, document_tei
from pipeline.sources import read_source

from .conftest import ROOT, make_project

NS = {"t": "http://www.tei-c.org/ns/1.0"}
T = "{http://www.tei-c.org/ns/1.0}"
ORIGIN = re.compile(r"sources/([^#]+)#line=(\d+),(\d+)$")
EXPECTED = {"000": (15, 15), "001": (3, 3), "002": (1, 1), "004": (2, 2), "003": (180, 186)}


def documents(project: Path) -> dict[str, list[tuple[Path, etree._ElementTree]]]:
    out: dict[str, list[tuple[Path, etree._ElementTree]]] = {}
    for f in sorted((project / "tei").rglob("*.xml")):
        tree = etree.parse(str(f))
        ref = tree.find(".//t:sourceDesc/t:bibl/t:ref[@type='origin']", NS)
        if ref is None:
            continue
        m = ORIGIN.search(ref.get("target"))
        assert m, f"{f}: origin is not an RFC 5147 line fragment"
        out.setdefault(m.group(1)[:3], []).append((f, tree))
    return out


def test_document_counts_per_source(converted: Path) -> None:
    """Printings per source: a document file, plus each other printing merged into a
    document of another file as a witness (docs/witnesses.md)."""
    docs = documents(converted)
    counts = Counter({prefix: len(files) for prefix, files in docs.items()})
    for files in docs.values():
        for _, tree in files:
            for witness in tree.findall(".//t:listWit/t:witness", NS)[1:]:
                ref = witness.find("t:bibl/t:ref[@type='origin']", NS)
                m = ORIGIN.search(ref.get("target"))
                assert m
                counts[m.group(1)[:3]] += 1
    for prefix, (low, high) in EXPECTED.items():
        assert low <= counts[prefix] <= high, (prefix, counts[prefix])


def test_every_document_meets_the_contract(converted: Path) -> None:
    for files in documents(converted).values():
        for f, tree in files:
            divs = [d for d in tree.iterfind(".//t:text//t:div[@type='document']", NS)
                    if not any(a.tag == T + "div" and a.get("type") == "document" for a in d.iterancestors())]
            assert len(divs) == 1, f
            div = divs[0]
            assert div.find("t:head", NS) is not None, f
            dateline = div.find("t:opener/t:dateline", NS)
            assert dateline is not None, f
            for ms in tree.iterfind(".//t:sourceDesc/t:msDesc", NS):
                assert ms.find("t:msIdentifier/t:repository", NS) is not None
                types = {i.get("type") for i in ms.iterfind("t:msIdentifier/t:idno", NS)}
                assert {"fond", "delo"} <= types, (f, types)


def test_number_lines_give_the_document_numbers(converted: Path) -> None:
    numbers = sorted(int(t.find(".//t:div[@type='document']", NS).get("n"))
                     for _, t in documents(converted)["000"] if t.find(".//t:div[@type='document']", NS).get("n"))
    assert numbers == [555, 556, 557, 559, 562, 563, 564, 566, 567, 568, 569]


# -- lossless -------------------------------------------------------------------------------
# Markdown signs are replaced by markup (hi, head, item/@rend, milestone): they are taken out
# of both sides. Every other non-space character must be accounted for exactly.
MARKDOWN_TAGS = re.compile(r"</?sup>")
MARKDOWN_CHARS = str.maketrans("", "", "*\\#")


def chars(text: str) -> Counter[str]:
    text = MARKDOWN_TAGS.sub("", text).translate(MARKDOWN_CHARS)
    return Counter(c for c in text if not c.isspace())


def tei_chars(tree: etree._ElementTree) -> Counter[str]:
    """The printed text of a document's TEI, with the characters its markup records."""
    text_el = tree.find(".//t:text", NS)
    counts: Counter[str] = Counter()
    for node in text_el.iter():
        if node.tag == T + "corr":
            continue  # the converter's reading, not printed text
        parent_corr = any(a.tag == T + "corr" for a in node.iterancestors())
        if not parent_corr and node.text and node.tag != T + "corr":
            counts += chars(node.text)
        if node is not text_el and node.tail and not parent_corr:
            counts += chars(node.tail)
        rend = node.get("rend") or ""
        if node.tag == T + "div" and node.get("type") == "document" and node.get("n"):
            head = "".join(node.find("t:head", NS).itertext())
            if node.get("n") not in head:
                counts += chars(f"No. {node.get('n')}")  # the number line, recorded by @n
        elif node.tag == T + "gap":
            counts += chars(rend)
        elif node.tag == T + "supplied":
            counts += Counter("[]")
        elif node.tag == T + "item" and rend == "dash":
            counts += Counter("-")
        elif node.tag == T + "note" and node.get("place") == "foot" and node.get("subtype") != "unanchored":
            n = node.get("n") or ""
            counts += {"brackets": chars(f"[{n}]"), "word": Counter("one")}.get(rend, chars(n))
    return counts


def test_lossless_every_character_is_accounted_for(converted: Path) -> None:
    edition = load_config(converted / "edition.yaml")
    conv = convert_all(edition)
    docs = documents(converted)
    # The printings merged into one document are checked as the converter built each of them,
    # before the merge: the merge folds the differences its rules declare not variants.
    merged = {w for g in conv.witnesses.groups for w in g.witnesses} if conv.witnesses else set()
    for doc in conv.documents:
        if doc.id in merged:
            docs.setdefault(doc.source.file.name[:3], []).append(
                (Path(doc.path), etree.ElementTree(document_tei(doc, edition))))
    for source in edition.sources:
        raw = read_source(converted / source.file)
        expected = chars("\n".join(raw.lines))
        got: Counter[str] = Counter()
        for path, tree in docs[source.file.name[:3]]:
            if path.stem in merged and path.is_absolute():
                continue  # the merged file: counted above as its printings
            got += tei_chars(tree)
        for bp in conv.segmentations[source.id].boilerplate:
            got += chars(bp.text)
        missing = expected - got
        extra = got - expected
        assert not missing and not extra, (source.file.name, dict(missing), dict(extra))


def test_same_sources_give_the_same_bytes(tmp_path: Path, converted: Path) -> None:
    from pipeline.cli import main

    again = make_project(tmp_path / "again")
    assert main(["convert", "-q", "--config", str(again / "edition.yaml")]) == 0
    (again / "tei" / "registers.xml").unlink()  # as the converted fixture leaves it
    first = {p.relative_to(converted / "tei"): p.read_bytes() for p in (converted / "tei").rglob("*") if p.is_file()}
    second = {p.relative_to(again / "tei"): p.read_bytes() for p in (again / "tei").rglob("*") if p.is_file()}
    assert first == second


def _place_of_writing(tree: etree._ElementTree) -> str | None:
    """As the web edition reads it: the dateline's placeName (opener, then closer), else the
    place of sending in the header."""
    found = tree.xpath("(//t:div[@type='document']//t:dateline[not(ancestor::t:div[@type='reply' or @type='related'])]"
                       "/t:placeName | //t:correspAction[@type='sent']/t:placeName)", namespaces=NS)
    dateline = [p for p in found if p.getparent().tag == T + "dateline"]
    return " ".join("".join((dateline or found)[0].itertext()).split()) if found else None


def test_places_of_writing_from_datelines_headings_and_signing_clauses(converted: Path) -> None:
    places = {f.stem: _place_of_writing(tree) for files in documents(converted).values() for f, tree in files}
    # a dateline, or a dateline at the end of a title-case heading: "… Baku, 5 November 1920"
    assert places["ssd-19230121"] == "Lausanne" and places["nk-562"] == "Baku"
    # the place of sending that a heading prints: "…, from Geneva. May 25, 1937"; "Telegram from Baku, a …"
    assert (places["ssd-19370525"], places["ssd-19370514"], places["ssd-19381124"], places["ssd-19201203"]) == \
        ("Geneva", "London", "Ankara", "Baku")
    # the clause that closes a treaty: "Done in five copies at Kars on 13 October 1921 (1337)."
    assert (places["ssd-19210316"], places["ssd-19210917"], places["ssd-19211013"]) == ("Moscow", "Moscow", "Kars")
    kars = next(tree for f, tree in documents(converted)["003"] if f.stem == "ssd-19211013")
    dateline = kars.find(".//t:closer/t:dateline", NS)
    assert dateline is not None and dateline.find("t:date", NS).get("when") == "1921-10-13"
    # a place is never invented: the documents whose datelines and headings print none have none
    assert places["ssd-19210406"] is None and places["blc-19210310"] is None
    assert sum(p is not None for p in places.values()) == 14


def test_committed_tei_is_what_convert_and_link_write(converted: Path, tmp_path: Path) -> None:
    """The edition under tei/ in the repository is up to date: converting the sources and
    linking them to the committed registers gives the committed files (or a file carries
    a recorded hand edit)."""
    import hashlib
    import json
    import shutil

    from pipeline.link import link_edition

    committed = ROOT / "tei"
    fresh_root = tmp_path / "tei"
    shutil.copytree(converted / "tei", fresh_root)
    shutil.copy(committed / "registers.xml", fresh_root / "registers.xml")
    link_edition(fresh_root, config=ROOT / "edition.yaml", report_path=tmp_path / "links.csv")
    fingerprints = json.loads((committed / ".converted.json").read_text())
    for path in sorted(fresh_root.rglob("*.xml")):
        rel = path.relative_to(fresh_root).as_posix()
        on_disk = committed / rel
        assert on_disk.exists(), f"tei/{rel} is missing: run `edition convert` and `edition link`"
        if on_disk.read_bytes() != path.read_bytes():
            digest = hashlib.sha256(on_disk.read_bytes()).hexdigest()
            assert digest != fingerprints.get(rel), f"tei/{rel} is out of date: run `edition build`"
