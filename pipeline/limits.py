"""The size of TEI file the publishing stages take on (edition.yaml `limits:`).

`validate` reads a TEI file of any size in bounded time; `link`, `html` and `pdf` build
trees, stylesheet inputs and Typst sources many times the file's size, so they leave out
a file over `limits: tei_megabytes` (default 20): the command names it in one error line
before the stage starts, the stage processes the other documents (`usable`), and the
command ends with exit code 1. `deposit` needs every file of the edition in its package:
it refuses the edition at once (`check_tei_sizes`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import EditionError

MEGABYTE = 1_000_000
HINT = ("split it into one file per document, or raise 'limits: tei_megabytes' in edition.yaml; "
        "`edition validate` checks it whatever its size")


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0  # the stage says what is wrong with it


def oversized(paths: Iterable[Path], megabytes: int) -> list[tuple[Path, int]]:
    """The files of `paths` (files or folders of .xml files) over the limit, with their sizes."""
    limit = megabytes * MEGABYTE
    found = []
    for path in paths:
        files = sorted(path.rglob("*.xml")) if path.is_dir() else [path]
        found += [(file, size) for file in files if (size := _size(file)) > limit]
    return found


def usable(files: Iterable[Path], megabytes: int) -> list[Path]:
    """`files` without those over the limit (the command has named them)."""
    limit = megabytes * MEGABYTE
    return [file for file in files if _size(file) <= limit]


def size_error(file: Path, size: int, megabytes: int, stage: str, *, root: Path | None = None,
               skipped: bool = False) -> EditionError:
    """The error about one file over the limit: `skipped` when the stage goes on without it."""
    name = file.relative_to(root).as_posix() if root and file.is_relative_to(root) else str(file)
    what = f"this TEI file has {size / MEGABYTE:.0f} MB, more than the {megabytes} MB that {stage} takes on"
    if skipped:
        what += "; it is left out and the other documents are processed"
    return EditionError(what, path=name, hint=HINT)


def check_tei_sizes(paths: Iterable[Path], megabytes: int, stage: str, root: Path | None = None) -> None:
    """Refuses the first file of `paths` (files or folders of .xml files) over the limit."""
    for file, size in oversized(paths, megabytes)[:1]:
        raise size_error(file, size, megabytes, stage, root=root)
