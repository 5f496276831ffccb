"""The size of TEI file the publishing stages take on (edition.yaml `limits:`).

`validate` reads a TEI file of any size in bounded time; `link`, `html`, `pdf` and
`deposit` build trees, stylesheet inputs and Typst sources many times the file's size, so
they refuse a file over `limits: tei_megabytes` (default 20) at once, naming it, before
anything is read or written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import EditionError

MEGABYTE = 1_000_000


def check_tei_sizes(paths: Iterable[Path], megabytes: int, stage: str, root: Path | None = None) -> None:
    """Refuses the first file of `paths` (files or folders of .xml files) over the limit."""
    limit = megabytes * MEGABYTE
    for path in paths:
        files = sorted(path.rglob("*.xml")) if path.is_dir() else [path]
        for file in files:
            try:
                size = file.stat().st_size
            except OSError:
                continue  # the stage says what is wrong with it
            if size > limit:
                name = file.relative_to(root).as_posix() if root and file.is_relative_to(root) else str(file)
                raise EditionError(
                    f"this TEI file has {size / MEGABYTE:.0f} MB, more than the {megabytes} MB that {stage} "
                    "takes on", path=name,
                    hint="split it into one file per document, or raise 'limits: tei_megabytes' in "
                         "edition.yaml; `edition validate` checks it whatever its size")
