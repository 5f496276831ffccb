"""`edition html PATH…` and `edition pdf PATH…` for any TEI files or folders, with no
configuration: one web page per file (xslt/html/any.xsl) with an index, or one PDF with a
chapter per file (xslt/typst/any.xsl).  Every division and every element's text reaches the
output: elements without a rendering of their own go through the fallback module.

Files are read with the safe parser first (no DTD, no entities, no network); a file that is
not well-formed is named with its line and skipped, never a traceback.  Output is written
to a temporary folder or file and renamed into place.
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import typst

from .config import Limits
from .errors import EditionError
from .limits import usable
from .transform import XSLT_ROOT, Transformer
from .validate.source import collect, display_path, read, safe_parser
from .write import OUTPUT_MARKER, PDF_MARKER, output_marker, replace_dir, write_atomic, write_file

HTML_SHEET = XSLT_ROOT / "html" / "any.xsl"
TYPST_SHEET = XSLT_ROOT / "typst" / "any.xsl"
PREAMBLE = """#set document(title: "{title}", keywords: ("{marker}",))
#set page(paper: "a4", margin: 2.5cm, numbering: "1")
#set text(lang: "en", hyphenate: false)
#set par(justify: false)
#set heading(numbering: none)
"""


@dataclass
class Rendered:
    out: Path
    files: int = 0
    skipped: list[str] = field(default_factory=list)


def tei_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The .xml files under the paths, readable and well-formed; and a line for each that is not."""
    files, missing = collect(paths)
    files = usable(files, Limits().tei_megabytes)  # the command has named those left out (pipeline/limits.py)
    if missing:
        from .guard import unusable

        raise unusable(missing, wanted="TEI files (.xml) or folders that hold them")
    if not files:
        raise EditionError(f"no .xml files in {', '.join(str(p) for p in paths)}")
    good: list[Path] = []
    problems: list[str] = []
    parser = safe_parser()
    for path in files:
        src, findings = read(path, parser)
        if src is None:
            problems.extend(f.text() for f in findings)
        else:
            good.append(path)
    return good, problems


def _page_name(path: Path, base: Path | None) -> str:
    try:
        rel = path.resolve().relative_to(base) if base is not None else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix(".html").as_posix()


def _common_base(paths: list[Path]) -> Path | None:
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    base = folders[0]
    while any(base != f and base not in f.parents for f in folders):
        base = base.parent
    return base


def build_html(paths: list[Path], out: Path, transformer: Transformer | None = None) -> Rendered:
    files, problems = tei_files(paths)
    t = transformer or Transformer()
    sheet = t.stylesheet(HTML_SHEET)
    base = _common_base(paths)
    pages: dict[str, str] = {}
    titles: dict[str, str] = {}
    for path in files:
        name = _page_name(path, base)
        depth = name.count("/")
        page = sheet.apply(path, params={"index-href": "../" * depth + "index.html", "file-name": path.name})
        pages[name] = page
        titles[name] = path.name
    items = "\n".join(f'<li><a href="{html.escape(n)}">{html.escape(n[:-5])}</a></li>' for n in sorted(pages))
    pages["index.html"] = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>TEI files</title>'
                           f"</head><body><h1>TEI files</h1><ul>\n{items}\n</ul></body></html>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, text in pages.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            write_file(tmp / name, text.encode("utf-8"), root=tmp)
        write_file(tmp / OUTPUT_MARKER, output_marker("html"), root=tmp)  # `html --out` knows the site by it
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, out)
    return Rendered(out, len(files), problems)


def typst_source(paths: list[Path], transformer: Transformer | None = None) -> tuple[str, int, list[str]]:
    files, problems = tei_files(paths)
    t = transformer or Transformer()
    sheet = t.stylesheet(TYPST_SHEET)
    parts = [PREAMBLE.format(title="TEI files", marker=PDF_MARKER)]  # `pdf --out` knows it by the keyword
    for path in files:
        parts.append(sheet.apply(path, params={"file-name": path.name}))
    return "\n".join(parts), len(files), problems


def build_pdf(paths: list[Path], out: Path, transformer: Transformer | None = None) -> Rendered:
    source, count, problems = typst_source(paths, transformer)
    try:
        # Typst's embedded fonts first; the system's for scripts they lack (CJK: scripts/setup.d/anytei.sh)
        from .pdf import refuse_packages

        refuse_packages(source)
        with tempfile.TemporaryDirectory(prefix="edition-typst-") as build:  # root and packages: an empty folder
            pdf = typst.Compiler(ignore_system_fonts=False, root=build, package_path=build,
                                 package_cache_path=build).compile(source.encode("utf-8"), format="pdf")
    except typst.TypstError as exc:
        raise EditionError(f"typesetting failed: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    if not isinstance(pdf, bytes):
        raise EditionError("Typst produced no PDF")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, pdf, root=out.parent.resolve())
    return Rendered(out, count, problems)


def report(kind: str, rendered: Rendered, quiet: bool) -> int:
    for line in rendered.skipped:
        print(f"edition {kind}: skipped: {line}", file=sys.stderr)
    if not quiet:
        print(f"edition {kind}: wrote {display_path(rendered.out)} from {rendered.files} TEI files")
    return 1 if rendered.skipped else 0
