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
from collections.abc import Iterable
from pathlib import Path

from ..build.cache import BuildCache, digest, program_version
from .model import Finding

STAGE = "validate.file"
MISSING = "-"  # the hash recorded for a file that did not exist


class FindingsMemo:
    """Each file's own findings of the last build, by file."""

    def __init__(self, cache: BuildCache, files: Iterable[Path], shared: Iterable[Path], options: object) -> None:
        self.cache = cache
        files = list(files)
        self.shas = cache.file_hashes(files)
        self.base = digest(program_version(), os.getcwd(), options,
                           {cache.key(p): sha for p, sha in cache.file_hashes(list(shared)).items()})
        self.made = cache.records(STAGE)
        self.rows: dict[str, tuple[str, str, dict[str, str], str]] = {}

    def _key(self, path: Path) -> str:
        return digest(self.base, self.shas.get(path))

    def get(self, path: Path) -> list[Finding] | None:
        """The file's findings of the last build, when nothing they depend on changed."""
        name = self.cache.key(path)
        record = self.made.get(name)
        if record is None or record.key != self._key(path) or self.shas.get(path) is None:
            return None
        deps = [self.cache.root / rel if not os.path.isabs(rel) else Path(rel) for rel in record.outputs]
        now = self.cache.file_hashes(deps)
        if any((now[p] or MISSING) != sha for p, sha in zip(deps, record.outputs.values(), strict=True)):
            return None
        self.rows[name] = (name, record.key, record.outputs, record.data)
        return [Finding(*f) for f in json.loads(record.data)]

    def put(self, path: Path, findings: list[Finding], depends_on: Iterable[Path]) -> None:
        """Records a file's findings and the other files they were found from."""
        if self.shas.get(path) is None:
            return
        name = self.cache.key(path)
        deps = sorted(set(depends_on))
        hashes = self.cache.file_hashes(deps)
        outputs = {self.cache.key(p): hashes[p] or MISSING for p in deps}
        data = json.dumps([[f.file, f.line, f.column, f.severity, f.message, f.rule] for f in findings],
                          ensure_ascii=False)
        self.rows[name] = (name, self._key(path), outputs, data)

    def save(self) -> None:
        """Keeps the records of this run's files (a file that is gone is forgotten)."""
        self.cache.drop(STAGE)
        self.cache.put_many(STAGE, self.rows.values())


def memo_for(cache: BuildCache, files: list[Path], schemas: Path, tei: Path | None, phase: str | None
             ) -> FindingsMemo:
    """The memo of a validation with the edition's rule set (`schemas`: its folder) of the
    files under `tei` (what `edition build` validates, and the deposit again)."""
    # what the Schematron may read besides the file: the schemas, the edition's own files
    # beside the documents (tei/edition.xml, the registers)
    shared = sorted(p for p in schemas.iterdir() if p.is_file())
    if tei is not None:
        shared += sorted(p for p in tei.glob("*.xml") if p.is_file())
    return FindingsMemo(cache, files, shared, [str(schemas.resolve()), phase or ""])


__all__ = ["FindingsMemo", "memo_for"]
