"""One progress line per stage on a terminal: `html  412/763  1.8 s`, rewritten in place,
finished with the stage's total. Nothing when standard error is not a terminal or with -q."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stage: str, total: int, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stage = stage
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.perf_counter()
        self._shown = 0.0
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self._shown >= 0.1 or self.done >= self.total:
            self._draw()

    def _draw(self, end: str = "") -> None:
        if not self.enabled:
            return
        self._shown = time.perf_counter()
        elapsed = self._shown - self.started
        self.stream.write(f"\r{self.stage:<9} {self.done:>6}/{self.total:<6} {elapsed:6.1f} s{end}")
        self.stream.flush()

    def finish(self) -> None:
        self._draw(end="\n")


class Quiet(Progress):
    def __init__(self, stage: str = "", total: int = 0) -> None:
        super().__init__(stage, total, enabled=False)
