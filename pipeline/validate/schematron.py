"""ISO Schematron with the query bindings xslt (XPath 1.0), xslt2 and xslt3.

The ISO skeleton implementation that ships with lxml does the standard's preprocessing
(include, abstract patterns and rules, phases, let, diagnostics) and compiles the schema into
an XSLT stylesheet.  A schema with queryBinding="xslt" runs on libxslt as compiled; with
"xslt2" or "xslt3" the same stylesheet is lifted to XSLT 3.0 and runs on Saxon (saxonche),
so that XPath 2/3 functions such as ends-with() or matches() work.  Findings carry the
element's number in document order (an XSLT 3 accumulator, one pass over the document), so
placing many findings costs no more than one.

Nothing is fetched: an include or a document() call with a remote address is refused when
the schema is read. Saxon runs the rules in its child process (pipeline/saxon_run.py), within
edition.yaml's `limits: saxon_seconds` and `saxon_megabytes`: a rule that runs away on a
file is stopped and reported as a finding on that file.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.isoschematron as isoschematron  # lxml-stubs do not cover this module
from lxml import etree

from .. import xmlparse
from ..errors import EditionError
from ..saxon_run import SaxonLimits
from .model import ERROR, WARNING, Finding
from .source import Source, display_path, safe_parser

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SVRL = f"{{{SVRL_NS}}}"
XSL = f"{{{XSL_NS}}}"
BINDINGS_XSLT1 = ("xslt", "xslt1", "exslt", "")
BINDINGS_SAXON = ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31")
WARNING_ROLES = ("warning", "warn", "info", "information", "caution")
INDEX = "edition-element-index"


class SchematronError(Exception):
    """The Schematron cannot be read or compiled."""


_saxon: Any = None
_limits: SaxonLimits = SaxonLimits()


def use_limits(limits: SaxonLimits) -> None:
    """The limits of the Saxon child that runs the XSLT 2/3 rules (edition.yaml `limits:`)."""
    global _limits
    _limits = limits


def _transformer() -> Any:
    """This process's Saxon child for the rules, within the limits in use."""
    from ..build.executor import worker_state
    from ..transform import Transformer

    return worker_state(f"schematron transformer {_limits}", lambda: Transformer(_limits))


def saxon() -> Any:
    """One Saxon processor for all validations of this process."""
    global _saxon
    if _saxon is None:
        _saxon = xmlparse.saxon_processor()
    return _saxon


@dataclass
class Schematron:
    """A compiled Schematron: run it with `findings(src)`."""

    path: Path
    binding: str
    lxml_xslt: etree.XSLT | None = None
    saxon_xslt: Any = None
    saxon_text: str = ""  # the compiled XSLT 3.0, run in the Saxon child
    saxon_key: str = ""  # its name there (a digest of the text)
    documents: Documents | None = None  # document() of an XSLT 1.0 schema's rules

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def load(cls, path: Path, *, phase: str | None = None) -> Schematron:
        if not path.is_file():
            raise SchematronError(f"{display_path(path)}: the schema is missing")
        try:
            doc = xmlparse.parse_path(path, safe_parser())
        except etree.XMLSyntaxError as exc:
            raise SchematronError(f"{display_path(path)}: not well-formed XML: {exc}") from None
        root = doc.getroot()
        if root.tag == f"{{{RNG_NS}}}grammar" or str(root.tag).startswith(f"{{{RNG_NS}}}"):
            extracted = isoschematron.extract_rng(doc)  # rules embedded in a RelaxNG grammar
            root = extracted.getroot()
            if root is None or root.tag != f"{{{SCH_NS}}}schema":
                raise SchematronError(f"{display_path(path)}: holds no Schematron rules")
        elif root.tag != f"{{{SCH_NS}}}schema":
            qname = etree.QName(root)
            raise SchematronError(f"{display_path(path)}: not an ISO Schematron schema (root element "
                                  f"<{qname.localname}> in {qname.namespace or 'no namespace'})")
        _refuse_remote(root, path)
        binding = (root.get("queryBinding") or "xslt").strip().lower()
        if binding not in BINDINGS_XSLT1 + BINDINGS_SAXON:
            raise SchematronError(f"{display_path(path)}: queryBinding=\"{binding}\" is not supported; "
                                  "use xslt, xslt2 or xslt3")
        work = copy.deepcopy(root)
        if binding in BINDINGS_SAXON:
            work.set("queryBinding", "xslt")  # the skeleton copies the expressions as they are
        try:
            generated = _skeleton(etree.ElementTree(work), phase)
        except (etree.SchematronParseError, etree.XSLTParseError, etree.XSLTApplyError) as exc:
            raise SchematronError(f"cannot compile the Schematron {display_path(path)}: "
                                  f"{str(exc).strip() or 'invalid schema'}") from None
        for fired in list(generated.getroot().iter(SVRL + "fired-rule")):
            parent = fired.getparent()
            if parent is not None:
                parent.remove(fired)  # not reported: one element less per rule firing
        if binding in BINDINGS_XSLT1:
            _index_locations(generated, xslt1=True)
            documents = Documents(path.resolve().as_uri())
            generated = documents.take_calls(generated)
            try:
                return cls(path, binding, lxml_xslt=etree.XSLT(generated, extensions=documents.extensions()),
                           documents=documents)
            except etree.XSLTParseError as exc:
                raise SchematronError(f"cannot compile the Schematron {display_path(path)}: {exc}") from None
        _lift_to_xslt3(generated, root)
        text = etree.tostring(generated, encoding="unicode")
        from saxonche import PySaxonApiError

        try:
            executable = saxon().new_xslt30_processor().compile_stylesheet(
                stylesheet_text=text, base_uri=path.resolve().as_uri())
        except PySaxonApiError as exc:
            raise SchematronError(f"cannot compile the Schematron {display_path(path)} "
                                  f"(queryBinding {binding}): {_first_lines(str(exc))}") from None
        if executable is None:
            raise SchematronError(f"cannot compile the Schematron {display_path(path)}")
        key = f"/schematron/{hashlib.sha256(text.encode('utf-8')).hexdigest()}/{path.name}"
        return cls(path, binding, saxon_xslt=executable, saxon_text=text, saxon_key=key)

    def svrl(self, src: Source) -> etree._Element:
        if self.lxml_xslt is not None:
            if self.documents is not None:
                self.documents.input_url = src.tree.docinfo.URL or ""
            return self.lxml_xslt(src.tree).getroot()
        try:
            sheet = _transformer().stylesheet_text(self.saxon_key, self.saxon_text, self.path.resolve().as_uri())
            text = sheet.apply(src.display, text=src.text)
        except EditionError as exc:
            raise SchematronError(f"{exc.message} ({exc.hint})" if exc.hint else exc.message) from None
        return xmlparse.fromstring(text.encode("utf-8"), safe_parser())

    def findings(self, src: Source) -> list[Finding]:
        try:
            report = self.svrl(src)
        except (SchematronError, etree.XSLTApplyError) as exc:
            return [Finding(src.display, 1, 1, ERROR, f"the Schematron {self.name} failed on this file: {exc}. "
                            "Check the rule's XPath (and the schema's queryBinding).", "schematron-error")]
        out: list[Finding] = []
        pattern = ""
        for node in report:
            tag = node.tag
            if tag == SVRL + "active-pattern":
                pattern = node.get("id") or node.get("name") or ""
                continue
            if tag not in (SVRL + "failed-assert", SVRL + "successful-report"):
                continue
            line, col = locate(src, node.get("location") or "")
            text = " ".join(_text(node.find(SVRL + "text")).split())
            notes = [" ".join(_text(d).split()) for d in node.iter(SVRL + "diagnostic-reference")]
            message = " ".join([text, *[n for n in notes if n]]).strip() or node.get("test", "")
            role = (node.get("role") or node.get("flag") or ERROR).lower()
            severity = WARNING if role in WARNING_ROLES else ERROR
            out.append(Finding(src.display, line, col, severity, message, node.get("id") or pattern or "schematron"))
        return out


def _text(node: etree._Element | None) -> str:
    return "".join(str(t) for t in node.itertext()) if node is not None else ""


def _first_lines(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:3])[:400] or "unknown error"


def _refuse_remote(root: etree._Element, path: Path) -> None:
    for el in root.iter(f"{{{SCH_NS}}}include", f"{{{SCH_NS}}}extends", f"{{{XSL_NS}}}include",
                        f"{{{XSL_NS}}}import"):
        href = el.get("href") or ""
        if urlsplit(href).scheme not in ("", "file"):
            raise SchematronError(f"{display_path(path)}: includes {href}, which is not fetched (no network "
                                  "access while validating). Keep a copy beside the schema and include that.")


_LOCATION = re.compile(r"^#(\d+)(?:/@(.+))?$")


def locate(src: Source, location: str) -> tuple[int, int]:
    """Line and column of an SVRL location: '#N' (the N-th element, in document order) or
    '#N/@name' for an attribute (placed at its element)."""
    m = _LOCATION.match(location)
    if m is None:
        return 1, 1
    return src.position_of_index(int(m.group(1)))


def _skeleton(tree: etree._ElementTree, phase: str | None) -> etree._ElementTree:
    """The ISO skeleton's steps (include, abstract expansion, compilation to XSLT), without
    lxml's final compile on libxslt, which would reject an XPath 2 schema before Saxon sees it."""
    schema = isoschematron.iso_abstract_expand(isoschematron.iso_dsdl_include(tree))
    if not isoschematron.schematron_schema_valid(schema):
        raise etree.SchematronParseError(
            f"invalid Schematron schema: {isoschematron.schematron_schema_valid.error_log}")
    params = {"allow-foreign": "true", "phase": phase}
    generated = isoschematron.iso_svrl_for_xslt1(
        schema, **{k: etree.XSLT.strparam(v) for k, v in params.items() if v is not None})
    _escape_literal_braces(generated)
    return generated


def _escape_literal_braces(xslt: etree._ElementTree) -> None:
    """The skeleton copies each assertion's test into an attribute of a literal SVRL element,
    where XSLT reads braces as value templates: a regular expression such as \\d{5} would not
    compile.  The copies are meant as text, so their braces are doubled."""
    for el in xslt.getroot().iter(SVRL + "*"):
        for name, value in el.attrib.items():
            text = str(value)
            if "{" in text or "}" in text:
                el.set(name, text.replace("{", "{{").replace("}", "}}"))


def _index_locations(xslt: etree._ElementTree, *, xslt1: bool) -> None:
    """Replaces the skeleton's path-building templates with the element's number: for libxslt
    it is counted (XPath 1.0 has no accumulators), for Saxon it is read from an accumulator."""
    root = xslt.getroot()
    for template in root.findall(XSL + "template"):
        if template.get("mode") == "schematron-get-full-path":
            root.remove(template)
    count = ("count(preceding::*) + count(ancestor::*) + 1" if xslt1
             else f"accumulator-before('{INDEX}')")
    element = etree.SubElement(root, XSL + "template", match="*", mode="schematron-get-full-path", priority="1")
    etree.SubElement(element, XSL + "value-of", select=f"concat('#', {count})")
    attribute = etree.SubElement(root, XSL + "template", match="@*|node()", mode="schematron-get-full-path")
    each = etree.SubElement(attribute, XSL + "for-each", select="..")
    etree.SubElement(each, XSL + "value-of", select=f"concat('#', {count})")
    etree.SubElement(attribute, XSL + "if", test="count(. | ../@*) = count(../@*)").append(
        _value_of("concat('/@', name())"))


DOCUMENTS_NS = "urn:edition-pipeline:documents"
# a call of XPath's document() (not of a function whose name ends in "document")
_DOCUMENT_CALL = re.compile(r"(?<![\w.:-])document\s*\(")
_XPATH_ATTRIBUTES = ("select", "test", "use", "match")


class Documents:
    """XPath's document() for the rules of an XSLT 1.0 Schematron, each file parsed once per
    process: libxslt parses a file that document() names again for every file checked, and
    the edition's rules read the edition file (tei/edition.xml, which lists every source) for
    each document — a cost that grew with the edition for every one of its documents. The
    file is read again when its size, time or inode changes. The file is given as an element
    that holds the document's top-level nodes (lxml cannot hand a document node to XPath):
    `document(…)/tei:TEI`, `document(…)//x` and `document(…)/node()` select what they select
    on the document. Only local files are read, with the safe parser; anything else gives
    an empty node-set, as libxslt gives for a file it cannot read."""

    def __init__(self, stylesheet_url: str) -> None:
        self.stylesheet_url = stylesheet_url  # the base of a relative URI given as a string alone
        self.input_url = ""  # the file being checked (a rule's "/" reaches the function as nothing)
        self._held: dict[str, tuple[tuple[int, int, int], etree._Element]] = {}

    def take_calls(self, xslt: etree._ElementTree) -> etree._ElementTree:
        """The stylesheet with its document() calls made calls of this object."""
        changed = False
        for el in xslt.getroot().iter(XSL + "*"):
            for name in _XPATH_ATTRIBUTES:
                text = el.get(name)
                if text and "document" in text and (new := _DOCUMENT_CALL.sub("pdoc:document(", text)) != text:
                    el.set(name, new)
                    changed = True
        if not changed:
            return xslt
        # the prefix declared on the stylesheet's element (lxml declares namespaces where an
        # element is made: the element is made again with it, and its children moved over)
        old = xslt.getroot()
        nsmap: Any = {**old.nsmap, "pdoc": DOCUMENTS_NS}  # (a default namespace's key is None)
        root = etree.Element(old.tag, nsmap=nsmap)
        for key, value in old.attrib.items():
            root.set(key, value)
        root.text = old.text
        for child in list(old):
            root.append(child)
        return etree.ElementTree(root)

    def extensions(self) -> dict[tuple[str, str], Any]:
        return {(DOCUMENTS_NS, "document"): self.document}

    def document(self, _context: object, what: object, base: object = None) -> list[etree._Element]:
        if isinstance(what, list):  # a node-set: each node's string, against its own file
            found: list[etree._Element] = []
            for node in what:
                for el in self.document(_context, str(node) if not isinstance(node, etree._Element)
                                        else str(node.xpath("string(.)")), [node] if base is None else base):
                    if el not in found:
                        found.append(el)
            return found
        if base is None:
            base_url = self.stylesheet_url
        elif isinstance(base, list) and base:
            base_url = _url_of(base[0]) or self.input_url
        else:
            base_url = self.input_url  # the document node ("/"): the file being checked
        return self._load(urljoin(base_url, str(what).partition("#")[0]))

    def _load(self, url: str) -> list[etree._Element]:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return []
        path = Path(unquote(parts.path))
        try:
            st = path.stat()
        except OSError:
            return []
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        held = self._held.get(url)
        if held is None or held[0] != stamp:
            try:
                tree = xmlparse.parse_file(path)
            except (EditionError, OSError):
                return []
            holder = etree.Element(f"{{{DOCUMENTS_NS}}}document")
            root = tree.getroot()
            for node in [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]:
                holder.append(copy.deepcopy(node))
            held = (stamp, holder)
            self._held[url] = held
        return [held[1]]


def _url_of(node: object) -> str:
    """The URL of the file a node of a node-set comes from ("" when unknown)."""
    element = node if isinstance(node, etree._Element) else getattr(node, "getparent", lambda: None)()
    if not isinstance(element, etree._Element):
        return ""
    return str(element.getroottree().docinfo.URL or "")


def _value_of(select: str) -> etree._Element:
    el = etree.Element(XSL + "value-of")
    el.set("select", select)
    return el


def _lift_to_xslt3(xslt: etree._ElementTree, schema: etree._Element) -> None:
    """The skeleton's XSLT 1.0 output as XSLT 3.0: version, the element-number accumulator,
    and the XSLT declarations the schema carries (functions, keys) that the skeleton skips."""
    root = xslt.getroot()
    for el in root.iter(XSL + "*"):
        if el.get("version"):
            el.set("version", "3.0")
    root.set("version", "3.0")
    _index_locations(xslt, xslt1=False)
    acc = etree.Element(XSL + "accumulator", name=INDEX, nsmap={"xs": XSD_NS})
    acc.set("as", "xs:integer")
    acc.set("initial-value", "0")
    rule = etree.SubElement(acc, XSL + "accumulator-rule", match="*")
    rule.set("select", "$value + 1")
    root.insert(0, acc)
    mode = etree.Element(XSL + "mode")
    mode.set("use-accumulators", "#all")  # the accumulator applies to the document being checked
    root.insert(0, mode)
    present = {(el.tag, el.get("name"), el.get("match")) for el in root}
    for el in schema:
        if isinstance(el.tag, str) and el.tag.startswith(XSL) and el.tag != XSL + "key" \
                and (el.tag, el.get("name"), el.get("match")) not in present:
            root.insert(1, copy.deepcopy(el))
    # the skeleton walks the document once more per pattern in the default mode (for
    # svrl:active-pattern); nothing is reported there, so the walk is dropped
    for ap in root.iter(SVRL + "active-pattern"):
        for child in ap.findall(XSL + "apply-templates"):
            if child.get("mode") is None and child.get("select") is None:
                ap.remove(child)
    _declare_xs(xslt)


def _declare_xs(xslt: etree._ElementTree) -> None:
    """XSLT 2 Schematron schemas use the xs: prefix (xs:date(), xs:integer) without declaring
    it, as the standard's XSLT 2 skeletons declare it for them; so is it declared here."""
    root = xslt.getroot()
    if "xs" in root.nsmap:
        return
    namespaces: dict[Any, str] = {prefix: uri for prefix, uri in root.nsmap.items()}
    namespaces["xs"] = XSD_NS
    lifted = etree.Element(root.tag, nsmap=namespaces)
    for name, value in root.attrib.items():
        lifted.set(name, value)
    lifted.text = root.text
    lifted.extend(list(root))
    xslt._setroot(lifted)
