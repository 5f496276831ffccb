"""The command line: help and version, hand-edit protection, and bad input (one clear line,
non-zero exit, no traceback, nothing half-written)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import make_project


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--config", str(project / "edition.yaml")],
                          capture_output=True, text=True, cwd=project)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} \
        if folder.exists() else {}


def test_help_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "convert" in out.stdout and "build" in out.stdout
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("edition ")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    p = make_project(tmp_path / "project")
    assert run(p, "convert", "-q").returncode == 0
    return p


def test_convert_from_the_project_root_with_the_default_config(project: Path) -> None:
    """`edition convert` as the README runs it: in the project's folder, edition.yaml named
    relative to it; again over the files of the first run."""
    for _ in range(2):
        out = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", "-q"], capture_output=True,
                             text=True, cwd=project)
        assert out.returncode == 0, out.stderr


def test_hand_edited_file_is_never_overwritten(project: Path) -> None:
    target = project / "tei" / "nk" / "nk-562.xml"
    edited = target.read_text(encoding="utf-8").replace("Legran arrived", "Legran (the envoy) arrived")
    target.write_text(edited, encoding="utf-8")
    before = snapshot(project / "tei")
    out = run(project, "convert")
    assert out.returncode == 1
    assert "nk-562.xml" in out.stderr and "edited by hand" in out.stderr
    assert "Traceback" not in out.stderr
    assert snapshot(project / "tei") == before  # nothing written at all
    shown = run(project, "convert", "--diff")
    assert "-" in shown.stderr and "Legran (the envoy) arrived" in shown.stderr
    forced = run(project, "convert", "--force", "-q")
    assert forced.returncode == 0
    assert "Legran (the envoy)" not in target.read_text(encoding="utf-8")


def test_build_keeps_hand_edited_files_and_converts_the_rest(project: Path, capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    from pipeline.convert import run_convert

    target = project / "tei" / "nk" / "nk-562.xml"
    edited = target.read_text(encoding="utf-8").replace("Legran arrived", "Legran (the envoy) arrived")
    target.write_text(edited, encoding="utf-8")
    other = project / "tei" / "nk" / "nk-563.xml"
    other.unlink()  # a file the converter must write again
    code = run_convert(project / "edition.yaml", [], force=False, diff=False, quiet=True, keep_edited=True)
    assert code == 0
    assert target.read_text(encoding="utf-8") == edited
    assert other.exists()
    assert "nk-562.xml: warning: edited by hand; kept" in capsys.readouterr().err
    # Still recognised as hand-edited next time.
    assert run(project, "convert").returncode == 1


def test_reconverting_one_source_leaves_the_others_alone(project: Path) -> None:
    other = project / "tei" / "ssd"
    before = snapshot(other)
    assert run(project, "convert", "nk", "-q").returncode == 0
    assert snapshot(other) == before


def bad(project: Path, *args: str, tei_unchanged: bool = True) -> subprocess.CompletedProcess[str]:
    before = snapshot(project / "tei") if tei_unchanged else {}
    out = run(project, *args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = [x for x in out.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, out.stderr
    if tei_unchanged:
        assert snapshot(project / "tei") == before
    return out


def test_missing_source_file(project: Path) -> None:
    (project / "sources" / "002_938f9072fcb795d8.txt").unlink()
    out = bad(project, "convert")
    assert "002_938f9072fcb795d8.txt" in out.stderr and "not found" in out.stderr


def test_a_failing_source_does_not_block_the_others(project: Path) -> None:
    (project / "sources" / "002_938f9072fcb795d8.txt").unlink()
    shutil.rmtree(project / "tei" / "nk")
    out = run(project, "convert", "-q")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "002_938f9072fcb795d8.txt" in out.stderr and "blc not converted" in out.stderr
    assert len(list((project / "tei" / "nk").glob("*.xml"))) > 5  # the others were converted
    # Converting one named source needs only that source.
    assert run(project, "convert", "nk", "-q").returncode == 0


def test_empty_source_file(project: Path) -> None:
    (project / "sources" / "002_938f9072fcb795d8.txt").write_bytes(b"")
    assert "empty" in bad(project, "convert").stderr


def test_binary_source_file(project: Path) -> None:
    (project / "sources" / "002_938f9072fcb795d8.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    assert "binary" in bad(project, "convert").stderr


def test_non_utf8_source_names_the_line(project: Path) -> None:
    path = project / "sources" / "002_938f9072fcb795d8.txt"
    data = path.read_bytes().replace(b"G. V. Chicherin", "G. V. \xc7icherin".encode("latin-1"), 1)
    path.write_bytes(data)
    out = bad(project, "convert")
    assert "not UTF-8" in out.stderr and ":11:" in out.stderr


def test_source_without_documents(project: Path) -> None:
    (project / "sources" / "003_2b0cd471ec2c66ee.txt").write_text("Just a page of prose.\n\nNothing else.\n")
    # The other sources are converted (their duplicates in the emptied source are gone); its files stay.
    ssd = snapshot(project / "tei" / "ssd")
    out = bad(project, "convert", tei_unchanged=False)
    assert "003_2b0cd471ec2c66ee.txt" in out.stderr and "no document" in out.stderr
    assert snapshot(project / "tei" / "ssd") == ssd


def test_unknown_profile_names_the_line(project: Path) -> None:
    cfg = project / "edition.yaml"
    cfg.write_text(cfg.read_text().replace("profile: markdown-from-pdf", "profile: pdf"))
    out = bad(project, "convert")
    assert "unknown profile 'pdf'" in out.stderr and "edition.yaml:" in out.stderr


def test_unknown_key_names_the_line(project: Path) -> None:
    cfg = project / "edition.yaml"
    text = cfg.read_text().replace("  - id: blc\n", "  - id: blc\n    colection: oops\n")
    cfg.write_text(text)
    out = bad(project, "convert")
    line = text.splitlines().index("    colection: oops") + 1
    assert f"edition.yaml:{line}:" in out.stderr and "colection" in out.stderr


def test_unknown_source_argument(project: Path) -> None:
    out = bad(project, "convert", "nosuch")
    assert "unknown source 'nosuch'" in out.stderr
