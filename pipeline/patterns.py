"""Regular expressions an edition brings — layout keys, citation shapes, type words — run
under a time limit.

A pattern that backtracks without end on some paragraph (`(a|aa)+$`, `(\\w+\\s?)+$` on a
long line) would hang `convert` and `inspect`, and Python's `re` cannot be interrupted: a
match holds the interpreter until it returns. The `regex` module reads the same syntax and
stops a match after `timeout=` seconds, so the edition's own patterns are compiled with it
and a run-away one becomes one error line naming where it is written. The pipeline's own
patterns stay with `re`: they are tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import regex

from .errors import EditionError

SECONDS = 5.0  # for one call (edition.yaml `limits: pattern_seconds`): legitimate ones take milliseconds
HINT = ("rewrite it without a repetition inside a repetition, such as (a+)+ or (a|aa)*: "
        "make each part match something the others cannot")

T = TypeVar("T")

_READING: ContextVar[str] = ContextVar("reading", default="")
_SECONDS: ContextVar[float] = ContextVar("seconds", default=SECONDS)


def current_limit() -> float:
    """The time limit of a pattern compiled now."""
    return _SECONDS.get()


@contextmanager
def _set(var: ContextVar[T], value: T) -> Iterator[None]:
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def time_limit(seconds: float) -> AbstractContextManager[None]:
    """The time limit of the patterns compiled inside (edition.yaml `limits: pattern_seconds`)."""
    return _set(_SECONDS, seconds)


def reading(name: str) -> AbstractContextManager[None]:
    """Names the text the edition's patterns are applied to, for the error of one that runs away."""
    return _set(_READING, name)


class EditionPattern:
    """A compiled pattern of the edition's, with where it is written (file and line).

    It answers what `re.Pattern` answers (match, search, fullmatch, finditer, findall,
    sub, split; pattern, flags, groups, groupindex); each call runs for at most `seconds`."""

    __slots__ = ("_rx", "path", "line", "seconds", "shown")

    def __init__(self, text: str, flags: int = 0, *, path: str | None = None, line: int | None = None,
                 seconds: float | None = None, shown: str | None = None) -> None:
        try:
            self._rx = regex.compile(text, flags)
        except regex.error as exc:
            raise re.error(str(exc)) from None  # callers report re.error with the file and line
        self.path, self.line = path, line
        self.seconds = seconds if seconds is not None else _SECONDS.get()
        self.shown = shown or text  # what the edition wrote (a part of `text`, for type words)

    @property
    def pattern(self) -> str:
        return str(self._rx.pattern)

    @property
    def flags(self) -> int:
        return int(self._rx.flags)

    @property
    def groups(self) -> int:
        return int(self._rx.groups)

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self._rx.groupindex)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EditionPattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"EditionPattern({self.pattern!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.pattern, self.flags, self.path, self.line, self.seconds, self.shown))

    def _timed(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args, timeout=self.seconds)
        except TimeoutError:
            raise self._ran_away() from None

    def _ran_away(self) -> EditionError:
        where = _READING.get() or "a text"
        return EditionError(
            f"the pattern {self.shown!r} ran for more than {self.seconds:g} s on one paragraph of {where} "
            "and was stopped: it backtracks without end", path=self.path, line=self.line, hint=HINT)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self._timed(self._rx.match, string, pos, endpos)  # type: ignore[no-any-return]

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self._timed(self._rx.search, string, pos, endpos)  # type: ignore[no-any-return]

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self._timed(self._rx.fullmatch, string, pos, endpos)  # type: ignore[no-any-return]

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        return self._timed(self._rx.findall, string, pos, endpos)  # type: ignore[no-any-return]

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        # the limit holds for the whole scan: the iterator is drained here (a text's matches are few)
        return iter(self._timed(lambda *a, **k: list(self._rx.finditer(*a, **k)), string, pos, endpos))

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self._timed(self._rx.sub, repl, string, count)  # type: ignore[no-any-return]

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self._timed(self._rx.split, string, maxsplit)  # type: ignore[no-any-return]


def _rebuild(text: str, flags: int, path: str | None, line: int | None, seconds: float,
             shown: str) -> EditionPattern:
    return EditionPattern(text, flags, path=path, line=line, seconds=seconds, shown=shown)


Pattern = re.Pattern[str] | EditionPattern  # a layout's patterns: the edition's, or found in the text (escaped)
