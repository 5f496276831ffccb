"""The review report as a working page: out/reports/review.html.

Its data are the converter's review items (out/reports/review.csv, pipeline/review.py),
the ambiguous name links of `edition link` (out/reports/links.csv) and the register
entries that no document names (from the HTML build). This module only renders them:
grouped by kind, then by source, with the counts at the top; a filter (kind, source,
words) for readers with JavaScript, every item readable without it; each item links to
the document's page, to its TEI file with the line, and shows the raw source line.

`edition convert` writes the report (pipeline/review.py calls write_report); `edition
html` writes it again with the name links and the unused register entries, which exist
only after `edition link` and the registers' pages.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..write import write_atomic_chunks

TEMPLATE = Path(__file__).resolve().parent.parent / "site" / "review.html.j2"
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
SHOWN = 2000  # characters of a raw line the report shows (a line of megabytes is cut: linear size)


def _shown(raw: str) -> str:
    """The raw line as the report shows it: a line of megabytes is cut after SHOWN
    characters, saying so, so that the report stays linear in the number of items."""
    if len(raw) <= SHOWN:
        return raw
    return f"{raw[:SHOWN]} … [{len(raw) - SHOWN:,} more characters of this line]"


@dataclass
class Item:
    kind: str
    source: str  # the raw source's path ("sources/003_….txt") or the TEI file's
    line: int
    document: str
    message: str
    raw: str = ""  # the raw source line as it stands (cut after SHOWN characters)
    tei: str = ""  # "tei/ssd/ssd-1939.xml"
    tei_line: int = 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines_of(root: Path, rel: str) -> list[str]:
    """The lines of a raw source or TEI file ([] when there is none)."""
    path = root / rel
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines() if rel and path.is_file() else []
    except OSError:
        return []


class _TeiLines:
    """Where the raw lines are in one TEI file (its lines read once, for all its items)."""

    def __init__(self, lines: list[str], probes: dict[str, str]) -> None:
        self.lines = lines
        self.plain: list[str] | None = None  # the lines without tags, spaces folded
        self.probes = probes  # raw line -> its longest run of plain words (shared by the files)
        self.found: dict[str, int] = {}

    def line_of(self, raw: str) -> int:
        """The line whose text holds a stretch of the raw line (its longest run of plain
        words), else the line of the document's div, else 1."""
        if raw not in self.found:
            self.found[raw] = self._line_of(raw)
        return self.found[raw]

    def _line_of(self, raw: str) -> int:
        if not self.lines:
            return 0
        # many items share one raw line and one TEI file: each is prepared once, so the
        # work stays linear in the size of the texts however many items point into them
        if raw not in self.probes:
            words = re.findall(r"[^\W\d_]{2,}(?:\s+[^\W\d_]{2,}){0,5}", raw)
            self.probes[raw] = _SPACE.sub(" ", max(words, key=len, default=""))
        probe = self.probes[raw]
        if len(probe) >= 8:
            if self.plain is None:
                self.plain = [_SPACE.sub(" ", _TAGS.sub("", text)) for text in self.lines]
            for i, text in enumerate(self.plain, 1):
                if probe in text:
                    return i
        return next((i for i, text in enumerate(self.lines, 1) if 'type="document"' in text), 1)


def collect(root: Path, reports: Path, unused: list[tuple[str, ...]] | None = None) -> list[Item]:
    """Every item of the report, in order: review items, name links, unused entries.
    The items are gathered a file at a time (a raw source, then a TEI file): each file's
    lines are read once and let go when its items are done, so that a big edition's
    sources and TEI files are never held at once."""
    tei_of = {p.stem: p.relative_to(root).as_posix() for p in (root / "tei").glob("*/*.xml")} \
        if (root / "tei").is_dir() else {}
    rows = _read_csv(reports / "review.csv")
    numbers = [int(row.get("line") or 0) if (row.get("line") or "").isdigit() else 0 for row in rows]
    raws = [""] * len(rows)
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_source[row.get("source", "")].append(i)
    for source, indices in by_source.items():
        lines = _lines_of(root, source)
        for i in indices:
            raws[i] = lines[numbers[i] - 1] if 0 < numbers[i] <= len(lines) else ""
    tei_lines = [0] * len(rows)
    by_tei: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if tei_of.get(row.get("document", "")):
            by_tei[tei_of[row.get("document", "")]].append(i)
    probes: dict[str, str] = {}
    for tei, indices in by_tei.items():
        finder = _TeiLines(_lines_of(root, tei), probes)
        for i in indices:
            tei_lines[i] = finder.line_of(raws[i])
    items: list[Item] = []
    for i, row in enumerate(rows):
        doc = row.get("document", "")
        items.append(Item(kind=row.get("kind", ""), source=row.get("source", ""), line=numbers[i], document=doc,
                          message=row.get("message", ""), raw=_shown(raws[i]), tei=tei_of.get(doc, ""),
                          tei_line=tei_lines[i]))
    for row in _read_csv(reports / "links.csv"):
        tei = row.get("file", "")
        line = int(row["line"]) if (row.get("line") or "").isdigit() else 0
        if row.get("kind") == "abbreviation":  # `edition link`: an abbreviation no register expands
            items.append(Item(kind="abbreviation without expansion", source=tei, line=line,
                              document=Path(tei).stem, tei=tei, tei_line=line,
                              message=f"“{row.get('text', '')}” is not in the register of abbreviations "
                                      "(tei/registers.xml): the list of abbreviations leaves it out until it is "
                                      "added with its expansion (docs/registers.md)",
                              raw=_shown(row.get("context", ""))))
            continue
        items.append(Item(kind=f"name link: {row.get('kind', '')}", source=tei, line=line,
                          document=Path(tei).stem, tei=tei, tei_line=line,
                          message=f"“{row.get('text', '')}” could be: {row.get('candidates', '')}",
                          raw=_shown(row.get("context", ""))))
    registers = "tei/registers.xml"
    register_lines = _lines_of(root, registers) if unused else []
    for entry in unused or []:
        ident, name, kind = (list(entry) + ["", "", ""])[:3]
        line = next((i for i, text in enumerate(register_lines, 1) if f'xml:id="{ident}"' in text), 0)
        items.append(Item(kind="register entry without documents", source=registers, line=line, document="",
                          tei=registers if line else "", tei_line=line,
                          message=f"{name} ({kind[:-1] if kind.endswith('s') else kind}, {ident}): no document names "
                                  "it, so the site has no page for it"))
    return items


def read_by(root: Path, reports: Path) -> list[Path]:
    """The files `collect` reads: the reports, the registers, and the raw sources and TEI
    files that the review items point into (with the TEI files' names, a build's cache
    key of the report: it is made again when one of them changes)."""
    tei = root / "tei"
    files = sorted(tei.glob("*/*.xml")) if tei.is_dir() else []
    tei_of = {p.stem: p for p in files}
    read = {reports / "review.csv", reports / "links.csv", tei / "registers.xml"}
    for row in _read_csv(reports / "review.csv"):
        if row.get("source"):
            read.add(root / row["source"])
        if row.get("document", "") in tei_of:
            read.add(tei_of[row["document"]])
    return sorted(read)


def render(title: str, items: list[Item], *, site: str = "../html/", root: str = "../../",
           boilerplate: list[tuple[str, int, int, str]] | None = None) -> str:
    """The report's HTML. `site` and `root`: the web edition and the project root as
    seen from the report's folder."""
    return "".join(_pieces(title, items, site=site, root=root, boilerplate=boilerplate))


def _pieces(title: str, items: list[Item], *, site: str, root: str,
            boilerplate: list[tuple[str, int, int, str]] | None) -> Iterator[str]:
    """The report's HTML a piece at a time (Jinja's generate: a big report is written as it
    is made, not held whole)."""
    by_kind: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        by_kind[item.kind][item.source].append(item)
    kinds = sorted(by_kind, key=lambda k: (-sum(len(v) for v in by_kind[k].values()), k))
    sources = sorted({i.source for i in items})
    counts = {k: {s: len(by_kind[k].get(s, [])) for s in sources} for k in kinds}
    import jinja2  # here: a build that does not write the report does not load it

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             loader=jinja2.FileSystemLoader(str(TEMPLATE.parent)))
    return env.get_template(TEMPLATE.name).generate(
        title=title, kinds=kinds, by_kind=by_kind, sources=sources, counts=counts, total=len(items),
        site=site, root=root, boilerplate=boilerplate or [], slug=_slug)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "x"


def write_report(root: Path, reports: Path, title: str, *, unused: list[tuple[str, ...]] | None = None,
                 boilerplate: list[tuple[str, int, int, str]] | None = None) -> Path:
    """Renders out/reports/review.html from the CSV files beside it."""
    pieces = _pieces(title, collect(root, reports, unused), boilerplate=boilerplate,
                     site=_rel(reports, root / "out" / "html"), root=_rel(reports, root))
    target = reports / "review.html"
    write_atomic_chunks(target, (piece.encode("utf-8") for piece in pieces), root=reports)
    return target


def _rel(frm: Path, to: Path) -> str:
    import os

    rel = os.path.relpath(to, frm).replace(os.sep, "/")
    return "" if rel == "." else rel + "/"
