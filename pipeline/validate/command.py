"""`edition validate` on the command line (and `python -m pipeline.validate`)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import ConfigError, Options, plan, project_root, validate_files
from .formats import FORMATS, render, summary
from .grammar import SchemaError
from .source import collect, display_path

if TYPE_CHECKING:
    from ..build.cache import BuildCache
    from ..build.runner import BuildContext
    from .memo import FindingsMemo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="TEI files or folders to check (default: tei/ of the project)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, junit (JUnit XML), github (Actions annotations) or sarif")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--schema", action="append", default=[], metavar="FILE|tei_all",
                        help="check against this schema (RelaxNG .rng/.rnc, XML Schema .xsd or ISO Schematron "
                             ".sch; tei_all = the bundled TEI P5 tei_all.rng); repeatable. Default: the "
                             "edition's configuration, else each file's xml-model processing instructions")
    parser.add_argument("--rules", action="append", metavar="NAME",
                        help="rule set to apply: edition (the house rules of an edition made with this toolkit) "
                             "or none; default: the configuration, or edition when schemas/edition.rng lies "
                             "beside the files")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE",
                        help="switch off a rule by its id (the id in brackets after a message); repeatable")
    parser.add_argument("--phase", metavar="PHASE", help="Schematron phase to run (default: the schema's)")
    parser.add_argument("--schemas", metavar="FOLDER",
                        help="folder with the edition's edition.rng and edition.sch (turns on the edition's rules)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 1)")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds `validate` to the `edition` command (the caller adds --config and --quiet)."""
    parser = subparsers.add_parser(
        "validate", help="check TEI files against their schemas, Schematron and the rules across files",
        description="Check TEI files against RelaxNG / XML Schema grammars, ISO Schematron (XSLT 1, 2 or 3) and "
                    "the rules across files (pointers, ids). Works on any TEI: the schemas come from --schema, "
                    "the edition's configuration or each file's xml-model. "
                    "Exit status: 0 valid, 1 invalid, 2 usage or I/O error.")
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def _memo(cache: BuildCache | None, files: list[Path], options: Options, context: BuildContext | None
          ) -> FindingsMemo | None:
    if cache is None or options.edition is None or options.schemas:
        return None
    from .memo import memo_for

    executor = context.executor if context is not None else None
    progress = context.progress("validate", len(files)) if context is not None and executor is not None \
        and executor.jobs > 1 else None
    return memo_for(cache, files, options.edition.folder, options.tree, options.phase, executor, progress,
                    limits=options.saxon)


def _write(output: str, text: str) -> None:
    """Atomically: a temporary file beside the target, renamed into place."""
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent.resolve()))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace, cache: BuildCache | None = None, context: BuildContext | None = None) -> int:
    """Runs `edition validate`; returns the exit status. With the build's `cache`, each
    file's own findings are remembered from one build to the next (pipeline/validate/memo.py)."""
    fmt = getattr(args, "format", "text") or "text"
    quiet = bool(getattr(args, "quiet", False))
    paths = [Path(p) for p in getattr(args, "paths", None) or []]
    config_arg = getattr(args, "config", None)
    config = Path(config_arg) if config_arg and Path(config_arg).is_file() else None
    root = project_root(config.resolve().parent if config else None)
    targets = paths or [root / "tei"]
    files, missing = collect(targets)
    if missing:
        from ..guard import unusable

        error = unusable(missing, wanted="TEI files (.xml) or folders that hold them")
        print(f"edition validate: {error}", file=sys.stderr)
        return 2
    if not files:
        print(f"edition validate: error: no .xml files in {', '.join(display_path(t) for t in targets)}",
              file=sys.stderr)
        return 2
    try:
        options = plan(targets, schema_specs=getattr(args, "schema", None) or [],
                       schemas_dir=getattr(args, "schemas", None), rules=getattr(args, "rules", None),
                       disabled=getattr(args, "disable", None) or [], phase=getattr(args, "phase", None),
                       config=config)
        memo = _memo(cache, files, options, context)
        report = validate_files(files, options=options, memo=memo)
        if memo is not None and memo.progress is not None:
            memo.progress.finish()
    except (SchemaError, ConfigError) as exc:
        print(f"edition validate: error: {exc}", file=sys.stderr)
        return 2
    text = render(report, fmt, quiet=quiet)
    output = getattr(args, "output", None)
    if output:
        try:
            _write(output, text)
        except OSError as exc:
            print(f"edition validate: error: cannot write {output}: {exc.strerror}", file=sys.stderr)
            return 2
        if fmt != "text" or not quiet:
            print(summary(report), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return report.exit_code(strict=bool(getattr(args, "strict", False)))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pipeline.validate` (the same as `edition validate`)."""
    parser = argparse.ArgumentParser(prog="edition validate")
    add_arguments(parser)
    parser.add_argument("--config", default="edition.yaml", help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    return run(args)


def build(args: argparse.Namespace) -> int:
    """The validation step of `edition build`: the whole tei/ folder; a failing report stops the build."""
    vargs = argparse.Namespace(paths=[], format="text", quiet=getattr(args, "quiet", False),
                               config=getattr(args, "config", None), output=None, schemas=None, strict=False,
                               schema=[], rules=None, disable=[], phase=None)
    from ..build.runner import context_of

    ctx = context_of(args)
    code = run(vargs, ctx.cache if ctx is not None else None, ctx)
    if code != 0:
        print("edition build: stopped: the edition is not valid (see the report above)", file=sys.stderr)
    return code
