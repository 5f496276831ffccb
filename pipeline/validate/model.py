"""Findings and the report of one run."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = f"{{{TEI_NS}}}"
NS = {"t": TEI_NS}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where, how bad, what, and the rule that found it."""

    file: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"


@dataclass
class Report:
    """All findings of one run, the files that were checked and how long each took."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    started: float = 0.0  # time.time() when the run began (JUnit's timestamp)

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    @property
    def io_errors(self) -> int:
        return sum(f.rule == "io-error" for f in self.findings)

    def sorted(self) -> list[Finding]:
        order = {name: k for k, name in enumerate(self.files)}
        return sorted(self.findings, key=lambda f: (order.get(f.file, len(order)), f.file, f.line, f.column, f.rule,
                                                    f.message))

    def by_file(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = {}
        for f in self.sorted():
            groups.setdefault(f.file, []).append(f)
        return groups

    def exit_code(self, *, strict: bool = False) -> int:
        if self.io_errors:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0
