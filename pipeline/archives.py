"""The archives an edition knows: the archive entries of the registers (tei/registers.xml).

An archive is an `org[@type='archive']` with an id (`arch-<abbreviation>`) and its names:

    <org xml:id="arch-avprf" type="archive">
     <orgName type="preferred">Archive of Foreign Policy of the Russian Federation (AVP RF)</orgName>
     <orgName type="abbr">AVP RF</orgName>                      the name citations are normalised to
     <orgName type="variant">avprf</orgName>                    a form printed in the sources
     <orgName type="variant" subtype="garble">wua rf</orgName>  a damaged form (read with cert="medium")
     <orgName type="former" from="1991" to="1999">RTsKhIDNI</orgName>  an earlier name (cert="high")
    </org>

The citation parser (`pipeline.recognise.citations`) finds every form in a source note and
writes the abbreviation into `msIdentifier/repository` with `@ref` to the entry. A citation
whose archive is not here is still parsed; the review report asks to add the archive.
Without a registers file the converter knows no archive (every citation is reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from . import xmlparse
from .recognise.citations import Archive, ArchiveForm, Archives, CitationShape
from .tei import text_of

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _text(node: etree._Element) -> str:
    return " ".join(text_of(node).split())


def archive_from_entry(org: etree._Element) -> Archive | None:
    """One register entry as the citation parser needs it (None without an id or a name)."""
    aid = org.get(XML_ID)
    names = org.findall("t:orgName", NS)
    if not aid or not names:
        return None
    abbr = next((_text(n) for n in names if n.get("type") == "abbr" and _text(n)), "")
    preferred = next((_text(n) for n in names if n.get("type") == "preferred" and _text(n)), "")
    key = abbr or preferred or aid
    forms: list[ArchiveForm] = []
    for n in names:
        text, typ = _text(n), n.get("type")
        if not text or typ in ("office", "preferred", "abbr"):
            continue
        if typ == "former":
            span = "–".join(v for v in (n.get("from"), n.get("to")) if v)
            forms.append(ArchiveForm(text, "high", f"{text} is the former{f' ({span})' if span else ''} name of {key}"))
        elif n.get("subtype") == "garble":
            forms.append(ArchiveForm(text, "medium", f"a garbled form of {key}"))
        else:
            forms.append(ArchiveForm(text))
    if preferred and preferred != key:
        forms.append(ArchiveForm(preferred))
    return Archive(aid, key, tuple(forms))


def load_archives(path: Path, shapes: Sequence[CitationShape] = ()) -> Archives:
    """The archives of a registers file (none when the file does not exist yet), with the
    citation shapes the edition teaches (edition.yaml `citations:`)."""
    if not path.exists():
        return Archives((), shapes)
    tree = xmlparse.parse_file(path)  # a problem is one EditionError naming the file and line
    archives = [a for org in tree.iterfind(".//t:org[@type='archive']", NS) if (a := archive_from_entry(org))]
    return Archives(archives, shapes)


__all__ = ["archive_from_entry", "load_archives"]
