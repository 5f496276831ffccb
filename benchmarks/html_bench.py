"""Benchmark of the HTML edition: `edition html` over the whole edition, median of N runs.

    .venv/bin/python benchmarks/html_bench.py [--runs N] [--config edition.yaml]

Two figures, both writing the complete site (every page, the assets, the search index and
the copies of the TEI) into a scratch folder:

- command: `edition html` as a new process, Python start-up and imports included: what a
  user waits for. The issue's budget: at most 2 s on the 2-core machine.
- in-process: `build_html` with a fresh Saxon processor each run (stylesheets compiled
  every time), and its parts: compiling, the catalogue, the listings, the document pages,
  writing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import html as html_stage  # noqa: E402
from pipeline.transform import Stylesheet, Transformer  # noqa: E402


def command_runs(config: Path, runs: int, out: Path) -> list[float]:
    exe = Path(sys.executable).with_name("edition")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*cmd, "html", "-q", "--config", str(config), "--out", str(out)], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return times


def in_process_runs(config: Path, runs: int, out: Path) -> tuple[list[float], dict[str, list[float]]]:
    parts: dict[str, list[float]] = {}
    original_apply = Stylesheet.apply
    original_compile = Transformer.stylesheet
    original_write = html_stage._write_site
    spent: dict[str, float] = {}

    def add(key: str, seconds: float) -> None:
        spent[key] = spent.get(key, 0.0) + seconds

    def apply(self: Stylesheet, source: Path | str, **kw: object) -> str:
        t0 = time.perf_counter()
        try:
            return original_apply(self, source, **kw)  # type: ignore[arg-type]
        finally:
            name = self.path.stem
            add("document pages" if name == "document" else "catalogue" if name == "catalogue" else "listings",
                time.perf_counter() - t0)

    def compile_(self: Transformer, path: Path) -> Stylesheet:
        t0 = time.perf_counter()
        try:
            return original_compile(self, path)
        finally:
            add("compile stylesheets", time.perf_counter() - t0)

    def write(*args: object, **kw: object) -> None:
        t0 = time.perf_counter()
        try:
            original_write(*args, **kw)  # type: ignore[arg-type]
        finally:
            add("write files", time.perf_counter() - t0)

    Stylesheet.apply = apply  # type: ignore[method-assign]
    Transformer.stylesheet = compile_  # type: ignore[method-assign]
    html_stage._write_site = write  # type: ignore[assignment]
    times = []
    try:
        for _ in range(runs):
            spent.clear()
            t0 = time.perf_counter()
            html_stage.build_html(config, out=out)
            times.append(time.perf_counter() - t0)
            for key, value in spent.items():
                parts.setdefault(key, []).append(value)
    finally:
        Stylesheet.apply = original_apply  # type: ignore[method-assign]
        Transformer.stylesheet = original_compile  # type: ignore[method-assign]
        html_stage._write_site = original_write  # type: ignore[assignment]
    return times, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--config", default=str(ROOT / "edition.yaml"))
    args = parser.parse_args()
    config = Path(args.config).resolve()
    ndocs = len(html_stage.document_files(config.parent / "tei"))
    with tempfile.TemporaryDirectory(prefix="html-bench-") as scratch:
        out = Path(scratch) / "html"
        html_stage.build_html(config, out=out)  # warm the file cache
        pages = sum(1 for _ in out.rglob("*.html"))
        cmd = command_runs(config, args.runs, out)
        inproc, parts = in_process_runs(config, args.runs, out)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"edition html: {ndocs} documents, {pages} pages, {args.runs} runs")
    print(f"  command (new process):  median {statistics.median(cmd):.3f} s, "
          f"min {min(cmd):.3f} s, max {max(cmd):.3f} s   (budget 2 s)")
    print(f"  build_html in-process:  median {statistics.median(inproc):.3f} s, "
          f"min {min(inproc):.3f} s, max {max(inproc):.3f} s")
    for key in ("compile stylesheets", "catalogue", "listings", "document pages", "write files"):
        if key in parts:
            print(f"    {key:22s} median {statistics.median(parts[key]):.3f} s")


if __name__ == "__main__":
    main()
