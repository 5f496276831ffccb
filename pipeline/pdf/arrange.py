"""The order of the print edition and its volumes.

The documents are arranged as `edition.yaml` asks (`print: arrangement:`):
chronologically (the default; parts by year) or by collection (parts in the order of
`edition.yaml`, documents in the order of their source). A document printed in more
than one source (linked by `relatedItem[@type='witness']`) is printed once, from the
printing with the most archival citations; the others are named in a note. The
documents are numbered through the edition and split into volumes of at most
`print: volume_size:` documents, each of which can be typeset on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import xmlparse
from ..config import Edition
from ..errors import EditionError
from ..limits import usable
from ..tei import text_of

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_ORIGIN_LINE = re.compile(r"#line=(\d+)")
_ISO = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?")


@dataclass(frozen=True)
class DocInfo:
    """What the arrangement needs to know of one document file."""

    path: Path
    id: str
    source: str
    date: str                    # ISO date (yyyy, yyyy-mm, yyyy-mm-dd) or ''
    origin: int                  # the first line in the raw text: the order of the collection
    witnesses: tuple[str, ...]   # ids of the same document in other sources
    citations: int               # archival citations (msDesc)
    collection: str              # the collection's title
    number: str                  # the document's number in the collection ('' if none)


@dataclass
class Arrangement:
    """The documents to print, in order, with their numbers and parts."""

    docs: list[DocInfo]
    numbers: dict[str, str]                  # document id (printed and not) → number here
    parts: dict[str, str]                    # document id → part key (a year or a source id)
    other_printings: dict[str, list[str]] = field(default_factory=dict)  # id → "Collection, No. 5"


@dataclass
class VolumePlan:
    """One PDF of the edition: its documents and what it shares with the others."""

    name: str
    docs: list[DocInfo]
    title: str | None
    arrangement: Arrangement


def _text(el: etree._Element | None) -> str:
    return " ".join(text_of(el).split()) if el is not None else ""


def read_info(path: Path) -> DocInfo:
    tree = xmlparse.parse_file(path)
    div = tree.find(f".//{TEI}body//{TEI}div[@type='document']")
    doc_id = (div.get(XML_ID) if div is not None else None) or path.stem
    dates = tree.findall(f".//{TEI}body//{TEI}opener/{TEI}dateline/{TEI}date") or \
        tree.findall(f".//{TEI}correspDesc//{TEI}date")
    date = ""
    for d in dates[:1]:
        for attr in ("when", "from", "notBefore", "notAfter"):
            match = _ISO.match(d.get(attr) or "")
            if match:
                date = match.group(0)
                break
    origin = 1 << 30
    coll_title, number = "", ""
    bibl = tree.find(f".//{TEI}sourceDesc/{TEI}bibl[@type='collection']")
    if bibl is not None:
        ref = bibl.find(f"{TEI}ref[@type='origin']")
        match = _ORIGIN_LINE.search(ref.get("target") or "") if ref is not None else None
        if match:
            origin = int(match.group(1))
        title = bibl.find(f"{TEI}title")
        coll_title = _text(title)
        cited = bibl.find(f"{TEI}citedRange[@unit='document']")
        number = _text(cited)
    related = tree.iterfind(f".//{TEI}notesStmt/{TEI}relatedItem[@type='witness']")
    witnesses = tuple(Path(t.split("#")[0]).stem for item in related for t in (item.get("target") or "").split() if t)
    return DocInfo(path=path, id=doc_id, source=doc_id.split("-")[0], date=date, origin=origin,
                   witnesses=witnesses, citations=len(tree.findall(f".//{TEI}sourceDesc/{TEI}msDesc")),
                   collection=coll_title, number=number)


def _read(path: Path, root: Path) -> DocInfo:
    try:
        return read_info(path)
    except EditionError as exc:
        try:
            exc.path = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            exc.path = str(path)
        raise


def _printing(info: DocInfo, kept: DocInfo, edition: Edition) -> str:
    """How the note names another printing of a document: "Collection, No. 5 (website X)"."""
    if info.source == kept.source:
        return "a second time in the same collection"  # the note reads "Also printed a second time …"
    number = info.number if not info.number or info.number.lower().startswith("no") else f"No. {info.number}"
    site = next((s.site for s in edition.sources if s.id == info.source and s.site), None)
    return "in " + info.collection + (f", {number}" if number else "") + (f" (website {site})" if site else "")


def arrange(edition: Edition, tei_root: Path, *, arrangement: str | None = None,
            source_ids: list[str] | None = None) -> Arrangement:
    """The documents in print order (see the module's docstring)."""
    how = arrangement or edition.print.arrangement
    order = {s.id: i for i, s in enumerate(edition.sources)}
    infos: list[DocInfo] = []
    for source in edition.sources:
        if source_ids is not None and source.id not in source_ids:
            continue
        # a file over the size limit is left out (the command has named it: pipeline/limits.py)
        files = usable([p for p in (tei_root / source.id).glob("*.xml") if p.is_file()], edition.limits.tei_megabytes)
        infos.extend(sorted((_read(p, edition.root) for p in files), key=lambda d: (d.origin, d.path.name)))
    by_id = {d.id: d for d in infos}

    # one printing of each document: groups of witnesses, the best-cited printing kept
    group_of: dict[str, str] = {}

    def find(x: str) -> str:
        while group_of.get(x, x) != x:
            x = group_of[x]
        return x

    for d in infos:
        for w in d.witnesses:
            if w in by_id:
                a, b = find(d.id), find(w)
                if a != b:
                    group_of[max(a, b)] = min(a, b)
    groups: dict[str, list[DocInfo]] = {}
    for d in infos:
        groups.setdefault(find(d.id), []).append(d)
    kept_for: dict[str, str] = {}
    other_printings: dict[str, list[str]] = {}
    for members in groups.values():
        best = min(members, key=lambda d: (-d.citations, order.get(d.source, 0), d.origin))
        for m in members:
            kept_for[m.id] = best.id
        others = [_printing(m, best, edition) for m in members if m is not best]
        if others:
            other_printings[best.id] = others
    printed = [d for d in infos if kept_for[d.id] == d.id]

    parts: dict[str, str] = {}
    if how == "chronological":
        # an undated document keeps its place after the document before it in its source
        keyed: list[tuple[str, int, int, DocInfo]] = []
        last_date: dict[str, str] = {}
        for i, d in enumerate(printed):
            date = d.date or last_date.get(d.source, "")
            last_date[d.source] = date
            keyed.append((date or "9999", order.get(d.source, 0), i, d))
        keyed.sort(key=lambda k: k[:3])
        printed = [k[3] for k in keyed]
        for date, _, _, d in keyed:
            parts[d.id] = date[:4] if date != "9999" else "undated"
    else:
        for d in printed:
            parts[d.id] = d.source
    numbers = {d.id: str(i) for i, d in enumerate(printed, start=1)}
    for doc_id, kept in kept_for.items():
        numbers.setdefault(doc_id, numbers[kept])
    return Arrangement(printed, numbers, parts, other_printings)


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def split(arrangement: Arrangement, size: int, name: str = "edition") -> list[VolumePlan]:
    """Volumes of at most `size` documents (0: one volume), as even as can be."""
    docs = arrangement.docs
    if size <= 0 or len(docs) <= size:
        return [VolumePlan(name, docs, None, arrangement)]
    count = -(-len(docs) // size)
    plans = []
    for v in range(count):
        chunk = docs[v * len(docs) // count:(v + 1) * len(docs) // count]
        first, last = arrangement.numbers[chunk[0].id], arrangement.numbers[chunk[-1].id]
        years = sorted({d.date[:4] for d in chunk if d.date})
        span = (f", {years[0]}–{years[-1]}" if len(years) > 1 and years[0] != years[-1]
                else f", {years[0]}" if years else "")
        title = f"Volume {roman(v + 1)}: Nos. {first}–{last}{span}"
        plans.append(VolumePlan(f"{name}-{v + 1:02d}", chunk, title, arrangement))
    return plans

