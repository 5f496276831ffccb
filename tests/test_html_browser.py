"""The HTML edition in a real browser: Debian's Chromium, headless, driven by Playwright
through its executable path (no browser download). Pages are opened from file://, the
hardest case for a static site (no fetch, no server).

Gates: footnote marker → note → back-link; note preview and the printed reading on
hover/focus; search finds a phrase of a 1939 document of source 003; a register page
lists its documents; the archival concordance lists documents; no request leaves the
disk; no WCAG 2.1 AA violation found by axe-core on every kind of page; a screenshot of
a 003 document page with notes (out/test-artifacts/)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_html import ARTIFACTS, ROOT, doc_with, need

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(Path(CHROMIUM).is_file(), "Chromium (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        need(False, "playwright (Python package)")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def url(site: Path, href: str) -> str:
    path, _, query = href.partition("?")
    return (site / path).resolve().as_uri() + (f"?{query}" if query else "")


def in_viewport(page: Any, selector: str) -> bool:
    return bool(page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight; }"""))


def test_footnote_marker_reaches_the_note_and_back(page: Any, site: Path) -> None:
    doc = doc_with(site, "ssd", 'type="compiler"')
    page.goto(url(site, f"documents/{doc}.html"))
    markers = page.locator("a.fn-ref")
    assert markers.count() > 0
    marker = markers.last  # the last marker: the page must scroll down to its note
    note_id = marker.get_attribute("href")[1:]
    marker_id = marker.get_attribute("id")
    marker.click()
    assert page.evaluate("location.hash") == f"#{note_id}"
    assert in_viewport(page, f"[id='{note_id}']")
    assert page.eval_on_selector(f"[id='{note_id}']", "e => e.matches(':target')")
    back = page.locator(f"[id='{note_id}'] a[href='#{marker_id}']")
    back.click()
    assert page.evaluate("location.hash") == f"#{marker_id}"
    assert in_viewport(page, f"[id='{marker_id}']")


def test_note_preview_on_hover_and_focus(page: Any, site: Path) -> None:
    doc = doc_with(site, "ssd", 'type="compiler"')
    page.goto(url(site, f"documents/{doc}.html"))
    marker = page.locator("a.fn-ref").first
    note_id = marker.get_attribute("href")[1:]
    note_text = page.inner_text(f"[id='{note_id}'] .fn-body").split("\n")[0].strip()
    marker.hover()
    preview = page.locator(".fn-preview")
    preview.wait_for(state="visible", timeout=3000)
    assert note_text[:30] in preview.inner_text()
    page.mouse.move(0, 0)
    preview.wait_for(state="detached", timeout=3000)
    marker.focus()
    page.locator(".fn-preview").wait_for(state="visible", timeout=3000)


def test_printed_reading_on_hover_and_focus(page: Any, site: Path) -> None:
    doc = doc_with(site, "ssd", "<supplied ")
    page.goto(url(site, f"documents/{doc}.html"))
    app = page.locator(".app.supplied").first
    tip = app.locator(".tip")
    assert not tip.is_visible()
    app.focus()
    assert tip.is_visible() and "printed in square brackets" in tip.inner_text()
    page.locator("h1").first.click()
    assert not tip.is_visible()
    app.hover()
    assert tip.is_visible()


def test_search_finds_a_phrase_of_a_1939_document_of_003(page: Any, site: Path) -> None:
    # six words from the middle of the first long paragraph of the first 1939 document of 003
    tei = sorted((site / "tei" / "ssd").glob("ssd-1939*.xml"))[0]
    body = tei.read_text(encoding="utf-8").split("<body>")[1]
    paragraphs = [re.sub(r"\s+", " ", re.sub(r"<note\b.*?</note>|<[^>]+>", "", p))
                  for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    words = next(p for p in paragraphs if len(p.split()) >= 15).split()
    phrase = " ".join(words[4:10])
    # through the search box in the header of a page, as a reader would
    page.goto(url(site, "index.html"))
    page.fill("#site-q", f'"{phrase}"')
    page.press("#site-q", "Enter")
    page.wait_for_selector("#search-results li", timeout=5000)
    hrefs = page.eval_on_selector_all("#search-results li > a", "els => els.map(e => e.getAttribute('href'))")
    assert f"documents/{tei.stem}.html" in [h.split("?")[0] for h in hrefs]
    assert phrase.lower() in page.inner_text("#search-results").lower()
    assert "match" in page.inner_text("#search-status")
    # a word search restricted to the collection, from a URL
    page.goto(url(site, "search.html?q=Saracoglu+Balkan&collection=ssd"))
    page.wait_for_selector("#search-results li", timeout=5000)
    assert all(h.startswith("documents/ssd-") for h in page.eval_on_selector_all(
        "#search-results li > a", "els => els.map(e => e.getAttribute('href'))"))


def search(page: Any, site: Path, query: str) -> tuple[str, list[str]]:
    """Runs a search from its URL; returns the status line and the result links."""
    page.goto(url(site, "search.html?" + query))
    page.wait_for_selector("html[data-search-ms]", timeout=10_000)
    hrefs = page.eval_on_selector_all("#search-results li > a", "els => els.map(e => e.getAttribute('href'))")
    return page.inner_text("#search-status"), hrefs


def texts_with(site: Path, pattern: str) -> set[str]:
    """The documents whose TEI text (tags removed) matches a regular expression."""
    found = set()
    for tei in (site / "tei").glob("*/*.xml"):
        if tei.parent.name == "registers":
            continue
        text = re.sub(r"<[^>]+>", " ", tei.read_text(encoding="utf-8").split("<text", 1)[-1])
        if re.search(pattern, text):
            found.add(tei.stem)
    return found


def test_search_matches_whole_words_only(page: Any, site: Path) -> None:
    karsky = texts_with(site, r"\bKarsky\b")
    kars = texts_with(site, r"\bKars\b")
    assert karsky - kars, "the edition has a document with Karsky and without Kars"
    _, hrefs = search(page, site, "q=Kars")
    found = {h.split("?")[0][len("documents/"):-len(".html")] for h in hrefs}
    assert found and found <= kars and not (found & (karsky - kars))
    marks = page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")
    assert marks and {m.lower() for m in marks} == {"kars"}
    # accents and case do not matter; a prefix finds the longer word; stemming finds the plural
    assert search(page, site, "q=KARSKY")[1] and search(page, site, "q=Kars*")[1]
    _, plain = search(page, site, "q=treaties")
    _, stemmed = search(page, site, "q=treaty&stem=1")
    assert set(plain) < set(stemmed) or len(plain) < len(stemmed)


def test_a_filter_narrows_the_results(page: Any, site: Path) -> None:
    status, every = search(page, site, "q=Turkey")
    _, ssd = search(page, site, "q=Turkey&collection=ssd")
    assert len(ssd) > 0 and all(h.startswith("documents/ssd-") for h in ssd)
    total = int(status.split()[0])
    narrowed = int(page.inner_text("#search-status").split()[0])
    assert narrowed < total
    # a date range: every result dated within it (the ids carry the date)
    _, in_1921 = search(page, site, "q=Turkey&from=1921&to=1921")
    assert in_1921 and all(re.search(r"-1921\d{4}", h) for h in in_1921)
    # a filter alone lists its documents in date order
    status, telegrams = search(page, site, "type=telegram")
    assert telegrams and int(status.split()[0]) < total + 1000


def test_a_filter_with_many_values_is_a_text_field_with_suggestions(page: Any, linked_site: Path,
                                                                     paged_site: Path) -> None:
    """With more values than `filter_menu`, a filter is a text field: typing part of a name
    suggests the names, and a typed name or a value's key filters as the menu does."""
    page.goto(url(paged_site, "search.html"))
    assert page.eval_on_selector("#f-correspondent", "e => e.tagName") == "INPUT"
    page.fill("#f-correspondent", "chich")  # a word inside the name, not its beginning
    page.wait_for_selector("#f-correspondent-names option", state="attached", timeout=10_000)
    suggested = page.eval_on_selector_all("#f-correspondent-names option", "os => os.map(o => o.value)")
    assert suggested and all("Chicherin" in s for s in suggested)
    menu_status, by_menu = search(page, linked_site, "q=Turkey&correspondent=p_chicherin")
    assert by_menu
    for query in (f"q=Turkey&correspondent={suggested[0].replace(' ', '+')}", "q=Turkey&correspondent=p_chicherin"):
        status, typed = search(page, paged_site, query)
        assert typed == by_menu and status == menu_status
    status, none = search(page, paged_site, "q=Turkey&correspondent=Nobody+Atall")
    assert none == [] and status.startswith("No document")


def test_a_hit_opens_the_document_at_its_first_highlighted_match(page: Any, site: Path) -> None:
    _, hrefs = search(page, site, "q=%22Balkan+entente%22")
    assert hrefs
    page.click("#search-results li > a >> nth=0")
    page.wait_for_selector("mark.hit")
    marks = page.eval_on_selector_all("mark.hit", "els => els.map(e => e.textContent.toLowerCase())")
    assert marks and all(re.fullmatch(r"balkan\s+entente", m) for m in marks)
    assert in_viewport(page, "mark.hit")
    assert page.evaluate("window.scrollY") > 0 or in_viewport(page, "mark.hit")
    assert "marked" in page.inner_text(".hit-bar")


def test_citation_meta_tags_and_downloads_parse(page: Any, site: Path) -> None:
    """What Zotero and a reference manager read: the meta tags, the COinS span and the
    three downloads of a sample of pages, parsed by a CSL processor (citeproc-py), a
    BibTeX parser (bibtexparser) and an RIS parser (rispy)."""
    from urllib.parse import parse_qs

    import bibtexparser
    import rispy
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    from pipeline.config import load_config

    editors = load_config(ROOT / "edition.yaml").named_editors
    edition_title = re.search(r'<p class="site-title"><a href="[^"]*">([^<]+)<', (site / "index.html").read_text())
    assert edition_title
    samples = [f"documents/{doc_with(site, src, '<div')}.html" for src in ("nk", "ssd", "blc")] + ["index.html"]
    for href in samples:
        page.goto(url(site, href))
        meta = page.eval_on_selector_all("meta[name]", "ms => ms.map(m => [m.name, m.content])")
        tags: dict[str, list[str]] = {}
        for name, content in meta:
            tags.setdefault(name, []).append(content)
        title = tags["citation_title"][0]
        assert tags["DC.title"] == [title] and tags["citation_publisher"]
        # the persons the edition names as its editors, never the publisher (none in the bundled edition)
        assert tags.get("citation_editor", []) == list(editors)
        coins = parse_qs(page.get_attribute("span.Z3988", "title"))
        assert coins["ctx_ver"] == ["Z39.88-2004"]
        if href.startswith("documents/"):
            assert page.title().split(": ", 1)[1][:30] == title[:30]
            assert tags["citation_inbook_title"] == [edition_title.group(1)] and coins["rft.atitle"] == [title]
            assert re.fullmatch(r"\d{4}/\d{2}(/\d{2})?", tags["citation_date"][0])
        citation = page.inner_text(".doc-cite .citation")
        assert title[:30] in citation and "version" in citation and "accessed" in citation
        assert re.search(r"accessed \d{1,2} [A-Z][a-z]+ \d{4}", citation)  # the reader's date, by JavaScript
        files = dict(page.eval_on_selector_all(".cite-files a", "as => as.map(a => [a.textContent, a.href])"))
        assert set(files) == {"CSL-JSON", "BibTeX", "RIS"}
        paths = {k: Path(v.removeprefix("file://")) for k, v in files.items()}
        items = json.loads(paths["CSL-JSON"].read_text(encoding="utf-8"))
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        bib.register(Citation([CitationItem(items[0]["id"])]))
        rendered = " ".join(str(x) for x in bib.bibliography())
        assert title.split(":")[0][:30] in rendered and "The Edition Pipeline project" in rendered
        entries = bibtexparser.parse_string(paths["BibTeX"].read_text(encoding="utf-8")).entries
        assert len(entries) == 1 and entries[0].fields_dict["title"].value.startswith(title[:30])
        records = rispy.loads(paths["RIS"].read_text(encoding="utf-8"))
        assert len(records) == 1 and records[0]["title"] == title


def test_pages_read_without_javascript(browser: Any, site: Path) -> None:
    """Notes, citations, registers and the lists are plain HTML: with JavaScript off a
    note marker still reaches its note, and the search page says what to use instead."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        doc = doc_with(site, "ssd", 'type="compiler"')
        page.goto(url(site, f"documents/{doc}.html"))
        marker = page.locator("a.fn-ref").first
        target = marker.get_attribute("href")
        marker.click()
        assert page.evaluate("location.hash") == target and in_viewport(page, f"[id='{target[1:]}']")
        assert "the date you consulted it" in page.inner_text(".doc-cite")
        assert page.locator(".cite-files a").count() == 3 and page.locator("a[type='application/tei+xml']").count()
        page.goto(url(site, "search.html?q=Kars"))
        assert page.locator("noscript").count() and page.locator("#search-results li").count() == 0
        for href in ("calendar.html", "places.html", "correspondents.html", "archives.html"):
            page.goto(url(site, href))
            assert page.locator("main a[href*='documents/']").count() > 0, href
    finally:
        context.close()


def test_review_report_filters(page: Any, linked_site: Path) -> None:
    report = linked_site.parent / "reports"
    page.goto(url(report, "review.html"))
    total = page.locator("li[data-text]").count()
    assert total > 0
    page.select_option("#f-kind", "register-entry-without-documents")
    shown = page.locator("li[data-text]:visible").count()
    assert 0 < shown < total and "shown" in page.inner_text("#f-count")
    page.select_option("#f-kind", "")
    page.fill("#f-text", "kemal")
    assert 0 < page.locator("li[data-text]:visible").count() < total


def test_calendar_sorts_by_date(page: Any, site: Path) -> None:
    page.goto(url(site, "calendar.html"))
    first = page.eval_on_selector("table.documents tbody tr", "r => r.dataset.date")
    page.click("th[data-key='date'] button")
    assert page.get_attribute("th[data-key='date']", "aria-sort") == "descending"
    dates = page.eval_on_selector_all("table.documents tbody tr", "rs => rs.map(r => r.dataset.date)")
    assert dates == sorted(dates, reverse=True) and dates[-1] == first


def test_register_page_lists_its_documents(page: Any, reg_site: Path) -> None:
    """With the test register (tests/fixtures/html/registers.xml); the edition's own
    registers are checked in test_html.py and by axe below."""
    page.goto(url(reg_site, "registers/index.html"))
    page.click("text=Schulenburg, Friedrich-Werner Graf von der")
    assert page.url.endswith("registers/per-schulenburg.html")
    items = page.locator(".register-docs li a")
    assert items.count() >= 1
    items.first.click()
    assert "/documents/" in page.url
    assert page.locator("a.name[href$='registers/per-schulenburg.html']").count() >= 1


def test_archive_concordance_lists_documents(page: Any, site: Path) -> None:
    doc = doc_with(site, "ssd", "<msDesc")
    page.goto(url(site, f"documents/{doc}.html"))
    page.click(".doc-source .archival a")
    assert "archives.html#" in page.url
    anchor = page.evaluate("location.hash")
    assert in_viewport(page, f"[id='{anchor[1:]}']")
    assert page.locator(f"[id='{anchor[1:]}'] a[href='documents/{doc}.html']").count() == 1


def test_pages_request_nothing_but_local_files(page: Any, site: Path) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for href in ("index.html", "calendar.html", "search.html?q=Turkey", "documents/" +
                 doc_with(site, "ssd", 'type="compiler"') + ".html"):
        page.goto(url(site, href))
    assert requested and all(u.startswith("file://") for u in requested), requested


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
            .map(n => n.target.join(' ')).join(', '));
    }""", AXE_TAGS)
    return list(result)


def test_pages_of_a_list_by_keyboard(page: Any, paged_site: Path) -> None:
    """The calendar in pages: the pager is reached and followed with the keyboard alone."""
    page.goto(url(paged_site, "calendar.html"))
    assert page.locator("nav.pager").count() == 2
    first_rows = page.eval_on_selector_all("table.documents tbody tr", "rs => rs.map(r => r.dataset.order)")
    nxt = page.locator("nav.pager").first.locator("a[rel=next]")
    for _ in range(200):  # Tab through the header, the year and page links to "Next page"
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
            break
    assert page.evaluate("document.activeElement.textContent").startswith(nxt.inner_text())
    page.keyboard.press("Enter")
    page.wait_for_url("**/calendar-p2.html")
    rows = page.eval_on_selector_all("table.documents tbody tr", "rs => rs.map(r => r.dataset.order)")
    assert rows and int(rows[0]) == int(first_rows[-1]) + 1
    assert page.locator("nav.pager a[aria-current=page]").first.inner_text() == "2"


def test_no_wcag_21_aa_violations(page: Any, site: Path, reg_site: Path, request: pytest.FixtureRequest) -> None:
    need(AXE.is_file(), "axe-core (npm)")
    with_notes = doc_with(site, "ssd", 'type="compiler"')
    reply = doc_with(site, "sdn", 'type="reply"')
    treaty = doc_with(site, "ssd", 'subtype="treaty"')
    samples = [
        (site, "index.html"), (site, "calendar.html"), (site, "collections.html"), (site, "collections/nk.html"),
        (site, "correspondents.html"), (site, "archives.html"), (site, "search.html?q=Ankara"),
        (site, "places.html"), (site, "search.html?q=%22Balkan+entente%22&type=telegram"),
        (site.parent, "reports/review.html"),
        (site, f"documents/{with_notes}.html"), (site, f"documents/{reply}.html"),
        (site, f"documents/{treaty}.html"),
        (site, f"documents/{doc_with(site, 'nk', '<gap ')}.html"),
        (reg_site, "registers/index.html"), (reg_site, "registers/per-schulenburg.html"),
    ]
    linked = ROOT / "tei" / "registers.xml"
    if linked.is_file():
        real = request.getfixturevalue("linked_site")
        index = (real / "registers" / "index.html").read_text(encoding="utf-8")
        first = re.search(r'<ul class="register-list"><li><a href="([^"]+)"', index)
        assert first
        samples += [(real.parent, "reports/review.html"), (real, "registers/index.html"),
                    (real, f"registers/{first.group(1)}"),
                    (real, f"documents/{doc_with(real, 'ssd', '<persName ref=')}.html"), (real, "correspondents.html")]
        paged = request.getfixturevalue("paged_site")  # lists in pages: the pager and "continued" heads
        samples += [(paged, "calendar-p2.html"), (paged, "registers/index-p3.html"), (paged, "correspondents-p2.html"),
                    (paged, "places-p2.html"), (paged, "archives-p2.html")]
    problems = []
    for root, href in samples:
        page.goto(url(root, href))
        if "search.html" in href:
            page.wait_for_selector("#search-results li", timeout=5000)
        problems += [f"{href}: {v}" for v in axe_violations(page)]
    # with a note preview and a tip open: the states a reader produces
    page.goto(url(site, f"documents/{richest_003_document(site)}.html"))
    page.locator("a.fn-ref").first.hover()
    page.locator(".fn-preview").wait_for(state="visible", timeout=3000)
    page.locator(".app").first.focus()
    problems += [f"(preview open): {v}" for v in axe_violations(page)]
    assert problems == []


def test_screenshot_of_a_003_document_with_notes(page: Any, site: Path) -> None:
    """The artifact to look at: does it read like a page of a scholarly edition?"""
    doc = richest_003_document(site)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto(url(site, f"documents/{doc}.html"))
    full = ARTIFACTS / "html-document-003.png"
    page.screenshot(path=str(full), full_page=True)
    page.locator("a.fn-ref").first.hover()
    page.locator(".fn-preview").wait_for(state="visible", timeout=3000)
    page.screenshot(path=str(ARTIFACTS / "html-document-003-note-preview.png"))
    page.mouse.move(0, 0)
    if page.locator(".app").count():
        page.locator(".app").first.focus()
        page.screenshot(path=str(ARTIFACTS / "html-document-003-printed-reading.png"))
    page.goto(url(site, "calendar.html"))
    page.screenshot(path=str(ARTIFACTS / "html-calendar.png"))
    assert full.stat().st_size > 50_000


def richest_003_document(site: Path) -> str:
    """The 003 document with the most compilers' notes that have a text and at least one
    supplied word: the page that shows the most of the apparatus."""
    def score(tei: Path) -> tuple[bool, int, int, str]:
        text = tei.read_text(encoding="utf-8")
        notes = len(re.findall(r'<note [^>]*type="compiler"[^>]*[^/]>', text))
        supplied = text.count("<supplied ")
        return (notes >= 2 and supplied >= 1, notes, supplied, tei.stem)
    return max(sorted((site / "tei" / "ssd").glob("*.xml")), key=score).stem

