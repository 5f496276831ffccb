"""Benchmark of `edition validate` over the whole edition (tei/ by default).

    python benchmarks/validate_bench.py [PATH ...] [--runs N]

Prints the machine's core count and the median over N runs of: compiling the schemas, and a
full validation as the command does it (schemas compiled once, then every file parsed,
checked against the RelaxNG and the Schematron, and the rules across files), excluding the
Python start-up.  The issue's budget: the whole edition in at most 1 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import validate as v  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "tei")])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    files, missing = v.collect([Path(p) for p in args.paths])
    if missing or not files:
        print(f"nothing to validate in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    compile_times, totals = [], []
    report = None
    for _ in range(args.runs):
        started = time.perf_counter()
        schemas = v.Schemas.load(ROOT / "schemas")
        compiled = time.perf_counter()
        report = v.validate_files(files, schemas)
        done = time.perf_counter()
        compile_times.append(compiled - started)
        totals.append(done - started)
    assert report is not None
    size = sum(f.stat().st_size for f in files)
    print(f"cores: {cores} (os.cpu_count() = {os.cpu_count()})")
    print(f"files: {len(files)} ({size / 1024:.0f} KiB); findings: {report.errors} errors, {report.warnings} warnings")
    print(f"runs: {args.runs}")
    print(f"median compile schemas: {statistics.median(compile_times) * 1000:.1f} ms")
    print(f"median whole validation (compile + all files + cross-file rules): "
          f"{statistics.median(totals) * 1000:.1f} ms (min {min(totals) * 1000:.1f}, max {max(totals) * 1000:.1f})")
    print(f"per file: {statistics.median(totals) / len(files) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
