"""Whatever the input, the converter writes valid TEI (a property test with hypothesis).

A source is made of random runs of lines taken from the five bundled sources, the fixtures
of every note-marker style, and the corpus of other collections (`<root>/../shared/corpus`,
used when it is there), mixed in random order, with or without blank lines between them,
read with each of the converter's layouts. For every such source `edition convert` either
writes TEI that `edition validate` finds free of errors, or refuses with one line naming
the file (exit 1) — never a traceback.

The examples are derandomised (a fixed sequence, the same on every machine) and their number
bounded, so that the test takes a few tens of seconds and fails the same way every time.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.cli import main

try:  # layouts as data: every preset, and auto-detection
    from pipeline.segment.layout import preset_names  # type: ignore[import-not-found,unused-ignore]

    LAYOUTS: tuple[str, ...] = (*preset_names(), "auto")
    LAYOUT_KEY = "layout"
except ImportError:  # the profiles before layouts became data
    from pipeline.config import PROFILES as LAYOUTS  # type: ignore[attr-defined,no-redef,unused-ignore]

    LAYOUT_KEY = "profile"

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _texts() -> list[list[str]]:
    files = sorted((ROOT / "sources").glob("*.txt"))
    files += sorted((ROOT / "tests" / "fixtures" / "layouts" / "markers").glob("*.txt"))  # every note-marker style
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.txt"))
    return [_lines(p) for p in files]


TEXTS = _texts()

# A run of consecutive lines of one text (keeps headings, datelines and notes together, so that
# documents are found and then cut and mixed), or single lines from anywhere.
runs = st.tuples(st.integers(0, len(TEXTS) - 1), st.floats(0, 1), st.integers(1, 40))
singles = st.tuples(st.integers(0, len(TEXTS) - 1), st.floats(0, 1), st.just(1))
pieces = st.lists(st.one_of(runs, singles), min_size=1, max_size=12)


def _source(chosen: list[tuple[int, float, int]], blank_between: bool) -> str:
    out: list[str] = []
    for text_no, where, length in chosen:
        lines = TEXTS[text_no]
        start = int(where * max(0, len(lines) - length))
        out.extend(lines[start:start + length])
        if blank_between:
            out.append("")
    return "\n".join(out) + "\n"


def _project(root: Path, text: str, profile: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "sources").mkdir(parents=True)
    (root / "tei").mkdir()
    (root / "sources" / "mixed.txt").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "tei" / "registers.xml", root / "tei" / "registers.xml")
    shutil.copytree(ROOT / "pipeline" / "schemas", root / "schemas")  # the files' xml-model points here
    config = {
        "edition": {"id": "mixed", "title": "Mixed lines", "publisher": "The Edition Pipeline project",
                    "licence": {"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"}},
        "sources": [{"id": "mx", "file": "sources/mixed.txt", LAYOUT_KEY: profile,
                     "collection": {"title": "Mixed lines"}}],
    }
    (root / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse and friends
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.mark.skipif(not TEXTS, reason="no source texts")
# No shrinking: a failing example is printed as generated (shrinking a conversion takes minutes).
@settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "30")), deadline=None, derandomize=True,
          database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(chosen=pieces, blank_between=st.booleans(), profile=st.sampled_from(LAYOUTS))
def test_any_mixture_of_lines_converts_to_valid_tei(tmp_path: Path, chosen: list[tuple[int, float, int]],
                                                    blank_between: bool, profile: str) -> None:
    text = _source(chosen, blank_between)
    project = _project(tmp_path / "p", text, profile)
    code, said = _run(["convert", "-q", "--config", str(project / "edition.yaml")])
    assert "Traceback" not in said, said
    assert code in (0, 1), said
    if code == 1:  # refused: one clear line that names the source, nothing written
        assert "mixed.txt" in said, said
        assert not list((project / "tei").glob("mx/*.xml"))
        return
    files = [str(p) for p in sorted((project / "tei").rglob("*.xml")) if p.name != "registers.xml"]
    assert files
    code, said = _run(["validate", "--config", str(project / "edition.yaml"), *files])
    assert code == 0, f"{profile}, source:\n{text}\n\nvalidate:\n{said}"


def test_a_footnote_inside_a_footnote_is_moved_after_its_host() -> None:
    from lxml import etree

    from pipeline.tei import T, unnest_footnotes

    div = etree.fromstring(
        '<div xmlns="http://www.tei-c.org/ns/1.0"><p>Text<note place="foot" type="compiler">A note'
        '<p>carried on<note n="*" place="foot"/> here</p> end</note> after.</p></div>')
    assert unnest_footnotes(div) == 1
    p = div[0]
    host, moved = p.findall(T + "note")
    assert moved.get("type") == "unresolved" and moved.get("resp")
    assert "".join(host.itertext()) == "A notecarried on here end"
    assert moved.tail == " after." and host.tail is None
    assert unnest_footnotes(div) == 0
