"""What `edition build` remembers of a validation: each file's own findings.

A file's own findings (its grammar and Schematron findings, its pointers, its xml-model
lines and file name) are a function of the file's bytes, the schemas, the files next to
the edition's documents that the Schematron reads (tei/edition.xml, the registers), the
files its pointers lead to and the folder the report is printed from. They are kept in
the build's cache with the content hashes of those files and taken from there while all
of them are unchanged; the rules across files (ids and numbers unique, source lines
claimed once) run over the whole edition every time.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from ..build.cache import BuildCache, digest, program_version
from ..build.executor import Executor
from ..build.progress import Progress
from ..saxon_run import SaxonLimits
from .crossfile import Facts
from .engine import Options
from .model import Finding

STAGE = "validate.file"
MISSING = "-"  # the hash recorded for a file that did not exist


class FindingsMemo:
    """Each file's own findings of the last build, by file; those to find again are found
    on the build's executor when it has several processes (`compute`)."""

    def __init__(self, cache: BuildCache, files: Iterable[Path], shared: Iterable[Path], options: object,
                 schemas: Path | None = None, phase: str | None = None, executor: Executor | None = None,
                 progress: Progress | None = None, limits: SaxonLimits | None = None) -> None:
        self.cache = cache
        files = list(files)
        self.shas = cache.file_hashes(files, executor)  # (the files just linked: read on the workers)
        self.base = digest(program_version(), os.getcwd(), options,
                           {cache.key(p): sha for p, sha in cache.file_hashes(list(shared)).items()})
        self.made = cache.records(STAGE)
        self.rows: dict[str, tuple[str, str, dict[str, str], str]] = {}
        self.schemas, self.phase = schemas, phase
        self.executor = executor if executor is not None and executor.jobs > 1 and schemas is not None else None
        self.progress = progress
        self.limits = limits or SaxonLimits()

    def compute(self, files: list[tuple[Path, str]]) -> dict[Path, tuple[list[Finding], Facts | None]]:
        """The own findings of `files` ((path, as shown)) found on the executor's processes,
        with their facts for the rules across files (None: not read), and recorded."""
        assert self.executor is not None and self.schemas is not None
        run = digest(self.base, time.time_ns(), os.getpid())  # this run's: the files may change between runs
        items = [(str(path), shown, os.getcwd(), str(self.schemas), self.phase, run, self.limits)
                 for path, shown in files]
        results = self.executor.map(_own_findings, items, self.progress)
        # the files they depend on are few (those the documents point to): hashed once
        known = self.cache.file_hashes(sorted({Path(t) for _, touched, _ in results for t in touched}))
        out: dict[Path, tuple[list[Finding], Facts | None]] = {}
        for (path, _), (found, touched, facts) in zip(files, results, strict=True):
            findings = [Finding(str(f[0]), int(f[1]), int(f[2]), str(f[3]), str(f[4]), str(f[5]))  # type: ignore[call-overload]
                        for f in found]
            out[path] = (findings, Facts.from_json(facts) if facts is not None else None)
            if facts is not None:
                self.put(path, findings, [Path(t) for t in touched], out[path][1], known)
        return out

    def _key(self, path: Path) -> str:
        return digest(self.base, self.shas.get(path))

    def get(self, path: Path) -> tuple[list[Finding], Facts] | None:
        """The file's findings of the last build and its facts for the rules across files,
        when nothing they depend on changed."""
        name = self.cache.key(path)
        record = self.made.get(name)
        if record is None or record.key != self._key(path) or self.shas.get(path) is None:
            return None
        deps = [self.cache.root / rel if not os.path.isabs(rel) else Path(rel) for rel in record.outputs]
        now = self.cache.file_hashes(deps)
        if any((now[p] or MISSING) != sha for p, sha in zip(deps, record.outputs.values(), strict=True)):
            return None
        self.rows[name] = (name, record.key, record.outputs, record.data)
        found, facts = json.loads(record.data)
        return [Finding(*f) for f in found], Facts.from_json(facts)

    def put(self, path: Path, findings: list[Finding], depends_on: Iterable[Path], facts: Facts | None,
            known: dict[Path, str | None] | None = None) -> None:
        """Records a file's findings, the other files they were found from (`known`: their
        hashes, when the caller has them), and its facts."""
        if self.shas.get(path) is None:
            return
        name = self.cache.key(path)
        deps = sorted(set(depends_on))
        hashes = {p: known[p] for p in deps} if known is not None else self.cache.file_hashes(deps)
        outputs = {self.cache.key(p): hashes[p] or MISSING for p in deps}
        if facts is None:
            return
        data = json.dumps([[[f.file, f.line, f.column, f.severity, f.message, f.rule] for f in findings],
                           facts.to_json()], ensure_ascii=False)
        self.rows[name] = (name, self._key(path), outputs, data)

    def save(self) -> None:
        """Keeps the records of this run's files (a file that is gone is forgotten); writes
        only the rows that changed."""
        with self.cache:
            self.cache.drop(STAGE, sorted(set(self.made) - set(self.rows)))
            self.cache.put_many(STAGE, [r for name, r in self.rows.items() if (m := self.made.get(name)) is None
                                        or (m.key, m.outputs, m.data) != (r[1], r[2], r[3])])


class _Worker:
    """What a worker process keeps for one validation run: the compiled schemas, and the
    files pointed to (read once per process, not once per file)."""

    def __init__(self, schemas: Path, phase: str | None) -> None:
        from .crossfile import Edition, clear_path_caches
        from .schemas import Catalog, Schemas
        from .source import safe_parser

        clear_path_caches()
        self.options = Options(edition=Schemas.load(schemas), phase=phase)
        self.catalog = Catalog(phase=phase)
        self.parser = safe_parser()
        self.edition = Edition({}, self.parser)


def _own_findings(item: tuple[str, str, str, str, str | None, str, SaxonLimits]
                  ) -> tuple[list[list[object]], list[str], list[object] | None]:
    """One file's own findings (in whichever process runs it), the files they depend on,
    and its facts for the rules across files (None when it could not be read)."""
    from ..build.executor import forget_worker_state, worker_state
    from .crossfile import file_findings
    from .engine import check_file
    from .schematron import use_limits
    from .source import read, shown_from

    path_s, shown, cwd, schemas, phase, run, limits = item
    use_limits(limits)  # edition.yaml's, travelling with the task
    name = f"validate {run}"
    forget_worker_state("validate ", keep=name)
    state = worker_state(name, lambda: _Worker(Path(schemas), phase))
    path = Path(path_s)
    with shown_from(cwd):
        src, problems = read(path, state.parser, shown)
        found = list(problems)
        touched: set[Path] = set()
        facts = None
        if src is not None:
            found += check_file(src, state.options, state.catalog)
            edition = state.edition
            edition.check(path.resolve(), src)
            edition.touched = touched
            found += file_findings(src, edition)
            edition.touched = None
            edition.check(path.resolve(), None)
            facts = Facts.of(src).to_json()
    return [[f.file, f.line, f.column, f.severity, f.message, f.rule] for f in found], sorted(map(str, touched)), facts


def memo_for(cache: BuildCache, files: list[Path], schemas: Path, tei: Path | None, phase: str | None,
             executor: Executor | None = None, progress: Progress | None = None,
             limits: SaxonLimits | None = None) -> FindingsMemo:
    """The memo of a validation with the edition's rule set (`schemas`: its folder) of the
    files under `tei` (what `edition build` validates, and the deposit again)."""
    # what the Schematron may read besides the file: the schemas, the edition's own files
    # beside the documents (tei/edition.xml, the registers)
    shared = sorted(p for p in schemas.iterdir() if p.is_file())
    if tei is not None:
        shared += sorted(p for p in tei.glob("*.xml") if p.is_file())
    return FindingsMemo(cache, files, shared, [str(schemas.resolve()), phase or ""], schemas, phase, executor,
                        progress, limits)


__all__ = ["FindingsMemo", "memo_for"]
