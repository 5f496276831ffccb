"""URLs that persist across releases.

Every build writes `urls.tsv` into the site: each document page with its id and where
its text begins in the raw source (`<source>:<line>`). `edition html --record-release`
also keeps that list as `releases/<version>.tsv` beside edition.yaml, for the editors to
commit. A later build reads every recorded release; a page that a release had and this
build lacks becomes a redirect page: to the document that now stands at the same place
of the same source (a document renamed because its date was corrected), else to the
calendar, saying that the document is no longer in the edition.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from ..errors import EditionError

HEADER = ("path", "id", "origin")


def urls_tsv(rows: list[tuple[str, str, str]]) -> str:
    """The list of a build's document pages: path, id, origin."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(sorted(rows))
    return out.getvalue()


def read_releases(folder: Path) -> dict[str, tuple[str, str]]:
    """{path: (id, origin)} of every release recorded in `folder` (releases/*.tsv)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.tsv")) if folder.is_dir() else []:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditionError(f"cannot read the list of released URLs: {exc}", path=str(path),
                               hint="write it with `edition html --record-release` (UTF-8 text)") from None
        with io.StringIO(text, newline="") as handle:
            reader = csv.reader(handle, delimiter="\t")
            if tuple(next(reader, ())) != HEADER:
                raise EditionError("not a list of released URLs (its first line must be path, id, origin)",
                                   path=str(path), hint="write it with `edition html --record-release`")
            for line, row in enumerate(reader, 2):
                if len(row) != 3 or not row[0].endswith(".html") or ".." in row[0] or row[0].startswith("/"):
                    raise EditionError(f"line {line} is not 'path<TAB>id<TAB>origin' of a page", path=str(path))
                found[row[0]] = (row[1], row[2])
    return found


def redirects(released: dict[str, tuple[str, str]], current: dict[str, str]) -> dict[str, str]:
    """{old path: new path} for every released page this build lacks. `current` maps
    this build's origins to their pages."""
    moved: dict[str, str] = {}
    pages = set(current.values())
    for path, (_, origin) in released.items():
        if path in pages:
            continue
        moved[path] = current.get(origin, "") if origin else ""
    return moved


def redirect_page(old: str, new: str, *, title: str, site_url: str) -> str:
    """A small page at a released URL that sends the reader on (works without JavaScript)."""
    depth = old.count("/")
    base = "../" * depth
    target = base + (new or "calendar.html")
    canonical = (f'<link rel="canonical" href="{html.escape(site_url.rstrip("/") + "/" + new)}">'
                 if site_url and new else "")
    what = ("This document has a new address in this release of the edition."
            if new else "This document is no longer in this release of the edition; the calendar lists every document.")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">{canonical}'
            f'<meta name="robots" content="noindex"><title>Moved — {html.escape(title)}</title></head>'
            f'<body><main><h1>Moved</h1><p>{what} <a href="{html.escape(target)}">Go on to '
            f'{html.escape(new or "the calendar")}</a>.</p></main></body></html>\n')
