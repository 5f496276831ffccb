"""Writes outputs atomically and protects editors' hand edits of the TEI.

The converter records the SHA-256 of every file it writes in `tei/.converted.json`. A
file whose bytes no longer match that fingerprint was edited by hand: re-converting
refuses to overwrite it unless told to (`--force`), and can show the difference.

The stages that change TEI files (convert, link) commit the files and their new
fingerprints as one transaction (`TeiStore.commit`): everything is first written into
tei/.transaction.new/ with a journal, the folder is renamed to tei/.transaction/ (the
commit point), then the files are renamed into place, the manifest last. The next run
rolls back a transaction that was never committed and replays one that was, so a run
killed at any moment never leaves files whose fingerprints do not match — the pipeline
never mistakes its own half-done work for an editor's edits.
"""

from __future__ import annotations

import contextlib
import difflib
import filecmp
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .errors import EditionError

MANIFEST = ".converted.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
FILE_MODE = 0o666 & ~_UMASK  # what open() would give a new file: the user's umask is kept
DIR_MODE = 0o777 & ~_UMASK

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def check_name(name: str, what: str, *, path: str | None = None, line: int | None = None) -> str:
    """A name that becomes part of a file name (an id, a page name): letters, digits, `-`,
    `_` and `.` (not first), so it can never leave its folder or break a URL."""
    if not _NAME.fullmatch(name) or len(name) > 200:
        raise EditionError(f"{what} {name!r} is not a safe name", path=path, line=line,
                           hint=f"{what} must be letters, digits, - and _ (at most 200)")
    return name


def check_relative(rel: str, what: str, *, path: str | None = None, line: int | None = None) -> str:
    """A relative path of safe names separated by `/` (no `..`, not absolute)."""
    parts = rel.split("/")
    if not rel or any(not _NAME.fullmatch(p) or p in (".", "..") for p in parts) or len(rel) > 1000:
        raise EditionError(f"{what} {rel!r} is not a safe relative path", path=path, line=line,
                           hint=f"{what} must be names of letters, digits, ., - and _ separated by /, "
                                "inside the folder (no .., not absolute)")
    return rel


def within(root: Path, path: Path) -> Path:
    """`path` with its folders' symlinks resolved, if it lies inside `root`; an EditionError
    otherwise. Every write and delete of the pipeline goes through this check."""
    base = root.resolve()
    target = path.parent.resolve() / path.name
    if path.name in ("", ".", "..") or base not in target.parents:
        raise EditionError(f"refused to write outside {root}", path=str(path),
                           hint="a name in the input points outside the output folder; fix that name")
    return target


def staged(root: Path, rel: str) -> Path:
    """`root / rel` for a staging folder `root` that this process made (mkdtemp) and
    fills with plain folders and files only: nothing in it is a symlink, so a lexical
    check suffices — `rel` is relative, of non-empty parts, none `.` or `..`. The check
    `within` makes (resolving every folder) costs a system call per part and file, which
    adds up over a site of many thousand files."""
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") or "\\" in part for part in parts):
        raise EditionError(f"refused to write outside {root}", path=rel,
                           hint="a name in the input points outside the output folder; fix that name")
    return root.joinpath(*parts)


def _write_error(path: Path, exc: OSError) -> EditionError:
    return EditionError(f"cannot write the file: {exc.strerror or exc}", path=str(path), exit_code=2,
                        hint="check the free disk space and the folder's permissions")


def write_atomic(path: Path, data: bytes, *, root: Path) -> None:
    """Writes to a temporary file beside the target, then renames: never a half-written file.
    Refuses a path outside `root`; the file gets the mode the user's umask gives."""
    path = within(root, path)
    if _same_bytes(path, data):
        return  # nothing changed: nothing is written
    _replace(path, [data], compare=False)


def write_atomic_chunks(path: Path, chunks: Iterable[bytes], *, root: Path) -> None:
    """`write_atomic` for a file made a piece at a time (a big report): written as the
    pieces come, never held whole; a file whose bytes did not change is left as it was."""
    _replace(within(root, path), chunks, compare=True)


def _replace(path: Path, chunks: Iterable[bytes], *, compare: bool) -> None:
    """The pieces into a temporary file beside `path`, renamed over it; with `compare`,
    left unrenamed when its bytes equal the file there (known only once written)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            for chunk in chunks:
                handle.write(chunk)
        if compare and path.is_file() and not path.is_symlink() and filecmp.cmp(tmp, path, shallow=False):
            Path(tmp).unlink()
            return
        kill_point()
        os.replace(tmp, path)
        kill_point()
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise _write_error(path, exc) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def write_file(path: Path, data: bytes, *, root: Path) -> None:
    """A plain write inside a staging folder `root` (which is swapped into place whole)."""
    path = within(root, path)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise _write_error(path, exc) from None


def copy_file(src: Path, dest: Path, *, root: Path) -> None:
    """Copies `src` to `dest` inside the staging folder `root`."""
    dest = within(root, dest)
    try:
        shutil.copyfile(src, dest)
    except OSError as exc:
        raise _write_error(dest, exc) from None


def remove(path: Path, *, root: Path) -> None:
    """Deletes a file inside `root` (refuses anything else)."""
    within(root, path).unlink(missing_ok=True)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula: text beginning with =, +, -,
    @, a tab or a carriage return gets a leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_rows(rows: list[dict[str, object]] | list[dict[str, str]] | list[dict[str, str | int]]
             ) -> list[dict[str, object]]:
    """Every cell of `rows` through `csv_safe`."""
    return [{k: csv_safe(v) for k, v in row.items()} for row in rows]


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (a step that must not be cut in two;
    pipeline/interrupts.py)."""
    from .interrupts import deferred

    with deferred():
        yield


def replace_dir(new: Path, out: Path) -> None:
    """Replaces the folder `out` by the finished folder `new` with two renames, so that a
    reader sees the old or the new output, never a half-written one."""
    old = None
    with signals_deferred():  # Ctrl-C or SIGTERM between the renames would leave no folder
        if out.exists() or out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            old.rmdir()
            out.rename(old)
            kill_point()
        new.rename(out)
        kill_point()
    out.chmod(DIR_MODE)  # mkdtemp made the staging folder private; the output is for readers
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:  # a file or link where the folder belongs
            old.unlink(missing_ok=True)


# What a command whose `--out` it may replace (`edition html`, `deposit`, `pdf PATH…`)
# leaves in every output it writes, so that it recognises an earlier output of its own
# exactly: a folder holds the file OUTPUT_MARKER with `output_marker(command)`'s bytes; a
# PDF carries PDF_MARKER among its keywords (its Info dictionary, uncompressed). Anything
# else at `--out` is never replaced (docs/safety.md).
OUTPUT_MARKER = ".edition-output"
PDF_MARKER = "written by edition pdf"


def output_marker(command: str) -> bytes:
    """The marker file's bytes for the outputs of `edition <command>` (the same in every run)."""
    return (f"This folder was written by `edition {command}`: `edition {command} --out` may replace or empty "
            "it. Without this file it is never replaced.\n").encode()


def earlier_output(path: Path, command: str) -> bool:
    """`path` is an output of `edition <command>`: a real folder holding its marker file (a
    plain file, never a link, with exactly the marker's bytes), or, for `pdf`, a plain
    PDF file carrying the marker keyword."""
    try:
        mode = os.lstat(path).st_mode
        if command == "pdf":
            return stat.S_ISREG(mode) and _holds(path, f"/Keywords({PDF_MARKER})".encode("ascii"))
        wanted = output_marker(command)
        marker = path / OUTPUT_MARKER
        if not stat.S_ISDIR(mode) or not stat.S_ISREG(os.lstat(marker).st_mode):
            return False
        with marker.open("rb") as handle:
            return handle.read(len(wanted) + 1) == wanted
    except OSError:
        return False


def _holds(path: Path, needle: bytes, chunk: int = 1 << 20) -> bool:
    """The file holds `needle` (read a megabyte at a time: bounded memory for any size)."""
    with path.open("rb") as handle:
        tail = b""
        while block := handle.read(chunk):
            if needle in tail + block:
                return True
            tail = block[-len(needle):]
    return False


def check_out_option(out: Path, *, command: str, keep: Iterable[Path] = (), option: str = "--out") -> Path:
    """The folder or file named by `--out` of `edition <command>`, which the command will
    replace or empty of everything it did not make: refused (a usage error) when it is, or
    holds, the working folder, the home folder or one of `keep` (the project, the inputs),
    and when it exists, is not empty and is not an earlier output of the command (its
    marker, `earlier_output`) — `edition html --out .` must not empty the project."""
    if out.is_symlink():  # never followed: it may lead anywhere, round in a loop too
        raise EditionError(f"{option} {out} is a symbolic link: it is not replaced", path=str(out), exit_code=2,
                           hint="name a new or empty folder, not a link")
    target = out.resolve()
    for kept in (Path.cwd(), Path.home(), *keep):
        try:
            kept = kept.resolve()
        except (OSError, RuntimeError):  # a link round in a loop: the command names it when it reads it
            continue
        if target == kept or target in kept.parents:
            raise EditionError(f"{option} {out} is or holds {kept}, which the command would replace or empty",
                               path=str(out), exit_code=2, hint="name a new or empty folder for the output")
    if target.exists() and not _is_empty_folder(target) and not earlier_output(target, command):
        mark = f"the keyword '{PDF_MARKER}'" if command == "pdf" else f"the file {OUTPUT_MARKER}"
        raise EditionError(f"{option} {out} exists and is not an output of `edition {command}` (it lacks {mark}, "
                           "which marks one): it is not replaced", path=str(out), exit_code=2,
                           hint=f"name a new {'file' if command == 'pdf' else 'or empty folder'}, or remove it "
                                "yourself once you have checked it: an output made before the pipeline marked its "
                                "outputs has no mark")
    return out


def _is_empty_folder(path: Path) -> bool:
    try:
        with os.scandir(path) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def update_folder(out: Path, writes: Mapping[str, bytes], copies: Mapping[str, Path],
                  links: Mapping[str, Path], keep: Iterable[str]) -> None:
    """Brings the folder `out` to hold exactly the files named (paths relative to it, `/`
    between parts): `writes` with the given bytes, `copies` of the given files, `links`
    (hard links to the given files, copies where the file system refuses them) and `keep`
    (already in place, left alone); anything else in it is removed afterwards — vanished
    products and what a killed run left. Each file is replaced atomically (a temporary
    file beside it, then a rename): a reader sees a file's old bytes or its new ones,
    never a half-written file; the folder is brought up to date file by file. Every name
    is checked lexically (`staged`), and every folder on the way is made a real folder
    below `out` (a symlink or a file in its place is removed, never followed), so nothing
    is written outside `out`."""
    write_files(out, writes, copies, links)
    _remove_others(out, {*keep, *writes, *copies, *links})


def write_files(out: Path, writes: Mapping[str, bytes], copies: Mapping[str, Path] | None = None,
                links: Mapping[str, Path] | None = None) -> None:
    """update_folder's writing without its removing: the files named are put into place
    (each atomically), the others left as they are."""
    out.mkdir(parents=True, exist_ok=True)
    if out.is_symlink() or not out.is_dir():
        raise EditionError(f"refused to write into {out}: not a folder", path=str(out),
                           hint="remove it; the build makes it again")
    jobs: list[tuple[Path, bytes | Path, bool]] = []  # (target, bytes or source file, hard link?)
    for group, link in ((writes, False), (copies or {}, False), (links or {}, True)):
        for rel, what in group.items():
            jobs.append((staged(out, rel), what, link))
    for folder in sorted({target.parent for target, _, _ in jobs}):
        _real_folder(out, folder)
    _each(lambda job: _replace_file(*job), jobs)


def real_folders(out: Path, names: Iterable[str]) -> None:
    """Makes the folders `names` (relative to `out`) real folders below it, as `write_files` does."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        _real_folder(out, staged(out, name))


def _real_folder(out: Path, folder: Path) -> None:
    """Makes `folder` (below `out`) a chain of real folders: a symlink or a file in the
    way is removed, a missing folder made."""
    current = out
    for part in folder.relative_to(out).parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            current.mkdir(mode=DIR_MODE)
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        current.unlink()  # a file or a symlink where a folder belongs: ours to replace
        current.mkdir(mode=DIR_MODE)


def _replace_file(target: Path, what: bytes | Path, link: bool) -> None:
    """Puts one file into place atomically: written (bytes), linked or copied (a path)."""
    tmp: str | None = None
    try:
        if isinstance(what, bytes):
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(what)
        elif link and _link(what, name := str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")):
            tmp = name
        else:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            shutil.copyfile(what, tmp)
            os.chmod(tmp, FILE_MODE)
        kill_point()
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # a folder where a file belongs (an older site's)
        os.replace(tmp, target)
        kill_point()
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise _write_error(target, exc) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _link(src: Path, dest: str) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _remove_others(out: Path, wanted: set[str]) -> None:
    """Deletes every file (and symlink) below `out` whose path is not in `wanted`, and the
    folders left empty. Symlinks to folders are removed, never followed."""
    base = str(out)
    for dirpath, dirnames, filenames in os.walk(out, topdown=False):
        rel_dir = dirpath[len(base) + 1:].replace(os.sep, "/")
        prefix = rel_dir + "/" if rel_dir else ""
        for name in filenames:
            if prefix + name not in wanted:
                os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                os.unlink(path)
            else:
                with contextlib.suppress(OSError):  # not empty: it holds wanted files
                    os.rmdir(path)


TRANSACTION = ".transaction"  # tei/.transaction/: a committed change, being applied
PREPARING = ".transaction.new"  # tei/.transaction.new/: a change being prepared
JOURNAL = "journal.json"
_STAGED = re.compile(r"[0-9]{6}")
_steps = 0


_steps_lock = threading.Lock()


def kill_point() -> None:
    """Test-only hook: with EDITION_TEST_KILL_AFTER=N in the environment the process kills
    itself (SIGKILL, as `kill -9` would) at its N-th durable step, so that a test can show
    that no moment of a run leaves the edition poisoned. Does nothing otherwise."""
    global _steps
    limit = os.environ.get("EDITION_TEST_KILL_AFTER", "")
    if not (limit.isascii() and limit.isdigit()):
        return  # unset, or not a number: no hook
    with _steps_lock:
        _steps += 1
        if _steps >= int(limit):
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)


T = TypeVar("T")
R = TypeVar("R")


def _each(work: Callable[[T], R], items: list[T]) -> list[R]:
    """`work` over the items, in their order. Many small files: creating, renaming and
    reading them waits on the file system (a journal commit, a disk shared with other
    work), and threads overlap those waits."""
    if len(items) < 8:
        return [work(item) for item in items]
    # in runs of items, not one by one: a future and a hand-over per file cost more of this
    # process's CPU than the file's own work (0.5 s of it for 2,000 files, 0.36 s in runs)
    size = -(-len(items) // 32)
    runs = [items[i:i + size] for i in range(0, len(items), size)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return [result for run in pool.map(lambda run: [work(item) for item in run], runs) for result in run]


class _Within:
    """`within(root, path)` for many paths: each folder is resolved once (the files of a
    transaction lie in a few folders; resolving each file's path costs a system call per
    part)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root.resolve()
        self.folders: dict[Path, Path] = {}
        self.lock = threading.Lock()

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", ".."):
            return within(self.root, path)  # refused there
        with self.lock:
            folder = self.folders.get(path.parent)
            if folder is None:
                folder = self.folders[path.parent] = path.parent.resolve()
        target = folder / path.name
        if self.base not in target.parents:
            raise EditionError(f"refused to write outside {self.root}", path=str(path),
                               hint="a name in the input points outside the output folder; fix that name")
        return target


@dataclass
class Plan:
    """What a conversion would do to the files under tei/."""

    writes: dict[Path, bytes] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)
    edited: list[Path] = field(default_factory=list)  # hand-edited files that would be overwritten
    stale: list[Path] = field(default_factory=list)  # converter files no longer produced


_DAMAGED = "restore it from version control, or delete it and convert with --force"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _read_manifest(path: Path) -> dict[str, str]:
    """tei/.converted.json, checked: every key a safe relative path of an .xml file under
    tei/, every value a SHA-256 — the file is tracked in version control, so untrusted."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise EditionError("the fingerprint manifest is damaged (not JSON)", path=str(path), line=line,
                           hint=_DAMAGED) from None
    except OSError as exc:
        raise EditionError(f"cannot read the fingerprint manifest: {exc.strerror}", path=str(path)) from None
    if not isinstance(data, dict):
        raise EditionError("the fingerprint manifest must be a JSON object of file → SHA-256", path=str(path),
                           line=1, hint=_DAMAGED)
    for key, value in data.items():
        try:
            if not key.endswith(".xml"):
                raise EditionError(f"the fingerprint manifest names {key!r}, not an .xml file", path=str(path),
                                   hint=_DAMAGED)
            check_relative(key, "a file in the fingerprint manifest", path=str(path))
            if not isinstance(value, str) or not _SHA256.fullmatch(value):
                raise EditionError(f"the fingerprint of {key!r} is not a SHA-256", path=str(path), hint=_DAMAGED)
        except EditionError as exc:
            # the key's line, looked for only now: for every key, it made reading the manifest
            # quadratic (0.15 s at 10×, seconds at 100×)
            exc.line = text[:max(text.find(json.dumps(key, ensure_ascii=False)), 0)].count("\n") + 1
            raise
    return data


class TeiStore:
    """The tei/ folder with its fingerprint manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest_path = root / MANIFEST
        self.fingerprints: dict[str, str] = {}
        recover(root)  # an interrupted run's transaction: replayed or rolled back first
        if self.manifest_path.exists():
            self.fingerprints = _read_manifest(self.manifest_path)

    def key(self, path: Path) -> str:
        # a checked path (within()) is absolute, the root may be relative (edition.yaml named
        # relative to the working folder, as in `edition convert` from the project's root)
        root = self.root.resolve() if path.is_absolute() and not self.root.is_absolute() else self.root
        return path.relative_to(root).as_posix()

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

    def apply(self, plan: Plan, *, force: bool, transaction: Transaction | None = None) -> list[Path]:
        """Writes the plan (one transaction: `transaction`, which may hold some of its files
        staged already); returns stale files kept because they were edited by hand."""
        fingerprints: dict[str, str | None] = {self.key(p): sha256(d) for p, d in plan.writes.items()}
        for path in plan.unchanged:
            fingerprints[self.key(path)] = sha256(path.read_bytes())
        kept: list[Path] = []
        deletes: list[Path] = []
        for path in plan.stale:
            if self.is_hand_edited(path) and not force:
                kept.append(path)
                continue
            deletes.append(path)
            fingerprints[self.key(path)] = None
        self.commit(plan.writes, deletes, fingerprints, transaction=transaction)
        return kept

    def transaction(self) -> Transaction:
        """A transaction to stage files in as they are made (see `Transaction`)."""
        return Transaction(self)

    def commit(self, writes: Mapping[Path, bytes], deletes: list[Path] | None = None,
               fingerprints: dict[str, str | None] | None = None, *,
               transaction: Transaction | None = None) -> None:
        """Writes `writes`, deletes `deletes` and records `fingerprints` (None: forget the
        key) as one transaction (see the module's docstring): `transaction` with the files
        it staged already, or a new one. Nothing changes: nothing is written."""
        if transaction is None:
            if not writes and not deletes and self._manifest(fingerprints) == self.fingerprints \
                    and self.manifest_path.exists():
                return
            transaction = Transaction(self)
        transaction.commit(writes, (), deletes, fingerprints)

    def _manifest(self, fingerprints: dict[str, str | None] | None) -> dict[str, str]:
        manifest = dict(self.fingerprints)
        for key, value in (fingerprints or {}).items():
            if value is None:
                manifest.pop(key, None)
            else:
                manifest[key] = value
        return manifest

    def save(self) -> None:
        write_atomic(self.manifest_path, _manifest_bytes(self.fingerprints), root=self.root)


def _manifest_bytes(fingerprints: dict[str, str]) -> bytes:
    return (json.dumps(dict(sorted(fingerprints.items())), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


STAGED_RUN = 16  # files staged are handed to a thread this many at a time


class Transaction:
    """One change to tei/ (see the module's docstring), prepared in tei/.transaction.new/.
    A stage stages its files as they are made, while its workers still compute the others
    (on threads: writing many small files waits on the file system), and `commit` makes
    the staged files it names, its deletions and fingerprints one change. Left uncommitted
    (an error, an interruption, a `with` block left without a commit), it is discarded;
    a run killed meanwhile leaves the folder for the next run to discard (`recover`).
    Used by one thread."""

    def __init__(self, store: TeiStore) -> None:
        self.store = store
        self.prep = store.root / PREPARING
        self._inside = _Within(store.root)
        self._staged: dict[Path, tuple[Future[list[dict[str, str | None]]], int]] = {}  # a run, the file's place in it
        self._waiting: list[tuple[int, Path, bytes]] = []  # staged, not yet handed to a thread
        self._count = 0
        self._committed = False
        self._pool: ThreadPoolExecutor | None = None
        try:
            if self.prep.is_dir() and not self.prep.is_symlink():
                shutil.rmtree(self.prep)
            elif self.prep.exists() or self.prep.is_symlink():
                self.prep.unlink()
            self.prep.mkdir(parents=True)
        except OSError as exc:
            shutil.rmtree(self.prep, ignore_errors=True)
            raise _write_error(self.prep, exc) from None

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:  # an error, or a return before the commit
            self.discard()

    def stage(self, path: Path, data: bytes) -> None:
        """Stages `data` as the new bytes of `path` (again: the later bytes count)."""
        # a new name each time: bytes staged earlier for the path stay unnamed in the folder
        self._waiting.append((self._count, path, data))
        self._count += 1
        if len(self._waiting) >= STAGED_RUN:
            self._flush()

    def _flush(self) -> None:
        """Hands the files waiting to a thread, as one run (a future per file would cost
        more of this process's CPU than writing the file)."""
        if not self._waiting:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=4)
        run, self._waiting = self._waiting, []
        written = self._pool.submit(lambda: [self._write(*job) for job in run])
        for k, (_, path, _) in enumerate(run):
            self._staged[path] = (written, k)

    def _entry(self, path: Path) -> dict[str, str | None]:
        written, k = self._staged[path]
        return written.result()[k]

    def staged(self, path: Path) -> str | None:
        """The SHA-256 of the bytes staged for `path` (None: none are)."""
        self._flush()
        return self._entry(path)["new"] if path in self._staged else None

    def _write(self, number: int, path: Path, data: bytes) -> dict[str, str | None]:
        key = check_relative(self.store.key(self._inside(path)), "a TEI file")
        staged = f"{number:06d}"
        _write_new(self.prep / staged, data)
        kill_point()
        old = path.read_bytes() if path.is_file() else None
        return {"key": key, "staged": staged, "old": sha256(old) if old is not None else None, "new": sha256(data)}

    def commit(self, writes: Mapping[Path, bytes], staged: Iterable[Path] = (), deletes: list[Path] | None = None,
               fingerprints: dict[str, str | None] | None = None) -> None:
        """Writes `writes` and the files staged for `staged`, deletes `deletes` and records
        `fingerprints` (None: forget the key), as one change; files staged but not named are
        not part of it. Nothing changes: nothing is written (the transaction is discarded)."""
        store, prep = self.store, self.prep
        deletes = deletes or []
        manifest = store._manifest(fingerprints)
        try:
            self._flush()
            for path, data in writes.items():
                if path not in self._staged or self.staged(path) != sha256(data):
                    self.stage(path, data)
            self._flush()
            named = sorted({*writes, *staged})
            if not named and not deletes and manifest == store.fingerprints and store.manifest_path.exists():
                self.discard()
                self._committed = True  # (nothing to commit)
                return
            entries = [self._entry(path) for path in named]
            self._close()
            removals = [{"key": check_relative(store.key(within(store.root, p)), "a TEI file"),
                         "old": sha256(p.read_bytes()) if p.is_file() else None} for p in deletes]
            _write_new(prep / MANIFEST, _manifest_bytes(manifest))
            _write_new(prep / JOURNAL, json.dumps({"writes": entries, "deletes": removals}, indent=1).encode())
            kill_point()
            os.rename(prep, store.root / TRANSACTION)  # the commit point
            kill_point()
        except OSError as exc:
            self.discard()
            raise _write_error(prep, exc) from None
        except BaseException:
            self.discard()
            raise
        self._committed = True
        _apply_transaction(store.root, quiet=True)
        store.fingerprints = manifest

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def discard(self) -> None:
        """Drops what was staged (nothing of it was applied)."""
        self._waiting.clear()
        self._close()
        self._staged.clear()
        shutil.rmtree(self.prep, ignore_errors=True)


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def recover(root: Path) -> None:
    """Finishes what an interrupted run left in `root` (tei/): a transaction still being
    prepared is discarded (nothing of it was applied), a committed one is applied."""
    prep = root / PREPARING
    if prep.is_dir() and not prep.is_symlink():
        shutil.rmtree(prep, ignore_errors=True)
    elif prep.exists() or prep.is_symlink():  # a file or a link by that name: never ours to keep
        prep.unlink()
    if (root / TRANSACTION).exists():
        _apply_transaction(root, quiet=False)


def _apply_transaction(root: Path, *, quiet: bool) -> None:
    """Moves the files of the committed transaction tei/.transaction/ into place, then the
    manifest, then removes the folder. Idempotent: a replay after a kill finishes the job.
    A file changed by hand since the transaction was committed is left as it is."""
    folder = root / TRANSACTION
    journal_path = folder / JOURNAL
    damaged = EditionError("an interrupted run left a damaged transaction", path=str(folder),
                           hint="delete that folder and run the command again; a file it had put in place "
                                "shows as edited by hand")
    if folder.is_symlink() or not journal_path.is_file():
        raise damaged
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        writes = [(check_relative(str(e["key"]), "a TEI file"), str(e["staged"]), e.get("old"), str(e["new"]))
                  for e in journal["writes"]]
        deletes = [(check_relative(str(e["key"]), "a TEI file"), e.get("old")) for e in journal["deletes"]]
    except (ValueError, KeyError, TypeError, EditionError):
        raise damaged from None
    if any(not _STAGED.fullmatch(staged) for _, staged, _, _ in writes):
        raise damaged
    inside = _Within(root)
    for folder_key in sorted({key.rpartition("/")[0] for key, _, _, _ in writes} - {""}):
        inside(root / folder_key / "x").parent.mkdir(parents=True, exist_ok=True)

    def move(entry: tuple[str, str, str | None, str]) -> str | None:
        """Puts one file into place; its key when it was edited by hand meanwhile (kept)."""
        key, staged, old, new = entry
        source = folder / staged
        if not source.is_file():
            return None  # moved already, before an interruption
        target = inside(root / key)
        current = sha256(target.read_bytes()) if target.is_file() else None
        if current not in (old, new):
            return key  # edited by hand after the interruption: the editor wins
        os.replace(source, target)
        kill_point()
        return None

    skipped = [key for key in _each(move, writes) if key is not None]
    for key, old in deletes:
        target = within(root, root / key)
        if target.is_file() and sha256(target.read_bytes()) == old:
            target.unlink()
            kill_point()
    if (folder / MANIFEST).is_file():
        os.replace(folder / MANIFEST, root / MANIFEST)
        kill_point()
    shutil.rmtree(folder)
    if not quiet:
        print(f"edition: {root}: note: finished the changes of an interrupted run ({len(writes)} file(s))",
              file=sys.stderr)
    for key in skipped:
        print(f"edition: {root / key}: warning: edited by hand after an interrupted run; kept as it is",
              file=sys.stderr)
