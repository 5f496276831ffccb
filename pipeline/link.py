"""`edition link`: points the documents' names to the registers in tei/registers.xml.

Runs after conversion and only ever adds markup:

- in the text of each document's body, the mentions of register forms become `persName`,
  `placeName` or `orgName` with `@ref` (never inside an existing name, a note label, an
  idno, a date or a reference; never across a note boundary, since each text node is
  searched on its own); an ambiguous mention is left as it is and goes to the review
  report `out/reports/links.csv`, unless the same document names exactly one of its
  candidates unambiguously, or it stands in a publication reference
  (`bibl[@type='publication']`: "Publ.: international life. - 1991") and exactly one of its
  candidates is an organisation (the periodical or collection cited);
- the place name of a dateline gets `@ref`;
- the sender and addressee of each letter, telegram and note (`correspDesc`) are turned
  from `name` into `persName`/`orgName` with `@ref`: by a name in the description, by the
  whole description being a register form, by the document's signature (sender only), or
  by an office the register dates ("the people's commissar for foreign affairs of the
  RSFSR" in 1921); the dateline's place is added to the sender's action;
- speeches (`sp`) whose speaker is one register person get `@who`;
- the abbreviations of the text that no register expands (pipeline/registers/abbreviations.py)
  are listed in the report, once per document, so that the editors add them to the register
  of abbreviations (the print lists only what the registers expand);
- cross-references `ref[@type='document'][@n]` ("see doc. No. 187") get `@target`: the
  document's file when it is in the edition (a numbered collection citing its own
  numbers), otherwise the register entry of the printed series the collection is based on
  (edition.yaml `based_on`, e.g. `../registers.xml#org_dvp`), which marks the reference as
  pointing outside the edition; each such reference is listed in the report with its
  volume when printed.

Files are written through the fingerprint manifest (tei/.converted.json): a file that was
as the converter left it is recorded again with its new bytes, so that it is not taken for
a hand edit; a hand-edited file gets its links too but stays recorded as hand-edited.
Running the stage twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from lxml import etree

from . import xmlparse
from .errors import EditionError
from .limits import usable
from .recognise.names import Entry, Matcher, Mention, Office, OfficeIndex, office_key, split_mentions, strip_qualifier
from .registers import abbreviations
from .registers.abbreviations import AbbreviationRegister
from .tei import text_of
from .write import TeiStore, csv_rows, sha256, write_atomic

if TYPE_CHECKING:
    from .build.cache import Record
    from .build.runner import BuildContext

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = f"{{{TEI_NS}}}"
NS = {"t": TEI_NS}
REGISTERS = "registers.xml"
ELEMENT = {"person": "persName", "place": "placeName", "org": "orgName"}
LIST = {"person": ("person", "persName"), "place": ("place", "placeName"), "org": ("org", "orgName")}

# Elements whose text may receive name markup (their content model allows names).
CONTAINERS = {T + n for n in ("p", "head", "item", "salute", "signed", "closer", "hi", "supplied", "quote",
                              "note", "speaker", "seg", "dateline", "bibl", "trailer", "ab", "q")}
# Elements inside which nothing is linked.
NEVER = {T + n for n in ("persName", "placeName", "orgName", "name", "rs", "label", "idno", "date", "ref", "gap",
                         "choice", "sic", "corr", "orig", "reg", "title", "num", "milestone", "citedRange",
                         "locus")}


# -- the register ------------------------------------------------------------------------------

@dataclass
class Register:
    path: Path
    entries: dict[str, Entry]
    matcher: Matcher
    offices: OfficeIndex
    abbreviations: AbbreviationRegister = field(default_factory=AbbreviationRegister)

    def kind(self, eid: str) -> str:
        return self.entries[eid].kind

    def label(self, eid: str) -> str:
        return f"{eid} ({self.entries[eid].preferred})"


def load_register(path: Path) -> Register:
    """Reads tei/registers.xml into matcher entries."""
    if not path.exists():
        raise EditionError("the registers file is missing", path=str(path),
                           hint="tei/registers.xml is maintained by the editors; restore it from version control")
    tree = xmlparse.parse_file(path)
    entries: dict[str, Entry] = {}
    for kind, (el, name_el) in LIST.items():
        for node in tree.iterfind(f".//t:{el}", NS):
            eid = node.get(XML_ID)
            line = cast("int | None", node.sourceline)  # lxml-stubs leave sourceline untyped
            if not eid:
                raise EditionError(f"a <{el}> without xml:id", path=str(path), line=line)
            if eid in entries:
                raise EditionError(f"the id {eid} is used twice", path=str(path), line=line)
            forms: list[str] = []
            ambiguous: set[str] = set()
            offices: list[Office] = []
            preferred = ""
            for n in node.iterfind(f"t:{name_el}", NS):
                text = " ".join(text_of(n).split())
                if not text:
                    continue
                typ = n.get("type")
                if typ == "office":
                    offices.append(Office(text, office_key(text), n.get("from") or n.get("notBefore"),
                                          n.get("to") or n.get("notAfter")))
                    continue
                if typ == "preferred" and not preferred:
                    preferred = text
                    text = strip_qualifier(text)
                if n.get("subtype") == "ambiguous":
                    ambiguous.add(text)
                if text and text not in forms:
                    forms.append(text)
            entries[eid] = Entry(eid, kind, preferred or eid, tuple(forms), frozenset(ambiguous), tuple(offices))
    return Register(path, entries, Matcher(entries.values()), OfficeIndex(entries.values()),
                    abbreviations.read_register(tree))


# -- the report --------------------------------------------------------------------------------

@dataclass
class LinkReport:
    """What a run of the linker did."""

    documents: int = 0
    written: list[Path] = field(default_factory=list)
    hand_edited: list[Path] = field(default_factory=list)  # written, but kept recorded as hand edits
    links: Counter[str] = field(default_factory=Counter)  # new name elements by tag (persName, …)
    refs_added: Counter[str] = field(default_factory=Counter)  # @ref added to existing elements
    by_context: int = 0  # ambiguous mentions resolved by an unambiguous mention in the same document
    correspondents: Counter[str] = field(default_factory=Counter)  # resolved by: name, whole, signature, office
    unresolved: int = 0
    crossrefs: Counter[str] = field(default_factory=Counter)  # internal, external
    speakers: int = 0
    rows: list[dict[str, str]] = field(default_factory=list)  # for links.csv

    def add(self, other: LinkReport) -> None:
        """Adds one document's part of the report."""
        self.documents += other.documents
        for name in ("links", "refs_added", "correspondents", "crossrefs"):
            getattr(self, name).update(getattr(other, name))
        self.by_context += other.by_context
        self.unresolved += other.unresolved
        self.speakers += other.speakers
        self.rows.extend(other.rows)

    def to_json(self) -> str:
        return json.dumps({"documents": self.documents, "links": self.links, "refs_added": self.refs_added,
                           "correspondents": self.correspondents, "crossrefs": self.crossrefs,
                           "by_context": self.by_context, "unresolved": self.unresolved,
                           "speakers": self.speakers, "rows": self.rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> LinkReport:
        d = json.loads(text)
        return cls(documents=d["documents"], links=Counter(d["links"]), refs_added=Counter(d["refs_added"]),
                   correspondents=Counter(d["correspondents"]), crossrefs=Counter(d["crossrefs"]),
                   by_context=d["by_context"], unresolved=d["unresolved"], speakers=d["speakers"], rows=d["rows"])

    @property
    def ambiguous(self) -> int:
        return sum(1 for r in self.rows if r["kind"] == "ambiguous")

    def summary(self) -> str:
        links = ", ".join(f"{n} {t}" for t, n in sorted(self.links.items())) or "none"
        return (f"linked {self.documents} documents ({len(self.written)} written): {links}; "
                f"{sum(self.refs_added.values())} names given @ref; "
                f"{sum(self.correspondents.values())} correspondents resolved, {self.unresolved} not; "
                f"{self.crossrefs['internal']} cross-references into the edition, {self.crossrefs['external']} "
                f"to the printed series; "
                f"{self.ambiguous} ambiguous mentions to review")


FIELDS = ["file", "line", "kind", "text", "candidates", "context"]


def write_report(report: LinkReport, path: Path) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(report.rows))
    write_atomic(path, buf.getvalue().encode("utf-8"), root=path.parent)


# -- one document ------------------------------------------------------------------------------

@dataclass
class _Slot:
    """A text node: the text of `el` (tail=False) or the tail of `el` (tail=True)."""

    el: etree._Element
    tail: bool
    text: str
    mentions: list[Mention]

    @property
    def container(self) -> etree._Element:
        # a tail slot is only made for an element that has a parent
        return cast(etree._Element, self.el.getparent()) if self.tail else self.el


def _skipped(container: etree._Element, stop: etree._Element) -> bool:
    node: etree._Element | None = container
    while node is not None:
        tag = node.tag
        if tag in NEVER:
            return True
        if tag == T + "bibl" and node.get("type") == "archival":
            return True
        if tag == T + "seg" and node.get("type") != "distribution":
            return True
        if tag == T + "note" and node.get("type") == "unresolved":
            return True
        if tag == T + "hi" and (parent := node.getparent()) is not None and parent.tag == T + "opener":
            return True  # handling marks on a line of their own
        if node is stop:
            return False
        node = node.getparent()
    return False


def _text_slots(div: etree._Element) -> list[tuple[etree._Element, bool]]:
    slots: list[tuple[etree._Element, bool]] = []
    for el in div.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in CONTAINERS and el.text and el.text.strip() and not _skipped(el, div):
            slots.append((el, False))
        parent = el.getparent()
        if el is not div and parent is not None and el.tail and el.tail.strip() \
                and parent.tag in CONTAINERS and not _skipped(parent, div):
            slots.append((el, True))
    return slots


def _in_publication(el: etree._Element) -> bool:
    """Whether `el` is (in) a publication reference ("Publ.: international life. - 1991")."""
    node: etree._Element | None = el
    while node is not None:
        if node.tag == T + "bibl" and node.get("type") == "publication":
            return True
        node = node.getparent()
    return False


def _refs_in(root: etree._Element) -> set[str]:
    ids: set[str] = set()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in (T + "persName", T + "placeName", T + "orgName", T + "name") \
                and (refs := el.get("ref")):
            for r in refs.split():
                if "#" in r:
                    ids.add(r.split("#", 1)[1])
    return ids


def _make(tag: str, text: str, ref: str) -> etree._Element:
    el = etree.Element(T + tag)
    el.set("ref", ref)
    el.text = text
    return el


def _apply(slot: _Slot, chosen: list[tuple[Mention, str]], pointer: str, reg: Register,
           report: LinkReport) -> None:
    """Replaces the slot's text by text and name elements."""
    if not chosen:
        return
    text = slot.text
    pieces: list[etree._Element] = []
    lead = text[:chosen[0][0].start]
    for k, (m, eid) in enumerate(chosen):
        tag = ELEMENT[reg.kind(eid)]
        el = _make(tag, text[m.start:m.end], f"{pointer}#{eid}")
        nxt = chosen[k + 1][0].start if k + 1 < len(chosen) else len(text)
        el.tail = text[m.end:nxt] or None
        pieces.append(el)
        report.links[tag] += 1
    # Each piece goes after the one before (index() and insert(i) would walk the siblings:
    # quadratic in a paragraph of thousands of names).
    if slot.tail:
        slot.el.tail = lead or None
        previous = slot.el
    else:
        slot.el.text = lead or None
        slot.el.insert(0, pieces[0])
        previous = pieces.pop(0)
    for el in pieces:
        previous.addnext(el)
        previous = el


def _context(text: str, m: Mention, width: int = 40) -> str:
    return " ".join((text[max(0, m.start - width):m.start] + "[" + m.text + "]" + text[m.end:m.end + width]).split())


def _doc_date(div: etree._Element) -> str | None:
    date = div.find("t:opener/t:dateline/t:date", NS)
    if date is None:
        date = div.find(".//t:dateline/t:date", NS)
    if date is None:
        return None
    return date.get("when") or date.get("from") or date.get("notBefore") or date.get("to") or date.get("notAfter")


ROMAN = re.compile(r"^[IVXLC]+$")
VOLUME = re.compile(r"\b(?:vol|t)\s*\.\s*([IVXLCivxlc]+|\d+)\b", re.IGNORECASE)


@dataclass
class _Doc:
    path: Path
    data: bytes
    tree: etree._ElementTree
    div: etree._Element
    source: str


class Linker:
    def __init__(self, tei_root: Path, register: Register) -> None:
        self.root = tei_root
        self.reg = register
        self.numbered: dict[tuple[str, str], Path] = {}
        self.numbered_sources: set[str] = set()
        self.series: dict[str, str] = {}  # source id → register entry of the printed series

    def pointer(self, path: Path) -> str:
        return os.path.relpath(self.reg.path, path.parent).replace(os.sep, "/")

    def index_numbers(self, docs: list[tuple[str, str, Path]]) -> None:
        """A source is a numbered collection when most of its documents carry a printed number;
        only then does 'doc. No. N' in one of its notes mean its own document N. `docs`:
        (source, printed number or "", path) of each document."""
        per_source: dict[str, list[tuple[str, str, Path]]] = {}
        for d in docs:
            per_source.setdefault(d[0], []).append(d)
        for source, ds in per_source.items():
            with_n = [d for d in ds if d[1]]
            if len(with_n) * 2 > len(ds):
                self.numbered_sources.add(source)
                for _, n, path in with_n:
                    self.numbered[(source, n)] = path

    # -- the passes --------------------------------------------------------------------------

    def link(self, doc: _Doc, report: LinkReport) -> None:
        pointer = self.pointer(doc.path)
        rel = doc.path.relative_to(self.root.parent).as_posix() if self.root.parent in doc.path.parents \
            else doc.path.as_posix()
        self._existing_names(doc, pointer, report)
        slots = [_Slot(el, tail, (el.tail if tail else el.text) or "", [])
                 for el, tail in _text_slots(doc.div)]
        for s in slots:
            s.mentions = self.reg.matcher.find(s.text)
        # The entries the document names for certain: its links (the editors' and earlier
        # runs') and its unambiguous mentions. Computed once, from the body only, so that a
        # second run sees the same set and adds nothing.
        known = _refs_in(doc.div) | {m.ids[0] for s in slots for m in s.mentions if not m.ambiguous}
        self._correspondents(doc, pointer, rel, known, report)
        # The correspondents identify the document's persons too ("Ivanov" in the heading
        # and signature of a telegram from the chargé d'affaires Ivanov).
        cd = doc.tree.find(".//t:teiHeader/t:profileDesc/t:correspDesc", NS)
        if cd is not None:
            known |= _refs_in(cd)
        self._text(slots, known, pointer, rel, report)
        self._speakers(doc, pointer, report)
        self._crossrefs(doc, rel, report)
        self._abbreviations(doc, rel, report)

    def _abbreviations(self, doc: _Doc, rel: str, report: LinkReport) -> None:
        """Each abbreviation the document's text uses that no register expands, once per
        document: the print's list of abbreviations leaves it out until the editors add it
        to the register of abbreviations (docs/registers.md)."""
        seen: set[str] = set()
        for form, el, text in abbreviations.used_in(doc.div, self.reg.abbreviations):
            if form in seen or form in self.reg.abbreviations.archives or self.reg.abbreviations.expand(form):
                continue
            seen.add(form)
            at = text.find(form.split("(")[0])
            report.rows.append({"file": rel, "line": str(el.sourceline or ""), "kind": "abbreviation",
                                "text": form, "candidates": "",
                                "context": " ".join(text[max(0, at - 40):at + len(form) + 40].split())})

    def _existing_names(self, doc: _Doc, pointer: str, report: LinkReport) -> None:
        """@ref for the converter's places of writing: of the datelines, and of sending that a
        heading prints (correspAction). (The archive of a citation is pointed to by its
        msDesc/repository in the header, which the converter writes.)"""
        sending = doc.tree.iterfind(".//t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction/t:placeName", NS)
        for el in [*doc.div.iterfind(".//t:dateline/t:placeName", NS), *sending]:
            if el.get("ref"):
                continue
            eid = self._whole(" ".join(text_of(el).split()), "place")
            if eid:
                el.set("ref", f"{pointer}#{eid}")
                report.refs_added["placeName"] += 1

    def _whole(self, text: str, kind: str | None = None) -> str | None:
        """The entry whose form is the whole text, if there is exactly one."""
        ms = self.reg.matcher.find(text)
        if len(ms) == 1 and not ms[0].ambiguous and ms[0].start == 0 and ms[0].end == len(text.rstrip(" .,;:")):
            eid = ms[0].ids[0]
            if kind is None or self.reg.kind(eid) == kind:
                return eid
        return None

    def _text(self, slots: list[_Slot], known: set[str], pointer: str, rel: str, report: LinkReport) -> None:
        for s in slots:
            chosen: list[tuple[Mention, str]] = []
            for m in s.mentions:
                if not m.ambiguous:
                    chosen.append((m, m.ids[0]))
                    continue
                hits = [i for i in m.ids if i in known]
                if len(hits) != 1 and _in_publication(s.container):
                    hits = [i for i in m.ids if self.reg.kind(i) == "org"]
                if len(hits) == 1:
                    chosen.append((m, hits[0]))
                    report.by_context += 1
                    continue
                report.rows.append({"file": rel, "line": str(s.container.sourceline or ""), "kind": "ambiguous",
                                    "text": m.text, "candidates": "; ".join(self.reg.label(i) for i in m.ids),
                                    "context": _context(s.text, m)})
            _apply(s, chosen, pointer, self.reg, report)

    # -- correspondents ----------------------------------------------------------------------

    def _signatures(self, div: etree._Element) -> set[str]:
        """Persons named in the signatures of the document's own text (not of a reply)."""
        ids: set[str] = set()
        for signed in div.iter(T + "signed"):
            if any(a.tag == T + "div" and a.get("type") in ("reply", "related") for a in signed.iterancestors()):
                continue
            for m in self.reg.matcher.find(" ".join(text_of(signed).split())):
                if not m.ambiguous and self.reg.kind(m.ids[0]) == "person":
                    ids.add(m.ids[0])
        return ids

    def _resolve(self, text: str, when: str | None, sent: bool, signatures: set[str],
                 known: set[str]) -> tuple[str, list[tuple[str, str]]]:
        mentions = []
        for m in self.reg.matcher.find(text):
            ids = [i for i in m.ids if i in known] if m.ambiguous else list(m.ids)
            if len(ids) == 1 and self.reg.kind(ids[0]) == "person":
                mentions.append((m, ids[0]))
        if mentions:
            parts = split_mentions(text, [m for m, _ in mentions])
            return "name", [(part, eid) for (part, _), (_, eid) in zip(parts, mentions, strict=True)]
        whole = self.reg.offices.by_whole_name(text)
        if len(whole) == 1:
            return "whole", [(text, whole[0])]
        if sent and len(signatures) == 1:
            return "signature", [(text, next(iter(signatures)))]
        bare = text
        for m in reversed(self.reg.matcher.find(text)):  # the office without an unresolved name
            if all(self.reg.kind(i) == "person" for i in m.ids):
                bare = bare[:m.start] + bare[m.end:]
        office = self.reg.offices.by_office(bare, when)
        if len(office) == 1:
            return "office", [(text, office[0])]
        return "", []

    def _correspondents(self, doc: _Doc, pointer: str, rel: str, known: set[str], report: LinkReport) -> None:
        cd = doc.tree.find(".//t:teiHeader/t:profileDesc/t:correspDesc", NS)
        if cd is None:
            return
        when = _doc_date(doc.div)
        signatures = self._signatures(doc.div)
        for action in cd.iterfind("t:correspAction", NS):
            sent = action.get("type") == "sent"
            date = action.find("t:date", NS)
            at = (date.get("when") or date.get("from") or date.get("notBefore")) if date is not None else None
            for name in list(action.iterfind("t:name", NS)):
                if name.get("ref"):
                    continue
                text = " ".join(text_of(name).split())
                how, parts = self._resolve(text, at or when, sent, signatures, known)
                if not parts:
                    report.unresolved += 1
                    report.rows.append({"file": rel, "line": str(name.sourceline or ""), "kind": "correspondent",
                                        "text": text, "candidates": "", "context": action.get("type") or ""})
                    continue
                report.correspondents[how] += 1
                idx = action.index(name)
                tail = name.tail
                action.remove(name)
                for k, (part, eid) in enumerate(parts):
                    el = _make(ELEMENT[self.reg.kind(eid)], part, f"{pointer}#{eid}")
                    el.tail = tail
                    action.insert(idx + k, el)
            if sent:
                self._sender_place(doc, action, pointer)

    def _sender_place(self, doc: _Doc, action: etree._Element, pointer: str) -> None:
        if action.find("t:placeName", NS) is not None:
            return
        place = doc.div.find("t:opener/t:dateline/t:placeName[@ref]", NS)
        if place is None:
            return
        el = etree.Element(T + "placeName")
        el.set("ref", place.get("ref", "").split()[0])
        el.text = " ".join(text_of(place).split())
        names = [c for c in action if isinstance(c.tag, str) and c.tag != T + "date"]
        after = names[-1] if names else None
        idx = action.index(after) + 1 if after is not None else 0
        el.tail = after.tail if after is not None else action.text
        action.insert(idx, el)

    # -- speakers and cross-references -------------------------------------------------------

    def _speakers(self, doc: _Doc, pointer: str, report: LinkReport) -> None:
        for sp in doc.div.iter(T + "sp"):
            if sp.get("who"):
                continue
            speaker = sp.find("t:speaker", NS)
            if speaker is None:
                continue
            ids = []
            for el in speaker.iter(T + "persName"):
                for r in (el.get("ref") or "").split():
                    eid = r.split("#", 1)[-1]
                    if eid in self.reg.entries and eid not in ids:
                        ids.append(eid)
            if ids:
                sp.set("who", " ".join(f"{pointer}#{i}" for i in ids))
                report.speakers += 1

    def _crossrefs(self, doc: _Doc, rel: str, report: LinkReport) -> None:
        for ref in doc.div.iterfind(".//t:ref[@type='document'][@n]", NS):
            n = ref.get("n", "")  # the path asks for @n
            done = ref.get("target")
            if done and REGISTERS not in done:
                continue  # into the edition, or set by an editor
            target = self.numbered.get((doc.source, n)) if doc.source in self.numbered_sources else None
            if target is not None and target != doc.path:
                ref.set("target", "../" + target.relative_to(self.root).as_posix())
                report.crossrefs["internal"] += 1
                continue
            # Outside the edition: a document of the printed series the collection is based on.
            series = self.series.get(doc.source)
            text = " ".join(text_of(ref).split())
            m = VOLUME.search(text)
            volume = (m.group(1).upper() if ROMAN.match(m.group(1).upper()) else m.group(1)) if m else ""
            if done:
                series = done.split("#", 1)[-1]
            elif series:
                ref.set("target", f"{self.pointer(doc.path)}#{series}")
                report.crossrefs["external"] += 1
            else:
                report.crossrefs["unknown"] += 1
            report.rows.append({"file": rel, "line": str(ref.sourceline or ""), "kind": "cross-reference",
                                "text": text, "candidates": series or "",
                                "context": f"document {n}" + (f" of volume {volume}" if volume else "")
                                           + " of the printed series, not in this edition"})


# -- the edition -------------------------------------------------------------------------------

def _serialise(data: bytes, tree: etree._ElementTree) -> bytes:
    """The file's own prolog (declaration, xml-model PIs) kept byte for byte, the root
    element serialised as the converter does."""
    start = data.find(b"<TEI")
    prolog = data[:start] if start >= 0 else b'<?xml version="1.0" encoding="UTF-8"?>\n'
    body = etree.tostring(tree.getroot(), encoding="unicode")
    tail = data[data.rfind(b">") + 1:] if data.rstrip().endswith(b">") else b"\n"
    return prolog + body.encode("utf-8") + tail


def document_files(tei_root: Path) -> list[Path]:
    """The document files under tei/ (one folder per source), in a stable order."""
    return sorted(p for p in tei_root.glob("*/*.xml") if p.is_file())


def series_of_sources(config: Path, reg: Register) -> dict[str, str]:
    """Source id → the register entry of the printed series its collection is based on:
    the collection entry one of whose forms occurs in edition.yaml's `based_on`."""
    from .config import load_config

    try:
        edition = load_config(config)
    except EditionError:
        return {}
    out: dict[str, str] = {}
    for s in edition.sources:
        based_on = (s.collection.based_on or "").lower()
        hits = {e.id for e in reg.entries.values() if e.kind == "org" and based_on
                and any(len(f) > 8 and f.lower() in based_on for f in e.forms)}
        if len(hits) == 1:
            out[s.id] = hits.pop()
    return out


def link_edition(tei_root: Path, *, quiet: bool = True, report_path: Path | None = None,
                 config: Path | None = None, context: BuildContext | None = None,
                 tei_megabytes: int | None = None) -> LinkReport:
    """Links every document under `tei_root` to `tei_root/registers.xml`, writes the changed
    files (through the fingerprint manifest) and the review report
    (default: <project>/out/reports/links.csv). `config` (default: edition.yaml beside
    tei/) names the printed series the collections are based on. Returns what was done.

    In `edition build` (`context`), the documents are linked by the build's executor, and
    a document whose file is as this stage left it, with the same registers and program,
    is not linked again: its part of the report is the one recorded when it was linked.
    A file over `tei_megabytes` is left out (the command has named it: pipeline/limits.py)."""
    reg_path = tei_root / REGISTERS
    reg = load_register(reg_path)
    store = TeiStore(tei_root)
    linker = Linker(tei_root, reg)
    config = config or tei_root.parent / "edition.yaml"
    if config.exists():
        linker.series = series_of_sources(config, reg)
    report = LinkReport()
    # What is kept of each document while the others are read: its path, the hash of its
    # bytes and its printed number (not its tree: 20,000 of them weigh gigabytes).
    # In a build, a file this stage left as it is is not read again: its hash is the cache's
    # (by size, time and inode) and its number the one recorded.
    reg_hash = sha256(reg_path.read_bytes())
    paths = document_files(tei_root)
    if tei_megabytes is not None:
        paths = usable(paths, tei_megabytes)
    known: dict[Path, tuple[str, Record]] = {}
    hashes: dict[Path, str | None] = {}
    if context is not None:
        from .build.cache import digest, program_version

        made = context.cache.records("link.doc")
        stage_key = digest(reg_hash, linker.series, program_version())
        hashes = context.cache.file_hashes(paths, context.executor)  # (many: on the workers)
        for path, sha in hashes.items():
            rec = made.get(store.key(path))
            if sha is not None and rec is not None and rec.key == digest(stage_key, sha) and "n" in rec.outputs:
                known[path] = (sha, rec)
    # In a build, the conversion just wrote most files: their numbers are the ones it
    # recorded, when a file is still what it wrote (no serial parse of every file here).
    converted = context.converted if context is not None else {}
    docs: list[_Seen] = []
    for path in paths:
        if path in known:
            docs.append(_Seen(path, known[path][0], known[path][1].outputs["n"]))
            continue
        wrote = converted.get(store.key(path))
        if wrote is not None and hashes.get(path) == wrote[0]:
            docs.append(_Seen(path, wrote[0], wrote[1]))
            continue
        data = path.read_bytes()
        div = document_div(xmlparse.parse_bytes(data, path=str(path)))
        if div is not None:
            docs.append(_Seen(path, sha256(data), div.get("n") or ""))
    linker.index_numbers([(d.path.parent.name, d.n, d.path) for d in docs])
    setting = (tei_root, reg_path, reg_hash, linker.numbered, linker.numbered_sources, linker.series)
    done: dict[Path, LinkReport] = {}
    fingerprints: dict[str, str | None] = {}
    recorded: list[tuple[str, str, dict[str, str], str]] = []
    written: list[Path] = []
    if context is not None:
        for doc in docs:
            if doc.path in known:
                done[doc.path] = LinkReport.from_json(known[doc.path][1].data)
    todo = [d for d in docs if d.path not in done]
    pending = iter(todo)
    # the files and their fingerprints as one transaction: a run killed at any moment
    # leaves all of them linked and recorded, or none. Each linked file is staged as it
    # comes back, while the others are still being linked.
    with store.transaction() as transaction:
        def take(result: tuple[bytes | None, str, LinkReport]) -> None:
            doc = next(pending)
            new, new_sha, part = result  # new: None when linking changed nothing
            done[doc.path] = part
            if context is not None:
                recorded.append((store.key(doc.path), digest(stage_key, new_sha), {"n": doc.n}, part.to_json()))
            if new is None:
                return
            transaction.stage(doc.path, new)
            written.append(doc.path)
            # the file's bytes are doc.sha (the task checked them): by its fingerprint, hand-edited or not
            if store.fingerprints.get(store.key(doc.path)) != doc.sha:
                report.hand_edited.append(doc.path)
            else:
                fingerprints[store.key(doc.path)] = new_sha

        if context is not None:
            progress = context.progress("link", len(todo))
            context.executor.map_then(_link_one, [(setting, d.path, d.sha) for d in todo], take, progress)
            progress.finish()
        else:
            for d in todo:
                take(_link_one((setting, d.path, d.sha), linker))
        report.written = written
        for doc in docs:
            report.add(done[doc.path])
        transaction.commit({}, written, [], fingerprints)
    if context is not None:
        linked = {d.path for d in todo}
        context.cache.drop("link.doc")
        context.cache.put_many("link.doc", recorded + [
            (store.key(d.path), digest(stage_key, d.sha), {"n": d.n}, done[d.path].to_json())
            for d in docs if d.path not in linked])
        context.converted = {}
    out = report_path or tei_root.parent / "out" / "reports" / "links.csv"
    write_report(report, out)
    if not quiet:
        print(report.summary())
        for p in report.hand_edited:
            print(f"edition: {p}: note: edited by hand; links added, kept recorded as a hand edit", file=sys.stderr)
    return report


@dataclass(frozen=True)
class _Seen:
    path: Path
    sha: str  # of the file's bytes
    n: str  # its printed number ("" when none)


def document_div(tree: etree._ElementTree) -> etree._Element | None:
    """The document's div (/TEI/text/body/div[@type='document']), None when it has none."""
    divs = cast("list[etree._Element]", tree.xpath("/t:TEI/t:text/t:body/t:div[@type='document']", namespaces=NS))
    return divs[0] if divs else None


_Setting = tuple[Path, Path, str, dict[tuple[str, str], Path], set[str], dict[str, str]]


def _link_one(job: tuple[_Setting, Path, str],
              linker: Linker | None = None) -> tuple[bytes | None, str, LinkReport]:
    """Links one document (in whichever process runs it, reading it from the shared
    folder): its new bytes (None when they are the bytes it had), their SHA-256 and its
    part of the report."""
    (tei_root, reg_path, reg_hash, numbered, numbered_sources, series), path, sha = job
    data = path.read_bytes()
    if sha256(data) != sha:
        raise EditionError("the file changed while the edition was being linked", path=str(path),
                           hint="run the command again when no one else writes to tei/")
    if linker is None:
        from .build.executor import worker_state

        reg = worker_state(f"register {reg_path} {reg_hash}", lambda: load_register(reg_path))
        linker = Linker(tei_root, reg)
        linker.numbered, linker.numbered_sources, linker.series = numbered, numbered_sources, series
    tree = xmlparse.parse_bytes(data, path=str(path))
    div = cast("etree._Element", document_div(tree))  # the same bytes as when it was found to have one
    part = LinkReport(documents=1)
    linker.link(_Doc(path, data, tree, div, path.parent.name), part)
    new = _serialise(data, tree)
    return (None, sha, part) if new == data else (new, sha256(new), part)


# -- the command -------------------------------------------------------------------------------

def _edition(args: argparse.Namespace) -> tuple[Path, int]:
    """The edition's tei/ folder and its size limit for a TEI file (pipeline/limits.py)."""
    from .config import load_config

    edition = load_config(Path(args.config))
    return edition.root / "tei", edition.limits.tei_megabytes


def run(args: argparse.Namespace) -> int:
    tei_root, megabytes = _edition(args)
    if not (tei_root / REGISTERS).exists():
        # a new edition without registers yet: nothing to link, not an error
        print(f"edition: {tei_root / REGISTERS}: warning: no registers; nothing linked (see docs/registers.md)",
              file=sys.stderr)
        return 0
    report = link_edition(tei_root, quiet=args.quiet, config=Path(args.config),
                          context=getattr(args, "build_context", None), tei_megabytes=megabytes)
    if not report.documents:
        raise EditionError("no documents to link", path=str(tei_root), hint="run `edition convert` first")
    if not args.quiet:
        print(f"ambiguous mentions and unresolved correspondents: "
              f"{(tei_root.parent / 'out' / 'reports' / 'links.csv').relative_to(tei_root.parent)}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("link", help="mark the names in the TEI and point them to tei/registers.xml")
    p.set_defaults(func=run)


def build(args: argparse.Namespace) -> int:
    return run(args)


__all__ = ["LinkReport", "Register", "add_parser", "build", "link_edition", "load_register"]
