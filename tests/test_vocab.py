"""The period and the document types are the edition's data (edition.yaml), written into
tei/edition.xml and checked by the Schematron from there."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import EditionError
from pipeline.vocab import infer_period

ROOT = Path(__file__).resolve().parent.parent
T = "{http://www.tei-c.org/ns/1.0}"
SOURCE = """\
No. 1

Telegram from the Ambassador to the Minister, 5 March 1920

The negotiations continue.

No. 2

Letter from the Minister to the Ambassador, 6 March 1920

The answer follows.
"""


def _edition(extra: str = "") -> str:
    return f"""\
edition:
  id: vocab
  title: "Telegrams and letters, 1919–1921"
  publisher: "The Edition Pipeline project"
  licence: {{name: "CC BY-SA 4.0", url: "https://creativecommons.org/licenses/by-sa/4.0/"}}
{extra}sources:
  - id: tl
    file: sources/tl.txt
    profile: web-page
    collection: {{title: "Telegrams and letters"}}
"""


def _project(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "tl.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "edition.yaml").write_text(_edition(extra), encoding="utf-8")
    shutil.copytree(ROOT / "pipeline" / "schemas", tmp_path / "schemas")
    return tmp_path


def _period(project: Path) -> tuple[str | None, str | None] | None:
    date = etree.parse(str(project / "tei" / "edition.xml")).find(f".//{T}creation/{T}date[@type='period']")
    return None if date is None else (date.get("from"), date.get("to"))


def test_the_bundled_edition_declares_its_period_and_types() -> None:
    edition = load_config(ROOT / "edition.yaml")
    assert edition.period == (1900, 1950)
    assert "telegram" in edition.document_types and "other" in edition.document_types


@pytest.mark.parametrize(("value", "period"), [("1900-1950", (1900, 1950)), ("1914–1918", (1914, 1918)),
                                                ("{from: 1831, to: 1832}", (1831, 1832))])
def test_period_forms(tmp_path: Path, value: str, period: tuple[int, int]) -> None:
    project = _project(tmp_path, f"  period: {value}\n")
    assert load_config(project / "edition.yaml").period == period


@pytest.mark.parametrize("value", ["1950-1900", "nineteen-twenties", "1900"])
def test_a_wrong_period_names_its_line(tmp_path: Path, value: str) -> None:
    project = _project(tmp_path, f"  period: {value}\n")
    with pytest.raises(EditionError) as err:
        load_config(project / "edition.yaml")
    assert err.value.line == 6 and "period" in str(err.value)


def test_a_document_type_must_be_a_word(tmp_path: Path) -> None:
    project = _project(tmp_path, "  document_types: [telegram, Big Letter]\n")
    with pytest.raises(EditionError) as err:
        load_config(project / "edition.yaml")
    assert err.value.line == 6 and "Big Letter" in str(err.value)


def test_period_is_inferred_from_the_titles() -> None:
    assert infer_period(["Soviet Foreign Policy, 1919–1942", None, "Correspondence. 1912-1927"]) == (1912, 1942)
    assert infer_period(["Letters without years"]) is None


def test_declared_period_and_types_reach_the_edition_file(tmp_path: Path) -> None:
    project = _project(tmp_path, "  period: 1919-1921\n  document_types: [letter, other]\n")
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    assert _period(project) == ("1919", "1921")
    kinds = {p.stem: etree.parse(str(p)).find(f".//{T}div[@type='document']").get("subtype")  # type: ignore[union-attr]
             for p in (project / "tei" / "tl").glob("*.xml")}
    assert kinds == {"tl-1": "other", "tl-2": "letter"}
    with (project / "out" / "reports" / "review.csv").open(encoding="utf-8") as f:
        items = [row for row in csv.reader(f) if any("'telegram' is not in edition.yaml" in c for c in row)]
    assert len(items) == 1
    files = [str(p) for p in (project / "tei").rglob("*.xml")]
    assert main(["validate", "--config", str(project / "edition.yaml"), *files]) == 0


def test_without_declarations_the_period_comes_from_the_title(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    assert _period(project) == ("1919", "1921")
    tax = etree.parse(str(project / "tei" / "edition.xml")).find(f".//{T}taxonomy")
    assert tax is not None and [c.get("{http://www.w3.org/XML/1998/namespace}id") for c in tax] == \
        ["doctype-letter", "doctype-telegram"]


def test_the_schematron_checks_a_hand_edit_against_the_edition_file(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "  period: 1919-1921\n")
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    doc = project / "tei" / "tl" / "tl-2.xml"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace('subtype="letter"', 'subtype="decree"', 1)
                   .replace('when="1920-03-06">6 March 1920<', 'when="1820-03-06">6 March 1820<'), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--config", str(project / "edition.yaml"), str(doc)]) == 1
    said = capsys.readouterr()
    out = said.out + said.err
    assert "[document-kind]" in out and "[dateline-period]" in out and "outside 1919–1921" in out
