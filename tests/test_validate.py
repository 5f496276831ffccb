"""`edition validate`: every rule rejects its fixture at the marked line, valid files pass,
the reporters agree, malformed and hostile XML are handled safely."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from lxml import etree

from pipeline import validate as v

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "validate"
PROJECT = FIXTURES / "project"
INVALID = sorted((FIXTURES / "invalid").glob("*.xml"))
SCHEMAS = HERE.parent / "schemas"
HEADER = re.compile(r"Breaks the rule (\S+): .*? as (\S+?\.xml)(?:; also: ([^.]*))?\. -->")
MARK = "<!--here-->"


@pytest.fixture(scope="module")
def schemas() -> v.Schemas:
    return v.Schemas.load(SCHEMAS)


def make_project(root: Path) -> Path:
    """A copy of the valid fixture project with the edition's schemas beside it."""
    shutil.copytree(PROJECT, root, dirs_exist_ok=True)
    shutil.copytree(SCHEMAS, root / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def check(root: Path, schemas: v.Schemas) -> v.Report:
    files, missing = v.collect([root / "tei"])
    assert not missing
    return v.validate_files(files, schemas)


# ---------------------------------------------------------------------------------------
# valid files
# ---------------------------------------------------------------------------------------


def test_valid_project_has_no_findings(tmp_path: Path, schemas: v.Schemas) -> None:
    report = check(make_project(tmp_path), schemas)
    assert report.findings == []
    assert len(report.files) == 3
    assert report.exit_code() == 0


def test_rules_are_documented() -> None:
    """Every rule id of the Schematron and of this module is listed in schemas/README.md."""
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    sch = etree.parse(str(SCHEMAS / "edition.sch"))
    ids = set(sch.xpath("//s:assert/@id | //s:report/@id", namespaces={"s": "http://purl.oclc.org/dsdl/schematron"}))
    ids |= {HEADER.search(p.read_text(encoding="utf-8")).group(1) for p in INVALID}  # type: ignore[union-attr]
    missing = sorted(i for i in ids if f"`{i}`" not in readme)
    assert not missing, f"rule ids missing from schemas/README.md: {missing}"


def test_every_schematron_rule_has_a_fixture() -> None:
    sch = etree.parse(str(SCHEMAS / "edition.sch"))
    ids = set(sch.xpath("//s:assert/@id", namespaces={"s": "http://purl.oclc.org/dsdl/schematron"}))
    covered = {HEADER.search(p.read_text(encoding="utf-8")).group(1) for p in INVALID}  # type: ignore[union-attr]
    assert ids <= covered, f"rules without an invalid fixture: {sorted(ids - covered)}"


# ---------------------------------------------------------------------------------------
# one invalid fixture per rule
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_is_rejected_at_the_marked_line(fixture: Path, tmp_path: Path,
                                                       schemas: v.Schemas) -> None:
    text = fixture.read_text(encoding="utf-8")
    header = HEADER.search(text)
    assert header, f"{fixture.name} lacks its 'Breaks the rule …' comment"
    rule, install, also = header.group(1), header.group(2), header.group(3)
    lines = [n for n, line in enumerate(text.split("\n"), 1) if line.endswith(MARK)]
    assert lines, f"{fixture.name} marks no line with {MARK}"
    root = make_project(tmp_path)
    target = root / install
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture, target)

    report = check(root, schemas)
    mine = [f for f in report.findings if f.file.endswith(install)]
    allowed = {rule, *(also.split(", ") if also else [])}
    others = [f for f in report.findings if not f.file.endswith(install) and f.rule not in allowed]
    hits = [f for f in mine if f.rule == rule and f.line in lines]
    assert hits, f"expected [{rule}] at line {lines}, got {[(f.rule, f.line) for f in mine]}"
    assert {f.rule for f in mine} <= allowed, [f.text() for f in mine if f.rule not in allowed]
    assert not others, [f.text() for f in others]
    severity = hits[0].severity
    assert report.exit_code() == (1 if severity == v.ERROR or report.errors else 0)
    assert all(f.message and f.message[0] not in " ." for f in hits)


# ---------------------------------------------------------------------------------------
# reporters and the command
# ---------------------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The fixture project with three broken documents (errors and a warning)."""
    root = make_project(tmp_path)
    for k, name in enumerate(("dateline-year", "resp-missing", "folio-range")):
        text = (FIXTURES / "invalid" / f"{name}.xml").read_text(encoding="utf-8")
        install = HEADER.search(text).group(2)  # type: ignore[union-attr]
        # each document its own lines of the source, so that they do not overlap
        (root / install).write_text(text.replace("001_test.txt#line=2,14", f"001_test.txt#line={k},{k + 1}"),
                                    encoding="utf-8")
    return root


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], cwd: Path,
            monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = v.main(args)
    out, err = capsys.readouterr()
    return code, out, err


TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*) "
                       r"\[(?P<rule>[a-z0-9-]+)\]$")


def text_findings(out: str) -> set[tuple[str, int, int, str, str, str]]:
    found = set()
    for line in out.splitlines():
        m = TEXT_LINE.match(line)
        if m:
            found.add((m["file"], int(m["line"]), int(m["col"]), m["sev"], m["msg"], m["rule"]))
    return found


def test_text_output_is_grouped_and_summarised(broken: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_cli([], capsys, broken, monkeypatch)
    assert code == 1
    lines = out.rstrip("\n").split("\n")
    assert lines[-1] == "2 errors and 1 warning; 2 of 6 files invalid."
    files = [TEXT_LINE.match(x)["file"] for x in lines if TEXT_LINE.match(x)]  # type: ignore[index]
    assert files == sorted(files, key=files.index)  # grouped: each file's lines together
    assert len(set(files)) == 3 and "" in lines  # a blank line between groups


def test_json_junit_github_carry_the_same_findings(broken: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _, text, _ = run_cli([], capsys, broken, monkeypatch)
    expected = text_findings(text)
    assert len(expected) == 3

    code, out, _ = run_cli(["--format", "json"], capsys, broken, monkeypatch)
    data = json.loads(out)
    assert code == 1 and data["errors"] == 2 and data["warnings"] == 1 and data["files"] == 6
    assert {(f["file"], f["line"], f["column"], f["severity"], f["message"], f["rule"])
            for f in data["findings"]} == expected

    code, out, _ = run_cli(["--format", "junit"], capsys, broken, monkeypatch)
    suite = etree.fromstring(out.encode()).find("testsuite")
    assert code == 1 and suite is not None
    assert suite.get("tests") == "6" and suite.get("failures") == "2"
    junit_lines = [f.text for f in suite.iter("failure")] + "\n".join(
        s.text or "" for s in suite.iter("system-out")).splitlines()
    assert text_findings("\n".join(x for x in junit_lines if x)) == expected

    code, out, _ = run_cli(["--format", "github"], capsys, broken, monkeypatch)
    annotations = [x for x in out.splitlines() if x.startswith("::")]
    assert code == 1 and len(annotations) == 3
    parsed = set()
    for a in annotations:
        m = re.match(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*) \[(\S+)\]$", a)
        assert m, a
        parsed.add((m[2], int(m[3]), int(m[4]), m[1], m[6].replace("%25", "%"), m[7]))
    assert parsed == expected


def test_quiet_text_output_hides_warnings(broken: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_cli(["-q"], capsys, broken, monkeypatch)
    assert code == 1 and "warning:" not in out.split("\n\n")[0] and "[folio-range]" not in out


def test_warnings_alone_exit_0_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "folio-range.xml", root / "tei" / "nk" / "nk-926.xml")
    assert run_cli([], capsys, root, monkeypatch)[0] == 0
    assert run_cli(["--strict"], capsys, root, monkeypatch)[0] == 1


def test_files_and_folders_as_arguments(broken: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_cli(["tei/nk/nk-562.xml", "tei/edition.xml"], capsys, broken, monkeypatch)
    assert code == 0 and out.strip() == "2 files checked: all valid."
    code, out, _ = run_cli(["tei/nk"], capsys, broken, monkeypatch)
    assert code == 1 and "of 5 files invalid" in out


def test_usage_and_io_errors_exit_2(broken: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run_cli(["tei/nope.xml"], capsys, broken, monkeypatch)
    assert code == 2 and "tei/nope.xml: error: no such file or folder" in err
    code, _, err = run_cli(["/dev/zero"], capsys, broken, monkeypatch)
    assert code == 2 and "/dev/zero: error: a character device, not a file" in err
    code, _, err = run_cli(["--schema", "/dev/zero", "tei/nk"], capsys, broken, monkeypatch)
    assert code == 2 and "/dev/zero: a character device, not a schema file" in err
    code, _, _ = run_cli(["--format", "yaml"], capsys, broken, monkeypatch)
    assert code == 2
    code, _, err = run_cli(["--schemas", "nowhere"], capsys, broken, monkeypatch)
    assert code == 2 and "schema is missing" in err
    (broken / "empty").mkdir()
    code, _, err = run_cli(["empty"], capsys, broken, monkeypatch)
    assert code == 2 and "no .xml files" in err


def test_unreadable_file_is_an_io_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.xml"
    path.write_text("<a/>", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr("pipeline.guard.read_plain", refuse)  # the one reader of files (a pipe never blocks it)
    src, findings = v.read(path, v.safe_parser())
    assert src is None and [f.rule for f in findings] == ["io-error"]
    assert v.Report(files=["a.xml"], findings=findings).exit_code() == 2


def test_cli_wiring(broken: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`edition validate` through the package's command line, when the lead has wired it."""
    cli = pytest.importorskip("pipeline.cli")
    monkeypatch.chdir(broken)
    assert cli.main(["validate", "--format", "json", "tei/nk/nk-562.xml"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True


# ---------------------------------------------------------------------------------------
# malformed and hostile XML
# ---------------------------------------------------------------------------------------


def test_malformed_xml_reports_line_and_column(tmp_path: Path, schemas: v.Schemas) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p>a & b</p>\n</TEI>\n',
                   encoding="utf-8")
    report = v.validate_files([bad], schemas)
    [finding] = report.findings
    assert (finding.rule, finding.line, finding.column) == ("xml-syntax", 3, 9)
    assert "not well-formed" in finding.message
    assert report.exit_code() == 1


def test_not_xml_at_all(tmp_path: Path, schemas: v.Schemas) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"\x00\xffnot xml")
    [finding] = v.validate_files([bad], schemas).findings
    assert finding.rule == "xml-syntax" and finding.line >= 1


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>
"""


def test_billion_laughs_is_rejected_without_expansion(tmp_path: Path, schemas: v.Schemas) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    report = v.validate_files([bomb], schemas)
    assert time.perf_counter() - started < 5
    assert [f.rule for f in report.findings] in (["xml-doctype"], ["xml-syntax"])
    assert report.exit_code() == 1
    assert "lollol" not in v.format_text(report)


def test_external_entity_is_never_resolved(tmp_path: Path, schemas: v.Schemas,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
                   '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>\n',
                   encoding="utf-8")
    src, findings = v.read(xxe, v.safe_parser())
    assert src is None and [f.rule for f in findings] == ["xml-doctype"]
    for fmt in v.FORMATS:
        code, out, err = run_cli(["--format", fmt, "--schemas", str(SCHEMAS), str(xxe)], capsys, tmp_path,
                                 monkeypatch)
        assert code == 1
        assert "TOP-SECRET-CONTENT" not in out + err


def test_external_dtd_and_network_are_not_fetched(tmp_path: Path, schemas: v.Schemas) -> None:
    remote = tmp_path / "remote.xml"
    remote.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">\n'
                      '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n', encoding="utf-8")
    started = time.perf_counter()
    [finding] = v.validate_files([remote], schemas).findings
    assert finding.rule == "xml-doctype" and time.perf_counter() - started < 5


# ---------------------------------------------------------------------------------------
# details
# ---------------------------------------------------------------------------------------


def test_start_tag_positions_skip_comments_cdata_and_pis() -> None:
    text = '<?xml version="1.0"?>\n<!-- <x> -->\n<a><![CDATA[<y>]]>\n  <b/><?pi <z>?><c>\n</c></a>'
    assert v.start_tags(text) == [(3, 1), (4, 3), (4, 17)]


def test_closed_value_lists_are_read_from_the_grammar(schemas: v.Schemas) -> None:
    assert schemas.values[("hi", "rend")] == ["bold", "italic", "sup"]
    assert schemas.values[("objectDesc", "form")][:2] == ["copy", "certified-copy"]
    assert ("idno", "type") not in schemas.values  # open in the header, so not a closed list


def test_rng_is_generated_from_the_rnc() -> None:
    """schemas/edition.rng is what schemas/build.py makes of edition.rnc (needs rnc2rng)."""
    pytest.importorskip("rnc2rng")
    import importlib.util

    spec = importlib.util.spec_from_file_location("schemas_build", SCHEMAS / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.generate() == (SCHEMAS / "edition.rng").read_text(encoding="utf-8"), \
        "edition.rng is out of date: run python schemas/build.py"


def test_ids_the_converter_gives_a_large_source_follow_the_house_rule() -> None:
    """A source of more than 999 undated documents, or of more than 26 documents of one
    day: the ids the converter gives them (u1000, 19210316ba) are ids the house rule accepts."""
    from types import SimpleNamespace

    from pipeline.convert import assign_ids
    from pipeline.validate.crossfile import DOC_ID

    source = SimpleNamespace(id="ssd")
    day = SimpleNamespace(when="1921-03-16", from_=None, not_before=None)
    docs = [SimpleNamespace(source=source, built=SimpleNamespace(date=None), number=None, first=k, id="")
            for k in range(1200)]
    docs += [SimpleNamespace(source=source, built=SimpleNamespace(date=day), number=None, first=k, id="")
             for k in range(30)]
    assign_ids(docs)  # type: ignore[arg-type]
    ids = [d.id for d in docs]
    assert len(set(ids)) == len(ids)
    assert {"ssd-u1000", "ssd-u1200", "ssd-19210316", "ssd-19210316z", "ssd-19210316ba"} <= set(ids)
    assert [i for i in ids if not DOC_ID.match(i)] == []
