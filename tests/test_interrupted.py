"""Interrupted runs never poison the edition: a build killed (SIGKILL) at any of its
durable steps, followed by a normal build, gives exactly the files of an uninterrupted
build and reports no hand edits. One run at a time: the project's lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .hostile_project import one_source_project, snapshot


def edition(project: Path, *args: str, kill_after: int | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **(env or {})}
    environ.pop("EDITION_TEST_KILL_AFTER", None)
    if kill_after is not None:
        environ["EDITION_TEST_KILL_AFTER"] = str(kill_after)
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "-q", "--config",
                           str(project / "edition.yaml")], capture_output=True, text=True, cwd=project, env=environ)


def build(project: Path) -> str:
    """convert + link, as `edition build` runs them; returns what they printed."""
    printed = ""
    for stage in ("convert", "link"):
        out = edition(project, stage)
        printed += out.stdout + out.stderr
        assert out.returncode == 0, printed
    return printed


def products(project: Path) -> dict[str, bytes]:
    return {**{f"tei/{k}": v for k, v in snapshot(project / "tei").items()},
            **{f"out/reports/{k}": v for k, v in snapshot(project / "out" / "reports").items()}}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = one_source_project(tmp_path_factory.mktemp("clean") / "project")
    build(project)
    build(project)  # the state a second build starts from, and what it produces
    return project


@pytest.mark.parametrize("stage", ["convert", "link"])
def test_a_build_killed_at_any_step_does_not_poison_the_edition(built: Path, tmp_path: Path, stage: str) -> None:
    expected = products(built)
    killed_at: list[int] = []
    states: set[str] = set()  # what the killed run left: a transaction being prepared, committed, or none
    step = 1
    while True:
        project = tmp_path / f"{stage}-{step}"
        shutil.copytree(built, project, symlinks=True)
        if stage == "link":
            assert edition(project, "convert").returncode == 0
        out = edition(project, stage, kill_after=step)
        if out.returncode == 0:
            break  # the stage has fewer steps: every one was tried
        assert out.returncode == -signal.SIGKILL, out.stderr
        killed_at.append(step)
        states.add("committed" if (project / "tei" / ".transaction").exists()
                   else "preparing" if (project / "tei" / ".transaction.new").exists() else "none")
        printed = build(project)
        assert "hand" not in printed, f"killed at step {step} of {stage}: {printed}"
        assert products(project) == expected, f"killed at step {step} of {stage}"
        assert not list(project.rglob("*.tmp")) and not list((project / "tei").glob(".transaction*"))
        shutil.rmtree(project)
        step += 4
    assert len(killed_at) >= 8, killed_at  # the stage was killed at many moments
    # killed while preparing the transaction (rolled back) and after its commit point (replayed)
    assert {"committed", "preparing"} <= states, states


def test_one_run_at_a_time(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(built, project, symlinks=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipeline.lock import project_lock\n"
        "with project_lock(Path(sys.argv[1]), 'build'):\n"
        "    print('locked', flush=True); time.sleep(60)\n"), str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        out = edition(project, "convert", env={"EDITION_LOCK_WAIT": "1"})
        assert out.returncode == 1
        assert f"pid {holder.pid}" in out.stderr and "edition build" in out.stderr and "Traceback" not in out.stderr
        assert time.monotonic() - started < 30
        # validate only reads: it does not wait for the lock
        assert edition(project, "validate", env={"EDITION_LOCK_WAIT": "0"}).returncode == 0
        holder.send_signal(signal.SIGKILL)  # a stale lock: its holder died without cleaning up
        holder.wait()
        assert edition(project, "convert", env={"EDITION_LOCK_WAIT": "1"}).returncode == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_killed_run_s_staging_is_cleaned_and_nothing_changed_writes_nothing(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(built, project, symlinks=True)
    staging = project / "out" / ".html.k3xq9z_a"
    (staging / "documents").mkdir(parents=True)
    (staging / "documents" / "x.html").write_text("half", encoding="utf-8")
    stray = project / "tei" / "nk" / ".nk-555.xml.ab12cd34.tmp"
    stray.write_text("half", encoding="utf-8")
    assert edition(project, "link").returncode == 0
    assert not staging.exists() and not stray.exists()
    # link run again changes nothing: no TEI file, no manifest, no report is rewritten
    times = {p: p.stat().st_mtime_ns for p in [*project.rglob("tei/**/*"), *project.rglob("out/reports/*")]
             if p.is_file()}
    time.sleep(0.05)
    assert edition(project, "link").returncode == 0
    assert {p: p.stat().st_mtime_ns for p in times} == times


# The stages after link, killed (SIGKILL) while they write: the next `edition build`
# gives byte for byte what a build never interrupted gives. Each stage starts from the
# state the build leaves before it, with its output removed so that it writes every file.
STAGES_AFTER_LINK = {"pdf": "out/pdf", "html": "out/html", "deposit": "out/deposit"}
FIXED_DATE = {"SOURCE_DATE_EPOCH": "1767225600"}  # the deposit's and the pages' date: the same in every run


def published(project: Path) -> dict[str, bytes]:
    """What a build makes (the TEI, the reports, the PDF, the site, the deposit); the build
    cache and the lock aside."""
    return {k: v for k, v in snapshot(project).items()
            if k.startswith(("tei/", "out/")) and not k.startswith("out/.cache/")}


@pytest.fixture(scope="module")
def published_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = one_source_project(tmp_path_factory.mktemp("published") / "project", documents=3)
    out = edition(project, "build", "--deposit", "-j", "1", env=FIXED_DATE)
    assert out.returncode == 0, out.stderr
    return project


@pytest.mark.parametrize("stage", sorted(STAGES_AFTER_LINK))
def test_a_publishing_stage_killed_at_any_step_then_rebuilt(published_build: Path, tmp_path: Path,
                                                            stage: str) -> None:
    expected = published(published_build)
    killed_at: list[int] = []
    step = 1
    while True:
        project = tmp_path / f"{stage}-{step}"
        shutil.copytree(published_build, project, symlinks=True)
        shutil.rmtree(project / STAGES_AFTER_LINK[stage])
        out = edition(project, stage, kill_after=step, env=FIXED_DATE)
        if out.returncode == 0:
            break  # the stage has fewer steps: the last kill point was tried
        assert out.returncode == -signal.SIGKILL, out.stderr
        killed_at.append(step)
        rebuilt = edition(project, "build", "--deposit", "-j", "1", env=FIXED_DATE)
        assert rebuilt.returncode == 0, f"killed at step {step} of {stage}: {rebuilt.stderr}"
        assert "hand" not in rebuilt.stdout + rebuilt.stderr, rebuilt.stderr
        got = published(project)
        assert sorted(got) == sorted(expected), f"killed at step {step} of {stage}"
        assert [k for k in expected if got[k] != expected[k]] == [], f"killed at step {step} of {stage}"
        assert not [p for p in project.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(f".{stage}.")]
        shutil.rmtree(project)
        step = step + 1 if step < 4 else step * 4  # 1, 2, 3, 4, 16, 64 …: early, middle and late moments
    assert len(killed_at) >= 2, killed_at  # the stage was killed at several moments
