"""`edition deposit` (and `edition build --deposit`): the package for archives.

Writes `out/deposit/`:

    <edition-id>/        a BagIt bag (RFC 8493, BagIt 1.0) made with the `bagit` package:
                         sha256 and sha512 manifests and tag manifests, bag-info.txt
      data/README.txt    for the archive: what the files are, principles, licence, how to validate
      data/tei/…         every TEI file of the edition (edition.xml, registers, documents)
      data/schemas/…     edition.rng, edition.sch (and edition.rnc, the grammar's readable source)
      data/sources/…     the raw texts the documents point to (ref type="origin")
      data/documentation/encoding.md   the encoding contract
      data/cmif.xml      the correspondence as CMIF (pipeline/cmif.py)
    <edition-id>.zip     the same bag as one deterministic zip

Rules it keeps:

- it refuses an invalid edition: the whole validation (pipeline/validate.py) runs first and
  its report is printed; nothing is packaged (exit status 1);
- every deposited TEI file must carry the edition's licence in
  publicationStmt/availability (edition.yaml): an archive needs the licence in each file;
- the xml-model processing instructions of the bag's copies point to the bag's own
  schemas by relative path (the files under tei/ are never touched);
- nothing half-written: the package is built in a temporary folder beside out/deposit,
  checked with bagit's own validator, and then renamed into place;
- reproducible: the Bagging-Date, the CMIF timestamp, the files' times and the zip's entry
  times all come from one moment: --bagging-date, else SOURCE_DATE_EPOCH, else today
  (midnight UTC), so the same edition packaged on the same day gives the same bytes.

`edition deposit --verify PATH` re-checks a bag folder or its zip later: bag completeness
and every checksum (bagit), every TEI file against the bag's own schemas, and the CMIF rules.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import textwrap
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

import bagit
from lxml import etree

from . import __version__, xmlparse
from .cmif import CMIF_FILE, CMIF_LICENCE_URL, build_cmif, check_cmif
from .config import Edition, load_config, source_date_epoch
from .errors import EditionError
from .tei import text_of
from .validate import (
    NS,
    Report,
    SchemaError,
    Schemas,
    collect,
    find_schemas,
    format_text,
    summary,
    validate_files,
)
from .write import OUTPUT_MARKER, check_out_option, copy_file, output_marker, replace_dir, write_atomic, write_file

if TYPE_CHECKING:
    from .build.cache import BuildCache

# bagit logs each failed check as a warning; with no handler Python would print them raw
# on stderr beside our own report. Applications that configure logging still get them.
logging.getLogger("bagit").addHandler(logging.NullHandler())

CHECKSUMS = ("sha256", "sha512")
# bagit.py writes "BagIt-Version: 0.97"; RFC 8493 is BagIt 1.0, whose rules the bag
# already follows (UTF-8 tag files, Payload-Oxum, tag manifests), so the version is raised.
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
SCHEMA_FILES = ("edition.rng", "edition.sch", "edition.rnc")
ZIP_MIN = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry
ZIP_MAX = datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)  # and the latest
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
# A zip to verify is refused beyond these: it is someone else's file.
MAX_UNZIPPED = 2 * 1024**3
MAX_MEMBERS = 100_000


class DepositRefused(EditionError):
    """The edition is not fit to deposit; `report` holds the validation findings, if any."""

    def __init__(self, message: str, *, report: Report | None = None, hint: str | None = None,
                 exit_code: int = 1) -> None:
        super().__init__(message, hint=hint, exit_code=exit_code)
        self.report = report


@dataclass
class Deposit:
    """What a packaging run wrote."""

    bag: Path
    zip: Path
    payload_files: int
    payload_bytes: int
    bag_bytes: int
    zip_bytes: int
    documents: int
    letters: int
    bagging_date: str
    warnings: int = 0
    seconds: float = 0.0


@dataclass
class Verification:
    """What `--verify` found."""

    path: Path
    problems: list[str] = field(default_factory=list)
    payload_files: int = 0
    tei_files: int = 0
    letters: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------- the moment


def bagging_time(option: str | None = None, environ: Mapping[str, str] | None = None) -> datetime:
    """The one moment the package is dated with (UTC): --bagging-date YYYY-MM-DD, else
    SOURCE_DATE_EPOCH (the reproducible-builds convention), else today at midnight."""
    if option:
        try:
            day = date.fromisoformat(option)
        except ValueError:
            raise EditionError(f"--bagging-date {option!r} is not a date", hint="write it as YYYY-MM-DD",
                               exit_code=2) from None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC)
    today = datetime.now(UTC)
    return datetime(today.year, today.month, today.day, tzinfo=UTC)


# ---------------------------------------------------------------------------- CLI


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds `deposit` to the `edition` command (the caller adds --config and --quiet)."""
    parser = subparsers.add_parser(
        "deposit", help="write the archival deposit: a BagIt bag of the valid TEI, its zip and a CMIF file",
        description="Package the edition for an archive (out/deposit/): a BagIt bag with every TEI file, the "
                    "schemas, the raw sources, a README and a CMIF file of the correspondence, and a zip of "
                    "the bag. Refuses an invalid edition. With --verify, re-checks a bag or its zip instead. "
                    "Exit status: 0 done (or verified), 1 invalid edition or bag, 2 usage or I/O error.")
    parser.add_argument("--verify", metavar="PATH",
                        help="re-verify a bag folder or its zip (checksums, completeness, TEI against the "
                             "bag's schemas, CMIF rules) instead of packaging")
    parser.add_argument("--bagging-date", metavar="YYYY-MM-DD",
                        help="the Bagging-Date (default: SOURCE_DATE_EPOCH if set, else today); the same "
                             "date and edition give a byte-identical bag and zip")
    parser.add_argument("--base-url", metavar="URL",
                        help="where the web edition is published: makes the CMIF letter links and the CMIF "
                             "file's own address absolute (default: relative links into the bag)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: out/deposit beside edition.yaml)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """`edition deposit`; returns the exit status."""
    quiet = bool(getattr(args, "quiet", False))
    verify = getattr(args, "verify", None)
    if verify:
        result = verify_deposit(Path(verify))
        _report_verification(result, quiet=quiet)
        return 0 if result.ok else 1
    when = bagging_time(getattr(args, "bagging_date", None))
    out = getattr(args, "out", None)
    if out:  # never the project or a folder of someone else's (pipeline/write.py)
        check_out_option(Path(out), command="deposit", keep=[Path(args.config).absolute().parent])
    try:
        context = getattr(args, "build_context", None)
        deposit = make_deposit(Path(args.config), out=Path(out) if out else None, when=when,
                               base_url=getattr(args, "base_url", None),
                               cache=context.cache if context is not None else None)
    except DepositRefused as exc:
        if exc.report is not None:
            sys.stdout.write(format_text(exc.report, quiet=quiet))
        print(f"edition deposit: error: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""), file=sys.stderr)
        return exc.exit_code
    if not quiet:
        if deposit.warnings:
            print(f"edition deposit: note: the edition is valid with {deposit.warnings} warning(s); "
                  "`edition validate` lists them")
        print(f"edition deposit: wrote {_display(deposit.bag)}/ ({deposit.payload_files} payload files, "
              f"{deposit.bag_bytes / 1e6:.1f} MB; {deposit.documents} TEI files, CMIF with {deposit.letters} "
              f"letters; Bagging-Date {deposit.bagging_date}) and {_display(deposit.zip)} "
              f"({deposit.zip_bytes / 1e6:.1f} MB) in {deposit.seconds:.2f} s")
    return 0


def build(args: argparse.Namespace) -> int:
    """The deposit part of `edition build`: only with --deposit."""
    if not getattr(args, "deposit", False):
        return 0
    return run(argparse.Namespace(config=args.config, quiet=getattr(args, "quiet", False), verify=None,
                                  bagging_date=None, base_url=None, out=None,
                                  build_context=getattr(args, "build_context", None)))


def _report_verification(result: Verification, *, quiet: bool) -> None:
    shown = _display(result.path)
    if result.ok:
        if not quiet:
            print(f"edition deposit: {shown}: valid bag: {result.payload_files} payload files complete, "
                  f"sha256 and sha512 verified; {result.tei_files} TEI files valid against the bag's schemas; "
                  f"CMIF ({result.letters} letters) follows the CMIF rules")
        return
    for problem in result.problems:
        print(f"{shown}: error: {problem}")
    print(f"edition deposit: {shown}: the bag is NOT valid ({len(result.problems)} problem(s))", file=sys.stderr)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------- packaging


def make_deposit(config: Path, *, out: Path | None = None, when: datetime | None = None,
                 base_url: str | None = None, cache: BuildCache | None = None) -> Deposit:
    """Validates the edition and writes the bag and its zip into `out` (default
    out/deposit beside the config). Raises DepositRefused for an invalid edition. With the
    build's `cache`, each file's findings of the build's validation are taken from there."""
    started = time.perf_counter()
    when = when or bagging_time()
    edition = load_config(config)
    base_url = base_url or edition.url
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        raise EditionError(f"the base URL {base_url!r} is not an absolute http(s) URL",
                           hint="write it as https://example.org/edition", exit_code=2)
    tei = edition.root / "tei"
    files, _ = collect([tei]) if tei.is_dir() else ([], [])
    if not files:
        raise EditionError("no TEI files to deposit", path=str(tei), hint="run `edition convert` first")
    try:
        schemas_dir = find_schemas(None, [tei])
        schemas = Schemas.load(schemas_dir)
    except SchemaError as exc:
        raise DepositRefused(str(exc), exit_code=2) from None
    memo = None
    if cache is not None:
        from .validate.memo import memo_for

        memo = memo_for(cache, files, schemas_dir, tei, None)
    report = validate_files(files, schemas, memo=memo)
    if report.exit_code() != 0:
        raise DepositRefused("the edition is not valid; nothing was packaged", report=report,
                             hint="fix the errors above, then run `edition deposit` again",
                             exit_code=report.exit_code())
    trees = {f: xmlparse.parse_file(f) for f in files}
    _check_licences(trees, edition, tei)
    cmif = build_cmif(trees, tei, edition, timestamp=when, base_url=base_url)
    problems = check_cmif(xmlparse.parse_bytes(cmif.xml, path=CMIF_FILE).getroot())
    if problems:  # our own output: a bug, but never deposit a CMIF file a harvester rejects
        raise EditionError("the CMIF file breaks the CMIF rules: " + "; ".join(problems[:5]))

    out = (out or edition.root / "out" / "deposit").resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        bag_dir = staging / edition.id
        documents = _stage_payload(bag_dir, edition, tei, files, schemas_dir, cmif.xml, cmif.letters, when)
        staged = sum(p.stat().st_size for p in bag_dir.rglob("*") if p.is_file())
        info = _bag_info(edition, documents, cmif.letters, when, staged)
        # make_bag changes the working directory while it runs (and restores it): the
        # deposit must not run beside threads that rely on the current directory.
        bagit.make_bag(str(bag_dir), info, processes=1, checksums=list(CHECKSUMS))
        _normalise_bag(bag_dir)
        _set_times(bag_dir, when)
        try:
            bag = bagit.Bag(str(bag_dir))
            bag.validate(processes=1)
        except bagit.BagError as exc:
            raise EditionError(f"the new bag does not validate: {exc}") from None
        zip_path = staging / f"{edition.id}.zip"
        _write_zip(zip_path, _members(bag_dir, edition.id), when)
        payload_files, payload_bytes = _oxum(bag)
        bag_bytes = sum(p.stat().st_size for p in bag_dir.rglob("*") if p.is_file())
        zip_bytes = zip_path.stat().st_size
        write_file(staging / OUTPUT_MARKER, output_marker("deposit"), root=staging)  # `deposit --out` knows it
        staging.chmod(0o755)
        replace_dir(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Deposit(bag=out / edition.id, zip=out / f"{edition.id}.zip", payload_files=payload_files,
                   payload_bytes=payload_bytes, bag_bytes=bag_bytes, zip_bytes=zip_bytes, documents=len(files),
                   letters=cmif.letters, bagging_date=when.date().isoformat(), warnings=report.warnings,
                   seconds=time.perf_counter() - started)


def _check_licences(trees: Mapping[Path, etree._ElementTree], edition: Edition, tei: Path) -> None:
    """Every file names the edition's licence in publicationStmt/availability."""
    want = edition.licence
    wrong: list[str] = []
    for path, tree in trees.items():
        licence = tree.getroot().find("t:teiHeader/t:fileDesc/t:publicationStmt/t:availability/t:licence", NS)
        if licence is None:
            wrong.append(f"{path.relative_to(tei).as_posix()} (no licence)")
        elif want.url and licence.get("target") != want.url:
            wrong.append(f"{path.relative_to(tei).as_posix()} (licence target={licence.get('target')!r})")
        elif not want.url and " ".join(text_of(licence).split()) != want.name:
            wrong.append(f"{path.relative_to(tei).as_posix()} (licence {text_of(licence)!r})")
    if wrong:
        more = f" and {len(wrong) - 10} more" if len(wrong) > 10 else ""
        raise DepositRefused(
            f"{len(wrong)} TEI file(s) do not carry the edition's licence ({want.name}, {want.url or 'no URL'}) "
            f"in publicationStmt/availability: {', '.join(wrong[:10])}{more}; nothing was packaged",
            hint=f'add <availability><licence target="{want.url or "…"}">{want.name}</licence></availability> '
                 "to their publicationStmt (the converter writes it)")


def _stage_payload(bag_dir: Path, edition: Edition, tei: Path, files: list[Path], schemas_dir: Path,
                   cmif: bytes, letters: int, when: datetime) -> int:
    """Writes the payload into `bag_dir` (make_bag then moves it into data/)."""
    schemas_in_bag = bag_dir / "schemas"
    schemas_in_bag.mkdir(parents=True)
    for name in SCHEMA_FILES:
        if (schemas_dir / name).is_file():
            copy_file(schemas_dir / name, schemas_in_bag / name, root=bag_dir)
    for path in files:
        dest = bag_dir / "tei" / path.relative_to(tei)
        dest.parent.mkdir(parents=True, exist_ok=True)
        href = Path(os.path.relpath(schemas_in_bag, dest.parent)).as_posix()
        write_file(dest, with_schema_pis(path.read_bytes(), href), root=bag_dir)
    # The raw sources at the same relative place as in the project, so that every
    # ref[@type='origin'] (../../sources/<file>#line=A,B) resolves inside the bag.
    root = edition.root.resolve()
    for source in edition.sources:
        src = (edition.root / source.file).resolve()
        if src.is_file() and src.is_relative_to(root):
            dest = bag_dir / src.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            copy_file(src, dest, root=bag_dir)
    encoding = edition.root / "docs" / "encoding.md"
    if encoding.is_file():
        (bag_dir / "documentation").mkdir()
        copy_file(encoding, bag_dir / "documentation" / "encoding.md", root=bag_dir)
    write_file(bag_dir / CMIF_FILE, cmif, root=bag_dir)
    write_file(bag_dir / "README.txt", archive_readme(edition, files, tei, letters, when,
                                                      rnc=(schemas_in_bag / "edition.rnc").is_file(),
                                                      encoding_doc=encoding.is_file()).encode("utf-8"), root=bag_dir)
    return len(files)


# The prolog up to the root element: XML declaration, processing instructions, comments.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_XML_DECL = re.compile(rb"<\?xml\s.*?\?>[ \t]*\r?\n?", re.S)
_XML_MODEL = re.compile(rb"<\?xml-model\s.*?\?>[ \t]*\r?\n?", re.S)


def with_schema_pis(data: bytes, schemas_href: str) -> bytes:
    """The file with its xml-model processing instructions pointing to edition.rng and
    edition.sch in `schemas_href` (a relative folder). Only the prolog is rewritten, as
    bytes, so the rest of the file stays byte for byte as the editors left it."""
    end = _PROLOG.match(data).end()  # type: ignore[union-attr]  # matches the empty string at least
    prolog, rest = data[:end], data[end:]
    decl = _XML_DECL.match(prolog)
    head = decl.group(0) if decl else b'<?xml version="1.0" encoding="UTF-8"?>\n'
    if not head.endswith(b"\n"):
        head += b"\n"
    others = _XML_MODEL.sub(b"", prolog[decl.end():] if decl else prolog)
    pis = (f'<?xml-model href="{schemas_href}/edition.rng" type="application/xml" schematypens="{RNG_NS}"?>\n'
           f'<?xml-model href="{schemas_href}/edition.sch" type="application/xml" schematypens="{SCH_NS}"?>\n')
    return head + pis.encode("utf-8") + others.lstrip() + rest


def _bag_info(edition: Edition, documents: int, letters: int, when: datetime,
              payload_bytes: int) -> dict[str, str | list[str]]:
    title = edition.title + (f": {edition.subtitle}" if edition.subtitle else "")
    licence = edition.licence.name + (f" <{edition.licence.url}>" if edition.licence.url else "")
    return {
        "Source-Organization": edition.publisher,
        "Contact-Name": list(edition.editors) or [edition.publisher],
        **({"Contact-Email": edition.contact} if edition.contact and "@" in edition.contact else {}),
        "External-Identifier": edition.id,
        "External-Description": (
            f"{title}. A TEI P5 documentary edition: {documents} TEI files (the edition file, the registers "
            f"when present, one file per document) with the edition's RelaxNG and Schematron schemas, the raw "
            f"texts they were converted from, and a CMIF file of {letters} letters, telegrams and notes. "
            f"Licence: {licence}; the CMIF file CC BY 4.0. See data/README.txt."),
        "Bagging-Date": when.date().isoformat(),
        "Bag-Size": f"{payload_bytes / 1e6:.1f} MB",
        "Bag-Software-Agent": f"edition-pipeline {__version__} (pipeline.deposit) with bagit.py {bagit.VERSION} "
                              f"<{bagit.PROJECT_URL}>",
    }


def _normalise_bag(bag_dir: Path) -> None:
    """BagIt 1.0 in bagit.txt, and tag manifests in sorted order: bagit.py lists the tag
    files in directory order, which differs between file systems and would make two
    packagings of the same edition differ."""
    write_file(bag_dir / "bagit.txt", BAGIT_TXT.encode("utf-8"), root=bag_dir)
    tag_files = sorted(p.name for p in bag_dir.iterdir()
                       if p.is_file() and not p.name.startswith("tagmanifest-"))
    for algorithm in CHECKSUMS:
        lines = [f"{hashlib.new(algorithm, (bag_dir / name).read_bytes()).hexdigest()}  {name}\n"
                 for name in tag_files]
        write_file(bag_dir / f"tagmanifest-{algorithm}.txt", "".join(lines).encode("utf-8"), root=bag_dir)


def _set_times(folder: Path, when: datetime) -> None:
    stamp = max(when, ZIP_MIN).timestamp()
    for path in sorted(folder.rglob("*"), reverse=True):
        os.utime(path, (stamp, stamp))
    os.utime(folder, (stamp, stamp))


def _oxum(bag: bagit.Bag) -> tuple[int, int]:
    octets, _, count = str(bag.info.get("Payload-Oxum", "0.0")).partition(".")
    return int(count), int(octets)


def _members(folder: Path, prefix: str) -> list[tuple[str, Path]]:
    return [(f"{prefix}/{p.relative_to(folder).as_posix()}", p) for p in folder.rglob("*") if p.is_file()]


def _write_zip(dest: Path, members: Iterable[tuple[str, Path]], when: datetime) -> None:
    """`_zip_bytes` written atomically."""
    write_atomic(dest, _zip_bytes(members, when), root=dest.parent)


def _zip_bytes(members: Iterable[tuple[str, Path]], when: datetime) -> bytes:
    """A zip whose bytes depend only on the files and `when`: sorted entries, one fixed time,
    fixed permissions and compression, no extra fields."""
    stamp = min(max(when, ZIP_MIN), ZIP_MAX).astimezone(UTC)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    _zip_into(buffer, members, date_time)
    return buffer.getvalue()


def _zip_into(handle: BinaryIO, members: Iterable[tuple[str, Path]],
              date_time: tuple[int, int, int, int, int, int]) -> None:
    with zipfile.ZipFile(handle, "w") as zf:
        for name, path in sorted(members):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the packaging machine
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, path.read_bytes(), compresslevel=6)


# ---------------------------------------------------------------------------- README


def archive_readme(edition: Edition, files: list[Path], tei: Path, letters: int, when: datetime, *,
                   rnc: bool = True, encoding_doc: bool = True) -> str:
    """The bag's README.txt: plain text, for an archivist who has never seen the project."""
    per_folder = Counter(p.relative_to(tei).parts[0] for p in files if len(p.relative_to(tei).parts) > 1)
    top = sorted(p.relative_to(tei).as_posix() for p in files if len(p.relative_to(tei).parts) == 1)
    licence = edition.licence.name + (f" <{edition.licence.url}>" if edition.licence.url else "")
    lines = [edition.title]
    if edition.subtitle:
        lines.append(edition.subtitle)
    lines += [
        "",
        "An archival deposit of a TEI P5 documentary edition, packaged as a BagIt bag",
        "(RFC 8493) with SHA-256 and SHA-512 checksums for every file.",
        "",
        f"Edition id:    {edition.id}",
        f"Publisher:     {edition.publisher}",
        f"Editors:       {'; '.join(edition.editors) or edition.publisher}",
        f"Bagging date:  {when.date().isoformat()}",
        f"Made with:     edition-pipeline {__version__} and bagit.py {bagit.VERSION}",
        "",
        "LICENCE",
        "",
        "The TEI files, the schemas and this README:",
        f"    {licence}",
        "Every TEI file states it in teiHeader/fileDesc/publicationStmt/availability/licence.",
        f"The correspondence metadata data/{CMIF_FILE}, as the Correspondence Metadata",
        "Interchange Format requires for harvesting:",
        f"    CC BY 4.0 <{CMIF_LICENCE_URL}>",
        "The raw texts under data/sources/ keep the terms of their original publications",
        "(described in data/tei/edition.xml, sourceDesc).",
        "",
    ]
    if edition.introduction:
        lines += ["ABOUT THE EDITION", "", *_wrap(edition.introduction), ""]
    lines += [
        "WHAT THE FILES ARE",
        "",
        "data/README.txt                this file",
        "data/tei/edition.xml           the edition's header: editors and hands (respStmt, the",
        "                               targets of every @resp), the collections the texts come",
        "                               from, the editorial principles, the document-type taxonomy",
    ]
    for name in top:
        if name == "edition.xml":
            continue
        what = "the registers: persons, places, organisations, archives" if "regist" in name else "a TEI file"
        lines.append(f"data/tei/{name:<22}{what}")
    for folder, count in sorted(per_folder.items()):
        what = "register files" if folder == "registers" else f"document{'s' * (count != 1)} of collection {folder}"
        lines.append(f"data/tei/{folder + '/':<22}{count} {what}")
    lines += [
        "                               (one TEI file per document, named <document-id>.xml;",
        "                               the collections are described in edition.xml)",
        "data/schemas/edition.rng       the edition's RelaxNG grammar: a strict subset of TEI P5",
        "data/schemas/edition.sch       the edition's house rules in ISO Schematron (XPath 1.0)",
    ]
    if rnc:
        lines.append("data/schemas/edition.rnc       the same grammar in compact syntax, with comments")
    lines.append("data/sources/                  the raw texts, byte for byte as received; each document")
    lines.append("                               names its lines there (ref type=\"origin\", #line=A,B, RFC 5147)")
    if encoding_doc:
        lines.append("data/documentation/encoding.md the encoding rules: which TEI element records what")
    lines += [
        f"data/{CMIF_FILE:<26}{letters} letters, telegrams and notes as CMIF (TEI Correspondence SIG)",
        "bagit.txt, bag-info.txt        the bag's declaration and description",
        "manifest-sha256.txt, manifest-sha512.txt      checksums of every file under data/",
        "tagmanifest-sha256.txt, tagmanifest-sha512.txt  checksums of the files above",
        "",
        "ENCODING PRINCIPLES",
        "",
    ]
    if edition.principles:
        lines += [*_wrap(edition.principles), ""]
    lines += _wrap(
        "Every file is TEI P5 in UTF-8 (NFC). A document file holds one document: its heading, "
        "dateline (place and ISO 8601 date), text, the compilers' notes at their markers, and its "
        "archival citation as printed; the header repeats the citation parsed into msDesc "
        "(repository, fond, opis, delo, folios, document state) and, for letters, telegrams and "
        "notes, the sender and addressee in correspDesc. Gaps, supplied words and readings carry "
        "@resp (who made them: the compilers, the editors or the converter, declared in "
        "edition.xml); a reading the converter had to guess carries @cert. Names are linked to "
        "the registers by @ref where the registers identify them. Pointers between files are "
        "relative and resolve inside this bag.")
    if encoding_doc:
        lines += ["", "The full rules: data/documentation/encoding.md."]
    lines += [
        "",
        "HOW TO VALIDATE",
        "",
        "1. The bag (completeness and checksums), with the Library of Congress bagit tool:",
        "       pip install bagit",
        "       bagit.py --validate <this folder>",
        "   or with the tool that made it: edition deposit --verify <this folder or its zip>",
        "   (which also runs step 2 and checks the CMIF file).",
        "2. The TEI files against the bundled schemas: each file names them in two xml-model",
        "   processing instructions by relative path, so an XML editor (oXygen, VS Code with an",
        "   XML extension) validates on opening. From the command line, for example:",
        "       xmllint --noout --relaxng data/schemas/edition.rng data/tei/*.xml data/tei/*/*.xml",
        "       jing data/schemas/edition.rng data/tei/*.xml data/tei/*/*.xml",
        "   and the house rules with any ISO Schematron processor (XPath 1.0 binding) on",
        "   data/schemas/edition.sch, e.g. Python's lxml.isoschematron.",
        "3. The files are also valid against TEI P5's tei_all schema (edition.rng is a subset).",
        "",
    ]
    if edition.how_to_cite:
        lines += ["HOW TO CITE", "", *_wrap(edition.how_to_cite), ""]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 88) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width)


# ---------------------------------------------------------------------------- verify


def verify_deposit(path: Path) -> Verification:
    """Re-checks a bag folder (or out/deposit holding one) or the bag's zip."""
    if not path.is_file() and not path.is_dir():  # missing, a device, a pipe: never read
        from .guard import unusable

        raise unusable([path], wanted="the bag's folder, out/deposit or the bag's zip")
    result = Verification(path)
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise EditionError("neither a bag folder nor a zip file", path=str(path), exit_code=2)
        with tempfile.TemporaryDirectory(prefix="edition-verify-") as tmp:
            problems = _safe_unzip(path, Path(tmp))
            if problems:
                result.problems.extend(problems)
                return result
            _verify_folder(_find_bag(Path(tmp)), result)
        return result
    _verify_folder(_find_bag(path), result)
    return result


def _find_bag(folder: Path) -> Path:
    """The bag: the folder itself, or its only subfolder with a bagit.txt (an unzipped
    bag, or out/deposit)."""
    if (folder / "bagit.txt").is_file():
        return folder
    candidates = sorted(p.parent for p in folder.glob("*/bagit.txt"))
    return candidates[0] if len(candidates) == 1 else folder


def _safe_unzip(archive: Path, dest: Path) -> list[str]:
    """Unzips a file that may come from anywhere: no absolute paths, no `..`, no links, and
    a bound on size and count, so a hostile zip cannot write outside `dest` or fill the disk."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
                return ["the zip is too large to verify (more than 2 GB or 100,000 entries when unpacked)"]
            for info in infos:
                name = PurePosixPath(info.filename)
                if name.is_absolute() or ".." in name.parts or "\\" in info.filename or ":" in info.filename:
                    problems.append(f"the zip holds an unsafe path: {info.filename!r}")
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    problems.append(f"the zip holds a symbolic link: {info.filename!r}")
                    continue
                target = dest / name
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        problems.append(f"the zip cannot be read: {exc}")
    return problems


def _verify_folder(bag_dir: Path, result: Verification) -> None:
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as exc:
        result.problems.append(f"not a bag: {exc}")
        return
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        result.problems.extend([str(d) for d in exc.details] or [str(exc)])
        if not exc.details:
            # bagit stops at its first failing stage (a Payload-Oxum mismatch says only
            # "wrong size"); name the files, which is what an archivist needs to know.
            result.problems.extend(_fixity_details(bag))
    except bagit.BagError as exc:
        result.problems.append(str(exc))
    result.payload_files = sum(1 for _ in bag.payload_files())
    data = bag_dir / "data"
    files, _ = collect([data / "tei"]) if (data / "tei").is_dir() else ([], [])
    result.tei_files = len(files)
    if not files:
        result.problems.append("the bag holds no TEI files under data/tei/")
    else:
        try:
            schemas = Schemas.load(data / "schemas")
        except SchemaError as exc:
            result.problems.append(f"the bag's schemas cannot be used: {exc}")
        else:
            report = validate_files(files, schemas)
            base = bag_dir.resolve()
            for finding in report.sorted():
                if finding.severity == "error":
                    result.problems.append(_relative_to_bag(finding.text(), base))
            if report.errors:
                result.problems.append(f"TEI against the bag's schemas: {summary(report).strip()}")
    cmif_path = data / CMIF_FILE
    if not cmif_path.is_file():
        result.problems.append(f"data/{CMIF_FILE} is missing")
        return
    try:
        cmif_root = xmlparse.parse_file(cmif_path).getroot()
    except EditionError as exc:
        result.problems.append(f"data/{CMIF_FILE} is not well-formed: {exc.message}")
        return
    result.letters = len(cmif_root.findall(".//t:correspDesc", NS))
    result.problems.extend(f"data/{CMIF_FILE}: {p}" for p in check_cmif(cmif_root))


def _fixity_details(bag: bagit.Bag) -> list[str]:
    """Missing, unexpected and changed payload files, by the bag's manifests."""
    problems: list[str] = []
    only_in_manifests, only_on_disk = bag.compare_manifests_with_fs()
    problems += [f"{path} is in the manifest but missing" for path in sorted(only_in_manifests)]
    problems += [f"{path} is not in the manifest (an added file)" for path in sorted(only_on_disk)]
    for rel, hashes in sorted(bag.entries.items()):
        path = Path(bag.path) / rel
        if not rel.startswith("data/") or not path.is_file():
            continue
        data = path.read_bytes()
        for algorithm, expected in sorted(hashes.items()):
            if hashlib.new(algorithm, data).hexdigest() != expected.lower():
                problems.append(f"{rel} {algorithm} checksum differs: the file was changed")
    return problems


def _relative_to_bag(text: str, base: Path) -> str:
    """Findings name files by absolute path when the bag was unzipped into a temporary
    folder; name them inside the bag instead."""
    prefix = base.as_posix() + "/"
    return text.replace(prefix, "", 1) if text.startswith(prefix) else text


# ---------------------------------------------------------------------------- the TEI set as a zip


def write_tei_zip(tei_root: Path, dest: Path) -> Path:
    """The whole TEI set as one zip, for the web edition's download: every .xml under
    `tei_root` as tei/…, and the schemas as schemas/…, so the files' xml-model instructions
    (../schemas/, ../../schemas/) resolve once unpacked. `dest` is the zip file, or a
    folder to write tei.zip into; returns the zip's path. Deterministic (sorted, entry
    times from SOURCE_DATE_EPOCH or 1980-01-01) and written atomically. Does not validate."""
    target = dest if dest.suffix.lower() == ".zip" else dest / "tei.zip"
    members = tei_zip_members(tei_root)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, tei_zip_bytes(members), root=target.parent)
    return target


def tei_zip_members(tei_root: Path) -> list[tuple[str, Path]]:
    """What `write_tei_zip` puts in the zip: (name in the zip, file), the TEI files and the schemas."""
    files, _ = collect([tei_root]) if tei_root.is_dir() else ([], [])
    if not files:
        raise EditionError("no TEI files to put in the zip", path=str(tei_root), hint="run `edition convert` first")
    members = [(f"tei/{f.relative_to(tei_root).as_posix()}", f) for f in files]
    schemas_dir = find_schemas(None, [tei_root])
    members += [(f"schemas/{name}", schemas_dir / name) for name in SCHEMA_FILES[:2]
                if (schemas_dir / name).is_file()]
    return members


def tei_zip_bytes(members: Iterable[tuple[str, Path]]) -> bytes:
    """The zip of `tei_zip_members`, its entry times from SOURCE_DATE_EPOCH (or 1980-01-01)."""
    return _zip_bytes(members, _tei_zip_time())


def tei_zip_file(members: Iterable[tuple[str, Path]], dest: Path) -> Path:
    """`tei_zip_bytes` written to the file `dest` (a scratch file) as it is made, a member
    at a time: the zip of a big edition is never held whole. Returns `dest`."""
    stamp = min(max(_tei_zip_time(), ZIP_MIN), ZIP_MAX).astimezone(UTC)
    with dest.open("wb") as handle:
        _zip_into(handle, members, (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second))
    return dest


def _tei_zip_time() -> datetime:
    epoch = source_date_epoch()
    return ZIP_MIN if epoch is None else datetime.fromtimestamp(epoch, UTC)


__all__ = ["Deposit", "DepositRefused", "Verification", "add_parser", "archive_readme", "bagging_time", "build",
           "make_deposit", "run", "tei_zip_bytes", "tei_zip_members", "verify_deposit", "with_schema_pis",
           "write_tei_zip"]
