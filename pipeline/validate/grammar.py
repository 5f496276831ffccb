"""Grammars: RelaxNG (XML or compact syntax) and W3C XML Schema, compiled once per run.

A grammar of the edition's own rule set gets its messages rewritten for editors (which
element may stand where, the closed lists of values, see docs/encoding.md); any other
grammar reports the validator's messages as they are, each at the element it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from lxml import etree

from .. import xmlparse
from .model import ERROR, TEI_NS, Finding
from .source import Source, display_path, safe_parser
from .xsd import XSDError, XSDSchema, is_version_1_1

DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
RESP_VALUE = re.compile(r"^((\.\./)*edition\.xml)?#(pipeline|editors|compilers-[a-z][a-z0-9]*)"
                        r"( ((\.\./)*edition\.xml)?#(pipeline|editors|compilers-[a-z][a-z0-9]*))*$")
W3C_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?)?)?(Z|[+-]\d{2}:\d{2})?$")
RNG = "{http://relaxng.org/ns/structure/1.0}"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


class SchemaError(Exception):
    """A schema itself is missing or broken (exit status 2)."""


PRUNE_ABOVE = 150  # element patterns; a larger RelaxNG (tei_all has 590) is compiled for the names in use


@dataclass
class Grammar:
    """A compiled RelaxNG or XML Schema.  For the edition's grammar (`edition=True`) also the
    closed value lists and what each element may contain, for messages that say what is allowed.

    libxml2 takes minutes to compile a grammar the size of tei_all, so a large RelaxNG is
    compiled for the element names the files of the run use: every element pattern of another
    name becomes notAllowed.  For a document that uses only those names the verdict is the
    same (a pattern for an element the document lacks can match nothing in it either way), and
    the grammar is compiled again if a later file brings new names."""

    path: Path
    compiled: etree.RelaxNG | etree.XMLSchema | None
    edition: bool = False
    values: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    elements: dict[str, ElementRule] = field(default_factory=dict)
    source: etree._ElementTree | None = None  # the grammar itself, when it is compiled per name set
    names: frozenset[str] = frozenset()
    xsd: XSDSchema | None = None  # an XML Schema libxml2 cannot check (1.1, remote imports)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def validator(self) -> etree.RelaxNG | etree.XMLSchema:
        if self.compiled is None:
            self.compiled = self._compile(self.names)
        return self.compiled

    def prepare(self, names: frozenset[str]) -> None:
        """Makes sure the compiled grammar covers these element names (Clark notation)."""
        if self.source is None or names <= self.names:
            return
        self.names = self.names | names
        self.compiled = None

    def _compile(self, names: frozenset[str]) -> etree.RelaxNG:
        assert self.source is not None
        try:
            return etree.RelaxNG(pruned(self.source, names))
        except etree.RelaxNGParseError as exc:
            raise SchemaError(f"cannot compile the schema {display_path(self.path)}: {exc}") from None

    @classmethod
    def load(cls, path: Path, *, edition: bool = False) -> Grammar:
        """Compiles a .rng, .rnc or .xsd file (the kind is read from the file, not its name)."""
        if not path.is_file():
            raise SchemaError(f"{display_path(path)}: the schema is missing")
        try:
            if path.suffix == ".rnc":
                doc = xmlparse.fromstring(_rnc_to_rng(path), safe_parser(),
                                          base_url=path.resolve().as_uri()).getroottree()
            else:
                doc = xmlparse.parse_path(path, safe_parser())
            root = doc.getroot()
            if root.tag == f"{{{XSD_NS}}}schema":
                return cls._xml_schema(path, doc)
            if not str(root.tag).startswith(RNG):
                raise SchemaError(f"{display_path(path)}: not a RelaxNG or XML Schema grammar "
                                  f"(root element <{etree.QName(root).localname}>)")
            if not edition and sum(1 for _ in root.iter(RNG + "element")) > PRUNE_ABOVE:
                return cls(path, None, source=doc)
            grammar = cls(path, etree.RelaxNG(doc), edition=edition)
        except (etree.XMLSyntaxError, etree.RelaxNGParseError, etree.XMLSchemaParseError) as exc:
            raise SchemaError(f"cannot compile the schema {display_path(path)}: {exc}") from None
        if edition:
            grammar.values = closed_values(doc)
            grammar.elements = element_rules(doc)
        return grammar

    @classmethod
    def _xml_schema(cls, path: Path, doc: etree._ElementTree) -> Grammar:
        """libxml2 for XML Schema 1.0 (fast); xmlschema for 1.1, or for a 1.0 schema libxml2
        refuses (one importing a component by a remote address, which it cannot fetch here)."""
        version_1_1 = is_version_1_1(doc.getroot())
        if not version_1_1:
            try:
                return cls(path, etree.XMLSchema(doc))
            except etree.XMLSchemaParseError:
                pass
        try:
            return cls(path, None, xsd=XSDSchema.load(path, version_1_1=version_1_1))
        except XSDError as exc:
            raise SchemaError(str(exc)) from None

    def findings(self, src: Source, *, house_errors: bool = False) -> list[Finding]:
        if self.xsd is not None:
            return self.xsd.findings(src)
        if self.source is not None:
            self.prepare(frozenset(el.tag for el in src.elements()))
        if self.edition:
            return relaxng_findings(src, self, house_errors=house_errors)
        return generic_findings(src, self)


def _pattern_name(el: etree._Element) -> str | None:
    """The element name a RelaxNG <element> pattern matches, in Clark notation; None for a
    name class (anyName, nsName, choice), which is kept as it is."""
    name = el.get("name")
    if name is None:
        return None
    if ":" in name:
        prefix, local = name.split(":", 1)
        return f"{{{el.nsmap.get(prefix, '')}}}{local}"
    node: etree._Element | None = el
    while node is not None:
        ns = node.get("ns")
        if ns is not None:
            return f"{{{ns}}}{name}" if ns else name
        node = node.getparent()
    return name


def pruned(doc: etree._ElementTree, names: frozenset[str]) -> etree._ElementTree:
    """A copy of the grammar in which each element pattern for a name not in `names` is notAllowed."""
    base = cast(Any, doc.docinfo.URL)  # relative include/externalRef resolve from the original
    copy = xmlparse.fromstring(etree.tostring(doc), safe_parser(), base_url=base).getroottree()
    for el in list(copy.getroot().iter(RNG + "element")):
        name = _pattern_name(el)
        parent = el.getparent()
        if name is None or name in names or parent is None:
            continue
        stub = etree.Element(RNG + "notAllowed")
        stub.tail = el.tail
        parent.replace(el, stub)
    return copy


def _rnc_to_rng(path: Path) -> bytes:
    try:
        import rnc2rng
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SchemaError("reading RelaxNG compact syntax (.rnc) needs the package rnc2rng") from None
    try:
        return str(rnc2rng.dumps(rnc2rng.loads(path.read_text(encoding="utf-8")))).encode("utf-8")
    except Exception as exc:  # rnc2rng raises its own parser errors
        raise SchemaError(f"cannot read the compact schema {display_path(path)}: {exc}") from None


_FOLLOW_UP = ("failed to validate content", "Invalid sequence in interleave", "Element TEI failed to validate",
              "failed to validate attributes")


def generic_findings(src: Source, grammar: Grammar) -> list[Finding]:
    """Every message of the validator, at the element it names (or its own line)."""
    if grammar.validator.validate(src.tree):
        return []
    entries: list[Any] = list(cast(Any, grammar.validator.error_log))
    precise = [e for e in entries if not any(g in e.message for g in _FOLLOW_UP)]
    out: list[Finding] = []
    seen: set[tuple[int, int, str]] = set()
    for entry in precise or entries[:1]:
        el = src.node_at(entry.path)
        line, col = src.position(el) if el is not None else (entry.line or 1, max(entry.column, 1))
        message = entry.message.strip().rstrip(".")
        key = (line, col, message)
        if key in seen:
            continue
        seen.add(key)
        out.append(Finding(src.display, line, col, ERROR, f"{message} (schema {grammar.name}).", "schema"))
    if not out:
        out.append(Finding(src.display, 1, 1, ERROR, f"the file does not match the schema {grammar.name}.",
                           "schema"))
    return out


@dataclass
class ElementRule:
    """What the grammar allows for one element name, whatever its context (the union of its
    definitions): used to point at the exact element when RelaxNG fails."""

    children: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    text: bool = False


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




def relaxng_findings(src: Source, schemas: Grammar, *, house_errors: bool = False) -> list[Finding]:
    """The grammar's verdict, placed on the element at fault.

    libxml2 often reports a wrong child at a later element, or an alternative it tried
    instead of the one that failed, so the file is first checked element by element
    (unknown elements, children, attributes, values, dates, text).  Only when that finds
    nothing is libxml2's first message shown, and not while the house rules report errors
    on the same file (a missing head, say, which libxml2 reports as a misplaced opener)."""
    if schemas.validator.validate(src.tree):
        return []
    local = list(local_findings(src, schemas))
    if local or house_errors:
        return local
    entries: list[Any] = list(cast(Any, schemas.validator.error_log))
    for entry in [e for e in entries if e.path] + [e for e in entries if not e.path]:
        el = src.node_at(entry.path)
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


def local_findings(src: Source, schemas: Grammar) -> Iterator[Finding]:
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
                      schemas: Grammar) -> Iterator[Finding]:
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


def explain_relaxng(message: str, el: etree._Element | None, schemas: Grammar) -> str | None:
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


def _first_bad_attribute(el: etree._Element | None, schemas: Grammar) -> str | None:
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


def _attribute_message(element: str, attr: str, el: etree._Element | None, schemas: Grammar) -> str:
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
