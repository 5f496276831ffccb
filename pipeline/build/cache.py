"""The product cache of `edition build`: what each product was made from.

Every product (a TEI file, a page, a listing, the PDF, the deposit …) is recorded with a
*key*: the SHA-256 of the content hashes of everything it was made from (source bytes,
TEI files, registers, edition.yaml, stylesheets and templates, the program's version,
the options that change the output). A product whose key is unchanged and whose output
files are still as they were written is not made again.

Content hashes of files are memoised by (size, mtime, inode), as git does with its index;
a file that changed within the clock's granularity of its last hashing is hashed again
(it is "racily clean"), so a memo never hides an edit.

The cache is one SQLite file (out/.cache/build.sqlite): written only by the process that
runs the build, never by worker processes or cluster workers. `edition build --clean`
deletes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:
    from .executor import Executor

SCHEMA_VERSION = "1"
HASHED_ON_WORKERS = 500  # files to read at least, for the build's worker processes to hash them
HASH_BLOCK = 10_000  # files looked at a time
RACY_NS = 2_000_000_000  # a file modified less than 2 s before it was hashed is hashed again


def hash_file(path: str) -> str | None:
    """The SHA-256 of a file's bytes (None when it cannot be read); in any process."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def digest(*parts: object) -> str:
    """A stable SHA-256 of strings, bytes, numbers and (nested) lists/dicts of them."""
    h = hashlib.sha256()
    _feed(h, parts)
    return h.hexdigest()


def _feed(h: hashlib._Hash, value: object) -> None:
    if isinstance(value, bytes):
        h.update(b"b%d:" % len(value))
        h.update(value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif value is None or isinstance(value, bool | int | float):
        h.update(f"v{value!r};".encode())
    elif isinstance(value, Mapping):
        h.update(b"m%d:" % len(value))
        for k in sorted(value, key=str):
            _feed(h, str(k))
            _feed(h, value[k])
    elif isinstance(value, list | tuple):
        h.update(b"l%d:" % len(value))
        for item in value:
            _feed(h, item)
    elif isinstance(value, Path):
        _feed(h, value.as_posix())
    else:
        raise TypeError(f"cannot digest {type(value).__name__}")


def program_version() -> str:
    """The program's version and the digest of its own code, stylesheets, schemas and
    templates: a changed stylesheet (or a developer's edit) invalidates what it made."""
    global _PROGRAM
    if _PROGRAM is None:
        package = Path(__file__).resolve().parent.parent
        h = hashlib.sha256(__version__.encode())
        for path in sorted(package.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".xsl", ".rng", ".rnc", ".sch", ".typ", ".j2", ".css",
                                                  ".js", ".svg", ".html", ".woff2") \
                    and "__pycache__" not in path.parts:
                h.update(path.relative_to(package).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
        _PROGRAM = f"{__version__}+{h.hexdigest()[:16]}"
    return _PROGRAM


_PROGRAM: str | None = None


@dataclass(frozen=True)
class Record:
    key: str
    outputs: dict[str, str]  # output path (relative to the project root) → its SHA-256
    data: str = ""  # what the product's maker wants to remember (a summary line, …)


COLUMNS = {"files": ["path", "size", "mtime", "ino", "checked", "sha"],
           "products": ["stage", "name", "key", "outputs", "data"]}


def _record(key: object, outputs: object, data: object) -> Record | None:
    """A product's record as stored, or None when it is not what this program stores (a
    damaged or foreign cache: the product is made again)."""
    try:
        files = json.loads(outputs) if isinstance(outputs, str) else None
    except ValueError:
        return None
    if not isinstance(key, str) or not isinstance(files, dict) or not isinstance(data, str | None) \
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return Record(key, files, data or "")


class BuildCache:
    """out/.cache/build.sqlite of one project."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.root = root.resolve()
        self._prefix = str(self.root) + os.sep
        self.folder = folder or self.root / "out" / ".cache"
        self.path = self.folder / "build.sqlite"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=normal")
            db.execute("create table if not exists meta(k text primary key, v text)")
            row = db.execute("select v from meta where k='schema'").fetchone()
            if row is not None and row[0] != SCHEMA_VERSION:
                db.close()
                raise sqlite3.DatabaseError("old schema")
            db.executescript("""
                create table if not exists files(path text primary key, size int, mtime int, ino int,
                                                 checked int, sha text);
                create table if not exists products(stage text, name text, key text, outputs text, data text,
                                                    primary key(stage, name));
            """)
            for table, columns in COLUMNS.items():  # a file of the same name from elsewhere
                if [row[1] for row in db.execute(f"pragma table_info({table})")] != columns:
                    db.close()
                    raise sqlite3.DatabaseError(f"the table {table} is not this program's")
            db.execute("insert or replace into meta values('schema', ?)", (SCHEMA_VERSION,))
            return db
        except sqlite3.DatabaseError:
            # a damaged or outdated cache is only a cache: start again
            self.forget()
            return self._open()

    def forget(self) -> None:
        """Deletes the cache's files (a damaged cache is only a cache)."""
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.path}{suffix}")
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    # -- transactions ----------------------------------------------------------------------

    def __enter__(self) -> BuildCache:
        self.db.execute("begin")
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.execute("commit" if exc[0] is None else "rollback")

    def close(self) -> None:
        self.db.close()

    def clear(self) -> None:
        """Forgets everything (`edition build --clean`)."""
        self.db.execute("delete from products")
        self.db.execute("delete from files")

    # -- content hashes of files -------------------------------------------------------------

    def file_hash(self, path: Path) -> str | None:
        """The SHA-256 of a file's bytes (None when it does not exist)."""
        return self.file_hashes([path]).get(path)

    def file_hashes(self, paths: Iterable[Path], executor: Executor | None = None) -> dict[Path, str | None]:
        """{path: SHA-256 of its bytes, None when it is not a regular file}: memoised by size,
        time and inode. With `executor` (a pool of this machine's processes), many files to
        read are hashed by its workers. The paths are taken a block at a time (a site of
        100,000 files is not looked at all at once)."""
        out: dict[Path, str | None] = {}
        paths = list(paths)
        for i in range(0, len(paths), HASH_BLOCK):
            out.update(self._file_hashes(paths[i:i + HASH_BLOCK], executor))
        return out

    def _file_hashes(self, paths: list[Path], executor: Executor | None) -> dict[Path, str | None]:
        out: dict[Path, str | None] = {}
        memo: dict[str, tuple[int, int, int, int, str]] = {}
        keys = [self.key(p) for p in paths]
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(
                f"select path, size, mtime, ino, checked, sha from files where path in ({','.join('?' * len(chunk))})",
                chunk).fetchall()
            memo.update({r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows})
        now = time.time_ns()
        unknown: list[tuple[Path, str, int, int, int]] = []  # (path, key, size, time, inode)
        for path, key in zip(paths, keys, strict=True):
            try:
                st = os.stat(path)
            except OSError:
                out[path] = None
                continue
            if not stat.S_ISREG(st.st_mode):  # a folder, or a pipe that would block the reader
                out[path] = None
                continue
            known = memo.get(key)
            if known is not None and known[:3] == (st.st_size, st.st_mtime_ns, st.st_ino) \
                    and st.st_mtime_ns < known[3] - RACY_NS:
                out[path] = known[4]
                continue
            unknown.append((path, key, st.st_size, st.st_mtime_ns, st.st_ino))
        del memo
        if executor is not None and executor.shares_disk and executor.jobs > 1 and len(unknown) >= HASHED_ON_WORKERS:
            shas = executor.map(hash_file, [str(u[0]) for u in unknown])
        else:
            shas = [hash_file(str(u[0])) for u in unknown]
        fresh: list[tuple[str, int, int, int, int, str]] = []
        for (path, key, size, mtime, ino), sha in zip(unknown, shas, strict=True):
            out[path] = sha
            if sha is not None:
                fresh.append((key, size, mtime, ino, now, sha))
        if fresh:
            self._many("insert or replace into files values(?,?,?,?,?,?)", fresh)
        return out

    def _many(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """One statement for many rows, in one transaction (SQLite in autocommit mode
        commits every row on its own: thousands of commits)."""
        if self.db.in_transaction or len(rows) < 2:
            self.db.executemany(sql, rows)
            return
        with self:
            self.db.executemany(sql, rows)

    def key(self, path: Path) -> str:
        """The path relative to the project's root (absolute when outside it); string
        operations only: this runs for every file of the edition on every build."""
        p = os.path.abspath(path)
        prefix = self._prefix
        return p[len(prefix):] if p.startswith(prefix) else p

    # -- products --------------------------------------------------------------------------

    def get(self, stage: str, name: str) -> Record | None:
        row = self.db.execute("select key, outputs, data from products where stage=? and name=?",
                              (stage, name)).fetchone()
        return None if row is None else _record(row[0], row[1], row[2])

    def records(self, stage: str) -> dict[str, Record]:
        rows = self.db.execute("select name, key, outputs, data from products where stage=?", (stage,))
        return {r[0]: record for r in rows if (record := _record(r[1], r[2], r[3])) is not None}

    def put(self, stage: str, name: str, key: str, outputs: Mapping[str, str] | None = None, data: str = "") -> None:
        self.db.execute("insert or replace into products values(?,?,?,?,?)",
                        (stage, name, key, json.dumps(dict(sorted((outputs or {}).items()))), data))

    def put_many(self, stage: str, rows: Iterable[tuple[str, str, Mapping[str, str], str]]) -> None:
        self._many("insert or replace into products values(?,?,?,?,?)",
                   [(stage, n, k, json.dumps(dict(sorted(o.items()))), d) for n, k, o, d in rows])

    def drop(self, stage: str, names: Iterable[str] | None = None) -> None:
        if names is None:
            self.db.execute("delete from products where stage=?", (stage,))
        else:
            self._many("delete from products where stage=? and name=?", [(stage, n) for n in names])

    def outputs_intact(self, record: Record) -> bool:
        """Every output file of a record is still there with the bytes it was written with."""
        paths = [self.root / rel for rel in record.outputs]
        hashes = self.file_hashes(paths)
        return all(hashes[p] == sha for p, sha in zip(paths, record.outputs.values(), strict=True))

    def outputs_of(self, paths: Iterable[Path], executor: Executor | None = None) -> dict[str, str]:
        """{relative path: sha} of files just written, for a record."""
        hashes = self.file_hashes(paths, executor)
        return {self.key(p): sha for p, sha in hashes.items() if sha is not None}
