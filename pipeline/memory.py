"""Giving freed memory back to the system.

CPython frees an object's memory into the C library's heap, and glibc keeps the freed
blocks for reuse rather than returning them: a process that once held a stage's peak
(a conversion of twenty thousand documents, the pages of a listing) goes on holding that
much resident memory, though most of it is free. `give_back()` asks glibc to return the
free pages (malloc_trim), so that what the later stages need is added to what is really
in use, not to the earlier peak. Elsewhere than on glibc it does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def give_back() -> None:
    """Returns the free memory of this process's C heap to the system (glibc)."""
    trim = _trim()
    if trim is not None:
        trim(0)
