"""A hostile tester's second corpus: the project's folders and files in shapes the
pipeline never makes (a pipe or a folder where a file belongs, links leading out of the
project, a file where a folder belongs, malformed registers and release lists), odd
configurations and command lines, and signals during a build. The same promises as
tests/test_hostile_corpus.py: exit code 0, 1 or 2, no traceback, an error names its file,
nothing written outside tei/ and out/, nothing half-written — and no hang."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import main

from .hostile_project import (
    COMMANDS,
    NAMED,
    SOURCE,
    TEI_COMMANDS,
    copy,
    linked_fixture,  # noqa: F401 (the fixture `linked`)
    run_all,
)
from .hostile_project import first_tei as _first
from .hostile_project import tei_edited as _tei
from .hostile_project import yaml_appended as _limits

ROOT = Path(__file__).resolve().parent.parent


def _fifo(where: Callable[[Path], Path]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = where(project)
        path.unlink()
        os.mkfifo(path)
    return apply


def _folder_instead(where: Callable[[Path], Path]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = where(project)
        path.unlink()
        path.mkdir()
    return apply


def _file_instead(name: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        shutil.rmtree(project / name)
        (project / name).write_text("not a folder\n", encoding="utf-8")
    return apply


def _moved_out(name: str) -> Callable[[Path], None]:
    """`name` (a folder of the project) moved beside the project, a link left in its place."""
    def apply(project: Path) -> None:
        away = project.parent / "elsewhere"
        shutil.move(str(project / name), away)
        (project / name).symlink_to(away)
    return apply


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    return apply




def _source_renamed(name: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / SOURCE).rename(project / name)
        config = project / "edition.yaml"
        quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        config.write_text(config.read_text(encoding="utf-8").replace(f"file: {SOURCE}", f'file: "{quoted}"'),
                          encoding="utf-8")
    return apply


def _passwd_link(project: Path) -> None:
    path = _first(project)
    path.unlink()
    path.symlink_to("/etc/passwd" if Path("/etc/passwd").is_file() else "/etc/hostname")


def _no_lock_file(project: Path) -> None:
    lock = project / "out" / ".edition.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()


def _manifest_folder(project: Path) -> None:
    (project / "tei" / ".converted.json").unlink()
    (project / "tei" / ".converted.json").mkdir()


XML_MODEL = '<?xml-model href="{}" schematypens="http://relaxng.org/ns/structure/1.0"?>'

CASES: dict[str, Callable[[Path], None]] = {
    "source is a named pipe": _fifo(lambda p: p / SOURCE),
    "source is an empty folder": _folder_instead(lambda p: p / SOURCE),
    "source path with a newline": _source_renamed("sources/one\ntwo.txt"),
    "TEI file is a named pipe": _fifo(_first),
    "TEI file is a folder": _folder_instead(_first),
    "TEI file links to a system file": _passwd_link,
    "TEI root is not TEI": _tei(lambda t: re.sub(r"<TEI\b", "<teiCorpus", t).replace("</TEI>", "</teiCorpus>")),
    "TEI in another namespace": _tei(lambda t: t.replace("http://www.tei-c.org/ns/1.0", "http://example.org/ns")),
    "HTML instead of TEI": lambda p: _first(p).write_text("<html><body><p>x</p></body></html>", encoding="utf-8"),
    "xml-model to a device": _tei(lambda t: re.sub(r"(<\?xml[^>]*\?>)", lambda m: m.group(1) + XML_MODEL.format(
        "/dev/zero"), t, count=1)),
    "xml-model to the network": _tei(lambda t: re.sub(r"(<\?xml[^>]*\?>)", lambda m: m.group(1) + XML_MODEL.format(
        "http://127.0.0.1:9/x.rng"), t, count=1)),
    "out links outside the project": _moved_out("out"),
    "tei links outside the project": _moved_out("tei"),
    "a collection's folder links outside": _moved_out("tei/nk"),
    "reports link outside": _moved_out("out/reports"),
    "tei is a file": _file_instead("tei"),
    "out is a file": _file_instead("out"),
    "out/html is a file": _file_instead("out/html"),
    "out/pdf is a file": _file_instead("out/pdf"),
    "lock file is a folder": _no_lock_file,
    "manifest is a folder": _manifest_folder,
    "registers not well-formed": _write("tei/registers.xml", b"<TEI><unclosed>"),
    "registers in another namespace": _write("tei/registers.xml", b'<listPerson xmlns="urn:x"/>'),
    "edition file missing": lambda p: (p / "tei" / "edition.xml").unlink(),
    "edition file not well-formed": _write("tei/edition.xml", b"<TEI"),
    "released URLs not text": _write("releases/1.0.tsv", bytes(range(256))),
    "released URLs lead out": _write("releases/1.0.tsv", b"path\tid\torigin\n../../x.html\ta\tnk:1\n"),
    "edition.yaml is null": _write("edition.yaml", b"~\n"),
    "edition.yaml is empty": _write("edition.yaml", b""),
    "edition.yaml is a number": _write("edition.yaml", b"42\n"),
    "limits negative": _limits("limits:\n  tei_megabytes: -5\n"),
    "limits huge": _limits("limits:\n  saxon_seconds: 99999999999999999999999999\n"),
    "limits zero": _limits("limits:\n  saxon_megabytes: 0\n"),
    "limits not whole": _limits("limits:\n  typst_seconds: 1.5\n"),
    "limits a list": _limits("limits: [1, 2]\n"),
    "limits unknown": _limits("limits:\n  seconds: 1\n"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_project(case: str, linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(linked, tmp_path)
    CASES[case](project)
    done = threading.Event()
    # a read that blocks (a pipe, a device) would hang the test: it fails it instead
    watchdog = threading.Timer(240, lambda: None if done.is_set() else os._exit(99))
    watchdog.start()
    try:
        commands = TEI_COMMANDS if case.startswith(("TEI", "HTML", "xml-model")) else COMMANDS
        results = run_all(project, commands, capsys, named=(*NAMED, "out/", "out", "releases/", "project/tei:"))
    finally:
        done.set()
        watchdog.cancel()
    secret = Path("/etc/passwd").read_bytes()[:40] if Path("/etc/passwd").is_file() else b"\0never"
    for path in (project / "out").rglob("*") if (project / "out").is_dir() and not (project / "out").is_symlink() \
            else []:
        if path.is_file() and not path.is_symlink():
            assert secret not in path.read_bytes(), path
    if "outside" in case or "links" in case:
        for command, code, text in results:
            assert code == 1 and "symbolic link" in text, (command, text[-800:])


# -- the command line ----------------------------------------------------------------------------

def _edition(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, **kwargs)  # type: ignore[call-overload]


def test_absurd_numbers_of_jobs(linked: Path) -> None:
    """`--jobs 0` and `-1` are usage errors; `--jobs 10000` is held to four processes a core."""
    from pipeline.build.executor import MAX_JOBS_PER_CORE, default_jobs, make_executor

    for jobs in ("0", "-1", "many"):
        out = _edition("build", "--jobs", jobs, "--config", str(linked / "edition.yaml"))
        assert out.returncode == 2 and "--jobs" in out.stderr and "Traceback" not in out.stderr, out.stderr
    out = _edition("pdf", "--jobs", "-3", "--config", str(linked / "edition.yaml"))
    assert out.returncode == 2 and "--jobs must be at least 1" in out.stderr, out.stderr
    with make_executor(10_000) as executor:  # its processes start with its first task: none here
        assert executor.jobs == MAX_JOBS_PER_CORE * default_jobs()


def test_a_server_that_is_no_scheduler_fails_fast(linked: Path) -> None:
    """A malformed scheduler address is a usage error at once; a server that accepts the
    connection but speaks no Dask gives one line within seconds, not a hang."""
    out = _edition("build", "--scheduler", "not an address", "--config", str(linked / "edition.yaml"))
    assert out.returncode == 2 and "not the address of a Dask scheduler" in out.stderr, out.stderr
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def babble() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                conn.sendall(b"\xff" * 64 + b"HTTP/1.0 200 OK\r\n\r\nhello")

    threading.Thread(target=babble, daemon=True).start()
    started = time.monotonic()
    out = _edition("build", "--scheduler", f"tcp://127.0.0.1:{server.getsockname()[1]}",
                   "--config", str(linked / "edition.yaml"))
    server.close()
    assert out.returncode == 1, out.stderr
    assert time.monotonic() - started < 35, "no quick failure"
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Dask scheduler" in lines[0] and "Traceback" not in out.stderr, out.stderr


def test_closed_standard_output(linked: Path, tmp_path: Path) -> None:
    """`edition … >&-`: the output goes nowhere, the command does its work, no error."""
    project = copy(linked, tmp_path)
    for command in (["validate"], ["inspect", "nk"], ["html"]):
        out = subprocess.run([sys.executable, "-m", "pipeline.cli", *command, "--config",
                              str(project / "edition.yaml")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT, timeout=120, preexec_fn=lambda: os.close(1))
        assert out.returncode == 0 and not out.stderr, (command, out.stderr)


def _children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is `pid`, with their command lines (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text(encoding="utf-8", errors="replace").rpartition(")")[2].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                found.append((int(stat.parent.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    """A process runs with that id (a zombie, ended but not yet reaped, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace").rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _working(proc: subprocess.Popen[str], project: Path) -> bool:
    """The build holds the project's lock (its handlers are in place: main() runs) and its
    pool's worker processes run."""
    lock = project / "out" / ".edition.lock"
    with contextlib.suppress(OSError):
        if f"pid {proc.pid} " not in lock.read_text(encoding="utf-8", errors="replace"):
            return False
        return any("multiprocessing" in cmdline for _, cmdline in _children(proc.pid))
    return False


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_build(sig: signal.Signals, code: int, linked: Path, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, the pool's workers too) or SIGTERM during
    `edition build --jobs 2`, sent once the build holds its lock and its workers run (a
    condition, not a time: on a busy machine the start takes seconds, and a worker still
    starting is hit too): one line, exit code 130 or 143, no traceback from any process,
    nothing half-written, no process left; the next build makes the edition."""
    project = copy(linked, tmp_path)
    shutil.rmtree(project / "out" / ".cache")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--clean", "-j", "2", "--config",
                             str(project / "edition.yaml")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and not _working(proc, project):
            assert time.monotonic() < deadline, "the build never reached its workers"
            time.sleep(0.02)
        children = [pid for pid, _ in _children(proc.pid)]
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode in (code, 0), err  # 0: the build was done before the signal
    assert "Traceback" not in err and "Error" not in err, err
    if proc.returncode:
        assert err.strip().splitlines() == ["edition: interrupted; nothing half-written was left behind"], err
    half = [p for p in project.rglob("*") if p.name.endswith(".tmp") or ".transaction" in p.name
            or re.match(r"^\.(html|deposit|pdf)\.", p.name)]
    assert not half, half
    deadline = time.monotonic() + 30  # its workers and its Saxon process were ended by the build
    while alive := [pid for pid in children if _alive(pid)]:
        assert time.monotonic() < deadline, alive
        time.sleep(0.1)
    assert main(["build", "-j", "1", "-q", "--config", str(project / "edition.yaml")]) == 0


def test_a_zip_that_lies_about_its_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`edition deposit --verify` of a zip bomb: a member that says it holds 1,000 bytes and
    unpacks to 50 MB. Nothing past the declared size is unpacked; one clear problem, exit 1."""
    import struct
    import zipfile

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/bagit.txt", "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
        zf.writestr("bag/data/zeros.txt", b"\0" * 50_000_000)
    with zipfile.ZipFile(bomb) as zf:
        local = zf.getinfo("bag/data/zeros.txt").header_offset
    data = bytearray(bomb.read_bytes())
    struct.pack_into("<I", data, local + 22, 1000)  # the local header's uncompressed size
    central = data.rindex(b"PK\x01\x02")  # the last member's central entry
    assert data[central + 46:central + 46 + 18] == b"bag/data/zeros.txt"
    struct.pack_into("<I", data, central + 24, 1000)
    bomb.write_bytes(bytes(data))
    capsys.readouterr()
    code = main(["deposit", "--verify", str(bomb)])
    text = "\n".join(capsys.readouterr())
    assert code == 1, text
    assert "Traceback" not in text and "cannot be read" in text, text
