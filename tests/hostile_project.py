"""Small copies of the bundled edition for the hostile-input tests (edition.yaml, the
sources, the schemas and a few converted documents: fast to publish), and what the
hostile corpora share: the project built once per module (`linked`, imported by each
test module), the commands every case runs, and `run_all`, which runs them and checks
the promises (exit code 0, 1 or 2, no traceback, an error names its file, nothing
written outside tei/ and out/, nothing half-written)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def mini_project(dest: Path, converted: Path, *, documents: int = 3) -> Path:
    """A project in `dest` with the first `documents` TEI files of source nk of `converted`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(converted / "edition.yaml", dest / "edition.yaml")
    shutil.copytree(converted / "sources", dest / "sources")
    shutil.copytree(ROOT / "pipeline" / "schemas", dest / "schemas")
    tei = dest / "tei"
    (tei / "nk").mkdir(parents=True)
    shutil.copy(converted / "tei" / "edition.xml", tei / "edition.xml")
    shutil.copy(ROOT / "tei" / "registers.xml", tei / "registers.xml")  # the editors' file, not converted
    keep = sorted((converted / "tei" / "nk").glob("*.xml"))[:documents]
    for path in keep:
        shutil.copy(path, tei / "nk" / path.name)
    manifest = json.loads((converted / "tei" / ".converted.json").read_text(encoding="utf-8"))
    wanted = {"edition.xml", *(f"nk/{p.name}" for p in keep)}
    (tei / ".converted.json").write_text(json.dumps({k: v for k, v in manifest.items() if k in wanted}, indent=1),
                                         encoding="utf-8")
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative path → bytes), to see what a command changed; the
    project's lock file (out/.edition.lock, kept by every command that writes) aside."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".edition.lock"}


def one_source_project(dest: Path, documents: int | None = None) -> Path:
    """A project of the bundled edition's first source only (nk, 15 documents), with the
    editors' registers: small enough to convert and link many times in a test. With
    `documents`, the source keeps only its first documents (and its end)."""
    dest.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "edition.yaml").read_text(encoding="utf-8")
    start = text.index("\n  - id: nk\n")
    end = text.index("\n  - id: ", start + 1)
    rest = text[end + 1:]
    tail = rest[rest.index("\n", 0) + 1:]
    following = next((i for i, line in enumerate(tail.splitlines()) if line and not line.startswith(" ")), None)
    after = "\n".join(tail.splitlines()[following:]) + "\n" if following is not None else ""
    # the one source left is the only one the witnesses' base order may name
    after = re.sub(r"(?m)^(  base: )\[.*\]$", r"\1[nk]", after)
    (dest / "edition.yaml").write_text(text[:end + 1] + after, encoding="utf-8")
    (dest / "sources").mkdir()
    shutil.copy(ROOT / "sources" / "000_4958403d30913677.txt", dest / "sources")
    if documents is not None:
        source = dest / "sources" / "000_4958403d30913677.txt"
        lines = source.read_text(encoding="utf-8").split("\n")
        numbers = [i for i, line in enumerate(lines) if re.fullmatch(r"No\. \d+\s*", line)]
        lines = lines[:numbers[documents]] + lines[numbers[-1]:]  # the last number is the page's end
        source.write_text("\n".join(lines), encoding="utf-8")
    shutil.copytree(ROOT / "pipeline" / "schemas", dest / "schemas")
    (dest / "tei").mkdir()
    shutil.copy(ROOT / "tei" / "registers.xml", dest / "tei" / "registers.xml")
    return dest


SOURCE = "sources/000_4958403d30913677.txt"
# Every command; convert and build keep a file edited by hand unless forced (the TEI cases).
COMMANDS = [["convert", "--force", "-q"], ["link", "-q"], ["validate", "-q"], ["html", "-q"], ["pdf", "-q"],
            ["deposit", "-q"], ["inspect", "nk", "-q"], ["build", "-j", "1", "-q"]]
TEI_COMMANDS = [["convert", "-q"], *COMMANDS[1:]]
# What an error may name: a file of the project (or the edition, for a verdict on all of it).
NAMED = ("edition.yaml", ".converted.json", "registers.xml", "witnesses.yaml", "tei/", "sources/",
         SOURCE.split("/")[1], "the edition is not valid")


def outside(project: Path) -> dict[str, bytes]:
    """Every file of the project's folder and beside it, except under tei/ and out/."""
    root = project.parent
    keep = (f"{project.name}/tei/", f"{project.name}/out/")
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(keep)}


def run_all(project: Path, commands: list[list[str]], capsys: pytest.CaptureFixture[str],
            named: tuple[str, ...] = NAMED) -> list[tuple[str, int, str]]:
    before = outside(project)
    results = []
    capsys.readouterr()
    for command in commands:
        code = main([*command, "--config", str(project / "edition.yaml")])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert code in (0, 1, 2), (command, code, text[-2000:])
        assert "Traceback" not in text and "internal error" not in text, (command, text[-2000:])
        if code:
            errors = [line for line in text.splitlines() if "error" in line]
            assert errors, (command, text[-2000:])
            assert any(name in line for line in errors for name in named), (command, errors[:5])
        results.append((command[0], code, text))
    assert outside(project) == before, "written outside tei/ and out/"
    half = [p for p in project.rglob("*") if p.name.endswith(".tmp") or ".transaction" in p.name
            or re.match(r"^\.(html|deposit|pdf)\.", p.name)]
    assert not half, half
    return results


@pytest.fixture(scope="module", name="linked")
def linked_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture `linked`: the project built once per test module (convert, link,
    validate, html, pdf and the build's cache), which each case copies (`copy`); a test
    module imports `linked_fixture` to have it."""
    project = one_source_project(tmp_path_factory.mktemp("hostile") / "project", documents=3)
    assert main(["build", "-j", "1", "-q", "--config", str(project / "edition.yaml")]) == 0
    return project


def copy(linked: Path, tmp_path: Path) -> Path:
    """A copy of the built project (`linked`) for one case to spoil."""
    project = tmp_path / "project"
    shutil.copytree(linked, project, symlinks=True)
    return project


def first_tei(project: Path) -> Path:
    """The project's first document (its TEI file), which the TEI cases spoil."""
    return sorted((project / "tei" / "nk").glob("*.xml"))[0]


def second_tei(project: Path) -> Path:
    return sorted((project / "tei" / "nk").glob("*.xml"))[1]


# -- the steps of a case: each spoils a copy of the project ---------------------------------------

Step = Callable[[Path], None]


def yaml_replaced(old: str, new: str) -> Step:
    """edition.yaml with the text `old` (which must be there) replaced by `new` once."""
    def apply(project: Path) -> None:
        config = project / "edition.yaml"
        text = config.read_text(encoding="utf-8")
        assert old in text, old
        config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def yaml_appended(text: str) -> Step:
    def apply(project: Path) -> None:
        config = project / "edition.yaml"
        config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    return apply


def tei_edited(transform: Callable[[str], str], which: Callable[[Path], Path] = first_tei) -> Step:
    """A TEI file of the project (the first document's) with its text transformed."""
    def apply(project: Path) -> None:
        path = which(project)
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


def steps(*each: Step) -> Step:
    def apply(project: Path) -> None:
        for step in each:
            step(project)
    return apply
