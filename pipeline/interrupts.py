"""Ctrl-C (SIGINT, sent to the whole process group) and SIGTERM belong to the building
process: it removes its temporary files and ends its child processes itself. A child
process (a worker of `--jobs N` or of the PDF, the Saxon process) must therefore never
act on them — not even while it starts: a newly spawned Python takes a second or more
to import its modules (more on a busy machine), and a SIGINT in that time printed a
`KeyboardInterrupt` traceback, a SIGTERM ended it before the building process could.

So a child is started with the two signals *blocked* (`blocked_while_starting`, around
the fork and exec: a signal mask is inherited across both), and its first act is to
ignore them and unblock them (`ignore_in_child`): a signal that came meanwhile stays
pending while blocked and is discarded once ignored. The building process's own
handling is unchanged: only the thread that starts the child blocks them, for the
moment of the start.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done: blocked in the calling thread (a
    child process started in it inherits the mask) and, in the main thread, held back from
    Python too — a signal the system hands to another thread of this process would still
    make the main thread raise KeyboardInterrupt at once; it is raised when the block ends."""
    main = threading.current_thread() is threading.main_thread()
    caught: list[int] = []
    previous_handlers: dict[int, Any] = {}
    if main:
        for sig in SIGNALS:
            previous_handlers[sig] = signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    except (AttributeError, ValueError, OSError):  # not on this platform
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for number, handler in previous_handlers.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)  # now handled as it would have been


blocked_while_starting = deferred  # around the start of a child process


def ignore_in_child() -> None:
    """A child process's first act: SIGINT and SIGTERM are ignored, then unblocked."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    with contextlib.suppress(AttributeError, ValueError, OSError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
