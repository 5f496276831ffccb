"""Writes outputs atomically and protects editors' hand edits of the TEI.

The converter records the SHA-256 of every file it writes in `tei/.converted.json`. A
file whose bytes no longer match that fingerprint was edited by hand: re-converting
refuses to overwrite it unless told to (`--force`), and can show the difference.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EditionError

MANIFEST = ".converted.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Writes to a temporary file beside the target, then renames: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir(new: Path, out: Path) -> None:
    """Replaces the folder `out` by the finished folder `new` with two renames, so that a
    reader sees the old or the new output, never a half-written one."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        old.rmdir()
        out.rename(old)
    new.rename(out)
    out.chmod(0o755)  # mkdtemp made the staging folder private; the output is for readers
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass
class Plan:
    """What a conversion would do to the files under tei/."""

    writes: dict[Path, bytes] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)
    edited: list[Path] = field(default_factory=list)  # hand-edited files that would be overwritten
    stale: list[Path] = field(default_factory=list)  # converter files no longer produced


class TeiStore:
    """The tei/ folder with its fingerprint manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest_path = root / MANIFEST
        self.fingerprints: dict[str, str] = {}
        if self.manifest_path.exists():
            try:
                self.fingerprints = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise EditionError("the fingerprint manifest is damaged", path=str(self.manifest_path),
                                   hint="restore it from version control, or delete it and convert with --force"
                                   ) from None

    def key(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def is_hand_edited(self, path: Path) -> bool:
        if not path.exists():
            return False
        recorded = self.fingerprints.get(self.key(path))
        return recorded is None or recorded != sha256(path.read_bytes())

    def plan(self, outputs: dict[Path, bytes], owned_prefixes: list[str]) -> Plan:
        """Compares the new outputs with what is on disk. `owned_prefixes` are the folders
        (relative to tei/) this run regenerates completely, so that files of documents
        that disappeared can be found."""
        plan = Plan()
        for path, data in sorted(outputs.items()):
            if path.exists() and path.read_bytes() == data:
                plan.unchanged.append(path)
                continue
            if self.is_hand_edited(path):
                plan.edited.append(path)
            plan.writes[path] = data
        for key in sorted(self.fingerprints):
            path = self.root / key
            if path in outputs or not any(key.startswith(p) for p in owned_prefixes):
                continue
            if path.exists():
                plan.stale.append(path)
        return plan

    def diff(self, path: Path, new: bytes) -> str:
        old = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        fresh = new.decode("utf-8").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, fresh, f"{path} (on disk, edited)", f"{path} (converter)"))

    def apply(self, plan: Plan, *, force: bool) -> list[Path]:
        """Writes the plan; returns stale files kept because they were edited by hand."""
        for path, data in plan.writes.items():
            write_atomic(path, data)
            self.fingerprints[self.key(path)] = sha256(data)
        for path in plan.unchanged:
            self.fingerprints[self.key(path)] = sha256(path.read_bytes())
        kept: list[Path] = []
        for path in plan.stale:
            if self.is_hand_edited(path) and not force:
                kept.append(path)
                continue
            path.unlink()
            self.fingerprints.pop(self.key(path), None)
        self.save()
        return kept

    def save(self) -> None:
        data = json.dumps(dict(sorted(self.fingerprints.items())), indent=1, ensure_ascii=False) + "\n"
        write_atomic(self.manifest_path, data.encode("utf-8"))
