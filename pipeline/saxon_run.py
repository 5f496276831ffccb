"""Saxon in a child process of its own, with bounded time and memory: a transform that
runs away (a stylesheet's work growing faster than its input, an input too big for the
memory) ends as one clear error naming the file instead of a hang or an exhausted machine.

One child serves every transform of the process that started it (its Saxon processor and
compiled stylesheets are kept between requests, so the normal path costs one message each
way). The parent sends a request (stylesheet, file or XML text, parameters) and waits for
the answer; meanwhile it watches the child: past `seconds` of wall-clock time or
`megabytes` of resident memory the child is killed, the request fails with
`LimitExceeded`, and the next request starts a new child. The child also limits its own
CPU time per request (`resource.setrlimit`), so it cannot outlive a parent killed
meanwhile by much. Saxon's heap keeps what it once needed (a listing made from the
catalogue of twenty thousand documents) and grows slowly with every document: a child
that holds more than RECYCLE_MEGABYTES (or twice what it held when its first stylesheet
was compiled, if more) after an answer is ended, and the next request starts a fresh one
(its stylesheets are compiled again), so that a long build's children stay small.
Messages are length-prefixed JSON on the child's standard input and output; a
transform's result follows its answer as UTF-8 bytes (not escaped into the JSON: a
listing of 20,000 documents is tens of megabytes, copied once less each side)."""

from __future__ import annotations

import atexit
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .interrupts import blocked_while_starting

_HEADER = struct.Struct(">Q")
PREPARE_SECONDS = 60  # starting Saxon and compiling a stylesheet, before the transform's own limit
RECYCLE_MEGABYTES = 320  # a child resident above this after an answer is ended (the next request starts one)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class SaxonLimits:
    seconds: int = 300       # wall clock of one transform
    megabytes: int = 4000    # resident memory of the Saxon process


class LimitExceeded(Exception):
    """The transform went past its time or memory limit (the message says which)."""


class ChildFailed(Exception):
    """The Saxon process ended without an answer (the message says how)."""


def _send(stream: Any, message: dict[str, Any], payload: bytes = b"") -> None:
    """A message, then `payload` as it is (a transform's result: not escaped into the
    JSON and copied again, which for a listing of 20,000 documents is tens of MB)."""
    data = json.dumps({**message, "payload": len(payload)} if payload else message, ensure_ascii=False).encode("utf-8")
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    if payload:
        stream.write(payload)
    stream.flush()


def _read_exact(fd: int, size: int) -> bytearray:
    """`size` bytes from `fd`, read into one buffer (no list of chunks joined: one copy)."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    done = 0
    while done < size:
        got = os.readv(fd, [view[done:done + (1 << 20)]])
        if not got:
            raise EOFError
        done += got
    view.release()
    return buffer


def _receive(fd: int) -> dict[str, Any]:
    """A message; its payload, if any, as the text "result"."""
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size))
    answer: dict[str, Any] = json.loads(_read_exact(fd, size).decode("utf-8"))
    if answer.get("payload"):
        answer["result"] = _read_exact(fd, int(answer.pop("payload"))).decode("utf-8")
    return answer


def _resident_megabytes(pid: int) -> float:
    """The resident memory of a process (Linux /proc; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


_CHILDREN: weakref.WeakSet[SaxonChild] = weakref.WeakSet()


@atexit.register
def _stop_children() -> None:
    """The children end with their parent (and are waited for: their CPU time is its)."""
    for child in list(_CHILDREN):
        child.stop()


class SaxonChild:
    """The parent's handle on its Saxon process (started by `start` or the first request)."""

    def __init__(self, limits: SaxonLimits) -> None:
        self.limits = limits
        self._proc: subprocess.Popen[bytes] | None = None
        self.compiled: set[str] = set()  # stylesheets given as text that the running child holds
        self.recycle_megabytes = min(RECYCLE_MEGABYTES, limits.megabytes)
        self.fresh_factor = 2.0  # ... or above this many times its size once its first stylesheet was compiled
        self.restarts = 0  # children ended for their size (recycle)
        self._fresh = 0.0  # the running child's resident MB once its first stylesheet was compiled
        _CHILDREN.add(self)

    def start(self) -> subprocess.Popen[bytes]:
        """Starts the child unless it runs (it imports Saxon while the caller goes on)."""
        if self._proc is None or self._proc.poll() is not None:
            self.compiled = set()
            self._fresh = 0.0
            # the child imports this very package, wherever the parent found it
            package_parent = str(Path(__file__).resolve().parent.parent)
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
            with blocked_while_starting():  # Ctrl-C and SIGTERM are the parent's (pipeline/interrupts.py)
                self._proc = subprocess.Popen([sys.executable, "-m", "pipeline.saxon_run"], stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                              cwd=package_parent)
        return self._proc

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Sends one request and returns the answer, within the limits."""
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _send(proc.stdin, {**message, "seconds": self.limits.seconds, "cwd": os.getcwd()})
        except (BrokenPipeError, OSError):
            self.stop()
            raise ChildFailed("the Saxon process ended before it read the request") from None
        fd = proc.stdout.fileno()
        # Starting Saxon and compiling the stylesheet is the program's own work, not the
        # document's: the limit counts from the child's word that the transform begins
        # (the start and the compilation get a minute at least, whatever the limit).
        deadline = time.monotonic() + max(self.limits.seconds, PREPARE_SECONDS)
        while True:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    answer = _receive(fd)
                    if answer.get("started"):
                        deadline = time.monotonic() + self.limits.seconds
                        self._fresh = self._fresh or _resident_megabytes(proc.pid)
                        continue
                    if _resident_megabytes(proc.pid) > max(self.recycle_megabytes, self.fresh_factor * self._fresh):
                        self.stop()  # its heap keeps what it grew to: a fresh child for the next request
                        self.restarts += 1
                        self.start()  # (it imports Saxon while the caller goes on)
                    return answer
                except (EOFError, ValueError):
                    code = proc.wait()
                    self._proc = None
                    if code in (-signal.SIGXCPU, -signal.SIGKILL):
                        raise LimitExceeded(f"took more than {self.limits.seconds} s of CPU") from None
                    raise ChildFailed(f"the Saxon process ended without an answer ({code})") from None
            if time.monotonic() > deadline:
                self.stop()
                raise LimitExceeded(f"took more than {self.limits.seconds} s")
            if _resident_megabytes(proc.pid) > self.limits.megabytes:
                self.stop()
                raise LimitExceeded(f"needed more than {self.limits.megabytes} MB of memory")

    def stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
            self._proc = None

    def __del__(self) -> None:
        # at interpreter exit (modules such as contextlib may be gone): nothing to report to
        try:  # noqa: SIM105
            self.stop()
        except Exception:
            pass


# ----------------------------------------------------------------------------- the child


def _limit_cpu(seconds: int, hard: int) -> None:
    """This process may use `seconds` more of CPU time (and a few for the answer)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + seconds + 5
    if hard == resource.RLIM_INFINITY or cpu < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _serve() -> None:
    from .interrupts import ignore_in_child

    ignore_in_child()  # the parent ends this process (it gets EOF or is killed)
    from .errors import EditionError
    from .memory import give_back
    from .transform import Transformer

    transformer = Transformer(limits=None)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    out = sys.stdout.buffer
    fd = sys.stdin.buffer.fileno()
    while True:
        payload = b""
        try:
            request = _receive(fd)
        except EOFError:
            return
        _limit_cpu(max(int(request["seconds"]), PREPARE_SECONDS), hard)
        try:
            if request["cwd"] != os.getcwd():  # relative paths are the parent's
                os.chdir(request["cwd"])
                assert transformer.processor is not None
                transformer.processor.set_cwd(request["cwd"])
            if request.get("stylesheet_text") is not None:  # a stylesheet made in memory (a Schematron's)
                sheet = transformer.stylesheet_text(request["stylesheet"], request["stylesheet_text"],
                                                    request["base_uri"])
            else:
                sheet = transformer.stylesheet(Path(request["stylesheet"]))
            _send(out, {"started": True})  # compiled: the transform's own limit begins
            _limit_cpu(int(request["seconds"]), hard)
            sheet.messages.clear()
            payload = sheet.apply(request["source"], params=request.get("params"), text=request.get("text")
                                  ).encode("utf-8")
            answer: dict[str, Any] = {"messages": list(sheet.messages)}
            if not payload:
                answer["result"] = ""
        except EditionError as exc:
            answer = {"error": {"message": exc.message, "path": exc.path, "line": exc.line, "hint": exc.hint,
                                "exit_code": exc.exit_code}}
        except Exception as exc:  # noqa: BLE001 - a bug: reported by the parent, never a traceback here
            answer = {"internal": f"{type(exc).__name__}: {str(exc)[:300]}"}
        _send(out, answer, payload)
        del answer, request, payload
        give_back()  # (the request's and the answer's copies: a catalogue of megabytes)


if __name__ == "__main__":
    _serve()
