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
5. Everything is written into a temporary folder beside out/html, with the assets, the
   search index, and copies of the TEI files, raw sources and schemas that the pages
   link to; then the folder replaces out/html in one rename. Nothing half-written.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lxml import etree
from saxonche import PyXdmNode

from . import xmlparse
from .build.cache import digest
from .build.executor import Executor, set_worker_state, worker_state
from .build.progress import Progress
from .config import Edition, load_config
from .errors import EditionError
from .transform import XSLT_ROOT, Stylesheet, Transformer
from .witnesses.pages import merged_away, redirect_pages
from .write import check_name, copy_file, replace_dir, within, write_file

if TYPE_CHECKING:
    from .build.runner import BuildContext

HTML_XSLT = XSLT_ROOT / "html"
ASSETS = Path(__file__).resolve().parent / "site"
# The listing stylesheets, each applied once to the catalogue. registers.xsl comes
# first: the others (and the document pages) need the register names it returns.
LISTINGS = ("registers", "home", "calendar", "collections", "correspondents", "archives", "search")
NAMES_KEY = "#names"  # registers.xsl's extra entries: {id: preferred name}
SORT_KEY = "#sort"  # {id: sort key}, persons by surname
GENERATOR = "edition-pipeline"


@dataclass
class Document:
    """One TEI document of the edition on its way to its page."""

    path: Path
    rel: str  # path below tei/, e.g. "ssd/ssd-19390306.xml"
    sha: str  # the SHA-256 of the file's bytes
    entry: etree._Element  # its catalogue entry (catalogue.xsl)

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
    made: int | None = None  # document pages made by this build (None: all, outside `edition build`)


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
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """`edition html`; returns the exit status."""
    if getattr(args, "paths", None):
        from . import anytei

        out = Path(args.out) if getattr(args, "out", None) else Path("out") / "html"
        return anytei.report("html", anytei.build_html([Path(p) for p in args.paths], out),
                             bool(getattr(args, "quiet", False)))
    site = build_html(Path(args.config), out=Path(args.out) if getattr(args, "out", None) else None,
                      draft=bool(getattr(args, "draft", False)), context=getattr(args, "build_context", None))
    _report(site, quiet=bool(getattr(args, "quiet", False)))
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
               transformer: Transformer | None = None, context: BuildContext | None = None) -> Site:
    """Builds the whole site into `out` (default out/html beside the config).

    The per-document work (catalogue entries, document pages) and the listings run on the
    build's executor when `context` is given (`edition build`), and a product whose inputs
    are unchanged since the last build is taken from the cache or the previous site
    instead of being made again. Without a context, everything runs here."""
    started = time.perf_counter()
    edition = load_config(config)
    root = edition.root
    tei = root / "tei"
    out = out if out is not None else root / "out" / "html"
    files = document_files(tei)
    if not files:
        raise EditionError("no TEI documents to publish", path=str(tei),
                           hint="run `edition convert` first")
    registers = register_files(tei)
    t = transformer or Transformer()
    run = _Run(t, context, out)

    docs, catalogue_messages = _catalogue(run, tei, files)
    texts = {d.id: _pop_text(d.entry) for d in docs}
    site_xml = _site_xml(edition, docs)
    for path in [*registers, tei / "edition.xml"]:  # read by the stylesheets through doc()
        if path.is_file():
            xmlparse.check_file(path)

    common = _site_params(edition, draft=draft, has_registers=bool(registers))
    common["hands"] = json.dumps(_hands(tei / "edition.xml"), ensure_ascii=False)
    pages: dict[str, str] = {}
    listing_messages: list[str] = []
    # registers.xsl first, here (it reads the register files): the others need its names
    params = dict(common)
    params["registers-uris"] = " ".join(p.resolve().as_uri() for p in registers)
    params["edition-uri"] = (tei / "edition.xml").resolve().as_uri()
    params["register-names"] = "{}"
    params["register-sort"] = "{}"
    read_by_registers = {p.name: _sha(p) for p in [*registers, tei / "edition.xml"] if p.is_file()}
    result, msgs = run.listing("registers", site_xml, params, extra=read_by_registers)
    names = dict(result.pop(NAMES_KEY, {}))
    sort_keys = dict(result.pop(SORT_KEY, {}))
    # a register file without entries makes no register pages: no link to them
    common["has-registers"] = "yes" if "registers/index.html" in result else ""
    pages.update(result)
    listing_messages += msgs
    others = []
    for name in LISTINGS[1:]:
        params = dict(common)
        params["register-names"] = json.dumps(names, ensure_ascii=False)
        params["register-sort"] = json.dumps(sort_keys, ensure_ascii=False)
        others.append((name, params))
    for result, msgs in run.listings(others, site_xml):
        pages.update(result)
        listing_messages += msgs
    registered = {href[len("registers/"):-len(".html")] for href in pages
                  if href.startswith("registers/") and href != "registers/index.html"}

    flags = _review_flags(root / "out" / "reports" / "review.csv") if draft else {}
    by_id = {d.id: d for d in docs}
    sources = {s.id: s for s in edition.sources}
    jobs: list[tuple[str, Path, dict[str, str]]] = []
    for i, doc in enumerate(docs):
        context_data = _context(doc, i, docs, by_id, sources, names, registered, flags.get(doc.id, []))
        params = dict(common)
        params.update({"context": json.dumps(context_data, ensure_ascii=False), "base": "../",
                       "how-to-cite": edition.how_to_cite or "", "tei-href": f"tei/{doc.rel}"})
        jobs.append((f"documents/{doc.id}.html", doc.path, params))
    rendered, kept, page_messages = run.pages(jobs, {d.path: d.sha for d in docs})
    pages.update(rendered)

    pages.update(redirect_pages(merged_away(tei), pages))  # old addresses of merged-away printings
    messages = catalogue_messages + page_messages + listing_messages
    _write_site(out, pages, docs, texts, edition, tei, registers, kept)
    run.record()
    return Site(out=out, documents=len(docs), pages=len(pages) + len(kept), seconds=time.perf_counter() - started,
                messages=messages, made=len(rendered) if context is not None else None)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _transformer() -> Transformer:
    return worker_state("html transformer", Transformer)


def _entry_task(item: tuple[Path, str]) -> tuple[str, list[str]]:
    """One document's catalogue entry (in whichever process runs it)."""
    path, _sha = item
    sheet = _transformer().stylesheet(HTML_XSLT / "catalogue.xsl")
    sheet.messages.clear()
    return sheet.apply(path, document=_transformer().parse(path)), list(sheet.messages)


def _page_task(item: tuple[str, Path, dict[str, str]]) -> tuple[str, list[str]]:
    """One document's page."""
    _href, path, params = item
    sheet = _transformer().stylesheet(HTML_XSLT / "document.xsl")
    sheet.messages.clear()
    return sheet.apply(path, document=_transformer().parse(path), params=params), list(sheet.messages)


def _listing_task(item: tuple[str, str, dict[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """One listing stylesheet applied to the catalogue: its pages."""
    name, site_xml, params = item
    t = _transformer()
    sheet = t.stylesheet(HTML_XSLT / f"{name}.xsl")
    sheet.messages.clear()
    node = xmlparse.saxon_parse_text(t.processor, site_xml, name="catalogue")
    return _json_pages(sheet, node, params), list(sheet.messages)


class _Run:
    """One build of the site: runs the tasks on the executor (or here) and keeps what is
    unchanged since the last build (`edition build`'s cache)."""

    def __init__(self, t: Transformer, context: BuildContext | None, out: Path) -> None:
        set_worker_state("html transformer", t)  # the tasks run in this process use the caller's
        self.context = context
        self.out = out
        self.executor: Executor = context.executor if context is not None else Executor()
        self.records: dict[str, list[tuple[str, str, dict[str, str], str]]] = {}

    def _cached(self, stage: str) -> dict[str, Any]:
        return self.context.cache.records(stage) if self.context is not None else {}

    def _progress(self, stage: str, total: int) -> Progress | None:
        return self.context.progress(stage, total) if self.context is not None else None

    def _map(self, label: str, task: Any, items: list[Any]) -> list[Any]:
        progress = self._progress(label, len(items))
        results = self.executor.map(task, items, progress)
        if progress is not None:
            progress.finish()
        return results

    def entries(self, files: list[Path]) -> tuple[list[tuple[Path, str, str]], list[str]]:
        """(path, sha, entry XML) per file, and the stylesheet's messages."""
        shas = {p: _sha(p) for p in files}
        made = self._cached("html.entry")
        program = _program()
        keys = {p: digest(program, shas[p]) for p in files}
        todo = [p for p in files if (r := made.get(str(p))) is None or r.key != keys[p]]
        results = dict(zip(todo, self._map("catalogue", _entry_task, [(p, shas[p]) for p in todo]), strict=True))
        out: list[tuple[Path, str, str]] = []
        messages: list[str] = []
        rows: list[tuple[str, str, dict[str, str], str]] = []
        for p in files:
            if p in results:
                xml, msgs = results[p]
            else:
                xml, msgs = json.loads(made[str(p)].data)
            messages += msgs
            out.append((p, shas[p], xml))
            rows.append((str(p), keys[p], {}, json.dumps([xml, msgs], ensure_ascii=False)))
        self.records["html.entry"] = rows
        return out, messages

    def listing(self, name: str, site_xml: str, params: dict[str, str],
                extra: dict[str, str] | None = None) -> tuple[dict[str, Any], list[str]]:
        key = digest(_program(), name, site_xml, params, extra or {})
        rec = self._cached("html.listing").get(name)
        if rec is not None and rec.key == key:
            result, msgs = json.loads(rec.data)
        else:
            result, msgs = _listing_task((name, site_xml, params))
        self.records.setdefault("html.listing", []).append(
            (name, key, {}, json.dumps([result, msgs], ensure_ascii=False)))
        return dict(result), list(msgs)

    def listings(self, items: list[tuple[str, dict[str, str]]], site_xml: str
                 ) -> list[tuple[dict[str, Any], list[str]]]:
        made = self._cached("html.listing")
        keys = {name: digest(_program(), name, site_xml, params) for name, params in items}
        todo = [(n, site_xml, p) for n, p in items if (r := made.get(n)) is None or r.key != keys[n]]
        results = dict(zip((n for n, _, _ in todo), self._map("lists", _listing_task, todo), strict=True))
        out = []
        for name, _params in items:
            result, msgs = results[name] if name in results else json.loads(made[name].data)
            self.records.setdefault("html.listing", []).append(
                (name, keys[name], {}, json.dumps([result, msgs], ensure_ascii=False)))
            out.append((dict(result), list(msgs)))
        return out

    def pages(self, jobs: list[tuple[str, Path, dict[str, str]]], shas: dict[Path, str]
              ) -> tuple[dict[str, str], dict[str, Path], list[str]]:
        """Renders the pages whose inputs changed; the others are kept from the last site
        (href → its file there). Returns (rendered, kept, messages in document order)."""
        made = self._cached("html.page")
        program = _program()
        keys = {href: digest(program, str(path), shas[path], params) for href, path, params in jobs}
        old = {href: self.out / href for href, _, _ in jobs
               if (r := made.get(href)) is not None and r.key == keys[href]}
        if self.context is not None and old:
            on_disk = self.context.cache.file_hashes(list(old.values()))
            old = {href: p for href, p in old.items() if on_disk[p] == made[href].outputs.get("sha")}
        todo = [job for job in jobs if job[0] not in old]
        results = dict(zip((j[0] for j in todo), self._map("pages", _page_task, todo), strict=True))
        rendered: dict[str, str] = {}
        messages: list[str] = []
        rows: list[tuple[str, str, dict[str, str], str]] = []
        for href, _path, _params in jobs:
            if href in results:
                html, msgs = results[href]
                rendered[href] = html
                data = (html if html.endswith("\n") else html + "\n").encode("utf-8")
                sha = hashlib.sha256(data).hexdigest()
            else:
                msgs = json.loads(made[href].data)
                sha = made[href].outputs["sha"]
            messages += msgs
            rows.append((href, keys[href], {"sha": sha}, json.dumps(msgs, ensure_ascii=False)))
        self.records["html.page"] = rows
        return rendered, old, messages

    def record(self) -> None:
        if self.context is None:
            return
        for stage, rows in self.records.items():
            self.context.cache.drop(stage)
            self.context.cache.put_many(stage, rows)


def _program() -> str:
    from .build.cache import program_version

    return program_version()


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


def _catalogue(run: _Run, tei: Path, files: list[Path]) -> tuple[list[Document], list[str]]:
    """Makes every document's catalogue entry; returns them in calendar order: by date
    (undated last), then source order (and catalogue.xsl's messages)."""
    docs: list[Document] = []
    seen: dict[str, Path] = {}
    made, messages = run.entries(files)
    for path, sha, xml in made:
        entry = xmlparse.parse_bytes(xml.encode("utf-8"), path=str(path)).getroot()
        doc = Document(path=path, rel=path.relative_to(tei).as_posix(), sha=sha, entry=entry)
        if not doc.id:
            # no xml:id and no idno: name the page after the file
            entry.set("id", path.stem)
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
    for editor in edition.editors:
        etree.SubElement(ed, "editor").text = editor
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
    for d in docs:
        site.append(d.entry)
    return etree.tostring(site, encoding="unicode")


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
    }


def _json_pages(sheet: Stylesheet, site: PyXdmNode, params: dict[str, str]) -> dict[str, Any]:
    result = sheet.apply(f"catalogue ({sheet.path.name})", document=site, params=params)
    try:
        pages = json.loads(result)
    except json.JSONDecodeError as exc:
        raise EditionError(f"{sheet.path.name} did not return a JSON map of pages: {exc}",
                           path=str(sheet.path)) from None
    if not isinstance(pages, dict):
        raise EditionError(f"{sheet.path.name} did not return a map of pages", path=str(sheet.path))
    return pages


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
        "prev": _brief(docs[i - 1].entry) if i > 0 else None,
        "next": _brief(docs[i + 1].entry) if i + 1 < len(docs) else None,
        "collection": {"id": source.id, "title": source.collection.title,
                       "short": _short_title(source.collection.title)} if source else None,
        "witnesses": witnesses,
        "links": links,
        "registered": {ref: names.get(ref, ref) for ref in sorted(mentioned & registered)},
        "flags": flags,
    }


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


def _link_or_copy(old: Path, new: Path, root: Path) -> None:
    try:
        os.link(old, within(root, new))
    except OSError:
        copy_file(old, new, root=root)


def _search_index(docs: list[Document], texts: dict[str, str]) -> str:
    """The search index as a script: browsers do not fetch() JSON from file://."""
    rows = [{"id": d.id, "u": f"documents/{d.id}.html", "l": d.entry.findtext("label") or d.id,
             "d": d.entry.get("date-label", ""), "c": d.entry.get("source", ""),
             "h": d.entry.findtext("title") or "", "x": texts.get(d.id, "")} for d in docs]
    body = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    # "</script" cannot occur in JSON strings as written by json.dumps? It can: escape "<".
    return "window.EDITION_INDEX=" + body.replace("<", "\\u003c") + ";\n"


def _write_site(out: Path, pages: dict[str, str], docs: list[Document], texts: dict[str, str],
                edition: Edition, tei: Path, registers: list[Path], kept: dict[str, Path] | None = None) -> None:
    """Writes the site into a temporary folder beside `out`, then swaps it into place."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        writes: dict[Path, bytes] = {tmp / href: (html if html.endswith("\n") else html + "\n").encode("utf-8")
                                     for href, html in pages.items()}
        writes[tmp / "assets" / "search-index.js"] = _search_index(docs, texts).encode("utf-8")
        # The TEI behind every page, with what its pointers reach: the edition file, the
        # registers, the raw sources (ref[@type='origin']) and the schemas (xml-model).
        copies: dict[Path, Path] = {}
        for src in [tei / "edition.xml", *registers, *(d.path for d in docs)]:
            copies[tmp / "tei" / src.relative_to(tei)] = src
        for s in edition.sources:
            copies[tmp / s.relpath] = edition.root / s.file
        for name in ("edition.rng", "edition.sch"):
            copies[tmp / "schemas" / name] = edition.root / "schemas" / name
        for asset in ASSETS.iterdir():
            if asset.is_file() and asset.suffix in (".css", ".js", ".svg", ".woff2"):
                copies[tmp / "assets" / asset.name] = asset
        copies = {dest: src for dest, src in copies.items() if src.is_file()}
        # pages unchanged since the last build: the same file, linked into the new site
        links = {within(tmp, tmp / href): old for href, old in (kept or {}).items()}
        for folder in {within(tmp, p).parent for p in [*writes, *copies, *links]}:
            folder.mkdir(parents=True, exist_ok=True)
        # The whole TEI set as one download (linked from the home page).
        from .deposit import write_tei_zip

        write_tei_zip(tei, tmp / "tei.zip")
        # Hundreds of small files: opening them is the cost, and threads overlap it.
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda item: write_file(item[0], item[1], root=tmp), writes.items()))
            list(pool.map(lambda item: copy_file(item[1], item[0], root=tmp), copies.items()))
            list(pool.map(lambda item: _link_or_copy(item[1], item[0], tmp), links.items()))
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
