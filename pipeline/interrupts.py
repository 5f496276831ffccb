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
from collections.abc import Iterator

SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def blocked_while_starting() -> Iterator[None]:
    """Blocks SIGINT and SIGTERM in the calling thread for the block (a child process
    started in it inherits the mask); a signal that comes meanwhile is delivered after."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    except (AttributeError, ValueError, OSError):  # not on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_in_child() -> None:
    """A child process's first act: SIGINT and SIGTERM are ignored, then unblocked."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    with contextlib.suppress(AttributeError, ValueError, OSError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
