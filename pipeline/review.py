"""The review report: every guess the converter made, with source file and line, so an
editor can check them all in one pass (out/reports/review.html and review.csv)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .write import csv_rows, write_atomic

if TYPE_CHECKING:
    from .convert import Conversion

TEMPLATE = jinja2.Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Review report — {{ title }}</title>
<style>
body { font-family: serif; margin: 2em auto; max-width: 70em; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.kind { white-space: nowrap; }
code { font-size: .9em; }
</style>
</head>
<body>
<h1>Review report</h1>
<p>{{ title }}: {{ ndocs }} documents from {{ nsources }} sources. Every row is a place where the
converter guessed; check each against the source line given. Summary:
{% for kind, n in summary %}{{ kind }} {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>
<h2>Boilerplate removed</h2>
<table>
<tr><th>source</th><th>lines</th><th>what</th></tr>
{% for b in boilerplate %}<tr><td><code>{{ b[0] }}</code></td><td>{{ b[1] }}–{{ b[2] }}</td><td>{{ b[3] }}</td></tr>
{% endfor %}</table>
<h2>Items to check</h2>
<table>
<tr><th>source</th><th>line</th><th>document</th><th>kind</th><th>what to check</th></tr>
{% for r in rows %}<tr><td><code>{{ r.source }}</code></td><td>{{ r.line }}</td><td>{{ r.document }}</td>
<td class="kind">{{ r.kind }}</td><td>{{ r.message }}</td></tr>
{% endfor %}</table>
</body>
</html>
""", autoescape=True)

FIELDS = ["source", "line", "document", "kind", "message"]


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
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["kind"])] = counts.get(str(r["kind"]), 0) + 1
    boiler = [(s.file.as_posix(), b.first, b.last, b.kind)
              for s in conv.edition.sources for b in conv.segmentations[s.id].boilerplate]
    html = TEMPLATE.render(title=conv.edition.title, ndocs=len(conv.documents), nsources=len(conv.edition.sources),
                           summary=sorted(counts.items()), rows=rows, boilerplate=boiler)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(rows))
    write_atomic(out_dir / "review.html", html.encode("utf-8"), root=out_dir)
    write_atomic(out_dir / "review.csv", buf.getvalue().encode("utf-8"), root=out_dir)
