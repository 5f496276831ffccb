"""A hostile tester's corpus, made here, run through every command: exit code 0, 1 or 2,
no traceback and no internal error on any stream, nothing written outside tei/ and out/,
nothing half-written. The big cases (a 50 MB TEI file, a 3.6 MB line at full size) are in
benchmarks/hostile_bench.py; here they are made small where the point is their shape."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import xmlparse
from pipeline.cli import main
from pipeline.errors import EditionError

from .hostile_project import one_source_project

SOURCE = "sources/000_4958403d30913677.txt"


def outside(project: Path) -> dict[str, bytes]:
    """Every file of the project's folder and beside it, except under tei/ and out/."""
    root = project.parent
    keep = (f"{project.name}/tei/", f"{project.name}/out/")
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(keep)}


def run_all(project: Path, commands: list[list[str]], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, str]]:
    before = outside(project)
    results = []
    for command in commands:
        code = main([*command, "--config", str(project / "edition.yaml")])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert code in (0, 1, 2), (command, code, text[-2000:])
        assert "Traceback" not in text and "internal error" not in text, (command, text[-2000:])
        if code:
            errors = [line for line in text.splitlines() if "error" in line]
            assert errors, (command, text[-2000:])
        results.append((command[0], code, text))
    assert outside(project) == before, "written outside tei/ and out/"
    half = [p for p in project.rglob("*") if p.name.endswith(".tmp") or ".transaction" in p.name
            or re.match(r"^\.(html|deposit|pdf)\.", p.name)]
    assert not half, half
    return results


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = one_source_project(tmp_path_factory.mktemp("hostile") / "project")
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    assert main(["link", "-q", "--config", str(project / "edition.yaml")]) == 0
    return project


def copy(linked: Path, tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(linked, project, symlinks=True)
    return project


# -- sources -----------------------------------------------------------------------------------

def _lines(project: Path) -> list[bytes]:
    return (project / SOURCE).read_bytes().split(b"\n")


def _replace(transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / SOURCE
        path.write_bytes(transform(path.read_bytes()))
    return apply


SOURCE_CASES: dict[str, Callable[[Path], None]] = {
    "control characters": _replace(lambda b: b.replace(b"Telegram", b"Tele\x0bgr\x0cam\x01\x1b[31m", 3)),
    "NUL": _replace(lambda b: b.replace(b"Telegram", b"Tele\x00gram", 1)),
    "lone surrogate": _replace(lambda b: b.replace(b"Telegram", b"Tele\xed\xa0\x80gram", 1)),
    "BOM": _replace(lambda b: b"\xef\xbb\xbf" + b),
    "CRLF": _replace(lambda b: b.replace(b"\n", b"\r\n")),
    "CR only": _replace(lambda b: b.replace(b"\n", b"\r")),
    "Latin-1": _replace(lambda b: b.decode("utf-8").encode("latin-1", "replace")),
    "UTF-16": _replace(lambda b: b.decode("utf-8").encode("utf-16")),
    "one long line": _replace(lambda b: b.replace(b"\n", b" ") + b"x" * 300_000),
    "empty": _replace(lambda b: b""),
    "whitespace only": _replace(lambda b: b" \n\t\n"),
    "binary": _replace(lambda b: bytes(range(256)) * 100),
    "absurd dates and numbers": _replace(lambda b: b.replace(
        b"No. 556", b"No. 99999999999999999999999", 1).replace(b"1920", b"99999", 5)
        + b"\n\nNo. 0\n\n31 February 1920. 00 Smarch 0000. 1 January -44. 10^400\n"),
    "markup in text": _replace(lambda b: b.replace(b"Telegram", b"<script>alert(1)</script>]]>&amp;&#0;#set page(", 2)),
    "deep brackets": _replace(lambda b: b + b"\n\n" + b"[" * 20_000 + b"]" * 20_000 + b"\n"),
    "many notes markers": _replace(lambda b: b + b"\n\n" + b"x*" * 20_000 + b"\n"),
}


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_hostile_sources(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    SOURCE_CASES[case](project)
    results = run_all(project, [["convert", "--force", "-q"], ["link", "-q"], ["validate", "-q"]], capsys)
    convert = results[0]
    if convert[1] == 0:  # converted: the TEI it wrote is well-formed and valid
        for path in (project / "tei").rglob("*.xml"):
            xmlparse.parse_file(path)
        assert results[2][1] == 0, results[2][2][-2000:]
    else:
        assert SOURCE.split("/")[1] in convert[2], convert[2]  # the file is named


# -- TEI files ---------------------------------------------------------------------------------

def _tei(transform: Callable[[str], str]) -> Callable[[Path], Path]:
    def apply(project: Path) -> Path:
        path = sorted((project / "tei" / "nk").glob("*.xml"))[0]
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path
    return apply


def _raw(data: bytes) -> Callable[[Path], Path]:
    def apply(project: Path) -> Path:
        path = sorted((project / "tei" / "nk").glob("*.xml"))[0]
        path.write_bytes(data)
        return path
    return apply


def _prolog(doctype: str) -> Callable[[str], str]:
    return lambda t: re.sub(r"(<\?xml[^>]*\?>)", lambda m: m.group(1) + doctype, t, count=1).replace(
        "<p>", "<p>&x;", 1)


BOMB = ('<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + '<!ENTITY x "&i;">]>')

TEI_CASES: dict[str, Callable[[Path], Path]] = {
    "external entity": _tei(_prolog('<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>')),
    "network entity": _tei(_prolog('<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>')),
    "entity bomb": _tei(_prolog(BOMB)),
    "external DTD": _tei(_prolog('<!DOCTYPE TEI SYSTEM "../../../etc/passwd">')),
    "XInclude": _tei(lambda t: t.replace("<p>", '<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                               'href="file:///etc/passwd" parse="text"/>', 1)),
    "deep nesting": _tei(lambda t: t.replace("<p>", "<p>" + "<hi>" * 100_000 + "</hi>" * 100_000, 1)),
    "not well-formed": _tei(lambda t: t.replace("</p>", "", 1)),
    "invalid character reference": _tei(lambda t: t.replace("<p>", "<p>&#1;", 1)),
    "control character": _tei(lambda t: t.replace("<p>", "<p>\x0b", 1)),
    "UTF-16": lambda project: _raw(sorted((project / "tei" / "nk").glob("*.xml"))[0].read_text(encoding="utf-8")
                                   .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))(project),
    "Latin-1 declared UTF-8": lambda project: _raw(sorted((project / "tei" / "nk").glob("*.xml"))[0].read_text(
        encoding="utf-8").encode("latin-1", "replace").replace(b"<p>", b"<p>\xe9", 1))(project),
    "empty": _raw(b""),
    "no namespace": _raw(b"<TEI><text><body><div type='document'/></body></text></TEI>"),
    "id with path": _tei(lambda t: re.sub(r'(<div type="document"[^>]*?) xml:id="[^"]*"', r"\1", t).replace(
        '<idno type="document">', '<idno type="document">../../PWNED/', 1)),
    "id with quotes": _tei(lambda t: re.sub(r'<idno type="document">[^<]*', '<idno type="document">a"b\'c&lt;',
                                            re.sub(r'(<div type="document"[^>]*?) xml:id="[^"]*"', r"\1", t))),
    "javascript ref": _tei(lambda t: t.replace("<p>", '<p><ref target="javascript:alert(1)">x</ref>'
                                               '<ref target=" JaVaScRiPt:alert(1)">y</ref>', 1)),
    "markup in text": _tei(lambda t: t.replace("<p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt; #set page(width: 1pt) "
                                               "$ \\ ] [ * _ ` @x &lt;x&gt; //", 1)),
    "absurd dates": _tei(lambda t: re.sub(r'when="[^"]*"', 'when="99999-99-99"', t)),
    "many notes": _tei(lambda t: t.replace("<p>", "<p>" + "".join(
        f'<note type="compiler" n="{i}">n{i}</note>' for i in range(2000)), 1)),
}

TEI_COMMANDS = [["link", "-q"], ["validate", "-q"], ["html", "-q"], ["pdf", "-q"], ["deposit", "-q"]]


@pytest.mark.parametrize("case", sorted(TEI_CASES))
def test_hostile_tei(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    target = TEI_CASES[case](project)
    results = run_all(project, TEI_COMMANDS, capsys)
    secret = Path("/etc/passwd").read_bytes()[:40] if Path("/etc/passwd").is_file() else b"root:x:0:0"
    for path in (project / "out").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert secret not in data, path
            if path.suffix == ".html":
                assert not re.search(rb'href="\s*javascript:', data, re.I), path
                assert b"<script>alert" not in data, path
    assert not list(project.parent.rglob("PWNED*"))
    for command, code, err in results:
        if code:
            assert target.name in err or "edition.yaml" in err or "not valid" in err, (command, err[-1500:])


# -- edition.yaml and the manifest -------------------------------------------------------------

def _yaml(transform: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "edition.yaml"
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


CONFIG_CASES: dict[str, Callable[[Path], None]] = {
    "empty list": _yaml(lambda t: "[]\n"),
    "scalar": _yaml(lambda t: "edition\n"),
    "aliases": _yaml(lambda t: t.replace("editors: [\"Yuri Barsegov\"]", "editors: &e [\"Y\"]\n      compilers: *e")),
    "alias bomb": _yaml(lambda t: "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)) + t),
    "deep nesting": _yaml(lambda t: t + "extra: " + "[" * 5000 + "]" * 5000 + "\n"),
    "duplicate keys": _yaml(lambda t: t.replace("  - id: nk\n", "  - id: nk\n    id: other\n")),
    "id with separators": _yaml(lambda t: t.replace("  - id: nk\n", "  - id: \"../x/'\\\"y\"\n")),
    "absolute file": _yaml(lambda t: t.replace(f"file: {SOURCE}", "file: /etc/passwd")),
    "file outside": _yaml(lambda t: t.replace(f"file: {SOURCE}", "file: ../../../../etc/passwd")),
    "javascript licence": _yaml(lambda t: t.replace("https://creativecommons.org/licenses/by-sa/4.0/",
                                                    "javascript:alert(1)")),
    "absurd numbers": _yaml(lambda t: t.replace("volume_size: 200", "volume_size: 99999999999999999999999")
                            .replace('year: "2026"', "year: 1e400")),
    "NUL": _yaml(lambda t: t.replace("Artatsolum", "Arta\x00tsolum")),
    "tabs and control": _yaml(lambda t: t.replace("  - id: nk", "\t- id: nk\x0b")),
    "binary": lambda project: (project / "edition.yaml").write_bytes(bytes(range(256))),
    "manifest traversal": lambda project: (project / "tei" / ".converted.json").write_text(
        '{"nk/../../../../victim.xml": "' + "0" * 64 + '"}', encoding="utf-8"),
    "manifest list": lambda project: (project / "tei" / ".converted.json").write_text("[]", encoding="utf-8"),
    "manifest deep": lambda project: (project / "tei" / ".converted.json").write_text(
        "[" * 100_000 + "]" * 100_000, encoding="utf-8"),
    "registers entity": lambda project: (project / "tei" / "registers.xml").write_text(
        '<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]><x>&x;</x>', encoding="utf-8"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_hostile_configuration(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    victim = tmp_path / "victim.xml"
    victim.write_text("<keep/>", encoding="utf-8")
    CONFIG_CASES[case](project)
    run_all(project, [["convert", "--force", "-q"], ["link", "-q"], ["validate", "-q"], ["html", "-q"]], capsys)
    assert victim.read_text(encoding="utf-8") == "<keep/>"


def test_the_factory_gives_clear_errors_for_any_bytes() -> None:
    for data in (b"", b"\x00", b"\xff\xfe<\x00", b"<a>" * 10, "<a>\ud800</a>".encode("utf-8", "surrogatepass")):
        with pytest.raises(EditionError):
            xmlparse.parse_bytes(data, path="x.xml")
