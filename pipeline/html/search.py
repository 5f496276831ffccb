"""The search index of the web edition: sharded, so that a query loads only what it needs.

Every file is a script that hands its data to `window.EDITION_SEARCH` (search.js):
browsers refuse `fetch()` from file://, but they load scripts, so the same index works
from the disk and from any static web server. The layout (docs/html.md):

    search/meta.js        the shard map, the document count, the facets there are
    search/dates.js       the first document of each date (loaded for a date range)
    search/s/<key>.js     the words that begin with <key>: postings, stems (≤ SHARD_BYTES)
    search/w/<key>.js     one frequent word's postings (when they alone would fill a shard)
    search/f/<facet>/<key>.js  the documents of one value of a filter (loaded when it is chosen)
    search/n/<facet>/<key>.js  a filter's values under the words of their names that begin with
                          <key> (a filter with more values than a menu holds is a text field:
                          these suggest names as one types and resolve a typed name)
    search/d/<n>.js       document n (calendar order): label, heading, date, its text's first part
    search/d/<n>-<i>.js   the text's further parts (TEXT_PART characters each), for snippets

Words are folded the same way here and in search.js: lower case, accents removed, a few
letters that do not decompose mapped (ł → l). A word is a run of letters and digits, so
"Kars" never matches "Karsky". Each word carries its Snowball stem: with stemming on, a
query word finds the words of its stem. Documents are numbered in calendar order, so a
date range is a range of numbers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer

SHARD_BYTES = 24_000  # a shard is split by one more letter above this
OWN_FILE_BYTES = 12_000  # a word whose postings alone exceed this gets its own file
HEADING_WEIGHT = 3  # an occurrence in the heading counts as this many in the text
TEXT_PART = 6_000  # characters of a document's text per file (snippets load what they need)
# Ranking: Okapi BM25's term-frequency part, computed here (the browser knows no
# document lengths), stored as tenths: K1 + 1 = 2.2 at most, one base-36 digit.
K1 = 1.2
B = 0.75
DEFAULT_WEIGHT = 10  # the weight left out of the postings
FACETS = ("type", "collection", "correspondent", "archive", "place")
MENU_VALUES = 100  # a filter with more values is a text field with suggestions, not a menu

# letters that NFD does not decompose into a base letter and a mark
_EXTRA_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
                             "ß": "ss", "ı": "i", "ħ": "h", "ŀ": "l"})
_WORD = re.compile(r"[^\W_]+")
_SAFE_KEY = re.compile(r"^[a-z0-9]+$")
_SAFE_FACET_KEY = re.compile(r"^[a-z0-9_-]{1,60}$")


_FOLDED: dict[int, str] = {}  # a non-ASCII character → its folded form, filled as met


def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFD", c)
    return "".join(x for x in decomposed if not unicodedata.category(x).startswith("M")).translate(_EXTRA_FOLD)


def fold(text: str) -> str:
    """Lower case without accents; must agree with fold() of search.js. Character by
    character through a table (one C loop), each new character decomposed once."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    for c in set(lowered):
        if ord(c) > 127 and ord(c) not in _FOLDED:
            _FOLDED[ord(c)] = _fold_char(c)
    return lowered.translate(_FOLDED)


def words(text: str) -> list[str]:
    """The folded words of a text (runs of letters and digits)."""
    return _WORD.findall(fold(text))


@dataclass
class Record:
    """One document as the search sees it (made from its catalogue entry)."""

    id: str
    url: str
    label: str
    heading: str
    date: str  # ISO, '' when undated
    date_label: str
    text: str
    facets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # facet → [(key, label)]


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


_SMALL = [_b36(i) for i in range(36 * 36)]  # most deltas and every weight: looked up, not computed


def encode_postings(postings: Iterable[tuple[int, int]], default: int = 1) -> str:
    """[(document number, weight)] in ascending order → "delta[.weight],…" in base 36,
    the weight left out when it is `default`."""
    parts = []
    last = 0
    small = _SMALL
    for n, w in postings:
        d = n - last
        code = small[d] if d < 1296 else _b36(d)
        parts.append(code if w == default else f"{code}.{small[w] if w < 1296 else _b36(w)}")
        last = n
    return ",".join(parts)


def bm25_weight(tf: int, length: int, avglen: float) -> int:
    """The term-frequency part of BM25 in tenths (1 … 22)."""
    norm = K1 * (1 - B + B * length / max(avglen, 1.0))
    return max(1, round(10 * tf * (K1 + 1) / (tf + norm)))


def _parts(text: str) -> list[str]:
    """The text in pieces of about TEXT_PART characters, cut after a space."""
    parts = []
    while len(text) > TEXT_PART:
        cut = text.rfind(" ", TEXT_PART // 2, TEXT_PART) + 1 or TEXT_PART
        parts.append(text[:cut])
        text = text[cut:]
    return [*parts, text]


def _script(call: str, key: str, data: object) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # the data sits in a <script>-loaded file: no "</script" inside it, whatever the text says
    body = body.replace("<", "\\u003c")
    return f"EDITION_SEARCH.{call}({json.dumps(key)},{body});\n".encode()


def file_key(word: str) -> str:
    """A file name for a word or prefix: itself when plain a–z/0–9, else its code points."""
    return word if _SAFE_KEY.match(word) else "u" + "-".join(f"{ord(c):x}" for c in word)


def _shard_prefixes(vocab: dict[str, int], depth: int = 1) -> list[str]:
    """Splits the words (with their encoded sizes) into shards by prefix, one letter deeper
    where a shard would exceed SHARD_BYTES. A word equal to a split prefix gets the key
    "<prefix>$"."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for word, size in vocab.items():
        groups[word[:depth]][word] = size
    out: list[str] = []
    for key in sorted(groups):
        sub = groups[key]
        longer = {w: s for w, s in sub.items() if len(w) > depth}
        if sum(sub.values()) > SHARD_BYTES and longer and depth < 64:  # a word of megabytes: no deeper
            if key in sub:
                out.append(key + "$")
            out.extend(_shard_prefixes(longer, depth + 1))
        else:
            out.append(key)
    return out


def facet_file_key(key: str) -> str:
    """The file name of a filter value's documents (search.js: facetKey): the key when it is
    short and plain (`p_chicherin`, `telegram`), else its first letters and digits and the
    FNV-1a hash of its UTF-8 bytes (`the-people-s-commissar-f-1c9e07a3`): short whatever
    the value."""
    if _SAFE_FACET_KEY.match(key):
        return key
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    slug = re.sub(r"[^A-Za-z0-9]+", "-", key).lower().strip("-")[:24]
    return f"{slug}-{h:08x}"


def shard_of(word: str, prefixes: list[str]) -> str:
    """The shard key that holds a word (search.js finds it the same way)."""
    if word + "$" in prefixes:
        return word + "$"
    return max((p for p in prefixes if not p.endswith("$") and word.startswith(p)), key=len)


def build_index(records: list[Record]) -> dict[str, bytes]:
    """The search index as {path below the site root: bytes}. `records` are in calendar
    order: their position (from 1) is the document number of the postings."""
    stemmer = snowballstemmer.stemmer("english")
    counted: list[dict[str, int]] = []
    lengths: list[int] = []
    for rec in records:
        counts: dict[str, int] = defaultdict(int)
        text_words = words(rec.text)
        for w in text_words:
            counts[w] += 1
        for w in words(rec.heading):
            counts[w] += HEADING_WEIGHT
        counted.append(counts)
        lengths.append(len(text_words))
    avglen = sum(lengths) / max(1, len(lengths))
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    files: dict[str, bytes] = {}
    for n, (rec, counts, length) in enumerate(zip(records, counted, lengths, strict=True), 1):
        for w in sorted(counts):
            postings[w].append((n, bm25_weight(counts[w], length, avglen)))
        parts = _parts(rec.text)
        files[f"search/d/{n}.js"] = _script("doc", str(n), {
            "id": rec.id, "u": rec.url, "l": rec.label, "h": rec.heading, "d": rec.date_label, "x": parts[0],
            "p": len(parts), "c": "; ".join(label for _, label in rec.facets.get("collection", []))})
        for i, part in enumerate(parts[1:], 1):
            files[f"search/d/{n}-{i}.js"] = _script("doc", f"{n}-{i}", part)
    counted.clear()

    encoded = {w: encode_postings(p, DEFAULT_WEIGHT) for w, p in postings.items()}
    stems = dict(zip(sorted(encoded), stemmer.stemWords(sorted(encoded)), strict=True))
    own = {w for w, e in encoded.items() if len(e) > OWN_FILE_BYTES}
    sizes = {w: (len(w) + 12 if w in own else len(e) + len(w) + 8) for w, e in encoded.items()}
    prefixes = _shard_prefixes(sizes)
    shards: dict[str, dict[str, list[object]]] = defaultdict(dict)
    prefix_set = set(prefixes)
    for w in sorted(encoded):
        key = w + "$" if w + "$" in prefix_set else next(w[:k] for k in range(len(w), 0, -1) if w[:k] in prefix_set)
        entry: list[object] = [len(postings[w]), 0 if w in own else encoded[w]]
        if stems[w] != w:
            entry.append(stems[w])
        shards[key][w] = entry
        if w in own:
            files[f"search/w/{file_key(w)}.js"] = _script("word", w, encoded[w])
    for key, data in shards.items():
        files[f"search/s/{file_key(key)}.js"] = _script("shard", key, data)

    facets: dict[str, dict[str, list[object]]] = {}
    for facet in FACETS:
        docs: dict[str, list[int]] = defaultdict(list)
        labels: dict[str, str] = {}
        for n, rec in enumerate(records, 1):
            for key, label in dict(rec.facets.get(facet, [])).items():
                docs[key].append(n)
                labels.setdefault(key, label)
        if docs:
            facets[facet] = {}
            by_file: dict[str, dict[str, list[object]]] = defaultdict(dict)
            for k in sorted(docs):  # a file per value: a filter loads its own documents only
                by_file[facet_file_key(k)][k] = [labels[k], encode_postings((n, 1) for n in docs[k])]
            for name, values in by_file.items():  # (two values share a file only if their names collide)
                files[f"search/f/{facet}/{name}.js"] = _script("facet", f"{facet}/{name}", values)

    # the first document of each date: a date range is a range of document numbers
    dates: list[list[object]] = []
    for n, rec in enumerate(records, 1):
        day = rec.date[:10]
        if day and (not dates or dates[-1][0] != day):
            dates.append([day, n])
    names = facet_name_files(records)
    files.update(names.files)
    meta = {"n": len(records), "shards": sorted(prefixes), "facets": sorted(facets),
            "avglen": round(avglen, 1), "weight": DEFAULT_WEIGHT,
            "dated": sum(1 for r in records if r.date), "names": names.prefixes}
    files["search/meta.js"] = _script("meta", "meta", meta)
    files["search/dates.js"] = _script("dates", "dates", dates)
    return files


def _facet_values(records: list[Record], facet: str) -> list[list[object]]:
    """[[key, label, number of documents]] of one filter, sorted by label."""
    counts: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    for rec in records:
        for key, label in dict(rec.facets.get(facet, [])).items():
            counts[key] += 1
            labels.setdefault(key, label)
    return [[k, labels[k], counts[k]] for k in sorted(counts, key=lambda k: (fold(labels[k]), k))]


def facet_options(records: list[Record], menu: int = MENU_VALUES) -> dict[str, list[list[object]] | int]:
    """For the filters of the search page: {facet: [[key, label, number of documents]]}
    sorted by label, or {facet: number of values} where there are more than `menu` (the
    page then holds a text field, not a list that grows with the edition)."""
    out: dict[str, list[list[object]] | int] = {}
    for facet in FACETS:
        values = _facet_values(records, facet)
        out[facet] = values if len(values) <= menu else len(values)
    return out


@dataclass
class NameFiles:
    files: dict[str, bytes]
    prefixes: dict[str, list[str]]  # {facet: the shard keys of its names}


def facet_name_files(records: list[Record]) -> NameFiles:
    """Each filter's values under every word of their names, sharded by the words' folded
    beginnings like the index (search.js suggests names as one types, "chich" finding
    "Georgy Chicherin", and finds the key of a typed name)."""
    files: dict[str, bytes] = {}
    prefixes: dict[str, list[str]] = {}
    for facet in FACETS:
        by_word: dict[str, list[list[object]]] = defaultdict(list)
        for value in _facet_values(records, facet):
            for w in sorted(set(words(str(value[1]))) or {fold(str(value[0]))}):
                by_word[w].append(value)
        if not by_word:
            continue
        sizes = {w: len(json.dumps(values, ensure_ascii=False)) + len(w) for w, values in by_word.items()}
        keys = _shard_prefixes(sizes)
        prefixes[facet] = sorted(keys)
        shards: dict[str, dict[str, list[list[object]]]] = defaultdict(dict)
        for w in sorted(by_word):
            shards[shard_of(w, keys)][w] = by_word[w]
        for key, data in shards.items():
            files[f"search/n/{facet}/{file_key(key)}.js"] = _script("names", f"{facet}/{key}", data)
    return NameFiles(files, prefixes)
