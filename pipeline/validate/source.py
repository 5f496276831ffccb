"""Reading TEI files safely: parsing, positions of elements, and the files under a path."""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from lxml import etree

from .. import xmlparse
from ..errors import EditionError
from .model import ERROR, Finding


def safe_parser() -> etree.XMLParser:
    """Never resolves entities, never loads a DTD, never touches the network (pipeline/xmlparse.py)."""
    return xmlparse.safe_parser()


@dataclass
class Source:
    """A parsed file: its path, raw text (for columns) and tree."""

    path: Path
    display: str
    text: str
    tree: etree._ElementTree
    _starts: list[tuple[int, int]] | None = None
    _index: dict[etree._Element, int] | None = None
    _children: dict[etree._Element, list[etree._Element]] = field(default_factory=dict)

    def starts(self) -> list[tuple[int, int]]:
        if self._starts is None:
            self._starts = start_tags(self.text)
        return self._starts

    def elements(self) -> dict[etree._Element, int]:
        """Element → its number in document order (0-based), built once per file."""
        if self._index is None:
            self._index = {el: k for k, el in enumerate(e for e in self.tree.getroot().iter()
                                                          if isinstance(e.tag, str))}
        return self._index

    def position(self, el: etree._Element) -> tuple[int, int]:
        """Line and column (1-based) of the element's start tag."""
        index = self.elements().get(el)
        starts = self.starts()
        if index is not None and index < len(starts):
            return starts[index]
        return cast("int | None", el.sourceline) or 1, 1

    def position_of_index(self, index: int) -> tuple[int, int]:
        """Line and column of the element numbered `index` (1-based, document order)."""
        starts = self.starts()
        return starts[index - 1] if 0 < index <= len(starts) else (1, 1)

    def node_at(self, path: str | None) -> etree._Element | None:
        """The element at a libxml2 node path ('/*/*[3]', '/TEI/text[1]'), walking cached child
        lists: the cost is the path's depth, not the document's size."""
        if not path or not path.startswith("/"):
            return None
        node: etree._Element | None = None
        for step in path[1:].split("/"):
            m = _STEP.match(step)
            if m is None:
                return None
            name, k = m.group(1), int(m.group(2) or 1)
            if node is None:
                root = self.tree.getroot()
                node = root if k == 1 and (name == "*" or etree.QName(root).localname == name) else None
            else:
                kids = self.element_children(node)
                if name != "*":
                    kids = [c for c in kids if etree.QName(c).localname == name.split(":")[-1]]
                node = kids[k - 1] if 0 < k <= len(kids) else None
            if node is None:
                return None
        return node

    def element_children(self, el: etree._Element) -> list[etree._Element]:
        kids = self._children.get(el)
        if kids is None:
            kids = self._children[el] = [c for c in el if isinstance(c.tag, str)]
        return kids


_MASK = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)
_START = re.compile(r"<[A-Za-z_]")
_STEP = re.compile(r"^([^\[\]/@()]+)(?:\[(\d+)\])?$")


def start_tags(text: str) -> list[tuple[int, int]]:
    """(line, column) of every start tag in document order.  Comments, CDATA, processing
    instructions and the DOCTYPE are blanked first, so the n-th match is the n-th element."""
    masked = _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    out: list[tuple[int, int]] = []
    line, last, line_start = 1, 0, 0
    for m in _START.finditer(masked):
        pos = m.start()
        newlines = masked.count("\n", last, pos)
        if newlines:
            line += newlines
            line_start = masked.rfind("\n", last, pos) + 1
        last = pos
        out.append((line, pos - line_start + 1))
    return out


def display_path(path: Path) -> str:
    """The path as printed: relative to the current folder when inside it (a worker process
    shows paths as the process that asked for its work: see `shown_from`)."""
    try:
        return path.resolve().relative_to(_resolved_cwd(_SHOWN_FROM[-1] if _SHOWN_FROM else os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


_SHOWN_FROM: list[str] = []


@contextlib.contextmanager
def shown_from(folder: str) -> Iterator[None]:
    """Paths are displayed relative to `folder` (the building process's current folder)
    while the block runs, not to this process's own."""
    _SHOWN_FROM.append(folder)
    try:
        yield
    finally:
        _SHOWN_FROM.pop()


@functools.lru_cache(maxsize=8)
def _resolved_cwd(cwd: str) -> Path:
    return Path(cwd).resolve()


def read(path: Path, parser: etree.XMLParser, shown: str | None = None) -> tuple[Source | None, list[Finding]]:
    """Parses one file; malformed or hostile XML becomes findings, never an exception."""
    shown = shown or display_path(path)
    from ..guard import read_plain

    try:
        data = read_plain(path)  # a pipe or a device is refused, never waited on or read without end
    except OSError as exc:
        return None, [Finding(shown, 0, 0, ERROR, f"cannot read the file: {exc.strerror or exc}. "
                              "Check that it exists and is readable.", "io-error")]
    except EditionError as exc:
        return None, [Finding(shown, 0, 0, ERROR, f"{exc.message}. Validate plain files only.", "io-error")]
    text = data.decode("utf-8", errors="replace")
    try:
        root = xmlparse.fromstring(data, parser, base_url=path.resolve().as_uri())
    except etree.XMLSyntaxError as exc:
        return None, [syntax_finding(shown, exc, parser.error_log)]
    if root is None:
        return None, [Finding(shown, 1, 1, ERROR, "the file holds no XML element. Add the document's root "
                              "element (<TEI>).", "xml-syntax")]
    tree = root.getroottree()
    if xmlparse.declares_doctype(tree):
        return None, [Finding(shown, 1, 1, ERROR,
                              "the file declares a DOCTYPE (DTD or entities). TEI files checked here must not: "
                              "entities are never expanded, for safety. Remove the <!DOCTYPE …> declaration "
                              "and write the characters themselves.", "xml-doctype")]
    return Source(path, shown, text, tree), []


def syntax_finding(shown: str, exc: etree.XMLSyntaxError, log: etree._ListErrorLog) -> Finding:
    """The parser's first error with its line and column (the parser's own log: lxml's global
    log also holds messages of earlier validations), with advice that fits the error."""
    entries = [e for e in log if e.level_name in ("ERROR", "FATAL")] or list(log)
    first = entries[0] if entries else None
    line = first.line if first is not None else (exc.lineno or 1)
    column = first.column if first is not None else (exc.offset or 1)
    message = (first.message if first is not None else str(exc)).strip()
    message = re.sub(r",? line \d+, column \d+$", "", message)
    kind = first.type_name if first is not None else ""
    where = (shown, max(line, 1), max(column, 1), ERROR)
    m = re.match(r"ID (\S+) already defined", message)
    if kind == "DTD_ID_REDEFINED" or m:
        ident = m.group(1) if m else "?"
        return Finding(*where, f'the xml:id "{ident}" is used twice in this file. An xml:id names one element: '
                       "give this element another id (and update the pointers to it), or remove the attribute.",
                       "xml-id-unique")
    m = re.match(r"xml:id : attribute value (.*) is not an NCName", message)
    if kind == "DTD_XMLID_VALUE" or m:
        value = m.group(1) if m else "?"
        return Finding(*where, f'the xml:id "{value}" is not a valid name: an id starts with a letter or _ and '
                       "holds only letters, digits, '.', '-' and '_' (no spaces, no ':'). Correct it, and the "
                       "pointers to it.", "xml-id-invalid")
    return Finding(*where, f"the file is not well-formed XML: {message}. Fix the markup at this place "
                   "(an unclosed or misspelt tag, an unescaped & or <).", "xml-syntax")


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The XML files under the given files and folders, sorted; and the paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*.xml") if f.is_file()
                                and not any(part.startswith(".") or part == "node_modules"
                                            for part in f.relative_to(p).parts)))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(str(p))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing
