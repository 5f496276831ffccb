"""Benchmark of the big hostile inputs (issue #11, bounded time): each command as a new
process, median of N runs, its CPU seconds and peak memory, and the machine.

    .venv/bin/python benchmarks/hostile_bench.py [--runs N] [--only long-line|notes|big]

- long-line: a source of the bundled edition's first collection with one more line of
  3.6 MB (its own text, joined): `convert --force` and `link` (budget: 10 s each);
- notes: a TEI document with 20,000 foot notes (2.6 MB as the converter encodes them; the
  issue's case had 1.5 MB): `validate`, `html` and `pdf` (budget: 15 s each);
- big: a 50 MB TEI document: `validate` (budget: 60 s); `link`, `html` and `pdf` leave it
  out by its size (the `limits:` of edition.yaml: named, the other documents processed,
  exit 1), `deposit` refuses the edition.

Other work on the machine disturbs wall times; the CPU seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_project import one_source_project  # noqa: E402

SOURCE = "sources/000_4958403d30913677.txt"


def edition() -> list[str]:
    exe = Path(sys.executable).with_name("edition")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]


def run(project: Path, *args: str) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak MB, exit code, last line of stderr) of one command."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([*edition(), *args, "-q", "--config", str(project / "edition.yaml")],
                                stdout=out, stderr=out, cwd=project)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if "error" in line] or [line for line in text.splitlines() if line]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, \
        (lines[0][:200] if lines else "")


def measure(label: str, project: Path, args: list[str], runs: int, budget: float | None) -> None:
    results = [run(project, *args) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    peak = max(r[2] for r in results)
    code = results[-1][3]
    within = "" if budget is None else ("  within" if wall <= budget else "  OVER") + f" {budget:.0f} s"
    print(f"  {label:<28} {wall:7.2f} s wall {cpu:7.2f} s CPU {peak:7.0f} MB  exit {code}{within}")
    if code:
        print(f"  {'':<28} {results[-1][4]}")


def long_line(base: Path, runs: int) -> None:
    project = one_source_project(base / "long")
    source = project / SOURCE
    data = source.read_bytes()
    line = data.replace(b"\n", b" ")
    size = 3_600_000
    source.write_bytes(data + b"\n\n" + (line * (size // len(line) + 1))[:size] + b"\n")
    lines = data.count(b"\n")
    print(f"long line: one line of {size / 1e6:.1f} MB after the {lines} lines of the source")
    measure("convert --force", project, ["convert", "--force"], runs, 10)
    measure("link", project, ["link"], runs, 10)


def notes_document(project: Path, notes: int) -> Path:
    """The first document of the project with paragraphs carrying `notes` foot notes after
    its opener (ten a paragraph, encoded as the converter does: the file stays valid)."""
    path = sorted((project / "tei" / "nk").glob("nk-5*.xml"))[0]
    text = path.read_text(encoding="utf-8")
    doc = path.stem
    paragraphs = "".join(
        f"<p>Paragraph {i} of the text, where the compilers explain" + "".join(
            f'<note n="{i * 10 + k + 1}" place="foot" type="compiler" resp="../edition.xml#compilers-nk" '
            f'xml:id="{doc}-fn{i * 10 + k + 1}">Note {i * 10 + k + 1}.</note> a word' for k in range(10))
        + " and the end.</p>\n" for i in range(notes // 10))
    path.write_text(text.replace("</opener>", "</opener>" + paragraphs, 1), encoding="utf-8")
    return path


def many_notes(base: Path, runs: int) -> None:
    project = one_source_project(base / "notes", documents=3)
    run(project, "convert")
    run(project, "link")
    path = notes_document(project, 20_000)
    print(f"notes: {path.name}, {path.stat().st_size / 1e6:.1f} MB, 20,000 foot notes")
    measure("validate", project, ["validate"], runs, 15)
    measure("html", project, ["html"], runs, 15)
    measure("pdf", project, ["pdf"], runs, 15)


def big_tei(base: Path, runs: int) -> None:
    project = one_source_project(base / "big", documents=3)
    run(project, "convert")
    path = sorted((project / "tei" / "nk").glob("nk-5*.xml"))[0]
    text = path.read_text(encoding="utf-8")
    para = ("<p>The People's Commissar for Foreign Affairs wrote on 1 May 1920 to the plenipotentiary "
            "that the talks would go on in Moscow, and asked for a reply by telegram.</p>\n")
    count = 50_000_000 // len(para.encode())
    path.write_text(text.replace("</opener>", "</opener>" + para * count, 1), encoding="utf-8")
    print(f"big: {path.name}, {path.stat().st_size / 1e6:.0f} MB")
    measure("validate", project, ["validate"], runs, 60)
    for command in ("link", "html", "pdf", "deposit"):
        measure(f"{command} (without it)" if command != "deposit" else "deposit (refuses)", project, [command], 1,
                None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["long-line", "notes", "big"])
    args = parser.parse_args()
    try:
        import psutil
        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        memory = "? GiB"
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, {memory}, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} "
          "(other work on the machine disturbs the wall times)")
    print(f"median of {args.runs} runs; peak = the largest resident set of one run")
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        base = Path(tmp)
        for name, bench in (("long-line", long_line), ("notes", many_notes), ("big", big_tei)):
            if args.only in (None, name):
                bench(base, args.runs)
                shutil.rmtree(base / name.split("-")[0], ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
