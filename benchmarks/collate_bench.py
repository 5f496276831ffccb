"""Benchmark of the collation of two witnesses of one document (pipeline/witnesses).

    python benchmarks/collate_bench.py [--runs N]

Takes the longest document printed twice in the bundled edition (the report of 17 June
1920, about 20 printed pages and 10,500 words in each of sdr and ssd), converts both
printings, then times, over N runs: the word alignment alone (collate.align) and the whole
merge into one TEI document (tokenising both, aligning, placing the apparatus, listWit).
Prints the machine, the medians and the peak memory (tracemalloc) of one merge.
The issue's budget: two 20-page witnesses in at most 1 s.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from pipeline.convert import convert_all, document_tei  # noqa: E402
from pipeline.tei import T  # noqa: E402
from pipeline.witnesses.collate import align  # noqa: E402
from pipeline.witnesses.merge import merge_documents, tokenise  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    edition = load_config(ROOT / "edition.yaml")
    conv = convert_all(edition)
    assert conv.witnesses is not None
    group = max(conv.witnesses.groups,
                key=lambda g: len(next(d for d in conv.documents if d.id == g.base).built.text_for_comparison))
    docs = {d.id: d for d in conv.documents}
    trees = {w: document_tei(docs[w], edition) for w in group.witnesses}
    paths = {w: docs[w].path for w in group.witnesses}
    norm = edition.witnesses.normalisation
    divs = [t.find(f"{T}text/{T}body/{T}div") for t in trees.values()]
    keys = [[tok.key for tok in tokenise(div, norm)] for div in divs if div is not None]
    align_times, merge_times = [], []
    n_apps = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        align(keys[0], keys[1])
        align_times.append(time.perf_counter() - started)
        fresh = {w: copy.deepcopy(t) for w, t in trees.items()}
        started = time.perf_counter()
        merged = merge_documents(fresh, group.witnesses, group.shares, norm, paths)
        merge_times.append(time.perf_counter() - started)
        n_apps = sum(1 for _ in merged.iter(T + "app"))
    tracemalloc.start()
    merge_documents({w: copy.deepcopy(t) for w, t in trees.items()}, group.witnesses, group.shares, norm, paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"machine: {machine()}")
    print(f"witnesses: {', '.join(group.witnesses)}: {len(keys[0])} and {len(keys[1])} tokens; {n_apps} app elements")
    print(f"runs: {args.runs}")
    print(f"median alignment: {statistics.median(align_times) * 1000:.1f} ms")
    print(f"median whole merge (tokenise, align, apparatus, listWit): {statistics.median(merge_times) * 1000:.1f} ms "
          f"(min {min(merge_times) * 1000:.1f}, max {max(merge_times) * 1000:.1f})")
    print(f"peak memory of one merge: {peak / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
