"""The build cache's content hashes: read by the build's worker processes when many files
are to be read (a stage's outputs, the documents just linked), the same as read here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.build import cache as cache_module
from pipeline.build.cache import BuildCache
from pipeline.build.executor import Executor, LocalPool


def _files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        path = folder / f"f{i:04d}.xml"
        path.write_bytes(f"<doc n='{i}'>{'x' * (i % 97)}</doc>\n".encode())
        paths.append(path)
    return paths


def test_the_workers_hash_what_this_process_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "HASH_BLOCK", 250)  # three blocks of 250 and one of 100
    monkeypatch.setattr(cache_module, "HASHED_ON_WORKERS", 50)
    paths = _files(tmp_path / "data", 850)
    odd = [tmp_path / "data", tmp_path / "missing.xml"]  # a folder, a file that is not there
    here = BuildCache(tmp_path / "here").file_hashes([*paths, *odd], Executor())
    with LocalPool(2) as pool:
        cache = BuildCache(tmp_path / "pool")
        there = cache.file_hashes([*paths, *odd], pool)
        assert pool._pool is not None  # the workers were used
        rows = cache.db.execute("select count(*) from files").fetchone()[0]
    assert there == here
    assert all(there[p] == hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)
    assert there[odd[0]] is None and there[odd[1]] is None
    assert rows == len(paths)  # every hash remembered, by size, time and inode


def test_few_files_are_hashed_here(tmp_path: Path) -> None:
    paths = _files(tmp_path / "data", 5)
    with LocalPool(2) as pool:
        hashes = BuildCache(tmp_path / "p").file_hashes(paths, pool)
        assert pool._pool is None  # not worth a worker's start
    assert hashes == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
