"""TEI building blocks: element factory, inline tokens → elements, spans → elements,
deterministic serialisation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from .recognise.inline import Emph, Escaped, Gap, Marker, Stray, Supplied, Text, Token

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = f"{{{TEI_NS}}}"
EDITION = "../edition.xml"
PIPELINE = f"{EDITION}#pipeline"
# lxml takes None as the default namespace's prefix; lxml-stubs only allow str keys.
TEI_NSMAP = cast("dict[str, str]", {None: TEI_NS})


def text_of(el: etree._Element) -> str:
    """All the text inside `el`, in document order. lxml-stubs type itertext() as
    str | bytes; on Python 3 lxml always yields str (whatever the parser was given)."""
    return "".join(cast("Iterator[str]", el.itertext()))


def E(tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """A TEI element; attribute names with a trailing underscore lose it (`type_` → type),
    `xml_id` becomes xml:id; None values are left out."""
    el = etree.Element(T + tag, nsmap=TEI_NSMAP) if tag == "TEI" else etree.Element(T + tag)
    for key, value in attrs.items():
        if value is None:
            continue
        if key == "xml_id":
            el.set(f"{{{XML_NS}}}id", value)
        elif key == "xml_lang":
            el.set(f"{{{XML_NS}}}lang", value)
        else:
            el.set(key.rstrip("_"), value)
    if text:
        el.text = text
    return el


def iso_when(value: str | None) -> str | None:
    """xs:dateTime needs seconds: "1920-11-05T22:15" → "1920-11-05T22:15:00"."""
    if value and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value):
        return value + ":00"
    return value


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    el = E(tag, text, **attrs)
    parent.append(el)
    return el


def add_text(parent: etree._Element, text: str) -> None:
    """Appends text after the last child (or as the element's text)."""
    if not text:
        return
    last = next(parent.iterchildren(reversed=True), None)  # len(parent) and parent[-1] walk all children
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


@dataclass
class InlineContext:
    """Collects what the inline pass finds that the document needs afterwards."""

    resp_compilers: str
    markers: list[tuple[etree._Element, Marker, int]] = field(default_factory=list)  # (note element, marker, line)
    strays: list[tuple[int, str]] = field(default_factory=list)
    line: int = 0


def append_tokens(parent: etree._Element, tokens: Iterable[Token], ctx: InlineContext) -> None:
    for tok in tokens:
        if isinstance(tok, Text):
            add_text(parent, tok.text)
        elif isinstance(tok, Escaped):  # a markdown escape: the character is the text
            add_text(parent, tok.char)
        elif isinstance(tok, Emph):
            hi = sub(parent, "hi", rend=tok.rend)
            append_tokens(hi, tok.children, ctx)
        elif isinstance(tok, Marker):
            rend = {"sup": "sup", "bracket": "brackets", "digit": "inline", "word": "word", "caret": "sup",
                    "superscript": "sup", "markdown-footnote": "sup", "paren": "parens",
                    "symbol": "symbol"}.get(tok.system)
            note = sub(parent, "note", n=tok.n, place="foot", rend=rend)
            ctx.markers.append((note, tok, ctx.line))
        elif isinstance(tok, Gap):
            sub(parent, "gap", reason="omitted", resp=ctx.resp_compilers, rend=" ".join(tok.printed.split()))
        elif isinstance(tok, Supplied):
            el = sub(parent, "supplied", reason="omitted-in-original", resp=ctx.resp_compilers)
            el.text = tok.text
        elif isinstance(tok, Stray):
            add_text(parent, tok.printed)
            ctx.strays.append((ctx.line, tok.reason))


Span = tuple[int, int, Callable[[str], etree._Element]]


def append_spans(parent: etree._Element, text: str, spans: list[Span],
                 plain: Callable[[etree._Element, str], None] | None = None) -> None:
    """Appends `text` with the given non-overlapping spans turned into elements by their
    factories; the text between spans goes through `plain` (default: as text)."""
    put = plain or add_text
    pos = 0
    for start, end, make in sorted(spans, key=lambda s: s[0]):
        if start < pos:
            continue
        put(parent, text[pos:start])
        parent.append(make(text[start:end]))
        pos = end
    put(parent, text[pos:])


def _detach_keeping_tail(el: etree._Element) -> None:
    """Remove `el` from its parent; its tail text stays where it stood."""
    parent = el.getparent()
    assert parent is not None
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
        el.tail = None
    parent.remove(el)


def unnest_footnotes(root: etree._Element) -> int:
    """A footnote never stands inside another (Schematron note-nested): each footnote found
    inside a footnote is moved out, in order, right after its outermost host (a marker without
    its text becomes type="unresolved"). Returns how many were moved. Whatever the input, the
    converter's output keeps this rule."""
    moved = 0
    hosts = [n for n in root.iter(T + "note")
             if n.get("place") == "foot" and not any(a.get("place") == "foot" for a in n.iterancestors(T + "note"))]
    for host in hosts:
        inner = [n for n in host.iter(T + "note") if n is not host and n.get("place") == "foot"]
        anchor = host
        for note in inner:
            _detach_keeping_tail(note)
            if note.get("type") is None:  # a marker left unmatched inside the host: say so
                note.set("type", "unresolved")
                note.set("resp", PIPELINE)
            note.tail, anchor.tail = anchor.tail, None
            anchor.addnext(note)
            anchor = note
            moved += 1
    return moved


def processing_instructions(depth: int) -> list[etree._Element]:
    up = "../" * depth
    return [
        etree.ProcessingInstruction(
            "xml-model", f'href="{up}schemas/edition.rng" type="application/xml" '
                         'schematypens="http://relaxng.org/ns/structure/1.0"'),
        etree.ProcessingInstruction(
            "xml-model", f'href="{up}schemas/edition.sch" type="application/xml" '
                         'schematypens="http://purl.oclc.org/dsdl/schematron"'),
    ]


def _is_mixed(el: etree._Element) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


def indent(el: etree._Element, level: int = 0) -> None:
    """Pretty-prints element-only content and leaves mixed content exactly as it is (lxml's
    own indent would put whitespace into a paragraph that starts with an element)."""
    if not len(el) or _is_mixed(el) or el.tag in MIXED_ELEMENTS:
        return
    pad = "\n" + " " * (level + 1)
    el.text = pad
    for child in el:
        indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + " " * level


# Elements whose content is text even when it happens to start with an element.
MIXED_ELEMENTS = {T + n for n in ("p", "head", "item", "note", "hi", "salute", "signed", "dateline", "seg",
                                  "bibl", "idno", "title", "supplied", "speaker", "label", "closer", "ab",
                                  "quote", "corr", "sic", "date", "placeName", "persName", "ref")}


def serialise(root: etree._Element, depth: int) -> bytes:
    """Deterministic bytes: fixed declaration, the two xml-model PIs, element-only content indented."""
    indent(root)
    body = etree.tostring(root, encoding="unicode")
    pis = "\n".join(etree.tostring(pi, encoding="unicode") for pi in processing_instructions(depth))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{pis}\n{body}\n'.encode()
