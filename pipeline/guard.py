"""The project's own folders, checked before a command reads or writes them: `tei/` and
`out/` must not lead out of the project through a symbolic link (a link committed to a
repository is untrusted input: `out -> ~/.ssh` would make every write land there, a TEI
file linked to `/etc/passwd` would be published), and a TEI file must be a plain file (a
named pipe or a device would block the reader forever). One readdir per folder, no stat
per file: cheap for an edition of tens of thousands of files."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .errors import EditionError
from .lock import STAGING_DIR

FOLDERS = ("tei", "out")
# The files of tei/ that the commands read by name, with what each is and how to get it
# back: a folder in its place is named at once (it would be read as a missing file, or
# fail as "Is a directory" somewhere deep in a stage).
OWN_FILES = {
    "registers.xml": ("the editors' registers", "restore the file from version control"),
    "edition.xml": ("the edition's header", "`edition convert` writes the file again"),
    "witnesses.yaml": ("the editors' decisions on witnesses", "restore the file from version control"),
    ".converted.json": ("the converter's fingerprints", "restore the file from version control"),
}


def check_project(root: Path) -> None:
    """Refuses (EditionError naming the path) a link in tei/ or out/, or one of them,
    that resolves outside that folder (outside the project, for tei/ and out/ themselves),
    anything in tei/ that is neither a folder nor a plain file, and a folder where one of
    the files of tei/ the commands read by name belongs (OWN_FILES)."""
    base = root.resolve()
    _check_folders(root, base)
    for name, (what, restore) in OWN_FILES.items():
        if (root / "tei" / name).is_dir():
            raise EditionError(f"a folder, where the file of {what} belongs: nothing is read from it",
                               path=f"tei/{name}",
                               hint=f"move the folder away or remove it, then {restore}")


def _check_folders(root: Path, base: Path) -> None:
    for name in FOLDERS:
        top = root / name
        if top.is_symlink():
            _refuse_outside(top, base, base)
        if not top.is_dir():
            continue
        inside = top.resolve()
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue  # the stage says what is wrong with it
            for entry in entries:
                path = Path(entry.path)
                if name == "tei" and not _printable_name(entry.name):
                    raise EditionError("a file name that is not UTF-8 text: it can be neither named in a "
                                       "report nor published", path=_shown(path, base).encode("utf-8", "replace")
                                       .decode("utf-8"), hint="rename it with letters, digits, - and _")
                if name == "out" and folder == top and STAGING_DIR.match(entry.name) \
                        and entry.is_dir(follow_symlinks=False):
                    continue  # a killed run's staging: removed, never read, once the lock is held
                if entry.is_symlink():
                    _refuse_outside(path, inside, base)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif name == "tei" and not entry.is_file(follow_symlinks=False):
                    raise EditionError("not a plain file (a pipe, socket or device): it is never read",
                                       path=_shown(path, base), hint="remove it from tei/")


def _printable_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as lone surrogates
        return False
    return True


def _refuse_outside(link: Path, inside: Path, base: Path) -> None:
    try:
        target = link.resolve()
    except (RuntimeError, OSError):  # a link that leads to itself, round and round
        raise EditionError("a symbolic link that leads round in a loop: nothing is read or written through it",
                           path=_shown(link, base), hint="remove the link") from None
    if target != inside and inside not in target.parents:
        where = "the project" if inside == base else f"{_shown(inside, base)}/"
        raise EditionError(f"a symbolic link to {target}, outside {where}: nothing is read or written through it",
                           path=_shown(link, base), hint="replace the link by a folder or file of its own")


def _shown(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return str(path)


def read_plain(path: Path) -> bytes:
    """The bytes of a plain file; a folder, pipe or device is an IsADirectoryError /
    EditionError at once (opened without blocking: a named pipe never hangs the reader)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise EditionError("not a plain file (a pipe, socket or device): it is not read", path=str(path),
                               hint="point edition.yaml at a text file")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


SPECIAL = ("a character device", "a block device", "a named pipe", "a socket")  # never read: they block or never end


def kind_of(path: Path) -> str:
    """What a path is, in words, for the error that names a path a command cannot use:
    "a folder", "a file", one of SPECIAL, "no such file or folder", "a symbolic link to
    nothing", "a symbolic link that leads round in a loop"."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if os.path.islink(path) else "no such file or folder"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that leads round in a loop"
        return f"unreadable ({exc.strerror or exc})"
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a file"), (stat.S_ISCHR, SPECIAL[0]),
             (stat.S_ISBLK, SPECIAL[1]), (stat.S_ISFIFO, SPECIAL[2]), (stat.S_ISSOCK, SPECIAL[3]))
    return next((name for test, name in kinds if test(mode)), "neither a file nor a folder")


def unusable(paths: Sequence[str | Path], *, wanted: str, exit_code: int = 2) -> EditionError:
    """One error for the paths given to a command that are neither a file nor a folder it
    can read (missing, a device, a pipe …): each named with what it is, and what to give."""
    kinds = [(str(p), kind_of(Path(p))) for p in paths]
    kinds = [(p, f"{kind}, not a file" if kind in SPECIAL else kind) for p, kind in kinds]
    hint = f"give {wanted}"
    if any(kind.endswith("not a file") for _, kind in kinds):
        hint += ": nothing is read from a device, pipe or socket"
    elif all(kind == "no such file or folder" for _, kind in kinds):
        hint = f"check the path; give {wanted}"
    if len(kinds) == 1:
        return EditionError(kinds[0][1], path=kinds[0][0], hint=hint, exit_code=exit_code)
    return EditionError("cannot be read: " + "; ".join(f"{p} ({kind})" for p, kind in kinds), hint=hint,
                        exit_code=exit_code)
