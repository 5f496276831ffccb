"""Which schemas check a file, and compiling each of them once per run.

In this order: the schemas named on the command line (`--schema FILE|tei_all`), the edition's
configuration (the rule set "edition": schemas/edition.rng + edition.sch, or the files listed
under validate: schemas: in edition.yaml), or the file's own xml-model processing
instructions and xsi:schemaLocation, resolved relative to the file.  Nothing is fetched: a remote href whose file
name is that of a bundled schema (tei_all) uses the bundled copy; any other is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import xmlparse
from .grammar import Grammar, SchemaError
from .model import ERROR, WARNING, Finding
from .schematron import SCH_NS, Schematron, SchematronError
from .source import Source, display_path, safe_parser

PACKAGE_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
BUNDLED = {"tei_all": PACKAGE_SCHEMAS / "tei_all.rng"}
# remote file names that the bundled copies stand for (the TEI Consortium publishes tei_all
# in these forms; the grammar is the same)
BUNDLED_NAMES = {"tei_all.rng": "tei_all", "tei_all.rnc": "tei_all", "tei_all.xsd": "tei_all"}
RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
RNC_TYPE = "application/relax-ng-compact-syntax"
SCHEMATRON_SUFFIXES = (".sch", ".isosch", ".schematron")

Checker = Grammar | Schematron


@dataclass
class Schemas:
    """The edition's own rule set: its grammar (with messages for editors) and its house rules."""

    folder: Path
    grammar: Grammar
    schematron: Schematron

    @classmethod
    def load(cls, folder: Path) -> Schemas:
        rng, sch = folder / "edition.rng", folder / "edition.sch"
        for p in (rng, sch):
            if not p.is_file():
                raise SchemaError(f"{display_path(p)}: the schema is missing; pass --schemas FOLDER "
                                  "or run the command from the project root")
        try:
            return cls(folder, Grammar.load(rng, edition=True), Schematron.load(sch))
        except SchematronError as exc:
            raise SchemaError(str(exc)) from None

    # the names other stages and tests know
    @property
    def relaxng(self) -> etree.RelaxNG | etree.XMLSchema:
        return self.grammar.validator

    @property
    def values(self) -> dict[tuple[str, str], list[str]]:
        return self.grammar.values

    @property
    def elements(self) -> dict:  # type: ignore[type-arg]
        return self.grammar.elements


def resolve_spec(spec: str, base: Path | None = None) -> Path:
    """A --schema value: the name of a bundled schema, or a file (relative to `base`)."""
    if spec in BUNDLED:
        return BUNDLED[spec]
    path = Path(spec)
    if base is not None and not path.is_absolute():
        path = base / path
    return path


def kind_of(path: Path, schematypens: str | None = None, mime: str | None = None) -> str:
    """'schematron' or 'grammar' for a schema file."""
    if schematypens == SCH_NS:
        return "schematron"
    if schematypens in (RNG_NS, XSD_NS) or mime == RNC_TYPE:
        return "grammar"
    if path.suffix.lower() in SCHEMATRON_SUFFIXES:
        return "schematron"
    if path.suffix.lower() in (".rng", ".rnc", ".xsd"):
        return "grammar"
    try:
        root = xmlparse.parse_path(path, safe_parser()).getroot()
    except (OSError, etree.XMLSyntaxError):
        return "grammar"
    return "schematron" if root.tag == f"{{{SCH_NS}}}schema" else "grammar"


@dataclass
class Catalog:
    """The schemas compiled in this run, each once, by file, kind and phase."""

    phase: str | None = None
    compiled: dict[tuple[Path, str], Checker] = field(default_factory=dict)
    broken: dict[tuple[Path, str], str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()  # the element names of the run's files (for large grammars)

    def get(self, path: Path, kind: str) -> Checker:
        """Compiles (once) or raises SchemaError."""
        key = (path.resolve(), kind)
        if key in self.broken:
            raise SchemaError(self.broken[key])
        if key not in self.compiled:
            try:
                if kind == "schematron":
                    self.compiled[key] = Schematron.load(path, phase=self.phase)
                else:
                    grammar = Grammar.load(path)
                    grammar.prepare(self.names)
                    if grammar.xsd is None:
                        grammar.validator  # noqa: B018 - compile now: a broken grammar is reported here
                    self.compiled[key] = grammar
            except (SchemaError, SchematronError) as exc:
                self.broken[key] = str(exc)
                raise SchemaError(str(exc)) from None
        return self.compiled[key]

    def named(self, specs: Iterable[str], base: Path | None = None) -> list[Checker]:
        """The schemas given by name or file (command line, configuration); raises SchemaError."""
        out: list[Checker] = []
        for spec in specs:
            path = resolve_spec(spec, base)
            if not path.is_file():
                from ..guard import kind_of as what_is  # not the schema kind_of of this module

                kind = what_is(path)
                kind = "no such schema file" if kind == "no such file or folder" else f"{kind}, not a schema file"
                raise SchemaError(f"{spec}: {kind} (give a .rng, .rnc, .xsd or .sch file, or tei_all)")
            out.append(self.get(path, kind_of(path)))
        return out

    def declared(self, src: Source) -> tuple[list[Checker], list[Finding]]:
        """The schemas a file names in its xml-model processing instructions and, for W3C XML
        Schema, in xsi:schemaLocation or xsi:noNamespaceSchemaLocation on its root."""
        checkers: list[Checker] = []
        findings: list[Finding] = []
        named = [(*model, "xml-model") for model in xml_models(src)]
        named += [(*location, "xsi:schemaLocation") for location in schema_locations(src)]
        for line, href, ns, mime, via in named:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "ftp"):
                bundled = BUNDLED_NAMES.get(Path(unquote(parts.path)).name)
                if bundled is None:
                    # an xml-model asks for validation; an xsi:schemaLocation is often a label
                    severity = ERROR if via == "xml-model" else WARNING
                    findings.append(Finding(src.display, line, 1, severity,
                                            f'the {via} names the remote schema "{href}", which is not '
                                            f"fetched. Keep a copy of it in the repository and point the {via} "
                                            "(or --schema) to the copy.", "schema-remote"))
                    continue
                path = BUNDLED[bundled]
                ns, mime = (ns if ns == SCH_NS else RNG_NS), None
            elif parts.scheme not in ("", "file"):
                findings.append(Finding(src.display, line, 1, ERROR,
                                        f'the {via} "{href}" is not a file this tool can read.',
                                        "schema-remote"))
                continue
            else:
                path = (src.path.resolve().parent / unquote(parts.path)).resolve()
            if not path.is_file():
                findings.append(Finding(src.display, line, 1, ERROR,
                                        f'the {via} "{href}" does not lead to a file from here '
                                        f"(looked for {display_path(path)}). Correct the relative path.",
                                        "xml-model"))
                continue
            try:
                checker = self.get(path, kind_of(path, ns, mime))
                if checker not in checkers:  # named by both an xml-model and xsi:schemaLocation
                    checkers.append(checker)
            except SchemaError as exc:
                findings.append(Finding(src.display, line, 1, ERROR,
                                        f"the schema this file names cannot be used: {exc}", "schema-error"))
        return checkers, findings


def xml_models(src: Source) -> list[tuple[int, str, str | None, str | None]]:
    """(line, href, schematypens, type) of each xml-model before the root."""
    out: list[tuple[int, str, str | None, str | None]] = []
    node = src.tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            href = node.get("href")
            if href:
                line = int(getattr(node, "sourceline", None) or 1)
                out.append((line, href, node.get("schematypens"), node.get("type")))
        node = node.getprevious()
    out.reverse()
    return out


def schema_locations(src: Source) -> list[tuple[int, str, str | None, str | None]]:
    """(line, href, XML Schema namespace, None) for the root's xsi:schemaLocation (namespace
    and location pairs; only the TEI namespace's and unqualified ones are this file's own) and
    xsi:noNamespaceSchemaLocation."""
    root = src.tree.getroot()
    line = root.sourceline if isinstance(root.sourceline, int) else 1
    out: list[tuple[int, str, str | None, str | None]] = []
    words = (root.get(f"{{{XSI_NS}}}schemaLocation") or "").split()
    for namespace, location in zip(words[::2], words[1::2], strict=False):
        if namespace == etree.QName(root).namespace:
            out.append((line, location, XSD_NS, None))
    plain = root.get(f"{{{XSI_NS}}}noNamespaceSchemaLocation")
    if plain and plain.strip() and etree.QName(root).namespace is None:
        out.append((line, plain.strip(), XSD_NS, None))
    return out


def edition_folder(explicit: str | None, roots: Iterable[Path]) -> Path:
    """--schemas, else schemas/ of the project that holds the files, else beside this package."""
    if explicit:
        return Path(explicit)
    for start in roots:
        for folder in [start.resolve(), *start.resolve().parents]:
            if (folder / "schemas" / "edition.rng").is_file():
                return folder / "schemas"
    return PACKAGE_SCHEMAS


__all__ = ["Schemas", "Catalog", "SchemaError", "edition_folder", "safe_parser"]
