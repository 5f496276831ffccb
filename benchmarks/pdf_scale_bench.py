"""Benchmark: does the print edition scale linearly? Builds editions 1×, 5×, 10× and 20×
the size of the bundled one (each source's TEI repeated under other source ids: `ssd`
→ `ssd2`, `ssd3`, … with every document id and cross-reference renamed), runs the PDF
stage (`edition pdf`) on each in a child process and prints its wall time and the peak
memory of the whole process tree (the PDF stage and any workers it starts), sampled
from /proc every 20 ms, and its CPU seconds (user + system of the whole tree).

Run from the project root:  .venv/bin/python benchmarks/pdf_scale_bench.py [1 5 10 20]
"""

from __future__ import annotations

import copy as copy_module
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _renamed(text: str, old: str, new: str) -> str:
    # document ids ("ssd-19190421", "ssd-19190421-ms1"), file paths ("../ssd/"), the
    # collection's id ("coll-ssd")
    text = re.sub(rf"(?<![\w-]){re.escape(old)}-(?=\w)", f"{new}-", text)
    text = text.replace(f"/{old}/", f"/{new}/")
    return text.replace(f"coll-{old}\"", f"coll-{new}\"").replace(f"#coll-{old}", f"#coll-{new}")


def make_edition(target: Path, factor: int) -> Path:
    """A copy of the project's edition `factor` times as large, in `target`."""
    config = yaml.safe_load((ROOT / "edition.yaml").read_text(encoding="utf-8"))
    sources = list(config["sources"])
    (target / "tei").mkdir(parents=True)
    shutil.copytree(ROOT / "sources", target / "sources")
    for name in ("registers.xml",):
        if (ROOT / "tei" / name).exists():
            shutil.copy2(ROOT / "tei" / name, target / "tei" / name)
    edition_tree = etree.parse(str(ROOT / "tei" / "edition.xml"))
    all_sources = []
    for k in range(1, factor + 1):
        for s in sources:
            new = s["id"] if k == 1 else f"{s['id']}{k}"
            copy = dict(copy_module.deepcopy(s), id=new)
            all_sources.append(copy)
            out = target / "tei" / new
            out.mkdir()
            for path in sorted((ROOT / "tei" / s["id"]).glob("*.xml")):
                text = path.read_text(encoding="utf-8")
                name = path.name.replace(f"{s['id']}-", f"{new}-", 1)
                (out / name).write_text(text if k == 1 else _renamed(text, s["id"], new), encoding="utf-8")
            if k > 1:
                bibl = edition_tree.find(f".//{{{TEI_NS}}}bibl[@{XML_ID}='coll-{s['id']}']")
                if bibl is not None:
                    twin = etree.fromstring(etree.tostring(bibl))
                    twin.set(XML_ID, f"coll-{new}")
                    parent = bibl.getparent()
                    assert parent is not None
                    parent.append(twin)
    config["sources"] = all_sources
    (target / "edition.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    for extra in ("front",):
        if (ROOT / extra).is_dir():
            shutil.copytree(ROOT / extra, target / extra)
    edition_tree.write(str(target / "tei" / "edition.xml"), encoding="UTF-8", xml_declaration=True)
    return target


def _tree_rss(pid: int) -> int:
    """The resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, pages = int(fields[1]), int(fields[21])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pdf(project: Path) -> tuple[float, float, int, str]:
    """`edition pdf` on the project: wall time, CPU seconds and peak memory of the process
    tree (the stage and its workers), its output."""
    cmd = [sys.executable, "-m", "pipeline.cli", "pdf", "--config", str(project / "edition.yaml")]
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    out = proc.stdout.read().decode() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"edition pdf failed at this size:\n{out}")
    return seconds, cpu, peak, out


def main() -> None:
    factors = [int(a) for a in sys.argv[1:]] or [1, 5, 10, 20]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GB, "
          f"Python {platform.python_version()}")
    base: float | None = None
    base_cpu: float | None = None
    for factor in factors:
        with tempfile.TemporaryDirectory(prefix=f"pdf-scale-{factor}x-") as tmp:
            project = make_edition(Path(tmp), factor)
            docs = len(list((project / "tei").glob("*/*.xml")))
            load = os.getloadavg()[0]
            seconds, cpu, peak, out = run_pdf(project)
            pages = sum(int(m) for m in re.findall(r": (\d+) pages", out))
            volumes = len(re.findall(r": \d+ pages", out))
            if factor == 1:
                base, base_cpu = seconds, cpu
            ratio = f"{seconds / base:5.1f}× the 1× time" if base else "no 1× run to compare"
            cpu_ratio = f" ({cpu / base_cpu:4.1f}×)" if base_cpu else ""
            print(f"{factor:>3}×  {docs:>5} documents  {pages:>6} pages in {volumes:>3} PDF(s)  "
                  f"{seconds:7.1f} s ({ratio}), CPU {cpu:7.1f} s{cpu_ratio}  peak {peak / 2**20:7.0f} MB", flush=True)
            # how much of the machine the run had: the others' load shows in the wall time
            index = re.search(r"edition-index\.pdf: \d+ pages \(XSLT [\d.]+ s, Typst ([\d.]+) s\)", out)
            print(f"      load average {load:.1f} → {os.getloadavg()[0]:.1f}; CPU / wall {cpu / seconds:.2f} of "
                  f"{os.cpu_count()} cores" + (f"; the shared index {float(index.group(1)):.1f} s" if index else ""),
                  flush=True)


if __name__ == "__main__":
    main()
