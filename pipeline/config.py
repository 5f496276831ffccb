"""Reads edition.yaml once, checks every key, and turns it into typed objects.

A wrong key or value is reported with the file, the line and what to write instead,
because editors maintain this file by hand.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlsafe
from .errors import EditionError
from .patterns import EditionPattern, time_limit
from .recognise.citations import CitationShape, shape_problem
from .segment.layout import layout_from_node, preset_names
from .witnesses.rules import WitnessRules, read_rules

EDITION_KEYS = {"id", "title", "subtitle", "editors", "publisher", "licence", "introduction",
                "principles", "how_to_cite", "year", "url", "contact", "version", "date", "period",
                "document_types", "citations"}
LICENCE_KEYS = {"name", "url"}
SOURCE_KEYS = {"id", "file", "profile", "layout", "collection", "site", "licence", "url", "notes"}
COLLECTION_KEYS = {"title", "subtitle", "editors", "compilers", "year", "publisher", "place", "based_on"}
# validate: is read by pipeline/validate/engine.py
TOP_KEYS = {"edition", "sources", "print", "validate", "executor", "witnesses", "limits", "web"}
WEB_KEYS = {"page_size", "filter_menu"}
LIMITS_KEYS = {"tei_megabytes", "typst_seconds", "typst_megabytes", "saxon_seconds", "saxon_megabytes",
               "pattern_seconds"}
PRINT_KEYS = {"arrangement", "volume_size", "provenance"}
ARRANGEMENTS = ("chronological", "collection")
EXECUTOR_KEYS = {"scheduler", "jobs"}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_URL = re.compile(r"https?://[^\s\"'<>`\\]+", re.I)


@dataclass(frozen=True)
class Licence:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Collection:
    """The printed or web collection a source comes from, as printed there."""

    title: str
    subtitle: str | None = None
    editors: tuple[str, ...] = ()
    compilers: tuple[str, ...] = ()
    year: str | None = None
    publisher: str | None = None
    place: str | None = None
    based_on: str | None = None


# The roles a person may have in the edition (edition.yaml, edition: editors:), with the
# words the title page prints before their names.
CONTRIBUTOR_ROLES = {"editor": "Edited by", "compiler": "Compiled by", "translator": "Translated by",
                     "annotator": "Annotated by"}


@dataclass(frozen=True)
class Contributor:
    """A person named in edition.yaml's `editors:`: a name alone is an editor, or
    `{name: …, role: compiler}` (CONTRIBUTOR_ROLES)."""

    name: str
    role: str = "editor"


@dataclass(frozen=True)
class Source:
    id: str
    file: Path
    profile: str
    collection: Collection
    site: str | None = None
    licence: Licence | None = None
    url: str | None = None
    notes: str | None = None
    layout: Any = None  # a segment.layout.Layout, "auto", or None (the preset named by `profile`)

    @property
    def relpath(self) -> str:
        """The file's path as written in edition.yaml (relative to the project root)."""
        return self.file.as_posix()


@dataclass(frozen=True)
class Limits:
    """What the stages take on (edition.yaml `limits:`, docs/safety.md)."""

    tei_megabytes: int = 20  # a larger TEI file is refused by link, html, pdf and deposit (validate reads any)
    typst_seconds: int = 300  # one volume's typesetting (pipeline/typst_run.py)
    typst_megabytes: int = 8000  # the memory Typst may take for one volume
    saxon_seconds: int = 300  # one transform of one file (pipeline/saxon_run.py)
    saxon_megabytes: int = 4000  # the memory of the Saxon process
    pattern_seconds: int = 5  # one match of one of the edition's own patterns (pipeline/patterns.py)


@dataclass(frozen=True)
class PrintSettings:
    """The print edition's choices (edition.yaml `print:`, docs/pdf.md)."""

    arrangement: str = "chronological"   # or "collection": parts in the order of edition.yaml
    volume_size: int = 200               # documents per volume at most; 0: one volume
    provenance: bool = False             # an appendix naming the raw text and lines of each document


@dataclass(frozen=True)
class WebSettings:
    """The web edition's choices (edition.yaml `web:`, docs/html.md)."""

    page_size: int = 500  # rows per page of a list (calendar, collection, register entry …)
    filter_menu: int = 100  # a search filter with more values is a text field with suggestions


@dataclass(frozen=True)
class ExecutorConfig:
    """Where `edition build` runs the per-document work (docs/scaling.md)."""

    scheduler: str | None = None  # a Dask scheduler's address; None: this machine
    jobs: int | None = None  # local worker processes; None: the machine's cores


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    editors: tuple[str, ...]
    licence: Licence
    publisher: str
    subtitle: str | None = None
    introduction: str | None = None
    principles: str | None = None
    how_to_cite: str | None = None
    year: str | None = None
    url: str | None = None  # where the edition is published (absolute links in CMIF, citations)
    contact: str | None = None  # who answers for the edition (bag-info Contact, CMIF editor)
    version: str | None = None  # the release ("1.0"): on every page and in every citation
    date: str | None = None  # the release date (yyyy-mm-dd): the build date of the outputs
    period: tuple[int, int] | None = None  # the years of the documents (None: inferred, see vocab.py)
    document_types: tuple[str, ...] = ()  # the kinds of documents (empty: those recognised)
    citation_shapes: tuple[CitationShape, ...] = ()  # citation shapes the edition teaches the parser
    sources: tuple[Source, ...] = field(default_factory=tuple)
    print: PrintSettings = field(default_factory=PrintSettings)
    root: Path = Path(".")
    config_path: Path = Path("edition.yaml")
    executor: ExecutorConfig | None = None
    witnesses: WitnessRules = field(default_factory=WitnessRules)  # documents printed more than once
    limits: Limits = field(default_factory=Limits)
    web: WebSettings = field(default_factory=WebSettings)
    # the persons of `editors:` with their roles (a name alone: an editor); `editors` above
    # holds their names, whatever the role
    contributors: tuple[Contributor, ...] = ()

    @property
    def credits(self) -> tuple[Contributor, ...]:
        """The persons the edition credits, with their roles, as the title page prints
        them: not the publisher (an institution, not an editor) and nothing that looks
        like a placeholder (see `is_placeholder`)."""
        people = self.contributors or tuple(Contributor(name) for name in self.editors)
        publisher = self.publisher.strip().casefold()
        return tuple(Contributor(c.name.strip(), c.role) for c in people
                     if c.name.strip().casefold() != publisher and not is_placeholder(c.name))

    @property
    def named_editors(self) -> tuple[str, ...]:
        """The persons credited as the edition's editors (role `editor`): the "edited by"
        of the title page, of the citations and of the web edition's home page."""
        return tuple(c.name for c in self.credits if c.role == "editor")

    def source(self, key: str) -> Source:
        for s in self.sources:
            if key in (s.id, s.file.name, s.file.stem, s.relpath, s.file.name[:3]):
                return s
        if "/" in key or os.sep in key:  # a path as the shell completes it (./sources/x.txt, an absolute one)
            wanted = {os.path.normpath(key), os.path.abspath(key)}
            for s in self.sources:
                if {s.relpath, os.path.abspath(self.root / s.file)} & wanted:
                    return s
        known = ", ".join(s.id for s in self.sources)
        raise EditionError(f"unknown source {key!r}", path=str(self.config_path),
                           hint=f"known sources: {known}", exit_code=2)


# A value left for someone to fill in: empty, in angle brackets, "TODO", "TBD", "N. N.",
# "XXX", "Editor", "Name", dots.
_PLACEHOLDER = re.compile(r"^\s*$|[<>{}]|\b(?:TODO|TBD|FIXME|XXX+)\b|^\W*(?:N\.?\s*N\.?|editors?|names?|\.+|…)\W*$",
                          re.IGNORECASE)


def is_placeholder(value: str) -> bool:
    """Whether a name in edition.yaml is a placeholder rather than a name."""
    return bool(_PLACEHOLDER.search(value))


def _digits(text: str) -> bool:
    """Whether `text` is a whole number in the digits 0-9 (str.isdigit() also takes '²' and
    '①', which int() refuses)."""
    return text.isascii() and text.isdigit()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention: the build's date, in seconds
    since 1970) or None when it is not set; a value that is not such a number, or names a
    day outside the years 1–9999, is a usage error (the convention asks the build to stop)."""
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if _digits(raw) and int(raw) <= 253402300799:  # 9999-12-31 23:59:59
        return int(raw)
    raise EditionError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a number of seconds since 1970 (up to the year 9999)",
                       exit_code=2, hint="unset it, or set it to e.g. $(git log -1 --format=%ct)")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Walks the composed YAML nodes so that every error can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> EditionError:
        return EditionError(message, path=str(self.path), line=_line(node), hint=hint)

    def mapping(self, node: yaml.Node, allowed: set[str], what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"a key in {what} must be a plain word")
            key = key_node.value
            if key in out:
                raise self.fail(key_node, f"the key {key!r} appears twice in {what}", "keep one of them")
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {key!r} in {what}",
                                f"allowed keys: {', '.join(sorted(allowed))}")
            out[key] = value_node
        return out

    def text(self, node: yaml.Node | None, what: str, required: bool = False) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            if required or node.value != "":
                raise self.fail(node, f"{what} must be a text value")
            return None
        return str(node.value).strip()

    def texts(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):
            return (str(node.value),)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list of names")
        return tuple(str(self.text(item, what, required=True)) for item in node.value)

    def contributors(self, node: yaml.Node | None) -> tuple[Contributor, ...]:
        """edition: editors: names (editors) or mappings {name: …, role: …}."""
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):
            return (Contributor(str(self.text(node, "editors", required=True))),)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "editors must be a list of names (or of 'name:' and 'role:')")
        out = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                out.append(Contributor(str(self.text(item, "editors", required=True))))
                continue
            keys = self.mapping(item, {"name", "role"}, "an entry of editors")
            role = self.text(keys.get("role"), "editors.role") or "editor"
            if role not in CONTRIBUTOR_ROLES:
                raise self.fail(keys["role"], f"unknown role {role!r}",
                                f"use one of: {', '.join(CONTRIBUTOR_ROLES)}")
            out.append(Contributor(self.required(keys, "name", item, "an entry of editors"), role))
        return tuple(out)

    def required(self, keys: dict[str, yaml.Node], key: str, parent: yaml.Node, what: str) -> str:
        if key not in keys:
            raise self.fail(parent, f"{what} lacks the key {key!r}", f"add '{key}:'")
        return str(self.text(keys[key], f"{what}.{key}", required=True))

    def print_settings(self, node: yaml.Node | None) -> PrintSettings:
        if node is None:
            return PrintSettings()
        keys = self.mapping(node, PRINT_KEYS, "print")
        arrangement = self.text(keys.get("arrangement"), "print.arrangement") or "chronological"
        if arrangement not in ARRANGEMENTS:
            raise self.fail(keys["arrangement"], f"unknown arrangement {arrangement!r}",
                            f"use one of: {', '.join(ARRANGEMENTS)}")
        size_text = self.text(keys.get("volume_size"), "print.volume_size") or str(PrintSettings.volume_size)
        if not _digits(size_text):
            raise self.fail(keys["volume_size"], "print.volume_size must be a whole number of documents",
                            "write e.g. 'volume_size: 120' (0: the whole edition in one volume)")
        provenance = self.text(keys.get("provenance"), "print.provenance") or "false"
        if provenance.lower() not in ("true", "false", "yes", "no"):
            raise self.fail(keys["provenance"], "print.provenance must be true or false")
        return PrintSettings(arrangement=arrangement, volume_size=int(size_text),
                             provenance=provenance.lower() in ("true", "yes"))

    def ident(self, keys: dict[str, yaml.Node], parent: yaml.Node, what: str) -> str:
        value = self.required(keys, "id", parent, what)
        if not _ID.fullmatch(value):
            raise self.fail(keys["id"], f"{what} id {value!r} is not allowed",
                            "an id must be letters, digits, - and _ (it names files and folders)")
        return value

    def url(self, node: yaml.Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and node is not None and not _URL.fullmatch(value):
            raise self.fail(node, f"{what} {value!r} is not a web address",
                            "write an address that begins with https:// or http://")
        return value

    def source_file(self, keys: dict[str, yaml.Node], parent: yaml.Node, sid: str, root: Path) -> Path:
        """The source's file: a relative path inside the project (no .., not absolute, no
        symbolic link leading out of the project)."""
        value = self.required(keys, "file", parent, f"source {sid}")
        rel = Path(value)
        inside = False
        if not rel.is_absolute() and ".." not in rel.parts and "\\" not in value and "\x00" not in value:
            base = root.resolve()
            try:
                inside = base in (root / rel).resolve().parents
            except (RuntimeError, OSError):  # a symbolic link in a loop, a name too long
                inside = False
        if not inside:
            raise self.fail(keys["file"], f"the file {value!r} of source {sid} is not inside the project",
                            "sources must lie in the project folder: give a relative path such as "
                            "sources/name.txt, without .. and without links leading out")
        return rel

    def licence(self, node: yaml.Node | None) -> Licence | None:
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode):
            return Licence(name=str(node.value))
        keys = self.mapping(node, LICENCE_KEYS, "licence")
        return Licence(name=self.required(keys, "name", node, "licence"),
                       url=self.url(keys.get("url"), "licence.url"))


def _iso_day(r: _Reader, node: yaml.Node | None) -> str | None:
    value = r.text(node, "date")
    if value is not None and node is not None:
        import datetime

        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise r.fail(node, f"the edition's date {value!r} is not a day", "write it as yyyy-mm-dd") from None
    return value


def _period(r: _Reader, node: yaml.Node | None) -> tuple[int, int] | None:
    """`period: 1900-1950` (or `{from: 1900, to: 1950}`): the years the documents may bear."""
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        keys = r.mapping(node, {"from", "to"}, "period")
        raw = f"{r.text(keys.get('from'), 'period.from') or ''}-{r.text(keys.get('to'), 'period.to') or ''}"
    else:
        raw = str(r.text(node, "period", required=True))
    m = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", raw)
    if m is None or int(m.group(1)) > int(m.group(2)):
        raise r.fail(node, f"period {raw!r} is not a span of years", "write it as 'period: 1900-1950'")
    return int(m.group(1)), int(m.group(2))


def _document_types(r: _Reader, node: yaml.Node | None) -> tuple[str, ...]:
    """`document_types: [telegram, letter, …]`: the kinds of documents of the edition."""
    types = r.texts(node, "document_types")
    for t in types:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", t):
            assert node is not None
            raise r.fail(node, f"document type {t!r} is not a word in lower case",
                         "write each kind as a lower-case word, or words joined by '-' (record-of-conversation)")
    return tuple(dict.fromkeys(types))


def _citation_shapes(r: _Reader, node: yaml.Node | None) -> tuple[CitationShape, ...]:
    """`citations: [{pattern: '…(?P<archive>…)…(?P<file>…)', archive: NAME}, …]`: citation
    shapes of the edition's sources that the built-in ones do not read (docs/registers.md)."""
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise r.fail(node, "citations must be a list of {pattern: …, archive: …}")
    shapes: list[CitationShape] = []
    for item in node.value:
        keys = r.mapping(item, {"pattern", "archive"}, "a citation shape")
        raw = r.required(keys, "pattern", item, "citation shape")
        try:
            pattern = EditionPattern(raw, path=str(r.path), line=_line(keys["pattern"]))
        except re.error as exc:
            raise r.fail(keys["pattern"], f"the citation pattern {raw!r} does not compile ({exc})",
                         "write it in single quotes; see docs/registers.md") from None
        archive = r.text(keys.get("archive"), "citation shape archive")
        problem = shape_problem(pattern, archive)
        if problem:
            raise r.fail(keys["pattern"], f"citation pattern {raw!r}: {problem}", "see docs/registers.md")
        shapes.append(CitationShape(pattern, archive))
    return tuple(shapes)


_LOADED: dict[tuple[str, str, str], Edition] = {}  # (working folder, path, text) → what it says


def load_config(path: Path) -> Edition:
    """Reads and checks edition.yaml; every problem is an EditionError naming file and line.
    The file is read every time, but the same text is parsed once per process (every stage
    of `edition build` loads it: the YAML parser is slow)."""
    from .guard import read_plain

    try:
        raw = read_plain(path).decode("utf-8")  # a pipe or a device is refused, never waited on
    except FileNotFoundError:
        raise EditionError("edition.yaml not found", path=str(path),
                           hint="run the command from the project root or pass --config") from None
    except UnicodeDecodeError:
        raise EditionError("edition.yaml is not UTF-8 text", path=str(path)) from None
    except OSError as exc:
        raise EditionError(f"edition.yaml cannot be read: {exc.strerror or exc}", path=str(path),
                           hint="--config names the edition's edition.yaml, a plain file") from None
    key = (os.getcwd(), str(path), raw)
    if key not in _LOADED:
        if len(_LOADED) > 8:
            _LOADED.clear()
        _LOADED[key] = _parse_config(path, raw)
    return _LOADED[key]


def _parse_config(path: Path, raw: str) -> Edition:
    root_node = yamlsafe.compose(raw, str(path))
    if root_node is None:
        raise EditionError("edition.yaml is empty", path=str(path), hint="describe the edition and its sources")
    r = _Reader(path)
    top = r.mapping(root_node, TOP_KEYS, "edition.yaml")
    limits = _limits(r, top.get("limits"))
    with time_limit(limits.pattern_seconds):  # for the edition's own patterns, compiled below
        return _parse_edition(r, root_node, top, limits)


def _parse_edition(r: _Reader, root_node: yaml.Node, top: dict[str, yaml.Node], limits: Limits) -> Edition:
    path = r.path
    if "edition" not in top or "sources" not in top:
        raise r.fail(root_node, "edition.yaml needs both 'edition:' and 'sources:'")
    ed_node = top["edition"]
    ed = r.mapping(ed_node, EDITION_KEYS, "edition")
    licence = r.licence(ed.get("licence"))
    if licence is None:
        raise r.fail(ed_node, "the edition has no licence", "add 'licence: {name: …, url: …}'")
    root = path.parent
    sources: list[Source] = []
    src_node = top["sources"]
    if not isinstance(src_node, yaml.SequenceNode) or not src_node.value:
        raise r.fail(src_node, "'sources' must be a non-empty list")
    seen: set[str] = set()
    for item in src_node.value:
        keys = r.mapping(item, SOURCE_KEYS, "source")
        sid = r.ident(keys, item, "source")
        if sid in seen:
            raise r.fail(keys["id"], f"source id {sid!r} is used twice")
        seen.add(sid)
        if "layout" in keys and "profile" in keys:
            raise r.fail(keys["profile"], f"source {sid} has both 'profile:' and 'layout:'",
                         "keep 'layout:' ('profile:' is its old name)")
        layout_node = keys.get("layout", keys.get("profile"))
        layout: Any = "auto"
        if layout_node is not None:
            if isinstance(layout_node, yaml.ScalarNode) and "profile" in keys and \
                    layout_node.value not in preset_names():
                raise r.fail(layout_node, f"unknown profile {layout_node.value!r} for source {sid}",
                             f"use one of: {', '.join(preset_names())}, auto")
            layout = layout_from_node(layout_node, str(path))
        profile = layout if isinstance(layout, str) else layout.name
        if "collection" not in keys:
            raise r.fail(item, f"source {sid} lacks 'collection:'")
        cnode = keys["collection"]
        c = r.mapping(cnode, COLLECTION_KEYS, f"source {sid} collection")
        collection = Collection(
            title=r.required(c, "title", cnode, "collection"),
            subtitle=r.text(c.get("subtitle"), "subtitle"),
            editors=r.texts(c.get("editors"), "editors"),
            compilers=r.texts(c.get("compilers"), "compilers"),
            year=r.text(c.get("year"), "year"),
            publisher=r.text(c.get("publisher"), "publisher"),
            place=r.text(c.get("place"), "place"),
            based_on=r.text(c.get("based_on"), "based_on"),
        )
        sources.append(Source(
            id=sid, file=r.source_file(keys, item, sid, root), profile=profile,
            collection=collection, site=r.text(keys.get("site"), "site"),
            licence=r.licence(keys.get("licence")), url=r.url(keys.get("url"), "url"),
            notes=r.text(keys.get("notes"), "notes"), layout=layout,
        ))
    executor = _executor(r, top["executor"]) if "executor" in top else None
    contributors = r.contributors(ed.get("editors"))
    return Edition(
        id=r.ident(ed, ed_node, "edition"),
        title=r.required(ed, "title", ed_node, "edition"),
        subtitle=r.text(ed.get("subtitle"), "subtitle"),
        editors=tuple(c.name for c in contributors),
        contributors=contributors,
        publisher=r.required(ed, "publisher", ed_node, "edition"),
        licence=licence,
        introduction=r.text(ed.get("introduction"), "introduction"),
        principles=r.text(ed.get("principles"), "principles"),
        how_to_cite=r.text(ed.get("how_to_cite"), "how_to_cite"),
        year=r.text(ed.get("year"), "year"),
        url=r.url(ed.get("url"), "url"),
        contact=r.text(ed.get("contact"), "contact"),
        version=r.text(ed.get("version"), "version"),
        date=_iso_day(r, ed.get("date")),
        period=_period(r, ed.get("period")),
        document_types=_document_types(r, ed.get("document_types")),
        citation_shapes=_citation_shapes(r, ed.get("citations")),
        sources=tuple(sources),
        print=r.print_settings(top.get("print")),
        root=root,
        config_path=path,
        executor=executor,
        witnesses=read_rules(r, top.get("witnesses"), seen),
        limits=limits,
        web=_web(r, top.get("web")),
    )


def _web(r: _Reader, node: yaml.Node | None) -> WebSettings:
    if node is None:
        return WebSettings()
    keys = r.mapping(node, WEB_KEYS, "web")
    hints = {"page_size": "e.g. 'page_size: 500' (rows per page of the calendar and the other lists)",
             "filter_menu": "e.g. 'filter_menu: 100' (a search filter with more values is a text field)"}
    values: dict[str, int] = {}
    for key, hint in hints.items():
        text = r.text(keys.get(key), f"web.{key}")
        if text is None:
            continue
        if not _digits(text) or not 1 <= int(text) <= 100_000:
            raise r.fail(keys[key], f"web.{key} must be a whole number from 1 to 100000, not {text!r}", hint)
        values[key] = int(text)
    return WebSettings(**values)


def _limits(r: _Reader, node: yaml.Node | None) -> Limits:
    if node is None:
        return Limits()
    keys = r.mapping(node, LIMITS_KEYS, "limits")
    values: dict[str, int] = {}
    for key in sorted(keys):
        text = r.text(keys[key], f"limits.{key}")
        if text is None:
            continue
        if not _digits(text) or not 1 <= int(text) <= 1_000_000:
            raise r.fail(keys[key], f"limits.{key} must be a whole number, not {text!r}", f"e.g. '{key}: 300'")
        values[key] = int(text)
    return Limits(**values)


def _executor(r: _Reader, node: yaml.Node) -> ExecutorConfig:
    keys = r.mapping(node, EXECUTOR_KEYS, "executor")
    jobs_text = r.text(keys.get("jobs"), "jobs")
    if jobs_text is not None and (not _digits(jobs_text) or not 1 <= int(jobs_text) <= 100_000):
        raise r.fail(keys["jobs"], f"executor jobs must be a whole number of at least 1, not {jobs_text!r}")
    return ExecutorConfig(scheduler=r.text(keys.get("scheduler"), "scheduler"),
                          jobs=int(jobs_text) if jobs_text is not None else None)


def as_dict(value: Any) -> Any:
    """Plain data for reports (dataclasses → dicts)."""
    from dataclasses import asdict, is_dataclass

    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value
