"""The register of abbreviations, and the abbreviations a document uses.

`tei/registers.xml` may hold a register of abbreviations (docs/registers.md):

    <div type="register" subtype="abbreviations">
      <list type="abbreviations">
        <item><abbr>VKP(b)</abbr><abbr type="variant">VKP (B)</abbr>
          <expan>Vsesoyuznaya Kommunisticheskaya Partiya (bol'shevikov) …</expan></item>

An abbreviation the register does not list is expanded by the registers of persons, places
and organisations where one of their entries has it as a name: by the rest of the
preferred name that gives it in brackets ("People's Commissariat … (NKID)"), else by the
entry's name whose initials spell it ("ASSR": "Azerbaijan SSR"), else by its longest name.
Archives (`org[@type='archive']`) are listed with the archival citations, not here.

An abbreviation found in a text (pipeline/recognise/abbreviations.py) that neither expands
is never given an invented expansion: the print leaves it out of its list and `edition
link` reports it for review (out/reports/links.csv, kind "abbreviation").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import xmlparse
from ..recognise.abbreviations import finder, looks_like_abbreviation, normal_form
from ..tei import text_of

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_NAMES = (TEI + "persName", TEI + "placeName", TEI + "orgName")
# Where a document's text is not printed as it stands: the printed form of a reading the
# edition corrects, variants' sigla, idnos, the printed archival citation (the print gives
# its normalised form) and the labels of notes.
_NOT_PRINTED = {TEI + n for n in ("sic", "orig", "idno", "label", "witDetail")}


@dataclass(frozen=True)
class Abbreviation:
    form: str                    # as listed: "VKP(b)"
    expansion: str
    key: str                     # what it abbreviates: the register's item, or a register entry's id


@dataclass
class AbbreviationRegister:
    """The expansions of the register of abbreviations and of the other registers' names."""

    listed: dict[str, Abbreviation] = field(default_factory=dict)    # normal form → the register's entry
    derived: dict[str, Abbreviation] = field(default_factory=dict)   # normal form → from a name
    archives: set[str] = field(default_factory=set)                  # the archives' forms (not listed here)

    @property
    def known(self) -> set[str]:
        """Every form the registers know (found in a text whatever it looks like)."""
        return set(self.listed) | set(self.derived) | self.archives

    def expand(self, form: str) -> Abbreviation | None:
        return self.listed.get(form) or self.derived.get(form)


def _initials(name: str) -> str:
    """The capitals a name gives as an abbreviation: each word's initial, every capital of
    a word in capitals ("Azerbaijan SSR" → ASSR, "United Kingdom" → UK)."""
    return "".join(re.sub(r"[^A-Z]", "", w) if re.match(r"[A-Z]{2,}", w) else w[:1].upper()
                   for w in re.split(r"[\s\-–]+", name) if w)


def _words(el: etree._Element) -> str:
    return " ".join(text_of(el).split())


def read_register(tree: etree._ElementTree | None) -> AbbreviationRegister:
    """The register of abbreviations of tei/registers.xml (parsed), or an empty one."""
    reg = AbbreviationRegister()
    if tree is None:
        return reg
    for item in tree.iterfind(f".//{TEI}list[@type='abbreviations']/{TEI}item"):
        abbrs = [normal_form(_words(a)) for a in item.iterfind(f"{TEI}abbr")]
        expan = item.find(f"{TEI}expan")
        if not abbrs or not abbrs[0] or expan is None or not _words(expan):
            continue
        entry = Abbreviation(abbrs[0], _words(expan), f"abbreviation {abbrs[0]}")
        for a in abbrs:
            if a:
                reg.listed.setdefault(a, entry)
    for kind in ("person", "place", "org"):
        for e in tree.iterfind(f".//{TEI}{kind}"):
            names = [(n.get("type") or "", _words(n)) for n in e if n.tag in _NAMES and n.get("type") != "office"]
            names = [(t, n) for t, n in names if n]
            if e.get("type") == "archive":  # its names, and the parts of a name such as "AVP RF"
                reg.archives.update(normal_form(n) for _, n in names)
                reg.archives.update(w for _, n in names if " " in n and len(n) < 12 for w in n.split()
                                    if looks_like_abbreviation(w))
                continue
            forms = [normal_form(n) for _, n in names if looks_like_abbreviation(n)]
            if not forms:
                continue
            preferred = next((n for t, n in names if t == "preferred"), names[0][1] if names else "")
            bracket = re.fullmatch(r"(.*\S)\s*\(([^()]*(?:\([a-z]\))?)\)", preferred)
            full = [n for _, n in names if not looks_like_abbreviation(n)]
            for form in forms:
                if bracket and normal_form(bracket.group(2)) == form:
                    expansion = bracket.group(1)
                else:
                    letters = re.sub(r"[^A-Z]", "", form)
                    ranked = sorted(full, key=lambda n: (_initials(n) != letters, -len(n)))
                    expansion = ranked[0] if ranked else ""
                if expansion:
                    reg.derived.setdefault(form, Abbreviation(form, expansion, e.get(XML_ID) or form))
    return reg


def load(path: Path) -> AbbreviationRegister:
    """The register of abbreviations of the registers file at `path` (empty without one)."""
    return read_register(xmlparse.parse_file(path) if path.exists() else None)


def _text_nodes(el: etree._Element, skip: bool = False) -> Iterator[tuple[etree._Element, str]]:
    """(element, text) of the printed text nodes under `el`: (el, its text), then each
    child's, then (child, its tail)."""
    skip = skip or el.tag in _NOT_PRINTED or (el.tag == TEI + "bibl" and el.get("type") == "archival") \
        or (el.tag == TEI + "note" and el.get("subtype") == "label")
    if not skip and el.text:
        yield el, el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _text_nodes(child, skip)
        if not skip and child.tail:
            yield el, child.tail


def used_in(div: etree._Element, register: AbbreviationRegister) -> Iterator[tuple[str, etree._Element, str]]:
    """(form, element, its text) of every abbreviation a document's printed text uses
    (`div` its text or body), in the order of the text."""
    find = finder(frozenset(register.known))
    for el, text in _text_nodes(div):
        for _, form in find(text):
            yield form, el, text


@dataclass
class Listed:
    """An abbreviation of the print's list, with the forms the texts used."""

    entry: Abbreviation
    used: Counter[str] = field(default_factory=Counter)


def print_list(documents: Iterable[Path], register: AbbreviationRegister) -> list[dict[str, str]]:
    """The list of abbreviations of a volume: every abbreviation its documents' text uses
    that the registers expand (archives aside: they have a list of their own), once each
    under the form the register of abbreviations lists it, or else the form the texts use
    most (a misprint of it is not listed), sorted; (abbr, expansion)."""
    found: dict[str, Listed] = {}
    for path in documents:
        tree = xmlparse.parse_file(path)
        text = tree.find(f"{TEI}text")
        if text is None:
            continue
        for form, _, _ in used_in(text, register):
            if form in register.archives:
                continue
            entry = register.expand(form)
            if entry is None:
                continue
            found.setdefault(entry.key, Listed(entry)).used[form] += 1
    out = []
    for got in found.values():
        if got.entry.key.startswith("abbreviation "):
            out.append({"abbr": got.entry.form, "expansion": got.entry.expansion})
        else:  # an entry's names: the form the texts use most, with its expansion
            form = max(got.used, key=lambda f: (got.used[f], f))
            out.append({"abbr": form, "expansion": register.derived[form].expansion})
    return sorted(out, key=lambda a: (a["abbr"].casefold(), a["abbr"]))
