"""A hostile tester's corpus, made here, run through every command (convert, link, validate,
html, pdf, deposit, inspect, build): exit code 0, 1 or 2, no traceback and no internal
error on any stream, an error names the file it is about, nothing written outside tei/
and out/, nothing half-written. The big cases at full size (a 50 MB TEI file, a 3.6 MB
line) are timed in benchmarks/hostile_bench.py; here they are made once per session at
the size where their shape matters."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import xmlparse
from pipeline.cli import main
from pipeline.errors import EditionError

from .hostile_project import (
    COMMANDS,
    SOURCE,
    TEI_COMMANDS,
    copy,
    linked_fixture,  # noqa: F401 (the fixture `linked`)
    run_all,
    snapshot,
)
from .hostile_project import first_tei as _first

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
    "many notes markers": _replace(lambda b: b + b"\n\n" + b"x*" * 2_000 + b"\n"),
    "C1 controls and private use": _replace(lambda b: b.replace(
        b"Telegram", "Tele\x85gr\x9bam\ue000\U0010ffff".encode(), 2)),
    "bidi and zero-width": _replace(lambda b: b.replace(b"Telegram", "\u202eTele\u200bgram\u2066".encode(), 2)),
}


FOLDER = Path(__file__).parent / "fixtures" / "layouts" / "folder"


def _folder(front: str) -> Callable[[Path], None]:
    """The source becomes a folder of files, one document each; one file's front matter is hostile."""
    def apply(project: Path) -> None:
        folder = project / "sources" / "folder"
        shutil.copytree(FOLDER, folder)
        (folder / "04-hostile.md").write_text(f"---\n{front}\n---\n\nLONDON, 1 May 1920.\n\nText.\n",
                                              encoding="utf-8")
        path = project / "edition.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"file: {SOURCE}\n    profile: web-page",
                                                                 "file: sources/folder\n    layout: auto"),
                        encoding="utf-8")
    return apply


SOURCE_CASES.update({
    "front matter alias bomb": _folder("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
        + "title: *i"),
    "front matter deep nesting": _folder("title: " + "[" * 5000 + "]" * 5000),
    "front matter impossible date": _folder("date: 2020-13-45\nnumber: 99999999999999999999999999"),
    "front matter duplicate keys": _folder("title: a\ntitle: b"),
    "front matter not a mapping": _folder("- a\n- b"),
})


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_hostile_sources(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    SOURCE_CASES[case](project)
    before = snapshot(project / "tei")
    convert = run_all(project, COMMANDS[:1], capsys)[0]
    if convert[1] == 0:  # converted: the TEI it wrote is well-formed and valid, and goes through every stage
        for path in (project / "tei").rglob("*.xml"):
            xmlparse.parse_file(path)
        results = run_all(project, COMMANDS[1:], capsys)
        assert results[1][1] == 0, results[1][2][-2000:]
    else:
        # The file is named, and its line when the error is in one; nothing of tei/ changed,
        # so the stages between would read what the fixture's build read: only inspect and
        # build (which converts again) are run.
        assert re.search(r"sources/\S+(:\d+)?: error", convert[2]), convert[2]
        assert snapshot(project / "tei") == before
        run_all(project, [COMMANDS[6], COMMANDS[7]], capsys)


def test_a_line_of_megabytes_converts_and_links(linked: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A source line of 2 MB (the recognisers' linear time: the full 3.6 MB with its
    timings is in benchmarks/hostile_bench.py). Its one paragraph of 2 MB is not published
    here: typesetting it takes minutes (see docs/safety.md)."""
    project = copy(linked, tmp_path)
    _replace(lambda b: b + b"\n\n" + b"The Commissar wrote on 1 May 1920 that [...] " * 45_000 + b"\n")(project)
    results = run_all(project, [COMMANDS[0], COMMANDS[1], COMMANDS[2], COMMANDS[6]], capsys)
    assert [code for _, code, _ in results] == [0, 0, 0, 0], [r[2][-1000:] for r in results]


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
    "BOM": lambda project: _raw(b"\xef\xbb\xbf" + _first(project).read_bytes())(project),
    "CRLF": lambda project: _raw(_first(project).read_bytes().replace(b"\n", b"\r\n"))(project),
    "CR only": lambda project: _raw(_first(project).read_bytes().replace(b"\n", b"\r"))(project),
    "NUL": lambda project: _raw(_first(project).read_bytes().replace(b"<p>", b"<p>\x00", 1))(project),
    "lone surrogate": lambda project: _raw(
        _first(project).read_bytes().replace(b"<p>", b"<p>\xed\xa0\x80", 1))(project),
    "long line": _tei(lambda t: t.replace("<p>", "<p>" + "word [...] 1 May 1920 " * 12_000, 1)),
    "absurd numbers": _tei(lambda t: re.sub(r' n="[^"]*"', ' n="99999999999999999999999999"', t)
                           .replace("<p>", '<p><num value="1e99999">x</num>', 1)),
    "element soup": _tei(lambda t: t.replace("<p>", "<p><div><body><TEI><text/></TEI></body></div>"
                                             '<note target="#nowhere"/><ptr target="#"/><ref target=""/>', 1)),
    "empty document": _tei(lambda t: re.sub(r"(?s)<body>.*</body>", "<body/>", t)),
    "DOCTYPE only": _tei(lambda t: re.sub(r"(<\?xml[^>]*\?>)", r"\1<!DOCTYPE TEI>", t, count=1)),
    "processing instructions": _tei(lambda t: t.replace("<p>", '<p><?xml-stylesheet href="file:///etc/passwd"?>'
                                                        "<!-- --><![CDATA[<script>]]>", 1)),
}


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
        if code and command != "inspect":  # inspect reads the source, not the TEI
            assert target.name in err or "edition.yaml" in err or "not valid" in err, (command, err[-1500:])


# -- edition.yaml and the manifest -------------------------------------------------------------

def _yaml(transform: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "edition.yaml"
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


def _rename_source(name: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / SOURCE).rename(project / name)
        path = project / "edition.yaml"
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        path.write_text(path.read_text(encoding="utf-8").replace(f"file: {SOURCE}", f'file: "{quoted}"'),
                        encoding="utf-8")
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
    "witnesses overrides alias bomb": lambda project: (project / "tei" / "witnesses.yaml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
        encoding="utf-8"),
    "witnesses overrides binary": lambda project: (project / "tei" / "witnesses.yaml").write_bytes(
        bytes(range(256))),
    "file name with quotes": _rename_source("sources/it's \"a\" <b> & c.txt"),
    "file name with a separator": _yaml(lambda t: t.replace(f"file: {SOURCE}", f"file: sources/./../{SOURCE}")),
    "UTF-16": lambda project: (project / "edition.yaml").write_bytes(
        (project / "edition.yaml").read_text(encoding="utf-8").encode("utf-16")),
    "BOM and CRLF": lambda project: (project / "edition.yaml").write_bytes(
        b"\xef\xbb\xbf" + (project / "edition.yaml").read_bytes().replace(b"\n", b"\r\n")),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_hostile_configuration(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    victim = tmp_path / "victim.xml"
    victim.write_text("<keep/>", encoding="utf-8")
    CONFIG_CASES[case](project)
    run_all(project, COMMANDS, capsys)
    assert victim.read_text(encoding="utf-8") == "<keep/>"


def test_the_factory_gives_clear_errors_for_any_bytes() -> None:
    for data in (b"", b"\x00", b"\xff\xfe<\x00", b"<a>" * 10, "<a>\ud800</a>".encode("utf-8", "surrogatepass")):
        with pytest.raises(EditionError):
            xmlparse.parse_bytes(data, path="x.xml")


def test_typst_runs_within_its_limits(tmp_path: Path) -> None:
    """Typst in its child process: past its memory or its time it is stopped, and the
    stage gets one error saying which limit (edition.yaml limits:)."""
    from pipeline.typst_run import LimitExceeded, Limits, compile_limited

    job = {"root": str(tmp_path), "packages": str(tmp_path)}
    with pytest.raises(LimitExceeded, match="more than 400 MB"):
        compile_limited({**job, "source": "#let a = range(300000000)\n#a.len()"}, Limits(seconds=300, megabytes=400))
    with pytest.raises(LimitExceeded, match="took more than 2 s"):
        endless = "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n"  # allocates little
        compile_limited({**job, "source": endless}, Limits(seconds=2, megabytes=4000))
    done = compile_limited({**job, "source": "A text."}, Limits(seconds=300, megabytes=400))
    assert done.error is None and done.pdf is not None and done.pdf.startswith(b"%PDF")


def test_a_file_over_the_size_limit_is_left_out(linked: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A TEI file over `limits: tei_megabytes` is named (file, what to do) and left out by
    link, html and pdf, which process the other documents and end with exit code 1;
    deposit, which needs every file, refuses the edition."""
    project = copy(linked, tmp_path)
    config = project / "edition.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits:\n  tei_megabytes: 1\n", encoding="utf-8")
    big, *others = sorted((project / "tei" / "nk").glob("*.xml"))
    para = "<p>The Commissar wrote on 1 May 1920 that the talks would go on in Moscow.</p>\n"
    big.write_text(big.read_text(encoding="utf-8").replace("<p>", para * 15_000 + "<p>", 1), encoding="utf-8")
    assert big.stat().st_size > 1_000_000 > max(p.stat().st_size for p in others)
    shutil.rmtree(project / "out" / "html")
    (project / "out" / "pdf" / "edition.pdf").unlink()
    before = {p: p.read_bytes() for p in others}

    results = run_all(project, [["link", "-q"], ["html", "-q"], ["pdf", "-q"], ["deposit", "-q"]], capsys)
    for command, code, text in results:
        assert code == 1, (command, text[-1500:])
        errors = [line for line in text.splitlines() if "error" in line]
        assert errors and all(f"tei/nk/{big.name}" in line for line in errors), (command, errors)
        assert "tei_megabytes" in errors[0], errors[0]
        left_out = "left out and the other documents are processed" in errors[0]
        assert left_out == (command != "deposit"), (command, errors[0])
    pages = {p.name for p in (project / "out" / "html" / "documents").glob("*.html")}
    assert pages == {f"{p.stem}.html" for p in others}
    assert (project / "out" / "pdf" / "edition.pdf").is_file()
    assert {p: p.read_bytes() for p in others} == before  # linked already: link leaves them as they are


def test_saxon_runs_within_its_limits(tmp_path: Path) -> None:
    """Saxon in its child process: a transform past its time or its memory is stopped with
    one error naming the file and the limit (edition.yaml limits:), and the next transform
    gets a new child."""
    from pipeline.saxon_run import SaxonLimits
    from pipeline.transform import Transformer

    doc = tmp_path / "doc.xml"
    doc.write_text("<doc>text</doc>", encoding="utf-8")

    def sheet(name: str, select: str) -> Path:
        path = tmp_path / name
        path.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                        f'<xsl:output method="text"/><xsl:template match="/"><xsl:value-of select="{select}"/>'
                        "</xsl:template></xsl:stylesheet>", encoding="utf-8")
        return path

    endless = sheet("endless.xsl", "count((1 to 2000000000)[. mod 7 = 8])")  # allocates little
    greedy = sheet("greedy.xsl", "string-length(string-join((1 to 400000000) ! string(.), ','))")
    plain = sheet("plain.xsl", "string(/doc)")
    t = Transformer(SaxonLimits(seconds=2, megabytes=4000))
    with pytest.raises(EditionError, match=r"endless\.xsl took more than 2 s and was stopped") as caught:
        t.stylesheet(endless).apply(doc)
    assert caught.value.path == str(doc) and "saxon_seconds" in str(caught.value)
    assert t.stylesheet(plain).apply(doc) == "text"
    t = Transformer(SaxonLimits(seconds=300, megabytes=400))
    with pytest.raises(EditionError, match=r"greedy\.xsl needed more than 400 MB of memory") as caught:
        t.stylesheet(greedy).apply(doc)
    assert caught.value.path == str(doc) and "saxon_megabytes" in str(caught.value)
    assert t.stylesheet(plain).apply(doc) == "text"
    t.close()


def _many_notes(path: Path) -> None:
    """A document of 100,000 notes (9 MB, within the size limit): its page's transform
    takes Saxon some seconds."""
    notes = "".join(f"<p>Paragraph {i}" + "".join(
        f'<note n="{i * 10 + k + 1}" place="foot" type="compiler">Note.</note> a word' for k in range(10)) + "</p>\n"
        for i in range(10_000))
    path.write_text(path.read_text(encoding="utf-8").replace("<p>", notes + "<p>", 1), encoding="utf-8")


def test_a_transform_past_its_time_leaves_its_document_out(linked: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """With `limits: saxon_seconds: 1`, `edition html` stops the transform of a document
    of 100,000 notes, says which file and which limit in one line, leaves the document
    out and publishes the others (exit code 1); no page or listing links to it."""
    project = copy(linked, tmp_path)
    config = project / "edition.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits:\n  saxon_seconds: 1\n", encoding="utf-8")
    path, *others = sorted((project / "tei" / "nk").glob("*.xml"))
    _many_notes(path)
    shutil.rmtree(project / "out" / "html")
    (_, code, text), = run_all(project, [["html", "-q"]], capsys)
    assert code == 1, text[-1500:]
    errors = [line for line in text.splitlines() if "error" in line]
    assert len(errors) == 1 and f"tei/nk/{path.name}: error:" in errors[0], errors
    assert "took more than 1 s and was stopped" in errors[0] and "saxon_seconds" in errors[0], errors
    assert "left out" in errors[0], errors
    site = project / "out" / "html"
    pages = {p.name for p in (site / "documents").glob("*.html")}
    ids = {xmlparse.parse_file(p).getroot().findtext(".//{*}idno[@type='document']") for p in others}
    assert pages == {f"{i}.html" for i in ids}, pages
    gone = xmlparse.parse_file(path).getroot().findtext(".//{*}idno[@type='document']")
    for page in site.rglob("*.html"):
        assert f"{gone}.html" not in page.read_text(encoding="utf-8"), page


def test_the_limits_reach_the_workers(linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`limits:` of edition.yaml travel with the tasks to the worker processes of
    `edition build --jobs 2`: a Saxon limit of 1 MB stops every transform there, each
    with one line naming its file and the limit (the defaults would let them run)."""
    project = copy(linked, tmp_path)
    config = project / "edition.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits:\n  saxon_megabytes: 1\n", encoding="utf-8")
    (_, code, text), = run_all(project, [["build", "-j", "2", "--no-pdf", "-q"]], capsys)
    assert code == 1, text[-1500:]
    errors = [line for line in text.splitlines() if "error" in line]
    assert len(errors) == 1, errors
    assert re.match(r"edition: tei/nk/[^ ]+\.xml: error: no document could be transformed within the limits; "
                    r"the first: the transform catalogue\.xsl needed more than 1 MB of memory", errors[0]), errors
    assert "saxon_megabytes" in errors[0], errors


def test_a_schematron_rule_past_its_time_is_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`edition validate` runs an XSLT 3 Schematron in the Saxon child, within edition.yaml's
    `limits: saxon_seconds`: a rule that runs away on a file is stopped and reported on that
    file in one line; the other files are checked."""
    (tmp_path / "edition.yaml").write_text("limits:\n  saxon_seconds: 1\n", encoding="utf-8")
    (tmp_path / "rules.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"><pattern>'
        '<rule context="slow"><assert test="count((1 to 2000000000)[. mod 7 = 8]) = 0">never</assert></rule>'
        '<rule context="doc"><assert test="ends-with(@n, \'x\')">n must end in x</assert></rule>'
        "</pattern></schema>", encoding="utf-8")
    (tmp_path / "a.xml").write_text('<doc n="1"><slow/></doc>', encoding="utf-8")
    (tmp_path / "b.xml").write_text('<doc n="2"/>', encoding="utf-8")
    capsys.readouterr()
    started = time.monotonic()
    code = main(["validate", "--schema", str(tmp_path / "rules.sch"), "--config", str(tmp_path / "edition.yaml"),
                 str(tmp_path / "a.xml"), str(tmp_path / "b.xml")])
    text = "\n".join(capsys.readouterr())
    assert code == 1, text
    assert time.monotonic() - started < 30, "the rule was not stopped"
    stopped = [line for line in text.splitlines() if "took more than 1 s" in line]
    assert len(stopped) == 1 and "a.xml" in stopped[0], text
    assert any("b.xml" in line and "n must end in x" in line for line in text.splitlines()), text
    assert "Traceback" not in text


def test_a_volume_past_its_limits_leaves_only_that_volume_out(linked: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A document volume per document (`print: volume_size: 1`): the volume whose print
    transform goes past `limits: saxon_seconds: 1` is left out with one line naming it and
    the limit, its old PDF removed; the other volumes are made, the shared index (which
    needs every volume) is not; exit code 1."""
    project = copy(linked, tmp_path)
    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8").replace("volume_size: 200", "volume_size: 1")
    config.write_text(text + "limits:\n  saxon_seconds: 1\n", encoding="utf-8")
    path = _first(project)
    _many_notes(path)
    (_, code, text), = run_all(project, [["pdf", "-q"]], capsys)
    assert code == 1, text[-1500:]
    errors = [line for line in text.splitlines() if "error" in line]
    assert len(errors) == 1, errors
    stopped = re.match(r"edition: tei/edition\.xml: error: the print volume (\S+) \(1 documents\) is left out: "
                       r"the transform volume\.xsl took more than 1 s and was stopped; the shared index is not made "
                       r"either", errors[0])
    assert stopped and "saxon_seconds" in errors[0], errors
    volumes = {p.stem for p in (project / "out" / "pdf").glob("edition-*.pdf")}
    documents = len(list((project / "tei" / "nk").glob("*.xml")))
    assert stopped.group(1) not in volumes and len(volumes) == documents - 1, volumes
    assert not any("index" in name for name in volumes), volumes
