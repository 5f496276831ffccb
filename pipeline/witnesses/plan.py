"""Which printings become one edition document, and which printing is its base text.

Detected near-duplicates are merged unless the editors split them; the editors' forced
merges are merged whatever their share.  Every merge and every pair left for review
becomes a row of the review report with its shared-text share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from ..assemble import Flag
from .detect import Candidate, Pair, Shared, find_pairs
from .merge import merge_documents
from .rules import Overrides, WitnessRules, read_overrides

if TYPE_CHECKING:
    from ..config import Edition, Source
    from ..convert import Document


@dataclass
class Group:
    """The printings of one document: `witnesses[0]` is the base text."""

    witnesses: tuple[str, ...]
    shares: dict[str, float] = field(default_factory=dict)  # witness → share with the base (or best pair)
    why: str = "near-duplicate"

    @property
    def base(self) -> str:
        return self.witnesses[0]


@dataclass
class MergePlan:
    rules: WitnessRules
    groups: list[Group] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    def apply(self, trees: dict[str, etree._Element], paths: dict[str, str]) -> None:
        """Replaces each group's base tree by the merged document; drops the others."""
        for g in self.groups:
            trees[g.base] = merge_documents(trees, g.witnesses, g.shares, self.rules.normalisation, paths)
            for w in g.witnesses[1:]:
                del trees[w]

    @property
    def merged_away(self) -> dict[str, str]:
        """Witness id → the id of the document it is now part of."""
        return {w: g.base for g in self.groups for w in g.witnesses[1:]}


def _date(doc: Document) -> str | None:
    d = doc.built.date
    return None if d is None else (d.when or d.from_ or d.not_before)


def _components(ids: Sequence[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=ids.index)] = min(ra, rb, key=ids.index)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def plan_merges(edition: Edition, docs: Sequence[Document], shared: Shared | None = None
                ) -> tuple[MergePlan, list[tuple[Source, Flag]]]:
    rules = edition.witnesses
    by_id = {d.id: d for d in docs}
    order = [d.id for d in docs]
    pairs = find_pairs([Candidate(d.id, d.built.text_for_comparison, _date(d)) for d in docs],
                       merge_at=rules.merge_at, review_at=rules.review_at, min_shingles=rules.min_shingles,
                       shared=shared)
    over: Overrides = read_overrides(edition.root, rules, set(by_id))
    apart = {frozenset((a, b)) for ids, _ in over.splits for a in ids for b in ids if a != b}
    forced = {frozenset((a, b)) for m in over.merges for a in m.witnesses for b in m.witnesses if a != b}
    flags: list[tuple[Source, Flag]] = []

    def flag(doc_id: str, kind: str, message: str) -> None:
        d = by_id[doc_id]
        flags.append((d.source, Flag(d.first, kind, message)))

    edges: list[tuple[str, str]] = []
    for p in pairs:
        key = frozenset((p.a, p.b))
        if key in apart:
            flag(p.b, "witness review", f"kept apart from {p.a} by the editors ({over.path}); "
                                        f"shared text {p.share}")
        elif p.merge:
            edges.append((p.a, p.b))
        elif key not in forced:
            where = over.path or "an overrides file"
            flag(p.b, "witness review", f"{p.kind} of {p.a}, not merged: {p.reason}; shared text {p.share} "
                                        f"({p.a} {p.share_a}, {p.b} {p.share_b}); merge it in {where} "
                                        "if it is the same document")
    for m in over.merges:
        edges.extend((m.witnesses[0], w) for w in m.witnesses[1:])
    share = {frozenset((p.a, p.b)): p.share for p in pairs}
    plan = MergePlan(rules, pairs=pairs)
    for members in _components(order, edges):
        clash = [(a, b) for a in members for b in members if a < b and frozenset((a, b)) in apart]
        if clash:
            flag(members[0], "witness review", f"not merged: {' '.join(members)} are linked, but the editors keep "
                                               f"{clash[0][0]} and {clash[0][1]} apart ({over.path})")
            continue
        chosen = next((m.base for m in over.merges if m.base and m.base in members), None)
        rank = {sid: k for k, sid in enumerate(rules.base)}
        base = chosen or min(members, key=lambda i: (rank.get(by_id[i].source.id, len(rank)), order.index(i)))
        rest = tuple(sorted((m for m in members if m != base), key=order.index))
        group = Group((base, *rest))
        for w in rest:
            s = share.get(frozenset((base, w)), max((share.get(frozenset((w, o)), 0.0) for o in members), default=0.0))
            group.shares[w] = s
            by_editors = any(frozenset((base, w)) in forced or frozenset((w, o)) in forced for o in members)
            why = f"merged by the editors ({over.path})" if by_editors else "near-duplicate"
            flag(w, "witness merge", f"printing of the same document as {base}: merged into {base} as a "
                                     f"witness ({why}; shared text {s}); base text {base} "
                                     f"({'chosen by the editors' if chosen else 'by the order in edition.yaml'})")
        plan.groups.append(group)
    return plan, flags


__all__ = ["Group", "MergePlan", "plan_merges"]
