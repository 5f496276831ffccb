"""The products of one HTML build and where they are made.

The per-document work (catalogue entries; each document's page with its citation files)
and the listings run on the build's executor (one process, a local pool or a Dask
cluster; pipeline/build/executor.py) as module-level tasks with plain-data arguments.
Inside `edition build`, every product is recorded in the build cache with the key of
what it was made from; a product whose key is unchanged is taken from the cache (entries,
listings, the print numbers) or from the previous site (files: pages, citations, the
search index, the EPUB), which the new site links to instead of making them again.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..build.cache import Record, digest, program_version
from ..build.executor import Executor, Started, set_worker_state, worker_state
from ..build.progress import Progress
from ..memory import give_back
from ..saxon_run import SaxonLimits
from ..transform import XSLT_ROOT, Stylesheet, Transformer, TransformStopped
from ..write import real_folders, write_files
from . import cite, epub, search
from .scratch import Scratch, chapter_reader

if TYPE_CHECKING:
    from ..build.runner import BuildContext
    from ..config import Edition

HTML_XSLT = XSLT_ROOT / "html"
Row = tuple[str, str, dict[str, str], str]  # a cache record: name, key, outputs, data
Files = dict[str, bytes]  # {path below the site root: bytes}
Chapter = tuple[str, list[str]]  # a page's chapter file of the EPUB and the documents it links to
Stopped = tuple[str, str]  # a transform stopped at its limits: the error's message and hint
T = TypeVar("T")
PAGE_BATCH = 400  # document pages made at a time (Products.pages)
LISTINGS_APART_BYTES = 8_000_000  # a catalogue bigger than this (some 6,500 documents): listings one at a time
ROW_BATCH = 500  # cache records written at a time as the entries and pages come back


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    return sha(path.read_bytes())


def path_sha(path: Path) -> str:
    """The SHA-256 of a big file, read a block at a time."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _same_inode(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b) and not b.is_symlink()
    except OSError:
        return False


def page_bytes(html: str) -> bytes:
    return (html if html.endswith("\n") else html + "\n").encode("utf-8")


def listing_json(sheet: Stylesheet, catalogue: Path, params: dict[str, str]) -> str:
    """A listing stylesheet applied to the catalogue: its pages as the JSON map {href: html}
    it returns, unparsed (`pages_of` parses it where the pages are written)."""
    first = len(sheet.messages)
    result = sheet.apply(catalogue, params=params)
    # (its messages name the catalogue as before, not the scratch file's temporary path)
    sheet.messages[first:] = [m.replace(f"{catalogue}: ", f"catalogue ({sheet.path.name}): ", 1)
                              for m in sheet.messages[first:]]
    return result


def pages_of(text: str, stylesheet: Path) -> dict[str, Any]:
    """A listing's pages from the JSON map that its stylesheet returned."""
    from ..errors import EditionError

    try:
        pages = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EditionError(f"{stylesheet.name} did not return a JSON map of pages: {exc}",
                           path=str(stylesheet)) from None
    if not isinstance(pages, dict):
        raise EditionError(f"{stylesheet.name} did not return a map of pages", path=str(stylesheet))
    return pages


def listing_stylesheet(name: str) -> Path:
    """The stylesheet of a listing (`name` up to a "#": the parts of one listing)."""
    return HTML_XSLT / f"{name.partition('#')[0]}.xsl"


# ------------------------------------------------------------------ tasks (any process)


def transformer_name(limits: SaxonLimits | None) -> str:
    """The name of a process's transformer for these limits (pipeline/build/executor.py)."""
    return f"html transformer {limits}"


def _transformer(limits: SaxonLimits | None) -> Transformer:
    """This process's transformer within the edition's limits: they travel with every
    task, so a worker (of a local pool or a cluster) honours edition.yaml's `limits:`."""
    return worker_state(transformer_name(limits), lambda: Transformer(limits))


def entry_task(item: tuple[Path, str, SaxonLimits | None]) -> tuple[str, list[str], Stopped | None]:
    """One document's catalogue entry (in whichever process runs it), its messages, and
    the error when its transform went past the limits (the document is then left out)."""
    path, _sha, limits = item
    sheet = _transformer(limits).stylesheet(HTML_XSLT / "catalogue.xsl")
    sheet.messages.clear()
    try:
        return sheet.apply(path), list(sheet.messages), None
    except TransformStopped as exc:
        return "", [], _left_out(exc)


def _left_out(exc: TransformStopped) -> tuple[str, str]:
    return exc.message, exc.hint or ""


def citation_files(item: dict[str, Any], name: str) -> Files:
    """The citation of a page as CSL-JSON, BibTeX and RIS (cite/<name>.*)."""
    return {f"cite/{name}.json": cite.csl_json(item).encode("utf-8"),
            f"cite/{name}.bib": cite.bibtex(item).encode("utf-8"),
            f"cite/{name}.ris": cite.ris(item).encode("utf-8")}


PageResult = tuple[Files, dict[str, str], list[str], Chapter, Stopped | None]


def page_task(job: PageJob) -> PageResult:
    """One document's page and its citation files, {file: SHA-256} of them, the page's
    chapter of the EPUB, and the error when its transform went past the limits (then
    nothing else). With `job.site` (a worker of this machine), the files are put into the
    site here, those whose bytes changed, and not sent back."""
    sheet = _transformer(job.limits).stylesheet(HTML_XSLT / "document.xsl")
    sheet.messages.clear()
    try:
        html = sheet.apply(job.path, params=job.params)
    except TransformStopped as exc:
        return {}, {}, [], ("", []), _left_out(exc)
    body, linked = epub.chapter_body(html)
    files = {job.href: page_bytes(html), **citation_files(job.item, job.name)}
    outputs = {rel: sha(data) for rel, data in files.items()}
    if job.site is not None:
        write_files(job.site, {rel: data for rel, data in files.items() if not _holds(job.site / rel, data)})
        files = {}
    return files, outputs, list(sheet.messages), (epub.chapter_xhtml(body, job.title), linked), None


def _holds(path: Path, data: bytes) -> bool:
    """The file `path` has the bytes `data` (it need not be written again)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def listing_task(item: tuple[str, str, dict[str, str], SaxonLimits | None]) -> tuple[str, list[str]]:
    """One listing stylesheet applied to the catalogue: its pages as a JSON map (text: the
    building process parses it, one listing at a time, where it writes them)."""
    name, catalogue, params, limits = item
    sheet = _transformer(limits).stylesheet(listing_stylesheet(name))
    sheet.messages.clear()
    return listing_json(sheet, Path(catalogue), params), list(sheet.messages)


class BookJob(NamedTuple):
    """What the EPUB is made from (plain data: a worker process on this machine makes it)."""

    edition: Edition
    scratch: Path  # the scratch folder: the pages' chapters, and where the book is written
    site: Path  # the site (a page whose chapter is not in the scratch store is read there)
    order: list[tuple[str, str]]  # (document id, its chapter's title) of every document, in order
    chapters: list[str]  # the ids of those that are chapters of the book
    intro: str
    built: str


def book_task(job: BookJob) -> Path:
    """Writes the EPUB into the scratch folder and returns its path. Each chapter is read
    back from the scratch store one at a time (a page that links to a document the book
    does not hold is read again from the site)."""
    ids = {doc_id for doc_id, _ in job.order}
    titles = dict(job.order)
    dest = job.scratch / "edition.epub"
    with chapter_reader(job.scratch) as chapter:

        def body(doc_id: str) -> str:
            href = f"documents/{doc_id}.html"
            made = chapter(href) or ("", ["#"])  # (none: made from the page)
            return epub.chapter(made, ids, lambda: (job.site / href).read_bytes().decode("utf-8"), titles[doc_id])

        epub.write_epub(job.edition, body, [(i, titles[i]) for i in job.chapters], dest, intro=job.intro,
                        built=job.built, scratch=job.scratch)
    return dest


class PageJob(NamedTuple):
    """What one document page is made from (plain data: it travels to the workers)."""

    href: str
    path: Path
    sha: str  # the TEI file's
    params: dict[str, str]
    item: dict[str, Any]  # its CSL-JSON item (the citation files)
    name: str  # cite/<name>.*
    title: str = ""  # its chapter's in the EPUB
    limits: SaxonLimits | None = None  # the Saxon child's (edition.yaml limits:)
    site: Path | None = None  # the site, when the task puts the files there itself


# ------------------------------------------------------------------------- the build


class PagesStopped(Exception):
    """A document page's transform went past the limits (its document is in `stopped`)."""


class Products:
    """One build of the site: runs the tasks on the executor (or here) and keeps what is
    unchanged since the last build (`edition build`'s cache)."""

    def __init__(self, t: Transformer, context: BuildContext | None, out: Path, scratch: Scratch) -> None:
        self.limits = t.limits
        set_worker_state(transformer_name(t.limits), t)  # the tasks run in this process use the caller's
        self.context = context
        self.out = out
        self.scratch = scratch  # texts and chapters kept on disk (scratch.py)
        self.program = program_version()
        self.executor: Executor = context.executor if context is not None else Executor()
        self.records: dict[str, list[Row]] = {}
        self.seen: dict[str, set[str]] = {}  # per stage, the products recorded as they were made (`_put`)
        self.kept: dict[str, Path] = {}  # files of the last site that the new one keeps
        self.stopped: dict[Path, Stopped] = {}  # documents left out: a transform went past its limits
        self._made: dict[str, Any] = {}  # this run's entries and pages, by key (made once if made again)
        self._loaded: dict[str, dict[str, Record]] = {}
        self._background: ThreadPoolExecutor | None = None

    def _cached(self, stage: str) -> dict[str, Record]:
        """The records of the last build (read once per build)."""
        if self.context is None:
            return {}
        if stage not in self._loaded:
            self._loaded[stage] = self.context.cache.records(stage)
        return self._loaded[stage]

    def _map(self, label: str, task: Callable[[Any], Any], items: list[Any],
             then: Callable[[Any], Any] | None = None, executor: Executor | None = None) -> list[Any]:
        progress: Progress | None = self.context.progress(label, len(items)) if self.context is not None else None
        results = (executor or self.executor).map_then(task, items, then or (lambda r: r), progress)
        if progress is not None:
            progress.finish()
        return results

    def _intact(self, *outputs: dict[str, str]) -> list[bool]:
        """Per map of {file: SHA-256}: the last site still holds these files with these bytes."""
        if self.context is None:
            return [False] * len(outputs)
        on_disk = self.context.cache.file_hashes([self.out / rel for o in outputs for rel in o])
        return [all(on_disk[self.out / rel] == h for rel, h in o.items()) for o in outputs]

    # -- data products (kept in the cache) -----------------------------------------------

    def entries(self, files: list[Path], shas: dict[Path, str], take: Callable[[Path, str, str], None]) -> list[str]:
        """Makes the catalogue entries whose inputs changed (the others come from the
        cache) and hands each, as it comes, to `take(path, sha, entry XML)` (`shas`: the
        files' content hashes); returns the stylesheet's messages in the files' order.
        Nothing edition-sized is held here: an entry's record goes to the cache as it
        comes (a batch at a time), not at the end of the build."""
        made = self._cached("html.entry")
        keys = {p: digest(self.program, shas[p]) for p in files}
        todo = [p for p in files if ((r := made.get(str(p))) is None or r.key != keys[p])
                and f"entry {keys[p]}" not in self._made]
        messages: dict[Path, list[str]] = {}
        rows: list[Row] = []

        def keep(p: Path, result: tuple[str, list[str], Stopped | None]) -> None:
            xml, msgs, stopped = result
            if stopped is not None:
                self.stopped[p] = stopped
                return
            if self.context is None:  # no cache: kept for a second pass (PagesStopped)
                self._made[f"entry {keys[p]}"] = result
            else:
                rows.append((str(p), keys[p], {}, json.dumps([xml, msgs], ensure_ascii=False)))
                if len(rows) >= ROW_BATCH:
                    self._put("html.entry", rows)
            messages[p] = msgs
            take(p, shas[p], xml)

        pending = iter(todo)
        self._map("catalogue", entry_task, [(p, shas[p], self.limits) for p in todo],
                  lambda result: keep(next(pending), result))
        for p in files:
            if p in messages or p in self.stopped:
                continue
            if f"entry {keys[p]}" in self._made:
                keep(p, self._made[f"entry {keys[p]}"])
            else:
                xml, msgs = json.loads(made[str(p)].data)
                messages[p] = msgs
                take(p, shas[p], xml)
        self._put("html.entry", rows)
        if self.context is not None:
            self.context.cache.drop("html.entry", sorted(set(made) - {str(p) for p in messages}))
        return [m for p in files for m in messages.get(p, [])]

    def _put(self, stage: str, rows: list[Row]) -> None:
        """Writes records to the cache now (and forgets them here): a product's record only
        says what it was made from, true whatever happens to the rest of the build."""
        if self.context is not None and rows:
            self.context.cache.put_many(stage, rows)
        rows.clear()

    def value(self, name: str, key_parts: object, make: Callable[[], Any]) -> Callable[[], Any]:
        """A JSON value made by `make()` — on the background thread (`later`) — unless the
        cache holds it for the same inputs; the returned function gives it."""
        key = digest(self.program, name, key_parts)
        rec = self._cached("html.value").get(name)
        result = (lambda: json.loads(rec.data)) if rec is not None and rec.key == key else self.later(make)

        def finish() -> Any:
            value = result()
            self.records.setdefault("html.value", []).append((name, key, {}, json.dumps(value, ensure_ascii=False)))
            return value

        return finish

    def listings(self, items: list[tuple[str, dict[str, str]]], catalogue: Path,
                 take: Callable[[str, dict[str, Any], list[str]], None], extra: dict[str, str] | None = None) -> None:
        """`begin_listings`, waited for."""
        self.begin_listings(items, catalogue, take, extra)()

    def begin_listings(self, items: list[tuple[str, dict[str, str]]], catalogue: Path,
                       take: Callable[[str, dict[str, Any], list[str]], None],
                       extra: dict[str, str] | None = None) -> Callable[[], None]:
        """Begins the listings on the executor and returns the function that takes them
        (this process does other work meanwhile). Each listing's pages: (name, params) →
        the stylesheet `name` (up to a "#": the parts of one listing) applied to the
        catalogue, on the executor unless the cache holds it for the same inputs (`extra`:
        the hashes of other files it reads). Each listing is handed to `take(name, pages,
        messages)` as it comes, in the order of `items`, and recorded at once: no more than
        one listing's pages are held at a time (the parts of the registers of 20,000
        documents are 120 MB of JSON)."""
        made = self._cached("html.listing")
        catalogue_sha = path_sha(catalogue)
        keys = {name: digest(self.program, name, catalogue_sha, params, extra or {}) for name, params in items}
        todo = [(n, str(catalogue), p, self.limits) for n, p in items
                if (r := made.get(n)) is None or r.key != keys[n]]
        waiting = iter(items)  # the listings in order: those of the cache are handed over between the made ones

        def cached_until(name: str | None) -> None:
            for n, _params in waiting:
                if n == name:
                    return
                result, msgs = json.loads(made[n].data)
                self.seen.setdefault("html.listing", set()).add(n)
                take(n, result, list(msgs))

        def arrived(name: str, answer: tuple[str, list[str]]) -> None:
            cached_until(name)
            text, msgs = answer
            pages = pages_of(text, listing_stylesheet(name))
            # the record holds the stylesheet's JSON as it came ([pages, messages])
            self._put("html.listing", [(name, keys[name], {},
                                        "[" + text + "," + json.dumps(msgs, ensure_ascii=False) + "]")])
            del text, answer
            self.seen.setdefault("html.listing", set()).add(name)
            take(name, pages, list(msgs))

        names = iter(n for n, _, _, _ in todo)
        # a big catalogue's listings run one at a time, in this process's Saxon child: each
        # transform of it holds the catalogue's tree and grows Saxon's heap by hundreds of
        # megabytes (the child is ended after it), and two at once would double that
        alone = self.listings_alone(catalogue)
        if alone and todo:
            # the worker processes would wait meanwhile, holding 0.5 GB at 100× with their
            # Saxon children: they end, and the pages' map starts fresh ones
            self.executor.rest()
        started = (Executor() if alone else self.executor).start(listing_task, todo)

        def finish() -> None:
            progress = self.context.progress("lists", len(todo)) if self.context is not None else None
            started.then(lambda answer: arrived(next(names), answer), progress)
            if progress is not None:
                progress.finish()
            cached_until(None)

        return finish

    @staticmethod
    def listings_alone(catalogue: Path) -> bool:
        """A big catalogue's listings run one at a time in this process's Saxon child, with
        no worker process beside them (see `begin_listings`)."""
        return catalogue.stat().st_size > LISTINGS_APART_BYTES

    # -- file products (kept in the last site) -------------------------------------------

    def pages(self, count: int, job: Callable[[int], PageJob], meanwhile: Callable[[], None] = lambda: None
              ) -> tuple[set[str], list[str], dict[str, str]]:
        """Makes the document pages (with their citation files) whose inputs changed and
        writes them into the site as they arrive; the others are kept from the last site.
        `job(i)` is the i-th page's job: the jobs are made, run and let go PAGE_BATCH at a
        time, a page's bytes are not kept, its EPUB chapter goes to the scratch store and
        its record to the cache as it comes, so that the building process holds no
        edition-sized set of contexts, pages or chapters. Returns (the files written,
        messages in document order, {href: the page's SHA-256} of every page). A page
        whose transform went past the limits raises PagesStopped at the end (its document
        is in `stopped`): the caller makes the site again without it (what this run made
        already is not made again). `meanwhile()` is called once the first batch is on its
        way to the workers (the caller takes other results then)."""
        made = self._cached("html.page")
        written: set[str] = set()
        page_stopped = False
        messages: list[str] = []
        page_shas: dict[str, str] = {}
        rows: list[Row] = []
        progress: Progress | None = self.context.progress("pages", count) if self.context is not None else None

        # A worker of this machine puts its pages into the site itself (the pages do not
        # travel back, nor wait for this process to write them); on a cluster or here,
        # they are written as they come.
        site = self.out if self.executor.shares_disk and self.executor.jobs > 1 else None
        if site is not None:
            real_folders(site, ["documents", "cite"])  # (made here: not by two workers at once)

        def write(result: PageResult) -> tuple[dict[str, str], list[str], Chapter, Stopped | None]:
            files, outputs, msgs, book, stopped = result
            if stopped is not None:  # nothing made: the document is left out
                return {}, [], book, stopped
            if files:
                self.write_now(files)
            written.update(outputs)
            return outputs, msgs, book, None

        def begin(start: int) -> tuple[list[PageJob], dict[str, str], list[PageJob], Started[PageJob, Any]]:
            jobs = [job(i)._replace(limits=self.limits, site=site)
                    for i in range(start, min(count, start + PAGE_BATCH))]
            keys = {j.href: digest(self.program, str(j.path), j.sha, j.params, j.item, j.name, j.title) for j in jobs}
            same = [j.href for j in jobs if (r := made.get(j.href)) is not None and r.key == keys[j.href]]
            old = {href for href, ok in zip(same, self._intact(*(made[h].outputs for h in same)), strict=True) if ok}
            todo = [j for j in jobs if j.href not in old and f"page {keys[j.href]}" not in self._made]
            return jobs, keys, todo, self.executor.start(page_task, todo)

        def finish(jobs: list[PageJob], keys: dict[str, str], todo: list[PageJob],
                   started: Started[PageJob, Any]) -> None:
            nonlocal page_stopped, messages
            if progress is not None:
                progress.advance(len(jobs) - len(todo))
            results = {j.href: result for j, result in zip(todo, started.then(write, progress), strict=True)}
            chapters: list[tuple[str, Chapter]] = []
            for j in jobs:
                result = results.get(j.href) or self._made.get(f"page {keys[j.href]}")
                if result is not None and (stopped := result[3]) is not None:
                    self.stopped[j.path] = stopped
                    page_stopped = True
                    continue
                if result is not None:
                    outputs, msgs, book, _ = result
                    written.update(outputs)
                    if self.context is None:  # no cache: kept for a second pass
                        self._made[f"page {keys[j.href]}"] = result
                    else:
                        rows.append((j.href, keys[j.href], outputs, json.dumps([msgs, book], ensure_ascii=False)))
                else:
                    msgs, book = json.loads(made[j.href].data)
                    outputs = dict(made[j.href].outputs)
                    self.kept.update({rel: self.out / rel for rel in outputs})
                messages += msgs
                page_shas[j.href] = outputs[j.href]
                chapters.append((j.href, (book[0], list(book[1]))))
            self.scratch.put_chapters(chapters)
            self._put("html.page", rows)
            give_back()  # (the batch's jobs and results)

        # The next batch is begun before this one's results are taken: the workers go on
        # with it while this process writes the pages and records of this one (no pause
        # at every batch), and no more than two batches are held at a time.
        waiting = None
        for start in range(0, count, PAGE_BATCH):
            begun = begin(start)
            if waiting is not None:
                finish(*waiting)
            else:
                meanwhile()  # (the first batch is on its way)
            waiting = begun
            del begun
        if waiting is None:
            meanwhile()
        else:
            finish(*waiting)
            waiting = None
        if progress is not None:
            progress.finish()
        if page_stopped:
            raise PagesStopped
        if self.context is not None:
            self.context.cache.drop("html.page", sorted(set(made) - set(page_shas)))
        return written, messages, page_shas

    def write_now(self, files: Files) -> None:
        """Puts files into the site now, those whose bytes changed (each atomically)."""
        unchanged = self.in_place(files, {}, {})
        write_files(self.out, {rel: data for rel, data in files.items() if rel not in unchanged})

    def files(self, name: str, key_parts: object, make: Callable[[], Files], *,
              background: bool = False) -> Callable[[], Files]:
        """Files made together by `make()` (the EPUB, tei.zip), unless the last site holds
        them as made from the same inputs: then they are kept. With `background`, `make`
        runs on the background thread (`later`). The returned function gives the files made."""
        key = digest(self.program, name, key_parts)
        if self._keep_files(name, key):
            return dict
        result = self.later(make) if background else make

        def finish() -> Files:
            made = result()
            self.records.setdefault("html.files", []).append(
                (name, key, {rel: sha(data) for rel, data in made.items()}, ""))
            return made

        return finish

    def disk_files(self, name: str, key_parts: object, make: Callable[[], dict[str, Path]], *,
                   background: bool = False) -> Callable[[], dict[str, Path]]:
        """As `files`, for big files that `make()` writes to the scratch folder (the EPUB,
        tei.zip) instead of returning their bytes: the site links to them."""
        return self.begin_disk_files(name, key_parts, lambda: self.later(make) if background else make)

    def begin_disk_files(self, name: str, key_parts: object,
                         begin: Callable[[], Callable[[], dict[str, Path]]]) -> Callable[[], dict[str, Path]]:
        """As `disk_files`, for files whose making `begin()` sets going elsewhere (a task
        on the executor); the function it returns waits for them."""
        key = digest(self.program, name, key_parts)
        if self._keep_files(name, key):
            return dict
        result = begin()

        def finish() -> dict[str, Path]:
            made = result()
            self.records.setdefault("html.files", []).append(
                (name, key, {rel: path_sha(path) for rel, path in made.items()}, ""))
            return made

        return finish

    def _keep_files(self, name: str, key: str) -> bool:
        """The last site holds the files `name` made from the same inputs: kept."""
        rec = self._cached("html.files").get(name)
        if rec is not None and rec.key == key and self._intact(rec.outputs)[0]:
            self.kept.update({rel: self.out / rel for rel in rec.outputs})
            self.records.setdefault("html.files", []).append((name, key, dict(rec.outputs), ""))
            return True
        return False

    def in_place(self, writes: Files, copies: dict[str, Path], links: dict[str, Path]) -> set[str]:
        """The files of `writes` (bytes), `copies` and `links` (of the given files) that the
        last site already holds with those bytes: they need not be written again. Inside
        `edition build` the content hashes are the cache's (memoised by size, time and
        inode); outside, the bytes are compared."""
        same = {rel for rel, src in links.items() if _same_inode(src, self.out / rel)}
        if self.context is not None:
            cache = self.context.cache
            targets = [self.out / rel for rel in [*writes, *copies]]
            on_disk = {str(p): h for p, h in cache.file_hashes(targets).items() if h is not None}
            sources = cache.file_hashes(list(copies.values()))
            same |= {rel for rel, data in writes.items() if on_disk.get(str(self.out / rel)) == sha(data)}
            same |= {rel for rel, src in copies.items()
                     if (h := on_disk.get(str(self.out / rel))) is not None and sources[src] == h}
            return same
        same |= {rel for rel, data in writes.items() if _holds(self.out / rel, data)}
        for rel, src in copies.items():
            with contextlib.suppress(OSError):
                if filecmp.cmp(src, self.out / rel, shallow=False):
                    same.add(rel)
        return same

    def search_index(self, records: list[search.Record]) -> Callable[[], Files]:
        """The search index (search.py), made on the background thread: kept when no record
        changed; updated in place from the last site's index when a few did
        (search.update_index); else made whole. The returned function gives the files made."""
        digests = search.record_digests(records)
        key = digest(self.program, "search", digests)
        rec = self._cached("html.files").get("search")
        intact = rec is not None and self._intact(rec.outputs)[0]
        if rec is not None and intact and rec.key == key:
            self.kept.update({rel: self.out / rel for rel in rec.outputs})
            self.records.setdefault("html.files", []).append(("search", key, dict(rec.outputs), rec.data))
            return dict
        state = json.loads(rec.data) if rec is not None and intact and rec.data else {}
        old = dict(rec.outputs) if rec is not None else {}
        out = self.out
        sunk: dict[str, str] = {}  # {file: SHA-256} of the files put into the site as they were made

        def sink(files: Files) -> None:
            # (on the background thread: the bytes on disk are compared, not the cache's hashes)
            same = {rel for rel, data in files.items() if _holds(out / rel, data)}
            write_files(out, {rel: data for rel, data in files.items() if rel not in same})
            sunk.update({rel: sha(data) for rel, data in files.items()})

        def make() -> tuple[search.Index, bool]:
            if state.get("program") == self.program:
                try:
                    return search.update_index(records, digests, state["index"], lambda rel: (out / rel).read_bytes(),
                                               set(old)), True
                except search.Stale:
                    pass
            return search.make_index(records, digests, sink), False

        result = self.later(make)

        def finish() -> Files:
            index, updated = result()
            if updated:
                outputs = {rel: h for rel, h in old.items() if rel not in index.removed}
                self.kept.update({rel: self.out / rel for rel in outputs if rel not in index.files})
                outputs.update({rel: sha(data) for rel, data in index.files.items()})
            else:
                outputs = {rel: sha(data) for rel, data in index.files.items()}
                outputs.update(sunk)
                self.kept.update({rel: self.out / rel for rel in sunk})  # in the site already
            data = json.dumps({"program": self.program, "index": index.state}, ensure_ascii=False,
                              separators=(",", ":"))
            self.records.setdefault("html.files", []).append(("search", key, outputs, data))
            return index.files

        return finish

    def later(self, work: Callable[[], T]) -> Callable[[], T]:
        """Runs `work` on this build's background thread, beside the tasks the executor
        runs (the building process mostly waits for them: its serial work overlaps theirs);
        the returned function waits for the result. `work` must touch neither the cache
        (its SQLite connection belongs to this thread) nor Saxon."""
        if self._background is None:
            self._background = ThreadPoolExecutor(1, thread_name_prefix="html-background")
        return self._background.submit(work).result

    def new_pass(self) -> None:
        """Starts the site again (without a document left out): the background work of the
        last pass is waited for, and what it recorded is forgotten."""
        self.close()
        self.records = {}
        self.seen = {}
        self.kept = {}
        self._loaded = {}  # the records written meanwhile (entries, pages) are read again

    def close(self) -> None:
        """Waits for the background work (an error's build leaves nothing running)."""
        if self._background is not None:
            self._background.shutdown(wait=True, cancel_futures=True)
            self._background = None

    def file_shas(self, paths: list[Path]) -> dict[Path, str]:
        """{path: content hash} of the documents (memoised in `edition build`, where those
        not known are read by the workers)."""
        if self.context is None:
            return {p: file_sha(p) for p in paths}
        known = self.context.cache.file_hashes(paths, self.executor)
        return {p: h if h is not None else file_sha(p) for p, h in known.items()}

    def hashes(self, paths: list[Path]) -> dict[str, str | None]:
        """{self.name(path): content hash} of files the build reads (memoised in `edition build`)."""
        if self.context is None:
            return {str(p): file_sha(p) if p.is_file() else None for p in paths}
        return {self.context.cache.key(p): h for p, h in self.context.cache.file_hashes(paths).items()}

    def name(self, path: Path) -> str:
        """How `hashes` names a file."""
        return str(path) if self.context is None else self.context.cache.key(path)

    def file_outside(self, target: Path, key_parts: object, make: Callable[[], object]) -> Callable[[], None]:
        """A file outside the site (the review report) that `make()` writes — on the
        background thread — unless it is still the file made from the same inputs by the
        last build. The returned function waits for it."""
        name = target.name
        key = digest(self.program, name, key_parts)
        rec = self._cached("html.outside").get(name)
        result: Callable[[], object] = lambda: None  # noqa: E731
        if self.context is None or rec is None or rec.key != key \
                or self.context.cache.file_hash(target) != rec.outputs.get(name):
            result = self.later(make)

        def finish() -> None:
            result()
            if self.context is not None:
                self.records.setdefault("html.outside", []).append(
                    (name, key, {name: self.context.cache.file_hash(target) or ""}, ""))

        return finish

    def record(self) -> None:
        """Writes this build's records: only those that changed (an edit to one document
        rewrites a few rows, not one per page), and drops those of vanished products."""
        if self.context is None:
            return
        cache = self.context.cache
        with cache:
            for stage, names in self.seen.items():
                cache.drop(stage, sorted(set(self._cached(stage)) - names))
            for stage, rows in self.records.items():
                old = self._cached(stage)
                cache.drop(stage, sorted(set(old) - {r[0] for r in rows}))
                cache.put_many(stage, [r for r in rows if (o := old.get(r[0])) is None
                                       or (o.key, o.outputs, o.data) != (r[1], dict(r[2]), r[3])])
