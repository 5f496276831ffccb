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


def find_pairs(docs: Sequence[Candidate], *, merge_at: float = 0.8, review_at: float = 0.3,
               min_shingles: int = 20) -> list[Pair]:
    """Every pair of documents sharing at least `review_at` of one side's 5-grams, in the
    order of the documents.  Linear in the edition's size: 5-grams are indexed once and
    only pairs that share one are counted."""
    grams = [shingles(d.text) for d in docs]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, sh in enumerate(grams):
        for g in sh:
            index.setdefault(g, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for holders in index.values():
        if len(holders) < 2 or len(holders) > COMMON_FORMULA:
            continue
        for x in range(len(holders)):
            for y in range(x + 1, len(holders)):
                key = (holders[x], holders[y])
                shared[key] = shared.get(key, 0) + 1
    pairs: list[Pair] = []
    for (i, j), count in sorted(shared.items()):
        share_i = round(count / len(grams[i]), 3)
        share_j = round(count / len(grams[j]), 3)
        pair = classify(docs[i], docs[j], share_i, share_j, min(len(grams[i]), len(grams[j])),
                        merge_at=merge_at, review_at=review_at, min_shingles=min_shingles)
        if pair is not None:
            pairs.append(pair)
    return pairs


__all__ = ["Candidate", "Pair", "classify", "find_pairs", "shingles"]
