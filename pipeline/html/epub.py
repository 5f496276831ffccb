"""An EPUB 3 of the edition (out/html/edition.epub), written by ebooklib from the pages
the HTML build has just made: the home page's introduction, then every document in
calendar order (its header, text, notes, source and citation), one XHTML file each.

Links between documents become links between chapters; links to pages the book does
not hold (registers, the concordance) keep their text only; the tooltips of the
apparatus are dropped (a reading system shows no hover) and the printed reading stays
in the text; of a document printed more than once, the base text (the witness switch and
the other witnesses' readings need the site's stylesheet). The book is byte-identical
for the same input: the modification date is the build date, and the zip's entries carry
a fixed time.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ebooklib import epub  # type: ignore[import-untyped]

from ..config import Edition

CSS = """body { font-family: serif; line-height: 1.5; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; }
.doc-kicker, .doc-date, .doc-meta, .fn-about, .cite-files { font-size: 0.9em; }
.fn-ref sup { font-size: 0.75em; }
.footnotes ol { padding-left: 1.2em; }
.supplied .bracket { color: #7a2418; }
"""
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


_VOID = {"br", "hr", "img", "wbr", "input", "meta", "link", "col", "area", "source"}
# tooltips, citation downloads, and the witness switch with what only it shows (the other
# witnesses' readings, side by side): a book reads the base text
_DROP_CLASSES = {"tip", "Z3988", "cite-files", "tei-link", "witness-switch", "sbs", "rdg", "pdf-link"}


class _Article(HTMLParser):
    """The <article> of one of our own pages as XHTML (no XML parser involved: the page
    is HTML5 as Saxon serialised it), shaped for a book: tooltips, download links and
    script left out, links outside the book reduced to their text."""

    def __init__(self, ids: set[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.ids = ids  # None: every document is taken to be in the book
        self.linked: set[str] = set()  # the documents that links became chapter links to
        self.out: list[str] = []
        self.depth = 0  # inside <article>: its nesting depth
        self.skip = 0  # inside a dropped element: its nesting depth
        self.unwrapped: list[bool] = []  # per open element: was its tag left out?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            if tag == "article":
                self.depth = 1
                self.unwrapped.append(False)
                self.out.append("<article>")
            return
        void = tag in _VOID
        if not void:
            self.depth += 1
        if self.skip:
            if not void:
                self.skip += 1
            return
        values = dict(attrs)
        if tag in ("script", "link") or _DROP_CLASSES & set((values.get("class") or "").split()):
            if not void:
                self.skip = 1
            return
        drop_tag = tag == "time"
        if tag == "a":
            href = values.get("href") or ""
            m = re.match(r"^(?:\.\./)?documents/([^/#?]+)\.html(#.*)?$", href)
            if m and (self.ids is None or m.group(1) in self.ids):
                self.linked.add(m.group(1))
                values["href"] = f"{m.group(1)}.xhtml{m.group(2) or ''}"
            elif not (href.startswith("#") or re.match(r"^https?://", href)):
                drop_tag = True
        if not void:
            self.unwrapped.append(drop_tag)
        if drop_tag:
            return
        kept = "".join(f' {k}="{escape(v or "", quote=True)}"' for k, v in values.items()
                       if k not in ("tabindex", "aria-describedby", "download"))
        self.out.append(f"<{tag}{kept}{'/' if void else ''}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in _VOID:
            return
        self.depth -= 1
        if self.skip:
            self.skip -= 1
            return
        if self.unwrapped.pop():
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.out.append(escape(data, quote=False))


def chapter_body(page: str, ids: set[str] | None = None) -> tuple[str, list[str]]:
    """The article of a rendered page as XHTML for the book, and the documents its links
    now lead to (chapters). `ids`: the documents the book holds; None takes every linked
    document to be in it (the page's task makes its chapter so, before the book's
    contents are known; `chapter` checks the guess)."""
    parser = _Article(ids)
    parser.feed(page)
    parser.close()
    return "".join(parser.out) or "<p/>", sorted(parser.linked)


def chapter(made: tuple[str, list[str]], ids: set[str], page: Callable[[], str], title: str) -> str:
    """The chapter file of a page made with the page (`chapter_xhtml` of `chapter_body(page)`,
    and the documents it links to) without the book's contents: right when every document
    it links to is in the book, else made again from the page."""
    xhtml, linked = made
    return xhtml if all(i in ids for i in linked) else chapter_xhtml(chapter_body(page(), ids)[0], title)


# MARC relator codes (the EPUB's creator roles) of edition.yaml's roles
MARC_ROLES = {"editor": "edt", "compiler": "com", "translator": "trl", "annotator": "ann"}


_STYLE = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=CSS.encode())
_TEMPLATES = epub.EpubBook()  # (its templates: those of every book)


def chapter_xhtml(body: str, title: str) -> str:
    """A chapter's file in the book, as ebooklib writes it: the XHTML document around the
    chapter's body (`chapter_body`), with its title and the book's style sheet. Made with
    the page on the worker, so that the book is only put together by the building process."""
    item = epub.EpubHtml(title=title, file_name="chapter.xhtml", lang="en")
    item.book = _TEMPLATES
    item.add_item(_STYLE)
    item.content = body
    return bytes(item.get_content()).decode("utf-8")


class _Chapter(epub.EpubHtml):  # type: ignore[misc]
    """A chapter whose file (`chapter_xhtml`) is read when the book is written, one
    chapter at a time (the scratch store keeps them), instead of being held for the book."""

    def __init__(self, load: Callable[[], str], **kwargs: Any) -> None:
        self._load = load
        super().__init__(**kwargs)

    def get_content(self, default: object = None) -> bytes:
        return self._load().encode("utf-8")


def write_epub(edition: Edition, body: Callable[[str], str], order: list[tuple[str, str]], dest: Path, *,
               intro: str, built: str, scratch: Path) -> None:
    """Writes the book to `dest`. `order`: [(document id, its title)] in calendar order, a
    chapter each; `body(id)`: the document's chapter file (`chapter_xhtml`). The chapters
    are read as they are written: the book is never held whole (the zip is written to a
    file of the folder `scratch`, then copied with fixed entry times)."""
    book = epub.EpubBook()
    book.set_identifier(f"{edition.id}-{edition.version or 'draft'}")
    book.set_title(edition.title)
    book.set_language("en")
    # the persons the edition credits, with their MARC relator codes (never the publisher)
    for person in edition.credits:
        book.add_author(person.name, role=MARC_ROLES.get(person.role, "ctb"))
    book.add_metadata("DC", "publisher", edition.publisher)
    if built:
        book.add_metadata("DC", "date", built)
    licence = edition.licence
    book.add_metadata("DC", "rights", licence.name + (f" ({licence.url})" if licence.url else ""))
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=CSS.encode())
    book.add_item(style)
    chapters: list[Any] = []
    cover = epub.EpubHtml(title=edition.title, file_name="intro.xhtml", lang="en")
    cover.content = f"<h1>{_esc(edition.title)}</h1>{intro}"
    cover.add_item(style)
    chapters.append(cover)
    for doc_id, title in order:
        item = _Chapter(functools.partial(body, doc_id), title=title, file_name=f"{doc_id}.xhtml", lang="en")
        item.add_item(style)
        chapters.append(item)
    for item in chapters:
        book.add_item(item)
    book.toc = chapters
    book.spine = ["nav", *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    import datetime

    mtime = datetime.datetime.fromisoformat(built) if built else datetime.datetime(2000, 1, 1)
    raw = scratch / f".{dest.name}.stored"
    try:
        # stored, not compressed: _fixed_zip compresses every entry once, with fixed times
        epub.write_epub(str(raw), book, {"mtime": mtime, "epub3_pages": False, "compresslevel": 0,
                                         "raise_exceptions": True})
        _fixed_zip(raw, dest)
    finally:
        raw.unlink(missing_ok=True)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fixed_zip(src_path: Path, dest: Path) -> None:
    """The same zip with every entry's time fixed (mimetype first and stored), an entry at
    a time from file to file."""
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dest, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
