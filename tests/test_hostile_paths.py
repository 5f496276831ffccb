"""Nothing is written or deleted outside the project's output folders, whatever
edition.yaml, a source, a TEI file or tei/.converted.json says; names that become paths
are checked; outputs carry no formula cells and keep the user's umask."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import pdf
from pipeline.errors import EditionError
from pipeline.write import TeiStore, csv_safe, update_folder, within, write_atomic

from .hostile_project import mini_project, snapshot


def edition(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--config", str(project / "edition.yaml")],
                          capture_output=True, text=True, cwd=project)


def one_line_error(out: subprocess.CompletedProcess[str], *words: str) -> str:
    assert out.returncode in (1, 2), out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "internal error" not in out.stderr
    for word in words:
        assert word in out.stderr, out.stderr
    return out.stderr


@pytest.fixture
def project(converted: Path, tmp_path: Path) -> Path:
    return mini_project(tmp_path / "project", converted)


def _set_yaml(project: Path, old: str, new: str) -> None:
    config = project / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(project: Path, needle: str) -> int:
    text = (project / "edition.yaml").read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("bad_id", ["../../escaped", "/tmp/abs", 'N K"<x>', "a/b", ".hidden", ""])
def test_source_ids_must_be_names(project: Path, bad_id: str) -> None:
    _set_yaml(project, "  - id: nk\n", f"  - id: {bad_id!r}\n".replace("'", '"') if '"' not in bad_id
              else "  - id: 'N K\"<x>'\n")
    before = snapshot(project.parent)
    err = one_line_error(edition(project, "convert", "-q"), "edition.yaml:")
    if bad_id:
        assert "letters, digits, - and _" in err
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("bad_file", ["../../../etc/passwd", "/etc/passwd", "sources/../../outside.txt", "link.txt"])
def test_source_files_must_lie_inside_the_project(project: Path, bad_file: str) -> None:
    outside = project.parent / "outside.txt"
    outside.write_text("SECRET outside the project\n", encoding="utf-8")
    (project / "link.txt").symlink_to(outside)
    _set_yaml(project, "file: sources/000_4958403d30913677.txt", f"file: {bad_file}")
    line = _line_of(project, f"file: {bad_file}")
    for command in ("convert", "html", "build"):
        err = one_line_error(edition(project, command, "-q"), f"edition.yaml:{line}:", "inside the project")
        assert len(err.strip().splitlines()) == 1
    assert not (project / "out" / "html").exists()


def test_licence_url_must_be_a_web_address(project: Path) -> None:
    _set_yaml(project, 'url: "https://creativecommons.org/licenses/by-sa/4.0/"', 'url: "javascript:alert(1)"')
    one_line_error(edition(project, "html", "-q"), "edition.yaml:", "https://")
    assert not (project / "out" / "html").exists()


@pytest.mark.parametrize("text, words", [
    ("[]\n", ["mapping"]),
    ("edition: &a {id: x}\nsources: *a\n", ["aliases"]),
    ("edition:\n  id: a\n  id: b\nsources: []\n", ["twice"]),
    ("edition: " + "[" * 5000 + "]" * 5000 + "\nsources: []\n", ["nested"]),
    ("edition:\n  ? [a, b]\n  : c\nsources: []\n", ["plain word"]),
    ("edition: {id: x\n", ["not valid YAML"]),
])
def test_hostile_yaml_gets_one_line(project: Path, text: str, words: list[str]) -> None:
    (project / "edition.yaml").write_text(text, encoding="utf-8")
    one_line_error(edition(project, "convert"), "edition.yaml", *words)


@pytest.mark.parametrize("manifest", [
    '{"nk/../../../victim.xml": "' + "0" * 64 + '"}',
    '{"/tmp/victim.xml": "' + "0" * 64 + '"}',
    "[]",
    '{"nk/x.xml": 5}',
])
def test_a_crafted_manifest_deletes_nothing(project: Path, manifest: str) -> None:
    victim = project.parent / "victim.xml"
    victim.write_text("<keep/>", encoding="utf-8")
    (project / "tei" / ".converted.json").write_text("{\n" + manifest[1:] if manifest.startswith("{") else manifest,
                                                     encoding="utf-8")
    for command in ("convert", "build"):
        one_line_error(edition(project, command, "--force", "-q"), ".converted.json")
    assert victim.read_text(encoding="utf-8") == "<keep/>"


@pytest.mark.parametrize(("bad_key", "bad_value"), [("nk/../../c.xml", "0" * 64), ("nk/c.txt", "0" * 64),
                                                  ("nk/c.xml", "f00")])
def test_a_crafted_manifest_is_named_with_its_line(tmp_path: Path, bad_key: str, bad_value: str) -> None:
    good = [f'"nk/{n}.xml": "{"0" * 64}"' for n in ("a", "b")]
    (tmp_path / ".converted.json").write_text("{\n " + ",\n ".join([*good, f'"{bad_key}": "{bad_value}"']) + "\n}\n",
                                             encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        TeiStore(tmp_path)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / ".converted.json"), 4)


def test_a_document_id_cannot_name_a_page_outside(project: Path) -> None:
    target = sorted((project / "tei" / "nk").glob("*.xml"))[0]
    text = target.read_text(encoding="utf-8")
    text = re.sub(r'<idno type="document">[^<]*<', '<idno type="document">../../PWNED<', text)
    text = re.sub(r'(<div type="document"[^>]*?) xml:id="[^"]*"', r"\1", text)  # the idno names the page then
    target.write_text(text, encoding="utf-8")
    err = one_line_error(edition(project, "html", "-q"), target.name, "letters, digits")
    assert re.search(rf"{re.escape(target.name)}:\d+: error", err)
    assert not list(project.parent.rglob("PWNED*"))


def test_within_refuses_paths_outside_and_through_links(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    assert within(root, root / "a" / "x.html") == (root / "a" / "x.html").resolve()
    for bad in (root / ".." / "x", root / "link" / "x", Path("/etc/x"), root, root / "a" / ".."):
        with pytest.raises(EditionError, match="outside"):
            within(root, bad)
    with pytest.raises(EditionError):
        write_atomic(root / "link" / "x", b"x", root=root)
    assert not (tmp_path / "elsewhere" / "x").exists()


def test_a_folder_updated_in_place_follows_no_link(tmp_path: Path) -> None:
    """update_folder (the web edition's writer) writes through no symlink planted in the
    output, removes the link itself, and leaves nothing but the files it was given."""
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    (out / "documents").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not ours", encoding="utf-8")
    (out / "cite").symlink_to(elsewhere)  # where the writer will put a folder
    (out / "stray").symlink_to(elsewhere)  # a link it was not asked for
    (out / "documents" / "old.html").write_text("old", encoding="utf-8")
    (out / "documents" / ".x.html.ab12cd34.tmp").write_text("half", encoding="utf-8")
    (out / "kept.html").write_text("kept", encoding="utf-8")
    source = tmp_path / "src.xml"
    source.write_text("<TEI/>", encoding="utf-8")
    update_folder(out, {"cite/a.json": b"{}", "documents/x.html": b"x"}, {"tei/a.xml": source},
                  {"pdf/a.pdf": source}, keep={"kept.html"})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "cite/a.json", "documents/x.html", "kept.html", "pdf/a.pdf", "tei/a.xml"]
    assert not (out / "cite").is_symlink() and not (out / "stray").exists()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert os.path.samefile(out / "pdf" / "a.pdf", source)
    for bad in ("../x", "a/../../x", "/etc/x", "a//b"):
        with pytest.raises(EditionError, match="outside"):
            update_folder(out, {bad: b"x"}, {}, {}, keep=())
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_files_keep_the_umask(tmp_path: Path, mask: int) -> None:
    code = (f"import os, sys; from pathlib import Path; os.umask({mask}); from pipeline.write import write_atomic; "
            "p = Path(sys.argv[1]); write_atomic(p / 'f.txt', b'x', root=p); "
            "print(oct(os.stat(p / 'f.txt').st_mode & 0o777))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == oct(0o666 & ~mask)


def test_csv_cells_cannot_be_formulas() -> None:
    for cell in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert str(csv_safe(cell)).startswith("'")
    for cell in ("Stalin", "1920", "a=b", 5):
        assert csv_safe(cell) == cell


def test_link_csv_neutralises_formulas(project: Path) -> None:
    registers = project / "tei" / "registers.xml"
    text = registers.read_text(encoding="utf-8")
    # a register form that begins with '=' is matched in the text and reported in links.csv
    target = sorted((project / "tei" / "nk").glob("*.xml"))[0]
    body = target.read_text(encoding="utf-8").replace("<p>", "<p>=cmd|' /C calc'!A0 ", 1)
    target.write_text(body, encoding="utf-8")
    registers.write_text(text, encoding="utf-8")
    out = edition(project, "link", "-q")
    assert out.returncode == 0, out.stderr
    for line in (project / "out" / "reports" / "links.csv").read_text(encoding="utf-8").splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), line


def test_typst_reads_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    os.chdir(tmp_path)
    for text in (f'#read("{secret}")', '#read("secret.txt")', '#read("../secret.txt")'):
        with pytest.raises(EditionError) as err:
            pdf.typeset(pdf.TypstSource(text=text, paths={}, root=tmp_path))
        assert "SECRET" not in str(err.value)


def test_broken_pipe_is_quiet(project: Path) -> None:
    out = subprocess.run(f"{sys.executable} -m pipeline.cli validate --config edition.yaml | head -c 10",
                         shell=True, capture_output=True, text=True, cwd=project)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr
