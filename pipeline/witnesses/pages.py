"""The web edition's pages for printings merged into another document: the old address of
each (documents/<former id>.html) sends the reader on to the document it is now part of."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from ..tei import T
from ..xmlparse import parse_bytes

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{old}: now part of {new}</title>
<meta http-equiv="refresh" content="0; url={new}.html">
<link rel="canonical" href="{new}.html">
</head>
<body>
<p>The printing {old} is one of the witnesses of the document {new}: read it at
<a href="{new}.html">{new}.html</a>.</p>
</body>
</html>
"""


def merged_away(tei: Path) -> dict[str, str]:
    """Former document id → the id of the document whose listWit names it (ids that are no
    safe file name are left out: validation reports them)."""
    out: dict[str, str] = {}
    for path in sorted(tei.glob("*/*.xml")):
        data = path.read_bytes()
        if b"<listWit" not in data:
            continue
        root = parse_bytes(data, path=str(path)).getroot()
        for witness in root.iterfind(f".//{T}listWit/{T}witness"):
            former = witness.get("n", "")
            if _SAFE.fullmatch(former) and former != path.stem:
                out[former] = path.stem
    return out


def redirect_pages(moved: dict[str, str], existing: Iterable[str]) -> dict[str, str]:
    """documents/<former>.html for each former id that is no page of its own."""
    taken = set(existing)
    pages: dict[str, str] = {}
    for old, new in sorted(moved.items()):
        href = f"documents/{old}.html"
        if href not in taken:
            pages[href] = PAGE.format(old=html.escape(old), new=html.escape(new))
    return pages


__all__ = ["merged_away", "redirect_pages"]
