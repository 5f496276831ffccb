"""Abbreviations: the recogniser (pipeline/recognise/abbreviations.py), the register of
abbreviations (pipeline/registers/abbreviations.py) and the review rows of `edition link`."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.link import link_edition
from pipeline.recognise.abbreviations import abbreviations, looks_like_abbreviation, normal_form
from pipeline.registers.abbreviations import load, print_list, read_register, used_in

ROOT = Path(__file__).resolve().parent.parent
TEI = "{http://www.tei-c.org/ns/1.0}"


def found(text: str, known: set[str] | None = None) -> list[str]:
    return [form for _, form in abbreviations(text, known or set())]


@pytest.mark.parametrize(("text", "forms"), [
    ("the NKID of the USSR informed the VTsIK", ["NKID", "USSR", "VTsIK"]),
    ("the cc VKP (b) and the RCP(b)", ["VKP(b)", "RCP(b)"]),
    ("a garbled NK.ID here", ["NK.ID"]),
    ("signed A.V. Karakhan, G. V. Chicherin", []),          # initials
    ("Article XIV, Mohammed VI, the VIII Congress", []),    # roman numerals
    ("I. GENERAL PROVISION", []),                          # a heading set in capitals
    ("OUR EASTERN POLICY IN THE SUMMER AND AUTUMN", []),
    ("McDonald and Ok", []),                               # small letters outnumber capitals
    ("the USSR's policy", ["USSR"]),
])
def test_recognised(text: str, forms: list[str]) -> None:
    assert found(text) == forms


def test_known_forms_are_found_whatever_they_look_like() -> None:
    assert found("the general secretary of the cc VKP (B)", {"cc"}) == ["cc", "VKP(B)"]
    # a known word in a run of capitals is found; the run's unknown long words are not
    assert found("the GENERAL STAFF", {"STAFF"}) == ["STAFF"]


def test_normal_form_and_shape() -> None:
    assert normal_form("VKP  (b)") == "VKP(b)"
    assert looks_like_abbreviation("VKP (b)") and looks_like_abbreviation("VKP(b.)")
    assert not looks_like_abbreviation("TASS (Telegraph Agency of the Soviet Union)")
    assert not looks_like_abbreviation("Soviet Russia")


REGISTER = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<div type="register" subtype="places"><listPlace>
  <place xml:id="pl_azerbaijan"><placeName type="preferred">Soviet Azerbaijan</placeName>
    <placeName type="variant">Azerbaijan SSR</placeName><placeName type="variant">ASSR</placeName></place>
</listPlace></div>
<div type="register" subtype="organisations"><listOrg>
  <org xml:id="org_nkid"><orgName type="preferred">People's Commissariat for Foreign Affairs (NKID)</orgName>
    <orgName type="variant">NKID</orgName></org>
  <org xml:id="arch-avprf" type="archive"><orgName type="abbr">AVP RF</orgName>
    <orgName type="variant">AVPR</orgName></org>
</listOrg></div>
<div type="register" subtype="abbreviations"><list type="abbreviations">
  <item><abbr>VKP(b)</abbr><abbr type="variant">VKP (B)</abbr>
    <expan>All-Union Communist Party (Bolsheviks)</expan></item>
  <item><abbr>CC</abbr><abbr type="variant">cc</abbr><expan>Central Committee</expan></item>
</list></div>
</body></text></TEI>"""


def test_register_expansions() -> None:
    reg = read_register(etree.ElementTree(etree.fromstring(REGISTER)))
    assert reg.expand("VKP(B)").form == "VKP(b)"                         # a variant: its item
    assert reg.expand("cc").expansion == "Central Committee"
    assert reg.expand("NKID").expansion == "People's Commissariat for Foreign Affairs"  # the bracket's name
    assert reg.expand("ASSR").expansion == "Azerbaijan SSR"              # the name that spells it
    assert reg.expand("AVPR") is None and "AVPR" in reg.archives         # archives have a list of their own
    assert reg.expand("OGPU") is None                                    # never invented


def test_print_list_of_a_volume(tmp_path: Path) -> None:
    (tmp_path / "registers.xml").write_bytes(REGISTER)
    doc = tmp_path / "d.xml"
    doc.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document">
      <p>The cc VKP (B) and the NKID, the ASSR; the OGPU; the <choice><sic>NKIDD</sic><corr>NKID</corr></choice>.</p>
      <note type="source"><bibl type="archival"><orgName type="archive">AVPR</orgName></bibl></note>
    </div></body></text></TEI>""", encoding="utf-8")
    reg = load(tmp_path / "registers.xml")
    assert print_list([doc], reg) == [
        {"abbr": "ASSR", "expansion": "Azerbaijan SSR"},
        {"abbr": "CC", "expansion": "Central Committee"},
        {"abbr": "NKID", "expansion": "People's Commissariat for Foreign Affairs"},
        {"abbr": "VKP(b)", "expansion": "All-Union Communist Party (Bolsheviks)"},
    ]
    text = etree.parse(str(doc)).find(f"{TEI}text")
    forms = [form for form, _, _ in used_in(text, reg)]
    assert "OGPU" in forms and "NKIDD" not in forms and "AVPR" not in forms  # sic and the archival citation unread


def test_link_reports_abbreviations_without_expansion(tmp_path: Path) -> None:
    """`edition link` lists every abbreviation of a text that no register expands, once per
    document, in out/reports/links.csv (kind "abbreviation"); the expanded ones are not."""
    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pdf" / "project", project)
    (project / "tei" / "registers.xml").write_bytes(REGISTER)
    doc = next(p for p in sorted((project / "tei").glob("*/*.xml")))
    tree = etree.parse(str(doc))
    p = tree.find(f".//{TEI}body//{TEI}p")
    assert p is not None
    p.text = "The OGPU and the OGPU again, the NKID and the cc VKP (b). " + (p.text or "")
    tree.write(str(doc), encoding="UTF-8", xml_declaration=True)
    link_edition(project / "tei", config=project / "edition.yaml")
    rows = list(csv.DictReader((project / "out" / "reports" / "links.csv").open(encoding="utf-8")))
    abbr = [r for r in rows if r["kind"] == "abbreviation"]
    assert [r["text"] for r in abbr if r["file"].endswith(doc.name)] == ["OGPU"]
    assert "OGPU" in abbr[0]["context"] and abbr[0]["line"].isdigit()
    # the review report shows it, with the TEI file and line
    from pipeline.html.report import collect

    items = [i for i in collect(project, project / "out" / "reports") if i.kind == "abbreviation without expansion"]
    assert any("“OGPU”" in i.message and i.tei.endswith(doc.name) and i.tei_line > 0 for i in items)
