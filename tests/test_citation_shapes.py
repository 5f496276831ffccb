"""The citation shapes of other collections, read against the archives of the registers.

The archives are the edition's data: `tests/fixtures/citations/registers.xml` lists the ones
these tests know; a name it does not list still gives a parsed citation and a review item.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from pipeline.archives import load_archives
from pipeline.cli import main
from pipeline.recognise.citations import NO_ARCHIVES, Archives, find_citations, is_source_line

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "citations"
SHAPES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "shapes.yaml").read_text(encoding="utf-8"))
ARCHIVES = load_archives(FIXTURES / "registers.xml")
T = "{http://www.tei-c.org/ns/1.0}"


@pytest.mark.parametrize("case", SHAPES, ids=[c["text"][:40] for c in SHAPES])
def test_shape_is_parsed_into_its_parts(case: dict[str, Any]) -> None:
    text = case["text"]
    cits = find_citations(text, ARCHIVES)
    assert len(cits) == 1, cits
    c = cits[0]
    assert text[c.start:c.end] == case["span"]
    assert c.archive == case["archive"]
    assert c.archive_id == case["id"]
    assert c.archive_cert == case.get("cert")
    assert {p.kind: p.value for p in c.parts} == case["parts"]
    assert is_source_line(text, ARCHIVES)


@pytest.mark.parametrize("case", [c for c in SHAPES if c["archive"] and not c.get("cert")],
                         ids=lambda c: c["text"][:40])
def test_unknown_archive_is_parsed_and_reported(case: dict[str, Any]) -> None:
    """Without registers every named archive is unknown: same parts, a review item, no id."""
    [c] = find_citations(case["text"], NO_ARCHIVES)
    assert {p.kind: p.value for p in c.parts} == case["parts"]
    assert c.archive_id is None
    assert c.unknown_archive is not None
    assert repr(c.archive_printed) in c.unknown_archive and "add it to the registers" in c.unknown_archive


def test_known_archive_gives_no_review_item() -> None:
    [c] = find_citations("RGANI. F. 3. Op. 16. D. 294. L.219.", ARCHIVES)
    assert c.unknown_archive is None


@pytest.mark.parametrize("text", [
    "He said the USSR 12/3 was fine.",
    "See the report of 12 May (No. 3/45).",
    "The ratio was FO 3/4 of the whole.",
    "[the words supplied: in brackets]",
    "RGANI is the archive of the Central Committee.",
])
def test_prose_is_not_a_citation(text: str) -> None:
    assert find_citations(text, ARCHIVES) == []


def test_archives_come_from_the_registers_not_the_code() -> None:
    """An edition that lists no archive knows none; adding an entry teaches the parser."""
    garbled = "Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46."  # a garble is known only from the registers
    assert len(NO_ARCHIVES) == 0
    assert find_citations(garbled, NO_ARCHIVES) == []
    avprf = [a for a in ARCHIVES.archives if a.id == "arch-avprf"]
    [c] = find_citations(garbled, Archives(avprf))
    assert (c.archive, c.archive_id, c.archive_cert) == ("AVP RF", "arch-avprf", "medium")


SOURCE = """\
No. 1

Telegram from the Ambassador to the Minister, 5 March 1920

The negotiations continue.

RGANI. F. 3. Op. 16. D. 294. L.219.

No. 2

Letter from the Minister to the Ambassador, 6 March 1920

The answer follows.

[AA: A981, GER 42]

No. 3

Note from the Consul to the Minister, 7 March 1920

The consul reports.

National Archives, Record Group 59, Decimal File 861.00/1234.

No. 4

Telegram from the Minister to the Consul, 8 March 1920

Noted.

FO 371/3333.
"""

EDITION = """\
edition:
  id: shapes
  title: "Citation shapes"
  publisher: "The Edition Pipeline project"
  licence: {name: "CC BY-SA 4.0", url: "https://creativecommons.org/licenses/by-sa/4.0/"}
sources:
  - id: cs
    file: sources/shapes.txt
    profile: web-page
    collection: {title: "Citation shapes"}
"""


def _project(tmp_path: Path, registers: bool) -> Path:
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "shapes.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "edition.yaml").write_text(EDITION, encoding="utf-8")
    shutil.copytree(root / "pipeline" / "schemas", tmp_path / "schemas")  # the files' xml-model points here
    if registers:
        (tmp_path / "tei").mkdir()
        text = (FIXTURES / "registers.xml").read_text(encoding="utf-8").replace("../../../schemas/", "../schemas/")
        (tmp_path / "tei" / "registers.xml").write_text(text, encoding="utf-8")
    return tmp_path


def _repositories(project: Path) -> dict[str, tuple[str, str | None]]:
    out = {}
    for path in sorted((project / "tei" / "cs").glob("*.xml")):
        tree = etree.parse(str(path))
        ms = tree.find(f".//{T}msDesc/{T}msIdentifier")
        assert ms is not None, path.name
        rep = ms.find(f"{T}repository")
        out[path.stem] = ("" if rep is None else rep.text or "", None if rep is None else rep.get("ref"))
    return out


@pytest.mark.parametrize("registers", [False, True], ids=["a new project: the starter registers", "registers"])
def test_converted_citations_validate(tmp_path: Path, registers: bool) -> None:
    project = _project(tmp_path, registers)
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    reps = _repositories(project)
    assert [r[0] for r in reps.values()] == (["RGANI", "AA", "NARA", ""] if registers
                                             else ["RGANI", "NAA", "National Archives", ""])
    refs = [r[1] for r in reps.values()]
    assert refs == (["../registers.xml#arch-rgani", "../registers.xml#arch-aa", "../registers.xml#arch-nara", None]
                    if registers else ["../registers.xml#arch-rgani", "../registers.xml#arch-naa", None, None])
    with (project / "out" / "reports" / "review.csv").open(encoding="utf-8") as f:
        unknown = [row for row in csv.reader(f) if any("unknown archive" in cell for cell in row)]
    assert len(unknown) == (0 if registers else 1)  # "National Archives" alone: which one?
    paths = [str(p) for p in sorted((project / "tei" / "cs").glob("*.xml"))]
    assert main(["validate", "--config", str(project / "edition.yaml"), *paths]) == 0
    for path in paths:  # never the false claim that no source is printed
        assert etree.parse(path).find(f".//{T}note[@type='source'][@subtype='none']") is None


# -- shapes the edition teaches (edition.yaml `citations:`) ---------------------------------

TAUGHT = """\
  citations:
    - pattern: 'NRS,? (?P<series>[A-Z]{1,3} \\d+)/(?P<file>\\d+)(?:, fol\\. (?P<folios>\\d+(?:-\\d+)?))?'
      archive: NRS
    - pattern: '(?P<archive>ANOM), (?P<fond>[A-Z]+)/(?P<item>\\d+)'
"""

TAUGHT_SOURCE = """\
No. 1

Telegram from the Ambassador to the Minister, 5 March 1920

The negotiations continue.

NRS, GD 40/1234, fol. 12-14.

No. 2

Letter from the Minister to the Ambassador, 6 March 1920

The answer follows.

ANOM, GGA/17.
"""


def _taught_project(tmp_path: Path, shapes: str = TAUGHT) -> Path:
    project = _project(tmp_path, registers=True)
    (project / "sources" / "shapes.txt").write_text(TAUGHT_SOURCE, encoding="utf-8")
    text = EDITION.replace("sources:\n", shapes + "sources:\n", 1)
    (project / "edition.yaml").write_text(text, encoding="utf-8")
    return project


def test_a_taught_shape_is_parsed_into_its_parts(tmp_path: Path) -> None:
    from pipeline.config import load_config

    edition = load_config(_taught_project(tmp_path) / "edition.yaml")
    archives = load_archives(FIXTURES / "registers.xml", edition.citation_shapes)
    [c] = find_citations("NRS, GD 40/1234, fol. 12-14.", archives)
    assert {p.kind: p.value for p in c.parts} == {"series": "GD 40", "file": "1234", "folios": "12-14"}
    assert (c.folios_from, c.folios_to, c.archive_printed) == ("12", "14", "")
    [c] = find_citations("ANOM, GGA/17.", archives)
    assert (c.archive, c.archive_id) == ("ANOM", None)  # not in these registers: parsed, and reported
    assert {p.kind: p.value for p in c.parts} == {"fond": "GGA", "item": "17"}
    untaught = find_citations("NRS, GD 40/1234, fol. 12-14.", ARCHIVES)  # the built-in shapes alone
    assert not any({p.kind for p in c.parts} == {"series", "file", "folios"} for c in untaught)


def test_taught_shapes_convert_to_valid_tei(tmp_path: Path) -> None:
    project = _taught_project(tmp_path)
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    paths = sorted((project / "tei" / "cs").glob("*.xml"))
    idnos = [{i.get("type"): i.text for i in etree.parse(str(p)).iterfind(f".//{T}msIdentifier/{T}idno")}
             for p in paths]
    assert idnos == [{"series": "GD 40", "file": "1234"}, {"fond": "GGA", "item": "17"}]
    assert main(["validate", "--config", str(project / "edition.yaml"), *map(str, paths)]) == 0


@pytest.mark.parametrize(("shape", "message"), [
    ("    - pattern: '(?P<archive>X), (?P<file>\\d+'\n", "does not compile"),
    ("    - pattern: '(?P<archive>X), (?P<box>\\d+)'\n", "(?P<box>…) is not a part of a citation"),
    ("    - pattern: '(?P<archive>X), (?P<fond>\\d+)'\n", "needs a group for the unit it cites"),
    ("    - pattern: 'Box (?P<file>\\d+)'\n", "names no archive"),
    ("    - pattern: '(?P<archive>X)?(?P<file>\\d+)?'\n", "matches empty text"),
    ("    - {pattern: '(?P<archive>X) (?P<file>\\d+)', fonds: 3}\n", "unknown key 'fonds'"),
])
def test_a_wrong_taught_shape_is_one_line_naming_its_line(tmp_path: Path, shape: str, message: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = _taught_project(tmp_path, "  citations:\n" + shape)
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 1
    err = capsys.readouterr().err
    assert message in err and "edition.yaml:7" in err, err
    assert "Traceback" not in err


# -- the starter registers of a new project --------------------------------------------------

STARTER_CITATIONS = [
    ("RGANI. F. 3. Op. 16. D. 294. L.219.", "RGANI", {"fond": "3", "opis": "16", "delo": "294", "folios": "219"}),
    ("GARF, f. R-5446, op. 1, d. 12, l. 3.", "GARF", {"fond": "R-5446", "opis": "1", "delo": "12", "folios": "3"}),
    ("RGASPI, f. 17, op. 3, d. 45, l. 1-2.", "RGASPI", {"fond": "17", "opis": "3", "delo": "45", "folios": "1-2"}),
    ("TNA, FO 371/3333.", "TNA", {"series": "FO 371", "piece": "3333"}),
    ("National Archives and Records Administration, Record Group 59, Decimal File 861.00/1234.", "NARA",
     {"record-group": "59", "file": "861.00/1234"}),
    ("PA AA, RZ 211/98765, Bl. 3-4.", "PA AA", {"series": "RZ 211", "file": "98765", "folios": "3-4"}),
    ("PA AA, R 1234.", "PA AA", {"series": "R", "file": "1234"}),
    ("BArch, R 43 I/1234, Bl. 5.", "BArch", {"series": "R 43 I", "file": "1234", "folios": "5"}),
    ("Bundesarchiv NS 19/1234.", "BArch", {"series": "NS 19", "file": "1234"}),
    ("AD, Correspondance politique, Russie, vol. 12, f. 34.", "AD",
     {"series": "Correspondance politique", "item": "Russie", "file": "12", "folios": "34"}),
    ("Archives diplomatiques, Guerre 1914-1918, vol. 1234.", "AD", {"series": "Guerre 1914-1918", "file": "1234"}),
    ("[AA: A981, GER 42]", "NAA", {"series": "A981", "item": "GER 42"}),
]


@pytest.mark.parametrize(("text", "archive", "parts"), STARTER_CITATIONS, ids=[c[0][:30] for c in STARTER_CITATIONS])
def test_the_starter_registers_know_the_common_archives_and_their_shapes(text: str, archive: str,
                                                                         parts: dict[str, str]) -> None:
    starter = load_archives(Path(__file__).resolve().parent.parent / "pipeline" / "registers" / "starter.xml")
    [c] = find_citations(text, starter)
    assert (c.archive, c.unknown_archive) == (archive, None)
    assert {p.kind: p.value for p in c.parts} == parts
    assert is_source_line(text, starter)


def test_a_new_project_gets_the_starter_registers_and_keeps_its_own(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, registers=False)
    config = str(project / "edition.yaml")
    assert main(["convert", "--config", config]) == 0
    assert "starter registers written" in capsys.readouterr().err
    registers = project / "tei" / "registers.xml"
    assert main(["validate", "--config", config, str(registers)]) == 0
    edited = registers.read_text(encoding="utf-8").replace("(RGANI)</orgName>", "(RGANI), Moscow</orgName>")
    registers.write_text(edited, encoding="utf-8")
    assert main(["convert", "--config", config]) == 0
    assert registers.read_text(encoding="utf-8") == edited  # the editors' file from now on
    assert "starter registers" not in capsys.readouterr().err
