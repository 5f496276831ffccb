"""The convert stage: sources → segment → recognise → TEI files under tei/.

Each source is read and segmented on its own: a source that fails (missing file, wrong
encoding, a layout that finds no document) is reported and the others are converted.
Sources that were not asked for are read too, only so that documents found in two
sources can be linked both ways and the edition's header lists every source; a failure
there is a warning, and only the files of the sources asked for are written.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from lxml import etree

from . import __version__, xmlparse
from .archives import load_archives
from .assemble import Assembler, Built, Flag
from .build.executor import Executor
from .build.progress import Progress
from .config import Contributor, Edition, Source, load_config
from .errors import EditionError
from .patterns import reading
from .recognise import memo
from .recognise.citations import SHELFMARK_KINDS
from .segment import Segmentation, encoding_of, segment_source
from .sources import SourceText, read_source
from .tei import EDITION, PIPELINE, E, iso_when, serialise, sub, unnest_footnotes
from .vocab import check_document_type, infer_period
from .witnesses.detect import SharedCount, gram_keys
from .witnesses.plan import MergePlan, plan_merges
from .write import TeiStore, Transaction, sha256, write_atomic

if TYPE_CHECKING:
    from .build.runner import BuildContext


@dataclass(frozen=True)
class Made:
    """A document's TEI file, made where its source was converted (in parallel) with the id
    and number it has within its source: it is the file unless the edition's other sources
    change them (`assign_ids`) or a merge of printings makes it (pipeline/witnesses)."""

    id: str
    number: str | None
    tei: bytes
    printed: str | None  # its div's printed number (@n), as `edition link` reads it


@dataclass
class Document:
    source: Source
    built: Built
    first: int
    last: int
    number: str | None
    id: str = ""
    related: list[tuple[Document, float]] = field(default_factory=list)
    file: str = ""  # in a folder source: the document's file, and first/last are its lines
    div_xml: bytes = b""  # the document's div as XML, until its TEI file is made (built.div is None then)
    grams: array = field(default_factory=lambda: array("Q"))  # its 5-gram keys (witnesses.detect.gram_keys)
    made: Made | None = None  # its TEI file as the process that converted its source made it


    @property
    def path(self) -> str:
        return f"{self.source.id}/{self.id}.xml"

    @property
    def origin(self) -> str:
        """The raw text the document comes from, relative to the project root."""
        return f"{self.source.file.as_posix()}/{self.file}" if self.file else self.source.file.as_posix()


@dataclass
class Conversion:
    edition: Edition
    texts: dict[str, SourceText]
    segmentations: dict[str, Segmentation]
    documents: list[Document]
    flags: list[tuple[Source, Flag]]
    failures: list[tuple[Source, EditionError]] = field(default_factory=list)
    witnesses: MergePlan | None = None  # printings of one document merged into one (pipeline/witnesses)

    @property
    def sources(self) -> list[Source]:
        """The sources that converted (those with a segmentation)."""
        return [s for s in self.edition.sources if s.id in self.segmentations]


def convert_source(source: Source, edition: Edition) -> tuple[SourceText, Segmentation, list[Document],
                                                                  list[tuple[Source, Flag]]]:
    """One source: read, segment, build its documents (ids are given later)."""
    src = read_source(edition.root / source.file, encoding_of(source))
    seg = segment_source(src, source)
    if not seg.units:
        raise EditionError("no document could be found in this source", path=str(source.file),
                           hint="check its layout in edition.yaml (docs/layouts.md)")
    flags: list[tuple[Source, Flag]] = [(source, Flag(line, "boundary", msg)) for line, msg in seg.flags]
    if seg.layout is not None and seg.layout.chosen:
        # `layout: auto` says what it chose; `edition inspect` prints it as a block to refine.
        flags.append((source, Flag(1, "layout", f"layout auto: {seg.layout.chosen}")))
    docs: list[Document] = []
    year: int | None = None
    for unit in seg.units:
        built = Assembler(unit, source, edition, context_year=year, layout=seg.layout).build()
        check_document_type(built, edition.document_types, unit.first)
        if built.date is not None and (built.date.when or built.date.from_):
            year = int((built.date.when or built.date.from_ or "0")[:4])
        doc = Document(source, built, unit.first, unit.last, unit.number or built.number)
        if src.files:
            doc.file, doc.first = src.locate(unit.first)
            doc.last = src.locate(unit.last)[1]
        docs.append(doc)
        flags.extend((source, f) for f in built.flags)
    from .review import boundary_flags

    flags.extend((source, f) for f in boundary_flags(seg, docs))
    return src, seg, docs, flags


_Portable = tuple[SourceText, Segmentation, list[Document], list[tuple[Source, Flag]], list[bytes]]


def portable_source(job: tuple[Edition, Source]) -> _Portable | EditionError:
    """`convert_source` in whichever process runs it (a worker, a cluster): the divs travel
    as XML bytes (lxml elements cannot be sent), a failure as its error."""
    edition, source = job
    # the archives register is per process: a worker process reads it too
    memo.use_archives(load_archives(edition.root / "tei" / "registers.xml", edition.citation_shapes))
    try:
        with reading(str(source.file)):
            src, seg, docs, flags = convert_source(source, edition)
    except EditionError as exc:
        return exc
    divs = []
    numbers = [d.number for d in docs]
    assign_ids(docs)  # the ids within this source (convert_all gives the edition's)
    for d, number in zip(docs, numbers, strict=True):
        d.grams = gram_keys(d.built.text_for_comparison)  # here, in parallel: the count across sources is serial
        divs.append(etree.tostring(d.built.div))
        root = document_tei(d, edition)  # (changes the div: after its bytes are taken)
        d.made = Made(d.id, d.number, serialise(root, depth=2), _printed(root))
        d.built.div, d.built.notes = None, []  # type: ignore[assignment]
        d.id, d.number = "", number
    # what the rest of the conversion needs of the source's text and segmentation: where its
    # files begin, its boilerplate and layout (not its lines and units: they are in the documents)
    src = dataclasses.replace(src, lines=())
    seg = dataclasses.replace(seg, units=[], toc=[])
    return src, seg, docs, flags, divs


def convert_all(edition: Edition, executor: Executor | None = None, progress: Progress | None = None,
                made: Callable[[Document], None] | None = None) -> Conversion:
    """Every source of the edition; one that fails is recorded in `failures`, not raised.
    `made` sees each document as its source's conversion arrives (its `made` TEI file: the
    caller may stage it while the other sources are converted)."""
    memo.use_archives(load_archives(edition.root / "tei" / "registers.xml", edition.citation_shapes))
    texts: dict[str, SourceText] = {}
    segs: dict[str, Segmentation] = {}
    docs: list[Document] = []
    flags: list[tuple[Source, Flag]] = []
    failures: list[tuple[Source, EditionError]] = []
    jobs = [(edition, source) for source in edition.sources]
    pending = iter(edition.sources)
    shared = SharedCount()  # the 5-grams the documents share (pipeline/witnesses)

    def take(done: _Portable | EditionError) -> None:
        source = next(pending)
        if isinstance(done, EditionError):
            if done.path is None:
                done.path = str(source.file)
            failures.append((source, done))
            return
        src, seg, sdocs, sflags, divs = done
        texts[source.id], segs[source.id] = src, seg
        for d, div in zip(sdocs, divs, strict=True):
            d.source = source  # this process's own object (compared by identity)
            d.div_xml = div  # parsed when its TEI file is made: 20,000 parsed divs at once weigh a lot
            shared.add(d.grams)  # counted here, while the other sources are converted
            d.grams = array("Q")
            if made is not None:
                made(d)
        docs.extend(sdocs)
        flags.extend((source, f) for _, f in sflags)

    (executor or Executor()).map_then(portable_source, jobs, take, progress)
    flags.extend(assign_ids(docs))
    # one detection of the printings of one document (pipeline/witnesses): those it merges
    # link each other until the merge makes them one file with a listWit
    merges, merge_flags = plan_merges(edition, docs, shared.shared())
    by_id = {d.id: d for d in docs}
    for group in merges.groups:
        for a in group.witnesses:
            by_id[a].related.extend((by_id[b], group.shares.get(b) or group.shares.get(a, 0.0))
                                    for b in group.witnesses if b != a)
    for d in docs:
        d.built.text_for_comparison = ""  # compared: no longer needed
    return Conversion(edition, texts, segs, docs, flags + merge_flags, failures, merges)


def assign_ids(docs: list[Document]) -> list[tuple[Source, Flag]]:
    """Stable ids: number, else date (+ letter), else the position in its source (u001, u002 …).
    A printed number that repeats within a source is kept on its first document only (a
    collection numbers each document once): the review report names the others."""
    seen: dict[str, int] = {}
    repeated: list[tuple[Source, Flag]] = []
    in_source: dict[str, int] = {}  # position within its source: an id never depends on other sources
    for doc in docs:
        sid = doc.source.id
        position = in_source.get(sid, 0)
        in_source[sid] = position + 1
        d = doc.built.date
        if doc.number:
            base = f"{sid}-{doc.number}"
        elif d is not None and (d.when or d.from_ or d.not_before):
            iso = (d.when or d.from_ or d.not_before or "")[:10]
            base = f"{sid}-{iso.replace('-', '')}"
        else:
            base = f"{sid}-u{position + 1:03d}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        doc.id = base if count == 0 else f"{base}{_suffix(count)}"
        if count and doc.number:
            message = f"document number {doc.number} repeats ({base} comes earlier): not kept as this one's number"
            repeated.append((doc.source, Flag(doc.first, "number", message)))
            doc.number = None
    return repeated


def _suffix(count: int) -> str:
    """b, c, … z, then ba, bb, …: a letter suffix for the count-th document of one base id."""
    letters = ""
    while True:
        count, rest = divmod(count, 26)
        letters = chr(ord("a") + rest) + letters
        if count == 0:
            return letters


# -- TEI files ----------------------------------------------------------------------------

def document_tei(doc: Document, edition: Edition) -> etree._Element:
    src, built = doc.source, doc.built
    root = E("TEI", xml_lang="en")
    header = sub(root, "teiHeader")
    fdesc = sub(header, "fileDesc")
    tstmt = sub(fdesc, "titleStmt")
    sub(tstmt, "title", built.head_text or f"Document {doc.id}")
    pstmt = sub(fdesc, "publicationStmt")
    sub(pstmt, "publisher", edition.publisher)
    sub(pstmt, "idno", doc.id, type_="document")
    avail = sub(pstmt, "availability")
    sub(avail, "licence", edition.licence.name, target=edition.licence.url)
    if doc.related:
        notes = sub(fdesc, "notesStmt")
        for other, score in doc.related:
            sub(notes, "relatedItem", type_="witness", target=f"../{other.path}")
            sub(notes, "note", f"The same document is also printed in {other.source.file.name}, "
                               f"lines {other.first}-{other.last} ({other.id}); share of common word 5-grams {score}.",
                type_="witness", resp=PIPELINE)
    sdesc = sub(fdesc, "sourceDesc")
    bibl = collection_bibl(sdesc, src, corresp=f"{EDITION}#coll-{src.id}")
    if doc.number:
        sub(bibl, "citedRange", f"No. {doc.number}", unit="document", n=doc.number)
    sub(bibl, "ref", f"{doc.origin}, lines {doc.first}–{doc.last}", type_="origin",
        target=f"../../{doc.origin}#line={doc.first - 1},{doc.last}")
    for k, c in enumerate(built.citations, start=1):
        sdesc.append(ms_desc(c, f"{doc.id}-ms{k}", built.head_text))
    profile = sub(header, "profileDesc")
    if built.doc_type in ("letter", "telegram", "note", "radiogram", "memorandum", "message") and \
            (built.sender or built.addressee):
        cdesc = sub(profile, "correspDesc")
        sent = sub(cdesc, "correspAction", type_="sent")
        if built.sender:
            sub(sent, "name", built.sender)
        if built.place:  # the place of sending that the heading prints
            sub(sent, "placeName", built.place)
        d = built.date
        if d is not None:
            sub(sent, "date", when=iso_when(d.when), from_=d.from_, to=d.to,
                notBefore=d.not_before, notAfter=d.not_after)
        if built.addressee:
            sub(sub(cdesc, "correspAction", type_="received"), "name", built.addressee)
    tc = sub(profile, "textClass")
    sub(tc, "catRef", scheme=f"{EDITION}#doctypes", target=f"{EDITION}#doctype-{built.doc_type}")
    rev = sub(header, "revisionDesc")
    sub(rev, "change", f"Converted from {doc.origin} by edition-pipeline {__version__}.",
        who=PIPELINE, type_="conversion")
    text = sub(root, "text")
    body = sub(text, "body")
    div = built.div if built.div is not None else \
        xmlparse.parse_bytes(doc.div_xml, path=str(doc.source.file)).getroot()
    div.set("{http://www.w3.org/XML/1998/namespace}id", doc.id)
    if doc.number:
        div.set("n", doc.number)
    body.append(div)
    if div.find(".//{http://www.tei-c.org/ns/1.0}note[@type='source']") is None:
        sub(div, "note", type_="source", subtype="none")  # explicit: the source prints no source
    unnest_footnotes(div)
    _number_notes(div, doc.id)
    return root


def collection_bibl(parent: etree._Element, src: Source, **attrs: str | None) -> etree._Element:
    """The printed collection a source comes from, as edition.yaml describes it."""
    bibl = sub(parent, "bibl", type_="collection", **attrs)
    sub(bibl, "title", src.collection.title, level="m")
    for name in src.collection.editors:
        sub(bibl, "editor", name)
    for name in src.collection.compilers:
        sub(bibl, "editor", name, role="compiler")
    year = src.collection.year
    if year:
        sub(bibl, "date", year, when=year if year.isdigit() else None)
    return bibl


def ms_desc(c, xml_id: str, title: str) -> etree._Element:  # type: ignore[no-untyped-def]
    ms = E("msDesc", xml_id=xml_id)
    ident = sub(ms, "msIdentifier")
    if c.archive:
        sub(ident, "repository", c.archive, ref=f"../registers.xml#{c.archive_id}" if c.archive_id else None,
            cert=c.archive_cert, resp=PIPELINE if c.archive_cert else None)
    for part in c.parts:
        if part.kind in SHELFMARK_KINDS:
            value = part.reading or part.value
            sub(ident, "idno", value, type_=part.kind, cert=part.cert,
                resp=PIPELINE if part.cert or part.reading else None)
    contents = sub(ms, "msContents")
    item = sub(contents, "msItem")
    folios = next((p for p in c.parts if p.kind == "folios"), None)
    if folios is not None:
        sub(item, "locus", folios.value, from_=c.folios_from, to=c.folios_to)
    sub(item, "title", title)
    if c.states:
        # objectDesc/@form takes one state (the first printed); all are listed in the note.
        sub(item, "note", " ".join(s for _, _, s in c.states), type_="state")
        phys = sub(ms, "physDesc")
        sub(phys, "objectDesc", form=c.states[0][2])
    return ms


def _number_notes(div: etree._Element, doc_id: str) -> None:
    ns = "{http://www.tei-c.org/ns/1.0}"
    for k, note in enumerate(div.iter(ns + "note"), start=1):
        if note.get("type") in ("compiler", "unresolved"):
            note.set("{http://www.w3.org/XML/1998/namespace}id", f"{doc_id}-fn{k}")


def edition_tei(conv: Conversion) -> etree._Element:
    ed = conv.edition
    root = E("TEI", xml_lang="en")
    header = sub(root, "teiHeader")
    fdesc = sub(header, "fileDesc")
    tstmt = sub(fdesc, "titleStmt")
    sub(tstmt, "title", ed.title, type_="main")
    if ed.subtitle:
        sub(tstmt, "title", ed.subtitle, type_="sub")
    for person in ed.contributors or tuple(Contributor(name) for name in ed.editors):
        sub(tstmt, "editor", person.name, role=person.role if person.role != "editor" else None)
    rs = sub(tstmt, "respStmt", xml_id="editors")
    sub(rs, "resp", "edited the digital edition")
    for name in ed.editors or (ed.publisher,):
        sub(rs, "name", name)
    rs = sub(tstmt, "respStmt", xml_id="pipeline")
    sub(rs, "resp", "converted the raw texts; its guesses are marked with @cert and listed in the review report")
    sub(rs, "name", f"edition-pipeline {__version__}")
    for s in conv.sources:
        rs = sub(tstmt, "respStmt", xml_id=f"compilers-{s.id}")
        sub(rs, "resp", f"compiled and annotated the collection printed in {s.file.name}")
        names = s.collection.compilers or s.collection.editors or (s.site or "the collection's compilers",)
        for name in names:
            sub(rs, "name", name)
    pstmt = sub(fdesc, "publicationStmt")
    sub(pstmt, "publisher", ed.publisher)
    if ed.year:
        sub(pstmt, "date", ed.year, when=ed.year)
    avail = sub(pstmt, "availability")
    sub(avail, "licence", ed.licence.name, target=ed.licence.url)
    sdesc = sub(fdesc, "sourceDesc")
    lb = sub(sdesc, "listBibl")
    for s in conv.sources:
        b = collection_bibl(lb, s, xml_id=f"coll-{s.id}")
        if s.licence:
            sub(b, "note", s.licence.name, type_="licence")
        sub(b, "ref", s.file.as_posix(), type_="source-file", target=f"../{s.file.as_posix()}")
        seg = conv.segmentations[s.id]
        for bp in seg.boilerplate:
            sub(b, "ptr", type_="boilerplate", subtype=re.sub(r"[^a-z]+", "-", bp.kind.lower()).strip("-"),
                target=f"../{s.file.as_posix()}#line={bp.first - 1},{bp.last}")
    enc = sub(header, "encodingDesc")
    ed_decl = sub(enc, "editorialDecl")
    sub(ed_decl, "p", ed.principles or "The text is given as printed in the source; the converter's guesses are "
                                        "marked with their certainty and listed in the review report.")
    cls = sub(enc, "classDecl")
    tax = sub(cls, "taxonomy", xml_id="doctypes")
    for t in sorted({d.built.doc_type for d in conv.documents}):
        cat = sub(tax, "category", xml_id=f"doctype-{t}")
        sub(cat, "catDesc", t)
    period = ed.period or infer_period([ed.title, ed.subtitle, *(s.collection.title for s in ed.sources)])
    if period is not None:
        creation = sub(sub(header, "profileDesc"), "creation")
        sub(creation, "date", f"{period[0]}–{period[1]}", type_="period", from_=str(period[0]), to=str(period[1]))
    text = sub(root, "text")
    body = sub(text, "body")
    div = sub(body, "div", type_="introduction")
    sub(div, "p", ed.introduction or ed.title)
    return root


def tei_outputs(conv: Conversion, tei_root: Path, printed: dict[Path, str] | None = None) -> dict[Path, bytes]:
    """The bytes of every TEI file (and in `printed`, each document file's printed number,
    if it has a document div). A document's file is the one made with its source when its
    id and number are still those (`Made`), else its tree is made, serialised and let go one
    at a time, but for the printings of one document, merged together (pipeline/witnesses)."""
    out: dict[Path, bytes] = {tei_root / "edition.xml": serialise(edition_tei(conv), depth=1)}
    printed = {} if printed is None else printed
    grouped = {w for g in conv.witnesses.groups for w in g.witnesses} if conv.witnesses is not None else set()
    trees = {doc.id: document_tei(doc, conv.edition) for doc in conv.documents if doc.id in grouped}
    if conv.witnesses is not None:  # one document for several printings: the others are merged away
        conv.witnesses.apply(trees, {doc.id: doc.path for doc in conv.documents})
    for doc in conv.documents:
        path, made = tei_root / doc.path, doc.made
        if doc.id not in grouped:
            if made is not None and (made.id, made.number) == (doc.id, doc.number):
                out[path], number = made.tei, made.printed
            else:
                root = document_tei(doc, conv.edition)
                number = _printed(root)
                out[path] = serialise(root, depth=2)
        elif doc.id in trees:
            root = trees.pop(doc.id)
            number = _printed(root)
            out[path] = serialise(root, depth=2)
        else:
            continue  # merged away
        if number is not None:
            printed[path] = number
        doc.made, doc.div_xml = None, b""  # its file is made: the parts it was made from are let go
    return out


def _printed(root: etree._Element) -> str | None:
    """The printed number of a document's TEI tree as `edition link` reads it from the file
    ("" when none), None when it has no document div."""
    from .link import document_div

    div = document_div(root.getroottree())
    return None if div is None else div.get("n") or ""


# -- the command --------------------------------------------------------------------------

def install_schemas(root: Path) -> None:
    """A new project gets the edition's schemas in schemas/, where the TEI files' xml-model
    instructions point; an existing schemas/ (or a link to the package's) is left alone."""
    target = root / "schemas"
    if (target / "edition.rng").exists():
        return
    package = Path(__file__).resolve().parent / "schemas"
    for name in ("edition.rnc", "edition.rng", "edition.sch"):
        if (package / name).is_file() and not (target / name).exists():
            write_atomic(target / name, (package / name).read_bytes(), root=root)


def install_registers(root: Path, quiet: bool = False) -> None:
    """A new project gets the starter registers (pipeline/registers/starter.xml: the archives
    documentary editions cite most) as tei/registers.xml, so that its citations are read and
    pointed to from the first conversion; an existing registers file is the editors' and is
    never touched."""
    target = root / "tei" / "registers.xml"
    if target.exists() or target.is_symlink():
        return
    starter = Path(__file__).resolve().parent / "registers" / "starter.xml"
    write_atomic(target, starter.read_bytes(), root=root)
    if not quiet:
        print(f"edition: {target.relative_to(root)}: a new project's starter registers written (the common "
              "archives); it is the editors' file from now on (docs/registers.md)", file=sys.stderr)


def run_convert(config: Path, only: Sequence[str], *, force: bool, diff: bool, quiet: bool,
                keep_edited: bool = False, context: BuildContext | None = None) -> int:
    """`edition convert`: refuses to overwrite hand-edited files (nothing is written then).
    With `keep_edited` (what `edition build` does) hand-edited files are kept as they are,
    named in a warning, and everything else is converted: the editors' TEI is the source
    of truth once they have touched it."""
    edition = load_config(config)
    selected = [edition.source(k) for k in only] if only else list(edition.sources)
    tei_root = edition.root / "tei"
    store = TeiStore(tei_root)  # a damaged manifest is reported before the long work
    install_registers(edition.root, quiet)
    with store.transaction() as transaction:
        return _convert_into(transaction, edition, config, selected, store, force=force, diff=diff, quiet=quiet,
                             keep_edited=keep_edited, context=context)


def _convert_into(transaction: Transaction, edition: Edition, config: Path, selected: list[Source], store: TeiStore,
                  *, force: bool, diff: bool, quiet: bool, keep_edited: bool, context: BuildContext | None) -> int:
    """`run_convert`, its TEI files written by `transaction`: a document's new file (one that
    is not on disk yet) is staged as soon as its source is converted, while the others are."""
    from .review import write_review

    tei_root = store.root

    def stage_new(doc: Document) -> None:
        path = tei_root / doc.source.id / f"{doc.made.id}.xml" if doc.made is not None else None
        if path is not None and doc.source in selected and not path.exists():
            transaction.stage(path, cast(Made, doc.made).tei)  # (unused if the edition's ids or a merge change it)

    if context is not None:
        progress = context.progress("convert", len(edition.sources))
        conv = convert_all(edition, context.executor, progress, made=stage_new)
        progress.finish()
    else:
        conv = convert_all(edition, made=stage_new)
    failed = [(s, exc) for s, exc in conv.failures if s in selected]
    for s, exc in conv.failures:
        if s in selected:
            print(f"edition: {exc} [source {s.id} not converted; the other sources were]", file=sys.stderr)
        elif not quiet:
            print(f"edition: warning: source {s.id} could not be read for links across sources: {exc.message}",
                  file=sys.stderr)
    selected = [s for s in selected if s.id in conv.segmentations]
    if not selected:
        return 1
    install_schemas(edition.root)
    printed: dict[Path, str] = {}
    outputs = tei_outputs(conv, tei_root, printed)
    wanted = {tei_root / d.path for d in conv.documents if d.source in selected}
    if not conv.failures:
        wanted.add(tei_root / "edition.xml")  # the edition's header lists every source
    outputs = {p: b for p, b in outputs.items() if p in wanted}
    plan = store.plan(outputs, owned_prefixes=[f"{s.id}/" for s in selected])
    if context is not None:
        # In a build, a file whose conversion is what it was last time is left as it is
        # (with the links `edition link` added to it): only what changed is written again.
        # What `edition link` makes of a file depends on the registers, edition.yaml and the
        # document numbers too: when one of them changed, every file is linked afresh.
        from .build.cache import digest, program_version

        registers = tei_root / "registers.xml"
        linking = digest(sha256(registers.read_bytes()) if registers.is_file() else "",
                         sha256(config.read_bytes()), program_version(),
                         [(d.path, d.number or "") for d in conv.documents])
        made = context.cache.records("convert.doc")
        for path in [p for p in plan.writes if p not in plan.edited]:
            rec = made.get(store.key(path))
            if rec is not None and rec.key == digest(sha256(plan.writes[path]), linking):
                del plan.writes[path]
                plan.unchanged.append(path)
    if plan.edited and keep_edited and not force:
        for path in plan.edited:
            print(f"edition: {path}: warning: edited by hand; kept as it is (re-convert it with "
                  "`edition convert --force`)", file=sys.stderr)
            del plan.writes[path]
        plan.edited = []
    if plan.edited and not force:
        for path in plan.edited:
            print(f"edition: {path}: error: edited by hand since the last conversion; not overwritten",
                  file=sys.stderr)
            if diff:
                print(store.diff(path, plan.writes[path]), file=sys.stderr)
        print(f"edition: {len(plan.edited)} hand-edited file(s) left untouched; nothing was written "
              "(see the difference with --diff, overwrite with --force)", file=sys.stderr)
        return 1
    kept = store.apply(plan, force=force, transaction=transaction)
    if context is not None:
        shas = {p: sha256(b) for p, b in outputs.items()}
        context.cache.drop("convert.doc")
        context.cache.put_many("convert.doc", ((store.key(p), digest(sha, linking), {}, "")
                                               for p, sha in shas.items()))
        context.converted = {store.key(p): (shas[p], printed[p]) for p in shas if p in printed}
    for path in kept:
        print(f"edition: {path}: warning: no longer produced by the converter but edited by hand; kept",
              file=sys.stderr)
    report_dir = edition.root / "out" / "reports"
    # in a build, the web stage renders the page (with the name links): rendered here too
    # it would be made twice; the build renders it itself if the web stage does not run
    boilerplate = write_review(conv, report_dir, page=context is None)
    if context is not None:
        context.review_owed = boilerplate
    if not quiet:
        for s in selected:
            layout = conv.segmentations[s.id].layout
            if layout is not None and layout.chosen:
                print(f"source {s.id}: layout auto: {layout.chosen} (refine it with `edition inspect {s.id}`)")
        away = conv.witnesses.merged_away if conv.witnesses else {}
        n = sum(1 for d in conv.documents if d.source in selected and d.id not in away)
        print(f"converted {n} documents from {len(selected)} source(s): {len(plan.writes)} written, "
              f"{len(plan.unchanged)} unchanged; {len(conv.flags)} items to review in "
              f"{(report_dir / 'review.html').relative_to(edition.root)}")
    return 1 if failed else 0


__all__ = ["convert_all", "run_convert", "write_atomic"]
