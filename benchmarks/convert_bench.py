"""Benchmark: time to convert the whole bundled corpus (in memory + serialisation), median of N runs.

Run from the project root:  .venv/bin/python benchmarks/convert_bench.py [runs]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from pipeline.config import load_config
from pipeline.convert import convert_all, tei_outputs


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    edition = load_config(Path("edition.yaml"))
    times: list[float] = []
    cpu: list[float] = []
    ndocs = 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        conv = convert_all(edition)
        tei_outputs(conv, Path("tei"))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        ndocs = len(conv.documents)
    med = statistics.median(times)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"convert whole corpus ({len(edition.sources)} sources, {ndocs} documents), {runs} runs:")
    print(f"  median {med:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s; "
          f"CPU time median {statistics.median(cpu):.3f} s (wall time suffers when the machine is shared)")
    print(f"  {ndocs / med:.0f} documents per second (median)")


if __name__ == "__main__":
    main()
