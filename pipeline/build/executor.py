"""Where the per-document tasks of a stage run: in this process (one job), in a pool of
local worker processes (`--jobs N`, default: the machine's cores), or on a Dask
distributed cluster (`--scheduler ADDRESS`, or `executor:` in edition.yaml).

A task is a module-level function and its arguments are plain data (paths, strings,
bytes, small dicts): what a task needs that is costly to make and cannot be sent between
processes — a Saxon processor with its compiled stylesheets, the compiled schemas — is
made once per worker process by `worker_state` and kept there. Results come back in the
order of the items, whatever the order they were computed in, so the output is the same
bytes with one job, N jobs or a cluster.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor as _PoolExecutor
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from ..errors import EditionError
from ..interrupts import blocked_while_starting, ignore_in_child
from ..memory import give_back
from .progress import Progress

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

_STATE: dict[str, Any] = {}
MAX_JOBS_PER_CORE = 4  # more local worker processes than this are not started


def worker_state(name: str, make: Callable[[], T]) -> T:
    """The per-process object `name`, made by `make()` the first time this process needs it
    (a worker process compiles its stylesheets once, not once per document)."""
    if name not in _STATE:
        _STATE[name] = make()
    return _STATE[name]  # type: ignore[no-any-return]


def forget_worker_state(prefix: str, keep: str = "") -> None:
    """Drops this process's objects whose names begin with `prefix` (but `keep`): those of
    an earlier build, in a worker that serves several (a cluster's)."""
    for name in [n for n in _STATE if n.startswith(prefix) and n != keep]:
        del _STATE[name]


def set_worker_state(name: str, value: object) -> None:
    """Puts this process's own `name` in place (the caller's Saxon processor, say)."""
    _STATE[name] = value


def quiet_worker() -> None:
    """A worker process's start: Ctrl-C (SIGINT, sent to the whole process group) and
    SIGTERM are the building process's to handle; a worker ignores them instead of
    printing a traceback or dying under it, and the building process ends it. The worker
    was started with them blocked (`worker_context`), so none is lost on the way."""
    ignore_in_child()


# Every worker process started, by id, until it is seen ended: a signal deferred during
# a start reaches the pool right after it, before the pool has recorded its new process,
# so `terminate` ends these too (a worker left behind would fail to unpickle its task
# once this process is gone, and print a traceback).
_STARTED: dict[int, multiprocessing.process.BaseProcess] = {}
_STARTING = threading.Lock()  # held while a worker starts (in any thread): `terminate` waits for it


class _QuietSpawnProcess(multiprocessing.context.SpawnProcess):
    """A spawned process started with SIGINT and SIGTERM blocked (pipeline/interrupts.py):
    a signal during its start (importing takes a second or more) cannot reach it before
    `quiet_worker` ignores it."""

    def start(self) -> None:
        with blocked_while_starting(), _STARTING:
            for pid, process in list(_STARTED.items()):
                if process.exitcode is not None:
                    del _STARTED[pid]
            super().start()
            if self.pid is not None:
                _STARTED[self.pid] = self


class _QuietSpawnContext(multiprocessing.context.SpawnContext):
    Process = _QuietSpawnProcess  # type: ignore[assignment]


def worker_context() -> multiprocessing.context.SpawnContext:
    """The multiprocessing context of every local pool (spawned, not forked: Saxon's native
    runtime does not survive a fork); its processes run `quiet_worker` as initializer."""
    return _QuietSpawnContext()


def _run_chunk(task: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    results = [task(item) for item in items]
    give_back()  # (a worker serves the whole build: what a chunk freed is returned)
    return results


def terminate(pool: _PoolExecutor) -> None:
    """Ends a pool's worker processes now (its tasks are abandoned: they write nothing),
    and any worker started but not yet recorded by its pool (the build is interrupted:
    every worker goes)."""
    waited = _STARTING.acquire(timeout=30)  # a start under way in another thread ends first
    try:
        processes = {**_STARTED, **getattr(pool, "_processes", {})}
    finally:
        if waited:
            _STARTING.release()
    for process in processes.values():
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if process.exitcode is None:
                process.kill()
    pool.shutdown(wait=False, cancel_futures=True)  # a pool whose workers were killed may never drain
    # Its manager thread sees the workers gone and closes its wake-up pipe; at exit Python
    # writes to that pipe unless it is closed, and a close under way meanwhile gave an
    # `OSError: Bad file descriptor` traceback: the thread is given a moment to finish.
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None and manager is not threading.current_thread():
        manager.join(timeout=5)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Executor:
    """Runs `task(item)` for each item, in this process."""

    name = "local, 1 job"
    jobs = 1
    shares_disk = True  # a task may write a file for this process to read (not so on a cluster)

    def map(self, task: Callable[[T], R], items: Sequence[T], progress: Progress | None = None) -> list[R]:
        return self.map_then(task, items, _same, progress)

    def map_then(self, task: Callable[[T], R], items: Sequence[T], then: Callable[[R], S],
                 progress: Progress | None = None) -> list[S]:
        """`then(task(item))` for each item, in order; `then` runs in this process as each
        result arrives (it may write the result and keep less of it)."""
        out: list[S] = []
        for item in items:
            out.append(then(task(item)))
            if progress is not None:
                progress.advance()
        return out

    def start(self, task: Callable[[T], R], items: Sequence[T]) -> Started[T, R]:
        """`task` over the items, begun now where other processes run it (the building
        process goes on meanwhile: it makes the next items); `Started.then` takes the
        results in order. In this process nothing runs before `then`."""
        return Started(self, task, items, None)

    def close(self) -> None:
        pass

    def rest(self) -> None:
        """Ends the local worker processes while this process works alone for a while, and
        with them what they hold (their Saxon children, the heap a stage left them): they
        are started afresh when next needed. Nothing to end here or on a cluster."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is not None and issubclass(kind, KeyboardInterrupt):  # Ctrl-C or SIGTERM: no waiting
            self.abort()
        self.close()

    def abort(self) -> None:
        """Ends the work under way at once (the build was interrupted)."""


# Chunks of a map per worker: enough that the last chunks, when one worker finishes before
# the others, leave little idle (and that the building process takes the first results
# early), few enough that the messages cost nothing (a chunk's round trip: about a millisecond).
CHUNKS_PER_JOB = 12


def _chunks(items: Sequence[T], parts: int) -> Iterator[list[T]]:
    """Consecutive chunks, about `parts` of them."""
    size = max(1, -(-len(items) // max(1, parts)))
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


class LocalPool(Executor):
    """A pool of N worker processes on this machine. The processes are started (spawned:
    no copy of this process's threads or native state) the first time a stage needs them
    and serve every stage of the build."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.name = f"local, {jobs} jobs"
        self._pool: _PoolExecutor | None = None

    def pool(self) -> _PoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=worker_context(), initializer=quiet_worker)
        return self._pool

    def map_then(self, task: Callable[[T], R], items: Sequence[T], then: Callable[[R], S],
                 progress: Progress | None = None) -> list[S]:
        if len(items) <= 1:
            return super().map_then(task, items, then, progress)
        return self.start(task, items).then(then, progress)

    def start(self, task: Callable[[T], R], items: Sequence[T]) -> Started[T, R]:
        if not items:
            return super().start(task, items)
        chunks = list(_chunks(items, self.jobs * CHUNKS_PER_JOB))
        return Started(self, task, chunks, [self.pool().submit(_run_chunk, task, c) for c in chunks])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def rest(self) -> None:
        self.close()  # (`pool` starts new workers at the next map)

    def abort(self) -> None:
        if self._pool is not None:
            terminate(self._pool)


class DaskCluster(Executor):
    """The tasks on a Dask distributed cluster, through its scheduler at `address`
    (tcp://host:8786, or a LocalCluster's address). The cluster's workers need this
    package installed (the same version); what is sent is in docs/scaling.md."""

    shares_disk = False  # its workers may be other machines

    def __init__(self, address: str) -> None:
        _check_reachable(address)
        try:
            from distributed import Client
        except ImportError:
            raise EditionError("running on a cluster needs the Dask distributed package",
                               hint="pip install 'edition-pipeline[dask]'") from None
        class _Client(Client):  # type: ignore[misc]
            """A client that, when it fails to connect, closes at once (not after 40 s) and
            leaves no traceback behind at its garbage collection."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                try:
                    super().__init__(*args, **kwargs)
                except BaseException:
                    with contextlib.suppress(BaseException):
                        self.close(timeout=2)
                    raise

            def __del__(self) -> None:
                with contextlib.suppress(BaseException):
                    if self.status != "closed":
                        self.close(timeout=2)

        try:
            self.client = _Client(address, timeout="20s", set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - whatever the client raises (a server that is no scheduler: any)
            what = str(exc).strip()[:200] or type(exc).__name__
            raise EditionError(f"no Dask scheduler answers at this address ({what})", path=address,
                               hint="check the address (tcp://host:8786) and that the scheduler runs") from None
        workers = self.client.scheduler_info().get("workers", {})
        self.jobs = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))
        self.name = f"Dask cluster {address}, {len(workers)} workers"

    def map_then(self, task: Callable[[T], R], items: Sequence[T], then: Callable[[R], S],
                 progress: Progress | None = None) -> list[S]:
        if not items:
            return []
        return self.start(task, items).then(then, progress)

    def start(self, task: Callable[[T], R], items: Sequence[T]) -> Started[T, R]:
        chunks = list(_chunks(items, self.jobs * CHUNKS_PER_JOB))
        # pure=False: a task reads files, its result is not a function of its arguments alone
        return Started(self, task, chunks, list(self.client.map(_run_chunk, [task] * len(chunks), chunks, pure=False)))

    def close(self) -> None:
        self.client.close()


_ADDRESS = re.compile(r"(?P<scheme>tcp|tls|ws|wss|ucx)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})/?")
CONNECT_SECONDS = 5


def _check_reachable(address: str) -> None:
    """A scheduler's address is checked before Dask's client is made: a malformed one is a
    usage error, one that nothing answers at fails within seconds (Dask's client would
    wait, and then wait again to close)."""
    match = _ADDRESS.fullmatch(address)
    if match is None:
        raise EditionError("not the address of a Dask scheduler", path=address, exit_code=2,
                           hint="give it as tcp://host:port, e.g. tcp://scheduler.example.org:8786")
    host, port = match.group("host").strip("[]"), int(match.group("port"))
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise EditionError(f"cannot reach the Dask scheduler: {exc.strerror or exc}", path=address,
                           hint="check the address (tcp://host:8786) and that the scheduler runs") from None


def _same(result: R) -> R:
    return result


class Started(Generic[T, R]):
    """A map begun by `Executor.start`: its chunks' futures (None: nothing begun, the
    items run in this process when `then` is called)."""

    def __init__(self, executor: Executor, task: Callable[[T], R], parts: Sequence[Any],
                 futures: list[Any] | None) -> None:
        self.executor, self.task, self.parts, self.futures = executor, task, parts, futures

    def then(self, then: Callable[[R], S], progress: Progress | None = None) -> list[S]:
        """`then(result)` for each item's result, in order, as they arrive."""
        if self.futures is None:
            return Executor.map_then(self.executor, self.task, self.parts, then, progress)
        return _gather(self.futures, self.parts, then, progress)


def _gather(futures: list[Any], chunks: Sequence[Sequence[T]], then: Callable[[Any], S],
            progress: Progress | None) -> list[S]:
    """`then` of the chunks' results in order (a pool's or a cluster's futures), counting
    each chunk done; a chunk's future is let go once `then` has seen its results."""
    out: list[S] = []
    for i, chunk in enumerate(chunks):
        out.extend(then(r) for r in futures[i].result())
        futures[i] = None  # the future holds its results
        if progress is not None:
            progress.advance(len(chunk))
    return out


def make_executor(jobs: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor asked for: a cluster when a scheduler address is given, else `jobs`
    local processes (default: the machine's cores; 1 runs everything in this process)."""
    if scheduler:
        return DaskCluster(scheduler)
    n = default_jobs() if jobs is None else jobs
    if n < 1:
        raise EditionError(f"--jobs must be at least 1, not {n}")
    most = MAX_JOBS_PER_CORE * default_jobs()
    if n > most:  # ten thousand processes would exhaust the machine before they helped
        print(f"edition: warning: {n} jobs are more than {MAX_JOBS_PER_CORE} per core; {most} are used",
              file=sys.stderr)
        n = most
    return Executor() if n == 1 else LocalPool(n)
