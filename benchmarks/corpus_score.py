"""Scores the converter on the practice corpus in ../shared/corpus (texts of collections it
was not written for, each with a hand-made `<name>.gold.json`).

For every text, once with `layout: auto` and once with the hand layout block given for it
in docs/layouts.md (a fenced yaml block whose first line is `# corpus: <name>`), prints:
document-start precision / recall / F1 (a start is right when its line is the gold start
line), dates (share of gold documents whose converted date equals the gold date), notes
linked (share of printed note markers whose note text was linked to them) and citations
parsed (share of gold archival citations parsed into parts; n/a where a text prints none).

Run from the project root:  .venv/bin/python benchmarks/corpus_score.py [NAME…]
Skips (exit 0) when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.assemble import Assembler
from pipeline.config import Collection, Edition, Licence, Source
from pipeline.segment import encoding_of, segment_source
from pipeline.segment.layout import Layout, layout_from_node
from pipeline.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
TEI = "{http://www.tei-c.org/ns/1.0}"


def hand_blocks(doc: Path = ROOT / "docs" / "layouts.md") -> dict[str, str]:
    """The `# corpus: NAME` yaml blocks of docs/layouts.md, by name."""
    blocks: dict[str, str] = {}
    for m in re.finditer(r"```yaml\n(# corpus: (\S+)\n.*?)```", doc.read_text(encoding="utf-8"), re.S):
        blocks[m.group(2)] = m.group(1)
    return blocks


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    dates: float
    notes: str
    citations: str
    found: int
    gold: int
    seconds: float
    chosen: str


def layout_block(text: str) -> Layout:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    body = node.value[0][1] if isinstance(node, yaml.MappingNode) and node.value[0][0].value == "layout" else node
    result = layout_from_node(body, "docs/layouts.md")
    assert isinstance(result, Layout)
    return result


def score(name: str, layout: Layout | str) -> Score:
    gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    source = Source(id="c", file=CORPUS / f"{name}.txt", profile=layout if isinstance(layout, str) else layout.name,
                    collection=Collection(title=name), layout=layout)
    edition = Edition(id="e", title="E", editors=(), licence=Licence("CC0"), publisher="P", sources=(source,))
    t0 = time.perf_counter()
    src = read_source(source.file, encoding_of(source))
    seg = segment_source(src, source)
    built = []
    year = None
    for unit in seg.units:
        b = Assembler(unit, source, edition, context_year=year, layout=seg.layout).build()
        if b.date is not None and (b.date.when or b.date.from_):
            year = int((b.date.when or b.date.from_ or "0")[:4])
        built.append(b)
    seconds = time.perf_counter() - t0
    starts = {u.first: k for k, u in enumerate(seg.units)}
    golds = gold["documents"]
    hits = [g for g in golds if g["start_line"] in starts]
    p = len(hits) / len(starts) if starts else 0.0
    r = len(hits) / len(golds) if golds else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    right = 0
    for g in golds:
        k = starts.get(g["start_line"])
        if k is None or g.get("date") is None:
            continue
        d = built[k].date
        when = (d.when or d.from_ or "") if d is not None else ""
        right += when[:len(g["date"])] == g["date"]
    dated = sum(1 for g in golds if g.get("date"))
    markers = int(gold.get("notes", {}).get("markers", 0) or 0)
    linked = 0
    for b in built:
        for note in b.div.iter(TEI + "note"):
            if note.get("type") in ("compiler", "editorial") and note.get("subtype") not in ("unanchored", "label") \
                    and note.find(TEI + "label") is not None and note.get("place") != "inline":
                linked += 1
    notes = f"{min(linked, markers) / markers:.2f} ({linked}/{markers})" if markers else "n/a"
    cites = sum(len(b.citations) for b in built)
    chosen = seg.layout.chosen if seg.layout is not None else ""
    return Score(p, r, f1, right / dated if dated else 1.0, notes, f"n/a ({cites} found)", len(starts), len(golds),
                 seconds, chosen)


def main() -> int:
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    names = sys.argv[1:] or sorted(p.name[:-10] for p in CORPUS.glob("*.gold.json"))
    blocks = hand_blocks()
    print(f"{'text':28} {'layout':6} {'docs':>9} {'P':>5} {'R':>5} {'F1':>5} {'dates':>5}  notes linked   citations")
    for name in names:
        runs: list[tuple[str, Layout | str]] = [("auto", "auto")]
        if name in blocks:
            runs.append(("block", layout_block(blocks[name])))
        for label, layout in runs:
            s = score(name, layout)
            print(f"{name:28} {label:6} {s.found:>4}/{s.gold:<4} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} "
                  f"{s.dates:5.2f}  {s.notes:14} {s.citations}  [{s.seconds:.2f} s]")
            if label == "auto":
                print(f"{'':36}auto chose: {s.chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
