"""A source's layout as data: which lines start a document, what is boilerplate, how the
number and heading are read, which note markers the source uses.

A layout is a preset file shipped in `pipeline/layouts/` (`web-page`, `markdown-from-pdf`,
…), `auto` (inferred from the text, see `auto.py`), or a block in edition.yaml that
names a preset with `preset:` and overrides some of its keys. Every key is documented
in docs/layouts.md; an unknown key or a pattern that does not compile is reported with
the file and line of edition.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from typing import Any

import yaml

from ..errors import EditionError
from ..patterns import EditionPattern, Pattern, current_limit
from ..recognise.headings import TypeWord, Vocabulary, vocabulary
from ..recognise.markers import IN_TEXT, STYLES

HEADING_RULES = ("type-phrase-heading", "bold-document-heading", "all-caps-heading")
NOTE_MARKERS = STYLES
ENCODINGS = ("utf-8", "latin-1", "cp1252", "auto")


@dataclass(frozen=True)
class Divider:
    kind: str
    pattern: Pattern


@dataclass(frozen=True)
class Layout:
    """Every key of a layout (docs/layouts.md); the defaults describe a plain text of
    paragraphs separated by blank lines with no boilerplate and no document starts."""

    name: str = "custom"
    encoding: str = "utf-8"
    paragraphs: str = "blank-line"  # "blank-line" | "line"
    emphasis: str = "markdown"  # "markdown" | "underscore" (_italic_ read as *italic*)
    markdown_escapes: bool = False  # a backslash escape (\$, \_) is the character it escapes
    # boilerplate
    navigation: Pattern | None = None
    header_lines: Pattern | None = None
    header_paragraphs: int = 4
    contents: Pattern | None = None
    before_first_start: str = "front-matter"  # "front-matter" | "document"
    front_matter_until: Pattern | None = None
    footer_lines: Pattern | None = None
    footer_names_collection: bool = False
    back_matter: Pattern | None = None
    back_matter_keeps: Pattern | None = None
    running_heads: tuple[Pattern, ...] = ()
    page_numbers: bool = False
    detect_running_heads: bool = False  # find recurring running heads and page numbers in the text
    dividers: tuple[Divider, ...] = ()
    # document starts
    number: Pattern | None = None
    headings: tuple[Pattern, ...] = ()
    heading_rules: tuple[str, ...] = ()
    dateline_starts: bool = False
    gap: int = 0
    max_chars: int = 700
    inside_line: Pattern | None = None
    trailing_number: Pattern | None = None
    # heading
    continues: str | None = None  # a heading rule name, "all-caps-heading", or None
    max_paragraphs: int = 0  # 0: as many as `continues` accepts
    type_words: tuple[TypeWord, ...] = ()  # words naming document types, before the preset's

    @property
    def vocabulary(self) -> Vocabulary:
        """The type words of headings: the layout's, then the preset's (recognise/type-words.yaml)."""
        return vocabulary(self.type_words)
    # datelines in a form the built-in recogniser does not know
    dateline_patterns: tuple[Pattern, ...] = ()
    # notes
    note_markers: tuple[str, ...] = ("bracket", "sup", "digit")
    notes_heading: Pattern | None = None  # opens a block of note texts after the documents
    # the reason auto chose this layout (empty for presets and blocks)
    chosen: str = field(default="", compare=False)

    @property
    def star_markers(self) -> bool:
        return "star" in self.note_markers

    @property
    def note_styles(self) -> frozenset[str]:
        """The optional marker styles (recognise/markers.py) the source uses."""
        return frozenset(self.note_markers) & frozenset(IN_TEXT)


# YAML key → (Layout field, kind). Kinds: regex, regexes, int, bool, choice:<a|b>, words, dividers.
KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "": {
        "encoding": ("encoding", "choice:" + "|".join(ENCODINGS)),
        "paragraphs": ("paragraphs", "choice:blank-line|line"),
        "emphasis": ("emphasis", "choice:markdown|underscore"),
        "markdown_escapes": ("markdown_escapes", "bool"),
    },
    "boilerplate": {
        "navigation": ("navigation", "regex"),
        "header_lines": ("header_lines", "regex"),
        "header_paragraphs": ("header_paragraphs", "int"),
        "contents": ("contents", "regex"),
        "before_first_start": ("before_first_start", "choice:front-matter|document"),
        "front_matter_until": ("front_matter_until", "regex"),
        "footer_lines": ("footer_lines", "regex"),
        "footer_names_collection": ("footer_names_collection", "bool"),
        "back_matter": ("back_matter", "regex"),
        "back_matter_keeps": ("back_matter_keeps", "regex"),
        "running_heads": ("running_heads", "regexes"),
        "page_numbers": ("page_numbers", "bool"),
        "detect_running_heads": ("detect_running_heads", "bool"),
        "dividers": ("dividers", "dividers"),
    },
    "start": {
        "number": ("number", "regex"),
        "headings": ("headings", "regexes"),
        "heading_rules": ("heading_rules", "words:" + "|".join(HEADING_RULES)),
        "dateline": ("dateline_starts", "bool"),
        "gap": ("gap", "int"),
        "max_chars": ("max_chars", "int"),
        "inside_line": ("inside_line", "regex"),
        "trailing_number": ("trailing_number", "regex"),
    },
    "heading": {
        "continues": ("continues", "choice:none|" + "|".join(HEADING_RULES)),
        "max_paragraphs": ("max_paragraphs", "int"),
        "type_words": ("type_words", "type_words"),
    },
    "dateline": {
        "patterns": ("dateline_patterns", "regexes"),
    },
    "notes": {
        "markers": ("note_markers", "words:" + "|".join(NOTE_MARKERS)),
        "heading": ("notes_heading", "regex"),
    },
}
SECTIONS = {k for k in KEYS if k}


def match_dateline(layout: Layout, text: str) -> re.Match[str] | None:
    """The first of the layout's own dateline patterns that matches the paragraph (it must
    have a group `date`; `place` and `time` are optional)."""
    for rx in layout.dateline_patterns:
        m = rx.match(text.strip())
        if m is not None and "date" in rx.groupindex and m.group("date"):
            return m
    return None


def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("pipeline.layouts").iterdir() if p.name.endswith(".yaml"))


def _preset_text(name: str) -> str:
    path = resources.files("pipeline.layouts") / f"{name}.yaml"
    if not path.is_file():
        raise EditionError(f"unknown layout preset {name!r}", hint=f"use one of: {', '.join(preset_names())}, auto")
    return path.read_text(encoding="utf-8")


class _Where:
    """Where a layout's keys come from, for error messages."""

    def __init__(self, path: str, line: int | None = None) -> None:
        self.path, self.line = path, line

    def fail(self, message: str, line: int | None = None, hint: str | None = None) -> EditionError:
        return EditionError(message, path=self.path, line=line or self.line, hint=hint)


def _value(kind: str, key: str, value: Any, where: _Where, line: int | None) -> Any:
    if kind in ("regex", "regexes"):
        items = value if isinstance(value, list) else [value]
        if kind == "regex" and isinstance(value, list):
            raise where.fail(f"layout key {key!r} takes one pattern, not a list", line)
        out = []
        for item in items:
            if item is None:
                continue
            if not isinstance(item, str):
                raise where.fail(f"layout key {key!r} must be a regular expression in quotes", line)
            try:
                out.append(EditionPattern(item, path=where.path, line=line))
            except re.error as exc:
                raise where.fail(f"layout key {key!r}: the pattern {item!r} does not compile ({exc})", line,
                                 "write it in single quotes; see docs/layouts.md") from None
        return (out[0] if out else None) if kind == "regex" else tuple(out)
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise where.fail(f"layout key {key!r} must be a whole number ≥ 0", line)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise where.fail(f"layout key {key!r} must be true or false", line)
        return value
    if kind.startswith("choice:"):
        allowed = kind[7:].split("|")
        if value not in allowed:
            raise where.fail(f"layout key {key!r}: {value!r} is not one of {', '.join(allowed)}", line)
        return None if value == "none" else value
    if kind.startswith("words:"):
        allowed = kind[6:].split("|")
        items = value if isinstance(value, list) else [value]
        bad = [w for w in items if w not in allowed]
        if bad:
            raise where.fail(f"layout key {key!r}: unknown value {bad[0]!r}", line,
                             f"use some of: {', '.join(allowed)}")
        return tuple(items)
    if kind == "dividers":
        items = value if isinstance(value, list) else [value]
        out_d = []
        for item in items:
            if isinstance(item, str):
                item = {"kind": "divider", "pattern": item}
            if not isinstance(item, dict) or set(item) - {"kind", "pattern"} or "pattern" not in item:
                raise where.fail("a divider is a pattern, or {kind: …, pattern: …}", line)
            out_d.append(Divider(str(item.get("kind", "divider")), _value("regex", key, item["pattern"], where, line)))
        return tuple(out_d)
    if kind == "type_words":
        return _type_words(value, key, where, line)
    raise AssertionError(kind)


def _type_words(value: Any, key: str, where: _Where, line: int | None) -> tuple[TypeWord, ...]:
    """`type_words: [{type: despatch, words: 'despatch(?:es)?', line: true}, …]`."""
    items = value if isinstance(value, list) else [value]
    out: list[TypeWord] = []
    for item in items:
        if not isinstance(item, dict) or set(item) - {"type", "words", "line"} or not {"type", "words"} <= set(item):
            raise where.fail(f"layout key {key!r}: each entry is {{type: …, words: '…', line: true}}", line,
                             "type: a lower-case word; words: a pattern; line (optional): true or a pattern")
        kind, words, opens = item["type"], item["words"], item.get("line")
        if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", kind):
            raise where.fail(f"layout key {key!r}: document type {kind!r} is not a lower-case word", line)
        if opens is True:
            opens = words
        elif opens is False:
            opens = None
        for pattern in (words, opens):
            if pattern is None:
                continue
            if not isinstance(pattern, str):
                raise where.fail(f"layout key {key!r}: {pattern!r} must be a regular expression in quotes", line)
            try:
                compiled = EditionPattern(pattern, path=where.path, line=line)
            except re.error as exc:
                raise where.fail(f"layout key {key!r}: the pattern {pattern!r} does not compile ({exc})", line,
                                 "write it in single quotes; see docs/layouts.md") from None
            if compiled.groupindex or compiled.match("") is not None:
                raise where.fail(f"layout key {key!r}: the pattern {pattern!r} must match a word and name no group",
                                 line)
        out.append(TypeWord(kind, words, opens, path=where.path, at=line, seconds=current_limit()))
    return tuple(out)


def apply_keys(base: Layout, data: dict[str, Any], where: _Where, lines: dict[str, int] | None = None) -> Layout:
    """`base` with the keys of a layout mapping (a preset file or an edition.yaml block) applied."""
    lines = lines or {}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("preset", "profile", "name"):
            continue
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise where.fail(f"layout section {key!r} must be a mapping of keys", lines.get(key))
            for sub, sv in value.items():
                spec = KEYS[key].get(sub)
                if spec is None:
                    raise where.fail(f"unknown layout key {key}.{sub}", lines.get(f"{key}.{sub}", lines.get(key)),
                                     f"allowed in {key}: {', '.join(sorted(KEYS[key]))} (docs/layouts.md)")
                changes[spec[0]] = _value(spec[1], f"{key}.{sub}", sv, where, lines.get(f"{key}.{sub}"))
        elif key in KEYS[""]:
            spec = KEYS[""][key]
            changes[spec[0]] = _value(spec[1], key, value, where, lines.get(key))
        else:
            allowed = sorted(set(KEYS[""]) | SECTIONS | {"preset"})
            raise where.fail(f"unknown layout key {key!r}", lines.get(key),
                             f"allowed: {', '.join(allowed)} (docs/layouts.md)")
    return replace(base, **changes)


_PRESETS: dict[str, Layout] = {}


def preset(name: str) -> Layout:
    """A preset shipped in pipeline/layouts/, read once."""
    if name not in _PRESETS:
        data = yaml.safe_load(_preset_text(name)) or {}
        _PRESETS[name] = apply_keys(Layout(name=name), data, _Where(f"pipeline/layouts/{name}.yaml"))
    return _PRESETS[name]


def _key_lines(node: yaml.Node) -> dict[str, int]:
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out[str(k.value)] = k.start_mark.line + 1
            if isinstance(v, yaml.MappingNode):
                for k2, _ in v.value:
                    out[f"{k.value}.{k2.value}"] = k2.start_mark.line + 1
    return out


def layout_from_node(node: yaml.Node, path: str) -> Layout | str:
    """A source's `layout:` value from edition.yaml: a preset name, `auto`, or a block
    (`preset:` plus overrides). `auto` stays the string "auto" until the text is read."""
    where = _Where(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        name = str(node.value).strip()
        if name == "auto":
            return "auto"
        if name not in preset_names():
            raise where.fail(f"unknown layout {name!r}", hint=f"use one of: {', '.join(preset_names())}, auto, "
                                                              "or a block of keys (docs/layouts.md)")
        return preset(name)
    if not isinstance(node, yaml.MappingNode):
        raise where.fail("layout must be a preset name, auto, or a block of keys")
    data = yaml.safe_load(yaml.serialize(node)) or {}
    base_name = data.get("preset")
    if base_name is None:
        base = Layout(name="custom")
    elif base_name in preset_names():
        base = replace(preset(str(base_name)), name=f"{base_name}+block")
    else:
        raise where.fail(f"unknown layout preset {base_name!r}", _key_lines(node).get("preset"),
                         f"use one of: {', '.join(preset_names())}")
    return apply_keys(base, data, where, _key_lines(node))


def to_yaml(layout: Layout) -> str:
    """The layout as a block to paste under a source's `layout:` in edition.yaml: only the
    keys that differ from the plain defaults."""
    default = Layout()
    data: dict[str, Any] = {}
    by_field = {spec[0]: (section, key, spec[1]) for section, keys in KEYS.items() for key, spec in keys.items()}
    for f in fields(Layout):
        if f.name not in by_field:
            continue
        value = getattr(layout, f.name)
        if value == getattr(default, f.name):
            continue
        section, key, kind = by_field[f.name]
        if kind in ("regex",):
            out: Any = value.pattern
        elif kind == "regexes":
            out = [p.pattern for p in value]
        elif kind == "dividers":
            out = [{"kind": d.kind, "pattern": d.pattern.pattern} for d in value]
        elif kind == "type_words":
            out = [{"type": w.type, "words": w.words, **({"line": w.line} if w.line else {})} for w in value]
        elif isinstance(value, tuple):
            out = list(value)
        else:
            out = "none" if value is None else value
        if section:
            data.setdefault(section, {})[key] = out
        else:
            data[key] = out
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
