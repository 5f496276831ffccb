"""document() in the rules of an XSLT 1.0 Schematron: each file it names is parsed once per
process (libxslt parsed it again for every file checked, and the edition's rules read the
edition file, which grows with the edition, for each document), with what libxslt's own
document() selects, and a file changed between two runs is read again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import xmlparse
from pipeline.validate.schematron import Schematron
from pipeline.validate.source import read, safe_parser

RULES = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <let name="list" value="document('lookup.xml', /)"/>
  <pattern>
    <rule context="item">
      <assert id="known" test="$list/list/entry[@id = current()/@ref]">unknown <value-of select="@ref"/></assert>
      <assert id="same-list" test="count(document('lookup.xml')//entry) = count($list/list/entry)">two lists</assert>
      <assert id="nodes" test="count($list/node()) = 2">the list file's top-level nodes: a comment and the list</assert>
    </rule>
  </pattern>
</schema>
"""
LOOKUP = '<!-- the known ids -->\n<list><entry id="a"/><entry id="b"/></list>\n'


def _failed(schematron: Schematron, path: Path) -> list[str]:
    src, problems = read(path, safe_parser())
    assert src is not None and not problems
    return sorted(f"{f.rule}:{f.message}" for f in schematron.findings(src))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "rules.sch").write_text(RULES, encoding="utf-8")
    (tmp_path / "lookup.xml").write_text(LOOKUP, encoding="utf-8")
    for name, ref in (("good", "a"), ("bad", "z"), ("other", "b")):
        (tmp_path / f"{name}.xml").write_text(f'<doc><item ref="{ref}"/></doc>', encoding="utf-8")
    return tmp_path


def test_document_gives_what_it_names_and_reads_it_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[Path] = []
    real = xmlparse.parse_file

    def counted(path: Path, **kwargs: object) -> object:
        parsed.append(Path(path))
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xmlparse, "parse_file", counted)
    schematron = Schematron.load(folder / "rules.sch")
    assert _failed(schematron, folder / "good.xml") == []
    assert _failed(schematron, folder / "other.xml") == []
    assert [f.split(":")[0] for f in _failed(schematron, folder / "bad.xml")] == ["known"]
    assert parsed == [folder / "lookup.xml"]  # once for the three files


def test_a_changed_file_is_read_again(folder: Path) -> None:
    schematron = Schematron.load(folder / "rules.sch")
    assert _failed(schematron, folder / "other.xml") == []
    (folder / "lookup.xml").write_text('<!-- fewer -->\n<list><entry id="a"/></list>\n', encoding="utf-8")
    assert [f.split(":")[0] for f in _failed(schematron, folder / "other.xml")] == ["known"]
    (folder / "lookup.xml").unlink()
    assert sorted({f.split(":")[0] for f in _failed(schematron, folder / "good.xml")}) == ["known", "nodes"]
