"""Patterns in edition.yaml that backtrack without end: a layout key, a document type's
words, a citation shape. Each would hang `convert` and `inspect` for longer than anyone
waits; the run stops the pattern after its time limit (pipeline/patterns.py) and says
where it is written, with exit code 1 and no traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.cli import main

from .hostile_project import one_source_project, outside

# On a line without a final digit this tries every way of cutting the line into pieces of
# one and two characters: exponential in the line's length (`re` would run for ages).
RUNAWAY = r"^(?:.|..)+\d$"
LAYOUT = "    profile: web-page\n"

# case → (text of edition.yaml it replaces, the new text, the text of the line the error names)
CASES = {
    "layout key": (LAYOUT, "    layout:\n      preset: web-page\n      boilerplate:\n"
                           f"        footer_lines: '{RUNAWAY}'\n", "footer_lines:"),
    "document type words": (LAYOUT, "    layout:\n      preset: web-page\n      heading:\n        type_words:\n"
                                    "          - {type: despatch, words: '(?:.|..)+\\d'}\n", "type_words:"),
    "citation shape": ("edition:\n", "edition:\n  citations:\n    - pattern: '^(?:.|..)+(?P<file>\\d)$'\n"
                                      "      archive: Archive\n", "- pattern:"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_source_project(tmp_path_factory.mktemp("runaway") / "project", documents=2)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_runaway_pattern_is_stopped_and_named(name: str, small: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(small, project)
    config = project / "edition.yaml"
    old, new, marker = CASES[name]
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1) + "limits:\n  pattern_seconds: 1\n", encoding="utf-8")
    line = next(i for i, row in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if marker in row)
    before = outside(project)
    # `inspect` reads no heading's type (it shows the layout's cuts), so it runs no type words
    commands = [["convert", "-q"]] + ([["inspect", "nk"]] if name != "document type words" else [])
    for command in commands:
        capsys.readouterr()
        start = time.monotonic()
        code = main([*command, "--config", str(config)])
        took = time.monotonic() - start
        out, err = capsys.readouterr()
        assert code == 1, (command, out[-500:], err[-2000:])
        assert "Traceback" not in out + err
        errors = [row for row in err.splitlines() if "error" in row]
        assert len(errors) == 1, errors
        assert f"edition.yaml:{line}:" in errors[0] and "backtracks" in errors[0], errors[0]
        assert "more than 1 s" in errors[0] and "(?:.|..)+" in errors[0] and "telegram" not in errors[0], errors[0]
        assert took < 30, f"{command} took {took:.0f} s"
    assert outside(project) == before
    assert not list((project / "tei").rglob("nk-*.xml")), "a document of a stopped source was written"
