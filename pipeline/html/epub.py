"""An EPUB 3 of the edition (out/html/edition.epub), written by ebooklib from the pages
the HTML build has just made: the home page's introduction, then every document in
calendar order (its header, text, notes, source and citation), one XHTML file each.

Links between documents become links between chapters; links to pages the book does
not hold (registers, the concordance) keep their text only; the tooltips of the
apparatus are dropped (a reading system shows no hover) and the printed reading stays
in the text. The book is byte-identical for the same input: the modification date is
the build date, and the zip's entries carry a fixed time.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, cast

from ebooklib import epub  # type: ignore[import-untyped]
from lxml import etree
from lxml import html as lxml_html

from ..config import Edition

XHTML = "http://www.w3.org/1999/xhtml"
CSS = """body { font-family: serif; line-height: 1.5; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; }
.doc-kicker, .doc-date, .doc-meta, .fn-about, .cite-files { font-size: 0.9em; }
.fn-ref sup { font-size: 0.75em; }
.footnotes ol { padding-left: 1.2em; }
.supplied .bracket { color: #7a2418; }
"""
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def _chapter_body(page: str, ids: set[str]) -> str:
    """The article of a rendered page as XHTML for the book."""
    root: Any = lxml_html.fromstring(page)
    article: Any = root.find(".//article")
    if article is None:
        article = root.find(".//main")
    if article is None:
        return "<p/>"
    for el in cast("list[Any]", article.xpath(".//*[contains(concat(' ', @class, ' '), ' tip ')] | .//script | "
                            ".//*[contains(concat(' ', @class, ' '), ' Z3988 ')] | "
                            ".//*[contains(concat(' ', @class, ' '), ' cite-files ')] | "
                            ".//*[contains(concat(' ', @class, ' '), ' tei-link ')]")):
        el.drop_tree()
    for el in cast("list[Any]", article.xpath(".//*[@tabindex or @aria-describedby]")):
        el.attrib.pop("tabindex", None)
        el.attrib.pop("aria-describedby", None)
    for a in article.iter("a"):
        href = a.get("href", "")
        m = re.match(r"^(?:\.\./)?documents/([^/#?]+)\.html(#.*)?$", href)
        if m and m.group(1) in ids:
            a.set("href", f"{m.group(1)}.xhtml{m.group(2) or ''}")
        elif href.startswith("#") or re.match(r"^https?://", href):
            continue
        else:
            a.drop_tag()
    for el in cast("list[Any]", article.xpath(".//time")):
        el.drop_tag()
    body = etree.tostring(article, method="xml", encoding="unicode")
    return re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", body)


def build_epub(edition: Edition, pages: dict[str, str], order: list[tuple[str, str]], *,
               intro: str, built: str) -> bytes:
    """`order`: [(document id, its title)] in calendar order; `pages`: the site's pages."""
    book = epub.EpubBook()
    book.set_identifier(f"{edition.id}-{edition.version or 'draft'}")
    book.set_title(edition.title)
    book.set_language("en")
    for editor in edition.editors:
        book.add_author(editor, role="edt")
    book.add_metadata("DC", "publisher", edition.publisher)
    if built:
        book.add_metadata("DC", "date", built)
    licence = edition.licence
    book.add_metadata("DC", "rights", licence.name + (f" ({licence.url})" if licence.url else ""))
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=CSS.encode())
    book.add_item(style)
    ids = {doc_id for doc_id, _ in order}
    chapters: list[Any] = []
    cover = epub.EpubHtml(title=edition.title, file_name="intro.xhtml", lang="en")
    cover.content = f"<h1>{_esc(edition.title)}</h1>{intro}"
    cover.add_item(style)
    chapters.append(cover)
    for doc_id, title in order:
        page = pages.get(f"documents/{doc_id}.html")
        if page is None:
            continue
        chapter = epub.EpubHtml(title=title, file_name=f"{doc_id}.xhtml", lang="en")
        chapter.content = _chapter_body(page, ids)
        chapter.add_item(style)
        chapters.append(chapter)
    for chapter in chapters:
        book.add_item(chapter)
    book.toc = chapters
    book.spine = ["nav", *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    raw = io.BytesIO()
    import datetime

    mtime = datetime.datetime.fromisoformat(built) if built else datetime.datetime(2000, 1, 1)
    epub.write_epub(raw, book, {"mtime": mtime, "epub3_pages": False})
    return _fixed_zip(raw.getvalue())


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed (mimetype first and stored)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
