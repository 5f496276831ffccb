"""Scale benchmark: `edition build` on editions 1×, 10×, 100× the bundled one.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 1 10 100] [--jobs 1 2] [--no-pdf]
                                               [--dask] [--edits] [--work DIR]

An edition k× the bundled one holds every source k times, each copy under another id
(nk, nkb, nkc …): about 200 documents at 1×, 2,000 at 10×, 20,000 at 100×. For each
size and number of jobs, a cold build (`--clean`, in an edition made afresh from its
sources: no TEI files, no site) runs as its own process while this
script samples the resident memory of that process and all its children (the worker
processes) every 50 ms; each stage's time comes from the build's own timings, and its
peak memory is the largest sum over the process tree while the stage ran ("main MB": the
building process's own peak), and the CPU
seconds of the building process ("main") and of its descendants (worker processes, Saxon
children: "others") are sampled alike. Printed: per stage the seconds, the milliseconds
per document, the peak memory and the CPU seconds; then the no-op
build and a build after editing one document's TEI (`--edits`), and with `--dask` the
same cold build on a Dask LocalCluster with two worker processes.

The figures depend on what else runs on the machine: the script prints the machine and
its load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from copy import deepcopy
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("convert", "link", "validate", "html", "pdf", "deposit")


def make_edition(dest: Path, times: int) -> int:
    """The bundled edition with every source repeated `times` times under other ids."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "sources").mkdir(parents=True)
    (dest / "tei").mkdir()
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copy(ROOT / "tei" / "registers.xml", dest / "tei" / "registers.xml")
    config = yaml.safe_load((ROOT / "edition.yaml").read_text(encoding="utf-8"))
    sources = []
    for k in range(times):
        for s in config["sources"]:
            copy = deepcopy(s)  # no shared objects: YAML aliases are refused
            suffix = "" if k == 0 else _letters(k)
            copy["id"] = s["id"] + suffix
            src = ROOT / s["file"]
            name = f"sources/{src.stem}{'-' + suffix if suffix else ''}{src.suffix}"
            shutil.copy(src, dest / name)
            copy["file"] = name
            sources.append(copy)
    config["sources"] = sources
    (dest / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(sources)


def _letters(k: int) -> str:
    out = ""
    while True:
        out = chr(ord("a") + k % 26) + out
        k //= 26
        if k == 0:
            return out


class Sampler(threading.Thread):
    """Resident memory of a process and all its descendants, and their CPU seconds (the
    building process's own and its descendants' — worker processes, Saxon children —
    apart), every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int, int]] = []  # (time, the tree's resident bytes, the building process's)
        self.cpu: list[tuple[float, float, float]] = []  # (time, parent's CPU s, descendants' CPU s so far)
        self.stop = False

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        seen: dict[int, float] = {}  # a descendant's CPU seconds when last sampled (kept when it ends)
        procs: list[psutil.Process] = []
        rounds = 0
        while not self.stop:
            total = 0
            # The tree is looked for anew every RESCAN samples, not every sample: looking
            # reads every process of the machine, and the sampler's own CPU (3 % of a core
            # when it looked every time) is taken from the build it measures once both
            # cores are busy. A process started meanwhile is missed for at most 0.5 s.
            if rounds % RESCAN == 0:
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.NoSuchProcess:
                    break
            rounds += 1
            own = 0.0
            main_rss = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    rss = p.memory_info().rss
                    total += rss
                    if p.pid == self.pid:
                        main_rss = rss
                    times = p.cpu_times()
                    if p.pid == self.pid:
                        own = times.user + times.system
                    else:
                        seen[p.pid] = times.user + times.system
            now = time.time()
            self.samples.append((now, total, main_rss))
            self.cpu.append((now, own, sum(seen.values())))
            time.sleep(0.05)

    def peak(self, start: float, end: float) -> int:
        return max((rss for t, rss, _ in self.samples if start <= t <= end), default=0)

    def peak_main(self, start: float, end: float) -> int:
        """The building process's own peak (its worker processes and Saxon children left out)."""
        return max((own for t, _, own in self.samples if start <= t <= end), default=0)

    def cpu_between(self, start: float, end: float) -> tuple[float, float]:
        """(the building process's, its descendants') CPU seconds from start to end."""
        inside = [c for c in self.cpu if start <= c[0] <= end + 0.06]
        before = [c for c in self.cpu if c[0] < start]
        if not inside:
            return 0.0, 0.0
        first = before[-1] if before else (start, 0.0, 0.0)
        return inside[-1][1] - first[1], inside[-1][2] - first[2]


RESCAN = 10  # samples between two looks for the build's processes
DEADLINE: float | None = None  # seconds a build may take (--deadline): then the stages done so far


def build(project: Path, *args: str, env: dict[str, str] | None = None
          ) -> tuple[float, dict[str, list[float]], Sampler]:
    cmd = [sys.executable, "-m", "pipeline.cli", "build", "-q", "--timings", *args]
    t0 = time.perf_counter()
    environ = {**os.environ, **(env or {}), "SOURCE_DATE_EPOCH": "1767225600"}
    environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: the program's bytecode is cached
    proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
    sampler = Sampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        for child in psutil.Process(proc.pid).children(recursive=True):
            child.kill()
        proc.kill()
        out, err = proc.communicate()
        print(f"  (stopped after the deadline of {DEADLINE:.0f} s: the stages finished by then)")
    wall = time.perf_counter() - t0
    sampler.stop = True
    sampler.join()
    spans = {}
    for line in err.splitlines():
        if line.startswith("timing: "):
            name, start, end = json.loads(line[len("timing: "):])
            spans[name] = [start, end]
    if proc.returncode not in (0, -9) or not spans:
        raise SystemExit(f"build failed ({proc.returncode}): {err[-2000:]}")
    return wall, spans, sampler


def documents(project: Path) -> int:
    return sum(1 for p in (project / "tei").glob("*/*.xml"))


def report(label: str, n: int, wall: float, spans: dict[str, list[float]], sampler: Sampler) -> dict[str, object]:
    print(f"\n{label}: {n} documents, {wall:.1f} s wall")
    print(f"  {'stage':<9} {'seconds':>8} {'ms/doc':>8} {'peak MB':>8} {'main MB':>8} {'CPU main':>9} "
          f"{'CPU others':>10}")
    row: dict[str, object] = {"label": label, "documents": n, "wall": wall, "stages": {}}
    for stage, (start, end) in spans.items():
        peak = sampler.peak(start, end) / 2**20
        peak_main = sampler.peak_main(start, end) / 2**20
        secs = end - start
        main, others = sampler.cpu_between(start, end)
        print(f"  {stage:<9} {secs:8.2f} {1000 * secs / n:8.2f} {peak:8.0f} {peak_main:8.0f} {main:9.1f} "
              f"{others:10.1f}")
        row["stages"][stage] = {"seconds": secs, "ms_per_doc": 1000 * secs / n, "peak_mb": peak,  # type: ignore[index]
                                "peak_main_mb": peak_main, "cpu_main": main, "cpu_others": others}
    sys.stdout.flush()
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    ap.add_argument("--no-pdf", action="store_true", help="leave the PDF out (its growth is measured by pdf_bench)")
    ap.add_argument("--dask", action="store_true", help="also build on a Dask LocalCluster (2 worker processes)")
    ap.add_argument("--edits", action="store_true", help="also time a no-op build and a build after one TEI edit")
    ap.add_argument("--work", type=Path, help="where to make the editions (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--deadline", type=float, help="stop a build after this many seconds (report its finished stages)")
    args = ap.parse_args()
    global DEADLINE
    DEADLINE = args.deadline

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f} (other work on the machine disturbs the figures)")
    work = args.work or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    extra = ["--no-pdf"] if args.no_pdf else []
    rows = []
    for size in args.sizes:
        project = work / f"edition-{size}x"
        for jobs in args.jobs:
            # a cold build starts from the sources alone, every time: no TEI files, no site
            # (a build over an earlier one's files compares them with what it makes)
            nsources = make_edition(project, size)
            wall, spans, sampler = build(project, "--clean", "--jobs", str(jobs), *extra)
            rows.append(report(f"{size}x, {nsources} sources, cold build, --jobs {jobs}", documents(project), wall,
                               spans, sampler))
        if args.edits:
            time.sleep(2.5)  # past the clock granularity guard of the file hashes
            wall, spans, sampler = build(project, *extra)
            rows.append(report(f"{size}x no-op build", documents(project), wall, spans, sampler))
            target = sorted((project / "tei" / "nk").glob("nk-562.xml"))[0]
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("</persName> arrived", "</persName> (the envoy) arrived", 1),
                              encoding="utf-8")
            wall, spans, sampler = build(project, "--no-pdf")
            rows.append(report(f"{size}x after one TEI edit, without the PDF", documents(project), wall, spans,
                               sampler))
            wall, spans, sampler = build(project)
            rows.append(report(f"{size}x the PDF after that edit", documents(project), wall, spans, sampler))
        if args.dask:
            from distributed import LocalCluster

            make_edition(project, size)
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=50) as cluster:
                wall, spans, sampler = build(project, "--clean", "--scheduler", cluster.scheduler_address, *extra)
            rows.append(report(f"{size}x cold build on a Dask LocalCluster (2 workers; their memory not sampled)",
                               documents(project), wall, spans, sampler))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
