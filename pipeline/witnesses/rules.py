"""The edition's rules for documents printed more than once (edition.yaml `witnesses:`)
and the editors' decisions that override the converter (tei/witnesses.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .. import yamlsafe
from ..errors import EditionError
from .collate import Normalisation

if TYPE_CHECKING:
    from ..config import _Reader

RULE_KEYS = {"base", "merge_at", "review_at", "min_shingles", "overrides", "normalise"}
NORMALISE_KEYS = {"case", "punctuation", "equivalents"}
OVERRIDE_KEYS = {"merge", "split"}
MERGE_KEYS = {"witnesses", "base"}


@dataclass(frozen=True)
class WitnessRules:
    """`base`: source ids in order of preference for the base text (a source not named
    comes after those named; within one source the earlier printing wins)."""

    base: tuple[str, ...] = ()
    merge_at: float = 0.8
    review_at: float = 0.2
    min_shingles: int = 20
    overrides: str | None = None
    normalisation: Normalisation = field(default_factory=Normalisation)


@dataclass(frozen=True)
class ForcedMerge:
    witnesses: tuple[str, ...]
    base: str | None
    line: int


@dataclass(frozen=True)
class Overrides:
    merges: tuple[ForcedMerge, ...] = ()
    splits: tuple[tuple[tuple[str, ...], int], ...] = ()
    path: str = ""


def _number(r: _Reader, node: yaml.Node, what: str, lo: float, hi: float) -> float:
    try:
        value = float(str(node.value))
    except (TypeError, ValueError):
        raise r.fail(node, f"{what} must be a number") from None
    if not lo <= value <= hi:
        raise r.fail(node, f"{what} must be between {lo} and {hi}")
    return value


def _flag(r: _Reader, node: yaml.Node, what: str) -> bool:
    value = str(node.value).lower()
    if value not in ("true", "false", "yes", "no"):
        raise r.fail(node, f"{what} must be true or false")
    return value in ("true", "yes")


def read_rules(r: _Reader, node: yaml.Node | None, source_ids: set[str]) -> WitnessRules:
    """Checks the `witnesses:` mapping of edition.yaml; every mistake names its line."""
    if node is None:
        return WitnessRules()
    keys = r.mapping(node, RULE_KEYS, "witnesses")
    base = r.texts(keys.get("base"), "witnesses.base")
    for sid, item in zip(base, getattr(keys.get("base"), "value", []), strict=False):
        if sid not in source_ids:
            raise r.fail(item, f"witnesses.base names an unknown source {sid!r}",
                         f"known sources: {', '.join(sorted(source_ids))}")
    norm = Normalisation()
    if "normalise" in keys:
        n = r.mapping(keys["normalise"], NORMALISE_KEYS, "witnesses.normalise")
        equivalents: list[tuple[str, str]] = []
        if "equivalents" in n:
            eq = n["equivalents"]
            if not isinstance(eq, yaml.MappingNode):
                raise r.fail(eq, "witnesses.normalise.equivalents must map a sign to what it counts as")
            for k, v in eq.value:
                # a sign of text and what it counts as, text too: an empty sign would be
                # replaced between every two letters, a list would count as its Python spelling
                if not isinstance(k, yaml.ScalarNode) or not isinstance(v, yaml.ScalarNode) or not str(k.value):
                    raise r.fail(k if not isinstance(k, yaml.ScalarNode) or not str(k.value) else v,
                                 "witnesses.normalise.equivalents maps a sign (a character or more, in quotes) "
                                 "to the text it counts as (in quotes, or empty)")
                equivalents.append((str(k.value), "" if v.value is None else str(v.value)))
        norm = Normalisation(case=_flag(r, n["case"], "case") if "case" in n else True,
                             punctuation=_flag(r, n["punctuation"], "punctuation") if "punctuation" in n else True,
                             equivalents=tuple(equivalents))
    merge_at = _number(r, keys["merge_at"], "witnesses.merge_at", 0.5, 1.0) if "merge_at" in keys else 0.8
    review_at = _number(r, keys["review_at"], "witnesses.review_at", 0.0, merge_at) if "review_at" in keys else 0.2
    return WitnessRules(
        base=base, merge_at=merge_at, review_at=review_at,
        min_shingles=int(_number(r, keys["min_shingles"], "witnesses.min_shingles", 1, 10_000))
        if "min_shingles" in keys else 20,
        overrides=r.text(keys.get("overrides"), "witnesses.overrides"),
        normalisation=norm,
    )


def read_overrides(root: Path, rules: WitnessRules, doc_ids: set[str]) -> Overrides:
    """The editors' file of forced merges and splits; absent file = no overrides."""
    from ..config import _Reader

    if not rules.overrides:
        return Overrides()
    path = root / rules.overrides
    if not path.resolve().is_relative_to(root.resolve()):
        raise EditionError("witnesses.overrides must name a file inside the project", path="edition.yaml",
                           hint="e.g. overrides: tei/witnesses.yaml")
    if not path.is_file():
        return Overrides(path=rules.overrides)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EditionError("not UTF-8 text", path=rules.overrides) from None
    node = yamlsafe.compose(raw, rules.overrides)
    if node is None:
        return Overrides(path=rules.overrides)
    r = _Reader(Path(rules.overrides))
    top = r.mapping(node, OVERRIDE_KEYS, rules.overrides)

    def ids(n: yaml.Node, what: str) -> tuple[str, ...]:
        out = r.texts(n, what)
        for value, item in zip(out, getattr(n, "value", []), strict=False):
            if value not in doc_ids:
                raise r.fail(item, f"{what} names {value!r}, which is no document of the edition",
                             "use the document ids of tei/ (file names without .xml)")
        if len(out) < 2:
            raise r.fail(n, f"{what} needs at least two document ids")
        twice = next((value for i, value in enumerate(out) if value in out[:i]), None)
        if twice is not None:
            raise r.fail(n, f"{what} names {twice!r} twice", "name each printing once")
        return out

    merges: list[ForcedMerge] = []
    for item in getattr(top.get("merge"), "value", None) or []:
        m = r.mapping(item, MERGE_KEYS, "merge entry")
        if "witnesses" not in m:
            raise r.fail(item, "a merge entry needs 'witnesses: [id, id, …]'")
        wits = ids(m["witnesses"], "merge.witnesses")
        base = r.text(m.get("base"), "merge.base")
        if base is not None and base not in wits:
            raise r.fail(m["base"], f"merge.base {base!r} is not one of the witnesses listed")
        merges.append(ForcedMerge(wits, base, item.start_mark.line + 1))
    splits = tuple((ids(item, "split"), item.start_mark.line + 1)
                   for item in getattr(top.get("split"), "value", None) or [])
    for split, line in splits:  # a pair both merged and kept apart: neither can be done
        merge = next((m for m in merges if set(split) <= set(m.witnesses)), None)
        if merge is not None:
            raise EditionError(f"split {list(split)} keeps apart printings that the merge entry of line {merge.line} "
                               "merges", path=rules.overrides, line=line, hint="keep the merge or the split, not both")
    return Overrides(tuple(merges), splits, rules.overrides)


__all__ = ["ForcedMerge", "Overrides", "WitnessRules", "read_overrides", "read_rules"]
