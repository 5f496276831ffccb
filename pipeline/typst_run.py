"""Typst in a child process of its own, with bounded memory and time: a source that makes
Typst run away (a paragraph of megabytes, a layout loop) ends as one clear error instead
of a hang or an exhausted machine.

The parent (`compile_limited`) sends the job as JSON on standard input; the child sets
its limits (`resource.setrlimit`: address space and CPU seconds) before it imports Typst,
compiles, optionally queries, writes the PDF to the file it was given and answers in
JSON on standard output. The parent also stops it after the wall-clock limit. Typst's
root and package folders are the ones the job names (the build folder, empty folders):
no file elsewhere is read and no package is downloaded."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Limits:
    seconds: int = 300       # wall clock (and CPU) of one compilation
    megabytes: int = 8000    # address space of the child


@dataclass
class Outcome:
    pdf: bytes | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)   # message, diagnostic
    error: dict[str, Any] | None = None                          # message, diagnostic, hints
    query: Any = None


class LimitExceeded(Exception):
    """Typst went past its time or memory limit (the message says which)."""


def compile_limited(job: dict[str, Any], limits: Limits) -> Outcome:
    """Runs one compilation (see `_child`) in a child process within `limits`."""
    with tempfile.TemporaryDirectory(prefix="edition-typst-run-") as tmp:
        out = Path(tmp) / "out.pdf"
        request = json.dumps({**job, "output": str(out), "seconds": limits.seconds,
                              "megabytes": limits.megabytes})
        env = {k: v for k, v in os.environ.items() if not k.startswith("TYPST_")}
        from .interrupts import blocked_while_starting

        # -I: the child imports nothing from the project or the environment (the file alone);
        # it starts with Ctrl-C and SIGTERM blocked and ignores them: they are this process's
        proc: subprocess.Popen[bytes] | None = None
        try:
            with blocked_while_starting():
                proc = subprocess.Popen([sys.executable, "-I", str(Path(__file__).resolve())],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=env, cwd=job.get("root") or tmp)
            stdout, stderr = proc.communicate(request.encode("utf-8"), timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            assert proc is not None
            proc.kill()
            proc.wait()
            raise LimitExceeded(f"typesetting took more than {limits.seconds} s") from None
        except BaseException:  # interrupted: the child is ours to end
            if proc is not None:
                proc.kill()
                proc.wait()
            raise
        if proc.returncode != 0:
            text = stderr.decode("utf-8", "replace")
            if proc.returncode in (-9, -24, 152) or "MemoryError" in text or "memory allocation" in text \
                    or proc.returncode < 0:
                raise LimitExceeded(f"typesetting needed more than {limits.megabytes} MB of memory or "
                                    f"{limits.seconds} s of CPU (it ended with {proc.returncode})")
            raise LimitExceeded(f"the typesetting process failed: {text.strip().splitlines()[-1:] or proc.returncode}")
        answer = json.loads(stdout.decode("utf-8"))
        outcome = Outcome(warnings=answer.get("warnings", []), error=answer.get("error"), query=answer.get("query"))
        if outcome.error is None:
            outcome.pdf = out.read_bytes()
        return outcome


def _child() -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):  # the parent's to handle (pipeline/interrupts.py)
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    job = json.loads(sys.stdin.buffer.read())
    memory = int(job["megabytes"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = int(job["seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    import typst

    kwargs: dict[str, Any] = {"root": job["root"], "ignore_system_fonts": job.get("ignore_system_fonts", True),
                              "font_paths": [], "package_path": job["packages"],
                              "package_cache_path": job["packages"]}
    source = job.get("source")
    compiler = typst.Compiler(job["input"], **kwargs) if job.get("input") else typst.Compiler(**kwargs)
    answer: dict[str, Any] = {}
    try:
        args: dict[str, Any] = {"format": "pdf"}
        if job.get("pdf_standards"):
            args["pdf_standards"] = job["pdf_standards"]
        if job.get("pdf_tags"):
            args["pdf_tags"] = True
        if source is not None:
            pdf, warnings = compiler.compile_with_warnings(source.encode("utf-8"), **args)
        else:
            pdf, warnings = compiler.compile_with_warnings(**args)
        if not isinstance(pdf, bytes):
            raise SystemExit("Typst produced no PDF")
        Path(job["output"]).write_bytes(pdf)
        answer["warnings"] = [{"message": str(getattr(w, "message", w)),
                               "diagnostic": str(getattr(w, "diagnostic", "") or "")} for w in warnings]
        if job.get("query"):
            answer["query"] = json.loads(compiler.query(job["query"], field="value", one=True, format="json"))
    except typst.TypstError as exc:
        answer["error"] = {"message": str(getattr(exc, "message", "") or exc),
                           "diagnostic": str(getattr(exc, "diagnostic", "") or ""),
                           "hints": [h for h in (getattr(exc, "hints", None) or []) if h]}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child()
