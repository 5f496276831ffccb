"""`edition validate`: RelaxNG + Schematron + rules across files, reported for editors and CI.

Each finding is one line, `file:line:col: error|warning: message [rule-id]`, grouped by file
and summarised at the end; `--format json|junit|github` gives the same findings for tools.
Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.

The XML is parsed without resolving entities, without loading DTDs and without network
access; a file that declares a DOCTYPE is rejected, not expanded.  The schemas are compiled
once per run.  The grammar is schemas/edition.rng (generated from edition.rnc), the house
rules per file are schemas/edition.sch (ISO Schematron, XPath 1.0, run by lxml.isoschematron),
and the rules across files (pointers, unique ids, hands, document numbers) are here.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape, quoteattr

import lxml.isoschematron as isoschematron  # lxml-stubs do not cover this module
from lxml import etree

from . import xmlparse
from .tei import text_of
from .xmlparse import safe_parser

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
T = f"{{{TEI_NS}}}"
NS = {"t": TEI_NS}

FORMATS = ("text", "json", "junit", "github")
ERROR, WARNING = "error", "warning"
POINTER_ATTRS = ("ref", "target", "corresp", "resp", "who", "scheme", "source", "sameAs")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
RESP_VALUE = re.compile(r"^((\.\./)*edition\.xml)?#(pipeline|editors|compilers-[a-z][a-z0-9]*)"
                        r"( ((\.\./)*edition\.xml)?#(pipeline|editors|compilers-[a-z][a-z0-9]*))*$")
W3C_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?)?)?(Z|[+-]\d{2}:\d{2})?$")
LINE_FRAGMENT = re.compile(r"^line=(\d+),(\d+)$")
DOC_ID = re.compile(r"^(?P<src>[a-z][a-z0-9]*)-(?:\d+[a-z]?|\d{4}(?:\d{2}(?:\d{2})?)?[b-z]?|u\d{3})$")


# ---------------------------------------------------------------------------------------
# Findings and reports
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where, how bad, what, and the rule that found it."""

    file: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"


@dataclass
class Report:
    """All findings of one run, and the files that were checked."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    @property
    def io_errors(self) -> int:
        return sum(f.rule == "io-error" for f in self.findings)

    def sorted(self) -> list[Finding]:
        order = {name: k for k, name in enumerate(self.files)}
        return sorted(self.findings, key=lambda f: (order.get(f.file, len(order)), f.file, f.line, f.column, f.rule))

    def by_file(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = {}
        for f in self.sorted():
            groups.setdefault(f.file, []).append(f)
        return groups

    def exit_code(self, *, strict: bool = False) -> int:
        if self.io_errors:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


# ---------------------------------------------------------------------------------------
# Reading files safely
# ---------------------------------------------------------------------------------------


@dataclass
class Source:
    """A parsed file: its path, raw text (for columns) and tree."""

    path: Path
    display: str
    text: str
    tree: etree._ElementTree
    _starts: list[tuple[int, int]] | None = None

    def position(self, el: etree._Element) -> tuple[int, int]:
        """Line and column (1-based) of the element's start tag."""
        if self._starts is None:
            self._starts = start_tags(self.text)
        index = int(cast(float, el.xpath("count(preceding::*) + count(ancestor::*)")))
        if index < len(self._starts):
            return self._starts[index]
        return cast("int | None", el.sourceline) or 1, 1


_MASK = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)
_START = re.compile(r"<[A-Za-z_]")


def start_tags(text: str) -> list[tuple[int, int]]:
    """(line, column) of every start tag in document order.  Comments, CDATA, processing
    instructions and the DOCTYPE are blanked first, so the n-th match is the n-th element."""
    masked = _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    out: list[tuple[int, int]] = []
    line, last = 1, 0
    for m in _START.finditer(masked):
        line += masked.count("\n", last, m.start())
        last = m.start()
        col = m.start() - (masked.rfind("\n", 0, m.start()) + 1) + 1
        out.append((line, col))
    return out


def display_path(path: Path) -> str:
    """The path as printed: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read(path: Path, parser: etree.XMLParser) -> tuple[Source | None, list[Finding]]:
    """Parses one file; malformed or hostile XML becomes findings, never an exception."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Finding(shown, 0, 0, ERROR, f"cannot read the file: {exc.strerror or exc}. "
                              "Check that it exists and is readable.", "io-error")]
    text = data.decode("utf-8", errors="replace")
    try:
        root = xmlparse.fromstring(data, parser, base_url=path.resolve().as_uri())
    except etree.XMLSyntaxError as exc:
        return None, [syntax_finding(shown, exc, parser.error_log)]
    tree = root.getroottree()
    if xmlparse.declares_doctype(tree):
        return None, [Finding(shown, 1, 1, ERROR,
                              "the file declares a DOCTYPE (DTD or entities). The edition's TEI files "
                              "must not: entities are never expanded here, for safety. Remove the "
                              "<!DOCTYPE …> declaration and write the characters themselves.", "xml-doctype")]
    return Source(path, shown, text, tree), []


def syntax_finding(shown: str, exc: etree.XMLSyntaxError, log: etree._ListErrorLog) -> Finding:
    """The parser's first error with its line and column (the parser's own log: lxml's global
    log also holds messages of earlier validations)."""
    entries = [e for e in log if e.level_name in ("ERROR", "FATAL")] or list(log)
    first = entries[0] if entries else None
    line = first.line if first is not None else (exc.lineno or 1)
    column = first.column if first is not None else (exc.offset or 1)
    message = (first.message if first is not None else str(exc)).strip()
    message = re.sub(r",? line \d+, column \d+$", "", message)
    return Finding(shown, max(line, 1), max(column, 1), ERROR,
                   f"the file is not well-formed XML: {message}. Fix the markup at this place "
                   "(an unclosed or misspelt tag, an unescaped & or <).", "xml-syntax")


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The XML files under the given files and folders, sorted; and the paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*.xml") if f.is_file()
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
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


# ---------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------


class SchemaError(Exception):
    """The schemas themselves are missing or broken (exit status 2)."""


@dataclass
class ElementRule:
    """What the grammar allows for one element name, whatever its context (the union of its
    definitions): used to point at the exact element when RelaxNG fails."""

    children: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    text: bool = False


@dataclass
class Schemas:
    """The compiled RelaxNG and Schematron, the closed value lists of the grammar and what
    each element may contain (for messages that say what is allowed)."""

    folder: Path
    relaxng: etree.RelaxNG
    schematron: etree.XSLT
    values: dict[tuple[str, str], list[str]]
    elements: dict[str, ElementRule] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Schemas:
        rng, sch = folder / "edition.rng", folder / "edition.sch"
        for p in (rng, sch):
            if not p.is_file():
                raise SchemaError(f"{display_path(p)}: the schema is missing; pass --schemas FOLDER "
                                  "or run the command from the project root")
        parser = safe_parser()
        try:
            rng_doc = xmlparse.parse_path(rng, parser)
            relaxng = etree.RelaxNG(rng_doc)
            sch_doc = xmlparse.parse_path(sch, parser)
            compiled = isoschematron.Schematron(sch_doc, store_xslt=True)
        except (etree.XMLSyntaxError, etree.RelaxNGParseError, etree.SchematronParseError,
                etree.XSLTParseError) as exc:
            raise SchemaError(f"cannot compile the schemas in {display_path(folder)}: {exc}") from None
        return cls(folder, relaxng, etree.XSLT(compiled.validator_xslt), closed_values(rng_doc),
                   element_rules(rng_doc))


RNG = "{http://relaxng.org/ns/structure/1.0}"


def _rng_name(node: etree._Element) -> str:
    name = node.get("name")
    if name is None:
        child = node.find(RNG + "name")
        name = (child.text or "").strip() if child is not None else ""
        if child is not None and child.get("ns") == "http://www.w3.org/XML/1998/namespace":
            name = "xml:" + name
    return name.split(":")[-1] if not name.startswith("xml:") else name


def element_rules(rng: etree._ElementTree) -> dict[str, ElementRule]:
    """Element name → children, attributes and text it may have, from the grammar."""
    defines: dict[str, list[etree._Element]] = {}
    for d in rng.iter(RNG + "define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    rules: dict[str, ElementRule] = {}
    for el in rng.iter(RNG + "element"):
        rule = rules.setdefault(_rng_name(el), ElementRule())
        _walk(el, defines, rule, set(), in_attribute=False)
    return rules


def _walk(node: etree._Element, defines: dict[str, list[etree._Element]], rule: ElementRule,
          seen: set[str], *, in_attribute: bool) -> None:
    for child in node:
        if not isinstance(child.tag, str) or not child.tag.startswith(RNG):
            continue
        kind = child.tag[len(RNG):]
        if kind == "element":
            rule.children.add(_rng_name(child))
        elif kind == "attribute":
            rule.attributes.add(_rng_name(child))
        elif kind == "ref":
            name = child.get("name", "")
            if name not in seen:
                seen.add(name)
                for d in defines.get(name, []):
                    _walk(d, defines, rule, seen, in_attribute=in_attribute)
        elif kind in ("text", "data", "value", "mixed"):
            rule.text = True
            _walk(child, defines, rule, seen, in_attribute=in_attribute)
        else:
            _walk(child, defines, rule, seen, in_attribute=in_attribute)


def closed_values(rng: etree._ElementTree) -> dict[tuple[str, str], list[str]]:
    """(element, attribute) → the values the grammar allows, where every definition of that
    attribute on that element gives a closed list (an open definition anywhere opens it)."""
    defines: dict[str, list[etree._Element]] = {}
    for d in rng.iter(RNG + "define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    closed: dict[tuple[str, str], list[str]] = {}
    open_: set[tuple[str, str]] = set()
    for el in rng.iter(RNG + "element"):
        attributes: list[etree._Element] = []
        _collect_attributes(el, defines, attributes, set())
        for att in attributes:
            key = (_rng_name(el), _rng_name(att))
            values: list[str] = []
            if _attribute_values(att, defines, values, set()):
                open_.add(key)
            known = closed.setdefault(key, [])
            known.extend(v for v in values if v not in known)
    return {k: v for k, v in closed.items() if k not in open_ and v}


def _collect_attributes(node: etree._Element, defines: dict[str, list[etree._Element]],
                        out: list[etree._Element], seen: set[str]) -> None:
    for child in node:
        if not isinstance(child.tag, str) or not child.tag.startswith(RNG):
            continue
        kind = child.tag[len(RNG):]
        if kind == "attribute":
            out.append(child)
        elif kind == "ref" and child.get("name", "") not in seen:
            seen.add(child.get("name", ""))
            for d in defines.get(child.get("name", ""), []):
                _collect_attributes(d, defines, out, seen)
        elif kind != "element":
            _collect_attributes(child, defines, out, seen)


def _attribute_values(node: etree._Element, defines: dict[str, list[etree._Element]], out: list[str],
                      seen: set[str]) -> bool:
    """Collects <value>s under an attribute; True if it also allows open text or data."""
    is_open = False
    for child in node:
        if not isinstance(child.tag, str) or not child.tag.startswith(RNG):
            continue
        kind = child.tag[len(RNG):]
        if kind == "value":
            out.append((child.text or "").strip())
        elif kind in ("data", "text", "list"):
            is_open = True
        elif kind == "ref" and child.get("name", "") not in seen:
            seen.add(child.get("name", ""))
            for d in defines.get(child.get("name", ""), []):
                is_open |= _attribute_values(d, defines, out, seen)
        elif kind != "name":
            is_open |= _attribute_values(child, defines, out, seen)
    return is_open


def find_schemas(explicit: str | None, roots: Iterable[Path]) -> Path:
    """--schemas, else schemas/ of the project that holds the files, else beside this package."""
    if explicit:
        return Path(explicit)
    for start in roots:
        for folder in [start.resolve(), *start.resolve().parents]:
            if (folder / "schemas" / "edition.rng").is_file():
                return folder / "schemas"
    return Path(__file__).resolve().parent / "schemas"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the current folder) with edition.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "edition.yaml").is_file():
            return folder
    return here


# ---------------------------------------------------------------------------------------
# RelaxNG messages, rewritten for editors
# ---------------------------------------------------------------------------------------


def relaxng_findings(src: Source, schemas: Schemas, *, house_errors: bool = False) -> list[Finding]:
    """The grammar's verdict, placed on the element at fault.

    libxml2 often reports a wrong child at a later element, or an alternative it tried
    instead of the one that failed, so the file is first checked element by element
    (unknown elements, children, attributes, values, dates, text).  Only when that finds
    nothing is libxml2's first message shown, and not while the house rules report errors
    on the same file (a missing head, say, which libxml2 reports as a misplaced opener)."""
    if schemas.relaxng.validate(src.tree):
        return []
    local = list(local_findings(src, schemas))
    if local or house_errors:
        return local
    entries = list(schemas.relaxng.error_log)
    for entry in [e for e in entries if e.path] + [e for e in entries if not e.path]:
        el = _node(src.tree, entry.path)
        message = explain_relaxng(entry.message, el, schemas)
        if message is None:
            continue
        line, col = src.position(el) if el is not None else (entry.line or 1, max(entry.column, 1))
        return [Finding(src.display, line, col, ERROR, message, "schema")]
    return [Finding(src.display, 1, 1, ERROR, "the file does not match the edition schema (no details from "
                    "the validator). Open it in an XML editor with schemas/edition.rng to see where.", "schema")]


def _shortlist(names: Iterable[str], limit: int = 12) -> str:
    ordered = sorted(names)
    shown = ", ".join(ordered[:limit])
    return shown + (", …" if len(ordered) > limit else "") if ordered else "nothing"


def local_findings(src: Source, schemas: Schemas) -> Iterator[Finding]:
    """Element-by-element check against what the grammar allows for each element name."""
    rules = schemas.elements
    for el in src.tree.getroot().iter():
        if not isinstance(el.tag, str):
            continue
        name = _local(el.tag)
        rule = rules.get(name) if etree.QName(el.tag).namespace == TEI_NS else None
        if rule is None:
            line, col = src.position(el)
            ns = etree.QName(el.tag).namespace
            where = "" if ns == TEI_NS else f" (namespace {ns or 'none'}; TEI elements are in {TEI_NS})"
            yield Finding(src.display, line, col, ERROR,
                          f"<{name}>{where} is not part of the edition schema. Use the element "
                          "docs/encoding.md names for this content, or ask for it to be added to "
                          "schemas/edition.rnc.", "schema")
            continue
        yield from _local_attributes(src, el, name, rule, schemas)
        parent_text = (el.text or "").strip()
        if parent_text and not rule.text:
            line, col = src.position(el)
            yield Finding(src.display, line, col, ERROR,
                          f'<{name}> cannot hold text directly ("{parent_text[:40]}"). Put the text '
                          "into the element that may hold it (a <p> in a div, for example).", "schema")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            cname = _local(child.tag)
            tail = (child.tail or "").strip()
            if tail and not rule.text:
                line, col = src.position(child)
                yield Finding(src.display, line, col, ERROR,
                              f'<{name}> cannot hold text directly ("{tail[:40]}" after <{cname}>). Put '
                              "the text into an element that may hold it.", "schema")
            if etree.QName(child.tag).namespace == TEI_NS and cname in rules and cname not in rule.children:
                line, col = src.position(child)
                allowed = (f"<{name}> may contain: {_shortlist(rule.children)}" if rule.children
                           else f"<{name}> may contain only text")
                yield Finding(src.display, line, col, ERROR,
                              f"<{cname}> is not allowed inside <{name}>. {allowed}. Move it, or use the "
                              "element docs/encoding.md names for this content.", "schema")


def _local_attributes(src: Source, el: etree._Element, name: str, rule: ElementRule,
                      schemas: Schemas) -> Iterator[Finding]:
    for key, value in cast("list[tuple[str, str]]", el.attrib.items()):
        attr = _attr_name(key)
        if attr not in rule.attributes:
            line, col = src.position(el)
            yield Finding(src.display, line, col, ERROR,
                          f'<{name}> does not take the attribute {attr} (here {attr}="{value}"). '
                          f"Attributes of <{name}>: {_shortlist(rule.attributes)}.", "schema")
            continue
        if not value.strip():
            line, col = src.position(el)
            yield Finding(src.display, line, col, ERROR,
                          f'<{name}> has an empty {attr}="". Give it a value, or remove the attribute.', "schema")
            continue
        if attr in DATE_ATTRS and name == "date" and not W3C_DATE.match(value):
            line, col = src.position(el)
            yield Finding(src.display, line, col, ERROR, _attribute_message(name, attr, el, schemas), "schema")
            continue
        allowed = schemas.values.get((name, attr))
        if allowed is not None and value not in allowed:
            line, col = src.position(el)
            yield Finding(src.display, line, col, ERROR, _attribute_message(name, attr, el, schemas), "schema")


def _node(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


_GENERIC = ("failed to validate content", "Invalid sequence in interleave", "Extra element",
            "Error validating datatype", "Datatype element", "Element TEI failed to validate")


def explain_relaxng(message: str, el: etree._Element | None, schemas: Schemas) -> str | None:
    """libxml2's RelaxNG message turned into what is wrong and how to fix it; None for
    follow-up messages that repeat a more precise one."""
    msg = message.strip()
    # "Element div failed to validate content" follows the precise error of a child.
    if any(g in msg for g in _GENERIC) and (el is None or "failed to validate content" in msg):
        return None
    here = f"<{_local(el.tag)}>" if el is not None and isinstance(el.tag, str) else "this element"
    m = re.match(r"Did not expect element (\S+) there", msg)
    if m:
        return (f"<{m.group(1)}> is not allowed at this place (edition schema). Check the order: in a "
                "div come head, opener, the text (p, list, sp, quote), nested divs, then closer and "
                "postscript; move it there, or use the element docs/encoding.md names for this content.")
    m = re.match(r"Expecting element (\S+), got (\S+)", msg)
    if m:
        return (f"expected <{m.group(1)}> here but found <{m.group(2)}>. Put the elements in the order "
                f"the edition schema gives, or add the missing <{m.group(1)}>.")
    m = re.match(r"Expecting an element (\S+), got nothing", msg)
    if m:
        return f"{here} lacks a required <{m.group(1)}>. Add it (see docs/encoding.md)."
    m = re.match(r"Element (\S+) has extra content: (\S+)", msg)
    if m:
        what = "text" if m.group(2) == "text" else f"<{m.group(2)}>"
        return (f"<{m.group(1)}> contains {what}, which is not allowed there. Remove it or move it "
                "into an element that may hold it.")
    m = re.match(r"Invalid attribute (\S+) for element (\S+)", msg)
    if m:
        return _attribute_message(m.group(2), m.group(1), el, schemas)
    m = re.match(r"Element (\S+) failed to validate attributes", msg)
    if m:
        bad = _first_bad_attribute(el, schemas)
        if bad:
            return _attribute_message(m.group(1), bad, el, schemas)
        return (f"an attribute of <{m.group(1)}> is missing or has a value the edition schema does not "
                "allow. Check the element's attributes against docs/encoding.md.")
    m = re.match(r"Expecting element (\S+)", msg)
    if m:
        return f"expected <{m.group(1)}> here. Add it, or correct the element that stands in its place."
    return f"{here}: {msg.rstrip('.')} (edition schema). See docs/encoding.md for what is allowed here."


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


def _first_bad_attribute(el: etree._Element | None, schemas: Schemas) -> str | None:
    if el is None:
        return None
    for name, value in cast("list[tuple[str, str]]", el.attrib.items()):
        short = _attr_name(name)
        allowed = schemas.values.get((_local(el.tag), short))
        if allowed is not None and value not in allowed:
            return short
    return None


def _attr_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + name.split("}", 1)[1]
    return name.split("}", 1)[-1]


def _attribute_message(element: str, attr: str, el: etree._Element | None, schemas: Schemas) -> str:
    value = None
    if el is not None:
        key = "{http://www.w3.org/XML/1998/namespace}" + attr[4:] if attr.startswith("xml:") else attr
        value = el.get(key)
    allowed = schemas.values.get((element, attr))
    shown = f'{attr}="{value}"' if value is not None else attr
    if value is not None and allowed:
        return (f"<{element}> has {shown}, which is not an allowed value. Use one of: "
                f"{', '.join(allowed)}; or ask for the value to be added to schemas/edition.rnc.")
    if attr in DATE_ATTRS:
        return (f"<{element}> has {shown}, which is not a W3C date. Write YYYY, YYYY-MM, YYYY-MM-DD or "
                "YYYY-MM-DDThh:mm:ss.")
    if attr == "resp" and value is not None and not RESP_VALUE.match(value):
        return (f"<{element}> has {shown}, which does not name a hand of the edition. Use "
                "../edition.xml#pipeline, ../edition.xml#editors or ../edition.xml#compilers-<source-id>.")
    return (f"<{element}> has {shown}, which the edition schema does not allow on this element "
            "(or not with this value). Remove it or correct it (see docs/encoding.md).")


# ---------------------------------------------------------------------------------------
# Schematron
# ---------------------------------------------------------------------------------------


def schematron_findings(src: Source, schemas: Schemas) -> list[Finding]:
    report = schemas.schematron(src.tree)
    out: list[Finding] = []
    for node in report.getroot().iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        el = _node(src.tree, node.get("location"))
        line, col = src.position(el) if el is not None else (1, 1)
        text = " ".join(text_of(node).split())
        role = (node.get("role") or ERROR).lower()
        severity = WARNING if role in ("warning", "warn", "info") else ERROR
        out.append(Finding(src.display, line, col, severity, text, node.get("id") or "schematron"))
    return out


def drop_superseded(rng: list[Finding], sch: list[Finding]) -> list[Finding]:
    """A bad date is reported by the Schematron rule date-iso with a precise message: drop
    the RelaxNG datatype error on the same element."""
    dated = {(f.line, f.column) for f in sch if f.rule == "date-iso"}
    return [f for f in rng if not ((f.line, f.column) in dated and "W3C date" in f.message)]


# ---------------------------------------------------------------------------------------
# Rules across files
# ---------------------------------------------------------------------------------------


@dataclass
class Edition:
    """The parsed files of this run, and files they point to (loaded on demand)."""

    sources: dict[Path, Source]
    parser: etree.XMLParser
    extra: dict[Path, Source | None] = field(default_factory=dict)
    ids: dict[Path, dict[str, etree._Element]] = field(default_factory=dict)
    line_counts: dict[Path, int | None] = field(default_factory=dict)

    def get(self, path: Path) -> Source | None:
        key = _resolved(path, "")
        if key in self.sources:
            return self.sources[key]
        if key not in self.extra:
            self.extra[key] = read(key, self.parser)[0] if key.is_file() else None
        return self.extra[key]

    def ids_of(self, src: Source) -> dict[str, etree._Element]:
        key = _resolved(src.path, "")
        if key not in self.ids:
            self.ids[key] = {eid: el for el in src.tree.iter() if isinstance(el.tag, str)
                             and (eid := el.get(XML_ID)) is not None}
        return self.ids[key]

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


def cross_file_findings(edition: Edition) -> list[Finding]:
    out: list[Finding] = []
    for src in edition.sources.values():
        out.extend(pointer_findings(src, edition))
        out.extend(xml_model_findings(src))
        out.extend(file_name_findings(src))
    out.extend(unique_id_findings(edition))
    out.extend(document_number_findings(edition))
    out.extend(origin_overlap_findings(edition))
    return out


def _pointers(el: etree._Element) -> Iterator[tuple[str, str]]:
    for attr in POINTER_ATTRS:
        value = el.get(attr)
        if value:
            for token in value.split():
                yield attr, token


def pointer_findings(src: Source, edition: Edition) -> Iterator[Finding]:
    """Every @ref, @target, @corresp, @resp … that points inside the edition resolves."""
    base = src.path.resolve().parent
    for el in src.tree.getroot().iter():
        if not isinstance(el.tag, str):
            continue
        for attr, token in _pointers(el):
            problem = check_pointer(src, el, attr, token, base, edition)
            if problem is not None:
                rule, message = problem
                line, col = src.position(el)
                yield Finding(src.display, line, col, ERROR, message, rule)


@functools.lru_cache(maxsize=4096)
def _resolved(base: Path, relative: str) -> Path:
    """Resolving a path costs system calls; an edition has a few dozen distinct targets
    pointed to tens of thousands of times (registers, edition file, sources)."""
    return (base / relative).resolve() if relative else base.resolve()


@functools.lru_cache(maxsize=4096)
def _is_file(path: Path) -> bool:
    return path.is_file()


def check_pointer(src: Source, el: etree._Element, attr: str, token: str, base: Path,
                  edition: Edition) -> tuple[str, str] | None:
    parts = urlsplit(token)
    if parts.scheme or parts.netloc:
        return None  # an absolute URI: outside the edition
    where = f'<{_local(el.tag)} {attr}="{token}">'
    path_part, fragment = unquote(parts.path), unquote(parts.fragment)
    target = _resolved(base, path_part) if path_part else _resolved(src.path, "")
    if path_part and not _is_file(target):
        return ("pointer-file", f"{where} points to {path_part}, which does not exist "
                f"(looked for {display_path(target)}). Correct the relative path or the file name.")
    if target.suffix != ".xml":
        if LINE_FRAGMENT.match(fragment) or fragment.startswith("line="):
            return check_line_range(where, target, fragment, edition)
        if attr == "resp":
            return ("resp-target", f"{where} must point to a respStmt in tei/edition.xml, not to a file.")
        return None
    doc = edition.get(target)
    if doc is None:
        return ("pointer-file", f"{where} points to {path_part}, which is not a readable, well-formed "
                "XML file. Fix that file first.")
    if not fragment:
        if attr == "resp":
            return ("resp-target", f"{where} names no hand: add #pipeline, #editors or "
                    "#compilers-<source-id>.")
        return None
    found = edition.ids_of(doc).get(fragment)
    if found is None:
        name = display_path(target)
        rule = "resp-target" if attr == "resp" else "pointer-id"
        return (rule, f"{where} points to #{fragment}, but {name} has no element with "
                f'xml:id="{fragment}". Correct the id after the #, or add the element it should point to.')
    if attr == "resp" and found.tag != T + "respStmt":
        return ("resp-target", f"{where} points to a <{_local(found.tag)}>, not to a <respStmt>. @resp must "
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


def xml_model_findings(src: Source) -> Iterator[Finding]:
    """Each file names the edition's RelaxNG and Schematron in xml-model processing
    instructions, by a relative path that resolves, so XML editors validate as we do."""
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
        if href is None:
            yield Finding(src.display, 1, 1, ERROR,
                          f"the file has no xml-model processing instruction for the edition's {kind} "
                          f"schema. Add <?xml-model href=\"…/schemas/edition{suffix}\" …?> before the root "
                          "element, as the converter writes it.", "xml-model")
        elif not (base / href).resolve().is_file():
            yield Finding(src.display, 1, 1, ERROR,
                          f'the xml-model href="{href}" does not lead to a file from here. Correct the '
                          f"relative path to schemas/edition{suffix}.", "xml-model")


def _document(src: Source) -> etree._Element | None:
    body = src.tree.getroot().find("t:text/t:body", NS)
    if body is None:
        return None
    return body.find("t:div[@type='document']", NS)


def file_name_findings(src: Source) -> Iterator[Finding]:
    """tei/<source-id>/<doc-id>.xml: the file name is the document id, the folder its source."""
    div = _document(src)
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
                      "(ssd-19210316b), or <source-id>-u<NNN> for an undated one.", "document-id-format")
    elif m.group("src") != src.path.parent.name:
        yield Finding(src.display, line, col, ERROR,
                      f'the document "{doc_id}" is in the folder "{src.path.parent.name}/", but its id '
                      f'begins with the source id "{m.group("src")}". Move the file to '
                      f'tei/{m.group("src")}/ or correct the id.', "file-name")


def unique_id_findings(edition: Edition) -> Iterator[Finding]:
    """xml:id is unique across the edition (every file of this run)."""
    first: dict[str, tuple[Source, etree._Element]] = {}
    for src in edition.sources.values():
        for ident, el in edition.ids_of(src).items():
            if ident not in first:
                first[ident] = (src, el)
                continue
            other, other_el = first[ident]
            if other is src:
                continue  # the grammar (xsd:ID) reports duplicates inside one file
            line, col = src.position(el)
            oline, _ = other.position(other_el)
            yield Finding(src.display, line, col, ERROR,
                          f'the id "{ident}" is already used in {other.display}:{oline}. Ids must be unique '
                          "across the edition: give one of them another id and update the pointers.",
                          "xml-id-unique")


def document_number_findings(edition: Edition) -> Iterator[Finding]:
    """A printed document number occurs once in a collection (one folder under tei/)."""
    seen: dict[tuple[Path, str], tuple[Source, etree._Element]] = {}
    for src in edition.sources.values():
        div = _document(src)
        if div is None or not div.get("n"):
            continue
        key = (src.path.resolve().parent, div.get("n", ""))
        if key not in seen:
            seen[key] = (src, div)
            continue
        other, other_div = seen[key]
        line, col = src.position(div)
        yield Finding(src.display, line, col, ERROR,
                      f'document number {div.get("n")} is also used by {other.display} '
                      f'({other_div.get(XML_ID)}). A number occurs once in a collection: correct @n of the '
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
    by_file: dict[Path, list[tuple[int, int, Source, etree._Element]]] = {}
    for src in edition.sources.values():
        origin = _origin(src)
        if origin is not None:
            ref, path, a, b = origin
            by_file.setdefault(path, []).append((a, b, src, ref))
    for ranges in by_file.values():
        ranges.sort(key=lambda r: (r[0], r[1]))
        for (a1, b1, s1, _), (a2, b2, s2, ref2) in zip(ranges, ranges[1:], strict=False):
            if b1 - a2 > 1:
                line, col = s2.position(ref2)
                yield Finding(s2.display, line, col, WARNING,
                              f"the lines {a2 + 1}–{b2} claimed by this document overlap the lines "
                              f"{a1 + 1}–{b1} of {s1.display} by {b1 - a2} lines (one shared line is "
                              "allowed). Check the document boundary.", "origin-overlap")


# ---------------------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------------------


def validate_files(files: Sequence[Path], schemas: Schemas) -> Report:
    """Validates the given files (already collected) and the rules across them."""
    _resolved.cache_clear()  # the path caches live for one run: files may change between runs
    _is_file.cache_clear()
    parser = safe_parser()
    report = Report(files=[display_path(f) for f in files])
    sources: dict[Path, Source] = {}
    for path in files:
        src, problems = read(path, parser)
        report.findings.extend(problems)
        if src is None:
            continue
        sources[path.resolve()] = src
        sch = schematron_findings(src, schemas)
        rng = relaxng_findings(src, schemas, house_errors=any(f.severity == ERROR for f in sch))
        report.findings.extend(drop_superseded(rng, sch))
        report.findings.extend(sch)
    report.findings.extend(cross_file_findings(Edition(sources, parser)))
    return report


def validate_paths(paths: Sequence[str | Path] = (), *, schemas_dir: str | Path | None = None) -> Report:
    """The whole validation as a function for other stages (`edition build`): files and
    folders (default: tei/ of the project) → Report.  Raises SchemaError, FileNotFoundError."""
    targets = [Path(p) for p in paths] or [project_root() / "tei"]
    files, missing = collect(targets)
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    folder = find_schemas(str(schemas_dir) if schemas_dir else None, targets)
    return validate_files(files, Schemas.load(folder))


# ---------------------------------------------------------------------------------------
# Reporters
# ---------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    bad = len({f.file for f in report.findings if f.severity == ERROR})
    checked = _plural(len(report.files), "file")
    if not report.findings:
        return f"{checked} checked: all valid."
    parts = [_plural(report.errors, "error"), _plural(report.warnings, "warning")]
    verdict = f"{bad} of {checked} invalid" if report.errors else f"{checked} valid"
    return f"{' and '.join(parts)}; {verdict}."


def format_text(report: Report, *, quiet: bool = False) -> str:
    lines: list[str] = []
    for findings in report.by_file().values():
        shown = [f for f in findings if not quiet or f.severity == ERROR]
        if not shown:
            continue
        if lines:
            lines.append("")
        lines.extend(f.text() for f in shown)
    if lines:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    data = {
        "files": len(report.files),
        "errors": report.errors,
        "warnings": report.warnings,
        "valid": report.errors == 0,
        "findings": [asdict(f) for f in report.sorted()],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def format_junit(report: Report) -> str:
    """One testsuite, one testcase per file; each error a <failure>, warnings in <system-out>."""
    groups = report.by_file()
    cases: list[str] = []
    failures = 0
    for name in report.files + [n for n in groups if n not in report.files]:
        findings = groups.get(name, [])
        errors = [f for f in findings if f.severity == ERROR]
        warnings = [f for f in findings if f.severity == WARNING]
        body: list[str] = []
        for f in errors:
            body.append(f"   <failure type={quoteattr(f.rule)} message={quoteattr(f.message)}>"
                        f"{escape(f.text())}</failure>")
        if warnings:
            body.append("   <system-out>" + escape("\n".join(f.text() for f in warnings)) + "</system-out>")
        failures += bool(errors)
        classname = quoteattr(str(Path(name).parent.as_posix()))
        if body:
            cases.append(f'  <testcase classname={classname} name={quoteattr(name)}>\n' + "\n".join(body)
                         + "\n  </testcase>")
        else:
            cases.append(f"  <testcase classname={classname} name={quoteattr(name)}/>")
    head = (f'<testsuite name="edition validate" tests="{len(cases)}" failures="{failures}" errors="0" '
            f'skipped="0">')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n' + head + "\n" + "\n".join(cases)
            + "\n</testsuite>\n</testsuites>\n")


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    lines = []
    for f in report.sorted():
        kind = "error" if f.severity == ERROR else "warning"
        props = (f"file={_gh_escape(f.file, prop=True)},line={f.line},col={f.column},"
                 f"title={_gh_escape(f.rule, prop=True)}")
        lines.append(f"::{kind} {props}::{_gh_escape(f.message)} [{f.rule}]")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render(report: Report, fmt: str, *, quiet: bool = False) -> str:
    if fmt == "json":
        return format_json(report)
    if fmt == "junit":
        return format_junit(report)
    if fmt == "github":
        return format_github(report)
    return format_text(report, quiet=quiet)


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="TEI files or folders to check (default: tei/ of the project)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, junit (JUnit XML) or github (Actions annotations)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--schemas", metavar="FOLDER",
                        help="folder with edition.rng and edition.sch (default: schemas/ of the project)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 1)")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds `validate` to the `edition` command (the caller adds --config and --quiet)."""
    parser = subparsers.add_parser(
        "validate", help="check the TEI against the edition's schema and house rules",
        description="Check TEI files against the edition's RelaxNG schema, its Schematron house rules and "
                    "the rules across files. Exit status: 0 valid, 1 invalid, 2 usage or I/O error.")
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Runs `edition validate`; returns the exit status."""
    fmt = getattr(args, "format", "text") or "text"
    quiet = bool(getattr(args, "quiet", False))
    paths = [Path(p) for p in getattr(args, "paths", None) or []]
    config = getattr(args, "config", None)
    root = project_root(Path(config).resolve().parent if config and Path(config).is_file() else None)
    targets = paths or [root / "tei"]
    files, missing = collect(targets)
    if missing:
        print(f"edition validate: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not files:
        print(f"edition validate: error: no .xml files in {', '.join(display_path(t) for t in targets)}",
              file=sys.stderr)
        return 2
    try:
        schemas = Schemas.load(find_schemas(getattr(args, "schemas", None), [*targets, root]))
    except SchemaError as exc:
        print(f"edition validate: error: {exc}", file=sys.stderr)
        return 2
    report = validate_files(files, schemas)
    text = render(report, fmt, quiet=quiet)
    output = getattr(args, "output", None)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"edition validate: error: cannot write {output}: {exc.strerror}", file=sys.stderr)
            return 2
        if fmt != "text" or not quiet:
            print(summary(report), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return report.exit_code(strict=bool(getattr(args, "strict", False)))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pipeline.validate` (the same as `edition validate`)."""
    parser = argparse.ArgumentParser(prog="edition validate")
    add_arguments(parser)
    parser.add_argument("--config", default="edition.yaml", help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    return run(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())


def build(args: argparse.Namespace) -> int:
    """The validation step of `edition build`: the whole tei/ folder; a failing report stops the build."""
    vargs = argparse.Namespace(paths=[], format="text", quiet=getattr(args, "quiet", False),
                               config=getattr(args, "config", None), output=None, schemas=None, strict=False)
    code = run(vargs)
    if code != 0:
        print("edition build: stopped: the edition is not valid (see the report above)", file=sys.stderr)
    return code
