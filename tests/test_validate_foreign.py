"""`edition validate` on TEI from elsewhere: own schemas, bundled tei_all, XSLT 2 Schematron
(the CMIF rules, a FRUS-like rule set), the rule set switched off, advice for ids, pointers."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from pipeline import validate as v

HERE = Path(__file__).resolve().parent
FOREIGN = HERE / "fixtures" / "foreign"
CMIF = FOREIGN / "cmif"
FRUS = FOREIGN / "frus-like"
STYLESHEETS = FOREIGN / "tei-stylesheets"
TEI = "{http://www.tei-c.org/ns/1.0}"


def run(args: list[str], capsys: pytest.CaptureFixture[str], cwd: Path,
        monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = v.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def findings(out: str) -> list[dict[str, object]]:
    return list(json.loads(out)["findings"])


# ---------------------------------------------------------------------------------------
# CMIF: the real Schematron (queryBinding xslt2) on the real examples and broken copies
# ---------------------------------------------------------------------------------------


def broken_cmif(tmp_path: Path) -> Path:
    """example01 with each CMIF rule broken once, at a known line."""
    tree = etree.parse(str(CMIF / "example01_basic.xml"))
    root = tree.getroot()
    first, second, third = root.iter(f"{TEI}correspDesc")
    received = first.find(f"{TEI}correspAction[@type='received']")
    assert received is not None
    first.remove(received)  # E0002
    date = second.find(f".//{TEI}date")
    assert date is not None
    for key in list(date.attrib):
        del date.attrib[key]  # E0004
    third.set("source", "#nowhere")  # E0003 (and a broken pointer)
    bibl = root.find(f".//{TEI}sourceDesc/{TEI}bibl")
    assert bibl is not None
    bibl.set("{http://www.w3.org/XML/1998/namespace}id", "not-a-uuid")  # W0001
    for c in (first, second, third):
        if c is not third:
            c.set("source", "#not-a-uuid")
    out = tmp_path / "letters.xml"
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def test_cmif_schematron_passes_the_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["--format", "json", "--schema", str(CMIF / "cmif.sch"), str(CMIF / "example01_basic.xml"),
                        str(CMIF / "example02_cmi-with-printed-edition.xml")], capsys, tmp_path, monkeypatch)
    assert code == 0 and findings(out) == []


def test_cmif_schematron_finds_each_broken_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    letters = broken_cmif(tmp_path)
    code, out, _ = run(["--format", "json", "--schema", str(CMIF / "cmif.sch"), str(letters)], capsys, tmp_path,
                       monkeypatch)
    assert code == 1
    got = {(str(f["message"])[:7], f["severity"], f["rule"]) for f in findings(out)}
    assert ("[W0001]", "warning", "uuid") in got
    assert ("[E0002]", "error", "correspDesc") in got
    assert ("[E0003]", "error", "correspDesc") in got
    assert ("[E0004]", "error", "date") in got
    assert ("[E0001]", "error", "correspDesc") not in got
    text = letters.read_text(encoding="utf-8").split("\n")
    for f in findings(out):
        line = text[int(str(f["line"])) - 1]
        if str(f["message"]).startswith("[E0004]"):
            assert "<date" in line
        if str(f["message"]).startswith("[W0001]"):
            assert "<bibl" in line
    # a rule switched off by id
    code, out, _ = run(["--format", "json", "--schema", str(CMIF / "cmif.sch"), "--disable", "correspDesc",
                        "--disable", "date", "--disable", "pointer-id", str(letters)], capsys, tmp_path, monkeypatch)
    assert code == 0 and {f["rule"] for f in findings(out)} == {"uuid"}


# ---------------------------------------------------------------------------------------
# a FRUS-like rule set: include, abstract pattern, phase, let, diagnostics, ends-with()
# ---------------------------------------------------------------------------------------


def test_frus_like_rules_through_the_files_xml_model(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FRUS, tmp_path / "vol")
    code, out, _ = run(["--format", "json", "vol"], capsys, tmp_path, monkeypatch)
    got = sorted((f["line"], f["severity"], f["rule"]) for f in findings(out))
    assert code == 1
    assert got == [(19, "error", "doc-id-ends-with-n"), (20, "warning", "id-ends-with-number"),
                   (21, "error", "time-zone")]
    messages = {f["rule"]: f["message"] for f in findings(out)}
    assert 'does not end with d2. (volume frus1969-76v99)' in str(messages["doc-id-ends-with-n"])  # let + diagnostic
    assert "the id of this note should" in str(messages["id-ends-with-number"]).lower()  # abstract pattern + <name/>
    assert 'ends with "08:30:00"' in str(messages["time-zone"])  # included pattern, tokenize()
    code, out, _ = run(["--format", "json", "--phase", "dates-only", "vol"], capsys, tmp_path, monkeypatch)
    assert [f["rule"] for f in findings(out)] == ["time-zone"]


def test_rnc_grammar_and_its_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FRUS, tmp_path / "vol")
    doc = tmp_path / "vol" / "frus1969-76v99.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace('rend="italic"', 'rend="underline"'), encoding="utf-8")
    code, out, _ = run(["--format", "json", "--disable", "doc-id-ends-with-n", "--disable", "time-zone",
                        "--disable", "id-ends-with-number", "vol"], capsys, tmp_path, monkeypatch)
    assert code == 1 and [(f["line"], f["rule"]) for f in findings(out)] == [(22, "schema")]


# ---------------------------------------------------------------------------------------
# xml-model, bundled tei_all, no house rules elsewhere
# ---------------------------------------------------------------------------------------


def test_remote_xml_model_is_reported_never_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(CMIF / "example01_basic.xml", tmp_path / "a.xml")
    code, out, _ = run(["--format", "json", "a.xml"], capsys, tmp_path, monkeypatch)
    [finding] = findings(out)
    assert code == 1 and finding["rule"] == "schema-remote" and finding["line"] == 2
    # the same href to a copy kept beside the file validates against it
    shutil.copy(CMIF / "cmi-customization.rng", tmp_path / "cmi-customization.rng")
    text = (tmp_path / "a.xml").read_text(encoding="utf-8")
    remote = "https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng"
    (tmp_path / "a.xml").write_text(text.replace(remote, "cmi-customization.rng"), encoding="utf-8")
    code, out, _ = run(["--format", "json", "a.xml"], capsys, tmp_path, monkeypatch)
    assert code == 1 and {f["rule"] for f in findings(out)} == {"schema"}  # cert="medium": jing agrees
    assert {f["line"] for f in findings(out)} == {43}


def test_remote_tei_all_uses_the_bundled_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = (STYLESHEETS / "testnotes1.xml").read_text(encoding="utf-8")
    pi = ('<?xml-model href="https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" '
          'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n')
    (tmp_path / "a.xml").write_text(text.replace("<TEI ", pi + "<TEI ", 1), encoding="utf-8")
    code, out, _ = run(["--format", "json", "a.xml"], capsys, tmp_path, monkeypatch)
    assert code == 0 and findings(out) == []


def test_no_schema_is_a_warning_and_no_house_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(STYLESHEETS / "testnotes1.xml", tmp_path / "a.xml")
    code, out, _ = run(["--format", "json", "a.xml"], capsys, tmp_path, monkeypatch)
    assert code == 0 and [f["rule"] for f in findings(out)] == ["no-schema"]


def test_fixed_word_scheme_is_not_a_pointer(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><tagsDecl>'
        '<rendition xml:id="r1" scheme="css">font-style: italic</rendition></tagsDecl>'
        '<classDecl><taxonomy xml:id="t"/></classDecl></encodingDesc></teiHeader>'
        '<text><body><p rendition="#r1"><ref target="#t">x</ref> <ref target="#missing">y</ref>'
        ' <ref target="other.xml#z">z</ref></p></body></text></TEI>', encoding="utf-8")
    code, out, _ = run(["--format", "json", "--disable", "no-schema", "a.xml"], capsys, tmp_path, monkeypatch)
    assert code == 1
    assert sorted(str(f["rule"]) for f in findings(out)) == ["pointer-file", "pointer-id"]


@pytest.mark.parametrize(("attrs", "rule", "advice"), [
    ('xml:id="a"/><p xml:id="a"', "xml-id-unique", "used twice in this file"),
    ('xml:id="1a"', "xml-id-invalid", "not a valid name"),
])
def test_id_errors_get_the_right_advice(tmp_path: Path, attrs: str, rule: str, advice: str) -> None:
    path = tmp_path / "a.xml"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p {attrs}/></body></text></TEI>',
                    encoding="utf-8")
    [finding] = v.validate_files([path]).findings
    assert finding.rule == rule and advice in finding.message and finding.line == 2
    assert "unclosed" not in finding.message


# ---------------------------------------------------------------------------------------
# tei_all: the same verdict as jing, file by file
# ---------------------------------------------------------------------------------------


def test_tei_all_verdicts_agree_with_jing(tmp_path: Path) -> None:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (scripts/setup.d/validate.sh installs it)")
    files = sorted(STYLESHEETS.glob("*.xml"))
    done = subprocess.run([jing, str(v.BUNDLED["tei_all"]), *map(str, files)], capture_output=True, text=True,
                          timeout=300)
    jing_invalid = {Path(line.split(":", 1)[0]).name for line in done.stdout.splitlines() if ": error:" in line}
    report = v.validate_files(files, options=v.Options(schemas=["tei_all"]))
    ours = {Path(f.file).name for f in report.findings if f.severity == v.ERROR}
    assert jing_invalid and len(jing_invalid) < len(files)  # the sample has both kinds
    assert ours == jing_invalid
