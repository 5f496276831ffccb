"""`edition inspect SOURCE`: what the converter would find in a source, without writing
anything — the layout it would use, as YAML to paste under the source's `layout:` in
edition.yaml and refine, and a table of the documents it finds (line, number, heading,
date, place, words, notes, flags).

SOURCE is a source id of edition.yaml (its layout is used) or the path of a text file or
folder (its layout is inferred, as with `layout: auto`).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

from .config import Collection, Source, load_config
from .errors import EditionError
from .patterns import reading
from .recognise import dates as dt
from .recognise import memo
from .segment import Segmentation, Unit, encoding_of, segment_source
from .segment.layout import Layout, layout_from_node, preset, preset_names, to_yaml
from .sources import SourceText, read_source

MARKER = re.compile(r"\[\^?\w{1,3}\]|<sup>[^<]{1,4}</sup>|\^\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|(?<=[\w.,;:)”'])(?:\\\*)+"
                    r"|(?<=[A-Za-z.,;:])(?:\(\d{1,2}\)|†{1,3}|‡{1,3})")


def _resolve(arg: str, config: Path, layout_arg: str | None) -> tuple[Source, Path]:
    """The source to inspect: an id of edition.yaml, else a path."""
    if config.is_file() and not Path(arg).exists():
        edition = load_config(config)
        source = edition.source(arg)
        return source, edition.root / source.file
    path = Path(arg)
    if not path.exists():
        raise EditionError("no such source file or folder, and no source of that id in edition.yaml",
                           path=arg, exit_code=2)
    source = Source(id="inspect", file=path, profile="auto", collection=Collection(title=path.stem), layout="auto")
    return source, path


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EditionError("not UTF-8 text", path=str(path), exit_code=2) from None


def _choose_layout(source: Source, layout_arg: str | None) -> Source:
    if layout_arg is None:
        return source
    if layout_arg == "auto":
        return replace(source, profile="auto", layout="auto")
    if layout_arg in preset_names():
        return replace(source, profile=layout_arg, layout=preset(layout_arg))
    import yaml

    from . import yamlsafe

    path = Path(layout_arg)
    if path.exists() and not path.is_file():  # a folder, a device, a pipe: never read
        from .guard import kind_of

        raise EditionError(f"--layout names {kind_of(path)}", path=layout_arg, exit_code=2,
                           hint="give a preset ({}), auto, or a YAML file of layout keys".format(
                               ", ".join(preset_names())))
    node = yamlsafe.compose(_read_text(path), layout_arg) if path.is_file() else None
    if node is None:
        raise EditionError(f"--layout {layout_arg!r} is neither a preset ({', '.join(preset_names())}), auto, "
                           "nor a YAML file of layout keys", exit_code=2)
    if isinstance(node, yaml.MappingNode) and node.value and node.value[0][0].value == "layout":
        node = node.value[0][1]
    result = layout_from_node(node, layout_arg)
    layout = result if isinstance(result, Layout) else None
    return replace(source, profile="auto" if layout is None else layout.name, layout=result)


def _doc_row(unit: Unit, context_year: int | None, styles: frozenset[str] = frozenset()
             ) -> tuple[str, str, str, int, str]:
    """date, place, heading, words, notes, flags of one unit — cheaply, without building TEI."""
    head = " ".join(" ".join(p.text.split()) for p in unit.head)
    head = re.sub(r"^#+\s*|\*\*|(?<!\w)[*_]|[*_](?!\w)", "", head).strip()
    date = place = ""
    for p in (unit.head[-1:] + unit.body[:4]):
        first = p.text.strip().split("\n")[0]
        parsed = dt.parse_dateline(first.strip("*"), context_year=context_year) if len(first) < 160 else None
        if parsed is not None and parsed.date is not None:
            d = parsed.date
            date = d.when or d.from_ or ""
            text = first.strip("*")
            place = text[parsed.place[0]:parsed.place[1]] if parsed.place else ""
            break
    if not date:
        found = [d for d in dt.find_dates(head) if d.when or d.from_]
        if found:
            date = found[-1].when or found[-1].from_ or ""
    words = sum(len(p.text.split()) for p in unit.head + unit.body)
    markers = sum(len(MARKER.findall(p.text)) for p in unit.head + unit.body
                  if memo.split_note_paragraph(p.text.strip(), styles) is None)
    texts = sum(len(n) for p in unit.body if (n := memo.split_note_paragraph(p.text.strip(), styles)))
    notes = f"{markers}/{texts}" if markers or texts else ""
    return date, place, head, words, notes


def report(src: SourceText, source: Source, seg: Segmentation) -> str:
    from .review import boundary_flags

    layout = seg.layout or Layout()
    out: list[str] = []
    why = layout.chosen or f"layout {layout.name}"
    out.append(f"# {src.path}: {len(src.lines)} lines, {len(seg.units)} documents")
    out.append(f"# layout: {why}")
    out.append("# paste under the source in edition.yaml and refine (docs/layouts.md):")
    body = to_yaml(layout).rstrip("\n")
    out.append("layout:" + ("\n" + "\n".join("  " + x for x in body.split("\n")) if body != "{}" else " {}"))
    out.append("")
    extra: dict[int, list[str]] = {}
    for f in boundary_flags(seg, None):
        extra.setdefault(f.line, []).append(f.kind)
    header = (f"{'line':>6}  {'number':>6}  {'heading':<48}  {'date':<10}  {'place':<16}  {'words':>6}  "
              "notes  flags")
    out.append(header)
    year: int | None = None
    for unit in seg.units:
        date, place, head, words, notes = _doc_row(unit, year, layout.note_styles)
        if date[:4].isdigit():
            year = int(date[:4])
        flags = [m.split(":")[0] for _, m in unit.flags if not m.startswith("unnumbered document")]
        for line in range(unit.first, unit.last + 1):
            flags.extend(extra.get(line, []))
        shown = (head or "—")[:48]
        out.append(f"{unit.first:>6}  {unit.number or '':>6}  {shown:<48}  {date[:10]:<10}  {place[:16]:<16}  "
                   f"{words:>6}  {notes:<5}  {'; '.join(dict.fromkeys(flags))}")
    if seg.boilerplate:
        out.append("")
        out.append("# not documents: " + "; ".join(f"{b.kind} {b.first}–{b.last}" for b in seg.boilerplate[:12])
                   + (f"; … {len(seg.boilerplate) - 12} more" if len(seg.boilerplate) > 12 else ""))
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    source, path = _resolve(args.source, Path(args.config), args.layout)
    source = _choose_layout(replace(source, file=path), args.layout)
    src = read_source(path, encoding_of(source))
    with reading(str(args.source)):
        seg = segment_source(src, source)
        text = report(src, source, seg)
    if isinstance(source.layout, str) and encoding_of(source) == "auto" and seg.layout is not None:
        from .sources import detect_encoding

        seg.layout = replace(seg.layout, encoding=detect_encoding(path.read_bytes()) if path.is_file() else "utf-8")
    sys.stdout.write(text)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("inspect", help="show the layout and the documents the converter finds in a source "
                                       "(writes nothing)")
    p.add_argument("source", metavar="SOURCE", help="a source id of edition.yaml, or a text file or folder")
    p.add_argument("--layout", help="try this layout instead: a preset name, auto, or a YAML file of layout keys")
    p.set_defaults(func=run)
