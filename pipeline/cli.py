"""The `edition` command: one subcommand per stage, plus `build` that runs them in order."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from . import __version__
from .errors import EditionError


def _convert(args: argparse.Namespace) -> int:
    from .convert import run_convert

    return run_convert(Path(args.config), args.sources, force=args.force, diff=args.diff, quiet=args.quiet)


# The stages after conversion, in build order. Each is a module with
# `add_parser(subparsers)` (its own subcommand) and `build(args) -> int` (its part of
# `edition build`); a stage whose module does not exist yet is simply not offered.
# pdf before html: the web edition links the print volumes into the site.
STAGES = ("link", "validate", "pdf", "html", "deposit")


def _stage_names() -> list[str]:
    """The stages whose module exists (found without importing it: the stages' modules
    load lxml, Saxon, Typst …, which a build that finds everything up to date never needs)."""
    return [name for name in STAGES if importlib.util.find_spec(f"pipeline.{name}") is not None]


def _stage_modules(names: Sequence[str] | None = None) -> list[ModuleType]:
    return [importlib.import_module(f"pipeline.{name}") for name in (_stage_names() if names is None else names)]


def _stage_build(name: str) -> Callable[[argparse.Namespace], int]:
    """The stage's part of `edition build`, its module imported when the stage runs."""

    def run(args: argparse.Namespace) -> int:
        build: Callable[[argparse.Namespace], int] = importlib.import_module(f"pipeline.{name}").build
        return build(args)

    return run


def _convert_for_build(args: argparse.Namespace) -> int:
    from .convert import run_convert

    return run_convert(Path(args.config), [], force=args.force, diff=False, quiet=args.quiet, keep_edited=True,
                       context=getattr(args, "build_context", None))


def _build(args: argparse.Namespace) -> int:
    from .build.runner import run_build

    stages: list[tuple[str, Callable[[argparse.Namespace], int]]] = [("convert", _convert_for_build)]
    stages += [(name, _stage_build(name)) for name in _stage_names()]
    return run_build(args, stages)


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of jobs: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("at least 1 job")
    return n


READ_ONLY = {"validate", "inspect"}  # commands that write nothing of the project's and need no lock
SIZE_LIMITED = {"link", "html", "pdf", "deposit", "build"}  # commands that leave out a TEI file too big for them


def _check_sizes(args: argparse.Namespace) -> int:
    """A TEI file over the edition's size limit (pipeline/limits.py) is named here, one
    error line each, before the stage reads anything; `link`, `html` and `pdf` then leave it
    out and process the others (the number of files left out is returned: the command
    ends with exit code 1), `deposit` (and `build --deposit`), which needs every file,
    refuses at once. A configuration that cannot be read is left to the stage to report."""
    if args.command not in SIZE_LIMITED:
        return 0
    from .config import Limits, load_config
    from .limits import oversized, size_error

    config = Path(getattr(args, "config", "edition.yaml"))
    paths = [Path(p) for p in getattr(args, "paths", None) or []]
    megabytes = Limits().tei_megabytes  # files named on the command line: no configuration (pipeline/anytei.py)
    if config.is_file() and not paths:
        try:
            edition = load_config(config)
        except EditionError:
            return 0
        megabytes = edition.limits.tei_megabytes
        paths = [edition.root / "tei"]
    root = config.resolve().parent if config.is_file() else None
    found = oversized([p for p in paths if p.exists()], megabytes)
    whole = args.command == "deposit" or getattr(args, "deposit", False) is True
    for file, size in found:
        error = size_error(file, size, megabytes, f"edition {args.command}", root=root, skipped=not whole)
        if whole:
            raise error
        print(f"edition: {error}", file=sys.stderr)
    return len(found)


def _check_folders(args: argparse.Namespace) -> None:
    """tei/ and out/ lead nowhere outside the project, and hold no pipe (pipeline/guard.py)."""
    config = Path(getattr(args, "config", "edition.yaml"))
    if config.is_file():
        from .guard import check_project

        check_project(config.resolve().parent)


def _lock(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The project's lock for a command that writes (see pipeline/lock.py)."""
    config = Path(getattr(args, "config", "edition.yaml"))
    if args.command in READ_ONLY or not config.is_file():
        return contextlib.nullcontext()
    from .lock import project_lock

    return project_lock(config.resolve().parent, args.command)


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the first word that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the `edition` command. With `command` (the subcommand on the command
    line), the other stages' modules are not imported: their subcommands are then offered
    without their own options, which parsing that command never needs."""
    parser = argparse.ArgumentParser(
        prog="edition",
        description="Turn raw texts of historical document collections into a TEI P5 edition, "
                    "validate it, and publish it.",
    )
    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    conv = sub.add_parser("convert", help="convert the raw sources into TEI under tei/")
    conv.add_argument("sources", nargs="*", metavar="SOURCE",
                      help="source ids or file names from edition.yaml (default: all)")
    conv.add_argument("--force", action="store_true", help="overwrite TEI files that were edited by hand")
    conv.add_argument("--diff", action="store_true",
                      help="show how hand-edited files differ from what the converter would write")
    conv.set_defaults(func=_convert)

    build = sub.add_parser("build", help="run every stage: convert, link, validate, pdf, html (and deposit)")
    build.add_argument("--force", action="store_true", help="overwrite TEI files that were edited by hand")
    build.add_argument("--draft", action="store_true", help="show the converter's review flags in the outputs")
    build.add_argument("--deposit", action="store_true", help="also write the archival deposit package")
    build.add_argument("--clean", action="store_true",
                       help="forget what earlier builds made (out/.cache) and remake every product")
    build.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                       help="worker processes for the per-document work (default: the machine's cores)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the per-document work on the Dask cluster whose scheduler is at ADDRESS "
                            "(tcp://host:8786); see docs/scaling.md")
    build.add_argument("--no-pdf", action="store_true", help="leave the print edition out of this build")
    build.add_argument("--timings", action="store_true", help=argparse.SUPPRESS)
    build.set_defaults(func=_build)

    names = [n for n in _stage_names() if command is None or n == command]
    for module in _stage_modules(names):
        module.add_parser(sub)
    if command is None or command == "inspect":
        from . import inspect

        inspect.add_parser(sub)

    for p in sub.choices.values():
        p.add_argument("--config", default="edition.yaml", help="the edition's configuration (default: %(default)s)")
        p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM: ends the run as Ctrl-C does (temporary files removed, exit code 143)."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """The command; SIGTERM ends it as Ctrl-C does (the caller's handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _standard_streams() -> None:
    """A standard stream closed by the caller (`edition build >&-`) becomes /dev/null: the
    output goes nowhere, and no file this run opens can take its number (a child process
    would otherwise write into it). Output the streams' encoding cannot hold is escaped."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115
    # A terminal or pipe whose encoding cannot hold every character (LC_ALL=C with
    # PYTHONIOENCODING=ascii, a legacy console): a heading's dash or a path's letter is
    # printed as an escape (\u2013), not a UnicodeEncodeError that ends the command.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and str(getattr(stream, "encoding", "utf-8")).lower().replace("-", "") != "utf8":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _standard_streams()
    command = _command_of(argv)
    parser = build_parser(command if command in ("convert", "build", "inspect", *STAGES) else None)
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        _check_folders(args)
        left_out = _check_sizes(args)
        with _lock(args):
            code = func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return max(code, 1) if left_out or getattr(args, "left_out", 0) else code
    except EditionError as exc:
        print(f"edition: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print("edition: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:
        # the reader of our output went away (`edition validate | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"edition: {where}error: {exc.strerror or exc} (check the free disk space and the permissions)",
              file=sys.stderr)
        return 2
    except (RecursionError, MemoryError) as exc:
        print(f"edition: error: the input is too large or too deeply nested to process ({type(exc).__name__})",
              file=sys.stderr)
        return 1
    except Exception as exc:  # the last net: a bug, but never a traceback for the user
        if os.environ.get("EDITION_DEBUG"):
            raise
        print(f"edition: internal error: {type(exc).__name__}: {str(exc)[:300]} (please report it with the "
              "command and the input; EDITION_DEBUG=1 shows where)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
