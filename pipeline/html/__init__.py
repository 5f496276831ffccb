"""The HTML edition: `edition html` (and `edition build`) writes the static site out/html/.

How it works (docs/html.md has the details):

1. Every stylesheet of xslt/html/ is compiled once (pipeline.transform).
2. Each TEI document is parsed once; catalogue.xsl turns it into a catalogue entry
   (labels, dates, correspondents, archival citations, mentions, searchable text).
3. The entries, in calendar order, plus the edition and its collections from
   edition.yaml, form one catalogue document; each listing stylesheet (home, calendar,
   collections, correspondents, registers, archives, search) is applied to it once and
   returns its pages as a JSON map {href: html}.
4. document.xsl is applied to every document with a small JSON context (previous and
   next document, other witnesses, resolvable links, register names, review flags).
5. out/html is brought up to date in place with the pages, the assets, the search index,
   and copies of the TEI files, raw sources and schemas that the pages link to: only the
   files whose bytes changed are written (each atomically), vanished ones removed.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lxml import etree

from .. import xmlparse
from ..build.executor import Executor
from ..config import Edition, load_config
from ..credits import credit_lines
from ..errors import EditionError, refuse_edition_options, report_left_out
from ..limits import usable
from ..memory import give_back
from ..pdf.arrange import arrange, split
from ..transform import Transformer, saxon_limits
from ..witnesses.pages import merged_away, redirect_pages
from ..write import (
    OUTPUT_MARKER,
    check_name,
    check_out_option,
    output_marker,
    update_folder,
    write_atomic,
    write_files,
)
from . import cite, release, report, search
from .products import HTML_XSLT as HTML_XSLT
from .products import BookJob, Files, PageJob, PagesStopped, Products, book_task, citation_files, file_sha, page_bytes
from .scratch import Scratch

if TYPE_CHECKING:
    from ..build.runner import BuildContext

ASSETS = Path(__file__).resolve().parent.parent / "site"
# The listing stylesheets, each applied once to the catalogue. registers.xsl comes
# first: the others (and the document pages) need the register names it returns.
LISTINGS = ("registers", "home", "calendar", "collections", "correspondents", "places", "archives", "search")
REGISTER_PART_DOCUMENTS = 2500  # registers.xsl makes the pages of a bigger edition in parts (a transform each)
REGISTER_PART_LEAST = 1000  # documents of a part made for a job of its own
NAMES_KEY = "#names"  # registers.xsl's extra entries: {id: preferred name}
SORT_KEY = "#sort"  # {id: sort key}, persons by surname
UNUSED_KEY = "#unused"  # [[id, name, kind]]: register entries that no document names (no page)
GENERATOR = "edition-pipeline"
EPUB_FILE = "edition.epub"


@dataclass
class Document:
    """One TEI document of the edition on its way to its page."""

    path: Path
    rel: str  # path below tei/, e.g. "ssd/ssd-19390306.xml"
    sha: str  # the SHA-256 of the file's bytes
    entry: etree._Element  # its catalogue entry (catalogue.xsl), without its text
    text_sha: str = ""  # the SHA-256 of its searchable text (kept in the scratch store under `rel`)

    @property
    def id(self) -> str:
        return str(self.entry.get("id"))


@dataclass
class Site:
    """What a build produced; the pages are already written when this is returned."""

    out: Path
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    records: list[search.Record] = field(default_factory=list)  # what the search index holds
    made: int | None = None  # document pages made by this build (None: all, outside `edition build`)
    left_out: list[EditionError] = field(default_factory=list)  # documents whose transform went past the limits


# ---------------------------------------------------------------------------- CLI


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds `html` to the `edition` command (the caller adds --config and --quiet)."""
    parser = subparsers.add_parser(
        "html", help="write the static web edition to out/html/",
        description="Render the TEI edition as a static web site (out/html/): home page, calendar, "
                    "collections, correspondents, registers, archival concordance, search and one page "
                    "per document. Works from the disk (file://) and on any static web server.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="any TEI files or folders: one page each, no configuration needed (pipeline/anytei.py)")
    parser.add_argument("--draft", action="store_true", help="show the converter's review flags on the pages")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: out/html beside edition.yaml)")
    parser.add_argument("--record-release", action="store_true",
                        help="also keep this build's document URLs as releases/<version>.tsv: later builds "
                             "keep them working (redirect pages)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """`edition html`; returns the exit status."""
    if getattr(args, "out", None):  # never the project or a folder of someone else's (pipeline/write.py)
        keep = [Path(p) for p in getattr(args, "paths", None) or []] or [Path(args.config).absolute().parent]
        check_out_option(Path(args.out), command="html", keep=keep)
    if getattr(args, "paths", None):
        from .. import anytei

        refuse_edition_options("site", [("--draft", getattr(args, "draft", False)),
                                        ("--record-release", getattr(args, "record_release", False))])
        out = Path(args.out) if getattr(args, "out", None) else Path("out") / "html"
        return anytei.report("html", anytei.build_html([Path(p) for p in args.paths], out),
                             bool(getattr(args, "quiet", False)))
    site = build_html(Path(args.config), out=Path(args.out) if getattr(args, "out", None) else None,
                      draft=bool(getattr(args, "draft", False)),
                      record_release=bool(getattr(args, "record_release", False)),
                      context=getattr(args, "build_context", None))
    _report(site, quiet=bool(getattr(args, "quiet", False)))
    report_left_out(args, site.left_out)
    return 0


def build(args: argparse.Namespace) -> int:
    """The HTML part of `edition build`."""
    return run(args)


def _report(site: Site, *, quiet: bool) -> None:
    # XSLT messages are the stylesheets' warnings about the TEI: always shown, they name
    # the document; the summary line only without --quiet.
    for message in site.messages:
        print(f"edition html: warning: {message}", file=sys.stderr)
    if not quiet:
        made = f" ({site.made} made, the others unchanged)" if site.made is not None else ""
        print(f"edition html: wrote {_display(site.out)}: {site.documents} documents, {site.pages} pages{made} "
              f"in {site.seconds:.2f} s")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -------------------------------------------------------------------------- build


def build_html(config: Path, *, out: Path | None = None, draft: bool = False,
               transformer: Transformer | None = None, context: BuildContext | None = None,
               record_release: bool = False) -> Site:
    """Builds the whole site into `out` (default out/html beside the config).

    The per-document work (catalogue entries, document pages) and the listings run on the
    build's executor when `context` is given (`edition build`), and a product whose inputs
    are unchanged since the last build is taken from the cache or the previous site
    instead of being made again. Without a context, everything runs here."""
    started = time.perf_counter()
    edition = load_config(config)
    root = edition.root
    tei = root / "tei"
    out = (out if out is not None else root / "out" / "html").resolve()
    files = usable(document_files(tei), edition.limits.tei_megabytes)  # the command named those left out
    if not files:
        raise EditionError("no TEI documents to publish", path=str(tei),
                           hint="run `edition convert` first")
    registers = register_files(tei)
    t = transformer or Transformer(saxon_limits(edition.limits))
    scratch = Scratch(context.cache.folder if context is not None else root / "out" / ".cache")
    run = Products(t, context, out, scratch)
    try:
        while True:
            try:
                site = _make_site(run, edition, files, registers, draft=draft, record_release=record_release,
                                  started=started)
                break
            except PagesStopped:
                # a page's transform went past the limits: its document is left out and the
                # site made again (its neighbours' pages and the listings change); what was
                # made already is not made again
                files = [p for p in files if p not in run.stopped]
                if not files:
                    raise _none_left(run, root) from None
                run.new_pass()
        site.left_out = _left_out(run, root)
        return site
    finally:
        run.close()
        scratch.close()


def _make_site(run: Products, edition: Edition, files: list[Path], registers: list[Path], *, draft: bool,
               record_release: bool, started: float) -> Site:
    """build_html's work. Serial work of this process that the tasks do not need runs on
    the build's background thread while the executor runs them (Products.later): the print
    numbers beside the catalogue entries; the search index, tei.zip and the review report
    beside the document pages."""
    root = edition.root
    tei = root / "tei"
    out = run.out
    context = run.context
    shas = run.file_shas(files)
    # the document's number in the edition and its print volume (pipeline/pdf/arrange.py)
    print_plan = run.value("print", [file_sha(edition.config_path), [(p.relative_to(tei).as_posix(), shas[p])
                                                                     for p in files]],
                           lambda: _print_plan(edition, tei))
    docs, catalogue_messages = _catalogue(run, tei, files, shas)
    give_back()  # (the entries' texts, parsed one at a time)
    if not docs:  # every document's transform went past the limits
        raise _none_left(run, root)
    printed: dict[str, Any] = print_plan()
    numbers: dict[str, str] = printed["numbers"]
    for d in docs:
        if numbers.get(d.id):
            d.entry.set("edition-n", numbers[d.id])
    # the PDF files of the print edition that `edition pdf` has made: linked into the site
    pdf_dir = root / "out" / "pdf"
    pdfs = {name: title for name, title in printed["volumes"] if (pdf_dir / f"{name}.pdf").is_file()}
    pdf_files = {f"pdf/{name}.pdf": pdf_dir / f"{name}.pdf" for name in pdfs}
    # the catalogue that the listing stylesheets read, as a file of the scratch folder (each
    # listing's task reads it there: it is not sent with every task)
    catalogue = run.scratch.path("catalogue.xml")
    catalogue.write_bytes(_site_xml(edition, docs).encode("utf-8"))
    for path in [*registers, tei / "edition.xml"]:  # read by the stylesheets through doc()
        if path.is_file():
            xmlparse.check_file(path)

    common = _site_params(edition, draft=draft, has_registers=bool(registers))
    edition_item = cite.edition_item(edition, built=common["build-date"])
    common["edition-cite"] = json.dumps(_citation_context(edition_item, edition, href="index.html", name="edition"),
                                        ensure_ascii=False)
    common["hands"] = json.dumps(_hands(tei / "edition.xml"), ensure_ascii=False)
    listing_messages: list[str] = []
    listed: set[str] = set()  # the listings' pages: written into the site as they come, not held
    archive_pages: dict[str, str] = {}  # the concordance in pages: the later page that lists each delo

    names: dict[str, str] = {}
    sort_keys: dict[str, str] = {}
    unused: list[tuple[Any, ...]] = []

    def take(name: str, result: dict[str, Any], msgs: list[str]) -> None:
        # (called for each listing as it is made: no more than one listing's pages held)
        if name == "registers":  # part 0: the names the other listings and the pages need
            names.update(result.pop(NAMES_KEY, {}))
            sort_keys.update(result.pop(SORT_KEY, {}))
            unused.extend(tuple(x) for x in result.pop(UNUSED_KEY, []))
        for href, html in result.items():
            if href.startswith("archives-p"):
                archive_pages.update({anchor: href for anchor in re.findall(r'<li id="([^"]+)"', html)})
        listed.update(result)
        run.write_now({href: page_bytes(html) for href, html in result.items()})
        listing_messages.extend(msgs)
        result.clear()
        give_back()

    # registers.xsl first (it reads the register files): the others need its names
    params = dict(common)
    params["registers-uris"] = " ".join(p.resolve().as_uri() for p in registers)
    params["edition-uri"] = (tei / "edition.xml").resolve().as_uri()
    params["register-names"] = "{}"
    params["register-sort"] = "{}"
    params["page-size"] = str(edition.web.page_size)
    read_by_registers = {p.name: file_sha(p) for p in [*registers, tei / "edition.xml"] if p.is_file()}
    # in parts for a big edition (registers.xsl: part 0 holds the names), on the executor
    # and, with more than one job, in as many parts as jobs once each part has enough to do
    # (a transform each, on the workers at once; the same bytes whatever the parts)
    parts = max(1, -(-len(docs) // REGISTER_PART_DOCUMENTS),
                min(run.executor.jobs, len(docs) // REGISTER_PART_LEAST))
    register_parts = [("registers" if i == 0 else f"registers#{i}", {**params, "part": str(i), "parts": str(parts)})
                      for i in range(parts)]
    # part 0 is taken first: with its names the other listings begin while the other parts run
    first_part = run.begin_listings(register_parts[:1], catalogue, take, extra=read_by_registers)
    later_parts = run.begin_listings(register_parts[1:], catalogue, take, extra=read_by_registers)
    first_part()
    # a register file without entries makes no register pages: no link to them
    common["has-registers"] = "yes" if "registers/index.html" in listed else ""
    # the search index's records (the correspondents by their register names)
    records = search_records(docs, run.scratch, edition, names)
    others = []
    for name in LISTINGS[1:]:
        params = dict(common)
        params["register-names"] = json.dumps(names, ensure_ascii=False)
        params["register-sort"] = json.dumps(sort_keys, ensure_ascii=False)
        params["page-size"] = str(edition.web.page_size)
        if name == "search":
            params["facets"] = json.dumps(search.facet_options(records, edition.web.filter_menu), ensure_ascii=False)
        if name == "home":
            params["pdf-volumes"] = json.dumps([[f"pdf/{n}.pdf", t or "the edition"] for n, t in pdfs.items()],
                                               ensure_ascii=False)
        others.append((name, params))
    # begun on the workers: the search index, tei.zip and the review report are set going
    # meanwhile (their inputs are known once the register names are)
    # the document pages need the concordance's pages (a delo's later page): that listing
    # first; the others are taken while the workers make the first pages
    needed = [item for item in others if item[0] == "archives"]
    needed_done = run.begin_listings(needed, catalogue, take)
    listings_done = run.begin_listings([item for item in others if item[0] != "archives"], catalogue, take)

    # made on the background thread while the pages are made
    search_files = run.search_index(records)
    from ..deposit import tei_zip_file, tei_zip_members

    members = tei_zip_members(tei)  # the whole TEI set as one download (linked from the home page)
    hashes = run.hashes([p for _, p in members])
    zip_inputs = [[name, hashes[run.name(p)]] for name, p in members]
    zip_path = run.scratch.path("tei.zip")
    zip_file = run.disk_files("tei.zip", [zip_inputs, os.environ.get("SOURCE_DATE_EPOCH", "")],
                              lambda: {"tei.zip": tei_zip_file(members, zip_path)}, background=True)
    reports = root / "out" / "reports"
    review_report: Callable[[], None] = lambda: None  # noqa: E731
    # the review report again, now with the name links and the unused register entries
    if (reports / "review.csv").is_file() or (reports / "links.csv").is_file():
        boilerplate = _boilerplate(reports)
        review_report = run.file_outside(
            reports / "review.html",
            [edition.title, unused, boilerplate, sorted(p.relative_to(tei).as_posix() for p in files),
             run.hashes(report.read_by(root, reports))],
            lambda: report.write_report(root, reports, edition.title, unused=unused, boilerplate=boilerplate))

    later_parts()  # (taken in this order: the listings' messages come in the same order every time)
    needed_done()
    registered = {i for i in names if f"registers/{i}.html" in listed}
    flags = _review_flags(root / "out" / "reports" / "review.csv") if draft else {}
    by_id = {d.id: d for d in docs}
    sources = {s.id: s for s in edition.sources}

    def page_job(i: int) -> PageJob:
        doc = docs[i]
        context_data = _context(doc, i, docs, by_id, sources, names, registered, flags.get(doc.id, []))
        on_later_pages = {a: archive_pages[a] for m in doc.entry.iterfind("ms")
                          if (a := m.get("anchor", "")) in archive_pages}
        if on_later_pages:
            context_data["archive-pages"] = on_later_pages
        href = f"documents/{doc.id}.html"
        source = sources.get(doc.entry.get("source", ""))
        item = cite.document_item(doc.entry, edition, href=href, built=common["build-date"],
                                  collection=source.collection.title if source else doc.entry.get("source", ""))
        context_data["cite"] = _citation_context(item, edition, href=href, name=doc.id)
        volume = printed["volume_of"].get(numbers.get(doc.id, ""), "")
        if volume in pdfs:
            # opened at the document: its id is a named destination in the volume
            context_data["pdf"] = {"href": f"pdf/{volume}.pdf#nameddest={doc.id}", "title": pdfs[volume] or ""}
        params = dict(common)
        params.update({"context": json.dumps(context_data, ensure_ascii=False), "base": "../",
                       "tei-href": f"tei/{doc.rel}", "canonical": cite.page_url(edition, href)})
        return PageJob(href, doc.path, doc.sha, params, item, doc.id, chapter_title(doc))

    # made a batch at a time (a page's job, with its context, is not kept for the edition)
    if run.listings_alone(catalogue):  # (they run here, in this process's Saxon child: not beside the pages)
        listings_done()
        listings_done = lambda: None  # noqa: E731
    written, page_messages, page_shas = run.pages(len(docs), page_job, meanwhile=listings_done)  # in the site already
    made_pages = sum(1 for d in docs if f"documents/{d.id}.html" in written)
    extra: Files = {}

    # old addresses of merged-away printings, then of every recorded release's pages
    existing = [*listed, *page_shas]
    pages = redirect_pages(merged_away(tei), existing)
    rows = [(f"documents/{d.id}.html", d.id, f"{d.entry.get('source', '')}:{d.entry.get('line', '')}") for d in docs]
    urls = release.urls_tsv(rows)
    extra["urls.tsv"] = urls.encode("utf-8")
    origins = {origin: path for path, _, origin in rows if not origin.endswith(":")}
    for old, new in release.redirects(release.read_releases(root / "releases"), origins).items():
        if old not in pages and old not in listed and old not in page_shas:
            pages[old] = release.redirect_page(old, new, title=edition.title, site_url=edition.url or "")
    if record_release and not edition.version:
        raise EditionError("a release needs a version", path=str(edition.config_path),
                           hint="add 'version: \"1.0\"' under edition: in edition.yaml")

    messages = catalogue_messages + page_messages + listing_messages
    order = [(d.id, chapter_title(d)) for d in docs]
    intro = "".join(f"<p>{html_escape(p.strip())}</p>" for p in (edition.introduction or "").split("\n\n") if p.strip())

    def begin_book() -> Callable[[], dict[str, Path]]:
        # on a worker of this machine while this process writes the rest of the site (on a
        # cluster, here: the chapters are in this machine's scratch store)
        job = BookJob(edition, run.scratch.dir, out, order,
                      [doc_id for doc_id, _ in order if f"documents/{doc_id}.html" in page_shas], intro,
                      common["build-date"])
        executor = run.executor if run.executor.shares_disk else Executor()
        started = executor.start(book_task, [job])
        return lambda: {EPUB_FILE: started.then(lambda path: path)[0]}

    epub_inputs = [order, page_shas, intro, common["build-date"], file_sha(edition.config_path)]
    book = run.begin_disk_files("epub", epub_inputs, begin_book)
    extra.update(search_files())
    big = zip_file()
    extra.update(citation_files(edition_item, "edition"))
    _write_site(run, pages, extra, docs, edition, tei, registers, {**pdf_files, **big},
                written | listed | {EPUB_FILE})
    made_book = book()
    write_files(out, {}, {}, {rel: path for rel, path in made_book.items()
                              if rel not in run.in_place({}, {}, made_book)})
    review_report()
    if context is not None:
        context.review_owed = None  # (the conversion left the page to this stage)
    run.record()
    if record_release:  # only once the site is written
        write_atomic(root / "releases" / f"{edition.version}.tsv", urls.encode("utf-8"), root=root)
    return Site(out=out, documents=len(docs), pages=len(listed) + len(pages) + len(page_shas),
                seconds=time.perf_counter() - started, messages=messages, records=records,
                made=made_pages if context is not None else None)



def _left_out(run: Products, root: Path) -> list[EditionError]:
    """An error per document left out because a transform went past the limits."""
    return [EditionError(f"{message}; the document is left out and the others are published",
                         path=_rel(path, root), hint=hint or None) for path, (message, hint) in run.stopped.items()]


def _none_left(run: Products, root: Path) -> EditionError:
    first = _left_out(run, root)[0]
    return EditionError(f"no document could be transformed within the limits; the first: {first.message}",
                        path=first.path, hint=first.hint)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _print_plan(edition: Edition, tei: Path) -> dict[str, Any]:
    """The print edition's numbers {document id: number}, its volumes [[file name, title]]
    and {number: the file name of the volume that prints it}, as `edition pdf` makes them."""
    a = arrange(edition, tei)
    plans = split(a, edition.print.volume_size)
    volume_of = {a.numbers[d.id]: plan.name for plan in plans for d in plan.docs if d.id in a.numbers}
    volumes = [[plan.name, plan.title or ""] for plan in plans]
    if len(plans) > 1:
        volumes.append([f"{plans[0].name.rsplit('-', 1)[0]}-index", "Index"])
    return {"numbers": dict(a.numbers), "volumes": volumes, "volume_of": volume_of}


def document_files(tei: Path) -> list[Path]:
    """The documents: tei/<source>/*.xml (not the edition file, not the registers)."""
    if not tei.is_dir():
        return []
    return sorted(p for p in tei.glob("*/*.xml") if p.parent.name != "registers")


def register_files(tei: Path) -> list[Path]:
    """tei/registers.xml and/or tei/registers/*.xml, where the registers are kept."""
    found = [tei / "registers.xml"] if (tei / "registers.xml").is_file() else []
    return found + sorted((tei / "registers").glob("*.xml"))


def _hands(edition_xml: Path) -> dict[str, str]:
    """{respStmt id: "name, name"} from tei/edition.xml: who the @resp pointers name."""
    if not edition_xml.is_file():
        return {}
    tree = xmlparse.parse_file(edition_xml)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    return {str(r.get("{http://www.w3.org/XML/1998/namespace}id")):
            ", ".join(" ".join(cast("Iterable[str]", n.itertext())).strip() for n in r.iterfind("t:name", ns))
            for r in tree.iterfind(".//t:respStmt[@{http://www.w3.org/XML/1998/namespace}id]", ns)}


def _catalogue(run: Products, tei: Path, files: list[Path], shas: dict[Path, str]) -> tuple[list[Document], list[str]]:
    """Makes every document's catalogue entry; returns them in calendar order: by date
    (undated last), then source order (and catalogue.xsl's messages). Each entry's
    searchable text goes to the scratch store as the entry comes (a batch at a time)."""
    made: dict[Path, tuple[str, str, bytes]] = {}  # path → (sha, text's sha, entry without its text)
    texts: list[tuple[str, str]] = []

    def take(path: Path, sha: str, xml: str) -> None:
        entry = xmlparse.parse_bytes(xml.encode("utf-8"), path=str(path)).getroot()
        rel = path.relative_to(tei).as_posix()
        text = _pop_text(entry)
        made[path] = (sha, hashlib.sha256(text.encode("utf-8")).hexdigest(), etree.tostring(entry, encoding="utf-8"))
        texts.append((rel, text))
        if len(texts) >= 500:
            run.scratch.put_texts(texts)
            texts.clear()

    messages = run.entries(files, shas, take)
    run.scratch.put_texts(texts)
    # the entries as one tree (a parsed document per entry costs ten times the memory)
    kept = [p for p in files if p in made]  # (not those left out: past the limits)
    tree = xmlparse.parse_bytes(b"<entries>" + b"".join(made[p][2] for p in kept) + b"</entries>",
                                path="the catalogue entries").getroot()
    docs: list[Document] = []
    seen: dict[str, Path] = {}
    for path, entry in zip(kept, tree, strict=True):
        sha, text_sha, _ = made.pop(path)
        doc = Document(path=path, rel=path.relative_to(tei).as_posix(), sha=sha, entry=entry, text_sha=text_sha)
        if not doc.id:
            # no xml:id and no idno: name the page after the file
            doc.entry.set("id", path.stem)
        _check_page_name(doc.id, path)
        if doc.id in seen:
            raise EditionError(f"two documents have the id {doc.id!r} (also {seen[doc.id]})", path=str(path),
                               hint="document ids must be unique: they name the pages")
        seen[doc.id] = path
        docs.append(doc)

    order = {src: i for i, src in enumerate(dict.fromkeys(d.entry.get("source", "") for d in docs))}

    def key(d: Document) -> tuple[str, int, int, str]:
        line = d.entry.get("line", "")
        return (d.entry.get("date") or "9999", order[d.entry.get("source", "")],
                int(line) if line.isdigit() else 0, d.id)

    docs.sort(key=key)
    for i, d in enumerate(docs, 1):
        d.entry.set("order", str(i))
    return docs, messages


def chapter_title(doc: Document) -> str:
    """The document's title in the EPUB (its chapter and the table of contents)."""
    return f"{doc.entry.findtext('label') or doc.id}: {doc.entry.findtext('title') or ''}"


def _check_page_name(name: str, path: Path) -> None:
    """A document's id names its page: it must be a safe file name (never `../x`)."""
    try:
        check_name(name, "the document id (idno or xml:id)", path=str(path))
    except EditionError as exc:
        text = path.read_text(encoding="utf-8", errors="replace")
        at = text.find(f">{name}<") if f">{name}<" in text else text.find(f'"{name}"')
        exc.line = text.count("\n", 0, at) + 1 if at >= 0 else None
        raise


def _pop_text(entry: etree._Element) -> str:
    """Removes the searchable text from the entry (the listings do not need it)."""
    node = entry.find("text")
    if node is None:
        return ""
    entry.remove(node)
    return node.text or ""


def _site_xml(edition: Edition, docs: list[Document]) -> str:
    """The catalogue that the listing stylesheets read (see xslt/html/lists.xsl)."""
    site = etree.Element("site")
    ed = etree.SubElement(site, "edition", _attrs(
        title=edition.title, subtitle=edition.subtitle, publisher=edition.publisher, year=edition.year,
        **{"licence-name": edition.licence.name, "licence-url": edition.licence.url}))
    # the persons the edition credits, by role (never the publisher: as the print's title page)
    for credit in credit_lines(edition):
        etree.SubElement(ed, "credit", role=credit["role"]).text = credit["names"]
    for tag, text in (("introduction", edition.introduction), ("principles", edition.principles),
                      ("how-to-cite", edition.how_to_cite)):
        if text:
            etree.SubElement(ed, tag).text = text
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.entry.get("source", "")] = counts.get(d.entry.get("source", ""), 0) + 1
    for s in edition.sources:
        c = s.collection
        src = etree.SubElement(site, "source", _attrs(
            id=s.id, title=c.title, short=_short_title(c.title), subtitle=c.subtitle, year=c.year,
            site=s.site, file=s.relpath, count=str(counts.get(s.id, 0)), **{"based-on": c.based_on}))
        for tag, people in (("compiler", c.compilers), ("editor", c.editors)):
            for person in people:
                etree.SubElement(src, tag).text = person
        if s.licence:
            etree.SubElement(src, "licence", _attrs(name=s.licence.name, url=s.licence.url))
        if s.notes:
            etree.SubElement(src, "notes").text = s.notes
    # the entries serialized in place (not moved into this tree: they stay where they are)
    head = etree.tostring(site, encoding="unicode")
    return head[:-len("</site>")] + "".join(etree.tostring(d.entry, encoding="unicode") for d in docs) + "</site>"


def _attrs(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v}


def _short_title(title: str) -> str:
    """"Selected Secret Documents … - 1919 to 1941" → the part before the dash/colon."""
    for sep in (" - ", " – ", ": ", ". "):
        if sep in title:
            return title.split(sep)[0].strip()
    return title


def _site_params(edition: Edition, *, draft: bool, has_registers: bool) -> dict[str, str]:
    return {
        "edition-title": edition.title,
        "edition-subtitle": edition.subtitle or "",
        "licence-name": edition.licence.name,
        "licence-url": edition.licence.url or "",
        "publisher": edition.publisher,
        "year": edition.year or "",
        "has-registers": "yes" if has_registers else "",
        "draft": "yes" if draft else "",
        "generator": GENERATOR,
        "version": edition.version or "",
        "build-date": cite.build_date(edition),
        "site-url": edition.url or "",
    }


def _brief(entry: etree._Element | None) -> dict[str, str] | None:
    """How a page names another document: "No. 562, 5 November 1920" or "Telegram of 6 March 1939"."""
    if entry is None:
        return None
    label = entry.findtext("label") or entry.get("id") or ""
    if entry.get("n") and entry.get("date-label"):
        label = f"{label}, {entry.get('date-label')}"
    title = entry.findtext("title") or ""
    if len(title) > 110:
        title = title[:110].rsplit(" ", 1)[0] + "…"
    return {"id": entry.get("id", ""), "label": label, "date": entry.get("date-label", ""), "title": title}


def _context(doc: Document, i: int, docs: list[Document], by_id: dict[str, Document],
             sources: dict[str, Any], names: dict[str, str], registered: set[str],
             flags: list[dict[str, str]]) -> dict[str, Any]:
    """What a document page needs to know about the rest of the edition."""
    e = doc.entry
    source = sources.get(e.get("source", ""))
    witnesses = []
    for w in e.iterfind("witness"):
        other = by_id.get(w.get("id", ""))
        if other is None:
            continue
        brief = _brief(other.entry) or {}
        other_source = sources.get(other.entry.get("source", ""))
        brief["collection"] = other_source.collection.title if other_source else other.entry.get("source", "")
        witnesses.append(brief)
    links = {}
    for link in e.iterfind("link"):
        target = by_id.get(link.get("id", ""))
        if target is not None:
            links[target.id] = target.entry.findtext("label") or target.id
    mentioned = {m.get("ref", "") for m in e.iterfind("mention")}
    mentioned |= {c.get("ref", "") for c in e if c.tag in ("sender", "addressee") and c.get("ref")}
    return {
        "number": e.get("edition-n", ""),
        "prev": _brief(docs[i - 1].entry) if i > 0 else None,
        "next": _brief(docs[i + 1].entry) if i + 1 < len(docs) else None,
        "collection": {"id": source.id, "title": source.collection.title,
                       "short": _short_title(source.collection.title)} if source else None,
        "witnesses": witnesses,
        "links": links,
        "registered": {ref: names.get(ref, ref) for ref in sorted(mentioned & registered)},
        "flags": flags,
    }


def _citation_context(item: dict[str, Any], edition: Edition, *, href: str, name: str) -> dict[str, Any]:
    """What a page shows and declares of its citation (document.xsl, home.xsl, shell.xsl)."""
    return {
        "text": cite.how_to_cite(edition.how_to_cite if item["type"] == "chapter" else None, item, href=href)
        if item["type"] == "chapter" else _edition_citation(item),
        "meta": [list(pair) for pair in cite.meta_tags(item, licence=edition.licence.url or edition.licence.name)],
        "coins": cite.coins(item),
        "files": {"CSL-JSON": f"cite/{name}.json", "BibTeX": f"cite/{name}.bib", "RIS": f"cite/{name}.ris"},
    }


def _edition_citation(item: dict[str, Any]) -> str:
    editors = ", ".join(n["literal"] for n in item.get("editor", []))
    issued = (item.get("issued") or {}).get("date-parts", [[""]])[0]
    parts = [f"{editors} (ed.)" if editors else "", item["title"],
             f"version {item['version']}" if item.get("version") else "", item.get("publisher", ""),
             "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued)), item.get("URL", "")]
    return ", ".join(p for p in parts if p) + ", accessed <accessed>."


def _boilerplate(reports: Path) -> list[tuple[str, int, int, str]]:
    path = reports / "boilerplate.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["source"], int(r["first"]), int(r["last"]), r["kind"]) for r in csv.DictReader(handle)
                if r.get("first", "").isdigit() and r.get("last", "").isdigit()]


def _review_flags(path: Path) -> dict[str, list[dict[str, str]]]:
    """out/reports/review.csv (written by `edition convert`) by document id."""
    if not path.is_file():
        raise EditionError("a draft build shows the review flags, but there is no review report",
                           path=str(path), hint="run `edition convert` first")
    flags: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            doc = (row.get("document") or "").strip()
            if doc:
                flags.setdefault(doc, []).append({
                    "source": row.get("source") or "", "line": row.get("line") or "",
                    "kind": row.get("kind") or "", "message": row.get("message") or ""})
    return flags


# -------------------------------------------------------------------------- write


def search_records(docs: list[Document], scratch: Scratch, edition: Edition,
                   names: dict[str, str]) -> list[search.Record]:
    """What the search index holds of each document, with its filter values (its text
    read from the scratch store when the index needs it)."""
    titles = {s.id: _short_title(s.collection.title) for s in edition.sources}
    records = []
    for d in docs:
        e = d.entry
        people = [(c.get("ref") or search.file_key("".join(search.words(c.text or ""))),
                   names.get(c.get("ref") or "", "") or (c.text or "").strip())
                  for c in e if c.tag in ("sender", "addressee") and (c.text or "").strip()]
        archives = [(search.file_key("".join(search.words(m.get("repository", "")))), m.get("repository", ""))
                    for m in e.iterfind("ms") if m.get("repository")]
        place = e.get("place", "")
        facets = {
            "type": [(search.file_key(e.get("type", "")), e.get("type", ""))] if e.get("type") else [],
            "collection": [(e.get("source", ""), titles.get(e.get("source", ""), e.get("source", "")))],
            "correspondent": [p for p in people if p[0]],
            "archive": archives,
            "place": [(search.file_key("".join(search.words(place))), place)] if search.words(place) else [],
        }
        records.append(search.Record(
            id=d.id, url=f"documents/{d.id}.html", label=e.findtext("label") or d.id,
            heading=e.findtext("title") or "", date=e.get("date", ""), date_label=e.get("date-label", ""),
            text="", facets=facets, load=functools.partial(scratch.text, d.rel), text_sha=d.text_sha))
    return records


def _write_site(run: Products, pages: dict[str, str], extra: dict[str, bytes], docs: list[Document],
                edition: Edition, tei: Path, registers: list[Path], links: dict[str, Path],
                written: set[str]) -> None:
    """Brings `run.out` up to date in place (the document pages, `written`, are there
    already: Products.pages): writes the files whose bytes changed, copies
    what changed of the TEI, sources, schemas and assets the pages link to, links the
    print volumes, and removes what the site no longer holds (pipeline.write.update_folder:
    every file replaced atomically). Unchanged files are not touched."""
    writes: Files = {href: page_bytes(html) for href, html in pages.items()}
    writes.update(extra)
    writes[OUTPUT_MARKER] = output_marker("html")  # `edition html --out` recognises the site by it
    # The TEI behind every page, with what its pointers reach: the edition file, the
    # registers, the raw sources (ref[@type='origin']) and the schemas (xml-model).
    copies: dict[str, Path] = {}
    for src in [tei / "edition.xml", *registers, *(d.path for d in docs)]:
        copies["tei/" + src.relative_to(tei).as_posix()] = src
    for s in edition.sources:
        copies[s.relpath] = edition.root / s.file
    for name in ("edition.rng", "edition.sch"):
        copies[f"schemas/{name}"] = edition.root / "schemas" / name
    for asset in ASSETS.iterdir():
        if asset.is_file() and asset.suffix in (".css", ".js", ".svg", ".woff2"):
            copies[f"assets/{asset.name}"] = asset
    copies = {dest: src for dest, src in copies.items() if src.is_file()}
    same = run.in_place(writes, copies, links)
    update_folder(run.out, {k: v for k, v in writes.items() if k not in same},
                  {k: v for k, v in copies.items() if k not in same},
                  {k: v for k, v in links.items() if k not in same}, keep=same | set(run.kept) | written)
