"""One TEI document from the printings of one document.

The base printing's TEI is kept as it is; the other printings are tokenised the same way
(words of the text, each note, gap, milestone and choice as one token, a mark at the start
of every block), aligned word by word with the base (collate.align), and every stretch
where a printing differs becomes an `app` in the base text (parallel segmentation):
`lem` holds the base's words with the witnesses that agree, one `rdg` per other reading
with its witnesses (`@wit` points into the document's `listWit`).  A note printed in one
witness only is a reading of that witness; source notes that differ are readings too.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from ..tei import PIPELINE, XML_NS, E, T, sub, text_of
from .collate import Normalisation, align, positions

BLOCKS = {"head", "p", "item", "speaker", "dateline", "salute", "signed", "closer", "opener", "quote",
          "list", "sp", "div", "postscript"}
ATOMS = {"note", "gap", "milestone", "choice"}
BLOCK = "\u00b6"
XML_ID = f"{{{XML_NS}}}id"


@dataclass
class Tok:
    key: str
    surface: str
    el: etree._Element
    attr: str  # "text", "tail" (a word of el.text / el.tail), "atom" (el itself), "block"
    start: int = 0
    end: int = 0


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def atom_key(el: etree._Element, norm: Normalisation) -> str:
    """A note, gap, milestone or choice compared whole: its kind and its words (a note's
    printed sign and label left out: witnesses number their notes differently)."""
    local = _local(el)
    if local == "choice":
        part = el.find(T + "sic")
        if part is None:
            part = el.find(T + "orig")
        words = text_of(part if part is not None else el).split()
    elif local == "note":
        body = copy.deepcopy(el)
        for label in body.findall(T + "label"):
            label.tail, text = None, label.tail
            body.remove(label)
            if text:
                body.text = (body.text or "") + text
        words = text_of(body).split()
    else:
        words = []
    sig = el.get("type") or ""
    return f"<{local}:{sig}:" + " ".join(k for k in (norm.key(w) for w in words) if k) + ">"


def tokenise(div: etree._Element, norm: Normalisation) -> list[Tok]:
    out: list[Tok] = []

    def words(el: etree._Element, attr: str, text: str | None) -> None:
        if not text:
            return
        for m in re.finditer(r"\S+", text):
            key = norm.key(m.group())
            if key:
                out.append(Tok(key, m.group(), el, attr, m.start(), m.end()))
            elif out and out[-1].el is el and out[-1].attr == attr:  # punctuation alone joins its word
                prev = out[-1]
                prev.surface, prev.end = text[prev.start:m.end()], m.end()

    def walk(el: etree._Element) -> None:
        local = _local(el)
        if local in ATOMS:
            out.append(Tok(atom_key(el, norm), "", el, "atom"))
            return
        if local in BLOCKS:
            out.append(Tok(BLOCK, "", el, "block"))
        words(el, "text", el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            words(child, "tail", child.tail)

    walk(div)
    return out


def _union(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(set(ranges)):
        if merged and e > s and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        elif merged and e == s and merged[-1][0] < s < merged[-1][1]:
            continue
        else:
            merged.append((s, e))
    return merged


@dataclass
class Variant:
    start: int  # base token range [start, end)
    end: int
    lem_wits: list[str]
    readings: list[tuple[list[Tok], list[str]]]  # (witness tokens, witnesses)
    type: str


def variants(base: list[Tok], others: Sequence[tuple[str, list[Tok]]], base_wit: str) -> list[Variant]:
    """The apparatus entries, in base order: union of every witness's differing stretches."""
    akeys = [t.key for t in base]
    aligned = []
    ranges: list[tuple[int, int]] = []
    for wit, toks in others:
        ops = align(akeys, [t.key for t in toks])
        before, after = positions(ops, len(base), len(toks))
        aligned.append((wit, toks, before, after))
        ranges.extend((i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal")
    out: list[Variant] = []
    for s, e in _union(ranges):
        lem_key = tuple(t.key for t in base[s:e] if t.attr != "block")
        lem_wits = [base_wit]
        groups: dict[tuple[str, ...], tuple[list[Tok], list[str]]] = {}
        for wit, toks, before, after in aligned:
            j1, j2 = (after[s], before[e]) if e > s else (before[s], after[s])
            reading = [t for t in toks[j1:j2] if t.attr != "block"]
            key = tuple(t.key for t in reading)
            if key == lem_key:
                lem_wits.append(wit)
            else:
                groups.setdefault(key, (reading, []))[1].append(wit)
        if not groups:
            continue
        readings = list(groups.values())
        if not lem_key:
            kind = "addition"
        elif all(not r for r, _ in readings):
            kind = "omission"
        elif len(lem_key) > 1 and all(Counter(t.key for t in r) == Counter(lem_key) for r, _ in readings):
            kind = "transposition"
        else:
            kind = "substantive"
        out.append(Variant(s, e, lem_wits, readings, kind))
    _long_transpositions(out, base)
    return out


def _long_transpositions(found: list[Variant], base: list[Tok]) -> None:
    """A passage one witness omits here and adds elsewhere (three words or more) is a
    transposition, not an omission and an addition."""
    omitted: dict[tuple[str, tuple[str, ...]], Variant] = {}
    for v in found:
        if v.type == "omission":
            key = tuple(t.key for t in base[v.start:v.end] if t.attr != "block")
            if len(key) >= 3:
                for wit in v.readings[0][1]:
                    omitted[(wit, key)] = v
    for v in found:
        if v.type == "addition" and len(v.readings) == 1:
            reading, wits = v.readings[0]
            key = tuple(t.key for t in reading)
            partner = omitted.get((wits[0], key)) if len(key) >= 3 and len(wits) == 1 else None
            if partner is not None:
                v.type = partner.type = "transposition"


# -- placing the apparatus in the base tree --------------------------------------------------

def _reading(parent: etree._Element, toks: list[Tok]) -> None:
    last: etree._Element | None = None
    for t in toks:
        if t.attr == "atom":
            el = copy.deepcopy(t.el)
            el.tail = None
            for x in el.iter():
                x.attrib.pop(XML_ID, "")
            parent.append(el)
            last = el
        else:
            if last is None:
                parent.text = (parent.text + " " if parent.text else "") + t.surface
            else:
                last.tail = (last.tail + " " if last.tail else " ") + t.surface


def _app(v: Variant, wit_ref: dict[str, str], first: bool) -> etree._Element:
    """An app with an empty lem (the caller moves the base's words or note into it)."""
    app = E("app", type_=v.type)
    sub(app, "lem", wit=" ".join(wit_ref[w] for w in v.lem_wits))
    for toks, wits in v.readings:
        rdg = sub(app, "rdg", wit=" ".join(wit_ref[w] for w in wits))
        if first:
            _reading(rdg, toks)
    return app


def _split_text(el: etree._Element, attr: str, start: int, end: int, app: etree._Element) -> None:
    lem = app[0]
    if attr == "text":
        s = el.text or ""
        el.text, lem.text, app.tail = s[:start], s[start:end] or None, s[end:] or None
        el.insert(0, app)
    else:
        s = el.tail or ""
        el.tail, lem.text, app.tail = s[:start], s[start:end] or None, s[end:] or None
        parent = el.getparent()
        assert parent is not None
        parent.insert(parent.index(el) + 1, app)


def _wrap_atom(el: etree._Element, app: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    parent.insert(parent.index(el), app)
    app.tail, el.tail = el.tail, None
    app[0].append(el)


def _insert_after_atom(el: etree._Element, app: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    parent.insert(parent.index(el) + 1, app)
    app.tail, el.tail = el.tail, None


def _insert_before_atom(el: etree._Element, app: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    parent.insert(parent.index(el), app)


def place(base: list[Tok], found: Sequence[Variant], wit_ref: dict[str, str]) -> int:
    """Puts every variant into the base tree; returns the number of app elements made.
    A variant spanning several text nodes becomes one app per node: the first carries the
    witnesses' readings, the others empty readings, so that each witness still reads whole."""
    sites: list[tuple[tuple[int, int], etree._Element, Tok, Tok | None, str]] = []
    for v in found:
        real = [k for k in range(v.start, v.end) if base[k].attr != "block"]
        if not real:
            prev = next((k for k in range(v.start - 1, -1, -1) if base[k].attr != "block"), None)
            nxt = next((k for k in range(v.end, len(base)) if base[k].attr != "block"), None)
            if prev is None and nxt is None:
                continue
            where = "after" if prev is not None else "before"
            k = prev if prev is not None else nxt
            assert k is not None
            sites.append(((k, 1 if where == "after" else -1), _app(v, wit_ref, True), base[k], None, where))
            continue
        runs: list[list[int]] = []
        for k in real:
            t = base[k]
            if runs and t.attr != "atom" and base[runs[-1][-1]].attr == t.attr and base[runs[-1][-1]].el is t.el \
                    and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        for n, run in enumerate(runs):
            app = _app(v, wit_ref, n == 0)
            sites.append(((run[0], 0), app, base[run[0]], base[run[-1]], "wrap"))
    for _, app, first, last, how in sorted(sites, key=lambda s: s[0], reverse=True):
        if how == "wrap":
            assert last is not None
            if first.attr == "atom":
                _wrap_atom(first.el, app)
            else:
                _split_text(first.el, first.attr, first.start, last.end, app)
        elif first.attr == "atom":
            (_insert_after_atom if how == "after" else _insert_before_atom)(first.el, app)
        else:
            at = first.end if how == "after" else first.start
            _split_text(first.el, first.attr, at, at, app)
    return len(sites)


# -- the header ------------------------------------------------------------------------------

def _doc_div(tree: etree._Element) -> etree._Element:
    div = tree.find(f"{T}text/{T}body/{T}div")
    assert div is not None
    return div


def _shelfmark(ms: etree._Element) -> str:
    ident = ms.find(T + "msIdentifier")
    return " ".join(text_of(ident if ident is not None else ms).split())


def number_notes(div: etree._Element, doc_id: str) -> None:
    for k, note in enumerate(div.iter(T + "note"), start=1):
        note.attrib.pop(XML_ID, "")
        if note.get("type") in ("compiler", "unresolved"):
            note.set(XML_ID, f"{doc_id}-fn{k}")


def merge_documents(trees: dict[str, etree._Element], witnesses: Sequence[str], shares: dict[str, float],
                    norm: Normalisation, paths: dict[str, str]) -> etree._Element:
    """The merged TEI of the printings `witnesses` (the first is the base text)."""
    base_id = witnesses[0]
    root = trees[base_id]
    div = _doc_div(root)
    wit_ref = {w: f"#{base_id}-w-{w}" for w in witnesses}
    group = set(witnesses)
    fdesc = root.find(f"{T}teiHeader/{T}fileDesc")
    assert fdesc is not None
    notes_stmt = fdesc.find(T + "notesStmt")
    if notes_stmt is not None:  # links to printings now merged in are no longer other files
        for rel in notes_stmt.findall(T + "relatedItem"):
            target = rel.get("target", "")
            if any(target == f"../{paths[w]}" for w in group):
                nxt = rel.getnext()
                if nxt is not None and nxt.tag == T + "note" and nxt.get("type") == "witness":
                    notes_stmt.remove(nxt)
                notes_stmt.remove(rel)
        if len(notes_stmt) == 0:
            fdesc.remove(notes_stmt)
    sdesc = fdesc.find(T + "sourceDesc")
    assert sdesc is not None
    list_wit = E("listWit")
    first_bibl = sdesc.find(T + "bibl")
    assert first_bibl is not None
    first_bibl.addnext(list_wit)
    ms_count = len(sdesc.findall(T + "msDesc"))
    ms_seen = {_shelfmark(ms) for ms in sdesc.findall(T + "msDesc")}
    for w in witnesses:
        wtree = trees[w]
        wsd = wtree.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc")
        assert wsd is not None
        witness = sub(list_wit, "witness", xml_id=wit_ref[w][1:], n=w)
        bibl = wsd.find(T + "bibl")
        if bibl is not None:
            witness.append(copy.deepcopy(bibl))
        if w == base_id:
            continue
        for ms in wsd.findall(T + "msDesc"):
            ident = _shelfmark(ms)
            if ident in ms_seen:
                continue
            ms_seen.add(ident)
            ms_count += 1
            clone = copy.deepcopy(ms)
            clone.set(XML_ID, f"{base_id}-ms{ms_count}")
            clone.set("source", wit_ref[w])
            sdesc.append(clone)
    base_toks = tokenise(div, norm)
    others = [(w, tokenise(_doc_div(trees[w]), norm)) for w in witnesses[1:]]
    found = variants(base_toks, others, base_id)
    place(base_toks, found, wit_ref)
    number_notes(div, base_id)
    rev = root.find(f"{T}teiHeader/{T}revisionDesc")
    if rev is not None:
        others_text = "; ".join(f"{w} (shared text {shares.get(w, 0.0)})" for w in witnesses[1:])
        sub(rev, "change", f"Merged with the other printing(s) of this document: {others_text}; "
                           f"{len(found)} variant(s) in the apparatus.", who=PIPELINE, type_="conversion")
    return root


__all__ = ["Tok", "Variant", "atom_key", "merge_documents", "number_notes", "place", "tokenise", "variants"]
