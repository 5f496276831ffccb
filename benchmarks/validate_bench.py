"""Benchmark of `edition validate`.

    python benchmarks/validate_bench.py [PATH ...] [--runs N]     # the edition (tei/ by default)
    python benchmarks/validate_bench.py --scale [--runs N]        # foreign TEI at scale

Prints the machine (cores, CPU) and medians over N runs.  The edition: compiling its schemas,
and a whole validation (every file parsed, grammar, Schematron, rules across files), without
the Python start-up; budget 1 s for the 205 files on 2 cores.

--scale builds test data in a temporary folder from the third-party fixtures (tests/fixtures/
foreign) and measures, each as a fresh `python -m pipeline.validate` process (start-up
included, as a user or CI sees it):
  * a 2 MB FRUS-like volume against its own RelaxNG (compact) and XSLT 2 Schematron (budget 3 s);
  * one file with 20,000 Schematron findings, reported as text (budget 2 s);
  * tei_all on 200 files, side by side with jing on the same files (budget: no slower than jing).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import validate as v  # noqa: E402

FOREIGN = ROOT / "tests" / "fixtures" / "foreign"


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"cores: {cores} (os.cpu_count() = {os.cpu_count()}); cpu: {cpu}; load average now: {load:.1f}"


def edition(paths: list[str], runs: int) -> int:
    files, missing = v.collect([Path(p) for p in paths])
    if missing or not files:
        print(f"nothing to validate in {', '.join(paths)}", file=sys.stderr)
        return 2
    compile_times, totals, cpus = [], [], []
    report = None
    for _ in range(runs):
        cpu_started = time.process_time()
        started = time.perf_counter()
        schemas = v.Schemas.load(ROOT / "schemas")
        compiled = time.perf_counter()
        report = v.validate_files(files, schemas)
        done = time.perf_counter()
        compile_times.append(compiled - started)
        totals.append(done - started)
        cpus.append(time.process_time() - cpu_started)
    assert report is not None
    size = sum(f.stat().st_size for f in files)
    print(f"files: {len(files)} ({size / 1024:.0f} KiB); findings: {report.errors} errors, {report.warnings} warnings")
    print(f"runs: {runs}")
    print(f"median compile schemas: {statistics.median(compile_times) * 1000:.1f} ms")
    print(f"median whole validation (compile + all files + cross-file rules): "
          f"{statistics.median(totals) * 1000:.1f} ms (min {min(totals) * 1000:.1f}, max {max(totals) * 1000:.1f})")
    print(f"median CPU time of the whole validation: {statistics.median(cpus) * 1000:.1f} ms")
    print(f"per file: {statistics.median(totals) / len(files) * 1000:.2f} ms")
    return 0


CPU: list[float] = []  # the CPU seconds (user + system) of the last _timed command's runs


def _timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Median wall-clock seconds of `runs` runs (and their CPU seconds in CPU)."""
    times = []
    done = None
    CPU.clear()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert done is not None
    return statistics.median(times), done


def cpu() -> str:
    return f"CPU {statistics.median(CPU):.2f} s"


def big_volume(folder: Path, size: int) -> Path:
    """The FRUS-like test volume with its documents repeated (renumbered) up to `size` bytes."""
    for name in ("frus-like.rnc", "rules.sch", "dates.sch"):
        shutil.copy(FOREIGN / "frus-like" / name, folder / name)
    text = (FOREIGN / "frus-like" / "frus1969-76v99.xml").read_text(encoding="utf-8")
    head, rest = text.split("<body>", 1)
    body, tail = rest.split("</body>", 1)
    first = body.split("</div>", 1)[0] + "</div>\n"
    parts, total, n = [], len(head) + len(tail), 0
    while total < size:
        n += 1
        doc = re.sub(r'n="1" xml:id="d1"', f'n="{n}" xml:id="d{n}"', first)
        doc = doc.replace('xml:id="d1fn1"', f'xml:id="d{n}fn1"').replace(">1. ", f">{n}. ")
        parts.append(doc)
        total += len(doc)
    path = folder / "volume.xml"
    path.write_text(head + "<body>\n" + "".join(parts) + "</body>" + tail, encoding="utf-8")
    return path


def many_findings(folder: Path, count: int) -> Path:
    """A volume whose every dateline lacks a time zone: `count` Schematron findings."""
    path = big_volume(folder, 0)
    text = path.read_text(encoding="utf-8")
    dates = "".join(f'<p>Sent <date when="1969-01-21T08:{k % 60:02d}:00">day {k}</date>.</p>\n'
                    for k in range(count))
    body = ('<div type="document" n="1" xml:id="d1"><head>1. Many dates</head>\n'
            '<dateline><date when="1969-01-20T12:00:00Z">January 20</date></dateline>\n' + dates + "</div>\n")
    path.write_text(re.sub(r"<body>.*</body>", lambda _m: "<body>\n" + body + "</body>", text, flags=re.S),
                    encoding="utf-8")
    # the Schematron checks every date, not only those in datelines
    sch = (folder / "dates.sch").read_text(encoding="utf-8")
    (folder / "dates.sch").write_text(sch, encoding="utf-8")
    return path


def scale(runs: int) -> int:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "big").mkdir()
        volume = big_volume(base / "big", 2 * 1024 * 1024)
        seconds, done = _timed([py, "-m", "pipeline.validate", "-q", "volume.xml"], base / "big", runs)
        print(f"2 MB file ({volume.stat().st_size / 1e6:.2f} MB, its RelaxNG compact + XSLT 2 Schematron): "
              f"median {seconds:.2f} s wall, {cpu()} (budget 3 s); exit {done.returncode}; "
              f"{done.stdout.strip().splitlines()[-1]}")

        (base / "many").mkdir()
        many_findings(base / "many", 20000)
        seconds, done = _timed([py, "-m", "pipeline.validate", "volume.xml"], base / "many", runs)
        found = sum(1 for line in done.stdout.splitlines() if "[time-zone]" in line)
        total = len([line for line in done.stdout.splitlines() if ": error: " in line])
        print(f"20,000 Schematron findings in one file (text report): median {seconds:.2f} s wall, {cpu()} "
              f"(budget 2 s); {found} time-zone findings, {total} findings in all (the grammar's too)")

        (base / "tei").mkdir()
        sample = sorted((FOREIGN / "tei-stylesheets").glob("*.xml"))
        for k in range(200):
            shutil.copy(sample[k % len(sample)], base / "tei" / f"{k:03d}-{sample[k % len(sample)].name}")
        ours, done = _timed([py, "-m", "pipeline.validate", "--schema", "tei_all", "-q", "tei"], base, runs)
        ours_cpu = cpu()
        ours_bad = {Path(line.split(":", 1)[0]).name for line in done.stdout.splitlines() if ": error:" in line}
        jing = shutil.which("jing")
        if jing is None:
            print(f"tei_all, 200 files: edition validate median {ours:.2f} s; jing not installed "
                  "(scripts/setup.d/validate.sh)")
            return 0
        files = sorted(str(p.relative_to(base)) for p in (base / "tei").glob("*.xml"))
        theirs, jdone = _timed([jing, str(v.BUNDLED["tei_all"]), *files], base, runs)
        jing_bad = {Path(line.split(":", 1)[0]).name for line in jdone.stdout.splitlines() if ": error:" in line}
        print(f"tei_all, 200 files: edition validate median {ours:.2f} s wall ({ours_cpu}), "
              f"jing median {theirs:.2f} s wall ({cpu()}) "
              f"(ratio {ours / theirs:.2f}); invalid files: ours {len(ours_bad)}, jing {len(jing_bad)}, "
              f"same verdicts: {ours_bad == jing_bad}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "tei")])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", action="store_true", help="foreign TEI at scale (see the module's docstring)")
    args = parser.parse_args(argv)
    print(machine())
    print("note: measured on a shared machine; other work running at the same time slows every figure")
    return scale(args.runs) if args.scale else edition(args.paths, args.runs)


if __name__ == "__main__":
    sys.exit(main())
