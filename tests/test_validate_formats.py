"""Report formats at scale (JUnit counts, GitHub's cap, SARIF's shape) and the rules across
files when only some files are checked (the tree index and its cache)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline import validate as v

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "fixtures" / "validate" / "project"
SCHEMAS = HERE.parent / "schemas"


def report(errors: int, warnings: int, files: int = 3) -> v.Report:
    names = [f"tei/f{k}.xml" for k in range(files)]
    findings = [v.Finding(names[k % files], k + 1, 2, v.ERROR, f"error number {k}", "rule-a") for k in range(errors)]
    findings += [v.Finding(names[k % files], k + 1, 3, v.WARNING, f"warning {k}", "rule-b") for k in range(warnings)]
    findings.append(v.Finding(names[0], 0, 0, v.ERROR, "cannot read the file", "io-error"))
    return v.Report(files=names, findings=findings, seconds={n: 0.25 for n in names}, started=1_700_000_000.0)


def test_junit_counts_add_up() -> None:
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromstring(v.format_junit(report(7, 4)).encode("utf-8"))
    [suite] = list(xml)
    cases = list(suite)
    failures = [r for c in cases for r in c.result if isinstance(r, junitparser.Failure)]
    errors = [r for c in cases for r in c.result if isinstance(r, junitparser.Error)]
    assert (suite.tests, suite.failures, suite.errors) == (3, 7, 1) == (len(cases), len(failures), len(errors))
    assert suite.time == pytest.approx(0.75) and suite.timestamp == "2023-11-14T22:13:20"
    assert all(c.time == pytest.approx(0.25) for c in cases)
    assert all(f.type == "rule-a" and f.message.startswith("tei/f") for f in failures)


def test_github_annotations_are_capped_with_a_note() -> None:
    out = v.format_github(report(25, 13)).splitlines()
    errors = [x for x in out if x.startswith("::error ")]
    warnings = [x for x in out if x.startswith("::warning ")]
    notices = [x for x in out if x.startswith("::notice ")]
    assert len(errors) == 10 and len(warnings) == 10 and len(notices) == 1
    assert "19 more findings" in notices[0]  # 26 errors and 13 warnings, 20 shown
    assert sum(1 for x in out if ": error: " in x or ": warning: " in x) == 19  # the rest in the log
    assert out[-1] == v.summary(report(25, 13))


def test_sarif_has_the_shape_of_sarif_2_1_0() -> None:
    data = json.loads(v.format_sarif(report(5, 2)))
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    [run] = data["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] and [r["id"] for r in rules] == sorted({r["id"] for r in rules},
                                                                                key=[r["id"] for r in rules].index)
    assert len(run["results"]) == 8
    for result in run["results"]:
        assert result["level"] in ("none", "note", "warning", "error")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("tei/")
        region = location.get("region")
        assert region is None or (region["startLine"] >= 1 and region["startColumn"] >= 1)


def _project(tmp: Path) -> Path:
    shutil.copytree(PROJECT, tmp, dirs_exist_ok=True)
    shutil.copytree(SCHEMAS, tmp / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__", "tei_all*"))
    return tmp


def test_one_file_is_still_checked_against_the_whole_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    docs = sorted((root / "tei" / "nk").glob("nk-*.xml"))
    first, second = docs[0], docs[1]
    number = v.crossfile.document_div(v.read(first, v.safe_parser())[0]).get("n")  # type: ignore[union-attr]
    text = second.read_text(encoding="utf-8")
    other = v.crossfile.document_div(v.read(second, v.safe_parser())[0]).get("n")  # type: ignore[union-attr]
    assert other != number
    second.write_text(re.sub(r'(<div type="document"[^>]*? n=")\d+', rf"\g<1>{number}", text, count=1),
                      encoding="utf-8")
    monkeypatch.chdir(root)
    code = v.main(["--format", "json", str(second.relative_to(root))])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["files"] == 1
    [finding] = [f for f in data["findings"] if f["rule"] == "document-number-unique"]
    assert first.name in finding["message"]
    cache = root / "out" / ".cache" / "validate-index.json"
    assert cache.is_file() and (root / "out" / ".cache" / ".gitignore").is_file()
    entries = json.loads(cache.read_text(encoding="utf-8"))["files"]
    assert str(first.resolve()) in entries
    # a second run reads the other files from the index, and sees a change to one of them
    first.write_text(re.sub(r'(<div type="document"[^>]*? n=")\d+', r"\g<1>9999", first.read_text(encoding="utf-8"),
                            count=1), encoding="utf-8")
    code = v.main(["--format", "json", str(second.relative_to(root))])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and not [f for f in data["findings"] if f["rule"] == "document-number-unique"]
