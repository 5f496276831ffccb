"""Segmentation on verbatim cuts of the sources (tests/fixtures/segment/, named for what
they show)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Collection, Source
from pipeline.errors import EditionError
from pipeline.segment import segment_source
from pipeline.sources import read_source

FIX = Path(__file__).parent / "fixtures" / "segment"


def source(profile: str, title: str = "Nagorno-Karabakh in International Law and Global Politics",
           site: str | None = "Artatsolum") -> Source:
    return Source(id="x", file=Path("x.txt"), profile=profile, collection=Collection(title=title), site=site)


def test_heading_glued_to_the_end_of_a_source_line_starts_a_document() -> None:
    seg = segment_source(read_source(FIX / "004-heading-glued-to-source-line.txt"), source("web-page"))
    assert len(seg.units) == 2
    first, second = seg.units
    assert second.head[0].text.startswith("November 6, 1920, from Stalin report")
    assert second.head[0].first == 7 and second.head[0].col > 0  # the same line as the source line's tail
    assert first.body[-1].text.rstrip().endswith("NKID, M. 1920.")
    assert any("inside a line" in msg for _, msg in seg.flags)


def test_dangling_number_and_comment_form_are_boilerplate() -> None:
    seg = segment_source(read_source(FIX / "000-dangling-number-and-comment-form.txt"), source("web-page"))
    assert [u.number for u in seg.units] == ["568", "569"]
    kinds = [b.kind for b in seg.boilerplate]
    assert any("570" in k for k in kinds)
    footer = next(b for b in seg.boilerplate if b.kind.startswith("footer"))
    assert "Leave a Reply" in footer.text and "Required fields are marked *" in footer.text
    assert "Barsegov" in footer.text
    assert not seg.units[-1].body[-1].text.rstrip().endswith("570")


def test_headless_fragment_numbered_and_two_paragraph_headings() -> None:
    seg = segment_source(read_source(FIX / "000-headless-fragment-and-split-heading.txt"), source("web-page"))
    heads = [u.head[0].text[:30] for u in seg.units]
    assert heads[0].startswith("First Addendum")  # the page starts inside a document
    assert [u.number for u in seg.units] == [None, "555", "556", "557", None]
    split = seg.units[-1]
    assert len(split.head) == 2 and split.head[1].text.startswith("Including the text of a telegram")
    assert any("headless" in msg for _, msg in seg.units[0].flags)


def test_site_header_is_boilerplate_not_a_document() -> None:
    seg = segment_source(read_source(FIX / "001-site-header-and-note.txt"),
                      source("web-page", title="Selected Secret Documents", site="Marx-Engels | Lenin | Stalin"))
    assert len(seg.units) == 1
    assert seg.units[0].head[0].text.startswith("Note from the plenipotentiary")
    header = seg.boilerplate[0]
    assert header.first == 1 and "Download PDF" in header.text


def test_book_contents_year_divider_and_back_matter() -> None:
    seg = segment_source(read_source(FIX / "003-contents-year-divider-back-matter.txt"),
                               source("markdown-from-pdf", title="Selected Secret Documents", site=None))
    kinds = {b.kind for b in seg.boilerplate}
    assert {"title pages and source data", "table of contents", "year divider", "back matter and licence"} <= kinds
    heads = [u.head[0].text.split("\n")[0] for u in seg.units]
    assert heads[0].startswith("**Note of the people's commissioner")
    assert any(h.startswith("**From the diary of the plenipotentiary") for h in heads)
    # "**August 28, 1919**" is a dateline, not a heading.
    assert not any(h.startswith("**August 28") for h in heads)
    back = next(b for b in seg.boilerplate if b.kind == "back matter and licence")
    assert "Creative Commons ShareAlike" in back.text


def test_a_book_without_headings_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "prose.txt"
    f.write_text("## CONTENTS\n\nJust prose.\n\nMore prose.\n")
    with pytest.raises(EditionError, match="no document start"):
        segment_source(read_source(f), source("markdown-from-pdf", site=None))
