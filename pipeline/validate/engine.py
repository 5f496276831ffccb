"""One validation run: which checks apply to each file, running them, the rules across files."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import EditionError
from ..saxon_run import SaxonLimits
from ..yamlsafe import check_shape
from .crossfile import Facts, Summary, edition_findings, file_findings, generic_findings, open_edition
from .grammar import SchemaError
from .model import ERROR, WARNING, Finding, Report
from .schemas import PACKAGE_SCHEMAS, Catalog, Checker, Schemas, edition_folder
from .schematron import Schematron, use_limits
from .source import Source, collect, display_path, read, safe_parser

if TYPE_CHECKING:
    from .memo import FindingsMemo

RULE_SETS = ("edition",)
CONFIG_KEYS = {"rules", "disable", "schemas", "phase"}
CACHE = Path("out") / ".cache" / "validate-index.json"  # caches live in out/, as outputs do


@dataclass
class Options:
    """What a run checks, from the command line and the configuration."""

    schemas: list[str] = field(default_factory=list)  # --schema (files or bundled names)
    schema_base: Path | None = None  # where relative schema files in the configuration live
    edition: Schemas | None = None  # the rule set "edition", when it is on
    disabled: set[str] = field(default_factory=set)
    phase: str | None = None
    tree: Path | None = None  # every file below is considered by the rules across files
    cache: Path | None = None
    saxon: SaxonLimits = field(default_factory=SaxonLimits)  # the XSLT 2/3 Schematron's (edition.yaml limits:)


class ConfigError(Exception):
    """The validate: section of the configuration is wrong (exit status 2)."""


def read_limits(path: Path) -> SaxonLimits:
    """The Saxon limits of edition.yaml's `limits:` (the defaults where it has none, or
    where a value is not a whole number from 1 to 1,000,000: the other commands name it)."""
    try:
        raw = path.read_text(encoding="utf-8") if path.is_file() else ""
        check_shape(raw, display_path(path))
        data = yaml.safe_load(raw)
    except (OSError, ValueError, yaml.YAMLError, EditionError):
        return SaxonLimits()
    limits = data.get("limits") if isinstance(data, dict) else None
    if not isinstance(limits, dict):
        return SaxonLimits()
    values = {key: limits[f"saxon_{key}"] for key in ("seconds", "megabytes")
              if type(limits.get(f"saxon_{key}")) is int and 1 <= limits[f"saxon_{key}"] <= 1_000_000}
    return SaxonLimits(**values)


def read_config(path: Path | None) -> dict[str, Any]:
    """The validate: section of edition.yaml ({} when there is none)."""
    if path is None or not path.is_file():
        return {}
    try:
        raw = path.read_text(encoding="utf-8")
        check_shape(raw, display_path(path))  # no alias, no deep nesting (as the edition's reader)
        data = yaml.safe_load(raw) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{display_path(path)}: cannot read: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{display_path(path)}: cannot read: not UTF-8 text (byte {exc.start})") from None
    except EditionError as exc:
        line = f":{exc.line}" if exc.line else ""
        raise ConfigError(f"{display_path(path)}{line}: {exc.message} ({exc.hint})") from None
    section = data.get("validate") if isinstance(data, dict) else None
    if section is None:
        return {}
    if not isinstance(section, dict) or set(section) - CONFIG_KEYS:
        unknown = sorted(set(section) - CONFIG_KEYS) if isinstance(section, dict) else []
        raise ConfigError(f"{display_path(path)}: validate: takes the keys {', '.join(sorted(CONFIG_KEYS))}"
                          + (f" (not {', '.join(unknown)})" if unknown else ""))
    for key in ("rules", "disable", "schemas"):
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{display_path(path)}: validate: {key}: must be a list of names")
    bad = [r for r in section.get("rules", []) if r not in RULE_SETS]
    if bad:
        raise ConfigError(f"{display_path(path)}: validate: rules: unknown rule set {', '.join(bad)} "
                          f"(known: {', '.join(RULE_SETS)})")
    return section


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the current folder) with edition.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "edition.yaml").is_file():
            return folder
    return here


def checkers_for(src: Source, options: Options, catalog: Catalog) -> tuple[list[Checker], list[Finding]]:
    if options.schemas:
        return catalog.named(options.schemas, options.schema_base), []
    if options.edition is not None:
        return [], []
    checkers, findings = catalog.declared(src)
    if not checkers and not findings:
        findings.append(Finding(src.display, 1, 1, WARNING,
                                "no schema checks this file: it names none in an xml-model processing "
                                "instruction and none was given (--schema FILE or tei_all). Only well-formedness "
                                "and the pointers were checked.", "no-schema"))
    return checkers, findings


def check_file(src: Source, options: Options, catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    edition = options.edition
    if edition is not None and not options.schemas:
        sch = edition.schematron.findings(src)
        rng = edition.grammar.findings(src, house_errors=any(f.severity == ERROR for f in sch))
        out.extend(drop_superseded(rng, sch))
        out.extend(sch)
        return out
    checkers, found = checkers_for(src, options, catalog)
    out.extend(found)
    for checker in checkers:
        if isinstance(checker, Schematron):
            out.extend(checker.findings(src))
        else:
            out.extend(checker.findings(src))
    return out


def drop_superseded(rng: list[Finding], sch: list[Finding]) -> list[Finding]:
    """A bad date is reported by the Schematron rule date-iso with a precise message: drop
    the RelaxNG datatype error on the same element."""
    dated = {(f.line, f.column) for f in sch if f.rule == "date-iso"}
    return [f for f in rng if not ((f.line, f.column) in dated and "W3C date" in f.message)]


def validate_files(files: Sequence[Path], schemas: Schemas | None = None, *, options: Options | None = None,
                   catalog: Catalog | None = None, memo: FindingsMemo | None = None) -> Report:
    """Validates the given files (already collected) and the rules across them.  With
    `schemas` (the edition's), the edition's rule set is on. With `memo` (`edition build`,
    the edition's rule set), a file's own findings are taken from the last build when
    neither it nor what they depend on changed.

    With the edition's schemas only, the files are read one at a time: of each, the rules
    across files keep its facts (ids, number, source lines: crossfile.Facts), not its tree,
    and a file whose findings are remembered is not read at all. Other schemas are
    compiled for the element names in use, so every file is read first (and kept)."""
    options = options or Options()
    if schemas is not None:
        options.edition = schemas
    use_limits(options.saxon)
    catalog = catalog or Catalog(phase=options.phase)
    parser = safe_parser()
    report = Report(files=[display_path(f) for f in files], started=time.time())
    house = options.edition is not None
    parsed: dict[Path, tuple[Source | None, list[Finding], float]] = {}
    if not house or options.schemas:
        names: set[str] = set()
        for path in files:
            began = time.perf_counter()
            src, problems = read(path, parser)
            if src is not None:
                names.update(str(el.tag) for el in src.elements())
            parsed[path] = (src, problems, time.perf_counter() - began)
        catalog.names = frozenset(names)  # a large grammar is compiled once, for the names in use
        if options.schemas:
            catalog.named(options.schemas, options.schema_base)  # compile errors before any file: exit 2
        memo = None
    edition = open_edition({path.resolve() for path in files}, parser, options.tree if house else None,
                           options.cache if house else None)
    known: dict[Path, tuple[list[Finding], Facts | None] | None] = {}
    if memo is not None:
        known = {path: memo.get(path) for path in files}
        todo = [(path, display_path(path)) for path in files if known[path] is None]
        if memo.executor is not None and len(todo) > 1:  # found on the build's worker processes
            known.update(memo.compute(todo))
    sources: dict[Path, Source] = {}
    for path in files:
        began = time.perf_counter()
        remembered = known.get(path)
        if remembered is not None:  # the file's own findings and facts, not read again
            found, facts = remembered
            report.findings.extend(found)
            if facts is not None:
                edition.facts.append(facts)
            seconds = 0.0
        else:
            src, problems, seconds = parsed[path] if path in parsed else (*read(path, parser), 0.0)
            report.findings.extend(problems)
            if src is not None:
                own = check_file(src, options, catalog)
                report.findings.extend(own)
                key = path.resolve()
                if not house:
                    sources[key] = src
                else:
                    edition.check(key, src)
                    edition.touched = set()
                    found = list(file_findings(src, edition))
                    report.findings.extend(found)
                    facts = Facts.of(src)
                    edition.facts.append(facts)
                    if memo is not None:
                        memo.put(src.path, own + found, edition.touched, facts)
                    if edition.index is not None:
                        edition.index.remember(key, Summary.of(src))
                    edition.touched = None
                    edition.check(key, None)
            parsed.pop(path, None)
        shown = display_path(path)
        report.seconds[shown] = report.seconds.get(shown, 0.0) + seconds + time.perf_counter() - began
    began = time.perf_counter()
    if house:
        report.findings.extend(edition_findings(edition))
        if memo is not None:
            memo.save()
    else:
        edition.sources = sources
        report.findings.extend(generic_findings(edition))
    if edition.index is not None:
        edition.index.save()
    shared = (time.perf_counter() - began) / max(len(files), 1)
    for name in report.seconds:
        report.seconds[name] += shared
    if options.disabled:
        report.findings = [f for f in report.findings if f.rule not in options.disabled]
    return report


def plan(targets: Sequence[Path], *, schema_specs: Sequence[str] = (), schemas_dir: str | None = None,
         rules: Sequence[str] | None = None, disabled: Sequence[str] = (), phase: str | None = None,
         config: Path | None = None) -> Options:
    """The options of a run from the command line and the configuration (edition.yaml at or
    above the files).  Raises SchemaError or ConfigError."""
    start = targets[0] if targets else Path.cwd()
    root = project_root(config.resolve().parent if config is not None and config.is_file()
                        else (start if start.is_dir() else start.parent))
    section = read_config(root / "edition.yaml")
    options = Options(schemas=list(schema_specs), phase=phase or section.get("phase"),
                      disabled=set(section.get("disable", [])) | set(disabled),
                      saxon=read_limits(root / "edition.yaml"))
    if not options.schemas and section.get("schemas"):
        options.schemas = list(section["schemas"])
        options.schema_base = root
    if rules is not None:
        wanted = [r for r in rules if r != "none"]
    elif "rules" in section:
        wanted = list(section["rules"])
    elif schemas_dir is not None:
        wanted = ["edition"]
    elif schema_specs:
        wanted = []
    else:  # the converter's layout: files under tei/, the edition's schemas beside it in schemas/
        folder = edition_folder(None, [*targets, root])
        tei = folder.parent.resolve() / "tei"
        inside = all(t.resolve() == tei or tei in t.resolve().parents for t in targets)
        wanted = ["edition"] if folder != PACKAGE_SCHEMAS and (folder / "edition.sch").is_file() and inside else []
    if "edition" in wanted:
        folder = edition_folder(schemas_dir, [*targets, root])
        options.edition = Schemas.load(folder)
        project = folder.parent if schemas_dir is None else root
        if (project / "tei").is_dir():
            options.tree = project / "tei"
            options.cache = project / CACHE
    return options


def validate_paths(paths: Sequence[str | Path] = (), *, schemas_dir: str | Path | None = None,
                   schema_specs: Sequence[str] = (), rules: Sequence[str] | None = None) -> Report:
    """The whole validation as a function for other stages (`edition build`): files and
    folders (default: tei/ of the project) → Report.  Raises SchemaError, FileNotFoundError."""
    targets = [Path(p) for p in paths] or [project_root() / "tei"]
    files, missing = collect(targets)
    if missing:
        from ..guard import unusable

        raise FileNotFoundError(unusable(missing, wanted="TEI files (.xml) or folders that hold them").message)
    options = plan(targets, schema_specs=schema_specs, schemas_dir=str(schemas_dir) if schemas_dir else None,
                   rules=rules)
    return validate_files(files, options=options)


__all__ = ["Options", "ConfigError", "SchemaError", "plan", "validate_files", "validate_paths", "project_root"]
