"""The same build on one core, on every core and on a Dask cluster gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_build_incremental import build, products, small_project


@pytest.fixture(scope="module")
def one_job(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    project = small_project(tmp_path_factory.mktemp("parallel") / "one")
    build(project, "--jobs", "1")
    return products(project)


def test_two_jobs_give_the_same_bytes(one_job: dict[str, bytes], tmp_path: Path) -> None:
    project = small_project(tmp_path / "two")
    build(project, "--jobs", "2")
    assert products(project) == one_job


def test_dask_cluster_gives_the_same_bytes(one_job: dict[str, bytes], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    project = small_project(tmp_path / "dask")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        out = build(project, "--scheduler", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            # the per-document tasks went through the cluster's scheduler to its workers
            prefixes = client.run_on_scheduler(lambda dask_scheduler: {
                name: dict(p.states) for name, p in dask_scheduler.task_prefixes.items()})
    assert "Dask cluster" in out.stdout
    assert "run_chunk" in prefixes, prefixes  # the executor's task (Dask drops the leading _)
    assert products(project) == one_job
    assert "Traceback" not in out.stderr


def test_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    project = small_project(tmp_path / "nowhere")
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--scheduler", "tcp://127.0.0.1:9"],
                         capture_output=True, text=True, cwd=project, timeout=120)
    assert out.returncode == 1
    assert "Dask scheduler" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_progress_line_on_a_terminal_only() -> None:
    import io

    from pipeline.build.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    p = Progress("html", 3, stream=shown)
    for _ in range(3):
        p.advance()
    p.finish()
    text = shown.getvalue()
    assert "\r" in text and "3/3" in text and text.endswith("s\n")
    assert text.rsplit("\r", 1)[-1].startswith("html") and "3/3" in text.rsplit("\r", 1)[-1]
    piped = io.StringIO()  # not a terminal: nothing
    p = Progress("html", 3, stream=piped)
    p.advance(3)
    p.finish()
    assert piped.getvalue() == ""
    quiet = Terminal()  # -q: nothing either
    p = Progress("html", 3, stream=quiet, enabled=False)
    p.advance(3)
    p.finish()
    assert quiet.getvalue() == ""


def test_a_resting_pool_ends_its_workers_and_starts_new_ones() -> None:
    """`rest` (the HTML stage's listings of a big edition, made in this process alone):
    the local worker processes end, with what they hold, and the next map starts others."""
    import multiprocessing

    from pipeline.build.executor import LocalPool

    pool = LocalPool(2)
    try:
        assert pool.map(abs, [-1, -2, -3]) == [1, 2, 3]
        before = {p.pid for p in multiprocessing.active_children()}
        assert before
        pool.rest()
        assert not {p.pid for p in multiprocessing.active_children()} & before
        assert pool.map(abs, [-4, -5, -6]) == [4, 5, 6]
        after = {p.pid for p in multiprocessing.active_children()}
        assert after and not after & before
    finally:
        pool.close()
