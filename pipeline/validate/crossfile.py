"""Rules across files.

For any TEI: every pointer (@ref, @target, @corresp, @resp …) that leads into a local file
finds that file and the #id in it.  For the edition's own rule set ("edition") also: ids are
unique across the edition, a document number occurs once per collection, the file name is
the document id, the xml-model lines lead to the edition's schemas, @resp names a hand,
and no two documents claim the same lines of a raw source.

A run over some files still checks ids and numbers against the whole tree (tei/ of the
edition): what the other files hold is read from an index kept in
out/.cache/validate-index.json of the project, re-read only for files that changed.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .model import ERROR, NS, TEI_NS, WARNING, XML_ID, Finding, T
from .source import Source, collect, display_path, read

POINTER_ATTRS = ("ref", "target", "corresp", "resp", "who", "scheme", "source", "sameAs")
LINE_FRAGMENT = re.compile(r"^line=(\d+),(\d+)$")
# <source>-<number>, -<yyyy[mm[dd]]> or -u<position> (three digits at least), each with the
# letters of a later document of the same base id (b … z, ba, bb …; convert.assign_ids)
DOC_ID = re.compile(r"^(?P<src>[a-z][a-z0-9]*)-(?:\d+[a-z]?|\d{4}(?:\d{2}(?:\d{2})?)?|u\d{3,})(?:[b-z][a-z]*)?$")
INDEX_VERSION = 1


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


# ---------------------------------------------------------------------------------------
# what other files hold: parsed in this run, or read from the index
# ---------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What the rules across files need of a file: its ids (with line, column and element
    name) and its document number."""

    ids: dict[str, tuple[int, int, str]]
    number: tuple[str, str, int, int] | None = None  # (n, document id, line, column)

    @classmethod
    def of(cls, src: Source) -> Summary:
        ids: dict[str, tuple[int, int, str]] = {}
        for el, k in src.elements().items():
            ident = el.get(XML_ID)
            if ident is not None and ident not in ids:
                line, col = src.position_of_index(k + 1)
                ids[ident] = (line, col, _local(el.tag))
        number = None
        div = document_div(src)
        if div is not None and div.get("n"):
            line, col = src.position(div)
            number = (div.get("n", ""), div.get(XML_ID, ""), line, col)
        return cls(ids, number)


@dataclass(frozen=True)
class Facts:
    """What the rules across files need of one file of the run, kept instead of its tree
    (so a run holds one parsed file at a time): its ids with their places, its document
    number, the raw source lines it claims."""

    display: str
    key: str  # the resolved path
    ids: tuple[tuple[str, int, int], ...]  # (id, line, column), in document order
    number: tuple[str, str, int, int] | None  # (n, document id, line, column)
    origin: tuple[str, int, int, int, int] | None  # (raw source, resolved; A; B; line; column)

    @classmethod
    def of(cls, src: Source) -> Facts:
        ids = tuple((ident, *src.position(el)) for el in src.elements()
                    if (ident := el.get(XML_ID)) is not None)
        div = document_div(src)
        number = (div.get("n", ""), div.get(XML_ID, ""), *src.position(div)) \
            if div is not None and div.get("n") else None
        found = _origin(src)
        origin = (str(found[1]), found[2], found[3], *src.position(found[0])) if found is not None else None
        return cls(src.display, str(src.path.resolve()), ids, number, origin)  # type: ignore[arg-type]

    def to_json(self) -> list[object]:
        return [self.display, self.key, [list(i) for i in self.ids], list(self.number) if self.number else None,
                list(self.origin) if self.origin else None]

    @classmethod
    def from_json(cls, data: list[Any]) -> Facts:
        display, key, ids, number, origin = data
        return cls(display, key, tuple((str(i), int(a), int(b)) for i, a, b in ids),
                   tuple(number) if number else None, tuple(origin) if origin else None)  # type: ignore[arg-type]


class TreeIndex:
    """Summaries of every file of a tree, cached on disk by path, size and modification time."""

    def __init__(self, cache: Path | None) -> None:
        self.cache = cache
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if cache is not None and cache.is_file():
            try:
                data = json.loads(cache.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("version") == INDEX_VERSION \
                        and isinstance(data.get("files"), dict):
                    self.entries = data["files"]
            except (OSError, ValueError, RecursionError):
                self.entries = {}

    def summary(self, path: Path, parser: etree.XMLParser) -> Summary | None:
        key = str(path)
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = [st.st_size, st.st_mtime_ns]
        entry = self.entries.get(key)
        if entry is not None and entry.get("stamp") == stamp:
            if entry.get("ids") is None:
                return None
            number = entry.get("number")
            return Summary({k: (v[0], v[1], v[2]) for k, v in entry["ids"].items()},
                           tuple(number) if number else None)  # type: ignore[arg-type]
        src, _ = read(path, parser)
        summary = Summary.of(src) if src is not None else None
        self.remember(path, summary, stamp)
        return summary

    def remember(self, path: Path, summary: Summary | None, stamp: list[int] | None = None) -> None:
        if stamp is None:
            try:
                st = path.stat()
            except OSError:
                return
            stamp = [st.st_size, st.st_mtime_ns]
        self.entries[str(path)] = {"stamp": stamp,
                                   "ids": None if summary is None else {k: list(v) for k, v in summary.ids.items()},
                                   "number": list(summary.number) if summary and summary.number else None}
        self.dirty = True

    def save(self) -> None:
        if self.cache is None or not self.dirty:
            return
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.cache.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# a cache of edition validate: safe to delete\n*\n", encoding="utf-8")
            tmp = self.cache.with_name(f".{self.cache.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": INDEX_VERSION, "files": self.entries}, separators=(",", ":")),
                           encoding="utf-8")
            os.replace(tmp, self.cache)
        except OSError:
            pass  # a cache that cannot be written only costs time next run


@dataclass
class Edition:
    """The parsed files being checked (one at a time, for the edition's rules), the ids of
    the files they point to (read on demand, their trees not kept), what the rules across
    files need of each file of the run (`facts`), and the other files of the tree (their
    summaries, for ids and numbers)."""

    sources: dict[Path, Source]
    parser: etree.XMLParser
    tree: list[Path] = field(default_factory=list)
    index: TreeIndex | None = None
    run: set[Path] = field(default_factory=set)  # the files of this run (resolved)
    facts: list[Facts] = field(default_factory=list)
    ids: dict[Path, dict[str, etree._Element]] = field(default_factory=dict)
    line_counts: dict[Path, int | None] = field(default_factory=dict)
    targets: dict[Path, dict[str, str] | None] = field(default_factory=dict)
    touched: set[Path] | None = None  # when a set: every file a pointer leads to is added

    def touch(self, path: Path) -> None:
        if self.touched is not None:
            self.touched.add(path)

    def ids_of(self, src: Source) -> dict[str, etree._Element]:
        key = _resolved(src.path, "")
        if key not in self.ids:
            self.ids[key] = {eid: el for el in src.tree.iter() if isinstance(el.tag, str)
                             and (eid := el.get(XML_ID)) is not None}
        return self.ids[key]

    def check(self, key: Path, src: Source | None) -> None:
        """`src` is the file being checked now (None: done; its tree is let go)."""
        self.sources = {key: src} if src is not None else {}
        self.ids.clear()

    def target_ids(self, path: Path) -> dict[str, str] | None:
        """id → element name in a file pointed to; None if it is not readable XML (once per file)."""
        key = _resolved(path, "")
        if key not in self.targets:
            self.targets[key] = self._target_ids(key)
        return self.targets[key]

    def _target_ids(self, key: Path) -> dict[str, str] | None:
        if key in self.sources:
            return {k: _local(v.tag) for k, v in self.ids_of(self.sources[key]).items()}
        if self.index is not None and key not in self.run:
            summary = self.index.summary(key, self.parser)
            return None if summary is None else {k: v[2] for k, v in summary.ids.items()}
        doc = read(key, self.parser)[0] if key.is_file() else None
        if doc is None:
            return None
        return {el.get(XML_ID, ""): _local(el.tag) for el in doc.tree.iter()
                if isinstance(el.tag, str) and el.get(XML_ID) is not None}

    def others(self) -> Iterator[tuple[Path, Summary]]:
        """The files of the tree that are not part of this run, with their summaries."""
        if self.index is None:
            return
        for path in self.tree:
            key = _resolved(path, "")
            if key in self.run:
                continue
            summary = self.index.summary(key, self.parser)
            if summary is not None:
                yield key, summary

    def lines(self, path: Path) -> int | None:
        key = _resolved(path, "")
        if key not in self.line_counts:
            try:
                data = key.read_bytes()
            except OSError:
                self.line_counts[key] = None
            else:
                self.line_counts[key] = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        return self.line_counts[key]


def open_edition(run: set[Path], parser: etree.XMLParser, tree_root: Path | None,
                 cache: Path | None) -> Edition:
    """The run's files (resolved paths) within their tree (tree_root: every .xml below it,
    indexed; the caller adds each file of the run to the index as it reads it)."""
    clear_path_caches()
    if tree_root is None:
        return Edition({}, parser, run=run)
    tree, _ = collect([tree_root])
    if {_resolved(p, "") for p in tree} <= run:
        return Edition({}, parser, run=run)  # the run covers the whole tree: nothing to look up
    return Edition({}, parser, tree=tree, index=TreeIndex(cache), run=run)


# ---------------------------------------------------------------------------------------
# the rules
# ---------------------------------------------------------------------------------------


def generic_findings(edition: Edition) -> list[Finding]:
    out: list[Finding] = []
    for src in edition.sources.values():
        out.extend(pointer_findings(src, edition, house=False))
    return out


def file_findings(src: Source, edition: Edition) -> Iterator[Finding]:
    """The house rules of one file: its pointers, its xml-model lines, its name (a function
    of the file and of the files it points to, which `edition.touched` collects)."""
    yield from pointer_findings(src, edition, house=True)
    yield from xml_model_findings(src, edition.touched)
    yield from file_name_findings(src)


def edition_findings(edition: Edition) -> Iterator[Finding]:
    """The house rules across all files (from the facts of each file of the run and the
    summaries of the others): ids and numbers unique, source lines claimed once."""
    yield from unique_id_findings(edition)
    yield from document_number_findings(edition)
    yield from origin_overlap_findings(edition)


def _pointers(el: etree._Element) -> Iterator[tuple[str, str]]:
    for attr in POINTER_ATTRS:
        value = el.get(attr)
        if value:
            for token in value.split():
                # a fixed word (scheme="css", scheme="free") is a value, not an address
                if "#" in token or "/" in token or "." in token:
                    yield attr, token


def pointer_findings(src: Source, edition: Edition, *, house: bool) -> Iterator[Finding]:
    """Every @ref, @target, @corresp, @resp … that points to a local file resolves."""
    base = src.path.resolve().parent
    for el in src.tree.getroot().iter():
        if not isinstance(el.tag, str):
            continue
        for attr, token in _pointers(el):
            problem = check_pointer(src, el, attr, token, base, edition, house=house)
            if problem is not None:
                rule, message = problem
                line, col = src.position(el)
                yield Finding(src.display, line, col, ERROR, message, rule)


def clear_path_caches() -> None:
    """The path caches live for one run: files may change between runs."""
    _resolved.cache_clear()
    _is_file.cache_clear()


@functools.lru_cache(maxsize=4096)
def _resolved(base: Path, relative: str) -> Path:
    """Resolving a path costs system calls; an edition has a few dozen distinct targets
    pointed to tens of thousands of times (registers, edition file, sources)."""
    return (base / relative).resolve() if relative else base.resolve()


@functools.lru_cache(maxsize=4096)
def _is_file(path: Path) -> bool:
    return path.is_file()


def check_pointer(src: Source, el: etree._Element, attr: str, token: str, base: Path,
                  edition: Edition, *, house: bool = True) -> tuple[str, str] | None:
    parts = urlsplit(token)
    if parts.scheme or parts.netloc:
        return None  # an absolute URI (or a private prefix such as pers:x): outside the files
    where = f'<{_local(el.tag)} {attr}="{token}">'
    path_part, fragment = unquote(parts.path), unquote(parts.fragment)
    if fragment.startswith("xpointer(") or fragment.startswith("element("):
        return None
    target = _resolved(base, path_part) if path_part else _resolved(src.path, "")
    edition.touch(target)
    if path_part and not _is_file(target):
        return ("pointer-file", f"{where} points to {path_part}, which does not exist "
                f"(looked for {display_path(target)}). Correct the relative path or the file name.")
    if target.suffix != ".xml":
        if LINE_FRAGMENT.match(fragment) or fragment.startswith("line="):
            return check_line_range(where, target, fragment, edition)
        if house and attr == "resp":
            return ("resp-target", f"{where} must point to a respStmt in tei/edition.xml, not to a file.")
        return None
    ids = edition.target_ids(target)
    if ids is None:
        return ("pointer-file", f"{where} points to {path_part}, which is not a readable, well-formed "
                "XML file. Fix that file first.")
    if not fragment:
        if house and attr == "resp":
            return ("resp-target", f"{where} names no hand: add #pipeline, #editors or "
                    "#compilers-<source-id>.")
        return None
    found = ids.get(fragment)
    if found is None:
        name = display_path(target)
        rule = "resp-target" if house and attr == "resp" else "pointer-id"
        return (rule, f"{where} points to #{fragment}, but {name} has no element with "
                f'xml:id="{fragment}". Correct the id after the #, or add the element it should point to.')
    if house and attr == "resp" and found != "respStmt":
        return ("resp-target", f"{where} points to a <{found}>, not to a <respStmt>. @resp must "
                "name a hand declared as respStmt in the titleStmt of tei/edition.xml.")
    return None


def check_line_range(where: str, target: Path, fragment: str, edition: Edition) -> tuple[str, str] | None:
    m = LINE_FRAGMENT.match(fragment)
    if m is None:
        return ("pointer-line-range", f"{where}: the fragment #{fragment} is not a line range. Write "
                "#line=A,B (RFC 5147: A = lines before the first line, B = the last line).")
    first, last = int(m.group(1)), int(m.group(2))
    total = edition.lines(target)
    if total is None:
        return ("pointer-file", f"{where}: cannot read {display_path(target)}.")
    if first >= last:
        return ("pointer-line-range", f"{where}: the range #line={first},{last} is empty or reversed. "
                f"A is the number of lines before the first line, B the last line, so A < B.")
    if last > total:
        return ("pointer-line-range", f"{where}: line {last} is past the end of {display_path(target)}, "
                f"which has {total} lines. Correct the range.")
    return None


def xml_model_findings(src: Source, touched: set[Path] | None = None) -> Iterator[Finding]:
    """Each file of the edition names the edition's RelaxNG and Schematron in xml-model
    processing instructions, by a relative path that resolves, so XML editors validate as we do."""
    found: dict[str, str] = {}
    node = src.tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            declared = node.get("href") or ""
            found[Path(declared).suffix] = declared
        node = node.getprevious()
    base = src.path.resolve().parent
    for suffix, kind in ((".rng", "RelaxNG"), (".sch", "Schematron")):
        href = found.get(suffix)
        if href is not None and touched is not None:
            touched.add((base / href).resolve())
        if href is None:
            yield Finding(src.display, 1, 1, ERROR,
                          f"the file has no xml-model processing instruction for the edition's {kind} "
                          f"schema. Add <?xml-model href=\"…/schemas/edition{suffix}\" …?> before the root "
                          "element, as the converter writes it.", "xml-model")
        elif not (base / href).resolve().is_file():
            yield Finding(src.display, 1, 1, ERROR,
                          f'the xml-model href="{href}" does not lead to a file from here. Correct the '
                          f"relative path to schemas/edition{suffix}.", "xml-model")
        elif (base / href).resolve().name != f"edition{suffix}":  # another schema: editors would not check as we do
            yield Finding(src.display, 1, 1, ERROR,
                          f'the xml-model href="{href}" leads to {(base / href).resolve().name}, not to the '
                          f"edition's schemas/edition{suffix}. Correct the relative path.", "xml-model")


def document_div(src: Source) -> etree._Element | None:
    body = src.tree.getroot().find("t:text/t:body", NS)
    if body is None:
        return None
    return body.find("t:div[@type='document']", NS)


def file_name_findings(src: Source) -> Iterator[Finding]:
    """tei/<source-id>/<doc-id>.xml: the file name is the document id, the folder its source."""
    div = document_div(src)
    if div is None or not div.get(XML_ID):
        return
    doc_id = div.get(XML_ID, "")
    line, col = src.position(div)
    if src.path.stem != doc_id:
        yield Finding(src.display, line, col, ERROR,
                      f'the document id "{doc_id}" differs from the file name "{src.path.name}". Rename the '
                      f"file to {doc_id}.xml or correct the id (and every pointer to it).", "file-name")
    m = DOC_ID.match(doc_id)
    if m is None:
        yield Finding(src.display, line, col, ERROR,
                      f'the document id "{doc_id}" is not of the form <source-id>-<number> (nk-562), '
                      "<source-id>-<yyyymmdd> with a letter for a second document of the day "
                      "(ssd-19210316b), or <source-id>-u<NNN> (three digits or more) for an undated one.",
                      "document-id-format")
    elif m.group("src") != src.path.parent.name:
        yield Finding(src.display, line, col, ERROR,
                      f'the document "{doc_id}" is in the folder "{src.path.parent.name}/", but its id '
                      f'begins with the source id "{m.group("src")}". Move the file to '
                      f'tei/{m.group("src")}/ or correct the id.', "file-name")


def unique_id_findings(edition: Edition) -> Iterator[Finding]:
    """xml:id is unique across the edition: the files of this run and the rest of the tree."""
    first: dict[str, tuple[str, int]] = {}  # where an id was seen first: (file, line)
    for path, summary in edition.others():
        shown = display_path(path)
        for ident, (line, _col, _name) in summary.ids.items():
            first.setdefault(ident, (shown, line))
    for facts in edition.facts:
        for ident, line, col in facts.ids:
            seen = first.get(ident)
            if seen is None:
                first[ident] = (facts.display, line)
                continue
            other, oline = seen
            if other == facts.display:
                continue  # the parser reports duplicates inside one file
            yield Finding(facts.display, line, col, ERROR,
                          f'the id "{ident}" is already used in {other}:{oline}. Ids must be unique '
                          "across the edition: give one of them another id and update the pointers.",
                          "xml-id-unique")


def document_number_findings(edition: Edition) -> Iterator[Finding]:
    """A printed document number occurs once in a collection (one folder under tei/)."""
    seen: dict[tuple[Path, str], tuple[str, str]] = {}
    for path, summary in edition.others():
        if summary.number is not None:
            n, doc_id, _line, _col = summary.number
            seen.setdefault((path.parent, n), (display_path(path), doc_id))
    for facts in edition.facts:
        if facts.number is None:
            continue
        n, doc_id, line, col = facts.number
        key = (Path(facts.key).parent, n)
        if key not in seen:
            seen[key] = (facts.display, doc_id)
            continue
        other, other_id = seen[key]
        yield Finding(facts.display, line, col, ERROR,
                      f'document number {n} is also used by {other} '
                      f"({other_id}). A number occurs once in a collection: correct @n of the "
                      "document that was misnumbered, or remove it if no number is printed.",
                      "document-number-unique")


def _origin(src: Source) -> tuple[etree._Element, Path, int, int] | None:
    ref = src.tree.getroot().find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl/t:ref[@type='origin']", NS)
    if ref is None or not ref.get("target"):
        return None
    parts = urlsplit(ref.get("target", ""))
    m = LINE_FRAGMENT.match(unquote(parts.fragment))
    if m is None or parts.scheme:
        return None
    return ref, (src.path.resolve().parent / unquote(parts.path)).resolve(), int(m.group(1)), int(m.group(2))


def origin_overlap_findings(edition: Edition) -> Iterator[Finding]:
    """Two documents may share one line (a heading glued to the previous document's last line),
    not more: a larger overlap means a wrong boundary."""
    by_file: dict[str, list[tuple[int, int, Facts]]] = {}
    for facts in edition.facts:
        if facts.origin is not None:
            by_file.setdefault(facts.origin[0], []).append((facts.origin[1], facts.origin[2], facts))
    for ranges in by_file.values():
        ranges.sort(key=lambda r: (r[0], r[1]))
        for (a1, b1, s1), (a2, b2, s2) in zip(ranges, ranges[1:], strict=False):
            if b1 - a2 > 1:
                assert s2.origin is not None
                yield Finding(s2.display, s2.origin[3], s2.origin[4], WARNING,
                              f"the lines {a2 + 1}–{b2} claimed by this document overlap the lines "
                              f"{a1 + 1}–{b1} of {s1.display} by {b1 - a2} lines (one shared line is "
                              "allowed). Check the document boundary.", "origin-overlap")


__all__ = ["TEI_NS", "T", "Edition", "Facts", "TreeIndex", "open_edition", "generic_findings",
           "file_findings", "edition_findings", "check_pointer", "document_div"]
