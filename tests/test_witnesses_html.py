"""The web edition of a document printed more than once: variants on hover and focus, a
switch to read each witness, a side-by-side view, the old address redirected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_html import doc_with, need, read
from .test_html_browser import CHROMIUM, CHROMIUM_ARGS, url


def merged_doc(site: Path) -> str:
    """The merged document of the edition with the most variants."""
    best = max((p for p in (site / "tei").glob("*/*.xml") if "<listWit" in p.read_text(encoding="utf-8")),
               key=lambda p: p.read_text(encoding="utf-8").count("<app "))
    return best.stem


def test_merged_page_marks_its_variants(site: Path) -> None:
    doc = merged_doc(site)
    html = read(site, f"documents/{doc}.html")
    tei = (next((site / "tei").glob(f"*/{doc}.xml"))).read_text(encoding="utf-8")
    assert html.count('class="app variant') == tei.count("<app ")
    tips = re.findall(r'<span class="tip" role="tooltip" id="[^"]+">(Variant[^<]*)</span>', html)
    assert tips and all("(base)" in t for t in tips)
    assert 'id="reading-sbs"' in html and '<div class="sbs"' in html
    assert 'href="../assets/witnesses.css"' in html and (site / "assets" / "witnesses.css").is_file()


def test_old_address_of_a_merged_printing_redirects(site: Path) -> None:
    doc = doc_with(site, "sdr", "listWit")
    tei = next((site / "tei").glob(f"*/{doc}.xml")).read_text(encoding="utf-8")
    [old] = [n for n in re.findall(r'<witness [^>]*n="([^"]+)"', tei) if n != doc]
    assert not list((site / "tei").glob(f"*/{old}.xml"))  # one document, not two
    page = read(site, f"documents/{old}.html")
    assert f'url={doc}.html"' in page and f'rel="canonical" href="{doc}.html"' in page
    calendar = read(site, "calendar.html")
    assert f"documents/{old}.html" not in calendar and f"documents/{doc}.html" in calendar


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(Path(CHROMIUM).is_file(), "Chromium (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_reading_switch_and_side_by_side(site: Path, browser: Any) -> None:
    doc = merged_doc(site)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(url(site, f"documents/{doc}.html"))
    variant = page.locator(".doc-text .variant").first
    lem, rdg, tip = variant.locator(":scope > .lem"), variant.locator(":scope > .rdg").first, \
        variant.locator(":scope > .tip")
    assert lem.is_visible() and not rdg.is_visible() and not tip.is_visible()
    variant.focus()
    assert tip.is_visible() and "Variant" in tip.inner_text()
    page.check("#reading-w2")  # the other witness in full: its reading, no marks
    assert rdg.is_visible() == bool(rdg.inner_text().strip()) and not lem.is_visible()
    page.check("#reading-w1")
    assert lem.is_visible() and not rdg.is_visible()
    page.check("#reading-sbs")
    assert page.locator(".sbs").is_visible() and not page.locator(".doc-text").is_visible()
    columns = page.locator(".sbs thead th")
    assert columns.count() == 2
    text = page.locator(".sbs tbody").inner_text()
    lem_text, rdg_text = lem.text_content().strip(), rdg.text_content().strip()
    assert (not lem_text or lem_text in text) and (not rdg_text or rdg_text in text)
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    page.close()
