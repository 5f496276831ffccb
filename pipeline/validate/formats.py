"""The report as text (for people), JSON, JUnit XML, GitHub Actions annotations and SARIF 2.1.0."""

from __future__ import annotations

import json
import socket
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from .model import ERROR, WARNING, Finding, Report

FORMATS = ("text", "json", "junit", "github", "sarif")
GITHUB_CAP = 10  # GitHub shows at most 10 error and 10 warning annotations of a step
# findings that mean the file could not be checked (JUnit <error>, not <failure>)
NOT_CHECKED = ("io-error", "schema-error", "schematron-error")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    bad = len({f.file for f in report.findings if f.severity == ERROR})
    checked = _plural(len(report.files), "file")
    if not report.findings:
        return f"{checked} checked: all valid."
    parts = [_plural(report.errors, "error"), _plural(report.warnings, "warning")]
    verdict = f"{bad} of {checked} invalid" if report.errors else f"{checked} valid"
    return f"{' and '.join(parts)}; {verdict}."


def format_text(report: Report, *, quiet: bool = False) -> str:
    lines: list[str] = []
    for findings in report.by_file().values():
        shown = [f for f in findings if not quiet or f.severity == ERROR]
        if not shown:
            continue
        if lines:
            lines.append("")
        lines.extend(f.text() for f in shown)
    if lines:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    data = {
        "files": len(report.files),
        "errors": report.errors,
        "warnings": report.warnings,
        "valid": report.errors == 0,
        "findings": [asdict(f) for f in report.sorted()],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _timestamp(report: Report) -> str:
    return datetime.fromtimestamp(report.started or 0, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def format_junit(report: Report) -> str:
    """One testsuite; one testcase per file (with its time); one <failure> per error finding,
    carrying the file and line; a file that could not be checked is an <error>; warnings go to
    the testcase's <system-out>.  The suite's counts are the numbers of those elements."""
    groups = report.by_file()
    cases: list[str] = []
    failures = errors = 0
    total = 0.0
    for name in report.files + [n for n in groups if n not in report.files]:
        findings = groups.get(name, [])
        seconds = report.seconds.get(name, 0.0)
        total += seconds
        body: list[str] = []
        for f in findings:
            if f.severity != ERROR:
                continue
            kind = "error" if f.rule in NOT_CHECKED else "failure"
            failures += kind == "failure"
            errors += kind == "error"
            body.append(f"   <{kind} type={quoteattr(f.rule)} message={quoteattr(f'{f.file}:{f.line}: {f.message}')}>"
                        f"{escape(f.text())}</{kind}>")
        warnings = [f for f in findings if f.severity == WARNING]
        if warnings:
            body.append("   <system-out>" + escape("\n".join(f.text() for f in warnings)) + "</system-out>")
        classname = quoteattr(Path(name).parent.as_posix())
        head = (f"  <testcase classname={classname} name={quoteattr(name)} file={quoteattr(name)} "
                f'time="{seconds:.3f}"')
        cases.append(head + (">\n" + "\n".join(body) + "\n  </testcase>" if body else "/>"))
    stamp = _timestamp(report)
    host = quoteattr(socket.gethostname() or "localhost")
    counts = f'tests="{len(cases)}" failures="{failures}" errors="{errors}" skipped="0" time="{total:.3f}"'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="edition validate" {counts}>\n'
            f'<testsuite name="edition validate" {counts} timestamp="{stamp}" hostname={host}>\n'
            + "\n".join(cases) + "\n</testsuite>\n</testsuites>\n")


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _annotation(f: Finding) -> str:
    props = (f"file={_gh_escape(f.file, prop=True)},line={max(f.line, 1)},col={max(f.column, 1)},"
             f"title={_gh_escape(f.rule, prop=True)}")
    return f"::{f.severity} {props}::{_gh_escape(f.message)} [{f.rule}]"


def format_github(report: Report, *, cap: int = GITHUB_CAP) -> str:
    """GitHub Actions workflow commands: the first `cap` errors and `cap` warnings as
    annotations (GitHub shows no more of a step), a notice of how many more there are, those
    as plain lines of the log, and the summary."""
    lines: list[str] = []
    rest: list[Finding] = []
    shown = {ERROR: 0, WARNING: 0}
    for f in report.sorted():
        if shown[f.severity] < cap:
            shown[f.severity] += 1
            lines.append(_annotation(f))
        else:
            rest.append(f)
    if rest:
        lines.append(f"::notice title=edition validate::{len(rest)} more "
                     f"{'finding is' if len(rest) == 1 else 'findings are'} not shown as annotations (GitHub "
                     f"shows {cap} errors and {cap} warnings of a step); they follow in the log.")
        lines.extend(f.text() for f in rest)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def format_sarif(report: Report) -> str:
    """SARIF 2.1.0 (code scanning): one run, a rule per rule id, one result per finding."""
    rules: dict[str, int] = {}
    results = []
    for f in report.sorted():
        index = rules.setdefault(f.rule, len(rules))
        location: dict[str, object] = {"artifactLocation": {"uri": Path(f.file).as_posix()}}
        if f.line >= 1:
            location["region"] = {"startLine": f.line, "startColumn": max(f.column, 1)}
        results.append({"ruleId": f.rule, "ruleIndex": index, "level": "error" if f.severity == ERROR else "warning",
                        "message": {"text": f.message}, "locations": [{"physicalLocation": location}]})
    driver = {"name": "edition validate", "version": __version__,
              "informationUri": "https://tei-c.org/guidelines/p5/",
              "rules": [{"id": rule, "name": rule, "shortDescription": {"text": f"rule {rule}"}}
                        for rule in rules]}
    data = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results,
                      "artifacts": [{"location": {"uri": Path(name).as_posix()}} for name in report.files],
                      "columnKind": "unicodeCodePoints"}]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render(report: Report, fmt: str, *, quiet: bool = False) -> str:
    if fmt == "json":
        return format_json(report)
    if fmt == "junit":
        return format_junit(report)
    if fmt == "github":
        return format_github(report)
    if fmt == "sarif":
        return format_sarif(report)
    return format_text(report, quiet=quiet)
