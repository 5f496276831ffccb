"""The correspondence of the edition as CMIF (Correspondence Metadata Interchange Format).

CMIF is the TEI Correspondence SIG's reduced TEI for letter metadata, harvested by
correspondence portals such as correspSearch. One `correspDesc` per letter, telegram,
note, radiogram, memorandum and message of the edition (docs/encoding.md: the document
kinds that carry a `profileDesc/correspDesc`), each with

- `@key` (the document id), `@ref` (the document's page when the edition's base URL is
  known, else the TEI file by relative path) and `@source` (`#<uuid>` of the `bibl` of
  its collection in the CMIF `sourceDesc`);
- `correspAction type="sent"` and `type="received"`, always both (CMIF requires them; a
  side the sources do not name is the CMIF convention `persName` "Unknown");
- inside them only `persName`, `orgName`, `placeName` (text only, `@ref` an authority
  URI) and an empty `date` with `@when`, `@from`/`@to` or `@notBefore`/`@notAfter` in
  the forms CMIF accepts (YYYY, YYYY-MM, YYYY-MM-DD: times are cut off).

Names come from the document's `correspAction`. Where the link stage has pointed them to
the registers (`persName ref="../registers.xml#p_…"`), the register entry gives the
preferred name and, when it records one, the authority id (`idno type="wikidata"`,
`"viaf"`, `"gnd"`, `"geonames"` …) that becomes CMIF's `@ref`. Without registers, or for
an entry without an authority id, the printed description is used as it stands, with no
`@ref`: an edition-internal id is not an authority id and would mislead a harvester.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from . import xmlparse
from .config import Edition, Source
from .errors import EditionError
from .tei import TEI_NSMAP, text_of

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# The document kinds of docs/encoding.md that the converter gives a correspDesc.
CORRESPONDENCE_KINDS = ("letter", "telegram", "note", "radiogram", "memorandum", "message")
ACTIONS = ("sent", "received")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
BIBL_TYPES = ("online", "print", "hybrid")

# CMIF makes CC BY 4.0 mandatory for the CMIF file itself (not for the edition).
CMIF_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CMIF_LICENCE_TEXT = "This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0"
CMIF_SCHEMA = "https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng"
UNKNOWN = "Unknown"
CMIF_FILE = "cmif.xml"

CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Authority files by register idno/@type, most useful to correspondence portals first;
# a bare id becomes the authority's canonical URI.
PERSON_AUTHORITIES = ("gnd", "viaf", "lc", "bnf", "ndl", "wikidata")
PLACE_AUTHORITIES = ("geonames", "wikidata")
AUTHORITY_URI = {
    "gnd": "https://d-nb.info/gnd/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "lc": "http://id.loc.gov/authorities/names/{}",
    "bnf": "https://data.bnf.fr/ark:/12148/{}",
    "ndl": "https://id.ndl.go.jp/auth/ndlna/{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
    "geonames": "https://www.geonames.org/{}",
}
REGISTER_KINDS = {"person": "persName", "personGrp": "persName", "org": "orgName", "place": "placeName"}


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------------------- registers


@dataclass(frozen=True)
class Entry:
    """What a register entry contributes to CMIF: its kind, preferred name, authority URI."""

    element: str  # persName | orgName | placeName
    name: str
    authority: str | None


class Registers:
    """Resolves `@ref` pointers of the documents into register entries.

    The pointers are relative to the document (`../registers.xml#p_stalin`), so any
    register file the link stage uses (tei/registers.xml, tei/registers/*.xml) works; each
    file is parsed once. A pointer that does not resolve (the registers are not there yet)
    gives None, and the caller falls back to the printed name."""

    def __init__(self) -> None:
        self._files: dict[Path, dict[str, etree._Element] | None] = {}

    def _ids(self, path: Path) -> dict[str, etree._Element] | None:
        key = path.resolve()
        if key not in self._files:
            try:
                root = xmlparse.parse_file(key).getroot()
            except EditionError:
                self._files[key] = None
            else:
                self._files[key] = {el.get(XML_ID, ""): el for el in root.iter() if isinstance(el.tag, str)
                                    and el.get(XML_ID)}
        return self._files[key]

    def resolve(self, document: Path, ref: str | None) -> Entry | None:
        for token in (ref or "").split():
            if token.startswith(("http://", "https://")):
                # Already an authority URI in the document: keep it, with the printed name.
                return Entry("", "", token)
            file_part, _, fragment = token.partition("#")
            if not fragment:
                continue
            target = (document.parent / file_part) if file_part else document
            ids = self._ids(target)
            el = ids.get(fragment) if ids else None
            if el is not None:
                return _entry(el)
        return None


def _entry(el: etree._Element) -> Entry:
    local = etree.QName(el).localname
    element = REGISTER_KINDS.get(local, "persName")
    names = el.findall(f"t:{element}", NS)
    preferred = next((n for n in names if n.get("type") == "preferred"), names[0] if names else None)
    name = _norm(text_of(preferred)) if preferred is not None else ""
    order = PLACE_AUTHORITIES if element == "placeName" else PERSON_AUTHORITIES
    ids = {}
    for idno in el.findall("t:idno", NS):
        kind = (idno.get("type") or "").lower()
        value = _norm(idno.text)
        if kind and value and kind not in ids:
            ids[kind] = value
    authority = None
    for kind in order:
        if kind in ids:
            value = ids[kind]
            authority = value if value.startswith(("http://", "https://")) else AUTHORITY_URI[kind].format(value)
            break
    return Entry(element, name, authority)


# ---------------------------------------------------------------------------- letters


@dataclass
class Party:
    element: str  # persName | orgName | placeName
    name: str
    ref: str | None = None


@dataclass
class Action:
    type: str
    agents: list[Party] = field(default_factory=list)
    places: list[Party] = field(default_factory=list)
    date: dict[str, str] = field(default_factory=dict)


@dataclass
class Letter:
    id: str
    rel: str  # the TEI file below tei/
    collection: str  # source id
    actions: dict[str, Action]

    @property
    def sort_key(self) -> tuple[str, str]:
        d = self.actions["sent"].date or self.actions["received"].date
        first = min((v for k, v in d.items() if k in DATE_ATTRS), default="9999")
        return first, self.id


def cmif_date(value: str) -> str:
    """A TEI date value in a form CMIF accepts: the time of day is cut off."""
    return value.split("T", 1)[0]


def _date(el: etree._Element | None) -> dict[str, str]:
    if el is None:
        return {}
    out = {a: cmif_date(el.get(a, "")) for a in DATE_ATTRS if el.get(a)}
    if out and el.get("cert"):
        out["cert"] = el.get("cert", "")
    return out


def _party(node: etree._Element, path: Path, registers: Registers) -> Party | None:
    local = etree.QName(node).localname
    printed = _norm(text_of(node))
    # `name` is the converter's "kind not known yet"; CMIF has no `name`, and persName is
    # the element it requires for a correspondent.
    element = "persName" if local == "name" else local
    entry = registers.resolve(path, node.get("ref"))
    if entry is None:
        return Party(element, printed) if printed else None
    return Party(entry.element or element, entry.name or printed, entry.authority)


def read_letter(path: Path, tree: etree._ElementTree, tei_root: Path, registers: Registers) -> Letter | None:
    """The CMIF view of one TEI document, or None when it is not correspondence."""
    root = tree.getroot()
    div = root.find("t:text/t:body/t:div[@type='document']", NS)
    if div is None or div.get("subtype") not in CORRESPONDENCE_KINDS:
        return None
    doc_id = div.get(XML_ID) or path.stem
    corresp = root.find("t:teiHeader/t:profileDesc/t:correspDesc", NS)
    actions = {kind: Action(kind) for kind in ACTIONS}
    if corresp is not None:
        for el in corresp.findall("t:correspAction", NS):
            action = actions.get(el.get("type", ""))
            if action is None:
                continue
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                local = etree.QName(child).localname
                if local in ("persName", "orgName", "name"):
                    party = _party(child, path, registers)
                    if party is not None:
                        action.agents.append(party)
                elif local == "placeName":
                    party = _party(child, path, registers)
                    if party is not None:
                        action.places.append(party)
                elif local == "date" and not action.date:
                    action.date = _date(child)
    # The dateline gives the place and date of writing when the header does not
    # (documents not yet linked have no placeName in their correspAction).
    sent = actions["sent"]
    dateline = div.find("t:opener/t:dateline", NS)
    if dateline is not None:
        if not sent.places:
            for place in dateline.findall("t:placeName", NS):
                party = _party(place, path, registers)
                if party is not None:
                    sent.places.append(party)
        if not sent.date:
            sent.date = _date(dateline.find("t:date", NS))
    for action in actions.values():
        if not action.agents:
            action.agents.append(Party("persName", UNKNOWN))
    collection = _collection_id(root) or doc_id.split("-", 1)[0]
    return Letter(doc_id, path.relative_to(tei_root).as_posix(), collection, actions)


def _collection_id(root: etree._Element) -> str | None:
    bibl = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type='collection']", NS)
    if bibl is None:
        return None
    fragment = (bibl.get("corresp") or "").partition("#")[2]
    return fragment.removeprefix("coll-") or None


# ---------------------------------------------------------------------------- the file


def stable_uuid(name: str) -> str:
    """A UUID that stays the same for the same name (CMIF wants a bibl id that survives
    regeneration) and begins with a letter (an xml:id may not begin with a digit)."""
    for n in itertools.count():
        value = str(uuid.uuid5(uuid.NAMESPACE_URL, name if n == 0 else f"{name}#{n}"))
        if value[0].isalpha():
            return value
    raise AssertionError("unreachable")


def document_ref(letter: Letter, base_url: str | None) -> str:
    """Where a harvester finds the letter: its page in the web edition when the edition's
    base URL is known, else its TEI file relative to the CMIF file (both sit at the top of
    the deposit's payload and of the web edition)."""
    if base_url:
        return f"{base_url.rstrip('/')}/documents/{letter.id}.html"
    return f"tei/{letter.rel}"


def _bibl_text(edition: Edition, source: Source | None) -> str:
    ed = f"{edition.title}, TEI edition, {edition.publisher}" + (f", {edition.year}" if edition.year else "")
    if source is None:
        return ed
    c = source.collection
    people = list(c.editors) + list(c.compilers)
    parts = [c.title]
    if people:
        parts.append(", ".join(people) + (" (compilers)" if c.compilers and not c.editors else ""))
    if c.year:
        parts.append(c.year)
    return "; ".join(parts) + f". Edited from its text in: {ed}."


@dataclass
class Cmif:
    xml: bytes
    letters: int
    with_authority: int  # correspondents and places that carry an authority @ref


def build_cmif(trees: Mapping[Path, etree._ElementTree], tei_root: Path, edition: Edition, *,
               timestamp: datetime, base_url: str | None = None) -> Cmif:
    """The CMIF file for the given (already parsed) TEI files of one edition."""
    registers = Registers()
    letters = [letter for path in sorted(trees)
               if (letter := read_letter(path, trees[path], tei_root, registers)) is not None]
    letters.sort(key=lambda item: item.sort_key)
    sources = {s.id: s for s in edition.sources}
    bibl_ids = {c: stable_uuid(f"urn:edition:{edition.id}:collection:{c}")
                for c in sorted({letter.collection for letter in letters})}

    E = _Maker()
    tei = E("TEI")
    header = E.sub(tei, "teiHeader")
    file_desc = E.sub(header, "fileDesc")
    title_stmt = E.sub(file_desc, "titleStmt")
    E.sub(title_stmt, "title", text=f"Letters, telegrams and notes of the edition “{edition.title}”")
    for name in edition.editors or (edition.publisher,):
        E.sub(title_stmt, "editor", text=name)
    pub = E.sub(file_desc, "publicationStmt")
    publisher = E.sub(pub, "publisher")
    if base_url:
        E.sub(publisher, "ref", {"target": base_url}, text=edition.publisher)
    else:
        publisher.text = edition.publisher
    E.sub(pub, "idno", {"type": "url"},
          text=f"{base_url.rstrip('/')}/{CMIF_FILE}" if base_url else CMIF_FILE)
    stamp = timestamp.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    E.sub(pub, "date", {"when": stamp})
    availability = E.sub(pub, "availability")
    E.sub(availability, "licence", {"target": CMIF_LICENCE_URL}, text=CMIF_LICENCE_TEXT)
    source_desc = E.sub(file_desc, "sourceDesc")
    for collection, bibl_id in bibl_ids.items():
        bibl = E.sub(source_desc, "bibl", {"type": "online", XML_ID: bibl_id},
                     text=_bibl_text(edition, sources.get(collection)))
        if base_url:
            bibl.text = (bibl.text or "") + " "
            E.sub(bibl, "ref", {"target": base_url}, text=base_url)
    if not bibl_ids:
        # CMIF requires at least one bibl even for an edition without letters.
        E.sub(source_desc, "bibl", {"type": "online", XML_ID: stable_uuid(f"urn:edition:{edition.id}")},
              text=_bibl_text(edition, None))
    profile = E.sub(header, "profileDesc")
    authority = 0
    for letter in letters:
        desc = E.sub(profile, "correspDesc", {"key": letter.id, "ref": document_ref(letter, base_url),
                                              "source": f"#{bibl_ids[letter.collection]}"})
        for kind in ACTIONS:
            action = letter.actions[kind]
            el = E.sub(desc, "correspAction", {"type": kind})
            for party in [*action.agents, *action.places]:
                attrs = {"ref": party.ref} if party.ref else {}
                authority += bool(party.ref)
                E.sub(el, party.element, attrs, text=party.name)
            if action.date:
                E.sub(el, "date", action.date)
    body = E.sub(E.sub(tei, "text"), "body")
    E.sub(body, "p")
    doc = etree.ElementTree(tei)
    pi = etree.ProcessingInstruction(
        "xml-model", f'href="{CMIF_SCHEMA}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"')
    tei.addprevious(pi)
    etree.indent(doc, space=" ")
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(doc, encoding="UTF-8", pretty_print=True)
    return Cmif(xml, len(letters), authority)


class _Maker:
    """Tiny element builder in the TEI namespace (attribute order as given: stable output)."""

    def __call__(self, tag: str) -> etree._Element:
        return etree.Element(T + tag, nsmap=TEI_NSMAP)

    @staticmethod
    def sub(parent: etree._Element, tag: str, attrs: Mapping[str, str] | None = None, *,
            text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, T + tag)
        for k, v in (attrs or {}).items():
            el.set(k, v)
        if text is not None:
            el.text = text
        return el


# ---------------------------------------------------------------------------- the rules


def check_cmif(root: etree._Element) -> list[str]:
    """The CMIF rules (the format's documentation, ODD and Schematron, restated): what a
    harvester relies on. Returns problems as sentences; empty when the file conforms."""
    problems: list[str] = []
    if root.tag != T + "TEI":
        return ["the root element is not TEI (in the TEI namespace)"]
    fd = root.find("t:teiHeader/t:fileDesc", NS)
    if fd is None:
        return ["teiHeader/fileDesc is missing"]
    if not _norm(fd.findtext("t:titleStmt/t:title", namespaces=NS)):
        problems.append("titleStmt/title is missing or empty")
    if fd.find("t:titleStmt/t:editor", NS) is None:
        problems.append("titleStmt has no editor (the contact for the file)")
    pub = fd.find("t:publicationStmt", NS)
    if pub is None:
        return [*problems, "publicationStmt is missing"]
    if not any(_norm(text_of(p)) for p in pub.findall("t:publisher", NS)):
        problems.append("publicationStmt has no publisher")
    if not _norm(pub.findtext("t:idno[@type='url']", namespaces=NS)):
        problems.append('publicationStmt has no idno type="url" (the address of the CMIF file)')
    date = pub.find("t:date", NS)
    if date is None or not date.get("when"):
        problems.append("publicationStmt/date/@when (the time of the last change) is missing")
    licence = pub.find("t:availability/t:licence", NS)
    if licence is None or licence.get("target") != CMIF_LICENCE_URL:
        problems.append(f"publicationStmt/availability/licence must have target=\"{CMIF_LICENCE_URL}\" (CC BY 4.0)")
    bibls = fd.findall("t:sourceDesc/t:bibl", NS)
    if not bibls:
        problems.append("sourceDesc has no bibl")
    ids = set()
    for bibl in bibls:
        if bibl.get("type") not in BIBL_TYPES:
            problems.append(f"sourceDesc/bibl type=\"{bibl.get('type')}\" is not one of {', '.join(BIBL_TYPES)}")
        if not bibl.get(XML_ID):
            problems.append("a sourceDesc/bibl has no xml:id")
        ids.add(bibl.get(XML_ID))
    for desc in root.iterfind("t:teiHeader/t:profileDesc/t:correspDesc", NS):
        where = f"correspDesc key=\"{desc.get('key', '?')}\""
        if not desc.get("ref"):
            problems.append(f"{where}: no @ref (the letter's address)")
        source = desc.get("source", "")
        if not source.startswith("#") or source[1:] not in ids:
            problems.append(f"{where}: @source=\"{source}\" does not point to a sourceDesc/bibl/@xml:id")
        for kind in ACTIONS:
            if desc.find(f"t:correspAction[@type='{kind}']", NS) is None:
                problems.append(f"{where}: correspAction type=\"{kind}\" is missing")
        for action in desc.findall("t:correspAction", NS):
            problems.extend(f"{where}: {p}" for p in _check_action(action))
    return problems


def _check_action(action: etree._Element) -> Iterable[str]:
    kind = action.get("type")
    if kind not in ACTIONS:
        yield f"correspAction type=\"{kind}\" is neither sent nor received"
    if _norm(action.text) or any(_norm(c.tail) for c in action):
        yield f"correspAction type=\"{kind}\" holds text outside its children"
    agents = 0
    for child in action:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local not in ("persName", "orgName", "placeName", "date"):
            yield f"correspAction type=\"{kind}\" has a {local}, which CMIF does not allow there"
            continue
        if len(child):
            yield f"{local} in correspAction type=\"{kind}\" has child elements (text only)"
        if local == "date":
            yield from _check_date(child, kind)
        else:
            agents += local != "placeName"
            if not _norm(child.text):
                yield f"an empty {local} in correspAction type=\"{kind}\""
    if not agents:
        yield f"correspAction type=\"{kind}\" names no persName or orgName (write \"{UNKNOWN}\")"


def _check_date(date: etree._Element, kind: str | None) -> Iterable[str]:
    values = {a: date.get(a, "") for a in DATE_ATTRS if date.get(a) is not None}
    if not values:
        yield f"a date in correspAction type=\"{kind}\" has no dating attribute (@when, @from, @to, " \
              "@notBefore or @notAfter)"
    for attr, value in values.items():
        if not CMIF_DATE.match(value):
            yield f"date/@{attr}=\"{value}\" in correspAction type=\"{kind}\" is not YYYY, YYYY-MM or YYYY-MM-DD"
    if "when" in values and len(values) > 1:
        yield f"a date in correspAction type=\"{kind}\" has @when and a range"
    for lo, hi in (("from", "to"), ("notBefore", "notAfter")):
        if lo in values and hi in values and values[lo] > values[hi]:
            yield f"date/@{lo} is later than @{hi} in correspAction type=\"{kind}\""
    if _norm(date.text):
        yield f"a date in correspAction type=\"{kind}\" has text (CMIF dates are empty)"
