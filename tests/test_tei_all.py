"""Conformance: the edition's TEI is valid against the official tei_all.rng (TEI P5 4.3.0) and
against the edition's own schema, and the edition schema is a subset of TEI.

tei_all.rng is the copy bundled with the package (pipeline/schemas/tei_all.rng, with its
licence), the one `edition validate --schema tei_all` uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from pipeline import validate as v

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
TEI = ROOT / "tei"
FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "validate" / "project"
RNG = "{http://relaxng.org/ns/structure/1.0}"


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(v.BUNDLED["tei_all"]), v.safe_parser()))


@pytest.fixture(scope="session")
def tei_all_tree() -> etree._ElementTree:
    return etree.parse(str(v.BUNDLED["tei_all"]))


def edition_files() -> list[Path]:
    return sorted(TEI.rglob("*.xml")) if TEI.is_dir() else []


def _errors(schema: etree.RelaxNG, path: Path) -> list[str]:
    tree = etree.parse(str(path), v.safe_parser())
    if schema.validate(tree):
        return []
    return [f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{e.line}: {e.message}"
            for e in schema.error_log][:5]


# ---------------------------------------------------------------------------------------
# the edition's files
# ---------------------------------------------------------------------------------------


def test_edition_is_valid_against_tei_all(tei_all: etree.RelaxNG) -> None:
    files = edition_files()
    if not files:
        pytest.skip("no TEI files under tei/ yet (run edition convert)")
    problems = [msg for f in files for msg in _errors(tei_all, f)]
    assert not problems, f"{len(problems)} tei_all errors, first ones:\n" + "\n".join(problems[:30])


def test_edition_is_valid_against_the_edition_schema() -> None:
    files = edition_files()
    if not files:
        pytest.skip("no TEI files under tei/ yet (run edition convert)")
    report = v.validate_files(files, v.Schemas.load(SCHEMAS))
    errors = [f.text() for f in report.sorted() if f.severity == v.ERROR]
    assert not errors, f"{len(errors)} errors, first ones:\n" + "\n".join(errors[:30])


def test_fixture_project_is_valid_against_tei_all(tei_all: etree.RelaxNG) -> None:
    problems = [msg for f in sorted(FIXTURE_PROJECT.rglob("*.xml")) for msg in _errors(tei_all, f)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------
# the edition schema is a subset of TEI
# ---------------------------------------------------------------------------------------


class Grammar:
    """A RelaxNG grammar read as element name → reachable children and attributes."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.defines: dict[str, list[etree._Element]] = {}
        for d in tree.iter(RNG + "define"):
            self.defines.setdefault(d.get("name", ""), []).append(d)

    @staticmethod
    def name(node: etree._Element) -> str:
        name = node.get("name")
        if name is None:
            child = node.find(RNG + "name")
            name = (child.text or "").strip() if child is not None else ""
            if child is not None and child.get("ns") == "http://www.w3.org/XML/1998/namespace":
                return "xml:" + name
        return name

    def walk(self, node: etree._Element, seen: set[str]) -> Iterator[tuple[str, etree._Element]]:
        for child in node:
            if not isinstance(child.tag, str) or not child.tag.startswith(RNG):
                continue
            kind = child.tag[len(RNG):]
            if kind in ("element", "attribute"):
                yield kind, child
            elif kind == "ref":
                ref = child.get("name", "")
                if ref not in seen:
                    seen.add(ref)
                    for d in self.defines.get(ref, []):
                        yield from self.walk(d, seen)
            else:
                yield from self.walk(child, seen)

    def elements(self) -> dict[str, tuple[set[str], dict[str, etree._Element]]]:
        out: dict[str, tuple[set[str], dict[str, etree._Element]]] = {}
        for el in self.tree.iter(RNG + "element"):
            kids, atts = out.setdefault(self.name(el), (set(), {}))
            for kind, node in self.walk(el, set()):
                if kind == "element":
                    kids.add(self.name(node))
                else:
                    atts.setdefault(self.name(node), node)
        return out

    def values(self, attribute: etree._Element) -> tuple[list[str], list[tuple[str, str | None]]]:
        values: list[str] = []
        datas: list[tuple[str, str | None]] = []

        def visit(node: etree._Element, seen: set[str]) -> None:
            for child in node:
                if not isinstance(child.tag, str) or not child.tag.startswith(RNG):
                    continue
                kind = child.tag[len(RNG):]
                if kind == "value":
                    values.append((child.text or "").strip())
                elif kind == "data":
                    param = child.find(RNG + "param[@name='pattern']")
                    datas.append((child.get("type", ""), param.text if param is not None else None))
                elif kind == "text":
                    datas.append(("string", None))
                elif kind == "ref" and child.get("name", "") not in seen:
                    seen.add(child.get("name", ""))
                    for d in self.defines.get(child.get("name", ""), []):
                        visit(d, seen)
                elif kind not in ("ref", "name"):
                    visit(child, seen)

        visit(attribute, set())
        return values, datas


def _value_allowed(value: str, values: list[str], datas: list[tuple[str, str | None]]) -> bool:
    if value in values:
        return True
    for kind, pattern in datas:
        if kind not in ("token", "string", "NCName", "Name", "anyURI", "normalizedString"):
            continue
        if pattern is None:
            return True
        simple = pattern.replace(r"\p{C}", r"\x00-\x1f\x7f").replace(r"\p{Z}", r"\s")
        if re.fullmatch(simple, value):
            return True
    return False


def test_edition_schema_is_a_subset_of_tei_all(tei_all_tree: etree._ElementTree) -> None:
    """Every element of edition.rng exists in TEI and takes there every child, attribute and
    closed value that edition.rng allows it (order is checked by validating the files)."""
    mine = Grammar(etree.parse(str(SCHEMAS / "edition.rng")))
    tei = Grammar(tei_all_tree)
    tei_elements = tei.elements()
    problems: list[str] = []
    for name, (kids, atts) in mine.elements().items():
        if name not in tei_elements:
            problems.append(f"<{name}> is not a TEI element")
            continue
        tei_kids, tei_atts = tei_elements[name]
        problems += [f"<{name}> may contain <{k}> here but not in TEI" for k in sorted(kids - tei_kids)]
        for att, node in atts.items():
            if att not in tei_atts:
                problems.append(f"<{name}> takes @{att} here but not in TEI")
                continue
            values, _ = mine.values(node)
            tei_values, tei_datas = tei.values(tei_atts[att])
            problems += [f"<{name} {att}='{val}'> is not allowed by TEI" for val in values
                         if not _value_allowed(val, tei_values, tei_datas)]
    assert not problems, "\n".join(problems)
