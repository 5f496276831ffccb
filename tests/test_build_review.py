"""The review page (out/reports/review.html) in `edition build`: rendered once, by the web
stage (with the name links), not first by the conversion too; and rendered still when the
build stops before the web stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import pipeline.html
import pipeline.html.report
from pipeline.cli import main
from pipeline.errors import EditionError

from .hostile_project import one_source_project


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return one_source_project(tmp_path / "project", documents=2)


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = pipeline.html.report.write_report

    def counted(root: Path, reports: Path, *args: Any, **kwargs: Any) -> Path:
        calls.append(reports)
        return real(root, reports, *args, **kwargs)

    monkeypatch.setattr(pipeline.html.report, "write_report", counted)
    return calls


def test_a_build_renders_the_review_page_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renders = _count_renders(monkeypatch)
    assert main(["build", "-q", "-j", "1", "--no-pdf", "--config", str(project / "edition.yaml")]) == 0
    assert len(renders) == 1
    page = (project / "out" / "reports" / "review.html").read_text(encoding="utf-8")
    assert "register entry without documents" in page  # the web stage's rendering (the conversion has no registers)


def test_a_build_that_stops_before_the_web_stage_still_renders_it(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    renders = _count_renders(monkeypatch)

    def broken(args: Any) -> int:
        raise EditionError("the web stage failed", path="tei/")

    monkeypatch.setattr(pipeline.html, "build", broken)
    assert main(["build", "-q", "-j", "1", "--no-pdf", "--config", str(project / "edition.yaml")]) == 1
    assert "the web stage failed" in capsys.readouterr().err
    assert len(renders) == 1
    page = project / "out" / "reports" / "review.html"
    csv_rows = (project / "out" / "reports" / "review.csv").read_text(encoding="utf-8").count("\n") - 1
    assert page.is_file() and csv_rows > 0
    assert page.read_text(encoding="utf-8").count("<tr") >= csv_rows  # each item of the CSV on the page
