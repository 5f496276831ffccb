"""Word-level alignment of two witnesses of one document.

The words are compared by a key (`Normalisation.key`): case, punctuation and the
typographic equivalents the edition declares (primes, quotes, dashes) are folded, so that
only substantive differences remain.  The alignment is the classic longest-common-
subsequence diff of the standard library (`difflib.SequenceMatcher`), run between anchors:
words that occur exactly once in each witness and keep their order (the "patience" anchors
of a longest increasing subsequence) cut two long texts into short stretches, which keeps a
20-page pair well under a second.  CollateX's Python package gives the same readings on
the test pairs (tests/test_witnesses_collate.py) but needs over a minute for 2,000 words.
"""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Normalisation:
    """Which differences are not variants.  `equivalents` are replacements applied to each
    word first (e.g. the modifier prime ʹ read as an apostrophe); then case is folded and
    punctuation and symbols removed, as configured."""

    case: bool = True
    punctuation: bool = True
    equivalents: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    _seen: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def key(self, word: str) -> str:
        known = self._seen.get(word)
        if known is None:
            known = self._seen[word] = self._fold(word)
        return known

    def _fold(self, word: str) -> str:
        for old, new in self.equivalents:
            word = word.replace(old, new)
        word = unicodedata.normalize("NFKC", word)
        if self.case:
            word = word.casefold()
        if self.punctuation:
            word = "".join(ch for ch in word if unicodedata.category(ch)[0] not in "PSZ")
        return word


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a[i] == b[j] occurring once in each, in increasing order of both
    (a longest increasing subsequence of j over i)."""
    ca, cb = Counter(a), Counter(b)
    where_b = {key: j for j, key in enumerate(b) if cb[key] == 1}
    pairs = [(i, where_b[key]) for i, key in enumerate(a) if ca[key] == 1 and key in where_b]
    tails: list[int] = []  # tails[k] = smallest j ending an increasing run of length k+1
    tail_idx: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[k] = j
            tail_idx[k] = n
        back[n] = tail_idx[k - 1] if k else -1
    out: list[tuple[int, int]] = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def _diff(a: Sequence[str], b: Sequence[str], ia: int, ib: int, out: list[Opcode]) -> None:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        out.append((tag, ia + i1, ia + i2, ib + j1, ib + j2))


def align(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib-style opcodes ('equal', 'replace', 'delete', 'insert') turning the keys `a`
    into the keys `b`, adjacent opcodes of one kind joined."""
    raw: list[Opcode] = []
    prev_i = prev_j = 0
    for i, j in _anchors(a, b) + [(len(a), len(b))]:
        if i > prev_i or j > prev_j:
            _diff(a[prev_i:i], b[prev_j:j], prev_i, prev_j, raw)
        if i < len(a):
            raw.append(("equal", i, i + 1, j, j + 1))
        prev_i, prev_j = i + 1, j + 1
    out: list[Opcode] = []
    for op in raw:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if out and out[-1][0] == op[0] or (out and out[-1][0] != "equal" and op[0] != "equal"):
            tag = out[-1][0] if out[-1][0] == op[0] else "replace"
            out[-1] = (tag, out[-1][1], op[2], out[-1][3], op[4])
        else:
            out.append(op)
    return out


def positions(ops: Sequence[Opcode], n: int, m: int) -> tuple[list[int], list[int]]:
    """For every base position u (0..n): the witness position before and after whatever the
    witness adds at u.  A stretch [u1, u2) of the base that no witness change cuts reads
    b[after[u1]:before[u2]] in the witness; an empty stretch [u, u) reads b[before[u]:after[u]]."""
    before = [m] * (n + 1)
    after = [m] * (n + 1)
    for tag, i1, i2, j1, _ in ops:
        for k in range(i1, i2):
            before[k] = after[k] = j1 + (k - i1) if tag == "equal" else j1
    for tag, i1, _, j1, j2 in ops:
        if tag == "insert":
            before[i1], after[i1] = j1, j2
    return before, after


__all__ = ["Normalisation", "Opcode", "align", "positions"]
