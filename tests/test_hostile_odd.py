"""A fourth hostile corpus, in the places the first three (test_hostile_corpus.py,
test_hostile_project.py, test_hostile_fresh.py) do not go: layout files given to
`edition inspect --layout`, the editors' front matter (front/*.md), the witnesses'
settings and overrides, many sources and sources sharing a file, encodings declared
against the bytes, environment variables, odd combinations of command-line options, and
TEI files that are well-formed and even valid but odd for html, pdf and deposit. The same
promises: exit code 0, 1 or 2, no traceback, no internal error, an error names its file,
nothing written outside tei/ and out/, nothing half-written, no hang — and where a case
says so, the error names what it must."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .hostile_project import (
    NAMED,
    SOURCE,
    copy,
    first_tei,
    linked_fixture,  # noqa: F401 (the fixture `linked`)
    run_all,
)
from .hostile_project import steps as _steps
from .hostile_project import tei_edited as _tei
from .hostile_project import yaml_replaced as _yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET = Path("/etc/passwd")
ODD_NAMED = (*NAMED, "front/", "layout", "--", "out/", "project/", "/dev/", "/etc/", "EDITION_", "SOURCE_DATE_EPOCH")
INSPECT = [["inspect", "nk", "-q", "--layout", "{project}/out/layout.yaml"]]
CONVERT = [["convert", "--force", "-q"], ["link", "-q"], ["inspect", "nk", "-q"]]
PUBLISH = [["validate", "-q"], ["html", "-q"], ["pdf", "-q"], ["deposit", "-q"]]
TEI = [["convert", "-q"], *PUBLISH]
WITNESSES = [["convert", "--force", "-q"], ["build", "-j", "1", "-q"]]


@dataclass
class Case:
    setup: Callable[[Path], None]
    commands: list[list[str]]
    env: dict[str, str] = field(default_factory=dict)
    names: str | None = None  # every failing command's error line names this
    codes: tuple[int, ...] = (0, 1, 2)  # the exit codes each command may end with
    check: Callable[[Path], None] | None = None  # what else must hold afterwards


def _pdf_text(project: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(project / "out" / "pdf" / "edition.pdf").pages)


def _printed_nothing_secret(project: Path) -> None:
    text = _pdf_text(project)
    assert "root:" not in text and "SECRET" not in text


def _layout(text: str | bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "out" / "layout.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return apply



def _front(data: str | bytes, name: str = "preface.md") -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "front").mkdir(exist_ok=True)
        (project / "front" / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def _front_link(target: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "front").mkdir(exist_ok=True)
        (project / "front" / "preface.md").symlink_to(target)
    return apply


def _front_special(kind: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "front").mkdir(exist_ok=True)
        path = project / "front" / "preface.md"
        if kind == "folder":
            path.mkdir()
        else:
            os.mkfifo(path)
    return apply


def _witnesses(text: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "tei" / "witnesses.yaml").write_text(text, encoding="utf-8")
    return apply


def _nk_block(project: Path) -> str:
    text = (project / "edition.yaml").read_text(encoding="utf-8")
    return text[text.index("  - id: nk\n"):text.index("\nprint:")]


def _add_source(project: Path, block: str, ident: str, file: str = SOURCE) -> None:
    """Another source like nk (`block`, its entry), with the id `ident` reading `file`."""
    config = project / "edition.yaml"
    block = block.replace("  - id: nk\n", f"  - id: {ident}\n").replace(f"file: {SOURCE}", f"file: {file}")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nprint:", "\n" + block.rstrip("\n") + "\n\nprint:", 1), encoding="utf-8")


def _second_source(project: Path, ident: str = "nk2") -> None:
    """A second source reading nk's file: every document is printed twice."""
    _add_source(project, _nk_block(project), ident)


def _many_sources(count: int) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        block = _nk_block(project)
        for i in range(count):
            shutil.copy(project / SOURCE, project / "sources" / f"copy{i}.txt")
            _add_source(project, block, f"c{i}", f"sources/copy{i}.txt")
    return apply



def _source_bytes(transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / SOURCE
        path.write_bytes(transform(path.read_bytes()))
    return apply



def _body(xml: str) -> Callable[[str], str]:
    """The first document's paragraphs replaced by `xml`."""
    return lambda t: re.sub(r"(?s)(<div type=\"document\"[^>]*>).*?(</div>\s*</body>)", lambda m: m.group(1) + xml
                            + m.group(2), t, count=1)


def _nested(tag: str, depth: int, inner: str = "x") -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


def _list(depth: int) -> str:
    return "<list><item>a" * depth + "</item></list>" * depth


def _idno_of(project: Path) -> str:
    found = re.search(r'<idno type="document">([^<]*)<', first_tei(project).read_text(encoding="utf-8"))
    assert found
    return found.group(1)


def _xml_model_outside(project: Path) -> None:
    outside = project.parent / "outside.rng"
    outside.write_text("secret: not a schema\n", encoding="utf-8")
    path = first_tei(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("../../schemas/edition.rng", "../../../outside.rng", 1), encoding="utf-8")


CASES: dict[str, Case] = {
    # -- layout files given to `edition inspect --layout` -----------------------------------------
    "layout: empty file": Case(_layout(""), INSPECT),
    "layout: a list": Case(_layout("- start\n- heading\n"), INSPECT),
    "layout: layout key holding a number": Case(_layout("layout: 5\n"), INSPECT),
    "layout: unknown keys": Case(_layout("colour: red\nstart:\n  shape: round\n"), INSPECT),
    "layout: encoding not offered": Case(_layout("encoding: utf-32\n"), INSPECT),
    "layout: absurd numbers": Case(_layout("heading:\n  max_paragraphs: -3\nstart:\n  gap: 99999999999999999999\n"),
                                   INSPECT),
    "layout: a preset that names a path": Case(_layout("preset: ../../../../etc/hostname\n"), INSPECT),
    "layout: UTF-16": Case(_layout("start:\n  gap: 2\n".encode("utf-16")), INSPECT),
    "layout: strings where lists belong": Case(_layout("boilerplate:\n  header_lines: 5\nstart:\n  headings: 7\n"),
                                               INSPECT),

    # -- the front matter the editors write (front/*.md) -----------------------------------------------
    "front: a link to a system file": Case(_front_link(str(SECRET)), [["pdf", "-q"], ["build", "-j", "1", "-q"]],
                                           names="front/preface.md", codes=(1,), check=_printed_nothing_secret),
    "front: a link round in a loop": Case(_front_link("preface.md"), [["pdf", "-q"]], names="front/preface.md",
                                          codes=(1,)),
    "front: a link out of the project": Case(_front_link("../../outside.md"), [["pdf", "-q"]],
                                             names="front/preface.md", codes=(1,)),
    "front: a named pipe": Case(_front_special("pipe"), [["pdf", "-q"]], names="front/preface.md", codes=(1,)),
    "front: a folder": Case(_front_special("folder"), [["pdf", "-q"]], names="front/preface.md", codes=(1,)),
    "front: Typst and markup": Case(_front('#read("/etc/passwd") #import "@preview/x:0.1.0": * $x^2$ ] [ \\ '
                                           "<script>alert(1)</script> #set page(width: 1pt) // /* @x `raw`\n"),
                                    [["pdf", "-q"]], codes=(0,), check=_printed_nothing_secret),
    "front: control characters and NUL": Case(_front("A\x0bC\x7f\u2028E\x1b[31mD\x00B\ufffe\n"), [["pdf", "-q"]],
                                              names="front/preface.md:1:", codes=(1,)),
    "front: a noncharacter": Case(_front("Text \ufffe more\n"), [["pdf", "-q"]], names="front/preface.md:1:",
                                  codes=(1,)),
    "front: Latin-1": Case(_front("Pr\xe9face\n".encode("latin-1")), [["pdf", "-q"]], names="front/preface.md",
                           codes=(1,)),
    "front: a word of 50,000 letters": Case(_front("x" * 50_000 + "\n"), [["pdf", "-q"]], codes=(0,)),
    "front: principles and sources odd": Case(_front("\n\n# only a heading\n\n", "principles.md"), [["pdf", "-q"]],
                                              codes=(0,)),

    # -- the witnesses' settings and overrides ---------------------------------------------------------------
    "witnesses: overrides outside the project": Case(_yaml("overrides: tei/witnesses.yaml", "overrides: /etc/passwd"),
                                                     WITNESSES, names="edition.yaml", codes=(1,)),
    "witnesses: overrides an XML file": Case(_yaml("overrides: tei/witnesses.yaml",
                                                   "overrides: tei/registers.xml"), WITNESSES, names="registers.xml",
                                           codes=(1,)),
    "witnesses: overrides a list": Case(_witnesses("- a\n- b\n"), WITNESSES, names="witnesses.yaml", codes=(1,)),
    "witnesses: merge of unknown ids": Case(_witnesses("merge:\n  - witnesses: [nk-1, nk-2]\n"), WITNESSES,
                                            names="witnesses.yaml", codes=(1,)),
    "witnesses: a document merged with itself": Case(
        lambda p: _witnesses(f"merge:\n  - witnesses: [{_idno_of(p)}, {_idno_of(p)}]\n")(p), WITNESSES,
        names="witnesses.yaml:2:", codes=(1,)),
    "witnesses: merged and split at once": Case(
        _witnesses("merge:\n  - witnesses: [nk-555, nk-556]\nsplit:\n  - [nk-555, nk-556]\n"), WITNESSES,
        names="witnesses.yaml:4:", codes=(1,)),
    "witnesses: a merge base not among the witnesses": Case(
        _witnesses("merge:\n  - witnesses: [nk-555, nk-556]\n    base: nk-557\n"), WITNESSES, names="witnesses.yaml",
        codes=(1,)),
    "witnesses: thresholds out of range": Case(_yaml("merge_at: 0.8", "merge_at: 7"), WITNESSES,
                                               names="edition.yaml", codes=(1,)),
    "witnesses: thresholds not numbers": Case(_yaml("min_shingles: 20", "min_shingles: .inf"), WITNESSES,
                                              names="edition.yaml", codes=(1,)),
    "witnesses: an empty sign among the equivalents": Case(_steps(_second_source, _yaml(
        'equivalents: {"ʹ": "\'"', 'equivalents: {"": "x", "ʹ": "\'"')), WITNESSES, names="edition.yaml:",
        codes=(1,)),
    "witnesses: a list among the equivalents": Case(_steps(_second_source, _yaml(
        'equivalents: {"ʹ": "\'"', 'equivalents: {"a": [1], "ʹ": "\'"')), WITNESSES, names="edition.yaml:",
        codes=(1,)),

    # -- many sources, sources sharing a file, encodings declared against the bytes ------------------------
    "sources: two reading one file": Case(_second_source, CONVERT),
    "sources: twelve copies of one text": Case(_many_sources(12), [["convert", "--force", "-q"]]),
    "sources: one id twice": Case(lambda p: _second_source(p, "nk"), CONVERT, names="edition.yaml"),
    "sources: none": Case(lambda p: (p / "edition.yaml").write_text(re.sub(
        r"(?s)\nsources:\n.*?\nprint:", "\nsources: []\n\nprint:", (p / "edition.yaml").read_text(encoding="utf-8")),
        encoding="utf-8"), CONVERT, names="edition.yaml"),
    "encoding: Latin-1 declared, UTF-8 given": Case(_yaml("profile: web-page", "layout:\n      preset: web-page\n"
                                                          "      encoding: latin-1"), CONVERT),
    "encoding: cp1252 declared, undefined bytes": Case(_steps(
        _yaml("profile: web-page", "layout:\n      preset: web-page\n      encoding: cp1252"),
        _source_bytes(lambda b: b.replace(b"Telegram", b"Tele\x81\x8dgram", 1))), CONVERT, names=SOURCE.split("/")[1]),
    "encoding: auto, UTF-16 given": Case(_steps(
        _yaml("profile: web-page", "layout:\n      preset: web-page\n      encoding: auto"),
        _source_bytes(lambda b: b.decode().encode("utf-16"))), CONVERT, names=SOURCE.split("/")[1]),
    "encoding: gzip bytes named .txt": Case(_source_bytes(lambda b: __import__("gzip").compress(b, mtime=0)),
                                            CONVERT, names=SOURCE.split("/")[1]),

    # -- environment variables ---------------------------------------------------------------------------------
    "env: lock wait negative and infinite": Case(lambda p: None, [["html", "-q"]], env={"EDITION_LOCK_WAIT": "-inf"}),
    "env: SOURCE_DATE_EPOCH before the zip's years": Case(lambda p: None, [["deposit", "-q"]],
                                                           env={"SOURCE_DATE_EPOCH": "0"}),
    "env: SOURCE_DATE_EPOCH with spaces and a sign": Case(lambda p: None, [["deposit", "-q"]],
                                                           env={"SOURCE_DATE_EPOCH": " +1700000000 "}),
    "env: TMPDIR a folder no one may write": Case(lambda p: None, [["html", "-q"], ["pdf", "-q"]],
                                                  env={"TMPDIR": "/proc"}),

    # -- command-line combinations -------------------------------------------------------------------------------
    "cli: one source named twice": Case(lambda p: None, [["convert", "-q", "nk", "nk", f"./{SOURCE}",
                                                          f"{{project}}/{SOURCE}"]], codes=(0,)),
    "cli: files and a release record": Case(lambda p: None, [["html", "-q", "--record-release", "{project}/tei/nk",
                                                              "--out", "{project}/out/anyhtml"]],
                                            names="--record-release", codes=(2,),
                                            check=lambda p: _none(p / "releases")),
    "cli: files and print options": Case(lambda p: None, [["pdf", "-q", "{project}/tei/nk", "--volume-size", "0",
                                                           "--by-collection", "--out", "{project}/out/any.pdf"]],
                                         names="--by-collection and --volume-size", codes=(2,),
                                         check=lambda p: _none(p / "out" / "any.pdf")),
    "cli: deposit --out an html output": Case(lambda p: None, [["deposit", "-q", "--out", "{project}/out/html"]],
                                              names="out/html", codes=(2,)),
    "cli: html --out a deposit output": Case(lambda p: None, [["deposit", "-q", "--out", "{project}/out/dep"],
                                                              ["html", "-q", "--out", "{project}/out/dep"]]),
    "cli: --config a folder": Case(lambda p: None, [["validate", "-q", "--config", "{project}"],
                                                    ["html", "-q", "--config", "{project}"]]),
    "cli: --config empty": Case(lambda p: None, [["html", "-q", "--config", ""]]),
    "cli: --config beside no project": Case(lambda p: shutil.copy(p / "edition.yaml", p / "out" / "edition.yaml"),
                                            [["convert", "-q", "--config", "{project}/out/edition.yaml"],
                                             ["html", "-q", "--config", "{project}/out/edition.yaml"]]),

    # -- TEI files, well-formed (most of them valid) but odd for html, pdf and deposit ------------------------------
    "tei: no header": Case(_tei(lambda t: re.sub(r"(?s)<teiHeader>.*</teiHeader>", "", t)), TEI),
    "tei: no title and no idno": Case(_tei(lambda t: re.sub(r"(?s)<titleStmt>.*?</titleStmt>", "<titleStmt/>",
                                                            t).replace('<idno type="document">', '<idno type="x">')),
                                      TEI),
    "tei: a title of 20,000 characters": Case(_tei(lambda t: re.sub(r"<title>[^<]*</title>",
                                                                    "<title>" + "Long title " * 2000 + "</title>",
                                                                    t, count=1)), TEI),
    "tei: two documents in one file": Case(_tei(lambda t: re.sub(r"(?s)(<div type=\"document\".*?</div>)",
                                                                 lambda m: m.group(1) + m.group(1).replace(
                                                                     'xml:id="', 'xml:id="z'), t, count=1)), TEI),
    "tei: notes in notes in notes": Case(_tei(_body("<p>a" + _nested("note", 40, "deep") + " b</p>")), TEI),
    "tei: lists 120 deep (240 elements, within the parser's limit)": Case(_tei(_body(_list(120))), TEI),
    "tei: a ragged table": Case(_tei(_body('<table rows="99999" cols="99999"><row><cell>a</cell></row><row>'
                                           + "<cell>b</cell>" * 300 + '</row><row><cell cols="5000" rows="-1">c'
                                           "</cell></row></table>")), TEI),
    "tei: 30,000 line breaks": Case(_tei(_body("<p>" + "a<lb/>" * 30_000 + "</p>")), TEI),
    "tei: scripts no font holds": Case(_tei(_body('<p xml:lang="ar">مرحبا بالعالم</p><p>𓀀𓀁 \U000e0041 \U0010fffd '
                                                  "ꦲꦏ᭄ 𝔘𝔫𝔦</p>")), TEI),
    "tei: impossible dates in the header": Case(_tei(lambda t: re.sub(
        r'<date when="[^"]*"/>', '<date when="2020-02-30" notBefore="1950-01-01" notAfter="1900-01-01"/>', t)), TEI),
    "tei: a reference and an image leading out": Case(_tei(_body(
        '<p><ref type="origin" target="../../../../../etc/passwd#line=1,2">x</ref><graphic url="../../../../../etc/'
        'passwd"/><ptr target="../../../outside.xml#a"/></p>')), TEI),
    "tei: xml-model to a file outside the project": Case(_xml_model_outside, [["validate", "-q"]],
                                                         names="outside.rng", codes=(1,)),
}


def _none(path: Path) -> None:
    assert not path.exists(), path


def _commands(case: Case, project: Path) -> list[list[str]]:
    return [[part.replace("{project}", str(project)) for part in command] for command in case.commands]


@pytest.mark.parametrize("name", sorted(CASES))
def test_odd_hostile_case(name: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy(linked, tmp_path)
    (tmp_path / "outside.md").write_text("SECRET outside the project\n", encoding="utf-8")
    case = CASES[name]
    case.setup(project)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    if "TMPDIR" in case.env:
        import tempfile

        monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(project)
    done = threading.Event()
    watchdog = threading.Timer(300, lambda: None if done.is_set() else os._exit(99))  # a hang fails the run
    watchdog.start()
    try:
        results = _run(project, _commands(case, project), capsys)
    finally:
        done.set()
        watchdog.cancel()
    if case.check is not None:
        case.check(project)
    for command, code, text in results:
        assert code in case.codes, (command, code, text[-1500:])
        if code and case.names:
            errors = [line for line in text.splitlines() if "error:" in line]
            assert errors and all(case.names in line for line in errors), (command, errors[:5])
    secret = SECRET.read_bytes()[:40] if SECRET.is_file() else b"\0never"
    out = project / "out"
    for path in out.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.suffix in (".html", ".xml", ".txt", ".typ", ".json"):
            data = path.read_bytes()
            assert secret not in data and b"SECRET outside" not in data, path


def _run(project: Path, commands: list[list[str]], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, str]]:
    """run_all, for commands that may bring their own --config."""
    own = [c for c in commands if "--config" in c]
    if not own:
        return run_all(project, commands, capsys, named=ODD_NAMED)
    from pipeline.cli import main

    results = []
    for command in commands:
        capsys.readouterr()
        code = main(command)
        text = "\n".join(capsys.readouterr())
        assert code in (0, 1, 2) and "Traceback" not in text and "internal error" not in text, (command, text[-1500:])
        if code:
            assert [line for line in text.splitlines() if "error" in line], (command, text[-1500:])
        results.append((command[0], code, text))
    return results


def test_an_ascii_terminal(linked: Path, tmp_path: Path) -> None:
    """A terminal that takes ASCII only (LC_ALL=C, PYTHONIOENCODING=ascii): what the commands
    print (headings with dashes and quotes, paths) never ends in an encoding error."""
    project = copy(linked, tmp_path)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    for command in (["inspect", "nk"], ["validate"], ["html", str(project / "tei" / "nk" / "missing—file.xml")]):
        out = subprocess.run([sys.executable, "-m", "pipeline.cli", *command, "--config",
                              str(project / "edition.yaml")], capture_output=True, env=env, cwd=project, timeout=300)
        err = out.stderr.decode("utf-8", "replace")
        assert out.returncode in (0, 1, 2), (command, err)
        assert "Traceback" not in err and "internal error" not in err and "UnicodeEncodeError" not in err, (command,
                                                                                                            err)


# -- the leftovers of #11: what a path is, a folder where a file belongs, --out's marker ----------

def test_a_path_that_is_no_file_is_named_for_what_it_is(linked: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`validate`, `html` and `pdf` of a device, a pipe or a link loop: one line saying
    what it is and what to give, exit code 2, nothing read from it."""
    from pipeline.cli import main

    pipe, loop = tmp_path / "pipe.xml", tmp_path / "loop.xml"
    os.mkfifo(pipe)
    loop.symlink_to(loop.name)
    config = str(linked / "edition.yaml")
    for command in (["validate"], ["html", "--out", str(tmp_path / "site")], ["pdf", "--out", str(tmp_path / "a.pdf")]):
        for path, kind in (("/dev/zero", "a character device, not a file"), (str(pipe), "a named pipe, not a file"),
                           (str(loop), "a symbolic link that leads round in a loop")):
            capsys.readouterr()
            code = main([*command[:1], path, *command[1:], "--config", config])
            errors = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
            assert code == 2 and len(errors) == 1, (command, path, errors)
            assert f"{path}: error: {kind}" in errors[0] and "give TEI files" in errors[0], errors


@pytest.mark.parametrize("name", ["registers.xml", "edition.xml", "witnesses.yaml"])
def test_a_folder_where_a_file_of_tei_belongs(name: str, linked: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A folder in the place of tei/registers.xml (or another file of tei/ the commands read
    by name): every command stops at once with one line naming it, saying what to do."""
    project = copy(linked, tmp_path)
    (project / "tei" / name).unlink(missing_ok=True)
    (project / "tei" / name).mkdir()
    for command, code, text in run_all(project, [["convert", "-q"], ["validate", "-q"], ["html", "-q"],
                                                 ["build", "-j", "1", "-q"]], capsys):
        errors = [line for line in text.splitlines() if line.strip()]
        assert code == 1 and len(errors) == 1, (command, errors)
        assert f"tei/{name}: error: a folder, where the file of" in errors[0] and "move the folder away" in errors[0]


def test_out_replaces_only_what_carries_the_commands_mark(linked: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`--out` of html, deposit and `pdf PATH…` replaces a folder (or PDF) only when it
    carries that command's mark (the file .edition-output, the PDF's keyword), which every
    output of the command carries: a folder that merely looks like a site (its
    index.html), a bag and a zip, or a PDF made elsewhere are refused in one line saying
    what to do (an output of an older version has no mark), and left as they were."""
    from pipeline.cli import main
    from pipeline.write import OUTPUT_MARKER

    project = copy(linked, tmp_path)
    config = ["--config", str(project / "edition.yaml"), "-q"]
    site, bag, pdf = tmp_path / "site", tmp_path / "bag", tmp_path / "print.pdf"
    site.mkdir()
    (site / "index.html").write_text("an older site", encoding="utf-8")
    (bag / "x").mkdir(parents=True)
    (bag / "x" / "bagit.txt").write_text("BagIt-Version: 0.97\n", encoding="utf-8")
    (bag / "x.zip").write_bytes(b"PK")
    pdf.write_bytes(b"%PDF-1.7 someone's thesis")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and project not in p.parents}
    for command, out in ((["html"], site), (["deposit"], bag), (["pdf", str(project / "tei" / "nk")], pdf)):
        capsys.readouterr()
        assert main([*command, "--out", str(out), *config]) == 2
        errors = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(errors) == 1 and "is not an output of `edition" in errors[0], errors
        assert "an output made before the pipeline marked its outputs has no mark" in errors[0], errors
    assert {p: p.read_bytes() for p in before} == before
    for command, out in ((["html"], site), (["deposit"], bag), (["pdf", str(project / "tei" / "nk")], pdf)):
        shutil.rmtree(out) if out.is_dir() else out.unlink()
        for _ in range(2):  # made, then an earlier output of the command: replaced
            assert main([*command, "--out", str(out), *config]) == 0, capsys.readouterr().err
        assert out.is_file() or (out / OUTPUT_MARKER).is_file()
    assert main(["html", "--out", str(bag), *config]) == 2  # a deposit is no site
    assert main(["deposit", "--out", str(site), *config]) == 2  # nor a site a deposit
