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
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Final

import jinja2
import typst

from .. import xmlparse
from ..config import Edition, load_config
from ..credits import and_list, credit_lines, person_name, source_credit_text, source_credits
from ..errors import EditionError, refuse_edition_options, report_left_out
from ..registers import abbreviations
from ..transform import XSLT_ROOT, Stylesheet, Transformer, TransformStopped, saxon_limits
from ..typst_run import LimitExceeded, Limits, compile_limited
from ..write import write_atomic
from .arrange import arrange, roman, split

if TYPE_CHECKING:
    from ..build.runner import BuildContext

PRINT_DIR = Path(__file__).resolve().parent.parent / "print"
VOLUME_XSL = XSLT_ROOT / "typst" / "volume.xsl"
LIBRARY = PRINT_DIR / "edition.typ"
TEMPLATE = "volume.typ.j2"
INDEX_TEMPLATE = "index.typ.j2"
BREAKS = ("space", "page")
PDF_STANDARD: Final = "a-2b"

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
    """One PDF: the whole edition, one of its volumes, or one collection."""

    name: str                      # file name without .pdf
    documents: list[Path]
    title: str | None = None       # "Volume II: Nos. 199–396, 1921–1922", or a collection's title
    numbers: dict[str, str] = field(default_factory=dict)   # document id → number in the edition
    parts: dict[str, str] = field(default_factory=dict)     # document id → part (year or source)
    printings: dict[str, list[str]] = field(default_factory=dict)  # id → other printings
    shared_index: bool = False     # the index is a volume of its own (several volumes)
    arrangement: str = "chronological"


def find_documents(edition: Edition, tei_root: Path, source_ids: list[str] | None = None) -> list[Path]:
    """The document files in print order (edition.yaml's arrangement, each document once)."""
    return [d.path for d in arrange(edition, tei_root, source_ids=source_ids).docs]


def volumes(edition: Edition, tei_root: Path, by_collection: bool = False,
            volume_size: int | None = None) -> list[Volume]:
    """The volumes of the print edition: split by `print: volume_size` (or
    `volume_size`), or one per collection. Each can be typeset on its own."""
    if by_collection:
        out = []
        for s in edition.sources:
            a = arrange(edition, tei_root, arrangement="collection", source_ids=[s.id])
            out.append(Volume(s.id, [d.path for d in a.docs], s.collection.title,
                              a.numbers, a.parts, a.other_printings, arrangement="collection"))
        return out
    a = arrange(edition, tei_root)
    size = edition.print.volume_size if volume_size is None else volume_size
    plans = split(a, size)
    return [Volume(plan.name, [d.path for d in plan.docs], plan.title, a.numbers,
                   {d.id: a.parts[d.id] for d in plan.docs}, a.other_printings, shared_index=len(plans) > 1,
                   arrangement=edition.print.arrangement)
            for plan in plans]


FRONT_FILES = {"preface": "preface.md", "principles": "principles.md", "sources": "sources.md"}


def front_text(edition: Edition, key: str) -> str | None:
    """A text of the front matter that the editors write in front/<name>.md (markdown
    paragraphs; emphasis marks are dropped), or None."""
    path = edition.root / "front" / FRONT_FILES[key]
    if not os.path.lexists(path):
        return None
    raw = _front_file(path, edition.root)
    paras = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if lines:
            paras.append(re.sub(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)", "", " ".join(lines)))
    return "\n\n".join(paras) or None


def _front_file(path: Path, root: Path) -> str:
    """The text of a front-matter file, which a stranger's pull request may make anything:
    a link leading out of the project (front/preface.md -> /etc/passwd would be printed), a
    folder, a pipe or a device, bytes that are not UTF-8 or characters XML cannot carry are
    each refused in one line naming the file."""
    from ..guard import kind_of
    from ..sources import xml_characters

    shown = path.relative_to(root).as_posix()
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise EditionError(f"{kind_of(path)}: nothing is read from it", path=shown,
                           hint="replace it by the markdown file itself, or remove it") from None
    if root.resolve() not in target.parents:
        raise EditionError(f"a symbolic link to {target}, outside the project: nothing is read through it",
                           path=shown, hint="replace the link by the markdown file itself")
    if not target.is_file():
        kind = kind_of(target)
        raise EditionError(f"{kind}, where a markdown file of the front matter belongs: nothing is read from it",
                           path=shown, hint="make it a plain text file (UTF-8), or remove it")
    from ..guard import read_plain

    try:
        raw = read_plain(target).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(f"not UTF-8 text (byte {exc.start} cannot be decoded)", path=shown,
                           hint="save it as UTF-8") from None
    except OSError as exc:
        raise EditionError(f"cannot be read: {exc.strerror or exc}", path=shown) from None
    return xml_characters(raw, Path(shown), "the file")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(iso: str) -> str:
    """"2026-12-03" → "3 December 2026" (a year or year-month as far as given)."""
    parts = [int(x) for x in re.findall(r"\d+", iso)[:3]]
    if len(parts) == 3 and 1 <= parts[1] <= 12:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2 and 1 <= parts[1] <= 12:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return iso


def typographic_quotes(text: str) -> str:
    """Straight quotes and the prime as typographic quotes and apostrophes, as the
    stylesheets set the TEI's text (tp:quotes in xslt/typst/escape.xsl): for the front
    matter the editors write ("People's" → "People’s")."""
    if not re.search("[\"'ʹ]", text):
        return text
    text = re.sub(r'([.,;:!?…]) "(\s|$)', r'\1"\2', text.replace("ʹ", "'"))  # a stop, then its closing quote
    text = re.sub(r'(^|[\s(\[—–‘/])"(\S)', "\\1“\\2", text).replace('"', "”")
    text = re.sub(r"^'(s)(\W|$)", "’\\1\\2", text)
    text = re.sub(r"(^|[\s(\[—–“/])'([^\W_])", "\\1‘\\2", text)
    return text.replace("'", "’")


def _prose(text: str | None) -> str | None:
    return typographic_quotes(text) if text else text


def house_dashes(text: str | None) -> str | None:
    """A title as the print sets it (house style; the data keep the source's form): a
    range of numbers with an en dash, "1912–1927", and a spaced hyphen as a spaced en
    dash, "Archives – 1919 to 1941"."""
    if text is None:
        return None
    return re.sub(r"(?<=\d)-(?=\d)", "–", re.sub(r"(?<=\S) - (?=\S)", " – ", text))


def front_matter(edition: Edition) -> dict[str, Any]:
    """The front matter's data from edition.yaml and front/*.md, for the page template."""
    year_text = edition.year or ""
    year_match = re.search(r"\d{4}", year_text)
    collections = []
    for s in edition.sources:
        c = s.collection
        collections.append({
            "id": s.id, "title": house_dashes(c.title), "subtitle": house_dashes(c.subtitle),
            "editors": [person_name(n) for n in c.editors], "compilers": [person_name(n) for n in c.compilers],
            "year": c.year, "publisher": c.publisher, "place": c.place,
            "based-on": c.based_on, "site": s.site, "url": s.url, "notes": s.notes,
            "licence": s.licence.name if s.licence else None, "file": s.relpath,
        })
    # "Edited by" only for the persons who edited this edition: not the publisher, never a
    # placeholder; with none named, the title page names none (the review report says so)
    real_editors = [person_name(n) for n in edition.named_editors]
    imprint = f"{edition.publisher}, {year_text}" if year_text else edition.publisher
    editors = f", ed. {and_list(real_editors)}" if real_editors else ""
    # the release, as the web edition's citations give it: "version 1.0 (3 December 2026)"
    release = f"version {edition.version}" if edition.version else ""
    if release and edition.date:
        release += f" ({date_text(edition.date)})"
    citation = f"{edition.title}{editors} ({imprint}){', ' + release if release else ''}, No.\u00a012."
    return {
        "id": edition.id,
        "title": edition.title,
        "real-editors": real_editors,
        "credits": credit_lines(edition),
        "source-credits": [{"role": role, "names": groups} for role, groups in source_credits(edition)],
        "source-credit": source_credit_text(edition),
        "citation": citation,
        "release": release[:1].upper() + release[1:] if release else None,
        "short-title": edition.title,
        "subtitle": edition.subtitle,
        "editors": real_editors or [edition.publisher],  # the PDF's author
        "publisher": edition.publisher,
        "year": int(year_match.group(0)) if year_match else 2000,
        "year-text": year_text,
        "licence": {"name": edition.licence.name, "url": edition.licence.url},
        "introduction": _prose(front_text(edition, "preface") or edition.introduction),
        "principles": _prose(front_text(edition, "principles") or edition.principles),
        "note-on-sources": _prose(front_text(edition, "sources")),
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


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


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
        "numbers": "\n".join(f"{k} {v}" for k, v in volume.numbers.items()),
        "parts": "\n".join(f"{k} {v}" for k, v in volume.parts.items()),
        "printings": "\n".join(f"{k}\t{p}" for k, ps in volume.printings.items() for p in ps),
    }
    try:
        with _native_stderr_silenced():
            generated = sheet.apply(tei_root / "edition.xml", params=params)
    except TransformStopped:
        raise  # past the limits: halving the volume to find a culprit would take as long again, and again
    except EditionError as exc:
        # Name the document by its path in the project, not by a file URI.
        text = _unuri(exc.message, edition.root)
        doc = re.search(r"\bin (\S+?\.xml): (.*)", text)
        if doc:
            raise EditionError(f"cannot be printed: {doc.group(2)}", path=doc.group(1)) from None
        culprit = _failing_document(sheet, tei_root / "edition.xml", params, volume.documents)
        if culprit is not None:
            raise EditionError(f"cannot be printed: {_unuri(culprit[1], edition.root)}",
                               path=_rel(culprit[0], edition.root),
                               hint="check it with `edition validate`; the print follows docs/encoding.md") from None
        raise EditionError(text, path=_rel(VOLUME_XSL, _PACKAGE_ROOT)) from None
    data, sep, body = generated.partition("// ==== body ====")
    if not sep:
        raise EditionError("the print stylesheet wrote no body", path=str(VOLUME_XSL))
    if body_filter is not None:
        body = body_filter(body)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PRINT_DIR)), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    settings = {"document-break": document_break, "draft": draft, "volume": volume.title,
                "provenance": edition.print.provenance, "shared-index": volume.shared_index,
                "arrangement": volume.arrangement}
    # the abbreviations the volume's texts use, expanded by the registers (never invented)
    listed = abbreviations.print_list(volume.documents, abbreviations.load(registers))
    # (quotes and apostrophes as the texts': the display regularisation, docs/pdf.md)
    listed_typst = "(\n" + "".join(
        f"  (abbr: {typst_string(a['abbr'])}, expansion: {typst_string(typographic_quotes(a['expansion']))}),\n"
        for a in listed) + ")"
    text = env.get_template(TEMPLATE).render(
        meta=typst_value(front_matter(edition)), settings=typst_value(settings), data=data.strip(),
        abbreviations=listed_typst, library=LIBRARY.read_text(encoding="utf-8"), body=body.strip())
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


def _failing_document(sheet: Stylesheet, edition_xml: Path, params: dict[str, str],
                      documents: Sequence[Path]) -> tuple[Path, str] | None:
    """After the volume's stylesheet failed: the document it fails on, found by halving
    the volume (a few transforms, only on this path), and its message; None when no
    document fails alone."""

    def error(part: Sequence[Path]) -> str | None:
        try:
            with _native_stderr_silenced():
                sheet.apply(edition_xml, params={**params, "documents": "\n".join(p.resolve().as_uri() for p in part)})
        except EditionError as exc:
            return exc.message
        return None

    part, message = list(documents), None
    while len(part) > 1:
        first, second = part[: len(part) // 2], part[len(part) // 2:]
        for half in (first, second):
            message = error(half)
            if message is not None:
                part = half
                break
        else:
            return None
    if message is None:
        message = error(part) if part else None
    return (part[0], message) if part and message is not None else None


def _check_well_formed(path: Path, root: Path) -> None:
    """A TEI file that is not XML is named with its line here, before Saxon reads it."""
    try:
        xmlparse.check_file(path)
    except EditionError as exc:
        exc.path = _rel(path, root)
        raise


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


# An import or include of a Typst package ("@preview/…"): Typst would download it. The
# sources the stylesheets write import none, and escape every "#" of the text, so one
# there is an injection; it is refused before Typst sees it.
_PACKAGE = re.compile(r'(?<!\\)#\s*(?:import|include)\s*"@')


def refuse_packages(text: str) -> None:
    match = _PACKAGE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise EditionError(f"the Typst source asks for a package at its line {line}; packages are never "
                           "downloaded", hint="a text that reaches the print unescaped: please report it")


class TypesetStopped(EditionError):
    """Typst went past its time or memory limit and was stopped."""


TYPST_LIMITS = Limits()  # time and memory of one compilation (edition.yaml limits: typst_seconds, typst_megabytes)


def typeset(source: TypstSource, compiler: typst.Compiler | None = None, *, typ_path: Path | None = None,
            query: str | None = None, limits: Limits | None = None) -> tuple[bytes, list[str]]:
    """Compiles the source to PDF/A-2b. Returns the PDF and Typst's warnings, each
    mapped to its document; a failure becomes one EditionError naming the document
    and the place. Typst runs in a child process within `limits` (pipeline/typst_run.py):
    with `typ_path` it compiles that file (its root is the build folder); otherwise its
    root is an empty folder of its own: the source needs no file, and no text in it can
    reach a file of the project or of the machine. A `compiler` (tests) compiles here."""
    refuse_packages(source.text)
    if compiler is not None:
        try:
            pdf, warnings = compiler.compile_with_warnings(format="pdf", pdf_standards=[PDF_STANDARD], pdf_tags=True)
        except typst.TypstError as exc:
            raise _mapped_error(source, exc) from None
        if not isinstance(pdf, bytes):
            raise EditionError("Typst produced no PDF")
        found = [{"message": str(w.message), "diagnostic": str(getattr(w, "diagnostic", "") or "")} for w in warnings]
        return pdf, _warnings(source, found)
    pdf_bytes, found, _ = _run_typst(source, typ_path=typ_path, query=query, limits=limits)
    return pdf_bytes, _warnings(source, found)


def _run_typst(source: TypstSource, *, typ_path: Path | None, query: str | None,
               limits: Limits | None) -> tuple[bytes, list[dict[str, Any]], Any]:
    limits = limits or TYPST_LIMITS
    # absolute: the child runs in the root folder (a relative edition.yaml gives a relative path)
    typ_path = typ_path.resolve() if typ_path is not None else None
    with tempfile.TemporaryDirectory(prefix="edition-typst-") as build:  # empty: root (alone) and packages
        job: dict[str, Any] = {"root": str(typ_path.parent) if typ_path else build, "packages": build,
                               "pdf_standards": [PDF_STANDARD], "pdf_tags": True, "query": query}
        if typ_path is not None:
            job["input"] = str(typ_path)
        else:
            job["source"] = source.text
        try:
            outcome = compile_limited(job, limits)
        except LimitExceeded as exc:
            raise TypesetStopped(f"{exc}; nothing was written", path=_rel(typ_path, source.root) if typ_path else None,
                               hint="a document of this size cannot be typeset; split it, or raise 'limits: "
                                    "typst_seconds' / 'typst_megabytes' in edition.yaml") from None
    if outcome.error is not None:
        error = outcome.error
        raise _mapped_error(source, SimpleNamespace(message=error["message"], diagnostic=error["diagnostic"],
                                                    hints=error["hints"])) from None
    if not isinstance(outcome.pdf, bytes):
        raise EditionError("Typst produced no PDF")
    return outcome.pdf, outcome.warnings, outcome.query


def _warnings(source: TypstSource, warnings: list[dict[str, Any]]) -> list[str]:
    notes = []
    for w in warnings:
        where = _best_place(source, _spans(w.get("diagnostic") or ""))
        notes.append(f"{where}: typesetting warning: {w['message']}")
    return notes


def typeset_and_query(source: TypstSource, typ_path: Path, selector: str,
                      limits: Limits | None = None) -> tuple[bytes, list[str], Any]:
    """typeset(), compiling the source written at typ_path, and then the value of the
    metadata labelled `selector` as the layout left it (Typst's query reuses the
    compilation, in the same child process)."""
    pdf, found, value = _run_typst(source, typ_path=typ_path, query=selector, limits=limits)
    return pdf, _warnings(source, found), value


def _best_place(source: TypstSource, lines: list[int]) -> str:
    # The error may be raised inside a function of the page design; the trace then
    # leads back to the call in a document, which is what the editor can act on.
    in_body = [n for n in lines if n >= source.body_start]
    if in_body:
        return source.locate(in_body[-1])
    if lines:
        return source.locate(lines[0])
    return "the print volume"


_SHOWN = re.compile(r'the text `"((?:[^"\\]|\\.)*)"`')


def _lines_showing(source: TypstSource, message: str) -> list[int]:
    """The line of the body that holds the text an error quotes (a character no font has
    is reported where the page design shows it, not where the document has it)."""
    match = _SHOWN.search(message)
    if not match:
        return []
    text = re.sub(r"\\u\{([0-9a-fA-F]{1,6})\}", lambda m: chr(min(int(m.group(1), 16), 0x10FFFF)), match.group(1))
    text = re.sub(r"\\(.)", r"\1", text)
    start = _offset_of_line(source.text, source.body_start)
    index = source.text.find(text, start) if text else -1
    return [source.text.count("\n", 0, index) + 1] if index >= 0 else []


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _mapped_error(source: TypstSource, exc: typst.TypstError | SimpleNamespace) -> EditionError:
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    first_error = diagnostic.split("\n\nerror:")[0] if diagnostic.startswith("error:") else diagnostic
    error_block = diagnostic[diagnostic.find("error:"):] if "error:" in diagnostic else diagnostic
    lines = _spans(error_block.split("\n\nerror:")[0]) or _spans(first_error)
    if not any(n >= source.body_start for n in lines):
        lines += _lines_showing(source, str(getattr(exc, "message", "") or exc))
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


@dataclass
class VolumeResult:
    """A typeset volume and, where the index is shared, what the index needs of it."""

    result: Result
    name: str
    title: str | None
    entries: list[dict[str, str]] = field(default_factory=list)   # (key, kind, name) of its index entries
    # index key → its pages in this volume by subentry ("from", "to", a year: the print's index-data)
    pages: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    concordance: list[dict[str, Any]] = field(default_factory=list)  # its archival citations, with pages


def make_volume(edition: Edition, volume: Volume, *, tei_root: Path, out_dir: Path,
                document_break: str = "space", draft: bool = False,
                transformer: Transformer | None = None) -> VolumeResult:
    """Typesets one volume to out_dir/<name>.pdf (and its Typst source beside it). Every
    volume can be made on its own (in parallel, or cached by a later build): what it
    shares with the others (the numbers, the parts, the index) comes with `volume`."""
    t0 = time.perf_counter()
    source = render_source(edition, volume, transformer or Transformer(saxon_limits(edition.limits)), tei_root=tei_root,
                           document_break=document_break, draft=draft)
    t1 = time.perf_counter()
    typ_path = out_dir / f"{volume.name}.typ"
    # The source is written first, so that a failure can be inspected in it.
    write_atomic(typ_path, source.text.encode("utf-8"), root=out_dir)
    data: Any = None
    limits = Limits(seconds=edition.limits.typst_seconds, megabytes=edition.limits.typst_megabytes)
    if volume.shared_index:
        pdf, warnings, data = typeset_and_query(source, typ_path, "<volume-data>", limits=limits)
    else:
        pdf, warnings = typeset(source, limits=limits)
    t2 = time.perf_counter()
    pdf_path = out_dir / f"{volume.name}.pdf"
    write_atomic(pdf_path, pdf, root=out_dir)
    result = Result(pdf_path, page_count(pdf), t1 - t0, t2 - t1, warnings)
    out = VolumeResult(result, volume.name, volume.title)
    if isinstance(data, dict):
        out.entries = [dict(e) for e in data.get("entries", [])]
        out.pages = {k: {sub: [int(p) for p in ps] for sub, ps in groups.items()}
                     for k, groups in data.get("pages", {}).items()}
        out.concordance = [dict(c) for c in data.get("concordance", [])]
    return out


def _volume_job(config: Path, volume: Volume, tei_root: Path, out_dir: Path,
                document_break: str, draft: bool) -> VolumeResult:
    """One volume in a worker process."""
    return make_volume(load_config(config), volume, tei_root=tei_root, out_dir=out_dir,
                       document_break=document_break, draft=draft)


def default_jobs() -> int:
    """Volumes typeset at once: one per core, at most four (each needs some 700 MB)."""
    return max(1, min(os.cpu_count() or 1, 4))


def make_pdfs(config: Path, *, document_break: str = "space", draft: bool = False, by_collection: bool = False,
              out_dir: Path | None = None, tei_root: Path | None = None, jobs: int | None = None,
              volume_size: int | None = None, context: BuildContext | None = None,
              left_out: list[EditionError] | None = None) -> list[Result]:
    """The print edition: one PDF, or (edition.yaml `print: volume_size`) several
    volumes typeset in parallel and a volume with their shared index. With `left_out`, a
    volume whose transform or typesetting goes past the limits (edition.yaml `limits:`) is
    left out with an error there (its old PDF removed, the shared index not made) and the
    others are made; without, it stops the stage."""
    edition = load_config(config)
    root = edition.root
    tei = tei_root or root / "tei"
    if not (tei / "edition.xml").exists():
        raise EditionError("the edition file tei/edition.xml does not exist", path=str(tei),
                           hint="run `edition convert` first")
    out = out_dir or root / "out" / "pdf"
    plans = volumes(edition, tei, by_collection, volume_size=volume_size)
    kept: dict[str, VolumeResult] = {}
    cache = _VolumeCache(context, edition, tei, out, document_break, draft) if context is not None else None
    if cache is not None:
        kept = cache.unchanged(plans)
    todo = [v for v in plans if v.name not in kept]
    if jobs is not None and jobs < 1:
        raise EditionError(f"--jobs must be at least 1, not {jobs}", exit_code=2)
    from ..build.executor import MAX_JOBS_PER_CORE

    workers = min(jobs or default_jobs(), len(todo), MAX_JOBS_PER_CORE * (os.cpu_count() or 1))
    made: list[VolumeResult] = []
    stopped: list[tuple[Volume, EditionError]] = []
    if workers <= 1:
        transformer = Transformer(saxon_limits(edition.limits))
        for v in todo:
            try:
                made.append(make_volume(edition, v, tei_root=tei, out_dir=out, document_break=document_break,
                                        draft=draft, transformer=transformer))
            except (TransformStopped, TypesetStopped) as exc:
                stopped.append((v, exc))
    else:
        # spawned, not forked: Saxon's native runtime does not survive a fork
        # one volume per process: Typst keeps its caches for the life of the process
        from ..build.executor import quiet_worker, terminate, worker_context

        with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(),
                                 max_tasks_per_child=1, initializer=quiet_worker) as pool:
            futures = [pool.submit(_volume_job, config, v, tei, out, document_break, draft) for v in todo]
            try:
                for v, future in zip(todo, futures, strict=True):
                    try:
                        made.append(future.result())
                    except (TransformStopped, TypesetStopped) as exc:
                        stopped.append((v, exc))
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the volumes under way are abandoned
                terminate(pool)
                raise
    if stopped and left_out is None:
        raise stopped[0][1]
    fresh = {d.name: d for d in made}
    names = {v.name for v, _ in stopped}
    done = [kept.get(v.name) or fresh[v.name] for v in plans if v.name not in names]
    if cache is not None:
        cache.record([v for v in plans if v.name not in names], done)
    results = [d.result for d in done]
    for v, error in stopped:
        (out / f"{v.name}.pdf").unlink(missing_ok=True)  # not the volume of these documents any more
        index = "; the shared index is not made either" if v.shared_index else ""
        assert left_out is not None
        shown = _rel(Path(error.path), edition.root) if error.path else None
        left_out.append(EditionError(f"the print volume {v.name} ({len(v.documents)} documents) is left out: "
                                     f"{error.message}{index}", path=shown, hint=error.hint))
    if any(v.shared_index for v in plans) and not stopped:
        results.append(make_shared_index(edition, done, out_dir=out, draft=draft))
    return results


class _VolumeCache:
    """In `edition build`: a volume whose documents, numbering, parts and settings are
    unchanged, and whose PDF is as it was written, is not typeset again."""

    def __init__(self, context: BuildContext, edition: Edition, tei: Path, out: Path, document_break: str,
                 draft: bool) -> None:
        from ..build.cache import digest, program_version

        self.context, self.out = context, out
        # and the front matter the editors write (front/*.md): a volume prints it
        shared = [tei / "edition.xml", tei / "registers.xml", edition.config_path,
                  *(edition.root / "front" / name for name in FRONT_FILES.values())]
        self.common = digest(program_version(), document_break, draft,
                             sorted((str(k), v or "") for k, v in context.cache.file_hashes(shared).items()))
        self.digest = digest
        self._shared: dict[int, str] = {}

    def key(self, v: Volume) -> str:
        # numbers and printings are the edition's, shared by every volume: digested once
        shared = self._shared.setdefault(id(v.numbers), self.digest(v.numbers, v.printings))
        hashes = self.context.cache.file_hashes(v.documents)
        return self.digest(self.common, shared, v.name, v.title, v.parts, v.shared_index,
                           [(str(p), hashes[p]) for p in v.documents])

    def unchanged(self, plans: list[Volume]) -> dict[str, VolumeResult]:
        made = self.context.cache.records("pdf.volume")
        kept: dict[str, VolumeResult] = {}
        for v in plans:
            rec = made.get(v.name)
            if rec is not None and rec.key == self.key(v) and self.context.cache.outputs_intact(rec):
                d = json.loads(rec.data)
                kept[v.name] = VolumeResult(Result(self.out / f"{v.name}.pdf", d["pages"], 0.0, 0.0, d["warnings"]),
                                            v.name, v.title, d["entries"], d["index_pages"],
                                            d.get("concordance", []))
        return kept

    def record(self, plans: list[Volume], done: list[VolumeResult]) -> None:
        rows = []
        for v, d in zip(plans, done, strict=True):
            outputs = self.context.cache.outputs_of([self.out / f"{v.name}.pdf", self.out / f"{v.name}.typ"])
            data = {"pages": d.result.pages, "warnings": d.result.warnings, "entries": d.entries,
                    "index_pages": d.pages, "concordance": d.concordance}
            rows.append((v.name, self.key(v), outputs, json.dumps(data, ensure_ascii=False)))
        self.context.cache.drop("pdf.volume")
        self.context.cache.put_many("pdf.volume", rows)
        # volumes of an earlier build that this one no longer has
        names = {v.name for v in plans} | {f"{plans[0].name.rsplit('-', 1)[0]}-index"} if plans else set()
        for old in [*self.out.glob("*.pdf"), *self.out.glob("*.typ")]:
            if old.stem not in names:
                old.unlink()


def make_shared_index(edition: Edition, done: list[VolumeResult], *, out_dir: Path, draft: bool = False) -> Result:
    """The index of a multi-volume edition, a volume of its own: every entry with the
    volume (roman) and the pages there, "II 45–46; IV 3"."""
    t0 = time.perf_counter()
    entries: dict[str, dict[str, str]] = {}
    # key → subentry ("from", "to", a year) → volume number → pages
    found: dict[str, dict[str, dict[int, set[int]]]] = {}
    for number, vol in enumerate(done, start=1):
        for e in vol.entries:
            entries.setdefault(e["key"], e)
        for key, groups in vol.pages.items():
            for sub, pages in groups.items():
                found.setdefault(key, {}).setdefault(sub, {}).setdefault(number, set()).update(pages)
    listed = sorted((e for k, e in entries.items() if k in found),
                    key=lambda e: (e.get("sort", "") or e["name"].casefold(), e["key"]))
    data = [{"key": e["key"], "kind": e["kind"], "name": e["name"], **_shared_refs(found[e["key"]])}
            for e in listed]
    volumes_list = [{"num": roman(i), "title": v.title or v.name} for i, v in enumerate(done, start=1)]
    # the concordance of every volume: print number, archival citation, web page, volume and page
    concordance = sorted(({"sort": str(c.get("sort", "")), "archive": str(c.get("archive", "")),
                           "cite": str(c.get("cite", "")), "id": str(c.get("id", "")), "num": str(c.get("num", "")),
                           "page": f"{roman(number)} {int(c.get('page') or 0)}" if c.get("page") else roman(number)}
                          for number, vol in enumerate(done, start=1) for c in vol.concordance),
                         key=lambda c: (c["sort"], _num_key(c["num"]), c["cite"]))
    registers = (edition.root / "tei" / "registers.xml").exists()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PRINT_DIR)), autoescape=False,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    settings = {"document-break": "space", "draft": draft, "volume": "Index", "provenance": False,
                "shared-index": True}
    text = env.get_template(INDEX_TEMPLATE).render(
        meta=typst_value(front_matter(edition)), settings=typst_value(settings),
        entries=typst_value(data), volumes=typst_value(volumes_list), concordance=typst_value(concordance),
        from_registers="true" if registers else "false", library=LIBRARY.read_text(encoding="utf-8"))
    name = f"{done[0].name.rsplit('-', 1)[0]}-index"
    write_atomic(out_dir / f"{name}.typ", text.encode("utf-8"), root=out_dir)
    limits = Limits(seconds=edition.limits.typst_seconds, megabytes=edition.limits.typst_megabytes)
    pdf, warnings = typeset(TypstSource(text=text, paths={}, root=edition.root), limits=limits)
    pdf_path = out_dir / f"{name}.pdf"
    write_atomic(pdf_path, pdf, root=out_dir)
    return Result(pdf_path, page_count(pdf), 0.0, time.perf_counter() - t0, warnings)


SUBENTRY_THRESHOLD = 15  # as subentry-threshold of the page design


def _shared_refs(groups: dict[str, dict[int, set[int]]]) -> dict[str, Any]:
    """An entry of the shared index: its references, volume and pages ("II 45–46; IV 3"),
    and its subentries where it has more than SUBENTRY_THRESHOLD pages, made as the page
    design makes a volume's (`subentries`): the documents the entry sent and received, then
    the other pages, by year where they are many."""

    def refs(by_volume: dict[int, set[int]]) -> str:
        return "; ".join(f"{roman(n)} {_page_ranges(sorted(ps))}" for n, ps in sorted(by_volume.items()) if ps)

    def merged(subs: list[str]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for sub in subs:
            for n, ps in groups[sub].items():
                out.setdefault(n, set()).update(ps)
        return out

    def count(by_volume: dict[int, set[int]]) -> int:
        return sum(len(ps) for ps in by_volume.values())

    everything = merged(list(groups))
    if count(everything) <= SUBENTRY_THRESHOLD or len(groups) < 2:
        return {"refs": refs(everything), "subs": []}
    years = sorted((sub for sub in groups if sub not in ("from", "to")), key=lambda y: y or "9999")
    subs = [{"label": role, "refs": refs(groups[role])} for role in ("from", "to") if role in groups]
    rest = merged(years)
    if count(rest) > SUBENTRY_THRESHOLD and len(years) > 1:
        return {"refs": "", "subs": subs + [{"label": y, "refs": refs(groups[y])} for y in years]}
    return {"refs": refs(rest), "subs": subs}


def _num_key(num: str) -> tuple[int, str]:
    """A document number for sorting: "12" before "103"."""
    digits = re.match(r"\d+", num)
    return (int(digits.group(0)) if digits else 1 << 30, num)


def _page_ranges(pages: list[int]) -> str:
    """[3, 4, 5, 9] → "3–5, 9"."""
    out: list[str] = []
    i = 0
    while i < len(pages):
        j = i
        while j + 1 < len(pages) and pages[j + 1] == pages[j] + 1:
            j += 1
        out.append(f"{pages[i]}–{pages[j]}" if j > i else str(pages[i]))
        i = j + 1
    return ", ".join(out)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("pdf", help="typeset the print edition: out/pdf/edition.pdf (PDF/A-2b)")
    p.add_argument("--document-break", choices=BREAKS, default="space",
                   help="begin each document on a new page ('page') or after a break ('space', default)")
    p.add_argument("--by-collection", action="store_true",
                   help="one volume per collection (out/pdf/<source-id>.pdf) instead of one edition volume")
    p.add_argument("--draft", action="store_true", help="mark the converter's guesses and print DRAFT in the heads")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="volumes typeset at once (default: one per core, at most 4)")
    p.add_argument("--volume-size", type=int, default=None,
                   help="documents per volume at most (default: edition.yaml print: volume_size; 0: one volume)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="any TEI files or folders: one PDF, a chapter each, no configuration (pipeline/anytei.py)")
    p.add_argument("--out", metavar="FILE", help="with PATH: the PDF to write (default: out/pdf/tei.pdf)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "paths", None):
        from .. import anytei

        refuse_edition_options("print edition", [
            ("--draft", getattr(args, "draft", False)), ("--by-collection", getattr(args, "by_collection", False)),
            ("--volume-size", getattr(args, "volume_size", None)),
            ("--document-break", None if getattr(args, "document_break", "space") == "space" else args.document_break)])
        out = Path(args.out) if getattr(args, "out", None) else Path("out") / "pdf" / "tei.pdf"
        if getattr(args, "out", None):  # never an input, the project or a file of someone else's
            from ..write import check_out_option

            check_out_option(out, command="pdf", keep=[Path(p) for p in args.paths])
        return anytei.report("pdf", anytei.build_pdf([Path(p) for p in args.paths], out), bool(args.quiet))
    left_out: list[EditionError] = []
    results = make_pdfs(Path(args.config), document_break=getattr(args, "document_break", "space"),
                        draft=bool(getattr(args, "draft", False)),
                        by_collection=bool(getattr(args, "by_collection", False)),
                        jobs=getattr(args, "jobs", None), volume_size=getattr(args, "volume_size", None),
                        context=getattr(args, "build_context", None), left_out=left_out)
    report_left_out(args, left_out)
    for r in results:
        for w in r.warnings:
            print(f"edition: {w}", file=sys.stderr)
        if not args.quiet:
            print(f"pdf: {_rel(r.pdf_path, Path.cwd())}: {r.pages} pages "
                  f"(XSLT {r.seconds_xslt:.2f} s, Typst {r.seconds_typst:.2f} s)")
    return 0


def build(args: argparse.Namespace) -> int:
    """The PDF's part of `edition build`: the edition volume, new documents after a break."""
    own = argparse.Namespace(config=args.config, quiet=args.quiet, draft=getattr(args, "draft", False),
                             document_break="space", by_collection=False, jobs=getattr(args, "jobs", None),
                             build_context=getattr(args, "build_context", None))
    code = run(own)
    args.left_out = int(getattr(args, "left_out", 0) or 0) + int(getattr(own, "left_out", 0) or 0)
    return code
