"""`edition build`: every stage in order, each remade only when what it is made from changed.

A stage's *inputs* are the files it reads (by content hash) and the options and program
version that change its output. Before a stage runs, its key (the digest of its inputs)
is compared with the key recorded when it last succeeded; when they are equal and every
output file is still as it was written, the stage is skipped. Inside a stage, the
per-document work is cached the same way, per product (see html/products.py, validate.py,
link.py), so an edit to one document remakes what shows that document and nothing else.

Keys are taken *after* a stage has run, from the same inputs: a stage that changes its
own inputs (link adds markup to the TEI) is then found up to date by the next build,
since running it again would change nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Edition, load_config
from ..errors import EditionError
from ..memory import give_back
from .cache import BuildCache, digest, program_version
from .executor import Executor, make_executor
from .progress import Progress


@dataclass
class BuildContext:
    """What the stages of one build share: the cache, the executor, the progress lines."""

    edition: Edition
    cache: BuildCache
    executor: Executor
    quiet: bool = False
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)  # stage → (start, end), epoch s
    # the review page (out/reports/review.html) that the conversion left to the web stage,
    # with the boilerplate it shows: rendered at the end of the build if that stage did not
    review_owed: list[tuple[str, int, int, str]] | None = None
    # the TEI files this build's conversion made (key under tei/ → the SHA-256 of their bytes
    # and their printed number): the link stage takes the number of a file still so from
    # here instead of parsing it
    converted: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.edition.root

    def progress(self, stage: str, total: int) -> Progress:
        return Progress(stage, total, enabled=None if not self.quiet else False)


def context_of(args: argparse.Namespace) -> BuildContext | None:
    """The build's context when a stage runs inside `edition build`, else None."""
    ctx = getattr(args, "build_context", None)
    return ctx if isinstance(ctx, BuildContext) else None


# -- what each stage is made from -------------------------------------------------------------


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []


def _hashes(ctx: BuildContext, paths: Iterable[Path]) -> dict[str, str | None]:
    """{path relative to the project: content hash} (keys by name: a project may move)."""
    return {ctx.cache.key(path): sha for path, sha in ctx.cache.file_hashes(list(paths)).items()}


def _schemas_dir(ctx: BuildContext) -> Path:
    local = ctx.root / "schemas"
    if (local / "edition.rng").is_file():
        return local
    return Path(__file__).resolve().parent.parent / "schemas"


def _common(ctx: BuildContext) -> dict[str, object]:
    ed = ctx.edition
    return {"program": program_version(), "config": _hashes(ctx, [ed.config_path]),
            "sources": _hashes(ctx, [ed.root / s.file for s in ed.sources])}


def _tei(ctx: BuildContext) -> dict[str, str | None]:
    return _hashes(ctx, _files(ctx.root / "tei", "**/*.xml"))


def inputs_convert(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    # the registers too: a changed register has every file linked afresh from its conversion;
    # and the editors' forced merges and splits of witnesses (tei/witnesses.yaml), which
    # change what is converted
    overrides = ctx.edition.witnesses.overrides
    return {**_common(ctx), "registers": _hashes(ctx, [ctx.root / "tei" / "registers.xml"]),
            "witnesses": _hashes(ctx, [ctx.root / overrides] if overrides else [])}


def inputs_link(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    return {**_common(ctx), "tei": _tei(ctx)}


def inputs_validate(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    return {**_common(ctx), "tei": _tei(ctx), "schemas": _hashes(ctx, _files(_schemas_dir(ctx), "*"))}


def inputs_html(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    draft = bool(getattr(args, "draft", False))
    reports = ctx.root / "out" / "reports"
    # the review report that html renders again (with the name links), and the recorded
    # releases whose URLs it keeps working
    read = [reports / name for name in ("review.csv", "links.csv", "boilerplate.csv")]
    return {**inputs_validate(ctx, args), "draft": draft, "reports": _hashes(ctx, read),
            "releases": _hashes(ctx, _files(ctx.root / "releases", "*.tsv")),
            # the pages link the volumes that exist; their bytes are not shown but held:
            # refresh_site_pdfs puts a remade volume into the site without remaking it
            "pdf": [p.name for p in _files(ctx.root / "out" / "pdf", "*.pdf")],
            "site pdf": [p.name for p in _files(ctx.root / "out" / "html" / "pdf", "*.pdf")]}


def inputs_pdf(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    # and the front matter the editors write for the print (front/*.md)
    return {**_common(ctx), "tei": _tei(ctx), "front": _hashes(ctx, _files(ctx.root / "front", "*.md")),
            "draft": bool(getattr(args, "draft", False))}


def inputs_deposit(ctx: BuildContext, args: argparse.Namespace) -> dict[str, object]:
    if not getattr(args, "deposit", False):
        return {"deposit": False}
    from ..deposit import bagging_time

    return {**inputs_validate(ctx, args), "date": bagging_time(None).date().isoformat()}


# the files a stage writes, checked before it is skipped (None: nothing to check)
def outputs_convert(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    # The TEI files are the editors' once written (and link adds to them): that they are
    # all there is what counts, not their bytes.
    return [ctx.root / "out" / "reports" / "review.csv"]


def outputs_link(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    return [ctx.root / "out" / "reports" / "links.csv"]


def outputs_validate(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    return []


def _tree(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def outputs_html(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    report = ctx.root / "out" / "reports" / "review.html"
    pdfs = ctx.root / "out" / "html" / "pdf"  # the print volumes: refresh_site_pdfs keeps them current
    return [p for p in _tree(ctx.root / "out" / "html") if p.parent != pdfs] + ([report] if report.is_file() else [])


def refresh_site_pdfs(root: Path) -> None:
    """The site's copies of the print volumes (out/html/pdf/, hard links where the file
    system allows) are the volumes of out/pdf/: a volume typeset again after the site was
    made replaces its copy (one rename each), so the site need not be made again when
    only the PDF's bytes changed."""
    import filecmp
    import os

    from ..write import within

    site = root / "out" / "html" / "pdf"
    if not site.is_dir():
        return
    for copy in sorted(site.glob("*.pdf")):
        volume = root / "out" / "pdf" / copy.name
        if not volume.is_file() or os.path.samefile(volume, copy) or filecmp.cmp(volume, copy, shallow=False):
            continue
        tmp = within(site, site / f".{copy.name}.new")
        tmp.unlink(missing_ok=True)
        try:
            os.link(volume, tmp)
        except OSError:
            shutil.copyfile(volume, tmp)
        os.replace(tmp, copy)


def outputs_pdf(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    return _tree(ctx.root / "out" / "pdf")


def outputs_deposit(ctx: BuildContext, args: argparse.Namespace) -> list[Path] | None:
    return _tree(ctx.root / "out" / "deposit") if getattr(args, "deposit", False) else []


InputsFn = Callable[[BuildContext, argparse.Namespace], dict[str, object]]
OutputsFn = Callable[[BuildContext, argparse.Namespace], "list[Path] | None"]
DECLARED: dict[str, tuple[InputsFn, OutputsFn]] = {
    "convert": (inputs_convert, outputs_convert),
    "link": (inputs_link, outputs_link),
    "validate": (inputs_validate, outputs_validate),
    "html": (inputs_html, outputs_html),
    "pdf": (inputs_pdf, outputs_pdf),
    "deposit": (inputs_deposit, outputs_deposit),
}


def _converted_present(ctx: BuildContext) -> bool:
    """Every file the converter recorded in tei/.converted.json is still there."""
    import json

    manifest = ctx.root / "tei" / ".converted.json"
    try:
        keys = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False  # damaged: the convert stage runs and names it
    if not isinstance(keys, dict):
        return False
    return all((ctx.root / "tei" / k).is_file() for k in keys)


# -- the build ---------------------------------------------------------------------------------


def run_stage(ctx: BuildContext, name: str, args: argparse.Namespace, run: Callable[[], int]) -> int:
    """Runs one stage unless it is up to date; records it when it succeeded."""
    inputs_of, outputs_of = DECLARED[name]
    started = time.time()
    record = ctx.cache.get("stage", name)
    key = digest(name, inputs_of(ctx, args))
    forced = name == "convert" and bool(getattr(args, "force", False))
    if record is not None and record.key == key and not forced and ctx.cache.outputs_intact(record) \
            and (name != "convert" or _converted_present(ctx)):
        ctx.timings[name] = (started, time.time())
        if not ctx.quiet:
            print(f"{name}: up to date")
        return 0
    ctx.cache.drop("stage", [name])
    left_out = getattr(args, "left_out", 0)
    give_back()  # what the stages before freed (their peaks) is not held through this one
    code = run()
    # a stage that left a document out (a transform past its limits) is made again next time
    if code == 0 and getattr(args, "left_out", 0) == left_out:
        outputs = outputs_of(ctx, args) or []
        ctx.cache.put("stage", name, digest(name, inputs_of(ctx, args)),
                      ctx.cache.outputs_of(outputs, ctx.executor))
    ctx.timings[name] = (started, time.time())
    return code


def executor_settings(args: argparse.Namespace, edition: Edition) -> tuple[int | None, str | None]:
    """--jobs and --scheduler, else edition.yaml's `executor:`, else all local cores."""
    jobs = getattr(args, "jobs", None)
    scheduler = getattr(args, "scheduler", None)
    conf = getattr(edition, "executor", None)
    if scheduler is None and jobs is None and conf is not None:
        scheduler = conf.scheduler
        jobs = conf.jobs
    return jobs, scheduler


def forget_caches(root: Path) -> None:
    """`--clean`: the other caches in out/.cache (the index of `edition validate`) go too."""
    folder = root / "out" / ".cache"
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("build.sqlite") and path.name != ".gitignore":
                path.unlink(missing_ok=True)


def _run_stages(ctx: BuildContext, args: argparse.Namespace,
                stages: list[tuple[str, Callable[[argparse.Namespace], int]]]) -> int:
    for name, fn in stages:
        if name == "pdf" and getattr(args, "no_pdf", False):
            continue
        code = run_stage(ctx, name, args, lambda fn=fn: fn(args))  # type: ignore[misc]
        if name == "html" and code == 0:
            ctx.review_owed = None  # rendered, or kept as made from the same reports
            refresh_site_pdfs(ctx.root)
        if getattr(args, "timings", False):  # for benchmarks/scale_bench.py
            print("timing: " + json.dumps([name, *ctx.timings[name]]), file=sys.stderr, flush=True)
        if code != 0:
            return code
    return 0


def _render_review(ctx: BuildContext) -> None:
    """The review page that the conversion left to the web stage, when the build stopped
    before that stage rendered it."""
    if ctx.review_owed is None:
        return
    from ..html.report import write_report

    boilerplate, ctx.review_owed = ctx.review_owed, None
    try:
        write_report(ctx.root, ctx.root / "out" / "reports", ctx.edition.title, boilerplate=boilerplate)
    except (EditionError, OSError) as exc:
        print(f"edition: warning: the review page could not be written ({exc})", file=sys.stderr)


def run_build(args: argparse.Namespace, stages: list[tuple[str, Callable[[argparse.Namespace], int]]]) -> int:
    """Runs `stages` (name, function taking the build's arguments) in order, each skipped
    when up to date; stops at the first that fails."""
    # Absolute paths everywhere: the tasks may run in processes (on a cluster) whose
    # working directory is not this one.
    args.config = str(Path(args.config).absolute())
    edition = load_config(Path(args.config))
    quiet = bool(getattr(args, "quiet", False))
    cache = BuildCache(edition.root)
    try:
        if getattr(args, "clean", False):
            cache.clear()
            forget_caches(edition.root)
        jobs, scheduler = executor_settings(args, edition)
        with make_executor(jobs, scheduler) as executor:
            ctx = BuildContext(edition, cache, executor, quiet=quiet)
            if not quiet:
                print(f"build: {executor.name}")
            args.build_context = ctx
            try:
                code = _run_stages(ctx, args, stages)
            except EditionError:  # (not on Ctrl-C: that ends the run at once)
                _render_review(ctx)
                raise
            _render_review(ctx)
            if code != 0:
                return code
            if getattr(args, "timings", False):
                print("timings: " + json.dumps(ctx.timings), file=sys.stderr)
        return 0
    except sqlite3.DatabaseError as exc:  # damaged under the build: it is only a cache
        cache.close()
        cache.forget()
        raise EditionError(f"the build cache is damaged ({exc}); it was removed", path=str(cache.path),
                           hint="run the command again: the next build makes everything anew") from None
    finally:
        cache.close()


__all__ = ["BuildContext", "context_of", "run_build", "run_stage"]
