"""Finding the printings of one document: near-duplicates, excerpts and partial overlaps.

Each document's text (normalised for comparison) is cut into word 5-grams.  For a pair
that shares 5-grams, each side's *share* is the part of its own 5-grams found in the
other.  Both shares at or above the merge threshold make a near-duplicate, a merge; one
share high and the other low is an excerpt (one printing gives part of the other: "From
the report …"); anything else above the review threshold is a partial overlap.  Excerpts
and overlaps are review items, never merges: a false merge is worse than a missed one.
A near-duplicate whose dates disagree, or too short to judge, is a review item too.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from ..sources import normalise_for_comparison

SHINGLE = 5
COMMON_FORMULA = 8  # a 5-gram found in more documents than this is a formula and proves nothing


@dataclass(frozen=True)
class Candidate:
    """What detection needs to know of a document."""

    id: str
    text: str
    date: str | None = None  # ISO date (or first day of a range) when the document is dated


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    share_a: float  # part of a's 5-grams found in b
    share_b: float
    kind: str  # "duplicate", "excerpt" or "overlap"
    merge: bool
    reason: str  # why it is (not) merged, for the review report

    @property
    def share(self) -> float:
        """The shared-text share reported: the smaller of the two sides' shares."""
        return min(self.share_a, self.share_b)


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    words = normalise_for_comparison(text).split()
    return {tuple(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}


_MASK = (1 << 64) - 1
_MIX = 0x100000001B3  # the FNV prime: each word's key mixed into the gram's


def gram_keys(text: str) -> array:
    """A document's distinct 5-grams as 64-bit keys (a stable hash of each word,
    the same in every process, mixed over the five): made where the document is built (a
    worker), so that the edition-wide count that follows handles integers, not strings."""
    words = normalise_for_comparison(text).split()
    known: dict[str, int] = {}
    w = [known.get(x) or known.setdefault(x, int.from_bytes(hashlib.blake2b(x.encode(), digest_size=8).digest(),
                                                             "big")) for x in words]
    m, p = _MASK, _MIX
    keys = {((((((((a * p) & m) ^ b) * p & m) ^ c) * p & m) ^ d) * p & m) ^ e  # SHINGLE = 5 words
            for a, b, c, d, e in zip(w, w[1:], w[2:], w[3:], w[4:], strict=False)}
    return array("Q", keys)


def classify(a: Candidate, b: Candidate, share_a: float, share_b: float, size: int, *,
             merge_at: float, review_at: float, min_shingles: int) -> Pair | None:
    """The verdict on one pair, or None when it shares too little to mention."""
    high, low = max(share_a, share_b), min(share_a, share_b)
    if high < review_at:
        return None
    if low >= merge_at:
        kind = "duplicate"
        if size < min_shingles:
            return Pair(a.id, b.id, share_a, share_b, kind, False,
                        f"too short to merge safely ({size} word 5-grams)")
        if a.date and b.date and a.date[:10] != b.date[:10]:
            return Pair(a.id, b.id, share_a, share_b, kind, False,
                        f"dated differently ({a.date[:10]} and {b.date[:10]})")
        return Pair(a.id, b.id, share_a, share_b, kind, True, "near-duplicate")
    if high >= merge_at:
        part, whole = (a, b) if share_a >= share_b else (b, a)
        return Pair(a.id, b.id, share_a, share_b, "excerpt", False,
                    f"{part.id} is an excerpt of {whole.id}")
    return Pair(a.id, b.id, share_a, share_b, "overlap", False, "partial overlap")


@dataclass(frozen=True)
class Shared:
    """How many 5-grams each document has, and how many each pair of documents shares
    (5-grams held by more than COMMON_FORMULA documents not counted)."""

    sizes: list[int]
    pairs: dict[tuple[int, int], int]


def shared_shingles(texts: Sequence[str]) -> Shared:
    """Counts the 5-grams the documents share (`shared_keys` of each text's `gram_keys`)."""
    return shared_keys([gram_keys(t) for t in texts])


def shared_keys(documents: Sequence[Sequence[int]]) -> Shared:
    """Counts the 5-grams the documents share, from each document's `gram_keys`. Linear in
    the edition's size, and lean: only one entry per distinct 5-gram is kept (the documents
    holding it, or nothing once it is a formula), never every document's 5-grams."""
    count = SharedCount()
    for grams in documents:
        count.add(grams)
    return count.shared()


class SharedCount:
    """`shared_keys`, one document at a time: the conversion counts each source's documents
    as they arrive, while the other sources are still being converted."""

    def __init__(self) -> None:
        self.index: dict[int, list[int] | None] = {}
        self.sizes: list[int] = []

    def add(self, grams: Sequence[int]) -> None:
        """The next document's `gram_keys`."""
        i, index = len(self.sizes), self.index
        self.sizes.append(len(grams))
        for g in grams:
            holders = index.get(g, _NEW)
            if holders is _NEW:
                index[g] = [i]
            elif holders is not None:
                if len(holders) >= COMMON_FORMULA:
                    index[g] = None  # a formula: proves nothing, and its holders need not be kept
                else:
                    holders.append(i)

    def shared(self) -> Shared:
        pairs: dict[tuple[int, int], int] = {}
        for held in self.index.values():
            if held is None or len(held) < 2:
                continue
            for x in range(len(held)):
                for y in range(x + 1, len(held)):
                    key = (held[x], held[y])
                    pairs[key] = pairs.get(key, 0) + 1
        return Shared(self.sizes, pairs)


_NEW: list[int] = []


def find_pairs(docs: Sequence[Candidate], *, merge_at: float = 0.8, review_at: float = 0.3,
               min_shingles: int = 20, shared: Shared | None = None) -> list[Pair]:
    """Every pair of documents sharing at least `review_at` of one side's 5-grams, in the
    order of the documents.  Linear in the edition's size: 5-grams are indexed once and
    only pairs that share one are counted (`shared`: counted already, for these texts)."""
    counted = shared if shared is not None else shared_shingles([d.text for d in docs])
    sizes = counted.sizes
    pairs: list[Pair] = []
    for (i, j), count in sorted(counted.pairs.items()):
        share_i = round(count / sizes[i], 3)
        share_j = round(count / sizes[j], 3)
        pair = classify(docs[i], docs[j], share_i, share_j, min(sizes[i], sizes[j]),
                        merge_at=merge_at, review_at=review_at, min_shingles=min_shingles)
        if pair is not None:
            pairs.append(pair)
    return pairs


__all__ = ["Candidate", "Pair", "Shared", "classify", "find_pairs", "gram_keys", "shared_keys", "shared_shingles",
           "shingles"]
