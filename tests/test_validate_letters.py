"""A real letters edition validated as its team would in their CI: three letters of the Arthur
Schnitzler correspondence edition with the edition's own XML Schema 1.1 (named by
xsi:schemaLocation; it imports xml.xsd by its remote address and chooses types by XPath,
which libxml2 cannot do) and its own XSLT 2 Schematron (named by an xml-model line).

The Schematron's verdict is checked against an independent reading of the same rules:
each rule's context and assertions evaluated by elementpath, a separate XPath 2 engine
(not Saxon, which runs the compiled schema), with the standard's rule that within a pattern
a node is checked by the first rule whose context it matches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import elementpath
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "foreign" / "schnitzler-briefe"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
# string comparisons by code point, as Saxon does by default (and without the C locale's help)
CODEPOINT = "http://www.w3.org/2005/xpath-functions/collation/codepoint"


@pytest.fixture()
def edition(tmp_path: Path) -> Path:
    shutil.copytree(LETTERS, tmp_path / "data")
    return tmp_path


def validate(cwd: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = subprocess.run([sys.executable, "-m", "pipeline.validate", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def _contexts(context: str) -> list[str]:
    """A rule context (an XSLT pattern) as XPath expressions selecting what it matches."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(context):
        depth += ch in "[(" and 1 or (ch in "])" and -1 or 0)
        if ch == "|" and depth == 0:
            parts.append(context[start:i])
            start = i + 1
    parts.append(context[start:])
    return [p.strip() if p.strip().startswith("/") else "//" + p.strip() for p in parts]


def oracle(schema: Path, document: Path) -> set[tuple[int, str]]:
    """(line, pattern id) of every failed assertion or fired report, by elementpath."""
    sch = etree.parse(str(schema)).getroot()
    assert not sch.findall(f".//{SCH}include") and not sch.xpath("//*[@abstract='true']"), \
        "the oracle reads plain patterns only"
    ns = {el.get("prefix"): el.get("uri") for el in sch.iter(f"{SCH}ns")}
    doc = etree.parse(str(document))
    root = doc.getroot()
    found: set[tuple[int, str]] = set()
    for pattern in sch.iter(f"{SCH}pattern"):
        seen: set[object] = set()
        for rule in pattern.iter(f"{SCH}rule"):
            nodes: list[object] = []
            for path in _contexts(" ".join(rule.get("context", "").split())):
                nodes.extend(n for n in elementpath.select(doc, path, namespaces=ns, default_collation=CODEPOINT)
                             if n not in seen)
            for node in nodes:
                seen.add(node)
                element = node if isinstance(node, etree._Element) else getattr(node, "getparent", lambda: None)()
                line = element.sourceline if element is not None else root.sourceline
                variables: dict[str, object] = {}
                for check in rule:
                    if check.tag == f"{SCH}let":
                        variables[check.get("name")] = elementpath.select(
                            doc, check.get("value"), namespaces=ns, item=node, variables=dict(variables),
                            default_collation=CODEPOINT)
                    elif check.tag in (f"{SCH}assert", f"{SCH}report"):
                        ok = elementpath.select(doc, f"boolean({check.get('test')})", namespaces=ns, item=node,
                                                variables=dict(variables), default_collation=CODEPOINT)
                        if (check.tag == f"{SCH}assert") != bool(ok):
                            found.add((line, pattern.get("id") or ""))
    return found


def schematron_findings(findings: list[dict[str, object]], name: str) -> set[tuple[int, str]]:
    return {(int(str(f["line"])), str(f["rule"])) for f in findings
            if f["file"].endswith(name) and f["rule"] not in ("schema", "schema-remote")}  # type: ignore[union-attr]


def test_letters_as_published_get_the_schematron_findings_an_independent_xpath_engine_gives(edition: Path) -> None:
    status, findings = validate(edition, "data/editions")
    schema = edition / "data" / "meta" / "schnitzler-briefe-schematron.sch"
    expected: set[tuple[int, str]] = set()
    for letter in sorted((edition / "data" / "editions").glob("*.xml")):
        want = oracle(schema, letter)
        assert schematron_findings(findings, letter.name) == want, letter.name
        expected |= want
    assert status == (1 if expected else 0)
    # the XML Schema 1.1 passes every letter as published
    assert not [f for f in findings if f["rule"] in ("schema", "schema-error", "schema-remote")]


def test_xml_schema_1_1_type_alternative_is_applied(edition: Path) -> None:
    """A desc with @type="entity_type" takes another type by the schema's xs:alternative, one
    with simple content: its quote child is then an error that only a 1.1 validator sees."""
    letter = edition / "data" / "editions" / "L00001.xml"
    text = letter.read_text(encoding="utf-8")
    assert text.count("<desc>nummeriert") == 1
    letter.write_text(text.replace("<desc>nummeriert", '<desc type="entity_type">nummeriert'), encoding="utf-8")
    line = text.split("<desc>nummeriert")[0].count("\n") + 1
    _, findings = validate(edition, "data/editions/L00001.xml")
    schema = [f for f in findings if f["rule"] == "schema"]
    assert len(schema) == 1 and schema[0]["line"] == line
    assert "XML Schema 1.1" in str(schema[0]["message"]) and "/incident[1]/desc" in str(schema[0]["message"])
    # the Schematron's own rule on the same desc fires too, and agrees with the oracle
    assert schematron_findings(findings, "L00001.xml") == oracle(
        edition / "data" / "meta" / "schnitzler-briefe-schematron.sch", letter)


def test_element_the_schema_does_not_allow_is_found_at_its_line(edition: Path) -> None:
    letter = edition / "data" / "editions" / "L00002.xml"
    text = letter.read_text(encoding="utf-8")
    head, tail = text.split("<signed>", 1)
    letter.write_text(head + "<bogus/><signed>" + tail, encoding="utf-8")
    _, findings = validate(edition, "data/editions/L00002.xml")
    schema = [f for f in findings if f["rule"] == "schema"]
    assert len(schema) == 1 and "bogus" in str(schema[0]["message"])
    assert schema[0]["line"] == head.count("\n") + 1


def test_remote_xsi_schema_location_is_a_warning_never_fetched(edition: Path) -> None:
    letter = edition / "data" / "editions" / "L00003.xml"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("../meta/schnitzler-briefe-schema.xsd",
                                   "https://schnitzler-briefe.example.org/schema.xsd"), encoding="utf-8")
    _, findings = validate(edition, "data/editions/L00003.xml")
    remote = [f for f in findings if f["rule"] == "schema-remote"]
    assert len(remote) == 1 and remote[0]["severity"] == "warning"
    assert "xsi:schemaLocation" in str(remote[0]["message"]) and "not fetched" in str(remote[0]["message"])
