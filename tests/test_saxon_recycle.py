"""A long build's Saxon children stay small: a child that has grown past its size after an
answer is ended, and a fresh one serves the next request (pipeline/saxon_run.py)."""

from __future__ import annotations

from pathlib import Path

from pipeline.html import HTML_XSLT
from pipeline.saxon_run import SaxonLimits
from pipeline.transform import Transformer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def test_a_grown_saxon_child_is_replaced_and_gives_the_same_results() -> None:
    t = Transformer(SaxonLimits())
    child = t.child
    assert child is not None
    sheet = t.stylesheet(HTML_XSLT / "catalogue.xsl")
    doc = FIXTURES / "foreign.xml"
    first = sheet.apply(doc)
    assert child.restarts == 0  # a catalogue entry leaves a child far below RECYCLE_MEGABYTES
    child.recycle_megabytes, child.fresh_factor = 1, 0.0  # every child now counts as grown
    pids = []
    for _ in range(3):
        assert sheet.apply(doc) == first  # (the stylesheet compiled again in each fresh child)
        assert child._proc is not None
        pids.append(child._proc.pid)
    assert child.restarts == 3 and len(set(pids)) == 3
    t.close()
