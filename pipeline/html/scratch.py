"""What one HTML build keeps on disk rather than in memory, so that the building process
holds little per document whatever the edition's size: each document's searchable text
(from its catalogue entry, read back one document at a time by the search index) and
each page's chapter of the EPUB (read back one at a time as the book is written), in a
SQLite file; and the big files made whole (the EPUB, tei.zip), written there and linked
into the site. It lives in a temporary folder of the project's `out/.cache/` and is
removed when the build ends."""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path


class Scratch:
    """The build's scratch folder (a temporary folder of `folder`) and its SQLite file."""

    def __init__(self, folder: Path) -> None:
        self._made = [f for f in (folder, folder.parent) if not f.exists()]  # removed at the end (if empty)
        folder.mkdir(parents=True, exist_ok=True)
        for left in folder.glob("html-scratch-*"):  # a killed build's (one build runs at a time: the lock)
            shutil.rmtree(left, ignore_errors=True)
        self.dir = Path(tempfile.mkdtemp(prefix="html-scratch-", dir=folder))
        # one connection, shared by the building thread (writes) and the background
        # thread (the search index reads the texts): every use holds the lock
        self._db = sqlite3.connect(self.dir / "scratch.sqlite", isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("pragma journal_mode=off")  # a scratch file: nothing to recover after a crash
            self._db.execute("pragma synchronous=off")
            self._db.execute("create table texts(name text primary key, body text)")
            self._db.execute("create table chapters(name text primary key, body text, linked text)")

    def put_texts(self, items: Iterable[tuple[str, str]]) -> None:
        """Keeps (name, text) pairs (a name again replaces its text)."""
        with self._lock:
            self._db.execute("begin")
            self._db.executemany("insert or replace into texts values(?, ?)", items)
            self._db.execute("commit")

    def text(self, name: str) -> str:
        with self._lock:
            row = self._db.execute("select body from texts where name=?", (name,)).fetchone()
        return str(row[0]) if row is not None else ""

    def put_chapters(self, items: Iterable[tuple[str, tuple[str, list[str]]]]) -> None:
        """Keeps (page, (its chapter's XHTML, the documents it links to)) pairs."""
        with self._lock:
            self._db.execute("begin")
            self._db.executemany("insert or replace into chapters values(?, ?, ?)",
                                 [(name, body, json.dumps(linked)) for name, (body, linked) in items])
            self._db.execute("commit")

    def chapter(self, name: str) -> tuple[str, list[str]] | None:
        with self._lock:
            return _chapter(self._db, name)

    def path(self, name: str) -> Path:
        """A file of the scratch folder (for a big file made whole)."""
        return self.dir / name

    def close(self) -> None:
        with self._lock:
            self._db.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        for made in self._made:
            with contextlib.suppress(OSError):  # not empty: the build cache or the site is there
                made.rmdir()


@contextlib.contextmanager
def chapter_reader(folder: Path) -> Iterator[Callable[[str], tuple[str, list[str]] | None]]:
    """`Scratch.chapter` in another process on this machine (a worker that writes the EPUB):
    the scratch file of the folder `folder`, opened to read only while the block runs."""
    db = sqlite3.connect(f"{(folder / 'scratch.sqlite').as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        yield functools.partial(_chapter, db)
    finally:
        db.close()


def _chapter(db: sqlite3.Connection, name: str) -> tuple[str, list[str]] | None:
    """A page's chapter and the documents it links to (None: none kept)."""
    row = db.execute("select body, linked from chapters where name=?", (name,)).fetchone()
    return None if row is None else (str(row[0]), list(json.loads(row[1])))
