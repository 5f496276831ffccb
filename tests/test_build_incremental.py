"""Incremental builds: after an edit to any kind of input, `edition build` remakes only
what that input shows, and the result is byte for byte what a clean build gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
import yaml
from lxml import etree

from .conftest import ROOT, make_project

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "0"}


def small_project(dest: Path) -> Path:
    """The bundled edition without its book (the four web pages: fast to build), with the
    editors' registers."""
    project = make_project(dest)
    config = yaml.safe_load((project / "edition.yaml").read_text(encoding="utf-8"))
    config["sources"] = [s for s in config["sources"] if s["profile"] == "web-page"]
    kept = {s["id"] for s in config["sources"]}
    if "witnesses" in config:
        config["witnesses"]["base"] = [i for i in config["witnesses"].get("base", []) if i in kept]
    (project / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    (project / "tei").mkdir(exist_ok=True)
    shutil.copytree(ROOT / "schemas", project / "schemas")  # what the files' xml-model points to
    shutil.copy(ROOT / "tei" / "registers.xml", project / "tei" / "registers.xml")
    return project


def build(project: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(ENV)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--deposit", *args],
                         capture_output=True, text=True, cwd=project, env=env)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out


def products(project: Path) -> dict[str, bytes]:
    """Everything a build makes or touches: tei/ and out/ (not the cache, not the build lock)."""
    found: dict[str, bytes] = {}
    for folder in ("tei", "out"):
        for p in sorted((project / folder).rglob("*")):
            rel = p.relative_to(project).as_posix()
            if p.is_file() and not rel.startswith("out/.cache/") and rel != "out/.edition.lock":
                found[rel] = p.read_bytes()
    return found


def remade(out: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split(":")[0] for line in out.stdout.splitlines()
            if re.match(r"^\w+: up to date", line) is None} & {"convert", "link", "validate", "html", "pdf"}


def up_to_date(out: subprocess.CompletedProcess[str]) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^(\w+): up to date", out.stdout, re.M)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = small_project(tmp_path_factory.mktemp("incremental") / "built")
    build(project, "--jobs", "1")
    return project


def twins(built: Path, tmp: Path) -> tuple[Path, Path]:
    a, b = tmp / "a", tmp / "b"
    shutil.copytree(built, a, symlinks=True)
    shutil.copytree(built, b, symlinks=True)
    return a, b


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_source(p: Path) -> None:
    replace_in(p / "sources" / "000_4958403d30913677.txt", "Legran arrived", "Legran at last arrived")


def edit_tei(p: Path) -> None:
    replace_in(p / "tei" / "nk" / "nk-562.xml", "Legran</persName> arrived", "Legran</persName> (the envoy) arrived")


def edit_registers(p: Path) -> None:
    replace_in(p / "tei" / "registers.xml", '<persName type="preferred">Joseph Stalin</persName>',
               '<persName type="preferred">Iosif Stalin</persName>')


def edit_config(p: Path) -> None:
    replace_in(p / "edition.yaml", "Soviet Foreign Policy on Turkey", "Soviet Foreign Policy towards Turkey")


def edit_front(p: Path) -> None:
    """The editors write the print's preface (front/preface.md, docs/pdf.md)."""
    (p / "front").mkdir(exist_ok=True)
    (p / "front" / "preface.md").write_text("# Preface\n\nThis edition brings together letters.\n", encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "source": edit_source, "tei": edit_tei, "registers": edit_registers, "config": edit_config, "front": edit_front}


def test_nothing_changed_nothing_remade(built: Path, tmp_path: Path) -> None:
    a, _ = twins(built, tmp_path)
    before = products(a)
    out = build(a)
    assert up_to_date(out) >= {"convert", "link", "validate", "html", "pdf", "deposit"}
    assert products(a) == before


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_incremental_build_equals_clean_build(kind: str, built: Path, tmp_path: Path) -> None:
    a, b = twins(built, tmp_path)
    EDITS[kind](a)
    EDITS[kind](b)
    incremental = build(a)
    build(b, "--clean")
    assert products(a) == products(b)
    assert products(a) != products(built)  # the edit shows
    if kind == "tei":
        # the converter's input did not change: conversion is not redone
        assert "convert" in up_to_date(incremental)
        assert "nk-562.xml: warning" not in incremental.stderr or "kept" in incremental.stderr


def test_stylesheet_edit_remakes_what_it_renders(built: Path, tmp_path: Path) -> None:
    """A changed stylesheet (the program's own file) remakes the pages; the result is a clean build's."""
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "pipeline", package / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    replace_in(package / "pipeline" / "xslt" / "html" / "document.xsl", ">TEI XML of this document<",
               ">TEI XML of this text<")
    a, b = twins(built, tmp_path)
    build(a, pythonpath=package)
    build(b, "--clean", pythonpath=package)
    assert products(a) == products(b)
    page = (a / "out" / "html" / "documents" / "nk-562.html").read_text(encoding="utf-8")
    assert "TEI XML of this text" in page


def test_vanished_document_leaves_nothing_behind(built: Path, tmp_path: Path) -> None:
    """A document cut from its source: its TEI file, page, search entry and PDF part go."""
    a, b = twins(built, tmp_path)
    for p in (a, b):
        source = p / "sources" / "000_4958403d30913677.txt"
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        cut = next(i for i, line in enumerate(lines) if line.strip() == "No. 569")
        source.write_text("".join(lines[:cut]), encoding="utf-8")
    build(a)
    build(b, "--clean")
    got = products(a)
    assert got == products(b)
    assert "tei/nk/nk-569.xml" not in got and "out/html/documents/nk-569.html" not in got
    assert "out/html/documents/nk-568.html" in got


def test_one_edit_remakes_what_shows_the_document(tmp_path: Path) -> None:
    """An edit to one document's TEI: its page (and at most its neighbours, which name it)
    and its PDF volume are made again, not the other pages and volumes."""
    project = small_project(tmp_path / "volumes")
    config = yaml.safe_load((project / "edition.yaml").read_text(encoding="utf-8"))
    config["print"] = {"volume_size": 8}
    (project / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    build(project, "--jobs", "1")
    before = products(project)
    volumes = sorted(k for k in before if k.startswith("out/pdf/") and k.endswith(".pdf"))
    assert len(volumes) >= 3  # several volumes and their index
    site = project / "out" / "html"
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    (site / "documents" / "stray.html").write_text("not made by this build", encoding="utf-8")
    edit_tei(project)
    out = build(project)
    after = products(project)
    # the site is updated in place: a file whose bytes did not change is not written again
    untouched = {p for p, stamp in stamps.items()
                 if p.is_file() and (p.stat().st_ino, p.stat().st_mtime_ns) == stamp}
    unchanged = {p for p in stamps if after.get(p.relative_to(project).as_posix()) == before[
        p.relative_to(project).as_posix()]}
    assert untouched == unchanged and len(unchanged) > 0.9 * len(stamps)
    assert not (site / "documents" / "stray.html").exists()
    made = re.search(r"\((\d+) made, the others unchanged\)", out.stdout)
    assert made is not None and 1 <= int(made.group(1)) <= 3, out.stdout
    changed_pages = {k for k in after if k.startswith("out/html/documents/") and after[k] != before.get(k)}
    assert "out/html/documents/nk-562.html" in changed_pages and len(changed_pages) <= 3
    changed_volumes = {k for k in volumes if after.get(k) != before[k]}
    assert 1 <= len(changed_volumes) <= 2, changed_volumes  # its volume (and the index, if a page moved)
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True)
    build(clean, "--clean")
    assert products(clean) == after


def test_validation_sees_what_an_unchanged_file_points_to(built: Path, tmp_path: Path) -> None:
    """A file's findings are remembered from the last build with the files its pointers
    lead to: when only the file pointed to changes, the pointing file is checked again and
    the incremental build reports what a clean build reports."""
    a, b = twins(built, tmp_path)
    for p in (a, b):
        replace_in(p / "tei" / "nk" / "nk-562.xml", "should travel to",
                   'should travel (<ref target="nk-569.xml#nk-569-ms1">No. 569</ref>) to')
    build(a)  # valid: the pointer finds its element; nk-562's findings are remembered
    for p in (a, b):
        replace_in(p / "tei" / "nk" / "nk-569.xml", 'xml:id="nk-569-ms1"', 'xml:id="nk-569-ms9"')
    runs = []
    for p, extra in ((a, []), (b, ["--clean"])):
        # without the deposit (it validates the edition once more, on its own)
        runs.append(subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--no-pdf", *extra],
                                   capture_output=True, text=True, cwd=p, env=ENV))
    incremental, clean = runs
    assert incremental.returncode == clean.returncode == 1, incremental.stderr
    assert "stopped: the edition is not valid" in incremental.stderr
    assert "tei/nk/nk-562.xml" in incremental.stdout and "nk-569-ms1" in incremental.stdout
    findings = [line for line in incremental.stdout.splitlines() if line.startswith("tei/")]
    assert findings == [line for line in clean.stdout.splitlines() if line.startswith("tei/")]


def test_clean_forgets_every_cache(built: Path, tmp_path: Path) -> None:
    """`--clean` forgets the build's records and the index `edition validate` keeps of the files."""
    a, _ = twins(built, tmp_path)
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "validate", "tei/nk/nk-562.xml"],
                         capture_output=True, text=True, cwd=a, env=ENV)
    assert out.returncode == 0, out.stdout + out.stderr
    index = a / "out" / ".cache" / "validate-index.json"
    assert index.is_file()
    out = build(a, "--clean", "--no-pdf")
    assert not index.exists()
    assert not up_to_date(out) & {"convert", "link", "validate", "html"}


def test_document_pages_link_their_print_volume(built: Path, tmp_path: Path) -> None:
    """`edition build` typesets before it writes the site: every document page links the
    PDF volume that prints it, which the site holds (the bytes of out/pdf/), as does the
    home page; a build with volumes links each page to its own volume."""
    site = built / "out" / "html"
    pdfs = sorted((site / "pdf").glob("*.pdf"))
    assert [p.name for p in pdfs] == sorted(p.name for p in (built / "out" / "pdf").glob("*.pdf"))
    assert all(p.read_bytes() == (built / "out" / "pdf" / p.name).read_bytes() for p in pdfs)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="pdf/{p.name}"' in home for p in pdfs)
    pages = [p for p in sorted((site / "documents").glob("*.html"))
             if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    links = {p.stem: re.search(r'class="pdf-link"><a href="\.\./pdf/edition\.pdf#nameddest=([^"]+)"',
                               p.read_text(encoding="utf-8")) for p in pages}
    assert pages and all(m is not None and m.group(1) == stem for stem, m in links.items())
    # each page opens the PDF at its document: the named destination is on the page that
    # prints the document's heading
    reader = pypdf.PdfReader(built / "out" / "pdf" / "edition.pdf")
    dests = reader.named_destinations
    assert set(links) <= set(dests)
    for stem in sorted(links)[::25]:
        tei = next((built / "tei").rglob(f"{stem}.xml"))
        head = " ".join("".join(etree.parse(str(tei)).find(".//{http://www.tei-c.org/ns/1.0}head").itertext()).split())
        page = reader.pages[reader.get_destination_page_number(dests[stem])].extract_text()
        assert " ".join(head.split()[:3]) in " ".join(page.split()), stem

    project = tmp_path / "volumes"
    shutil.copytree(built, project, symlinks=True)
    config = yaml.safe_load((project / "edition.yaml").read_text(encoding="utf-8"))
    config["print"] = {"volume_size": 8}
    (project / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    build(project)
    site = project / "out" / "html"
    linked = {re.search(r'class="pdf-link"><a href="\.\./(pdf/[^"#]+)#', p.read_text(encoding="utf-8")).group(1)
              for p in sorted((site / "documents").glob("*.html"))
              if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")}  # type: ignore[union-attr]
    assert len(linked) >= 3 and all((site / href).is_file() for href in linked)
    assert "pdf/edition.pdf" not in linked and not (site / "pdf" / "edition.pdf").exists()


def test_typesetting_again_does_not_remake_the_site(built: Path, tmp_path: Path) -> None:
    """The site holds the print volumes but shows only which exist: after a build without
    the PDF, typesetting the edit puts the new volume into the site, and the site is not
    made again; the result is a clean build's."""
    a, b = twins(built, tmp_path)
    edit_tei(a)
    edit_tei(b)
    build(a, "--no-pdf")
    stale = (a / "out" / "html" / "pdf" / "edition.pdf").read_bytes()
    out = build(a)
    assert "html" in up_to_date(out) and "pdf" not in up_to_date(out)
    assert (a / "out" / "html" / "pdf" / "edition.pdf").read_bytes() != stale
    build(b, "--clean")
    assert products(a) == products(b)
    (a / "out" / "html" / "pdf" / "edition.pdf").unlink()  # a copy gone: the site is made again
    assert "html" not in up_to_date(build(a))
    assert products(a) == products(b)
