"""Benchmark: time to typeset the whole bundled edition as one PDF volume — XSLT (TEI →
Typst, one Saxon run) plus the Typst compile to PDF/A-2b — median of N runs. The
stylesheet is compiled once per run, as in `edition pdf`; nothing is written to disk.

Run from the project root:  .venv/bin/python benchmarks/pdf_bench.py [runs]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from pipeline import pdf
from pipeline.config import load_config
from pipeline.transform import Transformer


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    edition = load_config(Path("edition.yaml"))
    tei = edition.root / "tei"
    [volume] = pdf.volumes(edition, tei, by_collection=False)
    xslt: list[float] = []
    compile_: list[float] = []
    total: list[float] = []
    pages = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        source = pdf.render_source(edition, volume, Transformer(), tei_root=tei)
        t1 = time.perf_counter()
        data, _warnings = pdf.typeset(source)
        t2 = time.perf_counter()
        xslt.append(t1 - t0)
        compile_.append(t2 - t1)
        total.append(t2 - t0)
        pages = pdf.page_count(data)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"typeset the whole edition ({len(volume.documents)} documents, {pages} pages), {runs} runs:")
    print(f"  XSLT (TEI → Typst)   median {statistics.median(xslt):.2f} s")
    print(f"  Typst (→ PDF/A-2b)   median {statistics.median(compile_):.2f} s")
    print(f"  total                median {statistics.median(total):.2f} s, "
          f"min {min(total):.2f} s, max {max(total):.2f} s")


if __name__ == "__main__":
    main()
