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

import hashlib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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
AVG_STEP = 1.01  # the mean document length of the weights is rounded to a power of this (mean_length)
MAX_CHANGED = 50  # update_index changes at most this many documents (or a tenth of them) in place
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
    text: str  # "" when `load` gives it
    facets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # facet → [(key, label)]
    load: Callable[[], str] | None = None  # reads the text where it is kept (the build's scratch store)
    text_sha: str = ""  # the SHA-256 of the text, when known without reading it

    def body(self) -> str:
        """The searchable text (read from where it is kept, not held)."""
        return self.load() if self.load is not None else self.text

    def body_sha(self) -> str:
        return self.text_sha or hashlib.sha256(self.body().encode("utf-8")).hexdigest()


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


Files = dict[str, bytes]


def count_words(rec: Record) -> tuple[dict[str, int], int]:
    """A document's term frequencies (a heading word counts HEADING_WEIGHT times) and its
    length (the words of its text)."""
    text_words = words(rec.body())
    counts = Counter(text_words)
    for w in words(rec.heading):
        counts[w] += HEADING_WEIGHT
    return counts, len(text_words)


def mean_length(total: int, documents: int) -> float:
    """The mean document length the weights use: the mean rounded to a power of AVG_STEP,
    so that an edit to one document almost never changes it (and with it every weight of
    the index); the weights, in tenths, hardly notice the rounding."""
    mean = total / max(1, documents)
    if mean <= 1:
        return 1.0
    return round(AVG_STEP ** round(math.log(mean) / math.log(AVG_STEP)), 3)


def _weights(counts: dict[str, int], length: int, avglen: float) -> dict[str, int]:
    memo: dict[int, int] = {}
    out = {}
    for w, tf in counts.items():
        weight = memo.get(tf)
        if weight is None:
            weight = memo[tf] = bm25_weight(tf, length, avglen)
        out[w] = weight
    return out


def record_digests(records: list[Record]) -> list[str]:
    """A short digest of each record: what tells the index which documents changed."""
    return [hashlib.sha256(json.dumps([r.id, r.url, r.label, r.heading, r.date, r.date_label, r.body_sha(),
                                       r.facets], ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
            for r in records]


def _size(word: str, encoded: str) -> int:
    """What a word weighs in its shard (its postings, or only a pointer to its own file)."""
    return len(word) + 12 if len(encoded) > OWN_FILE_BYTES else len(encoded) + len(word) + 8


def _entry(word: str, encoded: str, df: int, stem: str) -> list[object]:
    entry: list[object] = [df, 0 if len(encoded) > OWN_FILE_BYTES else encoded]
    if stem != word:
        entry.append(stem)
    return entry


def _key_of(word: str, prefixes: set[str]) -> str:
    if word + "$" in prefixes:
        return word + "$"
    for k in range(len(word), 0, -1):
        if word[:k] in prefixes:
            return word[:k]
    raise KeyError(word)


def _doc_files(n: int, rec: Record) -> Files:
    parts = _parts(rec.body())
    files = {f"search/d/{n}.js": _script("doc", str(n), {
        "id": rec.id, "u": rec.url, "l": rec.label, "h": rec.heading, "d": rec.date_label, "x": parts[0],
        "p": len(parts), "c": "; ".join(label for _, label in rec.facets.get("collection", []))})}
    for i, part in enumerate(parts[1:], 1):
        files[f"search/d/{n}-{i}.js"] = _script("doc", f"{n}-{i}", part)
    return files


@dataclass
class Index:
    """The search index's files and what the next build needs to update it in place."""

    files: Files
    state: dict[str, Any]
    removed: set[str] = field(default_factory=set)  # files of the previous index that go (an update)


def build_index(records: list[Record]) -> Files:
    """The search index as {path below the site root: bytes}. `records` are in calendar
    order: their position (from 1) is the document number of the postings."""
    return make_index(records).files


def make_index(records: list[Record], digests: list[str] | None = None,
               sink: Callable[[Files], None] | None = None) -> Index:
    """The whole index (see build_index), with its state for `update_index`. With `sink`,
    the documents' own files (search/d/, most of the index's bytes) are handed to it a
    few hundred at a time instead of being returned."""
    digests = digests if digests is not None else record_digests(records)
    # One pass over the texts (each read once, its word counts let go at once): the
    # postings keep (document number, term frequency) pairs in arrays of integers, and the
    # weights, which need the mean length of all documents, are worked out as the
    # postings are encoded.
    lengths: list[int] = []
    postings: dict[str, array[int]] = {}
    files: Files = {}
    for n, rec in enumerate(records, 1):
        counts, length = count_words(rec)
        lengths.append(length)
        for w, tf in counts.items():
            pairs = postings.get(w)
            if pairs is None:
                pairs = postings[w] = array("I")
            pairs.append(n)
            pairs.append(tf)
        files.update(_doc_files(n, rec))
        if sink is not None and (n % 500 == 0 or n == len(records)):
            sink(files)
            files = {}
    avglen = mean_length(sum(lengths), len(lengths))
    memo: dict[tuple[int, int], int] = {}

    def weighted(pairs: array[int]) -> Iterable[tuple[int, int]]:
        for i in range(0, len(pairs), 2):
            n, tf = pairs[i], pairs[i + 1]
            length = lengths[n - 1]
            weight = memo.get((tf, length))
            if weight is None:
                weight = memo[(tf, length)] = bm25_weight(tf, length, avglen)
            yield n, weight

    vocabulary = sorted(postings)
    encoded = {w: encode_postings(weighted(postings[w]), DEFAULT_WEIGHT) for w in vocabulary}
    df = {w: len(postings[w]) // 2 for w in vocabulary}
    postings.clear()
    stems = dict(zip(vocabulary, snowballstemmer.stemmer("english").stemWords(vocabulary), strict=True))
    sizes = {w: _size(w, encoded[w]) for w in vocabulary}
    prefixes = _shard_prefixes(sizes)
    prefix_set = set(prefixes)
    shards: dict[str, dict[str, list[object]]] = defaultdict(dict)
    for w in vocabulary:
        shards[_key_of(w, prefix_set)][w] = _entry(w, encoded[w], df[w], stems[w])
        if len(encoded[w]) > OWN_FILE_BYTES:
            files[f"search/w/{file_key(w)}.js"] = _script("word", w, encoded[w])
    for key, data in shards.items():
        files[f"search/s/{file_key(key)}.js"] = _script("shard", key, data)
    files.update(_listing_files(records, prefixes, avglen))
    state = {"avglen": avglen, "docs": [[d, n] for d, n in zip(digests, lengths, strict=True)],
             "sizes": sizes, "prefixes": prefixes}
    return Index(files, state)


def _listing_files(records: list[Record], prefixes: list[str], avglen: float) -> Files:
    """The files made from every record whatever changed: the filters (their documents,
    their names), the dates, the map."""
    files: Files = {}
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
            "avglen": avglen, "weight": DEFAULT_WEIGHT, "dated": sum(1 for r in records if r.date),
            "names": names.prefixes}
    files["search/meta.js"] = _script("meta", "meta", meta)
    files["search/dates.js"] = _script("dates", "dates", dates)
    return files


def read_script(data: bytes) -> Any:
    """The data of one of the index's files (what _script wrapped)."""
    text = data.decode("utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def decode_postings(encoded: str, default: int) -> list[tuple[int, int]]:
    """encode_postings reversed."""
    out = []
    n = 0
    for part in encoded.split(","):
        delta, _, weight = part.partition(".")
        n += int(delta, 36)
        out.append((n, int(weight, 36) if weight else default))
    return out


class Stale(Exception):
    """The previous index cannot be updated in place: it is made whole."""


def update_index(records: list[Record], digests: list[str], state: dict[str, Any],
                 read: Callable[[str], bytes], old_files: set[str]) -> Index:
    """The index of `records`, made by updating the previous one (its files read through
    `read`, its `state` from make_index or update_index) where only a few documents changed:
    the postings of the words those documents held or hold, the shards of those words and
    the documents' own files are made again; the filters, their names, the dates and the
    map are made whole.
    The result is byte for byte what make_index gives. Raises Stale when the update would
    not be small or not be exact (documents added, removed or moved; the mean length or
    the shard layout changed; a file of the previous index unreadable): then make_index."""
    old_docs = state["docs"]
    if len(old_docs) != len(records):
        raise Stale("documents added or removed")
    changed = [n for n, (old, new) in enumerate(zip(old_docs, digests, strict=True), 1) if old[0] != new]
    if len(changed) > max(MAX_CHANGED, len(records) // 10):
        raise Stale("many documents changed")
    new_counts = {n: count_words(records[n - 1]) for n in changed}
    lengths = [length for _, length in old_docs]
    for n in changed:
        lengths[n - 1] = new_counts[n][1]
    avglen = mean_length(sum(lengths), len(lengths))
    if avglen != state["avglen"]:
        raise Stale("the mean length changed")

    def script(rel: str) -> Any:
        try:
            return read_script(read(rel))
        except (OSError, ValueError) as exc:
            raise Stale(f"{rel}: {exc}") from None

    # the words whose postings change, with each changed document's new weight (0: gone)
    touched: dict[str, dict[int, int]] = defaultdict(dict)
    old_parts: dict[int, int] = {}
    for n in changed:
        doc = script(f"search/d/{n}.js")
        old_parts[n] = int(doc["p"])
        text = doc["x"] + "".join(str(script(f"search/d/{n}-{i}.js")) for i in range(1, old_parts[n]))
        old = _weights(*count_words(Record("", "", "", doc["h"], "", "", text)), avglen)
        new = _weights(*new_counts[n], avglen)
        for w in old.keys() | new.keys():
            if old.get(w) != new.get(w):
                touched[w][n] = new.get(w, 0)

    sizes: dict[str, int] = dict(state["sizes"])
    prefixes: list[str] = list(state["prefixes"])
    prefix_set = set(prefixes)
    shards: dict[str, dict[str, list[Any]]] = {}

    def shard(key: str) -> dict[str, list[Any]]:
        if key not in shards:
            shards[key] = script(f"search/s/{file_key(key)}.js")
        return shards[key]

    made: dict[str, tuple[str, int] | None] = {}  # word → (encoded postings, df), None when gone
    was_own: set[str] = set()
    for w in sorted(touched):
        docs = touched[w]
        before: list[tuple[int, int]] = []
        if w in sizes:
            entry = shard(_key_of(w, prefix_set)).get(w)
            if entry is None:
                raise Stale(f"{w!r} is not in its shard")
            if entry[1] == 0:
                was_own.add(w)
            before = decode_postings(entry[1] if entry[1] != 0 else str(script(f"search/w/{file_key(w)}.js")),
                                     DEFAULT_WEIGHT)
        after = sorted([(n, weight) for n, weight in before if n not in docs]
                       + [(n, weight) for n, weight in docs.items() if weight])
        if after:
            encoded = encode_postings(after, DEFAULT_WEIGHT)
            sizes[w] = _size(w, encoded)
            made[w] = (encoded, len(after))
        else:
            sizes.pop(w, None)
            made[w] = None
    if _shard_prefixes(sizes) != prefixes:
        raise Stale("the shards are cut differently")

    files: Files = {}
    removed: set[str] = set()
    present = sorted(w for w, v in made.items() if v is not None)
    stems = dict(zip(present, snowballstemmer.stemmer("english").stemWords(present), strict=True))
    dirty: set[str] = set()
    for w, value in made.items():
        key = _key_of(w, prefix_set)
        data = shard(key)
        own_file = f"search/w/{file_key(w)}.js"
        if value is None:
            data.pop(w, None)
        else:
            encoded, df = value
            data[w] = _entry(w, encoded, df, stems[w])
            if len(encoded) > OWN_FILE_BYTES:
                files[own_file] = _script("word", w, encoded)
        if w in was_own and own_file not in files:
            removed.add(own_file)
        dirty.add(key)
    for key in dirty:
        files[f"search/s/{file_key(key)}.js"] = _script("shard", key, shards[key])
    for n in changed:
        doc_files = _doc_files(n, records[n - 1])
        files.update(doc_files)
        removed |= {f"search/d/{n}-{i}.js" for i in range(1, old_parts[n])} - set(doc_files)
    listing = _listing_files(records, prefixes, avglen)
    files.update(listing)
    removed |= {f for f in old_files if f.startswith(("search/f/", "search/n/")) and f not in listing}
    docs_state = [[d, length] for d, length in zip(digests, lengths, strict=True)]
    return Index(files, {"avglen": avglen, "docs": docs_state, "sizes": sizes, "prefixes": prefixes}, removed)


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
