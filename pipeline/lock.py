"""One run at a time: every command that writes takes the project's lock first.

The lock is an advisory `flock` on out/.edition.lock, so the system frees it when its
holder ends in any way — a lock left by a process that was killed is simply taken over.
The file names the holder (pid, host, command, start time) so that a second run can say
who has it; the second run waits a little (EDITION_LOCK_WAIT seconds, default 10) and then
stops with that message. Once the lock is held, the staging folders and temporary files
that a killed run left behind are removed: no run can still be using them.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .errors import EditionError
from .write import FILE_MODE

LOCK_NAME = ".edition.lock"
DEFAULT_WAIT = 10.0

# What write.py and the stages leave while they work: temporary files of atomic writes
# (.<name>.<random>.tmp) and staging folders made by mkdtemp beside out/html, out/deposit
# (.<name>.<random>, .<name>.old.<random>).
_TEMP_FILE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
STAGING_DIR = re.compile(r"^\.[A-Za-z0-9_-]+\.(?:old\.)?[A-Za-z0-9_]{8}$")


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("EDITION_LOCK_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def project_lock(project: Path, command: str) -> Iterator[None]:
    """Holds the project's lock for the duration of the block (see the module's docstring)."""
    out = project / "out"
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise EditionError(f"cannot create the lock file: {exc.strerror}", path=str(out / LOCK_NAME),
                           hint="check the folder's permissions and the free disk space", exit_code=2) from None
    try:
        deadline = time.monotonic() + _wait_seconds()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 500, 0).decode("utf-8", "replace").strip() or "another process"
                    raise EditionError(f"another run of edition is working on this project ({holder})",
                                       path=str(out / LOCK_NAME),
                                       hint="wait until it has finished and run the command again") from None
                time.sleep(0.1)
        note = (f"pid {os.getpid()} on {socket.gethostname()}: edition {command}, "
                f"since {datetime.now(UTC).strftime('%Y-%m-%d %H:%M:%S')} UTC\n")
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode("utf-8"), 0)
        clean_staging(project)
        yield
    finally:
        os.close(fd)  # closing the file frees the lock


def clean_staging(project: Path) -> list[Path]:
    """Removes what a killed run left: staging folders in out/, temporary files in tei/
    and out/. Call only while holding the lock. Returns what was removed."""
    removed: list[Path] = []
    out = project / "out"
    if out.is_dir():
        for entry in out.iterdir():
            if entry.is_dir() and not entry.is_symlink() and STAGING_DIR.match(entry.name):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    for folder in (project / "tei", out):
        if not folder.is_dir():
            continue
        for dirpath, _dirs, filenames in os.walk(folder):
            for name in filenames:
                if _TEMP_FILE.match(name):
                    path = Path(dirpath) / name
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed
