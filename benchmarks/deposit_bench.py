"""Benchmark of `edition deposit`: packaging the whole edition.

    python benchmarks/deposit_bench.py [--config edition.yaml] [--runs N] [--fresh]

Prints the machine's core count and the median over N runs of a complete packaging as the
command does it (validation of every file, licence check, CMIF, staging the payload, the
bag with sha256 + sha512 manifests, bagit's own full validation of the new bag, the zip,
the swap into place), excluding the Python start-up. The output goes to a temporary
folder, never to out/deposit. The issue's budget: at most 3 s on the project's 2-core
machine.

--fresh packages a freshly converted copy of the bundled edition instead of tei/ (without
its pointers into tei/registers.xml when that file is absent), for measuring while the
edition under tei/ is not valid (the deposit refuses an invalid edition).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main as edition  # noqa: E402
from pipeline.deposit import DepositRefused, bagging_time, make_deposit  # noqa: E402
from pipeline.validate import format_text  # noqa: E402


def fresh_project(dest: Path) -> Path:
    """The bundled edition converted anew into `dest` (as tests/test_deposit.py does)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "edition.yaml", dest / "edition.yaml")
    shutil.copytree(ROOT / "sources", dest / "sources")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    (dest / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "encoding.md", dest / "docs" / "encoding.md")
    if edition(["convert", "-q", "--config", str(dest / "edition.yaml")]) != 0:
        raise SystemExit("the conversion failed")
    if not (dest / "tei" / "registers.xml").exists():
        for path in (dest / "tei").rglob("*.xml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r' ref="\.\./registers\.xml#[^"]*"', "", text), encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--config", default=str(ROOT / "edition.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="package a freshly converted copy of the edition")
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="deposit-bench-") as tmp:
        config = fresh_project(Path(tmp) / "project") / "edition.yaml" if args.fresh else Path(args.config)
        when = bagging_time("2026-01-15")
        times, deposit = [], None
        for run in range(args.runs):
            try:
                deposit = make_deposit(config, out=Path(tmp) / f"out{run}" / "deposit", when=when)
            except DepositRefused as exc:
                if exc.report is not None:
                    sys.stdout.write(format_text(exc.report, quiet=True))
                print(f"deposit refused: {exc.message}; measure a fresh conversion with --fresh", file=sys.stderr)
                return 1
            times.append(deposit.seconds)
        assert deposit is not None
    print(f"cores: {cores} (os.cpu_count() = {os.cpu_count()})")
    print(f"edition: {'fresh conversion' if args.fresh else config}")
    print(f"TEI files: {deposit.documents}; CMIF letters: {deposit.letters}; payload files: {deposit.payload_files}")
    print(f"bag: {deposit.bag_bytes / 1e6:.2f} MB ({deposit.payload_bytes / 1e6:.2f} MB payload); "
          f"zip: {deposit.zip_bytes / 1e6:.2f} MB")
    print(f"runs: {args.runs}")
    print(f"median packaging (validate + CMIF + bag + bagit validation + zip): {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}); budget 3 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
