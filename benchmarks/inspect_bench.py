"""Benchmark: `edition inspect` of the largest bundled source (a ~0.9 MB book), with its preset
and with `layout: auto`: reading, inferring the layout, segmenting and the table of documents.
Prints the median wall and CPU time over N runs, the peak memory and the machine.

Run from the project root:  .venv/bin/python benchmarks/inspect_bench.py [runs]
"""

from __future__ import annotations

import io
import os
import platform
import resource
import statistics
import sys
import time
from argparse import Namespace
from contextlib import redirect_stdout
from pathlib import Path

from pipeline import inspect

SOURCE = Path("sources/003_2b0cd471ec2c66ee.txt")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"inspect {SOURCE} ({SOURCE.stat().st_size / 1e6:.2f} MB), {runs} runs:")
    for label, args in (("preset (edition.yaml)", Namespace(source="ssd", config="edition.yaml", layout=None)),
                        ("layout: auto", Namespace(source=str(SOURCE), config="edition.yaml", layout="auto"))):
        wall: list[float] = []
        cpu: list[float] = []
        docs = 0
        for _ in range(runs):
            buf = io.StringIO()
            t0, c0 = time.perf_counter(), time.process_time()
            with redirect_stdout(buf):
                inspect.run(args)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            docs = int(buf.getvalue().split("\n")[0].rsplit(",", 1)[1].split()[0])
        print(f"  {label:22} {docs} documents: median {statistics.median(wall):.3f} s wall, "
              f"{statistics.median(cpu):.3f} s CPU (min {min(wall):.3f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
