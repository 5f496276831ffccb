"""The review report: every guess the converter made, with source file and line, so an
editor can check them all in one pass (out/reports/review.html and review.csv)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from .write import write_atomic

if TYPE_CHECKING:
    from .convert import Conversion

FIELDS = ["source", "line", "document", "kind", "message"]
BOILERPLATE_FIELDS = ["source", "first", "last", "kind"]


def review_rows(conv: Conversion) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    for source, flag in conv.flags:
        doc = next((d.id for d in conv.documents if d.source is source and d.first <= flag.line <= d.last), "")
        rows.append({"source": source.file.as_posix(), "line": flag.line, "document": doc,
                     "kind": flag.kind, "message": flag.message})
    rows.sort(key=lambda r: (str(r["source"]), int(r["line"]), str(r["kind"]), str(r["message"])))
    return rows


def write_review(conv: Conversion, out_dir: Path) -> None:
    rows = review_rows(conv)
    boiler = [(s.file.as_posix(), b.first, b.last, b.kind)
              for s in conv.edition.sources for b in conv.segmentations[s.id].boilerplate]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out_dir / "review.csv", buf.getvalue().encode("utf-8"))
    bbuf = io.StringIO()
    bwriter = csv.writer(bbuf, lineterminator="\n")
    bwriter.writerow(BOILERPLATE_FIELDS)
    bwriter.writerows(boiler)
    write_atomic(out_dir / "boilerplate.csv", bbuf.getvalue().encode("utf-8"))
    # the page (pipeline/html/report.py renders it; `edition html` renders it again
    # with the name links and the register entries without documents)
    from .html.report import write_report

    write_report(conv.edition.root, out_dir, conv.edition.title, boilerplate=boiler)
