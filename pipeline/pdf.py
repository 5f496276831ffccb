"""The PDF stage: the print edition.

TEI → Typst markup (xslt/typst/volume.xsl, with the shared library xslt/lib/edition.xsl)
→ one Typst source with the front matter from edition.yaml and the page design of
pipeline/print/edition.typ → PDF/A-2b, compiled in-process by the `typst` package with
its embedded fonts only (Libertinus Serif), so that the same TEI gives the same bytes
on every machine.

`edition pdf` writes out/pdf/edition.pdf (and the Typst source beside it, for
inspection), or one volume per collection with --by-collection. A typesetting failure
is reported as one EditionError naming the document and the TEI element, found from
the "// @ <doc-id> <path>" comments that the stylesheet writes before every block.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import jinja2
import typst
from lxml import etree

from .config import Edition, load_config
from .errors import EditionError
from .transform import XSLT_ROOT, Transformer
from .write import write_atomic

PRINT_DIR = Path(__file__).resolve().parent / "print"
VOLUME_XSL = XSLT_ROOT / "typst" / "volume.xsl"
LIBRARY = PRINT_DIR / "edition.typ"
TEMPLATE = "volume.typ.j2"
BREAKS = ("space", "page")
PDF_STANDARD: Final = "a-2b"

_ORIGIN_LINE = re.compile(rb'type="origin"[^>]*?target="[^"#]*#line=(\d+)')
_SPAN = re.compile(r"┌─ [^\n]*?:(\d+):(\d+)")
_WHERE = re.compile(r"^// @ (\S+)(?: (.*))?$")


# ===== Typst literals from Python data (the front matter) =====

def typst_string(value: str) -> str:
    """A Typst string literal: the value is shown as text, never read as markup.
    Only the backslash and the quote need escaping. Control characters other than a
    line break (kept for paragraphs) print as a space, as in xslt/typst/escape.xsl:
    no font has a glyph for them."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def typst_value(value: Any) -> str:
    """Python data (None, bool, int, str, lists, dicts with string keys) as a Typst literal."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return typst_string(value)
    if isinstance(value, (list, tuple)):
        # the trailing comma keeps a one-element array an array
        return "(" + "".join(typst_value(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        if not value:
            return "(:)"
        return "(" + ", ".join(f"{typst_string(str(k))}: {typst_value(v)}" for k, v in value.items()) + ")"
    raise TypeError(f"no Typst literal for {type(value).__name__}")


# ===== what goes into a volume =====

@dataclass
class Volume:
    """One PDF: the whole edition, or one collection."""

    name: str                      # file name without .pdf
    documents: list[Path]
    title: str | None = None       # the collection's title for a single-collection volume


def _origin_line(path: Path) -> int:
    match = _ORIGIN_LINE.search(path.read_bytes())
    return int(match.group(1)) if match else 1 << 30


def find_documents(edition: Edition, tei_root: Path, source_ids: list[str] | None = None) -> list[Path]:
    """The document files in print order: collections in the order of edition.yaml,
    documents in the order of their source lines (the order of the printed collection)."""
    docs: list[Path] = []
    for source in edition.sources:
        if source_ids is not None and source.id not in source_ids:
            continue
        files = [p for p in (tei_root / source.id).glob("*.xml") if p.is_file()]
        docs.extend(sorted(files, key=lambda p: (_origin_line(p), p.name)))
    return docs


def volumes(edition: Edition, tei_root: Path, by_collection: bool) -> list[Volume]:
    if not by_collection:
        return [Volume("edition", find_documents(edition, tei_root))]
    return [Volume(s.id, find_documents(edition, tei_root, [s.id]), s.collection.title)
            for s in edition.sources]


def front_matter(edition: Edition) -> dict[str, Any]:
    """The front matter's data from edition.yaml, for the page template."""
    year_text = edition.year or ""
    year_match = re.search(r"\d{4}", year_text)
    collections = []
    for s in edition.sources:
        c = s.collection
        collections.append({
            "id": s.id, "title": c.title, "subtitle": c.subtitle, "editors": list(c.editors),
            "compilers": list(c.compilers), "year": c.year, "publisher": c.publisher, "place": c.place,
            "based-on": c.based_on, "site": s.site, "url": s.url, "notes": s.notes,
            "licence": s.licence.name if s.licence else None, "file": s.relpath,
        })
    return {
        "id": edition.id,
        "title": edition.title,
        "short-title": edition.title,
        "subtitle": edition.subtitle,
        "editors": list(edition.editors),
        "publisher": edition.publisher,
        "year": int(year_match.group(0)) if year_match else 2000,
        "year-text": year_text,
        "licence": {"name": edition.licence.name, "url": edition.licence.url},
        "introduction": edition.introduction,
        "principles": edition.principles,
        "how-to-cite": edition.how_to_cite,
        "collections": collections,
    }


# ===== the Typst source and its map back to the TEI =====

@dataclass
class TypstSource:
    text: str
    paths: dict[str, Path]                       # document id → TEI file
    root: Path = Path(".")                       # the project: paths in messages are relative to it
    library_start: int = 0                       # first line of edition.typ in text
    library_end: int = 0
    body_start: int = 0
    marks: list[tuple[int, str, str]] = field(default_factory=list)  # (line, doc id, TEI path)

    def locate(self, line: int) -> str:
        """Where a line of the Typst source comes from, in words."""
        if self.library_start <= line < self.library_end:
            return f"the page design {_rel(LIBRARY, _PACKAGE_ROOT)}, line {line - self.library_start + 1}"
        if line < self.body_start:
            return f"the front matter (edition.yaml, {_rel(VOLUME_XSL, _PACKAGE_ROOT)}), Typst line {line}"
        best: tuple[int, str, str] | None = None
        for mark in self.marks:
            if mark[0] > line:
                break
            best = mark
        if best is None:
            return f"Typst line {line}"
        _, doc_id, where = best
        path = self.paths.get(doc_id)
        name = _rel(path, self.root) if path else doc_id
        return f"{name} (document {doc_id}" + (f", {where})" if where else ")")


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _line_of(text: str, marker: str) -> int:
    index = text.find(marker)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def render_source(edition: Edition, volume: Volume, transformer: Transformer, *, tei_root: Path,
                  document_break: str = "space", draft: bool = False,
                  body_filter: Callable[[str], str] | None = None) -> TypstSource:
    """TEI → the complete Typst source of one volume. `body_filter` (tests) may change
    the stylesheet's output before assembly."""
    if not volume.documents:
        raise EditionError("no TEI documents to print", path=str(tei_root),
                           hint="run `edition convert` first")
    sheet = transformer.stylesheet(VOLUME_XSL)
    registers = tei_root / "registers.xml"
    for path in [tei_root / "edition.xml", *volume.documents, *([registers] if registers.exists() else [])]:
        _check_well_formed(path, edition.root)
    params = {
        "documents": "\n".join(p.resolve().as_uri() for p in volume.documents),
        "registers": registers.resolve().as_uri() if registers.exists() else "",
    }
    try:
        with _native_stderr_silenced():
            generated = sheet.apply(tei_root / "edition.xml", params=params)
    except EditionError as exc:
        # Name the document by its path in the project, not by a file URI.
        text = _unuri(exc.message, edition.root)
        doc = re.search(r"\bin (\S+?\.xml): (.*)", text)
        if doc:
            raise EditionError(f"cannot be printed: {doc.group(2)}", path=doc.group(1)) from None
        raise EditionError(text, path=_rel(VOLUME_XSL, _PACKAGE_ROOT)) from None
    data, sep, body = generated.partition("// ==== body ====")
    if not sep:
        raise EditionError("the print stylesheet wrote no body", path=str(VOLUME_XSL))
    if body_filter is not None:
        body = body_filter(body)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PRINT_DIR)), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    settings = {"document-break": document_break, "draft": draft, "volume": volume.title}
    text = env.get_template(TEMPLATE).render(
        meta=typst_value(front_matter(edition)), settings=typst_value(settings),
        data=data.strip(), library=LIBRARY.read_text(encoding="utf-8"), body=body.strip())
    source = TypstSource(text=text, paths={_doc_id(p): p for p in volume.documents}, root=edition.root)
    source.library_start = _line_of(text, "// ==== library ====") + 1
    source.library_end = _line_of(text, "// ==== front ====")
    source.body_start = source.library_end
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= source.body_start and line.startswith("// @ "):
            match = _WHERE.match(line)
            if match:
                source.marks.append((number, match.group(1), match.group(2) or ""))
    return source


def _check_well_formed(path: Path, root: Path) -> None:
    """A TEI file that is not XML is named with its line here, before Saxon reads it."""
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise EditionError(f"not well-formed XML: {exc.msg}", path=_rel(path, root), line=exc.lineno) from None
    except OSError as exc:
        raise EditionError(f"cannot be read: {exc}", path=_rel(path, root)) from None


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Saxon (native code) prints its own report of an XSLT error to file descriptor 2
    before raising; the error reaches the user as one EditionError instead."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _doc_id(path: Path) -> str:
    return path.stem


def _unuri(message: str, root: Path) -> str:
    return message.replace(root.resolve().as_uri() + "/", "")


# ===== compiling =====

def _spans(diagnostic: str) -> list[int]:
    return [int(m.group(1)) for m in _SPAN.finditer(diagnostic)]


def typeset(source: TypstSource) -> tuple[bytes, list[str]]:
    """Compiles the source to PDF/A-2b. Returns the PDF and Typst's warnings, each
    mapped to its document; a failure becomes one EditionError naming the document
    and the place."""
    compiler = typst.Compiler(ignore_system_fonts=True, font_paths=[])
    try:
        pdf, warnings = compiler.compile_with_warnings(
            source.text.encode("utf-8"), format="pdf", pdf_standards=[PDF_STANDARD], pdf_tags=True)
    except typst.TypstError as exc:
        raise _mapped_error(source, exc) from None
    if not isinstance(pdf, bytes):
        raise EditionError("Typst produced no PDF")
    notes = []
    for w in warnings:
        lines = _spans(getattr(w, "diagnostic", "") or "")
        where = _best_place(source, lines)
        notes.append(f"{where}: typesetting warning: {w.message}")
    return pdf, notes


def _best_place(source: TypstSource, lines: list[int]) -> str:
    # The error may be raised inside a function of the page design; the trace then
    # leads back to the call in a document, which is what the editor can act on.
    in_body = [n for n in lines if n >= source.body_start]
    if in_body:
        return source.locate(in_body[-1])
    if lines:
        return source.locate(lines[0])
    return "the print volume"


def _mapped_error(source: TypstSource, exc: typst.TypstError) -> EditionError:
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    first_error = diagnostic.split("\n\nerror:")[0] if diagnostic.startswith("error:") else diagnostic
    error_block = diagnostic[diagnostic.find("error:"):] if "error:" in diagnostic else diagnostic
    lines = _spans(error_block.split("\n\nerror:")[0]) or _spans(first_error)
    where = _best_place(source, lines)
    count = error_block.count("\nerror:") + 1 if error_block.startswith("error:") else 1
    more = f" (and {count - 1} more)" if count > 1 else ""
    message = str(getattr(exc, "message", "") or exc).strip().splitlines()[0]
    hints = [h for h in (getattr(exc, "hints", None) or []) if h]
    return EditionError(f"typesetting failed in {where}: {message}{more}",
                        hint=hints[0] if hints else "the Typst source is written beside the PDF for inspection")


# ===== the stage =====

def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@dataclass
class Result:
    pdf_path: Path
    pages: int
    seconds_xslt: float
    seconds_typst: float
    warnings: list[str]


def make_pdfs(config: Path, *, document_break: str = "space", draft: bool = False, by_collection: bool = False,
              out_dir: Path | None = None, tei_root: Path | None = None) -> list[Result]:
    edition = load_config(config)
    root = edition.root
    tei = tei_root or root / "tei"
    if not (tei / "edition.xml").exists():
        raise EditionError("the edition file tei/edition.xml does not exist", path=str(tei),
                           hint="run `edition convert` first")
    out = out_dir or root / "out" / "pdf"
    transformer = Transformer()
    results = []
    for volume in volumes(edition, tei, by_collection):
        t0 = time.perf_counter()
        source = render_source(edition, volume, transformer, tei_root=tei,
                               document_break=document_break, draft=draft)
        t1 = time.perf_counter()
        typ_path = out / f"{volume.name}.typ"
        # The source is written first, so that a failure can be inspected in it.
        write_atomic(typ_path, source.text.encode("utf-8"))
        pdf, warnings = typeset(source)
        t2 = time.perf_counter()
        pdf_path = out / f"{volume.name}.pdf"
        write_atomic(pdf_path, pdf)
        pages = page_count(pdf)
        results.append(Result(pdf_path, pages, t1 - t0, t2 - t1, warnings))
    return results


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("pdf", help="typeset the print edition: out/pdf/edition.pdf (PDF/A-2b)")
    p.add_argument("--document-break", choices=BREAKS, default="space",
                   help="begin each document on a new page ('page') or after a break ('space', default)")
    p.add_argument("--by-collection", action="store_true",
                   help="one volume per collection (out/pdf/<source-id>.pdf) instead of one edition volume")
    p.add_argument("--draft", action="store_true", help="mark the converter's guesses and print DRAFT in the heads")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results = make_pdfs(Path(args.config), document_break=getattr(args, "document_break", "space"),
                        draft=bool(getattr(args, "draft", False)),
                        by_collection=bool(getattr(args, "by_collection", False)))
    for r in results:
        for w in r.warnings:
            print(f"edition: {w}", file=sys.stderr)
        if not args.quiet:
            print(f"pdf: {_rel(r.pdf_path, Path.cwd())}: {r.pages} pages "
                  f"(XSLT {r.seconds_xslt:.2f} s, Typst {r.seconds_typst:.2f} s)")
    return 0


def build(args: argparse.Namespace) -> int:
    """The PDF's part of `edition build`: the edition volume, new documents after a break."""
    return run(argparse.Namespace(config=args.config, quiet=args.quiet, draft=getattr(args, "draft", False),
                                  document_break="space", by_collection=False))
