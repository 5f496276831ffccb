"""The archival deposit (issue 7): the BagIt bag and its zip, the bundled schemas, the CMIF
file, refusal of an invalid edition, --verify, determinism.

The edition packaged here is the bundled one, freshly converted (conftest `converted`) and
copied into a project of its own. A freshly converted edition points its archive names to
tei/registers.xml, which only the registers work (issue 4) provides; those pointers are
removed from the copy, so the tests see a valid edition before linking. The registers'
part of the CMIF is tested on its own, with tests/fixtures/deposit/registers.xml.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pytest
from lxml import etree, isoschematron

from pipeline import deposit as d
from pipeline.cli import main
from pipeline.cmif import (
    CMIF_LICENCE_URL,
    CORRESPONDENCE_KINDS,
    DATE_ATTRS,
    build_cmif,
    check_cmif,
)
from pipeline.config import load_config
from pipeline.validate import safe_parser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "deposit"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
DAY = "2026-01-15"
WHEN = datetime(2026, 1, 15, tzinfo=UTC)
CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def make_edition(converted: Path, dest: Path) -> Path:
    """A project of its own: the converted edition without pointers into the absent
    registers, the project's schemas and its encoding documentation."""
    shutil.copytree(converted, dest, ignore=shutil.ignore_patterns("out"))
    shutil.copytree(ROOT / "schemas", dest / "schemas", dirs_exist_ok=True)
    (dest / "docs").mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "docs" / "encoding.md", dest / "docs" / "encoding.md")
    if not (dest / "tei" / "registers.xml").exists():
        for path in (dest / "tei").rglob("*.xml"):
            text = path.read_text(encoding="utf-8")
            stripped = re.sub(r' ref="\.\./registers\.xml#[^"]*"', "", text)
            if stripped != text:
                path.write_text(stripped, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def project(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_edition(converted, tmp_path_factory.mktemp("deposit") / "project")


@pytest.fixture(scope="module")
def deposited(project: Path) -> d.Deposit:
    return d.make_deposit(project / "edition.yaml", when=WHEN)


def tei_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.xml") if not any(part.startswith(".") for part in p.parts))


def cmif_of(deposit: d.Deposit) -> etree._Element:
    return etree.parse(str(deposit.bag / "data" / "cmif.xml"), safe_parser()).getroot()


# ------------------------------------------------------------------------ the bag


def test_bag_validates_with_bagit(project: Path, deposited: d.Deposit) -> None:
    bag = bagit.Bag(str(deposited.bag))
    bag.validate(processes=1)  # completeness and every checksum; raises when invalid
    assert bag.version_info == (1, 0)
    assert set(bag.algorithms) == {"sha256", "sha512"}
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        assert (deposited.bag / name).is_file(), name
    info = bag.info
    edition = load_config(project / "edition.yaml")
    assert info["Source-Organization"] == edition.publisher
    contact = list(edition.editors) or [edition.publisher]  # no editors named: the publisher
    assert info["Contact-Name"] in (contact, contact[0])
    assert info["Bagging-Date"] == DAY
    assert info["External-Identifier"] == edition.id
    assert edition.title in info["External-Description"]
    assert info["Bag-Software-Agent"].startswith("edition-pipeline ")
    octets, count = (int(x) for x in info["Payload-Oxum"].split("."))
    payload = [p for p in (deposited.bag / "data").rglob("*") if p.is_file()]
    assert count == len(payload) == deposited.payload_files
    assert octets == sum(p.stat().st_size for p in payload)


def test_payload_holds_the_whole_edition(project: Path, deposited: d.Deposit) -> None:
    data = deposited.bag / "data"
    ours = [p.relative_to(project / "tei") for p in tei_files(project / "tei")]
    theirs = [p.relative_to(data / "tei") for p in tei_files(data / "tei")]
    assert ours == theirs and Path("edition.xml") in theirs
    for name in ("edition.rng", "edition.sch"):
        assert (data / "schemas" / name).read_bytes() == (project / "schemas" / name).read_bytes()
    for source in load_config(project / "edition.yaml").sources:
        assert (data / source.relpath).read_bytes() == (project / source.file).read_bytes()
    readme = (data / "README.txt").read_text(encoding="utf-8")
    for words in ("LICENCE", "CC BY-SA 4.0", "HOW TO VALIDATE", "ENCODING PRINCIPLES", "data/tei/edition.xml",
                  "data/cmif.xml", "bagit.py --validate"):
        assert words in readme, words
    assert (data / "cmif.xml").is_file()
    assert not (project / "out" / "deposit").joinpath("data").exists()  # the bag is a folder inside


def test_bag_copies_differ_only_in_their_xml_model_lines(project: Path, deposited: d.Deposit) -> None:
    data = deposited.bag / "data"
    pi = re.compile(rb"<\?xml-model [^>]*\?>\n")
    for path in tei_files(project / "tei"):
        copy = data / "tei" / path.relative_to(project / "tei")
        assert pi.sub(b"", copy.read_bytes()) == pi.sub(b"", path.read_bytes()), path.name
        hrefs = re.findall(rb'<\?xml-model href="([^"]+)"', copy.read_bytes())
        assert [h.rsplit(b"/", 1)[1] for h in hrefs] == [b"edition.rng", b"edition.sch"]
        for href in hrefs:
            target = (copy.parent / href.decode()).resolve()
            assert target.parent == (data / "schemas").resolve() and target.is_file()


def test_every_deposited_file_carries_the_licence(deposited: d.Deposit) -> None:
    url = "https://creativecommons.org/licenses/by-sa/4.0/"
    for path in tei_files(deposited.bag / "data" / "tei"):
        root = etree.parse(str(path), safe_parser()).getroot()
        licence = root.find("t:teiHeader/t:fileDesc/t:publicationStmt/t:availability/t:licence", NS)
        assert licence is not None and licence.get("target") == url, path.name


def test_unzipped_bag_validates_with_its_own_schemas_alone(deposited: d.Deposit, tmp_path: Path) -> None:
    """An archive's view: the zip unpacked into an empty folder, every TEI file checked with
    the RelaxNG and Schematron found in the bag (no project file is used)."""
    target = tmp_path / "archive"
    target.mkdir()
    with zipfile.ZipFile(deposited.zip) as zf:
        zf.extractall(target)
    [bag_dir] = [p for p in target.iterdir()]
    bagit.Bag(str(bag_dir)).validate(processes=1)
    schemas = bag_dir / "data" / "schemas"
    parser = safe_parser()
    relaxng = etree.RelaxNG(etree.parse(str(schemas / "edition.rng"), parser))
    schematron = isoschematron.Schematron(etree.parse(str(schemas / "edition.sch"), parser), store_report=True)
    files = tei_files(bag_dir / "data" / "tei")
    assert len(files) == deposited.documents
    failures = []
    for path in files:
        doc = etree.parse(str(path), parser)
        if not relaxng.validate(doc):
            failures.append(f"{path.name}: {relaxng.error_log.last_error}")
        schematron.validate(doc)
        # Warnings (role="warning": please look) are allowed in a valid edition; errors not.
        errors = schematron.validation_report.xpath(
            "//svrl:failed-assert[not(@role='warning')] | //svrl:successful-report[not(@role='warning')]",
            namespaces=SVRL)
        if errors:
            failures.append(f"{path.name}: {' '.join(errors[0].itertext()).strip()[:200]}")
    assert not failures, "\n".join(failures[:10])


def test_verify_accepts_the_bag_and_its_zip(deposited: d.Deposit, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (deposited.bag, deposited.zip, deposited.bag.parent):
        assert main(["deposit", "--verify", str(path)]) == 0
        assert "valid bag" in capsys.readouterr().out


def test_verify_detects_a_tampered_file(deposited: d.Deposit, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bag = shutil.copytree(deposited.bag, tmp_path / "bag")
    victim = next((bag / "data" / "tei" / "nk").glob("*.xml"))
    victim.write_bytes(victim.read_bytes().replace(b"</TEI>", b"<!-- changed --></TEI>"))
    assert main(["deposit", "--verify", str(bag)]) == 1
    out = capsys.readouterr().out
    assert f"data/tei/nk/{victim.name}" in out and "sha256" in out


def test_verify_detects_a_tampered_zip(deposited: d.Deposit, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(deposited.zip) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("data/cmif.xml"):
                data = data.replace(b"Unknown", b"Somebody", 1)
            dst.writestr(info, data)
    assert main(["deposit", "--verify", str(tampered)]) == 1
    assert "data/cmif.xml" in capsys.readouterr().out


def test_verify_detects_a_missing_and_an_added_file(deposited: d.Deposit, tmp_path: Path) -> None:
    bag = shutil.copytree(deposited.bag, tmp_path / "bag")
    (bag / "data" / "README.txt").unlink()
    (bag / "data" / "extra.txt").write_text("not in the manifest\n", encoding="utf-8")
    result = d.verify_deposit(bag)
    assert not result.ok
    text = "\n".join(result.problems)
    assert "README.txt" in text and "extra.txt" in text


def test_verify_refuses_an_unsafe_zip(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../outside.txt", "x")
    result = d.verify_deposit(evil)
    assert not result.ok and "unsafe path" in result.problems[0]
    assert not (tmp_path.parent / "outside.txt").exists()


def test_verify_of_nothing_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deposit", "--verify", str(tmp_path / "nope")]) == 2
    assert "no such file" in capsys.readouterr().err


# ------------------------------------------------------------------------ determinism


def test_zip_and_bag_are_deterministic(project: Path, deposited: d.Deposit, tmp_path: Path) -> None:
    again = d.make_deposit(project / "edition.yaml", out=tmp_path / "again", when=WHEN)
    assert again.zip.read_bytes() == deposited.zip.read_bytes()
    for name in ("bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"):
        assert (again.bag / name).read_bytes() == (deposited.bag / name).read_bytes()
    with zipfile.ZipFile(again.zip) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in zf.infolist()} == {(2026, 1, 15, 0, 0, 0)}
        assert all(n.startswith(f"{again.bag.name}/") for n in names)


def test_bagging_date_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768435200")  # 2026-01-15T00:00:00Z
    assert d.bagging_time() == WHEN
    assert d.bagging_time("2020-02-29") == datetime(2020, 2, 29, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(d.EditionError):
        d.bagging_time()
    with pytest.raises(d.EditionError):
        d.bagging_time("15.01.2026")


# ------------------------------------------------------------------------ refusal


def test_refuses_an_invalid_edition(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(project, broken, ignore=shutil.ignore_patterns("out"))
    victim = sorted((broken / "tei" / "nk").glob("*.xml"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("<head>", "<heading>", 1)
                      .replace("</head>", "</heading>", 1), encoding="utf-8")
    (broken / "out" / "deposit").mkdir(parents=True)
    (broken / "out" / "deposit" / "previous.txt").write_text("the last good deposit\n", encoding="utf-8")
    code = main(["deposit", "--config", str(broken / "edition.yaml"), "--bagging-date", DAY])
    captured = capsys.readouterr()
    assert code == 1
    assert f"nk/{victim.name}" in captured.out and "error" in captured.out  # the validation report
    assert "not valid; nothing was packaged" in captured.err
    # Nothing packaged, nothing half-written, the previous deposit untouched.
    assert sorted(p.name for p in (broken / "out").iterdir() if p.name != ".edition.lock") == ["deposit"]
    assert [p.name for p in (broken / "out" / "deposit").iterdir()] == ["previous.txt"]


def test_refuses_files_without_the_edition_licence(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("out"))
    config = other / "edition.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("licenses/by-sa/4.0/", "licenses/by/4.0/", 1),
                      encoding="utf-8")
    with pytest.raises(d.DepositRefused, match="do not carry the edition's licence"):
        d.make_deposit(config, when=WHEN)
    assert not (other / "out" / "deposit").exists()


def test_build_writes_nothing_without_deposit(project: Path) -> None:
    import argparse

    before = sorted(p.name for p in (project / "out").iterdir()) if (project / "out").exists() else []
    args = argparse.Namespace(config=str(project / "edition.yaml"), quiet=True, deposit=False)
    assert d.build(args) == 0
    after = sorted(p.name for p in (project / "out").iterdir()) if (project / "out").exists() else []
    assert before == after


# ------------------------------------------------------------------------ CMIF


def test_cmif_follows_the_cmif_rules(project: Path, deposited: d.Deposit) -> None:
    root = cmif_of(deposited)
    assert check_cmif(root) == []
    # The rules restated independently of check_cmif: what a harvester relies on.
    pub = root.find("t:teiHeader/t:fileDesc/t:publicationStmt", NS)
    licence = pub.find("t:availability/t:licence", NS)
    assert licence.get("target") == CMIF_LICENCE_URL and "CC-BY 4.0" in licence.text
    assert pub.findtext("t:idno[@type='url']", namespaces=NS)
    assert pub.find("t:date", NS).get("when") == "2026-01-15T00:00:00Z"
    bibl_ids = {b.get(XML_ID) for b in root.iterfind(".//t:sourceDesc/t:bibl", NS)}
    assert all(b and b[0].isalpha() for b in bibl_ids)
    descs = root.findall(".//t:profileDesc/t:correspDesc", NS)
    for desc in descs:
        assert desc.get("source", "")[1:] in bibl_ids and desc.get("source", "").startswith("#")
        assert desc.get("ref") and desc.get("key")
        assert (deposited.bag / "data" / desc.get("ref")).is_file()  # relative: resolves inside the bag
        for kind in ("sent", "received"):
            action = desc.find(f"t:correspAction[@type='{kind}']", NS)
            assert action is not None, (desc.get("key"), kind)
            assert action.find("t:persName", NS) is not None or action.find("t:orgName", NS) is not None
        for date in desc.iterfind(".//t:date", NS):
            values = [date.get(a) for a in DATE_ATTRS if date.get(a)]
            assert values and all(CMIF_DATE.match(v) for v in values), (desc.get("key"), dict(date.attrib))
    # One correspDesc per letter, telegram, note, radiogram, memorandum and message.
    kinds = []
    for path in tei_files(project / "tei"):
        div = etree.parse(str(path), safe_parser()).find(".//t:body/t:div[@type='document']", NS)
        if div is not None and div.get("subtype") in CORRESPONDENCE_KINDS:
            kinds.append(div.get(XML_ID))
    assert sorted(desc.get("key") for desc in descs) == sorted(kinds)
    assert len(descs) == deposited.letters > 100


def test_cmif_times_are_cut_to_days(deposited: d.Deposit) -> None:
    text = (deposited.bag / "data" / "cmif.xml").read_text(encoding="utf-8")
    body = text.split("<profileDesc>", 1)[1]
    assert "T" not in "".join(re.findall(r'(?:when|from|to|notBefore|notAfter)="([^"]*)"', body))


def test_cmif_with_base_url(project: Path) -> None:
    edition = load_config(project / "edition.yaml")
    tei = project / "tei"
    trees = {p: etree.parse(str(p), safe_parser()) for p in tei_files(tei)}
    cmif = build_cmif(trees, tei, edition, timestamp=WHEN, base_url="https://example.org/edition/")
    root = etree.fromstring(cmif.xml)
    assert check_cmif(root) == []
    assert root.findtext(".//t:publicationStmt/t:idno", namespaces=NS) == "https://example.org/edition/cmif.xml"
    refs = [desc.get("ref") for desc in root.iterfind(".//t:correspDesc", NS)]
    assert all(re.fullmatch(r"https://example\.org/edition/documents/[a-z]+-[0-9a-z]+\.html", r) for r in refs)


def test_a_relative_base_url_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deposit", "--config", str(project / "edition.yaml"), "--base-url", "example.org",
                 "--out", str(project / "out" / "never")]) == 2
    assert "not an absolute http(s) URL" in capsys.readouterr().err
    assert not (project / "out" / "never").exists()


def test_cmif_resolves_register_entries_to_authority_ids(project: Path, tmp_path: Path) -> None:
    """After linking (issue 4) the correspondents point into the registers: CMIF carries the
    register's preferred name and its authority URI; without an authority id, no @ref; a
    pointer that does not resolve falls back to the printed name."""
    tei = tmp_path / "tei"
    (tei / "nk").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "registers.xml", tei / "registers.xml")
    source = next(p for p in (project / "tei" / "nk").glob("*.xml")
                  if etree.parse(str(p)).find(".//t:correspDesc", NS) is not None)
    tree = etree.parse(str(source), safe_parser())
    corresp = tree.find(".//t:profileDesc/t:correspDesc", NS)
    for action in list(corresp):
        corresp.remove(action)
    sent = etree.SubElement(corresp, T + "correspAction", type="sent")
    for ref, text in (("p_stalin", "I. Stalin"), ("p_ordzhonikidze", "G. Ordzhonikidze"),
                      ("p_unknown", "a member of the Caucasian Bureau")):
        etree.SubElement(sent, T + "persName", ref=f"../registers.xml#{ref}").text = text
    etree.SubElement(sent, T + "placeName", ref="../registers.xml#pl_baku").text = "Baku"
    etree.SubElement(sent, T + "date", when="1920-11-05T22:15:00")
    received = etree.SubElement(corresp, T + "correspAction", type="received")
    etree.SubElement(received, T + "persName", ref="../registers.xml#p_chicherin").text = "G. Chicherin"
    etree.SubElement(received, T + "orgName", ref="../registers.xml#org_nkid").text = "the NKID"
    path = tei / "nk" / source.name
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)

    edition = load_config(project / "edition.yaml")
    cmif = build_cmif({path: etree.parse(str(path))}, tei, edition, timestamp=WHEN)
    root = etree.fromstring(cmif.xml)
    assert check_cmif(root) == []
    desc = root.find(".//t:correspDesc", NS)
    got = {kind: [(etree.QName(el).localname, el.text, el.get("ref"))
                  for el in desc.find(f"t:correspAction[@type='{kind}']", NS)]
           for kind in ("sent", "received")}
    assert got["sent"] == [
        ("persName", "Joseph Stalin", "http://www.wikidata.org/entity/Q855"),
        ("persName", "Sergo Ordzhonikidze", "https://viaf.org/viaf/12345678"),  # VIAF before Wikidata
        ("persName", "a member of the Caucasian Bureau", None),  # not in the register: as printed
        ("placeName", "Baku", "https://www.geonames.org/587084"),  # GeoNames first for places
        ("date", None, None),
    ]
    assert desc.find("t:correspAction[@type='sent']/t:date", NS).get("when") == "1920-11-05"
    assert got["received"] == [
        ("persName", "Georgy Chicherin", None),  # the preferred name, no authority id: no @ref
        ("orgName", "People's Commissariat for Foreign Affairs", "http://www.wikidata.org/entity/Q2302296"),
    ]
    assert cmif.with_authority == 4


def test_cmif_names_an_unknown_side(project: Path, tmp_path: Path) -> None:
    """A letter whose addressee the heading does not name still has both actions (CMIF)."""
    tei = tmp_path / "tei"
    source = next(p for p in (project / "tei" / "nk").glob("*.xml")
                  if etree.parse(str(p)).find(".//t:correspDesc", NS) is not None)
    tree = etree.parse(str(source), safe_parser())
    received = tree.find(".//t:correspAction[@type='received']", NS)
    received.getparent().remove(received)
    (tei / "nk").mkdir(parents=True)
    path = tei / "nk" / source.name
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    cmif = build_cmif({path: etree.parse(str(path))}, tei, load_config(project / "edition.yaml"), timestamp=WHEN)
    root = etree.fromstring(cmif.xml)
    assert check_cmif(root) == []
    assert root.findtext(".//t:correspAction[@type='received']/t:persName", namespaces=NS) == "Unknown"


def test_check_cmif_finds_broken_rules(deposited: d.Deposit) -> None:
    root = cmif_of(deposited)
    desc = root.find(".//t:correspDesc", NS)
    desc.set("source", "#nowhere")
    desc.remove(desc.find("t:correspAction[@type='received']", NS))
    date = desc.find(".//t:date", NS)
    for attr in list(date.attrib):
        del date.attrib[attr]
    root.find(".//t:licence", NS).set("target", "https://creativecommons.org/licenses/by-sa/4.0/")
    problems = "\n".join(check_cmif(root))
    assert "does not point to a sourceDesc/bibl" in problems
    assert 'correspAction type="received" is missing' in problems
    assert "no dating attribute" in problems
    assert "CC BY 4.0" in problems


def test_cmif_is_valid_tei(deposited: d.Deposit) -> None:
    """CMIF is a subset of TEI: the file is valid against tei_all (the copy bundled with the package)."""
    from pipeline.validate import BUNDLED

    cached = BUNDLED["tei_all"]
    rng = etree.RelaxNG(etree.parse(str(cached), safe_parser()))
    doc = etree.parse(str(deposited.bag / "data" / "cmif.xml"), safe_parser())
    assert rng.validate(doc), rng.error_log.last_error


# ------------------------------------------------------------------------ helpers


def test_with_schema_pis_rewrites_only_the_prolog() -> None:
    body = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><?xml-model href="keep"?></TEI>\n'
    original = (b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="../../schemas/edition.rng"?>\n'
                b"<!-- a comment -->\n" + body)
    out = d.with_schema_pis(original, "../schemas")
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="../schemas/edition.rng" ')
    assert b'<?xml-model href="../schemas/edition.sch" ' in out
    assert out.count(b"<?xml-model") == 3  # two in the prolog, the one inside the text kept
    assert out.endswith(b"<!-- a comment -->\n" + body)
    assert d.with_schema_pis(out, "../schemas") == out


def test_write_tei_zip(project: Path, tmp_path: Path) -> None:
    first = d.write_tei_zip(project / "tei", tmp_path / "a")
    second = d.write_tei_zip(project / "tei", tmp_path / "b" / "edition-tei.zip")
    assert first == tmp_path / "a" / "tei.zip" and second.name == "edition-tei.zip"
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert "tei/edition.xml" in names and "schemas/edition.rng" in names and "schemas/edition.sch" in names
        assert len([n for n in names if n.startswith("tei/")]) == len(tei_files(project / "tei"))
        assert not any("/." in n for n in names)  # no .converted.json
        zf.extractall(tmp_path / "unzipped")
    one = next((tmp_path / "unzipped" / "tei" / "nk").glob("*.xml"))
    href = re.search(rb'<\?xml-model href="([^"]+)"', one.read_bytes()).group(1).decode()
    assert (one.parent / href).resolve().is_file()
