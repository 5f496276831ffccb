"""A fresh hostile tester's corpus, written without looking at what the first two corpora
(tests/test_hostile_corpus.py, tests/test_hostile_project.py) hold: odd types in every
key of edition.yaml, numbers Python reads as digits but not as numbers, TEI files with
odd ids, collisions, namespaces, xml:base and huge attributes, hostile registers, a
damaged or hostile build cache and transaction, a lock file full of garbage, output
folders filled with odd things, environment variables (TMPDIR, SOURCE_DATE_EPOCH, the
lock's wait …) and command-line options that point where they should not. The same
promises: exit code 0, 1 or 2, no traceback, no internal error, an error names its file,
nothing written outside tei/ and out/, nothing half-written, no hang."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.cli import main

from .hostile_project import (
    COMMANDS,
    NAMED,
    SOURCE,
    TEI_COMMANDS,
    copy,
    linked_fixture,  # noqa: F401 (the fixture `linked`)
    outside,
    run_all,
)
from .hostile_project import first_tei as _first
from .hostile_project import second_tei as _second
from .hostile_project import steps as _both
from .hostile_project import tei_edited as _tei
from .hostile_project import yaml_appended as _append
from .hostile_project import yaml_replaced as _yaml

ROOT = Path(__file__).resolve().parent.parent
ALL_NAMED = (*NAMED, "out/", "project/", "/dev/", "--", "tcp://", "base URL", "SOURCE_DATE_EPOCH", "TMPDIR", "EDITION_")


@dataclass
class Case:
    setup: Callable[[Path], None]
    commands: list[list[str]] = field(default_factory=lambda: COMMANDS)
    env: dict[str, str] = field(default_factory=dict)
    refused: str | None = None  # every command refuses, naming this (what it planted stays for the user)





def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return apply



def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return apply


def _idno(value: str) -> Callable[[str], str]:
    """The document's page is named by its idno once the div has no xml:id."""
    return lambda t: re.sub(r'<idno type="document">[^<]*<', f'<idno type="document">{value}<',
                            re.sub(r'(<div type="document"[^>]*?) xml:id="[^"]*"', r"\1", t))


def _same_id_as_first(project: Path) -> None:
    first = _first(project).read_text(encoding="utf-8")
    xml_id = re.search(r'<div type="document"[^>]*? xml:id="([^"]*)"', first)
    idno = re.search(r'<idno type="document">([^<]*)<', first)
    assert xml_id and idno
    path = _second(project)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(<div type="document"[^>]*? xml:id=")[^"]*"', lambda m: m.group(1) + xml_id.group(1) + '"', text)
    text = re.sub(r'<idno type="document">[^<]*<', f'<idno type="document">{idno.group(1)}<', text)
    path.write_text(text, encoding="utf-8")


def _copy_as(name: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        shutil.copy(_first(project), project / "tei" / "nk" / name)
    return apply


def _bytes_name(project: Path) -> None:
    """A TEI file whose name is not UTF-8 (a byte 0xff)."""
    folder = os.fsencode(project / "tei" / "nk")
    with open(os.path.join(folder, b"bad\xffname.xml"), "wb") as handle:
        handle.write(_first(project).read_bytes())


def _cache(sql: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        db = sqlite3.connect(project / "out" / ".cache" / "build.sqlite")
        db.executescript(sql)
        db.commit()
        db.close()
    return apply


def _truncate_cache(project: Path) -> None:
    path = project / "out" / ".cache" / "build.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xde\xad" * ((len(data) - 100) // 2))


def _transaction(journal: object, files: dict[str, bytes] | None = None) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        folder = project / "tei" / ".transaction"
        folder.mkdir()
        (folder / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
        for name, data in (files or {}).items():
            (folder / name).write_bytes(data)
    return apply


REGISTER = ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>'
            "<titleStmt><title>R</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>"
            "</sourceDesc></fileDesc></teiHeader><text><body><listPerson>{}</listPerson></body></text></TEI>\n")


def _registers(persons: str) -> Callable[[Path], None]:
    return _write("tei/registers.xml", REGISTER.format(persons).encode())


CASES: dict[str, Case] = {
    # -- edition.yaml: odd types and values in its keys -------------------------------------------
    "yaml: id is a list": Case(_yaml("  id: sfp-turkey-balkans-iran", "  id: [a, b]")),
    "yaml: title is a mapping": Case(_yaml('  title: "Soviet', '  title: {a: 1}\n  subtitle2: "Soviet')),
    "yaml: editors is a mapping": Case(_yaml('    - "The Edition Pipeline project"', "    - {name: [a], role: x}")),
    "yaml: licence is a list": Case(_yaml('    name: "CC BY-SA 4.0"', '    name: ["CC", "BY"]')),
    "yaml: volume size in superscript digits": Case(_yaml("volume_size: 200", 'volume_size: "²"')),
    "yaml: volume size in Arabic-Indic digits": Case(_yaml("volume_size: 200", 'volume_size: "٢٠٠"')),
    "yaml: volume size negative": Case(_yaml("volume_size: 200", "volume_size: -1")),
    "yaml: web page size in superscript digits": Case(_append('web:\n  page_size: "³"\n')),
    "yaml: limits in superscript digits": Case(_append('limits:\n  tei_megabytes: "¹"\n')),
    "yaml: executor jobs in superscript digits": Case(_append('executor:\n  jobs: "⁴"\n')),
    "yaml: executor jobs huge": Case(_append("executor:\n  jobs: 99999999999999999999\n")),
    "yaml: executor scheduler not an address": Case(_append("executor:\n  scheduler: [1, 2]\n")),
    "yaml: period in other digits": Case(_yaml("period: 1900-1950", 'period: "١٩٠٠-١٩٥٠"')),
    "yaml: period of absurd years": Case(_yaml("period: 1900-1950", 'period: "0000-9999"')),
    "yaml: date far in the future": Case(_yaml('date: "2026-12-03"', 'date: "9999-12-31"')),
    "yaml: version with markup": Case(_yaml('version: "1.0"',
                                            'version: "</title><script>alert(1)</script>#read(\\"/etc/passwd\\")"')),
    "yaml: title with Typst and HTML": Case(_yaml(
        'title: "Soviet', 'title: "#read(\\"/etc/passwd\\") ]) <script>alert(1)</script> {{7*7}} Soviet')),
    "yaml: how to cite with template syntax": Case(_yaml(
        '"<document heading>", <number>, in:',
        '"{{ config }} {% for x in y %}<script>alert(1)</script>", <url><url>, in:')),
    "yaml: document types of odd kinds": Case(_yaml("document_types: [telegram,",
                                                    "document_types: [[a], {b: c}, telegram,")),
    "yaml: witnesses thresholds absurd": Case(_yaml("merge_at: 0.8", "merge_at: .nan")),
    "yaml: witnesses base a mapping": Case(_yaml("base: [nk]", "base: {a: b}")),
    "yaml: print arrangement a list": Case(_yaml("arrangement: chronological", "arrangement: [a]")),
    "yaml: source file is edition.yaml": Case(_yaml(f"file: {SOURCE}", "file: edition.yaml")),
    "yaml: source file is a TEI file": Case(_both(_yaml(f"file: {SOURCE}", "file: tei/registers.xml"))),
    "yaml: source file is a symlink loop": Case(_both(_symlink("sources/loop.txt", "loop.txt"),
                                                      _yaml(f"file: {SOURCE}", "file: sources/loop.txt"))),
    "yaml: source file name too long": Case(_yaml(f"file: {SOURCE}", "file: sources/" + "x" * 300 + ".txt")),
    "yaml: source id unicode": Case(_yaml("  - id: nk\n", "  - id: nkä\n")),
    "yaml: source url javascript": Case(_yaml("    site: Artatsolum", "    site: Artatsolum\n    url: 'javascript:alert(1)//http://x'")),
    "yaml: edition url with a newline": Case(_yaml('  year: "2026"', '  year: "2026"\n  url: "https://example.org/\\n<script>"')),
    "yaml: validate key of odd type": Case(_append("validate: [1, 2]\n")),
    "yaml: validate schema outside": Case(_append("validate:\n  schema: /etc/passwd\n")),
    "yaml: is a directory": Case(lambda p: ((p / "edition.yaml").unlink(), (p / "edition.yaml").mkdir())),
    "yaml: is a symlink loop": Case(_symlink("edition.yaml", "edition.yaml")),
    "yaml: is a named pipe": Case(lambda p: ((p / "edition.yaml").unlink(), os.mkfifo(p / "edition.yaml"))),
    "yaml: a lone surrogate escaped": Case(_yaml('title: "Soviet', 'title: "\\ud800 Soviet')),

    # -- TEI files: ids, collisions, namespaces, attributes ----------------------------------------
    "tei: two files with one id": Case(_same_id_as_first, TEI_COMMANDS),
    "tei: a copy under another name": Case(_copy_as("zz-copy.xml"), TEI_COMMANDS),
    "tei: file name with quotes and spaces": Case(_copy_as("a b'\"<c>.xml"), TEI_COMMANDS),
    "tei: file name beginning with a dash": Case(_copy_as("-rf.xml"), TEI_COMMANDS),
    "tei: file name not UTF-8": Case(_bytes_name, TEI_COMMANDS),
    "tei: hidden file": Case(_copy_as(".hidden.xml"), TEI_COMMANDS),
    "tei: idno with unicode": Case(_tei(_idno("nk-ä№")), TEI_COMMANDS),
    "tei: idno very long": Case(_tei(_idno("a" * 5000)), TEI_COMMANDS),
    "tei: idno reserved names": Case(_tei(_idno("index")), TEI_COMMANDS),
    "tei: xml:id with odd characters": Case(_tei(lambda t: re.sub(r'(<div type="document"[^>]*? xml:id=")[^"]*"',
                                                                   r'\1x·y_z-é"', t)), TEI_COMMANDS),
    "tei: xml:id collision inside a file": Case(_tei(lambda t: t.replace("<p>", '<p xml:id="d1">', 2)), TEI_COMMANDS),
    "tei: xml:base to the system": Case(_tei(lambda t: t.replace("<TEI ", '<TEI xml:base="file:///etc/" ', 1)
                                             .replace("<p>", '<p><ref target="passwd">p</ref><ptr target="passwd"/>',
                                                      1)), TEI_COMMANDS),
    "tei: graphic and facsimile to the system": Case(_tei(lambda t: t.replace(
        "<p>", '<p><figure><graphic url="file:///etc/passwd"/></figure><ref target="data:text/html,&lt;script&gt;'
        'alert(1)&lt;/script&gt;">d</ref><ref target="vbscript:x">v</ref>', 1)), TEI_COMMANDS),
    "tei: prefixed TEI namespace": Case(_tei(lambda t: t.replace("<TEI xmlns=", "<tei:TEI xmlns:tei=", 1).replace(
        "</TEI>", "</tei:TEI>")), TEI_COMMANDS),
    "tei: namespace redeclared inside": Case(_tei(lambda t: t.replace(
        "<p>", '<p><hi xmlns="urn:other"><p>inner</p></hi><x:y xmlns:x="http://www.w3.org/1999/xhtml">'
               '<x:script>alert(1)</x:script></x:y>', 1)), TEI_COMMANDS),
    "tei: huge attribute": Case(_tei(lambda t: t.replace("<p>", '<p rend="' + "x" * 3_000_000 + '">', 1)),
                                TEI_COMMANDS),
    "tei: many attributes": Case(_tei(lambda t: t.replace("<p>", "<p " + " ".join(
        f'a{i}="{i}"' for i in range(20_000)) + ">", 1)), TEI_COMMANDS),
    "tei: hostile xml:lang and rend": Case(_tei(lambda t: t.replace(
        "<p>", '<p xml:lang="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rend="&quot; onclick=&quot;x">', 1)),
        TEI_COMMANDS),
    "tei: script end tag in text": Case(_tei(lambda t: t.replace(
        "<p>", "<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- ]]&gt; \u2028\u2029 ", 1)),
        TEI_COMMANDS),
    "tei: comment and PI everywhere": Case(_tei(lambda t: t.replace("<teiHeader>", "<!-- a - b --><?pi x?>"
                                                                    "<teiHeader><!--c--><?x?>", 1).replace(
        "<p>", "<p><!-- <script> --><?php echo 1; ?>", 3) + "<!-- after --><?after?>"), TEI_COMMANDS),
    "tei: XML 1.1 declaration": Case(_tei(lambda t: t.replace('<?xml version="1.0"', '<?xml version="1.1"', 1)),
                                     TEI_COMMANDS),
    "tei: declared Latin-1 and so encoded": Case(lambda p: _first(p).write_bytes(
        _first(p).read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        .encode("latin-1", "replace")), TEI_COMMANDS),
    "tei: declared an unknown encoding": Case(_tei(lambda t: t.replace('encoding="UTF-8"', 'encoding="x-klingon"')),
                                              TEI_COMMANDS),
    "tei: note pointing at itself and nowhere": Case(_tei(lambda t: t.replace(
        "<p>", '<p><note xml:id="n1" target="#n1 #n1 #nowhere" n="1" place="foot">x</note>'
               '<ref target="#n1 #n1">r</ref>', 1)), TEI_COMMANDS),
    "tei: dangling symlink": Case(_symlink("tei/nk/zz-dangling.xml", "nowhere.xml"), TEI_COMMANDS),
    "tei: symlink loop": Case(_symlink("tei/nk/zz-loop.xml", "zz-loop.xml"), TEI_COMMANDS),
    "tei: folder symlink loop": Case(_symlink("tei/nk/sub", "."), TEI_COMMANDS),
    "tei: deeply nested folders": Case(lambda p: shutil.copy(_first(p), (lambda d: (d.mkdir(parents=True), d)[1])(
        p / "tei" / "nk" / "/".join(["d"] * 60)) / "deep.xml"), TEI_COMMANDS),

    # -- registers --------------------------------------------------------------------------------
    "registers: regex characters in names": Case(_registers(
        '<person xml:id="p1"><persName>(Stalin</persName><persName>.*</persName><persName>[a-</persName>'
        "<persName>\\</persName></person>")),
    "registers: a one-letter name": Case(_registers('<person xml:id="p1"><persName>a</persName></person>'
                                                    '<person xml:id="p2"><persName>the</persName></person>')),
    "registers: duplicate ids": Case(_registers('<person xml:id="p1"><persName>Stalin</persName></person>'
                                                '<person xml:id="p1"><persName>Lenin</persName></person>')),
    "registers: empty names and ids": Case(_registers('<person xml:id=""><persName/></person>'
                                                      "<person><persName>   </persName></person>")),
    "registers: hostile id": Case(_registers('<person xml:id="a&quot;&gt;&lt;script&gt;"><persName>Stalin'
                                             "</persName></person>")),
    "registers: a huge register": Case(_registers("".join(
        f'<person xml:id="p{i}"><persName>Name{i} Surname{i}</persName></person>' for i in range(20_000)))),
    "registers: empty file": Case(_write("tei/registers.xml", b"")),
    "registers: is a folder": Case(lambda p: ((p / "tei" / "registers.xml").unlink(),
                                              (p / "tei" / "registers.xml").mkdir())),

    # -- the manifest, the transaction, the build cache and the lock --------------------------------
    "manifest: null values": Case(_write("tei/.converted.json", b'{"nk/x.xml": null}')),
    "manifest: NaN and duplicate keys": Case(_write("tei/.converted.json", b'{"edition.xml": NaN, "edition.xml": 1}')),
    "manifest: BOM": Case(lambda p: (p / "tei" / ".converted.json").write_bytes(
        b"\xef\xbb\xbf" + (p / "tei" / ".converted.json").read_bytes())),
    "manifest: key with backslash and unicode": Case(_write(
        "tei/.converted.json", ('{"nk\\\\..\\\\..\\\\x.xml": "' + "0" * 64 + '", "nk/\u202e.xml": "' + "0" * 64
                                + '"}').encode())),
    "transaction: journal names outside": Case(_transaction(
        {"writes": [{"key": "../../victim.xml", "staged": "000000", "old": None, "new": "0" * 64}], "deletes": []},
        {"000000": b"<owned/>"}), refused="tei/.transaction"),
    "transaction: journal deletes outside": Case(_transaction(
        {"writes": [], "deletes": [{"key": "../edition.yaml", "old": None}]}), refused="tei/.transaction"),
    "transaction: journal of odd types": Case(_transaction({"writes": {"a": 1}, "deletes": 5}),
                                              refused="tei/.transaction"),
    "transaction: staged name outside": Case(_transaction(
        {"writes": [{"key": "nk/x.xml", "staged": "../../../edition.yaml", "old": None, "new": "0" * 64}],
         "deletes": []}), refused="tei/.transaction"),
    "transaction: is a file": Case(_write("tei/.transaction", b"garbage"), refused="tei/.transaction"),
    "transaction being prepared is a file": Case(_write("tei/.transaction.new", b"garbage")),
    "cache: garbage": Case(_both(_write("out/.cache/build.sqlite", b"garbage" * 1000),
                                 _write("out/.cache/build.sqlite-wal", b"\0" * 100))),
    "cache: truncated pages": Case(_truncate_cache),
    "cache: is a folder": Case(lambda p: (shutil.rmtree(p / "out" / ".cache"),
                                          (p / "out" / ".cache" / "build.sqlite").mkdir(parents=True))),
    "cache: is a file": Case(lambda p: (shutil.rmtree(p / "out" / ".cache"),
                                        (p / "out" / ".cache").write_text("x", encoding="utf-8"))),
    "cache: records not JSON": Case(_cache("update products set outputs = 'not json', data = x'ff00';")),
    "cache: records naming outside": Case(_cache(
        "update products set outputs = '{\"../../victim.xml\": \"" + "0" * 64 + "\", \"/etc/passwd\": \"x\"}';")),
    "cache: schema of another program": Case(_cache("drop table products; create table products(x);")),
    "lock: garbage": Case(_write("out/.edition.lock", bytes(range(256)) * 40)),
    "lock: a symlink inside out": Case(_symlink("out/.edition.lock", "reports/links.csv")),

    # -- output folders pre-filled with odd things --------------------------------------------------
    "out: a killed run's staging holding a pipe and a loop": Case(lambda p: (
        (p / "out" / ".html.abcdefgh" / "documents").mkdir(parents=True),
        os.mkfifo(p / "out" / ".html.abcdefgh" / "documents" / "x.html"),
        (p / "out" / ".pdf.old.abcdefgh").mkdir(),
        (p / "out" / ".pdf.old.abcdefgh" / "loop").symlink_to("loop"))),
    "out: html documents is a file": Case(_write("out/html/documents", b"x")),
    "out: pdf is a folder where the PDF belongs": Case(lambda p: ((p / "out" / "pdf" / "edition.pdf").unlink(),
                                                                  (p / "out" / "pdf" / "edition.pdf").mkdir())),
    "out: reports is a file": Case(_write("out/reports", b"x")),
    "out: deposit is a file": Case(_write("out/deposit", b"x")),
    "out: a named pipe in out/html": Case(lambda p: os.mkfifo(p / "out" / "html" / "pipe.html")),
    "out: a symlink loop in out": Case(_symlink("out/html/loop", "loop")),
    "out: many stray files": Case(lambda p: [(p / "out" / "html" / f"stray{i}.html").write_text("x", encoding="utf-8")
                                             for i in range(3000)]),

    # -- environment ----------------------------------------------------------------------------------
    "env: TMPDIR missing": Case(lambda p: None, env={"TMPDIR": "/nonexistent/tmp"}),
    "env: TMPDIR is a file": Case(lambda p: None, env={"TMPDIR": "/etc/hostname"}),
    "env: TMPDIR inside tei": Case(lambda p: (p / "tei" / "tmp").mkdir(), env={"TMPDIR": "tei/tmp"}),
    "env: SOURCE_DATE_EPOCH far future": Case(lambda p: None, env={"SOURCE_DATE_EPOCH": "99999999999999"}),
    "env: SOURCE_DATE_EPOCH after 2107": Case(lambda p: None, env={"SOURCE_DATE_EPOCH": "4200000000"}),
    "env: SOURCE_DATE_EPOCH not a number": Case(lambda p: None, env={"SOURCE_DATE_EPOCH": "²"}),
    "env: SOURCE_DATE_EPOCH negative": Case(lambda p: None, env={"SOURCE_DATE_EPOCH": "-86400"}),
    "env: lock wait not a number": Case(lambda p: None, env={"EDITION_LOCK_WAIT": "nan"}),
    "env: kill hook not a number": Case(lambda p: None, env={"EDITION_TEST_KILL_AFTER": "x"}),
    "env: HOME and locale odd": Case(lambda p: None, env={"HOME": "/nonexistent", "LC_ALL": "C", "LANG": "C"}),

    # -- command-line options ---------------------------------------------------------------------------
    "cli: html --out the project": Case(lambda p: None, [["html", "-q", "--out", "{project}"]]),
    "cli: html --out the sources": Case(lambda p: None, [["html", "-q", "--out", "{project}/sources"]]),
    "cli: html of files --out tei": Case(lambda p: None, [["html", "-q", "{project}/tei/nk", "--out",
                                                           "{project}/tei"]]),
    "cli: html --out onto edition.yaml": Case(lambda p: None, [["html", "-q", "--out", "{project}/edition.yaml"]]),
    "cli: deposit --out the sources": Case(lambda p: None, [["deposit", "-q", "--out", "{project}/sources"]]),
    "cli: pdf of files --out a folder": Case(lambda p: None, [["pdf", "-q", "{project}/tei/nk", "--out",
                                                               "{project}/sources"]]),
    "cli: deposit --bagging-date past 2107": Case(lambda p: None, [["deposit", "-q", "--bagging-date", "2999-01-01"]]),
    "cli: deposit --bagging-date before 1980": Case(lambda p: None, [["deposit", "-q", "--bagging-date",
                                                                      "0001-01-01"]]),
    "cli: deposit --base-url javascript": Case(lambda p: None,
                                               [["deposit", "-q", "--base-url", "javascript:alert(1)"]]),
    "cli: deposit --verify a device": Case(lambda p: None, [["deposit", "-q", "--verify", "/dev/zero"]]),
    "cli: deposit --verify a pipe": Case(lambda p: os.mkfifo(p / "out" / "pipe.zip"),
                                         [["deposit", "-q", "--verify", "{project}/out/pipe.zip"]]),
    "cli: inspect a device": Case(lambda p: None, [["inspect", "-q", "/dev/zero"]]),
    "cli: inspect --layout a device": Case(lambda p: None, [["inspect", "-q", "nk", "--layout", "/dev/zero"]]),
    "cli: inspect --layout a pipe": Case(lambda p: os.mkfifo(p / "out" / "layout.yaml"),
                                         [["inspect", "-q", "nk", "--layout", "{project}/out/layout.yaml"]]),
    "cli: inspect --layout hostile YAML": Case(lambda p: (p / "out" / "layout.yaml").write_text(
        "document_start: '^(a+)+$'\nencoding: [x]\n", encoding="utf-8"),
        [["inspect", "-q", "nk", "--layout", "{project}/out/layout.yaml"]]),
    "cli: validate a device and a pipe": Case(lambda p: os.mkfifo(p / "out" / "v.xml"),
                                              [["validate", "-q", "/dev/zero", "{project}/out/v.xml"]]),
    "cli: validate --schema a device": Case(lambda p: None, [["validate", "-q", "--schema", "/dev/zero"]]),
    "cli: validate --output a folder": Case(lambda p: None, [["validate", "-q", "--output", "{project}/out"]]),
    "cli: validate --output a full disk": Case(lambda p: None, [["validate", "--output", "/dev/full"]]),
    "cli: validate --schemas a file": Case(lambda p: None, [["validate", "-q", "--schemas", "{project}/edition.yaml"]]),
    "cli: pdf --volume-size negative": Case(lambda p: None, [["pdf", "-q", "--volume-size", "-5"]]),
    "cli: convert an unknown source and a path": Case(lambda p: None, [["convert", "-q", "../../etc/passwd", "nk"]]),
    "cli: convert --diff of a binary hand edit": Case(lambda p: _first(p).write_bytes(bytes(range(256)) * 10),
                                                      [["convert", "-q", "--diff"]]),
    "cli: build --scheduler port out of range": Case(lambda p: None, [["build", "-q", "--scheduler",
                                                                       "tcp://127.0.0.1:99999"]]),
}


def _all_refused(project: Path, commands: list[list[str]], named: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The commands that change TEI files (convert, link) stop with one error line naming
    `named`; the others (which do not change them; a build that finds them up to date) work
    or stop alike; nothing outside tei/ and out/ changes."""
    before = outside(project)
    capsys.readouterr()
    for command in commands:
        code = main([*command, "--config", str(project / "edition.yaml")])
        text = "\n".join(capsys.readouterr())
        assert code in (0, 1, 2) and "Traceback" not in text and "internal error" not in text, (command, text[-2000:])
        errors = [line for line in text.splitlines() if "error" in line]
        assert (code == 0 and command[0] not in ("convert", "link")) or \
            (len(errors) == 1 and named in errors[0]), (command, code, errors)
    assert outside(project) == before, "written outside tei/ and out/"


def _commands(case: Case, project: Path) -> list[list[str]]:
    return [[part.replace("{project}", str(project)) for part in command] for command in case.commands]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fresh_hostile_case(name: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy(linked, tmp_path)
    victim = tmp_path / "victim.xml"
    victim.write_text("<keep/>", encoding="utf-8")
    case = CASES[name]
    case.setup(project)
    sources = {p: p.read_bytes() for p in (project / "sources").rglob("*") if p.is_file() and not p.is_symlink()}
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    if case.env.get("TMPDIR"):
        import tempfile

        monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(project)
    done = threading.Event()
    watchdog = threading.Timer(300, lambda: None if done.is_set() else os._exit(99))  # a hang fails the run
    watchdog.start()
    try:
        if case.refused is None:
            run_all(project, _commands(case, project), capsys, named=ALL_NAMED)
        else:
            _all_refused(project, _commands(case, project), case.refused, capsys)
    finally:
        done.set()
        watchdog.cancel()
    assert victim.read_text(encoding="utf-8") == "<keep/>"
    assert (project / "edition.yaml").exists() or name.startswith("yaml: is")
    for path, data in sources.items():
        assert path.is_file() and path.read_bytes() == data, f"{path} was changed"
    secret = Path("/etc/passwd").read_bytes()[:40] if Path("/etc/passwd").is_file() else b"\0never"
    out = project / "out"
    for path in out.rglob("*") if out.is_dir() and not out.is_symlink() else []:
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".edition.lock"):
            data = path.read_bytes()
            assert secret not in data, path
            if path.suffix == ".html":
                assert not re.search(rb'(href|src)="\s*(javascript|vbscript|data):', data, re.I), path
                assert b"<script>alert" not in data, path
